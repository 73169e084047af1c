"""Values and derivatives at a point, computed by autograd_mini and (when installed) by torch."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

import autograd_mini as am

#: Relative and absolute tolerance for "autograd_mini and torch agree" (both compute in float64).
RTOL, ATOL = 1e-9, 1e-12


@dataclass(frozen=True)
class PointResult:
    """f and its first (and optionally second) derivatives at one point, from one library.

    ``gradient`` holds one slope per variable; ``second`` holds d²f/dx² for one variable, else None.
    ``error`` is a short message when the library could not compute (then the numbers are nan).
    """

    value: float
    gradient: tuple[float, ...]
    second: float | None = None
    error: str | None = None


@contextmanager
def quiet() -> Iterator[None]:
    """Silence floating-point warnings (log(0), 1/0): the readout shows inf and nan instead."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _failed(count: int, message: str) -> PointResult:
    return PointResult(math.nan, (math.nan,) * count, None, message)


def _as_float(value) -> float:
    try:
        return float(value.item() if hasattr(value, "item") else value)
    except (TypeError, ValueError):
        return math.nan


def _scalar(library, value):
    """A 0-d float64 tensor holding exactly ``value`` (built from a numpy float64 array)."""
    return library.from_numpy(np.array(float(value), dtype=np.float64))


def _gradients(library, output, inputs, create_graph: bool):
    """d output / d input for each input, None for an input the output does not use."""
    if library.__name__ == "torch":
        return library.autograd.grad(
            output, inputs, allow_unused=True, retain_graph=True, create_graph=create_graph
        )
    try:
        return library.grad(output, inputs, retain_graph=True, create_graph=create_graph)
    except RuntimeError:  # one input is unused: ask for each input on its own
        grads = []
        for tensor in inputs:
            try:
                (g,) = library.grad(output, [tensor], retain_graph=True, create_graph=create_graph)
            except RuntimeError:
                g = None
            grads.append(g)
        return tuple(grads)


def _evaluate_with(library, f, point, second: bool) -> PointResult:
    inputs = [_scalar(library, p).requires_grad_() for p in point]
    output = f(*inputs)
    if not hasattr(output, "requires_grad"):
        output = library.tensor(float(output), dtype=library.float64)
    value = _as_float(output)
    if not output.requires_grad:  # f does not depend on its inputs
        return PointResult(value, (0.0,) * len(point), 0.0 if second else None)
    grads = _gradients(library, output, inputs, second)
    slopes = tuple(0.0 if g is None else _as_float(g) for g in grads)
    curvature = None
    if second:
        first = grads[0]
        if first is None or not first.requires_grad:
            curvature = 0.0
        else:
            (g2,) = _gradients(library, first, inputs[:1], False)
            curvature = 0.0 if g2 is None else _as_float(g2)
    return PointResult(value, slopes, curvature)


def at_point_autograd_mini(
    f: Callable, point: tuple[float, ...], second: bool = False
) -> PointResult:
    """f(point) and its gradient computed by autograd_mini in float64."""
    try:
        with quiet():
            return _evaluate_with(am, f, point, second)
    except Exception as error:  # a reader's function may fail in any way; show it, don't crash
        return _failed(len(point), f"autograd_mini: {type(error).__name__}: {error}")


def torch_module() -> Any:
    """The torch module, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def at_point_torch(f: Callable, point: tuple[float, ...], second: bool = False) -> PointResult:
    """f(point) and its gradient computed by torch in float64 (an ``error`` if torch is missing)."""
    torch = torch_module()
    if torch is None:
        return _failed(len(point), "torch is not installed")
    try:
        with quiet():
            return _evaluate_with(torch, f, point, second)
    except Exception as error:
        return _failed(len(point), f"torch: {type(error).__name__}: {error}")


def agree(a: float, b: float) -> bool:
    """True when two numbers are equal within ``RTOL`` / ``ATOL`` (nan equals nan)."""
    if math.isnan(a) and math.isnan(b):
        return True
    return bool(np.isclose(a, b, rtol=RTOL, atol=ATOL))


def values_on_grid(f: Callable, *grids: np.ndarray) -> np.ndarray:
    """f evaluated by autograd_mini on arrays of points (elementwise), without building a graph."""
    with am.no_grad(), quiet():
        try:
            inputs = [am.from_numpy(np.asarray(g, dtype=np.float64)) for g in grids]
            result = f(*inputs)
            values = np.asarray(result.numpy() if hasattr(result, "numpy") else result, float)
            if values.shape == np.shape(grids[0]):
                return values
            if values.size == 1:
                return np.full(np.shape(grids[0]), float(values.reshape(-1)[0]))
        except Exception:  # noqa: S110 - fall back to one point at a time below
            pass
        flat = [np.asarray(g, float).reshape(-1) for g in grids]
        out = np.empty(flat[0].size)
        for i in range(out.size):
            try:
                value = f(*[_scalar(am, g[i]) for g in flat])
                out[i] = _as_float(value)
            except Exception:
                out[i] = math.nan
        return out.reshape(np.shape(grids[0]))
