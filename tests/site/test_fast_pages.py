"""What the build does for phones and search engines (tools/book_sphinx.py), checked in the built
HTML: a meta description and a canonical URL per page, sitemap.xml and robots.txt, nothing but the
theme's stylesheet before the first paint (scripts deferred, other stylesheets inline), icon fonts
cut to the icons shown, maths typeset into the page (no MathJax for the reader to run), explorer
frames in files of the site, content images sized and lazy."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from site_support import SITE, book_order, require_site, site_pages

from tools.book_sphinx import png_size, site_address


def _page(page: str) -> BeautifulSoup:
    require_site()
    return BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")


def _site_address() -> str:
    import yaml

    config = yaml.safe_load((SITE.parents[1] / "_config.yml").read_text(encoding="utf-8"))
    return site_address(config["repository"]["url"])


def test_site_address_is_the_github_pages_address_of_the_repository():
    assert site_address("https://github.com/Someone/course") == "https://someone.github.io/course/"
    assert site_address("https://github.com/someone/someone.github.io") == (
        "https://someone.github.io/"
    )
    assert site_address("https://gitlab.com/someone/course") == ""


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_meta_description_and_canonical_url(page):
    document = _page(page)
    description = document.find("meta", attrs={"name": "description"})
    assert description, f"{page}: no meta description"
    assert 40 <= len(description["content"]) <= 160, description["content"]
    canonical = document.find("link", rel="canonical")
    assert canonical and canonical["href"] == _site_address() + page


def test_descriptions_differ_between_book_pages():
    descriptions = [
        _page(page).find("meta", attrs={"name": "description"})["content"] for page in book_order()
    ]
    assert len(set(descriptions)) == len(descriptions), descriptions


def test_sitemap_lists_every_book_page_and_robots_points_at_it():
    require_site()
    sitemap = (SITE / "sitemap.xml").read_text(encoding="utf-8")
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    base = _site_address()
    assert {base + page for page in book_order()} <= set(listed)
    assert all(url.startswith(base) for url in listed)
    assert f"Sitemap: {base}sitemap.xml" in (SITE / "robots.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_nothing_but_the_theme_stylesheet_blocks_the_first_paint(page):
    document = _page(page)
    head = document.head
    blocking = [
        script["src"]
        for script in head.find_all("script", src=True)
        if not (script.has_attr("defer") or script.has_attr("async"))
    ]
    assert not blocking, f"{page}: scripts that block rendering: {blocking}"
    assert not head.find("link", rel="preload", attrs={"as": "script"})
    stylesheets = [
        link["href"]
        for link in head.find_all("link", rel="stylesheet")
        if not link.find_parent("noscript") and link.get("media", "all") != "print"
    ]
    assert len(stylesheets) == 1 and "pydata-sphinx-theme.css" in stylesheets[0], stylesheets
    book_css = (SITE / "_static" / "book.css").read_text(encoding="utf-8")
    assert any(style.string == book_css for style in head.find_all("style")), "book.css inlined"
    search = head.find_all("script", src=re.compile(r"(searchtools|language_data|searchindex)\.js"))
    assert len(search) == (3 if page == "search.html" else 0), search
    if not document.find(class_=re.compile(r"^sd-")):
        assert not head.find("link", href=re.compile("sphinx-design")), "unused sphinx-design CSS"


def test_icon_fonts_hold_every_icon_the_pages_show_and_little_else():
    """tools/icon_fonts.py cuts Font Awesome down: each icon class of every page must still find
    its character in the fonts the theme's stylesheet names."""
    require_site()
    from fontTools.ttLib import TTFont

    styles = SITE / "_static" / "styles"
    theme = (styles / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    fonts = re.findall(r"@font-face\{[^}]*src:url\(([^)]+)\)", theme)
    assert len(fonts) >= 2 and all(font.endswith(".icons.woff") for font in fonts), fonts
    characters = set()
    for font in fonts:
        assert (styles / font).stat().st_size < 20_000, font
        characters |= set(TTFont(styles / font).getBestCmap())
    table = {}
    for selectors, code in re.findall(r'([^{}]+)\{content:"\\([0-9a-f]+)"\}', theme):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            table[name] = int(code, 16)
    for page in site_pages():
        shown = set(re.findall(r"\bfa-([a-z0-9-]+)", (SITE / page).read_text(encoding="utf-8")))
        missing = sorted(name for name in shown if name in table and table[name] not in characters)
        assert not missing, f"{page}: icons missing from the fonts: {missing}"


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_maths_is_typeset_into_the_page(page):
    """Each formula is an SVG with MathJax's MathML for screen readers; every glyph it draws is in
    the page's own glyph cache; no page loads MathJax."""
    document = _page(page)
    assert not document.find("script", src=re.compile("mathjax", re.IGNORECASE))
    assert not document.find("script", string=re.compile(r"MathJax\s*="))
    formulas = document.select("span.math, div.math")
    for formula in formulas:
        typeset = formula.find("mjx-container", attrs={"jax": "SVG"})
        assert typeset and typeset.svg and typeset.find("mjx-assistive-mml"), formula.text[:80]
        assert "\\(" not in formula.text and "\\[" not in formula.text, formula.text[:80]
    if not formulas:
        return
    glyphs = {path["id"] for path in document.select("svg#MJX-SVG-global-cache path[id]")}
    used = {use["xlink:href"].lstrip("#") for use in document.select("mjx-container use")}
    assert used and used <= glyphs, sorted(used - glyphs)
    assert document.head.find("style", id="MJX-SVG-styles")


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_explorer_frames_live_in_files_of_the_site(page):
    document = _page(page)
    assert not document.find("img", class_="amw-still")
    for frames in document.find_all("script", class_="amw-frames"):
        assert frames.get_text() == ""
        source = frames["data-src"]
        assert not urlsplit(source).netloc
        target = (SITE / page).parent / source
        assert target.is_file(), source
        assert target.read_text(encoding="utf-8").startswith(
            f"(window.amwFrames=window.amwFrames||{{}})['{frames['data-for']}']="
        )


@pytest.mark.parametrize("page", site_pages() or ["index.html"])
def test_content_images_are_lazy_and_sized(page):
    for image in _page(page).find_all("img"):
        if "logo" in " ".join(image.get("class", [])) or "logo" in image.get("alt", ""):
            continue
        assert image.get("loading") == "lazy", image
        if image["src"].endswith(".png"):
            assert image.get("width") and image.get("height"), image
            assert image["style"].startswith("height:auto"), image  # keeps its proportions


def test_module_index_fold_buttons_are_sharp_on_a_phone():
    """Drawn at 22 px (tools/book_sphinx.py), shown at 11 px (_static/book.css)."""
    require_site()
    for name in ("minus.png", "plus.png"):
        assert png_size(SITE / "_static" / name) == (22, 22), name
    assert "img.toggler" in (SITE / "_static" / "book.css").read_text(encoding="utf-8")
