"""The book's maths typeset when the book is built, not in the reader's browser.

Sphinx writes each formula as TeX in a ``span.math`` (``\\(...\\)``) or ``div.math``
(``\\[...\\]``). MathJax in the browser would download ~250 KB of scripts and fonts and spend the
phone's first seconds typesetting; instead ``tools/typeset_math.js`` runs the same MathJax 3 (the
npm package the Makefile fetches) once, in Node, over every page, and the page keeps the result:
an SVG per formula with MathJax's hidden MathML for screen readers, the glyph shapes once per page,
and MathJax's small stylesheet inline. A formula MathJax cannot read stops the build.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

TYPESET_MATH_JS = Path(__file__).with_name("typeset_math.js")
# A formula as Sphinx's math visitors write it (an equation number, when there is one, first).
MATH = re.compile(
    r'(?P<start><(?P<tag>span|div) class="math notranslate nohighlight"[^>]*>'
    r'(?:<span class="eqno">.*?</span>)?)\s*\\[(\[](?P<tex>.*?)\\[)\]]\s*(?P<end></(?P=tag)>)',
    re.DOTALL,
)
BODY_START = re.compile(r"<body\b[^>]*>")


def formulas(page_html: str) -> list[tuple[str, bool]]:
    """Each formula of a page in order: its TeX and whether it is displayed on a line of its own."""
    return [
        (html.unescape(match["tex"]), match["tag"] == "div") for match in MATH.finditer(page_html)
    ]


def typeset(pages: list[list[tuple[str, bool]]], mathjax: Path) -> dict:
    """Run MathJax in Node over every page's formulas (see tools/typeset_math.js)."""
    if not (mathjax / "node-main.js").is_file():
        raise RuntimeError(f"MathJax is missing at {mathjax}: `make mathjax` fetches it from npm")
    result = subprocess.run(
        ["node", str(TYPESET_MATH_JS), str(mathjax)],
        input=json.dumps(pages),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"typesetting the book's maths failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout)


def with_typeset_math(page_html: str, math: list[str], glyphs: str, css: str) -> str:
    """The page with each formula replaced by its typeset SVG (in the order of ``formulas``),
    MathJax's stylesheet in the head and the page's glyph shapes at the start of the body."""
    rendered = iter(math)
    page_html = MATH.sub(lambda match: match["start"] + next(rendered) + match["end"], page_html)
    style = f'<style id="MJX-SVG-styles">{" ".join(css.split())}</style>\n</head>'
    page_html = page_html.replace("</head>", style, 1)
    return BODY_START.sub(lambda match: match[0] + glyphs, page_html, count=1)


def typeset_site(pages: list[Path], mathjax: Path) -> None:
    """Typeset the maths of every page that has any, in place."""
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    with_math = [page for page, text in texts.items() if MATH.search(text)]
    if not with_math:
        return
    result = typeset([formulas(texts[page]) for page in with_math], mathjax)
    for page, typeset_page in zip(with_math, result["pages"], strict=True):
        page.write_text(
            with_typeset_math(
                texts[page], typeset_page["math"], typeset_page["glyphs"], result["css"]
            ),
            encoding="utf-8",
        )
