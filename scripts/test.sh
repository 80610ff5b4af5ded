#!/usr/bin/env bash
# Run the whole test suite (lint, types, unit, integration against a local Worker, GUI offscreen),
# installing what it needs first: Python 3.12+ venv, apt libraries for headless Qt, npm packages.
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
ensure_venv dev
ensure_qt_libraries
ensure_worker_packages
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen CI="${CI:-true}" WRANGLER_SEND_METRICS=false
log "ruff"
"$VENV/bin/ruff" check pos_app tests bench migrations
log "mypy (strict on core, store, services, sync)"
"$VENV/bin/mypy"
log "Worker type check and vitest"
npm run --prefix worker --silent typecheck
npm test --prefix worker --silent
log "pytest (unit, integration, GUI offscreen, and the Xvfb lane: tests/xvfb starts Xvfb and types with xdotool)"
command -v Xvfb >/dev/null && command -v xdotool >/dev/null \
  || echo "Xvfb or xdotool missing: the tests/xvfb lane will be skipped" >&2
"$VENV/bin/pytest" "$@"
