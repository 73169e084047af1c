"""tools/book_sphinx.py's page rewriting, on small pages: scripts deferred, stylesheets inline but
the theme's, images sized and lazy, explorer frames moved to files, a description cut at a word."""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

from docutils import nodes

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools.book_sphinx import _faster_page, describe, png_size, toggler_png  # noqa: E402
from tools.icon_fonts import shown_characters  # noqa: E402
from tools.page_head import faster_head  # noqa: E402


def _png(path: Path, width: int, height: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = zlib.compress(b"".join(b"\x00" + bytes(3 * width) for _ in range(height)))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    )


def test_head_scripts_deferred_and_images_sized_and_lazy(tmp_path):
    (tmp_path / "chapters").mkdir()
    _png(tmp_path / "plot.png", 40, 30)
    assert png_size(tmp_path / "plot.png") == (40, 30)
    page = tmp_path / "chapters" / "one.html"
    page.write_text(
        "<html><head>"
        '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js" />'
        '<script src="../_static/doctools.js"></script>'
        "<script>DOCUMENTATION_OPTIONS.pagename = 'one';</script>"
        '<script async src="../_static/a.js"></script>'
        "</head><body>"
        '<img alt="a plot" src="../plot.png" />'
        '<img alt="-" src="../plot.png" style="display: none" />'
        '<img src="../_static/logo.svg" class="logo__image" alt="Home" />'
        '<div class="highlight"><pre><span></span>a = 1\nb = 2\n</pre></div>'
        '<div class="highlight"><pre>no newline</pre></div>'
        "</body></html>",
        encoding="utf-8",
    )
    html = _faster_page(page, tmp_path)
    assert '<script defer src="../_static/doctools.js"></script>' in html
    assert "<script type=\"module\">DOCUMENTATION_OPTIONS.pagename = 'one';</script>" in html
    assert '<script async src="../_static/a.js"></script>' in html
    assert 'rel="preload"' not in html
    assert (
        '<img loading="lazy" decoding="async" width="40" height="30" style="height:auto" '
        'alt="a plot" src="../plot.png" />'
    ) in html
    assert 'style="height:auto;display: none"' in html and html.count('style="height:auto') == 2
    assert '<img src="../_static/logo.svg" class="logo__image" alt="Home" />' in html
    assert '<pre style="--lines: 2"><span></span>a = 1\nb = 2\n</pre>' in html
    assert '<pre style="--lines: 1">no newline</pre>' in html


def test_description_is_the_first_paragraph_of_prose_cut_at_a_word():
    document = nodes.document(None, None)
    note = nodes.note()
    note += nodes.paragraph(text="A note that is not the page's own prose, long enough to count.")
    document += note
    document += nodes.paragraph(text="Short.")
    document += nodes.paragraph(text="Tensors " * 40)
    text = describe(document, "Title", "Project")
    assert text.startswith("Tensors Tensors") and text.endswith("…") and len(text) <= 155
    assert describe(None, "Index", "The book") == (
        "Index: The book, a course on tensors and automatic differentiation."
    )


def test_head_keeps_only_the_theme_stylesheet(tmp_path):
    static = tmp_path / "_static"
    (static / "styles").mkdir(parents=True)
    (static / "basic.css").write_text("li { background: url(file.png); }", encoding="utf-8")
    (static / "styles" / "theme.css").write_text('@import "../basic.css";', encoding="utf-8")
    (static / "styles" / "pydata-sphinx-theme.css").write_text("body {}", encoding="utf-8")
    (static / "book.css").write_text("p { color: red; }", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    page = tmp_path / "chapters" / "one.html"
    head = (
        "<head>"
        '<link href="../_static/styles/theme.css?digest=1" rel="stylesheet" />'
        '<link href="../_static/styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet" />'
        '<link rel="stylesheet" type="text/css" href="../_static/book.css?v=2" />'
        '<script defer src="../_static/searchtools.js"></script>'
        '<script defer src="../searchindex.js"></script>'
        "</head>"
    )
    fast = faster_head(head, page, tmp_path)
    assert fast.startswith(
        "<head><style>li { background: url(../_static/file.png); }</style>"
        '<link href="../_static/styles/pydata-sphinx-theme.css?digest=1" rel="stylesheet" />'
        "<style>p { color: red; }</style></head>"
    )
    assert "searchindex" not in fast and "searchtools" not in fast
    search = tmp_path / "search.html"
    assert "searchindex" in faster_head(head, search, tmp_path)
    assert "searchindex" in faster_head(head, page, tmp_path, search_as_you_type=True)


def test_fold_buttons_are_drawn_at_twice_their_size():
    minus, plus = toggler_png(plus=False), toggler_png(plus=True)
    header = minus[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (22, 22)
    rows = zlib.decompress(minus[minus.index(b"IDAT") + 4 : minus.index(b"IEND") - 8])
    pixels = [rows[y * 23 + 1 : (y + 1) * 23] for y in range(22)]
    assert pixels[0] == bytes([204] * 22) and pixels[10][4:18] == bytes([41] * 14)
    assert pixels[5][10] == 240 and plus != minus


def test_icon_characters_are_those_of_classes_in_use_and_of_other_rules():
    css = (
        '.fa-rocket:before{content:"\\f135"}'
        '.fa-trash-alt:before,.fa-trash-can:before{content:"\\f2ed"}'
        '.fa-unused:before{content:"\\f000"}'
        '@media print{.note .admonition-title:after{content:"\\f05a"}}'
        ':root{--pst-icon-check:"\uf00c"}'
        '.plain:before{content:"x"}'
    )
    shown = shown_characters(css, {"rocket", "trash-can", "solid"})
    assert shown == {0xF135, 0xF2ED, 0xF05A, 0xF00C}
