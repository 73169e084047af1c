"""Which ready node the backward pass runs next: torch's choice.

Any order that runs a node after every node feeding it gives the same gradients. The order still
shows: in which hook runs first, and in what a backward pass that fails halfway (a saved tensor
changed in place) has already done. torch keeps its ready nodes in a C++ ``std::priority_queue``
ordered by sequence number: every node gets the next number when it is made, a leaf's
``AccumulateGrad`` the largest possible, and the largest runs first. Leaves tie, and the heap's
own moves then decide, so ``ReadyQueue`` makes libstdc++'s moves (``push_heap``, ``pop_heap``).
"""

import itertools

__all__ = ["ReadyQueue", "LEAF_SEQUENCE_NR", "next_sequence_nr"]

LEAF_SEQUENCE_NR = 2**64 - 1  # torch's AccumulateGrad: UINT64_MAX, ahead of every other node
next_sequence_nr = itertools.count().__next__


class ReadyQueue(list):
    """The nodes ready to run, largest sequence number first (a list kept as libstdc++ keeps
    its heap)."""

    def __init__(self, nodes=()):
        super().__init__()
        for node in nodes:
            self.push(node)

    def push(self, node) -> None:
        self.append(node)
        hole = len(self) - 1
        if hole and self[(hole - 1) // 2].sequence_nr < node.sequence_nr:  # outranks its parent
            _move_up(self, hole, node)

    def pop(self):
        if len(self) == 1:
            return super().pop()
        first, last = self[0], super().pop()
        _sink_hole(self, last)  # libstdc++'s pop_heap: the hole at the top sinks, last fills it
        return first


def _move_up(heap, hole, node):
    """Move ``node`` from ``hole`` towards the top past every parent with a smaller number."""
    while hole > 0 and heap[(hole - 1) // 2].sequence_nr < node.sequence_nr:
        heap[hole] = heap[(hole - 1) // 2]
        hole = (hole - 1) // 2
    heap[hole] = node


def _sink_hole(heap, node):
    """Fill the empty top by moving the larger child up, level by level (the right one unless
    the left is larger), then put ``node`` in the hole at the bottom and move it up."""
    size, hole = len(heap), 0
    while hole < (size - 1) // 2:
        child = 2 * hole + 2
        if heap[child].sequence_nr < heap[child - 1].sequence_nr:
            child -= 1
        heap[hole], hole = heap[child], child
    if size % 2 == 0 and hole == (size - 2) // 2:  # a last parent with only a left child
        heap[hole], hole = heap[2 * hole + 1], 2 * hole + 1
    _move_up(heap, hole, node)
