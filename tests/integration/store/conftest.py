"""Fixtures for the store tests: a real SQLite file per test, a small demo event, a clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import EVENT_DAY, Clock, Till

from pos_app.services.context import RegisterContext
from pos_app.services.demo import create_demo_event
from pos_app.store.engine import Database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    database = Database.open(db_path)
    yield database
    database.close()


@pytest.fixture
def context(database: Database) -> RegisterContext:
    return create_demo_event(database, items=600, seed=7, today=EVENT_DAY)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def till(database: Database, context: RegisterContext, clock: Clock) -> Till:
    return Till(database, context, clock)
