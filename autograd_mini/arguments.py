"""torch's checks of what a function is given, with its messages: a tensor where a tensor belongs,
whole non-negative sizes, and the method forms of the operators (``t.add(u, alpha=2)``)."""

from __future__ import annotations

import functools
from numbers import Number
from typing import TYPE_CHECKING

import numpy as np

from . import dtypes
from .broadcast import broadcast_shapes
from .left_out import left_out

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = [
    "type_name",
    "expect_tensor",
    "expect_tensors",
    "takes_a_tensor",
    "check_size",
    "refuse_result_dtype",
    "MethodForms",
]


def type_name(value) -> str:
    """The name torch's messages give ``value``'s type: ``list``, ``numpy.ndarray``, ``Tensor``."""
    kind = type(value)
    if isinstance(value, MethodForms):
        return "Tensor"
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def described(value) -> str:
    """How torch's argument parser describes what it was given: ``list of [float, int]``."""
    if isinstance(value, list):
        return f"list of [{', '.join(map(type_name, value))}]"
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(map(type_name, value))})"
    return type_name(value)


def expect_tensor(function: str, value, argument: str = "input", position: int | None = 1):
    """``value``, or torch's TypeError when it is not a tensor (``position`` None: by keyword)."""
    if not isinstance(value, MethodForms):  # (only tensors are MethodForms)
        where = "" if position is None else f" (position {position})"
        raise TypeError(
            f"{function}(): argument '{argument}'{where} must be Tensor, not {type_name(value)}"
        )
    return value


def expect_tensors(function: str, tensors) -> list[Tensor]:
    """``tensors`` (for ``cat`` and ``stack``) as a list, or torch's TypeError when it is not a
    list or tuple of tensors."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{function}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
            f"{type_name(tensors)}"
        )
    for index, tensor in enumerate(tensors):
        if not isinstance(tensor, MethodForms):
            raise TypeError(
                f"expected Tensor as element {index} in argument 0, but got {type_name(tensor)}"
            )
    return list(tensors)


def takes_a_tensor(function):
    """A module function (``autograd_mini.exp``, ...) that first checks its input is a tensor."""

    @functools.wraps(function)
    def checked(input, *args, **kwargs):
        expect_tensor(function.__name__, input)
        return function(input, *args, **kwargs)

    return checked


def check_size(function: str, size: tuple, empty_message: bool = False) -> tuple[int, ...]:
    """``size`` when it holds whole non-negative numbers, else torch's error for ``function``;
    ``zeros`` words a negative size its own way (``empty_message``)."""
    for position, item in enumerate(size):
        if not isinstance(item, (int, np.integer)) or isinstance(item, (bool, np.bool_)):
            raise TypeError(
                f"{function}(): argument 'size' (position 1) must be tuple of ints, but found "
                f"element of type {type_name(item)} at pos {position}"
            )
    negative = [item for item in size if item < 0]
    if negative and empty_message:
        raise RuntimeError(f"{function}: Dimension size must be non-negative.")
    if negative:
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {negative[0]}: {list(size)}"
        )
    return tuple(int(item) for item in size)


def refuse_result_dtype(dtype) -> None:
    """``sum(dtype=...)`` and ``mean(dtype=...)``: left out (cast first)."""
    if dtype is not None:
        raise left_out("the dtype argument of sum and mean", "cast first: x.to(dtype).sum()")


def _operand(function: str, args: tuple, kwargs: dict):
    """The ``other`` of a method form, given by position or by name, checked as torch does."""
    if len(args) + len(kwargs) != 1 or (kwargs and "other" not in kwargs):
        raise TypeError(f"{function}() takes exactly one argument, 'other'")
    other = args[0] if args else kwargs["other"]
    if isinstance(other, np.bool_):
        return float(other)  # torch reads a numpy bool as a float, as for the operators
    if isinstance(other, (MethodForms, Number)):
        return other
    return expect_tensor(function, other, "other", 1 if args else None)


def _scaled(tensor: Tensor, other, alpha):
    """``alpha * other`` for ``add``/``sub``, refusing an ``alpha`` the result's dtype cannot
    hold, as torch does (a bool result takes any whole ``alpha`` as True or False)."""
    if type(alpha) is int and alpha == 1:
        return other
    if isinstance(other, MethodForms):  # (torch checks the shapes first)
        broadcast_shapes(tensor.shape, other.shape)
    number = other if isinstance(other, MethodForms) else operands.number(other)
    result = dtypes.result_type(tensor, number)
    if isinstance(alpha, (float, np.floating)) and not result.is_floating_point:
        raise RuntimeError(
            "For integral input tensors, argument alpha must not be a floating point number."
        )
    if result is dtypes.bool:
        if alpha:
            return other
        return other * False if isinstance(other, MethodForms) else False
    if isinstance(alpha, (bool, np.bool_)):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    return other if alpha == 1 else other * alpha


class MethodForms:
    """``add``, ``sub``, ``mul``, ``div``, ``pow`` and ``matmul``: the operators as methods,
    which (unlike the operators) take ``other`` by name and refuse a list or an array with
    torch's TypeError; ``add`` and ``sub`` scale ``other`` by ``alpha``."""

    __slots__ = ()

    def add(self, *args, alpha=1, **kwargs) -> Tensor:
        """``self + alpha * other``."""
        return self + _scaled(self, _operand("add", args, kwargs), alpha)

    def sub(self, *args, alpha=1, **kwargs) -> Tensor:
        """``self - alpha * other``."""
        other = _operand("sub", args, kwargs)
        operands.refuse_bool_subtraction(self, other)
        return self - _scaled(self, other, alpha)

    def mul(self, *args, **kwargs) -> Tensor:
        """``self * other``."""
        return self * _operand("mul", args, kwargs)

    def div(self, *args, **kwargs) -> Tensor:
        """``self / other``."""
        return self / _operand("div", args, kwargs)

    def pow(self, exponent) -> Tensor:
        """``self ** exponent``."""
        if not isinstance(exponent, (MethodForms, Number, np.bool_)):
            got = described(exponent)
            mismatch = (
                f"      didn't match because some of the arguments have invalid types: (!{got}!)\n"
            )
            raise TypeError(
                "pow() received an invalid combination of arguments - got "
                f"({type_name(exponent)}), but expected one of:\n * (Tensor exponent)\n"
                f"{mismatch} * (Number exponent)\n{mismatch}"
            )
        return self**exponent

    def matmul(self, other) -> Tensor:
        """The matrix product ``self @ other``."""
        return self @ expect_tensor("matmul", other, "other")


# Late imports: these modules import this one, so they are loaded once it is complete.
from . import operands  # noqa: E402
