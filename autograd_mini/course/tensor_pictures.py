"""Pictures for chapters 1 and 2: course path, a tangent, tensor ranks, indexing, views, copies.

Each function returns a `Picture` (figures.py: the course's one picture convention). Only the
course helpers import this module; the autograd core never does.
"""

import numpy as np
from matplotlib.patches import FancyArrowPatch, Rectangle

from autograd_mini.course.figures import EDGE, ORANGE, PAPER, SKY, YELLOW, Picture
from autograd_mini.course.primer_pictures import slope_of

CELL_FILL = PAPER
HIGHLIGHT = ORANGE  # the elements a selection picks
SHARED = SKY  # one block of memory seen by several tensors
OWN = YELLOW  # a copy's own memory


def _new_picture(rows: int, columns: int, width: float, height: float, heights=None, about=""):
    """Rows × columns empty panels; the book's text column is about 7 inches wide."""
    picture = Picture(width, height, about)
    axes = picture.figure.subplots(
        rows, columns, squeeze=False, gridspec_kw={"height_ratios": heights}
    )
    for ax in axes.flat:
        ax.set_aspect("equal")
        ax.axis("off")
    return picture, list(axes.flat)


def _cell(ax, x, y, text, fill=CELL_FILL, fontsize=11, layer=0):
    """One unit square with its lower-left corner at (x, y) and a label in the middle.

    Cells of a higher `layer` cover those of a lower one, labels included.
    """
    ax.add_patch(
        Rectangle((x, y), 1, 1, facecolor=fill, edgecolor=EDGE, linewidth=1.2, zorder=2 * layer + 1)
    )
    ax.text(
        x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=fontsize, zorder=2 * layer + 2
    )


def _grid(ax, values, x0=0.0, y0=0.0, fills=None, layer=0):
    """Draw a 2-d array as cells, row 0 at the top, like a printed matrix."""
    rows, columns = values.shape
    for row in range(rows):
        for column in range(columns):
            fill = CELL_FILL if fills is None else fills[row][column]
            label = f"{values[row, column]:g}"
            _cell(ax, x0 + column, y0 + rows - 1 - row, label, fill, layer=layer)


def course_path() -> Picture:
    """Chapter 1: the four chapters as four boxes joined by arrows (one panel)."""
    picture, (ax,) = _new_picture(1, 1, 7.5, 1.6, about="the course's four chapters")
    ax.set_aspect("auto")
    steps = [
        ("1", "Introduction", "a first derivative"),
        ("2", "Tensors I", "make, shape, slice"),
        ("3", "Tensors II", "compute, broadcast"),
        ("4", "Derivatives", "autograd inside out"),
    ]
    for index, (number, title, subtitle) in enumerate(steps):
        left = index * 2.8
        ax.add_patch(
            Rectangle((left, 0), 2.3, 1.2, facecolor=SHARED, edgecolor=EDGE, linewidth=1.2)
        )
        ax.text(left + 1.15, 0.75, f"{number}. {title}", ha="center", fontsize=10, weight="bold")
        ax.text(left + 1.15, 0.3, subtitle, ha="center", fontsize=9)
        if index:
            arrow = FancyArrowPatch((left - 0.45, 0.6), (left - 0.05, 0.6), arrowstyle="-|>")
            arrow.set_mutation_scale(16)
            ax.add_patch(arrow)
    ax.set_xlim(-0.1, 3 * 2.8 + 2.4)
    ax.set_ylim(-0.1, 1.3)
    picture.figure.subplots_adjust(left=0.01, right=0.99, top=0.98, bottom=0.02)
    return picture


def parabola_with_tangent(at: float = 9.0) -> Picture:
    """Chapter 1: y = x² with its tangent line at `at`; the slope comes from autograd_mini."""
    picture = Picture(5.5, 3.6, f"y = x² and its tangent at x = {at:g}")
    axes = picture.figure.subplots()
    x = np.linspace(at - 8, at + 8, 200)
    slope = slope_of(lambda t: t**2, at)
    axes.plot(x, x**2, color=EDGE, linewidth=2, label="y = x²")
    axes.plot(
        x,
        at**2 + slope * (x - at),
        "--",
        color=HIGHLIGHT,
        linewidth=2,
        label=f"tangent at x = {at:g}, slope {slope:g}",
    )
    axes.plot([at], [at**2], "o", color=EDGE)
    axes.annotate(f"({at:g}, {at**2:g})", (at, at**2), textcoords="offset points", xytext=(12, -14))
    axes.set_xlabel("x")
    axes.set_ylabel("y")
    axes.set_ylim(min(0, (at - 8) ** 2) - 10, (at + 8) ** 2 + 10)
    axes.legend(loc="upper left", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    picture.figure.tight_layout()
    return picture


def tensor_ranks() -> Picture:
    """Chapter 2: a scalar, a vector, a matrix and a 3-d tensor, with ndim and shape (4 panels)."""
    picture, axes = _new_picture(2, 2, 7.0, 3.9, [2.3, 3.9], "a tensor of each rank 0 to 3")
    centre = 1.9  # every drawing is centred on this x, so the captions line up
    _cell(axes[0], centre - 0.5, 0, "7")
    _grid(axes[1], np.array([[1, 2, 3]]), x0=centre - 1.5)
    _grid(axes[2], np.arange(1, 7).reshape(2, 3), x0=centre - 1.5)
    block = np.arange(1, 13).reshape(2, 2, 3)
    for depth in (1, 0):  # the front slice (depth 0) covers the back one
        shift = 0.75 * depth
        _grid(axes[3], block[depth], x0=centre - 1.875 + shift, y0=shift, layer=1 - depth)
    titles = [
        ("scalar", "ndim 0, shape []", 1),
        ("vector", "ndim 1, shape [3]", 1),
        ("matrix", "ndim 2, shape [2, 3]", 2),
        ("3-d tensor", "ndim 3, shape [2, 2, 3]", 2.75),
    ]
    for index, (ax, (name, detail, height)) in enumerate(zip(axes, titles, strict=True)):
        ax.set_xlim(-0.3, 4.1)
        ax.set_ylim(-0.7, 1.6 if index < 2 else 3.2)
        ax.text(centre, height + 0.25, name, ha="center", fontsize=12, weight="bold")
        ax.text(centre, -0.3, detail, ha="center", va="top", fontsize=10)
    picture.figure.subplots_adjust(
        left=0.01, right=0.99, top=0.99, bottom=0.01, wspace=0.05, hspace=0.05
    )
    return picture


INDEXING_EXAMPLES = (
    ("m[1]", (1, slice(None))),
    ("m[:, 2]", (slice(None), 2)),
    ("m[0:2, 1:3]", (slice(0, 2), slice(1, 3))),
    ("m[-1, -1]", (-1, -1)),
)


def indexing_examples(examples=INDEXING_EXAMPLES) -> Picture:
    """Chapter 2: a 3×4 matrix m = arange(12).reshape(3, 4), one panel per selection.

    `examples` pairs a label with the index it shows; the picked cells are orange.
    """
    matrix = np.arange(12).reshape(3, 4)
    columns = min(2, len(examples))
    rows = -(-len(examples) // columns)
    about = "selections of a 3×4 matrix: " + ", ".join(label for label, _ in examples)
    picture, axes = _new_picture(rows, columns, 3.4 * columns, 2.5 * rows, about=about)
    for ax, (label, index) in zip(axes, examples, strict=True):
        picked = np.zeros(matrix.shape, dtype=bool)
        picked[index] = True
        fills = np.where(picked, HIGHLIGHT, CELL_FILL)
        _grid(ax, matrix, fills=fills)
        ax.text(2, 3.25, label, ha="center", fontsize=12, family="monospace")
        ax.set_xlim(-0.1, 4.1)
        ax.set_ylim(-0.1, 3.8)
    picture.figure.subplots_adjust(
        left=0.02, right=0.98, top=0.98, bottom=0.02, wspace=0.1, hspace=0.1
    )
    return picture


def _storage_row(ax, values, y, fill, label):
    ax.text(-0.3, y + 0.5, label, ha="right", va="center", fontsize=10)
    for position, value in enumerate(values):
        _cell(ax, position, y, f"{value:g}", fill, fontsize=10)


def _row_start_arrows(ax, x0, y0):
    """Arrows from the first cell of each row of a 2×3 grid to where that row starts in memory."""
    for row, (start, end) in enumerate(
        (((x0, y0 + 1.5), (0.5, 1.0)), ((x0 + 0.5, y0), (3.5, 1.0)))
    ):
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            color=EDGE,
            linewidth=1.2,
            connectionstyle=f"arc3,rad={0.3 if row == 0 else -0.2}",
            zorder=5,
        )
        arrow.set_mutation_scale(12)
        ax.add_patch(arrow)
    ax.text(x0 + 3.2, y0 + 1.5, "row 0 starts at item 0", va="center", fontsize=9)
    ax.text(x0 + 3.2, y0 + 0.5, "row 1 starts at item 3", va="center", fontsize=9)


def view_versus_copy() -> Picture:
    """Chapter 2: a view reads its base's memory; a clone owns a copy of it (two panels)."""
    about = "a view shares its base's memory; a clone has its own"
    picture, axes = _new_picture(2, 1, 7.0, 6.0, [5.6, 6.9], about)
    values = np.arange(6)
    top = 2.2  # the grids sit above the memory rows
    for ax, is_view in zip(axes, (True, False), strict=True):
        fill = SHARED if is_view else OWN
        _grid(ax, values.reshape(2, 3), x0=1.5, y0=top, fills=[[fill] * 3] * 2)
        _row_start_arrows(ax, 1.5, top)
        if is_view:
            title, note = "b = a.view(2, 3)", "one block of memory: change b, and a changes too"
            _storage_row(ax, values, 0, SHARED, "memory of a and b")
        else:
            title, note = "c = a.view(2, 3).clone()", "c has memory of its own: a is never touched"
            _storage_row(ax, values, 0, OWN, "memory of c")
            _storage_row(ax, values, -1.3, SHARED, "memory of a")
        ax.text(3.0, top + 2.35, title, ha="center", fontsize=11, family="monospace")
        ax.text(3.0, -0.25 if is_view else -1.55, note, ha="center", va="top", fontsize=10)
        ax.set_xlim(-3.6, 8.0)
        ax.set_ylim(-0.9 if is_view else -2.2, top + 2.7)
    picture.figure.subplots_adjust(left=0.01, right=0.99, top=0.99, bottom=0.01, hspace=0.08)
    return picture
