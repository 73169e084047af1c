"""The repository's address: one setting, ``repository.url`` (and ``.branch``) in _config.yml.

Everything else follows it. Jupyter Book reads it for the launch, repository, issue and edit
buttons; tools/book_sphinx.py derives the site's address (GitHub Pages), canonical URLs and sitemap
from it; tools/colab_setup_cell.py builds the Colab setup cell from it. Three places hold it as
plain text, because they are read where no build runs: the README's Binder and Colab badges, the
landing page's clone command and each chapter's setup cell. This tool rewrites them:

    python -m tools.repository https://github.com/you/course     # point every place at a fork
    python -m tools.repository --check                           # exit 1 where a copy disagrees
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "_config.yml"
GITHUB = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+?)/?")
# The files that carry the address as text, besides _config.yml.
TEXT_FILES = ("README.md", "index.md")
NOTEBOOKS = "chapters/*.ipynb"


def configured(root: Path = ROOT) -> tuple[str, str]:
    """The repository's address and branch, from _config.yml."""
    config = yaml.safe_load((root / CONFIG).read_text(encoding="utf-8"))
    repository = config["repository"]
    return repository["url"], repository.get("branch", "main")


def slug(url: str) -> str:
    """``owner/name`` of a GitHub address; ValueError for anything else."""
    match = GITHUB.fullmatch(url)
    if not match:
        raise ValueError(
            f"not a GitHub repository address: {url!r} (https://github.com/OWNER/NAME)"
        )
    return match[1]


def expected_copies(url: str, branch: str) -> dict[str, list[str]]:
    """What each text file must contain for the address and branch."""
    name = slug(url)
    return {
        "README.md": [
            f"https://mybinder.org/v2/gh/{name}/{branch}?",
            f"https://colab.research.google.com/github/{name}/blob/{branch}/",
        ],
        "index.md": [f"git clone {url}"],
    }


def disagreements(root: Path = ROOT) -> list[str]:
    """Each place whose copy of the address differs from _config.yml's."""
    from tools.colab_setup_cell import setup_cell

    url, branch = configured(root)
    problems = [
        f"{file}: no {text!r}"
        for file, texts in expected_copies(url, branch).items()
        for text in texts
        if text not in (root / file).read_text(encoding="utf-8")
    ]
    cell = setup_cell(url, branch)
    for notebook in sorted(root.glob(NOTEBOOKS)):
        import nbformat

        cells = nbformat.read(notebook, as_version=4).cells
        first_code = next((c for c in cells if c.cell_type == "code"), None)
        if first_code is not None and first_code.source != cell:
            problems.append(f"{notebook.relative_to(root)}: the setup cell is not {url}@{branch}")
    return problems


def set_address(new_url: str, root: Path = ROOT) -> list[Path]:
    """Point _config.yml and every text copy at ``new_url``; the files changed."""
    new = slug(new_url)
    old_url, _ = configured(root)
    old = slug(old_url)
    if old == new:
        return []
    old_address = re.compile(
        r"(github\.com/|/gh/|/github/)" + re.escape(old) + r"(?=[/?\"'\s)\]@]|$)"
    )
    changed = []
    for path in [root / CONFIG, *(root / f for f in TEXT_FILES), *sorted(root.glob(NOTEBOOKS))]:
        text = path.read_text(encoding="utf-8")
        updated = old_address.sub(lambda match: match[1] + new, text)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="the new address, https://github.com/OWNER/NAME")
    parser.add_argument("--check", action="store_true", help="exit 1 where a copy disagrees")
    args = parser.parse_args(argv)
    if args.url:
        try:
            changed = set_address(args.url)
        except ValueError as error:
            parser.error(str(error))
        for path in changed:
            print(f"updated {path.relative_to(ROOT)}")
    problems = disagreements()
    for problem in problems:
        print(problem)
    if not problems:
        url, branch = configured()
        print(f"repository {url} (branch {branch}): every copy agrees")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
