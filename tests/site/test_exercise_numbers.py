"""The number a checker prints ("✗ Exercise 4.13 (...)") is the number the book shows.

Sphinx numbers exercises across a chapter's pages in toc order, so adding an exercise to one page
renumbers the ones after it, on later pages too. Each labelled exercise whose title carries a
number must carry the number its ``{exercise}`` directive renders with.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from site_support import SITE, require_site, site_pages

from autograd_mini.course.exercises import all_exercises

NUMBERED_TITLE = re.compile(r"^Exercise (\d+(?:\.\d+)+) ")


@pytest.fixture(scope="module", autouse=True)
def built():
    require_site()


def rendered_numbers() -> dict[str, str]:
    """label -> the number the built book gives the exercise with that label."""
    numbers = {}
    for page in site_pages():
        document = BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")
        for box in document.select("div.exercise[id]"):
            caption = box.select_one(".caption-number")
            if caption is not None:
                numbers[box["id"]] = caption.get_text().split()[-1]
    return numbers


def test_checker_titles_carry_the_rendered_exercise_numbers():
    rendered = rendered_numbers()
    assert rendered, "no numbered exercise found in the built book"
    wrong = {}
    for label, exercise in all_exercises().items():
        match = NUMBERED_TITLE.match(exercise.title)
        if match and label in rendered and match.group(1) != rendered[label]:
            wrong[label] = f"title says {match.group(1)}, the book shows {rendered[label]}"
    assert not wrong, wrong


def test_every_numbered_checker_is_rendered():
    rendered = rendered_numbers()
    missing = [
        label
        for label, exercise in all_exercises().items()
        if NUMBERED_TITLE.match(exercise.title) and label not in rendered
    ]
    assert not missing, f"exercises not found in the built book: {missing}"
