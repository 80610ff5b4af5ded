"""Start-up dialogs: set up an unconfigured register, then log a cashier in by PIN.

Set-up offers a real event by the organiser's enrollment QR code (scanned with a 2D scanner,
which types it, or typed), the demo event (no server), or a real event by hand: its id, this
register's name, the server URL and a register token. All run on the write lane through the
injected :class:`~pos_app.ui.bundle.RegisterSetup`.
The login dialog lives in :mod:`pos_app.ui.login` (it is shown before the services are loaded).
"""

from __future__ import annotations

from pos_app.services.enrollment import TicketError, looks_like_ticket
from pos_app.services.setup import SetupError
from pos_app.ui.bundle import RegisterSetup, UiServices
from pos_app.ui.dialog_keys import KeyDialog
from pos_app.ui.login import LoginDialog
from pos_app.ui.operations import Operation, OperationRunner, is_known_error
from pos_app.ui.qt import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from pos_app.ui.widgets import title_label


class SetupDialog(KeyDialog):
    """Emits :attr:`configured` with the register's services once set up."""

    configured = Signal(object)  # UiServices

    def __init__(self, setup: RegisterSetup, runner: OperationRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.operation_runner = runner
        self.setObjectName("setupDialog")
        self.setWindowTitle("Set up this register")
        self.setMinimumWidth(560)
        self._setup = setup
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Set up this register", self))
        self.qr = QRadioButton("Join an event with the organiser's enrollment QR code", self)
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("enrollmentTicket")
        self.ticket.setPlaceholderText("scan the QR code for this register (or type it)")
        self.ticket.returnPressed.connect(self.submit)
        self.ticket.textEdited.connect(lambda _text: self.qr.setChecked(True))
        self.demo = QRadioButton("Try the demo event (no server needed)", self)
        self.real = QRadioButton("Join an event by hand (event id, server, token)", self)
        self.qr.setChecked(True)
        layout.addWidget(self.qr)
        layout.addWidget(self.ticket)
        layout.addWidget(self.demo)
        layout.addWidget(self.real)
        form = QFormLayout()
        self.event_id = QLineEdit(self)
        self.register_name = QLineEdit("Register 1", self)
        self.server_url = QLineEdit(self)
        self.server_url.setPlaceholderText("https://pos.example.org")
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Event id", self.event_id)
        form.addRow("Register name", self.register_name)
        form.addRow("Server URL", self.server_url)
        form.addRow("Register token", self.token)
        layout.addLayout(form)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.go = QPushButton("Set up", self)
        self.go.clicked.connect(self.submit)
        layout.addWidget(self.go)
        for choice in (self.qr, self.demo, self.real):
            choice.toggled.connect(self._toggle)
        self._toggle()
        self.ticket.setFocus()

    def _toggle(self) -> None:
        for field in (self.event_id, self.register_name, self.server_url, self.token):
            field.setEnabled(self.real.isChecked())

    def handle_scan(self, code: str) -> None:
        """A 2D scanner read the enrollment QR code: set up with it at once."""
        if not looks_like_ticket(code):
            self.message.setText("That is not an enrollment code: scan the QR code on the "
                                 "organiser's enrollment sheet.")
            return
        self.qr.setChecked(True)
        self.ticket.setText(code)
        self.submit()

    def enter_pressed(self) -> None:
        self.submit()

    def submit(self) -> None:
        if not self.go.isEnabled():
            return  # set-up already running
        if self.qr.isChecked():
            ticket = self.ticket.text().strip()
            if not ticket:
                self.message.setText("Scan the enrollment QR code for this register first.")
                return
            self.message.setText("Enrolling with the server...")

            def action() -> UiServices:
                return self._setup.enroll(ticket)
        elif self.demo.isChecked():
            action = self._setup.create_demo
            self.message.setText("Creating the demo event...")
        else:
            fields = (self.event_id.text().strip(), self.register_name.text().strip(),
                      self.server_url.text().strip(), self.token.text().strip())
            if not all(fields):
                self.message.setText("Fill in every field (the organiser gives you the token).")
                return
            if not fields[2].startswith(("https://", "http://")):
                self.message.setText("The server URL starts with https://")
                return
            self.message.setText("Setting up...")

            def action() -> UiServices:
                return self._setup.configure(*fields)

        self.go.setEnabled(False)
        Operation(self, action).success(self._done).failure(self._failed).run()

    def _done(self, services: UiServices) -> None:
        self.accept()
        self.configured.emit(services)

    def _failed(self, error: BaseException) -> None:
        self.go.setEnabled(True)
        self.message.setText(f"Set-up failed: {error}")
        if not is_known_error(error) and not isinstance(error, (TicketError, SetupError)):
            self.operation_runner.report(error, self)


__all__ = ["LoginDialog", "SetupDialog"]
