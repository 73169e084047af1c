"""Chapter 4's course helpers: finite differences, pictures, and the exercise checkers."""

import math

import matplotlib
import pytest
import torch

import autograd_mini as am
from autograd_mini.course import ReferenceSolutionError
from autograd_mini.course import exercises_ch4 as ex
from autograd_mini.course.numeric import (
    central_difference,
    difference_errors,
    forward_difference,
    log_steps,
    partial_differences,
)

matplotlib.use("Agg")


# ------------------------------------------------------------------------------ finite differences


def test_central_difference_is_exact_for_a_parabola_and_forward_is_off_by_h():
    square = lambda x: x * x  # noqa: E731
    assert central_difference(square, 3.0, h=0.5) == 6.0
    assert forward_difference(square, 3.0, h=0.5) == 6.5


def test_central_difference_matches_the_articles_sine_slope():
    slope = central_difference(lambda x: math.sin(x / 2**1.5), 100.0)
    assert slope == pytest.approx(math.cos(100 / 2**1.5) / 2**1.5, rel=1e-8)
    assert round(slope, 4) == -0.2469


def test_partial_differences_match_the_articles_partials():
    du, dv = partial_differences(lambda u, v: u * v + u**2 + v**3, (2.0, 4.0))
    assert du == pytest.approx(8.0, rel=1e-8)
    assert dv == pytest.approx(50.0, rel=1e-8)


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan")])
def test_a_step_that_is_not_positive_is_refused(h):
    with pytest.raises(ValueError, match="positive"):
        central_difference(math.sin, 1.0, h)
    with pytest.raises(ValueError, match="positive"):
        forward_difference(math.sin, 1.0, h)


def test_errors_fall_then_rise_and_the_best_central_step_is_moderate():
    steps = log_steps(1.0, 1e-12, 2)
    assert steps[0] == 1.0 and steps[-1] == pytest.approx(1e-12) and len(steps) == 25
    errors = difference_errors(math.sin, math.cos(1.0), 1.0, steps)
    central, forward = errors["central"], errors["forward"]
    assert min(central) < 1e-10 and central[-1] > min(central) * 100  # rounding takes over
    assert all(c <= f for c, f in zip(central[:6], forward[:6], strict=True))  # large h
    assert 1e-7 <= steps[central.index(min(central))] <= 1e-3


# -------------------------------------------------------------------------------------- pictures


def test_pictures_draw_the_expected_panels():
    from autograd_mini.course import autograd_pictures as pictures

    figure = pictures.plot_zoom_to_tangent(lambda x: x**2, 9.0, 18.0).figure
    assert len(figure.axes) == 3
    figure = pictures.plot_difference_errors(math.sin, math.cos(1.0), 1.0, math.cos(1.0)).figure
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert labels == ["forward", "central", "autograd (off by 0, drawn on the bottom edge)"]
    figure = pictures.plot_fit(
        [0.0, 1.0], [0.5, 2.5], {"a": [1.0, 0.5], "b": [1.0, 0.5]}, {"a": (2, 0.5), "b": (2, 0.5)}
    ).figure
    assert len(figure.axes) == 2 and len(figure.axes[1].get_lines()) == 2
    path = [(0.0, 0.0), (1.0, 0.3), (2, 0.5)]
    figure = pictures.plot_descent_path([0.0, 1.0], [0.5, 2.5], path).figure
    assert figure.axes[0].get_lines()[0].get_xydata().tolist() == [[0, 0], [1, 0.3], [2, 0.5]]


def test_the_error_plot_draws_autograds_real_error_against_a_precise_slope():
    """Against a 30-digit slope, float64 autograd is off by its rounding, and the plot says so."""
    import mpmath

    from autograd_mini.course import autograd_pictures as pictures

    mpmath.mp.dps = 30
    scale = mpmath.mpf(2) ** 1.5
    true_slope = mpmath.cos(100 / scale) / scale
    x = torch.tensor(100.0, dtype=torch.float64, requires_grad=True)
    torch.sin(x / 2**1.5).backward()
    autograd_error = float(abs(x.grad.item() - true_slope))
    assert 0 < autograd_error < 1e-13  # rounding, not zero and not a truncation error
    figure = pictures.plot_difference_errors(
        lambda t: math.sin(t / 2**1.5), true_slope, 100.0, x.grad.item()
    ).figure
    autograd_line = figure.axes[0].get_lines()[2]
    assert autograd_line.get_label() == f"autograd (off by {autograd_error:.1e})"
    assert autograd_line.get_ydata()[0] == autograd_error
    assert figure.axes[0].get_ylim()[0] < autograd_error  # drawn inside the plot, not on its edge


# ------------------------------------------------------------------------------------- exercises


class Cube(am.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


class CubeWithWrongBackward(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x


class EmptyCube(am.Function):
    @staticmethod
    def forward(ctx, x): ...

    @staticmethod
    def backward(ctx, grad_output): ...


def _descent():
    w = torch.tensor(0.0, requires_grad=True)
    for _ in range(25):
        ((w - 3) ** 2 + 1).backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
        w.grad = None
    return w


def _central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def _forward(f, x, h):
    return (f(x + h) - f(x)) / h


RIGHT_AND_WRONG = [
    (ex.EXERCISE_4_1, torch.tensor(12.0), torch.tensor(4.0)),
    (ex.EXERCISE_4_1, am.tensor(12.0), 11.0),
    (ex.EXERCISE_4_2, (torch.tensor(12.0), torch.tensor(10.0)), (12.0, 9.0)),
    (ex.EXERCISE_4_2, (am.tensor(12.0), am.tensor(10.0)), 12.0),
    (ex.EXERCISE_4_3, _central, _forward),
    (ex.EXERCISE_ACCUMULATED_GRAD, 6.0, 3.0),
    (ex.EXERCISE_ACCUMULATED_GRAD, 6, torch.tensor(6.0)),
    (
        ex.EXERCISE_VECTOR_JACOBIAN,
        torch.tensor([3.0, 0.0, -27.0]),
        torch.tensor([3.0, 12.0, 27.0]),
    ),
    (
        ex.EXERCISE_SECOND_DERIVATIVE,
        2 * math.cos(1.0) - math.sin(1.0),
        math.cos(1.0) + math.sin(1.0),
    ),
    (ex.EXERCISE_CUBE_FUNCTION, Cube, CubeWithWrongBackward),
    (ex.EXERCISE_CUBE_FUNCTION, Cube, Cube.apply),
    (ex.EXERCISE_DESCENT, _descent(), torch.tensor(3.0)),
    (ex.EXERCISE_INTEGER_LEAF, torch.tensor(5.0, requires_grad=True), torch.tensor(5.0)),
    (
        ex.EXERCISE_INTEGER_LEAF,
        am.tensor(5.0, requires_grad=True),
        torch.tensor(5, dtype=torch.int64),
    ),
    (ex.EXERCISE_NO_HISTORY, torch.tensor([4.0, -5.0, 2.5]), torch.tensor([4.0, -5.0, 2.5]) * 1.5),
    (
        ex.EXERCISE_NO_HISTORY,
        am.tensor([4.0, -5.0, 2.5]),
        torch.tensor([1.0, -2.0, 0.5], requires_grad=True) * 3 + 1,
    ),
]


@pytest.mark.parametrize(("exercise", "right", "wrong"), RIGHT_AND_WRONG)
def test_each_checker_accepts_the_right_answer_and_rejects_a_wrong_one(
    capsys, exercise, right, wrong
):
    exercise.check_solution(right)
    assert exercise.check(right)
    assert not exercise.check(wrong)
    out = capsys.readouterr().out
    assert "✗" in out and "Hint:" in out
    with pytest.raises(ReferenceSolutionError):
        exercise.check_solution(wrong)


@pytest.mark.parametrize("exercise", ex.ALL_EXERCISES, ids=lambda e: e.title)
def test_an_unanswered_exercise_says_so_without_raising(capsys, exercise):
    assert not exercise.check(...)
    assert "not answered yet" in capsys.readouterr().out


def test_empty_function_bodies_count_as_not_answered(capsys):
    assert not ex.EXERCISE_4_3.check(lambda f, x, h: ...)
    assert not ex.EXERCISE_CUBE_FUNCTION.check(EmptyCube)
    assert capsys.readouterr().out.count("not answered yet") == 2


def test_the_forward_difference_gets_a_specific_message(capsys):
    ex.EXERCISE_4_3.check(_forward)
    assert "that is the forward difference" in capsys.readouterr().out


def test_there_are_at_least_eight_exercises():
    assert len(ex.ALL_EXERCISES) >= 8
    assert len({e.title for e in ex.ALL_EXERCISES}) == len(ex.ALL_EXERCISES)


# ------------------------------------------------------------- the code chapter 4 quotes and reads


def test_the_core_code_quoted_in_chapter_4_still_matches_its_prose():
    """The chapter prints these sources with inspect and explains them by name."""
    import inspect

    from autograd_mini import engine, function
    from autograd_mini.ops import elementwise

    for name, node_name in [
        ("Sin", "SinBackward0"),
        ("Mul", "MulBackward0"),
        ("Pow", "PowBackward0"),
    ]:
        op = getattr(elementwise, name)
        assert op.node_name == node_name and op.__doc__.startswith("$")
        assert "def forward(ctx" in inspect.getsource(op)
    assert "save_for_backward" in inspect.getsource(elementwise.Sin)
    mul = inspect.getsource(elementwise.Mul)
    assert "needs_input_grad" in mul and "unbroadcast" in mul
    apply = inspect.getsource(am.Function.apply)
    assert len(apply.splitlines()) <= 30  # short enough to print whole
    assert "grad_fn" in apply and "_forward_unrecorded" in apply
    assert "enabled = False" in inspect.getsource(function._forward_unrecorded)
    assert "stack" in inspect.getsource(engine._count_dependencies)
    run = inspect.getsource(engine.run_backward)
    assert len(run.splitlines()) <= 25  # the loop a reader sees, nothing to skip
    for name in ("ready", "totals", "dependencies", "visit(", "set_grad_enabled"):
        assert name in run, name
    loop = run[run.index("while ready:") :]
    for name in ("capture", "retain", "release_saved"):  # these wrap the loop; it only sums
        assert name not in loop, name
    visit = inspect.getsource(engine._visit)
    for name in ("capture", ".accumulate(", ".input_gradients(", ".release_saved("):
        assert name in visit, name
