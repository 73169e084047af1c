"""Static checks of the built HTML: internal links and anchors resolve, nothing is fetched from
another host, and the configured buttons and favicon are really on the pages."""

from __future__ import annotations

from functools import cache
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from site_support import REPORT, SITE, book_order, require_site, site_pages

# Attributes through which a page loads something by itself (as opposed to a link a reader follows).
LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src"}


@cache
def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")


@cache
def anchors(page: str) -> frozenset[str]:
    document = soup(page)
    ids = {tag["id"] for tag in document.find_all(id=True)}
    names = {tag["name"] for tag in document.find_all("a", attrs={"name": True})}
    return frozenset(ids | names)


def resolve(page: str, url: str) -> tuple[str, str]:
    """The site-relative file and the fragment an internal link on ``page`` points to."""
    parts = urlsplit(url)
    if not parts.path:
        return page, unquote(parts.fragment)
    target = PurePosixPath(page).parent / unquote(parts.path)
    normalized: list[str] = []
    for part in target.parts:
        if part == "..":
            if normalized:
                normalized.pop()
        elif part != ".":
            normalized.append(part)
    path = "/".join(normalized)
    if (SITE / path).is_dir():
        path = f"{path}/index.html".lstrip("/")
    return path, unquote(parts.fragment)


def is_external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") or url.startswith("//")


@pytest.fixture(scope="module", autouse=True)
def built():
    require_site()


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_internal_links_and_anchors_resolve(page):
    broken = []
    for tag in soup(page).find_all(["a", "link"], href=True):
        url = tag["href"]
        if is_external(url) or urlsplit(url).scheme in ("mailto", "javascript", "data"):
            continue
        target, fragment = resolve(page, url)
        if not (SITE / target).is_file():
            broken.append(f"{url!r} -> missing file {target}")
        elif fragment and target.endswith(".html") and fragment not in anchors(target):
            broken.append(f"{url!r} -> no id {fragment!r} in {target}")
    assert not broken, f"{page}: broken internal links:\n" + "\n".join(broken)


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_nothing_is_loaded_from_another_host(page):
    document = soup(page)
    remote = [
        f"<{tag.name} {attribute}={tag[attribute]!r}>"
        for tag_name, attribute in LOADING.items()
        for tag in document.find_all(tag_name, attrs={attribute: True})
        if is_external(tag[attribute])
    ]
    remote += [
        f"<link href={tag['href']!r}>"
        for tag in document.find_all("link", href=True)
        if is_external(tag["href"])
        and set(tag.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload"}
    ]
    assert not remote, f"{page} loads from another host:\n" + "\n".join(remote)


def test_external_links_report():
    """Every external link of the site, written to _build/external-links.txt (not fetched)."""
    links: dict[str, set[str]] = {}
    for page in site_pages():
        for tag in soup(page).find_all("a", href=True):
            if is_external(tag["href"]):
                links.setdefault(tag["href"], set()).add(page)
    report = SITE.parent / "external-links.txt"
    report.write_text(
        "".join(f"{url}\t{', '.join(sorted(pages))}\n" for url, pages in sorted(links.items())),
        encoding="utf-8",
    )
    REPORT["external"].append(f"{len(links)} distinct external links, listed in {report}")


def test_every_toc_page_was_built():
    missing = [page for page in book_order() if not (SITE / page).is_file()]
    assert not missing, f"pages in _toc.yml but not built: {missing}"


def test_favicon_and_logo_are_served_by_the_site():
    document = soup("index.html")
    icons = [tag["href"] for tag in document.find_all("link", rel="icon")]
    assert icons and all((SITE / resolve("index.html", icon)[0]).is_file() for icon in icons)
    logos = [img for img in document.find_all("img") if "logo" in " ".join(img.get("class", []))]
    assert logos and all(img.get("alt") for img in logos)
    # html_context.default_mode (without it the theme logs "Got invalid theme mode").
    assert document.find("html").get("data-theme") == "light"


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_explorers_render_as_static_html_not_as_widget_views(page):
    """myst-nb renders an explorer's text/html (with its inline script), never the live-widget view,
    which needs a kernel and the ipywidgets scripts from a CDN."""
    document = soup(page)
    widget_scripts = document.find_all(
        "script",
        type=[
            "application/vnd.jupyter.widget-view+json",
            "application/vnd.jupyter.widget-state+json",
        ],
    )
    assert not widget_scripts, f"{page} embeds {len(widget_scripts)} live-widget scripts"
    for explorer in document.select("div.amw[id]"):
        scripts = explorer.find_all("script")
        assert scripts and explorer["id"] in scripts[-1].text, f"{explorer['id']} lost its script"
