"""Function in torch's style, graph nodes (names, next_functions, AccumulateGrad, repr)."""

import re

import numpy as np
import pytest
import torch

import autograd_mini as am


def _make_square(module):
    class MySquare(module.autograd.Function if module is torch else am.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x)
            ctx.scale = scale
            return x * x * scale

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False)
            return grad * 2 * x * ctx.scale, None

    return MySquare


@pytest.mark.parametrize("module", [torch, am], ids=["torch", "autograd_mini"])
def test_custom_function(module):
    square = _make_square(module)
    x = module.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = square.apply(x, 0.5)
    assert y.grad_fn.name() == "MySquareBackward"
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0]


def test_custom_function_matches_torch_in_print():
    mini = _make_square(am).apply(am.tensor(3.0, requires_grad=True), 1.0)
    theirs = _make_square(torch).apply(torch.tensor(3.0, requires_grad=True), 1.0)
    assert repr(mini) == repr(theirs).replace("torch.", "autograd_mini.")


def test_custom_function_returning_numpy_and_gradcheck():
    class Cube(am.Function):
        """$\\frac{d}{dx} x^3 = 3x^2$"""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return np.power(x.detach().numpy(), 3)

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x * x

    x = am.tensor([0.5, -1.0], dtype=am.float64, requires_grad=True)
    assert am.gradcheck(Cube.apply, (x,))
    (second,) = am.grad(am.grad(Cube.apply(x).sum(), x, create_graph=True)[0].sum(), x)
    assert second.tolist() == [3.0, -6.0]


def test_custom_function_without_grad_records_nothing():
    x = am.tensor(2.0)
    y = _make_square(am).apply(x, 1.0)
    assert y.grad_fn is None and y.item() == 4.0


def _names(node, depth=4):
    if node is None:
        return None
    if depth == 0:
        return "..."
    kids = tuple(_names(n, depth - 1) for n, _ in node.next_functions)
    name = node.name().replace("torch::", "autograd_mini::")
    return (name, kids)


EXPRESSIONS = [
    "x ** 2",
    "x * 2.5",
    "x + 1",
    "1 - x",
    "2 / x",
    "x * y + x",
    "(x * y).sum() / 3",
    "x.sin().exp().mean()",
    "m.relu(x) * m.sigmoid(y)",
    "x[0] * y[1:]",
    "x.reshape(1, 3).T @ y.reshape(1, 3)",
    "m.cat([x, y]).max()",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_graph_shape_matches_torch(expression):
    graphs = []
    for m in (torch, am):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = m.tensor([0.5, -1.0, 2.0], requires_grad=True)
        graphs.append(_names(eval(expression, {"m": m, "x": x, "y": y}).grad_fn))
    assert graphs[1] == graphs[0]


def test_accumulate_grad_node_points_at_its_leaf():
    x = am.tensor(3.0, requires_grad=True)
    y = x**2
    ((node, index),) = y.grad_fn.next_functions
    assert index == 0 and node.variable is x
    assert re.fullmatch(r"<AccumulateGrad object at 0x[0-9a-f]+>", repr(node))
    assert re.fullmatch(r"<PowBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))
    z = x + x
    assert z.grad_fn.next_functions[0][0] is z.grad_fn.next_functions[1][0]


def test_saved_tensors_and_needs_input_grad_on_builtin_nodes():
    a = am.tensor(2.0, requires_grad=True)
    b = am.tensor(5.0)
    y = a * b
    assert y.grad_fn.needs_input_grad == (True, False)
    saved_a, saved_b = y.grad_fn.saved_tensors
    # like torch's _saved_self / _saved_other: only b is needed (for a's gradient)
    torch_node = (torch.tensor(2.0, requires_grad=True) * torch.tensor(5.0)).grad_fn
    assert (torch_node._saved_self, saved_a) == (None, None)
    assert saved_b is b and torch_node._saved_other is not None
    assert y.grad_fn.next_functions[1] == (None, 0)
