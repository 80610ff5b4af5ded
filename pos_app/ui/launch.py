"""What ``pos_app.app.gui_main`` calls: options from the command line, then :func:`run_gui`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime

from pos_app.services.context import NotConfigured
from pos_app.services.setup import TokenStore
from pos_app.store.engine import Database
from pos_app.ui.bundle import UiOptions, UiServices
from pos_app.ui.main import run_gui
from pos_app.ui.wiring import DatabaseSetup


def launch(database: Database, tokens: TokenStore, clock: Callable[[], datetime],
           args: argparse.Namespace) -> int:
    """Run the GUI on ``database`` (set-up first if the register is not configured)."""
    setup = DatabaseSetup(database, tokens, clock, demo_items=getattr(args, "items", 20_000))
    services: UiServices | None
    try:
        services = setup.load()
    except NotConfigured:
        services = None
    options = UiOptions(receipt_dir=getattr(args, "receipts_to", None),
                        full_screen=bool(getattr(args, "full_screen", False)),
                        sounds=not getattr(args, "mute", False))
    try:
        return run_gui(services, setup=setup, options=options)
    finally:
        setup.close()
        database.close()
