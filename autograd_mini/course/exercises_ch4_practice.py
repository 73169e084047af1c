"""Exercises of chapter 4's page "Autograd in practice" that are not in exercises_ch4.py.

Each checker works the answer out again with torch.
"""

import numpy as np
import torch

from autograd_mini.course.exercises import Exercise, WebAnswer
from autograd_mini.course.exercises_ch4 import _compare, _is_tensor, _values
from autograd_mini.course.exercises_ch4_graph import _predicted_printout

# Which graphs can be walked twice? ---------------------------------------------------------

_SECOND_WALK_LINES = {
    "a": lambda x: x + 1,
    "b": torch.sin,
    "c": lambda x: x - 5,
    "d": lambda x: x**2,
}


def _walks_twice(make) -> bool:
    x = torch.tensor(2.0, requires_grad=True)
    y = make(x)
    y.backward()
    try:
        y.backward()
    except RuntimeError:
        return False
    return True


def _check_second_walk(answer):
    if not isinstance(answer, str):
        return 'answer with the letters as a string, for example "ab"'
    letters = {character for character in answer.lower() if character.isalpha()}
    if not letters <= set(_SECOND_WALK_LINES):
        return "use only the letters a, b, c and d"
    working = {letter for letter, make in _SECOND_WALK_LINES.items() if _walks_twice(make)}
    if letters == working:
        return None
    wrongly_in = sorted(letters - working)
    if wrongly_in:
        return f"({wrongly_in[0]}) fails the second time: its node saved x for its slope"
    missing = sorted(working - letters)[0]
    return f"({missing}) works twice: its slope does not depend on x, so nothing was saved"


EXERCISE_SECOND_WALK = Exercise(
    "Exercise 4.27 (which graphs can be walked twice?)",
    _check_second_walk,
    "a node that needs x to compute its slope (2x, cos x) saves x, and the first backward() "
    "frees it; adding or subtracting a constant saves nothing.",
    label="ex-4-second-walk",
    web=WebAnswer(
        kind="choice",
        prompt="the lines that can be walked twice",
        correct=lambda: " ".join(
            letter for letter, make in _SECOND_WALK_LINES.items() if _walks_twice(make)
        ),
        choices=("a", "a c", "b d", "a b c d"),
        slips=("a", "b d", "a b c d"),
    ),
)


# Writing into a detached tensor ------------------------------------------------------------


def _detach_printout() -> str:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    copy = w.detach()
    copy[0] = 5.0
    return str(w)


def _check_predict_detach(answer):
    return _predicted_printout(
        answer,
        _detach_printout(),
        {
            "tensor([1., 2.], requires_grad=True)": "detach() does not copy: w and copy share "
            "their memory",
            "tensor([5., 2.])": "w itself still requires grad, and its printout says so",
        },
    )


EXERCISE_PREDICT_DETACH = Exercise(
    "Exercise 4.28 (predict: writing into a detached tensor)",
    _check_predict_detach,
    "detach() makes a tensor cut off from the graph that shares its memory with the original.",
    label="ex-4-predict-detach",
    web=WebAnswer(
        kind="printout",
        prompt="what print(w) shows",
        correct=_detach_printout,
        slips=("tensor([1., 2.], requires_grad=True)", "tensor([5., 2.])"),
    ),
)


# One step of SGD, by hand ------------------------------------------------------------------


def _sgd_step() -> tuple[torch.Tensor, torch.Tensor]:
    model = torch.nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(1.0)
        model.bias.fill_(0.0)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([[2.0], [4.0], [6.0]])
    optimizer.zero_grad()
    ((model(x) - y) ** 2).mean().backward()
    optimizer.step()
    return model.weight.detach(), model.bias.detach()


def _check_sgd_step(answer):
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "answer with a pair (weight, bias)"
    if not all(_is_tensor(part) for part in answer):
        return "answer with the two tensors, weight of shape (1, 1) and bias of shape (1,)"
    weight, bias = _sgd_step()
    if np.allclose(_values(answer[0]), 1.0) and np.allclose(_values(answer[1]), 0.0):
        return "the parameters have not moved: subtract 0.1 times each .grad under no_grad"
    problem = _compare(answer[0], weight, "The weight")
    return problem or _compare(answer[1], bias, "The bias")


EXERCISE_SGD_STEP = Exercise(
    "Exercise 4.29 (one step of SGD, by hand)",
    _check_sgd_step,
    "prediction = x @ weight.T + bias; loss = ((prediction - y) ** 2).mean(); loss.backward(); "
    "then under no_grad: weight -= 0.1 * weight.grad, and the same for bias.",
    label="ex-4-sgd-step",
    web=WebAnswer(
        kind="numbers",
        prompt="the weight and the bias after the step",
        correct=lambda: [part.item() for part in _sgd_step()],
        slips=([1.0, 0.0], [3.8, 1.2]),
        as_answer=lambda pair: (torch.tensor([[pair[0]]]), torch.tensor([pair[1]])),
        tolerance=1e-4,
    ),
)


# An in-place step that autograd accepts ----------------------------------------------------

IN_PLACE_START = [1.0, -2.0, 3.0]
IN_PLACE_LEARNING_RATE = 0.1


def _check_in_place_step(answer):
    if not _is_tensor(answer):
        return f"expected the tensor w, got {type(answer).__name__}"
    start = torch.tensor(IN_PLACE_START)
    if tuple(answer.shape) == (3,) and _compare(answer, start, "") is None:
        return "w still holds its starting values; take the step"
    if not answer.requires_grad:
        return "w no longer requires grad: it was detached or rebuilt; update it in place"
    if not answer.is_leaf or answer.grad_fn is not None:
        return "w has a grad_fn: `w = w - ...` builds a new tensor; update the leaf in place"
    w = torch.tensor(IN_PLACE_START, requires_grad=True)
    (w**2).sum().backward()
    with torch.no_grad():
        w -= IN_PLACE_LEARNING_RATE * w.grad
    return _compare(answer, w, "w after the step")


EXERCISE_IN_PLACE_STEP = Exercise(
    "Exercise 4.26 (an in-place step that autograd accepts)",
    _check_in_place_step,
    "inside `with torch.no_grad():` write `w -= learning_rate * w.grad`.",
    label="ex-4-in-place-step",
    web=WebAnswer(
        kind="numbers",
        prompt="the three entries of w after the step",
        correct=lambda: [0.8, -1.6, 2.4],
        slips=(IN_PLACE_START, [-1.0, 2.0, -3.0]),
        as_answer=lambda values: torch.tensor(values, requires_grad=True),
        tolerance=1e-5,
    ),
)
