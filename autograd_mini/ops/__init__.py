"""The differentiable operations, one class per op, grouped by kind."""

import warnings

# Ops that can divide by zero or overflow are wrapped in np.errstate (see elementwise.py); this
# catches the rarer rest (an overflowing product, say), as torch never warns about them either.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"autograd_mini\.ops\.")
