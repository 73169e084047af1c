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
"""

from __future__ import annotations

import re
from pathlib import Path

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


def setup(app):
    app.connect("autodoc-process-docstring", _dollar_math_to_role)
    app.connect("autodoc-skip-member", _skip_foreign_members)
    app.connect("html-page-context", _drop_dead_scripts, priority=900)
    app.connect("build-finished", _drop_fontawesome_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
