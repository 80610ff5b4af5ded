#!/usr/bin/env bash
# Run pos_app on the demo event (embedded SQLite, no server). Sets itself up on first use.
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
ensure_venv ""  # no extras: the app alone
ensure_qt_libraries
exec "$VENV/bin/pos-app" --demo "$@"
