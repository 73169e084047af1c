"""nbval is real: a notebook whose stored output was altered fails it.

`make test` runs `pytest --nbval` on every chapter; a notebook saved without outputs, or a sanitize
pattern that matches too much, would pass trivially. Here one stored text output of a real chapter
is changed in a temporary copy, and nbval (with the project's sanitize file) must report that cell.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SANITIZE_FILE = ROOT / "tools" / "nbval_sanitize.cfg"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def first_text_output(notebook):
    """(cell index, output) of the first code cell after the setup cell that prints text."""
    code_cells = [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    for index, cell in code_cells[1:]:
        for output in cell.outputs:
            if output.output_type == "stream" or "text/plain" in output.get("data", {}):
                return index, output
    return None, None


@pytest.mark.skipif(not CHAPTERS, reason="no chapter notebooks yet")
def test_nbval_fails_on_an_altered_stored_output(tmp_path):
    # The smallest chapter (the quickest to run) that stores a text output after its setup cell.
    candidates = sorted(CHAPTERS, key=lambda path: path.stat().st_size)
    source = next(
        (p for p in candidates if first_text_output(nbformat.read(p, as_version=4))[1]), None
    )
    assert source is not None, "no chapter stores a text output: nbval would check nothing"
    for item in (ROOT / "chapters").iterdir():
        if item.suffix != ".ipynb" and item.is_file():
            shutil.copy(item, tmp_path / item.name)
    notebook = nbformat.read(source, as_version=4)
    index, output = first_text_output(notebook)
    if output.output_type == "stream":
        output.text = output.text + "an altered line\n"
    else:
        output.data["text/plain"] = output.data["text/plain"] + " (altered)"
    altered = tmp_path / source.name
    nbformat.write(notebook, altered)

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(SANITIZE_FILE),
            str(altered),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 1, f"nbval did not fail on an altered output:\n{report[-3000:]}"
    assert "1 failed" in report, report[-3000:]
    code_number = [i for i, c in enumerate(notebook.cells) if c.cell_type == "code"].index(index)
    assert f"Cell {index}" in report or f"Cell {code_number}" in report, report[-3000:]
    assert "altered" in report, "the failure report shows the difference"
