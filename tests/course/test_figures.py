"""The course's one picture convention (autograd_mini/course/figures.py), in a real kernel."""

import nbformat
from nbclient import NotebookClient

CELLS = [
    "from autograd_mini.course.autograd_pictures import plot_zoom_to_tangent\n"
    "from autograd_mini.course.tensor_pictures import tensor_ranks",
    "figure = tensor_ranks()",  # assigned: shown when the cell ends, as pyplot would
    "tensor_ranks()",  # the cell's value: shown once, as that value
    "figure",  # shown again only when asked for
    "x = 1",  # nothing left over from earlier cells
    "figure = plot_zoom_to_tangent(abs, 0.0, 0.0)\nprint('drawn')",
]


def _run(cells):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return [
        [(output["output_type"], sorted(output.get("data", {}))) for output in cell.outputs]
        for cell in notebook.cells
    ]


def test_a_picture_shows_exactly_once_whether_assigned_or_the_cells_value():
    png = ["image/png", "text/plain"]
    assert _run(CELLS) == [
        [],
        [("display_data", png)],
        [("execute_result", png)],
        [("execute_result", png)],
        [],
        [("stream", []), ("display_data", png)],
    ]
