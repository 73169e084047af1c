"""Tensor creation, attributes and printing, compared with torch."""

import warnings

import numpy as np
import pytest
import torch

import autograd_mini as am


def _same_repr(mini, theirs):
    assert repr(mini) == repr(theirs).replace("torch.", "autograd_mini.")
    assert str(mini) == str(theirs).replace("torch.", "autograd_mini.")


CREATIONS = [
    "m.tensor(9.0)",
    "m.tensor(3)",
    "m.tensor([1, 2, 3])",
    "m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)",
    "m.tensor([True, False])",
    "m.tensor(np.array([1.0, 2.0]))",
    "m.tensor([1.5], dtype=m.float64)",
    "m.tensor(2, dtype=m.float32)",
    "m.zeros(2, 3)",
    "m.zeros((2, 3), dtype=m.int64)",
    "m.ones(3)",
    "m.ones([2, 2], requires_grad=True)",
    "m.zeros_like(m.tensor([[1, 2]]))",
    "m.ones_like(m.tensor([1.5, 2.5], dtype=m.float64))",
    "m.full((2, 2), 7)",
    "m.full((2,), 1.5)",
    "m.full((2,), True)",
    "m.arange(5)",
    "m.arange(1, 3, 0.5)",
    "m.arange(0.0, 1.0, 0.25)",
    "m.linspace(0, 1, 5)",
    "m.linspace(-2, 2, 7, dtype=m.float64)",
    "m.eye(3)",
    "m.eye(2, 3)",
    "m.from_numpy(np.array([1.0, 2.0]))",
    "m.from_numpy(np.arange(4).reshape(2, 2))",
]


@pytest.mark.parametrize("expression", CREATIONS)
def test_creation_matches_torch(expression):
    mini = eval(expression, {"m": am, "np": np})
    theirs = eval(expression, {"m": torch, "np": np})
    _same_repr(mini, theirs)
    assert mini.shape == tuple(theirs.shape) and mini.requires_grad == theirs.requires_grad


def test_other_numpy_widths_are_widened():
    assert am.tensor(np.array([1, 2], dtype=np.int32)).dtype is am.int64
    assert am.tensor(np.array([1.5], dtype=np.float16)).dtype is am.float32


def test_from_numpy_shares_memory_and_tensor_copies():
    array = np.array([1.0, 2.0])
    shared, copied = am.from_numpy(array), am.tensor(array)
    array[0] = 5.0
    assert shared.tolist() == [5.0, 2.0] and copied.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("seed", [0, 42])
def test_random_tensors_are_torchs_after_manual_seed(seed):
    torch.manual_seed(seed)
    am.manual_seed(seed)
    for shape in [(3,), (2, 3), (16,), (4, 5), (100,), (1,)]:
        for name in ("rand", "randn"):
            for dtype in ("float32", "float64"):
                theirs = getattr(torch, name)(*shape, dtype=getattr(torch, dtype)).numpy()
                mine = getattr(am, name)(*shape, dtype=getattr(am, dtype)).numpy()
                assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
                if name == "randn" and mine.size >= 16:
                    # torch's vectorised sin/cos/log may differ from numpy's in the last bit
                    tolerance = 3e-7 if dtype == "float32" else 1e-15
                    np.testing.assert_allclose(mine, theirs, rtol=tolerance, atol=tolerance)
                else:
                    np.testing.assert_array_equal(mine, theirs)
    torch.manual_seed(seed)
    am.manual_seed(seed)
    _same_repr(am.rand(3), torch.rand(3))
    _same_repr(am.randn(2, 2, requires_grad=True), torch.randn(2, 2, requires_grad=True))


def test_size_and_attributes():
    t = am.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert repr(t.shape) == "autograd_mini.Size([2, 3])" == repr(t.size())
    assert t.shape == (2, 3) and isinstance(t.shape, tuple)
    assert (t.ndim, t.dim(), t.numel(), t.size(1), t.size(-1)) == (2, 2, 6, 3, 3)
    assert t.shape.numel() == 6 and t.dtype is am.float32
    assert t.is_leaf and t.grad is None and t.grad_fn is None
    assert t.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert am.tensor(2.5).item() == 2.5 and isinstance(am.tensor(3).item(), int)
    assert t.T.shape == (3, 2) and t.T.grad_fn.name() == "PermuteBackward0"
    c = t.clone()
    assert c.grad_fn.name() == "CloneBackward0" and c.tolist() == t.tolist()
    assert t.detach().numpy().base is not None or t.detach().numpy() is t.array


def test_requires_grad_and_zero_():
    t = am.zeros(2)
    assert t.requires_grad_() is t and t.requires_grad
    t.requires_grad = False
    u = am.tensor([1.0, 2.0])
    assert u.zero_() is u and u.tolist() == [0.0, 0.0]
    u.fill_(3)
    assert u.tolist() == [3.0, 3.0]


def test_comparisons_give_bool_tensors_without_grad():
    x = am.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result in (x > 1.5, x < 2, x >= x, x <= 0, x == 2, x != 2):
        assert result.dtype is am.bool and not result.requires_grad and result.grad_fn is None
    _same_repr(x > 1.5, torch.tensor([1.0, 2.0, 3.0]) > 1.5)


def test_python_conversions():
    assert float(am.tensor(2.5)) == 2.5 and int(am.tensor(3)) == 3
    assert bool(am.tensor(1.0)) and len(am.ones(4, 2)) == 4
    assert [row.tolist() for row in am.tensor([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    assert f"{am.tensor(2.0) / 3:.3f}" == "0.667"
    assert np.asarray(am.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    assert (np.float64(2.0) * am.tensor([1.0])).dtype is am.float32


def test_max_with_dim_returns_values_and_indices():
    x = am.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 0.0]], requires_grad=True)
    theirs = torch.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 0.0]], requires_grad=True)
    for dim in (0, 1, -1):
        mine_values, mine_indices = x.max(dim)
        values, indices = theirs.max(dim)
        _same_repr(mine_values, values)
        _same_repr(mine_indices, indices)
        assert x.min(dim).indices.tolist() == theirs.min(dim).indices.tolist()
    _same_repr(x.max(1, keepdim=True), theirs.max(1, keepdim=True))


def _repr_cases(m):
    """At least 50 tensors covering ints, floats, negatives, huge and tiny values, 0-d to 3-d,
    grad_fn, requires_grad and float64."""
    x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s = m.tensor(9.0, requires_grad=True)
    cases = [
        m.tensor(9.0),
        s,
        s**2,
        m.sin(m.tensor(100.0, requires_grad=True) / 2**1.5),
        x * 2,
        (x * 2).sum(),
        m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True).mean(),
        m.ones(2, 2, requires_grad=True) @ m.ones(2, 2),
        x - 1,
        1 / x,
        x / 3,
        -x,
        x.exp(),
        x.log(),
        x.tanh(),
        m.relu(x - 2),
        m.sigmoid(x),
        m.sqrt(x),
        (x * 2).detach(),
        m.tensor(2.0, dtype=m.float64, requires_grad=True) * 2,
        m.tensor([1.5, -2.25], dtype=m.float64),
        m.tensor(0),
        m.tensor([-3, 0, 12345]),
        m.tensor([[1, -2], [3, 4]]),
        m.tensor([True, False]),
        m.tensor(1e10),
        m.tensor([1e-8, 1.0]),
        m.tensor([1e-5, 1e5]),
        m.tensor([123456789.0, 1.0]),
        m.tensor([0.0, -0.0, 1.0]),
        m.tensor(-0.5),
        m.tensor([0.1, 0.2, 0.3]),
        m.tensor([[0.1234, -5.6789], [100.5, 0.0]]),
        m.tensor([[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]),
        m.tensor([[[1.5]]], requires_grad=True),
        m.tensor([[[1.5]]], requires_grad=True) * 3,
        m.arange(12).reshape(2, 3, 2),
        m.arange(12.0).reshape(3, 4).T,
        m.linspace(-1, 1, 9),
        m.linspace(0, 1e-3, 4, dtype=m.float64),
        m.eye(3, requires_grad=True),
        m.zeros(2, 3),
        m.zeros(0),
        m.ones(3, dtype=m.float64) / 3,
        m.tensor([float("inf"), float("-inf"), float("nan"), 1.0]),
        m.tensor([1.0, 2.0]) ** 40,
        m.tensor([[1.0, 2.0], [3.0, 4.0]]) @ m.tensor([1.0, -1.0]),
        x[1],
        x[1:],
        x[[0, 2]],
        x.max(),
        m.cat([x, x]),
        m.stack([x, x]),
        x.unsqueeze(0),
        x.reshape(3, 1).squeeze(),
        m.arange(30.0) / 7,
        m.tensor(7.0) ** m.tensor(2.0, requires_grad=True),
        2**x,
        1 - x,
    ]
    return cases


def test_repr_matches_torch_on_many_tensors():
    mine, theirs = _repr_cases(am), _repr_cases(torch)
    assert len(mine) >= 50
    for a, b in zip(mine, theirs, strict=True):
        _same_repr(a, b)


def test_index_assignment_matches_torch():
    for module in (torch, am):
        z = module.zeros(3)
        z[1:] = module.tensor([7.0, 8.0])
        n = module.zeros(2, dtype=module.int64)
        n[0] = 2.7
        x = module.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y[x > 2.5] = 0
        y.sum().backward()
        results = [repr(z), repr(n), repr(y), repr(x.grad)]
        if module is torch:
            expected = [r.replace("torch.", "autograd_mini.") for r in results]
    assert results == expected


def test_copy_constructing_warns_like_torch():
    with pytest.warns(UserWarning, match=r"rather than autograd_mini\.tensor\(sourceTensor\)"):
        copy = am.tensor(am.tensor([1.0]))
    assert copy.tolist() == [1.0]


def test_reducing_a_0d_tensor_along_dim_0():
    x = am.tensor(3.0, requires_grad=True)
    y = x.sum(0)
    assert repr(y) == "tensor(3., grad_fn=<SumBackward1>)"
    y.backward()
    assert x.grad.item() == 1.0


def test_iteration_and_the_tensor_class_like_torch():
    for module in (torch, am):
        x = module.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        rows = [repr(row) for row in x]
        plain = repr(module.Tensor([1, 2]))
        if module is torch:
            expected = [r.replace("torch.", "autograd_mini.") for r in rows], plain
    assert (rows, plain) == expected


def _layouts(m):
    t = m.arange(24.0).reshape(2, 3, 4)
    return [
        *(t, t.T, t.transpose(0, 1), t[:, 1], t[..., ::2], t[0].T, t.unsqueeze(1)),
        *(m.ones(3, 1), m.zeros(0, 3), m.zeros(2, 0, 4), m.tensor(5.0)),
    ]


@pytest.mark.filterwarnings("ignore:The use of `x.T`")
def test_stride_and_contiguity_match_torch():
    for mine, theirs in zip(_layouts(am), _layouts(torch), strict=True):
        assert mine.stride() == theirs.stride()
        if mine.ndim:
            assert mine.stride(-1) == theirs.stride(-1)
        assert mine.is_contiguous() == theirs.is_contiguous()


@pytest.mark.parametrize(
    "shape", [(24,), (6, 4), (2, 12), (4, 3, 2), (-1,), (2, -1, 2), (1, 24), (24, 1)]
)
def test_view_refuses_like_torch_and_reshape_copies(shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about .T on 3-d tensors
        for index, (mine, theirs) in enumerate(zip(_layouts(am), _layouts(torch), strict=True)):
            if mine.numel() != 24:
                continue
            try:
                expected = repr(theirs.view(*shape))
            except RuntimeError as error:
                with pytest.raises(RuntimeError) as info:
                    mine.view(*shape)
                assert str(info.value) == str(error), index
            else:
                assert repr(mine.view(*shape)) == expected.replace("torch.", "autograd_mini.")
            assert repr(mine.reshape(*shape)) == _printed(theirs.reshape(*shape))


def _printed(value):
    return repr(value).replace("torch.", "autograd_mini.")


def test_view_of_a_transpose_fails_like_torch_and_changes_nothing():
    errors, names = [], []
    for m in (torch, am):
        grid = m.arange(6.0, requires_grad=True)
        t = grid.reshape(2, 3).T
        with pytest.raises(RuntimeError) as info:
            t.view(6)
        errors.append(str(info.value))
        names.append((t.reshape(6).grad_fn.name(), grid.reshape(3, 2).grad_fn.name()))
        assert t.tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    assert errors[0] == errors[1] and names[0] == names[1]
    assert "Use .reshape(...) instead." in errors[1]


def test_a_view_shares_memory_and_reshape_of_a_transpose_does_not():
    for m in (torch, am):
        x = m.zeros(2, 3)
        x.view(6)[0] = 1.0
        x.T.reshape(6)[1] = 5.0  # a copy: x keeps its values
        printed = repr(x)
        if m is torch:
            expected = _printed(x)
    assert printed == expected


def _logic(m):
    b = m.tensor([True, False, True])
    c = m.tensor([False, False, True])
    n = m.tensor([1, 2, 6])
    t = m.arange(6.0).reshape(2, 3)
    return [
        b & c, b | c, b ^ c, ~b, b & True, True | c, False ^ b,
        n & 3, n | m.tensor([4, 4, 4]), ~n, b & n,
        (t > 1) & (t < 4), ~(t == 2), (t > 4) | (t < 1),
    ]  # fmt: skip


def test_logical_operators_match_torch():
    for mine, theirs in zip(_logic(am), _logic(torch), strict=True):
        assert repr(mine) == _printed(theirs)


@pytest.mark.parametrize(
    "action", [lambda m: m.ones(2) & m.ones(2), lambda m: ~m.ones(2), lambda m: m.ones(2) | True]
)
def test_logical_operators_refuse_floats_like_torch(action):
    errors = []
    for m in (torch, am):
        with pytest.raises(Exception) as info:
            action(m)
        errors.append((type(info.value), str(info.value)))
    assert errors[1] == errors[0]


FORMATS = [
    ("m.tensor(2.0)", ""),
    ("m.tensor(2.0)", ".3f"),
    ("m.tensor(3)", ""),
    ("m.tensor(3)", "05d"),
    ("m.tensor(True)", ""),
    ("m.tensor(1 / 3, dtype=m.float64)", ".2e"),
    ("m.tensor(2.0, requires_grad=True) * 2", ">8"),
    ("m.tensor([1.0, 2.5])", ""),
    ("m.arange(6.0).reshape(2, 3)", ""),
]


@pytest.mark.parametrize("expression, spec", FORMATS)
def test_format_and_f_strings_match_torch(expression, spec):
    theirs = format(eval(expression, {"m": torch}), spec)
    assert format(eval(expression, {"m": am}), spec) == theirs.replace("torch.", "autograd_mini.")


def test_format_spec_on_a_matrix_fails_like_torch():
    errors = []
    for m in (torch, am):
        with pytest.raises(TypeError) as info:
            f"{m.ones(2):.3f}"
        errors.append(str(info.value))
    assert errors[1] == errors[0]
