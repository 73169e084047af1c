"""``graph_view``: the computation graph behind a result, and a backward stepper.

The graph is read from ``grad_fn`` and ``next_functions`` (autograd_mini or torch alike) and drawn
as a hand-made SVG, nodes placed in rows by their distance from the result, so the picture is
identical on every machine. Leaves appear through their ``AccumulateGrad`` node's ``.variable``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import deque

import numpy as np

from autograd_mini.widgets._explorer import Explorer, Slider, frame, when
from autograd_mini.widgets._svg import FONT, esc, fmt, px

MAX_NODES = 80
BOX_HEIGHT, ROW_GAP, COLUMN_GAP, CHAR_WIDTH = 50, 30, 24, 7.0
DONE_FILL, TODO_FILL, ACTIVE_STROKE = "#e8f1fb", "#ffffff", "#c0392b"


def _short_value(value) -> str:
    """A tensor's values in a few characters: ``6``, ``[1, 2, 3]`` or ``shape [3, 4]``."""
    array = np.asarray(value.detach().numpy() if hasattr(value, "detach") else value, dtype=float)
    if array.size == 1:
        return fmt(array.reshape(-1)[0], 4)
    if array.size <= 4:
        return "[" + ", ".join(fmt(v, 4) for v in array.reshape(-1)) + "]"
    return "shape [" + ", ".join(str(n) for n in array.shape) + "]"


def _walk(root) -> tuple[list, dict, list]:
    """Nodes in backward order (each after everything that feeds it a gradient), depths, edges."""
    order, index, edges = [], {}, []
    queue = deque([root])
    index[id(root)] = 0
    nodes = [root]
    while queue:  # breadth-first discovery, then Kahn's algorithm below
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
    incoming = [0] * len(nodes)
    for _, target in edges:
        incoming[target] += 1
    depth = [0] * len(nodes)
    ready = deque([0])
    while ready:
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


def _node_gradients(result, nodes) -> dict:
    """The gradient reaching each node in ``result.backward()``, leaving every ``.grad`` alone."""
    gradients = {}
    try:
        if type(result).__module__.startswith("torch"):
            import torch

            handles = []
            for node in nodes:
                if node.name() != "torch::autograd::AccumulateGrad":

                    def hook(grad_outputs, node=node):
                        gradients[id(node)] = grad_outputs[0]

                    handles.append(node.register_prehook(hook))
            leaves = [node.variable for node in nodes if hasattr(node, "variable")]
            try:
                found = torch.autograd.grad(
                    result, leaves, torch.ones_like(result), retain_graph=True, allow_unused=True
                )
            finally:
                for handle in handles:
                    handle.remove()
            leaf_nodes = [node for node in nodes if hasattr(node, "variable")]
            for node, gradient in zip(leaf_nodes, found, strict=True):
                gradients[id(node)] = gradient
        else:
            import autograd_mini as am
            from autograd_mini.engine import run_backward

            capture = dict.fromkeys(nodes)
            seed = am.ones_like(result.detach())
            run_backward([result.grad_fn], [seed], True, False, capture)
            gradients = {
                id(n): g for n, g in capture.items() if g is not None and not isinstance(g, str)
            }
    except Exception as error:  # e.g. a graph already freed by an earlier backward()
        return {"error": f"{type(error).__name__}: {error}"}
    return gradients


class GraphView(Explorer):
    """The view returned by ``graph_view``: the graph and a slider stepping backward."""

    kind = "graph"

    def __init__(self, result, names=None, title=None, use_graphviz=False):
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
        gradients = _node_gradients(result, self.order)
        self.error = gradients.pop("error", None)
        self.gradients = [gradients.get(id(node)) for node in self.order]
        self.labels = [self._label(node) for node in self.order]
        self.title = title or self.library
        self.use_graphviz = bool(use_graphviz)
        if self.use_graphviz and shutil.which("dot") is None:
            raise RuntimeError(
                "use_graphviz=True needs graphviz's dot program, which is not "
                "installed; the default drawing needs nothing"
            )
        self._layout(depth)
        steps = np.arange(len(self.order) + 1, dtype=float)
        self.sliders = (Slider("step", "backward step", steps, 0),)

    def _label(self, node) -> tuple[str, str]:
        name = node.name().split("::")[-1]
        variable = getattr(node, "variable", None)
        if variable is None:
            return name, ""
        for key, tensor in self.names.items():
            if tensor is variable:
                return f"{key} (leaf)", f"{key} = {_short_value(variable)}"
        return "leaf", f"value {_short_value(variable)}"

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
        grads = [len(_short_value(g)) + 7 if g is not None else 0 for g in self.gradients]
        texts = [max(len(a), len(b), n, 12) for (a, b), n in zip(self.labels, grads, strict=True)]
        self.box_width = max(texts) * CHAR_WIDTH + 16
        widest = max(len(members) for members in levels.values())
        deepest = max(levels)
        self.width = int(max(520, widest * (self.box_width + COLUMN_GAP) + 20))
        self.height = int((deepest + 1) * (BOX_HEIGHT + ROW_GAP) + 40)
        self.position = {}
        for level, members in levels.items():
            y = 34 + (deepest - level) * (BOX_HEIGHT + ROW_GAP)
            for k in members:
                x = self.width / 2 + slot[k] * (self.box_width + COLUMN_GAP) - self.box_width / 2
                self.position[k] = (x, y)

    # --- pictures ----------------------------------------------------------------------------
    def _open_svg(self, element_id: str) -> str:
        index = {id(node): k for k, node in enumerate(self.order)}
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
            " · forward pass: top to bottom · backward: bottom to top</text>"
        ]
        detours = 0
        for consumer, producer in self.edges:  # the arrow follows the forward pass
            x1, y1 = self.position[index[id(producer)]]
            x2, y2 = self.position[index[id(consumer)]]
            start_x, start_y = x1 + self.box_width / 2, y1 + BOX_HEIGHT
            end_x, end_y = x2 + self.box_width / 2, y2 - 2
            between = [
                (x, y) for x, y in self.position.values() if y1 < y < y2
            ]  # boxes in the rows the edge passes: bend around them
            if between:  # go down beside the boxes of the rows in between
                on_right = (start_x + end_x) / 2 >= self.width / 2 - 1
                if on_right:
                    bend = max(x for x, _ in between) + self.box_width + 12 + 8 * detours
                else:
                    bend = min(x for x, _ in between) - 12 - 8 * detours
                detours += 1
                top, bottom = start_y + ROW_GAP * 0.7, end_y - ROW_GAP * 0.7
                shape = (
                    f"M{px(start_x)} {px(start_y)}Q{px(bend)} {px(start_y)} {px(bend)} {px(top)}"
                    f"L{px(bend)} {px(bottom)}Q{px(bend)} {px(end_y)} {px(end_x)} {px(end_y)}"
                )
            else:
                shape = f"M{px(start_x)} {px(start_y)}L{px(end_x)} {px(end_y)}"
            parts.append(
                f'<path d="{shape}" fill="none" stroke="#666" '
                f'marker-end="url(#{element_id}-arrow)"/>'
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
            grad = ""
            if done:
                value = self.gradients[k]
                grad = "grad = " + ("?" if value is None else _short_value(value))
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
        return "".join(parts)

    def render_svg(self, step: float = 0, *, element_id: str = "amw-graph") -> str:
        """The graph after ``step`` backward steps, as a self-contained SVG string."""
        if self.use_graphviz:
            return self._graphviz_svg(int(step))
        return self._open_svg(element_id) + self._boxes(int(step)) + "</svg>"

    def to_dot(self, step: int = 0) -> str:
        """The graph after ``step`` backward steps in graphviz's DOT language."""
        lines = [
            "digraph backward {",
            '  node [shape=box, style="rounded,filled", fontname="sans-serif", fillcolor="white"];',
        ]
        index = {id(node): k for k, node in enumerate(self.order)}
        for k, (name, detail) in enumerate(self.labels):
            text = [name, detail] if detail else [name]
            extra = ""
            if k < step:
                value = self.gradients[k]
                text.append("grad = " + ("?" if value is None else _short_value(value)))
                extra = f', fillcolor="{DONE_FILL}"'
            if k == step - 1:
                extra += f', color="{ACTIVE_STROKE}", penwidth=3'
            label = "\\n".join(t.replace("\\", "\\\\").replace('"', '\\"') for t in text)
            lines.append(f'  n{k} [label="{label}"{extra}];')
        for consumer, producer in self.edges:
            lines.append(f"  n{index[id(producer)]} -> n{index[id(consumer)]};")
        lines.append("}")
        return "\n".join(lines)

    def _graphviz_svg(self, step: int) -> str:
        done = subprocess.run(
            ["dot", "-Tsvg"],
            input=self.to_dot(step),
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return done.stdout[done.stdout.index("<svg") :]

    def _static_svg(self, element_id: str) -> str:
        if self.use_graphviz:
            return "".join(
                frame(when((0, step)), step == 0, self._graphviz_svg(step), "div")
                for step in range(len(self.order) + 1)
            )
        frames = []
        for step in range(len(self.order) + 1):
            frames.append(frame(when((0, step)), step == 0, self._boxes(step)))
        return self._open_svg(element_id) + "".join(frames) + "</svg>"

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
    def _sentence(self, step: int) -> str:
        total = len(self.order)
        if self.error:
            return f"gradients unavailable ({self.error})"
        if step == 0:
            return f"{total} nodes. Move the slider to run backward one node at a time."
        name, detail = self.labels[step - 1]
        value = self.gradients[step - 1]
        grad = "?" if value is None else _short_value(value)
        if step == 1:
            return f"step 1 of {total}: backward starts at {name} with grad = {grad} (d out/d out)"
        if detail:
            return f"step {step} of {total}: {name} receives grad = {grad}: this is its .grad"
        return f"step {step} of {total}: {name} receives grad = {grad} and passes it on"

    def readout_html(self, step: float) -> str:
        """One sentence saying which node the backward pass reached and what gradient it got."""
        return f"<div>{esc(self._sentence(int(step)))}</div>"

    def readout_text(self, step: float) -> str:
        """The graph as text: each node in backward order with the gradient it receives."""
        parts = []
        for k, (name, detail) in enumerate(self.labels):
            value = self.gradients[k]
            grad = "?" if value is None else _short_value(value)
            parts.append(f"{name}{' [' + detail + ']' if detail else ''} grad={grad}")
        head = f"graph_view ({self.library}, {len(self.order)} nodes, backward order): "
        if self.error:
            head += f"[gradients unavailable: {self.error}] "
        return head + " → ".join(parts)


def graph_view(result, names=None, *, title=None, use_graphviz=False) -> GraphView:
    """Draw the computation graph behind ``result`` and step through its backward pass.

    ``result`` is an autograd_mini or torch tensor with a ``grad_fn``. ``names`` maps names to leaf
    tensors (``{"x": x, "w": w}``) so leaves are labelled. Nodes carry their ``grad_fn`` names
    (``MulBackward0``, ...); arrows follow the forward pass. A slider steps through the backward
    pass in order: each step outlines one node and shows the gradient that reaches it. The gradients
    are computed without changing any ``.grad``; the graph must not have been freed by an earlier
    ``backward()`` (use ``retain_graph=True`` there, or call ``graph_view`` first).

    ``title`` is shown above the graph (default: the library's name). The drawing is made here, so
    it is the same everywhere; ``use_graphviz=True`` draws with graphviz's ``dot`` program instead
    (it must be installed; ``to_dot()`` gives the DOT text either way).

    >>> x = am.tensor(3.0, requires_grad=True)  # doctest: +SKIP
    >>> graph_view(x**2 + x, names={"x": x})  # doctest: +SKIP
    """
    return GraphView(result, names=names, title=title, use_graphviz=use_graphviz)
