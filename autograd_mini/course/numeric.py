"""Slopes from function values alone: the finite differences chapter 4 compares with autograd.

Plain Python floats and numpy only, so the comparison with autograd is independent of both engines.
"""

import math
from collections.abc import Callable, Sequence


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    r"""The slope of `f` at `x` from two nearby values: $\frac{f(x + h) - f(x - h)}{2h}$."""
    if not h > 0:
        raise ValueError(f"the step h must be a positive number, got {h!r}")
    return (f(x + h) - f(x - h)) / (2 * h)


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    r"""The one-sided slope $\frac{f(x + h) - f(x)}{h}$: simpler, but less accurate than central."""
    if not h > 0:
        raise ValueError(f"the step h must be a positive number, got {h!r}")
    return (f(x + h) - f(x)) / h


def partial_differences(
    f: Callable[..., float], point: Sequence[float], h: float = 1e-5
) -> tuple[float, ...]:
    """Central-difference slopes of `f(*point)` along each argument, the others held still."""
    slopes = []
    for index in range(len(point)):
        ahead, behind = list(point), list(point)
        ahead[index] += h
        behind[index] -= h
        slopes.append((f(*ahead) - f(*behind)) / (2 * h))
    return tuple(slopes)


def difference_errors(
    f: Callable[[float], float], exact_slope, x: float, steps: Sequence[float]
) -> dict[str, list[float]]:
    """How far the forward and central differences land from `exact_slope`, for each step h.

    `exact_slope` may be a float or a more precise number (an mpmath value); the distances are
    computed in its precision and returned as floats.
    """
    return {
        "forward": [float(abs(forward_difference(f, x, h) - exact_slope)) for h in steps],
        "central": [float(abs(central_difference(f, x, h) - exact_slope)) for h in steps],
    }


def log_steps(largest: float = 1.0, smallest: float = 1e-12, per_decade: int = 4) -> list[float]:
    """Steps h from `largest` down to `smallest`, evenly spaced on a log scale."""
    count = round(math.log10(largest / smallest) * per_decade) + 1
    ratio = (smallest / largest) ** (1 / (count - 1))
    return [largest * ratio**i for i in range(count)]
