"""The ``_version`` of ``.grad`` and of what ``grad()`` returns, against torch on a grid of
programs: each operation's backward, reached by the plain and the summed backward, with and
without ``create_graph``. torch's AccumulateGrad keeps a gradient only the engine holds (its
version, which operations that write their gradient into zeros in place raise) when it is laid
out as the leaf, and copies it otherwise (version 1)."""

import itertools
import warnings

import pytest
import torch

import autograd_mini as am

EXPRESSIONS = [
    *("x.sum()", "x.mean()", "x.max()", "x.min()", "x.sum(0)", "x.mean(-1, keepdim=True)"),
    *("x.max(0)[0]", "x.min(-1)[0]", "x.max(1, keepdim=True)[0]"),
    *("x[0]", "x[1:]", "x[:, ::2]", "x[[0, 0]]", "x[[1, 0]]", "x[x > 0]", "x[None]", "x[..., 0]"),
    *("x.T", "x.transpose(0, 1)", "x.reshape(-1)", "x.view(-1)", "x.reshape(1, -1)"),
    *("x.expand(2, *x.shape)", "x.unsqueeze(0)", "x.squeeze()", "x.flatten()", "x.clone()"),
    *("x.exp()", "x.tanh()", "x.relu()", "x.abs()", "-x", "x ** 2", "x * x", "x + 1", "1 - x"),
    *("x @ x.T", "x.double()", "x.detach() * x", "x + x", "x * 2 + x * 3 + x * 4"),
]
ROOTS = {  # how the gradient reaches the expression's backward
    "fresh": lambda y: (y * 1).sum(),
    "expanded": lambda y: y.sum(),
    "two paths": lambda y: (y * 1).sum() + (y * 2).sum(),
}


def _versions(lib, expression, rows, root, create_graph):
    x = lib.tensor([[1.0, 2.0, 3.0], [4.0, -5.0, 0.5]][:rows], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ROOTS[root](eval(expression)).backward(create_graph=create_graph)
        (taken,) = (
            lib.autograd.grad(ROOTS[root](eval(expression)), [x])
            if lib is torch
            else (am.grad(ROOTS[root](eval(expression)), [x]))
        )
    return x.grad._version, taken._version


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_grad_versions_agree_with_torch(expression):
    for rows, root, create_graph in itertools.product((1, 2), ROOTS, (False, True)):
        try:
            expected = _versions(torch, expression, rows, root, create_graph)
        except IndexError:  # x[[1, 0]] of one row
            with pytest.raises(IndexError):
                _versions(am, expression, rows, root, create_graph)
            continue
        actual = _versions(am, expression, rows, root, create_graph)
        assert actual == expected, (rows, root, create_graph)


def test_a_gradient_a_hook_keeps_is_copied_and_one_it_changes_is_kept_changed():
    for lib in (torch, am):
        kept = []
        x = lib.ones(3, requires_grad=True)
        x.register_hook(kept.append)
        (x * 2).sum().backward()
        y = lib.ones(3, requires_grad=True)
        y.register_hook(lambda g: g.add_(1))
        (y * 2).sum().backward()
        assert (x.grad._version, y.grad._version) == (1, 1)
        assert kept[0].tolist() == [2.0, 2.0, 2.0]  # the hook's tensor, not changed by .grad


def test_a_tensor_a_hook_returns_and_keeps_is_copied_into_grad():
    """.grad never shares memory with a tensor the program holds: summing into it later would
    change that tensor too."""
    for lib in (torch, am):
        kept = []
        x = lib.ones(3, requires_grad=True)
        x.register_hook(lambda g, kept=kept: kept.append(g * 2) or kept[0])
        (x * 2).sum().backward()
        (x * 2).sum().backward()
        assert kept[0].tolist() == [4.0, 4.0, 4.0] and x.grad.tolist() == [8.0, 8.0, 8.0]
        assert x.grad._version == 2


def test_a_gradient_kept_as_grad_shares_nothing_the_caller_holds():
    """A root gradient the caller passes is copied, so changing it later leaves .grad alone."""
    x = am.ones(3, requires_grad=True)
    gradient = am.ones(3)
    (x + 1).backward(gradient)
    gradient.add_(1)
    assert x.grad.tolist() == [1.0, 1.0, 1.0] and x.grad._version == 1


def test_a_custom_function_whose_backward_returns_a_tensor_held_elsewhere_gives_a_copy():
    """A backward may return its incoming gradient for two inputs, or a tensor it saved: each
    .grad is then its own copy, never shared with the other or with the saved tensor."""
    outcomes = []
    for lib, function in ((torch, torch.autograd.Function), (am, am.Function)):

        class Passes(function):
            @staticmethod
            def forward(ctx, a, b, weight):
                ctx.save_for_backward(weight)
                return a + b

            @staticmethod
            def backward(ctx, grad):
                (weight,) = ctx.saved_tensors
                return grad * 1, grad * 1 if ctx.needs_input_grad[0] else weight, None

        weight = lib.ones(3)
        x, y = lib.zeros(3, requires_grad=True), lib.zeros(3, requires_grad=True)
        (Passes.apply(x, y, weight) * 2).sum().backward()
        u = lib.zeros(3, requires_grad=True)
        Passes.apply(weight, u, weight).sum().backward()
        x.grad.add_(1)
        u.grad.add_(1)
        seen = [t.tolist() for t in (x.grad, y.grad, u.grad, weight)]
        outcomes.append((seen, [t._version for t in (x.grad, y.grad, u.grad, weight)]))
    assert outcomes[1] == outcomes[0]
    assert outcomes[1][0][3] == [1.0, 1.0, 1.0]  # the saved tensor is untouched
