"""Checking backward against central differences, without torch."""

from collections.abc import Callable

import numpy as np

from . import engine, grad_mode
from .tensor import Tensor

__all__ = ["gradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytical gradient disagrees with the numerical one."""


def _outputs(fn, inputs):
    result = fn(*inputs)
    return (result,) if isinstance(result, Tensor) else tuple(result)


def gradcheck(
    fn: Callable,
    inputs,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    r"""Check derivatives of ``fn`` against $\frac{f(x + \epsilon) - f(x - \epsilon)}{2 \epsilon}$.

    Inputs that require grad are checked (use float64). Returns True, or raises GradcheckError
    naming the worst mismatch (returns False instead if ``raise_exception=False``).
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    outputs = _outputs(fn, inputs)
    for out_index, output in enumerate(outputs):
        for in_index in checked:
            analytical = _analytical(fn, inputs, out_index, in_index, output)
            numerical = _numerical(fn, inputs, out_index, in_index, eps)
            error = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
            if np.any(error > 0) or np.any(np.isnan(analytical) != np.isnan(numerical)):
                worst = tuple(int(i) for i in np.unravel_index(np.nanargmax(error), error.shape))
                message = (
                    f"Jacobian mismatch for output {out_index} with respect to input {in_index},\n"
                    f"numerical:{numerical}\nanalytical:{analytical}\n"
                    f"worst mismatch at (output element, input element) {worst}: numerical "
                    f"{float(f'{numerical[worst]:.6g}')}, analytical "
                    f"{float(f'{analytical[worst]:.6g}')}"
                )
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def _analytical(fn, inputs, out_index, in_index, output):
    """The Jacobian from backward passes: one per output element, each a one-hot gradient."""
    target = inputs[in_index]
    jacobian = np.zeros((output.numel(), target.numel()))
    if not output.requires_grad:
        return jacobian
    for k in range(output.numel()):
        seed = np.zeros(output.array.shape, output.array.dtype)
        seed.flat[k] = 1
        outputs = _outputs(fn, inputs)
        (found,) = engine.grad(outputs[out_index], target, Tensor(seed), allow_unused=True)
        if found is not None:
            jacobian[k] = found.array.ravel()
    return jacobian


@grad_mode.no_grad()
def _numerical(fn, inputs, out_index, in_index, eps):
    """The Jacobian from central differences, nudging one input element at a time."""
    values = inputs[in_index].array
    columns = []
    for j in range(values.size):
        original = values.flat[j]
        try:
            values.flat[j] = original + eps
            plus = _outputs(fn, inputs)[out_index].array.astype(np.float64)
            values.flat[j] = original - eps
            minus = _outputs(fn, inputs)[out_index].array.astype(np.float64)
        finally:
            values.flat[j] = original
        columns.append(((plus - minus) / (2 * eps)).ravel())
    return np.stack(columns, axis=1) if columns else np.zeros((0, 0))
