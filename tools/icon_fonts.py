"""The theme's icon fonts (Font Awesome 6: 300 KB, every icon there is) cut down, when the book is
built, to the icons the site can show: a few KB, so a phone on a slow connection fetches them
with the page instead of after the text.

An icon is shown by a class (``fa-rocket``) whose ``::before`` rule in the theme's stylesheet
gives its character, or by any other rule of a stylesheet with such a character in ``content``
(admonition icons, for instance). The icons kept are those of every ``fa-...`` class in the
site's pages and scripts, and every character of the other rules. The subsets are WOFF files
next to the originals; the theme's ``@font-face`` rules point at them.
"""

from __future__ import annotations

import re
from pathlib import Path

PRIVATE_USE = range(0xE000, 0xF900)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
ICON_RULE_SELECTOR = re.compile(r"\.fa-([a-z0-9-]+):{1,2}before")
CHARACTER = re.compile(r'"(\\[0-9a-fA-F]{1,6}|[\ue000-\uf8ff])"')
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
FONT_URLS = re.compile(r"src:url\(([^)]+?)\.woff2\)[^;}]*")


def shown_characters(css: str, classes: set[str]) -> set[int]:
    """The icon characters a stylesheet can draw, given the ``fa-...`` classes in use."""
    characters = set()
    for selectors, body in RULE.findall(css):
        found = {_code(text) for text in CHARACTER.findall(body)} & set(PRIVATE_USE)
        if not found:
            continue
        names = [ICON_RULE_SELECTOR.fullmatch(part.strip()) for part in selectors.split(",")]
        if all(names) and not any(name[1] in classes for name in names):
            continue  # an icon of Font Awesome's table that nothing shows
        characters |= found
    return characters


def _code(text: str) -> int:
    return int(text[1:], 16) if text.startswith("\\") else ord(text)


def classes_in(files: list[Path]) -> set[str]:
    """Every ``fa-...`` class name written in the given pages and scripts."""
    return {name for path in files for name in ICON_CLASS.findall(path.read_text("utf-8"))}


def subset_icon_fonts(theme_css: Path, pages_and_scripts: list[Path], stylesheets: list[Path]):
    """Cut the fonts the theme's ``@font-face`` rules name down to the icons shown, and point the
    rules at the cut fonts (WOFF, from the TrueType originals beside the WOFF2 ones)."""
    from fontTools import subset

    classes = classes_in(pages_and_scripts)
    characters = set()
    for sheet in stylesheets:
        characters |= shown_characters(sheet.read_text(encoding="utf-8"), classes)
    css = theme_css.read_text(encoding="utf-8")

    def cut(match: re.Match) -> str:
        stem = match[1]
        original, target = theme_css.parent / f"{stem}.ttf", theme_css.parent / f"{stem}.icons.woff"
        options = subset.Options()
        options.flavor = "woff"
        font = subset.load_font(str(original), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters)
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
        return f'src:url({stem}.icons.woff) format("woff")'

    theme_css.write_text(FONT_URLS.sub(cut, css), encoding="utf-8")
