"""Gradients at kinks, where a slope is not defined and torch picks one: relu and abs at 0, and
ties for the largest (or smallest) entry of max, min and max(dim). Chapter 4 states that
autograd_mini makes torch's choice at each; generated inputs with many ties check it."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_mini as am

# Few distinct values (0 included), so ties and exact zeros are the rule, not the exception.
tied_arrays = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    elements=st.sampled_from([-1.0, 0.0, 2.0]),
)

KINKED = {
    "relu": lambda x: x.relu(),
    "abs": lambda x: x.abs(),
    "max()": lambda x: x.max(),
    "min()": lambda x: x.min(),
    "max(dim=-1).values": lambda x: x.max(dim=-1).values,
    "min(dim=0).values": lambda x: x.min(dim=0).values,
    "max(dim=-1, keepdim=True).values": lambda x: x.max(dim=-1, keepdim=True).values,
}


def _gradient(library, values, op):
    x = library.tensor(values, requires_grad=True)
    y = op(x)
    y.backward(library.ones_like(y))
    return x.grad.numpy()


@pytest.mark.parametrize("name", list(KINKED))
@settings(max_examples=40, deadline=None)
@given(values=tied_arrays)
def test_gradients_at_kinks_and_ties_match_torch(name, values):
    mine = _gradient(am, values, KINKED[name])
    theirs = _gradient(torch, values, KINKED[name])
    np.testing.assert_array_equal(mine, theirs)


def test_the_chapters_examples():
    """The numbers chapter 4 prints: slopes 0 at the kinks, an equal share for a tie."""
    for library in (torch, am):
        assert _gradient(library, [-1.0, 0.0, 1.0], KINKED["relu"]).tolist() == [0, 0, 1]
        assert _gradient(library, [-1.0, 0.0, 1.0], KINKED["abs"]).tolist() == [-1, 0, 1]
        assert _gradient(library, [1.0, 3.0, 3.0], KINKED["max()"]).tolist() == [0, 0.5, 0.5]
        x = library.tensor([1.0, 3.0, 3.0], requires_grad=True)
        x.max(dim=0).values.backward()
        assert x.grad.tolist() == [0, 1, 0]
