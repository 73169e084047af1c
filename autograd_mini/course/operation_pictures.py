"""Pictures for chapter 3: broadcasting, reductions and matrix multiplication.

Each public function returns a `Picture` (figures.py: the course's one picture convention). The
functions accept numpy arrays, nested lists, torch tensors or autograd_mini tensors; they only read
values and shapes.
"""

import numpy as np
from matplotlib.patches import Rectangle

from autograd_mini.course.figures import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    SKY,
    VERMILION,
    YELLOW,
    Picture,
)

_GROUP_COLOURS = [SKY, ORANGE, GREEN, PURPLE, YELLOW, BLUE]


def _values(data) -> np.ndarray:
    """The values of a tensor (torch or autograd_mini), an array or a nested list, as numpy."""
    if hasattr(data, "detach"):
        data = data.detach()
    if hasattr(data, "numpy"):
        data = data.numpy()
    return np.asarray(data)


def _number(value) -> str:
    """A short label for one entry: whole numbers without a decimal point, others with two."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}"


_INCHES_PER_CELL = 0.42


def _new_picture() -> tuple[Picture, object]:
    picture = Picture(1, 1)
    axes = picture.figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.set_aspect("equal")
    return picture, axes


def _finish(picture, axes, xlim, ylim) -> None:
    """Frame the drawing and size the picture so that one grid cell is always the same size."""
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    width, height = xlim[1] - xlim[0], ylim[1] - ylim[0]
    picture.figure.set_size_inches(width * _INCHES_PER_CELL, height * _INCHES_PER_CELL)


def _cell(axes, x, y, text, colour, *, faded=False, dashed=False, size=1.0, fontsize=12):
    """One square of a grid with its label; faded cells are copies made by stretching."""
    axes.add_patch(
        Rectangle(
            (x, y),
            size,
            size,
            facecolor=colour,
            alpha=0.35 if faded else 0.9,
            edgecolor="black",
            linestyle="--" if dashed else "-",
            linewidth=1.0,
            hatch="//" if faded else None,
        )
    )
    axes.text(x + size / 2, y + size / 2, text, ha="center", va="center", fontsize=fontsize)


def _grid(axes, values, x0, y0, colours, faded=None, title=""):
    """Draw a 2-D array with its top-left corner at (x0, y0); rows go down the page."""
    rows, columns = values.shape
    for i in range(rows):
        for j in range(columns):
            is_faded = bool(faded[i, j]) if faded is not None else False
            _cell(axes, x0 + j, y0 - i - 1, _number(values[i, j]), colours[i][j], faded=is_faded)
    if title:
        axes.text(x0 + columns / 2, y0 + 0.35, title, ha="center", va="bottom", fontsize=11)


def _as_matrix(values: np.ndarray) -> np.ndarray:
    """Show a number as a 1x1 grid and a vector as one row, the way broadcasting lines it up."""
    return values.reshape((1,) * (2 - values.ndim) + values.shape)


# --- Broadcasting -------------------------------------------------------------------------------


def broadcast_alignment(shape_a, shape_b) -> list[dict]:
    """Line two shapes up from the right, the way broadcasting does, one entry per dimension.

    Each entry says, for one dimension of the result (left to right): the sizes of `a` and `b`
    (None where a shape is too short and gets a leading 1), whether that size-1 dimension is
    stretched, the size of the result, and whether the two sizes clash.
    """
    shape_a, shape_b = tuple(shape_a), tuple(shape_b)
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (None,) * (ndim - len(shape_a)) + shape_a
    padded_b = (None,) * (ndim - len(shape_b)) + shape_b
    columns = []
    for dim, (size_a, size_b) in enumerate(zip(padded_a, padded_b, strict=True)):
        a, b = 1 if size_a is None else size_a, 1 if size_b is None else size_b
        clash = a != b and a != 1 and b != 1
        result = None if clash else max(a, b) if 1 in (a, b) else a
        columns.append(
            {
                "dim": dim,
                "a": size_a,
                "b": size_b,
                "a_stretched": not clash and a == 1 and result != 1,
                "b_stretched": not clash and b == 1 and result != 1,
                "result": result,
                "clash": clash,
            }
        )
    return columns


def broadcast_rule_picture(shape_a, shape_b) -> Picture:
    """The broadcasting rule as a table: shapes aligned from the right, size-1 dimensions stretched.

    Missing leading dimensions are drawn as dashed boxes holding 1, stretched sizes in orange with
    an arrow to the new size, a clash in vermilion with a cross in the result row.
    """
    columns = broadcast_alignment(shape_a, shape_b)
    ndim = len(columns)
    picture, axes = _new_picture()
    labels = [("a", tuple(shape_a)), ("b", tuple(shape_b))]
    for row, (name, shape) in enumerate(labels):
        y = -row * 1.2
        axes.text(-0.3, y + 0.5, f"{name}: {shape}", ha="right", va="center", fontsize=12)
        for column in columns:
            size, stretched = column[name], column[f"{name}_stretched"]
            x = column["dim"] * 1.5
            if column["clash"]:
                colour, text = VERMILION, str(size)
            elif stretched:
                shown = 1 if size is None else size
                colour, text = ORANGE, f"{shown}→{column['result']}"
            else:
                colour, text = SKY, str(size if size is not None else 1)
            _cell(axes, x, y, text, colour, dashed=size is None)
    y = -2 * 1.2 - 0.3
    axes.plot([-0.2, ndim * 1.5 - 0.3], [y + 1.15, y + 1.15], color="black", linewidth=1.5)
    clash = [column for column in columns if column["clash"]]
    if clash:
        result_label = "result: ✗"
    else:
        result_label = f"result: {tuple(column['result'] for column in columns)}"
    axes.text(-0.3, y + 0.5, result_label, ha="right", va="center", fontsize=12)
    for column in columns:
        text = "✗" if column["clash"] else str(column["result"])
        colour = VERMILION if column["clash"] else GREEN
        _cell(axes, column["dim"] * 1.5, y, text, colour)
        axes.text(column["dim"] * 1.5 + 0.5, 1.15, f"dim {column['dim']}", ha="center", fontsize=10)
    if clash:
        first = clash[0]
        caption = (
            f"sizes {first['a']} and {first['b']} differ and neither is 1 "
            f"(dimension {first['dim']}): no broadcast"
        )
    else:
        caption = "aligned from the right; a size 1 (or a missing size) stretches to match"
    axes.text(-2.4, y - 0.55, caption, ha="left", va="top", fontsize=10, style="italic")
    _finish(picture, axes, (-2.5, ndim * 1.5), (y - 1.0, 1.6))
    picture.description = f"broadcasting {tuple(shape_a)} with {tuple(shape_b)}"
    return picture


def broadcast_values_picture(a, b, operator: str = "+") -> Picture:
    """Two small arrays stretched to a common shape, then combined entry by entry.

    Entries that broadcasting copies (they are not stored anywhere) are hatched and pale.
    Works for numbers, vectors and matrices (at most two dimensions).
    """
    a, b = _values(a), _values(b)
    if max(a.ndim, b.ndim) > 2:
        raise ValueError("broadcast_values_picture draws at most two dimensions")
    a2, b2 = _as_matrix(a), _as_matrix(b)
    shape = np.broadcast_shapes(a2.shape, b2.shape)
    combine = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[operator]
    result = combine(np.broadcast_to(a2, shape), np.broadcast_to(b2, shape))
    rows, columns = shape
    picture, axes = _new_picture()
    panels = [(a, a2, SKY, "a"), (b, b2, ORANGE, "b")]
    x = 0.0
    for index, (original, matrix, colour, name) in enumerate(panels):
        stretched = np.broadcast_to(matrix, shape)
        faded = np.ones(shape, dtype=bool)
        faded[: matrix.shape[0], : matrix.shape[1]] = False
        _grid(
            axes,
            stretched,
            x,
            0,
            [[colour] * columns] * rows,
            faded,
            title=f"{name}, shape {tuple(original.shape)}",
        )
        x += columns
        sign = operator if index == 0 else "="
        axes.text(x + 0.5, -rows / 2, sign, ha="center", va="center", fontsize=18)
        x += 1
    _grid(axes, result, x, 0, [[GREEN] * columns] * rows, title=f"result, shape {shape}")
    _finish(picture, axes, (-0.2, x + columns + 0.2), (-rows - 0.5, 1.1))
    picture.description = f"a {tuple(a.shape)} {operator} b {tuple(b.shape)} -> {shape}"
    return picture


def _next_panel(x: float, panel: tuple[int, str], following: tuple[int, str]) -> float:
    """Where the next grid starts so that neither the grids nor their centred titles overlap.

    A panel is (width in cells, title); a title of n characters is about 0.22 n cells wide.
    """
    (width, title), (next_width, next_title) = panel, following
    centre_gap = max(width / 2 + next_width / 2, 0.22 * (len(title) + len(next_title)) / 2)
    return x + width / 2 + centre_gap + 1.0 - next_width / 2


# --- Reductions ---------------------------------------------------------------------------------

_REDUCTIONS = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}


def reduction_picture(data, dim: int, operation: str = "sum") -> Picture:
    """A matrix reduced along one dimension: the entries that are combined share a colour.

    Shows the result twice: as torch returns it by default, and with `keepdim=True`.
    """
    values = _values(data)
    if values.ndim != 2:
        raise ValueError("reduction_picture draws a matrix (two dimensions)")
    if operation not in _REDUCTIONS:
        raise ValueError(f"operation must be one of {sorted(_REDUCTIONS)}")
    dim = dim % 2
    rows, columns = values.shape
    reduced_keep = _REDUCTIONS[operation](values, axis=dim, keepdims=True)
    groups = columns if dim == 0 else rows
    palette = [_GROUP_COLOURS[k % len(_GROUP_COLOURS)] for k in range(groups)]
    colours = [
        [palette[j] if dim == 0 else palette[i] for j in range(columns)] for i in range(rows)
    ]
    keep_colours = [
        [palette[j] if dim == 0 else palette[i] for j in range(reduced_keep.shape[1])]
        for i in range(reduced_keep.shape[0])
    ]
    picture, axes = _new_picture()
    _grid(axes, values, 0, 0, colours, title=f"x, shape {tuple(values.shape)}")
    # One arrow along the dimension that disappears, outside the grid so it hides no number.
    if dim == 0:
        start, end, label_at = (-0.35, -0.1), (-0.35, -rows + 0.1), (-0.55, -rows / 2)
        label = {"ha": "right", "va": "center", "rotation": 90}
    else:
        start, end, label_at = (
            (0.1, -rows - 0.3),
            (columns - 0.1, -rows - 0.3),
            (columns / 2, -rows - 0.4),
        )
        label = {"ha": "center", "va": "top"}
    axes.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "linewidth": 1.5})
    axes.text(*label_at, f"dim {dim}", fontsize=10, **label)
    kept_shape = tuple(reduced_keep.shape)
    plain_shape = tuple(size for k, size in enumerate(kept_shape) if k != dim)
    plain = reduced_keep.reshape(1, -1)
    panels = [
        (values.shape[1], f"x, shape {tuple(values.shape)}"),
        (reduced_keep.shape[1], f"keepdim=True: {kept_shape}"),
        (plain.shape[1], f"default: {plain_shape}"),
    ]
    x_keep = _next_panel(0.0, panels[0], panels[1])
    _grid(axes, reduced_keep, x_keep, 0, keep_colours, title=panels[1][1])
    x = _next_panel(x_keep, panels[1], panels[2])
    _grid(axes, plain, x, 0, [palette[:groups]], title=panels[2][1])
    axes.text(
        -1.2,
        -rows - 1.1,
        f"x.{operation}(dim={dim}): dimension {dim} ({values.shape[dim]} entries) is combined away",
        ha="left",
        va="top",
        fontsize=10,
        style="italic",
    )
    _finish(picture, axes, (-1.3, x + plain.shape[1] + 0.2), (-rows - 1.8, 1.2))
    picture.description = f"{operation} over dim {dim} of shape {tuple(values.shape)}"
    return picture


# --- Matrix multiplication ----------------------------------------------------------------------


def matmul_shapes_picture(shape_a, shape_b) -> Picture:
    """Two matrices as rectangles: the inner sizes must agree, the outer sizes make the result."""
    (n, k_a), (k_b, m) = tuple(shape_a), tuple(shape_b)
    fits = k_a == k_b
    inner_colour = GREEN if fits else VERMILION
    tallest = max(n, k_b)
    picture, axes = _new_picture()
    pieces = [("a", n, k_a, SKY), ("b", k_b, m, ORANGE)]
    if fits:
        pieces.append(("a @ b", n, m, GREEN))
    x = 0.0
    for index, (name, height, width, colour) in enumerate(pieces):
        axes.add_patch(
            Rectangle((x, -height), width, height, facecolor=colour, alpha=0.8, edgecolor="black")
        )
        axes.text(x + width / 2, 0.3, f"{name}: {height}×{width}", ha="center", fontsize=12)
        # The inner sizes (columns of a, rows of b) are the ones that must agree.
        is_inner_width, is_inner_height = index == 0, index == 1
        axes.text(
            x - 0.2,
            -height / 2,
            str(height),
            ha="right",
            va="center",
            fontsize=12,
            color=inner_colour if is_inner_height else "black",
            fontweight="bold" if is_inner_height else "normal",
        )
        axes.text(
            x + width / 2,
            -height - 0.2,
            str(width),
            ha="center",
            va="top",
            fontsize=12,
            color=inner_colour if is_inner_width else "black",
            fontweight="bold" if is_inner_width else "normal",
        )
        x += width + 2.2
        if index < len(pieces) - 1:
            axes.text(x - 1.1, -tallest / 2, "@="[index], ha="center", va="center", fontsize=20)
    verdict = f"inner sizes {k_a} and {k_b} " + ("agree" if fits else "differ: ✗")
    axes.text(-0.6, -tallest - 1.2, verdict, fontsize=12, color=inner_colour)
    outcome = (
        f"({n}×{k_a}) @ ({k_b}×{m}) → ({n}×{m}): the outer sizes make the result"
        if fits
        else f"mat1 and mat2 shapes cannot be multiplied ({n}x{k_a} and {k_b}x{m})"
    )
    axes.text(-0.6, -tallest - 2.0, outcome, fontsize=11, style="italic")
    _finish(picture, axes, (-1.0, max(x, 12.0)), (-tallest - 2.6, 1.1))
    picture.description = f"matmul shapes {tuple(shape_a)} @ {tuple(shape_b)}"
    return picture


def matmul_picture(a, b, row: int = 0, column: int = 0) -> Picture:
    """`a @ b` with one row of `a`, one column of `b` and the entry they make highlighted."""
    a, b = _values(a), _values(b)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("matmul_picture needs an (n, k) and a (k, m) matrix")
    result = a @ b
    (n, k), m = a.shape, b.shape[1]
    picture, axes = _new_picture()
    colours_a = [[SKY if i == row else "white" for _ in range(k)] for i in range(n)]
    colours_b = [[ORANGE if j == column else "white" for j in range(m)] for _ in range(k)]
    colours_r = [
        [GREEN if (i, j) == (row, column) else "white" for j in range(m)] for i in range(n)
    ]
    _grid(axes, a, 0, 0, colours_a, title=f"a: {n}×{k}")
    axes.text(k + 0.5, -1, "@", ha="center", va="center", fontsize=18)
    _grid(axes, b, k + 1, 0, colours_b, title=f"b: {k}×{m}")
    axes.text(k + m + 1.5, -1, "=", ha="center", va="center", fontsize=18)
    _grid(axes, result, k + m + 2, 0, colours_r, title=f"a @ b: {n}×{m}")
    products = " + ".join(f"{_number(a[row, t])}·{_number(b[t, column])}" for t in range(k))
    formula = f"row {row} of a · column {column} of b = {products} = {_number(result[row, column])}"
    axes.text(0, -max(n, k) - 0.4, formula, ha="left", va="top", fontsize=11)
    _finish(picture, axes, (-0.2, k + 2 * m + 2.2), (-max(n, k) - 1.2, 1.2))
    picture.description = f"matmul {a.shape} @ {b.shape}, entry ({row}, {column})"
    return picture


def multiply_versus_matmul_picture(a, b) -> Picture:
    """Side by side: `a * b` pairs entries in the same place; `a @ b` pairs rows with columns."""
    a, b = _values(a), _values(b)
    if a.shape != b.shape or a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError("multiply_versus_matmul_picture needs two square matrices of one shape")
    size = a.shape[0]
    picture, axes = _new_picture()
    pair_colours = [[_GROUP_COLOURS[(i * size + j) % 6] for j in range(size)] for i in range(size)]
    x = 0.0
    _grid(axes, a, x, 0, pair_colours, title="a")
    axes.text(x + size + 0.5, -size / 2, "*", ha="center", va="center", fontsize=18)
    _grid(axes, b, x + size + 1, 0, pair_colours, title="b")
    axes.text(x + 2 * size + 1.5, -size / 2, "=", ha="center", va="center", fontsize=18)
    _grid(axes, a * b, x + 2 * size + 2, 0, pair_colours, title="a * b")
    axes.text(x, -size - 0.3, "same place × same place", va="top", fontsize=10, style="italic")
    x = 3 * size + 3.5
    rows = [[SKY if i == 0 else "white" for _ in range(size)] for i in range(size)]
    cols = [[ORANGE if j == 0 else "white" for j in range(size)] for _ in range(size)]
    out = [[GREEN if (i, j) == (0, 0) else "white" for j in range(size)] for i in range(size)]
    _grid(axes, a, x, 0, rows, title="a")
    axes.text(x + size + 0.5, -size / 2, "@", ha="center", va="center", fontsize=18)
    _grid(axes, b, x + size + 1, 0, cols, title="b")
    axes.text(x + 2 * size + 1.5, -size / 2, "=", ha="center", va="center", fontsize=18)
    _grid(axes, a @ b, x + 2 * size + 2, 0, out, title="a @ b")
    axes.text(x, -size - 0.3, "row · column, summed", va="top", fontsize=10, style="italic")
    _finish(picture, axes, (-0.2, x + 3 * size + 2.2), (-size - 1.0, 1.2))
    picture.description = f"a * b versus a @ b for {size}×{size} matrices"
    return picture
