"""A scan repaints what changed, the new row, the totals and the feedback panel (issue 16).

Counted, never timed: which cart rows the cell painter is asked for, which parts of the
cart's viewport are repainted, and that a scan re-polishes nothing and lays the table out
again nowhere; and, so that repainting less is not showing something stale, that what is on
screen after scans and a removal is exactly what a full repaint of the cart draws.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from guikit import Till
from sqlalchemy import select

from pos_app.core.money import format_cents
from pos_app.store import models
from pos_app.store.engine import Database
from pos_app.ui.qt import QApplication, QCoreApplication, QEvent, QImage, QObject, QPoint, QRect

FILLED = 24  # more lines than the cart shows at once: each scan scrolls it


class EventLog(QObject):
    """Every event of the watched kinds that reaches any object, as (kind, object)."""

    KINDS = (QEvent.Type.Paint, QEvent.Type.LayoutRequest, QEvent.Type.Resize,
             QEvent.Type.StyleChange, QEvent.Type.Polish)

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[QEvent.Type, QObject, QRect | None]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind in self.KINDS:
            rect = event.region().boundingRect() if kind == QEvent.Type.Paint else None  # type: ignore[attr-defined]
            self.seen.append((kind, watched, rect))
        return False

    def of(self, kind: QEvent.Type, watched: QObject) -> list[QRect | None]:
        return [rect for seen_kind, obj, rect in self.seen if seen_kind == kind and obj is watched]

    def kinds_in(self, ancestor: QObject) -> set[QEvent.Type]:
        return {kind for kind, obj, _rect in self.seen if obj is ancestor or _inside(obj, ancestor)}


def _inside(obj: QObject, ancestor: QObject) -> bool:
    parent = obj.parent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent()
    return False


def _settle() -> None:
    """Posted events (repaints included) processed until none are left."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.fixture
def codes(database: Database) -> list[str]:
    items = models.items
    with database.unit_of_work() as unit:
        rows = unit.connection.execute(select(items.c.tag_code).where(
            items.c.status == "approved").order_by(items.c.tag_code).limit(FILLED + 3))
        return [code for (code,) in rows]


@pytest.fixture
def long_cart(till: Till, codes: list[str]) -> Iterator[Till]:
    for code in codes[:FILLED]:
        till.scan_and_wait(code)
    assert till.model.rowCount() == FILLED
    _settle()
    yield till


@pytest.fixture
def events(qapp: QApplication) -> Iterator[EventLog]:
    log = EventLog()
    qapp.installEventFilter(log)
    yield log
    qapp.removeEventFilter(log)


def _rows_drawn(till: Till, monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The rows whose cells the cart's painter asks for from now on."""
    rows: set[int] = set()
    model = till.model
    cell_text = model.cell_text

    def recording(row: int, column: int) -> str:
        rows.add(row)
        return cell_text(row, column)

    monkeypatch.setattr(model, "cell_text", recording)
    return rows


def test_a_scan_repaints_only_the_new_row_of_the_cart(
        long_cart: Till, codes: list[str], events: EventLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    till = long_cart
    view = till.window.cart_view
    drawn = _rows_drawn(till, monkeypatch)
    events.seen.clear()
    till.scan_and_wait(codes[FILLED])
    till.qtbot.waitUntil(lambda: FILLED in drawn, timeout=5000)
    _settle()
    assert till.model.rowCount() == FILLED + 1
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum() > 0
    assert drawn == {FILLED}  # the new row's cells, and no other row's
    new_row = QRect(0, view.rowViewportPosition(FILLED), view.viewport().width(),
                    view.rowHeight(FILLED))
    painted = events.of(QEvent.Type.Paint, view.viewport())
    assert painted
    assert all(rect is not None and new_row.contains(rect) for rect in painted), (painted, new_row)
    assert not events.of(QEvent.Type.LayoutRequest, view)
    assert not events.of(QEvent.Type.Resize, view.viewport())


def test_a_scan_restyles_nothing_in_the_window(
        long_cart: Till, codes: list[str], events: EventLog) -> None:
    till = long_cart
    till.window.feedback.settle()  # the flash of the last fill scan over, as a second later
    _settle()
    events.seen.clear()
    till.scan_and_wait(codes[FILLED])
    _settle()
    kinds = events.kinds_in(till.window)
    assert QEvent.Type.Paint in kinds
    assert QEvent.Type.StyleChange not in kinds
    assert QEvent.Type.Polish not in kinds
    totals = till.window.presenter.totals()
    assert till.window.total_label.text() == format_cents(totals.total_cents)


def _on_screen(till: Till) -> QImage:
    """The cart's viewport as the window's back buffer holds it (what the screen shows)."""
    window, viewport = till.window, till.window.cart_view.viewport()
    shown = window.screen().grabWindow(window.winId()).toImage()
    corner = viewport.mapTo(window, QPoint(0, 0))
    return shown.copy(QRect(corner, viewport.size()))


def test_the_cart_on_screen_after_scans_and_a_removal_is_what_a_full_repaint_draws(
        long_cart: Till, codes: list[str]) -> None:
    till = long_cart
    viewport = till.window.cart_view.viewport()
    for code in codes[FILLED:FILLED + 3]:
        till.scan_and_wait(code)
        _settle()
        fresh = viewport.grab().toImage()
        assert _on_screen(till).convertToFormat(fresh.format()) == fresh
    till.window.presenter.remove_line(FILLED - 5)
    _settle()
    fresh = viewport.grab().toImage()
    assert till.model.rowCount() == FILLED + 2
    assert _on_screen(till).convertToFormat(fresh.format()) == fresh
