"""autograd_mini: a small numpy autograd engine that behaves, prints and fails like PyTorch."""

import warnings

from . import arguments, dtypes
from .creation import (
    arange,
    cat,
    eye,
    from_numpy,
    full,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    stack,
    tensor,
    zeros,
    zeros_like,
)
from .devices import device
from .dtypes import bool, float32, float64, int64  # noqa: A004 - torch's names
from .engine import grad
from .function import Function
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck
from .left_out import LEFT_OUT_DTYPES
from .ops.linalg import matmul as _matmul
from .printing import Size
from .tensor import Tensor

# torch computes 1 / 0 = inf, log(-1) = nan and inf - inf = nan without a word, where numpy warns.
# This one filter silences numpy's RuntimeWarnings raised in the core's own code (not in the course
# helpers or widgets, nor in yours). pytest drops filters set while it collects tests, so
# pyproject.toml repeats it for the tests.
warnings.filterwarnings(
    "ignore", category=RuntimeWarning, module=r"autograd_mini\.(?!course|widgets)"
)


dtype = dtypes.dtype

__all__ = [
    "Tensor",
    "Size",
    "Function",
    "dtype",
    "device",
    "float32",
    "float64",
    "int64",
    "bool",
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
    "matmul",
    "abs",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "sum",
    "mean",
    "max",
    "min",
    "reshape",
    "transpose",
    "permute",
    "squeeze",
    "unsqueeze",
    "grad",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "set_grad_enabled",
    "gradcheck",
    "GradcheckError",
]


@arguments.takes_a_tensor
def abs(input: Tensor) -> Tensor:  # noqa: A001 - torch's name
    """Absolute value, elementwise."""
    return input.abs()


@arguments.takes_a_tensor
def exp(input: Tensor) -> Tensor:
    """$e^x$, elementwise."""
    return input.exp()


@arguments.takes_a_tensor
def log(input: Tensor) -> Tensor:
    """Natural logarithm, elementwise."""
    return input.log()


@arguments.takes_a_tensor
def sqrt(input: Tensor) -> Tensor:
    """Square root, elementwise."""
    return input.sqrt()


@arguments.takes_a_tensor
def sin(input: Tensor) -> Tensor:
    """Sine, elementwise."""
    return input.sin()


@arguments.takes_a_tensor
def cos(input: Tensor) -> Tensor:
    """Cosine, elementwise."""
    return input.cos()


@arguments.takes_a_tensor
def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise."""
    return input.tanh()


@arguments.takes_a_tensor
def sigmoid(input: Tensor) -> Tensor:
    """The logistic function $1 / (1 + e^{-x})$, elementwise."""
    return input.sigmoid()


@arguments.takes_a_tensor
def relu(input: Tensor) -> Tensor:
    """$\\max(x, 0)$, elementwise."""
    return input.relu()


@arguments.takes_a_tensor
def sum(
    input: Tensor, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *, dtype=None
) -> Tensor:  # noqa: A001, E501 - torch's name
    """Sum of all elements, or along ``dim``."""
    return input.sum(dim, keepdim, dtype=dtype)


@arguments.takes_a_tensor
def mean(
    input: Tensor, dim: int | tuple[int, ...] | None = None, keepdim: bool = False, *, dtype=None
) -> Tensor:
    """Mean of all elements, or along ``dim``."""
    return input.mean(dim, keepdim, dtype=dtype)


@arguments.takes_a_tensor
def max(input: Tensor, dim: int | None = None, keepdim: bool = False):  # noqa: A001 - torch's name
    """The largest element, or ``(values, indices)`` along ``dim``."""
    return input.max(dim, keepdim)


@arguments.takes_a_tensor
def min(input: Tensor, dim: int | None = None, keepdim: bool = False):  # noqa: A001 - torch's name
    """The smallest element, or ``(values, indices)`` along ``dim``."""
    return input.min(dim, keepdim)


@arguments.takes_a_tensor
def reshape(input: Tensor, shape: tuple[int, ...]) -> Tensor:
    """The same values in a new shape."""
    return input.reshape(shape)


@arguments.takes_a_tensor
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions."""
    return input.transpose(dim0, dim1)


@arguments.takes_a_tensor
def permute(input: Tensor, dims: tuple[int, ...]) -> Tensor:
    """Reorder the dimensions."""
    return input.permute(dims)


@arguments.takes_a_tensor
def squeeze(input: Tensor, dim: int | None = None) -> Tensor:
    """Remove dimensions of size 1."""
    return input.squeeze(dim)


@arguments.takes_a_tensor
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1."""
    return input.unsqueeze(dim)


@arguments.takes_a_tensor
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product of 1-D, 2-D or batched tensors."""
    return _matmul(input, arguments.expect_tensor("matmul", other, "other", 2))


def __getattr__(name):
    """torch's other dtypes (``autograd_mini.float16``, ...): an error saying they are left out."""
    if name in LEFT_OUT_DTYPES:
        raise AttributeError(
            f"autograd_mini leaves out the dtype {name}: use {LEFT_OUT_DTYPES[name]} instead (the "
            "book's appendix lists what autograd_mini leaves out)"
        )
    raise AttributeError(f"module 'autograd_mini' has no attribute '{name}'")
