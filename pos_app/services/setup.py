"""Register set-up: the register's identity in the database, its sync token in the OS keyring.

The token never goes into the database or a log. :class:`KeyringTokenStore` uses the OS
keyring; :class:`MemoryTokenStore` serves tests and CI; :class:`EnvTokenStore` reads a
variable (``POS_APP_TOKEN``) for headless registers where no keyring exists.
"""

from __future__ import annotations

import os
from typing import Protocol

from sqlalchemy import delete, insert

from pos_app.services.context import RegisterContext
from pos_app.store import models
from pos_app.store.engine import Database

KEYRING_SERVICE = "pos_app"


class TokenStore(Protocol):
    def get(self, register_id: str) -> str | None: ...

    def set(self, register_id: str, token: str) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def get(self, register_id: str) -> str | None:
        return self._tokens.get(register_id)

    def set(self, register_id: str, token: str) -> None:
        self._tokens[register_id] = token


class EnvTokenStore:
    def __init__(self, variable: str = "POS_APP_TOKEN") -> None:
        self._variable = variable

    def get(self, register_id: str) -> str | None:
        return os.environ.get(self._variable) or None

    def set(self, register_id: str, token: str) -> None:
        raise RuntimeError(f"Set the token in ${self._variable} instead")


class KeyringTokenStore:
    def get(self, register_id: str) -> str | None:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, register_id)
        return value if isinstance(value, str) else None

    def set(self, register_id: str, token: str) -> None:
        import keyring

        keyring.set_password(KEYRING_SERVICE, register_id, token)


def configure_register(
    database: Database,
    tokens: TokenStore,
    *,
    register_id: str,
    event_id: str,
    name: str,
    server_url: str | None,
    token: str | None,
    is_demo: bool = False,
) -> RegisterContext:
    """Record this register's identity (replacing any) and keep its token in ``tokens``."""
    registers = models.table_of(models.Register)
    with database.unit_of_work() as unit:
        unit.connection.execute(delete(registers))
        unit.connection.execute(insert(registers), [{
            "id": register_id, "event_id": event_id, "name": name, "server_url": server_url,
            "is_demo": is_demo,
        }])
        unit.commit()
    if token:
        tokens.set(register_id, token)
    return RegisterContext(register_id, event_id, name, is_demo, server_url)
