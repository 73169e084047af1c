"""autograd_mini's printouts are torch's, character for character.

Every case builds the same values twice: a numpy array for `format_tensor`, and a torch tensor made
from that array. The expected text is always what torch prints in this run, with `torch.` read as
`autograd_mini.`.
"""

import subprocess
import sys

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_mini.printing import format_dtype, format_size, format_tensor

RNG = np.random.default_rng(0)
NAN, INF = float("nan"), float("inf")


def f32(values):
    return np.array(values, dtype=np.float32)


def f64(values):
    return np.array(values, dtype=np.float64)


def i64(values):
    return np.array(values, dtype=np.int64)


def booleans(values):
    return np.array(values, dtype=np.bool_)


CASES = {
    # 0-d
    "scalar whole": f32(81.0),
    "scalar sin": f32(np.sin(np.float32(100.0) / np.float32(2**1.5))),
    "scalar mean": f32(2.5),
    "scalar tenth f32": f32(0.1),
    "scalar tenth f64": f64(0.1),
    "scalar third f64": f64(1 / 3),
    "scalar small": f32(1e-5),
    "scalar large": f32(1e10),
    "scalar 1e8": f32(1e8),
    "scalar just above 1e8": f64(100000001.0),
    "scalar negative zero": f32(-0.0),
    "scalar zero": f32(0.0),
    "scalar nan": f32(NAN),
    "scalar inf": f32(INF),
    "scalar -inf f64": f64(-INF),
    "scalar denormal f32": f32(1e-45),
    "scalar float32 max": f32(np.finfo(np.float32).max),
    "scalar float64 huge": f64(1e308),
    "scalar rounds up": f32(0.99995),
    "scalar int": i64(3),
    "scalar negative int": i64(-7),
    "scalar true": booleans(True),
    "scalar false": booleans(False),
    # 1-d
    "vector doubled": f32([2.0, 4.0, 6.0]),
    "vector sci": f32([1e-8, 1e10]),
    "vector tenths": f32([0.1, 0.2, 0.3]),
    "vector tenths f64": f64([0.1, 0.2, 0.3]),
    "vector signs": f32([-1.0, 0.0, 1.0]),
    "vector ratio 1000": f32([0.001, 1.0]),
    "vector ratio above 1000": f32([0.001, 1.5]),
    "vector ratio 1e6": f32([0.001, 1000.0]),
    "vector 1e-4 f32": f32([1e-4, 0.5]),
    "vector 1e-4 f64": f64([1e-4, 0.5]),
    "vector 1e8 and 1": f64([1e8, 1.0]),
    "vector whole large": f32([12345678.0, -3.0]),
    "vector nan inf": f32([NAN, 1.5, -INF]),
    "vector nan inf whole": f32([NAN, 1.0, INF]),
    "vector nan inf sci": f32([NAN, 1e-9, INF, 3.0]),
    "vector all nan": f32([NAN, NAN]),
    "vector all inf": f64([INF, -INF]),
    "vector zeros": f32([0.0, 0.0, 0.0]),
    "vector negative zeros": f32([-0.0, 0.0]),
    "vector negative zero and one": f32([-0.0, 1.0]),
    "vector negative zero fraction": f32([-0.0, 0.5]),
    "vector rounding": f32([9.99995, 1.0, -0.00015]),
    "vector mixed magnitudes": f64([3.14159, -2.5e-3, 42.0]),
    "vector ints": i64([1, 2, 3]),
    "vector negative ints": i64([-1, 0, 10, -100]),
    "vector huge ints": i64([10**15, -3]),
    "vector int64 limits": i64([np.iinfo(np.int64).min, np.iinfo(np.int64).max]),
    "vector bools": booleans([True, False, True]),
    "vector all true": booleans([True, True]),
    "vector one": f32([7.0]),
    # 1-d rows that wrap at 80 characters
    "wrap whole": np.arange(40, dtype=np.float32),
    "wrap linspace": np.linspace(0, 1, 30, dtype=np.float32),
    "wrap random f64": RNG.standard_normal(25),
    "wrap ints": np.arange(100, dtype=np.int64) * 997,
    "wrap bools": RNG.random(60) > 0.5,
    "wrap negative sci": -np.logspace(-6, 6, 20, dtype=np.float32),
    "wrap seventeen": np.arange(17, dtype=np.float32) / 3,
    # 2-d
    "matrix ones": np.full((2, 2), 2.0, dtype=np.float32),
    "matrix small": f32([[1.0, 2.0], [3.0, 4.0]]),
    "matrix random f32": RNG.standard_normal((3, 4)).astype(np.float32),
    "matrix random f64": RNG.standard_normal((4, 3)),
    "matrix wide": RNG.standard_normal((4, 30)).astype(np.float32),
    "matrix ints": i64([[1, -20], [300, 4]]),
    "matrix bools": booleans([[True, False], [False, True]]),
    "matrix sci": f32([[1e-6, 2.0], [3e5, -4.0]]),
    "matrix nan": f32([[NAN, 1.0], [2.5, -INF]]),
    "matrix row": f32([[1.5, 2.5, 3.5]]),
    "matrix column": f32([[1.5], [2.5], [3.5]]),
    # 3-d
    "cube random": RNG.standard_normal((2, 3, 4)).astype(np.float32),
    "cube ints": np.arange(8, dtype=np.int64).reshape(2, 2, 2),
    "cube sci": (RNG.standard_normal((2, 2, 3)) * 1e9).astype(np.float32),
    "cube single": f32([[[5.0]]]),
    "cube wide": RNG.random((2, 2, 20)),
    "hypercube": np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2) / 4,
    # empty
    "empty vector": f32([]),
    "empty matrix": np.zeros((0, 3), dtype=np.float32),
    "empty cube": np.zeros((2, 0, 4), dtype=np.float32),
    "empty ints": i64([]),
    "empty bools": booleans([]),
    "empty f64 matrix": np.zeros((0, 3), dtype=np.float64),
    # more than 1000 elements: summarised
    "threshold exactly": np.arange(1000, dtype=np.float32).reshape(10, 100) / 8,
    "summary arange": np.arange(1001, dtype=np.float32),
    "summary random": RNG.standard_normal(2000).astype(np.float32),
    "summary matrix": RNG.standard_normal((100, 100)).astype(np.float32),
    "summary cube": RNG.random((10, 10, 11)),
    "summary two rows": np.arange(2000, dtype=np.int64).reshape(2, 1000),
    "summary tall": np.arange(3000, dtype=np.float32).reshape(1000, 3) / 7,
    "summary bools": RNG.random(1001) > 0.5,
    "summary sci": np.logspace(-10, 10, 1200, dtype=np.float32),
    "summary edges decide": np.concatenate([f32([1.5] * 3), f32([1e-9] * 1000), f32([2.0] * 3)]),
    "summary 4-d": RNG.standard_normal((7, 7, 7, 7)).astype(np.float32),
}

DTYPE_NAMES = {
    np.dtype(np.float32): "float32",
    np.dtype(np.float64): "float64",
    np.dtype(np.int64): "int64",
    np.dtype(np.bool_): "bool",
}


def torch_printout(tensor: torch.Tensor) -> str:
    """What torch prints, with its module name read as ours."""
    return repr(tensor).replace("torch.", "autograd_mini.")


def check_parity(array: np.ndarray, suffix: str) -> None:
    """Compare one array printed plain, as a leaf that requires grad, or as an op's result.

    `suffix` is "plain", "requires_grad", "grad_fn" (the result of `x * 1`) or "sigmoid" (the
    result of `torch.sigmoid(x)`, a longer grad_fn name that wraps sooner).
    """
    dtype_name = DTYPE_NAMES[array.dtype]
    tensor = torch.from_numpy(array.copy())
    if suffix == "plain":
        ours = format_tensor(array, dtype_name)
    elif suffix == "requires_grad":
        tensor.requires_grad_()
        ours = format_tensor(array, dtype_name, requires_grad=True)
    else:
        leaf = tensor.requires_grad_()
        tensor = torch.sigmoid(leaf) if suffix == "sigmoid" else leaf * 1
        name = type(tensor.grad_fn).__name__
        values = tensor.detach().numpy() if suffix == "sigmoid" else array
        ours = format_tensor(values, dtype_name, True, grad_fn_name=name)
    assert ours == torch_printout(tensor)


@pytest.mark.parametrize("name", CASES)
def test_plain_printout_matches_torch(name):
    check_parity(CASES[name], "plain")


FLOAT_CASES = [name for name, array in CASES.items() if array.dtype.kind == "f"]


@pytest.mark.parametrize("suffix", ["requires_grad", "grad_fn"])
@pytest.mark.parametrize("name", FLOAT_CASES)
def test_printout_with_grad_suffix_matches_torch(name, suffix):
    check_parity(CASES[name], suffix)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("length", range(1, 16))
def test_suffixes_wrap_like_torch(length, dtype):
    """Rows ending near column 80 push `dtype=` and `grad_fn=` onto a new line exactly as torch."""
    array = (np.arange(length) * 1.25).astype(dtype)
    for suffix in ("plain", "requires_grad", "grad_fn", "sigmoid"):
        check_parity(array, suffix)


def test_examples_from_the_course():
    x = torch.tensor(9.0, requires_grad=True)
    assert format_tensor(np.float32(9.0), "float32", requires_grad=True) == repr(x)
    assert format_tensor(np.float32(81.0), "float32", grad_fn_name="PowBackward0") == repr(x**2)
    y = torch.sin(torch.tensor(100.0, requires_grad=True) / 2**1.5)
    assert format_tensor(y.detach().numpy(), "float32", grad_fn_name="SinBackward0") == repr(y)
    z = torch.tensor(1.0, dtype=torch.float64, requires_grad=True) * 2
    ours = format_tensor(np.float64(2.0), "float64", grad_fn_name="MulBackward0")
    assert ours == "tensor(2., dtype=autograd_mini.float64, grad_fn=<MulBackward0>)"
    assert ours == torch_printout(z)


def test_input_is_converted_to_the_named_dtype():
    """Lists, Python numbers and non-contiguous views print like the tensor they become."""
    matrix = np.arange(6, dtype=np.float64).reshape(2, 3) / 3
    assert format_tensor(matrix.T, "float32") == repr(torch.tensor(matrix.T, dtype=torch.float32))
    assert format_tensor([1, 2], "float64") == torch_printout(torch.tensor([1.0, 2.0]).double())
    assert format_tensor(0.1, "float32") == repr(torch.tensor(0.1))


@pytest.mark.parametrize("shape", [(), (0,), (2, 3), (1, 0, 4)])
def test_size_printout_matches_torch(shape):
    assert format_size(shape) == torch_printout(torch.Size(shape))
    assert format_size(np.array(shape, dtype=np.int64)) == torch_printout(torch.Size(shape))


@pytest.mark.parametrize("name", ["float32", "float64", "int64", "bool"])
def test_dtype_printout_matches_torch(name):
    assert format_dtype(name) == torch_printout(getattr(torch, name))


def test_printing_imports_numpy_only():
    code = "import sys, autograd_mini.printing; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@st.composite
def float_arrays(draw):
    """float32/float64 arrays of random shape and magnitude (1e-12 to 1e12), specials included."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12))
    scale = 10.0 ** draw(st.integers(-12, 12))
    width = 32 if dtype is np.float32 else 64
    elements = st.one_of(
        st.floats(-10, 10, width=width).map(lambda value: value * scale),
        st.integers(-1000, 1000).map(float),
        st.floats(width=width),
        st.sampled_from([0.0, -0.0]),
    )
    values = draw(hnp.arrays(np.float64, shape, elements=elements))
    with np.errstate(over="ignore"):
        return values.astype(dtype)


@settings(max_examples=150, deadline=None)
@given(float_arrays(), st.sampled_from(["plain", "requires_grad", "grad_fn"]))
def test_random_float_arrays_print_like_torch(array, suffix):
    check_parity(array, suffix)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        st.sampled_from([np.dtype(np.int64), np.dtype(np.bool_)]),
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12),
    )
)
def test_random_integer_and_bool_arrays_print_like_torch(array):
    check_parity(array, "plain")
