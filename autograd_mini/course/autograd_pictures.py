"""Pictures for chapter 4: zooming into a curve, finite-difference errors, a fitted line.

Each function returns a `Picture` (figures.py: the course's one picture convention).
"""

from collections.abc import Callable, Sequence

import numpy as np

from autograd_mini.course.figures import BLUE, EDGE, ORANGE, VERMILION, Picture
from autograd_mini.course.numeric import difference_errors, log_steps

CURVE, TANGENT = BLUE, VERMILION
TORCH, MINI = ORANGE, BLUE


def plot_zoom_to_tangent(
    f: Callable[[np.ndarray], np.ndarray],
    x0: float,
    slope: float,
    widths: Sequence[float] = (8.0, 1.0, 0.1),
    label: str = "f(x)",
) -> Picture:
    """Three panels zooming into `f` around `x0`: close up, the curve and its tangent line merge."""
    picture = Picture(2.6 * len(widths), 2.6, f"{label} and its tangent at x = {x0:g}, zoomed in")
    axes = picture.figure.subplots(1, len(widths))
    y0 = float(f(np.array(x0)))
    for axis, width in zip(axes, widths, strict=True):
        xs = np.linspace(x0 - width, x0 + width, 200)
        axis.plot(xs, f(xs), color=CURVE, linewidth=2.5, label=label)
        axis.plot(xs, y0 + slope * (xs - x0), color=TANGENT, linestyle="--", label="tangent")
        axis.plot([x0], [y0], "o", color=EDGE, markersize=4)
        axis.set_title(f"x from {x0 - width:g} to {x0 + width:g}", fontsize=9)
        axis.tick_params(labelsize=7)
    axes[0].legend(fontsize=8, loc="upper left")
    picture.figure.tight_layout()
    return picture


def plot_difference_errors(
    f: Callable[[float], float],
    true_slope,
    x: float,
    autograd_slope: float,
    steps: Sequence[float] | None = None,
) -> Picture:
    """Error of forward and central differences against the step h (log-log), and autograd's error.

    `true_slope` should be more precise than a float64 (an mpmath number with 30 digits, say), so
    that autograd's own error, the rounding of a few float64 operations, is measured rather than
    hidden. Every distance is drawn where it is; an error of exactly 0, which a log scale cannot
    show, is drawn on the bottom edge and its label says so.
    """
    steps = list(steps) if steps is not None else log_steps(1.0, 1e-12, 4)
    errors = difference_errors(f, true_slope, x, steps)
    autograd_error = float(abs(autograd_slope - true_slope))
    nonzero = [e for e in [*errors["forward"], *errors["central"], autograd_error] if e > 0]
    bottom = min(nonzero) / 10
    picture = Picture(6.4, 3.2, "errors of forward and central differences, and of autograd")
    axis = picture.figure.subplots()
    for name, marker in (("forward", "s-"), ("central", "o-")):
        shown = [error if error > 0 else bottom for error in errors[name]]
        axis.loglog(steps, shown, marker, markersize=3, label=name)
    if autograd_error > 0:
        text = f"autograd (off by {autograd_error:.1e})"
    else:
        text = "autograd (off by 0, drawn on the bottom edge)"
    axis.axhline(max(autograd_error, bottom), color=EDGE, linestyle=":", label=text)
    axis.invert_xaxis()
    axis.set_xlabel("step h (smaller to the right)")
    axis.set_ylabel("distance from the true slope")
    axis.legend(fontsize=8, loc="upper center", ncol=3)
    axis.set_ylim(bottom, 10)
    axis.grid(True, which="major", alpha=0.3)
    picture.figure.tight_layout()
    return picture


def plot_fit(
    x: np.ndarray,
    y: np.ndarray,
    losses: dict[str, Sequence[float]],
    lines: dict[str, tuple[float, float]],
) -> Picture:
    """Left: loss per step for each library. Right: the data and each library's fitted line."""
    picture = Picture(7.6, 3.0, "loss per step and the fitted lines of " + ", ".join(losses))
    left, right = picture.figure.subplots(1, 2)
    styles = [{"color": TORCH, "linewidth": 3.5, "alpha": 0.6}, {"color": MINI, "linestyle": "--"}]
    for (name, curve), style in zip(losses.items(), styles, strict=False):
        left.plot(range(len(curve)), curve, label=name, **style)
    left.set_yscale("log")
    left.set_xlabel("step")
    left.set_ylabel("loss (mean squared error)")
    left.legend(fontsize=8)
    right.scatter(x, y, s=12, color="grey", label="data")
    xs = np.linspace(float(np.min(x)), float(np.max(x)), 2)
    for (name, (w, b)), style in zip(lines.items(), styles, strict=False):
        right.plot(xs, w * xs + b, label=f"{name}: y = {w:.3f}x + {b:.3f}", **style)
    right.set_xlabel("x")
    right.set_ylabel("y")
    right.legend(fontsize=7, loc="upper left")
    picture.figure.tight_layout()
    return picture


def plot_descent_path(
    x: np.ndarray,
    y: np.ndarray,
    path: Sequence[tuple[float, float]],
    w_range: tuple[float, float] = (-0.5, 3.0),
    b_range: tuple[float, float] = (-1.0, 1.5),
) -> Picture:
    """Contours of the mean squared error of y ≈ w x + b over (w, b), and the steps taken."""
    x64, y64 = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    ws = np.linspace(*w_range, 121)
    bs = np.linspace(*b_range, 101)
    grid_w, grid_b = np.meshgrid(ws, bs)
    residuals = grid_w[..., None] * x64 + grid_b[..., None] - y64
    loss = (residuals**2).mean(axis=-1)
    picture = Picture(5.0, 3.6, f"{len(path) - 1} steps of gradient descent over the loss")
    axis = picture.figure.subplots()
    levels = np.geomspace(loss.min() * 1.05, loss.max(), 12)
    contours = axis.contour(grid_w, grid_b, loss, levels=levels, cmap="viridis", linewidths=1)
    axis.clabel(contours, fontsize=7, fmt="%.2g")
    steps = np.asarray(path, dtype=np.float64)
    axis.plot(steps[:, 0], steps[:, 1], "o-", color=TANGENT, markersize=3, linewidth=1.2)
    axis.annotate("start", steps[0], textcoords="offset points", xytext=(6, -12), fontsize=8)
    axis.annotate("end", steps[-1], textcoords="offset points", xytext=(6, 6), fontsize=8)
    axis.set_xlabel("w (slope)")
    axis.set_ylabel("b (offset)")
    axis.set_title("loss over (w, b), and the steps of gradient descent", fontsize=9)
    picture.figure.tight_layout()
    return picture
