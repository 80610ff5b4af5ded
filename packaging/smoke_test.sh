#!/usr/bin/env bash
# Run a built pos-app binary's self-test offscreen; exit non-zero if it fails.
set -euo pipefail
binary="${1:-dist/pos-app/pos-app}"
export QT_QPA_PLATFORM=offscreen POS_APP_HOME="$(mktemp -d)"
"$binary" --self-test
echo "smoke test passed: $binary"
