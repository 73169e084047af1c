"""Re-execute chapter notebooks top to bottom in a fresh kernel and normalize them.

    python tools/normalize_notebooks.py                     # every chapters/*.ipynb, in place
    python tools/normalize_notebooks.py chapters/01-introduction.ipynb
    python tools/normalize_notebooks.py --check              # exit 1 if a file would change

Normalizing makes a notebook's JSON depend only on its sources and on what the code prints, so that
``make notebooks`` run twice gives byte-identical files and git diffs show real changes only:

* notebook metadata: only ``kernelspec`` (always python3), ``language_info`` and the book's own
  keys (``mystnb``, ``myst``) are kept; ``widgets`` (the saved widget state, keyed by random model
  ids) is dropped. ``language_info`` is what the python3 kernel of this environment reports,
  version included: JupyterLab writes the kernel's into the notebook on opening, and a notebook
  that lacked it would be marked modified (and autosaved) the moment it opens;
* cell metadata: execution timings and UI state (``execution``, ``ExecuteTime``, ``collapsed``,
  ``scrolled``) are dropped; tags, ``mystnb`` and ``jupyter`` settings are kept;
* outputs: consecutive stream outputs of one stream are merged (how text is chunked depends on
  timing); the ``application/vnd.jupyter.widget-view+json`` entry of a display is dropped. It only
  names a widget model by a random id that lives in the kernel that made it: stored, it renders as
  "Error displaying widget: model not found" in JupyterLab and Colab, while the explorer's
  self-contained ``text/html`` beside it renders (the live widget comes back when the cell is run);
* execution counts run 1..n over the code cells, as a fresh kernel numbers them;
* exercise solutions, the code cells between a ``{solution-start}`` and a ``{solution-end}``
  markdown cell (sphinx-exercise's gated form, which the book shows in a dropdown and
  jupyterlab-myst as a titled box), are collapsed in Jupyter: their source and outputs are hidden
  (``jupyter.source_hidden``, ``outputs_hidden``; Colab: ``cellView: form``) and their first line
  is a label, ``# @title Solution: <the exercise's title>``, which Colab shows as the cell's title.
  The variable they check (``answer``, or whatever they hand to ``check_solution``) is renamed
  ``solution``, so running a solution never overwrites the reader's own answer.
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
import os
import platform
import re
import sys
import time
import tokenize
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograd_mini.course.exercises import SOLUTION_TITLE

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": platform.python_version(),
}
NOTEBOOK_METADATA_KEPT = ("mystnb", "myst")
CELL_METADATA_DROPPED = ("execution", "ExecuteTime", "collapsed", "scrolled", "papermill")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT_SECONDS = 120


def chapter_notebooks() -> list[Path]:
    """The chapter notebooks, in book order."""
    return sorted(p for p in CHAPTERS.glob("*.ipynb") if not p.name.startswith("."))


def _merge_streams(outputs: list) -> list:
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def _normalize_output(output: dict) -> dict | None:
    if output.get("output_type") in ("display_data", "execute_result"):
        data = output.get("data", {})
        if WIDGET_VIEW in data and len(data) > 1:
            del data[WIDGET_VIEW]
        output.get("metadata", {}).pop(WIDGET_VIEW, None)
    if output.get("output_type") == "stream" and isinstance(output.get("text"), list):
        output["text"] = "".join(output["text"])
    return output


# The fence of a MyST directive: three or more backticks or colons, then {name}.
EXERCISE_DIRECTIVE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>.*)$", re.MULTILINE)
DIRECTIVE_LABEL = re.compile(r"^:label:[ \t]*(?P<label>\S+)", re.MULTILINE)
SOLUTION_START = re.compile(r"^(?:`{3,}|:{3,})\{solution-start\}[ \t]*(?P<label>\S+)", re.MULTILINE)
SOLUTION_END = re.compile(r"^(?:`{3,}|:{3,})\{solution-end\}", re.MULTILINE)


def exercise_titles(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """{label: title} of every ``{exercise}`` directive in the notebook's markdown cells."""
    titles = {}
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        directive = EXERCISE_DIRECTIVE.search(cell.source)
        label = DIRECTIVE_LABEL.search(cell.source)
        if directive and label:
            titles[label["label"]] = directive["title"].strip() or label["label"]
    return titles


def _renamed(source: str, old: str, new: str) -> str:
    """``source`` with every Python name ``old`` renamed ``new`` (strings and comments kept)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    lines = source.splitlines(keepends=True)
    # Replace from the end of each line, so that earlier columns stay valid.
    for token in reversed(tokens):
        if token.type == tokenize.NAME and token.string == old:
            (row, start), (_, end) = token.start, token.end
            line = lines[row - 1]
            lines[row - 1] = line[:start] + new + line[end:]
    return "".join(lines)


def _solution_names(source: str) -> dict[str, str]:
    """{reader's name: solution's name} for a solution cell's source.

    ``answer`` becomes ``solution``, and so does a name handed to ``check_solution`` (chapter 3
    names its answers ``centred``, ``table``, ...); each name of a tuple handed to it, such as
    ``(stacked, joined)``, becomes ``solution_stacked``, ``solution_joined``.
    """
    names = {"answer": "solution"}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return names
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "check_solution"
            and node.args
        ):
            continue
        handed = node.args[0]
        if isinstance(handed, ast.Name):
            names[handed.id] = "solution"
        elif isinstance(handed, ast.Tuple):
            for item in handed.elts:
                if isinstance(item, ast.Name):
                    names[item.id] = f"solution_{item.id}"
    return {old: new for old, new in names.items() if not old.startswith("solution")}


def _collapse_solution(cell: nbformat.NotebookNode, title: str) -> None:
    body = cell.source
    if body.startswith(SOLUTION_TITLE):
        body = body.partition("\n")[2]
    for old, new in _solution_names(body).items():
        body = _renamed(body, old, new)
    cell.source = f"{SOLUTION_TITLE}{title}\n" + body
    jupyter = dict(cell.metadata.get("jupyter", {}))
    jupyter.update(source_hidden=True, outputs_hidden=True)
    cell.metadata["jupyter"] = jupyter
    cell.metadata["cellView"] = "form"


def mark_solutions(notebook: nbformat.NotebookNode) -> None:
    """Collapse, label and rename the solution code cells in place (see the module docstring)."""
    titles = exercise_titles(notebook)
    solving = None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            if start := SOLUTION_START.search(cell.source):
                solving = titles.get(start["label"], start["label"])
            elif SOLUTION_END.search(cell.source):
                solving = None
        elif cell.cell_type == "code" and solving is not None:
            _collapse_solution(cell, solving)


def normalize(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a normalized deep copy of ``notebook`` (see the module docstring)."""
    notebook = copy.deepcopy(notebook)
    kept = [key for key in NOTEBOOK_METADATA_KEPT if key in notebook.metadata]
    metadata = {key: notebook.metadata[key] for key in kept}
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = copy.deepcopy(LANGUAGE_INFO)
    notebook.metadata = nbformat.from_dict(metadata)
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    mark_solutions(notebook)
    execution_count = 0
    for cell in notebook.cells:
        for key in CELL_METADATA_DROPPED:
            cell.metadata.pop(key, None)
        if isinstance(cell.get("source"), list):
            cell.source = "".join(cell.source)
        if cell.cell_type != "code":
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
            continue
        outputs = [_normalize_output(output) for output in cell.get("outputs", [])]
        cell.outputs = _merge_streams([o for o in outputs if o is not None])
        if cell.get("execution_count") is not None:
            execution_count += 1
            cell.execution_count = execution_count
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = execution_count
    return notebook


def execute(notebook: nbformat.NotebookNode, working_directory: Path) -> nbformat.NotebookNode:
    """Run every cell of a copy of ``notebook`` in a fresh python3 kernel; raise on any error."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_SECONDS,
        allow_errors=False,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(working_directory)}},
    )
    client.execute()
    return notebook


def execute_and_normalize(path: Path) -> nbformat.NotebookNode:
    """What ``make notebooks`` would store for the notebook at ``path`` (the file is unchanged)."""
    notebook = normalize(nbformat.read(path, as_version=4))
    return normalize(execute(notebook, path.parent))


def dumps(notebook: nbformat.NotebookNode) -> str:
    """The exact text ``make notebooks`` writes for a notebook."""
    return nbformat.writes(notebook) + "\n"


def _process(path_and_check: tuple[Path, bool]) -> tuple[Path, bool, float]:
    path, check = path_and_check
    started = time.perf_counter()
    text = dumps(execute_and_normalize(path))
    changed = text != path.read_text(encoding="utf-8")
    if changed and not check:
        path.write_text(text, encoding="utf-8")
    return path, changed, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: chapters/*.ipynb")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 on a change")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed in parallel")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or chapter_notebooks()
    if not paths:
        print("no notebooks found under chapters/")
        return 0
    started = time.perf_counter()
    changed_paths = []
    with ProcessPoolExecutor(max_workers=max(1, min(args.jobs, len(paths)))) as pool:
        for path, changed, seconds in pool.map(_process, [(p, args.check) for p in paths]):
            state = ("would change" if args.check else "updated") if changed else "unchanged"
            name = os.path.relpath(path, ROOT)
            print(f"  {name}: executed in {seconds:5.1f} s, {state}", flush=True)
            if changed:
                changed_paths.append(path)
    print(f"{len(paths)} notebooks in {time.perf_counter() - started:.1f} s")
    return 1 if (args.check and changed_paths) else 0


if __name__ == "__main__":
    sys.exit(main())
