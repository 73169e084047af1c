"""The book's own Sphinx tweaks (loaded from _config.yml, `sphinx.local_extensions`).

1. API reference: docstrings write maths as ``$...$`` (one line of LaTeX per op, like minitorch),
   which reads well in the source and in ``help()``. reStructuredText has no dollar maths, so each
   ``$...$`` becomes a ``:math:`...``` role, which MathJax typesets. Members a module merely holds
   (numpy functions) are left out.

2. Jupyter Book 1 always loads sphinx-thebe. With live code switched off (``launch_buttons.thebe:
   false``), its scripts are dead weight that point at unpkg.com, and sphinx-thebe 0.3.1 adds its
   configuration script twice, so every page logs "Identifier 'THEBE_JS_URL' has already been
   declared" to the console. This drops those scripts from every page when thebe is off.

3. The build executes the notebooks, and myst-nb embeds the state of every live widget the kernel
   made (a JSON script, tens of KB). The explorers render from their own static HTML (see
   ``nb_mime_priority_overrides`` in _config.yml) and ``nb_ipywidgets_js`` is empty, so nothing
   reads that state: it is dropped too.

4. The theme's stylesheet already carries Font Awesome's icon rules and web fonts; its template also
   loads ``fontawesome.js`` (1.5 MB, a third of every page's weight), which only swaps those icons
   for SVG copies of themselves. The template hard-codes that script tag, so it is removed from the
   written pages once the build has finished.

5. Fast on a phone. Each page's head is rewritten (``tools/page_head.py``) so that only the
   theme's stylesheet stands before the first paint: scripts deferred, the other stylesheets
   written into the page. The icon fonts are cut down to the icons the site shows
   (``tools/icon_fonts.py``, 300 KB -> a few KB). The maths is
   typeset when the book is built (``tools/static_math.py``): pages carry SVG and load no
   MathJax. Each explorer's frames (see ``autograd_mini/widgets/_explorer.py``) move from the
   page into ``_static/explorers/<id>.js``, which the page loads when the reader nears or touches
   a slider; the page keeps the first frame. The explorer's still picture, there for untrusted
   notebooks, is dropped from the page. Images get their width and height and load lazily; code
   blocks carry their number of lines, so the browser can skip drawing those far from the screen
   at their final height (``_static/book.css``). sphinx-design's stylesheet and script go from
   pages that use none of its components.

6. Found by search engines: a meta description per page (its first paragraph), a canonical URL,
   and ``sitemap.xml``. The site's address is ``html_baseurl`` when set, otherwise the GitHub Pages
   address of the one repository setting (``repository.url`` in _config.yml).
"""

from __future__ import annotations

import html
import os
import re
import zlib
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from sphinx.ext.mathjax import html_visit_displaymath, html_visit_math

from tools.icon_fonts import subset_icon_fonts
from tools.page_head import faster_head
from tools.static_math import typeset_site

DOLLAR_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$", re.DOTALL)


def _dollar_math_to_role(app, what, name, obj, options, lines) -> None:
    text = "\n".join(lines)
    if "$" not in text:
        return
    converted = DOLLAR_MATH.sub(lambda match: f":math:`{match[1]}`", text)
    lines[:] = converted.split("\n")


def _skip_foreign_members(app, what, name, obj, skip, options):
    """Document only what autograd_mini defines, not numpy functions a module or class holds."""
    module = getattr(obj, "__module__", None)
    if isinstance(module, str) and module.split(".")[0] not in ("autograd_mini", "builtins"):
        return True
    return None


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or str(script)
    body = (getattr(script, "attributes", None) or {}).get("body", "")
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _is_widget_state(script) -> bool:
    attributes = getattr(script, "attributes", None) or {}
    return attributes.get("type") == "application/vnd.jupyter.widget-state+json"


def _drop_dead_scripts(app, pagename, templatename, context, doctree) -> None:
    thebe_on = app.config.html_theme_options.get("launch_buttons", {}).get("thebe")
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [
            script
            for script in scripts
            if not _is_widget_state(script) and (thebe_on or not _is_thebe(script))
        ]
    css = context.get("css_files")
    if css and not thebe_on:
        context["css_files"] = [sheet for sheet in css if "sphinx-thebe" not in str(sheet)]


FONTAWESOME_JS = re.compile(
    r'<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)


def _drop_fontawesome_js(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        trimmed = FONTAWESOME_JS.sub("", html)
        if trimmed != html:
            page.write_text(trimmed, encoding="utf-8")


# ------------------------------------------------------------------------------- 5. fast pages
HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)
THEME_CSS = Path("_static", "styles", "pydata-sphinx-theme.css")
EXPLORER_FRAMES = re.compile(
    r'<script type="application/json" class="amw-frames" data-for="([\w-]+)">(.*?)</script>',
    re.DOTALL,
)
EXPLORER_STILL = re.compile(r'<img class="amw-still" [^>]*>')
CODE_BLOCK = re.compile(r'(<div class="highlight"><pre)>(.*?)</pre>', re.DOTALL)
IMAGE_TAG = re.compile(r"<img (?![^>]*\bloading=)([^>]*)>")


def _drop_unused_design(app, pagename, templatename, context, doctree) -> None:
    """sphinx-design's stylesheet (55 KB, render-blocking) and tab script on pages that use none
    of its components (Jupyter Book loads the extension on every page)."""
    if 'class="sd-' in context.get("body", ""):
        return
    for key, marker in (("css_files", "sphinx-design"), ("script_files", "design-tabs")):
        if context.get(key):
            context[key] = [asset for asset in context[key] if marker not in str(asset)]


def _configure(app, config) -> None:
    """The site's address from the repository setting."""
    if not config.html_baseurl:
        config.html_baseurl = site_address(config.html_theme_options.get("repository_url", ""))


def site_address(repository_url: str) -> str:
    """The GitHub Pages address of a repository: https://OWNER.github.io/NAME/ (or "")."""
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)/?", repository_url)
    if not match:
        return ""
    owner, name = match[1], match[2]
    if name.lower() == f"{owner.lower()}.github.io":
        return f"https://{name.lower()}/"
    return f"https://{owner.lower()}.github.io/{name}/"


def _faster_page(page: Path, outdir: Path, search_as_you_type: bool = False) -> str:
    text = page.read_text(encoding="utf-8")
    head = HEAD.search(text)
    if head:
        fast_head = faster_head(head[0], page, outdir, search_as_you_type)
        text = text[: head.start()] + fast_head + text[head.end() :]
    text = move_explorer_frames(text, page, outdir)
    text = CODE_BLOCK.sub(_with_line_count, text)
    return IMAGE_TAG.sub(lambda match: _lazy_image(match, page), text)


def _with_line_count(match: re.Match) -> str:
    """A code block carries its number of lines, its height while the browser skips it
    (see _static/book.css)."""
    code = match[2]
    lines = code.count("\n") + (not code.endswith("\n"))
    return f'{match[1]} style="--lines: {lines}">{code}</pre>'


def move_explorer_frames(text: str, page: Path, outdir: Path) -> str:
    """Write each explorer's frames to ``_static/explorers/<id>.js`` and point the page at it;
    drop the still pictures meant for untrusted notebooks."""
    folder = outdir / "_static" / "explorers"

    def to_file(match: re.Match) -> str:
        element_id, frames = match[1], match[2]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{element_id}.js").write_text(
            f"(window.amwFrames=window.amwFrames||{{}})[{element_id!r}]={frames};\n",
            encoding="utf-8",
        )
        source = os.path.relpath(folder / f"{element_id}.js", page.parent).replace(os.sep, "/")
        return (
            f'<script type="application/json" class="amw-frames" data-for="{element_id}" '
            f'data-src="{source}"></script>'
        )

    return EXPLORER_STILL.sub("", EXPLORER_FRAMES.sub(to_file, text))


def _lazy_image(match: re.Match, page: Path) -> str:
    """Content images load when the reader nears them and carry their size (no layout shift);
    the theme's logos and launch-button icons are left as they are."""
    attributes = match[1]
    if "logo" in attributes:
        return match[0]
    size = ""
    source = re.search(r'\bsrc="([^"]+)"', attributes)
    if source and "width=" not in attributes and not source[1].startswith("data:"):
        dimensions = png_size(page.parent / source[1].split("?")[0])
        if dimensions:
            size = f'width="{dimensions[0]}" height="{dimensions[1]}" '
            # height:auto keeps the proportions when the theme's max-width narrows the image.
            if 'style="' in attributes:
                attributes = attributes.replace('style="', 'style="height:auto;', 1)
            else:
                size += 'style="height:auto" '
    return f'<img loading="lazy" decoding="async" {size}{attributes}>'


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG file, read from its header (None for anything else)."""
    try:
        with path.open("rb") as file:
            header = file.read(24)
    except OSError:
        return None
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        return None
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _sharper_togglers(outdir: Path) -> None:
    """The module index's fold buttons (Sphinx's 11 px minus.png and plus.png, which its script
    swaps by name) drawn again at twice the pixels, so a phone's denser screen shows them sharp;
    book.css keeps them 11 px wide."""
    for name, plus in (("minus.png", False), ("plus.png", True)):
        if (outdir / "_static" / name).is_file():
            (outdir / "_static" / name).write_bytes(toggler_png(plus))


def toggler_png(plus: bool, size: int = 22) -> bytes:
    """A grey-bordered light square with a dark minus (or plus) sign, as an 8-bit grey PNG."""
    middle, arm = range(size // 2 - 1, size // 2 + 1), range(4, size - 4)

    def grey(x: int, y: int) -> int:
        if min(x, y) < 2 or max(x, y) >= size - 2:
            return 204
        if (y in middle and x in arm) or (plus and x in middle and y in arm):
            return 41
        return 240

    rows = b"".join(b"\0" + bytes(grey(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = size.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _faster_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    _sharper_togglers(outdir)
    pages = [
        page
        for page in outdir.rglob("*.html")
        if not page.relative_to(outdir).parts[0].startswith("_")
    ]
    static = outdir / "_static"
    scripts = [
        script
        for script in static.rglob("*.js")
        if script.name != "fontawesome.js" and "explorers" not in script.parts
    ]
    subset_icon_fonts(outdir / THEME_CSS, pages + scripts, sorted(static.rglob("*.css")))
    typeset_site(pages, Path(app.srcdir, "_build", "vendor", "mathjax"))
    search_as_you_type = app.config.html_theme_options.get("search_as_you_type", False)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        faster = _faster_page(page, outdir, search_as_you_type)
        if faster != text:
            page.write_text(faster, encoding="utf-8")


# ---------------------------------------------------------------------- 6. search engines
DESCRIPTION_LENGTH = 155


def describe(doctree, title: str, project: str) -> str:
    """A page's meta description: its first paragraph of prose, cut at a word near 155 characters
    (or a sentence made of its title, for pages without prose such as the index)."""
    text = ""
    if doctree is not None:
        for paragraph in doctree.findall(nodes.paragraph):
            if _in_aside(paragraph):
                continue
            candidate = " ".join(paragraph.astext().split())
            if len(candidate) >= 40:
                text = candidate
                break
    if not text:
        text = f"{title}: {project}, a course on tensors and automatic differentiation."
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text


def _in_aside(node) -> bool:
    """Whether a node sits in an admonition, sidebar, topic or table (not the page's prose)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table)):
            return True
        parent = parent.parent
    return False


def _describe_page(app, pagename, templatename, context, doctree) -> None:
    title = re.sub(r"<[^>]+>", "", context.get("title", "")) or app.config.project
    description = describe(doctree, html.unescape(title), app.config.project)
    tag = f'<meta name="description" content="{html.escape(description, quote=True)}" />\n'
    context["metatags"] = context.get("metatags", "") + tag


def _write_sitemap(app, exception) -> None:
    """sitemap.xml: every page of the book at the site's address (none without an address)."""
    base = app.config.html_baseurl
    if exception is not None or app.builder.format != "html" or not base:
        return
    base = base.rstrip("/") + "/"
    pages = sorted(
        name for name in app.env.found_docs if name in app.env.all_docs and not name.startswith("_")
    )
    entries = "".join(
        f"<url><loc>{xml_escape(base + app.builder.get_target_uri(name))}</loc></url>\n"
        for name in pages
    )
    Path(app.outdir, "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n",
        encoding="utf-8",
    )
    Path(app.outdir, "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n", encoding="utf-8"
    )


def setup(app):
    # The maths is written as Sphinx's MathJax renderer writes it, then typeset when the build ends.
    app.add_html_math_renderer("svg", (html_visit_math, None), (html_visit_displaymath, None))
    app.connect("config-inited", _configure)
    app.connect("autodoc-process-docstring", _dollar_math_to_role)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    app.connect("html-page-context", _drop_dead_scripts, priority=900)
    app.connect("html-page-context", _describe_page)
    app.connect("html-page-context", _drop_unused_design, priority=900)
    app.connect("build-finished", _drop_fontawesome_js)
    app.connect("build-finished", _faster_pages, priority=600)
    app.connect("build-finished", _write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
