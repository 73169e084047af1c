"""Memory layout: the strides torch gives a tensor, where numpy would choose others.

A stride is how many elements memory advances along a dimension. Along a dimension longer than
1, memory fixes the stride of a view, so numpy and torch agree there. They differ in three places,
and each function below is torch's rule for one of them:

- a dimension of size 1 is never stepped along, so its stride is free: torch's views give it one
  by rule (``view_strides``, ``expanded``), and torch compares strides to decide whether two
  views overlap in part;
- a new result follows its operands' layout (``elementwise``, ``preserving``), first operand
  first, where numpy lays out row by row whenever its operands disagree;
- an empty tensor has no memory to fix any stride (``new_empty``).
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "strides",
    "new_empty",
    "with_strides",
    "contiguous_strides",
    "contiguous",
    "view_strides",
    "reshaped",
    "expanded",
    "elementwise",
    "row_major",
    "preserving",
    "non_overlapping_and_dense",
    "copy_with_strides",
    "empty_like",
]


def strides(array: np.ndarray) -> tuple[int, ...]:
    """The array's strides in elements."""
    return tuple(step // array.itemsize for step in array.strides)


def new_empty(array: np.ndarray) -> np.ndarray:
    """An empty array numpy just made, with the row-major strides torch gives a new tensor
    (numpy gives it zero strides, which its views would inherit)."""
    if array.flags.owndata:
        return _allocated(array.shape, array.dtype, contiguous_strides(array.shape))
    return array


def _allocated(shape, dtype, element_strides) -> np.ndarray:
    """New memory read with ``element_strides``, as long as the elements span."""
    pairs = zip(shape, element_strides, strict=True)
    span = 1 + sum((size - 1) * step for size, step in pairs) if math.prod(shape) else 0
    steps = tuple(step * dtype.itemsize for step in element_strides)
    return np.ndarray(shape, dtype, buffer=bytearray(span * dtype.itemsize), strides=steps)


def with_strides(array: np.ndarray, element_strides) -> np.ndarray:
    """The same memory as ``array``, read with ``element_strides``."""
    steps = tuple(stride * array.itemsize for stride in element_strides)
    if steps == array.strides:
        return array
    return np.lib.stride_tricks.as_strided(array, array.shape, steps)


def contiguous_strides(shape) -> tuple[int, ...]:
    """Row-major strides, as torch gives a new tensor."""
    result, step = [], 1
    for size in reversed(shape):
        result.append(step)
        step *= max(size, 1)
    return tuple(reversed(result))


def contiguous(array: np.ndarray) -> np.ndarray:
    """``array``, copied if need be, with row-major strides (what torch's reductions give)."""
    if array.size and row_major(array):
        return array
    return copy_with_strides(array, contiguous_strides(array.shape))


def view_strides(shape, old_strides, new_shape) -> tuple[int, ...] | None:
    """The strides of ``view(new_shape)`` of a tensor of ``shape`` and ``old_strides``, or None
    when its memory cannot be read in that shape: torch's ``computeStride`` (ATen's
    TensorUtils.cpp), which splits the old dimensions into chunks that lie in memory one after
    another and gives each new dimension, size 1 included, the step of the chunk it falls in."""
    if not shape:
        return (1,) * len(new_shape)
    if math.prod(shape) == 0:  # no memory to read: the old strides, or row-major ones
        same = tuple(shape) == tuple(new_shape)
        return tuple(old_strides) if same else contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    view_dim, chunk_step, chunk_size, view_size = len(new_shape) - 1, old_strides[-1], 1, 1
    for dim in reversed(range(len(shape))):
        chunk_size *= shape[dim]
        chunk_ends = dim == 0 or (
            shape[dim - 1] != 1 and old_strides[dim - 1] != chunk_size * chunk_step
        )
        if chunk_ends:
            while view_dim >= 0 and (view_size < chunk_size or new_shape[view_dim] == 1):
                new_strides[view_dim] = view_size * chunk_step
                view_size *= new_shape[view_dim]
                view_dim -= 1
            if view_size != chunk_size:
                return None
            if dim > 0:
                chunk_step, chunk_size, view_size = old_strides[dim - 1], 1, 1
    return tuple(new_strides) if view_dim == -1 else None


def reshaped(array: np.ndarray, shape) -> np.ndarray:
    """``array.reshape(shape)`` with torch's strides where memory does not fix them (dimensions
    of size 1, empty arrays); numpy gives the same from row-major strides."""
    result = array.reshape(shape)
    if (1 in shape or 0 in shape) and not (array.size and row_major(array)):
        steps = view_strides(array.shape, strides(array), shape)
        if steps is not None:  # (None: numpy copied, as torch's reshape does)
            return with_strides(result, steps)
    return result


def expanded(array: np.ndarray, shape) -> np.ndarray:
    """``array`` expanded to ``shape`` with torch's strides (``inferExpandGeometry``): a repeated
    dimension has stride 0, a new leading one of size 1 steps over the ones after it."""
    steps, lead = [0] * len(shape), len(shape) - array.ndim
    for i in reversed(range(len(shape))):
        dim = i - lead
        if dim >= 0:
            steps[i] = array.strides[dim] if array.shape[dim] == shape[i] else 0
        else:  # (a 0-d array gets stride 0 everywhere, as torch's expand gives it)
            inner = shape[i + 1] * steps[i + 1] if i + 1 < len(shape) else 0
            steps[i] = inner if shape[i] == 1 else 0
    return np.lib.stride_tricks.as_strided(array, shape, steps)


def non_overlapping_and_dense(shape, element_strides) -> bool:
    """Whether the elements fill one block of memory, each slot once, in some order of dims
    (torch's ``is_non_overlapping_and_dense``: an empty tensor does, as it is contiguous)."""
    if 0 in shape:
        return True
    required = 1
    for step, size in sorted((s, n) for s, n in zip(element_strides, shape, strict=True) if n > 1):
        if step != required:
            return False
        required *= size
    return True


def _fastest_first(shape, operand_strides) -> list[int]:
    """The dimensions ordered from the one memory steps along fastest, as torch's TensorIterator
    (``reorder_dimensions``) orders them: an insertion sort from the last dimension, where the
    first operand whose strides tell two dimensions apart decides (equal strides: the shorter
    dimension first) and a broadcast dimension (stride 0) leaves the decision to the next."""

    def after(dim0, dim1):  # 1: dim0 goes after dim1, -1: before, 0: no operand can tell
        for steps in operand_strides:
            step0, step1 = steps[dim0], steps[dim1]
            if step0 == 0 or step1 == 0:
                continue
            if step0 != step1:
                return 1 if step0 > step1 else -1
            if shape[dim0] > shape[dim1]:
                return 1
        return 0

    order = list(reversed(range(len(shape))))
    for i in range(1, len(shape)):
        moving = i
        for before in reversed(range(i)):
            comparison = after(order[before], order[moving])
            if comparison > 0:
                order[before], order[moving] = order[moving], order[before]
                moving = before
            elif comparison < 0:
                break
    return order


def empty_like(array: np.ndarray) -> np.ndarray:
    """New memory laid out as ``array`` is (torch's ``empty_strided`` with its strides)."""
    return _allocated(array.shape, array.dtype, strides(array))


def copy_with_strides(values: np.ndarray, element_strides, dtype=None) -> np.ndarray:
    """A new array of ``values`` (cast to ``dtype``) laid out with ``element_strides``."""
    result = _allocated(
        values.shape, values.dtype if dtype is None else np.dtype(dtype), element_strides
    )
    result[...] = values
    return result


def _broadcast_strides(array, shape):
    """An operand's strides as TensorIterator reads them: 0 where it is broadcast."""
    lead = len(shape) - array.ndim
    steps = strides(array)
    return (0,) * lead + tuple(
        0 if size == 1 and shape[lead + i] != 1 else step
        for i, (size, step) in enumerate(zip(array.shape, steps, strict=True))
    )


def _iterator_strides(shape, operands) -> tuple[int, ...]:
    """The strides torch's TensorIterator gives a new output (``allocate_or_resize_outputs``)."""
    if all(operand.shape == shape for operand in operands):  # its fast setup
        if all(operand.flags.c_contiguous for operand in operands):
            return contiguous_strides(shape)
        if len(shape) == 4 and all(_channels_last(shape, strides(op)) for op in operands):
            n, c, h, w = shape  # an image batch stored pixel by pixel, channels innermost
            return (h * w * c, 1, w * c, c)
        first = strides(operands[0])
        same = all(strides(operand) == first for operand in operands)
        if same and non_overlapping_and_dense(shape, first):
            return first
    order = _fastest_first(shape, [_broadcast_strides(operand, shape) for operand in operands])
    if order == list(reversed(range(len(shape)))):
        return contiguous_strides(shape)
    result, step = [0] * len(shape), 1
    for dim in order:  # row-major in that order (a size-0 dimension zeroes the steps after it)
        result[dim] = step
        step *= shape[dim]
    return tuple(result)


def _channels_last(shape, element_strides) -> bool:
    """Whether a 4-d tensor (N, C, H, W) is contiguous in torch's channels-last order: C
    innermost, then W, H and N (size-1 dimensions may have any stride)."""
    expected = 1
    for dim in (1, 3, 2, 0):
        if shape[dim] != 1:
            if element_strides[dim] != expected:
                return False
            expected *= shape[dim]
    return True


def elementwise(result: np.ndarray, operands) -> np.ndarray:
    """``result`` (numpy's, of the arrays ``operands``) laid out as torch lays out an elementwise
    result. When every operand is C-contiguous, both libraries lay it out row by row, unless
    the result is empty, or has a dimension of size 1 (whose stride memory does not fix): then
    only if the operands have row-major strides there too. That common case costs a check per
    operand."""
    shape = result.shape
    if len(shape) < 2:  # one way to lay it out
        return result
    for operand in operands:
        if not operand.flags.c_contiguous:
            break
    else:
        if min(shape) > 1 or (result.size and all(row_major(operand) for operand in operands)):
            return result
    wanted = _iterator_strides(shape, operands)
    return result if strides(result) == wanted else copy_with_strides(result, wanted)


def row_major(array: np.ndarray) -> bool:
    """Whether the array has the strides of a new row-major array, at size-1 dimensions too."""
    return array.strides == _row_major_steps(array.shape, array.itemsize)


@functools.lru_cache(maxsize=1024)  # (a training loop meets the same few shapes again and again)
def _row_major_steps(shape, itemsize) -> tuple[int, ...]:
    return tuple(step * itemsize for step in contiguous_strides(shape))


def preserving(array: np.ndarray, dtype=None) -> np.ndarray:
    """A copy (cast to ``dtype``) in torch's ``preserve_format`` layout (``clone``, ``to``): the
    same strides when the elements fill their memory densely, else row-major in the order of
    the array's strides (ATen's ``infer_dense_strides``)."""
    steps = strides(array)
    if not non_overlapping_and_dense(array.shape, steps):
        order, steps, step = _fastest_first(array.shape, [steps]), [0] * array.ndim, 1
        for dim in order:
            steps[dim] = step
            step *= max(array.shape[dim], 1)
    return copy_with_strides(array, steps, dtype)
