"""The client's reading of the server's ``Date`` header: the offset of the register's clock,
and no offset (never an error) for a missing, malformed or zone-less header. Broken headers
cannot come from the real Worker, so they come through httpx.MockTransport here; the real
Worker's header is read in tests/integration/sync/test_clock_check.py."""

from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.sync.client import CentralClient
from pos_app.sync.status import SyncStatus

REGISTER_NOW = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)
ACK = b'{"acked_seq": 1, "conflicts": [], "statements": 13}'


def _offset(date_header: str | None) -> float | None:
    headers = {} if date_header is None else {"date": date_header}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=ACK,
                                                                   headers=headers))
    client = CentralClient("http://127.0.0.1:9", "t" * 40, "r1", "e1", transport=transport,
                           clock=lambda: REGISTER_NOW)
    client.push(b"{}")
    client.close()
    return client.clock_offset_s


@pytest.mark.parametrize(("header", "offset"), [
    ("Sun, 22 Nov 2026 12:03:00 GMT", 180.0),
    ("Sun, 22 Nov 2026 11:58:30 GMT", -90.0),
    ("Sun, 22 Nov 2026 12:00:00 GMT", 0.0),
])
def test_the_offset_is_the_servers_date_minus_the_registers_clock(
        header: str, offset: float) -> None:
    assert _offset(header) == offset


@pytest.mark.parametrize("header", [None, "", "yesterday", "Sun, 99 Nov 2026 12:00:00 GMT",
                                    "Sun, 22 Nov 2026 12:03:00"])
def test_a_missing_or_broken_date_gives_no_offset(header: str | None) -> None:
    assert _offset(header) is None


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60))
def test_no_date_header_breaks_a_push(header: str) -> None:
    offset = _offset(header)
    assert offset is None or isinstance(offset, float)


def test_the_warning_starts_past_2_minutes() -> None:
    assert [SyncStatus(clock_offset_s=s).clock_off for s in (None, 120.0, -120.0, 120.5, -121)] \
        == [False, False, False, True, True]
