"""The explorers: slopes equal autograd_mini's and torch's, deterministic exports, live updates."""

import base64
import json
import math
import re

import numpy as np
import pytest
import torch

import autograd_mini as am
from autograd_mini.widgets import graph_view, partials_explorer, tangent_explorer
from autograd_mini.widgets._svg import fmt

FORMULAS = ["x**2", "sin(x / (2**1.5))", "exp(-x**2)", "x**3 - 2*x", "tanh(x) * x"]


def _frames(html: str) -> list[dict[str, str]]:
    """The frames of a static export: per layer, the markup at each slider position ("i j")."""
    (payload,) = re.findall(
        r'<script type="application/json" class="amw-frames" data-for="[^"]+">(.*?)</script>', html
    )
    return json.loads(payload)


def _shown(html: str) -> dict[str, str]:
    """What shows before any script runs: each layer's element, keyed by its layer number."""
    return dict(re.findall(r'data-layer="(\d+)" data-follows="[\d ]+" data-key="([\d ]+)"', html))


def _mini_slope(f, x0):
    x = am.tensor(x0, dtype=am.float64, requires_grad=True)
    (g,) = am.grad(f(x), [x])
    return g.item()


def _torch_slope(f, x0):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x), [x])
    return g.item()


@pytest.mark.parametrize("text", FORMULAS)
def test_slopes_shown_equal_autograd_mini_and_torch_on_a_grid(text):
    explorer = tangent_explorer(text, (-2, 2), step=0.5)
    for x0 in explorer.sliders[0].values:
        mini, torch_result = explorer._at(float(x0))
        expected_mini = _mini_slope(explorer.f, float(x0))
        expected_torch = _torch_slope(explorer.f, float(x0))
        assert mini.gradient[0] == expected_mini
        assert torch_result.gradient[0] == expected_torch
        assert math.isclose(expected_mini, expected_torch, rel_tol=1e-9, abs_tol=1e-12)
        line = explorer.readout_text(float(x0))
        shown = f"slope {fmt(expected_mini)} (autograd_mini) = {fmt(expected_torch)} (torch) ✓"
        assert shown in line
        assert f"<td>{fmt(expected_mini)}</td>" in explorer.readout_html(float(x0))


def test_plain_text_readout_is_the_documented_line():
    explorer = tangent_explorer("x**2", (-10, 10), x0=9)
    assert repr(explorer) == (
        "tangent_explorer: f(x) = x**2 at x0 = 9: f = 81, slope 18 (autograd_mini) = 18 (torch) ✓"
    )
    second = tangent_explorer("x**3", (-3, 3), x0=2, second_derivative=True)
    assert repr(second).endswith("f″ 12 (autograd_mini) = 12 (torch) ✓")


def test_static_export_has_a_labelled_range_and_one_frame_per_step():
    explorer = tangent_explorer("sin(x)", (-3, 3), x0=1, step=0.25)
    html = explorer.to_html()
    steps = len(explorer.sliders[0].values)
    assert steps == 25
    picture, readout = _frames(html)  # one picture frame and one readout per step
    assert list(picture) == list(readout) == [str(i) for i in range(steps)]
    assert _shown(html) == {"0": "16", "1": "16"}  # x0 = 1 is step 16 of -3, -2.75, ...
    assert picture["16"] in html and readout["16"] in html
    assert picture["0"] not in html.split('class="amw-frames"')[0]  # other frames only as JSON
    (input_id,) = re.findall(r'<input type="range" id="([^"]+)"', html)
    assert f'<label for="{input_id}">' in html
    assert f'max="{steps - 1}"' in html and 'aria-valuetext="x0 = 1"' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html
    assert len(html.encode()) < 300_000


def test_exports_are_deterministic_and_ids_unique_per_page():
    first = tangent_explorer("x**2", (-3, 3)).to_html()
    again = tangent_explorer("x**2", (-3, 3)).to_html()
    other = tangent_explorer("x**3", (-3, 3)).to_html()
    id_first = re.search(r'id="(amw-tangent-[0-9a-f]+)"', first).group(1)
    id_again = re.search(r'id="(amw-tangent-[0-9a-f-]+)"', again).group(1)
    id_other = re.search(r'id="(amw-tangent-[0-9a-f-]+)"', other).group(1)
    assert id_again == id_first + "-2"  # same content twice on a page: still distinct ids
    assert id_other != id_first
    assert first.replace(id_first, "ID") == again.replace(id_again, "ID")
    text = re.sub(r"data:image/svg\+xml;base64,[^\"]+", "", first)  # base64 may hold "0x"
    assert "0x" not in text and "<function" not in text


def test_mimebundle_holds_widget_html_and_plain_text():
    explorer = tangent_explorer("x**2", (-10, 10), x0=9)
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {
        "application/vnd.jupyter.widget-view+json",
        "text/html",
        "text/plain",
    }
    assert bundle["text/plain"] == repr(explorer)
    assert bundle["text/html"] == explorer.to_html()


def test_live_widget_updates_picture_and_readout_when_the_slider_moves():
    explorer = tangent_explorer("x**2", (-3, 3), x0=1)
    explorer.widget()
    before_svg, before_readout = explorer._picture.value, explorer._readout.value
    explorer._controls["x0"].value = -2.0
    assert explorer._picture.value != before_svg
    assert explorer._readout.value != before_readout
    assert "<td>-4</td>" in explorer._readout.value  # slope of x**2 at -2
    assert explorer._picture.value == explorer.render_svg(-2.0, element_id=explorer._live_id)


def test_live_formula_box_shows_errors_and_accepts_new_formulas():
    explorer = tangent_explorer("x**2", (-3, 3), x0=1)
    explorer.widget()
    explorer._formula_box.value = "__import__('os')"
    assert "not allowed" in explorer._message.value and "Traceback" not in explorer._message.value
    assert "f(x) = x**2" in explorer._picture.value  # the old function stays
    explorer._formula_box.value = "x**3"
    assert explorer._message.value == ""
    assert "f(x) = x**3" in explorer._picture.value
    assert "<td>3</td>" in explorer._readout.value  # slope of x**3 at 1


def test_callable_functions_and_torch_f():
    def cube(x):
        return x * x * x

    explorer = tangent_explorer(cube, (-2, 2), x0=1)
    assert repr(explorer).startswith("tangent_explorer: cube(x) at x0 = 1: f = 1, slope 3")

    def twice(x):  # am.cat accepts autograd_mini tensors only
        return am.cat([x.reshape(1), x.reshape(1)]).sum()

    def twice_torch(x):
        return torch.cat([x.reshape(1), x.reshape(1)]).sum()

    only_mini = tangent_explorer(twice, (-2, 2), x0=1)
    assert "[torch: " in repr(only_mini) and "slope 2 (autograd_mini)" in repr(only_mini)
    both = tangent_explorer(twice, (-2, 2), x0=1, torch_f=twice_torch)
    assert repr(both).endswith("slope 2 (autograd_mini) = 2 (torch) ✓")


def test_bad_arguments():
    with pytest.raises(ValueError):
        tangent_explorer("x**2", (3, -3))
    with pytest.raises(ValueError):
        tangent_explorer("x**2", (-3, 3), x0=5)
    with pytest.raises(ValueError):
        tangent_explorer("import os", (-3, 3))
    with pytest.raises(TypeError):
        tangent_explorer(42, (-3, 3))


def test_partials_slopes_agree_and_export_has_frames_per_step():
    explorer = partials_explorer("u**2 * v + sin(u)", (-2, 2), (-1, 1), u0=1, v0=0.5, step=0.5)
    assert repr(explorer) == (
        "partials_explorer: f(u, v) = u**2 * v + sin(u) at (u0, v0) = (1, 0.5): f = 1.34147, "
        "∂f/∂u 1.5403 (autograd_mini) = 1.5403 (torch) ✓, ∂f/∂v 1 (autograd_mini) = 1 (torch) ✓"
    )
    u_values, v_values = (s.values for s in explorer.sliders)
    for u0 in u_values:
        for v0 in v_values:
            mini, torch_result = explorer._at(float(u0), float(v0))
            expected = (2 * u0 * v0 + math.cos(u0), u0**2)
            for got, want, other in zip(
                mini.gradient, expected, torch_result.gradient, strict=True
            ):
                assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12)
                assert math.isclose(other, want, rel_tol=1e-12, abs_tol=1e-12)
    html = explorer.to_html()
    u_frames, v_frames, points, readouts = _frames(html)
    assert len(u_frames) == len(u_values) and len(v_frames) == len(v_values)
    combos = len(u_values) * len(v_values)
    assert len(points) == len(readouts) == combos
    # shown before any script runs: one u frame, one v frame, one point frame and one readout
    u_index, v_index = (s.default_index for s in explorer.sliders)
    both = f"{u_index} {v_index}"
    assert _shown(html) == {"0": str(u_index), "1": str(v_index), "2": both, "3": both}
    assert html.count('<input type="range"') == 2 and html.count("<label for=") == 2


def test_partials_default_export_is_small():
    explorer = partials_explorer("sin(u) * cos(v) + u * v**3", (-4, 4), (-4, 4))
    assert [len(s.values) for s in explorer.sliders] == [17, 17]  # the most a default gives
    assert len(explorer.to_html().encode()) < 300_000


def test_partials_live_widget_updates():
    explorer = partials_explorer("u * v", (-2, 2), (-2, 2), u0=1, v0=1)
    explorer.widget()
    explorer._controls["v0"].value = -2.0
    assert "∂f/∂u</td><td>-2</td>" in explorer._readout.value


def _graph(library):
    x = library.tensor(3.0, requires_grad=True)
    w = library.tensor([1.0, 2.0], requires_grad=True)
    y = (x**2 * w).sin().sum() + x
    return x, w, y


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_graph_view_draws_nodes_and_steps_through_backward(library):
    x, w, y = _graph(library)
    view = graph_view(y, names={"x": x, "w": w})
    names = [name for name, _ in view.labels]
    assert names == [
        "AddBackward0",
        "SumBackward0",
        "SinBackward0",
        "MulBackward0",
        "PowBackward0",
        "w (leaf)",
        "x (leaf)",
    ]
    assert x.grad is None and w.grad is None  # the stepper does not touch .grad
    y.backward(retain_graph=True)
    grads = dict(zip(names, view.gradients, strict=True))
    np.testing.assert_allclose(np.asarray(grads["x (leaf)"].tolist()), x.grad.tolist())
    np.testing.assert_allclose(np.asarray(grads["w (leaf)"].tolist()), w.grad.tolist())
    html = view.to_html()
    assert [len(layer) for layer in _frames(html)] == [len(names) + 1] * 2  # boxes, sentence
    assert 'type="range"' in html and "backward step" in html
    assert "grad = " not in view.render_svg(0) and "grad = 1" in view.render_svg(1)


def test_graph_views_of_both_libraries_print_the_same():
    views = [graph_view(_graph(lib)[2]) for lib in (am, torch)]
    texts = [repr(v).replace("torch", "LIB").replace("autograd_mini", "LIB") for v in views]
    assert texts[0] == texts[1]
    assert views[0].to_html().replace("autograd_mini", "torch").count("<rect") == views[
        1
    ].to_html().count("<rect")


def test_graph_view_refuses_a_tensor_without_graph():
    with pytest.raises(ValueError):
        graph_view(am.tensor(1.0))


def test_widgets_are_not_loaded_by_the_core():
    import subprocess
    import sys

    code = (
        "import sys, autograd_mini; "
        "bad = [m for m in ('matplotlib', 'ipywidgets', 'torch', 'autograd_mini.widgets') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_graph_view_title():
    x = am.tensor(3.0, requires_grad=True)
    assert "x² + x" in graph_view(x**2 + x, names={"x": x}, title="x² + x").to_html()


def test_untrusted_view_is_a_picture_of_the_first_frame_and_its_readout():
    # An untrusted JupyterLab drops <style>, <script> and inline SVG but keeps <img> and inline
    # styles: the still picture shows, the interactive part stays hidden.
    explorer = tangent_explorer("x**2", (-3, 3), x0=1)
    html = explorer.to_html()
    still = re.search(
        r'<img class="amw-still" alt="([^"]+)" [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html
    )
    assert still[1] == "Graph of f(x) = x**2 with its tangent line at x0"
    picture = base64.b64decode(still[2]).decode()
    assert picture.startswith("<svg") and picture.endswith("</svg>")
    element_id = re.search(r'id="([^"]+)"', html)[1]
    assert _frames(html)[0][_shown(html)["0"]].replace(element_id, "amw-still") in picture
    assert '<div class="amw-picture" style="display:none">' in html
    assert (
        "#{0} .amw-still{{display:none}}#{0} .amw-picture{{display:block!important}}".format(
            re.search(r'id="([^"]+)"', html)[1]
        )
        in html
    )


def test_frames_cannot_end_their_script_early():
    from autograd_mini.widgets._explorer import _json_in_script

    text = _json_in_script([{"0": "</script><!-- </SCRIPT> </g>"}])
    assert "</script" not in text.lower() and "<!--" not in text and "</g>" in text
    assert json.loads(text) == [{"0": "</script><!-- </SCRIPT> </g>"}]


def test_readout_says_so_when_torch_is_missing(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    explorer = tangent_explorer("x**2", (-3, 3), x0=1)
    assert repr(explorer) == (
        "tangent_explorer: f(x) = x**2 at x0 = 1: f = 1, slope 2 (autograd_mini) "
        "[torch is not installed]"
    )
    assert "torch is not installed" in explorer.to_html()
