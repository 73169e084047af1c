"""The build-your-own-autograd checkers: they pass the book's solutions and catch typical bugs.

The reference engine is read from the solution cells of chapters/04-3-build-your-own-autograd.ipynb
(the code a reader sees), so the book and these tests cannot drift apart. Each wrong engine is that
code with one typical mistake written in; the checker must reject it with the hint that names the
mistake.
"""

import re
from pathlib import Path

import nbformat
import pytest

from autograd_mini.course import exercises_ch4_build
from autograd_mini.course.exercises_ch4_build import (
    BYO_BUG,
    BYO_EXP,
    BYO_PREDICT,
    STEP_1,
    STEP_2,
    STEP_3,
    STEP_4,
    STEP_5,
    STEP_6,
)

NOTEBOOK = Path(__file__).resolve().parents[2] / "chapters" / "04-3-build-your-own-autograd.ipynb"
CHECK_CALL = re.compile(r"^\s*\w+\.check_solution\(solution\)\s*$", re.MULTILINE)


def _cells() -> list[nbformat.NotebookNode]:
    return nbformat.read(NOTEBOOK, as_version=4).cells


def _solution_sources() -> dict[str, str]:
    """Label -> the code cell after its `{solution-start}`, without the check_solution line."""
    cells = _cells()
    sources = {}
    for index, cell in enumerate(cells):
        start = re.match(r"```\{solution-start\} (\S+)", cell.source)
        if cell.cell_type == "markdown" and start:
            code = cells[index + 1]
            assert code.cell_type == "code"
            sources[start.group(1)] = CHECK_CALL.sub("", code.source)
    return sources


def _scaffold_sources() -> list[str]:
    """The reader's cells: the last code cell before each `STEP_n.check(...)` cell."""
    sources, previous = [], None
    for cell in _cells():
        if cell.cell_type != "code":
            continue
        if re.fullmatch(r"STEP_\d\.check\(\w+\)", cell.source):
            sources.append(previous)
        previous = cell.source
    return sources


ALL_SOLUTIONS = _solution_sources()
SOLUTIONS = [ALL_SOLUTIONS[f"byo-step-{number}"] for number in range(1, 7)]  # the engine
PRELUDE = "import math\n\nimport numpy as np\n"
EXTRAS = ["byo-bug", "byo-exp", "byo-predict"]


def engine(*replacements: tuple[str, str]) -> dict:
    """Run the book's solution cells, with each (old, new) text replaced once, in a namespace."""
    source = "\n\n".join(SOLUTIONS)
    for old, new in replacements:
        assert source.count(old) >= 1, f"the solutions no longer contain {old!r}"
        source = source.replace(old, new)
    namespace: dict = {}
    exec(compile(PRELUDE + source, "<book solutions>", "exec"), namespace)
    return namespace


def problem(step, answer) -> str | None:
    return step._problem(answer)


def test_the_page_has_six_steps_each_with_a_solution():
    assert sorted(ALL_SOLUTIONS) == sorted([f"byo-step-{n}" for n in range(1, 7)] + EXTRAS)
    assert len(_scaffold_sources()) == 6


def test_the_reference_engine_passes_every_step():
    reference = engine()
    answers = ["Value", "chain_rule", "topological_order", "send_gradients", "backward", "Tensor"]
    for step, name in zip([STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6], answers, strict=True):
        assert problem(step, reference[name]) is None, name


def test_the_reference_engine_fits_in_sixty_lines():
    """The issue's promise: a working engine in at most 60 lines of the reader's own code."""
    lines = []
    for source in SOLUTIONS:
        for line in source.splitlines():
            stripped = line.strip()
            if not stripped or stripped.startswith("#") or stripped.startswith('"""'):
                continue
            if stripped.startswith("solution = "):
                continue
            lines.append(stripped)
    assert len(lines) <= 60, len(lines)


def test_the_scaffolds_say_not_done_yet_instead_of_failing():
    """Each scaffold, run as the reader first finds it, gets the friendly "not done yet" verdict."""
    namespace: dict = {}
    exec(PRELUDE, namespace)
    steps = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6]
    names = ["Value", "chain_rule", "topological_order", "send_gradients", "backward", "Tensor"]
    for scaffold, solution, step, name in zip(
        _scaffold_sources(), SOLUTIONS, steps, names, strict=True
    ):
        exec(scaffold, namespace)
        found = problem(step, namespace[name])
        assert found is not None and found.startswith("not done yet"), (name, found)
        exec(solution, namespace)  # the page continues with the reference solution


# --- Wrong engines: one typical mistake each ------------------------------------------------------

WRONG_ORDER_BREADTH_FIRST = """
def topological_order(root):
    order, queue = [], [root]
    while queue:
        value = queue.pop(0)
        if value not in order:
            order.append(value)
            queue.extend(value.inputs)
    return order
"""

WRONG_ORDER_RECURSIVE = """
def topological_order(root):
    order, visited = [], set()

    def visit(value):
        if value not in visited:
            visited.add(value)
            for input_value in value.inputs:
                visit(input_value)
            order.append(value)

    visit(root)
    return order[::-1]
"""

WRONG_ORDER_LEAVES_FIRST = """
def topological_order(root):
    order, ready = _reference_order(root), None
    return order[::-1]
"""

WRONG_ORDER_DUPLICATES = """
def topological_order(root):
    order, stack = [], [root]
    while stack:
        value = stack.pop()
        order.append(value)
        stack.extend(value.inputs)
    return order
"""


def _replace_function(name: str, new_source: str) -> tuple[str, str]:
    """A replacement pair swapping the whole solution of function `name` for `new_source`."""
    source = next(s for s in SOLUTIONS if f"def {name}(" in s)
    start = source.index(f"def {name}(")
    end = source.index("\n\n\n", start) if "\n\n\n" in source[start:] else len(source)
    return source[start:end], new_source.strip()


def test_forgetting_the_incoming_gradient_is_named():
    wrong = engine(("local_grad * node.grad for", "local_grad for"))
    found = problem(STEP_2, wrong["chain_rule"])
    assert "you forgot to multiply by the incoming gradient" in found


def test_adding_instead_of_multiplying_is_named():
    wrong = engine(("local_grad * node.grad for", "local_grad + node.grad for"))
    assert "multiply instead" in problem(STEP_2, wrong["chain_rule"])


def test_no_accumulation_is_named():
    wrong = engine(("input_value.grad += gradient", "input_value.grad = gradient"))
    found = problem(STEP_4, wrong["send_gradients"])
    assert "x is used twice but its gradient counts only one path: accumulate with +=" in found
    # the whole engine built on it fails step 5 with the same diagnosis
    assert "accumulate with +=" in problem(STEP_5, wrong["backward"])


def test_a_breadth_first_order_is_named():
    wrong = engine(_replace_function("topological_order", WRONG_ORDER_BREADTH_FIRST))
    found = problem(STEP_3, wrong["topological_order"])
    assert "before all its users" in found and "sort topologically" in found
    assert "backward must walk" in problem(STEP_5, wrong["backward"])


def test_a_recursive_order_is_named():
    wrong = engine(_replace_function("topological_order", WRONG_ORDER_RECURSIVE))
    found = problem(STEP_3, wrong["topological_order"])
    assert "recursed too deeply" in found
    assert "recursed too deeply" in problem(STEP_5, wrong["backward"])


def test_an_order_from_the_leaves_is_named():
    wrong = engine(_replace_function("topological_order", WRONG_ORDER_LEAVES_FIRST))
    wrong["_reference_order"] = exercises_ch4_build._reference_order
    assert "ends at the root" in problem(STEP_3, wrong["topological_order"])


def test_an_order_with_repeats_is_named():
    wrong = engine(_replace_function("topological_order", WRONG_ORDER_DUPLICATES))
    assert "appears 2 times" in problem(STEP_3, wrong["topological_order"])


@pytest.mark.parametrize("start", ["0.0", "root.data", "2.0"])
def test_a_root_gradient_other_than_one_is_named(start):
    wrong = engine(("root.grad = 1.0", f"root.grad = {start}"))
    assert "start with root.grad = 1" in problem(STEP_5, wrong["backward"])


def test_backward_in_arbitrary_order_is_named():
    wrong = engine(("for value in topological_order(root):", "for value in [root]:"))
    assert "backward must walk topological_order(root)" in problem(STEP_5, wrong["backward"])


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("(other.data, self.data))", "(self.data, other.data))", "b.data"),
        ("(n * self.data ** (n - 1),)", "(n * self.data**n,)", "power rule"),
        ("(math.cos(self.data),)", "(-math.cos(self.data),)", "cosine"),
        ("(1 / number,)", "(number,)", "1 / c"),
        ("(self.data / number", "(self.data * number", "holds data"),
        ("(self, other), (other.data", "(other, self), (other.data", ".inputs should be (a, b)"),
    ],
)
def test_wrong_local_derivatives_are_named(old, new, hint):
    wrong = engine((old, new))
    assert hint in problem(STEP_1, wrong["Value"])


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("(lambda g: g * np.ones_like(self.data),)", "(lambda g: g,)", "has shape []"),
        ("lambda g: g @ other.data.T,", "lambda g: g @ other.data,", "shapes do not fit"),
        ("lambda g: self.data.T @ g)", "lambda g: g @ self.data.T)", "m.data.T @ g"),
        ("(lambda g: g * other.data, lambda", "(lambda g: other.data, lambda", "g * b.data"),
    ],
)
def test_wrong_tensor_rules_are_named(old, new, hint):
    wrong = engine((old, new))
    assert hint in problem(STEP_6, wrong["Tensor"])


def test_replacing_instead_of_adding_tensor_gradients_is_caught():
    wrong = engine(("input_value.grad += gradient", "input_value.grad = gradient"))
    assert "differs from torch" in problem(STEP_6, wrong["Tensor"])


def test_answers_of_the_wrong_kind_get_a_sentence():
    assert "pass the class itself" in problem(STEP_1, 3.0)
    assert "pass the function itself" in problem(STEP_3, "order")
    assert problem(STEP_5, ...).startswith("not answered yet")


def test_the_article_examples_agree_on_the_reference_engine(capsys):
    assert exercises_ch4_build.compare_article_examples(engine()["Value"])
    printed = capsys.readouterr().out
    assert "agree on all three examples" in printed
    for number in ["81.0000", "18.0000", "-0.7158", "-0.2469", "76.0000", "8.0000", "50.0000"]:
        assert number in printed


@pytest.mark.parametrize(
    ("old", "new", "diagnosis"),
    [
        ("input_value.grad += gradient", "input_value.grad = gradient", "accumulate with +="),
        ("local_grad * node.grad for", "local_grad for", "forgot to multiply"),
        ("root.grad = 1.0", "root.grad = 0.0", "start with root.grad = 1"),
        ("(math.cos(self.data),)", "(math.sin(self.data),)", "Step 1 says"),
        ("input_value.grad += gradient", "input_value.grad += gradient.missing", "Step 5 says"),
    ],
)
def test_the_article_examples_show_a_wrong_engine_and_the_step_to_fix(capsys, old, new, diagnosis):
    wrong = engine((old, new))
    assert not exercises_ch4_build.compare_article_examples(wrong["Value"])
    printed = capsys.readouterr().out
    assert "✗" in printed and diagnosis in printed


# --- The two extra exercises ----------------------------------------------------------------------


def test_the_extra_solutions_pass():
    namespace = engine()
    for label in EXTRAS:
        exec(ALL_SOLUTIONS[label], namespace)
    assert problem(BYO_EXP, namespace["Value"]) is None
    assert problem(BYO_PREDICT, namespace["solution"]) is None
    exec(ALL_SOLUTIONS["byo-bug"], namespace)
    assert problem(BYO_BUG, namespace["solution"]) is None


@pytest.mark.parametrize(
    ("exp_source", "hint"),
    [
        ("return Value(math.exp(value.data), (value,), (value.data,))", "its own slope"),
        ("return Value(math.exp(value.data), (), (math.exp(value.data),))", "one input"),
        ("return Value(value.data, (value,), (math.exp(value.data),))", "e to the power"),
        ("return ...", "not done yet"),
    ],
)
def test_a_wrong_exp_is_named(exp_source, hint):
    namespace = engine()
    exec(f"def exp(value):\n    {exp_source}\n\n\nValue.exp = exp\n", namespace)
    assert hint in problem(BYO_EXP, namespace["Value"])


def test_the_predicted_gradient_names_the_missing_path():
    assert "x * x adds two more paths" in problem(BYO_PREDICT, 4.0)
    assert "comes only through x * x" in problem(BYO_PREDICT, 8.0)
    assert "three paths add up" in problem(BYO_PREDICT, 6.0)
    assert "the number you predict" in problem(BYO_PREDICT, "12")


def test_the_prediction_has_an_answer_box_built_from_torch():
    spec = BYO_PREDICT.web_spec()
    assert spec["label"] == "byo-predict"
    assert [slip["message"] for slip in spec["slips"]]


def test_naming_the_bug_runs_each_bug_and_reports_what_it_would_print():
    assert "prints x.grad = 4 here" in problem(BYO_BUG, "forgot to multiply by node.grad")
    assert "prints x.grad = 0 here" in problem(BYO_BUG, "started with root.grad = 0")
    assert "copied exactly" in problem(BYO_BUG, "= instead of +=")
    spec = BYO_BUG.web_spec()
    assert spec["correct"] == "wrote = instead of +=" and len(spec["slips"]) == 2


# --- The picture of the reader's graph ------------------------------------------------------------


def test_the_graph_picture_has_a_box_per_value_and_an_arrow_per_input():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from autograd_mini.course.value_graph_pictures import draw_value_graph

    Value = engine()["Value"]
    x = Value(3.0)
    half = x / 2
    y = half + half * half  # five arrows: x -> half, half -> product twice, half and product -> y
    y.backward()
    order = engine()["topological_order"](y)
    figure = draw_value_graph(y, {x: "x", y: "y"}, gradients=True, order=order).figure
    axis = figure.axes[0]
    boxes = [patch for patch in axis.patches if isinstance(patch, FancyBboxPatch)]
    texts = [text.get_text() for text in axis.texts]
    plt.close(figure)
    assert len(boxes) == 4
    assert sum(text.startswith("×") for text in texts) == 5
    assert "x\ndata 3\ngrad 2" in texts  # dy/dx = 1/2 + 2 * (x/2) * 1/2 = 2 at x = 3
    assert "y\ndata 3.75\ngrad 1" in texts
    assert sorted(text for text in texts if text.isdigit()) == ["1", "2", "3", "4"]


# --- The real engine, as the page quotes it -------------------------------------------------------


def test_the_names_the_page_pairs_with_the_readers_engine_are_in_the_quoted_code():
    """The page's table pairs the reader's names with names in run_backward and Function.apply."""
    import inspect

    from autograd_mini import Function
    from autograd_mini.engine import run_backward

    loop, apply = inspect.getsource(run_backward), inspect.getsource(Function.apply)
    for name in ["dependencies", "_count_dependencies", "ready", "visit(node", "totals[next_node]"]:
        assert name in loop, name
    assert "grad_fn" in apply and "next_nodes" in apply
    table = next(
        cell.source for cell in _cells() if cell.source.startswith("Read it next to yours.")
    )
    for name in ["dependencies", "_count_dependencies", "ready", "visit(node, ...)", "totals"]:
        assert name in table, name
