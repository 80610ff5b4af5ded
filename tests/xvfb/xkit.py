"""The till app on an Xvfb display as the xvfb tests see it: its events and xdotool."""

from __future__ import annotations

import json
import os
import queue
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

WAIT_S = 20.0

type Event = dict[str, Any]


@dataclass
class XTill:
    """The till app on the X display, its events, and xdotool to type into it."""

    process: subprocess.Popen[str]
    display: str
    events: queue.Queue[Event] = field(default_factory=queue.Queue)
    seen: list[Event] = field(default_factory=list)

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, timeout=WAIT_S,
                       env={**os.environ, "DISPLAY": self.display})

    def wait_for(self, matches: Callable[[Event], bool], what: str) -> Event:
        """The first event (already seen or to come) that ``matches``."""
        for event in self.seen:
            if matches(event):
                return event
        while True:
            try:
                event = self.events.get(timeout=WAIT_S)
            except queue.Empty:
                pytest.fail(f"no {what} within {WAIT_S:.0f} s; events: {self.seen[-10:]}")
            self.seen.append(event)
            if matches(event):
                return event

    def cart_is(self, tags: list[str]) -> Event:
        return self.wait_for(lambda e: e["kind"] == "cart" and e["tags"] == tags,
                             f"cart {tags}")


def read_events(process: subprocess.Popen[str], events: queue.Queue[Event]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("{"):
            events.put(json.loads(line))


