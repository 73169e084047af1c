"""Chapters 1 and 2 helpers: exercise checkers accept right answers and reject typical wrong ones;
the picture functions return small figures with the expected panels and labels."""

from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import autograd_mini as am
from autograd_mini.course import exercises_ch1 as ch1
from autograd_mini.course import exercises_ch2 as ch2
from autograd_mini.course import tensor_pictures

CHAPTERS = Path(__file__).resolve().parents[2] / "chapters"


def _gradient_at(function, at, library):
    x = library.tensor(at, requires_grad=True)
    function(x).backward()
    return x.grad


# ------------------------------------------------------------------------------- chapter 1


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_exercise_1_1_accepts_the_gradient_of_x_squared_at_minus_four(library):
    assert ch1.EXERCISE_1_1.checker(_gradient_at(lambda x: x**2, -4.0, library)) is None


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (torch.tensor(8.0), "not the slope"),  # sign lost
        (torch.tensor(-4.0, requires_grad=True) ** 2, "value of x², not its slope"),
        (-8.0, "expected a tensor"),  # a bare number
        (torch.tensor(8.0, dtype=torch.float64), "not the slope"),
        (torch.tensor(-8), "whole-number dtype"),
        (torch.tensor([-8.0]), "one-number tensor"),
    ],
)
def test_exercise_1_1_rejects_typical_wrong_answers(wrong, message):
    assert message in ch1.EXERCISE_1_1.checker(wrong)


@pytest.mark.parametrize("dtype", [torch.float16, torch.float32, torch.float64])
def test_exercise_1_1_accepts_a_gradient_of_any_float_dtype(dtype):
    x = torch.tensor(-4.0, dtype=dtype, requires_grad=True)
    (x**2).backward()
    assert ch1.EXERCISE_1_1.checker(x.grad) is None


def test_exercise_1_2_accepts_the_exact_printout_and_explains_near_misses():
    right = repr(torch.tensor(3.0, requires_grad=True) ** 2)
    assert ch1.EXERCISE_1_2.checker(right) is None
    assert ch1.EXERCISE_1_2.checker(f"  {right}\n") is None  # surrounding blanks are forgiven
    assert "remembers how it was made" in ch1.EXERCISE_1_2.checker("tensor(9.)")
    assert "look again at the number" in ch1.EXERCISE_1_2.checker(
        "tensor(6., grad_fn=<PowBackward0>)"
    )
    assert "every character" in ch1.EXERCISE_1_2.checker("tensor(9.0, grad_fn=<PowBackward0>)")
    assert ch1.EXERCISE_1_2.checker(right.replace(" ", "  ")) is None  # blanks are collapsed
    assert "string" in ch1.EXERCISE_1_2.checker(9.0)


def test_exercise_1_3_accepts_a_central_difference_and_rejects_a_forward_one():
    step = 0.001
    central = ((9 + step) ** 2 - (9 - step) ** 2) / (2 * step)
    assert ch1.EXERCISE_1_3.checker(central) is None
    assert ch1.EXERCISE_1_3.checker(torch.tensor(central, dtype=torch.float64)) is None
    forward = ((9 + step) ** 2 - 9**2) / step
    assert "forward difference" in ch1.EXERCISE_1_3.checker(forward)
    assert "not within" in ch1.EXERCISE_1_3.checker(81.0)
    assert "expected a number" in ch1.EXERCISE_1_3.checker("18")


@pytest.mark.parametrize("typed", [18, 18.0, torch.tensor(18.0, dtype=torch.float64)])
def test_exercise_1_3_rejects_the_exact_slope_typed_in_place_of_the_method(typed):
    assert "is the exact slope, from the rule 2x" in ch1.EXERCISE_1_3.checker(typed)


def test_exercise_1_3_explains_that_float32_is_too_coarse_for_the_step():
    x = torch.tensor(9.0)
    estimate = ((x + 0.001) ** 2 - (x - 0.001) ** 2) / (2 * 0.001)
    assert "float32 rounds too coarsely" in ch1.EXERCISE_1_3.checker(estimate)


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_exercise_1_4_accepts_the_slope_of_x_cubed_at_two(library):
    assert ch1.EXERCISE_1_4.checker(_gradient_at(lambda x: x**3, 2.0, library)) is None


def test_exercise_1_4_rejects_the_slope_of_the_square():
    assert "not the slope of x³" in ch1.EXERCISE_1_4.checker(torch.tensor(4.0))


def test_exercise_1_5_accepts_twice_x_and_rejects_tensors_and_accumulated_gradients():
    right = [2.0 * x for x in range(5)]
    assert ch1.EXERCISE_1_5.checker(right) is None
    slopes = [_gradient_at(lambda x: x**2, float(v), am).item() for v in range(5)]
    assert ch1.EXERCISE_1_5.checker(slopes) is None
    assert ".item()" in ch1.EXERCISE_1_5.checker([torch.tensor(v) for v in right])
    assert "five slopes" in ch1.EXERCISE_1_5.checker(right[:4])
    accumulated = [0.0, 2.0, 6.0, 12.0, 20.0]  # one tensor's .grad never cleared
    assert "x = 2" in ch1.EXERCISE_1_5.checker(accumulated)


# ------------------------------------------------------------------------------- chapter 2


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_chapter_2_checkers_accept_right_answers_from_either_library(library):
    grid = library.arange(12).reshape(3, 4)
    zeros = library.zeros(4, 3, 2)
    assert ch2.EXERCISE_2_1.checker(library.full((2, 3), 7.0)) is None
    assert ch2.EXERCISE_2_2.checker((zeros.ndim, zeros.numel())) is None
    assert ch2.EXERCISE_2_3.checker(grid[:, 1]) is None
    assert ch2.EXERCISE_2_4.checker(library.arange(6).reshape(3, 2)) is None
    assert ch2.EXERCISE_2_5.checker(library.tensor([1.0, 2.0, 3.0], requires_grad=True)) is None


def test_exercise_2_1_rejects_whole_numbers_and_wrong_shapes():
    assert "int64" in ch2.EXERCISE_2_1.checker(torch.full((2, 3), 7))
    assert "shape is [3, 2]" in ch2.EXERCISE_2_1.checker(torch.full((3, 2), 7.0))
    assert "some numbers" in ch2.EXERCISE_2_1.checker(torch.ones(2, 3))
    assert "expected a tensor" in ch2.EXERCISE_2_1.checker([[7.0] * 3] * 2)


def test_exercise_2_2_rejects_swapped_or_wrong_counts():
    assert "multiply" in ch2.EXERCISE_2_2.checker((3, 9))  # added instead of multiplied
    assert "count the numbers" in ch2.EXERCISE_2_2.checker((24, 3))
    assert "pair" in ch2.EXERCISE_2_2.checker(24)


def test_exercise_2_3_recognises_a_row_and_a_wrong_column():
    grid = torch.arange(12).reshape(3, 4)
    assert "second row" in ch2.EXERCISE_2_3.checker(grid[1])
    assert "some numbers" in ch2.EXERCISE_2_3.checker(grid[:, 2])
    assert "shape is [3, 1]" in ch2.EXERCISE_2_3.checker(grid[:, 1:2])


def test_exercise_2_4_recognises_a_transpose():
    assert "transpose" in ch2.EXERCISE_2_4.checker(torch.arange(6).reshape(2, 3).T)
    assert "shape is [2, 3]" in ch2.EXERCISE_2_4.checker(torch.arange(6).reshape(2, 3))
    assert "float32" in ch2.EXERCISE_2_4.checker(torch.arange(6.0).reshape(3, 2))


def test_exercise_2_5_needs_floats_and_requires_grad():
    assert "does not require gradients" in ch2.EXERCISE_2_5.checker(torch.tensor([1.0, 2.0, 3.0]))
    assert "int64" in ch2.EXERCISE_2_5.checker(torch.tensor([1, 2, 3]))


def test_exercise_2_6_accepts_from_numpy_and_rejects_a_copy():
    array = np.arange(4.0)
    assert ch2.EXERCISE_2_6.checker((array, torch.from_numpy(array))) is None
    assert "copy" in ch2.EXERCISE_2_6.checker((array, torch.tensor(array)))
    assert "torch tensor" in ch2.EXERCISE_2_6.checker((array, am.from_numpy(array)))
    assert "pair" in ch2.EXERCISE_2_6.checker(torch.from_numpy(array))
    whole = np.arange(4)
    assert "four float64" in ch2.EXERCISE_2_6.checker((whole, torch.from_numpy(whole)))


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_exercise_1_6_accepts_the_slope_of_the_chain_from_either_library(library):
    x = library.tensor(1.0, requires_grad=True)
    ((2 * x + 1) ** 2).backward()
    assert ch1.EXERCISE_1_6.checker(x.grad) is None
    assert ch1.EXERCISE_1_6.checker(x.grad.item()) is None


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (2.0, "du/dx alone"),
        (6.0, "dy/du alone"),
        (8.0, "multiply, they do not add"),
        (9.0, "value of y"),
        (36.0, "not dy/dx"),
        ("12", "expected a number"),
        (True, "expected a number"),
    ],
)
def test_exercise_1_6_names_the_usual_slips(wrong, message):
    assert message in ch1.EXERCISE_1_6.checker(wrong)


def test_every_exercise_prints_not_answered_for_the_placeholder(capsys):
    exercises = [getattr(ch1, f"EXERCISE_1_{n}") for n in range(1, 7)]
    exercises += [getattr(ch2, f"EXERCISE_2_{n}") for n in range(1, 7)]
    for exercise in exercises:
        assert not exercise.check(...)
        assert "not answered yet" in capsys.readouterr().out


# -------------------------------------------------------------------------------- pictures

PICTURES = [
    ("course_path", 1, ["1. Introduction", "4. Derivatives"]),
    ("parabola_with_tangent", 1, ["(9, 81)"]),
    ("tensor_ranks", 4, ["scalar", "ndim 3, shape [2, 2, 3]"]),
    ("indexing_examples", 4, ["m[1]", "m[:, 2]", "m[0:2, 1:3]", "m[-1, -1]"]),
    ("view_versus_copy", 2, ["b = a.view(2, 3)", "c = a.view(2, 3).clone()"]),
]


@pytest.mark.parametrize(("name", "panels", "labels"), PICTURES, ids=[p[0] for p in PICTURES])
def test_pictures_have_their_panels_and_labels_and_stay_small(name, panels, labels):
    picture = getattr(tensor_pictures, name)()
    assert isinstance(picture.figure, Figure)
    assert len(picture.figure.axes) == panels
    texts = picture.texts()
    for label in labels:
        assert label in texts
    assert picture.figure.dpi <= 100
    assert len(picture._repr_png_()) < 80_000


def test_indexing_picture_highlights_exactly_the_selected_cells():
    examples = (("m[0:2, 1:3]", (slice(0, 2), slice(1, 3))),)
    picture = tensor_pictures.indexing_examples(examples)
    (ax,) = picture.figure.axes
    orange = to_rgba(tensor_pictures.HIGHLIGHT)
    highlighted = [patch for patch in ax.patches if patch.get_facecolor() == orange]
    assert len(highlighted) == torch.arange(12).reshape(3, 4)[0:2, 1:3].numel()


def test_parabola_tangent_has_torchs_slope():
    picture = tensor_pictures.parabola_with_tangent(3.0)
    curve, tangent = picture.figure.axes[0].lines[:2]
    x, y = tangent.get_data()
    at = torch.tensor(3.0, requires_grad=True)
    (at**2).backward()
    assert np.allclose(np.diff(y) / np.diff(x), at.grad.item())
    assert "tangent at x = 3, slope 6" in picture.texts()
    assert np.allclose(curve.get_ydata(), curve.get_xdata() ** 2)


@pytest.mark.parametrize(
    ("notebook", "module", "count"),
    [("01-introduction.ipynb", ch1, 6), ("02-tensors-part-1.ipynb", ch2, 6)],
)
def test_checker_titles_are_the_exercise_headings_of_the_chapter(notebook, module, count):
    chapter = nbformat.read(CHAPTERS / notebook, as_version=4)
    headings = [
        line.removeprefix("```{exercise}").strip()
        for cell in chapter.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("```{exercise}")
    ]
    number = module.__name__[-1]
    titles = [getattr(module, f"EXERCISE_{number}_{n}").title for n in range(1, count + 1)]
    assert headings == titles
