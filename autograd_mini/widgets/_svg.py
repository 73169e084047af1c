"""Hand-built SVG pieces shared by the explorers: numbers, axes, curves, a tiny PNG writer.

Everything here is deterministic: coordinates are rounded to 0.1 px and numbers are printed with a
fixed number of significant digits, so the same inputs give the same bytes on every machine.
"""

from __future__ import annotations

import base64
import html
import math
import struct
import zlib

import numpy as np

FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""
CURVE_COLOUR = "#1f5fa8"
TANGENT_COLOUR = "#c0392b"
SECOND_COLOUR = "#1e7b34"
AXIS_COLOUR = "#555555"
GRID_COLOUR = "#e4e4e4"


def fmt(value: float, digits: int = 6) -> str:
    """A number as a reader should see it: ``18``, ``0.304989``, ``-1.5e-7``, ``nan``, ``inf``."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if abs(value) < 1e-12:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def px(value: float) -> str:
    """An SVG coordinate rounded to 0.1 px, without a trailing ``.0``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def esc(text: str) -> str:
    """Escape text for SVG or HTML content and attributes."""
    return html.escape(str(text), quote=True)


def round_number(value: float) -> float:
    """The number of the form 1, 2 or 5 times a power of ten nearest to ``value`` (> 0)."""
    power = 10 ** math.floor(math.log10(value))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda r: abs(math.log(r / value))))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick positions (steps of 1, 2 or 5 times a power of ten) covering ``[low, high]``."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def robust_range(values: np.ndarray, pad: float = 0.08) -> tuple[float, float]:
    """A y-range that shows the finite values, ignoring spikes such as tan's poles."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return (-1.0, 1.0)
    low, high = float(finite.min()), float(finite.max())
    if finite.size > 20:
        q_low, q_high = np.percentile(finite, [2, 98])
        spread = q_high - q_low
        if high - low > 20 * max(spread, 1e-12):
            low, high = float(q_low) - spread, float(q_high) + spread
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    margin = (high - low) * pad
    return (low - margin, high + margin)


class Axes:
    """A rectangle of the picture with a linear map from data coordinates to pixels."""

    def __init__(self, left, top, width, height, x_range, y_range):
        self.left, self.top, self.width, self.height = left, top, width, height
        self.x_low, self.x_high = map(float, x_range)
        self.y_low, self.y_high = map(float, y_range)

    def sx(self, x: float) -> float:
        return self.left + (x - self.x_low) / (self.x_high - self.x_low) * self.width

    def sy(self, y: float) -> float:
        return self.top + (self.y_high - y) / (self.y_high - self.y_low) * self.height

    def clamp_y(self, y: float) -> float:
        """Pixel y, held within a few heights of the plot so clipped lines stay short numbers."""
        return min(max(self.sy(y), self.top - 3 * self.height), self.top + 4 * self.height)

    def clip(self, clip_id: str) -> str:
        return (
            f'<clipPath id="{clip_id}"><rect x="{px(self.left)}" y="{px(self.top)}" '
            f'width="{px(self.width)}" height="{px(self.height)}"/></clipPath>'
        )

    def frame(self, x_label: str, y_label: str, *, grid: bool = True) -> str:
        """Grid, axis lines through zero when zero is shown, tick labels and axis names."""
        parts = []
        right, bottom = self.left + self.width, self.top + self.height
        for x in nice_ticks(self.x_low, self.x_high):
            X = px(self.sx(x))
            if grid:
                parts.append(
                    f'<line x1="{X}" y1="{px(self.top)}" x2="{X}" y2="{px(bottom)}" '
                    f'stroke="{GRID_COLOUR}"/>'
                )
            parts.append(
                f'<text x="{X}" y="{px(bottom + 14)}" text-anchor="middle">{esc(fmt(x))}</text>'
            )
        for y in nice_ticks(self.y_low, self.y_high):
            Y = px(self.sy(y))
            if grid:
                parts.append(
                    f'<line x1="{px(self.left)}" y1="{Y}" x2="{px(right)}" y2="{Y}" '
                    f'stroke="{GRID_COLOUR}"/>'
                )
            parts.append(
                f'<text x="{px(self.left - 4)}" y="{px(self.sy(y) + 4)}" '
                f'text-anchor="end">{esc(fmt(y))}</text>'
            )
        if self.y_low <= 0 <= self.y_high:
            Y = px(self.sy(0))
            parts.append(
                f'<line x1="{px(self.left)}" y1="{Y}" x2="{px(right)}" y2="{Y}" '
                f'stroke="{AXIS_COLOUR}"/>'
            )
        if self.x_low <= 0 <= self.x_high:
            X = px(self.sx(0))
            parts.append(
                f'<line x1="{X}" y1="{px(self.top)}" x2="{X}" y2="{px(bottom)}" '
                f'stroke="{AXIS_COLOUR}"/>'
            )
        parts.append(
            f'<rect x="{px(self.left)}" y="{px(self.top)}" width="{px(self.width)}" '
            f'height="{px(self.height)}" fill="none" stroke="{AXIS_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{px(self.left + self.width / 2)}" y="{px(bottom + 30)}" '
            f'text-anchor="middle" font-style="italic">{esc(x_label)}</text>'
        )
        parts.append(
            f'<text x="{px(self.left - 34)}" y="{px(self.top + self.height / 2)}" '
            f'text-anchor="middle" font-style="italic" transform="rotate(-90 '
            f'{px(self.left - 34)} {px(self.top + self.height / 2)})">{esc(y_label)}</text>'
        )
        return "".join(parts)

    def path(self, xs: np.ndarray, ys: np.ndarray, **attributes: str) -> str:
        """A curve through the points, broken where a value is not finite."""
        pieces, pen_down = [], False
        for x, y in zip(xs, ys, strict=True):
            if not math.isfinite(y):
                pen_down = False
                continue
            pieces.append(("L" if pen_down else "M") + f"{px(self.sx(x))} {px(self.clamp_y(y))}")
            pen_down = True
        return f'<path d="{"".join(pieces)}" fill="none"{attrs(attributes)}/>'

    def line(self, x1: float, y1: float, x2: float, y2: float, **attributes: str) -> str:
        """A straight segment between two data points."""
        return (
            f'<line x1="{px(self.sx(x1))}" y1="{px(self.clamp_y(y1))}" x2="{px(self.sx(x2))}" '
            f'y2="{px(self.clamp_y(y2))}"{attrs(attributes)}/>'
        )

    def segment(self, x1: float, y1: float, x2: float, y2: float, **attributes: str) -> str:
        """A straight segment between two data points, cut to the plot rectangle (no clip path)."""
        X1, Y1, X2, Y2 = self.sx(x1), self.sy(y1), self.sx(x2), self.sy(y2)
        dx, dy = X2 - X1, Y2 - Y1
        low, high = 0.0, 1.0
        right, bottom = self.left + self.width, self.top + self.height
        for p, q in (
            (-dx, X1 - self.left),
            (dx, right - X1),
            (-dy, Y1 - self.top),
            (dy, bottom - Y1),
        ):
            if p == 0:
                if q < 0:
                    return ""
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
        if low > high or not all(map(math.isfinite, (X1, Y1, X2, Y2))):
            return ""
        return (
            f'<path d="M{px(X1 + low * dx)} {px(Y1 + low * dy)}L{px(X1 + high * dx)} '
            f'{px(Y1 + high * dy)}"{attrs(attributes)}/>'
        )

    def inside(self, x: float, y: float) -> bool:
        """Whether a data point lies within the plot's ranges."""
        return self.x_low <= x <= self.x_high and self.y_low <= y <= self.y_high

    def dot(self, x: float, y: float, radius: float = 5, **attributes: str) -> str:
        """A filled circle at a data point (hidden if the value is not finite)."""
        if not (math.isfinite(x) and math.isfinite(y)):
            return ""
        return (
            f'<circle cx="{px(self.sx(x))}" cy="{px(self.clamp_y(y))}" r="{px(radius)}"'
            f"{attrs(attributes)}/>"
        )


def attrs(attributes: dict) -> str:
    """SVG attributes from keyword arguments, ``stroke_width`` becoming ``stroke-width``."""
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attributes.items())


# Viridis, sampled at 9 evenly spaced points; colours between them are interpolated linearly.
_VIRIDIS = np.array(
    [
        [68, 1, 84],
        [71, 44, 122],
        [59, 81, 139],
        [44, 113, 142],
        [33, 144, 141],
        [39, 173, 129],
        [92, 200, 99],
        [170, 220, 50],
        [253, 231, 37],
    ],
    dtype=float,
)


def viridis(values: np.ndarray) -> np.ndarray:
    """Map values in [0, 1] (nan allowed, shown grey) to RGB bytes."""
    position = np.clip(np.nan_to_num(values, nan=0.0), 0, 1) * (len(_VIRIDIS) - 1)
    index = np.minimum(position.astype(int), len(_VIRIDIS) - 2)
    weight = (position - index)[..., None]
    rgb = _VIRIDIS[index] * (1 - weight) + _VIRIDIS[index + 1] * weight
    rgb[np.isnan(values)] = 200
    return np.round(rgb).astype(np.uint8)


def _stored_zlib(data: bytes) -> bytes:
    """A zlib stream of uncompressed ("stored") deflate blocks, written out by hand."""
    blocks = [data[i : i + 65535] for i in range(0, len(data), 65535)] or [b""]
    out = [b"\x78\x01"]
    for number, block in enumerate(blocks):
        final = 1 if number == len(blocks) - 1 else 0
        out.append(struct.pack("<BHH", final, len(block), len(block) ^ 0xFFFF) + block)
    out.append(struct.pack(">I", zlib.adler32(data)))
    return b"".join(out)


def png_data_uri(rgb: np.ndarray) -> str:
    """An RGB image (rows top to bottom) as a ``data:image/png`` URI.

    The zlib stream uses stored (uncompressed) blocks, so the bytes do not depend on the zlib build.
    """
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", _stored_zlib(raw))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
