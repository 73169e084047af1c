"""Chapter 3's course helpers: the exercise checkers and the operation pictures.

Each checker must accept a right answer computed here independently (with torch) and reject the
mistakes readers typically make; each picture must draw what it claims, as a small PNG.
"""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_mini.course import exercises_ch3 as ex
from autograd_mini.course import operation_pictures as pictures
from autograd_mini.course.exercises import ReferenceSolutionError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _rejects(exercise, answer, message=""):
    problem = exercise._problem(answer)
    assert problem is not None, f"{exercise.title} accepted a wrong answer: {answer!r}"
    assert message in problem
    with pytest.raises(ReferenceSolutionError):
        exercise.check_solution(answer)


def _accepts(exercise, answer):
    assert exercise._problem(answer) is None
    exercise.check_solution(answer)


# --- Exercise checkers --------------------------------------------------------------------------


def test_exercise_3_1_broadcast_shape():
    right = torch.broadcast_shapes(*ex.BROADCAST_SHAPES)
    _accepts(ex.EXERCISE_3_1, right)
    _accepts(ex.EXERCISE_3_1, tuple(right))
    _accepts(ex.EXERCISE_3_1, list(right))
    _rejects(ex.EXERCISE_3_1, ex.BROADCAST_SHAPES[0], "not the shape")
    _rejects(ex.EXERCISE_3_1, (2, 3), "dimensions")
    _rejects(ex.EXERCISE_3_1, 3, "tuple")


def test_exercise_3_2_multiplication_table():
    numbers = torch.arange(1.0, ex.TABLE_SIZE + 1.0)
    _accepts(ex.EXERCISE_3_2, torch.outer(numbers, numbers))
    _accepts(ex.EXERCISE_3_2, numbers[:, None] * numbers[None, :])
    _rejects(ex.EXERCISE_3_2, numbers * numbers, "shape")
    _rejects(ex.EXERCISE_3_2, numbers[:, None] + numbers, "values are wrong")
    _rejects(ex.EXERCISE_3_2, [[1, 2], [2, 4]], "expected a tensor")


def test_exercise_3_3_centred_rows():
    scores = torch.tensor(ex.SCORES)
    row_means = torch.stack([row.mean() for row in scores])
    _accepts(ex.EXERCISE_3_3, scores - row_means[:, None])
    _rejects(ex.EXERCISE_3_3, scores - scores.mean(dim=1), "column by column")
    _rejects(ex.EXERCISE_3_3, scores - scores.mean(dim=0, keepdim=True), "average to 0")
    _rejects(ex.EXERCISE_3_3, scores - scores.mean(), "average to 0")
    _rejects(ex.EXERCISE_3_3, torch.zeros(3, 3), "minus their row's mean")
    _rejects(ex.EXERCISE_3_3, scores.mean(dim=1), "shape")


def test_exercise_3_4_matmul():
    features, weights = torch.tensor(ex.FEATURES), torch.tensor(ex.WEIGHTS)
    right = torch.einsum("ek,nk->en", features, weights)
    _accepts(ex.EXERCISE_3_4, right)
    _accepts(ex.EXERCISE_3_4, torch.nn.functional.linear(features, weights))
    _rejects(ex.EXERCISE_3_4, features * weights, "entry by entry")
    _rejects(ex.EXERCISE_3_4, features.T @ weights, "shape")
    _rejects(ex.EXERCISE_3_4, weights @ features.T, "values are wrong")


def test_exercise_3_5_mask_mean():
    readings = torch.tensor(ex.READINGS)
    positives = [value for value in ex.READINGS if value > 0]
    _accepts(ex.EXERCISE_3_5, torch.tensor(sum(positives) / len(positives)))
    _accepts(ex.EXERCISE_3_5, readings[readings > 0].mean())
    _rejects(ex.EXERCISE_3_5, readings.mean(), "all the readings")
    _rejects(ex.EXERCISE_3_5, readings[readings >= 0].mean(), "zero reading")
    _rejects(ex.EXERCISE_3_5, readings[readings > 0].sum(), "not the mean")
    _rejects(ex.EXERCISE_3_5, readings[readings > 0], "shape")


def test_exercise_3_6_cat_and_stack():
    pieces = [torch.tensor(piece) for piece in ex.PIECES]
    right = (torch.tensor(ex.PIECES), torch.tensor(sum(ex.PIECES, [])))
    _accepts(ex.EXERCISE_3_6, right)
    _rejects(ex.EXERCISE_3_6, (..., ...), "not answered yet")
    _rejects(ex.EXERCISE_3_6, (torch.cat(pieces), torch.stack(pieces)), "stacked")
    _rejects(ex.EXERCISE_3_6, (torch.stack(pieces, dim=1), torch.cat(pieces)), "stacked")
    _rejects(ex.EXERCISE_3_6, torch.stack(pieces), "pair")


def test_checkers_accept_autograd_mini_tensors():
    am = pytest.importorskip("autograd_mini")
    if not hasattr(am, "tensor"):
        pytest.skip("the autograd_mini core is not there yet")
    scores = am.tensor(ex.SCORES)
    _accepts(ex.EXERCISE_3_3, scores - scores.mean(dim=1, keepdim=True))
    features, weights = am.tensor(ex.FEATURES), am.tensor(ex.WEIGHTS)
    _accepts(ex.EXERCISE_3_4, features @ weights.T)


# --- Pictures -----------------------------------------------------------------------------------

_shapes = st.lists(st.integers(1, 4), min_size=0, max_size=4).map(tuple)


@settings(max_examples=60, deadline=None)
@given(_shapes, _shapes)
def test_broadcast_alignment_follows_torch(shape_a, shape_b):
    columns = pictures.broadcast_alignment(shape_a, shape_b)
    try:
        expected = tuple(torch.broadcast_shapes(shape_a, shape_b))
    except RuntimeError:
        assert any(column["clash"] for column in columns)
        return
    assert tuple(column["result"] for column in columns) == expected
    for column in columns:
        for name in "ab":
            size = column[name] if column[name] is not None else 1
            assert column[f"{name}_stretched"] == (size != column["result"])


def test_broadcast_alignment_marks_padding_and_the_first_clash():
    columns = pictures.broadcast_alignment((2, 3), (4,))
    assert [column["a"] for column in columns] == [2, 3]
    assert [column["b"] for column in columns] == [None, 4]
    assert [column["clash"] for column in columns] == [False, True]


def _png(picture):
    png = picture._repr_png_()
    assert png.startswith(PNG_MAGIC)
    assert len(png) < 80_000  # small images keep each page under 2 MB
    return png


def test_broadcast_rule_picture_shows_result_or_clash():
    fits = pictures.broadcast_rule_picture((3, 1), (4,))
    _png(fits)
    assert "result: (3, 4)" in fits.texts()
    assert "1→4" in fits.texts() and "1→3" in fits.texts()
    clash = pictures.broadcast_rule_picture((2, 3), (4,))
    _png(clash)
    assert "result: ✗" in clash.texts()
    assert any("sizes 3 and 4 differ" in text for text in clash.texts())
    assert repr(clash) == "<picture: broadcasting (2, 3) with (4,)>"


def test_broadcast_values_picture_draws_the_broadcast_result():
    column, row = np.array([[1.0], [2.0], [3.0]]), torch.tensor([10.0, 20.0, 30.0, 40.0])
    picture = pictures.broadcast_values_picture(column, row, "+")
    _png(picture)
    texts = picture.texts()
    assert "result, shape (3, 4)" in texts and "43" in texts
    scaled = pictures.broadcast_values_picture(np.arange(6).reshape(2, 3), 10, "*")
    assert "50" in scaled.texts()
    with pytest.raises(ValueError):
        pictures.broadcast_values_picture(np.ones((2, 2, 2)), 1)


@pytest.mark.parametrize(("dim", "operation"), [(0, "sum"), (1, "sum"), (1, "max"), (-1, "mean")])
def test_reduction_picture_shows_both_result_shapes(dim, operation):
    x = torch.tensor([[3.0, 7.0, 5.0], [8.0, 2.0, 6.0]])
    picture = pictures.reduction_picture(x, dim, operation)
    _png(picture)
    texts = picture.texts()
    expected = getattr(x, operation)(dim=dim, keepdim=True)
    if operation == "max":
        expected = expected.values
    assert f"keepdim=True: {tuple(expected.shape)}" in texts
    assert f"default: {tuple(expected.squeeze(dim).shape)}" in texts
    for value in expected.flatten().tolist():
        assert pictures._number(value) in texts


def test_reduction_picture_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError):
        pictures.reduction_picture(np.ones(3), 0)
    with pytest.raises(ValueError):
        pictures.reduction_picture(np.ones((2, 2)), 0, "median")


def test_matmul_shapes_picture_quotes_torch_error_when_inner_sizes_differ():
    fits = pictures.matmul_shapes_picture((2, 3), (3, 4))
    _png(fits)
    assert "inner sizes 3 and 3 agree" in fits.texts()
    clash = pictures.matmul_shapes_picture((2, 3), (2, 3))
    with pytest.raises(RuntimeError) as error:
        torch.ones(2, 3) @ torch.ones(2, 3)
    assert str(error.value) in clash.texts()


def test_matmul_picture_writes_out_the_highlighted_entry():
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    picture = pictures.matmul_picture(a, b, row=1, column=1)
    _png(picture)
    entry = int((a @ b)[1, 1])
    assert any(text.endswith(f"= {entry}") for text in picture.texts())
    with pytest.raises(ValueError):
        pictures.matmul_picture(a, a)


def test_multiply_versus_matmul_picture_shows_both_products():
    p = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    q = torch.tensor([[5.0, 6.0], [7.0, 8.0]])
    picture = pictures.multiply_versus_matmul_picture(p, q)
    _png(picture)
    texts = picture.texts()
    for value in (p * q).flatten().tolist() + (p @ q).flatten().tolist():
        assert pictures._number(value) in texts
    with pytest.raises(ValueError):
        pictures.multiply_versus_matmul_picture(torch.ones(2, 3), torch.ones(2, 3))
