"""Function (an operation with forward and backward) and the graph nodes autograd records."""

import sys

import numpy as np

from . import grad_mode

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
    ``AccumulateGrad`` node if it is a leaf that requires grad, or ``None``.
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
        "__dict__",
        "__weakref__",
    )

    def __init__(self, function):
        self.function = function
        self.next_nodes = ()
        self.needs_input_grad = ()
        self._saved = None
        self._saved_versions = ()
        self._tensor_positions = None
        self._retained = None
        self._hooks = None  # hooks registered on the tensor this node computes

    def name(self):
        """The node's name, torch's for the same operation (e.g. ``"MulBackward0"``)."""
        return self.function.node_name

    @property
    def next_functions(self):
        """torch's view of the edges: a ``(node, 0)`` pair per tensor input."""
        return tuple((node, 0) for node in self.next_nodes)

    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward``; they are released when a backward pass is done."""
        self._saved = tensors
        self._saved_versions = tuple(t._version for t in tensors)

    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``."""
        self.check_saved()
        return self._saved or ()

    def check_saved(self):
        """Raise torch's error if the saved tensors were freed or changed in place since."""
        if self._saved is _FREED:
            raise RuntimeError(SECOND_BACKWARD_MESSAGE)
        for tensor, version in zip(self._saved or (), self._saved_versions, strict=True):
            if tensor._version != version:
                raise RuntimeError(_modified_message(tensor, version))

    def __repr__(self):
        return f"<{self.name()} object at {id(self):#x}>"


def _modified_message(tensor, version):
    kind = {"float32": "Float", "float64": "Double", "int64": "Long", "bool": "Bool"}
    origin = ""
    if tensor.grad_fn is not None:
        # torch re-creates the history of a view whose memory changed as an AsStrided node
        name = "AsStrided" if tensor._base is not None else tensor.grad_fn.name()
        origin = f", which is output 0 of {name.removesuffix('Backward0')},"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [autograd_mini.{kind[tensor.dtype.name]}Tensor {list(tensor.shape)}]{origin} "
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

    def __init__(self, variable):
        self.variable = variable

    @property
    def _hooks(self):
        """The leaf's hooks: they run before its gradient is accumulated."""
        return self.variable._hooks

    def check_saved(self):
        """A leaf's node saves nothing, so there is nothing to check."""

    def name(self):
        """``"autograd_mini::autograd::AccumulateGrad"``, mirroring torch's node name."""
        return "autograd_mini::autograd::AccumulateGrad"

    def accumulate(self, grad, create_graph):
        """Add ``grad`` into the leaf's ``.grad``; the first gradient is stored, never shared."""
        variable = self.variable
        old = variable._grad
        if old is None:
            if create_graph:
                variable._grad = grad
            elif _unshared(grad):
                variable._grad = Tensor(grad.array)
            else:
                variable._grad = Tensor(np.array(grad.array, copy=True))
        elif create_graph or old._requires_grad or grad._requires_grad:
            variable._grad = old + grad
        else:
            np.add(old.array, grad.array, out=old.array)

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


def _unshared(grad):
    """True when only the engine holds ``grad`` and no other tensor or view uses its memory, so
    ``.grad`` may take the memory over without a copy (torch does the same); otherwise an in-place
    ``x.grad.zero_()`` could change another tensor."""
    # the holders we expect: run_backward's and accumulate's variables, our argument, and
    # getrefcount's own argument; for the array: grad's slot and getrefcount's argument
    engine_only = sys.getrefcount(grad) <= 4
    return engine_only and grad.array.base is None and sys.getrefcount(grad.array) <= 2


class Function:
    """Base class of every operation, in torch's ``autograd.Function`` style.

    Subclasses define ``forward(ctx, *args)`` (returning a Tensor or a numpy array) and
    ``backward(ctx, grad)`` (returning one gradient per forward argument, ``None`` where none
    applies), both as staticmethods, and are called with ``MyFunction.apply(*args)``.
    """

    node_name = "FunctionBackward"

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
    def apply(cls, *args):
        """Run ``forward`` and, if any tensor input requires grad, record a node for backward."""
        ctx = Node(cls)
        recording = _grad_state.enabled
        if recording:
            _grad_state.enabled = False  # forward itself is not recorded
            try:
                result = cls.forward(ctx, *args)
            finally:
                _grad_state.enabled = True
        else:
            result = cls.forward(ctx, *args)
        if type(result) is not np.ndarray:
            result = result.array if type(result) is Tensor else np.asarray(result)
        output = Tensor(result)
        if recording:
            edges, needs, all_tensors = [], [], True
            for arg in args:
                if type(arg) is not Tensor:
                    needs.append(False)
                    all_tensors = False
                elif arg.grad_fn is not None:
                    edges.append(arg.grad_fn)
                    needs.append(True)
                elif arg._requires_grad:
                    edges.append(arg._accumulator())
                    needs.append(True)
                else:
                    edges.append(None)
                    needs.append(False)
            if True in needs:
                if not all_tensors:
                    ctx._tensor_positions = tuple(
                        i for i, arg in enumerate(args) if type(arg) is Tensor
                    )
                ctx.next_nodes = tuple(edges)
                ctx.needs_input_grad = tuple(needs)
                output._requires_grad = True
                output.grad_fn = ctx
        return output


from .tensor import Tensor  # noqa: E402  (tensor.py uses this module; it loads second)
