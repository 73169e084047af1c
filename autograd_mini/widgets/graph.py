"""``graph_view``: the computation graph behind a result, and a backward stepper.

The graph is read from ``grad_fn`` and ``next_functions`` (autograd_mini or torch alike) and drawn
as a hand-made SVG, nodes placed in rows by their distance from the result, so the picture is
identical on every machine. Leaves appear through their ``AccumulateGrad`` node's ``.variable``.
The stepper's numbers come from one backward pass over that graph (no ``.grad`` changes): the
gradient reaching each node, what each node sends along each edge, and its local derivative.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import Any

import numpy as np

from autograd_mini.widgets._explorer import Explorer, Layer, Slider
from autograd_mini.widgets._svg import FONT, esc, fmt, px

MAX_NODES = 80
BOX_HEIGHT, ROW_GAP, COLUMN_GAP, CHAR_WIDTH = 50, 30, 24, 7.0
DONE_FILL, TODO_FILL, ACTIVE_STROKE = "#e8f1fb", "#ffffff", "#c0392b"
HEADING = " · forward: down the arrows · backward: up"
LABEL_HEIGHT, LABEL_GAP = 17, 3


def _as_array(value) -> np.ndarray:
    return np.asarray(value.detach().numpy() if hasattr(value, "detach") else value, dtype=float)


def _short_value(value) -> str:
    """A tensor's values in a few characters: ``6``, ``[1, 2, 3]`` or ``shape [3, 4]``."""
    array = _as_array(value)
    if array.size == 1:
        return fmt(array.reshape(-1)[0], 4)
    if array.size <= 4:
        return "[" + ", ".join(fmt(v, 4) for v in array.reshape(-1)) + "]"
    return "shape [" + ", ".join(str(n) for n in array.shape) + "]"


def _walk(root) -> tuple[list, dict, list]:
    """Nodes in backward order (each after everything that feeds it a gradient), depths, edges."""
    nodes, edges = _discover(root)
    incoming = [0] * len(nodes)
    for _, target in edges:
        incoming[target] += 1
    order, depth = [], [0] * len(nodes)
    ready = deque([0])
    while ready:  # Kahn's algorithm
        k = ready.popleft()
        order.append(k)
        for source, target in edges:
            if source == k:
                depth[target] = max(depth[target], depth[k] + 1)
                incoming[target] -= 1
                if incoming[target] == 0:
                    ready.append(target)
    return (
        [nodes[k] for k in order],
        {id(nodes[k]): depth[k] for k in order},
        [(nodes[a], nodes[b]) for a, b in edges],
    )


def _discover(root) -> tuple[list, list]:
    """Every node behind ``root`` (breadth first, root at index 0) and the edges between them,
    as pairs of indices (at most ``MAX_NODES`` nodes)."""
    index, edges, nodes = {id(root): 0}, [], [root]
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for next_node, _ in getattr(node, "next_functions", ()):
            if next_node is None:
                continue
            if id(next_node) not in index:
                if len(nodes) >= MAX_NODES:
                    raise ValueError(
                        f"the graph has more than {MAX_NODES} nodes; draw a smaller one"
                    )
                index[id(next_node)] = len(nodes)
                nodes.append(next_node)
                queue.append(next_node)
            edges.append((index[id(node)], index[id(next_node)]))
    return nodes, edges


def _node_gradients(result, nodes) -> tuple[dict, dict]:
    """What happens at each node in ``result.backward()``: the gradient reaching it, and what it
    passes to each entry of its ``next_functions``.

    Each node's backward is called by hand, in backward order, in both libraries: a real
    backward pass (or torch's ``autograd.grad``) would run hooks and store gradients in the
    ``.grad`` of tensors that called ``retain_grad()``; this changes no tensor. A node gets one
    gradient per output (torch's unbind has several): ``slots[id(node)][k]``.
    """
    gradients, passes = {}, {}
    try:
        slots = {id(nodes[0]): [_ones_like(result)]}
        for node in nodes:
            incoming = slots.get(id(node))
            if incoming is None:
                continue
            incoming = _every_output(node, incoming)
            gradients[id(node)] = incoming[0]
            if not node.next_functions:
                continue
            sent = []
            for (next_node, slot), passed in zip(
                node.next_functions, _passes(node, *incoming), strict=False
            ):
                if next_node is not None and passed is not None:
                    passed = _as_the_engine_sends(passed, next_node, slot)
                    inbox = slots.setdefault(id(next_node), [])
                    inbox += [None] * (slot + 1 - len(inbox))
                    inbox[slot] = passed if inbox[slot] is None else inbox[slot] + passed
                sent.append(passed)
            passes[id(node)] = tuple(sent)
    except Exception as error:  # e.g. a graph already freed by an earlier backward()
        return {"error": f"{type(error).__name__}: {error}"}, {}
    return gradients, passes


def _is_torch(node_or_tensor) -> bool:
    """torch's tensors and graph nodes (whose classes are built in C) versus autograd_mini's."""
    return not type(node_or_tensor).__module__.startswith("autograd_mini")


def _ones_like(result):
    if _is_torch(result):
        import torch

        return torch.ones_like(result)
    import autograd_mini as am

    return am.ones_like(result.detach())


def _every_output(node, incoming) -> list:
    """One gradient per output of ``node``: zeros for the outputs no gradient reached (torch's
    nodes with several outputs want them all; autograd_mini's nodes have one output)."""
    if not _is_torch(node):
        return incoming
    import torch

    outputs = node._input_metadata
    incoming = incoming + [None] * (len(outputs) - len(incoming))
    return [
        torch.zeros(meta.shape, dtype=meta.dtype) if grad is None else grad
        for grad, meta in zip(incoming, outputs, strict=True)
    ]


def _as_the_engine_sends(passed, next_node, slot):
    """torch's engine sums a broadcast gradient back to the input's shape and dtype before
    sending it on; autograd_mini's ops do that in their own backward."""
    if not _is_torch(next_node):
        return passed
    wanted = next_node._input_metadata[slot]
    summed = passed.sum_to_size(wanted.shape) if wanted.shape else passed.sum()  # (0-d: all)
    return summed.to(wanted.dtype)


def _side_by_side(wanted: list[tuple[float, float, float]], picture_width: float) -> list[float]:
    """Left edges for labels wanted centred at (x, y) with a width each. Labels that would cover
    one another (two edges between the same nodes, say) are set side by side around their mean
    centre; every label stays inside the picture."""
    groups = [[k] for k in range(len(wanted))]

    def span(group: list[int]) -> tuple[float, float]:
        total = sum(wanted[k][2] for k in group) + LABEL_GAP * (len(group) - 1)
        centre = sum(wanted[k][0] for k in group) / len(group)
        return min(max(centre - total / 2, 1.0), picture_width - 1 - total), total

    def covers(a: list[int], b: list[int]) -> bool:
        (left_a, width_a), (left_b, width_b) = span(a), span(b)
        same_row = any(abs(wanted[i][1] - wanted[j][1]) < LABEL_HEIGHT for i in a for j in b)
        return same_row and left_a < left_b + width_b and left_b < left_a + width_a

    while pair := next(((a, b) for a, b in combinations(groups, 2) if covers(a, b)), None):
        a, b = pair
        groups.remove(b)
        a.extend(b)
        a.sort(key=lambda k: wanted[k][0])
    lefts = [0.0] * len(wanted)
    for group in groups:
        left, _ = span(group)
        for k in group:
            lefts[k] = left
            left += wanted[k][2] + LABEL_GAP
    return lefts


@dataclass(frozen=True)
class Flow:
    """One edge of the backward pass: what the node ``source`` passes to its input ``target``.

    ``passed`` is ``incoming × local`` when the node's rule is element-wise (``local`` is then the
    local derivative, the gradient the node passes for an incoming gradient of ones); otherwise
    ``local`` is None and ``passed`` is the vector–Jacobian product the node computed.
    """

    source: int
    target: int
    incoming: object
    local: object
    passed: object


def _passes(node, grad, *more_grads) -> tuple:
    """What ``node``'s own backward returns for the gradient ``grad``, one entry per entry of its
    ``next_functions`` (nothing is recorded or stored). autograd_mini's engine sends exactly
    this on; torch's engine first sums a broadcast gradient back to the input's shape."""
    if type(node).__module__.startswith("autograd_mini"):
        import autograd_mini as am

        with am.no_grad():
            grads = node.function.backward(node, grad)
        grads = grads if type(grads) is tuple else (grads,)
        if node._tensor_positions is not None:  # the engine keeps the tensor inputs' gradients
            grads = tuple(grads[i] for i in node._tensor_positions)
        return grads
    import torch

    with torch.no_grad():
        grads = node(grad, *more_grads)  # one gradient per output of the node
    return grads if type(grads) is tuple else (grads,)


def _flows(order, edges, gradients, passes) -> list:
    """One ``Flow`` per edge (in ``edges`` order): what the engine sent along it, and the local
    derivative where the node's rule is element-wise."""
    index = {id(node): k for k, node in enumerate(order)}
    passed_by_node, local_by_node = {}, {}
    for k, node in enumerate(order):
        grad, passed = gradients[k], passes.get(id(node))
        if grad is None or passed is None:
            continue
        try:
            local = _passes(node, _ones(grad))
        except (RuntimeError, TypeError):  # a node with several outputs (unbind) wants several
            local = (None,) * len(passed)
        kept = [
            (p, q)
            for (next_node, _), p, q in zip(node.next_functions, passed, local, strict=False)
            if next_node is not None
        ]
        passed_by_node[k] = [p for p, _ in kept]
        local_by_node[k] = [q for _, q in kept]
    flows, used = [], {}
    for consumer, producer in edges:
        source, target = index[id(consumer)], index[id(producer)]
        position = used.get(source, 0)
        used[source] = position + 1
        if source not in passed_by_node:
            flows.append(Flow(source, target, gradients[source], None, None))
            continue
        passed = passed_by_node[source][position]
        local = local_by_node[source][position]
        incoming = gradients[source]
        if passed is None or local is None or not _elementwise(incoming, local, passed):
            local = None
        flows.append(Flow(source, target, incoming, local, passed))
    return flows


def _ones(grad):
    """A gradient of ones shaped and typed like ``grad``, from the same library."""
    if type(grad).__module__.startswith("torch"):
        import torch

        return torch.ones_like(grad)
    import autograd_mini as am

    return am.ones_like(grad)


def _elementwise(incoming, local, passed) -> bool:
    """True when ``passed`` is ``incoming × local`` element by element, shapes included."""
    a, b, c = _as_array(incoming), _as_array(local), _as_array(passed)
    if not a.shape == b.shape == c.shape:
        return False
    return bool(np.allclose(a * b, c, rtol=1e-5, atol=1e-12, equal_nan=True))


class GraphView(Explorer):
    """The view returned by ``graph_view``: the graph and a slider stepping backward."""

    kind = "graph"

    def __init__(self, result, names=None, title=None):
        super().__init__()
        if getattr(result, "grad_fn", None) is None:
            raise ValueError(
                "this tensor has no grad_fn: it was not computed from tensors that "
                "require grad, so there is no graph to draw"
            )
        self.result = result
        self.library = "torch" if type(result).__module__.startswith("torch") else "autograd_mini"
        self.names = dict(names or {})
        self.order, depth, self.edges = _walk(result.grad_fn)
        self._check_names()
        gradients, passes = _node_gradients(result, self.order)
        self.error = gradients.pop("error", None)
        self.gradients = [gradients.get(id(node)) for node in self.order]
        self.flows = [] if self.error else _flows(self.order, self.edges, self.gradients, passes)
        self.labels = [self._label(node) for node in self.order]
        self.title = title or self.library
        self._layout(depth)
        steps = np.arange(len(self.order) + 1, dtype=float)
        self.sliders = (Slider("step", "backward step", steps, 0),)

    def _check_names(self):
        """Names label tensors: a leaf, or a result computed on the way (a tensor the result does
        not depend on is allowed and simply not drawn)."""
        library = type(self.result)
        for key, tensor in self.names.items():
            if not isinstance(key, str) or not isinstance(tensor, library):
                raise ValueError(
                    f"names maps names to {self.library} tensors, such as names={{'x': x}}; "
                    f"got {key!r}: {type(tensor).__name__}"
                )

    def _label(self, node) -> tuple[str, str]:
        """The node's name and, where known, its value: leaves, named tensors and the result."""
        name = node.name().split("::")[-1]
        variable = getattr(node, "variable", None)
        if variable is None:
            for key, tensor in self.names.items():
                if getattr(tensor, "grad_fn", None) is node:
                    return name, f"{key} = {_short_value(tensor)}"
            if node is self.result.grad_fn:
                return name, f"result = {_short_value(self.result)}"
            return name, ""
        for key, tensor in self.names.items():
            if tensor is variable:
                return f"{key} (leaf)", f"{key} = {_short_value(variable)}"
        return "leaf", f"value {_short_value(variable)}"

    # --- the arithmetic of each step -----------------------------------------------------------
    def arrivals(self, k: int) -> list:
        """The flows reaching node ``k``, in the order the backward pass sends them."""
        return sorted((f for f in self.flows if f.target == k), key=lambda f: f.source)

    def grad_text(self, k: int) -> str:
        """The gradient node ``k`` receives: ``8``, or ``4 + 4 = 8`` where paths meet."""
        value = self.gradients[k]
        total = "?" if value is None else _short_value(value)
        parts = [f.passed for f in self.arrivals(k)]
        if len(parts) < 2 or any(p is None for p in parts):
            return total
        terms = [_short_value(p) for p in parts]
        text = terms[0] + "".join(
            f" - {term[1:]}" if term.startswith("-") else f" + {term}" for term in terms[1:]
        )
        return f"{text} = {total}"

    def flow_text(self, flow: Flow) -> str:
        """What one edge carries: ``1 × 48 = 48`` (incoming × local derivative = passed)."""
        if flow.passed is None:
            return "?"
        passed = _short_value(flow.passed)
        if flow.local is None:
            return passed
        factors = [_short_value(flow.incoming), _short_value(flow.local)]
        factors = [f"({f})" if f.startswith("-") else f for f in factors]
        return f"{factors[0]} × {factors[1]} = {passed}"

    def _name(self, k: int) -> str:
        return self.labels[k][0]

    def _layout(self, depth: dict):
        """Rows by distance from the result (leaves on top, result at the bottom), each row
        ordered by the mean position of the nodes it feeds, to keep edges from crossing."""
        index = {id(node): k for k, node in enumerate(self.order)}
        levels: dict[int, list] = {}
        for k, node in enumerate(self.order):
            levels.setdefault(depth[id(node)], []).append(k)
        consumers: dict[int, list] = {}
        for consumer, producer in self.edges:
            consumers.setdefault(index[id(producer)], []).append(index[id(consumer)])
        slot: dict[int, float] = {}
        for level in sorted(levels):
            members = levels[level]
            members.sort(
                key=lambda k: (
                    sum(slot[c] for c in consumers.get(k, [])) / len(consumers[k])
                    if consumers.get(k)
                    else 0.0
                )
            )
            for position, k in enumerate(members):
                slot[k] = position - (len(members) - 1) / 2
        grads = [len(self.grad_text(k)) + 7 for k in range(len(self.order))]
        texts = [max(len(a), len(b), n, 12) for (a, b), n in zip(self.labels, grads, strict=True)]
        self.box_width = max(texts) * CHAR_WIDTH + 16
        widest = max(len(members) for members in levels.values())
        deepest = max(levels)
        long_edges = sum(
            1 for consumer, producer in self.edges if depth[id(producer)] - depth[id(consumer)] > 1
        )  # each bends around the rows it skips, beside them: room for the bends on both sides
        title = (len(self.title) + len(HEADING)) * CHAR_WIDTH * 0.9 + 20
        content = widest * (self.box_width + COLUMN_GAP) + 2 * (16 + 8 * long_edges)
        self.width = int(max(title, content))
        self.height = int((deepest + 1) * (BOX_HEIGHT + ROW_GAP) + 40)
        self.position = {}
        for level, members in levels.items():
            y = 34 + (deepest - level) * (BOX_HEIGHT + ROW_GAP)
            for k in members:
                x = self.width / 2 + slot[k] * (self.box_width + COLUMN_GAP) - self.box_width / 2
                self.position[k] = (x, y)

    # --- pictures ----------------------------------------------------------------------------
    def _open_svg(self, element_id: str) -> str:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'style="background:#fff" role="img" aria-labelledby="{element_id}-title" '
            f'font-size="12" {FONT}>'
            f'<title id="{element_id}-title">Computation graph ({esc(self.title)}): '
            f"{len(self.order)} nodes</title>"
            f'<defs><marker id="{element_id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0 0L10 5L0 10z" fill="#666"/></marker></defs>'
            f'<text x="10" y="18" fill="#555"><tspan font-weight="bold">{esc(self.title)}</tspan>'
            f"{HEADING}</text>"
        ]
        for shape, _ in self._edge_shapes:  # the arrow follows the forward pass
            parts.append(
                f'<path d="{shape}" fill="none" stroke="#666" '
                f'marker-end="url(#{element_id}-arrow)"/>'
            )
        return "".join(parts)

    @cached_property  # the layout never changes: every frame draws the same edges
    def _edge_shapes(self) -> list[tuple[str, tuple[float, float]]]:
        """Each edge's SVG path and the point where its flow label goes (edges order).

        An edge that skips rows bends around them in a lane of its own. The labels shown together
        are those of one node's input edges; its bending ones get staggered heights, so that two
        labels in neighbouring lanes never cover each other."""
        index = {id(node): k for k, node in enumerate(self.order)}
        ends = [(index[id(producer)], index[id(consumer)]) for consumer, producer in self.edges]
        rows = {y for _, y in self.position.values()}
        bending = [
            any(self.position[a][1] < y < self.position[b][1] for y in rows) for a, b in ends
        ]
        siblings = Counter(
            consumer for (_, consumer), bends in zip(ends, bending, strict=True) if bends
        )
        shapes, detours, labelled = [], 0, Counter()
        for (producer, consumer), bends in zip(ends, bending, strict=True):
            x1, y1 = self.position[producer]
            x2, y2 = self.position[consumer]
            start_x, start_y = x1 + self.box_width / 2, y1 + BOX_HEIGHT
            end_x, end_y = x2 + self.box_width / 2, y2 - 2
            if bends:  # go down beside the boxes of the rows in between
                between = [x for x, y in self.position.values() if y1 < y < y2]
                on_right = (start_x + end_x) / 2 >= self.width / 2 - 1
                if on_right:
                    bend = max(between) + self.box_width + 12 + 8 * detours
                else:
                    bend = min(between) - 12 - 8 * detours
                detours += 1
                top, bottom = start_y + ROW_GAP * 0.7, end_y - ROW_GAP * 0.7
                shape = (
                    f"M{px(start_x)} {px(start_y)}Q{px(bend)} {px(start_y)} {px(bend)} {px(top)}"
                    f"L{px(bend)} {px(bottom)}Q{px(bend)} {px(end_y)} {px(end_x)} {px(end_y)}"
                )
                labelled[consumer] += 1
                middle = (
                    bend,
                    top + (bottom - top) * labelled[consumer] / (siblings[consumer] + 1),
                )
            else:
                shape = f"M{px(start_x)} {px(start_y)}L{px(end_x)} {px(end_y)}"
                middle = ((start_x + end_x) / 2, (start_y + end_y) / 2)
            shapes.append((shape, middle))
        return shapes

    def _flow_labels(self, step: int) -> str:
        """On the edges leaving the node of this step: the gradient each one carries back."""
        if step < 1 or not self.flows:
            return ""
        wanted = []  # (text, centre x, centre y, width) of each label
        for flow, (_, (x, y)) in zip(self.flows, self._edge_shapes, strict=True):
            if flow.source == step - 1:
                text = _short_value(flow.passed) if flow.passed is not None else "?"
                wanted.append((text, x, y, len(text) * CHAR_WIDTH + 8))
        parts = []
        lefts = _side_by_side([(x, y, width) for _, x, y, width in wanted], self.width)
        for (text, _, y, width), left in zip(wanted, lefts, strict=True):
            parts.append(
                f'<rect x="{px(left)}" y="{px(y - LABEL_HEIGHT / 2)}" width="{px(width)}" '
                f'height="{LABEL_HEIGHT}" rx="3" fill="#fff" stroke="{ACTIVE_STROKE}"/>'
                f'<text x="{px(left + width / 2)}" y="{px(y + 4)}" text-anchor="middle" '
                f'font-weight="bold" fill="#b03a2e">{esc(text)}</text>'
            )
        return "".join(parts)

    def _boxes(self, step: int) -> str:
        """All node boxes after ``step`` backward steps; the node of the last step is outlined."""
        parts = []
        for k, (name, detail) in enumerate(self.labels):
            x, y = self.position[k]
            done = k < step
            active = k == step - 1
            stroke = f'stroke="{ACTIVE_STROKE}" stroke-width="3"' if active else 'stroke="#444"'
            grad = ("grad = " + self.grad_text(k)) if done else ""
            lines = [name, detail, grad] if detail else [name, grad]
            parts.append(
                f'<rect x="{px(x)}" y="{px(y)}" width="{px(self.box_width)}" '
                f'height="{BOX_HEIGHT}" rx="6" fill="{DONE_FILL if done else TODO_FILL}" {stroke}/>'
            )
            spacing = BOX_HEIGHT / (len(lines) + 1)
            for row, text in enumerate(lines):
                if text:
                    weight = ' font-weight="bold"' if row == 0 else ""
                    colour = ' fill="#b03a2e"' if text == grad else ""
                    parts.append(
                        f'<text x="{px(x + self.box_width / 2)}" '
                        f'y="{px(y + spacing * (row + 1) + 4)}" '
                        f'text-anchor="middle"{weight}{colour}>{esc(text)}</text>'
                    )
        return "".join(parts) + self._flow_labels(step)

    def render_svg(self, step: float = 0, *, element_id: str = "amw-graph") -> str:
        """The graph after ``step`` backward steps, as a self-contained SVG string."""
        return self._open_svg(element_id) + self._boxes(int(step)) + "</svg>"

    def _static_picture(self, element_id: str) -> tuple[str, list[Layer]]:
        return self._open_svg(element_id), [Layer((0,), self._boxes)]

    def _build_widget(self):
        import ipywidgets as widgets

        box = super()._build_widget()
        slider = self._controls["step"]
        play = widgets.Play(
            value=0, min=0, max=len(self.order), step=1, interval=900, description="play backward"
        )
        widgets.jslink((play, "value"), (slider, "value"))
        picture, _, readout = box.children
        box.children = (picture, widgets.HBox([play, slider]), readout)
        return box

    # --- readouts ----------------------------------------------------------------------------
    def _step_lines(self, step: int) -> tuple[str, list[str], str]:
        """What the backward pass does at ``step``: a heading, one line per flow, an ending."""
        k = step - 1
        name, detail = self.labels[k]
        arrivals = self.arrivals(k)
        if step == 1:
            seed = self.grad_text(k)
            heading = f"{name} starts the backward pass with grad = {seed} (d out/d out)"
        elif len(arrivals) > 1:
            sources = " and ".join(self._name(f.source) for f in arrivals)
            heading = (
                f"{name} receives grad = {self.grad_text(k)}: the sum of what {sources} "
                "passed, one gradient per path"
            )
        else:
            heading = f"{name} receives grad = {self.grad_text(k)}"
        if getattr(self.order[k], "variable", None) is not None:
            owner = name.removesuffix(" (leaf)") if name.endswith(" (leaf)") else "the leaf's "
            return heading, [], f"This is {owner}.grad."
        lines = []
        for flow in self.flows:
            if flow.source == k:
                lines.append(f"to {self._name(flow.target)}: {self.flow_text(flow)}")
        ending = "grad × local derivative = what each input receives" if lines else ""
        if lines and any(f.local is None for f in self.flows if f.source == k):
            ending = "what each input receives (a sum or reshape: not one product per element)"
        return heading, lines, ending

    def readout_html(self, step: float) -> str:
        """Which node the backward pass reached, what it received and what it passes on."""
        step = int(step)
        total = len(self.order)
        if self.error:
            return f"<div>{esc(f'gradients unavailable ({self.error})')}</div>"
        if step == 0:
            return (
                f"<div>{total} nodes. Move the slider to run backward one node at a time: each "
                "node multiplies the gradient it receives by its local derivative.</div>"
            )
        heading, lines, ending = self._step_lines(step)
        rows = "".join(f"<li>{esc(line)}</li>" for line in lines)
        return (
            f"<div><b>Step {step} of {total}:</b> {esc(heading)}.</div>"
            + (f'<div>{esc(ending)}:</div><ul style="margin:0.1em 0">{rows}</ul>' if rows else "")
            + (f"<div>{esc(ending)}</div>" if ending and not rows else "")
        )

    def readout_text(self, step: float) -> str:
        """The whole backward pass as text, one line per node in backward order."""
        head = f"graph_view ({self.library}, {len(self.order)} nodes, backward order)"
        if self.error:
            return f"{head} [gradients unavailable: {self.error}]"
        lines = [head]
        for step in range(1, len(self.order) + 1):
            name, detail = self.labels[step - 1]
            passes = ", ".join(
                f"{self.flow_text(f)} → {self._name(f.target)}"
                for f in self.flows
                if f.source == step - 1
            )
            lines.append(
                f"{step}. {name}{' [' + detail + ']' if detail else ''}: "
                f"grad = {self.grad_text(step - 1)}" + (f"; passes {passes}" if passes else "")
            )
        return "\n".join(lines)


def graph_view(result: Any, names: dict | None = None, *, title: str | None = None) -> GraphView:
    """Draw the computation graph behind ``result`` and step through its backward pass.

    ``result`` is an autograd_mini or torch tensor with a ``grad_fn``. ``names`` maps names to leaf
    tensors (``{"x": x, "w": w}``) so leaves are labelled; a name given to a computed tensor shows
    its value on its node. Nodes carry their ``grad_fn`` names (``MulBackward0``, ...); arrows
    follow the forward pass. A slider steps through the backward pass in order: each step outlines
    one node and shows its arithmetic, read from the real graph: the gradient it receives (a sum,
    ``4 + 4 = 8``, where paths meet) times its local derivative gives what each input receives
    (``1 × 48 = 48``). The gradients are computed without changing any ``.grad``; the graph must not
    have been freed by an earlier ``backward()`` (use ``retain_graph=True`` there, or call
    ``graph_view`` first).

    ``title`` is shown above the graph (default: the library's name). The drawing is made here, so
    it is the same everywhere.

    >>> x = am.tensor(3.0, requires_grad=True)  # doctest: +SKIP
    >>> graph_view(x**2 + x, names={"x": x})  # doctest: +SKIP
    """
    return GraphView(result, names=names, title=title)
