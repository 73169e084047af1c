"""Function (an operation with forward and backward) and the graph nodes autograd records."""

from __future__ import annotations

import sys

import numpy as np

from . import grad_mode, layout
from .ready_queue import LEAF_SEQUENCE_NR, next_sequence_nr

__all__ = ["Function", "Node", "AccumulateGrad", "SECOND_BACKWARD_MESSAGE"]

SECOND_BACKWARD_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)
_FREED = ("freed",)  # marks a node whose saved tensors were released by a backward pass

_grad_state = grad_mode._State


class Node:
    """A recorded call of a Function: the ``ctx`` its forward filled, and edges to its inputs.

    ``next_nodes`` holds one entry per tensor input: that input's ``grad_fn``, its
    ``AccumulateGrad`` node if it is a leaf that requires grad, or ``None``. A forward may keep
    more on ``ctx``; ``ctx.shapes`` (the operands' shapes, which ``+ - * /`` keep to undo
    broadcasting) has a slot, so their nodes need no ``__dict__``: one object fewer each for
    Python's garbage collector to walk.
    """

    __slots__ = (
        "function",
        "next_nodes",
        "needs_input_grad",
        "_saved",
        "_saved_versions",
        "_tensor_positions",
        "_retained",
        "_hooks",
        "_output_index",
        "shapes",
        "sequence_nr",
        "__dict__",
        "__weakref__",
    )

    def __init__(self, function):
        self.function = function
        self.next_nodes = ()
        self.needs_input_grad = ()
        self._saved = None
        self._saved_versions = None
        self._tensor_positions = None
        self._retained = None
        self._hooks = None  # hooks registered on the tensor this node computes
        self._output_index = None  # where the output is among the saved tensors, if it is

    def name(self) -> str:
        """The node's name, torch's for the same operation (e.g. ``"MulBackward0"``)."""
        return self.function.node_name

    @property
    def next_functions(self) -> tuple:
        """torch's view of the edges: a ``(node, 0)`` pair per tensor input."""
        return tuple((node, 0) for node in self.next_nodes)

    def save_for_backward(self, *tensors: Tensor) -> None:
        """Keep tensors for ``backward`` (``None`` where a gradient will not need one); they are
        released when a backward pass is done."""
        self._saved = tensors
        # what to check them against in backward; None when all are at 0, as they mostly are
        # (a tensor that was never changed in place has no counter: its version is 0)
        self._saved_versions = None
        for tensor in tensors:
            if tensor is not None and tensor._version_counter is not None:
                self._saved_versions = tuple(None if t is None else t._version for t in tensors)
                break

    @property
    def saved_tensors(self) -> tuple[Tensor, ...]:
        """The tensors given to ``save_for_backward``. A saved output comes back with this node
        as its ``grad_fn`` when autograd records (``create_graph``), so higher derivatives flow
        through it, as in torch. (The backward pass checked them as the node began to run.)"""
        if self._saved is _FREED:
            raise RuntimeError(SECOND_BACKWARD_MESSAGE)
        saved = self._saved or ()
        if self._output_index is None or not _grad_state.enabled:
            return saved
        output = _alias(saved[self._output_index])
        output.grad_fn, output._requires_grad = self, True
        return saved[: self._output_index] + (output,) + saved[self._output_index + 1 :]

    def check_saved(self) -> None:
        """Raise torch's error if the saved tensors were freed or changed in place since."""
        if self._saved is _FREED:
            raise RuntimeError(SECOND_BACKWARD_MESSAGE)
        versions, saved = self._saved_versions, self._saved or ()
        for index in self.function.unpack_order or range(len(saved)):
            tensor, version = saved[index], 0 if versions is None else versions[index]
            if tensor is not None and tensor._version != version:
                # torch names a saved output after this node, other tensors after their grad_fn
                origin = self.name() if index == self._output_index else _origin(tensor)
                raise RuntimeError(_modified_message(tensor, version, origin))

    def release_saved(self) -> None:
        """Free the saved tensors (a backward pass without ``retain_graph`` is done with them)."""
        if self._saved is not None:
            self._saved = _FREED

    def input_gradients(self, grad: Tensor | None) -> tuple:
        """One gradient per entry of ``next_nodes``: the function's ``backward`` applied to
        ``grad``, the gradient of the output (``None`` for every input when ``grad`` is)."""
        if grad is None:
            return (None,) * len(self.next_nodes)
        grads = self.function.backward(self, grad)
        if type(grads) is not tuple:
            grads = (grads,)
        if self._tensor_positions is not None:  # keep the gradients of tensor inputs
            grads = tuple(grads[i] for i in self._tensor_positions)
        return grads

    def accumulate(self, grad: Tensor, create_graph: bool) -> None:
        """Add ``grad`` into the ``.grad`` of the tensor that called ``retain_grad()``, if any."""
        tensor = None if self._retained is None else self._retained()
        if tensor is None:
            return
        if tensor._grad is None:  # a row-major copy, as torch's clone(Contiguous) (with
            # create_graph a recorded one)
            tensor._grad = grad.clone() if create_graph else Tensor(np.array(grad.array, order="C"))
        else:
            tensor._grad = tensor._grad + grad

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"


def _origin(tensor):
    """The name of the node a tensor's values now come from (None for a leaf)."""
    if tensor.grad_fn is None:
        return None
    # torch re-creates the history of a view whose memory changed as an AsStrided node
    return "AsStrided" if tensor._base is not None else tensor.grad_fn.name()


def _modified_message(tensor, version, origin):
    if origin is not None:  # torch's words: SqrtBackward0 is "Sqrt", MinBackward1 "Min1"
        origin = origin.removesuffix("Backward0").replace("Backward", "")
    origin = "" if origin is None else f", which is output 0 of {origin},"
    # torch names the tensor's type as its C++ code does, bool differently from the rest
    bool_type = tensor.dtype.type_name == "Bool"
    kind = "CPUBoolType" if bool_type else f"autograd_mini.{tensor.dtype.type_name}Tensor"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{kind} {list(tensor.shape)}]{origin} "
        f"is at version {tensor._version}; expected version {version} instead. {MODIFIED_HINT}"
    )


# torch's hint points at its anomaly detection, which autograd_mini lacks; ours says what to do.
MODIFIED_HINT = (
    "Hint: look for an in-place operation (a method ending in _, +=, or an index assignment) on "
    "this tensor after it was used, and apply it to a .clone() instead."
)


class AccumulateGrad:
    """The node at a leaf: adds the gradient that reaches it into ``variable.grad``."""

    __slots__ = ("variable", "__weakref__")
    next_functions = next_nodes = ()
    sequence_nr = LEAF_SEQUENCE_NR

    def __init__(self, variable):
        self.variable = variable

    @property
    def _hooks(self):
        """The leaf's hooks: they run before its gradient is accumulated."""
        return self.variable._hooks

    def check_saved(self) -> None:
        """A leaf's node saves nothing, so there is nothing to check."""

    def name(self) -> str:
        """``"autograd_mini::autograd::AccumulateGrad"``, mirroring torch's node name."""
        return "autograd_mini::autograd::AccumulateGrad"

    def accumulate(self, grad: Tensor, create_graph: bool) -> None:
        """Add ``grad`` into the leaf's ``.grad``, as torch's ``AccumulateGrad`` does.

        The first gradient becomes ``.grad`` itself (its memory and version counter) if nothing
        but the backward pass holds it and it is laid out as the leaf; else ``.grad`` is a copy
        laid out as the leaf, written by one in-place copy (version 1; with ``create_graph`` a
        recorded one, torch's ``CopyBackwards``). Later ones are added in place (one version
        more), unless the sum must be differentiable (``create_graph``): then ``old + grad``."""
        variable = self.variable
        if not variable._requires_grad:  # it stopped requiring grad after the graph was built
            return
        old = variable._grad
        if old is not None:
            if create_graph:
                variable._grad = old + grad
            else:  # in place, as torch does (a .grad made with create_graph keeps its grad_fn)
                np.add(old.array, grad.array, out=old.array)
                old._version += 1
        elif (
            not create_graph
            and sys.getrefcount(grad) <= _ENGINE_REFERENCES  # nothing else holds it
            and _laid_out_as(grad.array, variable.array)
        ):
            variable._grad = _alias(grad)
        else:
            variable._grad = _copy_laid_out_as(variable.array, grad, create_graph)

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


class Function:
    """Base class of every operation, in torch's ``autograd.Function`` style.

    Subclasses define ``forward(ctx, *args)`` (returning a Tensor or a numpy array) and
    ``backward(ctx, grad)`` (returning one gradient per forward argument, ``None`` where none
    applies), both as staticmethods, and are called with ``MyFunction.apply(*args)``.
    """

    node_name = "FunctionBackward"
    # the order torch checks the saved tensors in when its node runs, where it is not the order
    # they were saved in: torch's names for them, alphabetically (``other`` before ``self``)
    unpack_order = None
    follows_operands = False  # an elementwise op: its result is laid out after its operands

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "node_name" not in cls.__dict__:
            cls.node_name = cls.__name__ + "Backward"

    @staticmethod
    def forward(ctx, *args):
        """Compute the result; save what ``backward`` needs on ``ctx``."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        """Given the gradient of the output, return the gradient of each input."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args) -> Tensor:
        """Run ``forward``; if autograd records and a tensor argument requires grad, the output
        remembers how it was made: ``ctx`` becomes its ``grad_fn``, with one edge per tensor
        argument to the node its gradient goes on to (its ``grad_fn``, or a leaf's
        ``AccumulateGrad``; ``None`` for a tensor that needs no gradient)."""
        ctx = Node(cls)
        if not _grad_state.enabled:  # nothing is recorded: the result is all there is
            return _as_output(ctx, cls.forward(ctx, *args), args)
        output = _as_output(ctx, _forward_unrecorded(cls.forward, ctx, args), args)
        edges, needs = [], []
        for arg in args:
            if type(arg) is Tensor:
                edges.append(arg.grad_fn or (arg._accumulator() if arg._requires_grad else None))
            needs.append(type(arg) is Tensor and arg._requires_grad)
        if True in needs and output.array.dtype.kind == "f":  # integers have no gradient
            if len(edges) < len(args):  # backward gives a gradient per argument: keep the tensors'
                ctx._tensor_positions = tuple(i for i, a in enumerate(args) if type(a) is Tensor)
            ctx.next_nodes, ctx.needs_input_grad = tuple(edges), tuple(needs)
            ctx.sequence_nr = next_sequence_nr()  # recorded later, run earlier (ready_queue.py)
            output._requires_grad, output.grad_fn = True, ctx
        return output


def _as_output(ctx, result, args) -> Tensor:
    """What ``forward`` returned, as the output tensor: the tensor itself if forward made it (it
    may have saved it: ``exp`` saves its result), else a new tensor around the array. A saved
    output is kept without its grad_fn (no reference cycle) and unpacked with it by
    ``saved_tensors``. An elementwise op's result is laid out in memory as torch's."""
    if type(result) is np.ndarray:
        if result.ndim > 1 and ctx.function.follows_operands:
            result = ops.elementwise.laid_out(result, args, ctx.function)
        return Tensor(result)
    if type(result) is not Tensor:
        return Tensor(np.asarray(result))
    for arg in args:  # (a loop: cheaper than any() or map() for the one or two arguments)
        if result is arg:  # an argument handed back: a new tensor on its memory
            return Tensor(result.array)
    if result.array.ndim > 1 and ctx.function.follows_operands:
        result.array = ops.elementwise.laid_out(result.array, args, ctx.function)
    for index, saved in enumerate(ctx._saved or ()):
        if saved is result:
            ctx._output_index = index
            ctx._saved = ctx._saved[:index] + (_alias(result),) + ctx._saved[index + 1 :]
    return result


# torch keeps a gradient as .grad when its use_count shows that only the engine holds it: no
# caller gave it, no other input's gradient is it, no hook kept it. Here that is Python's count
# of references, of which the backward pass itself holds these (CPython 3.11): _visit's name for
# it, accumulate's parameter (the call moves _visit's reference into it) and getrefcount's.
_ENGINE_REFERENCES = 3


def _laid_out_as(grad: np.ndarray, leaf: np.ndarray) -> bool:
    """torch's gradient layout contract: the leaf's strides along every dimension of more than
    one element and no stride 0 along the others (a contiguous gradient for a leaf whose
    elements do not fill one block of memory)."""
    if grad.size and leaf.flags.c_contiguous and grad.flags.c_contiguous:  # (mostly: both
        return 0 not in grad.strides  # row by row; numpy calls any empty array contiguous)
    if not views.non_overlapping_and_dense(leaf):
        return grad.flags.c_contiguous
    for size, step, leaf_step in zip(grad.shape, grad.strides, leaf.strides, strict=True):
        if step != leaf_step if size != 1 else step == 0:
            return False
    return True


def _copy_laid_out_as(leaf: np.ndarray, grad: Tensor, create_graph: bool) -> Tensor:
    """A copy of ``grad`` as torch makes it for ``.grad``: an empty tensor laid out as the leaf
    that the gradient is copied into (version 1), or a contiguous clone (version 0) for a leaf
    whose elements do not fill one block of memory."""
    if not views.non_overlapping_and_dense(leaf):
        return grad.clone() if create_graph else Tensor(np.array(grad.array, order="C"))
    if create_graph:  # a differentiable copy, made as torch makes it (copy_)
        copy = ops.shape.Copy.apply(Tensor(layout.empty_like(leaf)), grad, (Ellipsis,))
    else:
        copy = Tensor(layout.empty_like(leaf))
        copy.array[...] = grad.array
    copy._version = 1
    return copy


def _alias(tensor: Tensor) -> Tensor:
    """The same memory and version counter, without the history."""
    alias = Tensor(tensor.array)
    alias._version_counter = tensor._shared_version_counter()
    return alias


def _forward_unrecorded(forward, ctx, args):
    """Call ``forward(ctx, *args)`` with recording, which is on, switched off: the operations
    inside it are not recorded (``backward`` says how the result changes, not the steps that
    computed it)."""
    _grad_state.enabled = False
    try:
        return forward(ctx, *args)
    finally:
        _grad_state.enabled = True


# Late imports: these modules import this one, so they are loaded once it is complete.
from . import ops, views  # noqa: E402
from .tensor import Tensor  # noqa: E402
