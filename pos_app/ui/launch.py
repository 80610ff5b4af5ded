"""What ``pos_app.app.gui_main`` calls: options from the command line, then :func:`run_gui`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime

from pos_app.services.context import NotConfigured
from pos_app.services.settings import RegisterSettings, SettingsStore
from pos_app.services.setup import TokenStore
from pos_app.store.engine import Database
from pos_app.store.integrity import BackgroundCheck
from pos_app.ui.bundle import UiOptions, UiServices
from pos_app.ui.login import LoginDialog
from pos_app.ui.main import run_gui
from pos_app.ui.wiring import DatabaseSetup


def options_from(args: argparse.Namespace, store: SettingsStore | None) -> UiOptions:
    """The GUI's options: the register's saved settings, then the command line over them."""
    settings = store.load() if store is not None else RegisterSettings()
    receipts_to = getattr(args, "receipts_to", None)
    return UiOptions(
        scanner=settings.scanner(), printer_name=settings.printer_name,
        receipt_dir=receipts_to or settings.pdf_folder(),
        escpos=settings.escpos(), drawer=settings.drawer(),
        full_screen=bool(getattr(args, "full_screen", False)),
        sounds=settings.sounds and not getattr(args, "mute", False), settings=store)


def launch(database: Database, tokens: TokenStore, clock: Callable[[], datetime],
           args: argparse.Namespace, settings: SettingsStore | None = None, *,
           login: LoginDialog | None = None, file_check: BackgroundCheck | None = None) -> int:
    """Run the GUI on ``database`` (set-up first if the register is not configured); a
    ``login`` dialog already on screen is taken over rather than shown again; ``file_check``:
    the file's check still running behind the login (:mod:`pos_app.ui.file_check`)."""
    setup = DatabaseSetup(database, tokens, clock, demo_items=getattr(args, "items", 20_000))
    services: UiServices | None
    try:
        services = setup.load()
    except NotConfigured:
        services = None
    options = options_from(args, settings)
    try:
        return run_gui(services, setup=setup, options=options, login=login,
                       file_check=file_check)
    finally:
        setup.close()
        database.close()
