"""``tangent_explorer``: a curve, its tangent at x0, and a slider that moves x0."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from autograd_mini.widgets import _derivatives as deriv
from autograd_mini.widgets._explorer import (
    Explorer,
    Formula,
    Layer,
    Range,
    Slider,
    function_and_label,
    readout_line,
    readout_table,
    slider_values,
)
from autograd_mini.widgets._svg import (
    CURVE_COLOUR,
    FONT,
    SECOND_COLOUR,
    TANGENT_COLOUR,
    Axes,
    esc,
    fmt,
    px,
    robust_range,
    round_number,
)
from autograd_mini.widgets.formula import parse_function

WIDTH, HEIGHT = 560, 370
HALO = 'stroke="white" stroke-width="3" paint-order="stroke"'
CURVE_POINTS = 241


class TangentExplorer(Explorer):
    """The explorer returned by ``tangent_explorer``; display it, or call ``to_html()``."""

    kind = "tangent"
    width = WIDTH

    def __init__(
        self,
        f,
        x_range,
        x0=None,
        *,
        step=None,
        second_derivative=False,
        torch_f=None,
        label=None,
        y_range=None,
    ):
        super().__init__()
        self.x_range = (float(x_range[0]), float(x_range[1]))
        values, index = slider_values(self.x_range, step, x0)
        self.sliders = (Slider("x0", "x0, where the tangent touches", values, index),)
        self.second_derivative = bool(second_derivative)
        self._fixed_y_range = y_range
        self.error = ""
        self.set_function(f, label, torch_f)

    # --- state -------------------------------------------------------------------------------
    def set_function(
        self, f: Formula, label: str | None = None, torch_f: Callable | None = None
    ) -> None:
        """Show another function (a formula or a callable); the sliders keep their place."""
        self.f, self.label = function_and_label(f, ("x",), label)
        self._torch_f = torch_f
        self.formula = f if isinstance(f, str) else None
        xs = np.linspace(*self.x_range, CURVE_POINTS)
        ys = deriv.values_on_grid(self.f, xs)
        y_range = self._fixed_y_range or robust_range(ys)
        top = 50 if self.second_derivative else 34
        self.axes = Axes(58, top, WIDTH - 74, HEIGHT - top - 46, self.x_range, y_range)
        self._base = self.axes.frame("x", "y") + self.axes.path(
            xs, ys, stroke=CURVE_COLOUR, stroke_width="2.5"
        )
        if self.second_derivative:
            self._base += (
                f'<text x="{px(self.axes.left)}" y="38" '
                f'fill="{SECOND_COLOUR}">'
                "dashed: the parabola with the same f, f′ and f″ at x0</text>"
            )
        self._at = lru_cache(maxsize=512)(self._compute)
        self.run = round_number((self.x_range[1] - self.x_range[0]) / 8)
        self._html = None

    def _compute(self, x0: float):
        second = self.second_derivative
        mini = deriv.at_point_autograd_mini(self.f, (x0,), second)
        torch_f = self._torch_f or self.f
        return mini, deriv.at_point_torch(torch_f, (x0,), second)

    # --- pictures ----------------------------------------------------------------------------
    def _open_svg(self, element_id: str) -> str:
        title = f"Graph of {self.label} with its tangent line at x0"
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'style="background:#fff" role="img" '
            f'aria-labelledby="{element_id}-title" font-size="12" {FONT}>'
            f'<title id="{element_id}-title">{esc(title)}</title>'
            f"<defs>{self.axes.clip(element_id + '-clip')}</defs>{self._base}"
            f'<text x="{px(self.axes.left)}" y="20" '
            f'fill="{CURVE_COLOUR}" font-weight="bold">{esc(self.label)}</text>'
        )

    def _layer(self, x0: float, element_id: str) -> str:
        """The parts that move with x0: point, tangent, optional parabola, slope label."""
        mini, _ = self._at(x0)
        axes, y0, slope = self.axes, mini.value, mini.gradient[0]
        parts = [f'<g clip-path="url(#{element_id}-clip)">']
        if np.isfinite(y0) and np.isfinite(slope):
            half = self.x_range[1] - self.x_range[0]
            parts.append(
                axes.line(
                    x0 - half,
                    y0 - slope * half,
                    x0 + half,
                    y0 + slope * half,
                    stroke=TANGENT_COLOUR,
                    stroke_width="2",
                )
            )
            parts.append(self._rise_over_run(x0, y0, slope))
            if self.second_derivative and mini.second is not None and np.isfinite(mini.second):
                xs = np.linspace(*self.x_range, 61)
                ys = y0 + slope * (xs - x0) + 0.5 * mini.second * (xs - x0) ** 2
                parts.append(
                    axes.path(
                        xs, ys, stroke=SECOND_COLOUR, stroke_width="1.5", stroke_dasharray="5 4"
                    )
                )
        parts.append(axes.dot(x0, y0, 5.5, fill=TANGENT_COLOUR, stroke="white"))
        parts.append("</g>")
        parts.append(
            f'<text x="{px(axes.left + axes.width)}" y="20" '
            f'text-anchor="end" fill="{TANGENT_COLOUR}" font-weight="bold">'
            f"slope at x0 = {esc(fmt(x0))}: {esc(fmt(slope))}</text>"
        )
        return "".join(parts)

    def _rise_over_run(self, x0: float, y0: float, slope: float) -> str:
        """A dashed step along the tangent: a run Δx, then the rise Δy = slope · Δx."""
        axes, run = self.axes, self.run
        if x0 + run > self.x_range[1]:
            run = -run
        x1, rise = x0 + run, slope * run
        style = {"stroke": TANGENT_COLOUR, "stroke_width": "1.2", "stroke_dasharray": "3 3"}
        label_right = axes.sx(x1) < axes.left + 0.75 * axes.width  # room for the Δy label
        side = "start" if label_right else "end"
        return (
            axes.line(x0, y0, x1, y0, **style)
            + axes.line(x1, y0, x1, y0 + rise, **style)
            + f'<text x="{px(axes.sx(x0 + run / 2))}" y="{px(axes.clamp_y(y0) + 14)}" '
            f'text-anchor="middle" fill="{TANGENT_COLOUR}" {HALO}>Δx = {esc(fmt(run))}</text>'
            + f'<text x="{px(axes.sx(x1) + (5 if label_right else -5))}" '
            f'y="{px(axes.clamp_y(y0 + rise / 2) + 4)}" text-anchor="{side}" '
            f'fill="{TANGENT_COLOUR}" {HALO}>Δy = {esc(fmt(rise, 4))}</text>'
        )

    def render_svg(self, x0: float, *, element_id: str = "amw-tangent") -> str:
        """The picture at one x0, as a self-contained SVG string (the live view uses this)."""
        return self._open_svg(element_id) + self._layer(float(x0), element_id) + "</svg>"

    def _static_picture(self, element_id: str) -> tuple[str, list[Layer]]:
        values = self.sliders[0].values
        return self._open_svg(element_id), [
            Layer((0,), lambda i: self._layer(float(values[i]), element_id))
        ]

    # --- readouts ----------------------------------------------------------------------------
    def _rows(self, x0: float):
        mini, torch = self._at(float(x0))
        rows = [
            ("f(x0)", mini.value, torch.value),
            ("slope f′(x0)", mini.gradient[0], torch.gradient[0]),
        ]
        if self.second_derivative:
            rows.append(("f″(x0)", mini.second, torch.second))
        return mini, torch, rows

    def readout_html(self, x0: float) -> str:
        """The readout under the picture: x0, f(x0) and the slopes from both libraries."""
        mini, torch, rows = self._rows(x0)
        return readout_table(f"x0 = {fmt(x0)}", rows, mini, torch)

    def readout_text(self, x0: float) -> str:
        """One deterministic line: ``... at x0 = 9: f = 81, slope 18 (autograd_mini) = ...``."""
        mini, torch, rows = self._rows(x0)
        short = {"slope f′(x0)": "slope", "f″(x0)": "f″"}
        return readout_line(
            f"tangent_explorer: {self.label} at x0 = {fmt(x0)}",
            f"f = {fmt(rows[0][1])}",
            [(short[name], a, b) for name, a, b in rows[1:]],
            mini,
            torch,
        )

    # --- live extras -------------------------------------------------------------------------
    def _extra_controls(self, widgets) -> list:
        self._formula_box = widgets.Text(
            value=self.formula or "",
            placeholder="type a formula in x, e.g. sin(x) * x",
            description="f(x) =",
            continuous_update=False,
            layout=widgets.Layout(width="100%", max_width=f"{WIDTH}px"),
        )
        self._message = widgets.HTML()
        self._formula_box.observe(self._on_formula, names="value")
        return [self._formula_box, self._message]

    def _on_formula(self, change):
        self.set_formula(change["new"])

    def set_formula(self, text: str) -> bool:
        """Try a new formula typed by the reader; on a bad one keep the old and show why."""
        try:
            parse_function(text)
            self.set_function(text)
        except ValueError as error:
            self.error = str(error)
            if self._widget is not None:
                self._message.value = (
                    f'<div role="alert" style="color:#b00020">{esc(self.error)}</div>'
                )
            return False
        self.error = ""
        if self._widget is not None:
            self._message.value = ""
            self._refresh()
        return True


def tangent_explorer(
    f: Formula,
    x_range: Range = (-3.0, 3.0),
    x0: float | None = None,
    *,
    step: float | None = None,
    second_derivative: bool = False,
    torch_f: Callable | None = None,
    label: str | None = None,
    y_range: Range | None = None,
) -> TangentExplorer:
    """Explore the slope of ``f``: the curve, its tangent at ``x0`` and a slider that moves ``x0``.

    ``f`` is a formula in ``x`` (text, read by ``parse_function``) or a function of one tensor
    built from tensor operations. The readout shows f(x0) and the slope computed by autograd_mini
    and by torch, and whether they agree; ``second_derivative=True`` adds f″(x0) and the touching
    parabola.

    Displayed in a notebook it is a live widget (a slider, and a box to type another formula); on
    the rendered page it is a static picture with a working slider, one precomputed frame per
    ``step``.

    ``x_range`` is (low, high); ``x0`` the starting point (default: the middle); ``step`` the slider
    step (default: a round step giving about 60 positions); ``torch_f`` an optional torch version of
    ``f`` for functions that only accept autograd_mini tensors; ``label`` replaces the title;
    ``y_range`` fixes the vertical axis.

    >>> tangent_explorer("x**2", (-3, 3), x0=1)  # doctest: +SKIP
    tangent_explorer: f(x) = x**2 at x0 = 1: f = 1, slope 2 (autograd_mini) = 2 (torch) ✓
    """
    return TangentExplorer(
        f,
        x_range,
        x0,
        step=step,
        second_derivative=second_derivative,
        torch_f=torch_f,
        label=label,
        y_range=y_range,
    )
