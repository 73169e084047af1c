"""Broadcast shapes and the one helper that sums gradients back."""

import numpy as np
import pytest
import strategies as S
from hypothesis import given, settings

import autograd_mini as am
from autograd_mini.broadcast import broadcast_shapes, unbroadcast


@settings(max_examples=40, deadline=None)
@given(S.broadcast_pairs)
def test_broadcast_shapes_agrees_with_numpy(pair):
    a, b = pair.input_shapes
    assert broadcast_shapes(a, b) == np.broadcast_shapes(a, b)


@settings(max_examples=40, deadline=None)
@given(S.broadcast_pairs)
def test_unbroadcast_sums_to_the_input_shape(pair):
    shape, _ = pair.input_shapes
    grad = am.ones(pair.result_shape, dtype=am.float64)
    summed = unbroadcast(grad, shape)
    assert summed.shape == shape
    copies = int(np.prod(pair.result_shape)) // max(int(np.prod(shape)), 1)
    assert np.all(summed.numpy() == copies)


def test_unbroadcast_returns_the_same_tensor_when_shapes_match():
    grad = am.ones(2, 3)
    assert unbroadcast(grad, (2, 3)) is grad


def test_mismatch_message():
    with pytest.raises(RuntimeError, match=r"tensor a \(3\) must match .* b \(4\) .* dimension 1"):
        broadcast_shapes((2, 3), (4,))
