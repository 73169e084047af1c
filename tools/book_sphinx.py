"""A small Sphinx extension of the book (loaded from _config.yml, `sphinx.local_extensions`).

Jupyter Book 1 always loads sphinx-thebe. With live code switched off (`launch_buttons.thebe:
false`), its scripts are dead weight that point at unpkg.com, and sphinx-thebe 0.3.1 adds its
configuration script twice, so every page logs "Identifier 'THEBE_JS_URL' has already been declared"
to the console. This drops those scripts from every page when thebe is off.
"""

from __future__ import annotations


def _is_thebe(script) -> bool:
    filename = getattr(script, "filename", None) or str(script)
    body = (getattr(script, "attributes", None) or {}).get("body", "")
    return "sphinx-thebe" in filename or "THEBE_JS_URL" in body


def _drop_thebe_scripts(app, pagename, templatename, context, doctree) -> None:
    if app.config.html_theme_options.get("launch_buttons", {}).get("thebe"):
        return
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [script for script in scripts if not _is_thebe(script)]
    css = context.get("css_files")
    if css:
        context["css_files"] = [sheet for sheet in css if "sphinx-thebe" not in str(sheet)]


def setup(app):
    app.connect("html-page-context", _drop_thebe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
