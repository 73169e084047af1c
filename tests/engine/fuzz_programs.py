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

MAX_STEPS = 12
FLOATS = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0]
INTS = [-2, -1, 0, 1, 2, 3]
DTYPES = ["float32", "float64", "int64", "bool"]
# how autograd_mini's errors for what it does not implement begin
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
            if str(raised).startswith(LEFT_OUT):
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
            "values": np.array(value.detach().numpy(), copy=True),
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
            try:
                state[name] = describe(value, gradients)
            except Exception as error:  # a broken tensor is a disagreement, not a crash
                state[name] = f"cannot be described: {type(error).__name__}: {error}"
    state["grad mode"] = lib.is_grad_enabled()
    state["log"] = describe(names["log"])
    return state


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
    if isinstance(expected, float) and np.isclose(expected, actual, rtol=1e-6, equal_nan=True):
        return None
    return None if expected == actual else f"{where}: {expected!r} != {actual!r}"


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


@functools.cache
def _sampled(options):
    return st.sampled_from(options)


@functools.cache
def _integers(low, high):
    return st.integers(low, high)


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
    how = pick(draw, ["tensor"] * 5 + ["ones", "zeros", "full", "arange", "linspace"])
    grad_arg = ", requires_grad=True" if requires_grad else ""
    if how == "tensor":
        value = literal(draw, shape, dtype)
        return f"{fresh(names)} = lib.tensor({value!r}, dtype=lib.{dtype}{grad_arg})"
    if how in ("ones", "zeros"):
        return f"{fresh(names)} = lib.{how}({list(shape)}, dtype=lib.{dtype}{grad_arg})"
    if how == "full":
        value = pick(draw, FLOATS + INTS)
        return f"{fresh(names)} = lib.full({list(shape)}, {value!r}{grad_arg})"
    if how == "arange":
        end = pick(draw, [0, 1, 3, 4.0, 2.5])
        return f"{fresh(names)} = lib.arange({end!r}{grad_arg})"
    count = integer(draw, 0, 4)
    return f"{fresh(names)} = lib.linspace(-1, 1, {count}{grad_arg})"


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
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    tensor = tensors[name]
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


INPLACE = ["add_", "sub_", "mul_", "div_", "pow_", "+=", "-=", "*=", "/="]


def draw_inplace(draw, names, target):
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    tensor = tensors[name]
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
    tensors = tensors_of(names)
    name = pick(draw, sorted(tensors))
    tensor = tensors[name]
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
}
_WEIGHTED = [kind for kind, weight in STEP_KINDS.items() for _ in range(weight)]


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
