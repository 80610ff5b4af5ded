"""The register's own SQLite file is checked before anything sells from it.

A register file with blocks overwritten (anywhere, in the header, in the journal's or the
catalog's pages) is refused at ``Database.open`` and at start-up (``pos-app --db FILE``) with the
message that names ``pos-app restore``, and nothing is written to it; a file another program
holds is refused as busy; a healthy file opens and sells. The GUI's start-up checks the
catalog behind the login: no commit happens before that check passed, none after it failed.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from store_helpers import EVENT_DAY, Clock, Till, tags

from pos_app.services.context import load_context
from pos_app.services.demo import create_demo_event
from pos_app.store.engine import Database
from pos_app.store.errors import DatabaseCorrupt, DatabaseLocked, refusal_message
from pos_app.store.integrity import BackgroundCheck, Check, check_file
from tests.integration.damaged_files import (
    KINDS,
    damage,
    digest,
    exclusive_lock,
    sqlite_finds_damage,
    write_lock,
)

SALES = 40


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo register with 40 sales, closed (its WAL checkpointed into the file)."""
    path = tmp_path_factory.mktemp("damaged-template") / "register.sqlite3"
    database = Database.open(path)
    context = create_demo_event(database, items=600, seed=7, today=EVENT_DAY)
    till = Till(database, context, Clock())
    for n in range(SALES):
        till.sell(tags(1001 + n % 6, 1 + n // 6 * 2, 2))
    database.close()
    return path


@pytest.fixture
def copy(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    shutil.copy(template, path)
    return path


def _sales(path: Path) -> int:
    with closing(sqlite3.connect(path)) as raw:
        return int(raw.execute("SELECT count(*) FROM sales").fetchone()[0])


def _start_up(path: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``pos-app --db PATH`` offscreen, as a cashier would start it."""
    return subprocess.run(
        [sys.executable, "-m", "pos_app", "--db", str(path)], check=False,
        capture_output=True, text=True, timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "POS_APP_HOME": str(home),
             "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_file_is_refused_at_open_and_left_as_it_was(kind: str, copy: Path) -> None:
    damage(copy, kind)
    assert sqlite_finds_damage(copy)
    before = digest(copy)

    with pytest.raises(DatabaseCorrupt) as raised:
        Database.open(copy)

    assert raised.value.path == copy
    message = refusal_message(raised.value)
    assert "damaged" in message
    assert f"pos-app restore BACKUP_FILE --db {copy}" in message
    assert digest(copy) == before


@pytest.mark.parametrize("kind", KINDS)
def test_start_up_refuses_a_damaged_file_and_commits_nothing(kind: str, copy: Path,
                                                             tmp_path: Path) -> None:
    damage(copy, kind)
    before = digest(copy)

    done = _start_up(copy, tmp_path / "home")

    assert done.returncode == 1
    assert "The database file is damaged" in done.stderr
    assert f"pos-app restore BACKUP_FILE --db {copy}" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert digest(copy) == before


def test_start_up_on_a_file_another_program_holds_says_busy(copy: Path,
                                                             tmp_path: Path) -> None:
    with exclusive_lock(copy):
        done = _start_up(copy, tmp_path / "home")

    assert done.returncode == 1
    assert "The database is busy" in done.stderr and str(copy) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert _sales(copy) == SALES


def test_a_healthy_file_passes_both_checks_opens_and_sells(copy: Path) -> None:
    check_file(copy, Check.QUICK)
    check_file(copy, Check.FULL)
    BackgroundCheck(copy).result()

    database = Database.open(copy)
    try:
        Till(database, load_context(database), Clock()).sell(tags(1001, 40, 2))
    finally:
        database.close()

    assert _sales(copy) == SALES + 1


def test_the_background_check_hands_the_damage_to_its_caller(copy: Path) -> None:
    damage(copy, "random")
    checked = BackgroundCheck(copy)

    with pytest.raises(DatabaseCorrupt) as raised:
        checked.result()

    assert raised.value.path == copy
    assert raised.value.findings  # SQLite's own words, for the log and the message
    assert "SQLite's check found: " in refusal_message(raised.value)


def test_the_records_check_leaves_the_catalog_to_the_whole_file_check(copy: Path) -> None:
    damage(copy, "catalog")

    check_file(copy, skip_catalog=True)  # sales, journal, outbox...: sound
    with pytest.raises(DatabaseCorrupt):
        check_file(copy)


def test_the_records_check_still_refuses_damaged_records(copy: Path) -> None:
    damage(copy, "journal")

    with pytest.raises(DatabaseCorrupt) as raised:
        check_file(copy, skip_catalog=True)

    assert raised.value.path == copy


def test_no_sale_commits_before_the_whole_file_check_and_none_after_it_fails(
        copy: Path) -> None:
    damage(copy, "catalog")
    before = digest(copy)
    check_file(copy, skip_catalog=True)
    database = Database.open(copy, check=None)
    try:
        database.hold_writes_until(BackgroundCheck(copy))
        till = Till(database, load_context(database), Clock())  # reads go on meanwhile
        for _attempt in range(2):  # the refusal holds for every later commit too
            with pytest.raises(DatabaseCorrupt):
                till.sell(tags(1001, 40, 2))
    finally:
        database.close()

    assert digest(copy) == before
    assert _sales(copy) == SALES


def test_a_sale_waits_for_the_whole_file_check_and_commits_when_it_passes(copy: Path) -> None:
    database = Database.open(copy, check=None)
    try:
        checked = BackgroundCheck(copy)
        database.hold_writes_until(checked)
        Till(database, load_context(database), Clock()).sell(tags(1001, 40, 2))
        checked.result()  # passed, so the sale could commit
    finally:
        database.close()

    assert _sales(copy) == SALES + 1


def test_the_background_check_tells_each_listener_once_it_is_done(copy: Path) -> None:
    damage(copy, "catalog")
    heard: list[BaseException | None] = []
    checked = BackgroundCheck(copy)
    checked.when_done(heard.append)  # before or after it ended: either way, called once
    with pytest.raises(DatabaseCorrupt):
        checked.result()
    checked.when_done(heard.append)  # after: called at once

    assert len(heard) == 2 and all(isinstance(error, DatabaseCorrupt) for error in heard)


def test_a_missing_file_passes_the_check_and_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "register.sqlite3"
    check_file(path)
    Database.open(path).close()
    assert path.is_file()


def test_a_file_held_exclusively_by_another_program_is_refused_as_busy(copy: Path) -> None:
    with exclusive_lock(copy), pytest.raises(DatabaseLocked) as raised:
        Database.open(copy, busy_timeout_ms=100)
    message = refusal_message(raised.value)
    assert "busy" in message and str(copy) in message and "Close the other program" in message
    assert "restore" not in message
    Database.open(copy).close()  # fine once the other program lets go


def test_a_writer_holding_the_lock_does_not_stop_the_check_or_readers(copy: Path) -> None:
    with write_lock(copy):
        database = Database.open(copy, busy_timeout_ms=100)
        try:
            assert load_context(database).register_id
        finally:
            database.close()


def test_the_restore_command_in_the_message_quotes_an_awkward_path(tmp_path: Path) -> None:
    path = tmp_path / "my register's file.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)

    with pytest.raises(DatabaseCorrupt) as raised:
        Database.open(path)

    assert "pos-app restore BACKUP_FILE --db '" in refusal_message(raised.value)
