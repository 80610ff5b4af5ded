"""The settlement service's second pass against the real local Worker (issue 14): every
statement a page of consignors per call with progress, the open conflicts counted in the
settlement and read a page at a time (every one once, one consignor's alone, a resolved one
gone, a bad page refused), conflicts resolved in the organiser's words (a sold-twice winner
picked, an unknown item assigned, a price mismatch accepted), the event marked settled only
once none is open, and corrections that move the balance back;
every refusal leaves the server's books as they were."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import httpx
import pytest

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.settlement import Offline, Refused, SettlementApi, SettlementService
from pos_app.services.settlement_conflicts import (
    ACCEPT,
    ASSIGN,
    PICK_WINNER,
    Resolution,
    in_words,
)
from pos_app.services.settlement_data import Conflict, PayoutRequest, Statement
from pos_app.sync.settlement_api import HttpSettlementApi, connector
from tests.integration.settlement_kit import Seeded, add_conflicts, seed_event

pytestmark = pytest.mark.worker


@pytest.fixture
def seeded(admin: AdminClient, http: httpx.Client) -> Seeded:
    return seed_event(admin, http)


@pytest.fixture
def service(local_worker: LocalWorker, seeded: Seeded) -> SettlementService:
    return SettlementService(connector(local_worker.url, local_worker.admin_token),
                             seeded.event_id, recorded_by="test")


class CountingApi(HttpSettlementApi):
    """The real HTTP client, counting the pages of statements it asks for."""

    pages: list[tuple[int, int]] = []

    def statements_page(self, event_id: str, after: int, limit: int) -> Mapping[str, Any]:
        CountingApi.pages.append((after, limit))
        return super().statements_page(event_id, after, limit)


def counting(local_worker: LocalWorker, event_id: str) -> SettlementService:
    CountingApi.pages = []

    def connect() -> SettlementApi:
        return CountingApi(local_worker.url, local_worker.admin_token)

    return SettlementService(connect, event_id)


def unstamped(statements: list[Statement]) -> list[Statement]:
    return [replace(s, generated_at="") for s in statements]


def test_all_statements_come_a_page_of_consignors_per_call_with_progress(
        local_worker: LocalWorker, service: SettlementService, seeded: Seeded) -> None:
    paged = counting(local_worker, seeded.event_id)
    steps: list[tuple[int, int]] = []
    numbers = [1001, 1002, 1003, 1004]
    found = paged.all_statements(numbers, lambda n, of: steps.append((n, of)), page=2)
    assert CountingApi.pages == [(-1, 2), (1002, 2)]
    assert steps == [(2, 4), (4, 4)]
    assert unstamped(found) == unstamped(service.statements(numbers))  # one call each
    assert [s.consignor.number for s in found] == numbers
    assert found[3].items == () and found[3].consignor.balance_cents == 0  # 1004 sold nothing
    CountingApi.pages = []
    assert [s.consignor.number for s in paged.all_statements([1002], page=1)] == [1002]
    assert CountingApi.pages == [(-1, 1), (1001, 1)]  # stops once every one wanted is found


def test_all_statements_refuse_an_unknown_consignor_or_an_unreachable_server(
        local_worker: LocalWorker, service: SettlementService, seeded: Seeded) -> None:
    with pytest.raises(Refused, match=r"4242"):
        service.all_statements([1001, 4242])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    offline = SettlementService(connector(dead, local_worker.admin_token), seeded.event_id)
    with pytest.raises(Offline):
        offline.all_statements([1001])


def every_page(service: SettlementService, limit: int,
               consignor: int | None = None) -> list[list[Conflict]]:
    """The open conflicts page by page, as the conflicts view reads them."""
    pages, after = [], 0
    while after is not None:
        page = service.conflicts_page(after, consignor=consignor, limit=limit)
        pages.append(list(page.conflicts))
        after = page.next_after
    return pages


def test_the_settlement_counts_open_conflicts_and_pages_list_each_once(
        service: SettlementService, admin: AdminClient, http: httpx.Client,
        seeded: Seeded) -> None:
    add_conflicts(admin, http, seeded)
    settlement = service.load()
    assert settlement.unresolved_conflicts == 3 and settlement.event_conflicts == 0
    assert {r.number: r.unresolved_conflicts for r in settlement.consignors
            if r.unresolved_conflicts} == {1001: 1, 1002: 2}
    pages = every_page(service, limit=2)
    assert [len(p) for p in pages] == [2, 1]
    listed = [c for page in pages for c in page]
    assert [c.id for c in listed] == sorted({c.id for c in listed})  # each once, by id
    assert [c.id for c in listed] == [c["id"] for c in admin.export(seeded.event_id, "conflicts")]
    assert {c.kind: c.consignor_number for c in listed} == {
        "sold_twice": 1001, "unknown_item": 1002, "price_mismatch": 1002}
    assert [c.kind for p in every_page(service, 1, consignor=1001) for c in p] == ["sold_twice"]
    twice = next(c for c in listed if c.kind == "sold_twice")
    service.resolve(Resolution(twice.id, PICK_WINNER, winning_sale_id=twice.sale_id))
    assert [c.id for p in every_page(service, 100) for c in p] == [
        c.id for c in listed if c is not twice]
    assert service.load().unresolved_conflicts == 2


@pytest.mark.parametrize(("after", "limit", "field"), [(-1, 10, "after"), (0, 0, "limit"),
                                                       (0, 501, "limit")])
def test_a_bad_page_of_conflicts_is_refused_plainly(
        service: SettlementService, after: int, limit: int, field: str) -> None:
    with pytest.raises(Refused, match=f"400 invalid.*{field} must be a whole number"):
        service.conflicts_page(after, limit=limit)


def test_conflicts_are_said_in_words_and_resolved_then_the_event_settles(
        service: SettlementService, admin: AdminClient, http: httpx.Client,
        seeded: Seeded) -> None:
    add_conflicts(admin, http, seeded)
    conflicts = {c.kind: c for p in every_page(service, 100) for c in p}
    assert sorted(conflicts) == ["price_mismatch", "sold_twice", "unknown_item"]
    twice, unknown, price = (conflicts["sold_twice"], conflicts["unknown_item"],
                             conflicts["price_mismatch"])
    assert "sold twice" in in_words(twice) and twice.sale_id in in_words(twice)
    assert "not in the catalog" in in_words(unknown) and unknown.consignor_number == 1002
    assert "the catalog price is" in in_words(price)
    with pytest.raises(Refused, match="409 unresolved_conflicts"):
        service.settle()
    with pytest.raises(Refused, match="400"):  # the wrong action for the kind: nothing changes
        service.resolve(Resolution(twice.id, ACCEPT))
    assert admin.settlement(seeded.event_id)["unresolved_conflicts"] == 3
    gross = {r.number: r.gross_cents for r in service.load().consignors}
    service.resolve(Resolution(twice.id, PICK_WINNER, winning_sale_id=twice.sale_id))
    service.resolve(Resolution(unknown.id, ASSIGN, consignor_number=1003))
    service.resolve(Resolution(price.id, ACCEPT))
    after = service.load()
    assert after.unresolved_conflicts == 0 and every_page(service, 100) == [[]]
    moved = {r.number: r.gross_cents for r in after.consignors}
    assert moved[1003] == gross[1003] + 900  # the unknown item now counts for 1003
    assert after.settled_at is None
    assert service.settle() and service.load().settled_at is not None


def test_a_resolution_needs_its_detail() -> None:
    with pytest.raises(ValueError, match="consignor"):
        Resolution(1, ASSIGN).body()
    with pytest.raises(ValueError, match="winning sale"):
        Resolution(1, PICK_WINNER).body()


def test_a_correction_takes_back_part_of_a_payout_and_the_balance_follows(
        service: SettlementService, admin: AdminClient, seeded: Seeded) -> None:
    row = next(r for r in service.load().consignors if r.number == 1003)
    paid = service.record(service.payout(row, 700, "check", "check 5"))
    fix = PayoutRequest(service.new_id(), 1003, -300, "check", "check 5 lost", corrects=paid.id)
    assert service.record(fix).corrects == paid.id
    after = next(r for r in service.load().consignors if r.number == 1003)
    assert (after.paid_cents, after.balance_cents) == (400, row.balance_cents - 400)
    too_much = PayoutRequest(service.new_id(), 1003, -401, "check", "again", corrects=paid.id)
    with pytest.raises(Refused, match="409 over_correction"):
        service.record(too_much)
    assert sorted(p["amount_cents"] for p in admin.export(seeded.event_id, "payouts")) == [
        -300, 700]
