"""What the cashier sees and hears after a scan: a tone, a colour and a plain message.

Green and a short beep for an item added; amber and two beeps for a harmless repeat (already
in the cart); red and a buzz for anything that needs attention (unknown tag, wrong check
digit, sold earlier). The mapping is pure data so tests can check every case.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from pos_app.services.catalog import ScanRefusal, ScanRefusalKind
from pos_app.ui.assets import sound_path
from pos_app.ui.qt import QObject, QUrl, load_sound_effect

log = logging.getLogger(__name__)


class Tone(StrEnum):
    GOOD = "good"
    WARN = "warn"
    BAD = "bad"


TONE_COLOURS = {Tone.GOOD: "#16a34a", Tone.WARN: "#d97706", Tone.BAD: "#dc2626"}


@dataclass(frozen=True, slots=True)
class ScanFeedback:
    tone: Tone
    headline: str
    detail: str = ""
    refusal: ScanRefusal | None = None


_HEADLINES: dict[ScanRefusalKind, tuple[Tone, str, str]] = {
    ScanRefusalKind.BAD_FORMAT: (Tone.BAD, "Not a tag", "Scan again or type the code."),
    ScanRefusalKind.BAD_CHECK_DIGIT: (Tone.BAD, "Wrong check digit",
                                      "Misread barcode: scan again or type the code."),
    ScanRefusalKind.UNKNOWN_TAG: (Tone.BAD, "Unknown tag", "Set the item aside for the lead."),
    ScanRefusalKind.IN_CART: (Tone.WARN, "Already in the cart", "Scanned twice: not added again."),
    ScanRefusalKind.SOLD_HERE: (Tone.BAD, "Sold earlier at this register",
                                "A manager can override if the sale was voided."),
    ScanRefusalKind.SOLD_ELSEWHERE: (Tone.BAD, "Sold at another register",
                                     "Check the tag; a manager can override."),
    ScanRefusalKind.NOT_FOR_SALE: (Tone.BAD, "Not for sale", "Set the item aside for the lead."),
    ScanRefusalKind.CART_FULL: (Tone.WARN, "Cart full", "Pay for these items, then continue."),
}


def feedback_for_refusal(refusal: ScanRefusal) -> ScanFeedback:
    tone, headline, hint = _HEADLINES[refusal.kind]
    return ScanFeedback(tone, headline, f"{refusal.message}. {hint}".replace("..", "."), refusal)


def feedback_for_added(description: str, tag_code: str, price: str) -> ScanFeedback:
    return ScanFeedback(Tone.GOOD, f"{description}  {price}", tag_code)


class SoundPlayer(Protocol):
    def play(self, tone: Tone) -> None: ...


class SilentPlayer:
    """No sound (no audio device, or muted); remembers what it would have played."""

    def __init__(self) -> None:
        self.played: list[Tone] = []

    def play(self, tone: Tone) -> None:
        self.played.append(tone)


class QtSoundPlayer(QObject):
    """Plays the WAV files through QSoundEffect, loaded once and kept ready (low latency)."""

    def __init__(self, sound_effect: type, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[Tone, Any] = {}
        for tone in Tone:
            effect = sound_effect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound_path(tone.value))))
            effect.setVolume(0.8)
            self._effects[tone] = effect

    def play(self, tone: Tone) -> None:
        effect = self._effects[tone]
        effect.stop()
        effect.play()


def default_player(parent: QObject | None = None) -> SoundPlayer:
    """QSoundEffect when QtMultimedia loaded, else silence."""
    sound_effect = load_sound_effect()
    if sound_effect is None:
        log.warning("No sound device (or no QtMultimedia): scan sounds are off")
        return SilentPlayer()
    return QtSoundPlayer(sound_effect, parent)
