"""Start-up dialogs: set up an unconfigured register, then log a cashier in by PIN.

Set-up offers the demo event (no server) or a real event: its id, this register's name, the
server URL and the register token the organiser issued. Both run on the write lane through
the injected :class:`~pos_app.ui.bundle.RegisterSetup`. The login dialog lives in
:mod:`pos_app.ui.login` (it is shown before the services are loaded).
"""

from __future__ import annotations

from pos_app.ui.bundle import RegisterSetup, UiServices
from pos_app.ui.login import LoginDialog
from pos_app.ui.operations import Operation, OperationRunner, is_known_error
from pos_app.ui.qt import (
    QDialog,
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


class SetupDialog(QDialog):
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
        self.demo = QRadioButton("Try the demo event (no server needed)", self)
        self.real = QRadioButton("Join an event", self)
        self.demo.setChecked(True)
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
        self.demo.toggled.connect(self._toggle)
        self._toggle()

    def _toggle(self) -> None:
        for field in (self.event_id, self.register_name, self.server_url, self.token):
            field.setEnabled(self.real.isChecked())

    def submit(self) -> None:
        if self.demo.isChecked():
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
        if not is_known_error(error):
            self.operation_runner.report(error, self)


__all__ = ["LoginDialog", "SetupDialog"]
