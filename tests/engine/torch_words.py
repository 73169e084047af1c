"""What torch's names and error messages become in autograd_mini: the one place they are mapped."""

import re

import torch

import autograd_mini
from autograd_mini.function import MODIFIED_HINT

_ANOMALY_HINT = re.compile(r"Hint: enable anomaly detection .*$", re.DOTALL)
_HOOK_ADVICE = re.compile(r"  If this is expected, you can decorate .*$", re.DOTALL)
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)")  # where in torch's C++
_MODULE_ADVICE = re.compile(r"  If you were attempting to deepcopy a module.*$", re.DOTALL)  # nn

# torch's functions that autograd_mini keeps under another name
LIBRARY_NAMES = {
    "torch": {"grad": torch.autograd.grad},
    "autograd_mini": {"grad": autograd_mini.grad},
}


def in_mini_words(torch_message: str) -> str:
    """torch's message with its module name swapped (``torch.``, ``torch::``), its
    anomaly-detection hint (a torch-only tool) replaced by autograd_mini's own advice, and its
    advice about ``torch.nn`` modules and the place in its C++ source that warned dropped."""
    message = torch_message.replace("torch.", "autograd_mini.").replace(
        "torch::", "autograd_mini::"
    )
    message = _MODULE_ADVICE.sub("", message)  # autograd_mini has no modules (torch.nn)
    message = _TRIGGERED.sub("", message)
    message = _HOOK_ADVICE.sub("", message)  # its unserializable_hook decorator is torch's own
    return _ANOMALY_HINT.sub(MODIFIED_HINT, message)
