"""The exercise definitions: labels, the answer boxes' web specs built from the checkers, and the
checker messages the issue asked for (4.7 in plain words and for torch's Function, 4.8's steps)."""

import json
import re
from pathlib import Path

import nbformat
import pytest
import torch

import autograd_mini as am
from autograd_mini.course import exercises_ch4 as ch4
from autograd_mini.course.exercises import (
    Exercise,
    ReferenceSolutionError,
    WebAnswer,
    all_exercises,
    evaluated_with,
    normalized_dtype,
    normalized_printout,
)

CHAPTERS = Path(__file__).resolve().parents[2] / "chapters"
EXERCISES = all_exercises()
WITH_BOX = sorted(label for label, exercise in EXERCISES.items() if exercise.web)


def _is_eighteen(answer):
    return None if answer == 18 else f"{answer} is not the slope of x² at 9"


def _box(**changes) -> WebAnswer:
    settings = {"kind": "number", "prompt": "the slope", "correct": lambda: 18.0, "slips": (17.0,)}
    return WebAnswer(**(settings | changes))


# ------------------------------------------------------------------------------ web specs


def test_a_web_spec_carries_the_checkers_own_message_for_each_slip():
    exercise = Exercise("Ex", _is_eighteen, "use the power rule", label="ex-9-1", web=_box())
    spec = exercise.web_spec()
    assert spec["correct"] == 18.0
    assert spec["slips"] == [{"value": 17.0, "message": "17.0 is not the slope of x² at 9"}]
    assert spec["hint"] == "use the power rule"
    assert json.loads(json.dumps(spec)) == spec


def test_a_web_spec_whose_answer_fails_the_checker_stops_the_build():
    exercise = Exercise("Ex", _is_eighteen, "hint", label="ex-9-1", web=_box(correct=lambda: 17))
    with pytest.raises(ReferenceSolutionError, match="right answer 17 fails the checker"):
        exercise.web_spec()


@pytest.mark.parametrize("slip", [18.0, 18.0000001])
def test_a_slip_that_counts_as_right_stops_the_build(slip):
    lenient = Exercise("Ex", lambda answer: None, "hint", label="ex-9-1", web=_box(slips=(slip,)))
    with pytest.raises(ReferenceSolutionError, match="counts as right"):
        lenient.web_spec()


def test_web_answers_refuse_unknown_kinds_and_misplaced_choices():
    with pytest.raises(ValueError, match="kind 'fraction' is not one of number, numbers"):
        _box(kind="fraction")
    with pytest.raises(ValueError, match="needs choices"):
        _box(kind="choice")
    with pytest.raises(ValueError, match="needs a label"):
        Exercise("Ex", _is_eighteen, "hint", web=_box())


def test_typed_values_are_normalized_the_way_the_page_reads_them():
    assert normalized_printout(' "tensor(9.,\n   grad_fn=<PowBackward0>)" ') == (
        "tensor(9., grad_fn=<PowBackward0>)"
    )
    assert [normalized_dtype(name) for name in ("torch.float", "am.float64", " Int64 ")] == [
        "float32",
        "float64",
        "int64",
    ]
    assert _box(kind="numbers").matches([1.0, 2.0000000001], [1.0, 2.0])
    assert not _box(kind="numbers").matches([1.0, 2.0, 3.0], [1.0, 2.0])
    assert not _box(kind="shape").matches([2, 3], [3, 2])


def test_labels_are_unique_and_every_exercise_of_the_course_has_one():
    import importlib
    import pkgutil

    import autograd_mini.course as course

    for module_info in pkgutil.iter_modules(course.__path__):
        if module_info.name.startswith("exercises_"):
            module = importlib.import_module(f"autograd_mini.course.{module_info.name}")
            for name, value in vars(module).items():
                if isinstance(value, Exercise):
                    assert value.label, f"{module_info.name}.{name} has no label"
                    assert EXERCISES[value.label] is value


def test_every_exercise_directive_in_the_chapters_names_a_labelled_exercise():
    directive_labels = set()
    for path in CHAPTERS.glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown" and re.search(r"\{exercise\}", cell.source):
                directive_labels.update(re.findall(r":label:\s*(\S+)", cell.source))
    assert directive_labels, "no exercise directive found in chapters/"
    assert directive_labels - set(EXERCISES) == set()


@pytest.mark.parametrize("label", WITH_BOX)
def test_every_answer_box_builds_from_its_checker(label):
    spec = EXERCISES[label].web_spec()
    assert spec["label"] == label and spec["prompt"] and spec["slips"]
    assert all(slip["message"] for slip in spec["slips"])


def test_most_exercises_with_a_typed_answer_have_a_box():
    assert len(WITH_BOX) >= 12


# ------------------------------------------------------------------ 4.7: your own Function


class TorchCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


class CubeIgnoringGradOutput(am.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x**2


class CubeRightOnlyAwayFromZero(TorchCube):
    """Right at the probe points (|x| ≥ 0.5), wrong at gradcheck's point (0.3, -0.7)."""

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2 * (x.abs() >= 0.5)


def test_cube_function_accepts_a_torch_function_subclass():
    assert ch4.EXERCISE_CUBE_FUNCTION.checker(TorchCube) is None


def test_cube_function_says_when_backward_ignores_grad_output():
    assert "your backward ignores grad_output" in ch4.EXERCISE_CUBE_FUNCTION.checker(
        CubeIgnoringGradOutput
    )


def test_cube_function_turns_a_gradcheck_failure_into_plain_words():
    message = ch4.EXERCISE_CUBE_FUNCTION.checker(CubeRightOnlyAwayFromZero)
    assert "disagrees with the slope measured by central differences" in message
    assert "Jacobian" not in message and "tensor(" not in message


@pytest.mark.parametrize("wrong", [CubeIgnoringGradOutput(), 3.0])
def test_cube_function_asks_for_the_class_itself(wrong):
    assert "answer with your class itself" in ch4.EXERCISE_CUBE_FUNCTION.checker(wrong)


# ----------------------------------------------------------------- 4.8: steps versus zeroing


@pytest.mark.parametrize(("steps", "message"), [(24, "after 24 steps"), (30, "after 30 steps")])
def test_descent_tells_a_wrong_number_of_steps(steps, message):
    assert message in ch4.EXERCISE_DESCENT.checker(ch4._descent(steps))


def test_descent_tells_a_gradient_that_was_never_cleared():
    piled_up = ch4._descent(25, clear_gradient=False)
    assert "w.grad is never cleared" in ch4.EXERCISE_DESCENT.checker(piled_up)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_descent_accepts_any_float_dtype(dtype):
    right = ch4._descent(25).detach().to(dtype)
    assert ch4.EXERCISE_DESCENT.checker(right) is None
    assert "the minimum itself" in ch4.EXERCISE_DESCENT.checker(torch.tensor(3.0, dtype=dtype))


# ------------------------------------------------------------------------- expressions


def test_an_expression_box_runs_each_listed_form_through_the_checker():
    from autograd_mini.course import exercises_ch2 as ch2

    spec = ch2.EXERCISE_2_5.web_spec()
    assert spec["correct"] == "am.tensor([1.0,2.0,3.0],requires_grad=True)"
    assert "am.tensor([1.,2.,3.],requires_grad=True)" in spec["also"]
    raising, no_grad = spec["slips"]
    assert raising["message"] == (
        "running it raises RuntimeError: Only Tensors of floating point and complex dtype can "
        "require gradients"
    )
    assert "does not require gradients yet" in no_grad["message"]


def test_an_expression_form_the_checker_rejects_stops_the_build():
    exercise = Exercise(
        "Ex",
        lambda answer: None if answer.dtype == torch.float32 else "not a float tensor",
        "write 7.0",
        label="ex-9-2",
        web=WebAnswer(
            kind="expression",
            prompt="the code",
            correct=lambda: "torch.full((2,), 7.0)",
            also=("torch.full((2,), 7)",),
            as_answer=evaluated_with(torch=torch),
        ),
    )
    with pytest.raises(ReferenceSolutionError, match=r"right answer 'torch.full\(\(2,\), 7\)'"):
        exercise.web_spec()


# ----------------------------------------------------- chapter 4: typical slips named in words


@pytest.mark.parametrize(
    ("exercise", "slip", "message"),
    [
        (ch4.EXERCISE_4_1, torch.tensor(8.0), "8 is the value of x³ at x = 2"),
        (ch4.EXERCISE_4_1, torch.tensor(4.0), "the slope of x², 2x"),
        (ch4.EXERCISE_4_2, (torch.tensor(10.0), torch.tensor(12.0)), "the two are swapped"),
        (ch4.EXERCISE_4_2, (12.0, 9.0), "∂f/∂v is u² + 1"),
        (ch4.EXERCISE_ACCUMULATED_GRAD, 3.0, "after one backward(); the second call adds to it"),
        (ch4.EXERCISE_VECTOR_JACOBIAN, torch.tensor([3.0, 12.0, 27.0]), "without the weights"),
        (ch4.EXERCISE_SECOND_DERIVATIVE, torch.tensor(1.3818), "that is the first derivative"),
    ],
)
def test_chapter_4_checkers_name_typical_slips(exercise, slip, message):
    assert message in exercise.checker(slip)


def test_an_unexpected_wrong_number_still_gets_the_general_message():
    assert "is not right yet (yours: 11.0)" in ch4.EXERCISE_4_1.checker(torch.tensor(11.0))


@pytest.mark.parametrize("label", WITH_BOX)
def test_each_slip_prints_in_the_notebook_what_its_box_shows_on_the_page(capsys, label):
    """The notebook's ✗ line and hint, and the page's, for every typical slip of every box."""
    exercise = EXERCISES[label]
    spec = exercise.web_spec()
    for slip, shown in zip(exercise.web.slips, spec["slips"], strict=True):
        try:
            answer = exercise.web.as_answer(slip)
        except Exception:  # a slip that raises is shown as its error; there is no answer to check
            continue
        assert not exercise.check(answer)
        printed = capsys.readouterr().out
        verdict, hint = printed.split("\n  Hint: ", 1)
        assert verdict == f"✗ {exercise.title}: {shown['message']}"
        assert " ".join(hint.split()) == spec["hint"]
