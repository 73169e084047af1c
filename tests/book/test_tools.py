"""The book's tools, without a kernel: the notebook normalizer and the Sphinx tweaks."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools.book_sphinx import _dollar_math_to_role, _skip_foreign_members  # noqa: E402
from tools.normalize_notebooks import WIDGET_VIEW, dumps, normalize  # noqa: E402


def messy_notebook():
    notebook = new_notebook()
    notebook.metadata = {
        "kernelspec": {"name": "python3-custom", "display_name": "Py", "language": "python"},
        "language_info": {"name": "python", "version": "3.10.2"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {}}}},
        "vscode": {"interpreter": {}},
        "mystnb": {"execution_mode": "force"},
    }
    explorer = new_output(
        "display_data",
        data={
            WIDGET_VIEW: {"model_id": "7f3a", "version_major": 2, "version_minor": 0},
            "text/html": "<div>static</div>",
            "text/plain": "explorer",
        },
    )
    notebook.cells = [
        new_markdown_cell("# 1. Title", metadata={"collapsed": True}),
        new_code_cell(
            "print('a'); print('b')",
            execution_count=7,
            metadata={"execution": {"iopub.status.busy": "2026"}, "tags": ["keep"]},
            outputs=[
                new_output("stream", name="stdout", text="a\n"),
                new_output("stream", name="stdout", text="b\n"),
            ],
        ),
        new_code_cell("explorer", execution_count=9, outputs=[explorer]),
    ]
    return notebook


def test_normalize_keeps_what_matters_and_drops_the_volatile():
    notebook = normalize(messy_notebook())
    assert notebook.metadata.kernelspec.name == "python3"
    # JupyterLab writes the kernel's language_info on opening: the same one keeps it unmodified.
    assert notebook.metadata.language_info.version == platform.python_version()
    assert set(notebook.metadata) == {"kernelspec", "language_info", "mystnb"}
    markdown, printing, explorer = notebook.cells
    assert "collapsed" not in markdown.metadata
    assert printing.metadata == {"tags": ["keep"]}
    assert [o.text for o in printing.outputs] == ["a\nb\n"], "consecutive streams are merged"
    assert [printing.execution_count, explorer.execution_count] == [1, 2]
    assert set(explorer.outputs[0].data) == {"text/html", "text/plain"}
    nbformat.validate(notebook)


def test_normalize_is_idempotent_and_serializes_stably():
    once = normalize(messy_notebook())
    assert dumps(normalize(once)) == dumps(once)
    assert dumps(once).endswith("}\n")


def test_a_bare_widget_view_is_kept():
    """A display with nothing but the widget view keeps it: dropping it would lose the output."""
    notebook = messy_notebook()
    notebook.cells[2].outputs[0].data = {WIDGET_VIEW: {"model_id": "x"}}
    assert WIDGET_VIEW in normalize(notebook).cells[2].outputs[0].data


def test_docstring_dollar_maths_becomes_a_math_role():
    lines = [r"$\frac{\partial}{\partial a} \frac{a}{b} = \frac{1}{b}, \quad", r"\frac{a}{b^2}$"]
    _dollar_math_to_role(None, "class", "Div", None, {}, lines)
    assert lines[0].startswith(r":math:`\frac{\partial}")
    assert lines[-1].endswith("`")
    no_maths = ["Returns a tensor."]
    _dollar_math_to_role(None, "function", "f", None, {}, no_maths)
    assert no_maths == ["Returns a tensor."]


def test_only_autograd_mini_members_are_documented():
    import numpy as np

    import autograd_mini

    assert _skip_foreign_members(None, "class", "reduce", np.max, False, {}) is True
    assert _skip_foreign_members(None, "module", "tensor", autograd_mini.tensor, False, {}) is None


def exercise_notebook():
    notebook = new_notebook()
    notebook.cells = [
        new_markdown_cell(
            "````{exercise} Another function\n:label: ex-1-4\n\nFind the slope.\n````"
        ),
        new_code_cell("answer = ...  # your code here\nEXERCISE_1_4.check(answer)"),
        new_markdown_cell("```{solution-start} ex-1-4\n:class: dropdown\n```"),
        new_code_cell(
            'answer = x.grad\nprint("answer", answer)  # the answer\n'
            "EXERCISE_1_4.check_solution(answer)",
            metadata={"jupyter": {"source_hidden": False}, "tags": ["keep"]},
        ),
        new_markdown_cell("```{solution-end}\n```"),
        new_code_cell("answer_key = 3"),
    ]
    return notebook


def test_solutions_are_collapsed_labelled_and_never_overwrite_the_readers_answer():
    reader, _, solution = normalize(exercise_notebook()).cells[1:4]
    assert reader.source == "answer = ...  # your code here\nEXERCISE_1_4.check(answer)"
    assert reader.metadata == {}
    assert solution.source == (
        "# @title Solution: Another function\n"
        'solution = x.grad\nprint("answer", solution)  # the answer\n'
        "EXERCISE_1_4.check_solution(solution)"
    )
    assert solution.metadata == {
        "jupyter": {"source_hidden": True, "outputs_hidden": True},
        "cellView": "form",
        "tags": ["keep"],
    }


def test_marking_solutions_is_idempotent_and_leaves_cells_after_the_solution_alone():
    once = normalize(exercise_notebook())
    assert dumps(normalize(once)) == dumps(once)
    assert once.cells[-1].source == "answer_key = 3"
    assert once.cells[-1].metadata == {}


def test_an_answer_box_is_a_labelled_form_with_its_spec_safe_inside_a_script():
    import json

    from tools.answer_boxes import answer_box_html

    spec = {
        "label": "ex-9-1",
        "kind": "printout",
        "prompt": "what <b> prints",
        "choices": [],
        "correct": "</script><script>alert(1)</script>",
        "slips": [],
        "hint": "look",
    }
    box = answer_box_html(spec)
    assert '<label for="answer-box-ex-9-1">Your answer: what &lt;b&gt; prints</label>' in box
    assert '<input type="text" id="answer-box-ex-9-1"' in box
    assert box.count("</script>") == 1, "the spec must not close its script element"
    embedded = box.split('class="answer-box-spec">')[1].removesuffix("</script></form>")
    assert json.loads(embedded) == spec


def test_a_choice_box_is_a_fieldset_of_radio_buttons():
    from tools.answer_boxes import answer_box_html

    spec = {"label": "ex-9-2", "kind": "choice", "prompt": "which", "choices": ["a", "b"]}
    box = answer_box_html(spec | {"correct": "a", "slips": [], "hint": ""})
    assert "<fieldset><legend>Your answer: which</legend>" in box
    assert box.count('type="radio" name="answer-box-ex-9-2"') == 2


def test_a_solution_that_checks_another_name_gets_it_renamed_too():
    notebook = exercise_notebook()
    notebook.cells[3].source = (
        "centred = scores - scores.mean(dim=1, keepdim=True)\n"
        "EXERCISE_3_3.check_solution(centred)\n"
        "stacked, joined = torch.stack(pieces), torch.cat(pieces)\n"
        "EXERCISE_3_7.check_solution((stacked, joined))"
    )
    once = normalize(notebook)
    assert once.cells[3].source == (
        "# @title Solution: Another function\n"
        "solution = scores - scores.mean(dim=1, keepdim=True)\n"
        "EXERCISE_3_3.check_solution(solution)\n"
        "solution_stacked, solution_joined = torch.stack(pieces), torch.cat(pieces)\n"
        "EXERCISE_3_7.check_solution((solution_stacked, solution_joined))"
    )
    assert dumps(normalize(once)) == dumps(once)


def test_make_lab_and_binder_share_the_settings_that_silence_the_news_pop_up():
    import json

    overrides = json.loads((ROOT / "tools" / "jupyterlab" / "overrides.json").read_text())
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}
    makefile = (ROOT / "Makefile").read_text()
    assert "--LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab" in makefile
    assert "tools/jupyterlab/overrides.json" in (ROOT / "binder" / "postBuild").read_text()
    for requirements in ("requirements.txt", "binder/requirements.txt"):
        assert "jupyterlab-myst==" in (ROOT / requirements).read_text(), requirements
