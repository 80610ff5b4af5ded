"""The scan feedback panel: a colour flash and a message, plus the matching sound."""

from __future__ import annotations

from pos_app.ui.feedback import TONE_COLOURS, ScanFeedback, SoundPlayer, Tone
from pos_app.ui.qt import QLabel, Qt, QTimer, QVBoxLayout, QWidget

FLASH_MS = 700
_TINTS = {Tone.GOOD: "#dcfce7", Tone.WARN: "#fef3c7", Tone.BAD: "#fee2e2"}
_TEXT = {Tone.GOOD: "#14532d", Tone.WARN: "#78350f", Tone.BAD: "#7f1d1d"}


class FeedbackPanel(QWidget):
    """Shows the last scan's outcome: strong colour for a moment, then a tint that stays."""

    def __init__(self, sounds: SoundPlayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
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
        self._colours: tuple[str, str] | None = None
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
        if self._colours == (background, text):
            return  # re-polishing the panel costs a relayout: only when the colours change
        self._colours = (background, text)
        self.setStyleSheet(
            f"#feedbackPanel {{ background: {background}; border-radius: 8px; }}"
            f"#feedbackHeadline {{ color: {text}; font-size: 20pt; font-weight: 700; }}"
            f"#feedbackDetail {{ color: {text}; font-size: 13pt; }}"
        )
