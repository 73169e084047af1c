"""Chapter 1's primer: a slope, the chain rule and a partial derivative as nudges on number lines.

The picture language is one idea: nudge an input a little and watch how far the output moves. The
ratio of the two moves is the slope. Each picture draws its number lines to one scale, so the bars
show the stretch, and every number on it is computed: the slopes by ``autograd_mini``'s backward
pass, the moves by evaluating the function at the nudged input. Each function returns a `Picture`
(figures.py: the course's one picture convention).
"""

from collections.abc import Callable

from matplotlib.patches import FancyArrowPatch, Rectangle

import autograd_mini as am
from autograd_mini.course.figures import EDGE, ORANGE, SKY, VERMILION, Picture
from autograd_mini.widgets._svg import fmt

INPUT = SKY  # the nudge we make
OUTPUT = ORANGE  # the move it causes
RULER = 4.0  # length of a number line, in drawing units
WIDTH = 5.2  # inches: narrow enough that the labels stay legible on a phone
SMALLEST_BAR = 0.03  # a nudge too small to see at the common scale is drawn this long


def slope_of(function: Callable, at: float) -> float:
    """The slope of ``function`` at ``at``, from autograd_mini's backward pass (float64)."""
    x = am.tensor(at, dtype=am.float64, requires_grad=True)
    function(x).backward()
    return x.grad.item()


def _value(function: Callable, at: float) -> float:
    return function(am.tensor(at, dtype=am.float64)).item()


def _figure(width: float, height: float, description: str):
    figure = Picture(width, height, description)
    ax = figure.figure.subplots()
    ax.axis("off")
    return figure, ax


def _number_line(
    ax, y: float, name: str, start: float, move: float, scale: float, fill: str, note: str = ""
):
    """A number line at height ``y``: where the value starts and a bar as long as its move."""
    ax.plot([0, RULER], [y, y], color=EDGE, linewidth=1)
    ax.plot([0, 0], [y - 0.12, y + 0.12], color=EDGE, linewidth=1)
    bar = max(abs(move) * scale, SMALLEST_BAR)
    ax.add_patch(Rectangle((0, y - 0.09), bar, 0.18, facecolor=fill, edgecolor=EDGE, zorder=3))
    ax.text(-0.12, y, f"{name} = {fmt(start, 4)}", ha="right", va="center", fontsize=12)
    sign = "+" if move >= 0 else "−"
    text = f"moves {sign}{fmt(abs(move), 4)}" + (f" ≈ {note}" if note else "")
    ax.text(min(bar, RULER - 2.3) + 0.05, y + 0.16, text, fontsize=11, va="bottom")


def _stretch(ax, y_from: float, y_to: float, text: str):
    """An arrow from one number line down to the next, labelled with the stretch factor."""
    arrow = FancyArrowPatch((-0.5, y_from - 0.2), (-0.5, y_to + 0.2), arrowstyle="-|>")
    arrow.set_mutation_scale(12)
    ax.add_patch(arrow)
    ax.text(-0.4, (y_from + y_to) / 2, text, fontsize=11, va="center", color=VERMILION)


def slope_picture(
    function: Callable = lambda x: x**2, at: float = 9.0, nudge: float = 0.05
) -> Picture:
    """A slope: nudge x a little and y moves about ``slope`` times as far (x² at 9: 18 times)."""
    slope = slope_of(function, at)
    move = _value(function, at + nudge) - _value(function, at)
    scale = RULER * 0.75 / max(abs(move), nudge)
    figure, ax = _figure(WIDTH, 1.9, f"a nudge of x and the move of y: slope {fmt(slope, 4)}")
    _number_line(ax, 1.0, "x", at, nudge, scale, INPUT)
    note = f"{fmt(slope, 4)} × {fmt(nudge, 4)}"
    _number_line(ax, 0.0, "y", _value(function, at), move, scale, OUTPUT, note)
    _stretch(ax, 1.0, 0.0, f"× {fmt(slope, 4)}  (the slope dy/dx)")
    ax.set_xlim(-1.9, RULER + 0.2)
    ax.set_ylim(-0.3, 1.45)
    figure.figure.tight_layout()
    return figure


def chain_rule_picture(
    inner: Callable = lambda x: 3 * x,
    outer: Callable = lambda u: u**2,
    at: float = 2.0,
    nudge: float = 0.01,
) -> Picture:
    """The chain rule: two steps in a row stretch a nudge twice, so their slopes multiply."""
    u_value = _value(inner, at)
    inner_slope, outer_slope = slope_of(inner, at), slope_of(outer, u_value)
    whole_slope = slope_of(lambda x: outer(inner(x)), at)
    u_move = _value(inner, at + nudge) - u_value
    y_move = _value(outer, u_value + u_move) - _value(outer, u_value)
    scale = RULER * 0.75 / max(abs(y_move), abs(u_move), nudge)
    figure, ax = _figure(WIDTH, 2.9, f"the chain rule: × {fmt(whole_slope, 4)} from x to y")
    _number_line(ax, 2.0, "x", at, nudge, scale, INPUT)
    u_note = f"{fmt(inner_slope, 4)} × {fmt(nudge, 4)}"
    _number_line(ax, 1.0, "u", u_value, u_move, scale, OUTPUT, u_note)
    y_note = f"{fmt(outer_slope, 4)} × {fmt(u_move, 4)}"
    _number_line(ax, 0.0, "y", _value(outer, u_value), y_move, scale, OUTPUT, y_note)
    _stretch(ax, 2.0, 1.0, f"× {fmt(inner_slope, 4)}  (du/dx)")
    _stretch(ax, 1.0, 0.0, f"× {fmt(outer_slope, 4)}  (dy/du)")
    ax.set_title(
        f"from x to y: × {fmt(whole_slope, 4)} = {fmt(inner_slope, 4)} × {fmt(outer_slope, 4)}",
        fontsize=12,
        weight="bold",
    )
    ax.set_xlim(-1.9, RULER + 0.2)
    ax.set_ylim(-0.3, 2.45)
    figure.figure.tight_layout()
    return figure


def partial_derivative_picture(
    function: Callable = lambda u, v: u**2 + v**3 + u * v,
    at: tuple[float, float] = (2.0, 4.0),
    nudge: float = 0.01,
) -> Picture:
    """Partial derivatives: nudge one input while the other stays put, one slope per input."""
    u = am.tensor(at[0], dtype=am.float64, requires_grad=True)
    v = am.tensor(at[1], dtype=am.float64, requires_grad=True)
    start = function(u, v)
    start.backward()
    slopes = (u.grad.item(), v.grad.item())
    moves = (
        function(am.tensor(at[0] + nudge), am.tensor(at[1])).item() - start.item(),
        function(am.tensor(at[0]), am.tensor(at[1] + nudge)).item() - start.item(),
    )
    scale = RULER * 0.75 / max(max(abs(m) for m in moves), nudge)
    figure = Picture(WIDTH, 3.9, "partial derivatives: nudge u only, then v only")
    axes = figure.figure.subplots(2, 1)
    for ax, name, other, slope, move in zip(axes, "uv", "vu", slopes, moves, strict=True):
        ax.axis("off")
        held = at[1] if name == "u" else at[0]
        ax.set_title(f"nudge {name} only ({other} stays {fmt(held, 4)})", fontsize=12)
        _number_line(ax, 1.0, name, at[0] if name == "u" else at[1], nudge, scale, INPUT)
        note = f"{fmt(slope, 4)} × {fmt(nudge, 4)}"
        _number_line(ax, 0.0, "f", start.item(), move, scale, OUTPUT, note)
        _stretch(ax, 1.0, 0.0, f"× {fmt(slope, 4)}  (∂f/∂{name})")
        ax.set_xlim(-1.9, RULER + 0.2)
        ax.set_ylim(-0.3, 1.45)
    figure.figure.tight_layout()
    return figure
