"""tools/audit.py without Lighthouse: the static server compresses like a static host, the gate
picks the chapters with the most HTML, formulas and code blocks, and a report below the bar names
the audits that cost points."""

from __future__ import annotations

import gzip
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools import audit  # noqa: E402


def _get(url: str, accept_gzip: bool) -> tuple[bytes, str | None]:
    headers = {"Accept-Encoding": "gzip"} if accept_gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.read(), response.headers.get("Content-Encoding")


def test_text_is_served_gzipped_when_accepted_and_images_as_they_are(tmp_path):
    page = "<p>" + "tensor " * 2000 + "</p>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    server = audit.serve(tmp_path)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        body, encoding = _get(base, accept_gzip=True)
        assert encoding == "gzip" and gzip.decompress(body).decode() == page
        assert len(body) < len(page) / 10
        body, encoding = _get(base + "index.html", accept_gzip=False)
        assert encoding is None and body.decode() == page
        body, encoding = _get(base + "picture.png", accept_gzip=True)
        assert encoding is None and body.startswith(b"\x89PNG")
    finally:
        server.shutdown()


def test_the_gate_audits_the_largest_chapter_page(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "index.html").write_text("x" * 10_000, encoding="utf-8")
    (tmp_path / "chapters" / "01-introduction.html").write_text("x" * 100, encoding="utf-8")
    (tmp_path / "chapters" / "03-tensors-part-2.html").write_text("x" * 500, encoding="utf-8")
    assert audit.heaviest_chapter(tmp_path) == "chapters/03-tensors-part-2.html"


def _report(performance: float) -> dict:
    audits = {
        "largest-contentful-paint": {
            "title": "Largest Contentful Paint",
            "numericValue": 3100,
            "score": 0.7,
            "displayValue": "3.1 s",
        },
        "first-contentful-paint": {"numericValue": 1800, "score": 0.9},
        "total-byte-weight": {"numericValue": 600 * 1024, "score": 1},
        "total-blocking-time": {"numericValue": 250, "score": 0.8},
        "meta-description": {"score": 1},
    }
    refs = [
        {"id": "largest-contentful-paint", "weight": 25},
        {"id": "total-byte-weight", "weight": 0},
    ]
    categories = {name: {"score": 1.0, "auditRefs": []} for name in audit.CATEGORIES}
    categories["performance"] = {"score": performance, "auditRefs": refs}
    return {"categories": categories, "audits": audits}


def test_a_page_below_the_bar_is_reported_with_the_audits_that_cost_points():
    report = _report(0.82)
    row = audit.scores(report)
    assert (row["performance"], row["seo"], row["lcp"], row["kib"]) == (82, 100, 3.1, 600)
    assert row["tbt"] == 250
    assert audit.failures("index.html", report, row) == [
        "index.html: performance 82 < 90",
        "    Largest Contentful Paint: 3.1 s",
    ]
    report = _report(0.9)
    assert audit.failures("index.html", report, audit.scores(report)) == []


def test_the_gate_adds_the_chapters_with_the_most_formulas_and_code_blocks(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "index.html").write_text("x" * 10_000, encoding="utf-8")
    pages = {
        "01-introduction": "x" * 5_000,
        "02-tensors-part-1": '<div class="highlight">' * 3,
        "03-tensors-part-2": "<mjx-container>" * 4,
        "04-derivatives": '<mjx-container><div class="highlight">',
    }
    for name, text in pages.items():
        (tmp_path / "chapters" / f"{name}.html").write_text(text, encoding="utf-8")
    assert audit.gate_pages(tmp_path) == [
        "index.html",
        "chapters/01-introduction.html",
        "chapters/03-tensors-part-2.html",
        "chapters/02-tensors-part-1.html",
    ]
    (tmp_path / "chapters" / "01-introduction.html").write_text("<mjx-container>" * 900)
    assert audit.gate_pages(tmp_path) == [
        "index.html",
        "chapters/01-introduction.html",
        "chapters/02-tensors-part-1.html",
    ]


def test_every_page_is_in_reading_order_sections_after_their_chapter(tmp_path):
    (tmp_path / "chapters").mkdir()
    for name in ("index", "search", "genindex"):
        (tmp_path / f"{name}.html").write_text("x", encoding="utf-8")
    for name in ("04-derivatives", "04-1-derivatives-with-autograd", "api-reference"):
        (tmp_path / "chapters" / f"{name}.html").write_text("x", encoding="utf-8")
    assert audit.every_page(tmp_path) == [
        "index.html",
        "chapters/04-derivatives.html",
        "chapters/04-1-derivatives-with-autograd.html",
        "chapters/api-reference.html",
        "genindex.html",
        "search.html",
    ]
