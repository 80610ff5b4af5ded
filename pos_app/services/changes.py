"""What a use case changes, declared by the use case itself (as Anki's ``OpChanges``).

A service method that writes says which screens must refresh with ``@changes(...)``; the GUI
runs it with ``Operation.call(parent, service.method, *args)``, which broadcasts exactly
those flags after success. The caller never guesses. Only flags some screen listens to exist:

- ``OUTBOX``: something was queued for the server (the shell nudges the sync runner).
- ``HOLDS``: the held carts changed (the checkout's recall button shows their count).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any


class Changes(enum.Flag):
    NONE = 0
    OUTBOX = enum.auto()
    HOLDS = enum.auto()


_ATTRIBUTE = "changes"


def changes[F: Callable[..., Any]](flags: Changes) -> Callable[[F], F]:
    """Declare what the decorated use case changes when it succeeds."""

    def declare(method: F) -> F:
        setattr(method, _ATTRIBUTE, flags)
        return method

    return declare


def changes_of(method: Callable[..., Any]) -> Changes:
    """The changes ``method`` (a function or a bound method) declared; NONE if it declared none."""
    declared = getattr(method, _ATTRIBUTE, Changes.NONE)
    return declared if isinstance(declared, Changes) else Changes.NONE
