"""Arguments made ready for the ops: numbers and lists become tensors of torch's promoted dtype,
shapes are checked, and dimension arguments become non-negative indices."""

import numpy as np

from . import dtypes
from .broadcast import broadcast_shapes, normalize_dim
from .left_out import numpy_operand
from .tensor import Tensor

__all__ = ["as_tensor", "operands", "number", "reduced_dims"]

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
    if ndim == 0:  # torch accepts dim 0 or -1 on a 0-d tensor and reduces nothing
        for d in (dim,) if isinstance(dim, int) else dim:
            normalize_dim(d, ndim)
        return ()
    if isinstance(dim, int):
        return (normalize_dim(dim, ndim),)
    dims = tuple(normalize_dim(d, ndim) for d in dim) if len(dim) else tuple(range(ndim))
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims
