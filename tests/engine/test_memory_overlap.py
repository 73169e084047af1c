"""Writing into memory held in several places, against torch on generated views: the strides
torch gives expanded and unsqueezed tensors (which decide what overlaps), and ``e[key] = value``
into an expanded tensor from values that share its memory. torch's copy_ returns early when the
value reads the very memory it writes, the same way; else it refuses a written-to tensor with a
repeated element (``has_internal_overlap`` YES: a dimension of size > 1 and stride 0; TOO_HARD
passes) and a value that overlaps it in part (``get_overlap_status`` PARTIAL)."""

import itertools
import math
import warnings

import pytest
import torch
from fuzz_programs import in_mini_terms
from torch_words import in_mini_words

import autograd_mini as am

SHAPES = [(), (1,), (2,), (1, 2), (2, 1), (1, 1)]
LEADING = [(1,), (2,), (1, 1), (2, 1), (1, 2), (3, 1)]
KEYS = ["None", "...", ":", "0", "None, 0", "..., None"]
VALUES = ["e", "e[None]", "x", "e[0]", "lib.tensor(5.0)", "e.clone()", "x.clone()"]


def _expansions():
    """Each shape expanded with new leading dimensions, and its size-1 dimensions to 3 or not."""
    for shape, leading in itertools.product(SHAPES, LEADING):
        ones = [i for i, size in enumerate(shape) if size == 1]
        for repeated in itertools.product((False, True), repeat=len(ones)):
            target = list(shape)
            for i, repeat in zip(ones, repeated, strict=True):
                target[i] = 3 if repeat else 1
            yield shape, leading + tuple(target)


def _outcome(lib, shape, target, statement):
    x = lib.arange(1.0, 1.0 + math.prod(shape)).reshape(shape)
    names = {"lib": lib, "x": x, "e": x.expand(*target)}
    try:
        exec(statement, names)
    except RuntimeError as error:
        return in_mini_words(str(error)) if lib is torch else str(error)
    return x.tolist()


@pytest.mark.parametrize(("shape", "target"), list(_expansions()))
def test_views_of_an_expanded_tensor_have_torch_strides(shape, target):
    for view in ["e", "e[None]", "e.unsqueeze(-1)", "e[:, None]", "e[None, 0]", "e[..., None]"]:
        results = [eval(view, {"e": lib.ones(shape).expand(*target)}) for lib in (torch, am)]
        assert results[1].stride() == results[0].stride(), view


@pytest.mark.parametrize(("shape", "target"), list(_expansions()))
def test_writing_into_an_expanded_tensor_agrees_with_torch(shape, target):
    for key, value in itertools.product(KEYS, VALUES):
        statement = f"e[{key}] = {value}"
        expected = _outcome(torch, shape, target, statement)
        assert _outcome(am, shape, target, statement) == expected, statement


EMPTY_OR_SMALL = [
    "arange(0)",
    "zeros(1, 0)",
    "zeros(0, 2)",
    "zeros(1, 1, 0)",
    "zeros(2)",
    "zeros(())",
]
INDEX_WRITES = [
    *("x[lib.tensor([], dtype=lib.int64)] = x", "x[[]] = x", "x[x > 0] = x", "x[x.long()] = x"),
    *("x[lib.tensor([], dtype=lib.int64)] = x[0:0]", "x[x > 0] = 1.0", "x[[0]] = x"),
    *("x[..., [0]] = x", "x[:] = 1.0", "x[0] = 1.0", "x[(0,)] = 1.0", "x[[]] = 1.0"),
]


@pytest.mark.parametrize("make", EMPTY_OR_SMALL)
def test_a_tensor_written_into_itself_through_an_index_agrees_with_torch(make):
    """torch's index_put_ refuses the very tensor as the value or an index, even empty
    (get_overlap_status is FULL for one tensor before it looks at sizes), unless it viewed the
    value without its leading ones first (then two tensors, and empty ones never overlap)."""
    for statement in INDEX_WRITES:
        outcomes = []
        for lib in (torch, am):
            names = {"lib": lib, "x": eval(f"lib.{make}", {"lib": lib})}
            try:
                exec(statement, names)
                outcomes.append(names["x"].tolist())
            except (RuntimeError, IndexError) as error:
                message = in_mini_words(str(error)) if lib is torch else str(error)
                outcomes.append((type(error).__name__, message))
        assert outcomes[1] == outcomes[0], statement


MASK_KEYS = ["b", "~b", "b.clone()", "b, ...", "[0]", "[0, 0]", "lib.tensor([1])"]
MASK_KEYS += ["lib.tensor([True, False])", "..., lib.tensor([True, False])"]
MASK_KEYS += ["0, lib.tensor([True, False])", "lib.tensor(True)"]
MASK_VALUES = ["False", "0", "lib.tensor(False)", "lib.tensor([False])", "lib.tensor([1, 0])"]
MASK_VALUES += ["lib.tensor(1.0)", "b[0]", "b.clone()"]


def _written_through(lib, base, dtype, expanded, statement):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        b = lib.tensor(base, dtype=getattr(lib, dtype))
        names = {"lib": lib, "b": b.expand(2, *b.shape) if expanded else b}
        try:
            exec(statement, names)
            outcome = names["b"].tolist()
        except (RuntimeError, IndexError, TypeError) as error:
            outcome = (type(error).__name__, str(error))
    outcome = (outcome, sorted(str(warning.message) for warning in said))
    return in_mini_terms(outcome) if lib is torch else outcome


@pytest.mark.parametrize(
    ("base", "dtype", "expanded"),
    list(itertools.product([[True, False], [[True, False]], [True]], ["bool", "int64"], [0, 1])),
)
def test_writing_through_masks_and_index_tensors_agrees_with_torch(base, dtype, expanded):
    """index_put_ as torch's: its warnings for an expanded tensor and its overlap checks on the
    view the key's ints take, a mask after ``...`` or an int, a fill's mask checked before it
    warns again (masked_fill_), the very tensor as its own index refused."""
    for key, value in itertools.product(MASK_KEYS, MASK_VALUES):
        statement = f"b[{key}] = {value}"
        expected = _written_through(torch, base, dtype, expanded, statement)
        assert _written_through(am, base, dtype, expanded, statement) == expected, statement
