"""Chapter 1's primer pictures: every number drawn is torch's slope or the function's real move."""

import io

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from autograd_mini.course import primer_pictures
from autograd_mini.widgets._svg import fmt


def _texts(figure) -> list[str]:
    return [text.get_text() for ax in figure.axes for text in ax.texts]


def _bars(ax) -> list[float]:
    """Bar lengths from top to bottom of one panel."""
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    return [p.get_width() for p in sorted(bars, key=lambda p: -p.get_y())]


def _torch_slope(function, *at):
    inputs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in at]
    return [g.item() for g in torch.autograd.grad(function(*inputs), inputs)]


def _stays_small(figure):
    assert isinstance(figure, Figure) and figure.dpi <= 100
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=figure.dpi)
    assert len(png.getvalue()) < 80_000


@pytest.mark.parametrize(
    ("function", "at"),
    [(lambda x: x**2, 9.0), (lambda x: x.sin(), 1.3), (lambda x: x.exp() - x**3, -0.7)],
)
def test_slope_picture_shows_torchs_slope_and_the_real_move(function, at):
    figure = primer_pictures.slope_picture(function, at, nudge=0.05).figure
    (slope,) = _torch_slope(function, at)
    texts = _texts(figure)
    assert f"× {fmt(slope, 4)}  (the slope dy/dx)" in texts
    start = function(torch.tensor(at, dtype=torch.float64))
    move = (function(torch.tensor(at + 0.05, dtype=torch.float64)) - start).item()
    assert any(t.startswith(f"moves {'+' if move >= 0 else '−'}{fmt(abs(move), 4)}") for t in texts)
    nudge_bar, move_bar = _bars(figure.axes[0])
    if abs(move) * 0.75 * primer_pictures.RULER / max(abs(move), 0.05) > 0.03:
        assert move_bar / nudge_bar == pytest.approx(abs(move) / 0.05)
    _stays_small(figure)


def test_chain_rule_picture_multiplies_the_two_slopes_like_torch():
    figure = primer_pictures.chain_rule_picture().figure
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    u = 3 * x
    u.retain_grad()
    y = u**2
    y.backward()
    inner, outer, whole = (3.0, u.grad.item(), x.grad.item())
    assert (outer, whole) == (12.0, 36.0)
    texts = _texts(figure)
    assert f"× {fmt(inner)}  (du/dx)" in texts and f"× {fmt(outer)}  (dy/du)" in texts
    title = f"from x to y: × {fmt(whole)} = {fmt(inner)} × {fmt(outer)}"
    assert figure.axes[0].get_title() == title
    x_bar, u_bar, y_bar = _bars(figure.axes[0])
    assert u_bar / x_bar == pytest.approx(3.0)
    assert y_bar / u_bar == pytest.approx(((6.03**2 - 36) / 0.03), rel=1e-6)
    _stays_small(figure)


def test_chain_rule_picture_on_other_functions_agrees_with_torch():
    figure = primer_pictures.chain_rule_picture(lambda x: x.sin(), lambda u: u.exp(), at=0.4).figure
    (whole,) = _torch_slope(lambda x: x.sin().exp(), 0.4)
    inner, outer = np.cos(0.4), np.exp(np.sin(0.4))
    title = f"from x to y: × {fmt(whole, 4)} = {fmt(inner, 4)} × {fmt(outer, 4)}"
    assert figure.axes[0].get_title() == title


def test_partial_derivative_picture_shows_torchs_two_partials():
    def function(u, v):
        return u**2 + v**3 + u * v

    figure = primer_pictures.partial_derivative_picture(function, (2.0, 4.0)).figure
    partial_u, partial_v = _torch_slope(function, 2.0, 4.0)
    assert (partial_u, partial_v) == (8.0, 50.0)
    texts = _texts(figure)
    assert f"× {fmt(partial_u)}  (∂f/∂u)" in texts and f"× {fmt(partial_v)}  (∂f/∂v)" in texts
    assert "f = 76" in texts
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["nudge u only (v stays 4)", "nudge v only (u stays 2)"]
    move_v = function(2.0, 4.01) - 76
    assert f"moves +{fmt(move_v, 4)} ≈ 50 × 0.01" in texts
    _stays_small(figure)
