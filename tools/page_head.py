"""A page's ``<head>`` rewritten so that only the theme's stylesheet stands between the page and
its first paint (tools/book_sphinx.py applies it to every page when the build ends).

- Scripts are deferred (inline ones that read a deferred script's globals become modules, which
  run in order after it), and the theme's script preloads go.
- Stylesheets other than the theme's (pydata-sphinx-theme.css, 400 KB, shared by every page and
  cached) are written into the page as ``<style>`` elements, in their place, so the cascade is
  unchanged: each would otherwise cost the phone a request before it may paint anything.
- Sphinx's search scripts and index (30 KB) go from every page but the search page when the
  theme's search-as-you-type is off: only the search page runs a search.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

THEME_STYLESHEET = "pydata-sphinx-theme.css"
BLOCKING_SCRIPT = re.compile(
    r'<script (?![^>]*\b(?:defer|async|type=)\b)([^>]*\bsrc="[^"]+"[^>]*)>'
)
INLINE_NEEDING_OPTIONS = re.compile(r"<script>(\s*DOCUMENTATION_OPTIONS\.)")
SCRIPT_PRELOAD = re.compile(r'\s*<link rel="preload" as="script" [^>]*>')
STYLESHEET_LINK = re.compile(r'<link (?=[^>]*\brel="stylesheet")(?![^>]*\bmedia=)[^>]*>')
HREF = re.compile(r'\bhref="([^"]+)"')
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?([^"')]+)["']?\)?\s*;""")
CSS_RELATIVE_URL = re.compile(r"""(?<!@import )url\((["']?)(?!data:|[a-z]+://|/|#)([^"')]+)\1\)""")
SEARCH_SCRIPTS = re.compile(
    r'\s*<script defer src="[^"]*\b(?:searchtools|language_data|searchindex)\.js[^"]*"></script>'
)


def faster_head(head: str, page: Path, outdir: Path, search_as_you_type: bool = False) -> str:
    """The ``<head>...</head>`` of ``page`` (a file of the built site ``outdir``), rewritten."""
    head = BLOCKING_SCRIPT.sub(r"<script defer \1>", head)
    head = INLINE_NEEDING_OPTIONS.sub(r'<script type="module">\1', head)
    head = SCRIPT_PRELOAD.sub("", head)
    head = STYLESHEET_LINK.sub(lambda match: _inlined(match, page), head)
    if not search_as_you_type and page != outdir / "search.html":
        head = SEARCH_SCRIPTS.sub("", head)
    return head


def _inlined(match: re.Match, page: Path) -> str:
    """A ``<style>`` element for a stylesheet link of the site (the theme's own is left as is)."""
    href = HREF.search(match[0])
    if not href or THEME_STYLESHEET in href[1] or "://" in href[1]:
        return match[0]
    path = page.parent / href[1].split("?")[0]
    if not path.is_file():
        return match[0]
    return f"<style>{stylesheet_text(path, page.parent)}</style>"


def stylesheet_text(path: Path, page_folder: Path) -> str:
    """A stylesheet's rules for a page in ``page_folder``: its ``@import``s written in, its
    relative ``url()``s pointed from the page."""

    def from_page(match: re.Match) -> str:
        target = os.path.relpath(path.parent / match[2], page_folder).replace(os.sep, "/")
        return f"url({match[1]}{target}{match[1]})"

    css = CSS_RELATIVE_URL.sub(from_page, path.read_text(encoding="utf-8"))
    return CSS_IMPORT.sub(lambda match: stylesheet_text(path.parent / match[1], page_folder), css)
