"""The ``pos-app`` command: the GUI by default, plus headless tools.

    pos-app [--db PATH]              the checkout on the configured register
    pos-app --demo [--items N]       the checkout on the demo event (created on first run)
    pos-app --self-test              headless end-to-end check of this installation
    pos-app demo --items N [--db P]  create a demo event in a database file
    pos-app sync --once | status     push and pull now, or show the sync state
    pos-app backup DEST / restore SRC / report / labels / verify
    pos-app admin ...                the organiser's commands (events, registers, CSV, sheet)
    pos-app where                    the folders of the database, backups, receipts, logs
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

Command = Callable[[Sequence[str]], int]

COMMANDS: dict[str, str] = {
    "demo": "pos_app.app:demo_main",
    "verify": "pos_app.app:verify_main",
    "sync": "pos_app.sync.cli:main",
    "backup": "pos_app.cli_tools:backup_main",
    "restore": "pos_app.cli_tools:restore_main",
    "report": "pos_app.cli_tools:report_main",
    "labels": "pos_app.cli_tools:labels_main",
    "where": "pos_app.paths:where_main",
    "admin": "pos_app.admin_cli:main",
}


def _command(name: str) -> Command:
    module_name, _, function = COMMANDS[name].partition(":")
    command: Command = getattr(importlib.import_module(module_name), function)
    return command


def _run(name: str, argv: Sequence[str]) -> int:
    """Run one command; a database condition it let through is one message, not a traceback.

    The commands handle a damaged or held file themselves; this is the net under all of them
    (and any command added later): a known SQLite condition gets
    :func:`~pos_app.store.errors.refusal_message` and exit status 1, a bug still propagates.
    """
    try:
        return _command(name)(argv)
    except Exception as error:
        from pos_app.store.errors import StoreError, classify, refusal_message

        known = error if isinstance(error, StoreError) else classify(error)
        if known is None:
            raise
        print(refusal_message(known), file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        if args[0] in COMMANDS:
            return _run(args[0], args[1:])
        print(f"pos-app: unknown command {args[0]!r}; see pos-app --help", file=sys.stderr)
        return 2
    from pos_app import app

    return app.gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
