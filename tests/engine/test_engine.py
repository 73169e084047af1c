"""The backward pass: deep chains, reuse, accumulation, freeing, retain_graph, higher order."""

import gc
import warnings

import numpy as np
import pytest
import torch

import autograd_mini as am


@pytest.fixture
def no_cyclic_gc():
    """Building a million-node graph is about the engine, not about Python's cycle collector,
    which rescans every live object now and then; pause it to keep the test quick."""
    gc.disable()
    yield
    gc.enable()


def test_million_op_chain_backpropagates_without_recursion(no_cyclic_gc):
    x = am.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert y.item() == 1_000_001.0
    assert x.grad.item() == 1.0
    del y  # freeing the used graph must not recurse either


def test_deep_graph_is_freed_without_backward(no_cyclic_gc):
    x = am.tensor(2.0, requires_grad=True)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    del y  # a million nested nodes released one by one: no stack overflow
    assert x.grad is None


def test_reuse_of_a_node_adds_its_gradients():
    a = am.tensor(3.0, requires_grad=True)
    (a + a).backward()
    assert a.grad.item() == 2.0
    a.grad = None
    (a * a).backward()
    assert a.grad.item() == 6.0


def _diamond(m):
    x = m.tensor([0.5, -1.5, 2.0], requires_grad=True)
    b = x * 2
    c = b.sin()
    d = b * b
    e = (c * d + b).sum() + (x * x * x).mean()
    e.backward()
    return e, x.grad


def test_diamond_matches_torch():
    mini_out, mini_grad = _diamond(am)
    torch_out, torch_grad = _diamond(torch)
    np.testing.assert_allclose(mini_out.item(), torch_out.item(), rtol=1e-6)
    np.testing.assert_allclose(mini_grad.numpy(), torch_grad.numpy(), rtol=1e-6)


def test_gradients_accumulate_until_cleared():
    x = am.tensor(2.0, requires_grad=True)
    for _ in range(3):
        (x * x).backward()
    assert repr(x.grad) == "tensor(12.)"
    x.grad.zero_()
    assert x.grad.item() == 0.0
    (x * x).backward()
    assert x.grad.item() == 4.0
    x.grad = None
    (x * 5).backward()
    assert x.grad.item() == 5.0


def test_accumulation_keeps_the_grad_tensor_and_never_aliases_inputs():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    y = am.tensor([3.0, 4.0], requires_grad=True)
    (x + y).sum().backward()
    first = x.grad
    x.grad.zero_()  # must not touch y.grad, although Add hands both the same gradient
    assert y.grad.tolist() == [1.0, 1.0]
    (x + y).sum().backward()
    assert first is x.grad and x.grad.tolist() == [1.0, 1.0]
    for make in (lambda a, b: a * 1, lambda a, b: a + b, lambda a, b: a.clone(), lambda a, b: a):
        x.grad = y.grad = None
        seed = am.tensor([1.0, 1.0])
        make(x, y).backward(seed)
        x.grad.zero_()
        assert seed.tolist() == [1.0, 1.0]
        assert y.grad is None or y.grad.tolist() == [1.0, 1.0]


def test_a_gradient_that_is_someone_elses_tensor_is_copied_into_grad():
    class PassSaved(am.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(w)
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            (w,) = ctx.saved_tensors
            return w, None  # hands back a tensor the caller still holds

    x = am.tensor([1.0, 2.0], requires_grad=True)
    w = am.tensor([5.0, 6.0])
    PassSaved.apply(x, w).backward(am.ones(2))
    x.grad.zero_()
    assert w.tolist() == [5.0, 6.0]


def test_grad_never_shares_memory_with_a_gradient_a_hook_kept_like_torch():
    def run(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        kept = []
        x.register_hook(kept.append)  # the hook sees the gradient and keeps it
        (x @ lib.ones(2, 2)).sum().backward()
        x.grad.zero_()
        after_zero = kept[0].tolist()
        (x @ lib.ones(2, 2)).sum().backward()  # added into x.grad in place
        return after_zero, kept[0].tolist(), x.grad.tolist()

    assert run(am) == run(torch)


def test_a_fresh_gradient_becomes_grad_without_a_copy_and_stays_private():
    a = am.tensor(np.ones((3, 3), np.float32), requires_grad=True)
    b = am.tensor(np.ones((3, 3), np.float32), requires_grad=True)
    (a @ b).sum().backward()  # MmBackward0 makes both gradients: nobody else holds them
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    a.grad.zero_()
    assert b.grad.tolist() == [[3.0] * 3] * 3


@pytest.mark.parametrize("passes_on", ["add", "custom function"])
def test_one_gradient_handed_to_two_leaves_becomes_two_grads_like_torch(passes_on):
    """``+`` (or a Function whose backward returns ``grad`` twice) hands the very gradient it got,
    here a fresh one from ``* 2``, to both inputs: each ``.grad`` must still be its own."""

    def run(lib, function):
        class PassTwice(function):
            @staticmethod
            def forward(ctx, a, b):
                return a + b

            @staticmethod
            def backward(ctx, grad):
                return grad, grad

        a = lib.tensor([1.0, 2.0], requires_grad=True)
        b = lib.tensor([3.0, 4.0], requires_grad=True)
        total = a + b if passes_on == "add" else PassTwice.apply(a, b)
        (total * 2).sum().backward()
        a.grad.zero_()
        return a.grad.tolist(), b.grad.tolist()

    assert run(am, am.Function) == run(torch, torch.autograd.Function) == ([0.0, 0.0], [2.0, 2.0])


def test_saved_values_are_freed_after_backward():
    x = am.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.grad_fn.saved_tensors  # noqa: B018


def test_retain_graph_allows_a_second_backward():
    x = am.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 8.0
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    assert x.grad.item() == 8.0


def test_graph_without_saved_tensors_can_be_walked_twice_like_torch():
    for module in (torch, am):
        x = module.tensor([1.0, 2.0], requires_grad=True)
        y = (x + 1).sum()
        y.backward()
        y.backward()
        assert x.grad.tolist() == [2.0, 2.0]


def test_higher_order_derivatives_of_x_cubed():
    x = am.tensor(3.0, requires_grad=True)
    y = x**3
    (first,) = am.grad(y, x, create_graph=True)
    assert repr(first) == "tensor(27., grad_fn=<MulBackward0>)"
    (second,) = am.grad(first, x, create_graph=True)
    assert second.item() == 18.0
    (third,) = am.grad(second, x)
    assert repr(third) == "tensor(6.)"
    assert x.grad is None  # am.grad leaves .grad alone


def test_backward_with_create_graph_warns_once_per_session_like_torch(monkeypatch):
    monkeypatch.setitem(am.engine._warned, "create_graph", False)
    x = am.tensor(3.0, requires_grad=True)
    with pytest.warns(UserWarning, match="reference cycle"):
        (x**3).backward(create_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x**3).backward(create_graph=True)


def test_backward_with_create_graph_gives_a_differentiable_grad():
    x = am.tensor(3.0, requires_grad=True)
    (x**3).backward(create_graph=True)
    assert x.grad.grad_fn.name() == "autograd_mini::autograd::CopyBackwards"  # as torch's
    first = x.grad
    x.grad = None
    first.backward()
    assert repr(x.grad) == "tensor(18.)"


def test_second_derivatives_match_torch():
    def second(m):
        x = m.tensor([0.3, -1.2, 2.0], dtype=m.float64, requires_grad=True)
        y = (m.sin(x) * x.exp() + x.tanh() ** 2 + m.sigmoid(x) / (x * x + 1)).sum()
        (g,) = (m.grad if m is am else torch.autograd.grad)(y, x, create_graph=True)
        (h,) = (m.grad if m is am else torch.autograd.grad)(g.sum(), x)
        return g.detach().numpy(), h.numpy()

    for mine, theirs in zip(second(am), second(torch), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10)


def test_non_scalar_backward_with_gradient():
    x = am.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    y.backward(am.tensor([1.0, 0.1, 0.01]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 0.4, 0.06], rtol=1e-6)


def test_grad_returns_a_tuple_for_several_inputs():
    u = am.tensor(2.0, requires_grad=True)
    v = am.tensor(4.0, requires_grad=True)
    f = u**2 + v**3 + u * v
    assert repr(f) == "tensor(76., grad_fn=<AddBackward0>)"
    du, dv = am.grad(f, (u, v))
    assert (du.item(), dv.item()) == (8.0, 50.0)
    w = am.tensor(1.0, requires_grad=True)
    assert am.grad(u * 3, [u, w], allow_unused=True)[1] is None


def test_grad_with_respect_to_a_non_leaf():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (dh,) = am.grad(y, h)
    assert dh.tolist() == [6.0, 12.0]


def test_grad_outputs_weights_the_outputs():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    (g,) = am.grad(x * x, x, grad_outputs=am.tensor([1.0, 0.5]))
    assert g.tolist() == [2.0, 2.0]


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [8.0, 16.0]


def test_backward_of_a_leaf():
    x = am.tensor(5.0, requires_grad=True)
    x.backward()
    assert x.grad.item() == 1.0


def test_float32_leaf_gets_a_float32_grad_when_mixed_with_float64():
    for module in (torch, am):
        x = module.tensor([1.0, 2.0], requires_grad=True)
        w = module.tensor([0.5, 0.25], dtype=module.float64, requires_grad=True)
        y = (x * w).sum()
        assert y.dtype == module.float64
        y.backward()
        assert x.grad.dtype == module.float32 and w.grad.dtype == module.float64


def test_branch_without_gradient_still_releases_its_dependents():
    x = am.tensor([1.0, -2.0], requires_grad=True)
    y = x.max() + x.sum()  # max passes gradient only to one element
    y.backward()
    assert x.grad.tolist() == [2.0, 1.0]


def test_a_training_loop_matches_torch():
    def train(m):
        m.manual_seed(0)
        w = m.randn(3, 2, requires_grad=True)
        b = m.zeros(2, requires_grad=True)
        x = m.linspace(-1, 1, 12).reshape(4, 3)
        target = m.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
        for _ in range(5):
            loss = ((m.tanh(x @ w + b) - target) ** 2).mean()
            loss.backward()
            with m.no_grad():
                w -= 0.5 * w.grad
                b -= 0.5 * b.grad
            w.grad.zero_()
            b.grad = None
        return loss.item(), w.detach().numpy()

    (mine_loss, mine_w), (their_loss, their_w) = train(am), train(torch)
    np.testing.assert_allclose(mine_loss, their_loss, rtol=1e-6)
    np.testing.assert_allclose(mine_w, their_w, rtol=1e-5, atol=1e-6)
