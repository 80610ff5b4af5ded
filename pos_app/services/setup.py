"""Register set-up: the register's identity in the database, its sync token in the OS keyring.

The token never goes into the database or a log. :class:`KeyringTokenStore` uses the OS
keyring; :class:`MemoryTokenStore` serves tests and the demo; :class:`EnvTokenStore` reads a
variable (``POS_APP_TOKEN``) on headless registers where no keyring exists.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Protocol

from pos_app.services.context import RegisterContext
from pos_app.store import people
from pos_app.store.engine import Database

KEYRING_SERVICE = "pos_app"
MAX_TOKEN_LENGTH = 512
log = logging.getLogger(__name__)


class SetupError(ValueError):
    """Set-up values that cannot be used; the message is for the manager."""


class TokenStore(Protocol):
    """Where a register's bearer token is kept (never the database)."""

    def get(self, register_id: str) -> str | None: ...

    def set(self, register_id: str, token: str) -> None: ...

    def delete(self, register_id: str) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def get(self, register_id: str) -> str | None:
        return self._tokens.get(register_id)

    def set(self, register_id: str, token: str) -> None:
        self._tokens[register_id] = token

    def delete(self, register_id: str) -> None:
        self._tokens.pop(register_id, None)


class EnvTokenStore:
    """Read-only: the token comes from an environment variable."""

    def __init__(self, variable: str = "POS_APP_TOKEN") -> None:
        self._variable = variable

    def get(self, register_id: str) -> str | None:
        return os.environ.get(self._variable) or None

    def set(self, register_id: str, token: str) -> None:
        raise SetupError(f"Set the token in the {self._variable} variable instead")

    def delete(self, register_id: str) -> None:
        raise SetupError(f"Unset the {self._variable} variable instead")


class NoKeyring(RuntimeError):
    """No OS keyring to keep the register's token in."""


class KeyringTokenStore:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self._service = service

    def get(self, register_id: str) -> str | None:
        """The stored token; with no usable keyring, ``$POS_APP_TOKEN`` (else None)."""
        import keyring
        from keyring.errors import KeyringError

        try:
            value = keyring.get_password(self._service, register_id)
        except KeyringError:
            value = None
        if isinstance(value, str):
            return value
        return EnvTokenStore().get(register_id)

    def set(self, register_id: str, token: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self._service, register_id, token)
        except KeyringError as error:
            raise NoKeyring(
                "This computer has no usable password store (keyring), so the sync token "
                "cannot be kept safely. Install one (GNOME Keyring, KWallet; built into "
                "Windows and macOS) or start the app with POS_APP_TOKEN set."
            ) from error


    def delete(self, register_id: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(self._service, register_id)


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
    register_id, event_id = register_id.strip(), event_id.strip()
    if not register_id or not event_id:
        raise SetupError("A register needs its id and its event's id")
    if server_url is not None and not server_url.startswith(("http://", "https://")):
        raise SetupError("The server address must start with http:// or https://")
    if token is not None and not (0 < len(token) <= MAX_TOKEN_LENGTH and token.isprintable()):
        raise SetupError("That token is not valid")
    row = people.RegisterRow(register_id, event_id, " ".join(name.split()) or register_id,
                             server_url.rstrip("/") if server_url else None, is_demo)
    with database.unit_of_work(immediate=True) as unit:
        people.replace_register(unit.connection, row)
        unit.commit()
    if token is not None:
        tokens.set(register_id, token)
    log.info("register %s configured for event %s (token %s)", register_id, event_id,
             "stored" if token is not None else "unchanged")
    return RegisterContext(row.id, row.event_id, row.name, row.is_demo, row.server_url)
