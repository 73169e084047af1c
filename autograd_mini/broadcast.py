"""Shape rules: dimension indices, the result shape of two operands (broadcasting), and the one
place gradients are summed back."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only
    from .tensor import Tensor

__all__ = ["normalize_dim", "broadcast_shapes", "unbroadcast"]


def normalize_dim(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative index, or torch's IndexError when it is out of range."""
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % ndim if ndim else 0


def measured_dim(dim: int, ndim: int) -> int:
    """``dim`` for ``size(dim)`` and ``stride(dim)``: a 0-d tensor has no dimension to measure."""
    if not ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return normalize_dim(dim, ndim)


def broadcast_shapes(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> tuple[int, ...]:
    """The shape two operands broadcast to, or torch's RuntimeError when they cannot."""
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    for dim in reversed(range(ndim)):
        size_a, size_b = padded_a[dim], padded_b[dim]
        if size_a != size_b and size_a != 1 and size_b != 1:
            raise RuntimeError(
                f"The size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {dim}"
            )
    return tuple(max(a, b) if a and b else 0 for a, b in zip(padded_a, padded_b, strict=True))


def unbroadcast(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    r"""Sum ``grad`` back to ``shape``: an input used $k$ times by broadcasting gets $k$ gradients."""  # noqa: E501
    if grad.array.shape == shape:
        return grad
    if not shape:  # as torch's sum_to: a 0-d operand's gradient is the whole sum
        return grad.sum()
    extra = grad.ndim - len(shape)
    dims = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.array.shape[extra + i] != 1
    )
    summed = grad.sum(dim=dims, keepdim=True)
    return summed.reshape(shape) if extra else summed  # a view only to drop dims, as torch's sum_to
