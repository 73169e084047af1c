"""Interactive explorers for the course: live in Jupyter, still working on the static book page.

* ``tangent_explorer`` -- a curve, its tangent at x0 and a slider moving x0;
* ``partials_explorer`` -- f(u, v) as a heat map, its two slices and their slopes;
* ``graph_view`` -- the computation graph of a result, with a backward stepper;
* ``parse_function`` -- a safe reader for formulas typed by a reader.

Each explorer displays as one output holding a live ipywidgets view, a static HTML export
(precomputed frames, a native range input, a few lines of inline JavaScript) and a plain-text
readout. This package is never imported by ``import autograd_mini``; ipywidgets is loaded only
when a live view is built.
"""

from autograd_mini.widgets._explorer import Explorer
from autograd_mini.widgets.formula import parse_function
from autograd_mini.widgets.graph import GraphView, graph_view
from autograd_mini.widgets.partials import PartialsExplorer, partials_explorer
from autograd_mini.widgets.tangent import TangentExplorer, tangent_explorer

__all__ = [
    "Explorer",
    "GraphView",
    "PartialsExplorer",
    "TangentExplorer",
    "graph_view",
    "parse_function",
    "partials_explorer",
    "tangent_explorer",
]
