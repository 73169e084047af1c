"""Views, in-place changes and the version counter: tensors that share memory.

``Tensor`` gets the methods below from ``ViewsAndInPlace``; the mechanics follow them.

A view (``reshape``, ``transpose``, ``x[0]``, ...) reads its base's memory, so an in-place change
through either one is seen by both. Three mechanisms keep gradients right, as in torch:

- **version counting**: every in-place change adds one to the memory's version (a view shares its
  base's count), and a node whose saved tensor changed since refuses to run backward;
- **rebasing**: a tensor changed in place while autograd records takes the new node as its
  ``grad_fn`` (writing through a view rebases the base on a ``CopySlices`` node);
- **re-reading views**: after that, every live view of the base takes a node that reads its
  values back from the base's new history.
"""

from __future__ import annotations

import math
import operator
import warnings
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from . import grad_mode, layout, ops
from .broadcast import broadcast_shapes, measured_dim, normalize_dim
from .left_out import left_out, numpy_operand

if TYPE_CHECKING:  # for the annotations only
    from .tensor import Tensor

__all__ = [
    "ViewsAndInPlace",
    "make_view",
    "change_in_place",
    "check_may_change",
    "check_no_overlap",
    "non_overlapping_and_dense",
    "overlap",
    "requires_grad_through_base",
    "set_requires_grad",
    "change_requires_grad",
    "repeats_memory",
    "positions_in",
]

LEAF_INPLACE_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_MESSAGE = "a view of " + LEAF_INPLACE_MESSAGE
OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
NO_GRAD_VIEW_MESSAGE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked)."
)
VIEW_OF_NO_GRAD_VIEW_MESSAGE = "Output 0 of {} is a view of a view which was created in" + (
    NO_GRAD_VIEW_MESSAGE.removeprefix("A view was created in")
)
UNBIND_MESSAGE = (
    "Output {} of Unbind is a view and is being modified inplace. This view is the output of a "
    "function that returns multiple views. Such functions do not allow the output views to be "
    "modified inplace. You should replace the inplace operation by an out-of-place one."
)

_warned = {"T of a 0-d tensor": False, "T of a tensor not 2-d": False}
T_WARNINGS = {
    "T of a 0-d tensor": (
        "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
    ),
    "T of a tensor not 2-d": (
        "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
        "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
        "batches of matrices or `x.permute(*autograd_mini.arange(x.ndim - 1, -1, -1))` to "
        "reverse the dimensions of a tensor."
    ),
}
PARTIAL_OVERLAP_MESSAGE = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
    "a single memory location. Please clone() the tensor before performing the operation."
)
VIEW_MESSAGE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead."
)

_grad_state = grad_mode._State
_VIEW_NODE_NAMES = {
    name + "Backward0"
    for name in "View ReshapeAlias Transpose Permute Squeeze Unsqueeze Expand Alias Select Slice "
    "AsStrided".split()
}


class ViewsAndInPlace:
    """The methods of ``Tensor`` that share memory: views, and changes made in place."""

    __slots__ = ()

    @property
    def _version(self):
        """How many in-place changes the memory has seen: one count, shared by a tensor, its
        views and what ``detach()`` returns, as they share the memory."""
        counter = self._version_counter
        return 0 if counter is None else counter[0]

    @_version.setter
    def _version(self, value):
        self._shared_version_counter()[0] = value

    def _shared_version_counter(self) -> list[int]:
        """The counter, made when first shared or changed: most tensors never need one, and not
        allocating it keeps Python's garbage collector out of long forward passes."""
        if self._version_counter is None:
            self._version_counter = [0]
        return self._version_counter

    # ----- views -----------------------------------------------------------------------------
    def is_contiguous(self) -> bool:
        """True when the elements lie in memory row after row, with no gaps (so ``view`` works)."""
        return self.array.flags.c_contiguous

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """How many elements memory advances per step along each dimension (or along ``dim``)."""
        strides = layout.strides(self.array)
        return strides if dim is None else strides[measured_dim(dim, self.array.ndim)]

    def reshape(self, *shape: int) -> Tensor:
        """The same values arranged in a new shape (one size may be -1); a view when the memory
        allows it, else a copy."""
        shape = ops.shape.infer_shape(shape, self.array.size)
        if self.array.flags.c_contiguous:
            return make_view(self, ops.shape.View.apply(self, shape))
        if _can_view(self, shape):
            return make_view(self, ops.shape.ReshapeAlias.apply(self, shape))
        return ops.shape.ReshapeCopy.apply(self, shape)

    def view(self, *shape: int) -> Tensor:
        """The same values, same memory, in a new shape (one size may be -1); torch's error when
        the memory layout does not allow it (``reshape`` copies instead)."""
        shape = ops.shape.infer_shape(shape, self.array.size, "view")
        if not _can_view(self, shape):
            raise RuntimeError(VIEW_MESSAGE)
        return make_view(self, ops.shape.View.apply(self, shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """The dimensions ``start_dim`` to ``end_dim`` merged into one (all by default); the
        tensor itself when that is a single dimension."""
        shape = self.array.shape
        start, end = normalize_dim(start_dim, len(shape)), normalize_dim(end_dim, len(shape))
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if not shape:
            return self.reshape(1)
        if start == end:
            return self
        return self.reshape(*shape[:start], math.prod(shape[start : end + 1]), *shape[end + 1 :])

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions."""
        dims = normalize_dim(dim0, self.array.ndim), normalize_dim(dim1, self.array.ndim)
        return make_view(self, ops.shape.Transpose.apply(self, *dims))

    def permute(self, *args: int, dims: tuple[int, ...] | None = None) -> Tensor:
        """Reorder the dimensions: ``permute(1, 0)``, ``permute((1, 0))``, ``permute(dims=...)``."""
        dims = ops.shape.check_permutation(args if dims is None else (dims,), self.array.ndim)
        return make_view(self, ops.shape.Permute.apply(self, dims))

    @property
    def T(self) -> Tensor:
        """The dimensions in reverse order (the transpose of a matrix)."""
        if self.array.ndim != 2:  # torch warns once per session for each of the two cases
            case = "T of a 0-d tensor" if self.array.ndim == 0 else "T of a tensor not 2-d"
            if not _warned[case]:
                _warned[case] = True
                warnings.warn(T_WARNINGS[case], UserWarning, stacklevel=2)
        dims = tuple(reversed(range(self.array.ndim)))
        return make_view(self, ops.shape.Permute.apply(self, dims))

    def squeeze(self, dim: int | tuple[int, ...] | None = None) -> Tensor:
        """Remove dimensions of size 1 (all of them, only ``dim``, or those of a tuple of dims)."""
        if dim is None:
            return make_view(self, ops.shape.Squeeze.apply(self))
        if isinstance(dim, (tuple, list)):
            dims = operands.reduced_dims(dim, self.array.ndim) if dim else ()
            return make_view(self, ops.shape.SqueezeDims.apply(self, dims))
        dim = normalize_dim(dim, self.array.ndim)
        return make_view(self, ops.shape.SqueezeDim.apply(self, dim))

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        dim = normalize_dim(dim, self.array.ndim + 1)
        return make_view(self, ops.shape.Unsqueeze.apply(self, dim))

    def expand(self, *sizes: int) -> Tensor:
        """Repeat size-1 dimensions (without copying) to reach ``sizes`` (-1 keeps a size)."""
        shape = ops.shape.expanded_shape(self.array.shape, sizes, self.dtype)
        return make_view(self, ops.shape.Expand.apply(self, shape))

    def __getitem__(self, key):
        result = ops.shape.index(self, key)
        return make_view(self, result) if ops.shape.is_basic(key) else result

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        rows = (ops.shape.Unbind.apply(self, (i, Ellipsis)) for i in range(self.array.shape[0]))
        return (make_view(self, row) for row in rows)  # each row shares memory, as in torch

    # ----- in-place changes ---------------------------------------------------------------------
    def __setitem__(self, key, value):
        ops.shape.set_item(self, key, value)

    def __iadd__(self, other):
        """``self += other``, in place (also ``add_``)."""
        return _change_with_operand(self, other, operator.add)

    def __isub__(self, other):
        """``self -= other``, in place (also ``sub_``)."""
        return _change_with_operand(self, other, operator.sub)

    def __imul__(self, other):
        """``self *= other``, in place (also ``mul_``)."""
        return _change_with_operand(self, other, operator.mul)

    def __itruediv__(self, other):
        """``self /= other``, in place (also ``div_``)."""
        return _change_with_operand(self, other, operator.truediv)

    def __ipow__(self, other):
        """``self **= other``, in place (also ``pow_``)."""
        return _change_with_operand(self, other, operator.pow)

    def add_(self, other):
        """``self += other``, in place."""
        return _change_with_operand(self, _method_operand("add_", other), operator.add)

    def sub_(self, other):
        """``self -= other``, in place."""
        return _change_with_operand(self, _method_operand("sub_", other), operator.sub)

    def mul_(self, other):
        """``self *= other``, in place."""
        return _change_with_operand(self, _method_operand("mul_", other), operator.mul)

    def div_(self, other):
        """``self /= other``, in place."""
        return _change_with_operand(self, _method_operand("div_", other), operator.truediv)

    def pow_(self, other):
        """``self **= other``, in place."""
        return _change_with_operand(self, _method_operand("pow_", other), operator.pow)

    def zero_(self) -> Tensor:
        """Set every element to zero, in place."""
        return change_in_place(self, lambda old: ops.elementwise.Zero.apply(old, 0))

    def fill_(self, value: float) -> Tensor:
        """Set every element to ``value``, in place."""
        if isinstance(value, np.generic) or type(value) is type(self):
            value = value.item()
        return change_in_place(self, lambda old: ops.elementwise.Fill.apply(old, value))


# ----- the mechanics of views --------------------------------------------------------------------
def _can_view(tensor, shape):
    """Whether ``shape`` can read the tensor's memory as it lies (torch's rule)."""
    array = tensor.array
    return array.flags.c_contiguous or (
        layout.view_strides(array.shape, layout.strides(array), shape) is not None
    )


def make_view(tensor: Tensor, result: Tensor) -> Tensor:
    """Mark ``result`` as a view of ``tensor``: it shares the base's memory and version counter,
    and (made while autograd records) it is re-read if the base changes in place."""
    base = tensor if tensor._base is None else tensor._base
    result._base = base
    counter = result._version_counter = base._shared_version_counter()
    if len(counter) == 1 or counter[-1]() is not base and _is_new_base(counter, base):
        counter.append(weakref.ref(base))  # the bases whose views read this memory
    recording = _grad_state.enabled
    if not recording and base._requires_grad:  # e.g. inside backward; torch forbids in-place
        _mark_through_base(result, True)
    views = base._views
    if views is None:
        views = base._views = []
    elif len(views) >= 32 and not len(views) & (len(views) - 1):  # at 32, 64, 128, ...:
        views[:] = [view for view in views if view() is not None]  # forget the dead ones
    views.append(_ViewReference(result) if recording else _NoGradViewReference(result))
    return result


def _is_new_base(counter, base):
    """Whether ``base`` is missing from the version counter's bases: a tensor and what its
    ``detach()`` returned share the counter, and both may have views."""
    return all(known() is not base for known in counter[1:])


class _ViewReference(weakref.ref):
    """A weak reference to a view of a base. ``stale``: its memory changed while its base did
    not require grad (torch regenerates the view's grad_fn once the base comes to)."""

    stale = False
    made_under_no_grad = False


class _NoGradViewReference(_ViewReference):
    """A view made under no_grad: it requires grad as its base does, and is never re-read (torch
    refuses to use it once its memory changes)."""

    made_under_no_grad = True


def _recorded_views(tensor):
    """References to the tensor's views made while autograd recorded."""
    return [view for view in tensor._views or () if not view.made_under_no_grad]


def positions_in(view: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, ...]:
    """Where each element of the numpy array ``view`` lies in ``base``, whose memory it shares:
    a tuple of index arrays (what torch's as_strided computes from strides and an offset)."""
    if base.ndim == 0:
        return ()
    return np.unravel_index(_base_index(_offsets(view, base), _offsets(base, base)), base.shape)


def _offsets(array, base):
    """The memory offset of every element of ``array``, in elements from ``base``'s first."""
    start = array.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    total = np.full(array.shape, start // base.itemsize, dtype=np.int64)
    steps = [
        np.arange(n) * (stride // base.itemsize)
        for n, stride in zip(array.shape, array.strides, strict=True)
    ]
    for grid in np.ix_(*steps):
        total = total + grid
    return total


def _base_index(view_offsets, base_offsets):
    base_offsets = base_offsets.ravel()
    order = np.argsort(base_offsets, kind="stable")
    return order[np.searchsorted(base_offsets[order], view_offsets)]


# ----- the mechanics of in-place changes ----------------------------------------------------------
def change_in_place(
    tensor: Tensor, compute: Callable, leaf_message: str = LEAF_INPLACE_MESSAGE
) -> Tensor:
    """Overwrite the tensor's values with ``compute(old)`` and count the change. When autograd
    records, the tensor takes the new node as its history (torch's "rebase"), and so does the
    tensor it is a view of. Every check runs before anything is written."""
    recording = _grad_state.enabled
    old = tensor
    if recording and tensor.requires_grad:
        _check_may_record(tensor, leaf_message)
        old = type(tensor)(tensor.array.copy())  # the new node may save the old values
        old.grad_fn, old._requires_grad = tensor.grad_fn, True
    result = compute(old)
    _check_fits(tensor, result)
    if recording and result._requires_grad:
        if old is tensor:  # it needs no gradient, but the node may need its old values
            _save_old_values(result.grad_fn, tensor)
        _record(tensor, result)  # re-reads the views of the tensor's base (or of the tensor)
        rebased = tensor if tensor._base is None else tensor._base
        _reread_views_after_unrecorded_change(tensor, rebased)  # those of the other bases
    else:
        tensor.array[...] = result.array
        _reread_views_after_unrecorded_change(tensor)
    tensor._version += 1
    return tensor


def _method_operand(name, other):
    """``other`` if an in-place method such as ``add_`` takes it (a tensor or a number), else
    torch's TypeError (the operators ``+=``, ... leave a list to Python's own error)."""
    if isinstance(other, np.ndarray):
        raise numpy_operand()
    if isinstance(other, (list, tuple)):
        kind = type(other).__name__
        if name == "pow_":  # torch's pow_ has two signatures, and says so
            items = f"!{kind} of [{', '.join(type(item).__name__ for item in other)}]!"
            raise TypeError(
                f"pow_() received an invalid combination of arguments - got ({kind}), but "
                "expected one of:\n * (Tensor exponent)\n      didn't match because some of the "
                f"arguments have invalid types: ({items})\n * (Number exponent)\n      didn't "
                f"match because some of the arguments have invalid types: ({items})\n"
            )
        raise TypeError(f"{name}(): argument 'other' (position 1) must be Tensor, not {kind}")
    return other


def _change_with_operand(tensor, other, operator):
    """``tensor op= other`` (``+=``, ``*=``, ...): ``operator(old, other)`` written in place.
    A list or tuple operand gives NotImplemented, so Python raises its own TypeError. torch's
    checks, in its order: the tensor may change; the operator takes these operands; no memory
    is written twice or shared in part with the operand; the broadcast shape fits; then the
    op's own checks and (``_check_fits``) the result's dtype."""
    if isinstance(other, (list, tuple)):
        return NotImplemented
    if isinstance(other, np.ndarray):
        raise numpy_operand()
    check_may_change(tensor, LEAF_INPLACE_MESSAGE)
    if operator in _OPERAND_REFUSALS:  # what the out-of-place operator refuses before computing
        _OPERAND_REFUSALS[operator](tensor, other)
    check_no_overlap(tensor.array, other.array if type(other) is type(tensor) else None)
    if type(other) is type(tensor) and other.array.shape != tensor.array.shape:
        shape = broadcast_shapes(tensor.array.shape, other.array.shape)  # before the op's kernel
        _check_output_shape(tensor, shape)
    if type(other) is type(tensor) and _reads_what_it_wrote(tensor.array, other.array):
        raise left_out(
            "in-place operations whose operand reads what the operation has just written for "
            "another element (a strided or expanded view of the tensor changed): torch's result "
            "then depends on the order of its loops",
            "apply the operation to a .clone() of the tensor",
        )
    if (
        type(other) is type(tensor)
        and other.array.dtype != tensor.array.dtype
        and _grad_state.enabled
    ):
        if other.dtype.is_floating_point and tensor.dtype.is_floating_point:
            other = other.to(tensor.dtype)  # so the recorded node gives this tensor's dtype
    return change_in_place(tensor, lambda old: operator(old, other))


def check_may_change(tensor, leaf_message):
    """torch's errors for an in-place change autograd could not record, when it would record."""
    if _grad_state.enabled and tensor.requires_grad:
        _check_may_record(tensor, leaf_message)


def check_no_overlap(written: np.ndarray, read: np.ndarray | None) -> None:
    """torch's errors for memory an in-place operation cannot write safely: a slot the written
    array holds twice (an expanded tensor), or one it shares in part with an array it reads."""
    if repeats_memory(written):
        raise RuntimeError(OVERLAP_MESSAGE)
    if read is not None and _overlaps_partly(written, read):
        raise RuntimeError(PARTIAL_OVERLAP_MESSAGE)


def repeats_memory(array: np.ndarray) -> bool:
    """Whether two elements of the array are one slot of memory (a dimension of stride 0)."""
    pairs = zip(array.strides, array.shape, strict=True)
    return array.size > 0 and any(step == 0 and size > 1 for step, size in pairs)


def _overlaps_partly(array, other):
    return overlap(array, other) == "partial"


def overlap(array: np.ndarray, other: np.ndarray) -> str:
    """torch's ``get_overlap_status`` of two arrays: "no", "full" (the same elements), "partial"
    (memory ranges that meet otherwise) or "too hard" (either repeats or skips memory: expanded,
    sliced with a step), which torch lets pass."""
    if array.size == 0 or other.size == 0 or not np.may_share_memory(array, other):
        return "no"
    if not (non_overlapping_and_dense(array) and non_overlapping_and_dense(other)):
        return "too hard"
    start = array.__array_interface__["data"][0]
    other_start = other.__array_interface__["data"][0]
    end, other_end = start + array.nbytes, other_start + other.nbytes
    if (start, end) == (other_start, other_end):
        return "full" if array.strides == other.strides else "partial"
    return "partial" if start < other_end and other_start < end else "no"


def _reads_what_it_wrote(written, read):
    """Whether an element of ``written`` reads (from ``read``, broadcast to its shape) a slot
    that another element wrote before it. torch's overlap check lets such operands pass (it
    calls them too hard) and its loops visit the elements in memory order, so that element sees
    the new value; numpy, which reads every operand first, would see the old one."""
    if overlap(written, read) != "too hard":
        return False
    write_at = _offsets(written, written).ravel()
    read_at = _offsets(np.broadcast_to(read, written.shape), written).ravel()
    return bool(np.any(np.isin(read_at, write_at) & (read_at < write_at)))


def non_overlapping_and_dense(array):
    """Whether the elements fill one block of memory, each slot once (in some order of dims)."""
    return layout.non_overlapping_and_dense(array.shape, layout.strides(array))


def _check_may_record(tensor, leaf_message):
    """torch's errors for in-place changes autograd cannot record (on a tensor that requires
    grad, itself or through its base): a view made under no_grad, a view of a leaf, a leaf."""
    base = tensor._base
    if base is not None:
        if all(view() is not tensor for view in _recorded_views(base)):  # made under no_grad
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE)
        if _made_from_no_grad_view(tensor, base):
            name = tensor.grad_fn.name().removesuffix("Backward0")
            raise RuntimeError(VIEW_OF_NO_GRAD_VIEW_MESSAGE.format(name))
        if base.grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_MESSAGE)
    if tensor.grad_fn is None:
        raise RuntimeError(leaf_message)
    if tensor.grad_fn.function is ops.shape.Unbind:
        raise RuntimeError(UNBIND_MESSAGE.format(tensor.grad_fn.key[0]))


def _made_from_no_grad_view(tensor, base):
    """Whether the view was made (through views made while autograd recorded) from a view made
    under no_grad: the chain of view nodes then ends where that view has no grad_fn (as it does
    at a view made before the base required grad, when the base has no view made under no_grad)."""
    if all(not view.made_under_no_grad for view in base._views):
        return False
    node = tensor.grad_fn
    while node is not None and node.name() in _VIEW_NODE_NAMES:
        node = node.next_nodes[0]
        if node is None:
            return True
    return False


def _save_old_values(node, tensor):
    """The node saved the tensor about to be overwritten: keep a copy of its values instead, as
    torch saves ``self.clone()`` for an in-place op whose other operand needs a gradient."""
    if node._saved and any(saved is tensor for saved in node._saved):
        old = type(tensor)(tensor.array.copy())
        old._version = tensor._version
        node._saved = tuple(old if saved is tensor else saved for saved in node._saved)


def _check_output_shape(tensor, shape):
    """torch's error when an in-place result of ``shape`` does not fit the tensor."""
    if shape != tensor.array.shape:
        raise RuntimeError(
            f"output with shape {list(tensor.array.shape)} doesn't match the broadcast shape "
            f"{list(shape)}"
        )


def _check_fits(tensor, result):
    """torch's errors when the new values cannot be stored in the tensor's dtype or shape."""
    _check_output_shape(tensor, result.array.shape)
    if result.array.dtype != tensor.array.dtype and not np.can_cast(
        result.array.dtype, tensor.array.dtype, "same_kind"
    ):
        raise RuntimeError(
            f"result type {result.dtype.type_name} "
            f"can't be cast to the desired output type {tensor.dtype.type_name}"
        )


def _record(tensor, result):
    """Write ``result`` (which has a grad_fn) into the tensor and rebase the history."""
    base = tensor._base
    if base is None:
        tensor.array[...] = result.array
        _rebase(tensor, result.grad_fn)
        _reread_views(tensor)
    else:  # write through the base, which gets a CopySlices node; its views read it back
        if base.array.ndim == 0:  # (every element of the view is the base's one element)
            result = ops.shape.Index.apply(result, (0,) * result.array.ndim)
        key = positions_in(tensor.array, base.array)
        repeated = repeats_memory(tensor.array)
        copy_slices = ops.shape.CopySlicesRepeated if repeated else ops.shape.CopySlices
        node = copy_slices.apply(base, result, key).grad_fn
        if node is not None:
            node.from_view = True
        _rebase(base, node)
        _reread_views(base)


def _reread_views(base, only_stale=False):
    """After ``base`` changed in place under autograd, every view of it reads its values from the
    new history (torch regenerates a view's grad_fn as AsStridedBackward0)."""
    for reference in _recorded_views(base):
        view = reference()
        if view is None or (only_stale and not reference.stale):
            continue
        reference.stale = False
        _rebase(view, _read_back(view, base))


def _read_back(view, source):
    """The AsStridedBackward0 node of ``view`` reading its values from ``source``."""
    if source.array.ndim == 0:
        return ops.shape.AsStridedOfScalar.apply(source, view.array.shape).grad_fn
    return ops.shape.AsStrided.apply(source, positions_in(view.array, source.array)).grad_fn


def _no_edge():
    """The ``_accumulator_ref`` of a view that requires grad only through its base (made under
    no_grad, or before the base came to require grad): operations on it are recorded, but torch
    gives it no edge to follow (no AccumulateGrad)."""
    return None


def requires_grad_through_base(tensor: Tensor) -> bool:
    return tensor._accumulator_ref is _no_edge


LEAF_ONLY_MESSAGE = "you can only change requires_grad flags of leaf variables."
DETACH_ADVICE = (
    " If you want to use a computed variable in a subgraph that doesn't require differentiation "
    "use var_no_grad = var.detach()."
)


def change_requires_grad(tensor: Tensor, value, allowed: str, leaf_only: bool = False) -> None:
    """``requires_grad_(value)`` (``leaf_only``: the ``requires_grad = value`` setter, which
    refuses even True on a tensor with history), with torch's errors; ``allowed`` words the
    dtypes that may require grad."""
    if tensor.grad_fn is not None:
        if not value or leaf_only:
            raise RuntimeError(LEAF_ONLY_MESSAGE + ("" if value else DETACH_ADVICE))
        return
    if value and not tensor.dtype.is_floating_point:
        raise RuntimeError(f"only Tensors of {allowed} can require gradients")
    set_requires_grad(tensor, bool(value))


def set_requires_grad(tensor: Tensor, value: bool) -> None:
    """Set the tensor's own ``requires_grad``. Its views without history now require grad
    through it (or no longer do); those whose memory changed meanwhile read it back."""
    tensor._requires_grad = value
    if requires_grad_through_base(tensor):
        tensor._accumulator_ref = None  # its own flag now
    for reference in tensor._views or ():
        view = reference()
        if view is not None and view.grad_fn is None:
            _mark_through_base(view, value)
    if value and _recorded_views(tensor):
        with grad_mode.enable_grad():
            _reread_views(tensor, only_stale=True)


def _mark_through_base(view, value):
    through_base = requires_grad_through_base(view)
    if view._requires_grad and not through_base:
        return  # it requires grad on its own
    if value or through_base:
        view._requires_grad = value
        view._accumulator_ref = _no_edge if value else None


_OPERAND_REFUSALS = {
    operator.sub: lambda tensor, other: operands.refuse_bool_subtraction(tensor, other),
    operator.pow: lambda tensor, other: operands.refuse_negative_integer_power(tensor, other),
}


def _reread_views_after_unrecorded_change(tensor, rebased=None):
    """A change autograd does not record in a base's history (under no_grad, or through what
    ``detach()`` returned) still changes the memory every view of the base reads: torch then
    regenerates each view's grad_fn as AsStridedBackward0 when the base requires grad, and so
    does autograd_mini, at once. ``rebased``: a base whose history did record the change."""
    for base in _bases_sharing_memory(tensor):
        if base is not rebased and _recorded_views(base):
            _regenerate_views(base)


def _bases_sharing_memory(tensor):
    """The tensor's base (or the tensor), and the other bases of views sharing its version
    counter: a tensor and what its ``detach()`` returned may both have views."""
    bases = [tensor if tensor._base is None else tensor._base]
    for known in (tensor._version_counter or ())[1:]:
        base = known()
        if base is not None and all(base is not other for other in bases):
            bases.append(base)
    return bases


def _regenerate_views(base):
    if base.requires_grad:
        with grad_mode.enable_grad():
            _reread_views(base)
        return
    edgeless = type(base)(base.array)  # torch: a node that leads nowhere, for a view with history
    edgeless._requires_grad, edgeless._accumulator_ref = True, _no_edge
    for reference in _recorded_views(base):
        view = reference()
        if view is not None and view.grad_fn is not None:
            with grad_mode.enable_grad():
                _rebase(view, _read_back(view, edgeless))
        else:  # the others read it back if the base comes to require grad
            reference.stale = True


def _rebase(tensor, node):
    """Make ``node`` the tensor's history; a retained gradient is now that of the new values."""
    if tensor._retains_grad:
        tensor.grad_fn._retained, node._retained = None, weakref.ref(tensor)
    tensor.grad_fn, tensor._requires_grad = node, True


# Late imports: these modules import this one, so they are loaded once it is complete.
from . import operands  # noqa: E402
