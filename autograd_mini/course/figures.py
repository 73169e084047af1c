"""The course's one picture convention: a palette, a size, and how a figure becomes an output.

Every picture function in ``autograd_mini.course`` draws on a `Picture` and returns it. Its
``figure`` is a matplotlib Figure that pyplot never sees: no global state, nothing left open. In
a notebook a picture shows once, as a PNG at `DPI`: as the value of the cell, or, when the cell
assigns it (``figure = plot_fit(...)``), as the cell ends, as a pyplot figure would. Tests read
its words with `Picture.texts`.
"""

import sys
from io import BytesIO

from matplotlib.figure import Figure

__all__ = ["DPI", "Picture", "PALETTE"]

DPI = 90  # small pictures keep the book's pages light

# Okabe-Ito colours: distinguishable with the common forms of colour blindness.
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, YELLOW, GREY = "#56B4E9", "#CC79A7", "#F0E442", "#999999"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, GREY)
EDGE = "#333333"  # outlines and arrows
PAPER = "#f2f2f2"  # the fill of a plain cell or box
PALE_BLUE, PALE_ORANGE = "#e3f0fa", "#fcefd9"  # fills that keep a box's text easy to read


class Picture:
    """A finished figure: ``figure`` is the matplotlib Figure (``width`` by ``height`` inches) to
    draw on; ``description`` is the picture's short text form."""

    def __init__(self, width: float, height: float, description: str = "picture"):
        self.figure = Figure(figsize=(width, height), dpi=DPI)
        self.description = description
        self.shown = False
        _show_when_the_cell_ends(self)

    def _repr_png_(self) -> bytes:
        """The picture as PNG bytes, cropped to what is drawn (no timestamp: stable outputs)."""
        self.shown = True
        buffer = BytesIO()
        self.figure.savefig(
            buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None}
        )
        return buffer.getvalue()

    def texts(self) -> list[str]:
        """Every piece of text drawn in the picture (what tests and screen readers can check)."""
        found = [text.get_text() for text in self.figure.texts]
        for axes in self.figure.axes:
            found += [text.get_text() for text in axes.texts]
            found += [axes.get_title(), axes.get_xlabel(), axes.get_ylabel()]
            legend = axes.get_legend()
            found += [text.get_text() for text in legend.get_texts()] if legend else []
        return [text for text in found if text]

    def __repr__(self) -> str:
        return f"<picture: {self.description}>"


_waiting: list[Picture] = []  # pictures made in the running notebook cell


def _show_when_the_cell_ends(picture: Picture) -> None:
    """In IPython, show ``picture`` after the cell that made it, unless the cell showed it."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    if _show_waiting not in shell.events.callbacks["post_execute"]:
        shell.events.register("post_execute", _show_waiting)
    _waiting.append(picture)


def _show_waiting() -> None:
    from IPython.display import display

    for picture in _waiting:
        if not picture.shown:
            display(picture)
    _waiting.clear()
