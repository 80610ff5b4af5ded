#!/usr/bin/env bash
# Build the onedir bundle for this OS (Linux or macOS) into dist/pos-app, then smoke-test it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/_common.sh"
ensure_venv dev,build   # PyInstaller's version is in uv.lock with the rest
cd "$ROOT"
"$VENV/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  packaging/pos_app.spec
bash packaging/smoke_test.sh dist/pos-app/pos-app
du -sh dist/pos-app
