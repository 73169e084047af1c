"""``partials_explorer``: f(u, v) as a heat map, the slices through (u0, v0) and their slopes."""

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
    AXIS_COLOUR,
    CURVE_COLOUR,
    FONT,
    TANGENT_COLOUR,
    Axes,
    esc,
    fmt,
    png_data_uri,
    px,
    robust_range,
    viridis,
)

WIDTH, HEIGHT = 660, 330
HEAT_PIXELS = 72
SLICE_POINTS = 81
#: Most positions per slider with the default step: 17 x 17 precomputed points at most.
POSITIONS = 17
MARK_COLOUR = "#ffffff"


class PartialsExplorer(Explorer):
    """The explorer returned by ``partials_explorer``; display it, or call ``to_html()``."""

    kind = "partials"
    width = WIDTH

    def __init__(
        self, f, u_range, v_range, u0=None, v0=None, *, step=None, torch_f=None, label=None
    ):
        super().__init__()
        self.f, self.label = function_and_label(f, ("u", "v"), label)
        self._torch_f = torch_f
        self.u_range = (float(u_range[0]), float(u_range[1]))
        self.v_range = (float(v_range[0]), float(v_range[1]))
        u_values, u_index = slider_values(self.u_range, step, u0, POSITIONS)
        v_values, v_index = slider_values(self.v_range, step, v0, POSITIONS)
        self.sliders = (
            Slider("u0", "u0, the u of the point", u_values, u_index),
            Slider("v0", "v0, the v of the point", v_values, v_index),
        )
        self._at = lru_cache(maxsize=2048)(self._compute)
        self._prepare()

    def _prepare(self):
        us = np.linspace(*self.u_range, HEAT_PIXELS)
        vs = np.linspace(*self.v_range, HEAT_PIXELS)
        grid_u, grid_v = np.meshgrid(us, vs[::-1])  # image rows go from high v to low v
        values = deriv.values_on_grid(self.f, grid_u, grid_v)
        low, high = robust_range(values.reshape(-1), pad=0.0)
        self.value_range = robust_range(values.reshape(-1))
        scaled = (values - low) / (high - low)
        self.heat = Axes(50, 14, 250, 250, self.u_range, self.v_range)
        self.u_slice = Axes(400, 14, 240, 98, self.u_range, self.value_range)
        self.v_slice = Axes(400, 166, 240, 98, self.v_range, self.value_range)
        heat = self.heat
        self._base = (
            f'<image x="{px(heat.left)}" y="{px(heat.top)}" width="{px(heat.width)}" '
            f'height="{px(heat.height)}" preserveAspectRatio="none" '
            f'href="{png_data_uri(viridis(scaled))}"/>'
            + heat.frame("u", "v", grid=False)
            + self.u_slice.frame("u", "f", grid=True)
            + self.v_slice.frame("v", "f", grid=True)
            + f'<text x="{px(heat.left)}" y="{px(heat.top + heat.height + 46)}" '
            f'fill="{AXIS_COLOUR}">colour: value of {esc(self.label)} '
            f"(dark low, yellow high)</text>"
        )

    def _compute(self, u0: float, v0: float):
        mini = deriv.at_point_autograd_mini(self.f, (u0, v0))
        return mini, deriv.at_point_torch(self._torch_f or self.f, (u0, v0))

    # --- pictures ----------------------------------------------------------------------------
    def _open_svg(self, element_id: str) -> str:
        title = f"Heat map of {self.label} with the slices through (u0, v0) and their tangents"
        clips = "".join(
            axes.clip(f"{element_id}-clip{k}")
            for k, axes in enumerate((self.heat, self.u_slice, self.v_slice))
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            'style="background:#fff" role="img" '
            f'aria-labelledby="{element_id}-title" font-size="12" {FONT}>'
            f'<title id="{element_id}-title">{esc(title)}</title><defs>{clips}</defs>'
            f"<style>.amw-tan{{stroke:{TANGENT_COLOUR};stroke-width:2;fill:none}}"
            f".amw-pt{{fill:{TANGENT_COLOUR};stroke:#fff}}</style>{self._base}"
        )

    def _u_layer(self, u0: float, element_id: str) -> str:
        """Moves with u0 only: the vertical line u = u0 and the slice f(u0, v) along v."""
        vs = np.linspace(*self.v_range, SLICE_POINTS)
        values = deriv.values_on_grid(self.f, np.full_like(vs, u0), vs)
        line = ((u0, self.v_range[0]), (u0, self.v_range[1]))
        caption = f"slice: u fixed at u0 = {esc(fmt(u0))}"
        return self._slice_layer(line, self.v_slice, vs, values, f"{element_id}-clip2", caption)

    def _v_layer(self, v0: float, element_id: str) -> str:
        """Moves with v0 only: the horizontal line v = v0 and the slice f(u, v0) along u."""
        us = np.linspace(*self.u_range, SLICE_POINTS)
        values = deriv.values_on_grid(self.f, us, np.full_like(us, v0))
        line = ((self.u_range[0], v0), (self.u_range[1], v0))
        caption = f"slice: v fixed at v0 = {esc(fmt(v0))}"
        return self._slice_layer(line, self.u_slice, us, values, f"{element_id}-clip1", caption)

    def _slice_layer(self, line, panel, along, values, clip_id: str, caption: str) -> str:
        """The marker line on the heat map, and the slice curve drawn in its own panel."""
        (x1, y1), (x2, y2) = line
        return (
            self.heat.line(
                x1, y1, x2, y2, stroke=MARK_COLOUR, stroke_width="1.5", stroke_dasharray="4 3"
            )
            + f'<g clip-path="url(#{clip_id})">'
            + panel.path(along, values, stroke=CURVE_COLOUR, stroke_width="2")
            + "</g>"
            + f'<text x="{px(panel.left)}" y="{px(panel.top - 4)}">{caption}</text>'
        )

    def _point_layer(self, u0: float, v0: float) -> str:
        """Moves with both: the point on the map, and each slice's tangent (slopes ∂f/∂u, ∂f/∂v)."""
        mini, _ = self._at(u0, v0)
        value, (du, dv) = mini.value, mini.gradient
        parts = [self.heat.dot(u0, v0, 5, class_="amw-pt")]
        for axes, x0, slope, span in (
            (self.u_slice, u0, du, self.u_range),
            (self.v_slice, v0, dv, self.v_range),
        ):
            half = span[1] - span[0]
            if np.isfinite(value) and np.isfinite(slope):
                parts.append(
                    axes.segment(
                        x0 - half,
                        value - slope * half,
                        x0 + half,
                        value + slope * half,
                        class_="amw-tan",
                    )
                )
            if axes.inside(x0, value):
                parts.append(axes.dot(x0, value, 4.5, class_="amw-pt"))
        return "".join(parts)

    def render_svg(self, u0: float, v0: float, *, element_id: str = "amw-partials") -> str:
        """The picture at one point (u0, v0), as a self-contained SVG string."""
        u0, v0 = float(u0), float(v0)
        return (
            self._open_svg(element_id)
            + self._u_layer(u0, element_id)
            + self._v_layer(v0, element_id)
            + self._point_layer(u0, v0)
            + "</svg>"
        )

    def _static_picture(self, element_id: str) -> tuple[str, list[Layer]]:
        u_values, v_values = (slider.values for slider in self.sliders)
        return self._open_svg(element_id), [
            Layer((0,), lambda i: self._u_layer(float(u_values[i]), element_id)),
            Layer((1,), lambda j: self._v_layer(float(v_values[j]), element_id)),
            Layer((0, 1), lambda i, j: self._point_layer(float(u_values[i]), float(v_values[j]))),
        ]

    # --- readouts ----------------------------------------------------------------------------
    def _rows(self, u0: float, v0: float):
        mini, torch = self._at(float(u0), float(v0))
        rows = [
            ("f(u0, v0)", mini.value, torch.value),
            ("∂f/∂u", mini.gradient[0], torch.gradient[0]),
            ("∂f/∂v", mini.gradient[1], torch.gradient[1]),
        ]
        return mini, torch, rows

    def readout_html(self, u0: float, v0: float) -> str:
        """The readout: f and both partial derivatives at (u0, v0), from both libraries."""
        mini, torch, rows = self._rows(u0, v0)
        return readout_table(f"(u0, v0) = ({fmt(u0)}, {fmt(v0)})", rows, mini, torch)

    def readout_text(self, u0: float, v0: float) -> str:
        """One deterministic line with f, ∂f/∂u and ∂f/∂v at (u0, v0) from both libraries."""
        mini, torch, rows = self._rows(u0, v0)
        return readout_line(
            f"partials_explorer: {self.label} at (u0, v0) = ({fmt(u0)}, {fmt(v0)})",
            f"f = {fmt(rows[0][1])}",
            rows[1:],
            mini,
            torch,
        )


def partials_explorer(
    f: Formula,
    u_range: Range = (-2.0, 2.0),
    v_range: Range = (-2.0, 2.0),
    u0: float | None = None,
    v0: float | None = None,
    *,
    step: float | None = None,
    torch_f: Callable | None = None,
    label: str | None = None,
) -> PartialsExplorer:
    """Explore partial derivatives of ``f(u, v)``: a heat map, two slices, two sliders.

    The heat map shows f over ``u_range`` × ``v_range``; the slice f(u, v0) (v held fixed) and the
    slice f(u0, v) (u held fixed) are drawn beside it with their tangents, whose slopes are ∂f/∂u
    and ∂f/∂v. The readout gives both, from autograd_mini and from torch, and whether they agree.

    ``f`` is a formula in ``u`` and ``v`` (text) or a function of two tensors. ``step`` sets both
    sliders' step (default: a round step giving at most 17 positions each, so the static page holds
    at most 289 precomputed points); ``torch_f`` and ``label`` as in ``tangent_explorer``.

    >>> partials_explorer("u**2 * v", (-2, 2), (-2, 2), u0=1, v0=2)  # doctest: +SKIP
    partials_explorer: f(u, v) = u**2 * v at (u0, v0) = (1, 2): f = 2, ∂f/∂u 4 (autograd_mini) = ...
    """
    return PartialsExplorer(f, u_range, v_range, u0, v0, step=step, torch_f=torch_f, label=label)
