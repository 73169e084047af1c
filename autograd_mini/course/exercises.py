"""Self-checking exercises: the reader's answer is checked, the reference solution must pass.

An exercise is defined once, here in Python, and checked in two places:

* in a notebook, `EXERCISE.check(answer)` runs its checker on the reader's Python value;
* on the static book page, where no Python runs, an answer box checks a typed answer in the
  browser. Its answer and hints come from the same definition: when the book is built,
  `Exercise.web_spec()` works the right answer out in Python and runs the checker on each typical
  slip, so the page says exactly what the checker says.

Example (the label is the one the notebook's ``{exercise}`` directive carries)::

    EXERCISE_1_1 = Exercise(
        "The taste at another point",
        slope_checker,
        "x = am.tensor(-4.0, requires_grad=True), then y = x**2, then y.backward()",
        label="ex-1-1",
        web=WebAnswer(
            kind="number",
            prompt="x.grad at x = -4",
            correct=lambda: -8.0,
            slips=(8.0, 16.0),
            as_answer=torch.tensor,
        ),
    )

Kinds of typed answer (`WebAnswer.kind`), and how the page reads what the reader typed:

* ``number``: one number (``-8``, ``-8.0``, ``tensor(-8.)``); right within `tolerance`;
* ``numbers``: several numbers in order (``[3, 0, -27]``, ``(12, 10)``); each within `tolerance`;
* ``shape``: whole numbers (``(4, 2, 3)``, ``torch.Size([4, 2, 3])``); all must match;
* ``dtype``: a dtype name (``float32``, ``torch.float32``, ``torch.float``);
* ``choice``: one of `choices`, picked with radio buttons;
* ``printout``: what something prints ("predict, then run"), compared after collapsing every run
  of blanks and line breaks into one space (outer quotes are ignored);
* ``expression``: a short line of code, compared without blanks (and with ' read as "). The page
  knows only the forms listed in `correct` and `also`, each of them evaluated when the book is
  built and judged by the checker (so is each slip); any other form is sent to Jupyter.

Every value a spec lists (right answers, slips) is run through `as_answer` and the checker when the
book is built; a slip whose code raises gets the error as its message, as the reader would see it.

Exercises whose answer is code (a function, a class, a loop) have no `web`: the page says the
exercise needs code and points to the launch buttons.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd_mini.course.compare import Verdict

# The first line of a solution cell in the notebooks (tools/normalize_notebooks.py writes it): the
# label of the collapsed cell in JupyterLab, and its title in Colab.
SOLUTION_TITLE = "# @title Solution: "

NOT_ANSWERED = "not answered yet: replace the ... with your code and run the cell again"

WEB_KINDS = ("number", "numbers", "shape", "dtype", "choice", "printout", "expression")

# What the page accepts as a dtype name, read as torch reads its aliases.
DTYPE_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "int": "int32",
    "long": "int64",
    "short": "int16",
    "bool": "bool",
}


class ReferenceSolutionError(AssertionError):
    """A reference solution in the book failed its own checker: the book must not build."""


def normalized_printout(text: str) -> str:
    """A printout as the answer box compares it: outer quotes dropped, blanks collapsed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return " ".join(text.split())


def normalized_expression(text: str) -> str:
    """A line of code as the answer box compares it: no blanks, every ' read as "."""
    return "".join(text.split()).replace("'", '"')


def evaluated_with(**names) -> Callable[[str], Any]:
    """An `as_answer` for expressions: evaluates the book's own listed forms with these names."""
    return lambda expression: eval(expression, dict(names))  # noqa: S307 - the book's text only


def normalized_dtype(text: str) -> str:
    """``torch.float`` → ``float32``; ``am.float64`` → ``float64``, as the answer box reads it."""
    name = text.strip().lower().rsplit(".", 1)[-1]
    return DTYPE_ALIASES.get(name, name)


@dataclass(frozen=True)
class WebAnswer:
    """How the static book page checks a typed answer to an exercise (see the module docstring).

    `correct` works out the right answer in Python when the book is built (from torch or plain
    arithmetic, like the checker does); `also` lists other right answers (other ways to write an
    expression); `slips` are typical wrong answers, for each of which the page shows what the
    checker says; `as_answer` turns a typed value (a float, a list of floats, a tuple of ints, or a
    string) into what the reader's notebook cell would hold, so that the checker can judge it.
    """

    kind: str
    prompt: str
    correct: Callable[[], Any]
    slips: tuple = ()
    also: tuple = ()
    choices: tuple[str, ...] = ()
    as_answer: Callable[[Any], Any] = lambda value: value
    tolerance: float = 1e-6

    def __post_init__(self):
        if self.kind not in WEB_KINDS:
            raise ValueError(f"WebAnswer kind {self.kind!r} is not one of {', '.join(WEB_KINDS)}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError("a WebAnswer of kind 'choice' needs choices, and only it takes them")

    def typed(self, value) -> Any:
        """`value` in the form the page compares: floats, ints or a normalized string."""
        if self.kind == "number":
            return float(value)
        if self.kind == "numbers":
            return [float(item) for item in value]
        if self.kind == "shape":
            return [int(size) for size in value]
        if self.kind == "dtype":
            return normalized_dtype(str(value))
        if self.kind == "printout":
            return normalized_printout(str(value))
        if self.kind == "expression":
            return normalized_expression(str(value))
        if value not in self.choices:
            raise ValueError(f"{value!r} is not one of the choices {self.choices}")
        return value

    def matches(self, typed, expected) -> bool:
        """Whether two typed values count as the same answer (what the page's script decides)."""
        if self.kind in ("number", "numbers"):
            left = typed if isinstance(typed, list) else [typed]
            right = expected if isinstance(expected, list) else [expected]
            return len(left) == len(right) and all(
                math.isclose(a, b, rel_tol=self.tolerance, abs_tol=self.tolerance)
                for a, b in zip(left, right, strict=True)
            )
        return typed == expected


class Exercise:
    """An exercise whose answers are checked by code.

    `checker(answer)` returns None when the answer is right and otherwise a short sentence saying
    what is wrong. Readers call `check(answer)`, which prints ✓ or ✗ with a hint and never raises.
    The book's hidden solution cells call `check_solution(solution)`, which raises
    `ReferenceSolutionError` when the reference solution is wrong, so CI catches it.
    `label` is the label of the exercise's ``{exercise}`` directive in the notebook (``ex-4-1``);
    `web`, a `WebAnswer`, gives the exercise an answer box on the static page.
    """

    def __init__(
        self,
        title: str,
        checker: Callable[[Any], str | None],
        hint: str,
        *,
        label: str | None = None,
        web: WebAnswer | None = None,
    ):
        if web is not None and label is None:
            raise ValueError(f"{title}: an exercise with an answer box needs a label")
        self.title = title
        self.checker = checker
        self.hint = hint
        self.label = label
        self.web = web

    def _problem(self, answer) -> str | None:
        if answer is Ellipsis or answer is None:
            return NOT_ANSWERED
        try:
            return self.checker(answer)
        except Exception as error:  # a reader's answer may be of any shape: report, don't crash
            return f"checking your answer raised {type(error).__name__}: {error}"

    def check(self, answer) -> Verdict:
        """Print whether `answer` is right; on a wrong answer, say why and give the hint."""
        problem = self._problem(answer)
        if problem is None:
            print(f"✓ {self.title}: correct!")
            return Verdict(True)
        print(f"✗ {self.title}: {problem}")
        print(f"  Hint: {self.hint}")
        return Verdict(False)

    def check_solution(self, solution) -> None:
        """Check the book's own reference solution; raise if it is wrong."""
        problem = self._problem(solution)
        if problem is not None:
            message = f"{self.title}: the reference solution is wrong: {problem}"
            raise ReferenceSolutionError(message)
        print(f"✓ {self.title}: the reference solution passes the checker.")

    def _verdict_on(self, typed_value) -> str | None:
        """What the checker says of a value typed into the box (an error, if running it raises)."""
        try:
            answer = self.web.as_answer(typed_value)
        except Exception as error:  # a slip may be code that raises, as it would for the reader
            return f"running it raises {type(error).__name__}: {error}"
        return self._problem(answer)

    def web_spec(self) -> dict | None:
        """What the page's answer box needs, as JSON-ready data (None without a `web`).

        Raises `ReferenceSolutionError` when the checker rejects one of the web answer's right
        answers or accepts one of its slips: the page and the notebook would then disagree.
        """
        if self.web is None:
            return None
        web = self.web
        right = [web.correct(), *web.also]
        for value in right:
            problem = self._verdict_on(value)
            if problem is not None:
                raise ReferenceSolutionError(
                    f"{self.title}: the answer box's right answer {value!r} fails the checker: "
                    f"{problem}"
                )
        slips = []
        for slip in web.slips:
            message = self._verdict_on(slip)
            if message is None or any(web.matches(web.typed(slip), web.typed(v)) for v in right):
                raise ReferenceSolutionError(
                    f"{self.title}: the answer box's slip {slip!r} counts as right"
                )
            slips.append({"value": web.typed(slip), "message": message})
        return {
            "label": self.label,
            "title": self.title,
            "kind": web.kind,
            "prompt": web.prompt,
            "choices": list(web.choices),
            "correct": web.typed(right[0]),
            "also": [web.typed(value) for value in right[1:]],
            "tolerance": web.tolerance,
            "slips": slips,
            "hint": " ".join(self.hint.split()),
        }


def all_exercises() -> dict[str, Exercise]:
    """Every labelled exercise of the course modules ``autograd_mini.course.exercises_*``."""
    import autograd_mini.course as course

    found: dict[str, Exercise] = {}
    for module_info in pkgutil.iter_modules(course.__path__):
        if not module_info.name.startswith("exercises_"):
            continue
        module = importlib.import_module(f"{course.__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, Exercise) and value.label is not None:
                other = found.setdefault(value.label, value)
                if other is not value:
                    raise ValueError(
                        f"two exercises share the label {value.label!r}: "
                        f"{other.title!r} and {value.title!r}"
                    )
    return found
