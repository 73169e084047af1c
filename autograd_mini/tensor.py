"""Tensor: a numpy array plus what autograd needs (requires_grad, grad, grad_fn)."""

import math
import warnings
import weakref

import numpy as np

from . import dtypes, grad_mode
from .broadcast import broadcast_shapes
from .devices import CPU, CPU_ONLY_MESSAGE, as_device

__all__ = ["Tensor", "Size"]

_grad_state = grad_mode._State
# torch computes 1 / 0 = inf and log(-1) = nan without a word; numpy would warn
_no_numpy_warnings = np.errstate(divide="ignore", invalid="ignore", over="ignore")
_NUMBER_TYPES = (int, float, bool, np.number, np.bool_)
_TORCH_DTYPE_NAMES = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}

LEAF_INPLACE_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_MESSAGE = "a view of " + LEAF_INPLACE_MESSAGE
OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
UNBIND_MESSAGE = (
    "Output {} of Unbind is a view and is being modified inplace. This view is the output of a "
    "function that returns multiple views. Such functions do not allow the output views to be "
    "modified inplace. You should replace the inplace operation by an out-of-place one."
)
VIEW_MESSAGE = (
    "view size is not compatible with input tensor's size and stride (at least one dimension "
    "spans across two contiguous subspaces). Use .reshape(...) instead."
)
NON_LEAF_GRAD_MESSAGE = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


class Size(tuple):
    """A tensor's shape: a tuple that prints like torch's, ``autograd_mini.Size([2, 3])``."""

    def __repr__(self):
        return f"autograd_mini.Size({list(self)})"

    __str__ = __repr__

    def numel(self):
        """The number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))


def normalize_dim(dim, ndim):
    """``dim`` as a non-negative index, or torch's IndexError when it is out of range."""
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % ndim if ndim else 0


class Tensor:
    """An n-dimensional array of numbers that can record how it was computed.

    ``array`` is the numpy array holding the values (autograd_mini only; torch keeps its storage
    private). Make tensors with ``autograd_mini.tensor`` and the other creation functions.
    """

    __slots__ = (
        "array",
        "grad_fn",
        "_requires_grad",
        "_grad",
        "_accumulator_ref",
        "_retains_grad",
        "_version_count",
        "_base",
        "_views",
        "_hooks",
        "__weakref__",
    )
    __array_ufunc__ = None  # numpy defers to our operators: np.float64(2) * x calls x.__rmul__
    __hash__ = object.__hash__

    def __init__(self, array, requires_grad=False):
        if type(array) is not np.ndarray:  # a numpy scalar keeps its dtype; ``Tensor([1, 2])``
            float32 = None if isinstance(array, np.generic) else np.float32  # is float32 (torch)
            array = np.array(array, dtype=float32)
        self.array = array
        self.grad_fn = None
        self._requires_grad = requires_grad
        self._grad = None
        self._accumulator_ref = None
        self._retains_grad = False
        self._version_count = 0  # in-place changes, so backward can refuse stale saved values
        self._base = None  # the tensor whose memory this one views, if it is a view
        self._views = None  # weak references to a base's views, re-read after an in-place change
        self._hooks = None  # a leaf's hooks, by handle id (a non-leaf's live on its grad_fn)

    @property
    def _version(self):
        """How many in-place changes the memory has seen (a view shares its base's count)."""
        return (self if self._base is None else self._base)._version_count

    @_version.setter
    def _version(self, value):
        (self if self._base is None else self._base)._version_count = value

    # ----- what a tensor is ------------------------------------------------------------------
    @property
    def shape(self):
        """The size of each dimension, as an ``autograd_mini.Size``."""
        return Size(self.array.shape)

    @property
    def ndim(self):
        """The number of dimensions."""
        return self.array.ndim

    @property
    def dtype(self):
        """The element type: ``autograd_mini.float32``, ``float64``, ``int64`` or ``bool``."""
        return dtypes._FROM_NUMPY[self.array.dtype]

    def size(self, dim=None):
        """The shape, or the size of one dimension."""
        if dim is None:
            return Size(self.array.shape)
        return self.array.shape[normalize_dim(dim, self.array.ndim)]

    def dim(self):
        """The number of dimensions."""
        return self.array.ndim

    def numel(self):
        """The number of elements."""
        return self.array.size

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        return self.array.item()

    def tolist(self):
        """The values as (nested) Python lists, or a number for a 0-d tensor."""
        return self.array.tolist()

    def numpy(self):
        """The values as a numpy array sharing memory (not allowed while requiring grad)."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self.array

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __repr__(self):
        from .printing import format_tensor

        grad_fn = self.grad_fn
        return format_tensor(
            self.array,
            self.dtype.name,
            requires_grad=self._requires_grad and grad_fn is None,
            grad_fn_name=None if grad_fn is None else grad_fn.name().rsplit("::")[-1],
        )

    __str__ = __repr__

    def __format__(self, spec):
        if self.array.ndim == 0:  # torch formats the number: f"{x:.3f}" works on a 0-d tensor
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        rows = (shape_ops.Unbind.apply(self, (i, Ellipsis)) for i in range(self.array.shape[0]))
        return (self._view(row) for row in rows)  # each row shares memory, as in torch

    def __bool__(self):
        if self.array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.array)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype._category == 2 or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.array)

    # ----- autograd attributes ---------------------------------------------------------------
    @property
    def requires_grad(self):
        """Whether operations on this tensor are recorded so gradients can flow back to it."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self._set_requires_grad(value, "floating point and complex dtype")

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place and return the tensor."""
        self._set_requires_grad(requires_grad, "floating point dtype")  # torch's older wording
        return self

    def _set_requires_grad(self, value, allowed):
        if self.grad_fn is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use "
                    "a computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach()."
                )
            return
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(f"only Tensors of {allowed} can require gradients")
        self._requires_grad = bool(value)

    @property
    def grad(self):
        """The accumulated gradient of a leaf (None until a backward pass reaches it)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(NON_LEAF_GRAD_MESSAGE, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if value.array.shape != self.array.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.array.shape)}' to a "
                    f"tensor of size '{list(self.array.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
        self._grad = value

    @property
    def is_leaf(self):
        """True for tensors made by the user rather than computed by a recorded operation."""
        return self.grad_fn is None

    def retain_grad(self):
        """Ask a non-leaf tensor to keep its gradient in ``.grad`` during backward."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if not self._retains_grad:
            self._retains_grad = True
            self.grad_fn._retained = weakref.ref(self)

    @property
    def retains_grad(self):
        """True for a non-leaf tensor that called ``retain_grad()``."""
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` whenever the gradient of this tensor is computed; a tensor it
        returns replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        owner = self if self.grad_fn is None else self.grad_fn  # kept by the node it feeds
        if owner._hooks is None:
            owner._hooks = {}
        return RemovableHandle(owner._hooks, hook)

    def _accumulator(self):
        """The AccumulateGrad node of this leaf (one per leaf, shared by every use)."""
        node = self._accumulator_ref() if self._accumulator_ref is not None else None
        if node is None:
            node = AccumulateGrad(self)
            self._accumulator_ref = weakref.ref(node)
        return node

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Compute the gradient of this tensor with respect to the leaves, into their ``.grad``."""
        engine.backward(self, gradient, retain_graph, create_graph)

    def detach(self):
        """A new leaf sharing the same values, cut from the graph."""
        return Tensor(self.array)

    @property
    def data(self):
        """The values as a tensor cut from the graph (sharing memory)."""
        return Tensor(self.array)

    @data.setter
    def data(self, value):
        self.array = value.array

    def clone(self):
        """A copy with its own memory (differentiable)."""
        return shape_ops.Clone.apply(self)

    @property
    def device(self):
        """Where the tensor lives: always ``device(type='cpu')`` in autograd_mini."""
        return CPU

    @property
    def is_cuda(self):
        """False: autograd_mini tensors live on the CPU."""
        return False

    def to(self, *args, dtype=None, device=None, copy=False):
        """The tensor converted to a dtype and/or device, like torch's ``to``: ``to(dtype)``,
        ``to("cpu")``, ``to(device, dtype)``, ``to(other_tensor)``. Returns ``self`` when nothing
        changes (unless ``copy=True``); a dtype change is a differentiable copy."""
        for arg in args:
            if isinstance(arg, dtypes.dtype):
                dtype = arg
            elif isinstance(arg, Tensor):
                dtype = arg.dtype
            else:
                device = arg
        as_device(device)
        if dtype is None or self.array.dtype == dtype.numpy_dtype:
            return self.clone() if copy else self
        return shape_ops.ToCopy.apply(self, dtype)

    def cpu(self):
        """The tensor itself: it is already on the CPU."""
        return self

    def cuda(self, device=None):
        """Always raises: autograd_mini runs on the CPU only."""
        raise AssertionError(CPU_ONLY_MESSAGE)

    def float(self):
        """Convert to float32."""
        return self.to(dtypes.float32)

    def double(self):
        """Convert to float64."""
        return self.to(dtypes.float64)

    def long(self):
        """Convert to int64."""
        return self.to(dtypes.int64)

    # ----- arithmetic: every operator calls an op's ``apply`` --------------------------------
    def __add__(self, other):
        """``self + other`` (also ``add``), elementwise, broadcasting like torch."""
        return elementwise.Add.apply(*_operands(self, other))

    __radd__ = __add__

    def __sub__(self, other):
        """``self - other`` (also ``sub``), elementwise, broadcasting like torch."""
        return elementwise.Sub.apply(*_operands(self, other))

    def __rsub__(self, other):
        self, _ = _operands(self, other)
        return elementwise.Rsub.apply(self, _number(other))

    def __mul__(self, other):
        """``self * other`` (also ``mul``), elementwise, broadcasting like torch."""
        return elementwise.Mul.apply(*_operands(self, other))

    __rmul__ = __mul__

    @_no_numpy_warnings
    def __truediv__(self, other):
        """``self / other`` (also ``div``), elementwise, broadcasting like torch."""
        return elementwise.Div.apply(*_operands(self, other, floating=True))

    @_no_numpy_warnings
    def __rtruediv__(self, other):
        self, other = _operands(self, other, floating=True)
        return elementwise.Reciprocal.apply(self) * other

    @_no_numpy_warnings
    def __pow__(self, exponent):
        """``self ** exponent`` (also ``pow``), elementwise, broadcasting like torch."""
        if isinstance(exponent, Tensor):
            return elementwise.PowTensor.apply(*_operands(self, exponent))
        self, _ = _operands(self, exponent)
        exponent = _number(exponent)
        if self.array.dtype.kind in "iub" and isinstance(exponent, int) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return elementwise.Pow.apply(self, exponent)

    @_no_numpy_warnings
    def __rpow__(self, base):
        self, _ = _operands(self, base)
        return elementwise.RPow.apply(self, _number(base))

    def __matmul__(self, other):
        """Matrix product ``self @ other`` (also ``matmul``)."""
        return linalg.matmul(self, other)

    def __rmatmul__(self, other):
        return linalg.matmul(_as_tensor(other), self)

    def __neg__(self):
        """``-self`` (also ``neg``), elementwise."""
        return elementwise.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        """Absolute value, elementwise (also ``abs``)."""
        return elementwise.Abs.apply(self)

    abs, neg, add, sub, mul = __abs__, __neg__, __add__, __sub__, __mul__
    div, pow, matmul = __truediv__, __pow__, __matmul__

    @_no_numpy_warnings
    def exp(self):
        """$e^x$, elementwise."""
        return elementwise.Exp.apply(self._floating())

    @_no_numpy_warnings
    def log(self):
        """Natural logarithm, elementwise."""
        return elementwise.Log.apply(self._floating())

    @_no_numpy_warnings
    def reciprocal(self):
        """$1 / x$, elementwise."""
        return elementwise.Reciprocal.apply(self._floating())

    @_no_numpy_warnings
    def sqrt(self):
        """Square root, elementwise."""
        return elementwise.Sqrt.apply(self._floating())

    def sin(self):
        """Sine, elementwise."""
        return elementwise.Sin.apply(self._floating())

    def cos(self):
        """Cosine, elementwise."""
        return elementwise.Cos.apply(self._floating())

    def tanh(self):
        """Hyperbolic tangent, elementwise."""
        return elementwise.Tanh.apply(self._floating())

    def sigmoid(self):
        """The logistic function $1 / (1 + e^{-x})$, elementwise."""
        return elementwise.Sigmoid.apply(self._floating())

    def relu(self):
        """$\\max(x, 0)$, elementwise."""
        return elementwise.Relu.apply(self)

    def _floating(self):
        return self if self.array.dtype.kind == "f" else self.to(dtypes.float32)

    # ----- comparisons and logic: bool (or integer) tensors, never recorded ---------------------
    def _elementwise_logic(numpy_function, bitwise_name=None):
        def operator(self, other):
            a, b = _operands(self, other)
            if bitwise_name and a.array.dtype.kind == "f":
                raise NotImplementedError(
                    f'"{bitwise_name}_cpu" not implemented for '
                    f"'{_TORCH_DTYPE_NAMES[a.dtype.name]}'"
                )
            return Tensor(np.asarray(numpy_function(a.array, b.array)))

        return operator

    __lt__ = _elementwise_logic(np.less)
    __le__ = _elementwise_logic(np.less_equal)
    __gt__ = _elementwise_logic(np.greater)
    __ge__ = _elementwise_logic(np.greater_equal)
    __eq__ = _elementwise_logic(np.equal)
    __ne__ = _elementwise_logic(np.not_equal)
    __and__ = __rand__ = _elementwise_logic(np.bitwise_and, "bitwise_and")
    __or__ = __ror__ = _elementwise_logic(np.bitwise_or, "bitwise_or")
    __xor__ = __rxor__ = _elementwise_logic(np.bitwise_xor, "bitwise_xor")
    del _elementwise_logic

    def __invert__(self):
        if self.array.dtype.kind == "f":
            raise TypeError(
                "~ (operator.invert) is only implemented on integer and Boolean-type tensors"
            )
        return Tensor(np.invert(self.array))

    def masked_fill(self, mask, value):
        """A copy with ``value`` wherever the bool tensor ``mask`` is True."""
        return elementwise.MaskedFill.apply(self, mask, _number(value))

    def logical_not(self):
        """``True`` where the tensor is zero (or False), as a bool tensor."""
        return Tensor(np.logical_not(self.array))

    # ----- reductions -----------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False):
        """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
        if dim is None:
            return reduction.Sum.apply(self)
        return reduction.SumDim.apply(self, _dims(dim, self.array.ndim), keepdim)

    def mean(self, dim=None, keepdim=False):
        """Mean of all elements, or along ``dim``."""
        if self.array.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {_TORCH_DTYPE_NAMES[self.dtype.name]}"
            )
        if dim is None:
            return reduction.Mean.apply(self)
        return reduction.MeanDim.apply(self, _dims(dim, self.array.ndim), keepdim)

    def max(self, dim=None, keepdim=False):
        """The largest element, or ``(values, indices)`` along ``dim``."""
        return reduction.extreme(self, dim, keepdim, reduction.Max, reduction.MaxDim)

    def min(self, dim=None, keepdim=False):
        """The smallest element, or ``(values, indices)`` along ``dim``."""
        return reduction.extreme(self, dim, keepdim, reduction.Min, reduction.MinDim)

    # ----- shapes -----------------------------------------------------------------------------
    def is_contiguous(self):
        """True when the elements lie in memory row after row, with no gaps (so ``view`` works)."""
        return self.array.flags.c_contiguous

    def stride(self, dim=None):
        """How many elements memory advances per step along each dimension (or along ``dim``)."""
        strides = tuple(step // self.array.itemsize for step in self.array.strides)
        if self.array.size == 0:  # numpy may give an empty array any strides; torch's are row-major
            sizes = [max(size, 1) for size in self.array.shape]
            strides = tuple(math.prod(sizes[i + 1 :]) for i in range(len(sizes)))
        return strides if dim is None else strides[normalize_dim(dim, self.array.ndim)]

    def _viewable(self, shape):
        """Whether ``shape`` can read the same memory: numpy's reshape then returns a view."""
        array = self.array
        return array.flags.c_contiguous or np.may_share_memory(array.reshape(shape), array)

    def _view(self, result):
        """Mark ``result`` as a view: it shares this tensor's memory and version counter, and
        (made while autograd records) it is re-read if the base changes in place."""
        base = self if self._base is None else self._base
        result._base = base
        if not _grad_state.enabled:  # e.g. inside backward; torch forbids in-place on these
            return result
        views = base._views
        if views is None:
            views = base._views = []
        elif len(views) >= 32 and not len(views) & (len(views) - 1):  # at 32, 64, 128, ...:
            views[:] = [view for view in views if view() is not None]  # forget the dead ones
        views.append(weakref.ref(result))
        return result

    def reshape(self, *shape):
        """The same values arranged in a new shape (one size may be -1); a view when the memory
        allows it, else a copy."""
        shape = shape_ops.infer_shape(shape, self.array.size)
        if self._viewable(shape):
            return self._view(shape_ops.View.apply(self, shape))
        return shape_ops.ReshapeCopy.apply(self, shape)

    def view(self, *shape):
        """The same values, same memory, in a new shape (one size may be -1); torch's error when
        the memory layout does not allow it (``reshape`` copies instead)."""
        shape = shape_ops.infer_shape(shape, self.array.size)
        if not self._viewable(shape):
            raise RuntimeError(VIEW_MESSAGE)
        return self._view(shape_ops.View.apply(self, shape))

    def flatten(self):
        """The values as a 1-D tensor."""
        return self.reshape(self.array.size)

    def transpose(self, dim0, dim1):
        """Swap two dimensions."""
        ndim = self.array.ndim
        dims = normalize_dim(dim0, ndim), normalize_dim(dim1, ndim)
        return self._view(shape_ops.Transpose.apply(self, *dims))

    def permute(self, *dims):
        """Reorder the dimensions."""
        dims = shape_ops.check_permutation(dims, self.array.ndim)
        return self._view(shape_ops.Permute.apply(self, dims))

    @property
    def T(self):
        """The dimensions in reverse order (the transpose of a matrix)."""
        return self._view(shape_ops.Permute.apply(self, tuple(reversed(range(self.array.ndim)))))

    def squeeze(self, dim=None):
        """Remove dimensions of size 1 (all of them, or only ``dim``)."""
        if dim is None:
            return self._view(shape_ops.Squeeze.apply(self))
        return self._view(shape_ops.SqueezeDim.apply(self, normalize_dim(dim, self.array.ndim)))

    def unsqueeze(self, dim):
        """Insert a dimension of size 1 at ``dim``."""
        dim = normalize_dim(dim, self.array.ndim + 1)
        return self._view(shape_ops.Unsqueeze.apply(self, dim))

    def expand(self, *sizes):
        """Repeat size-1 dimensions (without copying) to reach ``sizes`` (-1 keeps a size)."""
        shape = shape_ops.expanded_shape(self.array.shape, sizes)
        return self._view(shape_ops.Expand.apply(self, shape))

    def __getitem__(self, key):
        result = shape_ops.index(self, key)
        return self._view(result) if np.may_share_memory(result.array, self.array) else result

    def __setitem__(self, key, value):
        shape_ops.set_item(self, key, value)

    # ----- in-place operations ------------------------------------------------------------------
    def _inplace(self, compute, leaf_message=LEAF_INPLACE_MESSAGE):
        """Overwrite the values with ``compute(old)``. When autograd records, the tensor takes the
        new node as its history (torch's "rebase"), and so does the tensor it is a view of."""
        recording, base = _grad_state.enabled, self._base
        old = self
        if recording and self._requires_grad:
            if self.grad_fn is None:
                raise RuntimeError(leaf_message)
            if base is not None and base._requires_grad and base.grad_fn is None:
                raise RuntimeError(VIEW_OF_LEAF_MESSAGE)
            if self.grad_fn.function is shape_ops.Unbind:
                raise RuntimeError(UNBIND_MESSAGE.format(self.grad_fn.key[0]))
            old = Tensor(self.array.copy())  # the new node may save the old values
            old.grad_fn, old._requires_grad = self.grad_fn, True
        result = compute(old)
        if result.array.dtype != self.array.dtype and not np.can_cast(
            result.array.dtype, self.array.dtype, "same_kind"
        ):
            raise RuntimeError(
                f"result type {_TORCH_DTYPE_NAMES[result.dtype.name]} "
                f"can't be cast to the desired output type {_TORCH_DTYPE_NAMES[self.dtype.name]}"
            )
        if result.array.shape != self.array.shape:
            raise RuntimeError(
                f"output with shape {list(self.array.shape)} doesn't match the broadcast shape "
                f"{list(result.array.shape)}"
            )
        if not (recording and result._requires_grad):
            self.array[...] = result.array
        elif base is None or base.array.ndim == 0:  # (a 0-d base is all of its one element)
            self.array[...] = result.array
            if base is not None:
                result = shape_ops.View.apply(result, ())
            (self if base is None else base)._rebase(result.grad_fn)
            (self if base is None else base)._reread_views()
        else:  # write through the base, which gets a CopySlices node; its views read it back
            key = shape_ops.positions_in(self.array, base.array)
            base._rebase(shape_ops.CopySlices.apply(base, result, key).grad_fn)
            base._reread_views()
        self._version += 1
        return self

    def _reread_views(self):
        """After this base changed in place under autograd, every view of it reads its values
        from the new history (torch regenerates a view's grad_fn as AsStridedBackward0)."""
        for view in [reference() for reference in self._views or ()]:
            if view is None:
                continue
            if self.array.ndim == 0:
                view._rebase(shape_ops.View.apply(self, view.array.shape).grad_fn)
            else:
                key = shape_ops.positions_in(view.array, self.array)
                view._rebase(shape_ops.AsStrided.apply(self, key).grad_fn)

    def _rebase(self, node):
        if self._retains_grad:  # the gradient kept is now that of the new values
            self.grad_fn._retained, node._retained = None, weakref.ref(self)
        self.grad_fn, self._requires_grad = node, True

    def _inplace_binary(self, other, operator):
        strides, shape = self.array.strides, self.array.shape
        if any(step == 0 and size > 1 for step, size in zip(strides, shape, strict=True)):
            raise RuntimeError(OVERLAP_MESSAGE)  # an expanded tensor: one memory slot, many places
        if type(other) is Tensor and other.array.dtype != self.array.dtype and _grad_state.enabled:
            if other.dtype.is_floating_point and self.dtype.is_floating_point:
                other = other.to(self.dtype)  # so the recorded node gives this tensor's dtype
        return self._inplace(lambda old: operator(old, other))

    def __iadd__(self, other):
        """``self += other``, in place (also ``add_``)."""
        return self._inplace_binary(other, Tensor.__add__)

    def __isub__(self, other):
        """``self -= other``, in place (also ``sub_``)."""
        return self._inplace_binary(other, Tensor.__sub__)

    def __imul__(self, other):
        """``self *= other``, in place (also ``mul_``)."""
        return self._inplace_binary(other, Tensor.__mul__)

    def __itruediv__(self, other):
        """``self /= other``, in place (also ``div_``)."""
        return self._inplace_binary(other, Tensor.__truediv__)

    def __ipow__(self, other):
        """``self **= other``, in place (also ``pow_``)."""
        return self._inplace_binary(other, Tensor.__pow__)

    add_, sub_, mul_, div_, pow_ = __iadd__, __isub__, __imul__, __itruediv__, __ipow__

    def zero_(self):
        """Set every element to zero, in place."""
        return self._inplace(lambda old: elementwise.Zero.apply(old, 0))

    def fill_(self, value):
        """Set every element to ``value``, in place."""
        return self._inplace(lambda old: elementwise.Fill.apply(old, _number(value)))


def _as_tensor(value, dtype=None):
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if dtype is None:
        dtype = dtypes.from_numpy_dtype(array.dtype)
        if dtype is dtypes.float64 and not isinstance(value, np.ndarray):
            dtype = dtypes.float32
    return Tensor(array.astype(dtype.numpy_dtype, copy=False))


def _operands(a, b, floating=False, broadcast=True):
    """Two operands as tensors of their common dtype (torch's promotion) and checked shapes."""
    kind = type(b)
    if (kind is float or kind is int) and a.array.dtype.kind == "f":  # the common case, fast
        return a, Tensor(np.array(b, a.array.dtype))
    if type(b) is Tensor:
        if a.array.dtype is b.array.dtype and (not floating or a.array.dtype.kind == "f"):
            if broadcast and a.array.shape != b.array.shape:
                broadcast_shapes(a.array.shape, b.array.shape)
            return a, b
    elif not isinstance(b, _NUMBER_TYPES):
        if isinstance(b, (list, tuple, np.ndarray)):
            b = _as_tensor(b)
        else:
            raise TypeError(
                f"unsupported operand type for a Tensor and a {type(b).__name__}: "
                f"'{type(b).__name__}'"
            )
    elif isinstance(b, np.generic):
        b = b.item()
    common = dtypes.result_type(a, b)
    if floating and not common.is_floating_point:
        common = dtypes.float32
    if type(b) is Tensor:
        if broadcast and a.array.shape != b.array.shape:
            broadcast_shapes(a.array.shape, b.array.shape)
        b = b.to(common)
    else:
        b = Tensor(np.asarray(b, dtype=common.numpy_dtype))
    return a.to(common), b


def _number(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Tensor):
        return value.item()
    return value


def _dims(dim, ndim):
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


from . import engine  # noqa: E402  (these modules use Tensor, so they load after it)
from .function import AccumulateGrad  # noqa: E402
from .hooks import RemovableHandle  # noqa: E402
from .ops import elementwise, linalg, reduction  # noqa: E402
from .ops import shape as shape_ops  # noqa: E402
