"""The settlement's HTTP client: :class:`~pos_app.services.settlement.SettlementApi` over the
admin API, with the organiser's credentials (``pos_app.sync.organiser``).

Failures become the service's errors: no answer (connection refused, DNS, timeout) is
:class:`Offline`; no credentials, or a token the server refuses (401/403), is
:class:`NoAdminAccess`; any other refusal is :class:`Refused` with the server's code (409
``payout_conflict`` when a payout id was used with other content). Timeouts are short: the
organiser is waiting at the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import httpx

from pos_app.services.settlement import NoAdminAccess, Offline, Refused, SettlementApi
from pos_app.sync.errors import InsecureServer
from pos_app.sync.organiser import AdminError, NoCredentials, OrganiserClient, credentials

TIMEOUT: Final = httpx.Timeout(15.0, connect=5.0)


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except httpx.TimeoutException as error:
        raise Offline(f"The central server did not answer in time ({error}); what was sent "
                      "may or may not be recorded.") from error
    except httpx.ConnectError as error:
        raise Offline(f"Offline: cannot reach the central server ({error}); nothing was "
                      "sent.") from error
    except httpx.TransportError as error:
        raise Offline(f"The connection to the central server broke ({error}); what was "
                      "sent may or may not be recorded.") from error
    except AdminError as error:
        if error.status in (401, 403):
            raise NoAdminAccess("The server refused the admin token: run `pos-app admin "
                                "login` again.") from error
        message = str(error.body.get("message", "")) or str(error)
        raise Refused(error.status, error.code, message) from error


class HttpSettlementApi:
    """The admin endpoints of the settlement, one HTTP client per instance."""

    def __init__(self, url: str, token: str, *,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        self._client = OrganiserClient(url, token, timeout)

    def settlement(self, event_id: str) -> Mapping[str, Any]:
        with _translated():
            return self._client.settlement(event_id)

    def conflicts_page(self, event_id: str, after: int, limit: int,
                       consignor: int | None = None) -> Mapping[str, Any]:
        with _translated():
            return self._client.conflicts_page(event_id, after, limit, consignor)

    def record_payout(self, event_id: str, payout: Mapping[str, object]) -> Mapping[str, Any]:
        with _translated():
            return self._client.record_payout(event_id, payout)

    def statement(self, event_id: str, consignor_number: int) -> Mapping[str, Any]:
        with _translated():
            return self._client.statement(event_id, consignor_number)

    def statements_page(self, event_id: str, after: int, limit: int) -> Mapping[str, Any]:
        with _translated():
            return self._client.statements_page(event_id, after, limit)

    def resolve(self, event_id: str, resolution: Mapping[str, object]) -> Mapping[str, Any]:
        given = dict(resolution)
        conflict_id, action = int(str(given.pop("conflict_id"))), str(given.pop("action"))
        with _translated():
            return self._client.resolve(event_id, conflict_id, action, **given)

    def settle(self, event_id: str) -> Mapping[str, Any]:
        with _translated():
            return self._client.settle(event_id)

    def payouts(self, event_id: str) -> list[Mapping[str, Any]]:
        with _translated():
            return list(self._client.export(event_id, "payouts"))

    def close(self) -> None:
        self._client.close()


def connector(url: str | None = None, token: str | None = None) -> Callable[[], SettlementApi]:
    """``connect()`` for :class:`SettlementService`: the given URL and token, else the
    organiser's (environment, then keyring), read at each call."""

    def connect() -> SettlementApi:
        if url is not None and token is not None:
            return HttpSettlementApi(url, token)
        try:
            found = credentials()
        except (NoCredentials, InsecureServer) as error:
            raise NoAdminAccess(str(error)) from error
        return HttpSettlementApi(found.url, found.token)

    return connect
