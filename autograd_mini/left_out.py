"""What autograd_mini leaves out of torch, and the error that says so. The book's appendix
"What autograd_mini leaves out" lists the same things."""

__all__ = ["LeftOut", "left_out", "LEFT_OUT_DTYPES", "numpy_operand"]


class LeftOut(NotImplementedError):
    """A part of torch that autograd_mini does not implement (on purpose: see the appendix)."""


def left_out(what: str, instead: str) -> LeftOut:
    """The error for ``what``, saying what to do ``instead``."""
    return LeftOut(
        f"autograd_mini leaves out {what}: {instead} (the book's appendix lists what "
        "autograd_mini leaves out)"
    )


# torch's dtypes beyond float32, float64, int64 and bool, with what to use instead
LEFT_OUT_DTYPES = {
    "float16": "float32",
    "half": "float32",
    "bfloat16": "float32",
    "complex64": "two real tensors",
    "complex128": "two real tensors",
    "cfloat": "two real tensors",
    "cdouble": "two real tensors",
    "int32": "int64",
    "int": "int64",
    "int16": "int64",
    "short": "int64",
    "int8": "int64",
    "uint8": "int64 or bool",
}


def numpy_operand():
    """The error for arithmetic with a numpy array: torch's result depends on the operator and
    on which operand comes first."""
    return left_out(
        "arithmetic between a tensor and a numpy array", "make the array a tensor first"
    )
