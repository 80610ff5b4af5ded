"""UUIDv7 identifiers generated on the register (RFC 9562), time-ordered and unique.

Python 3.12's ``uuid`` module has no ``uuid7``; this one is monotonic within a process even
if the wall clock steps back: the millisecond field never decreases, and a 12-bit counter
orders ids made in the same millisecond.
"""

from __future__ import annotations

import os
import threading
import time
import uuid


class Uuid7Generator:
    """Make UUIDv7 strings; thread-safe; never repeats or goes backwards in one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = 0
        self._counter = 0

    def new(self, now_ms: int | None = None) -> str:
        with self._lock:
            ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
            if ms <= self._last_ms:
                ms = self._last_ms
                self._counter += 1
                if self._counter > 0xFFF:
                    ms += 1
                    self._counter = 0
            else:
                self._counter = 0
            self._last_ms = ms
            return str(_assemble(ms, self._counter, int.from_bytes(os.urandom(8))))


def _assemble(ms: int, counter: int, rand: int) -> uuid.UUID:
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= (counter & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


_default = Uuid7Generator()


def new_id() -> str:
    """A new UUIDv7 string from the process-wide generator."""
    return _default.new()
