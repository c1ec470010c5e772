"""The layer rules of DESIGN.md, checked by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"states", "storage", "notifications", "workflow", "ncpflow"}
FRAMEWORKS = {"sqlmodel", "sqlalchemy", "jinja2", "apscheduler", "structlog", "typer", "fastapi",
              "rich", "alembic", "psycopg", "pydantic"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", modules("states"), ids=lambda p: p.name)
def test_states_imports_nothing_of_ours_and_no_framework(path: Path) -> None:
    """The core is pure: no outer layer, no I/O framework; transitions only in machine.py."""
    found = imports(path)
    assert not found & (OURS - {"states"})
    assert not found & FRAMEWORKS
    if path.name != "machine.py":
        assert "transitions" not in found


@pytest.mark.parametrize("path", modules("storage") + modules("notifications"),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_adapters_import_only_the_core(path: Path) -> None:
    """storage/ and notifications/ know states/, and not each other or the use cases."""
    assert not imports(path) & (OURS - {"states", path.relative_to(ROOT).parts[0]})


@pytest.mark.parametrize("path", modules("workflow"), ids=lambda p: p.name)
def test_only_bootstrap_wires_the_adapters(path: Path) -> None:
    """workflow/ reaches storage/ and notifications/ through bootstrap.py alone."""
    adapters = imports(path) & {"storage", "notifications"}
    assert path.name == "bootstrap.py" or not adapters
    assert "ncpflow" not in imports(path)


@pytest.mark.parametrize("path", modules("ncpflow"), ids=lambda p: p.name)
def test_entry_points_go_through_workflow(path: Path) -> None:
    """ncpflow/ never touches the adapters directly."""
    assert not imports(path) & {"storage", "notifications"}
