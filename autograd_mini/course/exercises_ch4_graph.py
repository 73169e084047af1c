"""Exercises of chapter 4's page "The graph and the chain rule".

The "predict, then run" exercises take the text the reader expects to see, as a string; the
checker runs the code with torch and compares, ignoring spaces.
"""

import math

import torch

from autograd_mini.course.exercises import Exercise, WebAnswer
from autograd_mini.course.exercises_ch4 import _compare, _is_tensor, _values


def _without_spaces(text: str) -> str:
    return "".join(text.split())


def _predicted_printout(answer, printed: str, wrong_guesses: dict[str, str]) -> str | None:
    """None when `answer`, a string, is `printed` up to spaces; else what is wrong."""
    if not isinstance(answer, str):
        return 'answer with the text you expect to see, in quotes, for example "tensor(7.)"'
    guess = _without_spaces(answer)
    if guess == _without_spaces(printed):
        return None
    for wrong, why in wrong_guesses.items():
        if guess == _without_spaces(wrong):
            return why
    return f"the code does not print {answer.strip()!r}"


# The chain rule by hand --------------------------------------------------------------------


def _chain_printout() -> str:
    x = torch.tensor(1.0, requires_grad=True)
    y = (3 * x + 1) ** 2
    y.backward()
    return str(x.grad)


def _check_predict_chain(answer):
    return _predicted_printout(
        answer,
        _chain_printout(),
        {
            "tensor(8.)": "8 is what PowBackward0 passes on; MulBackward0 still multiplies by 3",
            "tensor(16.)": "the inner part 3x + 1 is 4 at x = 1, so the square's slope is 2·4",
            "tensor(6.)": "PowBackward0's slope is 2·(3x + 1) = 8, not 2x",
        },
    )


EXERCISE_PREDICT_CHAIN = Exercise(
    "Exercise 4.5 (predict: the chain rule by hand)",
    _check_predict_chain,
    "start with 1 at y; PowBackward0 multiplies by 2·(3x + 1) = 8, MulBackward0 by 3, and "
    "AddBackward0 by 1. A gradient prints like tensor(5.).",
    label="ex-4-predict-chain",
    web=WebAnswer(
        kind="printout",
        prompt="what print(x.grad) shows",
        correct=_chain_printout,
        slips=("tensor(8.)", "tensor(16.)", "tensor(6.)"),
    ),
)


# next_functions ----------------------------------------------------------------------------


def _next_functions_printout() -> str:
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(5.0)
    z = a * 3 + b
    first, second = (node for node, _ in z.grad_fn.next_functions)
    return f"{first.name()} {second}"


def _check_predict_next_functions(answer):
    return _predicted_printout(
        answer,
        _next_functions_printout(),
        {
            "AddBackward0 None": "AddBackward0 is z's own node; next_functions lists its inputs'",
            "MulBackward0 AccumulateGrad": "b does not require grad, so no node stands for it",
            "AccumulateGrad None": "the first input of the addition is a * 3, made by a node",
        },
    )


EXERCISE_PREDICT_NEXT_FUNCTIONS = Exercise(
    "Exercise 4.6 (predict: next_functions)",
    _check_predict_next_functions,
    "z.grad_fn is the addition's node; its next_functions are the nodes that made its two "
    "inputs, a * 3 and b, and an input that needs no gradient shows as None.",
    label="ex-4-predict-next-functions",
    web=WebAnswer(
        kind="printout",
        prompt="what the last line prints",
        correct=_next_functions_printout,
        slips=("AddBackward0 None", "MulBackward0 AccumulateGrad", "AccumulateGrad None"),
    ),
)


# A broadcast gradient ----------------------------------------------------------------------


def _unbroadcast_printout() -> str:
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = torch.ones(3, requires_grad=True)
    (x * w).sum().backward()
    return str(w.grad)


def _check_predict_unbroadcast(answer):
    return _predicted_printout(
        answer,
        _unbroadcast_printout(),
        {
            "tensor([2., 2., 2.])": "each copy of w[j] is multiplied by an entry of x, not by 1",
            "tensor([6., 15.])": "those are the row sums; w stretches down the columns",
            "tensor([[1., 2., 3.], [4., 5., 6.]])": "w has shape (3,), so its gradient does too",
        },
    )


EXERCISE_PREDICT_UNBROADCAST = Exercise(
    "Exercise 4.7 (predict: a broadcast gradient)",
    _check_predict_unbroadcast,
    "w[j] multiplies x[0, j] and x[1, j], so its slope is the sum of column j of x; the "
    "gradient has w's shape, (3,).",
    label="ex-4-predict-unbroadcast",
    web=WebAnswer(
        kind="printout",
        prompt="what print(w.grad) shows",
        correct=_unbroadcast_printout,
        slips=("tensor([2., 2., 2.])", "tensor([6., 15.])"),
    ),
)


# A loop decides the slope ------------------------------------------------------------------


def _halving_slopes() -> list[float]:
    slopes = []
    for start in (5.0, 0.75):
        x = torch.tensor(start, requires_grad=True)
        y = x
        while y >= 1:
            y = y / 2
        y.backward()
        slopes.append(x.grad.item())
    return slopes


def _check_halving(answer):
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "answer with a pair (slope at 5, slope at 0.75)"
    got = _values(answer)
    if math.isclose(got[1], 0.0, abs_tol=1e-9):
        return "at 0.75 the loop never runs, so y is x itself: its slope is 1, not 0"
    if math.isclose(got[0], 1 / 4) or math.isclose(got[0], 1 / 16):
        return "count the halvings from 5 again: 2.5, 1.25, 0.625"
    return _compare(answer, _halving_slopes(), "The pair of slopes")


EXERCISE_HALVING = Exercise(
    "Exercise 4.8 (a loop decides the slope)",
    _check_halving,
    "each halving multiplies the slope by 1/2; count how many times the loop runs from each start.",
    label="ex-4-halving",
    web=WebAnswer(
        kind="numbers",
        prompt="the slopes at 5 and at 0.75",
        correct=_halving_slopes,
        slips=([0.125, 0.0], [0.25, 1.0]),
        as_answer=tuple,
    ),
)


# The gradient of a tensor in the middle ----------------------------------------------------


def _middle_gradients() -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.tensor(1.0, requires_grad=True)
    h = torch.sin(x)
    h.retain_grad()
    (h**3).backward()
    return h.grad, x.grad


def _check_middle_gradient(answer):
    if not _is_tensor(answer) and not isinstance(answer, int | float):
        return "answer with the gradient, a tensor or a number"
    h_grad, x_grad = _middle_gradients()
    if _compare(answer, x_grad, "") is None:
        return "that is x.grad; the exercise asks for the gradient reaching h"
    return _compare(answer, h_grad, "The gradient of y with respect to h")


EXERCISE_MIDDLE_GRADIENT = Exercise(
    "Exercise 4.9 (the gradient of a tensor in the middle)",
    _check_middle_gradient,
    "call h.retain_grad() before backward() and read h.grad afterwards (or register a hook on "
    "h that stores the gradient it sees).",
    label="ex-4-middle-gradient",
    web=WebAnswer(
        kind="number",
        prompt="the gradient of y with respect to h",
        correct=lambda: _middle_gradients()[0].item(),
        slips=(_middle_gradients()[1].item(), 1.0),
        tolerance=1e-4,
    ),
)
