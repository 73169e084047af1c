"""Answer boxes on the static book page: try an exercise with no Python running.

A Sphinx extension (loaded from _config.yml, ``sphinx.local_extensions``). For every exercise
directive (sphinx-exercise) whose label names an `Exercise` of ``autograd_mini.course`` with a web
spec (`WebAnswer`), it places an answer box at the end of the exercise: a labelled text field (or
radio buttons for a choice) and a Check button, checked in the browser by
``answer_boxes_static/answer_box.js``. What the box knows, the right answer and the message for each
typical slip, is `Exercise.web_spec()`, worked out in Python by the checker itself when the book is
built, and written into the page as JSON; nothing is loaded from anywhere else. An exercise whose
answer is code gets a note instead, pointing to the launch buttons.

It also drops the first line of each solution cell, ``# @title Solution: ...``: that label is for
Jupyter and Colab, where the cell is collapsed (see tools/normalize_notebooks.py); in the book the
solution's dropdown already carries the title.

A web spec whose right answer fails its own checker raises `ReferenceSolutionError`: the book does
not build.

jupyterquiz was considered first. It draws a quiz from the output of a code cell (``display_quiz``),
so every quiz would add a cell and a stored output to the notebooks, where an untrusted JupyterLab
does not run its script; its answer types (numeric, multiple and many choice) have no shapes,
dtypes, printouts or lines of code read the way the checkers read them. Here the box lives in the
page only, under the exercise it belongs to, and the notebook keeps its checker.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from docutils import nodes

from autograd_mini.course.exercises import SOLUTION_TITLE

STATIC = Path(__file__).resolve().parent / "answer_boxes_static"

NEEDS_CODE = (
    '<p class="answer-box-needs-code">This exercise needs code. Run it in Jupyter: open this page '
    "on Binder or Colab with the launch button (the rocket) at the top of the page, or on your own "
    "computer with <code>make lab</code>.</p>"
)

INPUT_HELP = {
    "number": "one number, such as -2.5",
    "numbers": "numbers in order, separated by commas",
    "shape": "whole numbers in order, such as (2, 3)",
    "dtype": "a dtype name, such as float64",
    "printout": "the text exactly as printed",
    "expression": "one line of Python",
}


@cache
def _specs() -> dict[str, dict]:
    from autograd_mini.course.exercises import all_exercises  # imports every exercise module

    return {label: exercise.web_spec() for label, exercise in all_exercises().items()}


def _script_json(spec: dict) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


def answer_box_html(spec: dict) -> str:
    """The box of one exercise: a form the script turns on (it stays hidden without JavaScript)."""
    label = html.escape(spec["label"])
    prompt = html.escape(spec["prompt"])
    field_id = f"answer-box-{label}"
    if spec["kind"] == "choice":
        options = "".join(
            f'<label class="answer-box-choice"><input type="radio" name="{field_id}" '
            f'value="{html.escape(choice)}"> {html.escape(choice)}</label>'
            for choice in spec["choices"]
        )
        field = f"<fieldset><legend>Your answer: {prompt}</legend>{options}</fieldset>"
    else:
        help_id = f"{field_id}-help"
        field = (
            f'<label for="{field_id}">Your answer: {prompt}</label> '
            f'<span class="answer-box-help" id="{help_id}">'
            f"({html.escape(INPUT_HELP[spec['kind']])})</span>"
            f'<input type="text" id="{field_id}" name="{field_id}" autocomplete="off" '
            f'spellcheck="false" aria-describedby="{help_id}">'
        )
    return (
        f'<form class="answer-box" data-label="{label}" hidden>'
        '<p class="answer-box-heading">Check your answer on this page</p>'
        f"{field}"
        '<button type="submit">Check</button>'
        '<div class="answer-box-verdict" role="status" aria-live="polite"></div>'
        f'<script type="application/json" class="answer-box-spec">{_script_json(spec)}</script>'
        "</form>"
    )


def _is_exercise(node) -> bool:
    from sphinx_exercise.nodes import exercise_enumerable_node, exercise_node

    return isinstance(node, exercise_node | exercise_enumerable_node)


def _add_boxes(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    for exercise in list(doctree.findall(_is_exercise)):
        spec = _specs().get(exercise.get("label"))
        markup = answer_box_html(spec) if spec else NEEDS_CODE
        exercise += nodes.raw("", markup, format="html")


def _is_labelled_solution(node) -> bool:
    return isinstance(node, nodes.literal_block) and node.astext().startswith(SOLUTION_TITLE)


def _drop_solution_labels(app, doctree, docname) -> None:
    for block in list(doctree.findall(_is_labelled_solution)):
        code = block.astext().partition("\n")[2]
        block.children = []
        block += nodes.Text(code)
        block.rawsource = code


def _static_files(app) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("builder-inited", _static_files)
    app.connect("doctree-resolved", _add_boxes)
    app.connect("doctree-resolved", _drop_solution_labels)
    app.add_js_file("answer_box.js", loading_method="defer")
    app.add_css_file("answer_box.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
