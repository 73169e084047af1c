"""The core's import convention: imports at the top of a module; the imports that must wait until
the module is complete (because those modules import it) in one block at its end, under the comment
LATE_IMPORTS; none inside functions. The widgets and course helpers are not the core."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).parents[2] / "autograd_mini"
MODULES = sorted([*CORE.glob("*.py"), *CORE.glob("ops/*.py")])
LATE_IMPORTS = (
    "# Late imports: these modules import this one, so they are loaded once it is complete."
)


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.Import | ast.ImportFrom)


def _is_type_checking_block(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(CORE)) for p in MODULES])
def test_imports_sit_at_the_top_or_in_the_one_late_block(path):
    source = path.read_text()
    body = ast.parse(source).body
    inside_functions = [
        node.lineno
        for function in ast.walk(ast.parse(source))
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if _is_import(node)
    ]
    assert not inside_functions, f"imports inside functions at lines {inside_functions}"
    heading = [
        i == 0
        and isinstance(node, ast.Expr)  # the docstring
        or _is_import(node)
        or _is_type_checking_block(node)
        for i, node in enumerate(body)
    ]
    first_code = heading.index(False) if False in heading else len(body)
    late = [node for node in body[first_code:] if _is_import(node)]
    if late:
        lines = source.splitlines()
        assert lines[late[0].lineno - 2] == LATE_IMPORTS
        assert body[-len(late) :] == late, "the late imports form one block at the end"


def test_tensor_py_keeps_to_data_printing_hooks_and_operators():
    """Views, in-place changes and version counting live in views.py, conversions in devices.py,
    operand rules in operands.py: tensor.py stays small enough to read whole (issue 12)."""
    lines = (CORE / "tensor.py").read_text().count("\n")
    assert lines <= 450, f"tensor.py has {lines} lines: give the new mechanism a module of its own"
