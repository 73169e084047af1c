"""Exercises of chapter 4's page "Derivatives with autograd" that are not in exercises_ch4.py.

Each checker works the answer out again with torch.
"""

import torch

from autograd_mini.course.exercises import Exercise, WebAnswer
from autograd_mini.course.exercises_ch4 import _compare, _is_tensor, _values


def _kink_gradient() -> torch.Tensor:
    x = torch.tensor([-2.0, 0.0, 5.0, 5.0], requires_grad=True)
    (x.relu().sum() + x.max()).backward()
    return x.grad


def _check_kinks(answer):
    got = _values(answer)
    if got.shape != (4,):
        return "answer with four numbers, one slope for each entry of x"
    expected = _kink_gradient()
    relu_only = torch.tensor([0.0, 0.0, 1.0, 1.0])
    if _compare(answer, relu_only + torch.tensor([0.0, 0.0, 1.0, 0.0]), "x.grad") is None:
        return "max() does not give its whole gradient to one of the tied 5s"
    if _compare(answer, relu_only + 1, "x.grad") is None:
        return "max() passes a gradient only to the entries that are the maximum"
    if abs(got[1] - 1.0) < 1e-6:
        return "at exactly 0, torch gives ReLU a slope of 0, not 1"
    problem = _compare(answer, expected, "Your prediction for x.grad")
    if problem and _is_tensor(answer):
        return problem + " (you may answer with the tensor, but predict first!)"
    return problem


EXERCISE_KINKS = Exercise(
    "Exercise 4.4 (gradients at the kinks)",
    _check_kinks,
    "relu passes slope 1 where x > 0 and 0 where x <= 0, the kink included; max() shares its "
    "gradient of 1 equally between tied entries. Add the two.",
    label="ex-4-kinks",
    web=WebAnswer(
        kind="numbers",
        prompt="x.grad, four numbers",
        correct=lambda: _kink_gradient().tolist(),
        slips=([0.0, 1.0, 1.5, 1.5], [0.0, 0.0, 2.0, 1.0], [1.0, 1.0, 2.0, 2.0]),
        as_answer=list,
    ),
)
