"""Exercises of chapter 2 (understanding tensors, part 1), each with an independent checker.

Each checker builds the expected tensor with torch and compares shape, dtype and values with the
reader's answer, which may be an autograd_mini tensor or a torch tensor. It returns None for a right
answer or one sentence naming the first thing that is wrong.
Each title is the heading of its exercise in the notebook (the book numbers the exercises).
"""

import numpy as np
import torch

import autograd_mini as am
from autograd_mini.course.exercises import Exercise, WebAnswer, evaluated_with


def _lines(*parts: str) -> str:
    """A hint over several lines, each continuation lined up under the first (after "  Hint: ")."""
    return "\n        ".join(parts)


def _dtype_name(tensor) -> str:
    """`float32` for torch.float32 and for autograd_mini.float32 alike."""
    return repr(tensor.dtype).rsplit(".", 1)[-1]


def _values(tensor) -> np.ndarray:
    return np.asarray(tensor.detach().numpy())


def _compare(answer, expected: torch.Tensor) -> str | None:
    """None when `answer` has the shape, dtype and values of `expected`, else what differs."""
    if not (hasattr(answer, "shape") and hasattr(answer, "dtype") and hasattr(answer, "detach")):
        return f"expected a tensor, got a value of type {type(answer).__name__}"
    if list(answer.shape) != list(expected.shape):
        return f"its shape is {list(answer.shape)}; the task asks for {list(expected.shape)}"
    if _dtype_name(answer) != _dtype_name(expected):
        return f"its dtype is {_dtype_name(answer)}; the task asks for {_dtype_name(expected)}"
    if not np.array_equal(_values(answer), expected.numpy()):
        return "the shape and dtype are right but some numbers are not"
    return None


def _matrix_of_sevens(answer) -> str | None:
    problem = _compare(answer, torch.full((2, 3), 7.0))
    if problem and hasattr(answer, "dtype") and _dtype_name(answer) == "int64":
        return "its dtype is int64: a whole-number fill value makes a whole-number tensor"
    return problem


EXERCISE_2_1 = Exercise(
    "A matrix of sevens",
    _matrix_of_sevens,
    _lines("am.full takes a shape and a fill value;", "write the seven as 7.0 to get float32."),
    label="ex-2-1",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes the tensor",
        correct=lambda: "am.full((2, 3), 7.0)",
        also=("am.full((2, 3), 7.)", "am.full([2, 3], 7.0)", "am.full([2, 3], 7.)"),
        slips=("am.full((2, 3), 7)", "am.full((3, 2), 7.0)"),
        as_answer=evaluated_with(am=am),
    ),
)


def _ndim_and_numel(answer) -> str | None:
    expected_tensor = torch.zeros(4, 3, 2)
    expected = (expected_tensor.ndim, expected_tensor.numel())
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "expected a pair (ndim, numel), for example (1, 5)"
    ndim, numel = answer
    if ndim != expected[0]:
        return f"{ndim} dimensions is not right: count the numbers in the shape"
    if numel != expected[1]:
        return f"{numel} elements is not right: multiply the numbers in the shape"
    return None


EXERCISE_2_2 = Exercise(
    "Count dimensions and elements",
    _ndim_and_numel,
    "ndim is how many numbers the shape has; numel is their product.",
    label="ex-2-2",
    web=WebAnswer(
        kind="shape",
        prompt="the pair (ndim, numel)",
        correct=lambda: (torch.zeros(4, 3, 2).ndim, torch.zeros(4, 3, 2).numel()),
        slips=((3, 9), (24, 3), (4, 24)),
        as_answer=tuple,
    ),
)


def _second_column(answer) -> str | None:
    grid = torch.arange(12).reshape(3, 4)
    if hasattr(answer, "shape") and list(answer.shape) == [4]:
        if np.array_equal(_values(answer), grid[1].numpy()):
            return "that is the second row; a column keeps the row index free (:)"
    return _compare(answer, grid[:, 1])


EXERCISE_2_3 = Exercise(
    "Take a column",
    _second_column,
    _lines("m[row, column]: a colon means 'all of them',", "and counting starts at 0."),
    label="ex-2-3",
    web=WebAnswer(
        kind="numbers",
        prompt="the numbers of the second column, top to bottom",
        correct=lambda: torch.arange(12).reshape(3, 4)[:, 1].tolist(),
        slips=([4, 5, 6, 7], [0, 4, 8]),
        as_answer=lambda numbers: torch.tensor([int(number) for number in numbers]),
    ),
)


def _three_by_two(answer) -> str | None:
    expected = torch.arange(6).reshape(3, 2)
    if hasattr(answer, "shape") and list(answer.shape) == [3, 2]:
        if np.array_equal(_values(answer), torch.arange(6).reshape(2, 3).T.numpy()):
            return "those are the numbers of a transpose; reshape keeps them in reading order"
    return _compare(answer, expected)


EXERCISE_2_4 = Exercise(
    "Reshape",
    _three_by_two,
    _lines("call .reshape(3, 2) on am.arange(6):", "rows fill up first, in reading order."),
    label="ex-2-4",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes the 3 × 2 tensor",
        correct=lambda: "am.arange(6).reshape(3, 2)",
        also=("am.arange(6).reshape((3, 2))", "am.arange(6).reshape(3, -1)"),
        slips=("am.arange(6).reshape(2, 3)", "am.arange(6).reshape(2, 3).T"),
        as_answer=evaluated_with(am=am),
    ),
)


def _float_tensor_with_grad(answer) -> str | None:
    problem = _compare(answer, torch.tensor([1.0, 2.0, 3.0]))
    if problem:
        return problem
    if not answer.requires_grad:
        return "the values are right, but it does not require gradients yet"
    return None


EXERCISE_2_5 = Exercise(
    "A tensor that can have gradients",
    _float_tensor_with_grad,
    _lines(
        "integer tensors cannot require gradients: write 1.0 for a float",
        "instead of 1 (or pass dtype=am.float32) and add requires_grad=True.",
    ),
    label="ex-2-5",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes the tensor",
        correct=lambda: "am.tensor([1.0, 2.0, 3.0], requires_grad=True)",
        also=(
            "am.tensor([1., 2., 3.], requires_grad=True)",
            "am.tensor([1, 2, 3], dtype=am.float32, requires_grad=True)",
        ),
        slips=("am.tensor([1, 2, 3], requires_grad=True)", "am.tensor([1.0, 2.0, 3.0])"),
        as_answer=evaluated_with(am=am),
    ),
)


def _shared_memory_pair(answer) -> str | None:
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "expected a pair (array, tensor)"
    array, tensor = answer
    if not isinstance(array, np.ndarray):
        return (
            f"the first item should be the numpy array, not a value of type {type(array).__name__}"
        )
    if not isinstance(tensor, torch.Tensor):
        return "the second item should be a torch tensor (this exercise is about torch)"
    if array.shape != (4,) or array.dtype != np.float64:
        return "the array should be np.arange(4.0): four float64 numbers"
    if not np.shares_memory(array, tensor.numpy()):
        return (
            "the tensor holds a copy: torch.tensor always copies, look for a function that shares"
        )
    return None


EXERCISE_2_6 = Exercise(
    "Share memory with numpy",
    _shared_memory_pair,
    _lines("torch.from_numpy(array) wraps the array's memory", "instead of copying it."),
    label="ex-2-6",
)
