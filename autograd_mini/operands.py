"""Arguments made ready for the ops: numbers and lists become tensors of torch's promoted dtype,
shapes are checked, and dimension arguments become non-negative indices."""

from collections.abc import Callable

import numpy as np

from . import dtypes, layout
from .broadcast import broadcast_shapes, normalize_dim
from .left_out import left_out, numpy_operand
from .tensor import Tensor

__all__ = [
    "as_tensor",
    "operands",
    "number",
    "reduced_dims",
    "refuse_bool_subtraction",
    "not_a_matrix",
    "refuse_bool",
    "power_operands",
    "refuse_negative_integer_power",
    "refuse_bool_base",
    "logical",
]

_NUMBER_TYPES = (int, float, bool, np.number, np.bool_)


def as_tensor(value, dtype: dtypes.dtype | None = None) -> Tensor:
    """``value`` itself if it is a tensor, else a tensor of its values (Python floats: float32)."""
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if dtype is None:
        dtype = dtypes.from_numpy_dtype(array.dtype)
        if dtype is dtypes.float64 and not isinstance(value, np.ndarray):
            dtype = dtypes.float32
    return Tensor(array.astype(dtype.numpy_dtype, copy=False))


def operands(a: Tensor, b, floating: bool = False, broadcast: bool = True) -> tuple[Tensor, Tensor]:
    """Two operands as tensors of their common dtype (torch's promotion) and checked shapes;
    ``floating`` asks for a floating-point result (``/``), ``broadcast`` checks the shapes."""
    kind = type(b)
    if (kind is float or kind is int) and a.array.dtype.kind == "f":  # the common case, fast
        return a, Tensor(np.array(b, a.array.dtype))
    if kind is not Tensor:
        b = _number_or_tensor(b)
    if type(b) is Tensor:
        if broadcast and a.array.shape != b.array.shape:
            broadcast_shapes(a.array.shape, b.array.shape)
        if a.array.dtype is b.array.dtype and (not floating or a.array.dtype.kind == "f"):
            return a, b
    common = dtypes.result_type(a, b)
    if floating and not common.is_floating_point:
        common = dtypes.float32
    if type(b) is Tensor:
        return a.to(common), b.to(common)
    return a.to(common), Tensor(np.asarray(b, dtype=common.numpy_dtype))


def _number_or_tensor(value):
    """A Python number as it is (a numpy number as a Python one); anything else is an error."""
    if isinstance(value, np.bool_):
        return float(
            value
        )  # torch reads a numpy bool as a float: bool tensor + np.True_ is float32
    if isinstance(value, _NUMBER_TYPES):
        return value.item() if isinstance(value, np.generic) else value
    if isinstance(value, np.ndarray):
        raise numpy_operand()
    raise TypeError(
        f"unsupported operand type for a Tensor and a {type(value).__name__}: "
        f"'{type(value).__name__}'"
    )


def number(value) -> int | float | bool:
    """A Python number from a number, a numpy number or a one-element tensor."""
    if isinstance(value, (np.generic, Tensor)):
        return value.item()
    return value


def reduced_dims(dim: int | tuple[int, ...], ndim: int) -> tuple[int, ...]:
    """The dimensions a reduction over ``dim`` (an int or a sequence; empty means all) removes."""
    if isinstance(dim, int):
        dims = (normalize_dim(dim, ndim),)
    else:
        dims = tuple(normalize_dim(d, ndim) for d in dim) if len(dim) else tuple(range(ndim))
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims if ndim else ()  # torch accepts dim 0 or -1 on a 0-d tensor: it reduces nothing


# ----- operands torch refuses ------------------------------------------------------------------
# What torch says when an operation refuses bool tensors.
BOOL_REFUSALS = {
    "neg": (
        RuntimeError,
        "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
        "invert a mask, use the `~` or `logical_not()` operator instead.",
    ),
    "abs": (NotImplementedError, "\"abs_cpu\" not implemented for 'Bool'"),
    "relu": (RuntimeError, "Boolean inputs not supported for relu"),
    "pow": (NotImplementedError, "\"pow\" not implemented for 'Bool'"),
}


def refuse_bool(operation: str, *values) -> None:
    """torch's error for ``operation`` when all its ``values`` are bool (tensors or Python)."""
    for value in values:  # (a bool tensor holds a numpy array of kind "b")
        if not (
            isinstance(value, bool) or (type(value) is Tensor and value.array.dtype.kind == "b")
        ):
            return  # one value that is not bool is enough
    error, message = BOOL_REFUSALS[operation]
    raise error(message)


def logical(a: Tensor, b, numpy_function: Callable, bitwise_name: str | None = None) -> Tensor:
    """A comparison or a bitwise operation (``&``, ``|``, ``^``): a bool (or integer) tensor,
    never recorded; torch refuses bitwise operations on floating-point tensors."""
    a, b = operands(a, b)
    if bitwise_name and a.array.dtype.kind == "f":
        raise NotImplementedError(
            f"\"{bitwise_name}_cpu\" not implemented for '{a.dtype.type_name}'"
        )
    result = np.asarray(numpy_function(a.array, b.array))
    return Tensor(layout.elementwise(result, (a.array, b.array)))


def refuse_bool_subtraction(tensor: Tensor, other) -> None:
    """torch's errors for ``-`` with a bool tensor or a Python bool on either side."""
    if isinstance(other, np.ndarray):
        raise numpy_operand()
    other_is_bool = isinstance(other, bool) or (
        isinstance(other, Tensor) and other.array.dtype.kind == "b"
    )
    tensor_is_bool = tensor.array.dtype.kind == "b"
    if tensor_is_bool and other_is_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if tensor_is_bool or other_is_bool:
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def power_operands(base: Tensor, exponent: Tensor) -> tuple[Tensor, Tensor]:
    """The operands of ``base ** exponent`` for two tensors: torch checks their shapes before
    its kernel refuses two bool tensors."""
    pair = operands(base, exponent)
    refuse_bool("pow", base, exponent)
    if exponent.array.dtype.kind == "b":  # torch keeps a bool exponent as it is: its backward
        return pair[0], exponent  # then computes exponent - 1, which refuses a bool tensor
    return pair


def refuse_negative_integer_power(base: Tensor, exponent) -> None:
    """torch's error for an integer (or bool) tensor to a negative integer (Python) power."""
    if isinstance(exponent, Tensor):
        return
    exponent = number(exponent)
    if base.array.dtype.kind in "iub" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


def refuse_bool_base(exponent: Tensor, base) -> None:
    """``True ** x`` for an ``x`` that requires grad: torch's own backward fails on a bool base
    (an internal assert), so autograd_mini leaves it out."""
    if isinstance(base, bool) and exponent.requires_grad:
        raise left_out(
            "a Python bool raised to the power of a tensor that requires grad (torch's backward "
            "fails on it)",
            f"write the base as {float(base)}",
        )


def not_a_matrix(other):
    """``@`` with something that is not a tensor: NotImplemented, so Python raises its TypeError
    (a numpy array is left out, as for the other operators)."""
    if isinstance(other, np.ndarray):
        raise numpy_operand()
    return NotImplemented
