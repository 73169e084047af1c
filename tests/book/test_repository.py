"""The repository's address is one setting (_config.yml) that every copy follows
(tools/repository.py): the README's badges, the landing page, the chapters' setup cells."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools import repository  # noqa: E402
from tools.colab_setup_cell import setup_cell  # noqa: E402


def test_every_copy_agrees_with_the_setting():
    assert repository.disagreements() == []


def test_setting_a_fork_rewrites_every_copy_and_nothing_else(tmp_path):
    for name in ("_config.yml", "README.md", "index.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "chapters").mkdir()
    for notebook in ROOT.glob("chapters/*.ipynb"):
        shutil.copy(notebook, tmp_path / "chapters" / notebook.name)
    old_url, branch = repository.configured(tmp_path)
    old = repository.slug(old_url)

    changed = repository.set_address("https://github.com/someone/my-course", tmp_path)

    assert repository.configured(tmp_path) == ("https://github.com/someone/my-course", branch)
    assert repository.disagreements(tmp_path) == []
    assert {path.name for path in changed} >= {"_config.yml", "README.md", "index.md"}
    for path in [tmp_path / "README.md", tmp_path / "index.md", *tmp_path.glob("chapters/*")]:
        assert old not in path.read_text(encoding="utf-8"), path.name
    cell = setup_cell("https://github.com/someone/my-course", branch)
    assert "git+https://github.com/someone/my-course@main" in cell
    # Other projects' addresses (micrograd, nbval) are left alone.
    chapters = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("chapters/*"))
    originals = "".join(p.read_text(encoding="utf-8") for p in ROOT.glob("chapters/*.ipynb"))
    for other in ("github.com/karpathy/micrograd", "github.com/computationalmodelling/nbval"):
        assert chapters.count(other) == originals.count(other)


def test_a_copy_that_disagrees_is_reported(tmp_path):
    for name in ("_config.yml", "README.md", "index.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("/blob/main/", "/blob/dev/"))
    assert [problem.split(":")[0] for problem in repository.disagreements(tmp_path)] == [
        "README.md"
    ]


def test_only_github_addresses_are_accepted():
    with pytest.raises(ValueError, match="https://github.com/OWNER/NAME"):
        repository.slug("https://gitlab.com/someone/course")
