"""The engine is pure Python: standard library, PyYAML and itself only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE_DIR = Path(__file__).resolve().parent.parent / "engine"
ALLOWED_THIRD_PARTY = {"yaml"}


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", sorted(ENGINE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_engine_module_imports_no_django_and_no_other_polku_package(path: Path) -> None:
    for module in _imported_modules(path):
        top = module.split(".")[0]
        if top == "polku":
            assert module.startswith("polku.rules.engine"), module
        else:
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, module
