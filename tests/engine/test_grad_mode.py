"""no_grad / enable_grad as context managers and decorators, and detach."""

import pytest

import autograd_mini as am


def test_no_grad_records_nothing():
    x = am.tensor(2.0, requires_grad=True)
    with am.no_grad():
        y = x * 3
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    assert am.is_grad_enabled()


def test_no_grad_as_a_decorator():
    @am.no_grad()
    def scaled(t):
        return t * 2

    y = scaled(am.tensor(1.0, requires_grad=True))
    assert y.grad_fn is None and am.is_grad_enabled()


def test_bare_no_grad_decorator():
    @am.no_grad
    def scaled(t):
        return t * 2

    assert scaled(am.tensor(1.0, requires_grad=True)).grad_fn is None


def test_enable_grad_inside_no_grad():
    x = am.tensor(2.0, requires_grad=True)
    with am.no_grad():
        with am.enable_grad():
            y = x * x
        z = x * x
    assert y.grad_fn.name() == "MulBackward0" and z.grad_fn is None


def test_enable_grad_as_a_decorator():
    @am.enable_grad()
    def square(t):
        return t * t

    with am.no_grad():
        y = square(am.tensor(2.0, requires_grad=True))
    assert y.requires_grad


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError):
        with am.no_grad():
            raise ValueError("boom")
    assert am.is_grad_enabled()


def test_set_grad_enabled():
    with am.set_grad_enabled(False):
        assert not am.is_grad_enabled()
    assert am.is_grad_enabled()


def test_parameter_update_under_no_grad_keeps_the_leaf():
    w = am.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    same = w
    with am.no_grad():
        w -= 0.1 * w.grad
    assert w is same and w.is_leaf and w.requires_grad
    assert w.tolist() == pytest.approx([0.8, 1.6])


def test_detach_shares_values_and_cuts_the_graph():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    assert repr((am.tensor(1.0, requires_grad=True) * 2).detach()) == "tensor(2.)"
    with am.no_grad():
        d += 1
    assert y.tolist() == [3.0, 5.0]  # same memory, like torch
