"""Hypothesis strategies shared by the core tests: shapes, broadcasting pairs and float64 values."""

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

# 0-d to 3-d, sides 1 to 3 (so size-1 dimensions are common)
shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
nonscalar_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)
broadcast_pairs = hnp.mutually_broadcastable_shapes(
    num_shapes=2, min_dims=0, max_dims=3, max_side=3
)

DOMAINS = {
    "any": (-3.0, 3.0),
    "positive": (0.2, 3.0),
    "away_from_zero": (0.05, 3.0),  # used with a random sign: no kinks at 0
}


def arrays(shape, domain="any", unique=False):
    """float64 arrays of ``shape`` with values in the named domain."""
    if domain == "spaced":  # distinct values at least 0.1 apart: no ties for max and min
        return hnp.arrays(
            np.float64, shape, elements=st.integers(-30, 30).map(lambda i: i / 7), unique=True
        )
    low, high = DOMAINS[domain]
    values = hnp.arrays(
        np.float64,
        shape,
        elements=st.floats(low, high, allow_nan=False, width=64),
        unique=unique,
    )
    if domain == "away_from_zero":
        signs = hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
        return st.tuples(values, signs).map(lambda pair: pair[0] * pair[1])
    return values


@st.composite
def unary_inputs(draw, domain="any", shape_strategy=shapes, unique=False):
    """One array."""
    return (draw(arrays(draw(shape_strategy), domain, unique)),)


@st.composite
def binary_inputs(draw, domain_a="any", domain_b="any"):
    """Two arrays whose shapes broadcast together."""
    input_shapes, _ = draw(broadcast_pairs)
    return draw(arrays(input_shapes[0], domain_a)), draw(arrays(input_shapes[1], domain_b))


@st.composite
def matmul_inputs(draw):
    """Two arrays that ``@`` accepts: 1-D, 2-D and batched, with broadcast batch dimensions."""
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch_a, batch_b = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=2)
    ).input_shapes
    kind_a = draw(st.sampled_from(["vector", "matrix", "batch"]))
    kind_b = draw(st.sampled_from(["vector", "matrix", "batch"]))
    shape_a = {"vector": (k,), "matrix": (n, k), "batch": (*batch_a, n, k)}[kind_a]
    shape_b = {"vector": (k,), "matrix": (k, m), "batch": (*batch_b, k, m)}[kind_b]
    return draw(arrays(shape_a)), draw(arrays(shape_b))


@st.composite
def reduction_inputs(draw, domain="any"):
    """An array and a valid ``dim`` (an int or a tuple) plus ``keepdim``."""
    (array,) = draw(unary_inputs(domain, shape_strategy=nonscalar_shapes))
    ndim = array.ndim
    dim = draw(
        st.one_of(
            st.integers(-ndim, ndim - 1),
            st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple),
        )
    )
    return array, dim, draw(st.booleans())
