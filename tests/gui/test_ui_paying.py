"""Full sales with each tender; the receipt prints only after the sale is committed."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from guikit import Till

from pos_app.core.cart import CartLine
from pos_app.core.money import format_cents
from pos_app.core.sale import CompletedSale
from pos_app.core.tender import Tender, TenderKind
from pos_app.services.catalog import ScanRefusal
from pos_app.store.errors import DiskFull
from pos_app.ui.operations import Operation
from pos_app.ui.qt import QLabel
from pos_app.ui.taskman import Lane
from pos_app.ui.tender_dialog import TenderDialog

CODES = ("1001-0010", "1002-0010", "1003-0010")


def _fill(till: Till, codes: Sequence[str] = CODES) -> None:
    for code in codes:
        till.scan_and_wait(code)
    assert till.model.rowCount() == len(codes)


def _open_tender(till: Till) -> TenderDialog:
    till.window.open_tender()
    dialog = till.window.open_dialog
    assert isinstance(dialog, TenderDialog)
    return dialog


def _pay(till: Till, dialog: TenderDialog) -> CompletedSale:
    assert dialog.pay_button.isEnabled()
    with till.qtbot.wait_signal(till.window.presenter.sale_completed, timeout=5000) as done:
        dialog.pay_button.click()
    sale = done.args[0]
    assert isinstance(sale, CompletedSale)
    return sale


def _receipts(till: Till) -> list[Path]:
    return sorted(till.receipts_dir.glob("receipt-*.pdf"))


def test_cash_with_change_from_a_quick_key(till: Till) -> None:
    _fill(till)
    total = till.window.presenter.totals().total_cents
    dialog = _open_tender(till)
    assert dialog.quick_buttons[0].text().startswith("F1  Exact")
    next_bill = dialog.quick_buttons[1]
    given = next_bill.property("cents")
    assert given > total
    next_bill.click()
    assert dialog.change_label.text() == f"${(given - total) // 100}.{(given - total) % 100:02d}"
    assert not dialog.cash_button.isEnabled()  # nothing more is owed
    sale = _pay(till, dialog)
    assert sale.tenders == (Tender(TenderKind.CASH, total, given, given - total),)
    assert sale.totals.item_count == 3
    assert till.model.rowCount() == 0
    change = given - total
    assert till.window.total_caption.text() == "Change due"
    assert till.window.total_label.text() == f"${change // 100}.{change % 100:02d}"
    assert till.window.feedback.headline.text().startswith("Change due")
    assert [p.name for p in _receipts(till)] == [f"receipt-{sale.seq:06d}.pdf"]
    record = till.services.sales.get(sale.id)
    assert record is not None and record.sale.total_cents == total


def _point_size(label: QLabel) -> float:
    label.ensurePolished()
    return label.font().pointSizeF()


def test_the_change_due_is_the_largest_thing_on_screen_until_the_next_scan(till: Till) -> None:
    till.sell("1001-0020", extra_cash=1_234)
    window = till.window
    assert (window.total_caption.text(), window.total_label.text()) == ("Change due", "$12.34")
    others = [label for label in window.findChildren(QLabel)
              if label is not window.total_label and label.isVisible()]
    assert others and all(_point_size(window.total_label) > _point_size(label)
                          for label in others)
    till.scan_and_wait("1001-0021")  # the next shopper
    assert window.total_caption.text() == "Total"
    assert window.total_label.text() == format_cents(window.presenter.totals().total_cents)
    assert _point_size(window.total_label) < 64


def test_cash_typed_short_then_the_rest(till: Till) -> None:
    _fill(till)
    total = till.window.presenter.totals().total_cents
    dialog = _open_tender(till)
    dialog.cash_edit.setText("1.00")
    dialog.take_cash()
    assert not dialog.pay_button.isEnabled()
    assert dialog.remaining_label.text() == f"${(total - 100) // 100}.{(total - 100) % 100:02d}"
    dialog.quick_buttons[0].click()  # exact: the rest
    sale = _pay(till, dialog)
    assert [t.amount_cents for t in sale.tenders] == [100, total - 100]


def test_card_needs_the_terminal_reference(till: Till) -> None:
    _fill(till)
    total = till.window.presenter.totals().total_cents
    dialog = _open_tender(till)
    dialog.take_card()
    assert "reference" in dialog.message.text()
    assert not dialog.pay_button.isEnabled()
    dialog.card_reference.setText("AUTH-778899")
    dialog.take_card()
    sale = _pay(till, dialog)
    assert sale.tenders == (Tender(TenderKind.CARD, total, reference="AUTH-778899"),)
    assert len(_receipts(till)) == 1


def test_split_card_then_cash(till: Till) -> None:
    _fill(till)
    total = till.window.presenter.totals().total_cents
    dialog = _open_tender(till)
    dialog.card_amount.setText("5.00")
    dialog.card_reference.setText("SPLIT-1")
    dialog.take_card()
    assert dialog.tender_list.count() == 1
    given = total - 500 + 1_000  # the rest, and ten dollars too many
    dialog.cash_edit.set_cents(given)
    dialog.take_cash()
    sale = _pay(till, dialog)
    assert [t.kind for t in sale.tenders] == [TenderKind.CARD, TenderKind.CASH]
    assert sale.tenders[0].amount_cents == 500
    assert sale.tenders[1].amount_cents == total - 500
    assert sale.tenders[1].change_cents == 1_000


def test_undo_last_tender(till: Till) -> None:
    _fill(till, CODES[:1])
    dialog = _open_tender(till)
    dialog.quick_buttons[0].click()
    assert dialog.pay_button.isEnabled()
    dialog.undo()
    assert not dialog.pay_button.isEnabled()
    assert dialog.tender_list.count() == 0


class FailingSales:
    """SaleService whose commit fails as a full disk would."""

    def __init__(self, real: object) -> None:
        self._real = real
        self.calls = 0

    def complete(self, lines: Sequence[CartLine], tenders: Sequence[Tender],
                 cashier_id: str, shift_id: str | None) -> CompletedSale:
        self.calls += 1
        raise DiskFull("The disk is full: the sale was NOT saved. Call the manager.")

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


@pytest.mark.parametrize("attempts", [1, 2])
def test_a_failed_commit_keeps_the_cart_and_prints_nothing(till: Till, attempts: int) -> None:
    _fill(till)
    failing = FailingSales(till.services.sales)
    presenter = till.window.presenter
    presenter.services = dataclasses.replace(till.services, sales=failing)  # type: ignore[arg-type]
    dialog = _open_tender(till)
    dialog.quick_buttons[0].click()
    for _ in range(attempts):  # the cashier may try again; each try fails the same way
        with till.qtbot.wait_signal(presenter.payment_failed, timeout=5000) as failed:
            dialog.pay_button.click()
        assert "NOT PAID" in failed.args[0] and "disk is full" in failed.args[0]
        assert dialog.isVisible()
        assert "disk is full" in dialog.message.text()
        assert dialog.pay_button.isEnabled()
    assert failing.calls == attempts
    assert till.model.rowCount() == 3
    assert _receipts(till) == []
    assert till.services.sales.last() is None


def test_the_cart_cannot_change_while_its_sale_is_being_committed(till: Till) -> None:
    _fill(till, CODES[:1])
    presenter = till.window.presenter
    started, release = threading.Event(), threading.Event()
    Operation(till.window, lambda: (started.set(), release.wait(5)), lane=Lane.WRITE).run()
    assert started.wait(2)
    total = presenter.totals().total_cents
    presenter.pay([Tender(TenderKind.CASH, total, total)])  # queued behind the slow write
    assert presenter.paying
    late = till.services.catalog.lookup("1004-0020")
    assert not isinstance(late, ScanRefusal)
    presenter.add_found(late)  # e.g. a lookup dialog pick arriving now
    assert till.window.feedback.headline.text() == "Kept for the next cart"
    assert presenter.remove_line(0) is None
    assert till.model.rowCount() == 1
    with till.qtbot.wait_signal(presenter.sale_completed, timeout=5000) as done:
        release.set()
    assert [line.tag_code for line in done.args[0].lines] == [CODES[0]]
    till.qtbot.waitUntil(lambda: till.model.rowCount() == 1, timeout=5000)
    assert [line.tag_code for line in till.model.lines] == ["1004-0020"]  # the next cart
