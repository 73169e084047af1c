"""Chapter 4, "Build your own autograd": the checkers of the reader's engine, step by step.

The reader writes a small reverse-mode engine in six steps; after each step one checker here runs
the reader's code on small graphs and says precisely what is wrong. Expected numbers are never
copied from the book: every checker works them out again with torch (in float64) and confirms them
with central differences.

The reader's objects follow one protocol, which the hidden reference `_Value` below also follows, so
a step can be checked on its own (step 3 sorts graphs of reference values, for example):

* a value has ``data``, ``grad`` (0.0 until gradients arrive), ``inputs`` (the values it was made
  from, in order) and ``local_grads`` (one local derivative per input);
* ``value.chain_rule()`` returns the gradient each input receives from this value;
* ``topological_order(root)``, ``send_gradients(node)`` and ``backward(root)`` are plain functions.
"""

import math

import numpy as np
import torch

from autograd_mini.course.compare import Verdict
from autograd_mini.course.exercises import Exercise, WebAnswer

__all__ = [
    "BYO_BUG",
    "BYO_EXP",
    "BYO_PREDICT",
    "STEP_1",
    "STEP_2",
    "STEP_3",
    "STEP_4",
    "STEP_5",
    "STEP_6",
    "compare_article_examples",
]

_SEED = 20261129  # generated inputs, fixed so the book's printed messages never change
_DEEP = 3000  # nodes in a chain: deeper than Python's recursion limit of 1,000


def _not_done(where: str) -> str:
    return f"not done yet: fill in the ... {where}, run that cell, then this one again"


def _number(value) -> str:
    return f"{float(value):.6g}"


def _close(got, want, rtol=1e-9, atol=1e-12) -> bool:
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    want = np.asarray(want, dtype=np.float64)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def _has_ellipsis(items) -> bool:
    return any(item is Ellipsis for item in items)


# --- The hidden reference: the same protocol as the reader's code ---------------------------------


class _Value:
    """The reference value: the reader's Value, plus a label for the checkers' messages."""

    def __init__(self, data, inputs=(), local_grads=(), label=""):
        self.data = data
        self.grad = 0.0
        self.inputs = inputs
        self.local_grads = local_grads
        self.label = label

    def chain_rule(self):
        return [local_grad * self.grad for local_grad in self.local_grads]

    def __add__(self, other):
        return _Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        return _Value(self.data * other.data, (self, other), (other.data, self.data))

    def __truediv__(self, number):
        return _Value(self.data / number, (self,), (1 / number,))

    def __pow__(self, n):
        return _Value(self.data**n, (self,), (n * self.data ** (n - 1),))

    def sin(self):
        return _Value(math.sin(self.data), (self,), (math.cos(self.data),))


def _reference_order(root) -> list:
    users = {}
    stack = [root]
    while stack:
        value = stack.pop()
        for input_value in value.inputs:
            users[input_value] = users.get(input_value, 0) + 1
            if users[input_value] == 1:
                stack.append(input_value)
    order, ready = [], [root]
    while ready:
        value = ready.pop()
        order.append(value)
        for input_value in value.inputs:
            users[input_value] -= 1
            if users[input_value] == 0:
                ready.append(input_value)
    return order


def _named(value, label):
    value.label = label
    return value


# --- torch and central differences: where every expected number comes from ------------------------


def _torch_gradients(function, points, incoming=1.0) -> list[float]:
    """d function / d each point, times `incoming`, by torch in float64."""
    leaves = [torch.tensor(float(p), dtype=torch.float64, requires_grad=True) for p in points]
    output = function(*leaves)
    grads = torch.autograd.grad(
        output, leaves, grad_outputs=torch.tensor(float(incoming), dtype=torch.float64)
    )
    return [float(g) for g in grads]


def _central_differences(function, points, step=1e-6) -> list[float]:
    slopes = []
    for index in range(len(points)):
        up, down = list(points), list(points)
        up[index] += step
        down[index] -= step
        slopes.append((function(*up) - function(*down)) / (2 * step))
    return slopes


def _expected_gradients(torch_function, math_function, points, incoming=1.0) -> list[float]:
    """torch's gradients, confirmed by central differences (a checker bug stops here, loudly)."""
    exact = _torch_gradients(torch_function, points, incoming)
    estimate = [incoming * s for s in _central_differences(math_function, points)]
    if not np.allclose(exact, estimate, rtol=1e-5, atol=1e-6):
        raise AssertionError(f"torch {exact} and central differences {estimate} disagree")
    return exact


# --- Step 1: a value that records its inputs and local derivatives --------------------------------

# (expression, build from the reader's values, torch version, float version, how many inputs)
_OPERATIONS = [
    ("a + b", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: a + b, 2),
    ("a * b", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: a * b, 2),
    ("a / 4", lambda a, b: a / 4, lambda a, b: a / 4, lambda a, b: a / 4, 1),
    ("a ** 3", lambda a, b: a**3, lambda a, b: a**3, lambda a, b: a**3, 1),
    ("a.sin()", lambda a, b: a.sin(), lambda a, b: torch.sin(a), lambda a, b: math.sin(a), 1),
]

_LOCAL_HINTS = {
    "a * b": "nudge a by a tiny step and a * b moves by b times that step: the local derivative "
    "with respect to a is b.data, and with respect to b it is a.data",
    "a / 4": "dividing by a number c shrinks every nudge by the same factor: the local derivative "
    "is 1 / c",
    "a ** 3": "the power rule: bring the power down in front and lower it by one, "
    "n * self.data ** (n - 1)",
    "a.sin()": "the slope of the sine curve at a point is the cosine there: math.cos(self.data)",
}


def _check_one_operation(Value, expression, build, torch_function, float_function, arity, points):
    a, b = Value(points[0]), Value(points[1])
    result = build(a, b)
    if not hasattr(result, "local_grads") or not hasattr(result, "inputs"):
        return f"{expression} gave {result!r}, not a Value with inputs and local_grads"
    if _has_ellipsis(result.local_grads):
        return "ellipsis"
    at = f"at a = {_number(points[0])}" + (f", b = {_number(points[1])}" if arity == 2 else "")
    want_data = float(torch_function(*[torch.tensor(p, dtype=torch.float64) for p in points]))
    if not _close(result.data, want_data):
        return f"{expression} {at} holds data {result.data!r}, but {expression} is {want_data:.6g}"
    wanted_inputs = (a, b)[:arity]
    if tuple(result.inputs) != wanted_inputs:
        names = ("a", "b")[:arity]
        return (
            f"({expression}).inputs should be ({', '.join(names)}{',' if arity == 1 else ''}): "
            "the values it was made from, in order"
        )
    if len(result.local_grads) != arity:
        return (
            f"({expression}).local_grads has {len(result.local_grads)} entries, but {expression} "
            f"has {arity} input{'s' if arity > 1 else ''}: one local derivative per input"
        )
    used = points[:arity]
    want = _expected_gradients(
        lambda *t: torch_function(*t, *points[arity:]),
        lambda *x: float_function(*x, *points[arity:]),
        used,
    )
    if not _close(list(result.local_grads), want):
        got = ", ".join(repr(g) for g in result.local_grads) + ("," if arity == 1 else "")
        shown = ", ".join(_number(w) for w in want) + ("," if arity == 1 else "")
        problem = (
            f"({expression}).local_grads {at} is ({got}), but nudging the inputs gives ({shown})"
        )
        hint = _LOCAL_HINTS.get(expression)
        return f"{problem}; {hint}" if hint else problem
    return None


def _check_value_class(Value) -> str | None:
    if not isinstance(Value, type):
        return "pass the class itself: STEP_1.check(Value)"
    rng = np.random.default_rng(_SEED)
    point_sets = [(3.0, -2.0), tuple(float(p) for p in rng.uniform(0.5, 2.5, size=2))]
    unfinished = []
    for expression, build, torch_function, float_function, arity in _OPERATIONS:
        for points in point_sets:
            problem = _check_one_operation(
                Value, expression, build, torch_function, float_function, arity, points
            )
            if problem == "ellipsis":
                unfinished.append(expression)
                break
            if problem:
                return problem
    if unfinished:
        return _not_done("in the local derivatives of " + ", ".join(unfinished))
    a = Value(1.5)
    square = a * a
    if tuple(square.inputs) != (a, a) or not _close(list(square.local_grads), [1.5, 1.5]):
        return "a * a should record a twice: inputs (a, a) and local derivatives (a.data, a.data)"
    if a.grad != 0:
        return f"a new Value should start with grad 0.0, yours starts with {a.grad!r}"
    return None


STEP_1 = Exercise(
    "Step 1",
    _check_value_class,
    "a local derivative answers: if this one input moves by a tiny step, how many times that step "
    "does the result move? Use the table above the cell, with the inputs' .data.",
    label="byo-step-1",
)


# --- Step 2: the chain rule on one node -----------------------------------------------------------


def _chain_rule_result_problem(got, expression: str, inputs: int) -> str | None:
    """What is wrong with the form of what chain_rule returned (not its numbers), if anything."""
    if got is Ellipsis or got is None or (isinstance(got, list | tuple) and _has_ellipsis(got)):
        return _not_done("in chain_rule")
    if not isinstance(got, list | tuple):
        return f"chain_rule should return a list with one gradient per input; it returned {got!r}"
    if len(got) != inputs:
        return (
            f"the node {expression} has {inputs} input{'s' if inputs > 1 else ''}, "
            f"but chain_rule returned {len(got)} gradient{'s' if len(got) != 1 else ''}"
        )
    return None


def _check_chain_rule(chain_rule) -> str | None:
    if not callable(chain_rule):
        return "pass the function itself: STEP_2.check(chain_rule)"
    rng = np.random.default_rng(_SEED + 2)
    a_data, b_data = (float(p) for p in rng.uniform(0.5, 2.5, size=2))
    incoming = -1.5
    cases = [  # each function works on reference values and on torch tensors alike
        ("a * b", lambda a, b: a * b, lambda a, b: a * b, [a_data, b_data]),
        ("a.sin()", lambda a: a.sin(), math.sin, [a_data]),
        ("a ** 3", lambda a: a**3, lambda a: a**3, [a_data]),
    ]
    for expression, function, math_function, points in cases:
        leaves = [_Value(p) for p in points]
        node = function(*leaves)
        node.grad = incoming
        grads_before = [leaf.grad for leaf in leaves]
        got = chain_rule(node)
        problem = _chain_rule_result_problem(got, expression, len(leaves))
        if problem:
            return problem
        if [leaf.grad for leaf in leaves] != grads_before or node.grad != incoming:
            return (
                "chain_rule should only compute the gradients and return them, changing no .grad "
                "(sending them to the inputs is step 4)"
            )
        want = _expected_gradients(function, math_function, points, incoming)
        if _close(got, want):
            continue
        at = f"for the node {expression} with node.grad = {incoming}"
        locals_only = list(node.local_grads)
        if _close(got, locals_only):
            return (
                f"{at} chain_rule returned the local derivatives {_rounded(got)} unchanged: "
                "you forgot to multiply by the incoming gradient, node.grad"
            )
        if _close(got, [local + incoming for local in locals_only]):
            return f"{at} chain_rule added node.grad to the local derivatives: multiply instead"
        if _close(got, [incoming] * len(got)):
            return f"{at} chain_rule returned node.grad alone: multiply it by each local derivative"
        return (
            f"{at} chain_rule returned {_rounded(got)}, but the inputs should get {_rounded(want)}"
        )
    return None


def _rounded(numbers) -> list:
    return [round(float(n), 4) for n in numbers]


STEP_2 = Exercise(
    "Step 2",
    _check_chain_rule,
    "along a path slopes multiply: an input receives its local derivative times the gradient "
    "the node itself holds.",
    label="byo-step-2",
)


# --- Step 3: a topological order ------------------------------------------------------------------


def _graphs_to_sort():
    """Small graphs whose every node has a label, with the root last; the deep chain comes last."""
    x = _named(_Value(0.5), "x")
    a = _named(x * x, "a = x * x")
    b = _named(a.sin(), "b = a.sin()")
    chain = _named(b**2, "y = b ** 2")
    yield "y = sin(x * x) ** 2", chain

    x = _named(_Value(0.5), "x")
    a = _named(x / 2, "a = x / 2")
    b = _named(a * a, "b = a * a")
    trap = _named(a + b, "y = a + b")
    yield "y = a + b with b = a * a", trap

    x = _named(_Value(0.5), "x")
    a = _named(x / 2, "a = x / 2")
    b = _named(a * a, "b = a * a")
    yield "y = b + a with b = a * a", _named(b + a, "y = b + a")

    u, v = _named(_Value(2.0), "u"), _named(_Value(4.0), "v")
    square, cube, product = _named(u**2, "u ** 2"), _named(v**3, "v ** 3"), _named(u * v, "u * v")
    partial = _named(square + cube, "u ** 2 + v ** 3")
    yield "f = u ** 2 + v ** 3 + u * v", _named(partial + product, "f")

    x = _named(_Value(1.0), "x")
    value = x
    for index in range(_DEEP):
        value = _named(value * x, f"the product number {index + 1}")
    yield f"a chain of {_DEEP} multiplications", value


def _check_order_of(order, root, description) -> str | None:
    nodes = _reference_order(root)
    if order is Ellipsis or order is None:
        return _not_done("in topological_order")
    if not isinstance(order, list | tuple):
        return (
            f"topological_order should return a list of values; it returned {type(order).__name__}"
        )
    if len(order) == 1 and len(nodes) > 1 and order[0] is root:
        return _not_done(
            "in topological_order (the order holds the root only: every input whose users are all "
            "done must join `ready`)"
        )
    return _order_members_problem(order, nodes, description) or _order_direction_problem(
        order, root, description
    )


def _order_members_problem(order, nodes, description) -> str | None:
    """Whether the order holds every value of the graph exactly once, and nothing else."""
    known = {id(node) for node in nodes}
    for item in order:
        if id(item) not in known:
            return f"for {description} the order holds {item!r}, which is not a value of that graph"
    counts = {}
    for item in order:
        counts[id(item)] = counts.get(id(item), 0) + 1
    for node in nodes:
        seen = counts.get(id(node), 0)
        if seen == 0:
            return f"for {description} the value {node.label} is missing from the order"
        if seen > 1:
            return (
                f"for {description} the value {node.label} appears {seen} times: list each "
                "value once, even one used twice"
            )
    return None


def _order_direction_problem(order, root, description) -> str | None:
    """Whether the order starts at the root and lists every value before its inputs."""
    if order[0] is not root:
        if order[-1] is root:
            return (
                f"for {description} your order ends at the root: backward starts at the output, "
                "so the root comes first and the leaves last"
            )
        return f"for {description} the order should start at the root, {root.label}"
    position = {id(item): index for index, item in enumerate(order)}
    for node in order:
        for input_value in node.inputs:
            if position[id(input_value)] < position[id(node)]:
                return (
                    f"for {description} you visited {input_value.label} before all its users "
                    f"({node.label} uses it and comes later): sort topologically, a value joins "
                    "the order only when every value that uses it is already there"
                )
    return None


def _check_topological_order(topological_order) -> str | None:
    if not callable(topological_order):
        return "pass the function itself: STEP_3.check(topological_order)"
    for description, root in _graphs_to_sort():
        try:
            order = topological_order(root)
        except RecursionError:
            return (
                f"for {description} your function recursed too deeply: Python stops at about 1,000 "
                "nested calls. Keep a list of values still to visit instead of calling yourself"
            )
        problem = _check_order_of(order, root, description)
        if problem:
            return problem
    return None


STEP_3 = Exercise(
    "Step 3",
    _check_topological_order,
    "users[input_value] counts the users an input is still waiting for; it is ready when none "
    "is left.",
    label="byo-step-3",
)


# --- Step 4: accumulation -------------------------------------------------------------------------


def _check_send_gradients(send_gradients) -> str | None:
    if not callable(send_gradients):
        return "pass the function itself: STEP_4.check(send_gradients)"
    incoming = 1.5
    x = _Value(3.0)
    square = x * x
    square.grad = incoming
    send_gradients(square)
    if x.grad == 0:
        return _not_done("in send_gradients (x.grad is still 0 after sending)")
    if x.grad is Ellipsis:
        return _not_done("in send_gradients")
    (want,) = _expected_gradients(lambda t: t * t, lambda t: t * t, [3.0], incoming)
    if _close(x.grad, incoming * 3.0):
        return (
            "in x * x, x is used twice but its gradient counts only one path: "
            "accumulate with += so that both paths add up"
        )
    if not _close(x.grad, want):
        return (
            f"after send_gradients(x * x) with x = 3 and node.grad = {incoming}, x.grad should "
            f"be {want:g}, yours is {x.grad!r}"
        )
    if square.grad != incoming:
        return "send_gradients should change the inputs' gradients only, not the node's own"

    x = _Value(2.0)
    x.grad = 4.0  # what another user of x has already sent
    triple = x * _Value(3.0)
    triple.grad = incoming
    send_gradients(triple)
    (want,) = _expected_gradients(lambda t: 3 * t, lambda t: 3 * t, [2.0], incoming)
    if _close(x.grad, want):
        return (
            "x already held 4.0 from another user, and your send_gradients replaced it: "
            "accumulate with += so that every path counts"
        )
    if not _close(x.grad, 4.0 + want):
        return (
            f"x held 4.0 and x * 3 sent {want:g} with node.grad = {incoming}: x.grad should be "
            f"{4.0 + want:g}, yours is {x.grad!r}"
        )
    return None


STEP_4 = Exercise(
    "Step 4",
    _check_send_gradients,
    "a value used by several others must end up with the sum of what they all send, whatever it "
    "already holds.",
    label="byo-step-4",
)


# --- Step 5: backward() from a scalar -------------------------------------------------------------


def _half_plus_its_square(x):
    half = x / 2
    return half + half * half


_ORDER_HINT = (
    "a value passed its gradient on before all its users had added theirs: backward must walk "
    "topological_order(root) (step 3)"
)
_ACCUMULATE_HINT = (
    "x is used twice but its gradient counts only one path: accumulate with += (step 4)"
)
_GENERAL_HINT = (
    "if steps 3 and 4 pass, check that backward walks topological_order(root) and calls "
    "send_gradients on every value"
)

# (formula, build from reference values, torch version, float version, points, what usually fails)
_FUNCTIONS = [
    ("x * 3", lambda x: x * _Value(3.0), lambda x: x * 3, lambda x: x * 3, [2.0], _GENERAL_HINT),
    ("x * x", lambda x: x * x, lambda x: x * x, lambda x: x * x, [2.0], _ACCUMULATE_HINT),
    ("a + a * a with a = x / 2", *[_half_plus_its_square] * 3, [0.7], _ORDER_HINT),
    ("u ** 2 + v ** 3 + u * v", *[lambda u, v: u**2 + v**3 + u * v] * 3, [2.0, 4.0], _GENERAL_HINT),
]


def _generated_functions():
    """Generated formulas of u, v, w: a few values reused along different paths."""
    rng = np.random.default_rng(_SEED + 5)
    for _ in range(3):
        u, v, w = (round(float(p), 3) for p in rng.uniform(0.3, 1.7, size=3))
        power = int(rng.integers(2, 4))

        def formula(u, v, w, power=power, sine=None):
            sine = sine or math.sin
            a = u * v
            b = sine(a) * w
            return (a + b) ** power + b * u / 3

        def on_values(u, v, w, power=power):
            a = u * v
            b = a.sin() * w
            return (a + b) ** power + b * u / 3

        def on_torch(u, v, w, power=power):
            return formula(u, v, w, power, torch.sin)

        text = f"(a + b) ** {power} + b * u / 3 with a = u * v, b = sin(a) * w"
        yield (text, on_values, on_torch, formula, [u, v, w], _GENERAL_HINT)


def _run_backward(backward, root) -> str | None:
    try:
        backward(root)
    except RecursionError:
        return (
            "your backward recursed too deeply: walk topological_order(root), a list, instead of "
            "calling backward again for each input"
        )
    except TypeError:
        if root.grad is Ellipsis:
            return _not_done("in backward (root.grad)")
        raise
    if root.grad is Ellipsis:
        return _not_done("in backward (root.grad)")
    return None


def _check_backward(backward) -> str | None:
    if not callable(backward):
        return "pass the function itself: STEP_5.check(backward)"
    cases = _FUNCTIONS + list(_generated_functions())
    for text, build, on_torch, formula, points, hint in cases:
        leaves = [_Value(p) for p in points]
        root = build(*leaves)
        problem = _run_backward(backward, root)
        if problem:
            return problem
        if root.grad != 1:
            return (
                f"after backward, the root's grad is {root.grad!r}: start with root.grad = 1 "
                "(the output changes one-for-one with itself)"
            )
        want = _expected_gradients(on_torch, formula, points)
        got = [leaf.grad for leaf in leaves]
        if _close(got, want, rtol=1e-7, atol=1e-9):
            continue
        names = "xyz" if len(points) == 1 else "uvw"
        at = ", ".join(f"{names[i]} = {_number(p)}" for i, p in enumerate(points))
        return (
            f"for f = {text} at {at}, backward gave gradients {_rounded(got)}, but torch and "
            f"central differences give {_rounded(want)}: {hint}"
        )
    x = _Value(1.0001)
    value = x
    for _ in range(_DEEP):
        value = value * x
    problem = _run_backward(backward, value)
    if problem:
        return problem
    want = (_DEEP + 1) * 1.0001**_DEEP
    if not _close(x.grad, want, rtol=1e-9):
        return (
            f"for a chain of {_DEEP} multiplications x.grad should be {want:.6g}, "
            f"yours is {x.grad!r}"
        )
    return None


STEP_5 = Exercise(
    "Step 5",
    _check_backward,
    "start from the root's gradient with respect to itself, then send each value's gradients on, "
    "in topological order.",
    label="byo-step-5",
)


# --- Step 6: tensors ------------------------------------------------------------------------------


def _vjp(torch_function, arrays, incoming) -> list[np.ndarray]:
    leaves = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    output = torch_function(*leaves)
    grads = torch.autograd.grad(output, leaves, torch.tensor(incoming, dtype=torch.float64))
    return [g.numpy() for g in grads]


_TENSOR_HINTS = {
    "a + b": "adding passes the incoming gradient through unchanged: lambda g: g for both inputs",
    "a * b": "element by element, exactly as for Value: the gradient for a is g * b.data",
    "a.sum()": "every element moved the sum one-for-one, so each element receives the incoming "
    "gradient: g * np.ones_like(self.data), which has the shape of a",
    "m @ w": "for m @ w the gradient for m is g @ w.data.T (the shape of m) and for w it is "
    "m.data.T @ g (the shape of w)",
}


def _check_tensor_operation(Tensor, expression, names, build, arrays, incoming) -> str | None:
    inputs = [Tensor(array) for array in arrays]
    node = build(*inputs)
    want_data = build(*[torch.tensor(array) for array in arrays]).numpy()
    if not _close(node.data, want_data):
        return (
            f"{expression} holds the wrong numbers (torch gives {np.round(want_data, 4).tolist()})"
        )
    node.grad = incoming
    try:
        got = node.chain_rule()
    except ValueError:  # numpy: shapes that cannot be multiplied
        return (
            f"a rule of {expression} multiplies arrays whose shapes do not fit; "
            f"{_TENSOR_HINTS[expression]}"
        )
    if got is Ellipsis or _has_ellipsis(got):
        return "ellipsis"
    want = _vjp(build, arrays, incoming)
    if len(got) != len(want):
        return f"{expression} has {len(want)} inputs but its rules gave {len(got)} gradients"
    for name, gradient, expected in zip(names, got, want, strict=True):
        shape = np.shape(gradient)
        if shape != expected.shape:
            return (
                f"in {expression} the gradient for {name} has shape {list(shape)}, but {name} "
                f"has shape {list(expected.shape)}; {_TENSOR_HINTS[expression]}"
            )
        if not _close(gradient, expected):
            return (
                f"in {expression} the gradient for {name} differs from torch's; "
                f"{_TENSOR_HINTS[expression]}"
            )
    return None


def _squared_error(m, w, offset):
    """((m @ w + offset) ** 2).sum(), written with +, *, @ and sum only (both libraries)."""
    error = m @ w + offset
    return (error * error).sum()


def _check_tensor_class(Tensor) -> str | None:
    if not isinstance(Tensor, type):
        return "pass the class itself: STEP_6.check(Tensor)"
    rng = np.random.default_rng(_SEED + 6)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    m, w = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    operations = [
        ("a + b", "ab", lambda a, b: a + b, [a, b], rng.normal(size=(2, 3))),
        ("a * b", "ab", lambda a, b: a * b, [a, b], rng.normal(size=(2, 3))),
        ("a.sum()", "a", lambda a: a.sum(), [a], np.array(1.5)),
        ("m @ w", "mw", lambda m, w: m @ w, [m, w], rng.normal(size=(2, 4))),
    ]
    unfinished = []
    for expression, names, build, arrays, incoming in operations:
        problem = _check_tensor_operation(Tensor, expression, names, build, arrays, incoming)
        if problem == "ellipsis":
            unfinished.append(expression)
        elif problem:
            return problem
    if unfinished:
        return _not_done("in the rules of " + ", ".join(unfinished))
    if not callable(getattr(Tensor, "backward", None)):
        return (
            "Tensor has no backward method: make it a Value, class Tensor(Value), to inherit yours"
        )
    offset = rng.normal(size=(2, 4))
    mine = [Tensor(m), Tensor(w)]
    _squared_error(*mine, Tensor(offset)).backward()
    theirs = [torch.tensor(m, requires_grad=True), torch.tensor(w, requires_grad=True)]
    _squared_error(*theirs, torch.tensor(offset)).backward()
    for name, tensor, reference in zip("mw", mine, theirs, strict=True):
        if not _close(tensor.grad, reference.grad.numpy()):
            return (
                f"for the loss ((m @ w + offset) ** 2).sum(), {name}.grad differs from torch's "
                "although each rule passed on its own: backward should work unchanged "
                "(every grad starts at zero, send_gradients adds)"
            )
    return None


STEP_6 = Exercise(
    "Step 6",
    _check_tensor_class,
    "each rule is a function of the incoming gradient g that returns the gradient for one input, "
    "with that input's shape.",
    label="byo-step-6",
)


# --- The article's three examples on three engines ------------------------------------------------


def _examples_on_value(Value) -> list[list[tuple[str, float]]]:
    """The source article's three examples on the reader's Value: (name, number) pairs."""
    x = Value(9.0)
    y = x**2
    y.backward()
    first = [("y", y.data), ("x.grad", x.grad)]
    x = Value(100.0)
    y = (x / 2**1.5).sin()
    y.backward()
    second = [("y", y.data), ("x.grad", x.grad)]
    u, v = Value(2.0), Value(4.0)
    f = u**2 + v**3 + u * v
    f.backward()
    return [first, second, [("f", f.data), ("u.grad", u.grad), ("v.grad", v.grad)]]


def _examples_on_library(library) -> list[list[tuple[str, float]]]:
    """The same three examples in torch or autograd_mini (float32 tensors, as the article has)."""
    x = library.tensor(9.0, requires_grad=True)
    y = x**2
    y.backward()
    first = [("y", y.item()), ("x.grad", x.grad.item())]
    x = library.tensor(100.0, requires_grad=True)
    y = library.sin(x / 2**1.5)
    y.backward()
    second = [("y", y.item()), ("x.grad", x.grad.item())]
    u = library.tensor(2.0, requires_grad=True)
    v = library.tensor(4.0, requires_grad=True)
    f = u**2 + v**3 + u * v
    f.backward()
    return [first, second, [("f", f.item()), ("u.grad", u.grad.item()), ("v.grad", v.grad.item())]]


def compare_article_examples(Value) -> Verdict:
    """Run the article's three examples on your Value, on autograd_mini and on torch; print a table.

    torch and autograd_mini compute in float32 (the default dtype), your Value in Python's float64,
    so the numbers agree to about six significant digits; the table shows four decimals.
    """
    import autograd_mini

    try:
        yours = _examples_on_value(Value)
    except Exception as error:  # the reader's engine may fail in any way: say where, don't crash
        print(f"✗ your engine raised {type(error).__name__}: {error}")
        _print_first_failing_step(Value)
        return Verdict(False)
    mini = _examples_on_library(autograd_mini)
    theirs = _examples_on_library(torch)
    titles = ["x ** 2 at x = 9", "sin(x / 2 ** 1.5) at x = 100", "u**2 + v**3 + u*v at u=2, v=4"]
    print(f"{'example':<30} {'':>7} {'your Value':>11} {'autograd_mini':>14} {'torch':>9}")
    all_agree = True
    for title, rows_yours, rows_mini, rows_torch in zip(titles, yours, mini, theirs, strict=True):
        for index, ((name, mine), (_, small), (_, big)) in enumerate(
            zip(rows_yours, rows_mini, rows_torch, strict=True)
        ):
            agree = all(
                math.isclose(float(mine), other, rel_tol=2e-6, abs_tol=1e-6)
                for other in (small, big)
            )
            all_agree = all_agree and agree
            label = title if index == 0 else ""
            mark = "✓" if agree else "✗"
            print(f"{label:<30} {name:>7} {float(mine):>11.4f} {small:>14.4f} {big:>9.4f} {mark}")
    if all_agree:
        print("✓ your engine, autograd_mini and torch agree on all three examples")
    else:
        print("✗ your engine disagrees somewhere (✗ above)")
        _print_first_failing_step(Value)
    return Verdict(all_agree)


def _print_first_failing_step(Value) -> None:
    """Run the step checkers on the pieces of the reader's engine; print the first complaint."""
    pieces = [
        (STEP_1, Value),
        (STEP_2, getattr(Value, "chain_rule", None)),
        (STEP_5, getattr(Value, "backward", None)),
    ]
    for step, piece in pieces:
        problem = step._problem(piece)
        if problem:
            print(f"  {step.title} says: {problem}")
            return
    print("  each step's checker passes on its own: run the cells of steps 1 to 5 again, in order")


# --- Two more exercises ---------------------------------------------------------------------------


def _check_exp(Value) -> str | None:
    if not isinstance(Value, type):
        return "pass the class itself: BYO_EXP.check(Value)"
    if not callable(getattr(Value, "exp", None)):
        return "Value has no exp method yet: define exp and attach it with Value.exp = exp"
    a = Value(0.7)
    result = a.exp()
    if result is Ellipsis or result is None:
        return _not_done("in exp")
    if not hasattr(result, "local_grads") or _has_ellipsis(result.local_grads):
        return _not_done("in exp")
    (want,) = _expected_gradients(torch.exp, math.exp, [0.7])
    if not _close(result.data, math.exp(0.7)):
        return (
            f"Value(0.7).exp() holds {result.data!r}, but e to the power 0.7 is {math.exp(0.7):.6g}"
        )
    if tuple(result.inputs) != (a,):
        return "a.exp() should record one input, a: inputs = (self,)"
    if not _close(list(result.local_grads), [want]):
        return (
            f"a.exp() at a = 0.7 has local_grads {tuple(result.local_grads)!r}, but its slope "
            f"there is {want:.6g}: the exponential is its own slope, math.exp(self.data)"
        )
    x = Value(0.3)
    y = (x * x).exp() * x
    y.backward()
    (want,) = _expected_gradients(
        lambda t: torch.exp(t * t) * t, lambda t: math.exp(t * t) * t, [0.3]
    )
    if not _close(x.grad, want):
        return f"for y = exp(x * x) * x at x = 0.3, x.grad is {x.grad!r} but should be {want:.6g}"
    return None


BYO_EXP = Exercise(
    "Exercise 4.17 (exp for your Value)",
    _check_exp,
    "the exponential is its own slope: the local derivative of exp(a) is exp(a) again.",
    label="byo-exp",
)


def _cube_by_products() -> float:
    x = torch.tensor(2.0, requires_grad=True)
    (x * x * x).backward()
    return x.grad.item()


def _check_predicted_gradient(answer) -> str | None:
    if not isinstance(answer, int | float) or isinstance(answer, bool):
        return "answer with the number you predict, for example 5.0 (then run the code to see)"
    want = _cube_by_products()
    if _close(answer, want):
        return None
    if _close(answer, 4.0):
        return (
            "4 is only the path from the last multiplication straight to x; x * x adds two more "
            "paths, 4 each"
        )
    if _close(answer, 8.0):
        return (
            "8 comes only through x * x; the last multiplication also sends x its other factor, "
            "x * x = 4"
        )
    return (
        f"not quite: x is used three times in x * x * x, and the three paths add up (not {answer})"
    )


BYO_PREDICT = Exercise(
    "Exercise 4.18 (predict the gradient)",
    _check_predicted_gradient,
    "x * x * x is (x * x) * x: draw the graph, write the local derivative on each arrow, multiply "
    "along each path from y to x and add the paths.",
    label="byo-predict",
    web=WebAnswer(
        kind="number",
        prompt="x.grad after y.backward()",
        correct=_cube_by_products,
        slips=(4.0, 8.0, 6.0),
    ),
)


# The three typical bugs, each in a copy of the reference engine (the hidden `_Value` graph).
FORGOT_TO_MULTIPLY = "forgot to multiply by node.grad"
OVERWROTE = "wrote = instead of +="
ROOT_AT_ZERO = "started with root.grad = 0"
_BUGS = (FORGOT_TO_MULTIPLY, OVERWROTE, ROOT_AT_ZERO)


def _gradient_with_bug(bug: str) -> float:
    """x.grad for y = (x * x) * 3 at x = 2, from the reference engine with `bug` written in."""
    x = _Value(2.0)
    root = (x * x) * _Value(3.0)
    root.grad = 0.0 if bug == ROOT_AT_ZERO else 1.0
    for node in _reference_order(root):
        if bug == FORGOT_TO_MULTIPLY:
            gradients = list(node.local_grads)
        else:
            gradients = node.chain_rule()
        for input_value, gradient in zip(node.inputs, gradients, strict=True):
            if bug == OVERWROTE:
                input_value.grad = gradient
            else:
                input_value.grad += gradient
    return x.grad


_PRINTED = 6.0  # what the broken engine of the exercise prints


def _bug_that_prints_six() -> str:
    (culprit,) = [bug for bug in _BUGS if _gradient_with_bug(bug) == _PRINTED]
    return culprit


def _check_bug(answer) -> str | None:
    if answer not in _BUGS:
        return "answer with one of the three descriptions, copied exactly: " + "; ".join(
            repr(bug) for bug in _BUGS
        )
    if answer == _bug_that_prints_six():
        return None
    printed = _gradient_with_bug(answer)
    return f"an engine with that bug prints x.grad = {printed:g} here, not {_PRINTED:g}"


BYO_BUG = Exercise(
    "Exercise 4.16 (name the bug)",
    _check_bug,
    "work each bug through the graph by hand: x * x has two arrows to x, each with local "
    "derivative 2, and x * x itself should receive 3 from the last multiplication.",
    label="byo-bug",
    web=WebAnswer(
        kind="choice",
        prompt="the bug",
        correct=_bug_that_prints_six,
        choices=_BUGS,
        slips=(FORGOT_TO_MULTIPLY, ROOT_AT_ZERO),
    ),
)
