"""Printing tensors exactly as torch does; `Size`, the tuple a shape is, prints by `format_size`.

`format_tensor` returns, character for character, what `repr` of a torch 2.13 tensor with the same
values shows, with `torch.` replaced by `autograd_mini.`. The rules are those of torch's own
printer (torch/_tensor_str.py) with its default options:

- Every element is shown in one style and one width, chosen by looking only at the non-zero finite
  values: whole numbers print as `3.`, otherwise 4 decimals (`0.1000`), and scientific notation
  (`1.0000e-08`) when the largest magnitude exceeds 1e8, the smallest is below 1e-4, or the two are
  more than a factor 1000 apart.
- float32 values are formatted from their float32 value (0.1 in float32 prints `0.1000`, not the
  float64 digits of 0.1).
- Rows wrap at 80 characters; tensors with more than 1000 elements show only their first and last
  3 items along every long dimension, with `...` in between.
- Suffixes follow the values: `dtype=` for float64, then `grad_fn=<...>` or `requires_grad=True`.
"""

import math

import numpy as np

from . import dtypes

PRECISION = 4  # digits after the point
THRESHOLD = 1000  # more elements than this are summarised
EDGEITEMS = 3  # items kept at each end of a summarised dimension
LINEWIDTH = 80  # characters per line before wrapping
PREFIX = "tensor("

DEFAULT_DTYPES = ("float32", "int64", "bool")  # dtypes whose repr omits `dtype=`


def format_dtype(dtype_name: str) -> str:
    """The repr of a dtype: `autograd_mini.float32`."""
    return f"autograd_mini.{dtype_name}"


def format_size(shape) -> str:
    """The repr of a shape: `autograd_mini.Size([2, 3])`."""
    return f"autograd_mini.Size({[int(n) for n in shape]})"


class ElementFormatter:
    """One style and one width for all elements of a tensor, like torch's `_Formatter`."""

    def __init__(self, values: np.ndarray):
        self.is_float = values.dtype.kind == "f"
        self.int_mode = True  # floats that are all whole numbers print as `3.`
        self.sci_mode = False
        self.width = 1
        if not self.is_float:
            self.width = max([1, *(len(str(value)) for value in values.ravel().tolist())])
            return
        flat = values.ravel()
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        magnitudes = np.abs(shown).astype(np.float64)
        smallest, largest = float(magnitudes.min()), float(magnitudes.max())
        self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        if self.sci_mode:
            texts = [f"{value:.{PRECISION}e}" for value in shown.tolist()]
        elif self.int_mode:
            texts = [f"{value:.0f}." for value in shown.tolist()]
        else:
            texts = [f"{value:.{PRECISION}f}" for value in shown.tolist()]
        self.width = max(self.width, *map(len, texts))

    def format(self, value) -> str:
        """One element (a Python number), right-aligned to the common width."""
        if not self.is_float:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRECISION}f}"
        return text.rjust(self.width)


def _edges(length: int) -> list[int]:
    """Indices kept along a summarised dimension: the first and last EDGEITEMS."""
    return [*range(EDGEITEMS), *range(length - EDGEITEMS, length)]


def _summarised_values(array: np.ndarray) -> np.ndarray:
    """Only the elements a summarised printout shows (they alone decide the style)."""
    for axis, length in enumerate(array.shape):
        if length > 2 * EDGEITEMS:
            array = array.take(_edges(length), axis=axis)
    return array


def _nested_str(array: np.ndarray, indent: int, summarise: bool, formatter) -> str:
    """The bracketed values; `indent` is the column of the opening bracket."""
    if array.ndim == 0:
        return formatter.format(array.item())
    elided = summarise and array.shape[0] > 2 * EDGEITEMS
    if array.ndim == 1:
        if elided:
            head, tail = array[:EDGEITEMS].tolist(), array[-EDGEITEMS:].tolist()
            items = [*map(formatter.format, head), " ...", *map(formatter.format, tail)]
        else:
            items = [formatter.format(value) for value in array.tolist()]
        per_line = max(1, (LINEWIDTH - indent) // (formatter.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = _edges(array.shape[0]) if elided else range(array.shape[0])
    parts = [_nested_str(array[row], indent + 1, summarise, formatter) for row in rows]
    if elided:
        parts.insert(EDGEITEMS, "...")
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text: str, suffixes: list[str]) -> str:
    """Append `, suffix` items, starting a new line when one would pass LINEWIDTH."""
    indent = len(PREFIX)
    line_length = len(text) - text.rfind("\n") + 1  # torch's count: 2 more than the last line
    parts = [text]
    for suffix in suffixes:
        if line_length + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            line_length = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_length += len(suffix) + 2
    return "".join(parts) + ")"


def format_tensor(
    array: np.ndarray,
    dtype_name: str,
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
) -> str:
    """The repr of a tensor holding `array`: torch's printout with `torch.` read `autograd_mini.`.

    `dtype_name` is one of "float32", "float64", "int64", "bool".
    """
    array = np.asarray(array, dtype=getattr(dtypes, dtype_name).numpy_dtype)
    # Line breaks are decided on torch's text (`dtype=torch.float64`), then the module is renamed,
    # so the layout matches torch's even though our module name is longer.
    suffixes = []
    if array.size == 0:
        body = "[]"
        if array.ndim != 1:
            suffixes.append(f"size={array.shape}")
        if dtype_name != "float32":
            suffixes.append(f"dtype=torch.{dtype_name}")
    else:
        summarise = array.size > THRESHOLD
        formatter = ElementFormatter(_summarised_values(array) if summarise else array)
        body = _nested_str(array, len(PREFIX), summarise, formatter)
        if dtype_name not in DEFAULT_DTYPES:
            suffixes.append(f"dtype=torch.{dtype_name}")
    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    text = _add_suffixes(PREFIX + body, suffixes)
    return text.replace("dtype=torch.", "dtype=" + format_dtype(""))


class Size(tuple):
    """A tensor's shape: a tuple that prints like torch's, ``autograd_mini.Size([2, 3])``."""

    def __repr__(self):
        return format_size(self)

    __str__ = __repr__

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds."""
        return int(np.prod(self, dtype=np.int64))
