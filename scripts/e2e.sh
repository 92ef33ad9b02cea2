#!/bin/bash
# End-to-end tests of the real app: builds the UI and the app (debug), then runs
# tests/e2e/test_app.py through tauri-driver + WebKitWebDriver under Xvfb.
# Screenshots of each state: tests/e2e/out/. Works with no display (CI).
#
#   scripts/e2e.sh            build + test
#   E2E_NO_BUILD=1 scripts/e2e.sh   test an already built target/debug/border-atlas
#   ATLAS_APP=/path/to/border-atlas scripts/e2e.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
APP="${ATLAS_APP:-$TARGET_DIR/debug/border-atlas}"
VENV="$ROOT/tests/e2e/.venv"

need() { command -v "$1" >/dev/null 2>&1 || { echo "e2e: missing $1 ($2)" >&2; exit 2; }; }
need xvfb-run "apt-get install xvfb xauth"
need WebKitWebDriver "apt-get install webkit2gtk-driver"
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "e2e: installing tauri-driver" >&2
  cargo install tauri-driver --locked
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r tests/e2e/requirements.txt
fi

if [ -z "${E2E_NO_BUILD:-}" ] && [ -z "${ATLAS_APP:-}" ]; then
  (cd ui && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run build --silent)
  cargo build -p border-atlas
fi
[ -x "$APP" ] || { echo "e2e: no app at $APP" >&2; exit 2; }

mkdir -p tests/e2e/out
export ATLAS_APP="$APP"
# The app may read and write under tests/ (fixtures, outputs) without a native dialog.
export BORDER_ATLAS_E2E_GRANT="$ROOT/tests"
# A fresh config folder: no recent projects, no autosaves to offer.
export BORDER_ATLAS_CONFIG_DIR="$ROOT/tests/e2e/out/app-config"
rm -rf "$BORDER_ATLAS_CONFIG_DIR"
# Everything below runs inside one Xvfb display; tauri-driver is stopped with SIGTERM
# (SIGKILL leaves WebKitWebDriver holding the pipes and the run hangs).
exec xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -u
  tauri-driver --port 4444 --native-port 4445 > tests/e2e/out/tauri-driver.log 2>&1 &
  TD=$!
  trap "kill -TERM $TD 2>/dev/null; wait $TD 2>/dev/null" EXIT
  for i in $(seq 1 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/4445) 2>/dev/null; then break; fi
    sleep 0.1
  done
  "'"$VENV"'/bin/python" tests/e2e/test_app.py
'
