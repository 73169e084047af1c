"""Misuse raises what torch raises (same type, same message with ``torch.`` renamed) and changes
nothing: every tensor's values, grad, requires_grad and grad_fn are as before the failing call."""

import warnings

import numpy as np
import pytest
import torch
from torch_words import in_mini_words

import autograd_mini as am


def _leaf(m, values=(1.0, 2.0, 3.0)):
    return m.tensor(list(values), requires_grad=True)


def _used_once(m):
    x = _leaf(m)
    y = (x * x).sum()
    y.backward()
    return {"x": x, "y": y}


def _two_branches_used_once(m):
    x = _leaf(m)
    y = (x + 1).sum() + (x * x).sum()
    y.backward()
    return {"x": x, "y": y}


def _saved_input_changed(m):
    x = _leaf(m)
    w = m.tensor([1.0, 2.0, 3.0])
    y = (x * w).sum()
    w += 1
    return {"x": x, "w": w, "y": y}


def _saved_result_changed(m):
    x = _leaf(m)
    h = x * 2
    y = (h * h).sum()
    with m.no_grad():
        h += 1
    return {"x": x, "h": h, "y": y}


def _leaf_updated_before_backward(m):
    x = _leaf(m)
    y = (x * x).sum()
    with m.no_grad():
        x -= 1
    return {"x": x, "y": y}


def _leaf_written_before_backward(m):
    x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = (x * x).sum()
    with m.no_grad():
        x[0] = 1
    return {"x": x, "y": y}


def _nothing(m):
    return {}


def _vector_output(m):
    x = _leaf(m)
    return {"x": x, "y": x * 2}


def _int_tensor(m):
    return {"n": m.zeros(2, dtype=m.int64)}


def _matrix(m):
    return {"a": m.ones(2, 3)}


# (name, setup(module) -> dict of tensors, action(module, env))
CASES = [
    ("requires_grad on int data", _nothing, lambda m, e: m.tensor(3, requires_grad=True)),
    ("requires_grad on int list", _nothing, lambda m, e: m.tensor([1, 2], requires_grad=True)),
    ("requires_grad on bool", _nothing, lambda m, e: m.tensor(True, requires_grad=True)),
    ("requires_grad_ on int", _int_tensor, lambda m, e: e["n"].requires_grad_()),
    (
        "requires_grad = True on int",
        _int_tensor,
        lambda m, e: setattr(e["n"], "requires_grad", True),
    ),
    ("non-scalar backward", _vector_output, lambda m, e: e["y"].backward()),
    ("second backward", _used_once, lambda m, e: e["y"].backward()),
    ("second backward, two branches", _two_branches_used_once, lambda m, e: e["y"].backward()),
    ("second grad", _used_once, lambda m, e: m.autograd_grad(e["y"], e["x"])),
    ("saved input changed in place", _saved_input_changed, lambda m, e: e["y"].backward()),
    ("saved result changed in place", _saved_result_changed, lambda m, e: e["y"].backward()),
    ("leaf updated before backward", _leaf_updated_before_backward, lambda m, e: e["y"].backward()),
    ("leaf written before backward", _leaf_written_before_backward, lambda m, e: e["y"].backward()),
    ("backward without grad", _nothing, lambda m, e: (m.tensor(2.0) * 2).backward()),
    ("in-place add on leaf", lambda m: {"x": _leaf(m)}, lambda m, e: e["x"].__iadd__(1)),
    ("in-place mul on leaf", lambda m: {"x": _leaf(m)}, lambda m, e: e["x"].__imul__(2)),
    ("zero_ on leaf", lambda m: {"x": _leaf(m)}, lambda m, e: e["x"].zero_()),
    ("index assignment on leaf", lambda m: {"x": _leaf(m)}, lambda m, e: e["x"].__setitem__(0, 5)),
    ("broadcast mismatch add", _nothing, lambda m, e: m.ones(2, 3) + m.ones(4)),
    ("broadcast mismatch mul", _nothing, lambda m, e: m.ones(2, 3) * m.ones(4)),
    ("broadcast mismatch 3-d", _nothing, lambda m, e: m.ones(2, 3, 4) - m.ones(5, 1, 4)),
    ("matmul 2-d", _nothing, lambda m, e: m.ones(2, 3) @ m.ones(2, 3)),
    ("matmul 1-d", _nothing, lambda m, e: m.ones(3) @ m.ones(4)),
    ("matmul matrix vector", _nothing, lambda m, e: m.ones(2, 3) @ m.ones(4)),
    ("matmul vector matrix", _nothing, lambda m, e: m.ones(3) @ m.ones(4, 5)),
    ("matmul batched", _nothing, lambda m, e: m.ones(2, 2, 3) @ m.ones(2, 4, 5)),
    ("matmul 0-d", _nothing, lambda m, e: m.ones(()) @ m.ones(3)),
    ("ragged", _nothing, lambda m, e: m.tensor([[1, 2], [3]])),
    ("ragged deeper", _nothing, lambda m, e: m.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]])),
    ("number where a list was expected", _nothing, lambda m, e: m.tensor([[1, 2], 3])),
    ("string", _nothing, lambda m, e: m.tensor("abc")),
    ("string inside a list", _nothing, lambda m, e: m.tensor([1, "a"])),
    ("None", _nothing, lambda m, e: m.tensor(None)),
    ("dict", _nothing, lambda m, e: m.tensor({1: 2})),
    ("reshape to a wrong size", _matrix, lambda m, e: e["a"].reshape(4)),
    ("view with two -1", _matrix, lambda m, e: e["a"].view(-1, -1)),
    ("transpose out of range", _matrix, lambda m, e: e["a"].transpose(0, 2)),
    ("permute too few dims", _matrix, lambda m, e: e["a"].permute(0)),
    ("permute duplicate dims", _matrix, lambda m, e: e["a"].permute(0, 0)),
    ("sum dim out of range", _matrix, lambda m, e: e["a"].sum(2)),
    ("mean dim out of range", _matrix, lambda m, e: e["a"].mean(dim=5)),
    ("max dim out of range", _matrix, lambda m, e: e["a"].max(2)),
    ("squeeze out of range", _matrix, lambda m, e: e["a"].squeeze(3)),
    ("unsqueeze out of range", _matrix, lambda m, e: e["a"].unsqueeze(3)),
    ("index out of range", _matrix, lambda m, e: e["a"][2]),
    ("negative index out of range", _matrix, lambda m, e: e["a"][:, -4]),
    ("too many indices", _matrix, lambda m, e: e["a"][0, 0, 0]),
    ("index list out of range", _matrix, lambda m, e: e["a"][[0, 5]]),
    ("assign to a row out of range", _matrix, lambda m, e: e["a"].__setitem__(2, 1.0)),
    ("mask of the wrong shape", _matrix, lambda m, e: e["a"][m.tensor([True, False, True])]),
    ("item of many", _matrix, lambda m, e: e["a"].item()),
    ("max of empty", _nothing, lambda m, e: m.ones(0).max()),
    ("cat sizes", _nothing, lambda m, e: m.cat([m.ones(2, 3), m.ones(2, 4)])),
    ("cat empty", _nothing, lambda m, e: m.cat([])),
    ("stack sizes", _nothing, lambda m, e: m.stack([m.ones(2, 3), m.ones(2, 4)])),
    ("numpy of requires_grad", lambda m: {"x": _leaf(m)}, lambda m, e: e["x"].numpy()),
    ("mean of int", _int_tensor, lambda m, e: e["n"].mean()),
    ("int to a negative power", _int_tensor, lambda m, e: e["n"] ** -1),
    ("repeated dims", _matrix, lambda m, e: e["a"].sum((0, 0))),
    ("repeated dims, negative", _matrix, lambda m, e: e["a"].mean((1, -1))),
    ("int += float", _int_tensor, lambda m, e: e["n"].__iadd__(1.5)),
    (
        "grad of an unused input",
        _vector_output,
        lambda m, e: m.autograd_grad(e["y"].sum(), m.ones(2, requires_grad=True)),
    ),
    (
        "gradient of the wrong shape",
        _vector_output,
        lambda m, e: e["y"].backward(m.ones(2)),
    ),
    (
        "assign grad of wrong size",
        lambda m: {"x": _leaf(m)},
        lambda m, e: setattr(e["x"], "grad", m.ones(2)),
    ),
    (
        "assign grad of wrong type",
        lambda m: {"x": _leaf(m)},
        lambda m, e: setattr(e["x"], "grad", 3),
    ),
    (
        "requires_grad=False on a non-leaf",
        _vector_output,
        lambda m, e: setattr(e["y"], "requires_grad", False),
    ),
    ("bool of many", _matrix, lambda m, e: bool(e["a"])),
    ("len of 0-d", _nothing, lambda m, e: len(m.tensor(1.0))),
]


class _Torch:
    """torch, with ``autograd.grad`` reachable under the name the table uses."""

    def __getattr__(self, name):
        return getattr(torch, name)

    @staticmethod
    def autograd_grad(*args, **kwargs):
        return torch.autograd.grad(*args, **kwargs)


class _Mini:
    def __getattr__(self, name):
        return getattr(am, name)

    @staticmethod
    def autograd_grad(*args, **kwargs):
        return am.grad(*args, **kwargs)


def _snapshot(env):
    state = {}
    for name, t in env.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grad = t.grad
        state[name] = (
            t.detach().numpy().copy(),
            None if grad is None else grad.detach().numpy().copy(),
            t.requires_grad,
            t.grad_fn,
            t.dtype,
        )
    return state


def _assert_same_state(before, after):
    assert before.keys() == after.keys()
    for name in before:
        (values, grad, requires_grad, grad_fn, dtype) = before[name]
        (values2, grad2, requires_grad2, grad_fn2, dtype2) = after[name]
        np.testing.assert_array_equal(values, values2)
        assert (grad is None) == (grad2 is None), name
        if grad is not None:
            np.testing.assert_array_equal(grad, grad2)
        assert (requires_grad, grad_fn, dtype) == (requires_grad2, grad_fn2, dtype2), name


def _error(module, setup, action):
    env = setup(module)
    before = _snapshot(env)
    with pytest.raises(Exception) as info:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            action(module, env)
    return info.value, before, _snapshot(env)


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_misuse_raises_like_torch_and_changes_nothing(case):
    _, setup, action = case
    torch_error, _, _ = _error(_Torch(), setup, action)
    mini_error, before, after = _error(_Mini(), setup, action)
    assert type(mini_error) is type(torch_error)
    assert str(mini_error) == in_mini_words(str(torch_error))
    _assert_same_state(before, after)


def test_reading_grad_of_a_non_leaf_warns_like_torch():
    messages = []
    for module in (torch, am):
        x = module.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        with pytest.warns(UserWarning) as record:
            assert y.grad is None
        messages.append(str(record[0].message))
    torch_message = messages[0].split(" (Triggered internally")[0]
    assert messages[1] == torch_message
    assert ".retain_grad()" in messages[1]


def test_retained_non_leaf_grad_does_not_warn():
    x = am.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad.tolist() == [1.0, 1.0]


def test_a_failing_gradcheck_leaves_inputs_unchanged():
    class Wrong(am.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    x = am.tensor([1.0, 2.0], dtype=am.float64, requires_grad=True)
    with pytest.raises(am.GradcheckError):
        am.gradcheck(Wrong.apply, (x,))
    assert x.tolist() == [1.0, 2.0] and x.grad is None


NUMPY_EDGE_PROGRAM = """
import {lib} as m
x = m.tensor([-1.0, 0.0, 2.0], requires_grad=True)
y = x.log() + 1 / x + x.sqrt() + x**-1 + 2**x + x.exp() * 1e38 * 1e38
big = m.tensor([3e38], dtype=m.float32) * 10 - m.tensor([3e38], dtype=m.float32) * 10
z = (y + (x + 1e300)).sum() + big.sum()
z.backward()
print(z.item(), x.grad.tolist())
"""


def test_inf_and_nan_come_without_numpy_warnings_like_torch():
    """In a fresh interpreter where every warning is an error: 1 / 0, log(-1), inf - inf,
    overflow and a float64 number cast to float32, forward and backward."""
    import subprocess
    import sys

    def run(lib):
        program = NUMPY_EDGE_PROGRAM.format(lib=lib)
        result = subprocess.run(
            [sys.executable, "-W", "error", "-c", program], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    assert run("autograd_mini") == run("torch")
