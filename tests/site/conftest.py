"""Fixtures for the rendered-site checks: a local server for the built site, a headless Chromium."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from site_support import CHROMIUM, CHROMIUM_ARGS, REPORT, SITE, require_chromium, require_site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


@pytest.fixture(scope="session")
def site_url():
    """Serve the built site on 127.0.0.1 at a free port for the whole session."""
    require_site()
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (skipped when Chromium is absent)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def pytest_terminal_summary(terminalreporter):
    titles = {
        "weight": "Page weight on a first visit: gzip bytes (limit 2 MB), uncompressed bytes",
        "sliders": "Sliders exercised",
        "axe": "axe-core accessibility scan",
        "external": "External links (listed, not checked offline)",
    }
    for key, title in titles.items():
        if REPORT[key]:
            terminalreporter.section(title, sep="-")
            for line in REPORT[key]:
                terminalreporter.write_line(line)
