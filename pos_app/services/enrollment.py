"""The enrollment ticket a register reads from the organiser's QR code (no network here).

A ticket names the central server, the event, the register and a single-use enrollment code;
the register exchanges the code for its long-lived token at first contact
(``pos_app.sync.enroll``). As text it is a URI a 2D scanner can type as keystrokes::

    posapp:enroll?v=1&url=https%3A%2F%2Fpos.example.org&event=spring-26&register=reg-1&code=...

Only ASCII letters, digits and ``:?=&%._-`` occur, so a keyboard-wedge scanner on any common
layout types it as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

SCHEME_PREFIX = "posapp:enroll?"
VERSION = "1"
_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


class TicketError(ValueError):
    """Not an enrollment ticket this register can use; the message says why."""


@dataclass(frozen=True, slots=True)
class EnrollmentTicket:
    server_url: str
    event_id: str
    register_id: str
    code: str

    def payload(self) -> str:
        """The ticket as the QR code's text."""
        fields = (("v", VERSION), ("url", self.server_url), ("event", self.event_id),
                  ("register", self.register_id), ("code", self.code))
        return SCHEME_PREFIX + "&".join(f"{k}={quote(v, safe='')}" for k, v in fields)


def looks_like_ticket(text: str) -> bool:
    return text.strip().lower().startswith(SCHEME_PREFIX)


def parse_ticket(text: str) -> EnrollmentTicket:
    """The ticket in ``text`` (scanned or typed); TicketError saying what is wrong."""
    text = text.strip()
    if not looks_like_ticket(text):
        raise TicketError("That is not an enrollment code: scan the QR code on the organiser's "
                          "enrollment sheet")
    query = parse_qs(text[len(SCHEME_PREFIX):], keep_blank_values=True, strict_parsing=False)
    values = {key: found[0] for key, found in query.items() if len(found) == 1}
    if values.get("v") != VERSION:
        raise TicketError("This enrollment sheet is from another version of pos_app")
    url, event, register, code = (values.get(k, "") for k in ("url", "event", "register", "code"))
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TicketError("The enrollment code has no usable server address")
    if not _ID_RE.match(event) or not _ID_RE.match(register):
        raise TicketError("The enrollment code names no event or register")
    if not _CODE_RE.match(code):
        raise TicketError("The enrollment code is incomplete: scan it again")
    return EnrollmentTicket(url.rstrip("/"), event, register, code)
