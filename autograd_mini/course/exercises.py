"""Self-checking exercises: the reader's answer is checked, the reference solution must pass."""

from collections.abc import Callable
from typing import Any

from autograd_mini.course.compare import Verdict


class ReferenceSolutionError(AssertionError):
    """A reference solution in the book failed its own checker: the book must not build."""


class Exercise:
    """An exercise whose answers are checked by code.

    `checker(answer)` returns None when the answer is right and otherwise a short sentence saying
    what is wrong. Readers call `check(answer)`, which prints ✓ or ✗ with a hint and never raises.
    The book's hidden solution cells call `check_solution(answer)`, which raises
    `ReferenceSolutionError` when the reference solution is wrong, so CI catches it.
    """

    def __init__(self, title: str, checker: Callable[[Any], str | None], hint: str):
        self.title = title
        self.checker = checker
        self.hint = hint

    def _problem(self, answer) -> str | None:
        if answer is Ellipsis or answer is None:
            return "not answered yet: replace the ... with your code and run the cell again"
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

    def check_solution(self, answer) -> None:
        """Check the book's own reference solution; raise if it is wrong."""
        problem = self._problem(answer)
        if problem is not None:
            message = f"{self.title}: the reference solution is wrong: {problem}"
            raise ReferenceSolutionError(message)
        print(f"✓ {self.title}: the reference solution passes the checker.")
