"""Notebook hygiene: every chapter is committed exactly as `make notebooks` would write it.

Static checks: each code cell has source and was executed, in order (execution counts 1..n), no
error output, normalized metadata (see tools/normalize_notebooks.py), the Colab setup cell first.

Reproduction check: every chapter is re-executed in a fresh kernel on a temporary copy and
normalized; the result must equal the committed file, cell by cell and output by output, images
included. The only text allowed to differ is what nbval cannot reproduce either: the patterns of
tools/nbval_sanitize.cfg (memory addresses, %timeit figures, absolute site-packages paths), which
are replaced on both sides exactly as `pytest --nbval --nbval-sanitize-with` does. Widget model ids,
saved widget state and timings never reach a committed notebook (the normalizer drops them), so
nothing else needs ignoring.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools.colab_setup_cell import SETUP_CELL  # noqa: E402
from tools.normalize_notebooks import (  # noqa: E402
    chapter_notebooks,
    dumps,
    execute_and_normalize,
    normalize,
)

SANITIZE_FILE = ROOT / "tools" / "nbval_sanitize.cfg"
NOTEBOOKS = chapter_notebooks()
EXPECTED_CHAPTERS = [
    "01-introduction.ipynb",
    "02-tensors-part-1.ipynb",
    "03-tensors-part-2.ipynb",
    "04-1-derivatives-with-autograd.ipynb",
    "04-2-graph-and-chain-rule.ipynb",
    "04-3-build-your-own-autograd.ipynb",
    "04-4-autograd-in-practice.ipynb",
    "04-derivatives.ipynb",
]


def sanitize_patterns() -> list[tuple[str, str]]:
    """The (regex, replacement) pairs, parsed exactly as nbval 0.11 parses the file."""
    text = SANITIZE_FILE.read_text(encoding="utf-8")
    return re.findall("^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)


def sanitized(value):
    """``value`` with every string passed through the sanitize patterns, as nbval does."""
    if isinstance(value, str):
        for regex, replacement in sanitize_patterns():
            value = re.sub(regex, replacement, value)
        return value
    if isinstance(value, dict):
        return {key: sanitized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [sanitized(item) for item in value]
    return value


def _fresh(path: Path, scratch: Path) -> str:
    """Re-execute a temporary copy of the notebook (beside its chapter files) and normalize it."""
    copy = scratch / path.name
    shutil.copy(path, copy)
    notebook = execute_and_normalize(copy)
    # The copy ran in `scratch`; the committed notebook runs in chapters/ (same outputs expected).
    return dumps(notebook)


@pytest.fixture(scope="session")
def fresh_runs(tmp_path_factory) -> dict[str, str]:
    """Every chapter re-executed once, two at a time (this machine has two cores)."""
    scratch = tmp_path_factory.mktemp("fresh")
    for item in (ROOT / "chapters").iterdir():
        if item.suffix != ".ipynb" and not item.name.startswith("."):
            target = scratch / item.name
            (shutil.copytree if item.is_dir() else shutil.copy)(item, target)
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = pool.map(_fresh, NOTEBOOKS, [scratch] * len(NOTEBOOKS))
        return {path.name: text for path, text in zip(NOTEBOOKS, results, strict=True)}


def test_the_chapter_notebooks_exist():
    assert [path.name for path in NOTEBOOKS] == EXPECTED_CHAPTERS


def test_sanitize_file_parses_as_nbval_reads_it():
    text = SANITIZE_FILE.read_text(encoding="utf-8")
    assert len(sanitize_patterns()) == text.count("\nregex: ") + text.startswith("regex: ")
    for regex, _ in sanitize_patterns():
        re.compile(regex)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_executed_in_order_without_errors(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells and code_cells[0].source == SETUP_CELL
    for number, cell in enumerate(code_cells, start=1):
        where = f"code cell {number}: {cell.source[:60]!r}"
        assert cell.source.strip(), f"{where} is empty"
        assert cell.execution_count == number, f"{where} has execution count {cell.execution_count}"
        errors = [output for output in cell.outputs if output.output_type == "error"]
        assert not errors, f"{where} stored an error: {errors[0].get('ename')}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_title_leaves_numbering_to_the_toc(path):
    """_toc.yml numbers chapters, sections and exercises; a number in the title would show twice."""
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert not re.match(r"# \d", first.source), "drop the chapter number from the title"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_metadata_is_normalized(path):
    text = path.read_text(encoding="utf-8")
    notebook = nbformat.reads(text, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    assert "widgets" not in notebook.metadata, "saved widget state (random model ids)"
    assert text == dumps(normalize(notebook)), "not normalized: run `make notebooks`"


def _cell_json(notebook: nbformat.NotebookNode) -> list[str]:
    return [json.dumps(sanitized(cell), indent=1, sort_keys=True) for cell in notebook.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_what_make_notebooks_produces(path, fresh_runs):
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.reads(fresh_runs[path.name], as_version=4)
    stored_cells, fresh_cells = _cell_json(stored), _cell_json(fresh)
    assert len(stored_cells) == len(fresh_cells)
    for index, (before, after) in enumerate(zip(stored_cells, fresh_cells, strict=True)):
        if before != after:
            diff = difflib.unified_diff(
                before.splitlines(), after.splitlines(), "committed", "re-executed", lineterm=""
            )
            pytest.fail(
                f"{path.name}, cell {index}: committed output differs from a fresh run "
                "(run `make notebooks`, or make the cell deterministic):\n"
                + "\n".join(line[:200] for line in list(diff)[:40])
            )
    assert sanitized(stored.metadata) == sanitized(fresh.metadata)
