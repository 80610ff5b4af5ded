"""Every bad scan gets a colour, a sound and a message; sold items need a manager override."""

from __future__ import annotations

from guikit import Till
from sqlalchemy import update

from pos_app.core.tags import gs1_check_digit
from pos_app.core.tender import Tender, TenderKind
from pos_app.services.catalog import ScanRefusalKind
from pos_app.services.demo import CASHIER_PIN, MANAGER_PIN
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.ui.feedback import TONE_COLOURS, Tone
from pos_app.ui.pin_dialog import PinDialog


def _last_feedback(till: Till) -> tuple[Tone | None, str, str]:
    panel = till.window.feedback
    return panel.tone, panel.headline.text(), panel.detail.text()


def _assert_refused(till: Till, tone: Tone, headline: str) -> None:
    panel = till.window.feedback
    assert _last_feedback(till)[:2] == (tone, headline)
    assert till.sounds.played[-1] is tone
    assert panel.flashing
    shown = panel.grab().toImage()  # the stretch under the message: the panel's colour
    assert shown.pixelColor(panel.width() // 2, panel.height() - 12).name() == TONE_COLOURS[tone]


def _sell_elsewhere(database: Database, tag: str) -> None:
    items = models.items
    with database.unit_of_work() as unit:
        unit.connection.execute(update(items).where(items.c.tag_code == tag).values(
            status="sold", sold_sale_id="other-sale", sold_register_id="register-9"))
        unit.commit()


def test_a_good_scan_is_green_with_the_good_beep(till: Till) -> None:
    till.scan_and_wait("1001-0003")
    tone, _headline, detail = _last_feedback(till)
    assert tone is Tone.GOOD
    assert detail == "1001-0003"
    assert till.sounds.played == [Tone.GOOD]
    assert till.model.rowCount() == 1


def test_unknown_tag(till: Till) -> None:
    till.scan_and_wait("4242-0042")
    _assert_refused(till, Tone.BAD, "Unknown tag")
    assert "4242-0042" in _last_feedback(till)[2]
    assert till.model.rowCount() == 0


def test_wrong_check_digit(till: Till) -> None:
    body = "400638133393"
    wrong = (gs1_check_digit(body) + 1) % 10
    till.scan_and_wait(body + str(wrong))
    _assert_refused(till, Tone.BAD, "Wrong check digit")
    assert "check digit" in _last_feedback(till)[2]
    assert till.model.rowCount() == 0


def test_not_a_tag_at_all(till: Till) -> None:
    till.scan_and_wait("HELLO-WORLD")
    _assert_refused(till, Tone.BAD, "Not a tag")


def test_already_in_the_cart_is_amber_and_not_added_twice(till: Till) -> None:
    till.scan_and_wait("1001-0004")
    till.scan_and_wait("10010004")  # the same tag without its dash
    _assert_refused(till, Tone.WARN, "Already in the cart")
    assert till.model.rowCount() == 1


def test_a_double_scan_before_the_lookup_answers_is_caught(till: Till) -> None:
    till.scan("1001-0005")
    till.scan("1001-0005")  # the first lookup may still be on the read lane
    till.wait_idle()
    assert till.model.rowCount() == 1
    assert Tone.WARN in till.sounds.played


def test_sold_earlier_at_this_register_is_refused_without_override(till: Till) -> None:
    till.scan_and_wait("1001-0006")
    presenter = till.window.presenter
    totals = presenter.totals()
    with till.qtbot.wait_signal(presenter.sale_completed, timeout=5000):
        presenter.pay([Tender(TenderKind.CASH, totals.total_cents, totals.total_cents)])
    overrides: list[object] = []
    presenter.override_needed.connect(overrides.append)
    till.scan_and_wait("1001-0006")
    _assert_refused(till, Tone.BAD, "Sold earlier at this register")
    assert overrides == []
    assert till.model.rowCount() == 0


def test_sold_elsewhere_manager_pin_adds_it(till: Till, database: Database) -> None:
    _sell_elsewhere(database, "1002-0001")
    presenter = till.window.presenter
    with till.qtbot.wait_signal(presenter.override_needed, timeout=5000) as asked:
        till.scan("1002-0001")
    assert asked.args[0].kind is ScanRefusalKind.SOLD_ELSEWHERE
    _assert_refused(till, Tone.BAD, "Sold at another register")
    dialog = till.window.open_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText(MANAGER_PIN)
    with till.qtbot.wait_signal(presenter.model.rowsInserted, timeout=5000):
        dialog.accept()
    assert [line.tag_code for line in till.model.lines] == ["1002-0001"]
    assert _last_feedback(till)[0] is Tone.GOOD


def test_sold_elsewhere_cashier_pin_is_refused(till: Till, database: Database) -> None:
    _sell_elsewhere(database, "1002-0002")
    presenter = till.window.presenter
    with till.qtbot.wait_signal(presenter.override_needed, timeout=5000):
        till.scan("1002-0002")
    dialog = till.window.open_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin.setText(CASHIER_PIN)  # a cashier may not override
    with till.qtbot.wait_signal(presenter.feedback, timeout=5000):
        dialog.accept()
    _assert_refused(till, Tone.BAD, "Wrong manager PIN")
    assert till.model.rowCount() == 0


def test_sold_elsewhere_cancelled_override(till: Till, database: Database) -> None:
    _sell_elsewhere(database, "1002-0003")
    with till.qtbot.wait_signal(till.window.presenter.override_needed, timeout=5000):
        till.scan("1002-0003")
    dialog = till.window.open_dialog
    assert isinstance(dialog, PinDialog)
    dialog.reject()
    till.wait_idle()
    assert till.model.rowCount() == 0
