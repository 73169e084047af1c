"""The canonical first code cell of every chapter notebook.

Colab (and any fresh environment) opens one notebook without the rest of the repository, so each
chapter starts by installing ``autograd_mini`` when it is missing; where the package is already
importable (``make lab``, Binder, the book build) the cell does nothing and prints nothing.

Chapter authors: ``from tools.colab_setup_cell import SETUP_CELL`` and use it verbatim as the source
of the first code cell. tests/book/test_notebooks.py checks that every chapter starts with it. The
address it installs from is the repository setting in _config.yml (see tools/repository.py).
"""

from tools.repository import configured


def setup_cell(repository_url: str, branch: str) -> str:
    """The setup cell's source for a repository address and branch."""
    return f"""\
# Setup for Colab or any fresh environment: install the course package if it is missing.
import importlib.util

if importlib.util.find_spec("autograd_mini") is None:
    %pip install --quiet "autograd_mini @ git+{repository_url}@{branch}\""""


REPOSITORY_URL, BRANCH = configured()
SETUP_CELL = setup_cell(REPOSITORY_URL, BRANCH)
