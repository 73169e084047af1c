"""Matrix products. ``a @ b`` is one op; torch names its node after the shapes involved."""

import math
from typing import NamedTuple

import numpy as np

from .. import dtypes, grad_mode, operands
from ..broadcast import broadcast_shapes, unbroadcast
from ..function import Function
from ..tensor import Tensor


class MatMul(Function):
    r"""$\frac{\partial (A B)}{\partial A} = G B^\top, \quad \frac{\partial (A B)}{\partial B} = A^\top G$"""  # noqa: E501

    node_name = "MatmulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a.array, b.array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        needs_a, needs_b = ctx.needs_input_grad
        if not grad_mode._State.enabled and _plain_matrices(a.array, b.array, grad.array):
            return _matrix_gradients(a.array, b.array, grad.array, needs_a, needs_b)
        if a.ndim == 1 and b.ndim == 1:
            return (grad * b if needs_a else None), (grad * a if needs_b else None)
        a2 = a.unsqueeze(0) if a.ndim == 1 else a
        b2 = b.unsqueeze(1) if b.ndim == 1 else b
        grad2 = grad.unsqueeze(-2) if a.ndim == 1 else grad
        grad2 = grad2.unsqueeze(-1) if b.ndim == 1 else grad2
        grad_a = grad_b = None
        if needs_a:
            grad_a = unbroadcast(grad2 @ b2.transpose(-1, -2), a2.array.shape)
            grad_a = grad_a.reshape(a.shape) if a.ndim == 1 else grad_a
        if needs_b:
            grad_b = unbroadcast(a2.transpose(-1, -2) @ grad2, b2.array.shape)
            grad_b = grad_b.reshape(b.shape) if b.ndim == 1 else grad_b
        return grad_a, grad_b


def _plain_matrices(a, b, grad) -> bool:
    """Whether both gradients are products that ``matmul`` computes without a check: matrices
    that fit, of one dtype (a custom Function's backward may hand on any gradient)."""
    return (
        a.ndim == 2 == b.ndim
        and grad.shape == (a.shape[0], b.shape[1])
        and grad.dtype == a.dtype == b.dtype
    )


def _matrix_gradients(a, b, grad, needs_a, needs_b):
    """``grad @ b.T`` and ``a.T @ grad`` of two matrices when nothing is recorded: the products
    the general path computes through transposed views, on the same arrays with the same strides
    (so the same bits), without making the views."""
    grad_a = Tensor(np.matmul(grad, b.T)) if needs_a else None
    return grad_a, (Tensor(np.matmul(a.T, grad)) if needs_b else None)


class Dot(MatMul):
    r"""$\frac{\partial (a \cdot b)}{\partial a} = g\,b, \quad \frac{\partial (a \cdot b)}{\partial b} = g\,a$"""  # noqa: E501

    node_name = "DotBackward0"


class Mv(MatMul):
    r"""$\frac{\partial (A v)}{\partial A} = g v^\top, \quad \frac{\partial (A v)}{\partial v} = A^\top g$"""  # noqa: E501

    node_name = "MvBackward0"


class Mm(MatMul):
    r"""$\frac{\partial (A B)}{\partial A} = G B^\top, \quad \frac{\partial (A B)}{\partial B} = A^\top G$"""  # noqa: E501

    node_name = "MmBackward0"
    unpack_order = (1, 0)  # mat2, self


class VecMat(MatMul):
    r"""$\frac{\partial (v B)}{\partial v} = B g, \quad \frac{\partial (v B)}{\partial B} = v g^\top$"""  # noqa: E501

    node_name = "SqueezeBackward4"
    unpack_order = (1, 0)  # mat2, self


class BatchedMatMul(MatMul):
    r"""Batched $A B$: the matrix rule on every batch, summed over broadcast batch dimensions"""

    node_name = "UnsafeViewBackward0"
    unpack_order = (1, 0)  # mat2, self


class MatMulTransposed(MatMul):
    r"""A matrix times a batch: torch computes it transposed, then transposes the result back"""

    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        # (b^T a^T)^T: the result is the transpose of a row-major product, laid out as torch's
        product = np.matmul(np.swapaxes(b.array, -1, -2), np.swapaxes(a.array, -1, -2))
        return np.swapaxes(product, -1, -2)


class MatMulCopied(MatMul):
    r"""A matrix times a batch: torch computes it transposed and copies the result back"""

    node_name = "CloneBackward0"


def _op_for(a, b):
    """The MatMul subclass whose name matches the node torch records for these shapes."""
    shapes = a.array.shape, b.array.shape
    if len(shapes[1]) >= 3 and (
        len(shapes[0]) == 2
        or (len(shapes[0]) == 3 == len(shapes[1]) and shapes[0][0] == 1 != shapes[1][0])
    ):
        if a._requires_grad:
            return MatMulTransposed if 1 in (shapes[0][-2], shapes[1][-1]) else MatMulCopied
        return BatchedMatMul
    return _OP_BY_DIMS.get((len(shapes[0]), len(shapes[1])), BatchedMatMul)


_OP_BY_DIMS = {(1, 1): Dot, (2, 1): Mv, (2, 2): Mm, (1, 2): VecMat}  # (a.ndim, b.ndim) -> op


class _Operand(NamedTuple):
    """What torch's matmul looks at when it picks its path: shape, strides, dtype, requires_grad."""

    shape: tuple[int, ...]
    strides: tuple[int, ...]
    dtype: dtypes.dtype
    requires_grad: bool

    @classmethod
    def of(cls, tensor):
        return cls(tensor.array.shape, tensor.stride(), tensor.dtype, tensor.requires_grad)

    def without_first(self):
        return self._replace(shape=self.shape[1:], strides=self.strides[1:])

    def transposed(self):
        """The last two dimensions swapped (torch's ``mT``, or ``t()`` of a matrix)."""
        swap = lambda t: t[:-2] + (t[-1], t[-2])  # noqa: E731
        return self._replace(shape=swap(self.shape), strides=swap(self.strides))


def _check_product(a, b):
    """Raise torch's error for ``a @ b``: the one that the path torch's matmul takes for these
    shapes (dot, mv, mm, a folded mm or mv, or bmm) raises first."""
    if not a.shape or not b.shape:
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, but they are "
            f"{len(a.shape)}D and {len(b.shape)}D"
        )
    if len(a.shape) == 1 == len(b.shape):
        _check_dot(a, b)
    elif len(a.shape) <= 2 and len(b.shape) <= 2:
        _check_matrix_product(a.shape[-2:] if len(a.shape) == 2 else (1, *a.shape), a.dtype, b)
    elif _folds(a, b):  # torch folds the batch of the larger operand into a matrix
        transposed = len(b.shape) > len(a.shape)
        large = b.transposed() if transposed else a
        small = (a.transposed() if len(a.shape) == 2 else a) if transposed else b
        folded = (math.prod(large.shape[:-1]), large.shape[-1])
        _check_matrix_product(folded, large.dtype, small)
    elif (
        len(a.shape) == 3 == len(b.shape)
        and a.shape[0] != b.shape[0]
        and ((a.shape[0] == 1 and a.requires_grad) or (b.shape[0] == 1 and b.requires_grad))
    ):  # torch drops a batch of one that requires grad, then starts again
        squeeze_a = a.shape[0] == 1 and a.requires_grad
        _check_product(a.without_first() if squeeze_a else a, b if squeeze_a else b.without_first())
    else:
        _check_batched(a, b)


def _folds(a, b):
    """torch's ``should_fold``: a batch times a matrix or vector becomes one mm or mv when the
    smaller operand requires grad, or when the batch folds without a copy."""
    a_larger = len(a.shape) >= len(b.shape)
    large = a if a_larger else b.transposed()
    small = b if a_larger else a
    if not (len(large.shape) >= 3 and len(small.shape) <= 2):
        return False
    if small.requires_grad:
        return True
    if len(a.shape) == 2:
        return False
    shape, strides = large.shape, large.strides
    return math.prod(shape) == 0 or all(
        strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2)
    )


def _check_dot(a, b):
    if a.dtype is not b.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{a.dtype.type_name} and {b.dtype.type_name}"
        )
    if a.shape != b.shape:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to "
            f"have the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements "
            "respectively"
        )
    if a.dtype is dtypes.bool:
        raise NotImplementedError("\"dot\" not implemented for 'Bool'")


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}


def _check_matrix_product(shape, dtype, other):
    """torch's mv or mm of a matrix of ``shape`` and ``dtype`` with the operand ``other``."""
    rows, inner = shape
    if len(other.shape) == 1:
        if inner != other.shape[0]:
            raise RuntimeError(
                f"size mismatch, got input ({rows}), mat ({rows}x{inner}), vec ({other.shape[0]})"
            )
        if dtype is not other.dtype:
            vector = other.dtype.type_name
            raise RuntimeError(
                "addmv input tensors must have the same dtype, but got "
                f"{vector}, {dtype.type_name}, and {vector}"
            )
        kernel = "addmv_impl_cpu"
    else:
        if inner != other.shape[0]:
            raise RuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({rows}x{inner} and "
                f"{other.shape[0]}x{other.shape[1]})"
            )
        if dtype is not other.dtype:
            raise RuntimeError(
                "expected m1 and m2 to have the same dtype, but got: "
                f"{_C_TYPE_NAMES[dtype.name]} != {_C_TYPE_NAMES[other.dtype.name]}"
            )
        kernel = "addmm_impl_cpu_"
    if dtype is dtypes.bool and rows * inner and math.prod(other.shape):  # (empty: no kernel)
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _check_batched(a, b):
    """torch's bmm of the two operands, their batch dimensions broadcast."""
    batch = math.prod(broadcast_shapes(a.shape[:-2], b.shape[:-2]))
    inner_b = b.shape[0] if len(b.shape) == 1 else b.shape[-2]
    if a.shape[-1] != inner_b:
        raise RuntimeError(
            "Expected size for first two dimensions of batch2 tensor to be: "
            f"[{batch}, {a.shape[-1]}] but got: [{batch}, {inner_b}]."
        )
    if a.dtype is dtypes.bool and math.prod(a.shape) and math.prod(b.shape):
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
    if a.dtype is not b.dtype:
        raise RuntimeError(
            f"expected scalar type {a.dtype.type_name} but found {b.dtype.type_name}"
        )


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product ``a @ b`` of 1-D, 2-D or batched tensors, like ``torch.matmul``."""
    a, b = operands.operands(a, b, broadcast=False) if type(b) is not Tensor else (a, b)
    x, y = a.array, b.array
    plain = x.ndim == 2 == y.ndim and x.shape[1] == y.shape[0] and x.dtype == y.dtype != bool
    if not plain:  # (two matrices that fit, of one dtype other than bool, need no check)
        _check_product(_Operand.of(a), _Operand.of(b))
    result = _op_for(a, b).apply(a, b)
    if x.ndim == 1 and y.ndim == 2:  # torch computes (1, n) @ B, then squeeze_(0): in place
        result._version = 1
    return result
