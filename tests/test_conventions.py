"""Architecture rules from ARCHITECTURE.md, checked over the source tree."""

import ast
from pathlib import Path

import pytest

POLKU = Path(__file__).resolve().parent.parent / "polku"
SOURCES = [path for path in POLKU.rglob("*.py") if "migrations" not in path.parts]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_no_signal_receivers_in_polku() -> None:
    offenders = [
        str(path)
        for path in SOURCES
        if "@receiver" in (text := path.read_text(encoding="utf-8")) or ".connect(" in text
    ]

    assert offenders == []


@pytest.mark.parametrize(
    "path", sorted(POLKU.rglob("views.py")), ids=lambda path: str(path.parent.name)
)
def test_views_do_not_query_the_orm(path: Path) -> None:
    assert ".objects." not in path.read_text(encoding="utf-8")


def _public_functions(path: Path) -> list[ast.FunctionDef]:
    return [
        node
        for node in _tree(path).body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def _calls(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Attribute):
                names.add(target.attr)
            elif isinstance(target, ast.Name):
                names.add(target.id)
    return names


SERVICE_MODULES = sorted(path for path in POLKU.rglob("services.py") if path.parent.name != "audit")


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda path: str(path.parent.name))
def test_every_service_writes_an_audit_event(path: Path) -> None:
    """A public service records an audit event itself or through another function that does."""
    tree = _tree(path)
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    writers = {"record", "record_many"}  # polku.audit.services
    recording = writers
    while True:  # until no more functions are found that reach the audit writers
        found = {f.name for f in functions if recording & _calls(f)} | writers
        if found == recording:
            break
        recording = found

    silent = [
        function.name for function in _public_functions(path) if not recording & _calls(function)
    ]

    assert silent == []


def test_the_rules_engine_imports_no_django() -> None:
    engine = POLKU / "rules" / "engine"
    for path in engine.rglob("*.py"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert not (module or "").startswith("django"), path


def test_application_logs_never_format_identity_codes_or_names() -> None:
    """Log calls carry ids and codes only (privacy by design)."""
    sensitive = {"hetu", "first_names", "last_name", "full_name"}
    offenders = [
        f"{path}:{node.lineno}"
        for path in SOURCES
        for node in ast.walk(_tree(path))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"debug", "info", "warning", "error", "exception"}
            and any(
                isinstance(inner, ast.Attribute) and inner.attr in sensitive
                for argument in node.args
                for inner in ast.walk(argument)
            )
        )
    ]

    assert offenders == []
