"""The register's first-start screen with the real local Worker: a 2D scanner types the
enrollment QR code (keystrokes, as a keyboard wedge does), the register enrolls and goes on
to the cashier login; the same code on another register is refused on screen, and nothing
is configured there."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from pos_app.devtools.admin_client import AdminClient
from pos_app.devtools.local_worker import LocalWorker
from pos_app.services.context import NotConfigured, load_context
from pos_app.services.enrollment import EnrollmentTicket
from pos_app.services.setup import MemoryTokenStore
from pos_app.store.engine import Database
from pos_app.sync.organiser import OrganiserClient
from pos_app.ui.bundle import UiOptions
from pos_app.ui.feedback import SilentPlayer
from pos_app.ui.main import AppShell
from pos_app.ui.qt import QApplication, Qt
from pos_app.ui.startup import LoginDialog, SetupDialog
from pos_app.ui.wiring import DatabaseSetup

pytestmark = [pytest.mark.worker,
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")]
SCANNER_GAP_S = 0.004


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticket(local_worker: LocalWorker, admin: AdminClient) -> EnrollmentTicket:
    event = f"ev-{uuid.uuid4().hex[:10]}"
    admin.put_event(event, name="Fall Sale", starts_on="2026-11-01", ends_on="2026-11-03")
    admin.create_register(event, f"{event}-front", "Front desk")
    with OrganiserClient(local_worker.url, local_worker.admin_token) as organiser:
        code = organiser.enrollment_code(f"{event}-front")["code"]
    return EnrollmentTicket(local_worker.url, event, f"{event}-front", code)


class Register:
    def __init__(self, qapp: QApplication, path: Path) -> None:
        self.clock = Clock()
        self.setup = DatabaseSetup(Database.open(path), MemoryTokenStore(),
                                   lambda: datetime.now(UTC))
        options = UiOptions(monotonic=self.clock, sounds=False, interactive_errors=False)
        self.shell = AppShell(None, self.setup, options, sounds=SilentPlayer())
        self.shell.start(qapp)
        self.qapp = qapp

    @property
    def dialog(self) -> SetupDialog:
        assert isinstance(self.shell.dialog, SetupDialog)
        return self.shell.dialog

    def scan(self, qtbot: QtBot, text: str) -> None:
        widget = self.dialog.ticket
        for char in text:
            qtbot.keyClick(widget, char)
            self.clock.now += SCANNER_GAP_S
        qtbot.keyClick(widget, Qt.Key.Key_Return)

    def close(self) -> None:
        if self.shell.dialog is not None:
            self.shell.dialog.close()
        self.shell.shutdown(self.qapp)
        self.setup.close()
        self.setup.database.close()


def test_a_scanned_qr_code_enrolls_the_register_once(qapp: QApplication, qtbot: QtBot,
                                                    ticket: EnrollmentTicket,
                                                    tmp_path: Path) -> None:
    first = Register(qapp, tmp_path / "front.sqlite3")
    try:
        assert first.dialog.qr.isChecked()
        first.scan(qtbot, ticket.payload())
        qtbot.waitUntil(lambda: isinstance(first.shell.dialog, LoginDialog), timeout=20_000)
        context = load_context(first.setup.database)
        assert (context.register_id, context.event_id, context.register_name) == (
            ticket.register_id, ticket.event_id, "Front desk")
        assert context.server_url == ticket.server_url
        assert first.setup.tokens.get(ticket.register_id)
    finally:
        first.close()  # one scanner filter on the application at a time

    second = Register(qapp, tmp_path / "other.sqlite3")
    try:
        second.scan(qtbot, ticket.payload())
        qtbot.waitUntil(lambda: "already used or expired" in second.dialog.message.text(),
                        timeout=20_000)
        assert second.dialog.go.isEnabled()
        with pytest.raises(NotConfigured):
            load_context(second.setup.database)
        second.dialog.ticket.setText("1001-0001")  # a tag, typed: not a ticket
        second.dialog.submit()
        qtbot.waitUntil(lambda: "not an enrollment code" in second.dialog.message.text(),
                        timeout=10_000)
    finally:
        second.close()
