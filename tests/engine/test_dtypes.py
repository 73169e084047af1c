"""dtypes print like torch's and mix like torch's (promotion in one place: dtypes.result_type)."""

import itertools

import pytest
import torch

import autograd_mini as am


def test_dtype_reprs():
    assert repr(am.float32) == "autograd_mini.float32"
    assert str(am.float64) == "autograd_mini.float64"
    assert [repr(d) for d in (am.int64, am.bool)] == ["autograd_mini.int64", "autograd_mini.bool"]


def test_defaults_for_python_numbers():
    for value in (9.0, 3, True, [1, 2.0], [True, 1], [[1, 2]], [True]):
        assert repr(am.tensor(value).dtype) == repr(torch.tensor(value).dtype).replace(
            "torch.", "autograd_mini."
        )


OPERANDS = {
    "f32 1-d": lambda m: m.tensor([1.5, 2.0]),
    "f64 1-d": lambda m: m.tensor([1.5, 2.0], dtype=m.float64),
    "i64 1-d": lambda m: m.tensor([1, 2]),
    "bool 1-d": lambda m: m.tensor([True, False]),
    "f32 0-d": lambda m: m.tensor(2.5),
    "f64 0-d": lambda m: m.tensor(2.5, dtype=m.float64),
    "i64 0-d": lambda m: m.tensor(3),
    "bool 0-d": lambda m: m.tensor(True),
    "float": lambda m: 2.5,
    "int": lambda m: 3,
    "bool": lambda m: True,
}


@pytest.mark.parametrize(
    "left,right",
    [
        (a, b)
        for a, b in itertools.product(OPERANDS, repeat=2)
        if not (a in ("float", "int", "bool") and b in ("float", "int", "bool"))
    ],
)
def test_promotion_matches_torch(left, right):
    for op in (lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a / b):
        theirs = op(OPERANDS[left](torch), OPERANDS[right](torch))
        mine = op(OPERANDS[left](am), OPERANDS[right](am))
        assert repr(mine.dtype) == repr(theirs.dtype).replace("torch.", "autograd_mini.")
        assert mine.tolist() == pytest.approx(theirs.tolist(), nan_ok=True)


def test_float32_results_match_torch_bit_for_bit():
    values = [0.1, 1 / 3, 2.0**0.5, 1e-3, 123.456]
    for op in (
        lambda t: t * 0.1,
        lambda t: t / 3,
        lambda t: (t + 0.7) ** 2,
        lambda t: 1 - t * t,
        lambda t: t @ t,
    ):
        mine = op(am.tensor(values)).numpy()
        theirs = op(torch.tensor(values)).numpy()
        assert mine.dtype == theirs.dtype and (mine == theirs).all()
