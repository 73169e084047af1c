"""The course helpers: check_same's verdicts and the exercise checker's contract."""

import pytest
import torch

import autograd_mini as am
from autograd_mini.course import (
    Exercise,
    ReferenceSolutionError,
    check_same,
    compare_errors,
    error_message,
)


def test_check_same_accepts_identical_results_and_quotes_short_printouts(capsys):
    x = torch.tensor(9.0, requires_grad=True)
    assert check_same(x**2, x**2, what="y")
    assert (
        capsys.readouterr().out
        == "✓ y: same printout and values: tensor(81., grad_fn=<PowBackward0>)\n"
    )


def test_check_same_summarises_multi_line_printouts(capsys):
    assert check_same(torch.ones(3, 3), torch.ones(3, 3))
    assert capsys.readouterr().out == "✓ same printout and values: shape [3, 3], float32\n"


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        (torch.ones(3), torch.zeros(3), "values differ at index (0,)"),
        (torch.ones(3), torch.ones(3, dtype=torch.float64), "dtypes differ"),
        (torch.ones(3), torch.ones(1, 3), "shapes differ: torch [3], autograd_mini [1, 3]"),
        ((torch.ones(1),), (torch.ones(1), torch.ones(1)), "torch gave 1 items, autograd_mini 2"),
        (torch.tensor(1.0), torch.tensor(1.0, requires_grad=True), "different printouts"),
    ],
)
def test_check_same_reports_each_kind_of_difference(capsys, left, right, message):
    assert not check_same(left, right)
    out = capsys.readouterr().out
    assert out.startswith("✗") and message in out


def test_check_same_tolerates_float_rounding_within_rtol(capsys):
    assert not check_same(1.0, 1.0 + 1e-9)  # the printouts differ
    assert "different printouts" in capsys.readouterr().out
    torch_values = torch.tensor([1.5, 2.25], dtype=torch.float64)
    mini_values = torch.tensor([1.5 + 1e-12, 2.25], dtype=torch.float64)
    assert check_same(torch_values, mini_values)
    assert not check_same(torch_values, mini_values + 1e-3)


def _is_eighteen(answer):
    return None if answer == 18 else f"{answer} is not the slope of x² at 9"


def test_exercise_check_prints_verdict_and_hint_without_raising(capsys):
    exercise = Exercise("Exercise 1", _is_eighteen, "use the power rule")
    assert not exercise.check(...)
    assert "not answered yet" in capsys.readouterr().out
    assert not exercise.check(17)
    assert capsys.readouterr().out == (
        "✗ Exercise 1: 17 is not the slope of x² at 9\n  Hint: use the power rule\n"
    )
    assert not exercise.check("eighteen")  # a checker that cannot cope is reported, not raised
    assert exercise.check(18)


def test_exercise_reference_solution_must_pass():
    exercise = Exercise("Exercise 1", _is_eighteen, "use the power rule")
    exercise.check_solution(18)
    with pytest.raises(ReferenceSolutionError, match="reference solution is wrong: 17 is not"):
        exercise.check_solution(17)


def test_exercise_reports_checker_crash(capsys):
    exercise = Exercise("Exercise 2", lambda answer: answer.shape, "return a tensor")
    assert not exercise.check(3)
    assert "checking your answer raised AttributeError" in capsys.readouterr().out


def test_verdicts_show_nothing_in_a_notebook_but_keep_their_truth():
    from IPython.core.formatters import DisplayFormatter

    verdict = check_same(torch.tensor(1.0), torch.tensor(1.0))
    assert DisplayFormatter().format(verdict) == ({}, {})
    assert bool(verdict) and repr(verdict) == "Verdict(passed=True)"


def test_compare_errors_prints_torchs_error_and_whether_ours_is_the_same(capsys):
    assert error_message(lambda: None) == "no error"
    assert error_message(lambda: int("x")).startswith("ValueError: invalid literal")
    verdict = compare_errors(
        lambda: torch.tensor(3, requires_grad=True), lambda: am.tensor(3, requires_grad=True)
    )
    out = capsys.readouterr().out
    assert verdict and out.splitlines() == [
        "RuntimeError: Only Tensors of floating point and complex dtype can",
        "    require gradients",
        "same error in autograd_mini: True",
    ]
    verdict = compare_errors(
        lambda: int("12 apples"), lambda: int("12 pears"), cut_at=": '12", width=200
    )
    assert verdict and capsys.readouterr().out.splitlines() == [
        "ValueError: invalid literal for int() with base 10",
        "same error in autograd_mini: True",
    ]
    verdict = compare_errors(lambda: torch.ones(2) + torch.ones(3), lambda: am.ones(2))
    out = capsys.readouterr().out
    assert not verdict
    assert "same error in autograd_mini: False\nno error\n" in out
