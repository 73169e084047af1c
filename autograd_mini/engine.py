"""The backward pass: walk the graph in topological order, without recursion, summing gradients."""

import functools
import sys
import warnings

import numpy as np

from . import grad_mode, views
from .function import AccumulateGrad
from .hooks import run_hooks
from .printing import Size
from .ready_queue import ReadyQueue
from .tensor import Tensor

__all__ = ["backward", "grad", "run_backward"]

_warned = {"create_graph": False}
NO_GRAD_FN_MESSAGE = "element {} of tensors does not require grad and does not have a grad_fn"
CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the parameter "
    "and its gradient which can cause a memory leak. We recommend using autograd.grad when "
    "creating the graph to avoid this. If you have to use this function, make sure to reset the "
    ".grad fields of your parameters to None after use to break the cycle and avoid the leak."
)


def _root_gradients(outputs, grad_outputs):
    """Check the outputs and build the gradient each one starts with."""
    outputs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,) * len(outputs)
    roots, gradients = [], []
    for index, (output, gradient) in enumerate(zip(outputs, grad_outputs, strict=True)):
        if gradient is not None and gradient.array.shape != output.array.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{index}] has a shape of {Size(gradient.shape)} "
                f"and output[{index}] has a shape of {Size(output.shape)}."
            )
        if not output.requires_grad:
            raise RuntimeError(NO_GRAD_FN_MESSAGE.format(index))
        if gradient is None:
            if output.array.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            gradient = Tensor(np.ones(output.array.shape, output.array.dtype))
        if output.grad_fn is None and output._accumulator() is None:  # a view made under no_grad
            raise RuntimeError(NO_GRAD_FN_MESSAGE.format(index))  # has no edge into the graph
        if gradient.array.dtype != output.array.dtype:  # (the caller's own tensor, else: grad()
            gradient = Tensor(gradient.array.astype(output.array.dtype))  # returns it as torch)
        roots.append(output.grad_fn or output._accumulator())
        gradients.append(gradient)
    return roots, gradients


def _count_dependencies(roots):
    """How many edges lead into each node reachable from the roots (an iterative walk)."""
    dependencies = {}
    stack = list(roots)
    seen = set(stack)
    while stack:
        node = stack.pop()
        for next_node in node.next_nodes:
            if next_node is not None:
                dependencies[next_node] = dependencies.get(next_node, 0) + 1
                if next_node not in seen:
                    seen.add(next_node)
                    stack.append(next_node)
    return dependencies


def run_backward(roots, gradients, retain_graph: bool, create_graph: bool, capture=None) -> None:
    """Propagate ``gradients`` from ``roots`` to the leaves. A node runs once every node that
    feeds it has run, so it sees the full sum of its gradients (``a + a`` comes out right); of
    the nodes ready, torch's pick runs first. What running a node does is ``_visit``'s part."""
    visit = functools.partial(_visit, retain_graph, create_graph, capture)
    dependencies = _count_dependencies(roots)  # node -> edges leading into it
    totals = {}  # node -> the sum of the gradients that have reached it so far
    for root, gradient in zip(roots, gradients, strict=True):
        totals[root] = _add(totals[root], gradient, gradients) if root in totals else gradient
    ready = ReadyQueue(root for root in dict.fromkeys(roots) if root not in dependencies)
    with grad_mode.set_grad_enabled(create_graph):  # record the backward pass only for higher order
        while ready:
            node = ready.pop()
            grads = visit(node, totals)
            for next_node, grad in zip(node.next_nodes, grads, strict=False):
                if next_node is None:
                    continue
                if grad is not None and next_node in totals:  # one more gradient for it
                    totals[next_node] = _add(totals[next_node], grad, grads)
                elif grad is not None:
                    totals[next_node] = grad
                dependencies[next_node] -= 1
                if dependencies[next_node] == 0:
                    ready.push(next_node)
            grads = grad = None  # hold none while the next node runs (AccumulateGrad counts)


def _add(total, grad, arrived_in):
    """``total + grad``: into ``total``'s memory (one version more), as torch's engine sums,
    when nothing else holds ``total`` or its memory, which is one dense block, and no graph of
    the sum is recorded. ``arrived_in``: the tuple of gradients ``total`` came in, if it did,
    which may still hold it."""
    if (
        not grad_mode._State.enabled
        and (_owns_its_memory(total.array) or _holds_its_base_alone(total))
        and sys.getrefcount(total.array) <= 2  # its tensor's and getrefcount's argument
        and views.non_overlapping_and_dense(total.array)
    ):
        held = sys.getrefcount(total) - _TOTAL_REFERENCES  # by others than totals' entry
        if held <= 0 or held == sum(1 for other in arrived_in if other is total):
            np.add(total.array, grad.array, out=total.array)
            total._version += 1
            return total
    return total + grad


def _owns_its_memory(array):
    """numpy's own memory, or the bytes layout.py gave an empty array that no view shares (an
    empty tensor is a block of memory too, whose version torch's in-place sum raises)."""
    base = array.base
    return base is None or type(base) is bytearray and sys.getrefcount(base) <= 3  # the
    # array's reference, this function's name for it and getrefcount's argument


def _holds_its_base_alone(total):
    """A view whose base only it holds (``sum(keepdim=True).reshape(...)`` in a backward): torch
    counts the view's own references, and sums into it."""
    base = total._base
    return (
        base is not None
        and base.array is total.array.base
        and sys.getrefcount(base) <= 3  # the view's _base, this function's and the argument
        and sys.getrefcount(base.array) <= 3  # its tensor's, the view's array's and the argument
    )


# the references to a total that _add is given from totals: the dict's, _add's parameter (a
# Python-to-Python call in CPython 3.11 moves the caller's reference into it) and getrefcount's
# argument. Another may be the tuple it arrived in (harmless); or another node's entry in totals
# (``a + b`` hands one gradient to both): summing into it then would change that one's too.
_TOTAL_REFERENCES = 3


def _visit(retain_graph, create_graph, capture, node, totals):
    """Run ``node`` on ``grad``, the sum of the gradients that reached it, which it takes out of
    ``totals`` (``None`` if none did), and return one gradient per entry of its ``next_nodes``.

    Hooks registered on the node's tensor (``register_hook``) may replace ``grad`` first.
    ``backward()`` adds ``grad`` into the ``.grad`` of a leaf, or of a tensor that called
    ``retain_grad()``; ``grad()`` passes ``capture``, a ``Capture`` of the inputs' nodes, and the
    gradients reaching those nodes are stored there instead (no leaf's ``.grad`` changes; a
    retained one does, as in torch). Unless ``retain_graph``, the node's saved tensors are freed
    once it has run.
    """
    grad = totals.pop(node, None)  # from here on held only here (AccumulateGrad counts holders)
    if capture is not None and node not in capture.needed:  # on no path to an input
        return capture.hand_over(node, grad, create_graph)
    if capture is not None and node in capture:
        capture[node] = grad  # a node that also leads on to another input: before its hooks
    if grad is not None and node._hooks:
        grad = run_hooks(node._hooks, grad)
    leaf = type(node) is AccumulateGrad
    if grad is not None and (leaf or node._retained is not None):
        node.accumulate(grad, create_graph)
    if leaf:
        return ()  # the gradient stops at a leaf
    node.check_saved()  # freed, or changed in place since: torch's error, raised as it runs
    grads = node.input_gradients(grad)
    if not retain_graph:
        node.release_saved()
    return grads


class Capture(dict):
    """What ``grad()`` collects: the gradient that reaches each input's node. torch runs only
    the nodes on a path to an input (``needed``); an input's node that leads to no other input
    runs its tensor's hooks and hands the gradient over."""

    def __init__(self, roots, nodes):
        super().__init__(dict.fromkeys(nodes))
        parents = _parents(roots)
        self.reachable = parents.keys()
        self.needed = set()
        stack = [node for node in nodes if node in parents]
        while stack:
            for parent in parents[stack.pop()]:
                if parent not in self.needed:
                    self.needed.add(parent)
                    stack.append(parent)

    def hand_over(self, node, grad, create_graph):
        if node in self:
            if grad is not None and node._hooks:
                grad = run_hooks(node._hooks, grad)
            if grad is not None and type(node) is not AccumulateGrad:
                node.accumulate(grad, create_graph)  # a tensor that called retain_grad()
            self[node] = grad
        return (None,) * len(node.next_nodes)


def _parents(roots):
    """For every node reachable from the roots, the nodes with an edge into it."""
    parents = {root: [] for root in roots}
    stack = list(parents)
    while stack:
        node = stack.pop()
        for next_node in node.next_nodes:
            if next_node is not None:
                if next_node not in parents:
                    parents[next_node] = []
                    stack.append(next_node)
                parents[next_node].append(node)
    return parents


def backward(
    tensors, grad_tensors=None, retain_graph: bool | None = None, create_graph: bool = False
) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the leaves they depend on."""
    roots, gradients = _root_gradients(tensors, grad_tensors)
    if create_graph and not _warned["create_graph"]:
        _warned["create_graph"] = True  # once per session, as torch warns
        warnings.warn(CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    if retain_graph is None:
        retain_graph = create_graph
    run_backward(roots, gradients, retain_graph, create_graph)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return the gradients of ``outputs`` with respect to ``inputs`` as a tuple.

    Unlike ``backward`` this leaves every ``.grad`` untouched; with ``create_graph=True`` the
    results are differentiable again, which gives second derivatives.
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    roots, gradients = _root_gradients(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    nodes = [tensor.grad_fn or tensor._accumulator() for tensor in inputs]
    capture = Capture(roots, nodes)
    for index, node in enumerate(nodes):
        if node not in capture.reachable and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {index} appears to not have been used in the "
                "graph. Set allow_unused=True if this is the desired behavior."
            )
    run_backward(roots, gradients, retain_graph, create_graph, capture)
    return tuple(capture[node] for node in nodes)
