"""The settlement service against the real local Worker (issue 14): figures as the endpoint
gives them, filters, a single payout, a batch of checks that stops part-way (a reply lost by
a real faulty proxy after the server recorded it) and is retried with the same ids, nothing
paid twice; the payouts CSV; refusals and an unreachable server, nothing written."""

from __future__ import annotations

import csv
import socket
from pathlib import Path

import httpx
import pytest

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.settlement import (
    BatchStopped,
    Filter,
    NoAdminAccess,
    Offline,
    Refused,
    SettlementService,
    filtered,
)
from pos_app.sync.settlement_api import connector
from reliability.fault_proxy import FaultProxy
from tests.integration.settlement_kit import FEE, Seeded, seed_event

pytestmark = pytest.mark.worker


@pytest.fixture
def seeded(admin: AdminClient, http: httpx.Client) -> Seeded:
    return seed_event(admin, http)


def service_for(url: str, token: str, event_id: str) -> SettlementService:
    return SettlementService(connector(url, token), event_id, recorded_by="test")


@pytest.fixture
def service(local_worker: LocalWorker, seeded: Seeded) -> SettlementService:
    return service_for(local_worker.url, local_worker.admin_token, seeded.event_id)


def dead_url() -> str:
    """A loopback port the OS gave and nobody listens on any more."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_load_gives_the_endpoints_rows_and_the_filters_pick_them(
        service: SettlementService, admin: AdminClient, seeded: Seeded) -> None:
    settlement = service.load()
    reply = admin.settlement(seeded.event_id)
    assert [(r.number, r.gross_cents, r.share_cents, r.fees_cents, r.balance_cents,
             r.payable_cents) for r in settlement.consignors] == [
        (r["consignor_number"], r["gross_cents"], r["share_cents"], r["fees_cents"],
         r["balance_cents"], r["payable_cents"]) for r in reply["consignors"]]
    assert settlement.totals.gross_cents == reply["totals"]["gross_cents"]
    assert settlement.totals.balance_cents == reply["totals"]["balance_cents"]
    assert [r.number for r in filtered(settlement.consignors, Filter.CONFLICTS)] == [1001]
    assert [r.number for r in filtered(settlement.consignors, Filter.BALANCE_DUE)] == [
        1001, 1002, 1003]
    assert all(r.fees_cents == FEE for r in settlement.consignors)


def test_a_payout_is_recorded_once_and_the_balance_follows(service: SettlementService) -> None:
    row = {r.number: r for r in service.load().consignors}[1002]
    payout = service.payout(row, 200, "cash", " till 2 ")
    first = service.record(payout)
    assert service.record(payout) == first  # a retry after a timeout: the same row
    assert (first.amount_cents, first.reference, first.recorded_by) == (200, "till 2", "test")
    after = {r.number: r for r in service.load().consignors}[1002]
    assert (after.paid_cents, after.balance_cents) == (200, row.balance_cents - 200)
    assert [p.id for p in service.payouts()] == [payout.id]


def test_a_batch_stopped_by_a_lost_reply_is_retried_with_the_same_ids_and_pays_once(
        local_worker: LocalWorker, service: SettlementService, seeded: Seeded,
        admin: AdminClient) -> None:
    batch = service.plan_checks(service.load(), 501)
    assert [(p.consignor_number, p.reference) for p in batch.payouts] == [
        (1002, "check 501"), (1003, "check 502")]
    assert batch.skipped == ((1001, "unresolved conflicts"),)
    faults = iter([None, "lost_reply"])  # the second check reaches the server, its reply is lost
    with FaultProxy(local_worker.url, lambda: next(faults, None)) as proxy:
        flaky = service_for(proxy.url, local_worker.admin_token, seeded.event_id)
        with pytest.raises(BatchStopped) as stopped:
            flaky.pay_batch(batch)
    assert [p.consignor_number for p in stopped.value.recorded] == [1002]
    assert stopped.value.failed == batch.payouts[1]
    assert isinstance(stopped.value.cause, Offline)

    recorded = service.pay_batch(batch)  # the same batch again: the same ids
    assert [p.id for p in recorded] == [p.id for p in batch.payouts]
    rows = admin.export(seeded.event_id, "payouts")
    assert sorted(row["id"] for row in rows) == sorted(p.id for p in batch.payouts)
    assert {r.number: r.balance_cents for r in service.load().consignors
            if r.number != 1001} == {1002: 0, 1003: 0}


def test_a_payout_id_reused_with_other_content_is_refused_409_and_nothing_changes(
        service: SettlementService, admin: AdminClient, seeded: Seeded) -> None:
    row = {r.number: r for r in service.load().consignors}[1003]
    payout = service.payout(row, 300, "check", "check 9")
    service.record(payout)
    with pytest.raises(Refused) as refused:
        service.record(payout.__class__(payout.id, 1003, 400, "check", "check 9"))
    assert (refused.value.status, refused.value.code) == (409, "payout_conflict")
    assert [row["amount_cents"] for row in admin.export(seeded.event_id, "payouts")] == [300]


def test_the_payouts_csv_lists_every_payout(service: SettlementService, tmp_path: Path) -> None:
    rows = {r.number: r for r in service.load().consignors}
    made = [service.record(service.payout(rows[n], 123, "e_transfer", f"ref {n}"))
            for n in (1002, 1003)]
    path = tmp_path / "out" / "payouts.csv"
    assert service.export_payouts_csv(path, {1002: "Bo", 1003: "Cy"}) == 2
    with path.open(encoding="utf-8") as out:
        lines = list(csv.DictReader(out))
    assert [(r["consignor_number"], r["name"], r["amount"], r["amount_cents"], r["method"],
             r["reference"], r["id"]) for r in lines] == [
        (str(p.consignor_number), {1002: "Bo", 1003: "Cy"}[p.consignor_number], "1.23",
         "123", "e_transfer", f"ref {p.consignor_number}", p.id) for p in made]
    assert [p.name for p in tmp_path.joinpath("out").iterdir()] == ["payouts.csv"]


def test_an_unreachable_server_or_a_wrong_token_records_nothing(
        local_worker: LocalWorker, service: SettlementService, seeded: Seeded,
        admin: AdminClient, tmp_path: Path) -> None:
    row = service.load().consignors[1]
    offline = service_for(dead_url(), local_worker.admin_token, seeded.event_id)
    with pytest.raises(Offline):
        offline.load()
    with pytest.raises(Offline):
        offline.record(offline.payout(row, 100, "cash"))
    with pytest.raises(Offline):
        offline.export_payouts_csv(tmp_path / "p.csv", {})
    wrong = service_for(local_worker.url, "wrong-token-0123456789abcdef", seeded.event_id)
    with pytest.raises(NoAdminAccess):
        wrong.record(wrong.payout(row, 100, "cash"))
    assert admin.export(seeded.event_id, "payouts") == []
    assert list(tmp_path.iterdir()) == []
