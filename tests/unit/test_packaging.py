"""The wheel's package list covers every package in the tree, and resources/ ships in it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    section: dict[str, object] = config["tool"]["setuptools"]
    return section


def test_every_package_in_the_tree_is_listed() -> None:
    in_tree = {".".join(init.parent.relative_to(ROOT).parts)
               for init in (ROOT / "pos_app").rglob("__init__.py")}
    listed = set(_setuptools()["packages"])  # type: ignore[call-overload]
    assert listed == in_tree | {"pos_app.resources"}


def test_resources_ship_as_pos_app_resources() -> None:
    assert _setuptools()["package-dir"] == {"pos_app.resources": "resources"}
    for folder in ("icons", "sounds"):
        assert any((ROOT / "resources" / folder).iterdir()), folder
    assert (ROOT / "resources" / "pos-app.desktop").is_file()
