"""Every op against torch (values, every input's gradient, grad_fn name) and against central
differences (gradcheck, no torch). One table drives all of it."""

from dataclasses import dataclass, field

import numpy as np
import pytest
import strategies as S
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd_mini as am

torch.set_default_dtype(torch.float32)


@dataclass
class Op:
    """One row of the table: ``call(module, *tensors, **params)`` works for torch and for am."""

    name: str
    call: object
    inputs: object  # strategy of (tuple of float64 arrays, params dict)
    differentiable: bool = True
    extra: dict = field(default_factory=dict)


def _no_params(strategy):
    return strategy.map(lambda arrays: (arrays, {}))


unary = _no_params(S.unary_inputs())
positive = _no_params(S.unary_inputs("positive"))
away = _no_params(S.unary_inputs("away_from_zero"))
spaced = _no_params(S.unary_inputs("spaced"))
binary = _no_params(S.binary_inputs())
divisor = _no_params(S.binary_inputs("any", "away_from_zero"))
power = _no_params(S.binary_inputs("positive", "any"))
nonscalar = _no_params(S.unary_inputs(shape_strategy=S.nonscalar_shapes))
matrix = _no_params(
    S.unary_inputs(shape_strategy=S.hnp.array_shapes(min_dims=2, max_dims=2, max_side=3))
)
reductions = S.reduction_inputs().map(lambda t: ((t[0],), {"dim": t[1], "keepdim": t[2]}))
single_dim = S.reduction_inputs("spaced").map(
    lambda t: ((t[0],), {"dim": t[1] if isinstance(t[1], int) else t[1][0], "keepdim": t[2]})
)
same_shape_pair = _no_params(
    S.nonscalar_shapes.flatmap(lambda shape: st.tuples(S.arrays(shape), S.arrays(shape)))
)
matmul = _no_params(S.matmul_inputs())


def _write_into(m, a, b):
    y = a * 1
    y[0] = b[0] * 2
    return y


OPS = [
    Op("add", lambda m, a, b: a + b, binary),
    Op("sub", lambda m, a, b: a - b, binary),
    Op("mul", lambda m, a, b: a * b, binary),
    Op("div", lambda m, a, b: a / b, divisor),
    Op("pow_tensor", lambda m, a, b: a**b, power),
    Op("add_number", lambda m, x: x + 2.5, unary),
    Op("radd_number", lambda m, x: 2.5 + x, unary),
    Op("sub_number", lambda m, x: x - 2, unary),
    Op("rsub_number", lambda m, x: 1 - x, unary),
    Op("mul_number", lambda m, x: x * 3, unary),
    Op("rmul_number", lambda m, x: 0.5 * x, unary),
    Op("div_number", lambda m, x: x / 4, unary),
    Op("rdiv_number", lambda m, x: 2 / x, away),
    Op("square", lambda m, x: x**2, unary),
    Op("cube", lambda m, x: x**3, unary),
    Op("pow_fraction", lambda m, x: x**1.5, positive),
    Op("pow_negative", lambda m, x: x**-1, away),
    Op("pow_zero", lambda m, x: x**0, unary),
    Op("rpow_number", lambda m, x: 2**x, unary),
    Op("neg", lambda m, x: -x, unary),
    Op("abs", lambda m, x: m.abs(x), away),
    Op("exp", lambda m, x: m.exp(x), unary),
    Op("log", lambda m, x: m.log(x), positive),
    Op("sqrt", lambda m, x: m.sqrt(x), positive),
    Op("sin", lambda m, x: m.sin(x), unary),
    Op("cos", lambda m, x: m.cos(x), unary),
    Op("tanh", lambda m, x: m.tanh(x), unary),
    Op("sigmoid", lambda m, x: m.sigmoid(x), unary),
    Op("relu", lambda m, x: m.relu(x), away),
    Op("method_exp", lambda m, x: x.exp(), unary),
    Op("method_relu", lambda m, x: x.relu(), away),
    Op("sum", lambda m, x: x.sum(), unary),
    Op("sum_dim", lambda m, x, **p: x.sum(**p), reductions),
    Op("mean", lambda m, x: x.mean(), unary),
    Op("mean_dim", lambda m, x, **p: x.mean(**p), reductions),
    Op("max", lambda m, x: x.max(), spaced),
    Op("min", lambda m, x: m.min(x), spaced),
    Op("max_dim", lambda m, x, **p: x.max(**p)[0], single_dim),
    Op("min_dim", lambda m, x, **p: x.min(**p).values, single_dim),
    Op("reshape", lambda m, x: x.reshape(-1), unary),
    Op("view", lambda m, x: x.view(x.numel(), 1), unary),
    Op("transpose", lambda m, x: x.transpose(0, -1), nonscalar),
    Op("permute", lambda m, x: x.permute(*reversed(range(x.ndim))), nonscalar),
    Op("T", lambda m, x: x.T, matrix),
    Op("squeeze", lambda m, x: x.squeeze(), unary),
    Op("squeeze_dim", lambda m, x: x.squeeze(0), nonscalar),
    Op("unsqueeze", lambda m, x: x.unsqueeze(0), unary),
    Op("unsqueeze_last", lambda m, x: x.unsqueeze(-1), unary),
    Op("clone", lambda m, x: x.clone(), unary),
    Op("select", lambda m, x: x[0], nonscalar),
    Op("select_last", lambda m, x: x[..., -1], nonscalar),
    Op("slice", lambda m, x: x[::2], nonscalar),
    Op("slice_inner", lambda m, x: x[..., 1:], nonscalar),
    Op("none_index", lambda m, x: x[None], unary),
    Op("index_list", lambda m, x: x[[0, 0, -1]], nonscalar),
    Op("index_mask", lambda m, x: x[x > 0], away),
    Op("setitem", _write_into, same_shape_pair),
    Op("cat", lambda m, a, b: m.cat([a, b]), same_shape_pair),
    Op("cat_last", lambda m, a, b: m.cat([a, b], dim=-1), same_shape_pair),
    Op("stack", lambda m, a, b: m.stack([a, b]), same_shape_pair),
    Op("stack_last", lambda m, a, b: m.stack([a, b], dim=-1), same_shape_pair),
    Op("matmul", lambda m, a, b: a @ b, matmul),
    Op("matmul_function", lambda m, a, b: m.matmul(a, b), matmul),
    Op("composite", lambda m, a, b: (m.sin(a) * b + a / 3).sum() ** 2, binary),
    Op("gt", lambda m, a, b: a > b, binary, differentiable=False),
    Op("le", lambda m, a, b: a <= b, binary, differentiable=False),
    Op("eq", lambda m, a, b: a == a, binary, differentiable=False),
]


def _run(module, make, arrays, op, params):
    tensors = [make(array) for array in arrays]
    return tensors, op.call(module, *tensors, **params)


def _grad_output(shape):
    size = int(np.prod(shape))
    return np.linspace(0.5, 1.5, size).reshape(shape) if size > 1 else np.full(shape, 1.25)


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
def test_op_matches_torch(op):
    @SETTINGS
    @given(op.inputs)
    def check(drawn):
        arrays, params = drawn
        grad = op.differentiable
        torch_inputs, torch_out = _run(
            torch, lambda a: torch.tensor(a, requires_grad=grad), arrays, op, params
        )
        mini_inputs, mini_out = _run(
            am, lambda a: am.tensor(a, requires_grad=grad), arrays, op, params
        )
        assert mini_out.shape == tuple(torch_out.shape)
        assert mini_out.dtype.name == str(torch_out.dtype).removeprefix("torch.")
        np.testing.assert_allclose(
            mini_out.numpy() if not grad else mini_out.detach().numpy(),
            torch_out.detach().numpy(),
            rtol=1e-7,
            atol=1e-12,
        )
        if not grad:
            assert mini_out.grad_fn is None and not mini_out.requires_grad
            return
        assert mini_out.grad_fn.name() == torch_out.grad_fn.name().replace(
            "torch::", "autograd_mini::"
        )
        seed = _grad_output(tuple(torch_out.shape))
        for _ in range(2):  # the second pass accumulates into the first one's .grad
            torch_out.backward(torch.tensor(seed), retain_graph=True)
            mini_out.backward(am.tensor(seed), retain_graph=True)
            if mini_inputs[0].grad is not None:
                mini_inputs[0].grad.zero_()  # must not disturb any other gradient
                torch_inputs[0].grad.zero_()
        for t_in, m_in in zip(torch_inputs, mini_inputs, strict=True):
            expected = t_in.grad.numpy() if t_in.grad is not None else np.zeros(t_in.shape)
            np.testing.assert_allclose(m_in.grad.numpy(), expected, rtol=1e-7, atol=1e-12)

    check()


@pytest.mark.parametrize(
    "op", [op for op in OPS if op.differentiable], ids=[op.name for op in OPS if op.differentiable]
)
def test_op_gradcheck(op):
    @settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(op.inputs)
    def check(drawn):
        arrays, params = drawn
        inputs = [am.tensor(array, requires_grad=True) for array in arrays]
        assert am.gradcheck(lambda *xs: op.call(am, *xs, **params), inputs)

    check()


# ----- the edges: 0, -0, infinities and nan, where derivatives blow up or are defined by convention
EDGE_VALUES = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -2.0]
EDGE_OPS = {
    "log": lambda m, x: m.log(x),
    "exp": lambda m, x: m.exp(x),
    "sqrt": lambda m, x: m.sqrt(x),
    "abs": lambda m, x: m.abs(x),
    "relu": lambda m, x: m.relu(x),
    "sin": lambda m, x: m.sin(x),
    "cos": lambda m, x: m.cos(x),
    "tanh": lambda m, x: m.tanh(x),
    "sigmoid": lambda m, x: m.sigmoid(x),
    "1 / x": lambda m, x: 1 / x,
    "reciprocal": lambda m, x: x.reciprocal(),
    "neg": lambda m, x: -x,
    "x ** 2": lambda m, x: x**2,
    "x ** 3": lambda m, x: x**3,
    "x ** -1": lambda m, x: x**-1,
    "x ** -2": lambda m, x: x**-2,
    "x ** 1.5": lambda m, x: x**1.5,
    "x ** 0": lambda m, x: x**0,
    "1 / x (tensors)": lambda m, x: m.ones(len(EDGE_VALUES)) / x,
    "x / 0": lambda m, x: x / m.zeros(len(EDGE_VALUES)),
    "x / x": lambda m, x: x / x,
    "2 ** x": lambda m, x: 2**x,
    "0 ** x": lambda m, x: 0**x,
    "x ** tensor(2)": lambda m, x: x ** m.tensor(2.0),
    # a tensor exponent takes C's pow, also where a number exponent takes sqrt or 1 / sqrt
    "x ** tensor(0.5)": lambda m, x: x ** m.tensor(0.5),
    "x ** tensor(-0.5)": lambda m, x: x ** m.tensor(-0.5),
    "x ** tensor([0.5]) (repeated)": lambda m, x: x ** m.tensor([0.5]),
    "x ** 0.5": lambda m, x: x**0.5,
    "x ** -0.5": lambda m, x: x**-0.5,
    "tensor(0) ** x": lambda m, x: m.tensor(0.0) ** x,
    "tensor(2) ** x": lambda m, x: m.tensor(2.0) ** x,
    "x ** x": lambda m, x: x**x,
    "x * x": lambda m, x: x * x,
    "max": lambda m, x: x.max(),
    "min": lambda m, x: x.min(),
    "mean": lambda m, x: x.mean(),
    "sum": lambda m, x: x.sum(),
    "x @ x": lambda m, x: x @ x,
    "masked_fill": lambda m, x: x.masked_fill(x > 0.7, 5.0),
}


def _value_and_gradient(m, op, dtype):
    x = m.tensor(EDGE_VALUES, dtype=getattr(m, dtype), requires_grad=True)
    y = op(m, x)
    y.backward(m.ones_like(y))
    return y.detach().numpy().astype(np.float64), x.grad.numpy().astype(np.float64)


def _assert_same_including_signs(mine, theirs):
    np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=0, equal_nan=True)
    is_number = ~np.isnan(theirs)
    np.testing.assert_array_equal(np.signbit(mine[is_number]), np.signbit(theirs[is_number]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # pytest re-enables numpy's inf/nan notes
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(EDGE_OPS))
def test_values_and_gradients_at_zero_infinity_and_nan_match_torch(name, dtype):
    mine = _value_and_gradient(am, EDGE_OPS[name], dtype)
    theirs = _value_and_gradient(torch, EDGE_OPS[name], dtype)
    for a, b in zip(mine, theirs, strict=True):
        _assert_same_including_signs(a, b)
