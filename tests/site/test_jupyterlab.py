"""The chapters as a reader first sees them in a real JupyterLab (`make lab`, Binder), untrusted.

A real `jupyter lab` (with jupyterlab-myst, the settings of tools/jupyterlab/ that `make lab` and
Binder use, and empty per-test config, data and workspace folders, so nothing is trusted) serves
copies of the chapters; headless Chromium opens every chapter at once, each in its own tab of one
JupyterLab page, without running any cell, and after 10 seconds each one must show:

* no raw directive text (``:label:``, ``:class:``): the exercise and solution blocks rendered;
* every solution collapsed (source and outputs) behind its label ``# @title Solution: ...``;
* the tab not marked modified (JupyterLab writes the kernel's ``language_info`` on opening);
* no news pop-up, and no request to any host but 127.0.0.1;
* no stored output taller than 1,200 px (explorers degrade to their first frame when untrusted).

Then, as a reader would, Run All in two chapters, and use the live explorers: the tangent
explorer's slider (by keyboard) and formula box, and the backward stepper's slider. (These run
last: running marks a chapter modified.)

The copies are what `make notebooks` stores (``normalize`` of the committed file, which
tests/book/test_notebooks.py requires to equal the committed file). Screenshots of each chapter's
first solution land in the screenshot folder.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect
from site_support import ROOT, SCREENSHOTS

sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from autograd_mini.course.exercises import SOLUTION_TITLE  # noqa: E402
from tools.normalize_notebooks import (  # noqa: E402
    chapter_notebooks,
    dumps,
    exercise_titles,
    normalize,
)

CHAPTERS = chapter_notebooks()
SETTLE_SECONDS = 10
MAX_OUTPUT_PX = 1200
RENDER_MS = 60_000  # the longest wait for a tab's markdown to render (a loaded 2-core machine)
TOKEN = "course-lab-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _solution_count(notebook: nbformat.NotebookNode) -> int:
    return sum(
        cell.cell_type == "code" and cell.source.startswith(SOLUTION_TITLE)
        for cell in notebook.cells
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`jupyter lab` on normalized copies of the chapters; yields (base URL, copies folder)."""
    if importlib.util.find_spec("jupyterlab_myst") is None:
        pytest.fail("jupyterlab-myst is missing: it is in requirements.txt (run make setup)")
    home = tmp_path_factory.mktemp("lab")
    notebooks = home / "chapters"
    notebooks.mkdir()
    for path in CHAPTERS:
        notebook = normalize(nbformat.read(path, as_version=4))
        (notebooks / path.name).write_text(dumps(notebook), encoding="utf-8")
    # Render every cell (JupyterLab otherwise draws only those near the viewport).
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    port = _free_port()
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={notebooks}",
        f"--IdentityProvider.token={TOKEN}",
        "--NotebookNotary.db_file=:memory:",
        f"--LabApp.app_settings_dir={ROOT / 'tools' / 'jupyterlab'}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp opens the chapters as tabs
        "--allow-root",
    ]
    log = home / "lab.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", notebooks
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


OPEN_ALL_JS = """async (names) => {
  const app = window.jupyterapp;
  await app.started;
  await Promise.all(names.map(path => app.commands.execute('docmanager:open', {path})));
}"""

# Show one chapter's tab; return its panel's id and whether its document is modified.
SHOW_JS = """(name) => {
  const app = window.jupyterapp;
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.path === name) {
      app.shell.activateById(widget.id);
      return {id: widget.id, dirty: widget.context.model.dirty};
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def opened(browser, lab):
    """One JupyterLab page with every chapter open in its own tab, then left alone for 10 s."""
    base, notebooks = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    foreign: list[str] = []

    def only_local(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(f"{base}/lab?token={TOKEN}")
    page.wait_for_function("() => window.jupyterapp", timeout=90_000)
    page.evaluate(OPEN_ALL_JS, [path.name for path in CHAPTERS])
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-NotebookPanel').length === {len(CHAPTERS)}",
        timeout=90_000,
    )
    opened_at = time.monotonic()
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="attached", timeout=90_000)
    time.sleep(max(0.0, SETTLE_SECONDS - (time.monotonic() - opened_at)))
    yield page, notebooks, foreign
    context.close()
    shutil.rmtree(notebooks / ".ipynb_checkpoints", ignore_errors=True)


def _show(opened, name):
    """The chapter's notebook panel, brought to the front, its state, and the stored notebook."""
    page, notebooks, _ = opened
    shown = page.evaluate(SHOW_JS, name)
    assert shown, f"{name} is not open"
    panel = page.locator(f'[id="{shown["id"]}"]')
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    return page, panel, shown, nbformat.read(notebooks / name, as_version=4)


@pytest.mark.parametrize("name", [path.name for path in CHAPTERS])
def test_opening_a_chapter_does_not_mark_it_modified(opened, name):
    page, _, shown, _ = _show(opened, name)
    assert not shown["dirty"], f"{name} is marked modified"
    tab = page.locator(f'.lm-TabBar-tab[data-id="{shown["id"]}"]')
    assert tab.count() == 1
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), f"{name} marked modified"
    assert page.locator(".Toastify__toast").count() == 0, "a notification covers the notebook"


@pytest.mark.parametrize("name", [path.name for path in CHAPTERS])
def test_exercises_render_as_boxes_and_solutions_are_collapsed(opened, name):
    page, panel, _, notebook = _show(opened, name)
    # jupyterlab-myst renders markdown asynchronously, a tab at a time: wait (bounded) for every
    # box before reading the text, so a slow machine is not mistaken for raw directive text.
    for label in exercise_titles(notebook):
        box = panel.locator(f'aside.myst-exercise[id="{label}"] .myst-exercise-title')
        expect(box, f"exercise {label} is not a titled box").to_have_count(1, timeout=RENDER_MS)
    solutions = _solution_count(notebook)
    placeholders = panel.locator(".jp-InputPlaceholder", has_text="Solution:")
    expect(placeholders).to_have_count(solutions, timeout=RENDER_MS)
    text = panel.locator(".jp-Notebook").inner_text()
    assert ":label:" not in text and ":class:" not in text, "raw directive text is showing"
    assert "check_solution" not in text, "a solution's code is showing"
    assert "reference solution passes" not in text, "a solution's output is showing"
    if solutions:
        placeholders.first.scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"jupyterlab-{Path(name).stem}-solution.png"))


@pytest.mark.parametrize("name", [path.name for path in CHAPTERS])
def test_no_stored_output_is_taller_than_1200_px(opened, name):
    _, panel, _, notebook = _show(opened, name)
    stored = sum(len(cell.get("outputs", [])) for cell in notebook.cells)
    expected = stored - _solution_count(notebook) * 2  # a collapsed solution may hide two
    outputs = panel.locator(".jp-OutputArea-output")
    deadline = time.monotonic() + RENDER_MS / 1000
    while outputs.count() < expected and time.monotonic() < deadline:
        time.sleep(0.5)  # outputs render a tab at a time, like the markdown
    heights = outputs.evaluate_all("ns => ns.map(n => n.getBoundingClientRect().height)")
    assert len(heights) >= expected > 0 or not stored
    tallest = max(heights, default=0)
    assert tallest <= MAX_OUTPUT_PX, f"an output is {tallest:.0f} px tall"


def test_jupyterlab_asks_no_other_host(opened):
    _, _, foreign = opened
    assert foreign == []


RUN_ALL_JS = """async (name) => {
  const app = window.jupyterapp;
  for (const widget of app.shell.widgets('main')) {
    if (widget.context && widget.context.path === name) {
      app.shell.activateById(widget.id);
      await widget.sessionContext.ready;
      return await app.commands.execute('notebook:run-all-cells');
    }
  }
  return null;
}"""


def _run_all(opened, name):
    """Run every cell of the chapter in its kernel; the panel once all have run."""
    page, panel, _, _ = _show(opened, name)
    page.evaluate(RUN_ALL_JS, name)
    cells = panel.locator(".jp-CodeCell .jp-InputPrompt")
    expect(cells.filter(has_text="[*]")).to_have_count(0, timeout=180_000)
    expect(cells.filter(has_text="[ ]")).to_have_count(0, timeout=10_000)
    errors = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    tracebacks = [text for text in errors.all_inner_texts() if "Traceback" in text]
    assert not tracebacks, tracebacks[0][-2000:]
    return page, panel


def _live(panel, index):
    """The index-th live explorer (an ipywidgets box) of a panel, scrolled into view."""
    box = panel.locator(".jp-OutputArea-output .widget-vbox").nth(index)
    box.scroll_into_view_if_needed()
    expect(box).to_be_visible()
    return box


def test_run_all_then_sliders_and_the_formula_box_are_live(opened):
    """Run All in the real JupyterLab, then use the tangent explorer as a reader would: the
    slider's keys move x0 and the readout follows; a typed formula redraws, a bad one says why."""
    page, panel = _run_all(opened, "04-1-derivatives-with-autograd.ipynb")
    explorer = _live(panel, 0)
    readout = explorer.locator(".widget-html").last
    assert "x0 = 9" in readout.inner_text() and "✓" in readout.inner_text()
    explorer.locator(".widget-slider .noUi-handle").first.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    x0 = float(explorer.locator(".widget-slider .widget-readout").first.inner_text())
    assert x0 < 9
    expect(readout).to_contain_text(f"x0 = {x0:g}", timeout=20_000)  # the kernel caught up
    assert "✗" not in readout.inner_text()
    formula = explorer.locator(".widget-text input")
    cubed = f"f(x0){x0**3:g}{x0**3:g}✓"
    formula.fill("x**3")
    formula.press("Enter")
    expect(readout).to_contain_text(cubed, timeout=20_000)  # f(x0) = x0³ in both libraries
    formula.fill("x***")
    formula.press("Enter")
    expect(explorer.locator('[role="alert"]')).to_be_visible(timeout=20_000)
    expect(readout).to_contain_text(cubed)  # a bad formula keeps the last good one
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab-tangent-explorer-live.png"))


def test_run_all_then_the_backward_stepper_steps(opened):
    page, panel = _run_all(opened, "04-2-graph-and-chain-rule.ipynb")
    stepper = _live(panel, 0)
    readout = stepper.locator(".widget-html").last
    before = readout.inner_text()
    stepper.locator(".widget-slider .noUi-handle").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(readout).to_contain_text("Step 3 of 7", timeout=20_000)
    assert readout.inner_text() != before
    expect(readout).to_contain_text("1 × 4 = 4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "jupyterlab-stepper-live.png"))
