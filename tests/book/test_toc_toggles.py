"""tools/toc_toggles.py names the sidebar's disclosure toggles (axe-core: summary-name)."""

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's tools/ package

from tools.toc_toggles import LABEL, label_toggles  # noqa: E402

# What pydata-sphinx-theme 0.16 writes for a chapter with pages of its own.
THEME_MARKUP = (
    '<li class="toctree-l1 has-children"><a href="#">4. Derivatives</a><details>'
    '<summary><span class="toctree-toggle" role="presentation">'
    '<i class="fa-solid fa-chevron-down"></i></span></summary>'
    '<ul><li class="toctree-l2"><a href="#">4.1. A page</a></li></ul></details></li>'
)


def test_every_toggle_gets_a_name_and_nothing_else_changes():
    tree = BeautifulSoup(THEME_MARKUP + THEME_MARKUP, "html.parser")
    labelled = str(label_toggles(tree))
    summaries = BeautifulSoup(labelled, "html.parser").find_all("summary")
    assert [summary.get("aria-label") for summary in summaries] == [LABEL, LABEL]
    assert labelled.replace(f' aria-label="{LABEL}"', "") == THEME_MARKUP + THEME_MARKUP


def test_a_summary_with_text_or_a_label_is_left_alone():
    markup = '<summary>Show code</summary><summary aria-label="Toggle">' + "<i></i></summary>"
    assert str(label_toggles(BeautifulSoup(markup, "html.parser"))) == markup


def test_the_markup_it_expects_is_what_the_built_sidebar_holds():
    built = Path(__file__).resolve().parents[2] / "_build" / "html" / "chapters"
    pages = sorted(built.glob("04-*.html"))
    if not pages:
        pytest.skip("no built book: run `make build` first")
    html = pages[0].read_text(encoding="utf-8")
    summaries = BeautifulSoup(html, "html.parser").select("nav summary")
    assert summaries and all(summary.get("aria-label") == LABEL for summary in summaries)
