"""The backward stepper's static export in headless Chromium, on a phone-wide screen: every step
shows the arithmetic the Python side computed (tested against torch in tests/widgets/test_graph.py),
and the node labels stay legible at 390 px."""

import pytest
import torch

from autograd_mini.widgets import graph_view

READOUT_JS = """(root) => root.querySelector('.amw-readout').innerText"""
SMALLEST_TEXT_JS = """(root) => Math.min(...[...root.querySelectorAll('svg text')]
  .filter(t => t.getBoundingClientRect().height > 0)
  .map(t => t.getBoundingClientRect().height))"""


@pytest.fixture(scope="module")
def stepper(tmp_path_factory, browser):
    u = torch.tensor(2.0, requires_grad=True)
    v = torch.tensor(4.0, requires_grad=True)
    view = graph_view(u**2 + v**3 + u * v, names={"u": u, "v": v})
    path = tmp_path_factory.mktemp("stepper") / "stepper.html"
    path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>stepper</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><main>{view.to_html()}</main></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 390, "height": 800})
    tab = context.new_page()
    tab.goto(path.as_uri())
    yield view, tab
    context.close()


def test_every_step_shows_the_products_and_sums_on_the_page(stepper):
    view, tab = stepper
    slider = tab.locator("input[type=range]")
    root = tab.locator(".amw-graph")
    for step in range(1, len(view.order) + 1):
        slider.fill(str(step))
        readout = root.evaluate(READOUT_JS)
        assert f"Step {step} of {len(view.order)}" in readout
        assert f"grad = {view.grad_text(step - 1)}" in readout
        for flow in view.flows:
            if flow.source == step - 1:
                assert f"to {view.labels[flow.target][0]}: {view.flow_text(flow)}" in readout
    slider.fill("5")  # the node of v³ passes 1 × 3v² = 48 to v
    assert "to v (leaf): 1 × 48 = 48" in root.evaluate(READOUT_JS)
    slider.fill("7")
    assert "v (leaf) receives grad = 2 + 48 = 50" in root.evaluate(READOUT_JS)


def test_the_picture_stays_legible_on_a_phone(stepper):
    _, tab = stepper
    root = tab.locator(".amw-graph")
    tab.locator("input[type=range]").fill("7")
    assert root.evaluate("(r) => r.getBoundingClientRect().width") <= 390
    assert root.evaluate(SMALLEST_TEXT_JS) >= 10  # CSS pixels: the line box of 8-9 px text
