"""Devices: autograd_mini's only device is the CPU, and it says so; the rest matches torch."""

import pytest
import torch

import autograd_mini as am


def _printed(value):
    return repr(value).replace("torch.", "autograd_mini.")


def _device_uses(m):
    t = m.tensor([1.0, 2.0])
    cpu = m.device("cpu")
    return [
        t.device,
        cpu,
        m.device("cpu:0"),
        m.device("cuda"),  # a device object can name CUDA; putting a tensor there cannot work
        str(t.device),
        str(m.device("cpu", 0)),
        t.device == cpu,
        t.device == m.device("cpu:0"),
        t.is_cuda,
        t.to("cpu") is t,
        t.to(cpu) is t,
        t.cpu() is t,
        t.to(m.float32) is t,
        t.to(t) is t,
        t.to("cpu", m.float64),
        t.to(device="cpu", dtype=m.float64),
        t.to(m.tensor([1], dtype=m.int64)),
        t.to("cpu", copy=True) is t,
        m.zeros(2, device="cpu"),
        m.tensor([1.0], device=cpu),
        m.ones(2, device="cpu", requires_grad=True).to(m.float64),
    ]


def test_devices_behave_like_torch():
    for mine, theirs in zip(_device_uses(am), _device_uses(torch), strict=True):
        assert repr(mine) == _printed(theirs)


def test_to_a_dtype_is_differentiable():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    y = x.to("cpu", am.float64)
    y.sum().backward()
    assert repr(y.grad_fn.name()) == repr(torch.ones(1, requires_grad=True).double().grad_fn.name())
    assert repr(x.grad) == "tensor([1., 1.])"


CUDA_CALLS = [
    lambda m: m.ones(2).to("cuda"),
    lambda m: m.ones(2).to(m.device("cuda:0")),
    lambda m: m.ones(2).cuda(),
    lambda m: m.tensor([1.0], device="cuda"),
    lambda m: m.zeros(2, device="cuda"),
    lambda m: m.randn(2, device="cuda"),
]


@pytest.mark.parametrize("call", CUDA_CALLS)
def test_cuda_fails_with_torchs_error_type_and_says_what_to_do(call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as mine:
        call(am)
    assert type(mine.value) is type(theirs.value)  # AssertionError on a CPU-only torch build
    message = str(mine.value)
    assert "autograd_mini runs on the CPU only" in message and "use torch" in message


def test_unknown_device_fails_like_torch():
    errors = []
    for m in (torch, am):
        with pytest.raises(RuntimeError) as info:
            m.device("gpu")
        errors.append(str(info.value))
    assert errors[1] == errors[0]
