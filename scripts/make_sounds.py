#!/usr/bin/env python3
"""Generate the scan feedback sounds (small 16-bit mono WAV files) into resources/sounds.

    good.wav   one short high beep            (item added)
    warn.wav   two quick mid beeps            (already in the cart, cart full)
    bad.wav    a low falling buzz, twice      (unknown tag, wrong check digit, sold)

Pure standard library (``wave``); re-run after changing a tone. Output is deterministic.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44_100  # CD rate: every audio device plays it without resampling trouble
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"

# (frequency Hz, duration s, volume 0..1) segments; frequency 0 is silence.
TONES: dict[str, list[tuple[float, float, float]]] = {
    "good": [(1760.0, 0.09, 0.5)],
    "warn": [(880.0, 0.08, 0.5), (0.0, 0.05, 0.0), (880.0, 0.08, 0.5)],
    "bad": [(330.0, 0.18, 0.6), (0.0, 0.04, 0.0), (247.0, 0.26, 0.6)],
}


def samples(frequency: float, duration: float, volume: float) -> list[int]:
    count = int(RATE * duration)
    fade = max(1, int(RATE * 0.008))  # 8 ms fade in/out: no clicks
    out = []
    for n in range(count):
        envelope = min(1.0, n / fade, (count - n) / fade)
        value = math.sin(2 * math.pi * frequency * n / RATE) if frequency else 0.0
        if frequency and frequency < 500:  # a buzz: add odd harmonics
            value = 0.7 * value + 0.3 * math.sin(2 * math.pi * 3 * frequency * n / RATE)
        out.append(int(32767 * volume * envelope * value))
    return out


def write(name: str, segments: list[tuple[float, float, float]]) -> Path:
    data = [s for segment in segments for s in samples(*segment)]
    path = OUT / f"{name}.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(data)}h", *data))
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, segments in TONES.items():
        path = write(name, segments)
        print(f"{path.relative_to(OUT.parent.parent.parent.parent)}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
