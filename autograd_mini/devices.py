"""Devices and conversions: autograd_mini keeps every tensor in main memory, so its one device
is the CPU; ``Tensor`` gets ``item``, ``numpy``, ``to``, ``cpu``, ... from ``Conversions``."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np

from . import dtypes, grad_mode, layout, ops
from .left_out import left_out

if TYPE_CHECKING:  # for the annotations only
    from .tensor import Tensor

__all__ = ["device", "as_device", "Conversions", "CPU_ONLY_MESSAGE"]

CPU_ONLY_MESSAGE = (
    "autograd_mini runs on the CPU only: it has no CUDA (or other GPU) support. Leave the tensor "
    "on the CPU (device='cpu', or no device at all); to compute on a GPU, use torch itself."
)
_KNOWN_TYPES = "cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone"  # noqa: E501


class device:
    """Where a tensor lives, printed like torch's: ``device(type='cpu')``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002 - torch's name
        if isinstance(type, device):
            type, index = type.type, type.index
        name, _, number = type.partition(":")
        if name not in _KNOWN_TYPES.split(", "):
            raise RuntimeError(
                f"Expected one of {_KNOWN_TYPES} device type at start of device string: {type}"
            )
        self.type = name
        self.index = int(number) if number else index

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def as_device(value: device | str | None) -> device:
    """``value`` (a device or a string such as ``"cpu"``) as a device; anything but the CPU
    raises, as autograd_mini has nowhere else to put a tensor (torch's CPU build raises the same
    AssertionError type)."""
    if value is None:
        return CPU
    found = device(value)
    if found.type != "cpu":
        raise AssertionError(CPU_ONLY_MESSAGE)
    return found


DEEPCOPY_MESSAGE = (
    "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at "
    "the moment."
)


def _rebuilt(
    tensor_class: type, array: np.ndarray, requires_grad: bool, shape: tuple, strides: tuple
) -> Tensor:
    """A tensor rebuilt as torch rebuilds one when copying or unpickling it: ``array`` (what
    ``_compact`` left of it) read with the tensor's ``strides``. ``copy.copy`` and ``deepcopy``
    pass memory laid out so, which is kept; an unpickled array is copied into that layout."""
    pairs = zip(array.shape, shape, layout.strides(array), strides, strict=True)
    if all(step == kept for size, full, step, kept in pairs if size == full and size > 1):
        steps = [step * array.itemsize for step in strides]
        array = np.lib.stride_tricks.as_strided(array, shape, steps)
    else:
        array = layout.copy_with_strides(np.broadcast_to(array, shape), strides)
    rebuilt = tensor_class(array, requires_grad)
    rebuilt._version = 1  # torch fills the new tensor with set_(): one in-place change
    return rebuilt


def _compact(array: np.ndarray) -> np.ndarray:
    """The array (a view) with each dimension that repeats one memory slot cut to one element:
    torch copies and pickles a tensor's storage and keeps its strides, so an expanded tensor
    rebuilt by ``_rebuilt(..., shape)`` repeats its memory too."""
    repeated = [
        step == 0 and size > 1 for step, size in zip(array.strides, array.shape, strict=True)
    ]
    if not any(repeated):
        return array  # (indexing a 0-d array with () would give a number, not a view)
    return array[tuple(slice(0, 1) if cut else slice(None) for cut in repeated)]


class Conversions:
    """The methods of ``Tensor`` that convert it: to Python numbers and numpy, to another dtype
    or device."""

    __slots__ = ()

    def item(self) -> int | float | bool:
        """The value of a one-element tensor as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.array.size} elements cannot be converted to Scalar"
            )
        return self.array.item()

    def tolist(self) -> list | int | float | bool:
        """The values as (nested) Python lists, or a number for a 0-d tensor."""
        return self.array.tolist()

    def numpy(self) -> np.ndarray:
        """The values as a numpy array sharing memory (not allowed while requiring grad, unless
        grad mode is off)."""
        if self._requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self.array

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def __bool__(self):
        if self.array.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.array)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.dtype.is_floating_point or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.array.item())

    @property
    def device(self) -> device:
        """Where the tensor lives: always ``device(type='cpu')`` in autograd_mini."""
        return CPU

    @property
    def is_cuda(self) -> bool:
        """False: autograd_mini tensors live on the CPU."""
        return False

    def to(
        self, *args, dtype: dtypes.dtype | None = None, device=None, copy: bool = False
    ) -> Tensor:
        """The tensor converted to a dtype and/or device, like torch's ``to``: ``to(dtype)``,
        ``to("cpu")``, ``to(device, dtype)``, ``to(other_tensor)``. Returns ``self`` when nothing
        changes (unless ``copy=True``); a dtype change is a differentiable copy."""
        for arg in args:
            if isinstance(arg, dtypes.dtype):
                dtype = arg
            elif isinstance(arg, Conversions):  # a tensor
                dtype = arg.dtype
            else:
                device = arg
        if as_device(device).index is not None:  # torch's tensors are on "cpu", not "cpu:0"
            copy = True
        if (dtype is None or self.array.dtype == dtype.numpy_dtype) and not copy:
            return self
        return ops.shape.ToCopy.apply(self, dtype or self.dtype)

    def cpu(self) -> Tensor:
        """The tensor itself: it is already on the CPU."""
        return self

    def cuda(self, device=None) -> Tensor:
        """Always raises: autograd_mini runs on the CPU only."""
        raise AssertionError(CPU_ONLY_MESSAGE)

    def float(self) -> Tensor:
        """Convert to float32."""
        return self.to(dtypes.float32)

    def double(self) -> Tensor:
        """Convert to float64."""
        return self.to(dtypes.float64)

    def long(self) -> Tensor:
        """Convert to int64."""
        return self.to(dtypes.int64)

    def bool(self) -> Tensor:
        """Convert to bool (nonzero is True)."""
        return self.to(dtypes.bool)

    def half(self) -> Tensor:
        """Always raises: autograd_mini has no float16."""
        raise left_out("float16 (half)", "use float() or double()")

    def bfloat16(self) -> Tensor:
        """Always raises: autograd_mini has no bfloat16."""
        raise left_out("bfloat16", "use float() or double()")

    def int(self) -> Tensor:
        """Always raises: autograd_mini's one integer dtype is int64."""
        raise left_out("int32 (int)", "use long() for int64")

    # ----- copying and pickling, as torch does them -------------------------------------------
    def __reduce_ex__(self, protocol):
        """``pickle`` and ``copy.copy``: a new leaf with the same requires_grad, no ``.grad``
        (``copy.copy`` shares the memory: it does not copy what this returns). Hooks are not
        kept, and each one is named in a warning, as torch does."""
        hooks = self._hooks if self.grad_fn is None else self.grad_fn._hooks
        for hook in (hooks or {}).values():
            warnings.warn(f"backward hook {hook!r} on tensor will not be serialized.", stacklevel=2)
        rebuild = _compact(self.array), self.requires_grad, self.array.shape, self.stride()
        return _rebuilt, (type(self), *rebuild)

    def __deepcopy__(self, memo):
        """A leaf's copy with memory of its own, and a copy of its ``.grad``."""
        if self.grad_fn is not None:
            raise RuntimeError(DEEPCOPY_MESSAGE)
        compact = _compact(self.array)
        compact = layout.copy_with_strides(compact, layout.strides(compact))
        copied = _rebuilt(type(self), compact, self.requires_grad, self.array.shape, self.stride())
        if self._grad is not None:
            copied._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = copied
        return copied
