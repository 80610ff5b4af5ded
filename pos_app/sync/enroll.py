"""Enrollment at first contact: exchange the ticket's single-use code for the register's token.

``POST {server}/v1/enroll {"code"}`` answers the register's id, event and name and a new
long-lived token, once; a used, expired or replaced code is refused (410) and so is a revoked
register. The token goes straight to the caller (who keeps it in the keyring), never to a log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import httpx

from pos_app.services.enrollment import EnrollmentTicket
from pos_app.sync.client import require_secure
from pos_app.sync.errors import SyncError

TIMEOUT: Final = httpx.Timeout(20.0, connect=5.0)


class EnrollmentRefused(SyncError):
    """The server would not exchange the code; the message is for the person at the till."""


@dataclass(frozen=True, slots=True)
class Enrolled:
    register_id: str
    event_id: str
    name: str
    token: str


def exchange(ticket: EnrollmentTicket, *,
             transport: httpx.BaseTransport | None = None) -> Enrolled:
    """The register's token for ``ticket``; EnrollmentRefused (or SyncError) when not."""
    base = require_secure(ticket.server_url)
    try:
        with httpx.Client(timeout=TIMEOUT, transport=transport) as http:
            response = http.post(f"{base}/v1/enroll", json={"code": ticket.code},
                                 headers={"user-agent": "pos-app-register/1"})
    except httpx.HTTPError as error:
        raise SyncError(f"The server {base} did not answer ({type(error).__name__}): check "
                        "the network and try again") from error
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise SyncError(f"The server {base} answered {response.status_code} without JSON: is "
                        "that the pos_app server?")
    if response.status_code != 200:
        message = str(body.get("message", ""))[:300] or f"status {response.status_code}"
        raise EnrollmentRefused(message)
    enrolled = Enrolled(str(body.get("register_id", "")), str(body.get("event_id", "")),
                        str(body.get("name", "")), str(body.get("token", "")))
    if (enrolled.register_id, enrolled.event_id) != (ticket.register_id, ticket.event_id) \
            or not enrolled.token:
        raise SyncError("The server's answer does not match the enrollment code")
    return enrolled
