"""Sphinx extension: give the sidebar's expand/collapse toggles an accessible name.

A chapter with pages of its own (`sections:` in _toc.yml) gets a disclosure toggle in the sidebar.
pydata-sphinx-theme draws it as a ``<summary>`` holding only a chevron icon, which screen readers
announce without a name (axe-core: summary-name, serious). The theme builds the sidebar through
the page context's ``generate_toctree_html``, which returns a BeautifulSoup tree; this extension
wraps that function so that every such ``<summary>`` carries an ``aria-label``.
"""

from __future__ import annotations

from functools import cache

LABEL = "Show or hide the pages of this chapter"


def label_toggles(tree):
    """Name every <summary> of `tree` (a BeautifulSoup tree) that has no text and no label."""
    for summary in tree.find_all("summary"):
        if not summary.get_text(strip=True) and not summary.get("aria-label"):
            summary["aria-label"] = LABEL
    return tree


def _wrap_toctree(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    @cache
    def generate_labelled(kind: str, *args, **kwargs):
        result = generate(kind, *args, **kwargs)
        return label_toggles(result) if hasattr(result, "find_all") else result

    context["generate_toctree_html"] = generate_labelled


def setup(app):
    # After the theme has put generate_toctree_html into the context (default priority 500).
    app.connect("html-page-context", _wrap_toctree, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
