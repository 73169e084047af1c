"""The errata page quotes torch 2.13: every quoted printout, message and number is checked here."""

import math
from pathlib import Path

import pytest
import torch

import autograd_mini as am
from autograd_mini.widgets import graph_view

PAGE = (Path(__file__).resolve().parents[2] / "chapters" / "notation-and-errata.md").read_text(
    encoding="utf-8"
)


def test_the_articles_numbers_are_what_torch_prints():
    x = torch.tensor(9.0, requires_grad=True)
    y = x**2
    y.backward()
    assert (y.item(), x.grad.item()) == (81.0, 18.0)
    x = torch.tensor(100.0, requires_grad=True)
    y = torch.sin(x / (2**1.5))
    y.backward()
    assert f"`{y!s}`" in PAGE  # tensor(-0.7158, grad_fn=<SinBackward0>)
    assert f"{y.item():.4f}".replace("-", "−") in PAGE
    assert f"{x.grad.item():.4f}".replace("-", "−") in PAGE
    u = torch.tensor(2.0, requires_grad=True)
    v = torch.tensor(4.0, requires_grad=True)
    f = u**2 + v**3 + u * v
    f.backward()
    assert (f.item(), u.grad.item(), v.grad.item()) == (76.0, 8.0, 50.0)
    assert "(81 and 18; −0.7158 and −0.2469; 76, 8 and 50)" in PAGE


def test_backward_node_numbers_quoted_on_the_page():
    t = torch.tensor(2.0, requires_grad=True)
    assert (t**2).grad_fn.name() == "PowBackward0" and "`PowBackward0`" in PAGE
    assert (t ** torch.tensor(2.0)).grad_fn.name() == "PowBackward1" and "`PowBackward1`" in PAGE


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.tensor(1, requires_grad=True),
        lambda m: m.tensor(1).requires_grad_(),
        lambda m: setattr(m.tensor(1), "requires_grad", True),
    ],
    ids=["constructor", "requires_grad_", "attribute"],
)
def test_dtype_messages_quoted_on_the_page_are_torchs_and_autograd_minis(make):
    with pytest.raises(RuntimeError) as from_torch:
        make(torch)
    with pytest.raises(RuntimeError) as from_mini:
        make(am)
    assert str(from_mini.value) == str(from_torch.value)
    if str(from_torch.value)[0].isupper():  # the constructor's message, quoted with its type
        assert f"`RuntimeError: {from_torch.value}`" in PAGE
    elif "complex" not in str(from_torch.value):  # requires_grad_()'s older wording
        assert f"`RuntimeError: {from_torch.value}`" in PAGE


def test_complex_tensors_can_require_gradients_on_every_path():
    assert torch.tensor(1 + 2j, requires_grad=True).requires_grad
    assert torch.tensor(1 + 2j).requires_grad_().requires_grad
    assert "`torch.tensor(1 + 2j, requires_grad=True)` works" in PAGE


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_second_backward_fails_only_when_saved_tensors_were_freed(library):
    x = library.tensor(1.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()  # an addition saves nothing: the second call works
    assert x.grad.item() == 2.0
    y = x.sin()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()
    assert "`y = x + 1; y.backward(); y.backward()` works in both libraries" in PAGE


def test_the_stepper_correction_quotes_the_steppers_own_numbers():
    u = torch.tensor(2.0, requires_grad=True)
    v = torch.tensor(4.0, requires_grad=True)
    text = repr(graph_view(u**2 + v**3 + u * v, names={"u": u, "v": v}))
    assert "passes 1 × 48 = 48 → v (leaf)" in text and "grad = 2 + 48 = 50" in text
    assert "$1 \\times 3v^2 = 48$" in PAGE and "$2 + 48 = 50$" in PAGE


def _softplus(library):
    base = torch.autograd.Function if library is torch else am.Function

    class Softplus(base):
        @staticmethod
        def forward(ctx, x):
            return (x.exp() + 1).log()

        @staticmethod
        def backward(ctx, grad):
            return grad

    return Softplus


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_hand_written_nodes_carry_no_number(library):
    leaf = library.ones(3, requires_grad=True)
    doubled = leaf * 2
    assert doubled.grad_fn.next_functions[0][0].name().endswith("::AccumulateGrad")
    doubled[1:].mul_(10)
    assert doubled.grad_fn.name().endswith("::CopySlices")
    assert _softplus(library).apply(leaf).grad_fn.name() == "SoftplusBackward"
    for name in ("`AccumulateGrad`", "`CopySlices`", "`SoftplusBackward`", "`SinBackward0`"):
        assert name in PAGE


@pytest.mark.parametrize("library", [torch, am], ids=["torch", "autograd_mini"])
def test_leaves_are_tensors_without_grad_fn(library):
    x = library.tensor(2.0, requires_grad=True)
    with library.no_grad():
        computed = x * 2
    assert computed.is_leaf and computed.grad_fn is None
    assert (x * 2).detach().is_leaf
    assert "A leaf is any tensor without a\n  `grad_fn`" in PAGE


def test_what_the_page_says_the_article_gets_right():
    assert math.isclose(2 * math.sqrt(2), 2**1.5, rel_tol=1e-15)
    assert "$2\\sqrt{2}$ is indeed $2^{3/2}$" in PAGE
    x = torch.tensor(9.0, requires_grad=True)
    y = x**2
    assert (str(x), str(y)) == (
        "tensor(9., requires_grad=True)",
        "tensor(81., grad_fn=<PowBackward0>)",
    )
    u = torch.tensor(2.0, requires_grad=True)
    v = torch.tensor(4.0, requires_grad=True)
    f = u**2 + v**3 + u * v
    assert str(f) == "tensor(76., grad_fn=<AddBackward0>)"  # the article's printout
    f.backward()
    assert (str(u.grad), str(v.grad)) == ("tensor(8.)", "tensor(50.)")
