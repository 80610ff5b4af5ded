"""The one module that imports PySide6: every Qt name the GUI uses comes from here.

As in qutebrowser's ``qutebrowser/qt`` and Anki's ``aqt/qt``, a Qt upgrade (or a switch of
binding) touches this file only. QtMultimedia is optional and loaded on demand by
:func:`load_sound_effect`: when it cannot load (no audio libraries on a headless box) the GUI
runs silent.
QtPrintSupport is required (receipts and Z reports).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

import shiboken6

if TYPE_CHECKING:
    from PySide6.QtCore import (
        QAbstractTableModel,
        QByteArray,
        QCoreApplication,
        QEvent,
        QEventLoop,
        QItemSelectionModel,
        QLocale,
        QMarginsF,
        QMetaObject,
        QModelIndex,
        QObject,
        QPersistentModelIndex,
        QPoint,
        QPointF,
        QRect,
        QRectF,
        QRegularExpression,
        QSize,
        QSizeF,
        Qt,
        QThread,
        QTimer,
        QUrl,
        Signal,
        Slot,
    )
    from PySide6.QtGui import (
        QAction,
        QBrush,
        QCloseEvent,
        QColor,
        QFont,
        QFontDatabase,
        QFontMetricsF,
        QGuiApplication,
        QIcon,
        QImage,
        QImageWriter,
        QKeyEvent,
        QKeySequence,
        QPageLayout,
        QPageSize,
        QPainter,
        QPaintEvent,
        QPalette,
        QPdfWriter,
        QPen,
        QPixmap,
        QRegularExpressionValidator,
        QScreen,
        QShortcut,
        QShowEvent,
    )
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QApplication,
        QButtonGroup,
        QCheckBox,
        QComboBox,
        QDialog,
        QDialogButtonBox,
        QFileDialog,
        QFormLayout,
        QFrame,
        QGridLayout,
        QGroupBox,
        QHBoxLayout,
        QHeaderView,
        QLabel,
        QLineEdit,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMessageBox,
        QPlainTextEdit,
        QProgressBar,
        QPushButton,
        QRadioButton,
        QSizePolicy,
        QSpinBox,
        QStackedWidget,
        QStatusBar,
        QStyle,
        QStyledItemDelegate,
        QStyleOptionViewItem,
        QTableView,
        QTableWidget,
        QTableWidgetItem,
        QToolButton,
        QVBoxLayout,
        QWidget,
    )

# Resolved on first use (PEP 562): naming a PySide6 class makes shiboken build its type, and
# building all of the ~90 below took 130-200 ms of a start before the first window; the
# login screen needs a dozen (docs/benchmarks.md, perceived start).
_HOMES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPrintSupport")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for home in _HOMES:
            value = getattr(importlib.import_module(home), name, None)
            if value is not None:
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def qt_object_alive(obj: object) -> bool:
    """False once the C++ side of a Qt object was deleted (a closed dialog, say)."""
    return bool(shiboken6.isValid(obj))


def load_sound_effect() -> type | None:
    """``QtMultimedia.QSoundEffect``, or None when QtMultimedia cannot load or there is no
    audio output device.

    Imported on first use, not at import time: loading QtMultimedia probes audio back-ends,
    which a silent or headless register never needs. What that probe says (back-ends it
    cannot load, no PulseAudio server) goes to the debug log, not to the console.
    """
    from PySide6.QtCore import qInstallMessageHandler

    previous = qInstallMessageHandler(_probe_message)
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        outputs = QMediaDevices.audioOutputs()
    except ImportError:  # pragma: no cover - depends on the machine
        return None
    finally:
        qInstallMessageHandler(previous)
    return QSoundEffect if outputs else None


def _probe_message(kind: object, context: object, message: str) -> None:
    logging.getLogger("pos_app.ui.qt").debug("Qt while probing audio: %s", message)


__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QApplication",
    "QBrush",
    "QButtonGroup",
    "QByteArray",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDialog",
    "QDialogButtonBox",
    "QEvent",
    "QEventLoop",
    "QFileDialog",
    "QFont",
    "QFontDatabase",
    "QFontMetricsF",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIcon",
    "QImage",
    "QImageWriter",
    "QItemSelectionModel",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QMainWindow",
    "QMarginsF",
    "QMessageBox",
    "QMetaObject",
    "QModelIndex",
    "QObject",
    "QPageLayout",
    "QPageSize",
    "QPaintEvent",
    "QPainter",
    "QPalette",
    "QPdfWriter",
    "QPen",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPoint",
    "QPointF",
    "QPrintDialog",
    "QPrinter",
    "QPrinterInfo",
    "QProgressBar",
    "QPushButton",
    "QRadioButton",
    "QRect",
    "QRectF",
    "QRegularExpression",
    "QRegularExpressionValidator",
    "QScreen",
    "QShortcut",
    "QShowEvent",
    "QSize",
    "QSizeF",
    "QSizePolicy",
    "QSpinBox",
    "QStackedWidget",
    "QStatusBar",
    "QStyle",
    "QStyleOptionViewItem",
    "QStyledItemDelegate",
    "QTableView",
    "QTableWidget",
    "QTableWidgetItem",
    "QThread",
    "QTimer",
    "QToolButton",
    "QUrl",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
    "load_sound_effect",
    "qt_object_alive",
]
