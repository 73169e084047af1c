"""The differentiable operations, one class per op, grouped by kind."""

import warnings

# torch computes 1 / 0 = inf and log(-1) = nan silently; numpy would warn from these modules.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"autograd_mini\.ops\.")
