#!/bin/bash
# Start-up time to the first complete map frame of a built app, under Xvfb.
#   scripts/ui-startup.sh [APP] [RUNS]     default APP: target/release/border-atlas, RUNS 5
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
APP="$(realpath "${1:-target/release/border-atlas}")"
RUNS="${2:-5}"
VENV="$ROOT/tests/e2e/.venv"
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV"; "$VENV/bin/pip" install -q -r tests/e2e/requirements.txt; }
export ATLAS_APP="$APP"
exec xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  tauri-driver --port 4444 --native-port 4445 > /dev/null 2>&1 &
  TD=$!
  trap "kill -TERM $TD 2>/dev/null; wait $TD 2>/dev/null" EXIT
  for i in $(seq 1 100); do
    if (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/4445) 2>/dev/null; then break; fi
    sleep 0.1
  done
  cd tests/e2e && "'"$VENV"'/bin/python" startup.py '"$RUNS"'
'
