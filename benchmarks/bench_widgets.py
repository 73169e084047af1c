"""Explorer benchmark: median live slider update (recompute + redraw) and static export sizes.

A live update is what one slider move costs in a kernel: the ipywidgets FloatSlider's value
changes, ``.observe`` fires, autograd_mini and torch recompute f and its derivatives at the new
point, and the SVG and the readout are rebuilt and assigned to the HTML widgets (the transfer to
the browser is not included). Target: a median of at most 50 ms. Every value moved to is new, so
no cached result is reused. Run ``.venv/bin/python benchmarks/bench_widgets.py`` or ``make bench``.
"""

import statistics
import time

import numpy as np

import autograd_mini as am
from autograd_mini.widgets import graph_view, partials_explorer, tangent_explorer

TARGET_MS = 50.0


def _median_update_ms(explorer, slider_name, values) -> tuple[float, float]:
    explorer.widget()
    control = explorer._controls[slider_name]
    times = []
    for value in values:
        start = time.perf_counter()
        control.value = float(value)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    rng = np.random.default_rng(0)
    tangent = tangent_explorer(
        "sin(x / (2**1.5)) * exp(-x**2 / 8)", (-4, 4), x0=1, second_derivative=True
    )
    partials = partials_explorer("u**2 * v + sin(u) * cos(v)", (-2, 2), (-2, 2))
    x = am.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = am.tensor([0.5, -1.0, 2.0], requires_grad=True)
    graph = graph_view(((x * w).sin() + x**2).sum().tanh(), names={"x": x, "w": w})

    rows = []
    cases = [
        ("tangent_explorer (x0 slider)", tangent, "x0", rng.uniform(-4, 4, 200)),
        ("partials_explorer (u0 slider)", partials, "u0", rng.uniform(-2, 2, 200)),
        ("graph_view (backward step)", graph, "step", np.tile(np.arange(len(graph.order) + 1), 10)),
    ]
    for name, explorer, slider, values in cases:
        median, worst = _median_update_ms(explorer, slider, values)
        start = time.perf_counter()
        html = type(explorer).to_html(explorer)
        build = (time.perf_counter() - start) * 1000
        frames = np.prod([len(s.values) for s in explorer.sliders])
        rows.append((name, median, worst, len(html.encode()) / 1000, frames, build))

    print(
        f"{'explorer':32} {'median ms':>10} {'max ms':>8} {'export KB':>10} {'frames':>7} "
        f"{'export ms':>10}"
    )
    for name, median, worst, size, frames, build in rows:
        print(f"{name:32} {median:10.2f} {worst:8.2f} {size:10.1f} {frames:7d} {build:10.0f}")
    verdict = "meets" if all(r[1] <= TARGET_MS for r in rows) else "MISSES"
    print(f"median slider update {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
