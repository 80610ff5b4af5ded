"""The Xvfb lane: a real X server (Xvfb, started here) and ``xdotool`` typing into the
real checkout window, the way a keyboard-wedge scanner types.

Skipped, with the reason, only when Xvfb or xdotool is not installed (``scripts/test.sh``
installs both). The display number is chosen by Xvfb itself (``-displayfd``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from xkit import XTill, read_events

HERE = Path(__file__).resolve().parent


def _missing() -> list[str]:
    return [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    missing = _missing()
    if missing:
        pytest.skip(f"the Xvfb lane needs {' and '.join(missing)} "
                    "(apt-get install xvfb xauth xdotool; scripts/test.sh installs them)")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    number = server.stdout.readline().strip()
    if not number.isdigit():
        server.kill()
        pytest.fail(f"Xvfb did not start (it said {number!r})")
    yield f":{number}"
    server.terminate()
    server.wait(10)
    server.stdout.close()


@pytest.fixture
def xtill(display: str, tmp_path: Path) -> Iterator[XTill]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    process = subprocess.Popen([sys.executable, str(HERE / "till_app.py"), str(tmp_path)],
                               stdout=subprocess.PIPE, text=True, env=env)
    till = XTill(process, display)
    threading.Thread(target=read_events, args=(process, till.events), daemon=True).start()
    ready = till.wait_for(lambda e: e["kind"] == "ready", "checkout window")
    till.xdotool("windowfocus", "--sync", str(ready["window"]))
    yield till
    process.terminate()
    process.wait(10)
    if process.stdout is not None:
        process.stdout.close()
