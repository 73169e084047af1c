"""tools/static_math.py: the maths typeset when the book is built, on small pages (MathJax in Node,
from the npm package `make mathjax` fetches)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools.static_math import formulas, typeset, typeset_site  # noqa: E402

MATHJAX = ROOT / "_build" / "vendor" / "mathjax"

PAGE = (
    '<html><head><title>t</title></head><body class="x">'
    '<p>Inline <span class="math notranslate nohighlight">\\(a &lt; b\\)</span> and '
    '<span class="math notranslate nohighlight">\\(\\frac{dy}{dx}\\)</span>.</p>'
    '<div class="math notranslate nohighlight" id="equation-one">'
    '<span class="eqno">(1)<a class="headerlink" href="#equation-one">¶</a></span>'
    "\\[\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}\\]</div>"
    "<pre>\\(not maths: code\\)</pre></body></html>"
)


def _require_mathjax() -> None:
    if shutil.which("node") and (MATHJAX / "node-main.js").is_file():
        return
    if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
        pytest.fail(f"node or MathJax ({MATHJAX}) missing: `make mathjax` fetches MathJax")
    pytest.skip("node or MathJax missing: `make mathjax` fetches MathJax")


def test_formulas_are_found_in_order_unescaped_with_their_kind():
    assert formulas(PAGE) == [
        ("a < b", False),
        ("\\frac{dy}{dx}", False),
        ("\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", True),
    ]


def test_pages_get_svg_maths_their_own_glyphs_and_the_stylesheet(tmp_path):
    _require_mathjax()
    with_math, without = tmp_path / "a.html", tmp_path / "b.html"
    with_math.write_text(PAGE, encoding="utf-8")
    plain = "<html><head></head><body><p>No maths.</p></body></html>"
    without.write_text(plain, encoding="utf-8")
    typeset_site([with_math, without], MATHJAX)
    html = with_math.read_text(encoding="utf-8")
    assert html.count('<mjx-container class="MathJax" jax="SVG"') == 3
    assert html.count('display="true"') >= 1 and "<mjx-assistive-mml" in html
    assert '<span class="eqno">(1)' in html and "\\(not maths: code\\)" in html
    assert "\\frac" not in html and "a &lt; b" not in html
    assert html.index('<body class="x"><svg id="MJX-SVG-global-cache"') > 0
    assert html.count('<style id="MJX-SVG-styles">') == 1
    assert without.read_text(encoding="utf-8") == plain


def test_glyphs_are_collected_per_page():
    _require_mathjax()
    result = typeset([[("x", False)], [("y", False)]], MATHJAX)
    first, second = (page["glyphs"] for page in result["pages"])
    assert "MJX-TEX-I-1D465" in first and "MJX-TEX-I-1D465" not in second
    assert "MJX-TEX-I-1D466" in second and "MJX-TEX-I-1D466" not in first


def test_tex_mathjax_cannot_read_stops_the_build_and_is_named():
    _require_mathjax()
    with pytest.raises(RuntimeError, match=r"cannot read this TeX[\s\S]*\\frac\{1\}"):
        typeset([[("x", False), ("\\frac{1}", False)]], MATHJAX)
    with pytest.raises(RuntimeError, match=r"\\notamacro"):
        typeset([[("\\notamacro x", True)]], MATHJAX)
    with pytest.raises(RuntimeError, match="make mathjax"):
        typeset([[("x", False)]], MATHJAX / "missing")
