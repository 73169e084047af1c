"""`check_same`: show, in one line, that torch and autograd_mini agree."""

import textwrap

import numpy as np

_SHORT = 60  # printouts up to this length are quoted in the verdict line


class Verdict:
    """The outcome of a check: truthy when it passed.

    The check has already printed its one-line verdict, so in a notebook the object itself shows
    nothing (a bare `True` under every check would be noise, and a trailing `;` is not honoured by
    every runner: nbval executes cells without history, where IPython cannot see the `;`).
    """

    __slots__ = ("passed",)

    def __init__(self, passed: bool):
        self.passed = passed

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"Verdict(passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Display nothing: the verdict line was printed when the check ran."""


def _printout(value) -> str:
    """The text `print(value)` shows, with torch's module name replaced by ours."""
    return repr(value).replace("torch.", "autograd_mini.")


def _as_array(value) -> np.ndarray:
    """Values of a torch tensor, an autograd_mini tensor or a number, as a numpy array."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    return np.asarray(value)


def _sequence_difference(expected, actual, rtol: float, atol: float) -> str | None:
    """None when two tuples or lists agree item by item, otherwise where they differ first."""
    if not (isinstance(expected, tuple | list) and isinstance(actual, tuple | list)):
        return f"one is a {type(expected).__name__}, the other a {type(actual).__name__}"
    if len(expected) != len(actual):
        return f"torch gave {len(expected)} items, autograd_mini {len(actual)}"
    for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
        problem = _value_difference(left, right, rtol, atol)
        if problem:
            return f"item {index}: {problem}"
    return None


def _value_difference(expected, actual, rtol: float, atol: float) -> str | None:
    """None when the values agree, otherwise a sentence saying how they differ."""
    if isinstance(expected, tuple | list) or isinstance(actual, tuple | list):
        return _sequence_difference(expected, actual, rtol, atol)
    if expected is None or actual is None:
        return None if expected is actual else "one of them is None"
    left, right = _as_array(expected), _as_array(actual)
    if left.shape != right.shape:
        return f"shapes differ: torch {list(left.shape)}, autograd_mini {list(right.shape)}"
    if left.dtype != right.dtype:
        return f"dtypes differ: torch {left.dtype}, autograd_mini {right.dtype}"
    if left.dtype == bool or left.size == 0:
        return None if np.array_equal(left, right) else "the values differ"
    left64, right64 = left.astype(np.float64), right.astype(np.float64)
    close = np.isclose(left64, right64, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    gap = np.where(close, 0.0, np.abs(left64 - right64))
    worst = np.unravel_index(int(np.argmax(gap)), gap.shape)
    where = f" at index {tuple(int(i) for i in worst)}" if left.ndim else ""
    return (
        f"values differ{where}: torch {left64[worst]:.6g}, autograd_mini {right64[worst]:.6g}"
        f" (difference {gap[worst]:.3g})"
    )


def _describe(value) -> str:
    """A short description for printouts too long to quote."""
    if isinstance(value, tuple | list):
        return f"{type(value).__name__} of {len(value)}"
    array = _as_array(value)
    return f"shape {list(array.shape)}, {array.dtype}"


def check_same(torch_result, mini_result, *, what: str = "", rtol=1e-6, atol=1e-7) -> Verdict:
    """Compare a torch result with an autograd_mini result and print a one-line verdict.

    Two things are compared: the printout (`repr`, with `torch.` read as `autograd_mini.`) and the
    values (shape, dtype, and numbers to within `rtol`/`atol`). Prints a line starting with ✓ when
    both agree, or with ✗ and the difference; returns a `Verdict`, truthy when they agree.
    """
    label = f"{what}: " if what else ""
    problem = _value_difference(torch_result, mini_result, rtol, atol)
    if problem:
        print(f"✗ {label}{problem}")
        return Verdict(False)
    torch_text, mini_text = _printout(torch_result), _printout(mini_result)
    if torch_text != mini_text:
        print(f"✗ {label}same values, different printouts:")
        print(f"    torch:         {torch_text}")
        print(f"    autograd_mini: {mini_text}")
        return Verdict(False)
    if "\n" in mini_text or len(mini_text) > _SHORT:
        shown = _describe(mini_result)
    else:
        shown = mini_text
    print(f"✓ {label}same printout and values: {shown}")
    return Verdict(True)


def error_message(action) -> str:
    """Run `action()` and return the error it raises as 'Type: message' ('no error' if none)."""
    try:
        action()
    except Exception as error:  # any error is what we want to show
        return f"{type(error).__name__}: {error}"
    return "no error"


def compare_errors(
    torch_action, mini_action, *, width: int = 72, cut_at: str | None = None
) -> Verdict:
    """Run both actions, print torch's error wrapped to `width`, and whether autograd_mini's is
    the same (with torch's module name read as ours, as `check_same` does).

    With `cut_at`, both messages end where that text first appears (e.g. " Hint:", where each
    library goes on with advice of its own)."""
    torch_text = error_message(torch_action)
    mini_text = error_message(mini_action)
    if cut_at is not None:
        torch_text, mini_text = torch_text.split(cut_at)[0], mini_text.split(cut_at)[0]
    print(textwrap.fill(torch_text, width=width, subsequent_indent="    "))
    same = torch_text.replace("torch.", "autograd_mini.") == mini_text
    print("same error in autograd_mini:", same)
    if not same:
        print(textwrap.fill(mini_text, width=width, subsequent_indent="    "))
    return Verdict(same)
