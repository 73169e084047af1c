"""The order of the backward pass is torch's: hooks run in the same order, and a backward pass that
fails halfway (its graph freed) has done the same before failing. Checked on generated graphs."""

import random

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_mini
from autograd_mini.ready_queue import ReadyQueue


def run_graph(lib, seed):
    """Build a random graph of leaves and operations, some with hooks that log their name, run
    one or two backward passes, and return the log and the leaves' gradients."""
    rng = random.Random(seed)
    log = []
    leaves = [
        lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        for _ in range(rng.randint(2, 7))
    ]
    tensors = list(leaves)
    for i, leaf in enumerate(leaves):
        if rng.random() < 0.8:
            leaf.register_hook(lambda g, i=i: log.append(i))
    for k in range(len(leaves), len(leaves) + rng.randint(2, 12)):
        a, b = rng.choice(tensors), rng.choice(tensors)
        made = rng.choice(
            [a + b, a * b, a - b, a / b, a.exp(), a[0] * b, (a * b).sum() * a, a.sin() + b]
        )
        if rng.random() < 0.7:
            made.register_hook(lambda g, k=k: log.append(k))
        if rng.random() < 0.2:
            made.retain_grad()
        tensors.append(made)
    made = tensors[len(leaves) :]
    try:
        if rng.random() < 0.3:  # the second pass finds the shared part of the graph freed
            made[-1].sum().backward(retain_graph=rng.random() < 0.5)
            made[-2].sum().backward()
        else:
            sum(rng.sample(made, min(3, len(made)))).sum().backward()
    except RuntimeError as error:
        log.append(str(error)[:40])
    return log, [None if leaf.grad is None else leaf.grad.detach().numpy() for leaf in leaves]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_hooks_run_and_gradients_arrive_in_torchs_order(seed):
    torch_log, torch_grads = run_graph(torch, seed)
    mini_log, mini_grads = run_graph(autograd_mini, seed)
    assert mini_log == torch_log
    for expected, actual in zip(torch_grads, mini_grads, strict=True):
        assert (expected is None) == (actual is None)
        if expected is not None:
            np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12, equal_nan=True)


class Numbered:
    def __init__(self, sequence_nr, name):
        self.sequence_nr, self.name = sequence_nr, name


def libstdcxx_order(pushes_and_pops):
    """The order std::priority_queue pops in: a reference written from the C++ standard's
    algorithm as libstdc++ implements it (push_heap; pop_heap's hole moving down, then up)."""
    heap, popped = [], []
    for item in pushes_and_pops:
        if item is None:
            last = len(heap) - 1
            heap[0], heap[last] = heap[last], heap[0]
            value, length, hole, child = heap[0], last, 0, 0
            while child < (length - 1) // 2:
                child = 2 * (child + 1)
                if heap[child].sequence_nr < heap[child - 1].sequence_nr:
                    child -= 1
                heap[hole] = heap[child]
                hole = child
            if length % 2 == 0 and child == (length - 2) // 2:
                child = 2 * (child + 1)
                heap[hole] = heap[child - 1]
                hole = child - 1
            parent = (hole - 1) // 2
            while hole > 0 and heap[parent].sequence_nr < value.sequence_nr:
                heap[hole] = heap[parent]
                hole, parent = parent, (parent - 1) // 2
            heap[hole] = value
            popped.append(heap.pop().name)
        else:
            heap.append(item)
            hole = len(heap) - 1
            while hole > 0 and heap[(hole - 1) // 2].sequence_nr < item.sequence_nr:
                heap[hole] = heap[(hole - 1) // 2]
                hole = (hole - 1) // 2
            heap[hole] = item
    return popped


@given(st.lists(st.one_of(st.none(), st.integers(0, 3)), max_size=40))
def test_ties_leave_the_queue_as_libstdcxx_heap_moves_them(script):
    """Leaves tie (one sequence number for all): the heap's own moves decide between them."""
    items, size = [], 0
    for step, number in enumerate(script):
        if number is None and size == 0:
            continue
        size += -1 if number is None else 1
        items.append(None if number is None else Numbered(number, f"n{step}"))
    queue, popped = ReadyQueue(), []
    for item in items:
        if item is None:
            popped.append(queue.pop().name)
        else:
            queue.push(item)
    assert popped == libstdcxx_order(items)
