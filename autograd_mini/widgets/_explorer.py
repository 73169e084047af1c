"""What every explorer shares: sliders, the live ipywidgets view and the static HTML export.

An explorer is a pure renderer (slider values -> SVG string and readout) plus this class, which
shows it two ways from the same renderer:

* live, in a kernel: an ipywidgets layout whose sliders call the renderer through ``.observe``;
* static, with no kernel: ``to_html()`` draws the first frame, a native ``<input type="range">``
  per slider, every other frame as JSON, and a few lines of inline JavaScript that show the frame
  matching the sliders.

Displaying an explorer gives one output whose mimebundle holds both, plus a plain-text readout.

The static export is read in three places. In the book, the build moves each explorer's frames into
a file of the site (``tools/book_sphinx.py``), fetched when the reader nears or touches a slider.
In a trusted notebook the frames stay inline. In an untrusted JupyterLab, which strips ``<style>``
and ``<script>``, only a picture of the first frame (an ``<img>``) and its readout show.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd_mini.widgets import _derivatives as deriv
from autograd_mini.widgets._svg import esc, fmt
from autograd_mini.widgets.formula import parse_function

_export_ids: Counter = Counter()
_live_ids = itertools.count(1)

_STYLE = (
    "#{id}{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:{width}px;"
    "margin:0.5em 0;padding:0.4em 0.6em;color:#222;background:#fff;border-radius:6px}}"
    "#{id} .amw-still{{display:none}}#{id} .amw-picture{{display:block!important}}"
    "#{id} svg{{width:100%;height:auto;display:block}}"
    "#{id} .amw-control{{display:flex;gap:0.6em;align-items:center;margin:0.3em 0}}"
    "#{id} .amw-control input{{flex:1;min-width:8em}}"
    "#{id} .amw-readout{{font-size:0.92em;line-height:1.5}}"
    "#{id} .amw-readout table{{border-collapse:collapse;margin:0.2em 0}}"
    "#{id} .amw-readout td,#{id} .amw-readout th{{padding:0.1em 0.7em 0.1em 0;text-align:left}}"
    "#{id} .amw-ok{{color:#1e7b34}}#{id} .amw-bad{{color:#b00020}}"
)

# Shows the frame matching the sliders in every element with a data-layer: its data-follows names
# the sliders it depends on, and their positions joined by spaces are the key of its frame. The
# frames come from the JSON script inside the explorer, or, when that script has a data-src (the
# book moves them into a file of the site), from that file, loaded when the explorer comes near
# the screen or a slider is touched. Also keeps each slider's aria-valuetext up to date.
_SCRIPT = (
    "(function(){{var id={id},r=document.getElementById(id);if(!r)return;"
    "var s=r.querySelectorAll('input[type=range]'),l=r.querySelectorAll('[data-layer]'),"
    "d=r.querySelector('script.amw-frames'),src=d.getAttribute('data-src'),f=null,asked=false;"
    "function u(){{var v=[];for(var k=0;k<s.length;k++){{v.push(s[k].value);"
    "var t=JSON.parse(s[k].getAttribute('data-texts'));"
    "s[k].setAttribute('aria-valuetext',t[+s[k].value]);}}if(!f)return;"
    "for(var i=0;i<l.length;i++){{var key=l[i].getAttribute('data-follows').split(' ')"
    ".map(function(k){{return v[+k];}}).join(' ');"
    "if(l[i].getAttribute('data-key')!==key){{"
    "l[i].innerHTML=f[+l[i].getAttribute('data-layer')][key];"
    "l[i].setAttribute('data-key',key);}}}}}}"
    "function load(){{if(asked)return;asked=true;"
    "if(!src){{f=JSON.parse(d.textContent);u();return;}}"
    "var e=document.createElement('script');e.src=src;"
    "e.onload=function(){{f=window.amwFrames[id];u();}};document.head.appendChild(e);}}"
    "for(var k=0;k<s.length;k++){{s[k].addEventListener('input',function(){{load();u();}});"
    "s[k].addEventListener('pointerdown',load);s[k].addEventListener('focus',load);}}"
    "if(src&&window.IntersectionObserver){{var o=new IntersectionObserver(function(es){{"
    "for(var i=0;i<es.length;i++)if(es[i].isIntersecting){{o.disconnect();load();}}}},"
    "{{rootMargin:'600px'}});o.observe(r);}}else load();}})();"
)


@dataclass(frozen=True)
class Slider:
    """One slider: its variable name, a label for readers, and the values it steps through."""

    name: str
    label: str
    values: np.ndarray
    default_index: int

    @property
    def default(self) -> float:
        return float(self.values[self.default_index])

    def text(self, index: int) -> str:
        return f"{self.name} = {fmt(self.values[index])}"


def slider_values(
    value_range: Range,
    step: float | None = None,
    default: float | None = None,
    positions: int = 61,
) -> tuple[np.ndarray, int]:
    """Slider values: multiples of ``step`` in ``value_range``, plus ``default`` if off the grid.

    Without ``step``, a round step (1, 2 or 5 times a power of ten) giving at most ``positions``.
    Returns the values and the index of ``default`` (the middle value when ``default`` is None).
    """
    low, high = (float(v) for v in value_range)
    if not (np.isfinite(low) and np.isfinite(high) and high > low):
        raise ValueError(f"a range must go from low to high, got {tuple(value_range)!r}")
    if step is None:
        raw = (high - low) / (positions - 1)
        power = 10 ** np.floor(np.log10(raw))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    step = float(step)
    if not step > 0 or (high - low) / step > 400:
        raise ValueError(f"step must be positive and give at most 400 slider positions, got {step}")
    first, last = int(np.ceil(low / step - 1e-9)), int(np.floor(high / step + 1e-9))
    values = [round(k * step, 12) + 0.0 for k in range(first, last + 1)] or [low]
    if default is None:
        return np.array(values), (len(values) - 1) // 2
    default = float(default)
    if not low <= default <= high:
        raise ValueError(f"the start value {default} is outside the range {(low, high)}")
    if all(abs(v - default) > 1e-9 * step for v in values):
        values = sorted([*values, default])
    array = np.array(values)
    return array, int(np.argmin(np.abs(array - default)))


def _decimals(values: np.ndarray) -> int:
    """How many decimals show every slider value exactly (at most 6)."""
    for decimals in range(7):
        if np.allclose(np.round(values, decimals), values, rtol=0, atol=1e-9):
            return decimals
    return 6


#: What an explorer draws: a formula (text for ``parse_function``) or a function of tensors.
Formula = str | Callable[..., Any]
#: A (low, high) range of a variable.
Range = tuple[float, float] | Sequence[float]


@dataclass(frozen=True)
class Layer:
    """A part of the static picture that changes with some of the sliders.

    ``follows`` holds the indices of those sliders; ``draw`` takes one position (an index into
    the slider's values) per followed slider and returns the layer's markup there.
    """

    follows: tuple[int, ...]
    draw: Callable[..., str]


def function_and_label(
    f: Formula, variables: tuple[str, ...], label: str | None
) -> tuple[Callable, str]:
    """A callable for ``f`` (parsing it if it is text) and a label such as ``f(x) = x**2``."""
    arguments = ", ".join(variables)
    if isinstance(f, str):
        function = parse_function(f, variables)
        return function, label or f"f({arguments}) = {function.text}"
    if not callable(f):
        raise TypeError(f"f must be a formula (str) or a function, not {type(f).__name__}")
    name = getattr(f, "__name__", "f")
    if not name.isidentifier():
        name = "f"
    return f, label or f"{name}({arguments})"


def verdict(mini: float, torch_value: float, torch_result: deriv.PointResult) -> tuple[str, str]:
    """(text, html) saying whether autograd_mini's number equals torch's."""
    if torch_result.error:
        return "", ""
    if deriv.agree(mini, torch_value):
        return "✓", '<td class="amw-ok">✓</td>'
    return "✗", '<td class="amw-bad">✗ differ</td>'


Rows = Sequence[tuple[str, float, float]]


def readout_table(
    corner: str, rows: Rows, mini: deriv.PointResult, torch: deriv.PointResult
) -> str:
    """The readout as HTML: one row per quantity, autograd_mini's and torch's numbers side by side
    with a verdict, then any error message either library gave."""
    head = "<th>autograd_mini</th>" + ("" if torch.error else "<th>torch</th><th>agree</th>")
    lines = [f"<table><tr><th>{esc(corner)}</th>{head}</tr>"]
    for name, a, b in rows:
        cells = f"<td>{esc(fmt(a))}</td>"
        if not torch.error:
            cells += f"<td>{esc(fmt(b))}</td>{verdict(a, b, torch)[1]}"
        lines.append(f"<tr><td>{esc(name)}</td>{cells}</tr>")
    lines.append("</table>")
    for message in (mini.error, torch.error):
        if message:
            lines.append(f'<div role="note">{esc(message)}</div>')
    return "".join(lines)


def readout_line(
    head: str, value: str, rows: Rows, mini: deriv.PointResult, torch: deriv.PointResult
) -> str:
    """The readout as one line: ``head: value, slope 18 (autograd_mini) = 18 (torch) ✓, ...``,
    then any error message in brackets."""
    pieces = [value]
    for name, a, b in rows:
        if torch.error:
            pieces.append(f"{name} {fmt(a)} (autograd_mini)")
        else:
            mark = verdict(a, b, torch)[0]
            sign = "=" if mark == "✓" else "≠"
            pieces.append(f"{name} {fmt(a)} (autograd_mini) {sign} {fmt(b)} (torch) {mark}")
    text = f"{head}: " + ", ".join(pieces)
    for message in (mini.error, torch.error):
        if message:
            text += f" [{message}]"
    return text


def _json_in_script(data) -> str:
    """JSON that can sit inside a <script> element: no ``</script`` or ``<!--`` in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    return text.replace("<!--", "<\\u0021--")


class Explorer:
    """Base class of the explorers: live widget, static HTML export and plain-text readout.

    Subclasses define ``kind``, ``width``, ``sliders``, ``render_svg(*values, element_id)``,
    ``readout_html(*values)``, ``readout_text(*values)`` and ``_static_picture(element_id)``.
    """

    kind = "explorer"
    width = 560
    sliders: tuple[Slider, ...] = ()

    def __init__(self):
        self._html: str | None = None
        self._widget = None
        self._controls: dict = {}

    # --- plain text ----------------------------------------------------------------------------
    def defaults(self) -> tuple[float, ...]:
        """The slider values shown first."""
        return tuple(s.default for s in self.sliders)

    def __repr__(self) -> str:
        return self.readout_text(*self.defaults())

    # --- static export -------------------------------------------------------------------------
    def to_html(self) -> str:
        """The self-contained static HTML export: the first frame, labelled range inputs, the other
        frames as JSON and the script that shows them.

        Works with no kernel and no network; element ids are derived from the content, so the same
        explorer gives the same bytes on every run.
        """
        if self._html is None:
            body = self._static_body("@ID@")
            digest = hashlib.sha256(body.encode()).hexdigest()[:10]
            _export_ids[digest] += 1
            count = _export_ids[digest]
            element_id = f"amw-{self.kind}-{digest}" + (f"-{count}" if count > 1 else "")
            self._html = body.replace("@ID@", element_id)
        return self._html

    def _static_body(self, element_id: str) -> str:
        opening, layers = self._static_picture(element_id)
        every_slider = tuple(range(len(self.sliders)))
        layers = [*layers, Layer(every_slider, self._readout_at)]
        first = [self._default_frame(layer) for layer in layers]
        picture = opening + "".join(
            f"<g {self._layer_attributes(n, layer)}>{markup}</g>"
            for n, (layer, markup) in enumerate(zip(layers[:-1], first[:-1], strict=True))
        )
        title = re.search(r"<title[^>]*>(.*?)</title>", opening, re.DOTALL)
        # The still picture is an image of its own: its ids cannot clash with the page's.
        still_svg = (picture + "</svg>").replace(element_id, "amw-still")
        still = base64.b64encode(still_svg.encode()).decode("ascii")
        parts = [
            f'<div class="amw amw-{self.kind}" id="{element_id}">',
            "<style>" + _STYLE.format(id=element_id, width=self.width) + "</style>",
            # What an untrusted JupyterLab shows (it drops <style>, <script> and inline SVG).
            f'<img class="amw-still" alt="{title[1] if title else esc(self.kind)}" '
            f'width="{self.width}" style="max-width:100%;height:auto" '
            f'src="data:image/svg+xml;base64,{still}">',
            '<div class="amw-picture" style="display:none">',
            picture + "</svg>",
        ]
        for k, slider in enumerate(self.sliders):
            texts = [slider.text(i) for i in range(len(slider.values))]
            input_id = f"{element_id}-{slider.name}"
            parts.append(
                f'<div class="amw-control"><label for="{input_id}">{esc(slider.label)}</label>'
                f'<input type="range" id="{input_id}" min="0" max="{len(slider.values) - 1}" '
                f'step="1" value="{slider.default_index}" '
                f'aria-valuetext="{esc(texts[slider.default_index])}" '
                f"data-texts='{esc(json.dumps(texts, ensure_ascii=False))}' data-slider=\"{k}\">"
                "</div>"
            )
        parts.append("</div>")
        parts.append(
            f'<div class="amw-readout" aria-live="polite" '
            f"{self._layer_attributes(len(layers) - 1, layers[-1])}>{first[-1]}</div>"
        )
        frames = [self._every_frame(layer) for layer in layers]
        parts.append(
            f'<script type="application/json" class="amw-frames" data-for="{element_id}">'
            + _json_in_script(frames)
            + "</script>"
        )
        parts.append("<script>" + _SCRIPT.format(id=json.dumps(element_id)) + "</script>")
        parts.append("</div>")
        return "".join(parts)

    def _layer_attributes(self, number: int, layer: Layer) -> str:
        """Which layer an element shows, the sliders it follows and the frame it shows now."""
        follows = " ".join(str(k) for k in layer.follows)
        key = " ".join(str(self.sliders[k].default_index) for k in layer.follows)
        return f'data-layer="{number}" data-follows="{follows}" data-key="{key}"'

    def _readout_at(self, *positions: int) -> str:
        values = [float(s.values[i]) for s, i in zip(self.sliders, positions, strict=True)]
        return self.readout_html(*values)

    def _default_frame(self, layer: Layer) -> str:
        return layer.draw(*(self.sliders[k].default_index for k in layer.follows))

    def _every_frame(self, layer: Layer) -> dict[str, str]:
        """The layer's markup at every position of the sliders it follows, keyed "i j ..."."""
        ranges = [range(len(self.sliders[k].values)) for k in layer.follows]
        return {
            " ".join(map(str, positions)): layer.draw(*positions)
            for positions in itertools.product(*ranges)
        }

    # --- live widget ---------------------------------------------------------------------------
    def widget(self) -> Any:
        """The live ipywidgets view (built on first use): sliders, picture and readout."""
        if self._widget is None:
            self._widget = self._build_widget()
        return self._widget

    def _build_widget(self):
        import ipywidgets as widgets

        self._live_id = f"amw-live-{next(_live_ids)}"
        sliders = []
        for slider in self.sliders:
            low, high = float(slider.values[0]), float(slider.values[-1])
            control = widgets.FloatSlider(
                value=slider.default,
                min=low,
                max=high,
                step=(high - low) / (len(slider.values) - 1),
                description=slider.name,
                continuous_update=True,
                readout_format=f".{_decimals(slider.values)}f",
                layout=widgets.Layout(width="100%", max_width=f"{self.width}px"),
            )
            control.observe(self._on_change, names="value")
            self._controls[slider.name] = control
            sliders.append(control)
        self._picture = widgets.HTML(layout=widgets.Layout(max_width=f"{self.width}px"))
        self._readout = widgets.HTML()
        extra = self._extra_controls(widgets)
        box = widgets.VBox([*extra, self._picture, *sliders, self._readout])
        self._refresh()
        return box

    def _extra_controls(self, widgets) -> list:
        return []

    def live_values(self) -> tuple[float, ...]:
        """The values the live sliders are at now (the defaults before the widget exists)."""
        if not self._controls:
            return self.defaults()
        return tuple(float(self._controls[s.name].value) for s in self.sliders)

    def _on_change(self, change=None):
        self._refresh()

    def _refresh(self):
        values = self.live_values()
        self._picture.value = self.render_svg(*values, element_id=self._live_id)
        self._readout.value = (
            "<style>.amw-ok{color:#1e7b34}.amw-bad{color:#b00020}"
            ".amw-live td,.amw-live th{padding:0.1em 0.8em 0.1em 0;text-align:left}</style>"
            f'<div class="amw-live" style="line-height:1.5">{self.readout_html(*values)}</div>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.widget()._repr_mimebundle_())
        bundle["text/html"] = self.to_html()
        bundle["text/plain"] = self.readout_text(*self.defaults())
        return bundle

    # --- to be defined by each explorer -------------------------------------------------------
    def render_svg(self, *values, element_id: str = "amw") -> str:  # pragma: no cover
        raise NotImplementedError

    def readout_html(self, *values) -> str:  # pragma: no cover
        raise NotImplementedError

    def readout_text(self, *values) -> str:  # pragma: no cover
        raise NotImplementedError

    def _static_picture(self, element_id: str) -> tuple[str, list[Layer]]:  # pragma: no cover
        """The picture's unchanging part (an opening ``<svg ...>`` and what never moves) and its
        layers, each drawn at every position of the sliders it follows."""
        raise NotImplementedError
