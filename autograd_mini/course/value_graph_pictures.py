"""Pictures for "Build your own autograd": the graph of the reader's own values.

`draw_value_graph` reads only what the reader's `Value` keeps (`inputs`, `data`, `grad`,
`local_grads`), so it draws the reader's graph, before or after `backward()`. Leaves stand on the
left, the output on the right; every arrow points from an input to the value made from it and is
labelled with its local derivative. Returns a `Picture` (figures.py: the course's one picture
convention).
"""

from matplotlib.patches import FancyBboxPatch

from autograd_mini.course.figures import BLUE, GREY, PALE_BLUE, PALE_ORANGE, VERMILION, Picture

BOX, LEAF = PALE_BLUE, PALE_ORANGE
EDGE, ORDER = BLUE, VERMILION
_COLUMN = 2.3  # distance between columns, in the picture's units (about an inch at 100 %)
_ROW = 1.0
_BOX_WIDTH = 1.55
_LINE_HEIGHT = 0.24  # one line of text in a box
_LABEL_AT = 0.4  # where along an arrow its local derivative is written: where arrows fan out


def _every_value(root) -> list:
    """Every value the root depends on, root first (an iterative walk: graphs may be deep)."""
    found, stack = {id(root): root}, [root]
    while stack:
        for input_value in stack.pop().inputs:
            if id(input_value) not in found:
                found[id(input_value)] = input_value
                stack.append(input_value)
    return list(found.values())


def _columns(values) -> dict[int, int]:
    """Column of each value: leaves in column 0, every other value right of all its inputs."""
    column: dict[int, int] = {}
    pending = list(values)
    while pending:
        waiting = []
        for value in pending:
            if all(id(i) in column for i in value.inputs):
                column[id(value)] = 1 + max((column[id(i)] for i in value.inputs), default=-1)
            else:
                waiting.append(value)
        pending = waiting
    return column


def _number(value) -> str:
    return f"{float(value):g}"


def draw_value_graph(
    root,
    names: dict,
    gradients: bool = False,
    order: list | None = None,
    rows: dict | None = None,
) -> Picture:
    """Draw the graph behind `root`: one box per value, one arrow per input.

    `names` maps values to the label shown in their box (values not in it show their number
    only). With `gradients=True` each box also shows `.grad`; with `order` (a list of the values,
    as `topological_order` returns it) each box carries its position in that order. `rows` may
    place chosen values at a height of their own (0 is the middle), to keep arrows apart.
    """
    values = _every_value(root)
    box_height = _LINE_HEIGHT * (3 if gradients else 2) + 0.16
    column = _columns(values)
    by_column: dict[int, list] = {}
    for value in values:
        by_column.setdefault(column[id(value)], []).append(value)
    rows = rows or {}
    position = {}
    for index, members in by_column.items():
        members.sort(key=lambda v: names.get(v, ""))
        for row, value in enumerate(members):
            height_here = rows.get(value, (len(members) - 1) / 2 - row)
            position[id(value)] = (index * _COLUMN, height_here * _ROW)
    heights = [y for _, y in position.values()]
    width = _COLUMN * max(by_column) + _BOX_WIDTH
    height = max(heights) - min(heights) + box_height
    size = (0.8 * width + 0.2, 0.8 * height + 0.3)
    picture = Picture(
        *size, f"the graph of {len(values)} values" + (", with grads" if gradients else "")
    )
    axis = picture.figure.subplots()
    step = {id(value): number for number, value in enumerate(order or [], start=1)}
    for value in values:
        x, y = position[id(value)]
        lines = [names.get(value, ""), f"data {_number(value.data)}"]
        if gradients:
            lines.append(f"grad {_number(value.grad)}")
        text = "\n".join(line for line in lines if line)
        colour = LEAF if not value.inputs else BOX
        axis.add_patch(
            FancyBboxPatch(
                (x - _BOX_WIDTH / 2, y - box_height / 2),
                _BOX_WIDTH,
                box_height,
                boxstyle="round,pad=0.04",
                facecolor=colour,
                edgecolor=GREY,
                linewidth=1,
            )
        )
        axis.text(x, y, text, ha="center", va="center", fontsize=10.5, family="monospace")
        if id(value) in step:
            axis.text(
                x + _BOX_WIDTH / 2,
                y + box_height / 2,
                str(step[id(value)]),
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": ORDER, "edgecolor": "none"},
            )
    for value in values:
        seen: dict[int, int] = {}
        for input_value, local in zip(value.inputs, value.local_grads, strict=False):
            repeat = seen.get(id(input_value), 0)
            seen[id(input_value)] = repeat + 1
            start, end = position[id(input_value)], position[id(value)]
            bend = -0.35 if repeat else 0.0
            axis.annotate(
                "",
                xy=(end[0] - _BOX_WIDTH / 2 - 0.03, end[1]),
                xytext=(start[0] + _BOX_WIDTH / 2 + 0.03, start[1]),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": EDGE,
                    "linewidth": 1.2,
                    "connectionstyle": f"arc3,rad={bend}",
                },
            )
            middle_x = start[0] + _LABEL_AT * (end[0] - start[0])
            middle_y = start[1] + _LABEL_AT * (end[1] - start[1]) - (0.2 if repeat else 0.0)
            if isinstance(local, int | float):
                axis.text(
                    middle_x,
                    middle_y,
                    f"×{_number(local)}",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=EDGE,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                )
    axis.set_xlim(-_BOX_WIDTH / 2 - 0.1, width - _BOX_WIDTH / 2 + 0.2)
    axis.set_ylim(min(heights) - box_height / 2 - 0.15, max(heights) + box_height / 2 + 0.15)
    axis.axis("off")
    picture.figure.tight_layout()
    return picture
