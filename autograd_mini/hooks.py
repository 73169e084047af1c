"""Tensor hooks: functions called with a tensor's gradient during backward, which may replace it."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only
    from .tensor import Tensor

__all__ = ["RemovableHandle", "run_hooks"]


class RemovableHandle:
    """What ``Tensor.register_hook`` returns: ``remove()`` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks, hook):
        self.hooks = hooks
        self.id = next(self._ids)
        hooks[self.id] = hook

    def remove(self) -> None:
        """Unregister the hook (again is harmless)."""
        self.hooks.pop(self.id, None)


def run_hooks(hooks: dict, grad: Tensor) -> Tensor:
    """Call each hook with the gradient in the order registered; a tensor a hook returns replaces
    the gradient (with torch's errors if it is not a tensor or changes dtype or shape)."""
    for hook in list(hooks.values()):
        result = hook(grad)
        if result is None:
            continue
        if type(result) is not type(grad):
            raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
        name = getattr(hook, "__name__", repr(hook))
        if result.dtype is not grad.dtype:
            raise RuntimeError(
                f"hook '{name}' has changed the type of value (was autograd_mini."
                f"{grad.dtype.type_name}Tensor got autograd_mini.{result.dtype.type_name}Tensor)"
            )
        if result.shape != grad.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value")
        grad = result
    return grad
