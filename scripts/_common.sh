# Shared helpers for scripts/run-demo.sh and scripts/test.sh (sourced, not run).
# Finds a Python >= 3.12 (PySide6 6.12 aborts on 3.11), keeps .venv in sync with
# uv.lock, and installs the system libraries headless Qt needs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

QT_APT_PACKAGES=(libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libx11-6 libpulse0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1
  libzbar0 poppler-utils
  xvfb xauth xdotool)  # the Xvfb lane (tests/xvfb) types into the real window with xdotool

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  if [[ -n "${POS_PYTHON:-}" ]] && python_ok "$POS_PYTHON"; then echo "$POS_PYTHON"; return 0; fi
  for candidate in python3.13 python3.12 python3.14 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv installs that are not the global version: their shims refuse to run.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 \
                   /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    if [[ -x "$candidate" ]] && python_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

# uv installs the exact versions (and hashes) of uv.lock; pip only bootstraps this one pinned uv.
UV_VERSION="0.13.9"

UV="$VENV/.uv/bin/uv"

# uv lives in .venv/.uv, outside the environment it manages, so an exact sync leaves it alone.
ensure_uv() {
  if [[ ! -x "$UV" ]] || [[ "$("$UV" --version 2>/dev/null)" != "uv $UV_VERSION"* ]]; then
    log "Installing uv $UV_VERSION into .venv/.uv (it installs the locked dependencies)"
    rm -rf "$VENV/.uv"
    "$VENV/bin/python" -m pip install --quiet --target "$VENV/.uv" "uv==$UV_VERSION"
  fi
}

# ensure_venv EXTRAS: .venv holds pos_app (editable) and exactly the versions in uv.lock, with
# the comma-separated extras (dev, build; "" for none). Fails when uv.lock is out of date with
# pyproject.toml: run `.venv/bin/uv lock` after changing the dependencies, and commit both.
ensure_venv() {
  local extras="$1" python stamp extra
  local sync_args=(sync --locked --python "$VENV/bin/python")
  if compgen -G "$VENV/lib/python3*/site-packages/[Pp]y[Ss]ide6-[0-9]*.dist-info" >/dev/null; then
    # Uninstalling the old PySide6 meta-package deletes files PySide6-Essentials shares with it.
    log "Rebuilding .venv: it still has the PySide6 meta-package"
    rm -rf "$VENV"
  fi
  if [[ ! -x "$VENV/bin/python" ]] || ! python_ok "$VENV/bin/python"; then
    python="$(find_python)" || {
      echo "pos_app needs Python 3.12 or newer (PySide6 6.12 crashes on 3.11)." >&2
      echo "Install python3.12 (or set POS_PYTHON=/path/to/python3.12) and run this again." >&2
      exit 1
    }
    log "Creating .venv with $python ($("$python" --version))"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-${extras//,/-}-$(cat "$ROOT/pyproject.toml" "$ROOT/uv.lock" | sha256sum | cut -c1-16)"
  if [[ ! -f "$stamp" ]]; then
    ensure_uv
    for extra in ${extras//,/ }; do sync_args+=(--extra "$extra"); done
    log "Installing pos_app[$extras] into .venv from uv.lock"
    (cd "$ROOT" && UV_PROJECT_ENVIRONMENT="$VENV" "$UV" "${sync_args[@]}" --quiet)
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
}

ensure_qt_libraries() {
  local missing=() pkg
  command -v dpkg >/dev/null 2>&1 || return 0
  for pkg in "${QT_APT_PACKAGES[@]}" "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "Missing system packages: ${missing[*]}" >&2; return 0; }
    sudo="sudo"
  fi
  log "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_worker_packages() {
  command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed for the Worker tests." >&2; exit 1; }
  local stamp="$ROOT/worker/node_modules/.installed-$(sha256sum "$ROOT/worker/package-lock.json" | cut -c1-16)"
  if [[ ! -f "$stamp" ]]; then
    log "Installing the Worker's npm packages (wrangler)"
    (cd "$ROOT/worker" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  fi
}
