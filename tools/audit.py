"""Lighthouse on the built site, served gzip-compressed as a static host serves it.

    python tools/audit.py                  every page (`make audit`): the four scores, FCP, LCP
                                           and total blocking time
    python tools/audit.py --check --gate   the landing page and the chapters with the most HTML,
                                           formulas and code blocks (`make test`): exit 1 when
                                           one is below the bar

Lighthouse 12 (npm, pinned by package-lock.json; the Makefile installs it into node_modules)
runs its default mobile profile: a mid-range phone on a simulated slow 4G connection, with the CPU
slowed 4x. It drives Debian's Chromium (CHROME_PATH). The server answers on 127.0.0.1 only, so
nothing leaves the machine.

Lighthouse simulates the phone from what it observes on this machine, so a machine busy with other
work scores lower. With --check a page below the bar is measured again, up to --runs times, and
its best run counts; every run is printed.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The bar `make test` holds every audited page to (scores out of 100).
MINIMUM_SCORES = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
# What a static host (GitHub Pages, say) sends compressed.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipStaticHandler(SimpleHTTPRequestHandler):
    """Files from the site folder; text-like ones gzip-compressed when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and accepts_gzip and content_type.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _BytesFile(body)

    def log_message(self, format, *args):  # noqa: A002 - the signature is http.server's
        pass


class _BytesFile:
    """The smallest file-like object SimpleHTTPRequestHandler.copyfile accepts."""

    def __init__(self, data: bytes):
        self._data = data

    def read(self, size: int = -1) -> bytes:
        data, self._data = self._data, b""
        return data

    def close(self) -> None:
        self._data = b""


def serve(site: Path) -> ThreadingHTTPServer:
    handler = functools.partial(GzipStaticHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def every_page(site: Path) -> list[str]:
    """The book's pages in reading order (_toc.yml), then the rest Sphinx wrote (index, search)."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    entries = [chapter for part in toc.get("parts", []) for chapter in part.get("chapters", [])]
    while entries:  # a chapter, then its sections
        entry, entries = entries[0], entries[1:]
        files.append(entry["file"])
        entries = entry.get("sections", []) + entries
    ordered = [f"{name}.html" for name in files if (site / f"{name}.html").is_file()]
    others = sorted(
        str(path.relative_to(site))
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith("_")
    )
    return ordered + [page for page in others if page not in ordered]


def heaviest_chapter(site: Path) -> str:
    """The book page (other than the landing page) whose HTML is the largest."""
    return _chapter_with_most(site, lambda text: len(text.encode("utf-8")))


def gate_pages(site: Path) -> list[str]:
    """What `make test` audits: the landing page, and the chapter page with the most of what
    costs a phone time: bytes of HTML, formulas (SVG and MathML), code blocks (a span a token)."""
    chosen = ["index.html", heaviest_chapter(site)]
    for marker in ("<mjx-container", '<div class="highlight">'):
        chosen.append(_chapter_with_most(site, lambda text, marker=marker: text.count(marker)))
    return list(dict.fromkeys(chosen))


def _chapter_with_most(site: Path, measure) -> str:
    pages = [page for page in every_page(site)[1:] if page.startswith("chapters/")]
    return max(pages, key=lambda page: measure((site / page).read_text(encoding="utf-8")))


def run_lighthouse(url: str) -> dict:
    """One Lighthouse run (mobile, simulated throttling); its JSON report."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
        return json.loads(report.read_text(encoding="utf-8"))


def scores(report: dict) -> dict[str, float]:
    """The four category scores (0-100) and the largest contentful paint in seconds."""
    row = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
    row["lcp"] = report["audits"]["largest-contentful-paint"]["numericValue"] / 1000
    row["fcp"] = report["audits"]["first-contentful-paint"]["numericValue"] / 1000
    row["kib"] = report["audits"]["total-byte-weight"]["numericValue"] / 1024
    row["tbt"] = report["audits"]["total-blocking-time"]["numericValue"]
    return row


def failures(page: str, report: dict, row: dict) -> list[str]:
    """Each category below the bar, with the audits that cost it points."""
    lines = []
    for name, minimum in MINIMUM_SCORES.items():
        if row[name] >= minimum:
            continue
        lines.append(f"{page}: {name} {row[name]} < {minimum}")
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"    {audit['title']}: {audit.get('displayValue', audit['score'])}")
    return lines


def _row(page: str, row: dict, note: str = "") -> str:
    return (
        f"{page:46} {row['performance']:4} {row['accessibility']:4} {row['best-practices']:4} "
        f"{row['seo']:4} {row['fcp']:6.1f} {row['lcp']:6.1f} {row['tbt']:6.0f} "
        f"{row['kib']:6.0f}{note}"
    )


def audit_page(url: str, page: str, runs: int) -> tuple[dict, dict]:
    """Lighthouse on one page, again (up to ``runs`` times) while below the bar; the best run."""
    best = None
    for attempt in range(1, runs + 1):
        report = run_lighthouse(url)
        row = scores(report)
        below = failures(page, report, row)
        note = f"  (run {attempt} of at most {runs})" if runs > 1 else ""
        print(_row(page, row, note), flush=True)
        if best is None or row["performance"] > best[1]["performance"]:
            best = (report, row)
        if not below:
            break
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages relative to the site (default: every one)")
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (_build/html)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is below the bar")
    parser.add_argument(
        "--gate", action="store_true", help="the landing page and the most demanding chapters"
    )
    parser.add_argument("--runs", type=int, default=3, help="with --check: most runs per page")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"no built site at {args.site}: run `make build` first")
    if not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: `make audit` installs it (npm ci)")
    if args.gate:
        pages = gate_pages(args.site)
    else:
        pages = args.pages or every_page(args.site)
    runs = args.runs if args.check else 1
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    columns = ("perf", "a11y", "best", "seo")
    header = f"{'page':46} " + " ".join(f"{c:>4}" for c in columns) + "  FCP s  LCP s TBT ms    KiB"
    print(header)
    print("-" * len(header))
    problems = []
    try:
        for page in pages:
            report, row = audit_page(base + page, page, runs)
            problems += failures(page, report, row)
    finally:
        server.shutdown()
    if problems:
        print("\n".join(problems))
    if args.check and problems:
        print("Lighthouse: below the bar (performance 90, accessibility/best practices/SEO 100)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
