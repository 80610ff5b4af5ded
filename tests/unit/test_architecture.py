"""Layering rules of docs/architecture.md, checked on the source itself.

* ``pos_app.core`` imports nothing from Qt, SQLAlchemy, httpx or Alembic: checked statically
  (every ``import`` / ``from ... import`` / ``__import__`` / ``importlib.import_module`` in the
  AST) and dynamically (importing every core module in a fresh interpreter loads none of them).
  These checks always run.
* ``pos_app.store``, ``pos_app.services`` and ``pos_app.sync`` import no Qt.
* Inside ``pos_app.ui`` only ``pos_app/ui/qt.py`` imports PySide6 / shiboken6.
* Every module in ``pos_app`` has a docstring.

Packages that do not exist yet are skipped, never failed.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pos_app"
CORE = PACKAGE / "core"

QT = frozenset({"PySide6", "shiboken6"})
CORE_FORBIDDEN = QT | {"sqlalchemy", "httpx", "alembic"}
CORE_MODULES = ("money", "ids", "tags", "pricing", "cart", "tender", "sale", "journal", "wire",
                "protocol", "scanner")


def _py_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(folder.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported_roots(path: Path) -> dict[str, int]:
    """Top-level package of everything ``path`` imports, with the first line that does."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, int] = {}

    def note(name: str, line: int) -> None:
        found.setdefault(name.partition(".")[0], line)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                note(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                note(node.module, node.lineno)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else "")
            first = node.args[0]
            if (name in {"__import__", "import_module"} and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)):
                note(first.value, node.lineno)
    return found


def _violations(path: Path, forbidden: frozenset[str] | set[str]) -> list[str]:
    return [f"{_rel(path)}:{line} imports {root}"
            for root, line in sorted(imported_roots(path).items()) if root in forbidden]


def _params(files: list[Path], what: str) -> list[object]:
    if not files:
        return [pytest.param(None, id=f"no-{what}-yet")]
    return [pytest.param(path, id=_rel(path)) for path in files]


# --- the checker itself (so a broken checker cannot make the rules pass vacuously) -------------


def test_checker_sees_every_import_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "import sqlalchemy.orm as orm\n"
        "from PySide6.QtCore import Qt\n"
        "from . import sibling\n"
        "def later():\n"
        "    import httpx\n"
        "    __import__('alembic.command')\n"
        "    importlib.import_module('shiboken6')\n"
        "try:\n"
        "    from json import dumps\n"
        "except ImportError:\n"
        "    pass\n",
        encoding="utf-8",
    )
    assert imported_roots(sample) == {
        "os": 1, "sqlalchemy": 2, "PySide6": 3, "httpx": 6, "alembic": 7, "shiboken6": 8,
        "json": 10,
    }


# --- core: always runs -------------------------------------------------------------------------


def test_core_package_has_every_domain_module() -> None:
    present = {path.stem for path in CORE.glob("*.py")}
    assert set(CORE_MODULES) <= present


@pytest.mark.parametrize("path", _py_files(CORE), ids=_rel)
def test_core_module_imports_no_framework(path: Path) -> None:
    assert _violations(path, CORE_FORBIDDEN) == []


@pytest.mark.parametrize("path", _py_files(CORE), ids=_rel)
def test_core_module_imports_only_core_from_pos_app(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        f"{_rel(path)}:{node.lineno} imports {node.module}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
        and node.module.split(".")[0] == "pos_app"
        and not node.module.startswith("pos_app.core")
    ] + [
        f"{_rel(path)}:{node.lineno} imports {'.' * node.level}{node.module or ''} (outside core)"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level >= 2
    ] + [
        f"{_rel(path)}:{node.lineno} imports {alias.name}"
        for node in ast.walk(tree) if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.split(".")[0] == "pos_app" and not alias.name.startswith("pos_app.core")
    ]
    assert bad == []


def test_importing_core_loads_no_framework() -> None:
    modules = [_module_name(path) for path in _py_files(CORE)]
    assert "pos_app.core.money" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"roots = {sorted(CORE_FORBIDDEN)!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in roots)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


# --- store / services / sync: no Qt --------------------------------------------------------------

_NO_QT_FILES = [path for package in ("store", "services", "sync")
                for path in _py_files(PACKAGE / package)]


@pytest.mark.parametrize("path", _params(_NO_QT_FILES, "store-services-sync"))
def test_non_ui_layers_import_no_qt(path: Path | None) -> None:
    if path is None:
        pytest.skip("pos_app/store, services and sync do not exist yet")
    assert _violations(path, QT) == []


# --- ui: Qt only through pos_app/ui/qt.py --------------------------------------------------------

_UI_FILES = [path for path in _py_files(PACKAGE / "ui") if path != PACKAGE / "ui" / "qt.py"]


@pytest.mark.parametrize("path", _params(_UI_FILES, "ui"))
def test_ui_imports_qt_only_through_qt_module(path: Path | None) -> None:
    if path is None:
        pytest.skip("pos_app/ui has no modules yet")
    assert _violations(path, QT) == []


# --- docstrings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _py_files(PACKAGE), ids=_rel)
def test_every_module_has_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{_rel(path)} has no module docstring"
