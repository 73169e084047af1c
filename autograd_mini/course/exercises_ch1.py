"""Exercises of chapter 1 (course introduction), each with a checker that works out its own answer.

Every checker computes the expected result independently, with torch or with plain arithmetic, and
returns None for a right answer or one sentence saying what is wrong. The notebook shows the reader
`EXERCISE_1_1.check(answer)`; the hidden solutions call `check_solution`.
Each title is the heading of its exercise in the notebook (the book numbers the exercises).
"""

import math

import torch

from autograd_mini.course.exercises import Exercise, WebAnswer, normalized_printout


def _lines(*parts: str) -> str:
    """A hint over several lines, each continuation lined up under the first (after "  Hint: ")."""
    return "\n        ".join(parts)


def _printout(value) -> str:
    """What `print(value)` shows, with torch's module name read as ours."""
    return repr(value).replace("torch.", "autograd_mini.")


def _torch_slope(function, at: float) -> torch.Tensor:
    """The derivative of `function` at `at`, worked out by torch's autograd."""
    x = torch.tensor(float(at), requires_grad=True)
    function(x).backward()
    return x.grad


def _check_gradient_tensor(answer, function, at: float, name: str) -> str | None:
    """A gradient tensor of any floating-point dtype holding the slope torch works out."""
    if not hasattr(answer, "item"):
        return f"expected a tensor such as x.grad, got a value of type {type(answer).__name__}"
    if getattr(answer, "requires_grad", False) or getattr(answer, "grad_fn", None):
        return f"{_printout(answer)} is the value of {name}, not its slope: look at x.grad"
    if not getattr(answer, "dtype", torch.float32).is_floating_point:
        return f"{_printout(answer)} has a whole-number dtype; a gradient is a float tensor"
    if tuple(answer.shape) != ():
        return f"expected a one-number tensor, got one of shape {tuple(answer.shape)}"
    expected = _torch_slope(function, at).item()
    if not math.isclose(answer.item(), expected, rel_tol=1e-6, abs_tol=1e-6):
        return f"{_printout(answer)} is not the slope of {name} at x = {at:g}"
    return None


def _slope_of_square_at_minus_four(answer) -> str | None:
    return _check_gradient_tensor(answer, lambda x: x**2, -4.0, "x²")


EXERCISE_1_1 = Exercise(
    "The taste at another point",
    _slope_of_square_at_minus_four,
    _lines(
        "x = am.tensor(-4.0, requires_grad=True), then y = x**2,",
        "then y.backward(); hand in x.grad.",
    ),
    label="ex-1-1",
    web=WebAnswer(
        kind="number",
        prompt="x.grad, the slope of x² at x = -4",
        correct=lambda: _torch_slope(lambda x: x**2, -4.0).item(),
        slips=(8.0, 16.0),
        as_answer=torch.tensor,
    ),
)


def _printout_of_square_at_three(answer) -> str | None:
    if not isinstance(answer, str):
        return f"expected the printout in quotes (a string), not {answer!r}"
    expected = normalized_printout(repr(torch.tensor(3.0, requires_grad=True) ** 2))
    given = normalized_printout(answer)
    if given == expected:
        return None
    if "grad_fn" not in given:
        return "the result of an operation on a tensor that requires grad remembers how it was made"
    if "9." not in given:
        return "look again at the number: 3 squared, printed the way torch prints a whole float"
    return f"close, but the printout is not exactly {given!r}: check every character"


EXERCISE_1_2 = Exercise(
    "Predict a printout",
    _printout_of_square_at_three,
    _lines("copy the printout of x**2 at 9 from the first taste,", "then change the number."),
    label="ex-1-2",
    web=WebAnswer(
        kind="printout",
        prompt="what print(x**2) shows",
        correct=lambda: repr(torch.tensor(3.0, requires_grad=True) ** 2),
        slips=(
            "tensor(9.)",
            "tensor(6., grad_fn=<PowBackward0>)",
            "tensor(9.0, grad_fn=<PowBackward0>)",
        ),
    ),
)


def _central_difference_at_nine(answer) -> str | None:
    if getattr(answer, "dtype", None) in (torch.float32, torch.float16, torch.bfloat16):
        return (
            f"{answer.dtype} rounds too coarsely for a step of 0.001 (it keeps about 7 digits): "
            "compute with plain Python numbers"
        )
    if hasattr(answer, "item"):
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return f"expected a number, got a value of type {type(answer).__name__}"
    exact = _torch_slope(lambda x: x**2, 9.0).item()
    step = 0.001
    forward = ((9 + step) ** 2 - 9**2) / step
    if math.isclose(answer, forward, rel_tol=0, abs_tol=1e-9):
        return (
            f"{answer:g} is the forward difference (f(9 + h) - f(9)) / h; "
            "the central one looks both ways"
        )
    if answer == exact:
        return (
            f"{answer:g} is the exact slope, from the rule 2x; the exercise asks what the central "
            "difference gives: compute it, and see how close to the exact slope it lands"
        )
    if not math.isclose(answer, exact, rel_tol=0, abs_tol=1e-6):
        return f"{answer:g} is not within 0.000001 of the true slope"
    return None


EXERCISE_1_3 = Exercise(
    "A slope by hand",
    _central_difference_at_nine,
    _lines("with h = 0.001 and f(x) = x ** 2,", "compute (f(9 + h) - f(9 - h)) / (2 * h)."),
    label="ex-1-3",
)


def _slope_of_cube_at_two(answer) -> str | None:
    return _check_gradient_tensor(answer, lambda x: x**3, 2.0, "x³")


EXERCISE_1_4 = Exercise(
    "Another function",
    _slope_of_cube_at_two,
    "the steps of the taste, with x**3 instead of x**2 and x = 2.",
    label="ex-1-4",
    web=WebAnswer(
        kind="number",
        prompt="x.grad, the slope of x³ at x = 2",
        correct=lambda: _torch_slope(lambda x: x**3, 2.0).item(),
        slips=(8.0, 4.0),
        as_answer=torch.tensor,
    ),
)


def _table_of_slopes(answer) -> str | None:
    if not isinstance(answer, list | tuple):
        return f"expected a list of five numbers, got a value of type {type(answer).__name__}"
    if len(answer) != 5:
        return f"expected five slopes (at x = 0, 1, 2, 3, 4), got {len(answer)}"
    if not all(isinstance(item, int | float) for item in answer):
        return (
            "expected plain Python numbers: turn each one-number tensor into a float with .item()"
        )
    for at, given in enumerate(answer):
        expected = _torch_slope(lambda x: x**2, float(at)).item()
        if not math.isclose(given, expected, abs_tol=1e-6):
            return f"the slope at x = {at} should not be {given:g}"
    return None


EXERCISE_1_5 = Exercise(
    "A table of slopes",
    _table_of_slopes,
    _lines(
        "for each value 0.0, 1.0, ..., 4.0: make a fresh tensor with",
        "requires_grad=True, square it, call backward(), and append",
        "x.grad.item() to the list.",
    ),
    label="ex-1-5",
    web=WebAnswer(
        kind="numbers",
        prompt="the five slopes, in order",
        correct=lambda: [_torch_slope(lambda x: x**2, at).item() for at in range(5)],
        slips=([0.0, 1.0, 4.0, 9.0, 16.0], [0.0, 2.0, 6.0, 12.0, 20.0]),
        as_answer=list,
    ),
)


def _chain_rule_slopes() -> tuple[float, float, float]:
    """For u = 2x + 1 and y = u² at x = 1: du/dx, dy/du at u = 3, and dy/dx, each from torch."""
    inner = _torch_slope(lambda x: 2 * x + 1, 1.0).item()
    outer = _torch_slope(lambda u: u**2, 2 * 1.0 + 1).item()
    whole = _torch_slope(lambda x: (2 * x + 1) ** 2, 1.0).item()
    return inner, outer, whole


def _slope_along_a_chain(answer) -> str | None:
    if hasattr(answer, "item") and getattr(answer, "ndim", None) == 0:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return f"expected a number, got a value of type {type(answer).__name__}"
    inner, outer, whole = _chain_rule_slopes()
    value_of_y = (2 * 1.0 + 1) ** 2

    def near(value):
        return math.isclose(answer, value, rel_tol=1e-6, abs_tol=1e-6)

    if near(whole):
        return None
    if near(inner):
        return f"{answer:g} is du/dx alone, the first step's slope: multiply it by dy/du"
    if near(outer):
        return f"{answer:g} is dy/du alone, the second step's slope: multiply it by du/dx"
    if near(inner + outer):
        return f"{answer:g} is du/dx + dy/du: along a chain the slopes multiply, they do not add"
    if near(value_of_y):
        return f"{answer:g} is the value of y at x = 1, not its slope"
    return f"{answer:g} is not dy/dx at x = 1"


EXERCISE_1_6 = Exercise(
    "Slopes along a chain",
    _slope_along_a_chain,
    _lines(
        "at x = 1, u = 2x + 1 = 3. Nudging x moves u twice as far (du/dx),",
        "and y = u**2 at u = 3 has slope dy/du = 2u; multiply the two.",
    ),
    label="ex-1-6",
    web=WebAnswer(
        kind="number",
        prompt="dy/dx at x = 1",
        correct=lambda: _chain_rule_slopes()[2],
        slips=(2.0, 6.0, 8.0, 9.0),
    ),
)
