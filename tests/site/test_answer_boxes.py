"""The exercises' answer boxes on the built pages (tools/answer_boxes.py), used by keyboard.

Every exercise of the book with a web spec has a box under it, carrying exactly what
`Exercise.web_spec()` works out from the Python checker; every other exercise says it needs code.
In Chromium, per box and by keyboard only: a typical slip shows the checker's own message and the
hint, an unexpected wrong answer shows the hint (an unknown way to write an expression is sent to
Jupyter), and the right answer (typed the way a reader might
copy a printout, e.g. ``tensor(12.)`` or ``torch.Size([4, 2, 3])``) shows ✓.
"""

from __future__ import annotations

import json
import re
import sys

import nbformat
import pytest
from site_support import BOOK, ROOT, SCREENSHOTS, SITE, book_order, toc_files

sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from autograd_mini.course.exercises import (  # noqa: E402
    SOLUTION_TITLE,
    Exercise,
    WebAnswer,
    all_exercises,
)
from tools.normalize_notebooks import exercise_titles  # noqa: E402

BOX = re.compile(r'<form class="answer-box" data-label="([^"]+)"')
NEEDS_CODE = 'class="answer-box-needs-code"'
SPEC = re.compile(r'<script type="application/json" class="answer-box-spec">(.*?)</script>')


def _toc_notebooks() -> dict[str, nbformat.NotebookNode]:
    """{built page: notebook} for every notebook of _toc.yml."""
    return {
        f"{name}.html": nbformat.read(BOOK / f"{name}.ipynb", as_version=4)
        for name in toc_files()
        if (BOOK / f"{name}.ipynb").is_file()
    }


def _page_html(page: str) -> str:
    path = SITE / page
    if not path.is_file():
        pytest.skip(f"no built page {page}: run `make build` first")
    return path.read_text(encoding="utf-8")


PAGES_WITH_EXERCISES = {
    page: list(exercise_titles(notebook)) for page, notebook in _toc_notebooks().items()
}
EXERCISES = all_exercises()
PAGES_WITH_BOXES = [
    page
    for page in book_order()
    if any(
        EXERCISES.get(label) and EXERCISES[label].web
        for label in PAGES_WITH_EXERCISES.get(page, [])
    )
]


def test_the_chapters_have_answer_boxes():
    assert len(PAGES_WITH_BOXES) >= 4


@pytest.mark.parametrize("page", sorted(PAGES_WITH_EXERCISES))
def test_each_exercise_has_its_box_or_says_it_needs_code(page):
    html = _page_html(page)
    labels = PAGES_WITH_EXERCISES[page]
    expected = [label for label in labels if EXERCISES.get(label) and EXERCISES[label].web]
    assert BOX.findall(html) == expected
    assert html.count(NEEDS_CODE) == len(labels) - len(expected)
    assert SOLUTION_TITLE.strip() not in html, "Jupyter's solution label shows in the book"
    for raw in SPEC.findall(html):
        spec = json.loads(raw)
        assert spec == EXERCISES[spec["label"]].web_spec(), "the page and the checker disagree"


def _as_typed(spec: dict, value, *, copied: bool) -> str:
    """`value` as a reader types it; `copied`: in the form a printout shows it."""
    kind = spec["kind"]
    if kind == "number":
        return f"tensor({value!r})" if copied else repr(value)
    if kind == "numbers":
        return f"tensor({value!r})" if copied else ", ".join(map(repr, value))
    if kind == "shape":
        return f"torch.Size({value!r})" if copied else repr(tuple(value))
    if kind == "dtype":
        return f"torch.{value}" if copied else value
    if kind == "expression":
        return f" {value.replace(', ', ',')}  " if copied else value
    return f'  "{value}"  ' if copied else value


def _answer(page, form, spec: dict, value, *, copied: bool = False) -> str:
    """Give `value` to the box by keyboard only; return the verdict's text."""
    if spec["kind"] == "choice":
        radios = form.locator("input[type=radio]")
        radios.first.focus()
        for _ in range(spec["choices"].index(value)):
            page.keyboard.press("ArrowDown")
        if spec["choices"].index(value) == 0:
            page.keyboard.press("Space")
    else:
        field = form.locator("input[type=text]")
        field.focus()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.type(_as_typed(spec, value, copied=copied))
    page.keyboard.press("Enter")
    return form.locator(".answer-box-verdict").inner_text()


def _unexpected(spec: dict):
    kind = spec["kind"]
    if kind == "number":
        return 12345.5
    if kind == "numbers":
        return [12345.5] * len(spec["correct"])
    if kind == "shape":
        return [7, 7, 7, 7, 7]
    return "something else entirely"


@pytest.mark.parametrize("page_name", PAGES_WITH_BOXES)
def test_boxes_check_answers_by_keyboard(browser, site_url, page_name):
    _page_html(page_name)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + page_name, wait_until="load")
    forms = page.locator("form.answer-box")
    assert forms.count() > 0
    for index in range(forms.count()):
        form = forms.nth(index)
        assert form.is_visible(), "the script did not switch the box on"
        spec = json.loads(form.locator("script.answer-box-spec").text_content())
        where = spec["label"]
        slip = spec["slips"][0]
        verdict = _answer(page, form, spec, slip["value"])
        assert verdict.startswith("✗ " + slip["message"]), f"{where}: {verdict!r}"
        assert "Hint: " + spec["hint"] in verdict, f"{where}: {verdict!r}"
        if spec["kind"] != "choice":
            verdict = _answer(page, form, spec, _unexpected(spec))
            # An expression the page does not know may still be right: it sends the reader on.
            opening = "? This page knows only a few" if spec["kind"] == "expression" else "✗"
            assert verdict.startswith(opening) and "Hint: " in verdict, f"{where}: {verdict!r}"
        verdict = _answer(page, form, spec, spec["correct"], copied=True)
        assert verdict.startswith("✓"), f"{where}: {verdict!r}"
    form = forms.first
    form.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = page_name.replace("/", "__")[:-5]
    form.screenshot(path=str(SCREENSHOTS / f"{stem}__answer-box.png"))
    context.close()
    assert not errors, errors


def _is_float64(answer):
    return None if answer == "float64" else f"{answer} is not the dtype of torch.tensor(2.0) * 1.0"


def _is_stack(answer):
    return None if answer == "torch.stack" else "torch.cat joins along a dimension that exists"


SYNTHETIC = [
    Exercise(
        "Pick a function",
        _is_stack,
        "stack adds a dimension",
        label="ex-choice",
        web=WebAnswer(
            kind="choice",
            prompt="which one adds a dimension?",
            correct=lambda: "torch.stack",
            slips=("torch.cat",),
            choices=("torch.cat", "torch.stack", "torch.flatten"),
        ),
    ),
    Exercise(
        "Name a dtype",
        _is_float64,
        "a Python float is a double",
        label="ex-dtype",
        web=WebAnswer(
            kind="dtype",
            prompt="the dtype",
            correct=lambda: "float64",
            slips=("float32",),
        ),
    ),
]


@pytest.mark.parametrize("exercise", SYNTHETIC, ids=lambda exercise: exercise.web.kind)
def test_choice_and_dtype_boxes_by_keyboard(browser, exercise):
    """Kinds no chapter uses yet, on a page of their own with the book's script."""
    from tools.answer_boxes import STATIC, answer_box_html

    spec = exercise.web_spec()
    script = (STATIC / "answer_box.js").read_text(encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content(f"<main>{answer_box_html(spec)}</main><script>{script}</script>")
    form = page.locator("form.answer-box")
    verdict = _answer(page, form, spec, spec["slips"][0]["value"]).splitlines()
    assert [line for line in verdict if line] == [
        f"✗ {spec['slips'][0]['message']}",
        f"Hint: {spec['hint']}",
    ]
    assert _answer(page, form, spec, spec["correct"], copied=True) == "✓ Correct!"
    page.close()
    assert not errors, errors
