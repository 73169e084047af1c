"""Binder and Colab configuration, checked statically (nothing here reaches the network).

Binder builds the repository with repo2docker from binder/ (which then ignores root config files);
Colab opens one notebook on its own, so each chapter installs autograd_mini when it is missing.
The launch buttons of the built pages must point at the one repository and branch of _config.yml.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tools/ package

from tools.colab_setup_cell import BRANCH, REPOSITORY_URL, SETUP_CELL  # noqa: E402
from tools.normalize_notebooks import chapter_notebooks  # noqa: E402

BINDER = ROOT / "binder"
SITE = ROOT / "_build" / "html"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def pins(path: Path) -> dict[str, str]:
    """name -> exact version of every `name==version` line of a requirements file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*([A-Za-z0-9_.\-\[\]]+)==(\S+)\s*(?:#.*)?", line)
        if match:
            found[match[1].lower()] = match[2]
    return found


def test_binder_uses_python_3_11():
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def test_binder_torch_is_the_cpu_only_wheel_of_the_pinned_version():
    text = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    binder, root = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert re.search(rf"^--(extra-)?index-url {re.escape(CPU_INDEX)}\s*$", text, re.M)
    assert binder["torch"] == root["torch"].split("+")[0] + "+cpu"
    unpinned = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith(("#", "-")) and "==" not in line
    ]
    assert not unpinned, f"binder requirements must pin exactly: {unpinned}"


def test_binder_versions_match_the_root_requirements():
    binder, root = pins(BINDER / "requirements.txt"), pins(ROOT / "requirements.txt")
    differ = {
        name: (version, root.get(name))
        for name, version in binder.items()
        if name != "torch" and version != root.get(name)
    }
    assert not differ, f"binder/requirements.txt vs requirements.txt: {differ}"
    for needed in ("numpy", "matplotlib", "ipywidgets", "ipykernel"):
        assert needed in binder, f"{needed} missing from binder/requirements.txt"


def test_root_requirements_do_not_use_the_unreachable_cpu_index():
    assert CPU_INDEX not in (ROOT / "requirements.txt").read_text(encoding="utf-8")


def test_binder_installs_autograd_mini():
    post_build = BINDER / "postBuild"
    assert post_build.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"
    assert re.search(r"pip install .*-e \.", post_build.read_text(encoding="utf-8"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "autograd_mini"' in pyproject and 'requires-python = ">=3.11"' in pyproject


def test_repository_is_set_once_and_used_by_the_colab_cell():
    assert CONFIG["repository"]["url"] == REPOSITORY_URL
    assert CONFIG["repository"]["branch"] == BRANCH == "main"
    assert f"git+{REPOSITORY_URL}@{BRANCH}" in SETUP_CELL


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_notebook_opens_with_the_setup_cell_and_a_python3_kernel(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.kernelspec.language == "python"
    first_code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert first_code.source == SETUP_CELL, "first code cell must be tools/colab_setup_cell.py"
    assert first_code.outputs == [], "the setup cell prints nothing where autograd_mini exists"


def launch_links(page: Path) -> set[str]:
    return set(re.findall(r'href="(https://[^"]+)"', page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_built_chapter_has_launch_and_repository_buttons(path):
    page = SITE / "chapters" / (path.stem + ".html")
    if not page.is_file():
        message = f"{page} not built: run `make build` first"
        if os.environ.get("BOOK_REQUIRE_BUILD") == "1":
            pytest.fail(message)
        pytest.skip(message)
    repo, branch = CONFIG["repository"]["url"], CONFIG["repository"]["branch"]
    slug = repo.removeprefix("https://github.com/")
    notebook = f"chapters/{path.name}"
    expected = {
        "Binder": f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=lab/tree/{notebook}",
        "Colab": f"https://colab.research.google.com/github/{slug}/blob/{branch}/{notebook}",
        "repository": repo,
        "edit": f"{repo}/edit/{branch}/{notebook}",
    }
    links = launch_links(page)
    missing = {name: url for name, url in expected.items() if url not in links}
    assert not missing, f"{page.name} lacks buttons: {missing}"
    assert any(link.startswith(f"{repo}/issues/new") for link in links), "no issue button"
    assert not any("/master/" in link or "executablebooks" in link for link in links)
