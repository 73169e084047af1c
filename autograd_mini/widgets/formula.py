"""A small, safe reader for formulas typed by a reader, such as ``sin(x / (2**1.5))``.

The text is parsed with Python's ``ast`` and every piece is checked against a short whitelist:
numbers, the variables, ``+ - * / **``, unary ``-`` and ``+``, parentheses, the constants ``pi``
and ``e`` and the functions in ``ALLOWED_FUNCTIONS``. Nothing is ever passed to
``eval``; constant parts are folded with bounded floating-point arithmetic, so no input can
run code or hang.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["ALLOWED_FUNCTIONS", "MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH", "parse_function"]

#: Longest formula accepted, in characters.
MAX_LENGTH = 200
#: Deepest nesting of operations accepted.
MAX_DEPTH = 32
#: Largest absolute value of a constant exponent (``x**100`` is fine, ``10**10000`` is not).
MAX_EXPONENT = 100

#: The functions a formula may call, each with exactly one argument.
ALLOWED_FUNCTIONS = (
    "sin",
    "cos",
    "tan",
    "exp",
    "log",
    "sqrt",
    "tanh",
    "sigmoid",
    "relu",
    "abs",
)

_CONSTANTS = {"pi": math.pi, "e": math.e}

_BINARY_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

_FORBIDDEN_OPERATORS = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^ (for a power write **, e.g. x**2)",
    ast.Invert: "~",
    ast.Not: "not",
}

_FORBIDDEN_NODES = {
    ast.Attribute: "attribute access with '.'",
    ast.Subscript: "indexing or slicing with [ ]",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Tuple: "tuples or commas",
    ast.List: "lists",
    ast.Set: "sets",
    ast.Dict: "dictionaries",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'if ... else'",
    ast.Starred: "'*' unpacking",
    ast.NamedExpr: "the ':=' operator",
    ast.JoinedStr: "f-strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}

_NUMPY_FUNCTIONS = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: np.maximum(a, 0.0),
    "abs": np.abs,
}


def _refuse(what: str) -> ValueError:
    return ValueError(f"not allowed in a formula: {what}")


def _check_number(value: float, where: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{where} is too large or undefined")
    return value


def _fold_power(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_EXPONENT:
        raise ValueError(f"exponent {exponent:g} is too large (at most {MAX_EXPONENT} is allowed)")
    try:
        result = base**exponent
    except (OverflowError, ZeroDivisionError) as error:
        raise ValueError(f"{base:g}**{exponent:g} is too large or undefined") from error
    if isinstance(result, complex):
        raise ValueError(f"{base:g}**{exponent:g} is not a real number")
    return _check_number(result, f"{base:g}**{exponent:g}")


def _fold_function(name: str, value: float) -> float:
    try:
        with np.errstate(all="ignore"):
            result = float(_NUMPY_FUNCTIONS[name](np.float64(value)))
    except (OverflowError, ValueError) as error:  # pragma: no cover - numpy returns inf/nan instead
        raise ValueError(f"{name}({value:g}) is undefined") from error
    return _check_number(result, f"{name}({value:g})")


def _fold_binary(symbol: str, left: float, right: float) -> float:
    if symbol == "**":
        return _fold_power(left, right)
    if symbol == "/" and right == 0:
        raise ValueError("division by zero in the formula")
    result = {"+": left + right, "-": left - right, "*": left * right}.get(symbol)
    if result is None:
        result = left / right
    return _check_number(result, f"{left:g} {symbol} {right:g}")


class _Compiler:
    """Turns a checked syntax tree into a nested tuple tree, folding constant parts."""

    def __init__(self, variables: Sequence[str]):
        self.variables = tuple(variables)

    def compile(self, node: ast.AST, depth: int = 0) -> tuple:
        if depth > MAX_DEPTH:
            raise ValueError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels)")
        kind = type(node)
        if kind is ast.Expression:
            return self.compile(node.body, depth + 1)
        if kind is ast.Constant:
            return ("const", self._constant(node.value))
        if kind is ast.Name:
            return self._name(node.id)
        if kind is ast.UnaryOp:
            return self._unary(node, depth)
        if kind is ast.BinOp:
            return self._binary(node, depth)
        if kind is ast.Call:
            return self._call(node, depth)
        if kind in _FORBIDDEN_NODES:
            raise _refuse(_FORBIDDEN_NODES[kind])
        raise _refuse(f"{kind.__name__} expressions")

    def _constant(self, value: object) -> float:
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise _refuse(repr(value))
        if isinstance(value, str):
            raise _refuse("text in quotes")
        if isinstance(value, bytes):
            raise _refuse("bytes")
        if isinstance(value, complex):
            raise _refuse("complex numbers such as 2j")
        if not isinstance(value, int | float):
            raise _refuse(type(value).__name__)
        try:
            number = float(value)
        except OverflowError as error:
            raise ValueError("a number in the formula is too large") from error
        return _check_number(number, "a number in the formula")

    def _name(self, name: str) -> tuple:
        if name in self.variables:
            return ("var", self.variables.index(name))
        if name in _CONSTANTS:
            return ("const", _CONSTANTS[name])
        if name in ALLOWED_FUNCTIONS:
            raise ValueError(f"{name} is a function: write {name}(...) with one argument")
        allowed = " and ".join(self.variables)
        raise _refuse(f"the name {name!r} (use the variable {allowed}, numbers, pi and e)")

    def _unary(self, node: ast.UnaryOp, depth: int) -> tuple:
        if type(node.op) in _FORBIDDEN_OPERATORS:
            raise _refuse(f"the operator {_FORBIDDEN_OPERATORS[type(node.op)]}")
        operand = self.compile(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return operand
        if operand[0] == "const":
            return ("const", -operand[1])
        return ("neg", operand)

    def _binary(self, node: ast.BinOp, depth: int) -> tuple:
        if type(node.op) in _FORBIDDEN_OPERATORS:
            raise _refuse(f"the operator {_FORBIDDEN_OPERATORS[type(node.op)]}")
        symbol = _BINARY_OPERATORS[type(node.op)]
        left = self.compile(node.left, depth + 1)
        right = self.compile(node.right, depth + 1)
        if left[0] == "const" and right[0] == "const":
            return ("const", _fold_binary(symbol, left[1], right[1]))
        if symbol == "**" and right[0] == "const":
            _fold_power(1.0, right[1])  # checks the exponent's size
            return ("pow", left, right[1])
        # a variable exponent is the tensor's own power too, never exp(b * log(a)): that would
        # differ from torch at negative bases and at 0 (torch: (-2)**2 = 4, 0**0 = 1)
        return ("bin", symbol, left, right)

    def _call(self, node: ast.Call, depth: int) -> tuple:
        if not isinstance(node.func, ast.Name):
            raise _refuse("calling anything but a plain function name such as sin(x)")
        name = node.func.id
        if name not in ALLOWED_FUNCTIONS:
            raise _refuse(f"the function {name!r} (allowed: {', '.join(ALLOWED_FUNCTIONS)})")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"{name}(...) takes exactly one argument")
        argument = self.compile(node.args[0], depth + 1)
        if argument[0] == "const":
            return ("const", _fold_function(name, argument[1]))
        return (name, argument)


def _apply(name: str, value):
    if isinstance(value, np.ndarray | float | int | np.floating):
        return _NUMPY_FUNCTIONS[name](value)
    if name == "tan":
        return value.sin() / value.cos()
    return getattr(value, name)()


_BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def _evaluate(tree: tuple, arguments: tuple):
    kind = tree[0]
    if kind == "var":
        return arguments[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "neg":
        return -_evaluate(tree[1], arguments)
    if kind == "pow":
        exponent = tree[2]
        if exponent == int(exponent):
            exponent = int(exponent)
        return _evaluate(tree[1], arguments) ** exponent
    if kind == "bin":
        left = _evaluate(tree[2], arguments)
        right = _evaluate(tree[3], arguments)
        return _BINARY[tree[1]](left, right)
    return _apply(kind, _evaluate(tree[1], arguments))


def _uses_variables(tree: tuple) -> bool:
    if tree[0] == "var":
        return True
    return any(isinstance(part, tuple) and _uses_variables(part) for part in tree[1:])


class ParsedFunction:
    """A formula turned into a function of its variables.

    Call it with autograd_mini tensors, torch tensors, numpy arrays or floats; the operations are
    the tensor's own (``x.sin()``, ``x ** 2``, ...), so the result carries a ``grad_fn`` in either
    library.
    """

    def __init__(self, text: str, variables: tuple[str, ...], tree: tuple):
        self.text = text
        self.variables = variables
        self._tree = tree
        self._constant = not _uses_variables(tree)

    def __call__(self, *arguments):
        if len(arguments) != len(self.variables):
            raise TypeError(
                f"this formula takes {len(self.variables)} argument(s) "
                f"({', '.join(self.variables)}), got {len(arguments)}"
            )
        result = _evaluate(self._tree, arguments)
        if self._constant:  # keep the shape and the graph of the input, e.g. for f(x) = 3
            result = arguments[0] * 0 + result
        return result

    def __repr__(self) -> str:
        return f"parse_function({self.text!r})"

    def __str__(self) -> str:
        return self.text


def parse_function(text: str, variables: Sequence[str] = ("x",)) -> Callable:
    """Turn a formula such as ``"sin(x / (2**1.5))"`` into a function, safely.

    Allowed: numbers, the variables (``x`` by default), ``+ - * / **``, unary ``-``, parentheses,
    ``pi``, ``e`` and the functions ``sin cos tan exp log sqrt tanh sigmoid relu abs``. Anything
    else raises ``ValueError`` saying what is not allowed; so do formulas longer than
    ``MAX_LENGTH`` characters, nested deeper than ``MAX_DEPTH`` or with a constant
    exponent above ``MAX_EXPONENT``. The text is never executed.

    >>> f = parse_function("x**2 + 1")
    >>> f(3.0)
    10.0
    """
    if not isinstance(text, str):
        raise ValueError(f"a formula must be text (str), not {type(text).__name__}")
    for name in variables:
        if not name.isidentifier() or name in _CONSTANTS or name in ALLOWED_FUNCTIONS:
            raise ValueError(f"{name!r} cannot be a variable name")
    stripped = text.strip()
    if not stripped:
        raise ValueError("the formula is empty: type one, e.g. x**2")
    if len(stripped) > MAX_LENGTH:
        raise ValueError(
            f"the formula is too long ({len(stripped)} characters, at most {MAX_LENGTH})"
        )
    for character in stripped:
        if not (character.isascii() and (character.isprintable() or character == " ")):
            raise _refuse(f"the character {character!r}")
    try:
        syntax_tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as error:
        message = getattr(error, "msg", None) or str(error) or type(error).__name__
        raise ValueError(f"the formula could not be read: {message}") from None
    try:
        tree = _Compiler(variables).compile(syntax_tree)
    except RecursionError:
        raise ValueError("the formula is nested too deeply") from None
    return ParsedFunction(stripped, tuple(variables), tree)
