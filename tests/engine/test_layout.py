"""Memory layout against torch: strides and contiguity of views, of new results and of
gradients, and what they decide (whether ``view`` works, which node ``reshape`` records, which
in-place writes overlap), on tensors laid out by random chains of views."""

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_mini as am
from autograd_mini.left_out import LeftOut

LIBRARIES = (torch, am)

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)
dims = st.integers(-3, 2)

# one view step: (name, argument); each is applied to both libraries by ``view_step``
view_steps = st.one_of(
    st.tuples(st.just("T"), st.none()),
    st.tuples(st.just("transpose"), st.tuples(dims, dims)),
    st.tuples(st.just("permute"), st.permutations(range(4))),
    st.tuples(st.just("unsqueeze"), st.integers(-4, 3)),
    st.tuples(st.just("squeeze"), st.none() | dims),
    st.tuples(st.just("expand"), st.integers(0, 2)),
    st.tuples(st.just("slice"), st.tuples(dims, st.integers(0, 2), st.integers(1, 2))),
    st.tuples(st.just("select"), st.tuples(dims, st.integers(-1, 1))),
    st.tuples(st.just("None"), st.integers(0, 3)),
    st.tuples(
        st.just("reshape"),
        st.sampled_from([(-1,), (1, -1), (-1, 1), (1, -1, 1), "ones", "flatten", "detach"]),
    ),
)


def view_step(tensor, step):
    """The view ``step`` of ``tensor`` (either library)."""
    name, argument = step
    if name == "T":
        return tensor.T
    if name == "transpose":
        return tensor.transpose(*argument)
    if name in ("permute", "expand", "select") and tensor.dim() == 0:
        return tensor
    if name == "permute":
        return tensor.permute(*[dim for dim in argument if dim < tensor.dim()])
    if name == "unsqueeze":
        return tensor.unsqueeze(argument)
    if name == "squeeze":
        return tensor.squeeze() if argument is None else tensor.squeeze(argument)
    if name == "expand":  # size-1 dimensions repeated, and ``argument`` new leading ones
        sizes = [2 if size == 1 else size for size in tensor.shape]
        return tensor.expand(*[argument] * min(argument, 1), *sizes)
    if name == "slice":
        dim, start, stride = argument
        return tensor[(slice(None),) * (dim % max(tensor.dim(), 1)) + (slice(start, None, stride),)]
    if name == "select":
        dim, index = argument
        return tensor[(slice(None),) * (dim % max(tensor.dim(), 1)) + (index,)]
    if name == "None":
        return tensor[(slice(None),) * min(argument, tensor.dim()) + (None,)]
    if argument == "ones":
        return tensor.reshape(1, *tensor.shape, 1)
    if argument == "flatten":
        return tensor.flatten()
    if argument == "detach":
        return tensor.detach()
    return tensor.reshape(*argument)


def laid_out(shape, steps, dtype="float64"):
    """The same tensor in both libraries: ``arange`` values in ``shape``, then each view step
    torch accepts (a step torch refuses must be refused by autograd_mini with its error)."""
    count = int(np.prod(shape))
    pair = [lib.arange(count, dtype=getattr(lib, dtype)).reshape(shape) for lib in LIBRARIES]
    for step in steps:
        pair, refused = both(lambda tensor, i: view_step(tensor, step), pair)  # noqa: B023
        if refused:
            break
        check_same_layout(*pair)
    return pair


def both(operation, pair):
    """``operation`` on each of the pair; ``(results, True)`` when torch raised, after checking
    autograd_mini raised the same error."""
    try:
        expected = operation(pair[0], 0)
    except Exception as error:
        with pytest.raises(type(error)) as raised:
            operation(pair[1], 1)
        assert str(raised.value) == str(error).replace("torch", "autograd_mini")
        return pair, True
    return (expected, operation(pair[1], 1)), False


def check_same_layout(expected, actual):
    assert tuple(actual.shape) == tuple(expected.shape)
    assert actual.stride() == expected.stride(), (expected.shape, expected.stride())
    assert actual.is_contiguous() == expected.is_contiguous()
    np.testing.assert_allclose(actual.detach().numpy(), expected.detach().numpy(), rtol=1e-6)


layouts = st.tuples(shapes, st.lists(view_steps, max_size=4))


@settings(max_examples=300, deadline=None)
@given(layouts)
def test_views_have_torch_strides(layout):
    laid_out(*layout)


UNARY = {
    "neg": lambda t: -t,
    "exp": lambda t: t.exp(),
    "times a number": lambda t: t * 2,
    "number minus": lambda t: 1 - t,
    "compared": lambda t: t > 1,
    "clone": lambda t: t.clone(),
    "cast": lambda t: t.float(),
    "sum over a dim": lambda t: t.sum(0),
    "sum keepdim": lambda t: t.sum(-1, keepdim=True),
    "mean over a dim": lambda t: t.mean(0),
    "max over a dim": lambda t: t.max(0).values,
    "masked_fill": lambda t: t.masked_fill(t > 1, 0),
    "relu": lambda t: t.relu(),
    "pow": lambda t: t**2,
    "number to the power": lambda t: 2**t,
}


@settings(max_examples=300, deadline=None)
@given(layouts, st.sampled_from(sorted(UNARY)))
def test_new_results_follow_torch_layout(layout, name):
    pair = laid_out(*layout)
    results, refused = both(lambda tensor, i: UNARY[name](tensor), pair)
    if not refused:
        check_same_layout(*results)


@settings(max_examples=300, deadline=None)
@given(layouts, layouts, st.sampled_from(["+", "*", "-", "<"]))
def test_binary_results_follow_the_first_operand_as_torch(first, second, operator):
    a, b = laid_out(*first), laid_out(*second)
    operation = {
        "+": lambda x, y: x + y,
        "*": lambda x, y: x * y,
        "-": lambda x, y: x - y,
        "<": lambda x, y: x < y,
    }[operator]
    results, refused = both(lambda tensor, i: operation(tensor, b[i]), a)
    if not refused:
        check_same_layout(*results)


@settings(max_examples=300, deadline=None)
@given(layouts, st.sampled_from(["reshape", "view", "flatten"]))
def test_reshape_is_a_view_exactly_when_torch_s_is(layout, how):
    """``view`` refused with torch's error, and the node ``reshape`` records (a view or a copy),
    follow from the layout; ``(x.T + x).reshape(-1)`` copies in both."""
    pair = [tensor.detach().requires_grad_() for tensor in laid_out(*layout)]
    flat = {
        "reshape": lambda t: t.reshape(-1),
        "view": lambda t: t.view(-1),
        "flatten": lambda t: t.flatten(),
    }[how]
    results, refused = both(lambda tensor, i: flat(tensor * 1), pair)
    if not refused:
        check_same_layout(*results)
        assert results[1].grad_fn.name() == results[0].grad_fn.name()


nonempty_layouts = st.tuples(
    hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
    st.lists(view_steps, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(layouts, st.sampled_from(sorted(UNARY)), st.booleans())
def test_gradients_are_laid_out_as_torch_s(layout, name, leaf_of_the_view):
    """A new ``.grad`` takes the leaf's strides (torch's layout contract), or the gradient's own
    when they obey it; what ``grad()`` returns keeps the backward pass's layout."""
    pair = laid_out(*layout)
    if leaf_of_the_view:  # a leaf laid out as the view is
        leaves = [tensor.detach().requires_grad_() for tensor in pair]
        pair = leaves
    else:
        leaves = [
            lib.arange(tensor.numel(), dtype=lib.float64)
            for lib, tensor in zip(LIBRARIES, pair, strict=True)
        ]
        leaves = [
            leaf.reshape(tensor.shape).requires_grad_()
            for leaf, tensor in zip(leaves, pair, strict=True)
        ]
    if name in ("compared", "cast"):
        return
    outputs, refused = both(lambda tensor, i: UNARY[name](leaves[i] * 1).sum(), pair)
    if refused:
        return
    grads = [
        lib.autograd.grad(output, leaf, retain_graph=True)[0]
        if lib is torch
        else am.grad(output, [leaf], retain_graph=True)[0]
        for lib, output, leaf in zip(LIBRARIES, outputs, leaves, strict=True)
    ]
    check_same_layout(*grads)
    for output in outputs:
        output.backward()
    check_same_layout(leaves[0].grad, leaves[1].grad)


@settings(max_examples=300, deadline=None)
@given(layouts, st.lists(view_steps, max_size=2), st.sampled_from(["add_", "sub_", "mul_"]))
def test_in_place_writes_overlap_exactly_when_torch_s_do(layout, more_steps, method):
    """torch refuses a write whose operand shares memory with it in part, judged by strides."""
    written = laid_out(*layout)
    read = written
    for step in more_steps:
        read, refused = both(lambda tensor, i: view_step(tensor, step), read)  # noqa: B023
    try:
        both(lambda tensor, i: getattr(tensor, method)(read[i]), written)
    except LeftOut:  # an operand that reads what the write changes (the appendix lists it)
        return
    check_same_layout(*written)


REGRESSIONS = {
    "reshape of a transposed column": lambda lib: lib.ones(3, 1).T.reshape(1, -1),
    "a sum of differently laid out operands": lambda lib: lib.ones(2, 2).T + lib.ones(2, 2),
    "an empty quotient": lambda lib: lib.linspace(-1, 1, 0) / lib.zeros(3, 1),
    "unsqueeze of a transposed matrix": lambda lib: lib.ones(2, 3).T.unsqueeze(1),
}


@pytest.mark.parametrize("name", sorted(REGRESSIONS))
def test_known_layouts(name):
    check_same_layout(*(REGRESSIONS[name](lib) for lib in LIBRARIES))


matmul_shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3)


@settings(max_examples=300, deadline=None)
@given(matmul_shapes, matmul_shapes, st.booleans(), st.booleans())
def test_a_matrix_product_is_laid_out_as_torchs(shape_a, shape_b, grad_a, grad_b):
    """Each of torch's paths through matmul (dot, mv, mm, folded, bmm, or computed transposed
    and transposed back) leaves its own layout; the node's name says which path it took."""
    outcomes = []
    for lib in LIBRARIES:
        a = lib.ones(shape_a, requires_grad=grad_a)
        b = lib.ones(shape_b, requires_grad=grad_b)
        try:
            product = a @ b
        except RuntimeError as error:
            outcomes.append(str(error).replace("torch.", "autograd_mini."))
            continue
        name = product.grad_fn.name() if product.grad_fn else None
        outcomes.append((tuple(product.stride()), product.is_contiguous(), name))
    assert outcomes[1] == outcomes[0]
