"""The book as a reader sees it: every page in headless Chromium, offline, with axe-core.

Per page: HTTP 200, no console error, no request to another host (all are blocked and reported),
math typeset by the site's own MathJax (no raw TeX visible), every image has alt text and loads,
every slider changes its picture when moved, zero serious/critical axe-core violations, a screenshot
in _build/screenshots/, and the page weight: the bytes of every file the page loads on a first
visit, as a static host sends them (gzip), failing above 2 MB (the uncompressed total is printed
too). Then: previous/next navigation walks the whole book in order, and the search page finds
"backward".
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from urllib.parse import unquote, urlsplit

import pytest
from site_support import MAX_PAGE_BYTES, REPORT, SCREENSHOTS, SITE, book_order, site_pages

RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\\(?:frac|partial|sum|nabla|mathbf|cdot|approx)\b")
VIEWPORT = {"width": 1280, "height": 900}

# Text of the article as a reader sees it, without code, already-typeset math and scripts.
VISIBLE_PROSE_JS = """() => {
  const article = document.querySelector('article') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea')
      .forEach(node => node.remove());
  return copy.innerText;
}"""

# Math nodes Sphinx wrote that MathJax did not turn into an mjx-container.
UNTYPESET_MATH_JS = """() => Array.from(document.querySelectorAll('span.math, div.math'))
  .filter(node => !node.querySelector('mjx-container'))
  .map(node => node.textContent.trim().slice(0, 80))"""

# Images load lazily: bring each one to the screen, as a reader scrolling down would, and wait.
SCROLL_TO_IMAGES_JS = """async () => {
  for (const img of document.images) {
    if (img.loading !== 'lazy' || img.complete) continue;
    img.scrollIntoView();
    await img.decode().catch(() => {});
  }
  window.scrollTo(0, 0);
}"""
IMAGES_JS = """() => Array.from(document.images).map(img => ({
  src: (img.currentSrc || img.src).slice(0, 100),
  alt: (img.getAttribute('alt') || '').trim(),
  loaded: img.complete && img.naturalWidth > 0,
}))"""

# A signature of the picture a slider drives: the images, canvases and SVGs of the closest
# ancestor of the slider that has any.
PICTURE_JS = """(slider) => {
  let box = slider.parentElement;
  while (box && !box.querySelector('img, canvas, svg:not(.fa-svg)')) box = box.parentElement;
  if (!box) return null;
  return Array.from(box.querySelectorAll('img, canvas, svg')).map(node =>
    node.tagName === 'IMG' ? node.currentSrc || node.src
    : node.tagName === 'CANVAS' ? node.toDataURL() : node.outerHTML).join('|');
}"""


@cache
def _file_bytes(path: str) -> tuple[int, int]:
    """Size of a site file as stored and as a static host sends it (gzip, level 6)."""
    data = (SITE / path.lstrip("/")).read_bytes() if path.strip("/") else b""
    return len(data), len(gzip.compress(data, compresslevel=6))


def _slider_label(slider) -> str:
    return slider.evaluate(
        """(s) => (s.labels && s.labels.length ? s.labels[0].innerText
                   : s.getAttribute('aria-label') || s.id || 'unnamed').trim()"""
    )


def _exercise_sliders(page, page_name: str) -> list[str]:
    problems = []
    sliders = page.locator('input[type="range"]')
    for index in range(sliders.count()):
        slider = sliders.nth(index)
        slider.scroll_into_view_if_needed()
        label = _slider_label(slider)
        before = slider.evaluate(PICTURE_JS)
        if before is None:
            problems.append(f"slider {label!r} has no picture near it")
            continue
        changed = False
        for key in ("End", "Home", "ArrowRight", "ArrowLeft"):
            slider.focus()
            slider.press(key)
            page.wait_for_timeout(50)
            if slider.evaluate(PICTURE_JS) != before:
                changed = True
                break
        REPORT["sliders"].append(
            f"{page_name}: slider {label!r} {'changes its picture' if changed else 'DOES NOTHING'}"
        )
        if not changed:
            problems.append(f"slider {label!r}: moving it does not change its picture")
    return problems


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # preload: False, or axe-core fetches CSS @import URLs resolved against the page (a 404).
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    violations = results.response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    others = sorted({f"{v['id']} ({v['impact']})" for v in violations if v not in serious})
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node)
            for node in v["nodes"][:3]
        )
        for v in serious
    ], others


@pytest.fixture
def page_factory(browser, site_url):
    contexts = []

    def open_page():
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        contexts.append(context)
        page = context.new_page()
        record = {"console": [], "remote": [], "failed": [], "loaded": set()}
        local = urlsplit(site_url).netloc

        def route(route):
            url = urlsplit(route.request.url)
            if url.scheme in ("http", "https") and url.netloc != local:
                record["remote"].append(route.request.url)
                route.abort()
            else:
                route.continue_()

        def on_response(response):
            url = urlsplit(response.url)
            if url.netloc == local and response.ok:
                record["loaded"].add(unquote(url.path))

        page.route("**/*", route)
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and record["console"].append(f"{message.text} ({message.location.get('url', '')})")
            ),
        )
        page.on("pageerror", lambda error: record["console"].append(f"uncaught: {error}"))
        page.on(
            "requestfailed",
            lambda request: (
                urlsplit(request.url).netloc == local and record["failed"].append(request.url)
            ),
        )
        page.on("response", on_response)
        return page, record

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("page_name", site_pages() or ["index.html"])
def test_page_as_a_reader_sees_it(page_factory, site_url, page_name):
    page, record = page_factory()
    response = page.goto(site_url + page_name, wait_until="load")
    status = response.status if response else None
    problems = [] if status == 200 else [f"HTTP {status}"]
    page.evaluate(
        "() => window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : true"
    )
    page.wait_for_load_state("networkidle")

    untypeset = page.evaluate(UNTYPESET_MATH_JS)
    problems += [f"math not typeset: {text!r}" for text in untypeset]
    raw = sorted(set(RAW_TEX.findall(page.evaluate(VISIBLE_PROSE_JS))))
    problems += [f"raw TeX visible: {raw}"] if raw else []

    page.evaluate(SCROLL_TO_IMAGES_JS)
    for image in page.evaluate(IMAGES_JS):
        if not image["alt"]:
            problems.append(f"image without alt text: {image['src']}")
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = page_name.replace("/", "__")[:-5]
    explorers = page.locator("div.amw")
    if explorers.count():
        explorers.first.scroll_into_view_if_needed()
        explorers.first.screenshot(path=str(SCREENSHOTS / f"{stem}__first-explorer.png"))
    problems += _exercise_sliders(page, page_name)

    axe_problems, minor = _axe(page)
    problems += axe_problems
    REPORT["axe"].append(
        f"{page_name}: {len(axe_problems)} serious/critical; others: {', '.join(minor) or 'none'}"
    )

    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"))

    sizes = [_file_bytes(path) for path in record["loaded"]]
    raw, transferred = sum(size for size, _ in sizes), sum(size for _, size in sizes)
    REPORT["weight"].append(f"{transferred:>12,d} {raw:>12,d}  {page_name}")
    if transferred > MAX_PAGE_BYTES:
        problems.append(f"page weight {transferred:,d} bytes (gzip) > {MAX_PAGE_BYTES:,d}")
    problems += [f"console error: {message}" for message in record["console"]]
    problems += [f"request to another host (blocked): {url}" for url in record["remote"]]
    problems += [f"local request failed: {url}" for url in record["failed"]]
    assert not problems, f"{page_name}:\n  " + "\n  ".join(problems)


def test_previous_and_next_walk_the_book_in_order(page_factory, site_url):
    order = book_order()
    page, record = page_factory()
    page.goto(site_url + order[0])
    for expected in order[1:]:
        page.locator("a.right-next").first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0] == site_url + expected, f"next did not lead to {expected}"
    for expected in reversed(order[:-1]):
        page.locator("a.left-prev").first.click()
        page.wait_for_load_state("load")
        assert page.url.split("#")[0] == site_url + expected, f"previous did not lead to {expected}"
    assert not record["console"], record["console"]


def test_search_finds_backward(page_factory, site_url):
    page, record = page_factory()
    page.goto(site_url + "search.html?q=backward", wait_until="load")
    results = page.locator("#search-results ul.search li")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert "backward" in page.locator("#search-results").inner_text().lower()
    # the typed words start after the magnifier the theme draws over the box
    icon, text_starts = page.evaluate(
        """() => {
      const form = document.querySelector('.bd-search-container form.bd-search');
      const input = form.querySelector('input'), icon = form.querySelector('i');
      return [icon.getBoundingClientRect().right,
              input.getBoundingClientRect().left + parseFloat(getComputedStyle(input).paddingLeft)];
    }"""
    )
    assert icon <= text_starts, (
        f"the magnifier (to {icon:.0f} px) covers the text ({text_starts:.0f} px)"
    )
    assert not record["console"] and not record["remote"], record


ICON_GLYPHS_JS = """() => Array.from(document.querySelectorAll('i.fa-solid, i.fas, i.fab'))
  .filter(icon => icon.offsetParent !== null)
  .map(icon => {
    const glyph = getComputedStyle(icon, '::before');
    return {icon: icon.className, content: glyph.content, font: glyph.fontFamily,
            width: icon.getBoundingClientRect().width};
  })"""


def test_theme_icons_render_from_the_stylesheet_fonts(page_factory, site_url):
    """fontawesome.js is dropped (tools/book_sphinx.py): the icons must still be drawn."""
    page, record = page_factory()
    page.goto(site_url + book_order()[-1], wait_until="load")
    # The fonts are cut to the icons the book shows (tools/icon_fonts.py); they must load.
    page.wait_for_function(
        """() => Array.from(document.fonts).some(face =>
                   face.family.includes('Font Awesome 6 Free') && face.status === 'loaded')""",
        timeout=10_000,
    )
    assert page.locator("script[src*='fontawesome.js']").count() == 0
    icons = page.evaluate(ICON_GLYPHS_JS)
    assert len(icons) >= 4, icons
    for icon in icons:
        assert icon["content"] not in ("none", "normal", ""), icon
        assert "Font Awesome" in icon["font"] and icon["width"] > 0, icon
    assert not record["console"] and not record["failed"], record


@pytest.mark.parametrize("width", [400, 1280])
def test_navigation_toggle_works_on_narrow_and_wide_screens(browser, site_url, width):
    """The visible sidebar button opens the navigation drawer on a phone and folds the sidebar on
    a wide screen (_static/book.js forwards its click to the button the themes listen to)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + book_order()[1], wait_until="load")
    page.locator("button.primary-toggle:visible").first.click()
    if width < 992:
        page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
        assert page.locator("#pst-primary-sidebar-modal a.reference").first.is_visible()
    else:
        # folded: the class is set and, after the theme's slide, the sidebar has left the screen
        page.wait_for_function(
            """() => {
              const sidebar = document.getElementById('pst-primary-sidebar');
              const box = sidebar.getBoundingClientRect();
              return sidebar.classList.contains('pst-sidebar-hidden')
                && (box.right <= 1 || box.width < 1
                    || getComputedStyle(sidebar).display === 'none');
            }""",
            timeout=5_000,
        )
    context.close()


# Heights of the code blocks and formulas while the browser may skip them (content-visibility:
# auto, see _static/book.css), then once all are drawn.
SKIPPED_HEIGHTS_JS = """() => {
  const blocks = Array.from(document.querySelectorAll('.highlight > pre, mjx-container'));
  const height = () => blocks.map(block => block.getBoundingClientRect().height);
  const skipped = height();
  document.querySelectorAll('.highlight > pre, mjx-container > svg, mjx-assistive-mml')
    .forEach(node => { node.style.contentVisibility = 'visible'; });
  const drawn = height();
  return blocks.map((block, i) => [block.textContent.trim().slice(0, 40), skipped[i], drawn[i]])
    .filter(([, before, after]) => Math.abs(before - after) > 0.5);
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_blocks_the_browser_skips_keep_their_size(browser, site_url, width):
    """Nothing moves when a code block or formula near the screen is drawn at last."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    for name in (
        "chapters/04-1-derivatives-with-autograd.html",
        "chapters/04-4-autograd-in-practice.html",
    ):
        page.goto(site_url + name, wait_until="load")
        assert page.locator(".highlight > pre[style*='--lines']").count() > 0, name
        assert page.evaluate(SKIPPED_HEIGHTS_JS) == [], name
    context.close()
