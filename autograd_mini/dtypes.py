"""The four dtypes and torch's type-promotion rule, in one place."""

import numpy as np

__all__ = ["dtype", "float32", "float64", "int64", "bool", "from_numpy_dtype", "result_type"]

_builtin_bool = bool


class dtype:
    """A tensor element type; prints like torch's (``autograd_mini.float32``)."""

    __slots__ = ("name", "numpy_dtype", "type_name", "is_floating_point", "_category")

    def __init__(self, name, numpy_dtype, type_name, category):
        self.name = name
        self.numpy_dtype = np.dtype(numpy_dtype)
        self.type_name = type_name  # torch's name in messages: "Float" in "FloatTensor"
        self.is_floating_point = category == 2
        self._category = category  # 0 bool, 1 integer, 2 floating point

    def __repr__(self):
        return f"autograd_mini.{self.name}"

    def __reduce__(self):
        return self.name


float32 = dtype("float32", np.float32, "Float", 2)
float64 = dtype("float64", np.float64, "Double", 2)
int64 = dtype("int64", np.int64, "Long", 1)
bool = dtype("bool", np.bool_, "Bool", 0)  # noqa: A001 - torch's name

_FROM_NUMPY = {d.numpy_dtype: d for d in (float32, float64, int64, bool)}


def from_numpy_dtype(numpy_dtype) -> dtype:
    """The dtype that stores a numpy dtype (other integer and float widths are widened)."""
    found = _FROM_NUMPY.get(numpy_dtype)
    if found is not None:
        return found
    kind = np.dtype(numpy_dtype).kind
    if kind == "f":
        return float64 if np.dtype(numpy_dtype).itemsize > 8 else float32
    if kind in "iu":
        return int64
    raise TypeError(f"can't convert np.ndarray of type numpy.{np.dtype(numpy_dtype)}.")


def _promote(a, b):
    if a is b:
        return a
    if a._category != b._category:
        return a if a._category > b._category else b
    return float64  # the only two distinct dtypes in one category are float32 and float64


def result_type(*operands) -> dtype:
    """torch's promotion for tensors and Python numbers.

    Tensors with dimensions outrank 0-d tensors, which outrank Python numbers; a lower-ranked
    operand only changes the result when it is of a higher category (bool < integer < float),
    and a Python number then contributes the default dtype of its category (float32, int64).
    """
    best = [None, None, None]  # per rank: dimensioned tensors, 0-d tensors, Python numbers
    for operand in operands:
        if isinstance(operand, _builtin_bool):
            rank, kind = 2, bool
        elif isinstance(operand, int):
            rank, kind = 2, int64
        elif isinstance(operand, float):
            rank, kind = 2, float32
        else:
            rank, kind = (0 if operand.array.ndim else 1), operand.dtype
        best[rank] = kind if best[rank] is None else _promote(best[rank], kind)
    result = None
    for kind in best:
        if kind is None:
            continue
        if result is None:
            result = kind
        elif kind._category > result._category:
            result = kind
    return result
