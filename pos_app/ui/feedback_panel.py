"""The scan feedback panel: a colour flash and a message, plus the matching sound.

The colours change on every scan (the flash, then the tint), so they are not in a style
sheet: a new style sheet re-polishes the panel and its labels and lays the side panel out
again. The background is painted here and the text colour is the labels' palette; only the
fonts, which never change, come from the style sheet, set once.
"""

from __future__ import annotations

from pos_app.ui.feedback import TONE_COLOURS, ScanFeedback, SoundPlayer, Tone
from pos_app.ui.qt import (
    QColor,
    QLabel,
    QPainter,
    QPaintEvent,
    QPalette,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)

FLASH_MS = 700
_TINTS = {Tone.GOOD: "#dcfce7", Tone.WARN: "#fef3c7", Tone.BAD: "#fee2e2"}
_TEXT = {Tone.GOOD: "#14532d", Tone.WARN: "#78350f", Tone.BAD: "#7f1d1d"}
RADIUS = 8
FONTS = ("#feedbackHeadline { font-size: 20pt; font-weight: 700; }"
         "#feedbackDetail { font-size: 13pt; }")


class FeedbackPanel(QWidget):
    """Shows the last scan's outcome: strong colour for a moment, then a tint that stays."""

    def __init__(self, sounds: SoundPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackPanel")
        self.setStyleSheet(FONTS)
        self._sounds = sounds
        self.headline = QLabel("Ready to scan", self)
        self.headline.setObjectName("feedbackHeadline")
        self.headline.setWordWrap(True)
        self.detail = QLabel("", self)
        self.detail.setObjectName("feedbackDetail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setMinimumHeight(150)
        self.tone: Tone | None = None
        self.flashing = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(FLASH_MS)
        self._settle.timeout.connect(self.settle)
        self.colours: tuple[str, str] = ("", "")  # background, text
        self._background = QColor()
        self._paint("#f3f4f6", "#374151")

    def show_feedback(self, feedback: ScanFeedback) -> None:
        self.tone = feedback.tone
        self.headline.setText(feedback.headline)
        self.detail.setText(feedback.detail)
        self.flashing = True
        self._paint(TONE_COLOURS[feedback.tone], "#ffffff")
        self._sounds.play(feedback.tone)
        self._settle.start()

    def settle(self) -> None:
        """End the flash: keep the tint of the last outcome."""
        self.flashing = False
        if self.tone is not None:
            self._paint(_TINTS[self.tone], _TEXT[self.tone])

    def _paint(self, background: str, text: str) -> None:
        if self.colours == (background, text):
            return
        self.colours = (background, text)
        self._background = QColor(background)
        for label in (self.headline, self.detail):
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
            label.setPalette(palette)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._background)
        painter.drawRoundedRect(self.rect(), RADIUS, RADIUS)
