"""Tell a keyboard-wedge scanner from a person typing, by the time between keystrokes.

A scanner types a whole code in a few milliseconds and ends it with a suffix (Enter by
default); a person types keys 80 ms or more apart. Keys are held back while they could still
be a scan and released as typing as soon as a gap shows they are not (``tick`` releases them
after the gap even if no key follows). A configured prefix marks a scan whatever its speed.
Time comes from the caller (a monotonic clock in seconds), so tests control it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ScannerConfig:
    max_gap_s: float = 0.035
    min_length: int = 4
    prefix: str = ""
    suffix: str = "\r"
    prefix_timeout_s: float = 1.0


@dataclass(frozen=True, slots=True)
class Scan:
    code: str


@dataclass(frozen=True, slots=True)
class Typed:
    text: str


type ScanAction = Scan | Typed


@dataclass
class ScanDetector:
    config: ScannerConfig = field(default_factory=ScannerConfig)
    _buffer: str = ""
    _last_key_at: float = 0.0

    @property
    def pending(self) -> str:
        return self._buffer

    def key(self, text: str, now: float) -> list[ScanAction]:
        """Feed one keystroke's text (the suffix included) typed at ``now``."""
        actions = self.tick(now)
        if text == self.config.suffix:
            actions.extend(self._finish(now))
            return actions
        self._buffer += text
        self._last_key_at = now
        return actions

    def tick_due(self, now: float) -> bool:
        """Held keys are waiting and too long has passed since the last one."""
        return bool(self._buffer) and now - self._last_key_at > self._timeout()

    def tick(self, now: float) -> list[ScanAction]:
        """Release held keys as typing once too long has passed since the last one."""
        if not self.tick_due(now):
            return []
        return [self._release_as_typing()]

    def _finish(self, now: float) -> list[ScanAction]:
        code = self._buffer
        if self._has_prefix():
            self._buffer = ""
            return [Scan(code[len(self.config.prefix):])]
        fast = now - self._last_key_at <= self.config.max_gap_s
        if code and fast and len(code) >= self.config.min_length:
            self._buffer = ""
            return [Scan(code)]
        self._buffer = ""
        return [Typed(code + self.config.suffix)]

    def _release_as_typing(self) -> Typed:
        text, self._buffer = self._buffer, ""
        return Typed(text)

    def _has_prefix(self) -> bool:
        prefix = self.config.prefix
        return bool(prefix) and self._buffer.startswith(prefix)

    def _timeout(self) -> float:
        return self.config.prefix_timeout_s if self._has_prefix() else self.config.max_gap_s
