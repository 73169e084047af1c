"""What torch's error messages become in autograd_mini."""

import re

from autograd_mini.function import MODIFIED_HINT

_ANOMALY_HINT = re.compile(r"Hint: enable anomaly detection .*$", re.DOTALL)


def in_mini_words(torch_message: str) -> str:
    """torch's message with its module name swapped, and its anomaly-detection hint (a torch-only
    tool) replaced by autograd_mini's own advice."""
    return _ANOMALY_HINT.sub(MODIFIED_HINT, torch_message.replace("torch.", "autograd_mini."))
