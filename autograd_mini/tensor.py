"""Tensor: a numpy array plus what autograd needs (requires_grad, grad, grad_fn)."""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable

import numpy as np

from . import dtypes, layout
from .arguments import MethodForms, refuse_result_dtype
from .broadcast import measured_dim
from .devices import Conversions
from .hooks import RemovableHandle
from .left_out import left_out
from .printing import Size, format_tensor
from .views import ViewsAndInPlace, change_requires_grad, requires_grad_through_base

__all__ = ["Tensor", "Size"]


NON_LEAF_GRAD_MESSAGE = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)


class Tensor(MethodForms, Conversions, ViewsAndInPlace):
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
        "_version_counter",
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
        self.array = array if array.size else layout.new_empty(array)
        self.grad_fn = None
        self._requires_grad = requires_grad
        self._grad = None
        self._accumulator_ref = None
        self._retains_grad = False
        self._version_counter = None  # in-place changes (see _version), made when first needed
        self._base = None  # the tensor whose memory this one views, if it is a view
        self._views = None  # weak references to a base's views, re-read after an in-place change
        self._hooks = None  # a leaf's hooks, by handle id (a non-leaf's live on its grad_fn)

    # ----- what a tensor is ------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The size of each dimension, as an ``autograd_mini.Size``."""
        return Size(self.array.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.array.ndim

    @property
    def dtype(self) -> dtypes.dtype:
        """The element type: ``autograd_mini.float32``, ``float64``, ``int64`` or ``bool``."""
        return dtypes._FROM_NUMPY[self.array.dtype]

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of one dimension."""
        if dim is None:
            return Size(self.array.shape)
        return self.array.shape[measured_dim(dim, self.array.ndim)]

    def dim(self) -> int:
        """The number of dimensions."""
        return self.array.ndim

    def numel(self) -> int:
        """The number of elements."""
        return self.array.size

    def __repr__(self):
        grad_fn = self.grad_fn
        return format_tensor(
            self.array,
            self.dtype.name,
            requires_grad=self.requires_grad and grad_fn is None,
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

    # ----- autograd attributes ---------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded so gradients can flow back to it (a
        view answers for its base too, as in torch, even if made under ``no_grad``)."""
        base = self._base
        return self._requires_grad or (base is not None and base._requires_grad)

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        change_requires_grad(self, value, "floating point and complex dtype", leaf_only=True)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor."""
        change_requires_grad(self, requires_grad, "floating point dtype")  # torch's older wording
        return self

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient of a leaf (None until a backward pass reaches it)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(NON_LEAF_GRAD_MESSAGE, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
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
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than computed by a recorded operation."""
        return self.grad_fn is None

    def retain_grad(self) -> None:
        """Ask a non-leaf tensor to keep its gradient in ``.grad`` during backward."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if not self._retains_grad:
            self._retains_grad = True
            self.grad_fn._retained = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor that called ``retain_grad()``."""
        return self._retains_grad

    def register_hook(self, hook: Callable) -> RemovableHandle:
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
            if requires_grad_through_base(self):  # torch gives such a view no edge
                return None
            node = AccumulateGrad(self)
            self._accumulator_ref = weakref.ref(node)
        return node

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Compute the gradient of this tensor with respect to the leaves, into their ``.grad``."""
        engine.backward(self, gradient, retain_graph, create_graph)

    def detach(self) -> Tensor:
        """A new leaf cut from the graph, sharing the memory and its version counter (so an
        in-place change through it still makes backward refuse values it changed)."""
        detached = Tensor(self.array)
        detached._version_counter = self._shared_version_counter()
        return detached

    @property
    def data(self) -> Tensor:
        """The values as a tensor cut from the graph (sharing memory)."""
        return Tensor(self.array)

    @data.setter
    def data(self, value: Tensor) -> None:
        self.array = value.array

    def clone(self) -> Tensor:
        """A copy with its own memory (differentiable)."""
        return shape_ops.Clone.apply(self)

    # ----- arithmetic: every operator calls an op's ``apply`` --------------------------------
    # A list or tuple operand gets NotImplemented, as from torch's operators: Python then raises
    # its own TypeError (or, for ``[1, 2] * tensor``, repeats the list). Tested inline, not by a
    # wrapper: an extra call per operation costs a long chain of scalar ops 5% of its time.
    def __add__(self, other):
        """``self + other`` (also ``add``), elementwise, broadcasting like torch."""
        if isinstance(other, (list, tuple)):
            return NotImplemented
        return elementwise.Add.apply(*operands.operands(self, other))

    __radd__ = __add__

    def __sub__(self, other):
        """``self - other`` (also ``sub``), elementwise, broadcasting like torch."""
        if isinstance(other, (list, tuple)):
            return NotImplemented
        operands.refuse_bool_subtraction(self, other)
        return elementwise.Sub.apply(*operands.operands(self, other))

    def __rsub__(self, other):
        if isinstance(other, (list, tuple)):
            return NotImplemented
        operands.refuse_bool_subtraction(self, other)
        if type(other) not in (int, float) or self.array.dtype.kind != "f":  # else self is
            self, _ = operands.operands(self, other)  # the operand already: its dtype wins
        return elementwise.Rsub.apply(self, operands.number(other))

    def __mul__(self, other):
        """``self * other`` (also ``mul``), elementwise, broadcasting like torch."""
        if isinstance(other, (list, tuple)):
            return NotImplemented
        return elementwise.Mul.apply(*operands.operands(self, other))

    __rmul__ = __mul__

    def __truediv__(self, other):
        """``self / other`` (also ``div``), elementwise, broadcasting like torch."""
        if isinstance(other, (list, tuple)):
            return NotImplemented
        return elementwise.Div.apply(*operands.operands(self, other, floating=True))

    def __rtruediv__(self, other):
        if isinstance(other, (list, tuple)):
            return NotImplemented
        self, other = operands.operands(self, other, floating=True)
        return elementwise.Reciprocal.apply(self) * other

    def __pow__(self, exponent):
        """``self ** exponent`` (also ``pow``), elementwise, broadcasting like torch."""
        if isinstance(exponent, (list, tuple)):
            return NotImplemented
        if isinstance(exponent, Tensor):
            return elementwise.PowTensor.apply(*operands.power_operands(self, exponent))
        self, _ = operands.operands(self, exponent)
        exponent = int(exponent) if isinstance(exponent, np.bool_) else operands.number(exponent)
        operands.refuse_negative_integer_power(self, exponent)
        return elementwise.Pow.apply(self, exponent)

    def __rpow__(self, base):
        if isinstance(base, (list, tuple)):
            return NotImplemented
        operands.refuse_bool("pow", self, base)
        operands.refuse_bool_base(self, base)
        self, _ = operands.operands(self, base)
        return elementwise.RPow.apply(self, operands.number(base))

    def __matmul__(self, other):
        """Matrix product ``self @ other`` (also ``matmul``)."""
        if type(other) is not Tensor:
            return operands.not_a_matrix(other)
        return linalg.matmul(self, other)

    def __rmatmul__(self, other):
        return operands.not_a_matrix(other)  # (called only when ``other`` is not a tensor)

    def __mod__(self, other):
        """Always raises: autograd_mini leaves out ``%`` (and ``//``)."""
        raise left_out("% (remainder) and // (floor division)", "they have no gradient anyway")

    __rmod__ = __floordiv__ = __rfloordiv__ = __mod__

    def __neg__(self):
        """``-self`` (also ``neg``), elementwise."""
        operands.refuse_bool("neg", self)
        return elementwise.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        """Absolute value, elementwise (also ``abs``)."""
        operands.refuse_bool("abs", self)
        return elementwise.Abs.apply(self)

    abs, neg = __abs__, __neg__

    def exp(self) -> Tensor:
        """$e^x$, elementwise."""
        return elementwise.Exp.apply(self._floating())

    def log(self) -> Tensor:
        """Natural logarithm, elementwise."""
        return elementwise.Log.apply(self._floating())

    def reciprocal(self) -> Tensor:
        """$1 / x$, elementwise."""
        return elementwise.Reciprocal.apply(self._floating())

    def sqrt(self) -> Tensor:
        """Square root, elementwise."""
        return elementwise.Sqrt.apply(self._floating())

    def sin(self) -> Tensor:
        """Sine, elementwise."""
        return elementwise.Sin.apply(self._floating())

    def cos(self) -> Tensor:
        """Cosine, elementwise."""
        return elementwise.Cos.apply(self._floating())

    def tanh(self) -> Tensor:
        """Hyperbolic tangent, elementwise."""
        return elementwise.Tanh.apply(self._floating())

    def sigmoid(self) -> Tensor:
        """The logistic function $1 / (1 + e^{-x})$, elementwise."""
        return elementwise.Sigmoid.apply(self._floating())

    def relu(self) -> Tensor:
        """$\\max(x, 0)$, elementwise."""
        if self.array.dtype.kind == "b":
            operands.refuse_bool("relu", self)
        return elementwise.Relu.apply(self)

    def _floating(self):
        return self if self.array.dtype.kind == "f" else self.to(dtypes.float32)

    # ----- comparisons and logic: bool (or integer) tensors, never recorded ---------------------
    def _elementwise_logic(numpy_function, bitwise_name=None):
        def operator(self, other):
            return operands.logical(self, other, numpy_function, bitwise_name)

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
        return Tensor(layout.elementwise(np.invert(self.array), (self.array,)))

    def masked_fill(self, mask: Tensor, value: float) -> Tensor:
        """A copy with ``value`` wherever the bool tensor ``mask`` is True."""
        return elementwise.masked_fill(self, mask, value)

    def logical_not(self) -> Tensor:
        """``True`` where the tensor is zero (or False), as a bool tensor."""
        return Tensor(layout.elementwise(np.logical_not(self.array), (self.array,)))

    # ----- reductions -----------------------------------------------------------------------
    def sum(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *, dtype=None):
        """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
        refuse_result_dtype(dtype)
        if dim is None:
            return reduction.Sum.apply(self)
        return reduction.SumDim.apply(self, operands.reduced_dims(dim, self.array.ndim), keepdim)

    def mean(self, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *, dtype=None):
        """Mean of all elements, or along ``dim``."""
        refuse_result_dtype(dtype)
        if self.array.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {self.dtype.type_name}"
            )
        if dim is None:
            return reduction.Mean.apply(self)
        return reduction.MeanDim.apply(self, operands.reduced_dims(dim, self.array.ndim), keepdim)

    def max(self, dim: int | None = None, keepdim: bool = False):
        """The largest element, or ``(values, indices)`` along ``dim``."""
        return reduction.extreme(self, dim, keepdim, reduction.Max, reduction.MaxDim)

    def min(self, dim: int | None = None, keepdim: bool = False):
        """The smallest element, or ``(values, indices)`` along ``dim``."""
        return reduction.extreme(self, dim, keepdim, reduction.Min, reduction.MinDim)


# Late imports: these modules import this one, so they are loaded once it is complete.
from . import engine, operands  # noqa: E402
from .function import AccumulateGrad  # noqa: E402
from .ops import elementwise, linalg, reduction  # noqa: E402
from .ops import shape as shape_ops  # noqa: E402
