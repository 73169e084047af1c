"""Shared facts for the rendered-site checks: where the site is, its pages, the browser flags.

The site is `_build/html` of the book at BOOK_SOURCE_DIR (default: this repository). Without a
build the checks are skipped, unless BOOK_REQUIRE_BUILD=1 (set by `make test`), where a missing
build is a failure. Without Chromium the browser checks are skipped, unless BOOK_REQUIRE_BROWSER=1
(set by `.ci/run`), where a missing browser is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = Path(os.environ.get("BOOK_SOURCE_DIR", ROOT)).resolve()
SITE = Path(os.environ.get("BOOK_HTML_DIR", BOOK / "_build" / "html")).resolve()
SCREENSHOTS = Path(os.environ.get("BOOK_SCREENSHOT_DIR", SITE.parent / "screenshots")).resolve()
CHROMIUM = Path(os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# Pages Sphinx writes besides the book's own; all of them are checked too.
EXTRA_PAGES = ("genindex.html", "search.html")
MAX_PAGE_BYTES = 2 * 1024 * 1024

# Filled by the tests, printed at the end of the run by pytest_terminal_summary.
REPORT: dict[str, list[str]] = {"weight": [], "sliders": [], "axe": [], "external": []}


def site_pages() -> list[str]:
    """Every HTML page of the built site, relative to its root, book order first."""
    if not SITE.is_dir():
        return []
    ordered = book_order()
    every = sorted(
        str(p.relative_to(SITE))
        for p in SITE.rglob("*.html")
        if not p.relative_to(SITE).parts[0].startswith("_")
    )
    return [p for p in ordered if (SITE / p).is_file()] + [p for p in every if p not in ordered]


def toc_files() -> list[str]:
    """The files of _toc.yml in reading order (root first; a chapter's `sections:` after it)."""
    import yaml

    toc = yaml.safe_load((BOOK / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    entries = [chapter for part in toc.get("parts", []) for chapter in part.get("chapters", [])]
    while entries:
        entry, entries = entries[0], entries[1:]
        files.append(entry["file"])
        entries = entry.get("sections", []) + entries
    return files


def book_order() -> list[str]:
    """The pages of _toc.yml, in reading order, as built HTML paths."""
    return [f"{name}.html" for name in toc_files()]


def require_chromium() -> None:
    """Skip without Chromium, unless BOOK_REQUIRE_BROWSER=1 (set by .ci/run): then fail."""
    if CHROMIUM.exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("BOOK_REQUIRE_BROWSER") == "1":
        pytest.fail(message + ": BOOK_REQUIRE_BROWSER=1, so browser checks are required")
    pytest.skip(message + ": browser checks skipped")


def require_site() -> None:
    if not (SITE / "index.html").is_file():
        message = f"no built book at {SITE}: run `make build` first"
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(message)
        pytest.skip(message)
