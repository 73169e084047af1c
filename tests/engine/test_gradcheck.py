"""gradcheck: central differences against backward, without torch."""

import pytest

import autograd_mini as am


def _inputs(*values):
    return tuple(am.tensor(v, dtype=am.float64, requires_grad=True) for v in values)


def test_gradcheck_passes_on_a_correct_function():
    a, b = _inputs([[0.5, -1.0], [2.0, 0.3]], [1.5, -0.5])
    assert am.gradcheck(lambda a, b: (a @ b).tanh() * b.exp(), (a, b))


def test_gradcheck_accepts_a_single_tensor_and_non_tensor_inputs():
    (x,) = _inputs([0.1, 0.2])
    assert am.gradcheck(lambda x: x.sin(), x)
    assert am.gradcheck(lambda x, n: x**n, (x, 3))


class _Wrong(am.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x  # should be 2x


def test_gradcheck_reports_the_worst_mismatch():
    (x,) = _inputs([1.0, 3.0])
    with pytest.raises(am.GradcheckError) as info:
        am.gradcheck(_Wrong.apply, (x,))
    message = str(info.value)
    assert message.startswith("Jacobian mismatch for output 0 with respect to input 0")
    assert "worst mismatch at (output element, input element) (1, 1)" in message
    assert "numerical 6.0" in message and "analytical 3.0" in message
    assert isinstance(info.value, RuntimeError)


def test_gradcheck_can_return_false():
    (x,) = _inputs([1.0])
    assert am.gradcheck(_Wrong.apply, (x,), raise_exception=False) is False


def test_gradcheck_leaves_no_gradient_behind():
    (x,) = _inputs([1.0, 2.0])
    am.gradcheck(lambda x: (x * x).sum(), (x,))
    assert x.grad is None and x.tolist() == [1.0, 2.0]
