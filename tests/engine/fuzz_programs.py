"""Differential fuzzing: random programs run on torch and on autograd_mini must agree.

A program is a list of steps; each step is a line (or a small block) of Python that names the
library ``lib``, so the same text runs on both. After every step the outcome is recorded: the
exception raised (type and message) or none, the warnings, the grad mode, and every tensor in the
namespace (values, dtype, shape, requires_grad, is_leaf, grad_fn name, _version, .grad), plus the
hook log. The two records must be equal, up to the library names (``torch_words``) and float
rounding. A step that autograd_mini declares unsupported (its error begins "autograd_mini
leaves out") ends the comparison.

The generator draws each step while the program runs on torch, so it can pick indices, shapes
and operands that fit the tensors it has; autograd_mini then replays the finished program.

``python tests/engine/fuzz_programs.py --seconds 300`` (``make fuzz``) searches for as long as
asked and prints programs per second and the outcomes by kind.
"""

import argparse
import ast
import copy
import functools
import pickle
import random
import re
import threading
import time
import warnings
from collections import Counter

import hypothesis
import numpy as np
import torch
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from torch_words import LIBRARY_NAMES, in_mini_words

import autograd_mini
from autograd_mini.devices import CPU_ONLY_MESSAGE

MAX_STEPS = 12
FLOATS = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]
INTS = [-2, -1, 0, 1, 2, 3]
DTYPES = ["float32", "float64", "int64", "bool"]
# how autograd_mini's errors for what it does not implement begin (devices other than the CPU
# have an AssertionError of their own, as torch built without CUDA has)
LEFT_OUT = "autograd_mini leaves out"


# ----- running a program ------------------------------------------------------------------------


def in_thread(function):
    """Call ``function`` in a new thread and return its result (or raise its exception)."""
    box = {}

    def run():
        try:
            box["result"] = function()
        except Exception as error:  # handed back to the caller
            box["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def namespace(lib):
    """What a program sees: the library as ``lib``, its ``grad`` function, and helpers."""
    return {
        "lib": lib,
        "grad": LIBRARY_NAMES[lib.__name__]["grad"],
        "np": np,
        "copy": copy,
        "pickle": pickle,
        "in_thread": in_thread,
        "log": [],
    }


_HELPERS = set(namespace(torch))


def _spend_the_warnings_given_once():
    """torch gives a few warnings once per process (backward with create_graph, .T of a tensor
    that is not 2-d), and so does autograd_mini; other tests may have spent them in one library
    only. Spend them in both, so no program sees one library warn and the other not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lib in (torch, autograd_mini):
            x = lib.tensor(1.0, requires_grad=True)
            (x * x).backward(create_graph=True)
            x.T  # noqa: B018
            lib.zeros(3).T  # noqa: B018


_spend_the_warnings_given_once()
_compiled = {}


def run_step(lib, names, line):
    """Run one step; return its outcome and the state it leaves."""
    code = _compiled.get(line)
    if code is None:
        code = _compiled[line] = compile(line, "<step>", "exec")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(code, names)
            error = None
        except Exception as raised:
            error = (type(raised).__name__, str(raised))
            if str(raised).startswith(LEFT_OUT) or str(raised) == CPU_ONLY_MESSAGE:
                error = ("left out", str(raised))
    said = sorted(
        {
            _ADDRESS.sub(" at 0x...", str(w.message))
            for w in caught
            if not _hidden_by_autograd_mini(w)
        }
    )
    return {"error": error, "warnings": said, "state": snapshot(lib, names)}


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # where a function lives differs between two runs


def _hidden_by_autograd_mini(warning):
    """numpy's RuntimeWarnings raised in autograd_mini's core, which autograd_mini/__init__.py
    filters out (the ``always`` filter a step runs under would show them again)."""
    path = str(warning.filename).replace("\\", "/")
    core = "/autograd_mini/" in path and not re.search(r"/autograd_mini/(course|widgets)/", path)
    return issubclass(warning.category, RuntimeWarning) and core


def steps_of(text):
    """A program written as text, split into steps: one per top-level statement."""
    lines = text.strip().splitlines()
    steps = []
    for statement in ast.parse("\n".join(lines)).body:
        decorators = getattr(statement, "decorator_list", [])
        first = min([statement.lineno] + [decorator.lineno for decorator in decorators])
        steps.append("\n".join(lines[first - 1 : statement.end_lineno]))
    return steps


def run_program(lib, lines):
    """The outcome of every step of ``lines`` on ``lib``; grad mode is reset afterwards."""
    names = namespace(lib)
    try:
        return [run_step(lib, names, line) for line in lines]
    finally:
        lib.set_grad_enabled(True)


def describe(value, gradients=frozenset()):
    """A plain-data picture of a value: tensors become dicts of everything autograd exposes."""
    if isinstance(value, (torch.Tensor, autograd_mini.Tensor)):
        grad_fn = value.grad_fn
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            grad = value.grad
        return {
            "dtype": str(value.dtype),
            "shape": tuple(value.shape),
            "stride": value.stride(),
            "is_contiguous": value.is_contiguous(),
            "values": np.array(value.detach().numpy(), copy=True),
            "printed": repr(value),
            "requires_grad": value.requires_grad,
            "is_leaf": value.is_leaf,
            "grad_fn": None if grad_fn is None else grad_fn.name(),
            "version": value._version,
            "grad": None if grad is None else describe(grad),
        }
    if isinstance(value, (list, tuple)):
        inner = {id(item) for item in value}
        return [describe(item, inner) for item in value]
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    return type(value).__name__


def snapshot(lib, names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gradients = {
            id(value.grad)
            for value in names.values()
            if isinstance(value, (torch.Tensor, autograd_mini.Tensor))
        }
    state = {}
    for name, value in names.items():
        if name not in _HELPERS and not name.startswith("_") and not callable(value):
            state[name] = _described(value, gradients)
    state["grad mode"] = lib.is_grad_enabled()
    state["log"] = _described(names["log"])
    return state


def _described(value, gradients=frozenset()):
    """``describe(value)``, or what went wrong: a tensor that cannot be described (a bfloat16
    gradient a hook logged, say) is a difference to report, not a crash of the search."""
    try:
        return describe(value, gradients)
    except Exception as error:
        return f"cannot be described: {type(error).__name__}: {error}"


# ----- comparing outcomes -----------------------------------------------------------------------


def in_mini_terms(value):
    """torch's outcome with its library names replaced by autograd_mini's."""
    if isinstance(value, str):
        return in_mini_words(value)
    if isinstance(value, dict):
        return {key: in_mini_terms(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(in_mini_terms(item) for item in value)
    return value


def difference(expected, actual, where="outcome"):
    """A sentence naming the first place two outcomes differ, or None when they agree."""
    if isinstance(expected, np.ndarray) and isinstance(actual, np.ndarray):
        if expected.shape != actual.shape:
            return f"{where}: shape {expected.shape} != {actual.shape}"
        if expected.dtype.kind == "f":
            # float64 values may come from float32 ones (x.double()): numpy and torch round
            # float32 functions such as sin differently in the last bit
            tolerance = 1e-5 if expected.dtype == np.float32 else 1e-6
            same = np.isclose(expected, actual, rtol=tolerance, atol=tolerance, equal_nan=True)
        else:
            same = expected == actual
        return None if np.all(same) else f"{where}: {expected.tolist()} != {actual.tolist()}"
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return f"{where}: keys {sorted(expected)} != {sorted(actual)}"
        for key in expected:
            if key == "printed":
                found = printed_difference(expected, actual, f"{where}[{key!r}]")
            else:
                found = difference(expected[key], actual[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{where}: length {len(expected)} != {len(actual)}"
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            found = difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None
    if type(expected) is not type(actual) and not (
        isinstance(expected, float) and isinstance(actual, float)
    ):
        return f"{where}: {expected!r} != {actual!r}"
    if isinstance(expected, float) and np.isclose(  # it may come from a float32 tensor
        expected,
        actual,
        rtol=1e-5,
        atol=1e-5,
        equal_nan=True,  # (item(), tolist())
    ):
        return None
    return None if expected == actual else f"{where}: {expected!r} != {actual!r}"


_NUMBER = re.compile(r"(?<!\w)-?\d+(\.\d*)?(e[+-]?\d+)?")


def printed_difference(expected, actual, where):
    """Where two tensors' printed text differs, or None.

    The text is compared exactly when the two value arrays are bit-identical, and otherwise with
    every number (and the spacing that aligns them) masked: float32 results of transcendental
    ops can differ from torch's in the last bit (numpy's libm against torch's SLEEF vector code:
    ``4.5 ** 4.5`` is 869.8739 in torch and 869.8740 here), which ``values`` already allows for.
    The rest of the text (brackets, grad_fn, requires_grad, dtype) must agree either way."""
    printed, shown = expected["printed"], actual["printed"]
    same_bits = (
        expected["values"].dtype == actual["values"].dtype
        and expected["values"].shape == actual["values"].shape
        and expected["values"].tobytes() == actual["values"].tobytes()
    )
    if not same_bits:
        printed, shown = (re.sub(r"\s+", "", _NUMBER.sub("#", text)) for text in (printed, shown))
    return (
        None if printed == shown else f"{where}: {expected['printed']!r} != {actual['printed']!r}"
    )


# Disagreements autograd_mini does not mirror, reported as their own kind instead of failing:
# patterns of a report's first line, and what they are. The book's appendix ("What autograd_mini
# leaves out") explains each, and test_fuzz_regressions.py pins each with a program.
KNOWN_DIFFERENCES = {
    r"A view was created in no_grad mode and its base or another view of its base has been "
    r"modified inplace": (
        "a view made under no_grad, after its memory changed in place: torch refuses to use it"
    ),
}


def known_difference(report):
    """The name of the known difference ``report`` shows, or None."""
    first = report.splitlines()[0]
    for pattern, name in KNOWN_DIFFERENCES.items():
        if re.search(pattern, first):
            return name
    return None


def compare(lines, torch_outcomes=None):
    """Run ``lines`` on both libraries; return ``(kind, None)`` when they agree, where kind
    names how the program ended, or ``(kind, report)`` describing the first disagreement."""
    if isinstance(lines, str):
        lines = steps_of(lines)
    if torch_outcomes is None:
        torch_outcomes = run_program(torch, lines)
    mini_outcomes = run_program(autograd_mini, lines)
    kind = "ran to the end"
    pairs = zip(torch_outcomes, mini_outcomes, strict=True)
    for number, (expected, actual) in enumerate(pairs, start=1):
        if actual["error"] and actual["error"][0] == "left out":
            return "declared unsupported", None
        expected = in_mini_terms(expected)
        found = difference(expected, actual, f"step {number}")
        if found and known_difference(found):
            return f"known difference: {known_difference(found)}", None
        if found:
            program = "\n".join(f"{i:>3}| {line}" for i, line in enumerate(lines, start=1))
            return "disagreement", f"{found}\nprogram:\n{program}"
        if expected["error"]:
            kind = f"same {expected['error'][0]}"
    return kind, None


# ----- drawing programs -------------------------------------------------------------------------


_DRAWN_FROM = {}  # id of each strategy below -> what it draws from, for ``SeededDraw``


@functools.cache
def _sampled(options):
    strategy = st.sampled_from(options)
    _DRAWN_FROM[id(strategy)] = lambda random: random.choice(options)
    return strategy


@functools.cache
def _integers(low, high):
    strategy = st.integers(low, high)
    _DRAWN_FROM[id(strategy)] = lambda random: random.randint(low, high)
    return strategy


class SeededDraw:
    """A ``draw`` for the drawing functions that takes Python's ``random`` instead of
    hypothesis: fast and even, to list everything they can draw (``vocabulary``)."""

    def __init__(self, seed):
        self.random = random.Random(seed)

    def __call__(self, strategy):
        return _DRAWN_FROM[id(strategy)](self.random)


def pick(draw, options):
    """One of ``options`` (strategies are cached: building them is most of hypothesis' cost)."""
    return draw(_sampled(tuple(options)))


def integer(draw, low, high):
    return draw(_integers(low, high))


def tensors_of(names):
    """The tensors a program holds, by name, in the order they were made."""
    return {
        name: value
        for name, value in names.items()
        if isinstance(value, torch.Tensor) and name.startswith("t")
    }


def pick_tensor(draw, names):
    """One of the program's tensors: its name and the tensor."""
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    return name, tensors[name]


def literal(draw, shape, dtype):
    """Nested lists of values for a tensor of ``shape``."""
    pool = {"bool": [False, True], "int64": INTS}.get(dtype, FLOATS)
    count = int(np.prod(shape, dtype=np.int64))
    values = [pick(draw, pool) for _ in range(count)]
    return np.array(values, dtype=object).reshape(shape).tolist() if shape else values[0]


SHAPES = [(), (1,), (2,), (3,), (2, 3), (3, 1), (1, 3), (2, 2), (2, 1, 2)]


def fresh(names):
    return f"t{sum(1 for name in names if name.startswith('t') and name[1:].isdigit())}"


def draw_create(draw, names):
    dtype = pick(draw, DTYPES + ["float32"] * 3)
    shape = pick(draw, SHAPES)
    requires_grad = (
        dtype.startswith("float") and pick(draw, (False, True)) or integer(draw, 0, 9) == 0
    )
    how = pick(draw, ["tensor"] * 5 + ["ones", "zeros", "full", "arange", "linspace", "other"])
    grad_arg = ", requires_grad=True" if requires_grad else ""
    if how == "tensor":
        value = literal(draw, shape, dtype)
        return f"{fresh(names)} = lib.tensor({value!r}, dtype=lib.{dtype}{grad_arg})"
    if how in ("ones", "zeros"):
        size = draw_size(draw, shape)
        return f"{fresh(names)} = lib.{how}({size}, dtype=lib.{dtype}{grad_arg})"
    if how == "full":
        value = pick(draw, FLOATS + INTS)
        size = draw_size(draw, shape, varargs=False)
        return f"{fresh(names)} = lib.full({size}, {value!r}{grad_arg})"
    if how == "other":
        return draw_other_creation(draw, names, dtype, grad_arg)
    if how == "arange":
        end = pick(draw, [0, 1, 3, 4.0, 2.5])
        start_step = pick(draw, ["", "", "1, ", "-1, ", "3, "])
        if start_step and pick(draw, (False, True)):
            end = f"{end!r}, {pick(draw, [1, 0.5, -1, 0])!r}"
        return f"{fresh(names)} = lib.arange({start_step}{end}{grad_arg})"
    count = integer(draw, 0, 4)
    return f"{fresh(names)} = lib.linspace(-1, 1, {count}{grad_arg})"


def draw_size(draw, shape, varargs=True):
    """A size argument: a list, a tuple, an ``autograd_mini.Size``, the ints one by one (not for
    ``full``), or now and then a negative size."""
    forms = [str(list(shape)), str(tuple(shape)), f"lib.Size({list(shape)})"]
    if varargs and shape:
        forms.append(", ".join(map(str, shape)))
    if integer(draw, 0, 19) == 0:
        forms = ["[-1]", "2, -3" if varargs else "(2, -3)", "[2.5]"]
    return pick(draw, forms)


def draw_other_creation(draw, names, dtype, grad_arg):
    """``eye``, ``zeros_like``/``ones_like``, ``from_numpy`` and ``lib.Tensor``."""
    how = pick(draw, ["eye", "eye", "like", "like", "from_numpy", "Tensor"])
    if how == "eye":
        size = pick(draw, ["0", "1", "2", "3", "2, 3", "3, 1", "-1", "2, -1"])
        return f"{fresh(names)} = lib.eye({size}{grad_arg})"
    if how == "like" and tensors_of(names):
        like = pick(draw, ["zeros_like", "ones_like"])
        kind = pick(draw, ["", f", dtype=lib.{dtype}"])
        return (
            f"{fresh(names)} = lib.{like}({pick(draw, sorted(tensors_of(names)))}{kind}{grad_arg})"
        )
    value = literal(draw, pick(draw, SHAPES), dtype)
    if how == "Tensor":  # (of a list: ``torch.Tensor(3)`` is 3 uninitialized values)
        return f"{fresh(names)} = lib.Tensor({literal(draw, pick(draw, SHAPES[1:]), dtype)!r})"
    numpy_dtype = pick(draw, ["float32", "float64", "int64", "bool_", "float16", "int32"])
    return f"{fresh(names)} = lib.from_numpy(np.array({value!r}, dtype=np.{numpy_dtype}))"


def draw_other_operand(draw, names, tensor):
    """A second operand for arithmetic with ``tensor``: another tensor or a number or array."""
    shape = tuple(tensor.shape)
    kind = pick(draw, ["tensor"] * 4 + ["int", "float", "bool", "numpy scalar", "array", "list"])
    if kind == "tensor":
        return pick(draw, sorted(tensors_of(names)))
    if kind == "int":
        return repr(pick(draw, INTS))
    if kind == "float":
        return repr(pick(draw, FLOATS))
    if kind == "bool":
        return repr(pick(draw, (False, True)))
    if kind == "numpy scalar":
        dtype = pick(draw, ["float64", "float32", "int64", "bool_"])
        value = pick(draw, [0, 1, 2] if dtype != "bool_" else [0, 1])
        return f"np.{dtype}({value})"
    tail = pick(draw, [shape, shape[-1:], ()])
    dtype = pick(draw, DTYPES)
    value = literal(draw, tail, dtype)
    if kind == "list":
        return repr(value)
    return f"np.array({value!r}, dtype=np.{dtype.replace('bool', 'bool_')})"


BINARY = ["+", "-", "*", "/", "**", "@", "%", "//"]
UNARY = [
    "exp()",
    "log()",
    "sqrt()",
    "sin()",
    "cos()",
    "tanh()",
    "sigmoid()",
    "relu()",
    "reciprocal()",
    "abs()",
    "neg()",
    "sum()",
    "mean()",
    "max()",
    "min()",
    "clone()",
]


def draw_arithmetic(draw, names, target):
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    if integer(draw, 0, 2) == 0:
        return f"{target} = {name}.{pick(draw, UNARY)}"
    operator = pick(draw, BINARY[:5] * 3 + BINARY[5:])
    other = draw_other_operand(draw, names, tensors[name])
    if pick(draw, (False, True)):
        return f"{target} = {other} {operator} {name}"
    return f"{target} = {name} {operator} {other}"


def draw_reduction(draw, names, target):
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    ndim = tensors[name].ndim
    method = pick(draw, ["sum", "mean", "max", "min"])
    dim = integer(draw, -max(ndim, 1), max(ndim, 1) - 1)
    keepdim = pick(draw, (False, True))
    result = f"{name}.{method}({dim}, keepdim={keepdim})"
    return f"{target} = {result}" + ("[0]" if method in ("max", "min") else "")


def draw_index(draw, tensor):
    """An index expression that fits ``tensor``'s shape (mostly)."""
    parts = []
    for size in tensor.shape[: integer(draw, 1, max(tensor.ndim, 1))]:
        choices = [str(i) for i in range(-size, size)] + [":", "1:", ":-1", "::2", "None", "..."]
        parts.append(pick(draw, choices))
    if not parts:
        parts = [pick(draw, ["...", "None", "0"])]
    if integer(draw, 0, 5) == 0:
        parts = [pick(draw, ["[0, 0]", "[1, 0]", f"{'t0'} > 0"])]
    return ", ".join(parts)


def draw_view(draw, names, target):
    name, tensor = pick_tensor(draw, names)
    ndim = tensor.ndim
    kind = pick(
        draw,
        [
            "index",
            "index",
            "transpose",
            "T",
            "reshape",
            "view",
            "expand",
            "detach",
            "detach",
            "unsqueeze",
            "squeeze",
            "flatten",
            "data",
        ],
    )
    if kind == "index":
        return f"{target} = {name}[{draw_index(draw, tensor)}]"
    if kind == "transpose":
        dims = [integer(draw, -max(ndim, 1), max(ndim, 1) - 1) for _ in range(2)]
        return f"{target} = {name}.transpose({dims[0]}, {dims[1]})"
    if kind in ("T", "detach", "data"):
        return f"{target} = {name}.{kind}" + ("()" if kind == "detach" else "")
    if kind in ("reshape", "view"):
        shape = pick(draw, [(-1,), (1, -1), (-1, 1), tuple(reversed(tensor.shape))])
        return f"{target} = {name}.{kind}({shape!r})"
    if kind == "expand":
        return f"{target} = {name}.expand(2, *{name}.shape)"
    if kind == "unsqueeze":
        return f"{target} = {name}.unsqueeze({integer(draw, -ndim - 1, ndim)})"
    if kind == "squeeze":
        return f"{target} = {name}.squeeze()"
    return f"{target} = {name}.flatten()"


# ----- the rest of autograd_mini's vocabulary: module functions, method forms, queries ----------


def draw_dim(draw, ndim):
    """A dimension for a tensor of ``ndim`` dimensions: negative ones too, and now and then one
    just out of range, so that errors are compared as well."""
    top = max(ndim, 1)
    return integer(draw, -top - 1, top)


def draw_dims(draw, ndim):
    """A permutation of ``ndim`` dimensions (sometimes negative), or now and then a wrong one."""
    dims = list(range(ndim))
    order = [dims.pop(integer(draw, 0, len(dims) - 1)) for _ in range(ndim)]
    order = [dim - ndim if pick(draw, (False, True)) else dim for dim in order]
    if integer(draw, 0, 5) == 0:
        order = list(pick(draw, [tuple(order[:-1]), (*order, 0), (0,) * max(ndim, 1), (ndim,)]))
    return tuple(order)


def draw_dim_argument(draw, ndim, tuples=True):
    """``dim`` (and ``keepdim``) arguments for a reduction, positional or by keyword."""
    dim = draw_dim(draw, ndim)
    if tuples and integer(draw, 0, 3) == 0:
        dim = tuple(sorted({draw_dim(draw, ndim) for _ in range(integer(draw, 1, 2))}))
    form = pick(draw, ["{}", "dim={}", "{}, keepdim=True", "dim={}, keepdim=True", "{}, True"])
    return form.format(repr(dim))


def same_shape_tensor(draw, names, tensor):
    """Another tensor of ``tensor``'s shape when there is one (any tensor otherwise)."""
    tensors = tensors_of(names)
    fitting = [n for n, t in tensors.items() if t.shape == tensor.shape] or sorted(tensors)
    return pick(draw, sorted(fitting))


def matmul_partner(draw, names, tensor):
    """A tensor ``tensor @ it`` works with when there is one (any tensor otherwise)."""
    tensors = tensors_of(names)
    fitting = [
        n
        for n, t in tensors.items()
        if tensor.ndim and t.ndim and tensor.shape[-1] == t.shape[-2 if t.ndim > 1 else 0]
    ]
    return pick(draw, sorted(fitting) or sorted(tensors))


ELEMENTWISE = ["exp", "log", "sin", "cos", "sqrt", "tanh", "sigmoid", "relu", "abs"]
WRONG_TENSORS = ["[1.0, 2.0]", "2.0", "None", "'x'", "np.ones(2)"]


REDUCTIONS = ["sum", "mean", "max", "min"]
SHAPE_FUNCTIONS = ["permute", "transpose", "reshape", "squeeze", "unsqueeze"]
FUNCTIONS = ELEMENTWISE + REDUCTIONS + SHAPE_FUNCTIONS + ["matmul", "cat", "stack"]


def draw_function(draw, names, target):
    """A module function (``lib.exp(t)``, ``lib.cat([a, b], 1)``, ...), sometimes given a wrong
    argument."""
    name, tensor = pick_tensor(draw, names)
    ndim = tensor.ndim
    function = pick(draw, FUNCTIONS)
    if function in ("cat", "stack"):
        return draw_join(draw, names, target, function, name, tensor)
    if integer(draw, 0, 9) == 0 and function not in REDUCTIONS:
        # (with a wrong input, torch lists a reduction's overloads, and squeeze's given a dim)
        name = pick(draw, WRONG_TENSORS)
    if function in ELEMENTWISE:
        return f"{target} = lib.{function}({name})"
    if function in REDUCTIONS:
        if integer(draw, 0, 2) == 0:
            return f"{target} = lib.{function}({name})"
        if integer(draw, 0, 4) == 0:  # (the elementwise max and min, a result dtype)
            other = same_shape_tensor(draw, names, tensor)
            other = other if function in ("max", "min") else "dtype=lib.float64"
            return f"{target} = lib.{function}({name}, {other})"
        extreme = function in ("max", "min")
        arguments = draw_dim_argument(draw, ndim, tuples=not extreme)
        result = f"lib.{function}({name}, {arguments})"
        if extreme and pick(draw, (False, True)):
            return f"{target}, {target}i = {result}"
        return f"{target} = {result}" + (
            pick(draw, ["[0]", ".values", ".indices"]) if extreme else ""
        )
    if function == "permute":
        return f"{target} = lib.permute({name}, {draw_dims(draw, ndim)!r})"
    if function == "transpose":
        return f"{target} = lib.transpose({name}, {draw_dim(draw, ndim)}, {draw_dim(draw, ndim)})"
    if function == "reshape":
        shape = pick(draw, [(-1,), (1, -1), (-1, 1), tuple(reversed(tensor.shape)), (4,)])
        return f"{target} = lib.reshape({name}, {shape!r})"
    if function == "squeeze" and (pick(draw, (False, True)) or name in WRONG_TENSORS):
        return f"{target} = lib.squeeze({name})"
    if function in ("squeeze", "unsqueeze"):
        dim = draw_dim(draw, ndim + (function == "unsqueeze"))
        return f"{target} = lib.{function}({name}, {dim})"
    return f"{target} = lib.matmul({name}, {matmul_partner(draw, names, tensor)})"


def draw_join(draw, names, target, function, name, tensor):
    """``cat`` or ``stack`` of tensors (mostly of one shape), along a dim, as a list or tuple."""
    count = integer(draw, 0, 3)
    parts = [name] + [same_shape_tensor(draw, names, tensor) for _ in range(count)]
    if integer(draw, 0, 9) == 0:
        parts = parts[:1] + [pick(draw, WRONG_TENSORS)]
    joined = pick(draw, ["[{}]", "({},)"]).format(", ".join(parts))
    dim = draw_dim(draw, tensor.ndim + (function == "stack"))
    form = pick(draw, ["", f", {dim}", f", dim={dim}"])
    if integer(draw, 0, 19) == 0:
        joined = pick(draw, ["[]", name])
    return f"{target} = lib.{function}({joined}{form})"


ARITHMETIC_METHODS = ["add", "sub", "mul", "div", "pow", "matmul"]


def draw_method(draw, names, target):
    """A method form: ``t.add(u, alpha=2)``, ``t.masked_fill(t > 0, 1)``, ``t.permute(1, 0)``,
    ``t.flatten(0, 1)``, ``t.squeeze(0)``, ``t.to(...)``, ``t.reshape(2, -1)``, ..."""
    name, tensor = pick_tensor(draw, names)
    ndim = tensor.ndim
    kind = pick(
        draw,
        ARITHMETIC_METHODS * 2
        + ["masked_fill", "logical_not", "permute", "squeeze", "flatten", "unsqueeze"]
        + ["reshape", "view", "transpose", "to", "to", "reduction", "requires_grad_"],
    )
    if kind in ARITHMETIC_METHODS:
        other = draw_other_operand(draw, names, tensor)
        if kind == "matmul":
            other = matmul_partner(draw, names, tensor)
        if integer(draw, 0, 9) == 0:
            other = pick(draw, WRONG_TENSORS)
        extra = ""
        if kind in ("add", "sub") and pick(draw, (False, True)):
            extra = f", alpha={pick(draw, [2, -1, 0.5, True])!r}"
        keyword = (
            "other=" if kind in ("add", "sub", "mul", "div") and integer(draw, 0, 3) == 0 else ""
        )
        return f"{target} = {name}.{kind}({keyword}{other}{extra})"
    if kind == "masked_fill":
        mask = pick(draw, [f"{name} > 0", f"{name} > 0", f"{name} == 0", name, "t0 < 1"])
        value = pick(draw, ["0.0", "-1", "2.5", "True", "lib.tensor(3.0)", "lib.ones(2)"])
        return f"{target} = {name}.masked_fill({mask}, {value})"
    if kind == "logical_not":
        return f"{target} = {name}.logical_not()"
    if kind == "permute":
        dims = draw_dims(draw, ndim)
        form = pick(draw, ["{}", "*{}", "dims={}"]).format(repr(dims))
        return f"{target} = {name}.permute({form})"
    if kind == "squeeze":
        dim = draw_dim(draw, ndim)
        dims = tuple(draw_dim(draw, ndim) for _ in range(integer(draw, 0, 2)))
        return f"{target} = {name}.squeeze({pick(draw, [str(dim), f'dim={dim}', repr(dims)])})"
    if kind == "flatten":
        start, end = draw_dim(draw, ndim), draw_dim(draw, ndim)
        form = pick(draw, [f"{start}", f"{start}, {end}", f"start_dim={start}", f"end_dim={end}"])
        return f"{target} = {name}.flatten({form})"
    if kind == "unsqueeze":
        return f"{target} = {name}.unsqueeze(dim={draw_dim(draw, ndim + 1)})"
    if kind in ("reshape", "view"):
        shape = pick(draw, [(-1,), (1, -1), (-1, 1), tuple(reversed(tensor.shape)), (-1, -1)])
        return f"{target} = {name}.{kind}({', '.join(map(str, shape))})"
    if kind == "transpose":
        return (
            f"{target} = {name}.transpose(dim0={draw_dim(draw, ndim)}, dim1={draw_dim(draw, ndim)})"
        )
    if kind == "to":
        return f"{target} = {name}.to({draw_to_arguments(draw, names)})"
    if kind == "reduction":
        method = pick(draw, ["sum", "mean", "max", "min"])
        arguments = draw_dim_argument(draw, ndim, tuples=method in ("sum", "mean"))
        if method in ("max", "min"):
            return f"{target}, {target}i = {name}.{method}({arguments})"
        return f"{target} = {name}.{method}({arguments})"
    return f"{name}.requires_grad_()"


def draw_to_arguments(draw, names):
    dtype = f"lib.{pick(draw, DTYPES)}"
    device = pick(draw, ["'cpu'", "lib.device('cpu')", "'cuda'", "'cpu:0'"])
    other = pick(draw, sorted(tensors_of(names)))
    return pick(
        draw,
        [
            dtype,
            f"dtype={dtype}",
            device,
            f"{device}, {dtype}",
            f"device={device}, dtype={dtype}",
            other,
            f"{dtype}, copy=True",
            "'float'",
        ],
    )


QUERIES = [
    "size()",
    "size({dim})",
    "dim()",
    "numel()",
    "stride()",
    "stride({dim})",
    "is_contiguous()",
    "item()",
    "tolist()",
    "shape",
    "ndim",
    "is_leaf",
    "requires_grad",
    "retains_grad",
    "is_cuda",
    "grad_fn.name()",
    "numpy().tolist()",
    "dtype.is_floating_point",
]
OTHER_QUERIES = [
    "{target}v = str({name}.dtype), isinstance({name}.dtype, lib.dtype)",
    "{target}v = str({name}.device), {name}.device == lib.device('cpu')",
    "{target}v = isinstance({name}, lib.Tensor), {name}.shape == lib.Size([2, 3])",
    "{target} = {name}.cpu()",
    "{target} = {name}.cuda()",
    "{target} = {name}.half()",
    "{target} = {name}.bfloat16()",
    "{name}.requires_grad = {flag}",
]


def draw_query(draw, names, target):
    """A question to a tensor: ``size()``, ``stride(0)``, ``item()``, ``shape``, ``device``, ...
    or a conversion to a device or dtype that is left out."""
    name = pick(draw, sorted(tensors_of(names)))
    ndim = tensors_of(names)[name].ndim
    query = pick(draw, QUERIES + OTHER_QUERIES)
    if query in QUERIES:
        return f"{target}v = {name}.{query.format(dim=draw_dim(draw, ndim))}"
    return query.format(target=target, name=name, flag=pick(draw, (False, True)))


INPLACE = ["add_", "sub_", "mul_", "div_", "pow_", "+=", "-=", "*=", "/="]


def draw_inplace(draw, names, target):
    name, tensor = pick_tensor(draw, names)
    tensors = tensors_of(names)
    subject = pick(draw, [name] * 3 + [f"{name}.detach()", f"{name}.data", f"{name}[0]"])
    kind = pick(draw, INPLACE + ["zero_", "fill_", "setitem", "setitem"])
    if kind == "zero_":
        return f"{subject}.zero_()"
    if kind == "fill_":
        return f"{subject}.fill_({pick(draw, FLOATS)!r})"
    if kind == "setitem":
        value = pick(draw, ["number", "tensor"])
        value = repr(pick(draw, FLOATS)) if value == "number" else pick(draw, sorted(tensors))
        return f"{name}[{draw_index(draw, tensor)}] = {value}"
    other = draw_other_operand(draw, names, tensor)
    if kind.endswith("="):
        if subject != name:
            return f"{subject}.{INPLACE[INPLACE.index(kind) - 5]}({other})"
        return f"{name} {kind} {other}"
    return f"{subject}.{kind}({other})"


def draw_cast(draw, names, target):
    name = pick(draw, sorted(tensors_of(names)))
    cast = pick(
        draw,
        [
            "float()",
            "double()",
            "long()",
            "to(lib.bool)",
            "to(lib.float64)",
            "to(lib.float32)",
            "half()",
            "int()",
            "bool()",
            "to(lib.float16)",
            "to(lib.complex64)",
        ],
    )
    return f"{target} = {name}.{cast}"


def draw_copy(draw, names, target):
    name = pick(draw, sorted(tensors_of(names)))
    how = pick(draw, ["copy.copy({})", "copy.deepcopy({})", "pickled({})"])
    how = how.replace("pickled({})", "pickle.loads(pickle.dumps({}))")
    return f"{target} = {how.format(name)}"


def draw_grad_mode(draw, names, target):
    """A step (or two) under a grad-mode switch: context manager, decorator, generator, thread."""
    name = pick(draw, sorted(tensors_of(names)))
    switch = pick(
        draw,
        [
            "lib.no_grad()",
            "lib.enable_grad()",
            "lib.set_grad_enabled(False)",
            "lib.set_grad_enabled(True)",
        ],
    )
    form = pick(draw, ["with", "decorator", "generator", "thread", "nested", "call"])
    if form == "with":
        return f"with {switch}:\n    {target} = {name} * 2"
    if form == "nested":
        return (
            f"with lib.no_grad():\n    with {switch}:\n        {target} = {name} * 2\n"
            f"    {target}b = {name} * 3"
        )
    if form == "call":
        return f"{target} = lib.set_grad_enabled({pick(draw, (False, True))})"
    if form == "decorator":
        switch = switch.replace("lib.no_grad()", pick(draw, ["lib.no_grad()", "lib.no_grad"]))
        return f"@{switch}\ndef _scaled(a):\n    return a * 2\n{target} = _scaled({name})"
    if form == "generator":
        return (
            f"@{switch}\ndef _scaled(a):\n    yield a * 2\n    yield a * 3\n"
            f"_steps = _scaled({name})\n{target} = next(_steps)\n"
            f"{target}b = {name} * 4\n{target}c = next(_steps)"
        )
    return (
        f"with {switch}:\n    {target} = in_thread(lambda: {name} * 2)\n"
        f"    {target}b = in_thread(lib.is_grad_enabled)"
    )


def draw_autograd(draw, names, target):
    name, tensor = pick_tensor(draw, names)
    tensors = tensors_of(names)
    flags = []
    if pick(draw, (False, True)):
        flags.append("retain_graph=True")
    if integer(draw, 0, 3) == 0:
        flags.append("create_graph=True")
    kind = pick(draw, ["backward", "backward", "sum backward", "gradient", "grad"])
    flags = "".join(", " + flag for flag in flags)
    if kind == "backward":
        return f"{name}.backward({flags[2:]})"
    if kind == "sum backward":
        return f"{name}.sum().backward({flags[2:]})"
    if kind == "gradient":
        dtype = pick(draw, ["float32", "float64", "float32", "int64"])
        value = literal(draw, tuple(tensor.shape), dtype)
        return f"{name}.backward(lib.tensor({value!r}, dtype=lib.{dtype}){flags})"
    leaves = [n for n, t in tensors.items() if t.requires_grad] or [name]
    inputs = sorted({pick(draw, sorted(leaves)) for _ in range(integer(draw, 1, 3))})
    return f"{target} = grad({name}.sum(), [{', '.join(inputs)}], allow_unused=True{flags})"


def draw_hook(draw, names, target):
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    kind = pick(draw, ["log", "double", "retain_grad", "remove", "requires_grad_"])
    if kind == "log":
        return f"{target}h = {name}.register_hook(lambda g: log.append(g.detach().clone()))"
    if kind == "double":
        return f"{target}h = {name}.register_hook(lambda g: g * 2)"
    if kind == "retain_grad":
        return f"{name}.retain_grad()"
    handles = sorted(n for n in names if n.endswith("h") and not n.startswith("_"))
    if kind == "remove" and handles:
        return f"{pick(draw, handles)}.remove()"
    return f"{name}.requires_grad_({pick(draw, (False, True))})"


def draw_access(draw, names, target):
    name = pick(draw, sorted(tensors_of(names)))
    kind = pick(draw, ["read", "clear", "zero", "item", "tolist"])
    if kind == "read":
        return f"{target} = {name}.grad"
    if kind == "clear":
        return f"{name}.grad = None"
    if kind == "zero":
        return f"{name}.grad.zero_()"
    return f"{target}v = {name}.{kind}()"


GRAD_INPLACE = ["add_(1)", "zero_()", "mul_(2)", "sub_(0.5)", "fill_(3.0)"]


def draw_grad_inplace(draw, names, target):
    """An in-place change to an existing ``.grad``: the after-step comparison then shows any
    memory that ``.grad`` shares with another gradient or tensor (torch gives each its own)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graded = sorted(name for name, t in tensors_of(names).items() if t.grad is not None)
    if not graded:
        return draw_autograd(draw, names, target)
    return f"{pick(draw, graded)}.grad.{pick(draw, GRAD_INPLACE)}"


STEP_KINDS = {
    draw_arithmetic: 6,
    draw_view: 3,
    draw_inplace: 3,
    draw_reduction: 1,
    draw_cast: 1,
    draw_copy: 1,
    draw_grad_mode: 1,
    draw_autograd: 3,
    draw_hook: 2,
    draw_access: 1,
    draw_grad_inplace: 2,
    draw_function: 5,
    draw_method: 3,
    draw_query: 3,
}
_WEIGHTED = [kind for kind, weight in STEP_KINDS.items() for _ in range(weight)]


def vocabulary(steps=200, seed=0):
    """The names the drawing functions use in ``steps`` steps of each kind, drawn for tensors of
    several shapes and dtypes: ``(library_names, tensor_names)``, what programs call or read on
    ``lib`` (``grad`` included) and every other attribute (``t0.permute``, ``t1.shape``)."""
    draw, names = SeededDraw(seed), namespace(torch)
    names.update(
        t0=torch.ones(2, 3, requires_grad=True),
        t1=torch.tensor(2.0, dtype=torch.float64),
        t2=torch.arange(3),
        t3=torch.tensor([[True, False]]),
    )
    (names["t0"] * 2).sum().backward()
    lines = [draw_create(draw, names) for _ in range(steps)]
    lines += [kind(draw, names, "t9") for kind in STEP_KINDS for _ in range(steps)]
    library_names, tensor_names = set(), set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Attribute):
            on_library = isinstance(node.value, ast.Name) and node.value.id == "lib"
            (library_names if on_library else tensor_names).add(node.attr)
        elif isinstance(node, ast.Name) and node.id in LIBRARY_NAMES["torch"]:
            library_names.add(node.id)
    return library_names, tensor_names


def draw_program(data):
    """Draw a program step by step while running it on torch; return it with torch's outcomes."""
    steps = integer(data.draw, 1, MAX_STEPS)
    names = namespace(torch)
    lines, outcomes = [], []
    try:
        while len(lines) < steps:
            if not tensors_of(names) or integer(data.draw, 0, 5) == 0:
                line = draw_create(data.draw, names)
            else:
                kind = pick(data.draw, _WEIGHTED)
                line = kind(data.draw, names, fresh(names))
            lines.append(line)
            outcomes.append(run_step(torch, names, line))
    finally:
        torch.set_grad_enabled(True)
    return lines, outcomes


# ----- the search -------------------------------------------------------------------------------


class Tally:
    """How many programs ran, how they ended, and the shortest program of each disagreement."""

    def __init__(self):
        self.kinds = Counter()
        self.disagreements = {}

    @property
    def programs(self):
        return sum(self.kinds.values())

    def add(self, lines, kind, report):
        self.kinds[kind] += 1
        if report:
            signature = disagreement_kind(report)
            known = self.disagreements.get(signature)
            if known is None or len(report) < len(known):
                self.disagreements[signature] = report


def disagreement_kind(report):
    """A report's first line with the step number, names and numbers taken out."""
    first = report.splitlines()[0]
    path, _, detail = first.partition(": ")
    path = re.sub(r"step \d+", "step", path)
    path = re.sub(r"\['t\d+\w*'\]", "[t]", path)
    path = re.sub(r"\[\d+\]", "[i]", path)
    if "error" in path or "warnings" in path:
        path += ": " + re.sub(r"[\d.\-]+", "#", detail)[:150]
    return path


def search(max_examples, seed=None, tally=None, shrink=True):
    """Run ``max_examples`` random programs (``seed`` fixes them). With ``shrink``, raise at the
    first disagreement with the smallest program hypothesis finds; without, collect them all."""
    tally = Tally() if tally is None else tally
    phases = list(Phase) if shrink else [Phase.generate]

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one_program(data):
        lines, torch_outcomes = draw_program(data)
        kind, report = compare(lines, torch_outcomes)
        if report and shrink:
            raise AssertionError(report)
        tally.add(lines, kind, report)

    if seed is not None:
        one_program = hypothesis.seed(seed)(one_program)
    one_program()
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    arguments = parser.parse_args()
    tally, start, batch = Tally(), time.perf_counter(), 0
    print(f"searching for {arguments.seconds:.0f} s from seed {arguments.seed}", flush=True)
    while time.perf_counter() - start < arguments.seconds:
        search(arguments.batch, seed=arguments.seed + batch, tally=tally, shrink=False)
        batch += 1
        elapsed = time.perf_counter() - start
        print(
            f"{tally.programs} programs, {tally.programs / elapsed:.0f} programs/s, "
            f"{len(tally.disagreements)} kinds of disagreement",
            flush=True,
        )
    elapsed = time.perf_counter() - start
    print(f"\n{tally.programs} programs in {elapsed:.0f} s ({tally.programs / elapsed:.0f}/s):")
    for kind, count in tally.kinds.most_common():
        print(f"  {count:>8}  {kind}")
    for signature, report in sorted(tally.disagreements.items()):
        print(f"\n--- {signature}\n{report}")
    if tally.disagreements:
        raise SystemExit(f"{len(tally.disagreements)} kinds of disagreement with torch")
    print("all agreed with torch")


if __name__ == "__main__":
    main()
