"""Reductions: sum, mean, max and min, over everything or along dimensions."""

import math
from collections import namedtuple

import numpy as np

from .. import layout
from ..broadcast import normalize_dim
from ..function import Function
from ..left_out import left_out
from ..tensor import Tensor
from .elementwise import DivByNumber


def _kept(grad, dims, ndim):
    """The gradient with each reduced dimension back, of size 1 (as ``keepdim`` has them),
    put back one ``unsqueeze`` at a time as torch does (which sets their strides)."""
    if grad.dim() < ndim:
        for dim in sorted(dims):
            grad = grad.unsqueeze(dim)
    return grad


class Sum(Function):
    r"""$\frac{\partial}{\partial x_i} \sum_j x_j = 1$"""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.array.shape
        return np.add.reduce(x.array, axis=None)  # (a ufunc: numpy's warnings come from here)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(*ctx.shape)


class SumDim(Function):
    r"""$\frac{\partial}{\partial x_i} \sum_j x_j = 1$, along the summed dimensions"""

    node_name = "SumBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims = x.array.shape, dims
        return layout.contiguous(np.add.reduce(x.array, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        kept = _kept(grad, ctx.dims, len(ctx.shape))
        return kept.expand(*ctx.shape), None, None


class Mean(Function):
    r"""$\frac{\partial}{\partial x_i} \frac{1}{n} \sum_j x_j = \frac{1}{n}$"""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.array.shape
        return np.add.reduce(x.array, axis=None) / x.array.size  # (np.mean warns when empty)

    @staticmethod
    def backward(ctx, grad):
        return DivByNumber.apply(grad.expand(*ctx.shape), max(math.prod(ctx.shape), 1))


class MeanDim(Function):
    r"""$\frac{\partial}{\partial x_i} \frac{1}{n} \sum_j x_j = \frac{1}{n}$, along the dimensions"""  # noqa: E501

    node_name = "MeanBackward1"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape, ctx.dims = x.array.shape, dims
        count = math.prod([x.array.shape[d] for d in dims])
        return layout.contiguous(np.add.reduce(x.array, axis=dims, keepdims=keepdim) / count)

    @staticmethod
    def backward(ctx, grad):
        count = math.prod([ctx.shape[d] for d in ctx.dims])
        kept = _kept(grad, ctx.dims, len(ctx.shape))
        return DivByNumber.apply(kept.expand(*ctx.shape), max(count, 1)), None, None


class Max(Function):
    r"""$\frac{\partial}{\partial x_i} \max_j x_j = \frac{[x_i = \max]}{\#\{j : x_j = \max\}}$
    (ties share the gradient)"""

    node_name = "MaxBackward1"
    unpack_order = (1, 0)  # result, self
    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, x):
        result = Tensor(np.asarray(ctx.function.reduce(x.array)))
        ctx.save_for_backward(x, result)  # as torch saves them
        return result

    @staticmethod
    def backward(ctx, grad):
        x, result = (t.array for t in ctx.saved_tensors)
        is_extreme = (x == result) | (np.isnan(x) & np.isnan(result))  # nan wins
        count = int(np.count_nonzero(is_extreme))
        dtype = grad.array.dtype
        if not grad.requires_grad:  # torch fills zeros: 0 elsewhere, even for an infinite grad
            result = Tensor(np.where(is_extreme, grad.array / count, np.zeros((), dtype)))
        else:
            result = grad * Tensor((is_extreme / count).astype(dtype))  # (differentiable)
        result._version = 1  # torch's zeros are filled in place (masked_fill_)
        return result


class Min(Max):
    r"""$\frac{\partial}{\partial x_i} \min_j x_j = \frac{[x_i = \min]}{\#\{j : x_j = \min\}}$
    (ties share the gradient)"""

    node_name = "MinBackward1"
    reduce = staticmethod(np.min)


class MaxDim(Function):
    r"""$\frac{\partial}{\partial x_i} \max_j x_j = [i = \operatorname{argmax}_j x_j]$"""

    node_name = "MaxBackward0"
    pick = staticmethod(np.argmax)

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        array = x.array.reshape(1) if x.array.ndim == 0 else x.array  # 0-d: its one element
        indices = np.expand_dims(ctx.function.pick(array, axis=dim), dim)
        ctx.indices, ctx.dim, ctx.shape = indices, dim, x.array.shape
        values = np.take_along_axis(array, indices, axis=dim)
        if x.array.ndim == 0:
            return values.reshape(())
        return layout.contiguous(values if keepdim else np.squeeze(values, axis=dim))

    @staticmethod
    def backward(ctx, grad):
        indices = ctx.indices  # (what it saved, the indices returned, checked as it started)
        if not ctx.shape and not grad.requires_grad:  # a 0-d input is its own maximum
            result = Tensor(grad.array.copy())
        elif grad.requires_grad:  # create_graph: torch's zeros(shape).scatter(dim, indices, grad)
            kept = grad if grad.dim() == len(ctx.shape) else grad.unsqueeze(ctx.dim)
            zeros = Tensor(np.zeros(ctx.shape, grad.array.dtype))
            result = ScatterChosen.apply(zeros, kept, indices, ctx.dim)
        else:
            chosen = np.zeros(ctx.shape, dtype=bool)
            np.put_along_axis(chosen, indices, True, axis=ctx.dim)
            kept = _kept(grad, (ctx.dim,), len(ctx.shape)).expand(*ctx.shape)
            # chosen, not multiplied: the other elements get 0 even where grad is inf or nan
            result = kept.masked_fill(Tensor(~chosen), 0)
        result._version = 2  # torch's zeros are written twice in place (zero_, scatter_)
        return result, None, None


class ScatterChosen(Function):
    """The gradient of max or min along a dim, when it must be differentiable: ``kept`` written
    at the chosen ``indices`` of a tensor of ``zeros`` (torch's ``scatter``); its own gradient
    reads the chosen places back."""

    node_name = "ScatterBackward0"

    @staticmethod
    def forward(ctx, zeros, kept, indices, dim):
        ctx.chosen = list(np.indices(indices.shape, sparse=True))
        ctx.chosen[dim] = indices  # the place each entry of kept goes to
        ctx.chosen, ctx.shape = tuple(ctx.chosen), zeros.array.shape
        result = zeros.array.reshape(ctx.shape or (1,)).copy()
        result[ctx.chosen] = kept.array.reshape(indices.shape)
        return result.reshape(ctx.shape)

    @staticmethod
    def backward(ctx, grad):
        if not ctx.shape:  # a 0-d input: the one element was chosen
            return None, grad * 1, None, None
        return None, grad[ctx.chosen], None, None


class MinDim(MaxDim):
    r"""$\frac{\partial}{\partial x_i} \min_j x_j = [i = \operatorname{argmin}_j x_j]$"""

    node_name = "MinBackward0"
    pick = staticmethod(np.argmin)


class _ValuesIndices(namedtuple("_ValuesIndices", ["values", "indices"])):
    """The ``(values, indices)`` pair that ``max(dim)`` and ``min(dim)`` return."""

    __slots__ = ()
    kind = "max"

    def __repr__(self):
        return (
            f"autograd_mini.return_types.{self.kind}(\nvalues={self.values!r},"
            f"\nindices={self.indices!r})"
        )


class _MinValuesIndices(_ValuesIndices):
    __slots__ = ()
    kind = "min"


_return_types = {"max": _ValuesIndices, "min": _MinValuesIndices}


# what to do instead of max(a, b) and min(a, b)
_PICK = {
    "max": "pick with masks: a.masked_fill(a < b, 0) + b.masked_fill(a >= b, 0)",
    "min": "pick with masks: a.masked_fill(a > b, 0) + b.masked_fill(a <= b, 0)",
}


def extreme(x: Tensor, dim: int | None, keepdim: bool, whole: type, along: type):
    """``x.max()``/``x.min()``: a tensor, or ``(values, indices)`` when ``dim`` is given."""
    name = "max" if whole is Max else "min"
    if isinstance(dim, Tensor):
        raise left_out(f"{name} of two tensors (the elementwise {name}imum)", _PICK[name])
    if dim is None:
        if x.array.size == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return whole.apply(x)
    dim = normalize_dim(dim, x.array.ndim)
    if x.array.shape[dim : dim + 1] == (0,):
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
    values = along.apply(x, dim, keepdim)
    indices = values.grad_fn.indices if values.grad_fn is not None else None
    if indices is None:
        indices = np.expand_dims(along.pick(x.array, axis=dim), dim)
    if not keepdim or x.array.ndim == 0:
        indices = indices.reshape(values.array.shape)
    indices = Tensor(indices.astype(np.int64))
    if values.grad_fn is not None:  # torch saves the indices it returns: a backward frees them,
        values.grad_fn.save_for_backward(indices)  # a change in place since refuses
    return _return_types[name](values, indices)
