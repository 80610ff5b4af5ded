"""Small reusable widgets: F-key buttons, money and PIN fields, the app's look.

Big fonts everywhere (a till is read at arm's length), F-keys printed on the buttons and
bound as window shortcuts, so the register runs on keyboard and scanner alone.
"""

from __future__ import annotations

from collections.abc import Callable

from pos_app.core.money import MoneyError, parse_money
from pos_app.ui import qt
from pos_app.ui.assets import icon
from pos_app.ui.qt import (
    QApplication,
    QFont,
    QLabel,
    QLineEdit,
    QPushButton,
    QRegularExpression,
    QRegularExpressionValidator,
    QSize,
    QTimer,
    QWidget,
)

BASE_POINT_SIZE = 13
PRESSED_MS = 120

STYLE_SHEET = """
QWidget { font-size: 13pt; }
QTableView { font-size: 14pt; gridline-color: #e5e7eb; }
QTableView::item:selected { background: #bfdbfe; color: #111827; }
QHeaderView::section { font-size: 12pt; font-weight: 600; padding: 4px; background: #f3f4f6;
                       border: none; border-bottom: 1px solid #d1d5db; }
QPushButton { padding: 6px 10px; border: 1px solid #9ca3af; border-radius: 6px;
              background: #f9fafb; }
QPushButton:hover { background: #eef2ff; }
QPushButton:disabled { color: #9ca3af; }
QPushButton[fkey="true"] { font-size: 11pt; min-height: 52px; padding: 4px 6px; }
QPushButton#payButton { background: #16a34a; color: white; font-weight: 700; border: none; }
QPushButton#payButton:disabled { background: #86efac; }
QLineEdit { padding: 4px 6px; border: 1px solid #9ca3af; border-radius: 4px; }
QLabel#totalLabel { font-size: 44pt; font-weight: 800; color: #111827; }
QLabel#itemCountLabel { font-size: 18pt; color: #374151; }
QLabel#discountBanner { background: #fde68a; color: #78350f; font-size: 17pt; font-weight: 700;
                        padding: 6px 12px; border-radius: 6px; }
QLabel#headerLabel { font-size: 12pt; color: #374151; }
QLabel#dialogTitle { font-size: 18pt; font-weight: 700; }
QLabel#bigAmount { font-size: 30pt; font-weight: 800; }
"""


def apply_style(app: QApplication) -> None:
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def fkey_button(key: str, label: str, icon_name: str, on_click: Callable[[], None], *,
                window: QWidget, object_name: str = "") -> QPushButton:
    """A button reading e.g. ``F12  Pay``, bound to ``key`` anywhere in ``window``."""
    button = QPushButton(icon(icon_name), f"{key}  {label}", window)
    button.setProperty("fkey", True)
    button.setIconSize(QSize(24, 24))
    button.setFocusPolicy(qt.Qt.FocusPolicy.NoFocus)
    button.setToolTip(f"{label} ({key})")
    if object_name:
        button.setObjectName(object_name)
    button.clicked.connect(on_click)
    # Named here through `qt`, not imported above, like `qt.Qt` in this module: the login
    # screen, painted first, has no F-keys, and resolving these names (the `Qt` namespace
    # builds 94 enums) costs that first paint (docs/benchmarks.md, 5.)
    shortcut = qt.QShortcut(qt.QKeySequence(key), window)
    shortcut.setContext(qt.Qt.ShortcutContext.WindowShortcut)
    shortcut.activated.connect(lambda: press_now(button))
    return button


def press_now(button: QPushButton) -> None:
    """Click ``button`` for its F-key at once (the state changes before the next key is
    read, unlike ``animateClick``'s 100 ms delay), and show it pressed for a moment."""
    if not button.isEnabled():
        return
    button.setDown(True)
    QTimer.singleShot(PRESSED_MS, button, lambda: button.setDown(False))
    button.click()


class MoneyEdit(QLineEdit):
    """A field for an amount of money; :meth:`cents` parses it (None when not valid)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"^\$?\d{0,7}([.,]\d{0,2})?$"), self))
        self.setAlignment(qt.Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText("0.00")

    def cents(self) -> int | None:
        try:
            return parse_money(self.text())
        except MoneyError:
            return None

    def set_cents(self, cents: int) -> None:
        self.setText(f"{cents // 100}.{cents % 100:02d}")


class PinEdit(QLineEdit):
    """A masked field for a 4-8 digit PIN."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,8}$"), self))
        self.setMaxLength(8)
        self.setPlaceholderText("PIN")


def title_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("dialogTitle")
    return label
