"""Dialogs shown inside the checkout window (a sheet) instead of as windows of their own.

A new top-level window takes the keyboard focus only once the window system has mapped and
focused it; keys typed in between go to the checkout window, which Qt drops while a modal
dialog blocks it, and keys typed while a dialog closes go nowhere until the focus comes back.
A scanner types the next shopper's tags in exactly those moments. So the checkout's dialogs
are child widgets of the checkout window, over a shaded backdrop that takes the clicks: the
keyboard focus never leaves the window, and every key reaches the scanner filter. While a
sheet is open, the checkout's own shortcuts are off (the dialog's F-keys are its own).
"""

from __future__ import annotations

from pos_app.ui.qt import (
    QDialog,
    QEvent,
    QMainWindow,
    QObject,
    QPoint,
    QShortcut,
    Qt,
    QWidget,
    qt_object_alive,
)

MARGIN = 24


class Sheet(QWidget):
    """The backdrop holding at most one embedded dialog."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("sheetBackdrop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#sheetBackdrop { background: rgba(17, 24, 39, 150); }")
        self._window = window
        self._dialog: QDialog | None = None
        self._return_focus: QWidget | None = None
        self._shortcuts: list[QShortcut] = []
        window.installEventFilter(self)
        self.hide()

    def present(self, dialog: QDialog, shortcuts: list[QShortcut]) -> None:
        """Show ``dialog`` in the window; the ``shortcuts`` are off until it closes."""
        self._return_focus = self._window.focusWidget()
        self._shortcuts = [shortcut for shortcut in shortcuts if shortcut.isEnabled()]
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
        dialog.setParent(self, Qt.WindowType.Widget)
        dialog.setAutoFillBackground(True)
        if dialog.objectName():  # a frame round the dialog (its children keep their look)
            dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            dialog.setStyleSheet(f"{dialog.styleSheet()}\n#{dialog.objectName()} "
                                 "{ background: #f3f4f6; border: 2px solid #374151;"
                                 " border-radius: 8px; }")
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self._dialog = dialog
        self.setGeometry(self._window.rect())
        self.show()
        self.raise_()
        dialog.show()
        self._place()
        focus: QWidget | None = dialog.focusWidget()  # None until a field asked for it
        if focus is not None:
            focus.setFocus()
        else:
            dialog.setFocus()
            dialog.focusNextChild()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
            self._place()
        return False

    def _place(self) -> None:
        dialog = self._dialog
        if dialog is None or not qt_object_alive(dialog):
            return
        hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint()).expandedTo(dialog.size())
        width = min(hint.width(), self.width() - 2 * MARGIN)
        height = min(hint.height(), self.height() - 2 * MARGIN)
        dialog.resize(width, height)
        dialog.move(QPoint((self.width() - width) // 2, (self.height() - height) // 2))

    def _closed(self, dialog: QDialog) -> None:
        if dialog is not self._dialog:
            return
        self._dialog = None
        self.hide()
        for shortcut in self._shortcuts:
            if qt_object_alive(shortcut):
                shortcut.setEnabled(True)
        self._shortcuts = []
        focus, self._return_focus = self._return_focus, None
        if focus is not None and qt_object_alive(focus):
            focus.setFocus()
