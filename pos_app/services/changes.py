"""Change flags an operation returns, so screens refresh only what changed (as Anki OpChanges)."""

from __future__ import annotations

import enum


class Changes(enum.Flag):
    NONE = 0
    CART = enum.auto()
    CATALOG = enum.auto()
    SALES = enum.auto()
    OUTBOX = enum.auto()
    SHIFT = enum.auto()
    HOLDS = enum.auto()
    CONFLICTS = enum.auto()
