"""What every explorer shares: sliders, the live ipywidgets view and the static HTML export.

An explorer is a pure renderer (slider values -> SVG string and readout) plus this class, which
shows it two ways from the same renderer:

* live, in a kernel: an ipywidgets layout whose sliders call the renderer through ``.observe``;
* static, with no kernel: ``to_html()`` precomputes one frame per slider step and adds a native
  ``<input type="range">`` and a few lines of inline JavaScript that show the matching frame.

Displaying an explorer gives one output whose mimebundle holds both, plus a plain-text readout.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter
from dataclasses import dataclass

import numpy as np

from autograd_mini.widgets._svg import esc, fmt

_export_ids: Counter = Counter()
_live_ids = itertools.count(1)

_STYLE = (
    "#{id}{{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:{width}px;"
    "margin:0.5em 0;padding:0.4em 0.6em;color:#222;background:#fff;border-radius:6px}}"
    "#{id} svg{{width:100%;height:auto;display:block}}"
    "#{id} .amw-control{{display:flex;gap:0.6em;align-items:center;margin:0.3em 0}}"
    "#{id} .amw-control input{{flex:1;min-width:8em}}"
    "#{id} .amw-readout{{font-size:0.92em;line-height:1.5}}"
    "#{id} .amw-readout table{{border-collapse:collapse;margin:0.2em 0}}"
    "#{id} .amw-readout td,#{id} .amw-readout th{{padding:0.1em 0.7em 0.1em 0;text-align:left}}"
    "#{id} .amw-ok{{color:#1e7b34}}#{id} .amw-bad{{color:#b00020}}"
    "#{id} [data-when]:not(.amw-on){{display:none}}"
)

# Marks with class amw-on (the others are hidden by CSS) the elements whose data-when conditions
# ("slider=step", space separated) all hold, and updates each slider's aria-valuetext.
_SCRIPT = (
    "(function(){{var r=document.getElementById({id});if(!r)return;"
    "var s=r.querySelectorAll('input[type=range]'),e=r.querySelectorAll('[data-when]');"
    "function u(){{var v=[];for(var k=0;k<s.length;k++){{v.push(s[k].value);"
    "var t=JSON.parse(s[k].getAttribute('data-texts'));"
    "s[k].setAttribute('aria-valuetext',t[+s[k].value]);}}"
    "for(var i=0;i<e.length;i++){{var c=e[i].getAttribute('data-when').split(' '),ok=true;"
    "for(var j=0;j<c.length;j++){{var p=c[j].split('=');if(v[+p[0]]!==p[1])ok=false;}}"
    "e[i].classList.toggle('amw-on',ok);}}}}"
    "for(var k=0;k<s.length;k++)s[k].addEventListener('input',u);u();}})();"
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
    value_range, step=None, default=None, positions: int = 61
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


def frame(condition: str, shown: bool, content: str, tag: str = "g") -> str:
    """One frame of the static export: shown while its ``data-when`` condition holds."""
    on = ' class="amw-on"' if shown else ""
    return f'<{tag} data-when="{condition}"{on}>{content}</{tag}>'


def when(*conditions: tuple[int, int]) -> str:
    """The ``data-when`` attribute value for "slider k is at step i" conditions."""
    return " ".join(f"{k}={i}" for k, i in conditions)


class Explorer:
    """Base class of the explorers: live widget, static HTML export and plain-text readout.

    Subclasses define ``kind``, ``width``, ``sliders``, ``render_svg(*values, element_id)``,
    ``readout_html(*values)``, ``readout_text(*values)`` and ``_static_svg(element_id)``.
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
        """The self-contained static HTML export: picture frames, labelled range inputs, readouts.

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

    export_html = to_html

    def _static_body(self, element_id: str) -> str:
        parts = [
            f'<div class="amw amw-{self.kind}" id="{element_id}">',
            "<style>" + _STYLE.format(id=element_id, width=self.width) + "</style>",
            self._static_svg(element_id),
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
        parts.append('<div class="amw-readout" aria-live="polite">')
        for indices in itertools.product(*(range(len(s.values)) for s in self.sliders)):
            values = [float(s.values[i]) for s, i in zip(self.sliders, indices, strict=True)]
            shown = all(i == s.default_index for s, i in zip(self.sliders, indices, strict=True))
            parts.append(frame(when(*enumerate(indices)), shown, self.readout_html(*values), "div"))
        parts.append("</div>")
        parts.append("<script>" + _SCRIPT.format(id=json.dumps(element_id)) + "</script>")
        parts.append("</div>")
        return "".join(parts)

    # --- live widget ---------------------------------------------------------------------------
    def widget(self):
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

    def _static_svg(self, element_id: str) -> str:  # pragma: no cover
        raise NotImplementedError
