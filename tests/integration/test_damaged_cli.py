"""Every ``pos-app`` command on a damaged or held register file: one clear message, never a
traceback.

The files are real registers with blocks overwritten from a seeded RNG (anywhere, the header,
the journal's pages; see ``damaged_files.py``) or held by a second connection. Each command
prints the message that names ``pos-app restore`` (or says the file is busy), exits 1, and
leaves the file and the destination as they were; ``sync --once`` pushes nothing to the real
local Worker. ``pos-app restore`` is the way back, and a healthy file still works.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # labels imports Qt

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pos_app.__main__ import COMMANDS as COMMAND_TABLE
from pos_app.__main__ import main
from pos_app.devtools.admin_client import AdminClient, dates_around_today
from pos_app.devtools.local_worker import LocalWorker
from pos_app.devtools.outbox_filler import OutboxFiller
from pos_app.services.context import load_context
from pos_app.services.demo import create_demo_event
from pos_app.services.setup import MemoryTokenStore, configure_register
from pos_app.store.engine import Database
from tests.integration.damaged_files import (
    KINDS,
    damage,
    digest,
    exclusive_lock,
    sqlite_finds_damage,
    write_lock,
)
from tests.integration.store.store_helpers import Clock, Till

EVENT_DAY = date(2026, 11, 21)
TOKEN_VARIABLE = "POS_APP_DAMAGED_TEST_TOKEN"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("damaged-cli") / "register.sqlite3"
    database = Database.open(path)
    create_demo_event(database, items=300, today=EVENT_DAY)
    till = Till(database, load_context(database), Clock(datetime(2026, 11, 20, 15, tzinfo=UTC)))
    for n in range(1, 13):
        till.sell([f"1001-{n:04d}", f"1002-{n:04d}"])
    database.close()
    return path


@pytest.fixture
def db_path(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    shutil.copy(template, path)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _command(name: str, tmp_path: Path) -> list[str | Path]:
    """The command line of ``name`` (without --db), its output going under ``tmp_path/out``."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return {
        "verify": ["verify"],
        "report": ["report"],
        "report --csv": ["report", "--csv", out],
        "backup": ["backup", out],
        "labels": ["labels", out / "tags.pdf", "--consignor", "1001"],
        "sync status": ["sync", "status"],
        "sync --once": ["sync", "--once"],
    }[name]


COMMANDS = ("verify", "report", "report --csv", "backup", "labels", "sync status", "sync --once")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_on_a_damaged_file_names_restore_and_exits_1(
        name: str, kind: str, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    damage(db_path, kind)
    assert sqlite_finds_damage(db_path)
    before = digest(db_path)

    status, out, err = _run(capsys, *_command(name, tmp_path), "--db", db_path)

    assert status == 1
    assert "The database file is damaged" in err
    assert f"pos-app restore BACKUP_FILE --db {db_path}" in err
    assert "Traceback" not in out + err
    assert digest(db_path) == before
    assert list((tmp_path / "out").iterdir()) == []  # no partial backup, CSV or PDF


def test_restore_brings_a_damaged_register_back(db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    assert _run(capsys, "backup", backups, "--db", db_path)[0] == 0
    (backup,) = backups.iterdir()
    damage(db_path, "journal")

    status, out, _err = _run(capsys, "restore", backup, "--db", db_path)

    assert status == 0 and "the previous file is kept as" in out
    status, out, err = _run(capsys, "verify", "--db", db_path)
    assert (status, err) == (0, "")
    assert out.splitlines() == ["database file passes SQLite's integrity check",
                                "journal chain verifies"]


def test_verify_without_a_database_says_so_and_creates_none(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "register.sqlite3"

    status, out, err = _run(capsys, "verify", "--db", missing)

    assert (status, out) == (1, "")
    assert f"no database at {missing}" in err
    assert not missing.parent.exists()


def open_and_count(argv: list[str]) -> int:
    """A command that handles no database condition itself (``_run``'s net must)."""
    database = Database.open(Path(argv[0]))
    database.close()
    return 0


def test_a_command_that_lets_the_condition_through_still_gets_the_message(
        db_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(COMMAND_TABLE, "probe", f"{__name__}:open_and_count")
    damage(db_path, "header")

    status, out, err = _run(capsys, "probe", db_path)

    assert (status, out) == (1, "")
    assert f"pos-app restore BACKUP_FILE --db {db_path}" in err


def test_verify_reports_a_journal_payload_changed_on_disk(
        db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes that SQLite's own check cannot see (text that is not UTF-8) are damage too."""
    with closing(sqlite3.connect(db_path)) as raw:
        raw.execute("UPDATE journal SET payload = CAST(x'7b22ff22' AS TEXT) WHERE seq = 3")
        raw.commit()
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    status, out, err = _run(capsys, "verify", "--db", db_path)

    assert (status, out) == (1, "")
    assert f"pos-app restore BACKUP_FILE --db {db_path}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["verify", "report", "backup", "sync status"])
def test_a_command_on_a_file_held_by_another_program_says_busy(
        name: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with exclusive_lock(db_path):
        status, out, err = _run(capsys, *_command(name, tmp_path), "--db", db_path)

    assert status == 1
    assert "The database is busy" in err and str(db_path) in err
    assert "Close the other program" in err
    assert "Traceback" not in out + err
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("name", ["verify", "report", "backup"])
def test_reading_commands_work_while_another_connection_writes(
        name: str, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with write_lock(db_path):
        status, out, err = _run(capsys, *_command(name, tmp_path), "--db", db_path)

    assert (status, err) == (0, "")
    assert out


# --- sync --once against the real local Worker -----------------------------------------------


def _synced_register(worker: LocalWorker, path: Path, register_id: str,
                     monkeypatch: pytest.MonkeyPatch) -> OutboxFiller:
    """A register of its own event on the Worker, with three sales waiting in its outbox."""
    event = f"{register_id}-event"
    with AdminClient(worker.url, worker.admin_token) as admin:
        # The filler's sales carry today's clock: the ledger refuses dates outside the event.
        admin.put_event(event, name="Damaged files", **dates_around_today())
        token = admin.create_register(event, register_id)
    database = Database.open(path)
    configure_register(database, MemoryTokenStore(), register_id=register_id, event_id=event,
                       name=register_id, server_url=worker.url, token=token)
    filler = OutboxFiller(event, register_id, lines=2)
    filler.fill(database, 3)
    database.close()
    monkeypatch.setenv(TOKEN_VARIABLE, token)
    return filler


def _central_sales(worker: LocalWorker, filler: OutboxFiller) -> list[str]:
    with AdminClient(worker.url, worker.admin_token) as admin:
        return [str(row["id"]) for row in admin.export(filler.event, "sales")]


@pytest.mark.worker
@pytest.mark.parametrize("kind", KINDS)
def test_sync_once_on_a_damaged_file_pushes_nothing(
        kind: str, local_worker: LocalWorker, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "register.sqlite3"
    filler = _synced_register(local_worker, path, f"damaged-{kind}", monkeypatch)
    damage(path, kind)
    assert sqlite_finds_damage(path)
    before = digest(path)

    status, out, err = _run(capsys, "sync", "--once", "--db", path,
                            "--token-env", TOKEN_VARIABLE)

    assert status == 1
    assert f"pos-app restore BACKUP_FILE --db {path}" in err
    assert "Traceback" not in out + err
    assert digest(path) == before
    assert _central_sales(local_worker, filler) == []


@pytest.mark.worker
def test_sync_once_while_another_program_writes_says_busy_then_syncs_once(
        local_worker: LocalWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "register.sqlite3"
    filler = _synced_register(local_worker, path, "held-register", monkeypatch)
    argv = ("sync", "--once", "--db", path, "--token-env", TOKEN_VARIABLE)

    with write_lock(path):
        status, out, err = _run(capsys, *argv)

    assert status == 1
    assert "The database is busy" in err and "Traceback" not in out + err
    status, out, err = _run(capsys, *argv)
    assert status == 0, err
    assert "pending: 0" in out
    assert sorted(_central_sales(local_worker, filler)) == sorted(filler.sale_ids)
