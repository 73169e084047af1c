"""Exercises for chapter 4. Each checker works the answer out again, with torch or maths.

Answers may be torch tensors, autograd_mini tensors or plain numbers, unless a task says otherwise.
"""

import math

import numpy as np
import torch

from autograd_mini.course.exercises import Exercise, WebAnswer, evaluated_with


def _is_tensor(answer) -> bool:
    return hasattr(answer, "requires_grad") and hasattr(answer, "detach")


def _values(answer) -> np.ndarray:
    """The numbers in a tensor of either library, a number, or a list/tuple of them, in float64."""
    if isinstance(answer, tuple | list):
        return np.array([_values(item) for item in answer], dtype=np.float64)
    if _is_tensor(answer):
        answer = answer.detach().numpy()
    return np.asarray(answer, dtype=np.float64)


def _compare(answer, expected, what: str, rtol: float = 1e-5, atol: float = 1e-6) -> str | None:
    got, want = _values(answer), _values(expected)
    if got.shape != want.shape:
        return f"{what} should have shape {list(want.shape)}, yours has shape {list(got.shape)}"
    if not np.allclose(got, want, rtol=rtol, atol=atol):
        return f"{what} is not right yet (yours: {np.round(got, 4).tolist()})"
    return None


def _named_slip(answer, slips, rtol: float = 1e-3) -> str | None:
    """The message of the first (value, message) of `slips` that `answer` matches, if any."""
    for value, message in slips:
        if _compare(answer, value, "", rtol=rtol) is None:
            return message
    return None


_NOT_YET = "not answered yet: replace the ... with your code and run the cell again"


def _leaf(value, dtype=torch.float32) -> torch.Tensor:
    return torch.tensor(value, dtype=dtype, requires_grad=True)


# 4.1 ------------------------------------------------------------------------------------------


def _cube_slope() -> torch.Tensor:
    x = _leaf(2.0)
    (x**3).backward()
    return x.grad


def _check_cube_slope(answer):
    problem = _compare(answer, _cube_slope(), "The slope of x³ at x = 2")
    slips = [
        (8.0, "8 is the value of x³ at x = 2; its slope is what backward() leaves in x.grad"),
        (4.0, "4 is the slope of x², 2x; for x³ the power rule gives 3x²"),
    ]
    return problem and (_named_slip(answer, slips) or problem)


EXERCISE_4_1 = Exercise(
    "Exercise 4.1 (the slope of x³ at 2)",
    _check_cube_slope,
    "make x a float tensor with requires_grad=True, build y = x**3, call y.backward(), "
    "read x.grad.",
    label="ex-4-1",
    web=WebAnswer(
        kind="number",
        prompt="the slope of x³ at x = 2",
        correct=lambda: _cube_slope().item(),
        slips=(8.0, 4.0),
        as_answer=torch.tensor,
    ),
)


# 4.2 ------------------------------------------------------------------------------------------


def _partials() -> tuple[torch.Tensor, torch.Tensor]:
    u, v = _leaf(3.0), _leaf(2.0)
    (u**2 * v + v).backward()
    return u.grad, v.grad


def _check_partials(answer):
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "answer with a pair (df/du, df/dv), for example (u.grad, v.grad)"
    problem = _compare(answer, _partials(), "The pair (∂f/∂u, ∂f/∂v)")
    df_du, df_dv = (gradient.item() for gradient in _partials())
    slips = [
        ((df_dv, df_du), "the two are swapped: the pair is (∂f/∂u, ∂f/∂v), u's first"),
        ((df_du, df_dv - 1), "∂f/∂v is u² + 1: the + v at the end of f adds 1 to it"),
    ]
    return problem and (_named_slip(answer, slips) or problem)


EXERCISE_4_2 = Exercise(
    "Exercise 4.2 (two partial derivatives)",
    _check_partials,
    "two leaves u and v with requires_grad=True; one backward() fills both u.grad and v.grad.",
    label="ex-4-2",
    web=WebAnswer(
        kind="numbers",
        prompt="the pair (∂f/∂u, ∂f/∂v)",
        correct=lambda: [gradient.item() for gradient in _partials()],
        slips=([10.0, 12.0], [12.0, 9.0]),
        as_answer=tuple,
    ),
)


# 4.3 ------------------------------------------------------------------------------------------


def _check_central_difference(answer):
    if not callable(answer):
        return "answer with a function central(f, x, h) that returns a number"
    # For x² the central difference is exact for every h, while the forward difference is off by h.
    got = answer(lambda x: x * x, 3.0, 0.5)
    if got is Ellipsis or got is None:
        return _NOT_YET
    if not math.isclose(got, 6.0, rel_tol=1e-9):
        forward = (3.5**2 - 3.0**2) / 0.5
        if math.isclose(got, forward, rel_tol=1e-9):
            return "that is the forward difference; step both ways, to x + h and to x - h"
        return f"for f(x) = x², x = 3, h = 0.5 it returned {got}, but the slope there is 6"
    for f, x, slope in [(math.sin, 1.0, math.cos(1.0)), (math.exp, 0.5, math.exp(0.5))]:
        got = answer(f, x, 1e-5)
        if not math.isclose(got, slope, rel_tol=1e-6):
            return f"for {f.__name__} at {x} it returned {got}, but the slope there is {slope:.6f}"
    return None


EXERCISE_4_3 = Exercise(
    "Exercise 4.3 (a central difference of your own)",
    _check_central_difference,
    "(f(x + h) - f(x - h)) / (2 * h): the rise over a run of 2h centred on x.",
    label="ex-4-3",
)


# 4.4 ------------------------------------------------------------------------------------------


def _accumulated() -> torch.Tensor:
    x = _leaf(1.0)
    for _ in range(2):
        (x**3).backward()
    return x.grad


def _check_accumulated(answer):
    if _is_tensor(answer):
        return "answer with the number you predict (then check it by running the code)"
    problem = _compare(answer, _accumulated(), "Your prediction for x.grad")
    once = _accumulated().item() / 2
    slips = [(once, f"{once:g} is x.grad after one backward(); the second call adds to it")]
    return problem and (_named_slip(answer, slips) or problem)


EXERCISE_ACCUMULATED_GRAD = Exercise(
    "Exercise 4.19 (predict the accumulated gradient)",
    _check_accumulated,
    "each backward() adds the slope 3x² to x.grad instead of replacing it.",
    label="ex-4-4",
    web=WebAnswer(
        kind="number",
        prompt="x.grad after the two calls",
        correct=lambda: _accumulated().item(),
        slips=(3.0, 9.0),
    ),
)


# 4.5 ------------------------------------------------------------------------------------------


def _vector_jacobian() -> torch.Tensor:
    x = _leaf([1.0, 2.0, 3.0])
    (x**3).backward(torch.tensor([1.0, 0.0, -1.0]))
    return x.grad


def _check_vector_jacobian(answer):
    problem = _compare(answer, _vector_jacobian(), "x.grad")
    slips = [
        (
            [3.0, 12.0, 27.0],
            "those are the slopes 3x² without the weights: backward(gradient=g) multiplies each "
            "slope by its weight",
        ),
        ([1.0, 0.0, -1.0], "those are the weights themselves; each one multiplies a slope 3x²"),
    ]
    return problem and (_named_slip(answer, slips) or problem)


EXERCISE_VECTOR_JACOBIAN = Exercise(
    "Exercise 4.20 (a vector–Jacobian product)",
    _check_vector_jacobian,
    "y = x**3 is not a scalar, so pass the weights: y.backward(gradient=...). Each slope 3x² is "
    "multiplied by its weight.",
    label="ex-4-5",
    web=WebAnswer(
        kind="numbers",
        prompt="x.grad, its three numbers in order",
        correct=lambda: _vector_jacobian().tolist(),
        slips=([3.0, 12.0, 27.0], [1.0, 0.0, -1.0]),
        as_answer=torch.tensor,
    ),
)


# 4.6 ------------------------------------------------------------------------------------------


def _first_and_second_derivative() -> tuple[torch.Tensor, torch.Tensor]:
    x = _leaf(1.0)
    (first,) = torch.autograd.grad(x * torch.sin(x), x, create_graph=True)
    (second,) = torch.autograd.grad(first, x)
    return first.detach(), second


def _check_second_derivative(answer):
    first, second = _first_and_second_derivative()
    problem = _compare(answer, second, "The second derivative of x·sin(x) at x = 1")
    slips = [
        (first, "that is the first derivative, sin(x) + x·cos(x): differentiate it once more"),
        (math.sin(1.0), "that is x·sin(x) itself at x = 1, not its second derivative"),
    ]
    return problem and (_named_slip(answer, slips) or problem)


EXERCISE_SECOND_DERIVATIVE = Exercise(
    "Exercise 4.21 (a second derivative)",
    _check_second_derivative,
    "take the first derivative with create_graph=True so that it is itself differentiable, then "
    "differentiate it again.",
    label="ex-4-6",
    web=WebAnswer(
        kind="number",
        prompt="the second derivative at x = 1, to 4 decimal places",
        correct=lambda: _first_and_second_derivative()[1].item(),
        slips=(round(_first_and_second_derivative()[0].item(), 4), round(math.sin(1.0), 4)),
        as_answer=torch.tensor,
        tolerance=5e-5,
    ),
)


# 4.7 ------------------------------------------------------------------------------------------


class _ProbeContext:
    """A stand-in for ctx, to see whether a reader's forward returns anything yet."""

    saved_tensors = ()
    needs_input_grad = (True,)

    def save_for_backward(self, *tensors):
        pass


_CUBE_POINTS = [0.5, -1.0, 2.0]
_CUBE_WEIGHTS = [2.0, -1.0, 0.5]  # grad_output for the probe: not all ones, so it cannot hide


def _function_library(answer):
    """(library, its gradcheck) for whichever library's Function the class `answer` subclasses."""
    import autograd_mini as am

    for library, base, gradcheck in (
        (am, am.Function, am.gradcheck),
        (torch, torch.autograd.Function, torch.autograd.gradcheck),
    ):
        if isinstance(answer, type) and issubclass(answer, base):
            return library, gradcheck
    return None


def _check_cube_function(answer):
    found = _function_library(answer)
    if found is None:
        given = "an instance" if _function_library(type(answer)) else type(answer).__name__
        return (
            f"answer with your class itself (a subclass of am.Function or "
            f"torch.autograd.Function), not {given}: answer = Cube"
        )
    library, gradcheck = found
    x = library.tensor(_CUBE_POINTS, requires_grad=True)
    with library.no_grad():
        result = answer.forward(_ProbeContext(), x)
    if result is None or result is Ellipsis:  # the reader's forward is still empty
        return _NOT_YET
    y = answer.apply(x)
    if y.grad_fn is None:
        return "the result of .apply has no grad_fn: was x created with requires_grad=True?"
    points = np.array(_CUBE_POINTS)
    problem = _compare(y, points**3, "forward(x)")
    if problem:
        return problem
    y.backward(library.tensor(_CUBE_WEIGHTS))
    if x.grad is None:
        return "backward returned None: it should return grad_output * 3 * x**2"
    weights, slopes = np.array(_CUBE_WEIGHTS), 3 * points**2
    if _compare(x.grad, slopes, "backward's gradient") is None:
        return (
            "your backward ignores grad_output: multiply your slope 3x² by grad_output (the "
            "chain rule: the slope of what comes after, times the slope here)"
        )
    problem = _compare(x.grad, weights * slopes, "backward's gradient")
    if problem:
        return problem + " — backward should return grad_output times 3x²"
    point = library.tensor([0.3, -0.7], dtype=library.float64, requires_grad=True)
    if not gradcheck(answer.apply, (point,), raise_exception=False):
        return (
            "in float64 at x = (0.3, -0.7), your backward disagrees with the slope measured by "
            "central differences: check that backward uses the x saved in forward"
        )
    return None


EXERCISE_CUBE_FUNCTION = Exercise(
    "Exercise 4.22 (your own Function: the cube)",
    _check_cube_function,
    "save x with ctx.save_for_backward(x) in forward; in backward read (x,) = ctx.saved_tensors "
    "and "
    "return grad_output * 3 * x**2.",
    label="ex-4-7",
)


# 4.8 ------------------------------------------------------------------------------------------


STEPS = 25


def _descent(steps: int, clear_gradient: bool = True) -> torch.Tensor:
    """w after `steps` steps of gradient descent on (w - 3)² + 1 from 0, learning rate 0.1."""
    w = _leaf(0.0)
    for _ in range(steps):
        loss = (w - 3) ** 2 + 1
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        if clear_gradient:
            w.grad = None
    return w


def _check_descent(answer):
    problem = _compare(answer, _descent(STEPS), "Your final w", rtol=1e-4)
    if problem is None:
        return None
    if _values(answer).shape != ():
        return problem
    final = float(_values(answer))
    if math.isclose(final, 0.0, abs_tol=1e-6):
        return problem + "; w never moved: subtract learning_rate * w.grad inside torch.no_grad()"
    if math.isclose(final, 3.0, abs_tol=1e-3):
        return f"{final:g} is the minimum itself; {STEPS} steps get close to it but not all the way"
    if _compare(answer, _descent(STEPS, clear_gradient=False), "w", rtol=1e-4) is None:
        return (
            problem + "; it is where w lands when w.grad is never cleared (each backward adds to "
            "it): set w.grad = None after each step"
        )
    for steps in range(1, 2 * STEPS + 1):
        if _compare(answer, _descent(steps), "w", rtol=1e-4) is None:
            return f"{final:.4f} is where w is after {steps} steps; take {STEPS} steps"
    return problem


EXERCISE_DESCENT = Exercise(
    "Exercise 4.23 (gradient descent on a parabola)",
    _check_descent,
    f"loop {STEPS} times: loss = (w - 3)**2 + 1; loss.backward(); step w under no_grad; clear "
    "w.grad.",
    label="ex-4-8",
    web=WebAnswer(
        kind="number",
        prompt="the final w, to 4 decimal places",
        correct=lambda: _descent(25).item(),
        slips=(
            0.0,
            3.0,
            round(_descent(24).item(), 4),
            round(_descent(26).item(), 4),
            round(_descent(25, clear_gradient=False).item(), 4),
        ),
        as_answer=torch.tensor,
        tolerance=1e-4,
    ),
)


# 4.9 ------------------------------------------------------------------------------------------


def _check_fixed_leaf(answer):
    if not _is_tensor(answer):
        return "answer with a tensor"
    if "float" not in str(answer.dtype):
        return (
            f"its dtype is {answer.dtype}: only floating-point (or complex) tensors can "
            "require gradients"
        )
    if not answer.requires_grad or not answer.is_leaf:
        return "it should be a leaf created with requires_grad=True"
    return _compare(answer, 5.0, "Its value")


EXERCISE_INTEGER_LEAF = Exercise(
    "Exercise 4.24 (fix the integer leaf)",
    _check_fixed_leaf,
    "5 is an integer, so the tensor's dtype is int64; write 5. (or pass dtype=torch.float32).",
    label="ex-4-9",
    web=WebAnswer(
        kind="expression",
        prompt="the corrected line",
        correct=lambda: "torch.tensor(5.0, requires_grad=True)",
        also=(
            "torch.tensor(5., requires_grad=True)",
            "torch.tensor(5, dtype=torch.float32, requires_grad=True)",
        ),
        slips=("torch.tensor(5, requires_grad=True)", "torch.tensor(5.0)"),
        as_answer=evaluated_with(torch=torch),
    ),
)


# 4.10 -----------------------------------------------------------------------------------------


def _check_detached(answer):
    if not _is_tensor(answer):
        return "answer with a tensor"
    if answer.requires_grad or answer.grad_fn is not None:
        return "it is still connected to the graph: use torch.no_grad() or .detach()"
    w = torch.tensor([1.0, -2.0, 0.5])
    return _compare(answer, 3 * w + 1, "Its values")


EXERCISE_NO_HISTORY = Exercise(
    "Exercise 4.25 (a result without a history)",
    _check_detached,
    "compute 3 * w + 1 inside `with torch.no_grad():` (or call .detach() on the result).",
    label="ex-4-10",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that computes the result",
        correct=lambda: "(3 * w + 1).detach()",
        also=("3 * w.detach() + 1",),
        slips=("3 * w + 1",),
        as_answer=lambda expression: evaluated_with(torch=torch, w=_leaf([1.0, -2.0, 0.5]))(
            expression
        ),
    ),
)


ALL_EXERCISES = [
    EXERCISE_4_1,
    EXERCISE_4_2,
    EXERCISE_4_3,
    EXERCISE_ACCUMULATED_GRAD,
    EXERCISE_VECTOR_JACOBIAN,
    EXERCISE_SECOND_DERIVATIVE,
    EXERCISE_CUBE_FUNCTION,
    EXERCISE_DESCENT,
    EXERCISE_INTEGER_LEAF,
    EXERCISE_NO_HISTORY,
]
