"""The register's settings file: defaults, round trip, refusals, and a damaged file set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos_app.core.scanner import ScannerConfig
from pos_app.services.settings import RegisterSettings, SettingsError, SettingsStore


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert SettingsStore(tmp_path / "settings.json").load() == RegisterSettings()
    assert RegisterSettings().scanner() == ScannerConfig()


def test_saved_settings_come_back_and_drive_the_scanner(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "pos" / "settings.json")
    wanted = RegisterSettings(printer_name="  Star TSP100  ", receipt_dir=" ", sounds=False,
                              scanner_prefix="]C", scanner_suffix="\t", scanner_max_gap_ms=50)

    written = store.save(wanted)

    assert written.printer_name == "Star TSP100" and written.receipt_dir is None
    assert store.load() == written
    assert written.scanner() == ScannerConfig(max_gap_s=0.05, prefix="]C", suffix="\t")
    assert not list(store.path.parent.glob("*.partial"))


@pytest.mark.parametrize(("change", "message"), [
    ({"scanner_suffix": "\n"}, "Enter or Tab"),
    ({"scanner_max_gap_ms": 4}, "5-200 ms"),
    ({"scanner_max_gap_ms": 201}, "5-200 ms"),
    ({"scanner_prefix": "123456789"}, "at most 8"),
    ({"scanner_prefix": "\x1b["}, "printable"),
])
def test_settings_that_cannot_work_are_refused_and_nothing_is_written(
        tmp_path: Path, change: dict[str, object], message: str) -> None:
    store = SettingsStore(tmp_path / "settings.json")
    store.save(RegisterSettings(sounds=False))

    with pytest.raises(SettingsError, match=message):
        store.save(RegisterSettings(**change))  # type: ignore[arg-type]

    assert store.load() == RegisterSettings(sounds=False)


@pytest.mark.parametrize("content", [
    "{not json", "[]", json.dumps({"sounds": "yes"}), json.dumps({"scanner_max_gap_ms": True}),
    json.dumps({"printer_name": 7}), json.dumps({"scanner_suffix": "x"}),
])
def test_a_damaged_file_is_set_aside_and_the_defaults_used(tmp_path: Path,
                                                            content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")

    assert SettingsStore(path).load() == RegisterSettings()
    assert not path.exists()
    assert (tmp_path / "settings.json.damaged").read_text(encoding="utf-8") == content


def test_keys_missing_from_an_older_file_take_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"printer_name": "Front desk", "retired_key": 1}),
                    encoding="utf-8")

    assert SettingsStore(path).load() == RegisterSettings(printer_name="Front desk")
