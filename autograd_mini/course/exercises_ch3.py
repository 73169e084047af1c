"""Exercises of chapter 3: arithmetic, broadcasting, reductions, matmul, masks, cat and stack.

Every checker works out the expected answer on its own, with numpy, from the exercise's data (the
constants below, which the notebook prints into the reader's cell). Answers may be torch tensors or
autograd_mini tensors: both are read through `.detach().numpy()`.
"""

import numpy as np
import torch

from autograd_mini.course.exercises import Exercise, WebAnswer, evaluated_with

# Data the exercises hand to the reader (the notebook writes these numbers into its cells).
BROADCAST_SHAPES = ((4, 1, 3), (2, 1))
TABLE_SIZE = 5
SCORES = [[12.0, 15.0, 18.0], [7.0, 9.0, 14.0], [20.0, 10.0, 15.0]]
FEATURES = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
WEIGHTS = [[0.5, -1.0, 2.0], [1.0, 0.0, -1.0]]
READINGS = [0.5, -1.5, 2.0, -0.25, 3.5, 0.0, -2.0, 1.0]
PIECES = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def _reader_names() -> dict:
    """The tensors the notebook's exercise cells hand to the reader, by their names there."""
    return {
        "torch": torch,
        "numbers": torch.arange(1.0, TABLE_SIZE + 1.0),
        "scores": torch.tensor(SCORES),
        "features": torch.tensor(FEATURES),
        "weights": torch.tensor(WEIGHTS),
    }


def _is_tensor(answer) -> bool:
    return hasattr(answer, "shape") and hasattr(answer, "detach") and hasattr(answer, "numpy")


def _numbers(answer) -> np.ndarray:
    return np.asarray(answer.detach().numpy(), dtype=np.float64)


def _tensor_problem(answer, shape) -> str | None:
    """None if `answer` is a tensor of the given shape, else what is wrong."""
    if not _is_tensor(answer):
        return f"expected a tensor, got {type(answer).__name__}"
    if tuple(answer.shape) != tuple(shape):
        return f"your tensor has shape {tuple(answer.shape)}, expected {tuple(shape)}"
    return None


def _values_problem(answer, expected: np.ndarray) -> str | None:
    problem = _tensor_problem(answer, expected.shape)
    if problem:
        return problem
    if not np.allclose(_numbers(answer), expected, rtol=1e-5, atol=1e-6):
        return "right shape, but some values are wrong"
    return None


def _check_broadcast_shape(answer) -> str | None:
    expected = tuple(np.broadcast_shapes(*BROADCAST_SHAPES))
    try:
        given = tuple(int(size) for size in answer)
    except TypeError:
        return "give the shape as a tuple of sizes, such as (2, 3)"
    if given == expected:
        return None
    if len(given) != len(expected):
        return f"{given} has {len(given)} dimensions; the longer shape decides how many there are"
    return f"{given} is not the shape broadcasting gives"


def _check_multiplication_table(answer) -> str | None:
    numbers = np.arange(1, TABLE_SIZE + 1)
    return _values_problem(answer, np.outer(numbers, numbers).astype(np.float64))


def _check_centred_rows(answer) -> str | None:
    scores = np.asarray(SCORES)
    problem = _tensor_problem(answer, scores.shape)
    if problem:
        return problem
    given = _numbers(answer)
    row_means = given.mean(axis=1)
    if not np.allclose(row_means, 0.0, atol=1e-5):
        column_centred = scores - scores.mean(axis=1)
        if np.allclose(given, column_centred, atol=1e-5):
            return (
                "each row should average to 0, but it doesn't: the means were subtracted "
                "column by column (a shape (3,) lines up with the last dimension)"
            )
        return f"each row should average to 0; yours average to {np.round(row_means, 3).tolist()}"
    expected = scores - scores.mean(axis=1, keepdims=True)
    if not np.allclose(given, expected, atol=1e-5):
        return "each row averages to 0, but the values are not the scores minus their row's mean"
    return None


def _check_matmul(answer) -> str | None:
    features, weights = np.asarray(FEATURES), np.asarray(WEIGHTS)
    expected = features @ weights.T
    if _is_tensor(answer) and tuple(answer.shape) == features.shape:
        return "shape (2, 3) is what * gives (entry by entry); a matrix product of these is 2×2"
    return _values_problem(answer, expected)


def _check_mask_mean(answer) -> str | None:
    readings = np.asarray(READINGS)
    expected = np.float64(readings[readings > 0].mean())
    problem = _tensor_problem(answer, ())
    if problem:
        return problem + " (a single number, a 0-d tensor)"
    given = float(_numbers(answer))
    if np.isclose(given, readings.mean()):
        return "that is the mean of all the readings, negatives and zero included"
    if np.isclose(given, readings[readings >= 0].mean()):
        return "the zero reading was counted: keep only readings strictly above 0"
    if not np.isclose(given, expected, rtol=1e-5):
        return f"{given:.4g} is not the mean of the positive readings"
    return None


def _check_cat_and_stack(answer) -> str | None:
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        return "give a pair: (stacked, joined)"
    stacked, joined = answer
    if stacked is Ellipsis or joined is Ellipsis:
        return "not answered yet: replace each ... with your code and run the cell again"
    pieces = np.asarray(PIECES)
    problem = _values_problem(stacked, pieces)
    if problem:
        return f"stacked: {problem}"
    problem = _values_problem(joined, pieces.reshape(-1))
    if problem:
        return f"joined: {problem}"
    return None


EXERCISE_3_1 = Exercise(
    "Exercise 3.1 (predict a broadcast shape)",
    _check_broadcast_shape,
    "write both shapes right-aligned, pad the shorter with 1s on the left, "
    "then take the larger size in each column.",
    label="ex-3-1",
    web=WebAnswer(
        kind="shape",
        prompt="the shape of the result",
        correct=lambda: tuple(np.broadcast_shapes(*BROADCAST_SHAPES)),
        slips=((2, 3), (4, 1, 3), (4, 2, 1)),
        as_answer=tuple,
    ),
)
EXERCISE_3_2 = Exercise(
    "Exercise 3.2 (a multiplication table)",
    _check_multiplication_table,
    "turn the numbers into a column with .reshape(5, 1) (or [:, None]) and multiply by the row.",
    label="ex-3-2",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes table",
        correct=lambda: "numbers.reshape(5, 1) * numbers",
        also=(
            "numbers[:, None] * numbers",
            "numbers.reshape(-1, 1) * numbers",
            "numbers.unsqueeze(1) * numbers",
            "numbers.reshape(5, 1) * numbers.reshape(1, 5)",
        ),
        slips=("numbers * numbers",),
        as_answer=lambda expression: evaluated_with(**_reader_names())(expression),
    ),
)
EXERCISE_3_3 = Exercise(
    "Exercise 3.3 (centre each row)",
    _check_centred_rows,
    "scores.mean(dim=1, keepdim=True) has shape (3, 1), so it stretches along each row.",
    label="ex-3-3",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes centred",
        correct=lambda: "scores - scores.mean(dim=1, keepdim=True)",
        also=("scores - scores.mean(1, keepdim=True)",),
        slips=("scores - scores.mean(dim=1)", "scores - scores.mean()"),
        as_answer=lambda expression: evaluated_with(**_reader_names())(expression),
    ),
)
EXERCISE_3_4 = Exercise(
    "Exercise 3.4 (make the shapes fit)",
    _check_matmul,
    "the inner sizes must agree: transpose one of the two with .T.",
    label="ex-3-4",
    web=WebAnswer(
        kind="expression",
        prompt="the line of code that makes outputs",
        correct=lambda: "features @ weights.T",
        also=("features @ weights.t()", "torch.matmul(features, weights.T)"),
        slips=("features * weights", "features.T @ weights", "weights @ features.T"),
        as_answer=lambda expression: evaluated_with(**_reader_names())(expression),
    ),
)
EXERCISE_3_5 = Exercise(
    "Exercise 3.5 (the mean of the positive readings)",
    _check_mask_mean,
    "readings > 0 is a boolean mask; readings[mask] keeps the True places; then .mean().",
    label="ex-3-5",
    web=WebAnswer(
        kind="number",
        prompt="the mean of the positive readings",
        correct=lambda: float(np.mean([value for value in READINGS if value > 0])),
        slips=(
            float(np.mean(READINGS)),
            float(np.mean([value for value in READINGS if value >= 0])),
        ),
        as_answer=lambda number: torch.tensor(number, dtype=torch.float64),
        tolerance=1e-4,
    ),
)
EXERCISE_3_6 = Exercise(
    "Exercise 3.6 (stack versus cat)",
    _check_cat_and_stack,
    "stack adds a new dimension (shape (3, 2)); cat joins along an existing one (shape (6,)).",
    label="ex-3-6",
)
