"""The static exports in headless Chromium (the shared `browser` fixture of conftest.py): moving a
slider changes the picture and the readout, with the frames inline (as in a notebook) and moved
into files of the site the way the book build does (`tools/book_sphinx.move_explorer_frames`),
where they load only when the explorer nears the screen. Needs no book build, only the browser."""

import pytest
import torch

from autograd_mini.widgets import graph_view, partials_explorer, tangent_explorer
from tools.book_sphinx import move_explorer_frames

STATE_JS = """(slider) => {
  const root = slider.closest('.amw');
  return {svg: root.querySelector('.amw-picture svg').outerHTML,
          readout: root.querySelector('.amw-readout').innerText,
          shownReadouts: root.querySelectorAll('.amw-readout[data-layer]').length,
          valuetext: slider.getAttribute('aria-valuetext'),
          label: slider.labels[0].innerText};
}"""
# Tall enough that the explorers start far below the first screen.
SPACER = '<div style="height:4000px">A long page before the explorers.</div>'

NO_SCRIPT_STATE: dict = {}


def _explorers() -> str:
    x = torch.tensor(2.0, requires_grad=True)
    parts = [
        tangent_explorer("sin(x / (2**1.5)) * x", (-4, 4), x0=1).to_html(),
        partials_explorer("u**2 * v", (-2, 2), (-2, 2), u0=1, v0=1).to_html(),
        graph_view((x * x).exp() + x, names={"x": x}).to_html(),
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>explorers</title>'
        "</head><body><main>" + SPACER + "".join(parts) + "</main></body></html>"
    )


@pytest.fixture(scope="module", params=["inline", "site"])
def page(request, tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("widgets")
    path = folder / "chapters" / "explorers.html"
    path.parent.mkdir()
    html = _explorers()
    if request.param == "site":
        html = move_explorer_frames(html, path, folder)
        assert html.count("data-src=") == 3 and '<img class="amw-still"' not in html
        assert list((folder / "_static" / "explorers").glob("*.js"))
    path.write_text(html, encoding="utf-8")
    quiet = browser.new_context(java_script_enabled=False)
    no_script = quiet.new_page()
    no_script.goto(path.as_uri())
    NO_SCRIPT_STATE.update(
        no_script.evaluate(
            """() => ({pictures: [...document.querySelectorAll('svg, img')]
                         .filter(e => getComputedStyle(e).display !== 'none').length,
                       readouts: [...document.querySelectorAll('.amw-readout > *')].length})"""
        )
    )
    quiet.close()
    context = browser.new_context(viewport={"width": 900, "height": 900})
    remote = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("file:")
            else (remote.append(route.request.url), route.abort())
        ),
    )
    tab = context.new_page()
    errors, loaded = [], []
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("request", lambda r: "/_static/explorers/" in r.url and loaded.append(r.url))
    tab.goto(path.as_uri())
    tab.wait_for_timeout(300)
    assert not loaded, "frames fetched before the reader came near an explorer"
    yield tab
    assert not errors, errors
    assert not remote, remote
    context.close()


def test_every_static_slider_moves_picture_and_readout(page):
    sliders = page.locator('input[type="range"]')
    assert sliders.count() == 4  # x0, u0, v0, backward step
    for index in range(sliders.count()):
        slider = sliders.nth(index)
        before = slider.evaluate(STATE_JS)
        assert before["label"] and before["shownReadouts"] == 1
        slider.focus()
        slider.press("End")
        page.wait_for_function(
            "([s, svg]) => s.closest('.amw').querySelector('.amw-picture svg').outerHTML !== svg",
            arg=[slider.element_handle(), before["svg"]],
            timeout=5000,
        )
        after = slider.evaluate(STATE_JS)
        assert after["svg"] != before["svg"], before["label"]
        assert after["readout"] != before["readout"], before["label"]
        assert after["valuetext"] != before["valuetext"]
        assert after["shownReadouts"] == 1
        slider.press("ArrowLeft")
        assert slider.evaluate(STATE_JS)["svg"] != after["svg"]


def test_keyboard_steps_reach_the_expected_frame(page):
    slider = page.locator('input[type="range"]').first
    slider.focus()
    slider.press("Home")
    state = slider.evaluate(STATE_JS)
    assert state["valuetext"] == "x0 = -4"
    assert "x0 = -4" in state["readout"]


def test_no_serious_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    serious = [
        (v["id"], v["help"])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, serious


def test_without_javascript_the_first_frames_show(page):
    # one picture (the inline SVG; the still image is hidden by the stylesheet) and one readout each
    assert NO_SCRIPT_STATE == {"pictures": 3, "readouts": 3}
