"""The backward stepper's arithmetic: incoming gradient × local derivative, sums where paths meet.

Every number the stepper shows is read from the real graph; these tests build random expressions
in both libraries and hold the shown numbers against torch's own ``.grad``.
"""

import re

import numpy as np
import pytest
import torch

import autograd_mini as am
from autograd_mini.widgets import graph_view

UNARY = {
    "sin": lambda a: a.sin(),
    "tanh": lambda a: a.tanh(),
    "exp": lambda a: a.tanh().exp(),
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
}


def _recipe(seed: int) -> list[tuple]:
    """A random expression over three scalar leaves, as steps; operands are often reused."""
    rng = np.random.default_rng(seed)
    steps, pool = [], 3
    for _ in range(rng.integers(3, 8)):
        if rng.random() < 0.4:
            steps.append((str(rng.choice(list(UNARY))), int(rng.integers(pool))))
        else:
            a, b = (int(i) for i in rng.integers(pool, size=2))
            steps.append((str(rng.choice(list(BINARY))), a, b))
        pool += 1
    return steps


def _build(library, seed: int):
    rng = np.random.default_rng(seed + 1000)
    leaves = [
        library.tensor(float(v), dtype=library.float64, requires_grad=True)
        for v in rng.uniform(-2, 2, 3).round(2)
    ]
    pool = list(leaves)
    for op, *operands in _recipe(seed):
        function = UNARY.get(op) or BINARY[op]
        pool.append(function(*(pool[i] for i in operands)))
    return leaves, pool[-1] + pool[-2]


def _names(leaves):
    return dict(zip("uvw", leaves, strict=True))


@pytest.mark.parametrize("seed", range(40))
def test_flows_multiply_out_to_torch_grad_on_random_expressions(seed):
    leaves, result = _build(torch, seed)
    mini_leaves, mini_result = _build(am, seed)
    views = [
        graph_view(result, names=_names(leaves)),
        graph_view(mini_result, names=_names(mini_leaves)),
    ]
    result.backward()  # after drawing: the stepper must not need .grad
    expected = {f"{n} (leaf)": leaf.grad for n, leaf in _names(leaves).items()}
    for view in views:
        assert view.error is None
        # on scalars every rule is a product: grad × local derivative = what is passed
        assert all(flow.local is not None for flow in view.flows)
        # each node's gradient is the sum of what reached it, path by path
        for k in range(1, len(view.order)):
            parts = [float(flow.passed) for flow in view.arrivals(k)]
            assert float(view.gradients[k]) == pytest.approx(sum(parts), rel=1e-12, abs=1e-12)
        # the chain rule from local derivatives alone reaches torch's .grad at every leaf
        through_paths = [0.0] * len(view.order)
        through_paths[0] = 1.0
        for flow in sorted(view.flows, key=lambda f: f.source):
            through_paths[flow.target] += through_paths[flow.source] * float(flow.local)
        for k, (name, _) in enumerate(view.labels):
            if name in expected:
                assert through_paths[k] == pytest.approx(expected[name].item(), rel=1e-9)
                assert float(view.gradients[k]) == pytest.approx(expected[name].item(), rel=1e-12)
    torch_view, mini_view = views
    assert repr(torch_view).replace("torch", "LIB") == repr(mini_view).replace(
        "autograd_mini", "LIB"
    )


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_the_articles_example_multiplied_out(library):
    u = library.tensor(2.0, requires_grad=True)
    v = library.tensor(4.0, requires_grad=True)
    f = u**2 + v**3 + u * v
    view = graph_view(f, names={"u": u, "v": v})
    text = repr(view)
    assert "AddBackward0 [result = 76]: grad = 1" in text
    assert "PowBackward0: grad = 1; passes 1 × 48 = 48 → v (leaf)" in text  # 3v² at v = 4
    assert "PowBackward0: grad = 1; passes 1 × 4 = 4 → u (leaf)" in text  # 2u at u = 2
    assert "MulBackward0: grad = 1; passes 1 × 4 = 4 → u (leaf), 1 × 2 = 2 → v (leaf)" in text
    assert "u (leaf) [u = 2]: grad = 4 + 4 = 8" in text
    assert "v (leaf) [v = 4]: grad = 2 + 48 = 50" in text
    f.backward()
    assert (u.grad.item(), v.grad.item()) == (8.0, 50.0)
    power_of_v = next(
        k
        for k, flow in enumerate(view.flows)
        if view.labels[flow.target][0] == "v (leaf)"
        and view.labels[flow.source][0] == "PowBackward0"
    )
    step = view.flows[power_of_v].source + 1
    assert "<li>to v (leaf): 1 × 48 = 48</li>" in view.readout_html(step)
    html = view.to_html()
    assert "1 × 48 = 48" in html and "grad = 2 + 48 = 50" in html
    assert ">48</text>" in view.render_svg(step)  # the edge label of that step


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_a_broadcast_gradient_is_shown_as_the_sum_it_is(library):
    x = library.tensor(3.0, requires_grad=True)
    w = library.tensor([1.0, 2.0], requires_grad=True)
    y = (x * w).sum()
    view = graph_view(y, names={"x": x, "w": w})
    to_x = next(f for f in view.flows if view.labels[f.target][0] == "x (leaf)")
    to_w = next(f for f in view.flows if view.labels[f.target][0] == "w (leaf)")
    assert to_x.local is None and float(to_x.passed) == 3.0  # 1·1 + 1·2, summed back to a scalar
    assert to_w.local is not None and to_w.passed.tolist() == [3.0, 3.0]
    step = to_x.source + 1
    assert "not one product per element" in view.readout_html(step)
    assert "to x (leaf): 3" in view.readout_html(step)
    assert "to w (leaf): [1, 1] × [3, 3] = [3, 3]" in view.readout_html(step)
    y.backward()
    assert x.grad.item() == 3.0


def test_a_value_used_twice_by_one_node_shows_both_paths():
    for library in (am, torch):
        x = library.tensor(3.0, requires_grad=True)
        view = graph_view(x * x, names={"x": x})
        assert repr(view).splitlines()[1:] == [
            "1. MulBackward0 [result = 9]: grad = 1; passes 1 × 3 = 3 → x (leaf), "
            "1 × 3 = 3 → x (leaf)",
            "2. x (leaf) [x = 3]: grad = 3 + 3 = 6",
        ]
        assert "the sum of what MulBackward0 and MulBackward0 passed" in view.readout_html(2)


def test_named_intermediate_values_and_nodes_with_several_outputs():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    first, second = x.unbind()
    product = first * second
    view = graph_view(product.exp(), names={"x": x, "product": product})
    assert "MulBackward0 [product = 2]" in repr(view)
    unbind = [f for f in view.flows if view.labels[f.source][0] == "UnbindBackward0"]
    assert [f.local for f in unbind] == [None]  # its rule needs one gradient per output
    assert unbind[0].passed.tolist() == pytest.approx([2 * np.e**2, np.e**2])
    assert view.gradients[-1].tolist() == pytest.approx([2 * np.e**2, np.e**2])


def test_a_freed_graph_says_why_no_arithmetic_is_shown():
    x = am.tensor(2.0, requires_grad=True)
    y = x.sin()
    y.backward()
    view = graph_view(y)
    assert view.flows == [] and "second time" in view.error
    assert "gradients unavailable" in repr(view) and "gradients unavailable" in view.readout_html(1)


def test_the_live_widget_shows_the_same_arithmetic():
    u = am.tensor(2.0, requires_grad=True)
    v = am.tensor(4.0, requires_grad=True)
    view = graph_view(u**2 + v**3 + u * v, names={"u": u, "v": v})
    view.widget()
    view._controls["step"].value = 5.0
    assert "<li>to v (leaf): 1 × 48 = 48</li>" in view._readout.value
    assert ">48</text>" in view._picture.value  # the edge label of the step
    view._controls["step"].value = 7.0
    assert "receives grad = 2 + 48 = 50" in view._readout.value
    assert "grad = 2 + 48 = 50</text>" in view._picture.value


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_graph_view_changes_no_tensor(library):
    x = library.tensor([1.0, 2.0], requires_grad=True)
    x.grad = library.tensor([5.0, 5.0])
    y = x * 2
    y.retain_grad()
    calls = []
    y.register_hook(lambda grad: calls.append(grad))
    z = (y * y).sum()
    before = [(t._version, None if t.grad is None else t.grad.tolist()) for t in (x, y)]
    view = graph_view(z, names={"x": x, "y": y})
    after = [(t._version, None if t.grad is None else t.grad.tolist()) for t in (x, y)]
    assert after == before and y.grad is None and x.grad.tolist() == [5.0, 5.0]
    assert calls == []  # no hook ran: no backward pass took place
    leaf = next(f for f in view.flows if view.labels[f.target][0] == "x (leaf)")
    assert leaf.passed.tolist() == [8.0, 16.0]  # what z.backward() would add to x.grad
    z.backward()
    assert y.grad.tolist() == [4.0, 8.0] and x.grad.tolist() == [13.0, 21.0]


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_a_tensor_result_starts_with_ones_of_its_shape(library):
    x = library.tensor([1.0, 2.0, 3.0], requires_grad=True)
    view = graph_view(x * 2, names={"x": x})
    assert "starts the backward pass with grad = [1, 1, 1]" in view.readout_html(1)
    assert "to x (leaf): [1, 1, 1] × [2, 2, 2] = [2, 2, 2]" in view.readout_html(1)


@pytest.mark.parametrize("library", [am, torch], ids=["autograd_mini", "torch"])
def test_names_must_label_tensors_of_the_same_library(library):
    x = library.tensor(2.0, requires_grad=True)
    other = torch if library is am else am
    for wrong in ({"x": 2.0}, {"x": other.tensor(2.0)}, {1: x}):
        with pytest.raises(ValueError, match=r"names maps names to .* tensors, such as names="):
            graph_view(x * x + 1, names=wrong)
    unused = library.tensor(5.0, requires_grad=True)
    named = graph_view(x * x + 1, names={"x": x, "unused": unused})  # allowed, not drawn
    assert named.labels[-1] == ("x (leaf)", "x = 2")
    assert x.grad is None


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """The flow labels' rectangles in an SVG drawn by the stepper, as (left, top, right, bottom)."""

    found = re.findall(
        r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="3"', svg
    )
    return [(float(x), float(y), float(x) + float(w), float(y) + float(h)) for x, y, w, h in found]


@pytest.mark.parametrize("seed", range(40))
def test_the_labels_of_one_step_never_cover_each_other(seed):
    _, result = _build(am, seed)
    view = graph_view(result)
    for step in range(1, len(view.order) + 1):
        boxes = _label_boxes(view.render_svg(step))
        for left, top, right, bottom in boxes:
            assert 0 <= left and right <= view.width and 0 <= top and bottom <= view.height
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, f"step {step}: labels {a} and {b} overlap"
