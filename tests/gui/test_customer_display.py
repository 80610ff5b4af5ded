"""The customer display on a second screen, with two real X screens under Xvfb: it opens on the
screen that is not the cashier's, follows the cart (last item, total, count, savings) and shows
the change after payment; with one screen there is none.

The two-screen run is a fresh process under ``xvfb-run`` driving ``scripts/
customer_display_demo.py`` (the suite itself runs offscreen, where there is one screen).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from guikit import Till

ROOT = Path(__file__).resolve().parents[2]

DRIVER = ROOT / "scripts" / "customer_display_demo.py"


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb (apt: xvfb)")
def test_the_display_opens_on_the_second_screen_and_follows_the_sale(demo_template: Path,
                                                                    tmp_path: Path) -> None:
    db = tmp_path / "register.sqlite3"
    db.write_bytes(demo_template.read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(ROOT)
    picture = tmp_path / "display.png"
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24 -screen 1 800x480x24",
         sys.executable, str(DRIVER), str(db), str(picture), "1001-0010", "1002-0010"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert len(report["screens"]) == 2
    assert report["window_screen"] == 1366
    assert report["display_screen"] == 800 and report["display_size"] == [800, 480]
    assert report["visible"] is True
    assert report["empty"] == {"item": "Welcome!", "total": "$0.00", "detail": ""}
    cart = report["cart"]
    assert report["scanned"]["item"] == f"{cart['last'][0]}   {cart['last'][1]}"
    assert report["scanned"]["total"] == f"Total {cart['total']}"
    assert report["scanned"]["detail"].startswith("2 items")
    assert report["paid"] == {"item": f"Paid {cart['paid']}", "total": "Change $10.00",
                              "detail": "Thank you!"}
    assert picture.stat().st_size > 0
    assert picture.with_name("display-cart.png").stat().st_size > 0


def test_with_one_screen_there_is_no_customer_display(till: Till) -> None:
    assert till.shell.customer_display is None
