"""Making tensors: from Python data or numpy arrays, filled with constants, ranges, or random."""

import math
import warnings

import numpy as np

from . import dtypes, layout
from .arguments import check_size
from .devices import as_device
from .left_out import LEFT_OUT_DTYPES, left_out
from .ops.shape import cat, stack
from .tensor import Tensor

__all__ = [
    "tensor",
    "zeros",
    "ones",
    "zeros_like",
    "ones_like",
    "full",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "manual_seed",
    "from_numpy",
    "cat",
    "stack",
]

_COPY_CONSTRUCT_MESSAGE = (
    "To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
    "sourceTensor.detach().clone().requires_grad_(True), rather than "
    "autograd_mini.tensor(sourceTensor)."
)
_REQUIRES_GRAD_MESSAGE = "Only Tensors of floating point and complex dtype can require gradients"


def _finish(array, dtype, requires_grad, device=None):
    """Convert to ``dtype`` and set ``requires_grad``, refusing gradients on integers (and any
    device but the CPU)."""
    as_device(device)
    if dtype is not None:
        array = array.astype(dtype.numpy_dtype, copy=False)
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError(_REQUIRES_GRAD_MESSAGE)
    return Tensor(array, requires_grad=bool(requires_grad))


def _check_nested(data):
    """Raise torch's error for ragged or non-numeric nested data (walked without recursion)."""
    shape = []
    probe = data
    while isinstance(probe, (list, tuple)):
        shape.append(len(probe))
        if not probe:
            break
        probe = probe[0]
    stack_ = [(data, 0)]
    while stack_:
        item, dim = stack_.pop()
        if isinstance(item, (list, tuple)):
            if dim >= len(shape):
                raise TypeError("not a sequence")
            if len(item) != shape[dim]:
                raise ValueError(
                    f"expected sequence of length {shape[dim]} at dim {dim} (got {len(item)})"
                )
            stack_.extend((child, dim + 1) for child in item)
        elif dim < len(shape):
            raise TypeError("not a sequence")
        elif not isinstance(item, (int, float, bool, np.number, np.bool_, Tensor)):
            raise TypeError(f"new(): invalid data type '{type(item).__name__}'")


def tensor(
    data, *, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, a numpy array or a tensor).

    Python floats give float32, Python ints int64 and bools bool, as in torch.
    """
    if isinstance(data, Tensor):
        warnings.warn(_COPY_CONSTRUCT_MESSAGE, UserWarning, stacklevel=2)
        array = layout.preserving(data.array)
    elif isinstance(data, np.ndarray):
        array = data.astype(dtypes.from_numpy_dtype(data.dtype).numpy_dtype, copy=True)
    else:
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        if not isinstance(data, (int, float, bool, list, tuple, np.number, np.bool_)):
            raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
        if isinstance(data, (list, tuple)):
            _check_nested(data)
        array = np.array(data)
        if array.dtype.kind == "f" and not isinstance(data, np.floating) and dtype is None:
            array = array.astype(np.float32)
        elif array.dtype.kind in "iu":
            array = array.astype(np.int64)
        elif array.dtype.kind not in "fb":
            raise TypeError(f"new(): invalid data type '{array.dtype}'")
    return _finish(array, dtype, requires_grad, device)


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def zeros(
    *size: int, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """A tensor of zeros (float32 unless ``dtype`` says otherwise)."""
    size = check_size("zeros", _size(size), empty_message=True)
    return _finish(np.zeros(size, np.float32), dtype, requires_grad, device)


def ones(
    *size: int, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ones (float32 unless ``dtype`` says otherwise)."""
    size = check_size("ones", _size(size))
    return _finish(np.ones(size, np.float32), dtype, requires_grad, device)


def zeros_like(
    input: Tensor, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """Zeros with the shape and dtype of ``input``."""
    return _finish(_filled_like(input, 0, dtype), dtype, requires_grad, device)


def ones_like(
    input: Tensor, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """Ones with the shape and dtype of ``input``."""
    return _finish(_filled_like(input, 1, dtype), dtype, requires_grad, device)


def _filled_like(input: Tensor, value, dtype=None) -> np.ndarray:
    """New memory laid out as torch's ``empty_like`` lays it out (``input``'s strides when its
    elements fill their memory densely, row-major in their order otherwise), filled."""
    array = layout.preserving(input.array, None if dtype is None else dtype.numpy_dtype)
    array[...] = value
    return array


def full(
    size,
    fill_value: float,
    *,
    dtype: dtypes.dtype | None = None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of shape ``size`` filled with ``fill_value`` (its dtype follows the value)."""
    default = dtypes.result_type(fill_value)
    return _finish(
        np.full(check_size("full", _size((size,))), fill_value, default.numpy_dtype),
        dtype,
        requires_grad,
        device,
    )


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: dtypes.dtype | None = None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in ``[start, end)``; int64 for integer arguments, else float32."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    dtype = dtype or dtypes.result_type(start, end, step)
    array = np.arange(start, end, step, dtype=np.float64).astype(dtype.numpy_dtype)
    return _finish(array, dtype, requires_grad, device)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: dtypes.dtype | None = None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive (float32)."""
    dtype = dtype or dtypes.float32
    kind = dtype.numpy_dtype.type if dtype.is_floating_point else np.float64
    start, end = kind(start), kind(end)
    step = (end - start) / kind(max(steps - 1, 1))
    # torch's rule: the first half counts up from start, the second half down from end, each
    # value rounded once (torch uses fused multiply-add; extended precision stands in for it)
    i, wide = np.arange(steps), np.longdouble
    up = wide(start) + wide(step) * i
    down = wide(end) - wide(step) * (steps - 1 - i)
    # (one step is just ``start``: torch's halves split at steps // 2 = 0)
    array = np.where(i < steps // 2, up, down) if steps > 1 else np.full(steps, wide(start))
    return _finish(array.astype(dtype.numpy_dtype), dtype, requires_grad, device)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: dtypes.dtype | None = None,
    device=None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix (``n`` by ``m``)."""
    for name, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {size}")
    return _finish(np.eye(n, m, dtype=np.float32), dtype, requires_grad, device)


class _Generator:
    """torch's CPU generator: the same mt19937 stream and the same recipes, so that after
    ``manual_seed(s)`` the calls ``rand`` and ``randn`` give torch's numbers (``randn`` of 16 or
    more values may differ from torch in the last bit: torch has its own sin, cos and log)."""

    def __init__(self, seed):
        self.engine = np.random.RandomState(seed & 0xFFFFFFFF)  # mt19937, seeded like torch's
        self.cached_normal = None  # torch keeps the second of each Box-Muller pair for later

    def bits(self, count):
        return self.engine.randint(0, 2**32, size=count, dtype=np.uint32).astype(np.uint64)

    def uniform(self, count, dtype):
        """Values in $[0, 1)$: 24 random bits for float32, 53 (from two draws) for float64."""
        if dtype == np.float32:
            return ((self.bits(count) & np.uint64(2**24 - 1)) * 2.0**-24).astype(np.float32)
        raw = self.bits(2 * count)
        return (((raw[0::2] << np.uint64(32)) | raw[1::2]) & np.uint64(2**53 - 1)) * 2.0**-53

    def normal(self, count, dtype):
        """Standard normal values by the Box-Muller transform, in torch's order."""
        if count < 16:  # torch draws these one pair at a time, in double precision
            values = np.empty(count)
            for i in range(count):
                if self.cached_normal is None:
                    u1, u2 = self.uniform(2, np.float64)
                    radius, theta = np.sqrt(-2 * np.log1p(-u2)), 2 * np.pi * u1
                    values[i], self.cached_normal = radius * np.cos(theta), radius * np.sin(theta)
                else:
                    values[i], self.cached_normal = self.cached_normal, None
            return values.astype(dtype)
        values = self.uniform(count, dtype)
        for start in range(0, count - 15, 16):
            self._box_muller(values[start : start + 16], dtype)
        if count % 16:  # torch then redraws the last 16 values and transforms them again
            values[count - 16 :] = self.uniform(16, dtype)
            self._box_muller(values[count - 16 :], dtype)
        return values

    @staticmethod
    def _box_muller(block, dtype):
        """16 uniform values in place to 16 normal ones: pairs (u1, u2) are block[j], block[j+8]."""
        radius = np.sqrt(dtype(-2) * np.log(dtype(1) - block[:8]))
        theta = dtype(2 * np.pi) * block[8:]
        block[:8], block[8:] = radius * np.cos(theta), radius * np.sin(theta)


_generator = [_Generator(67280421310721)]  # torch's default seed


def manual_seed(seed: int) -> None:
    """Seed the random generator: ``rand`` and ``randn`` then give the same numbers as torch's."""
    _generator[0] = _Generator(int(seed))


def _random(size, dtype, requires_grad, draw, device):
    dtype = dtype or dtypes.float32
    shape = _size(size)
    values = draw(math.prod(shape), dtype.numpy_dtype.type).reshape(shape)
    return _finish(values.astype(dtype.numpy_dtype, copy=False), dtype, requires_grad, device)


def rand(
    *size: int, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """Uniform random values in $[0, 1)$ (torch's numbers for the same seed)."""
    return _random(size, dtype, requires_grad, _generator[0].uniform, device)


def randn(
    *size: int, dtype: dtypes.dtype | None = None, device=None, requires_grad: bool = False
) -> Tensor:
    """Standard normal random values (torch's numbers for the same seed)."""
    return _random(size, dtype, requires_grad, _generator[0].normal, device)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a numpy array (float32, float64, int64 or bool)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    if array.dtype.name in LEFT_OUT_DTYPES:
        raise left_out(
            f"the dtype {array.dtype.name}",
            f"convert the array to {LEFT_OUT_DTYPES[array.dtype.name]} first",
        )
    if array.dtype not in dtypes._FROM_NUMPY:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype}. The only supported types "
            "are: float64, float32, int64 and bool."
        )
    return Tensor(array)
