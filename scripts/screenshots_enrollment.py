#!/usr/bin/env python3
"""Reproduce docs/screenshots/enrollment-sheet.png, first-start.png, first-start-refused.png.

Run under a virtual X server (or with QT_QPA_PLATFORM=offscreen):

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots_enrollment.py

It starts the local Worker (``pos_app.devtools.local_worker``, offline), sets up an event
with ``pos-app admin`` (3 registers), prints the enrollment sheet and turns its first page
into a PNG with ``pdftoppm`` (poppler-utils), then shows a fresh register's first-start screen,
and the same screen after scanning a code that was already used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pos_app import admin_cli  # noqa: E402
from pos_app.devtools.local_worker import start_local_worker  # noqa: E402
from pos_app.services.setup import MemoryTokenStore  # noqa: E402
from pos_app.store.engine import Database  # noqa: E402
from pos_app.sync.organiser import OrganiserClient  # noqa: E402
from pos_app.ui.bundle import UiOptions  # noqa: E402
from pos_app.ui.feedback import SilentPlayer  # noqa: E402
from pos_app.ui.main import AppShell  # noqa: E402
from pos_app.ui.qt import QApplication  # noqa: E402
from pos_app.ui.startup import SetupDialog  # noqa: E402
from pos_app.ui.widgets import apply_style  # noqa: E402
from pos_app.ui.wiring import DatabaseSetup  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
EVENT = "spring-2026"


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="pos-shots-"))
    worker = start_local_worker(work / "d1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    apply_style(app)
    try:
        os.environ.update(POS_ADMIN_URL=worker.url, POS_ADMIN_TOKEN=worker.admin_token)
        for argv in (["events", "create", EVENT, "--name", "Spring Kids Consignment Sale",
                      "--starts", "2026-05-15", "--ends", "2026-05-17", "--tax", "8.25",
                      "--discount", "2026-05-17T08:00=50"],
                     ["registers", "add", EVENT, "front-1", "front-2", "back-1"],
                     ["sheet", EVENT, str(work / "sheet.pdf")]):
            assert admin_cli.main(argv) == 0, argv
        pdftoppm = shutil.which("pdftoppm")
        assert pdftoppm, "install poppler-utils for pdftoppm"
        subprocess.run([pdftoppm, "-r", "80", "-png", "-singlefile", str(work / "sheet.pdf"),
                        str(OUT / "enrollment-sheet")], check=True)
        print(f"wrote {(OUT / 'enrollment-sheet.png').relative_to(ROOT)}")
        with OrganiserClient(worker.url, worker.admin_token) as organiser:
            organiser.create_register(EVENT, "spare-1", "Spare 1")
            code = organiser.enrollment_code("spare-1")["code"]
        from pos_app.services.enrollment import EnrollmentTicket

        ticket = EnrollmentTicket(worker.url, EVENT, "spare-1", code)
        setup = DatabaseSetup(Database.open(work / "used.sqlite3"), MemoryTokenStore(),
                              lambda: datetime.now(UTC))
        setup.enroll(ticket.payload())  # used once: the screen below shows the refusal
        setup.close()
        fresh = DatabaseSetup(Database.open(work / "fresh.sqlite3"), MemoryTokenStore(),
                              lambda: datetime.now(UTC))
        shell = AppShell(None, fresh, UiOptions(sounds=False, interactive_errors=False),
                         sounds=SilentPlayer())
        shell.start(app)
        dialog = shell.dialog
        assert isinstance(dialog, SetupDialog)
        for _ in range(10):
            app.processEvents()
        dialog.grab().save(str(OUT / "first-start.png"))
        print(f"wrote {(OUT / 'first-start.png').relative_to(ROOT)}")
        dialog.handle_scan(ticket.payload())
        while "Set-up failed" not in dialog.message.text():
            app.processEvents()
        for _ in range(10):
            app.processEvents()
        dialog.grab().save(str(OUT / "first-start-refused.png"))
        print(f"wrote {(OUT / 'first-start-refused.png').relative_to(ROOT)}")
        shell.shutdown(app)
        fresh.close()
    finally:
        worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
