"""Matrix products. ``a @ b`` is one op; torch names its node after the shapes involved."""

import numpy as np

from .. import dtypes
from ..broadcast import broadcast_shapes, unbroadcast
from ..function import Function
from ..operands import operands
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


class Dot(MatMul):
    r"""$\frac{\partial (a \cdot b)}{\partial a} = g\,b, \quad \frac{\partial (a \cdot b)}{\partial b} = g\,a$"""  # noqa: E501

    node_name = "DotBackward0"


class Mv(MatMul):
    r"""$\frac{\partial (A v)}{\partial A} = g v^\top, \quad \frac{\partial (A v)}{\partial v} = A^\top g$"""  # noqa: E501

    node_name = "MvBackward0"


class Mm(MatMul):
    r"""$\frac{\partial (A B)}{\partial A} = G B^\top, \quad \frac{\partial (A B)}{\partial B} = A^\top G$"""  # noqa: E501

    node_name = "MmBackward0"


class VecMat(MatMul):
    r"""$\frac{\partial (v B)}{\partial v} = B g, \quad \frac{\partial (v B)}{\partial B} = v g^\top$"""  # noqa: E501

    node_name = "SqueezeBackward4"


class BatchedMatMul(MatMul):
    r"""Batched $A B$: the matrix rule on every batch, summed over broadcast batch dimensions"""

    node_name = "UnsafeViewBackward0"


class MatMulTransposed(MatMul):
    r"""A matrix times a batch: torch computes it transposed, then transposes the result back"""

    node_name = "TransposeBackward0"


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
    return {(1, 1): Dot, (2, 1): Mv, (2, 2): Mm, (1, 2): VecMat}.get(
        (len(shapes[0]), len(shapes[1])), BatchedMatMul
    )


def _check_shapes(a, b):
    """Raise torch's error for shapes that cannot be multiplied."""
    sa, sb = a.array.shape, b.array.shape
    if not sa or not sb:
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, but they are "
            f"{len(sa)}D and {len(sb)}D"
        )
    inner_b = sb[0] if len(sb) == 1 else sb[-2]
    if sa[-1] == inner_b:
        if len(sa) > 2 and len(sb) > 2:
            broadcast_shapes(sa[:-2], sb[:-2])
        return
    if len(sa) == 1 and len(sb) == 1:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{sa[0]}] and src [{sb[0]}] to have the "
            f"same number of elements, but got {sa[0]} and {sb[0]} elements respectively"
        )
    if len(sa) == 2 and len(sb) == 1:
        raise RuntimeError(
            f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x{sa[1]}), vec ({sb[0]})"
        )
    if len(sb) <= 2:
        rows = int(np.prod(sa[:-1]))
        cols = f"{sb[0]}x{sb[1]}" if len(sb) == 2 else f"{sb[0]}x1"
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{sa[-1]} and {cols})"
        )
    batch = int(np.prod(broadcast_shapes(sa[:-2], sb[:-2])))
    raise RuntimeError(
        "Expected size for first two dimensions of batch2 tensor to be: "
        f"[{batch}, {sa[-1]}] but got: [{batch}, {sb[-2]}]."
    )


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """Matrix product ``a @ b`` of 1-D, 2-D or batched tensors, like ``torch.matmul``."""
    a, b = operands(a, b, broadcast=False) if type(b) is not Tensor else (a, b)
    _check_shapes(a, b)
    _check_dtypes(a, b)
    return _op_for(a, b).apply(a, b)


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "int64": "long int", "bool": "bool"}


def _check_dtypes(a, b):
    """torch multiplies matrices of one dtype only (no promotion), and no bool matrices."""
    if a.dtype is not b.dtype:
        if a.ndim == 1 and b.ndim == 1:
            raise RuntimeError(
                "dot : expected both vectors to have same dtype, but found "
                f"{a.dtype.type_name} and {b.dtype.type_name}"
            )
        if a.ndim == 2 and b.ndim == 1:
            raise RuntimeError(
                "addmv input tensors must have the same dtype, but got "
                f"{b.dtype.type_name}, {a.dtype.type_name}, and {b.dtype.type_name}"
            )
        raise RuntimeError(
            "expected m1 and m2 to have the same dtype, but got: "
            f"{_C_TYPE_NAMES[a.dtype.name]} != {_C_TYPE_NAMES[b.dtype.name]}"
        )
    if a.dtype is dtypes.bool:
        kernel = "dot" if a.ndim == 1 and b.ndim == 1 else "addmm_impl_cpu_"
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")
