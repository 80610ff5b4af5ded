"""Exponential backoff with full jitter and a cap (the AWS "full jitter" scheme)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_s: float = 0.5
    cap_s: float = 60.0
    rand: Callable[[], float] = field(default=random.random)
    failures: int = 0

    def next_delay(self) -> float:
        """Record one more failure and return how long to wait before the next try."""
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(self.failures, 30))
        self.failures += 1
        return ceiling * self.rand()

    def reset(self) -> None:
        self.failures = 0
