"""Layering rules of docs/architecture.md, checked on the source itself.

* ``pos_app.core`` imports nothing from Qt, SQLAlchemy, httpx or Alembic: checked statically
  (every ``import`` / ``from ... import`` / ``__import__`` / ``importlib.import_module`` in the
  AST) and dynamically (importing every core module in a fresh interpreter loads none of them).
  These checks always run.
* Each layer imports only the layers under it (core <- store <- services <- sync <- ui) and
  none of the frameworks it must not touch: SQL (SQLAlchemy, Alembic) only in ``store``, httpx
  only in ``sync``, Qt only in ``pos_app/ui/qt.py``.
* No import cycles among pos_app's modules, counting imports inside functions.
* Every module in ``pos_app`` has a docstring.

Each checker is itself shown to fail on a deliberately bad tree; nothing here skips.
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


# --- layers: what each package may import -------------------------------------------------------

LAYER_FORBIDDEN: dict[str, frozenset[str]] = {
    "core": CORE_FORBIDDEN,
    "store": QT | {"httpx"},
    "services": QT | {"sqlalchemy", "alembic", "httpx"},
    "sync": QT | {"sqlalchemy", "alembic"},
    "ui": {"sqlalchemy", "alembic", "httpx"},
}
# Which pos_app packages each layer may import (core <- store <- services <- sync <- ui).
LAYER_MAY_USE: dict[str, frozenset[str]] = {
    "core": frozenset({"core"}),
    "store": frozenset({"core", "store"}),
    "services": frozenset({"core", "store", "services"}),
    "sync": frozenset({"core", "store", "services", "sync"}),
    "ui": frozenset({"core", "store", "services", "sync", "ui"}),
}
QT_MODULE = Path("ui") / "qt.py"


def pos_app_imports(path: Path, package: str) -> dict[str, int]:
    """Modules of ``package`` that ``path`` imports (absolute and relative), with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = list(path.with_suffix("").parts)
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here[:-node.level]
                base = ".".join([*anchor[anchor.index(package):], *([base] if base else [])]) \
                    if package in anchor else base
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] == package:
                found.setdefault(name, node.lineno)
    return found


def layer_violations(package_dir: Path) -> list[str]:
    """Every import in ``package_dir`` that breaks the layer rules above."""
    package = package_dir.name
    problems: list[str] = []
    for layer, forbidden in LAYER_FORBIDDEN.items():
        for path in _py_files(package_dir / layer):
            rel = path.relative_to(package_dir)
            banned = forbidden | (QT if layer == "ui" and rel != QT_MODULE else frozenset())
            problems += [f"{rel}:{line} imports {root}"
                         for root, line in sorted(imported_roots(path).items()) if root in banned]
            for name, line in sorted(pos_app_imports(path, package).items()):
                parts = name.split(".")
                if len(parts) > 1 and parts[1] in LAYER_MAY_USE and \
                        parts[1] not in LAYER_MAY_USE[layer]:
                    problems.append(f"{rel}:{line} imports {name} (a {parts[1]} module)")
    return problems


def import_cycles(package_dir: Path) -> list[list[str]]:
    """Cycles among the modules of ``package_dir``, counting imports inside functions too."""
    package = package_dir.name
    modules = {".".join(p.relative_to(package_dir.parent).with_suffix("").parts)
               .removesuffix(".__init__"): p for p in _py_files(package_dir)}
    graph = {name: sorted({target for imported in pos_app_imports(path, package)
                           for target in (imported, imported.rpartition(".")[0])
                           if target in modules and target != name
                           and not target.endswith("__init__") and target != package})
             for name, path in modules.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in graph[node]:
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return cycles


def test_the_layers_keep_their_rules() -> None:
    assert layer_violations(PACKAGE) == []


def test_no_import_cycles() -> None:
    assert import_cycles(PACKAGE) == []


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_the_layer_check_catches_a_bad_module(tmp_path: Path) -> None:
    """The rules fail when broken: a deliberately bad tree shows each kind of breach."""
    package = _write(tmp_path, {
        "__init__.py": "", "ui/__init__.py": "", "ui/qt.py": "from PySide6 import QtCore\n",
        "ui/screen.py": "from PySide6.QtWidgets import QLabel\nfrom sqlalchemy import select\n",
        "services/__init__.py": "",
        "services/report.py": "def f():\n    from sqlalchemy import text\n"
                              "    from pkg.ui import screen\n",
        "sync/__init__.py": "", "sync/push.py": "from ..store import sql\nimport sqlalchemy\n",
        "store/__init__.py": "", "store/sql.py": "import httpx\n",
        "core/__init__.py": "", "core/money.py": "from pkg.services import report\n",
    })
    assert layer_violations(package) == [
        "core/money.py:1 imports pkg.services (a services module)",
        "core/money.py:1 imports pkg.services.report (a services module)",
        "store/sql.py:1 imports httpx",
        "services/report.py:2 imports sqlalchemy",
        "services/report.py:3 imports pkg.ui (a ui module)",
        "services/report.py:3 imports pkg.ui.screen (a ui module)",
        "sync/push.py:2 imports sqlalchemy",
        "ui/screen.py:1 imports PySide6",
        "ui/screen.py:2 imports sqlalchemy",
    ]


def test_the_cycle_check_catches_a_cycle_through_a_lazy_import(tmp_path: Path) -> None:
    package = _write(tmp_path, {
        "__init__.py": "", "app.py": "from pkg.ui import launch\n",
        "ui/__init__.py": "", "ui/launch.py": "from pkg.ui.wiring import build\n",
        "ui/wiring.py": "def build():\n    from pkg.app import start\n",
        "selftest.py": "import pkg.app\n",
    })
    assert import_cycles(package) == [["pkg.app", "pkg.ui.launch", "pkg.ui.wiring", "pkg.app"]]


# --- docstrings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", _py_files(PACKAGE), ids=_rel)
def test_every_module_has_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{_rel(path)} has no module docstring"
