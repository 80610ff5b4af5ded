"""The organiser's client of the admin API: the developer tool's calls plus listings and
enrollment codes (``worker/src/enroll.ts``), and where the admin URL and token come from.

The URL and the admin token come from ``POS_ADMIN_URL`` / ``POS_ADMIN_TOKEN``, else from the
OS keyring (``pos-app admin login`` puts them there); never from the command line, where
other users and the shell history would see them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Final

from pos_app.devtools.admin_client import AdminClient, AdminError
from pos_app.sync.client import require_secure

KEYRING_SERVICE: Final = "pos_app-admin"
URL_ENV, TOKEN_ENV = "POS_ADMIN_URL", "POS_ADMIN_TOKEN"

__all__ = ["AdminError", "Credentials", "NoCredentials", "OrganiserClient", "credentials",
           "store_credentials"]


class NoCredentials(RuntimeError):
    """No admin URL or token in the environment or the keyring; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Credentials:
    url: str
    token: str = ""

    def __repr__(self) -> str:  # never show the token
        return f"Credentials(url={self.url!r})"


def credentials() -> Credentials:
    """The admin URL and token: environment first, then the keyring."""
    url, token = os.environ.get(URL_ENV, ""), os.environ.get(TOKEN_ENV, "")
    if not (url and token):
        stored_url, stored_token = _from_keyring()
        url, token = url or stored_url, token or stored_token
    if not url or not token:
        raise NoCredentials(
            "No admin server or token: run `pos-app admin login --url https://YOUR-WORKER` "
            f"(it keeps them in the keyring), or set {URL_ENV} and {TOKEN_ENV}.")
    return Credentials(require_secure(url), token)


def _from_keyring() -> tuple[str, str]:
    import keyring
    from keyring.errors import KeyringError

    try:
        url = keyring.get_password(KEYRING_SERVICE, "url") or ""
        token = keyring.get_password(KEYRING_SERVICE, "token") or ""
    except KeyringError:
        return "", ""
    return url, token


def store_credentials(url: str, token: str) -> None:
    """Keep the admin URL and token in the OS keyring (KeyringError if there is none)."""
    import keyring

    keyring.set_password(KEYRING_SERVICE, "url", require_secure(url))
    keyring.set_password(KEYRING_SERVICE, "token", token)


class OrganiserClient(AdminClient):
    def __enter__(self) -> OrganiserClient:
        return self

    def list_events(self) -> list[dict[str, Any]]:
        events = self._call("GET", "/v1/admin/events")["events"]
        return [dict(event) for event in events]

    def list_registers(self, event_id: str) -> list[dict[str, Any]]:
        reply = self._call("GET", f"/v1/admin/events/{event_id}/registers")
        return [dict(row) for row in reply["registers"]]

    def statement(self, event_id: str, consignor_number: int) -> dict[str, Any]:
        """One consignor's statement: their settlement row, items sold, refunds, payouts."""
        return self._call("GET",
                          f"/v1/admin/events/{event_id}/consignors/{consignor_number}/statement")

    def statements_page(self, event_id: str, after: int, limit: int) -> dict[str, Any]:
        """The statements of the next ``limit`` consignors numbered after ``after``, and the
        ``next_after`` to ask for (None after the last page)."""
        return self._call("GET", f"/v1/admin/events/{event_id}/statements",
                          params={"after": after, "limit": limit})

    def enrollment_code(self, register_id: str) -> dict[str, Any]:
        """A new single-use code for the register (any older unused one stops working)."""
        return self._call("POST", f"/v1/admin/registers/{register_id}/enrollment")
