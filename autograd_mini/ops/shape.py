"""Shape operations: the same numbers, rearranged. Gradients are rearranged back."""

import math
import warnings

import numpy as np

from .. import dtypes, layout, views
from ..arguments import expect_tensors
from ..broadcast import normalize_dim, unbroadcast
from ..function import Function
from ..left_out import left_out
from ..tensor import Tensor


class View(Function):
    r"""$\frac{\partial y}{\partial x} = I$: ``reshape`` and ``view`` only relabel the elements"""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.array.shape
        return layout.reshaped(x.array, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class ReshapeAlias(View):
    r"""$\frac{\partial y}{\partial x} = I$: ``reshape`` of a tensor that is not contiguous but
    whose memory can be read in the new shape (torch's ``_reshape_alias``)"""

    node_name = "ReshapeAliasBackward0"


class ReshapeCopy(View):
    r"""$\frac{\partial y}{\partial x} = I$: ``reshape`` of a tensor whose memory cannot be viewed
    in the new shape copies the values first"""

    node_name = "UnsafeViewBackward0"


class Transpose(Function):
    r"""$\frac{\partial y_{\ldots j \ldots i \ldots}}{\partial x_{\ldots i \ldots j \ldots}} = 1$:
    swap the dimensions back"""

    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = dim0, dim1
        return np.swapaxes(x.array, dim0, dim1) if x.array.ndim else x.array

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.dims), None, None


class Permute(Function):
    r"""$\frac{\partial y}{\partial x} = P$, a permutation: apply the inverse permutation"""

    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.transpose(x.array, dims)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(np.argsort(ctx.dims).tolist()), None


class Squeeze(Function):
    r"""$\frac{\partial y}{\partial x} = I$: put the size-1 dimensions back"""

    node_name = "SqueezeBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.squeezed = [d for d, size in enumerate(x.array.shape) if size == 1]
        return np.squeeze(x.array)

    @staticmethod
    def backward(ctx, grad):
        return unsqueeze_to(grad, ctx.squeezed)


def unsqueeze_to(grad, squeezed):
    """torch's ``unsqueeze_to``: each squeezed dimension put back by ``unsqueeze``, in order (the
    gradient itself if none was), so its strides and, recorded, its nodes are torch's."""
    for dim in squeezed:
        grad = grad.unsqueeze(dim)
    return grad


class SqueezeDim(Function):
    r"""$\frac{\partial y}{\partial x} = I$: put the size-1 dimension back"""

    node_name = "SqueezeBackward1"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.squeezed = [dim] if x.array.shape[dim : dim + 1] == (1,) else []
        return np.squeeze(x.array, dim) if ctx.squeezed else x.array

    @staticmethod
    def backward(ctx, grad):
        return unsqueeze_to(grad, ctx.squeezed), None


class SqueezeDims(SqueezeDim):
    r"""$\frac{\partial y}{\partial x} = I$: put the size-1 dimensions of a tuple of dims back"""

    node_name = "SqueezeBackward2"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.squeezed = sorted({d for d in dims if x.array.shape[d] == 1})
        return np.squeeze(x.array, tuple(ctx.squeezed))


class Unsqueeze(Function):
    r"""$\frac{\partial y}{\partial x} = I$: remove the inserted dimension"""

    node_name = "UnsqueezeBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        array, place = x.array, dim % (x.array.ndim + 1)
        # torch's stride for the new dimension: the step over the one at its place (numpy's 0)
        step = array.shape[place] * array.strides[place] if place < array.ndim else array.itemsize
        shape = array.shape[:place] + (1,) + array.shape[place:]
        strides = array.strides[:place] + (step,) + array.strides[place:]
        return np.lib.stride_tricks.as_strided(array, shape, strides)

    @staticmethod
    def backward(ctx, grad):
        return grad.squeeze(ctx.dim), None


class Expand(Function):
    r"""$\frac{\partial y_j}{\partial x_i} = 1$ for every copy $j$ of $x_i$: sum the copies"""

    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.array.shape
        return layout.expanded(x.array, shape)  # writable, unlike numpy's broadcast_to

    @staticmethod
    def backward(ctx, grad):  # torch's sum_to: a new view when there is nothing to sum
        summed = unbroadcast(grad, ctx.shape)
        return (grad.view(ctx.shape) if summed is grad else summed), None


class Alias(Function):
    r"""$\frac{\partial y}{\partial x} = I$: ``x[...]`` or ``x[:, :]`` is all of ``x``, as a view"""

    node_name = "AliasBackward0"

    @staticmethod
    def forward(ctx, x):
        return x.array

    @staticmethod
    def backward(ctx, grad):
        return grad


class Clone(Function):
    r"""$\frac{\partial y}{\partial x} = I$"""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return layout.preserving(x.array)

    @staticmethod
    def backward(ctx, grad):
        return grad


class ToCopy(Function):
    r"""$\frac{\partial y}{\partial x} = I$: the gradient is converted back to the input's dtype"""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype = x.dtype
        return layout.preserving(x.array, dtype.numpy_dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.dtype), None


class Index(Function):
    r"""$\frac{\partial x_k}{\partial x_i} = [i = k]$: each gradient goes back where its value came from"""  # noqa: E501

    node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, key, indices=None):
        ctx.key, ctx.shape = key, x.array.shape
        if ctx.function is Index:  # torch's IndexBackward0 saves the index tensors: a backward
            # frees them, a change in place since refuses (``indices``: those the key came from)
            if indices is None:
                indices = [Tensor(part) for part in key if type(part) is np.ndarray]
            ctx.save_for_backward(*indices)
        return x.array[key]

    @staticmethod
    def backward(ctx, grad):
        result = IndexGrad.apply(grad, ctx.key, ctx.shape)
        if ctx.function in (Index, AsStrided):  # torch writes into zeros in place (index_put_)
            result._version = 1
        return result, None, None


class Select(Index):
    r"""$\frac{\partial x_k}{\partial x_i} = [i = k]$: the gradient fills the selected row"""

    node_name = "SelectBackward0"


class Slice(Index):
    r"""$\frac{\partial x_k}{\partial x_i} = [i = k]$: the gradient fills the slice, zeros elsewhere"""  # noqa: E501

    node_name = "SliceBackward0"

    @staticmethod
    def forward(ctx, x, key):
        result = Index.forward(ctx, x, key)
        if result.size:
            return result
        steps = list(layout.strides(x.array))  # torch multiplies the stride by the slice's step,
        steps[len(key) - 1] *= key[-1].step or 1  # numpy not where the slice is empty
        return layout.with_strides(result, steps)


class Unbind(Index):
    r"""$\frac{\partial x_k}{\partial x_i} = [i = k]$: iterating over a tensor gives its rows"""

    node_name = "UnbindBackward0"


class IndexGrad(Function):
    r"""Scatter-add into zeros: the backward of indexing; its own derivative is indexing again"""

    node_name = "IndexBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, key, shape):
        ctx.key = key
        result = np.zeros(shape, dtype=grad.array.dtype)
        np.add.at(result, key, grad.array)  # repeated indices add up
        return result

    @staticmethod
    def backward(ctx, grad):
        return Index.apply(grad, ctx.key), None, None


class CopySlices(Function):
    r"""$\frac{\partial}{\partial x}$ is 1 outside the written slots and 0 inside them; the written
    values get the gradient of their slots"""

    node_name = "autograd_mini::autograd::CopySlices"

    @staticmethod
    def forward(ctx, x, value, key):
        ctx.key, ctx.value_shape, ctx.value_dtype = key, value.array.shape, value.dtype
        ctx.from_view = False  # True for a change in place of a view (views.py sets it)
        x.array[key] = value.array  # in place, like torch: views of x see the change
        return x.array

    @staticmethod
    def backward(ctx, grad):
        kept = np.ones(grad.array.shape, dtype=grad.array.dtype)
        kept[ctx.key] = 0
        written, rest = Index.apply(grad, ctx.key), grad * Tensor(kept)
        if ctx.function is CopySlices:  # torch hands the written slots' gradient on as a clone,
            written = written.clone()  # and the rest in a copy of grad whose slots it then
            # overwrites: written twice in place (copy_, the slots' copy_). A changed view's
            # gradient comes back to the base through the view and is added in place: once here
            rest._version = 1 if ctx.from_view else 2
        # values of another dtype were cast as they were written: their gradient is cast back
        return rest, unbroadcast(written, ctx.value_shape).to(ctx.value_dtype), None


class CopySlicesRepeated(CopySlices):
    r"""CopySlices for a view that holds one memory slot in several places (an expanded tensor
    filled in place): torch cannot send its gradient back, and says so in backward"""

    node_name = CopySlices.node_name

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(views.OVERLAP_MESSAGE)


class IndexPut(CopySlices):
    r"""Like CopySlices, for integer-list or mask keys: $0$ for the written slots of $x$, and
    their gradients for the written values"""

    node_name = "IndexPutBackward0"


class Copy(CopySlices):
    r"""``x[...] = values``: torch's ``copy_``; $0$ for $x$, the gradient for the values"""

    node_name = "autograd_mini::autograd::CopyBackwards"


class FillFrom(CopySlices):
    r"""``x[:] = number``: torch's ``fill_``; $0$ for $x$, the summed gradient for the number"""

    node_name = "FillBackward3"


class AsStrided(Index):
    r"""$\frac{\partial x_k}{\partial x_i} = [i = k]$: a view read back from its base after an
    in-place change"""

    node_name = "AsStridedBackward0"


class AsStridedOfScalar(Expand):
    r"""$\frac{\partial y_j}{\partial x} = 1$: a view of a 0-d tensor (its one element, perhaps
    repeated) read back from it after an in-place change"""

    node_name = "AsStridedBackward0"


def set_item(x: Tensor, key, value) -> None:
    """``x[key] = value``, in place; recorded as a CopySlices node when gradients are involved."""
    if not isinstance(value, Tensor):
        value = Tensor(np.asarray(value, dtype=x.array.dtype))
    parts = key if isinstance(key, tuple) else (key,)
    if any(_is_advanced(part) for part in parts):
        return _index_put(x, parts, value)
    _check_zero_dim_key(x, key)
    key = _numpy_basic_key(parts, x.array.ndim)
    try:
        target = _sliced_like_torch(x.array, key)
    except IndexError as error:
        index(x, parts)  # raises torch's error, which counts dimensions as torch does
        raise _index_error(error, x) from None
    _check_value_shape(value, target.shape, False)
    # torch's copy_to: a value of the target's shape is copied in (copy_); a 0-d one fills it
    # (fill_, which copies a value sharing memory first); any other is viewed without its leading
    # ones and expanded, then copied
    fill = value.array.ndim == 0 and target.ndim > 0
    whole = all(part is Ellipsis or _is_everything(part) for part in parts)  # x[...], x[:]
    op = (FillFrom if fill else Copy) if whole else CopySlices  # else through a view of x
    if fill:
        _check_fill_has_gradient(x, value)
    read = value.array
    if not fill and read.shape != target.shape:
        read = layout.reshaped(read, read.shape[_leading_ones(read.shape) :])
        read = layout.expanded(read, target.shape)
    value = _without_extra_leading_ones(value, target.ndim)
    leaf_message = views.LEAF_INPLACE_MESSAGE if whole else views.VIEW_OF_LEAF_MESSAGE
    _check_may_change_through_view(x, parts, whole, leaf_message)
    if not whole and views.repeats_memory(x.array) and not views.repeats_memory(target):
        return set_item(x[parts], Ellipsis, value)  # torch writes each slot once, there
    if not _same_data(target, read):  # torch's copy_ from the very same memory checks nothing
        views.check_no_overlap(target, None if fill else read)
    views.change_in_place(x, lambda old: op.apply(old, value, key), leaf_message)


def _check_fill_has_gradient(x, value):
    """``x[key] = value`` filling an integer or bool ``x`` from one value that requires grad:
    torch then marks ``x`` as requiring grad, which no other operation allows; left out."""
    if value.requires_grad and not x.dtype.is_floating_point:
        raise left_out(
            "filling an integer or bool tensor from a 0-d tensor that requires grad (x[1:] = v), "
            "or through a mask from a one-element one (x[mask] = v; torch then marks the integer "
            "or bool tensor as requiring grad)",
            "write v.item(), or make the tensor a float one",
        )


def _check_may_change_through_view(x, parts, whole, leaf_message):
    """torch writes ``x[key] = value`` through the view ``x[key]`` (unless the key takes all of
    ``x``), so a refusal for a view made under no_grad names the last view op of the key."""
    try:
        views.check_may_change(x, leaf_message)
    except RuntimeError as error:
        if whole or str(error) != views.NO_GRAD_VIEW_MESSAGE:
            raise
        last = [p for p in parts if p is not Ellipsis and not _is_everything(p)][-1]
        name = "Unsqueeze" if last is None else "Slice" if isinstance(last, slice) else "Select"
        raise RuntimeError(views.VIEW_OF_NO_GRAD_VIEW_MESSAGE.format(name)) from None


def _same_data(array, other):
    """Whether two arrays read the same memory the same way (torch's copy_ then returns early)."""
    start, other_start = array.__array_interface__["data"][0], other.__array_interface__["data"][0]
    same_layout = (array.shape, array.strides) == (other.shape, other.strides)
    return start == other_start and same_layout and array.dtype == other.dtype


def _sliced_like_torch(array, key):
    """``array[key]`` (a key of ints, slices, None and one ``...``) with the strides torch's
    indexing gives it: torch applies the parts left to right, and a ``None`` (``unsqueeze``)
    steps over the dimension at its place at that time (numpy gives it stride 0)."""
    result = array[key]  # numpy checks every index first
    shape, strides, dim = list(array.shape), list(array.strides), 0
    used = sum(part is not None and part is not Ellipsis for part in key)
    for part in key:
        if part is None:
            strides.insert(dim, shape[dim] * strides[dim] if dim < len(shape) else array.itemsize)
            shape.insert(dim, 1)
            dim += 1
        elif part is Ellipsis:
            dim += array.ndim - used
        elif isinstance(part, slice):
            strides[dim] *= part.indices(shape[dim])[2]
            dim += 1
        else:  # an integer takes its dimension away
            del shape[dim], strides[dim]
    return np.lib.stride_tricks.as_strided(result, result.shape, strides)


def _leading_ones(shape):
    return next((i for i, size in enumerate(shape) if size != 1), len(shape))


def _numpy_basic_key(parts, ndim):
    """A key of ints, slices, None and ``...`` as numpy reads it: torch lets each ``...`` after
    the first stand for the same dimensions again, and ignores full slices past the last one."""
    if sum(part is Ellipsis for part in parts) < 2:
        return parts
    used = sum(1 for part in parts if part is not None and part is not Ellipsis)
    expanded = []
    for part in parts:
        expanded.extend([slice(None)] * (ndim - used) if part is Ellipsis else [part])
    while sum(part is not None for part in expanded) > ndim and _is_everything(expanded[-1]):
        expanded.pop()
    return tuple(expanded)


def _index_put(x, parts, value):
    """``x[key] = value`` for a key with an integer list or a mask: torch's ``index_put_``,
    with its checks in its order (the number of indices, the tensor, overlap, the mask, the
    shape, the dtype, the bounds). A one-element value and one mask fill the masked places."""
    key = tuple(_as_index(part) for part in parts)
    if len(key) == 1 and _is_mask(key[0]) and key[0].ndim == 0:  # torch: x.unsqueeze(0)[mask],
        return _index_put(x.unsqueeze(0), (np.flatnonzero(key[0]),), value)  # as positions
    if _indexed_dims(key) > x.array.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.array.ndim}")
    through_view = any(_is_mask(p) and p.ndim == 0 or not _is_advanced(p) for p in key)
    leaf_message = views.VIEW_OF_LEAF_MESSAGE if through_view else views.LEAF_INPLACE_MESSAGE
    views.check_may_change(x, leaf_message)
    masks = [p for p in key if _is_mask(p)]
    fill = value.array.size == 1 and len(masks) == 1 and sum(map(_is_advanced, key)) == 1
    _warn_and_check_overlap(x, parts, key, value, fill)
    _check_masks(x, key)
    probe = tuple(np.zeros_like(p) if _is_advanced(p) and not _is_mask(p) else p for p in key)
    try:  # the shape of the indexed places (every integer index put in bounds for now)
        target = np.broadcast_to(np.empty((), x.array.dtype), x.array.shape)[probe].shape
    except IndexError as error:
        raise _index_error(error, x) from None
    _check_value_shape(value, target, True)
    value = _without_extra_leading_ones(value, len(target))
    if not fill and value.dtype is not x.dtype:
        raise RuntimeError(
            "Index put requires the source and destination dtypes match, got "
            f"{x.dtype.type_name} for the destination and {value.dtype.type_name} for the "
            "source."
        )
    try:
        x.array[key]  # noqa: B018 (the bounds of every index)
    except IndexError as error:
        raise _index_error(error, x) from None
    if fill:
        _check_fill_has_gradient(x, value)
    views.change_in_place(x, lambda old: IndexPut.apply(old, value, key), leaf_message)


def _warn_and_check_overlap(x, parts, key, value, fill):
    """index_put_'s warnings for writing into an expanded tensor, in torch's order with the
    checks between them: a fill's mask (as torch chooses masked_fill_, which warns again), or
    else the value's and the index tensors' overlap with what is written."""
    written = _written(x, key)  # (None when an int is out of bounds: torch's error comes later)
    repeats = written is not None and views.repeats_memory(written)  # torch writes, and warns
    if repeats:
        warnings.warn(EXPANDED_WARNING.format("index_put_", "indices] = tensor"), stacklevel=4)
    if fill:
        _check_masks(x, key)
        if repeats:
            warnings.warn(EXPANDED_WARNING.format("masked_fill_", "mask] = scalar"), stacklevel=4)
    elif written is not None:
        _check_apart(x, parts, written, key, value)


def _written(x, key):
    """What torch's index_put_ writes into: ``x`` after the key's ints and slices, applied first
    (a view), as an array; None when an int is out of bounds."""
    basic = []
    for part in key:
        basic.extend((slice(None),) * _dims_of(part) if _is_advanced(part) else (part,))
    try:
        return x.array[tuple(basic)]
    except IndexError:
        return None


def _check_apart(x, parts, written, key, value):
    """torch's index_put_ refuses a value or an index tensor sharing memory with what it writes,
    ``written``: the very tensor, even empty (``x`` itself, when the key has no int or slice that
    takes a view, and a value without leading ones, which torch views without them), the same
    elements, or some of them."""
    itself = all(_is_advanced(p) or p is Ellipsis or _is_everything(p) for p in parts)
    value_itself = value is x and not _leading_ones(value.array.shape)
    if itself and (value_itself or any(part is x for part in parts)):
        raise RuntimeError(views.PARTIAL_OVERLAP_MESSAGE)
    for other in (value.array, *(part for part in key if _is_advanced(part))):
        if views.overlap(written, other) in ("full", "partial"):
            raise RuntimeError(views.PARTIAL_OVERLAP_MESSAGE)


def _without_extra_leading_ones(value, ndim):
    """``value`` without the leading size-1 dimensions it has beyond ``ndim`` (torch views it
    so before writing: ``x[0] = ones(1, 3)`` fills a row of 3)."""
    shape = value.array.shape
    while len(shape) > ndim and shape[0] == 1:
        shape = shape[1:]
    return value if shape == value.array.shape else View.apply(value, shape)


def _check_value_shape(value, target, index_put):
    """torch's errors when ``value`` cannot fill the indexed shape ``target``."""
    value_shape = value.array.shape
    while value_shape[:1] == (1,):  # torch drops the value's leading size-1 dimensions first
        value_shape = value_shape[1:]
    if not index_put:  # torch's copy_ into a view: the value is expanded to the view's shape
        expanded_shape(value_shape, target, value.dtype)
    elif not _broadcasts_to(value_shape, target):  # index_put_: it must broadcast
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(value_shape)} cannot be "
            f"broadcast to indexing result of shape {list(target)}"
        )


def _index_error(error, x):
    """numpy's IndexError for an integer-list or mask key, in torch's words."""
    if str(error).startswith("too many indices"):
        return IndexError(f"too many indices for tensor of dimension {x.array.ndim}")
    if "with size 0" in str(error):
        return IndexError("index is out of bounds for dimension with size 0")
    return IndexError(str(error).replace("axis", "dimension"))


def _broadcasts_to(shape, target):
    try:
        return np.broadcast_shapes(shape, target) == tuple(target)
    except ValueError:
        return False


class Cat(Function):
    r"""$\frac{\partial}{\partial x_k} \operatorname{cat}(x_1, \ldots, x_n) = I$ on $x_k$'s block"""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        # torch skips an empty 1-d tensor (a legacy rule): it gets an empty gradient
        ctx.sizes = [None if _skipped(t) else t.array.shape[dim] for t in tensors]
        kept = [t.array for t in tensors if not _skipped(t)] or [t.array for t in tensors]
        return layout.contiguous(np.concatenate(kept, axis=dim))  # (numpy follows the inputs)

    @staticmethod
    def backward(ctx, grad):
        grads, start = [None], 0
        for size in ctx.sizes:
            if size is None:  # torch writes zeros into it (in place: version 1)
                grads.append(Tensor(np.zeros(0, grad.array.dtype)))
                grads[-1]._version = 1
                continue
            key = (slice(None),) * ctx.dim + (slice(start, start + size),)
            grads.append(Slice.apply(grad, key))
            start += size
        return tuple(grads)


class Stack(Function):
    r"""$\frac{\partial}{\partial x_k} \operatorname{stack}(x_1, \ldots, x_n) = I$ on slice $k$"""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        return layout.contiguous(np.stack([t.array for t in tensors], axis=dim))

    @staticmethod
    def backward(ctx, grad):
        count = grad.array.shape[ctx.dim]
        keys = [(slice(None),) * ctx.dim + (k,) for k in range(count)]
        return (None, *(Select.apply(grad, key) for key in keys))


# ----- helpers that check arguments the way torch does ----------------------------------------


# what torch says when reshape or view is given no size at all
NO_SIZE_MESSAGES = {
    "reshape": 'reshape() missing 1 required positional arguments: "shape"',
    "view": "view() received an invalid combination of arguments - got (), but expected one of:\n"
    " * (autograd_mini.dtype dtype)\n * (tuple of ints size)\n",
}


def infer_shape(shape: tuple, size: int, function: str = "reshape") -> tuple[int, ...]:
    """The target shape of ``reshape``/``view`` (``function``), with a -1 filled in, checked
    against ``size``."""
    if not shape:
        raise TypeError(NO_SIZE_MESSAGES[function])
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape and known and size % known == 0:
        shape = tuple(size // known if s == -1 else s for s in shape)
    if -1 in shape or math.prod(shape) != size:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")
    return shape


def check_permutation(dims: tuple, ndim: int) -> tuple[int, ...]:
    """``dims`` as a permutation of ``range(ndim)``, with torch's errors otherwise."""
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(normalize_dim(d, ndim) for d in dims)
    if len(set(dims)) != ndim:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return dims


def expanded_shape(shape: tuple[int, ...], sizes: tuple, dtype) -> tuple[int, ...]:
    """The target shape of ``expand`` (-1 keeps a size), checked like torch."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    extra = len(sizes) - len(shape)
    if extra < 0:
        # torch names the tensor's type as its C++ code does, bool differently from the rest
        kind = "CPUBoolType" if dtype is dtypes.bool else f"autograd_mini.{dtype.type_name}Tensor"
        raise RuntimeError(
            f"expand({kind}{{{list(shape)}}}, size={list(sizes)}): the number "
            "of sizes provided "
            f"({len(sizes)}) must be greater or equal to the number of dimensions in the tensor "
            f"({len(shape)})"
        )
    result = list(sizes)
    for i, size in reversed(list(enumerate(shape))):  # torch reports the last mismatch
        target = sizes[extra + i]
        if target == -1:
            result[extra + i] = size
        elif size != 1 and size != target:
            raise RuntimeError(
                f"The expanded size of the tensor ({target}) must match the existing size "
                f"({size}) at non-singleton dimension {extra + i}.  Target sizes: {list(sizes)}.  "
                f"Tensor sizes: {list(shape)}"
            )
    return tuple(result)


def _is_everything(part):
    return isinstance(part, slice) and part == slice(None)


def _is_advanced(part):
    return isinstance(part, (list, np.ndarray, Tensor)) or (isinstance(part, (bool, np.bool_)))


def index(x: Tensor, key) -> Tensor:
    """``x[key]``: torch's chain of Select/Slice/Unsqueeze nodes, or one Index node for
    integer lists and boolean masks."""
    parts = key if isinstance(key, tuple) else (key,)
    if not is_basic(key):
        indices = tuple(_as_saved(part) for part in parts if _is_advanced(part))
        return Index.apply(x, _advanced_key(x, parts), indices)
    used = sum(1 for p in parts if p is not None and p is not Ellipsis)
    _check_zero_dim_key(x, key)
    if used > x.array.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.array.ndim}")
    result, dim, applied = x, 0, False
    for place, part in enumerate(parts):
        if part is Ellipsis:
            dim += x.array.ndim - used
        elif part is None:
            result, applied = Unsqueeze.apply(result, dim), True
            dim += 1
        elif isinstance(part, slice):
            _check_dim(dim, result.array.ndim)  # (a second ... may pass the last dimension)
            size = result.array.shape[dim]
            # torch skips a slice that keeps every element, unless it is the whole key (x[:])
            if part is key or part.indices(size) != (0, size, 1):
                full = (slice(None),) * dim
                result, applied = Slice.apply(result, (*full, part)), True
            dim += 1
        else:
            position = int(part)
            size = result.array.shape[dim] if dim < result.array.ndim else 0  # (past the last)
            if not -size <= position < size:  # torch names the place of the index in the key
                raise IndexError(
                    f"index {position} is out of bounds for dimension {place} with size {size}"
                )
            key = (*(slice(None),) * dim, position, Ellipsis)  # Ellipsis: a view, even 0-d
            result, applied = Select.apply(result, key), True
    return result if applied else Alias.apply(x)


def _check_zero_dim_key(x, key):
    """torch's own words for indexing a 0-d tensor with one int or one slice (for a tuple, or a
    tensor, its error is "too many indices")."""
    if x.array.ndim == 0 and not isinstance(key, tuple):
        if isinstance(key, slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            raise IndexError(ZERO_DIM_INDEX_MESSAGE)


def _check_dim(dim, ndim):
    if dim >= ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got "
            f"{dim})"
        )


def is_basic(key):
    """True for a key of ints, slices, None and ``...`` only: ``x[key]`` is then a view."""
    parts = key if isinstance(key, tuple) else (key,)
    return not any(_is_advanced(part) for part in parts)


EXPANDED_WARNING = (
    "Use of {} on expanded tensors is deprecated. Please clone() the tensor before performing "
    "this operation. This also applies to advanced indexing e.g. tensor[{}"
)
ZERO_DIM_INDEX_MESSAGE = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ "
    "to convert a 0-dim tensor to a number"
)


def _as_saved(part):
    """An integer-list or mask part of a key as the tensor the Index node saves (torch saves
    the very tensor given, so a change in place before backward is caught)."""
    return part if isinstance(part, Tensor) else Tensor(np.asarray(part))


def _as_index(part):
    """An integer-list or mask part of a key as a numpy array (other parts as they are)."""
    if isinstance(part, Tensor):
        return part.array
    if isinstance(part, (list, bool, np.bool_)):  # an empty list indexes nothing, as torch's
        return np.asarray(part) if part != [] else np.zeros(0, np.int64)
    return part


def _is_mask(part):
    return isinstance(part, np.ndarray) and part.dtype == np.bool_


def _indexed_dims(key):
    """How many dimensions of the tensor a key indexes (a mask covers as many as it has)."""
    return sum(_dims_of(part) for part in key)


def _dims_of(part):
    return part.ndim if _is_mask(part) else int(part is not None and part is not Ellipsis)


def _check_masks(x, key):
    """torch's IndexError for a mask whose shape differs from the dimensions it covers: those of
    the view the key's ints, slices and None take first (torch names that view's shape)."""
    shape, dim, masks = list(x.array.shape), 0, []
    for part in key:
        if part is Ellipsis:  # the dimensions no other part indexes
            dim += x.array.ndim - _indexed_dims(key)
        elif part is None:
            shape.insert(dim, 1)
            dim += 1
        elif isinstance(part, slice):
            shape[dim] = len(range(*part.indices(shape[dim])))
            dim += 1
        elif _is_advanced(part):
            masks += [(part, dim)] if _is_mask(part) else []
            dim += _dims_of(part)
        else:  # an integer takes its dimension away
            del shape[dim]
    for mask, start in masks:
        for j in range(mask.ndim):  # the mask's j-th size, the view's
            if mask.shape[j] != shape[start + j]:
                raise IndexError(
                    f"The shape of the mask {list(mask.shape)} at index {j} does not match the "
                    f"shape of the indexed tensor {shape} at index {start + j}"
                )


def _advanced_key(x, parts):
    """``x[key]`` with an integer list or a mask: the key as numpy arrays, checked like torch
    (the number of indices, then the masks, then the bounds)."""
    key = tuple(_as_index(part) for part in parts)
    if _indexed_dims(key) > x.array.ndim:
        raise IndexError(f"too many indices for tensor of dimension {x.array.ndim}")
    _check_masks(x, key)
    try:
        x.array[key]  # noqa: B018 (the bounds of every index)
    except IndexError as error:
        raise _index_error(error, x) from None
    return key


# ----- functions over several tensors ---------------------------------------------------------


def _common(tensors):
    tensors = list(tensors)
    if not tensors:
        raise ValueError("expected a non-empty list of Tensors")
    common = dtypes.result_type(*tensors)
    return [t.to(common) for t in tensors]


def cat(tensors: list[Tensor] | tuple[Tensor, ...], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    tensors = expect_tensors("cat", tensors)
    if not tensors:
        raise ValueError("autograd_mini.cat(): expected a non-empty list of Tensors")
    for position, tensor in enumerate(tensors):
        if not tensor.array.ndim:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {position}) cannot be concatenated"
            )
    tensors = _common(tensors)
    kept = [t for t in tensors if not _skipped(t)]
    if not kept:  # only empty 1-d tensors: torch joins them along their one dimension
        return Cat.apply(0, *tensors)
    dim = normalize_dim(dim, kept[0].array.ndim)
    first = kept[0].array.shape
    for number, t in enumerate(tensors):
        for d, (expected, got) in enumerate(zip(first, t.array.shape, strict=False)):
            if d != dim and expected != got and not _skipped(t):
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{expected} but got size {got} for tensor number {number} in the list."
                )
    return Cat.apply(dim, *tensors)


def _skipped(tensor: Tensor) -> bool:
    """Whether ``cat`` leaves ``tensor`` out: an empty 1-d tensor, as torch's legacy rule has it."""
    return tensor.array.shape == (0,)


def stack(tensors: list[Tensor] | tuple[Tensor, ...], dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dimension."""
    tensors = expect_tensors("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    tensors = _common(tensors)
    dim = normalize_dim(dim, tensors[0].array.ndim + 1)
    for entry, t in enumerate(tensors):
        if t.array.shape != tensors[0].array.shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at "
                f"entry 0 and {list(t.shape)} at entry {entry}"
            )
    return Stack.apply(dim, *tensors)
