"""The organiser's settlement screen (issue 14) against the REAL local Worker.

Each test seeds its own event (tests/integration/settlement_kit.py: four consignors, two
registers, a sold-twice item on 1001, a consignor fee), opens the screen through the shell as
a manager, and checks what the organiser sees and what the server's ledger then holds: the
table equals the endpoint, filters, a single payout and a batch of checks move the balances,
a 409 is shown and nothing changes, an unreachable server or a refused token leaves every
action off and records nothing, statements are written as PDF (text read back with
pdftotext) and the payouts as CSV.
"""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from pos_app.core.money import format_cents
from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.cashiers import CashierView
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.services.settlement import Filter, SettlementService
from pos_app.services.settlement_data import ConsignorBalance
from pos_app.sync.settlement_api import connector
from pos_app.ui.bundle import UiServices
from pos_app.ui.main import AppShell
from pos_app.ui.mode_dialog import SETTLEMENT, ModeDialog
from pos_app.ui.qt import Qt
from pos_app.ui.settlement_window import COLUMNS, SettlementWindow, row_cells
from reliability.fault_proxy import FaultProxy
from tests.integration import conftest as worker_fixtures
from tests.integration.settlement_kit import Seeded, seed_event

pytestmark = pytest.mark.worker
WAIT_MS = 60_000
local_worker = worker_fixtures.local_worker  # the session's Worker, as in tests/integration
admin = worker_fixtures.admin
http = worker_fixtures.http


@pytest.fixture
def seeded(admin: AdminClient, http: httpx.Client) -> Seeded:
    return seed_event(admin, http)


def login(services: UiServices, pin: str) -> CashierView:
    person = services.cashiers.login(pin)
    assert isinstance(person, CashierView)
    return person


def open_screen(qtbot: QtBot, shell: AppShell, services: UiServices, url: str, *, token: str,
                event_id: str, loads: bool = True, pin: str = MANAGER_PIN) -> SettlementWindow:
    shell.services = replace(services, settlement=SettlementService(
        connector(url, token), event_id))
    window = shell.open_settlement(login(services, pin))
    qtbot.addWidget(window)
    if loads:
        qtbot.waitSignal(window.loaded, timeout=WAIT_MS).wait()
    return window


@pytest.fixture
def screen(qtbot: QtBot, shell: AppShell, services: UiServices, seeded: Seeded,
           local_worker: LocalWorker) -> SettlementWindow:
    return open_screen(qtbot, shell, services, local_worker.url,
                       token=local_worker.admin_token, event_id=seeded.event_id)


def table_texts(window: SettlementWindow) -> list[list[str]]:
    table = window.table
    return [[table.item(r, c).text() for c in range(len(COLUMNS))]
            for r in range(table.rowCount())]


def row_of(window: SettlementWindow, number: int) -> int:
    return [r.number for r in window.visible_rows()].index(number)


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_the_table_is_the_endpoints_settlement_with_a_totals_row(
        screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    reply = admin.settlement(seeded.event_id)
    rows = table_texts(screen)
    expected = [row_cells(ConsignorBalance(
        r["consignor_number"], r["name"], r["items_sold"], r["gross_cents"], r["split_bp"],
        r["share_cents"], r["fees_cents"], r["paid_cents"], r["balance_cents"],
        r["payable_cents"])) for r in reply["consignors"]]
    assert [row[:9] for row in rows[:-1]] == [row[:9] for row in expected]
    assert [row[0] for row in rows[:-1]] == ["1001", "1002", "1003"]
    assert rows[0][9] == "1" and rows[1][9] == ""  # the count of open conflicts
    totals = reply["totals"]
    assert rows[-1][1:9] == ["Total (3 consignors)", str(totals["items_sold"]),
                             format_cents(totals["gross_cents"]), "",
                             format_cents(totals["share_cents"]),
                             format_cents(totals["fees_cents"]),
                             format_cents(totals["paid_cents"]),
                             format_cents(totals["balance_cents"])]
    assert "1 unresolved conflict(s)" in screen.status.text()


def test_filters_show_balances_due_or_conflicts(qtbot: QtBot, screen: SettlementWindow,
                                                admin: AdminClient, seeded: Seeded) -> None:
    paid = next(r for r in screen.settlement.consignors if r.number == 1002)  # type: ignore[union-attr]
    admin.record_payout(seeded.event_id, {"id": "gui-f-1", "consignor_number": 1002,
                                          "amount_cents": paid.balance_cents, "method": "cash"})
    screen.reload()
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    assert screen.filter.currentData() == Filter.BALANCE_DUE
    assert [row[0] for row in table_texts(screen)[:-1]] == ["1001", "1003"]
    qtbot.keyClick(screen, Qt.Key.Key_F2)
    assert [row[0] for row in table_texts(screen)[:-1]] == ["1001"]
    assert table_texts(screen)[-1][1] == "Total (1 consignors)"


def test_a_payout_from_the_dialog_changes_the_balance(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    screen.table.selectRow(row_of(screen, 1003))
    before = screen.selected()
    assert before is not None
    dialog = screen.pay_selected()
    assert dialog is not None
    assert dialog.amount.cents() == before.balance_cents  # the balance by default
    dialog.amount.setText("")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)  # Enter on a bad amount: still open
    assert dialog.isVisible() and "amount" in dialog.error.text()
    dialog.amount.set_cents(500)
    dialog.reference.setText("check 88")
    with qtbot.waitSignal(screen.recorded, timeout=WAIT_MS):
        qtbot.keyClick(dialog.reference, Qt.Key.Key_Return)
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    [payout] = admin.export(seeded.event_id, "payouts")
    assert (payout["id"], payout["amount_cents"], payout["reference"]) == (
        dialog.payout_id, 500, "check 88")
    after = next(r for r in screen.visible_rows() if r.number == 1003)
    assert (after.paid_cents, after.balance_cents) == (500, before.balance_cents - 500)
    assert table_texts(screen)[row_of(screen, 1003)][8] == format_cents(after.balance_cents)
    assert screen.status.text().startswith("Recorded 1 payout(s), $5.00.")


def test_pay_all_by_check_numbers_the_checks_and_skips_a_conflict(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    dialog = screen.pay_all_by_check()
    assert dialog is not None
    dialog.first_check.setValue(300)
    assert "2 check(s)" in dialog.summary.text()
    assert "numbers 300 to 301" in dialog.summary.text()
    assert "1001 (unresolved conflicts)" in dialog.summary.text()
    with qtbot.waitSignal(screen.recorded, timeout=WAIT_MS):
        qtbot.keyClick(dialog.first_check, Qt.Key.Key_Return)
    qtbot.waitSignal(screen.loaded, timeout=WAIT_MS).wait()
    rows = admin.export(seeded.event_id, "payouts")
    assert sorted((r["consignor_number"], r["method"], r["reference"]) for r in rows) == [
        (1002, "check", "check 300"), (1003, "check", "check 301")]
    assert {r.number: r.balance_cents for r in screen.visible_rows()
            if r.number != 1001} == {1002: 0, 1003: 0}


def test_a_409_is_shown_plainly_and_nothing_changes(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded) -> None:
    screen.table.selectRow(row_of(screen, 1002))
    dialog = screen.pay_selected()
    assert dialog is not None
    # Another tool already used this payout id with other content.
    admin.record_payout(seeded.event_id, {"id": dialog.payout_id, "consignor_number": 1002,
                                          "amount_cents": 1, "method": "cash"})
    with qtbot.waitSignal(screen.failed, timeout=WAIT_MS) as failed:
        qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert "409 payout_conflict" in failed.args[0]
    assert "409 payout_conflict" in screen.status.text()
    assert screen.status.property("error") is True
    assert screen.buttons["retry"].isVisible()
    assert [r["amount_cents"] for r in admin.export(seeded.event_id, "payouts")] == [1]


@pytest.mark.parametrize("broken", ["offline", "wrong token"])
def test_offline_or_refused_the_screen_says_so_and_records_nothing(
        broken: str, qtbot: QtBot, *, shell: AppShell, services: UiServices, seeded: Seeded,
        local_worker: LocalWorker, admin: AdminClient) -> None:
    url, token = ((dead_url(), local_worker.admin_token) if broken == "offline"
                  else (local_worker.url, "wrong-token-0123456789abcdef"))
    window = open_screen(qtbot, shell, services, url, token=token, event_id=seeded.event_id,
                         loads=False)
    qtbot.waitSignal(window.failed, timeout=WAIT_MS).wait()
    text = window.status.text()
    assert ("Offline: cannot reach the central server" in text if broken == "offline"
            else "refused the admin token" in text)
    assert "nothing can be recorded" in text
    assert window.refresh_button.isEnabled()
    assert [name for name, b in window.buttons.items() if b.isEnabled()] == ["refresh"]
    assert window.table.rowCount() == 0
    for key in (Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F10):
        qtbot.keyClick(window, key)
    assert window.pay_selected() is None and window.pay_all_by_check() is None
    assert admin.export(seeded.event_id, "payouts") == []


def test_a_payout_the_server_did_not_confirm_is_retried_with_the_same_id(
        qtbot: QtBot, *, shell: AppShell, services: UiServices, seeded: Seeded,
        local_worker: LocalWorker, admin: AdminClient) -> None:
    faults = iter([None, "drop_before"])  # the load goes through, the payout's call is cut
    with FaultProxy(local_worker.url, lambda: next(faults, None)) as proxy:
        window = open_screen(qtbot, shell, services, proxy.url,
                             token=local_worker.admin_token, event_id=seeded.event_id)
        window.table.selectRow(row_of(window, 1002))
        dialog = window.pay_selected()
        assert dialog is not None
        dialog.amount.set_cents(100)
        with qtbot.waitSignal(window.failed, timeout=WAIT_MS) as failed:
            qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
        assert "may or may not be recorded" in failed.args[0]
        assert "Ctrl+R re-sends it" in window.status.text()
        assert admin.export(seeded.event_id, "payouts") == []
        assert not window.buttons["pay"].isEnabled()  # one pending payout at a time
        window.activateWindow()  # back from the pay dialog
        qtbot.waitUntil(window.isActiveWindow)
        with qtbot.waitSignal(window.recorded, timeout=WAIT_MS):
            qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitSignal(window.loaded, timeout=WAIT_MS).wait()
    assert [(p["id"], p["amount_cents"]) for p in admin.export(seeded.event_id, "payouts")] == [
        (dialog.payout_id, 100)]
    assert not window.buttons["retry"].isVisible()


def test_a_batch_stopped_part_way_says_what_was_recorded_and_a_retry_pays_each_once(
        qtbot: QtBot, *, shell: AppShell, services: UiServices, seeded: Seeded,
        local_worker: LocalWorker, admin: AdminClient) -> None:
    faults = iter([None, None, "lost_reply"])  # load, check 1, check 2 recorded but unanswered
    with FaultProxy(local_worker.url, lambda: next(faults, None)) as proxy:
        window = open_screen(qtbot, shell, services, proxy.url,
                             token=local_worker.admin_token, event_id=seeded.event_id)
        dialog = window.pay_all_by_check()
        assert dialog is not None
        dialog.first_check.setValue(71)
        with qtbot.waitSignal(window.failed, timeout=WAIT_MS) as failed:
            qtbot.keyClick(dialog.first_check, Qt.Key.Key_Return)
        assert "Stopped at consignor 1003" in failed.args[0]
        assert "Recorded before it: 1002" in failed.args[0]
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        with qtbot.waitSignal(window.recorded, timeout=WAIT_MS):
            qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitSignal(window.loaded, timeout=WAIT_MS).wait()
    rows = admin.export(seeded.event_id, "payouts")
    assert sorted((r["consignor_number"], r["reference"]) for r in rows) == [
        (1002, "check 71"), (1003, "check 72")]
    assert window.status.text().startswith("Recorded 2 payout(s)")


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_statements_are_written_as_pdf_one_or_all_in_one_file(
        qtbot: QtBot, screen: SettlementWindow, admin: AdminClient, seeded: Seeded,
        tmp_path: Path) -> None:
    admin.record_payout(seeded.event_id, {"id": "gui-st-1", "consignor_number": 1003,
                                          "amount_cents": 700, "method": "check",
                                          "reference": "check 12"})
    one = tmp_path / "statement-1003.pdf"
    with qtbot.waitSignal(screen.written, timeout=WAIT_MS):
        screen.write_statements([1003], one)
    text = _pdf_text(one)
    row = next(r for r in admin.settlement(seeded.event_id)["consignors"]
               if r["consignor_number"] == 1003)
    assert "Consignor statement: 1003 Consignor 1003" in text
    for tag in ("1003-0006", "1003-0007"):
        assert tag in text
    assert "Your share (70%)" in text and format_cents(row["share_cents"]) in text
    assert "check 12" in text and "-$7.00" in text
    assert "Balance due to you" in text and format_cents(row["balance_cents"]) in text
    every = tmp_path / "all.pdf"
    steps: list[tuple[int, int]] = []
    screen.progressed.connect(lambda found, wanted: steps.append((found, wanted)))
    with qtbot.waitSignal(screen.written, timeout=WAIT_MS):
        screen.write_all_statements([1001, 1002, 1003], every)  # a page of consignors a call
    assert steps == [(3, 3)] and screen.progress.value() == 3
    assert not screen.progress.isVisible()
    pages = _pdf_text(every).split("\f")
    for number, page in zip((1001, 1002, 1003), pages, strict=False):
        assert f"Consignor statement: {number}" in page
    assert "unresolved conflict(s)" in pages[0]
    assert "3 statement(s), 3 page(s)" in screen.status.text()


def test_the_payouts_csv_lists_what_was_paid(qtbot: QtBot, screen: SettlementWindow,
                                             admin: AdminClient, seeded: Seeded,
                                             tmp_path: Path) -> None:
    admin.record_payout(seeded.event_id, {"id": "gui-csv-1", "consignor_number": 1002,
                                          "amount_cents": 250, "method": "e_transfer",
                                          "reference": "etr 5"})
    path = tmp_path / "payouts.csv"
    with qtbot.waitSignal(screen.written, timeout=WAIT_MS):
        screen.export_csv(path)
    with path.open(encoding="utf-8") as out:
        [row] = list(csv.DictReader(out))
    assert {k: row[k] for k in ("consignor_number", "name", "amount", "method", "reference",
                                "id")} == {
        "consignor_number": "1002", "name": "Consignor 1002", "amount": "2.50",
        "method": "e_transfer", "reference": "etr 5", "id": "gui-csv-1"}
    assert "1 payout(s) saved to" in screen.status.text()


def test_only_a_manager_is_offered_the_settlement(
        qtbot: QtBot, *, shell: AppShell, services: UiServices, seeded: Seeded,
        local_worker: LocalWorker, admin: AdminClient) -> None:
    cashier, manager = login(services, CASHIER_PIN), login(services, MANAGER_PIN)
    assert SETTLEMENT not in ModeDialog(cashier).buttons
    offered = ModeDialog(manager)
    assert SETTLEMENT in offered.buttons
    window = open_screen(qtbot, shell, services, local_worker.url,
                         token=local_worker.admin_token, event_id=seeded.event_id,
                         loads=False, pin=CASHIER_PIN)
    assert "managers only" in window.status.text()
    assert not any(button.isEnabled() for button in window.buttons.values())
    assert window.settlement is None


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No admin URL or token in the environment, and a keyring that holds nothing."""
    import keyring
    from keyring.backends import null

    monkeypatch.delenv("POS_ADMIN_URL", raising=False)
    monkeypatch.delenv("POS_ADMIN_TOKEN", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.usefixtures("no_credentials")
def test_chosen_after_login_without_credentials_it_says_how_to_log_in(
        qtbot: QtBot, shell: AppShell, services: UiServices) -> None:
    shell._logged_in(login(services, MANAGER_PIN))
    dialog = shell.dialog
    assert isinstance(dialog, ModeDialog)
    with qtbot.waitSignal(shell.settlement_opened, timeout=5000) as opened:
        dialog.buttons[SETTLEMENT].click()
    window = opened.args[0]
    qtbot.addWidget(window)
    assert isinstance(window, SettlementWindow)
    qtbot.waitSignal(window.failed, timeout=WAIT_MS).wait()
    assert "pos-app admin login" in window.status.text()
    assert [name for name, b in window.buttons.items() if b.isEnabled()] == ["refresh"]
