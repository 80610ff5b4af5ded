"""Register set-up keeps the token out of the database; the context reads back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pos_app.services.context import NotConfigured, load_context
from pos_app.services.setup import MemoryTokenStore, SetupError, configure_register
from pos_app.store.engine import Database

TOKEN = "tok_live_5f2b9c0e7d1a4b3c8e6f"


def test_configure_register_stores_identity_but_never_the_token(
    database: Database, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(NotConfigured):
        load_context(database)
    tokens = MemoryTokenStore()
    context = configure_register(
        database, tokens, register_id="reg-7", event_id="evt-9", name=" Till  7 ",
        server_url="https://pos.example.org/", token=TOKEN,
    )
    assert load_context(database) == context
    assert (context.register_name, context.server_url) == ("Till 7", "https://pos.example.org")
    assert tokens.get("reg-7") == TOKEN
    assert TOKEN not in caplog.text
    database.close()
    for file in db_path.parent.glob(db_path.name + "*"):
        assert TOKEN.encode() not in file.read_bytes(), file


def test_configure_register_rejects_bad_values(database: Database) -> None:
    tokens = MemoryTokenStore()
    with pytest.raises(SetupError):
        configure_register(database, tokens, register_id=" ", event_id="e", name="x",
                           server_url=None, token=None)
    with pytest.raises(SetupError):
        configure_register(database, tokens, register_id="r", event_id="e", name="x",
                           server_url="ftp://x", token=None)
