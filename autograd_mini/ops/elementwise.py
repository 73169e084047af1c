r"""Elementwise operations: each output element depends on the matching input elements only.

Binary operations receive tensors that already share a dtype; broadcasting is undone in
backward by ``unbroadcast``.
"""

import numpy as np

from .. import layout, operands
from ..broadcast import broadcast_shapes, unbroadcast
from ..function import Function
from ..tensor import Tensor


class Elementwise(Function):
    """An operation on matching elements. Its result is laid out in memory as torch lays it out,
    after its operands' layout (``laid_out``, which ``Function.apply`` calls on what ``forward``
    returns). ``number_is_operand``: torch wraps the op's number argument in a 0-d tensor
    operand (``2 - x``, ``2 ** x``), not a parameter."""

    follows_operands = True
    number_is_operand = False


_NUMBER = np.zeros(())  # a 0-d operand: no stride of its own, but not the result's shape


def laid_out(array: np.ndarray, args: tuple, function: type) -> np.ndarray:
    """``array``, an elementwise op's result of 2 or more dimensions, laid out as torch lays it
    out (``layout.elementwise``). In the common case, C-contiguous operands (row-major ones for
    a result with a size-1 dimension), both libraries lay it out row by row: checked here first."""
    shape = array.shape  # (``in`` on the shape costs less than ``min`` of it, in every op)
    if 1 not in shape and 0 not in shape:
        for arg in args:
            if type(arg) is Tensor and not arg.array.flags.c_contiguous:
                break
        else:
            return array
    elif 0 not in shape:
        for arg in args:
            if type(arg) is Tensor and not layout.row_major(arg.array):
                break
        else:
            return array
    operands = [arg.array for arg in args if type(arg) is Tensor]
    if function.number_is_operand:
        operands.append(_NUMBER)
    return layout.elementwise(array, operands)


class Add(Elementwise):
    r"""$\frac{\partial (a + b)}{\partial a} = 1, \quad \frac{\partial (a + b)}{\partial b} = 1$"""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a.array.shape, b.array.shape
        return a.array + b.array

    @staticmethod
    def backward(ctx, grad):
        shape_a, shape_b = ctx.shapes
        return unbroadcast(grad, shape_a), unbroadcast(grad, shape_b)


class Sub(Elementwise):
    r"""$\frac{\partial (a - b)}{\partial a} = 1, \quad \frac{\partial (a - b)}{\partial b} = -1$"""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a.array.shape, b.array.shape
        return a.array - b.array

    @staticmethod
    def backward(ctx, grad):
        shape_a, shape_b = ctx.shapes
        grad_b = -unbroadcast(grad, shape_b) if ctx.needs_input_grad[1] else None
        return unbroadcast(grad, shape_a), grad_b


class Rsub(Elementwise):
    r"""$\frac{\partial}{\partial x} (c - x) = -1$"""

    node_name = "RsubBackward1"
    number_is_operand = True

    @staticmethod
    def forward(ctx, x, c):
        return c - x.array

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class Mul(Elementwise):
    r"""$\frac{\partial (a b)}{\partial a} = b, \quad \frac{\partial (a b)}{\partial b} = a$"""

    node_name = "MulBackward0"
    unpack_order = (1, 0)  # other, self

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a.array.shape, b.array.shape
        # each gradient needs only the other operand: save it only if that gradient is wanted
        ctx.save_for_backward(a if b._requires_grad else None, b if a._requires_grad else None)
        return a.array * b.array

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = unbroadcast(grad * b, shape_a) if needs_a else None
        grad_b = unbroadcast(grad * a, shape_b) if needs_b else None
        return grad_a, grad_b


class Div(Elementwise):
    r"""$\frac{\partial}{\partial a} \frac{a}{b} = \frac{1}{b}, \quad
    \frac{\partial}{\partial b} \frac{a}{b} = -\frac{a}{b^2}$"""

    node_name = "DivBackward0"
    unpack_order = (1, 0)  # other, self

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a.array.shape, b.array.shape
        ctx.save_for_backward(a if b._requires_grad else None, b)  # a only for b's gradient
        return a.array / b.array

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = unbroadcast(grad / b, shape_a) if needs_a else None
        grad_b = unbroadcast(-grad * (a / b / b), shape_b) if needs_b else None
        return grad_a, grad_b


class DivByNumber(Elementwise):
    r"""$\frac{\partial}{\partial a} \frac{a}{n} = \frac{1}{n}$, for a Python number $n$: how
    torch's own derivative formulas divide (mean's, say), a ``DivBackward1``"""

    node_name = "DivBackward1"
    number_is_operand = True

    @staticmethod
    def forward(ctx, a, number):
        ctx.number = number
        return a.array / number

    @staticmethod
    def backward(ctx, grad):
        return DivByNumber.apply(grad, ctx.number), None


class Reciprocal(Elementwise):
    r"""$\frac{\partial}{\partial x} \frac{1}{x} = -\frac{1}{x^2} = -y^2$ (the result is saved)"""

    node_name = "ReciprocalBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor(1 / x.array)
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return -grad * (result * result)


class Neg(Elementwise):
    r"""$\frac{\partial}{\partial x} (-x) = -1$"""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        return -x.array

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Elementwise):
    r"""$\frac{\partial}{\partial x} x^n = n x^{n-1}$"""

    node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        return power(x.array, exponent).astype(x.array.dtype, copy=False)  # bool ** True: bool

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        if ctx.exponent == 0 and ctx.exponent is not False:  # torch: False is not equal to 0
            return grad * 0, None
        return grad * (ctx.exponent * x ** (ctx.exponent - 1)), None


def power(array: np.ndarray, exponent) -> np.ndarray:
    """``array ** exponent`` as torch computes it. A number exponent of 0.5, -0.5 or -1 takes
    torch's own routine, which differs from the general power at -0 and -inf (torch's
    ``(-inf) ** 0.5`` is nan, as ``sqrt(-inf)``); a tensor exponent, even a 0-d one, always takes
    C's ``pow`` (``(-inf) ** tensor(0.5)`` is inf). Integers follow C's integer power for negative
    exponents (``1 ** -n = 1``, ``(-1) ** -n = +-1``, the rest 0)."""
    of_a_tensor = isinstance(exponent, np.ndarray)
    if not of_a_tensor:
        if exponent == 0.5:
            return np.sqrt(array)
        if exponent == -0.5:
            return 1 / np.sqrt(array)
        if exponent == -1 and array.dtype.kind == "f":
            return 1 / array
    exponent = np.asarray(exponent)
    if array.dtype.kind in "iu" and np.any(exponent < 0):
        odd = exponent % 2 != 0
        reciprocal = np.where(array == 1, 1, np.where(array == -1, np.where(odd, -1, 1), 0))
        return np.where(exponent < 0, reciprocal, array ** np.maximum(exponent, 0))
    if of_a_tensor:
        shape = np.broadcast_shapes(array.shape, exponent.shape)
        if exponent.shape != shape or 0 in exponent.strides or not shape:
            # numpy takes sqrt for a repeated or 0-d exponent of 0.5, torch C's pow: give numpy
            # an exponent of its own for every entry
            exponent = np.broadcast_to(exponent, shape or (1,)).copy()
            result = (np.broadcast_to(array, shape or (1,)) ** exponent).reshape(shape)
            return layout.contiguous(result)  # (numpy may step an empty result by 0)
    return array**exponent


class PowTensor(Elementwise):
    r"""$\frac{\partial a^b}{\partial a} = b a^{b-1}, \quad \frac{\partial a^b}{\partial b} = a^b \ln a$"""  # noqa: E501

    node_name = "PowBackward1"
    unpack_order = (1, 2, 0)  # exponent, result, self

    @staticmethod
    def forward(ctx, a, b):
        result = Tensor(power(a.array, b.array))
        ctx.save_for_backward(a, b, result if b._requires_grad else None)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, b, result = ctx.saved_tensors
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if needs_a:  # as for Pow, an exponent of 0 gives 0 (not 0 * a^{-1}, nan at a = 0)
            grad_a = ZeroWhere.apply(grad * (b * a ** (b - 1)), (b == 0).array)
            grad_a = unbroadcast(grad_a, a.array.shape)
        if needs_b:  # 0^b is constant 0 for b > 0: torch gives 0, not 0 * ln 0 = nan
            grad_b = grad * ZeroWhere.apply(result * a.log(), ((a == 0) & (b >= 0)).array)
            grad_b = unbroadcast(grad_b, b.array.shape)
        return grad_a, grad_b


class ZeroWhere(Elementwise):
    r"""$\frac{\partial y_i}{\partial v_i} = [\lnot c_i]$: ``v`` with zeros where ``c`` holds
    (torch's ``where(c, 0, v)``, which its derivatives of ``a ** b`` end with)"""

    node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, v, condition):
        ctx.condition = condition
        return np.where(condition, np.zeros((), v.array.dtype), v.array)

    @staticmethod
    def backward(ctx, grad):
        return ZeroWhere.apply(grad, ctx.condition), None


class RPow(Elementwise):
    r"""$\frac{\partial}{\partial x} c^x = c^x \ln c$ (the result is saved)"""

    node_name = "PowBackward2"
    follows_operands = False  # torch allocates it row by row, then computes into it

    @staticmethod
    def forward(ctx, x, base):
        result = Tensor(layout.contiguous(power(np.asarray(base, x.array.dtype), x.array)))
        ctx.save_for_backward(x, result)
        ctx.base = base
        return result

    @staticmethod
    def backward(ctx, grad):
        x, result = ctx.saved_tensors
        if ctx.base == 0:  # 0^x is 0 for x > 0 and 1 at x = 0: torch gives 0 there, not nan
            return grad * (result * -np.inf).masked_fill(x >= 0, 0), None
        return grad * (result * float(np.log(ctx.base))), None


class Abs(Elementwise):
    r"""$\frac{\partial}{\partial x} |x| = \operatorname{sign}(x)$"""

    node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x.array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * Sign.apply(x)


class Sign(Elementwise):
    r"""$\frac{\partial}{\partial x} \operatorname{sign}(x) = 0$: abs's derivative, recorded (as
    torch's ``sgn``) so the first derivative of ``abs`` depends on $x$ when graphs are built"""

    node_name = "SgnBackward0"

    @staticmethod
    def forward(ctx, x):
        return np.sign(np.nan_to_num(x.array))  # torch: 0 at nan, as at 0

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


class Exp(Elementwise):
    r"""$\frac{\partial}{\partial x} e^x = e^x$ (the result is saved)"""

    node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor(np.exp(x.array))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad * result


class Log(Elementwise):
    r"""$\frac{\partial}{\partial x} \ln x = \frac{1}{x}$"""

    node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x.array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Elementwise):
    r"""$\frac{\partial}{\partial x} \sqrt{x} = \frac{1}{2 \sqrt{x}}$ (the result is saved)"""

    node_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor(np.sqrt(x.array))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return grad / (2 * result)


class Sin(Elementwise):
    r"""$\frac{\partial}{\partial x} \sin x = \cos x$"""

    node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x.array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Elementwise):
    r"""$\frac{\partial}{\partial x} \cos x = -\sin x$"""

    node_name = "CosBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x.array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * -x.sin()


class Tanh(Elementwise):
    r"""$\frac{\partial}{\partial x} \tanh x = 1 - \tanh^2 x$ (the result is saved)"""

    node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor(np.tanh(x.array))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (tanh,) = ctx.saved_tensors
        return TanhGrad.apply(grad, tanh)


class TanhGrad(Elementwise):
    r"""tanh's backward $g (1 - y^2)$ as one op (torch's ``tanh_backward``), so its own derivative
    is torch's: $\frac{\partial}{\partial g} = 1 - y^2, \frac{\partial}{\partial y} = -2 y g$"""

    node_name = "TanhBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, tanh):
        ctx.save_for_backward(grad, tanh)
        return grad.array * (1 - tanh.array * tanh.array)

    @staticmethod
    def backward(ctx, grad_grad):
        grad, tanh = ctx.saved_tensors
        return TanhGrad.apply(grad_grad, tanh), -2 * tanh * grad * grad_grad


class Sigmoid(Elementwise):
    r"""$\frac{\partial}{\partial x} \sigma(x) = \sigma(x) (1 - \sigma(x))$ (the result is saved)"""

    node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        result = Tensor(sigmoid(x.array))
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad):
        (sigma,) = ctx.saved_tensors
        return SigmoidGrad.apply(grad, sigma)


class SigmoidGrad(Elementwise):
    r"""sigmoid's backward $g\,\sigma (1 - \sigma)$ as one op (torch's ``sigmoid_backward``):
    $\frac{\partial}{\partial g} = \sigma (1 - \sigma), \frac{\partial}{\partial \sigma} = g (1 - 2 \sigma)$"""  # noqa: E501

    node_name = "SigmoidBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, sigma):
        ctx.save_for_backward(grad, sigma)
        return grad.array * (sigma.array * (1 - sigma.array))

    @staticmethod
    def backward(ctx, grad_grad):
        grad, sigma = ctx.saved_tensors
        return SigmoidGrad.apply(grad_grad, sigma), grad * grad_grad * (-2 * sigma + 1)


def sigmoid(array: np.ndarray) -> np.ndarray:
    """$1 / (1 + e^{-x})$ computed without overflow for large negative $x$."""
    exp_minus_abs = np.exp(-np.abs(array))
    return np.where(array >= 0, 1 / (1 + exp_minus_abs), exp_minus_abs / (1 + exp_minus_abs))


class MaskedFill(Function):
    r"""$\frac{\partial y_i}{\partial x_i} = [\text{mask}_i = 0]$: filled slots get no gradient"""

    node_name = "MaskedFillBackward0"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.save_for_backward(mask)
        ctx.shape = x.array.shape  # (a larger mask broadcasts x)
        filled = np.where(mask.array, np.asarray(value, x.array.dtype), x.array)
        return layout.contiguous(filled)  # torch fills a contiguous clone

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        # 0 even where grad is inf or nan
        return unbroadcast(grad.masked_fill(mask, 0), ctx.shape), None, None


class MaskedFillTensor(Function):
    r"""$\frac{\partial y_i}{\partial x_i} = [\text{mask}_i = 0]$ and $\frac{\partial y}{\partial v}
    = \sum_i [\text{mask}_i]$: a 0-d tensor ``v`` fills the masked slots"""

    node_name = "MaskedFillBackward1"

    @staticmethod
    def forward(ctx, x, mask, value):
        ctx.save_for_backward(mask)
        ctx.dtype, ctx.shape = value.dtype, x.array.shape
        filled = np.where(mask.array, value.array.astype(x.array.dtype), x.array)
        return layout.contiguous(filled)  # torch fills a contiguous clone

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        filled = grad.masked_fill(mask.logical_not(), 0).sum().to(ctx.dtype)
        return unbroadcast(grad.masked_fill(mask, 0), ctx.shape), None, filled


def masked_fill(x: Tensor, mask: Tensor, value) -> Tensor:
    """``x.masked_fill(mask, value)``: a number, or a 0-d tensor (which gets a gradient).
    torch's checks, in its order: the shapes broadcast, the value is 0-d, the mask is bool."""
    broadcast_shapes(mask.array.shape, x.array.shape)
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    if mask.array.dtype.kind != "b":
        kind = {"float32": "float", "float64": "double", "int64": "long int"}[mask.dtype.name]
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {kind}"
        )
    if isinstance(value, Tensor):
        return MaskedFillTensor.apply(x, mask, value)
    return MaskedFill.apply(x, mask, operands.number(value))


class Fill(Function):
    r"""$\frac{\partial c}{\partial x} = 0$: ``fill_`` forgets the old values"""

    node_name = "FillBackward2"

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x.array, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class Zero(Fill):
    r"""$\frac{\partial 0}{\partial x} = 0$: ``zero_`` forgets the old values"""

    node_name = "ZeroBackward0"


class Relu(Elementwise):
    r"""$\frac{\partial}{\partial x} \max(x, 0) = [x > 0]$"""

    node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        # x on a tie, so -0. stays -0. (torch's too); nan stays
        result = Tensor(np.maximum(0, x.array))
        ctx.save_for_backward(result)  # torch saves the result: y > 0 exactly where x > 0
        return result

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        return ThresholdGrad.apply(grad, result)


class ThresholdGrad(Elementwise):
    r"""relu's backward as one op (torch's ``threshold_backward``): the gradient where the result
    is positive, 0 elsewhere; $\frac{\partial}{\partial g}$ is the same mask, and the result
    gets a zero gradient"""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, grad, result):
        ctx.save_for_backward(result)
        # chosen, not multiplied: an infinite gradient stops as 0 (inf * 0 would be nan);
        # a nan result lets the gradient through
        return np.where(result.array <= 0, np.zeros((), grad.array.dtype), grad.array)

    @staticmethod
    def backward(ctx, grad_grad):
        (result,) = ctx.saved_tensors
        return ThresholdGrad.apply(grad_grad, result), grad_grad * 0
