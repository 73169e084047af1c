"""Devices: autograd_mini keeps every tensor in main memory, so its one device is the CPU."""

__all__ = ["device", "as_device", "CPU_ONLY_MESSAGE"]

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


def as_device(value):
    """``value`` (a device or a string such as ``"cpu"``) as a device; anything but the CPU
    raises, as autograd_mini has nowhere else to put a tensor (torch's CPU build raises the same
    AssertionError type)."""
    if value is None:
        return CPU
    found = device(value)
    if found.type != "cpu":
        raise AssertionError(CPU_ONLY_MESSAGE)
    return found
