#!/usr/bin/env bash
# Install whatever is missing to build, run and test Border Atlas on Debian 12.
# Idempotent: each step checks first. Runs as root (or with sudo when available).
# Usage: scripts/install-deps.sh [system|ui|e2e|all]   (default: all)
set -euo pipefail
what=${1:-all}
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

# Debian packages: Tauri/WebKitGTK build deps, Xvfb for headless runs and tests,
# WebKitWebDriver for end-to-end tests, fonts for glyphs and exports, and the
# independent readers the tests check exports with (GDAL, poppler).
SYSTEM_PKGS=(
  build-essential pkg-config file curl ca-certificates
  libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core fonts-noto-core
  webkit2gtk-driver imagemagick gdal-bin poppler-utils
  python3 python3-venv nodejs npm
)

system() {
  local missing=()
  for p in "${SYSTEM_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node and npm may come from elsewhere (nvm, the image): accept them when present.
  if command -v node >/dev/null && command -v npm >/dev/null; then
    local keep=()
    for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || keep+=("$p"); done
    missing=("${keep[@]}")
  fi
  if command -v python3 >/dev/null; then
    local keep=()
    for p in "${missing[@]}"; do [ "$p" = python3 ] || keep+=("$p"); done
    missing=("${keep[@]}")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: installing Debian packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! command -v cargo >/dev/null; then
    echo "install-deps: cargo not found. Install Rust (rustup, or Debian's cargo >= 1.80) and re-run." >&2
    exit 1
  fi
}

ui() {
  if [ -f ui/package-lock.json ]; then
    if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
      echo "install-deps: npm ci in ui/" >&2
      (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
}

e2e() {
  if ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    echo "install-deps: cargo install tauri-driver" >&2
    cargo install tauri-driver --locked --version 2.1.0 >/dev/null 2>&1 || cargo install tauri-driver --locked
  fi
  if [ -f tests/e2e/requirements.txt ] && [ ! -x tests/e2e/.venv/bin/python ]; then
    python3 -m venv tests/e2e/.venv
    tests/e2e/.venv/bin/pip install -q -r tests/e2e/requirements.txt
  fi
  if [ -f tests/e2e/package-lock.json ] && [ ! -d tests/e2e/node_modules ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

case "$what" in
  system) system ;;
  ui) ui ;;
  e2e) e2e ;;
  all) system; ui; e2e ;;
  *) echo "usage: $0 [system|ui|e2e|all]" >&2; exit 2 ;;
esac
