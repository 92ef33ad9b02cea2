#!/usr/bin/env bash
# Generate the hostile inputs too big for CI and measure how the engine takes them,
# through the release CLI under /usr/bin/time -v (peak RSS). Results go in
# docs/security.md ("Resource limits"). Needs about 4 GB of free disk in $OUT.
#
#   scripts/hostile-inputs.sh [OUT_DIR]      (default: a temporary directory, removed after)
#
# 1. polygon-1e8.geojson: one feature whose polygon ring has 10^8 positions (1.2 GB):
#    refused at the vertex limit (5,000,000) after reading ~50 MB.
# 2. incidents-2gb.geojson: 2 GB of point incidents (10 million features, unique ids):
#    streamed in 16 MiB chunks; memory is the loaded store plus a bounded buffer.
# 3. property-100mb.geojson / field-100mb.csv: one 100 MB string: refused at 16 MiB.
# 4. deep-1e5.geojson: nesting 10^5 deep: refused at level 65.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-}"
if [[ -z "$OUT" ]]; then
    OUT="$(mktemp -d)"
    trap 'rm -rf "$OUT"' EXIT
fi
mkdir -p "$OUT"
# ATLAS=path/to/atlas to measure another build (e.g. target/debug/atlas).
if [[ -z "${ATLAS:-}" ]]; then
    cargo build --release -p atlas-cli >/dev/null
    ATLAS="$PWD/target/release/atlas"
fi

measure() { # NAME COMMAND...
    local name="$1"
    shift
    local log="$OUT/$name.time"
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -v "$@" >"$OUT/$name.out" 2>"$log" || true
    end=$(date +%s.%N)
    local rss size
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    size=$(stat -c %s "${@: -1}")
    printf '%-24s %12s bytes  peak RSS %8.1f MiB  %6.1f s  %s\n' "$name" "$size" \
        "$(echo "$rss / 1024" | bc -l)" "$(echo "$end - $start" | bc -l)" \
        "$(grep -v '^ *$' "$OUT/$name.out" | head -n 1 | cut -c1-160)"
}

echo "generating in $OUT ..."
set +o pipefail # `yes | head` ends yes with SIGPIPE
# 1. 10^8 positions in one ring.
{
    printf '{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[['
    yes '[70.5,33.5],' | head -n 99999999 | tr -d '\n'
    printf '[70.5,33.5]]]}}\n]}\n'
} >"$OUT/polygon-1e8.geojson"
# 2. 2 GB of incidents.
awk 'BEGIN {
    print "{\"type\":\"FeatureCollection\",\"features\":[";
    n = 10000000;
    for (i = 0; i < n; i++) {
        printf "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.4f,%.4f]},\"properties\":{\"event_id_cnty\":\"PAK%d\",\"event_date\":\"2025-%02d-%02d\",\"event_type\":\"Battles\",\"fatalities\":%d,\"notes\":\"synthetic hostile-input test row\"}}%s\n",
            69 + (i % 5000) / 1000.0, 31 + (i % 7000) / 1000.0, i, 1 + i % 12, 1 + i % 28, i % 7, (i < n - 1 ? "," : "");
    }
    print "]}";
}' >"$OUT/incidents-2gb.geojson"
# 3. A 100 MB property and a 100 MB CSV field.
{
    printf '{"type":"FeatureCollection","features":[\n{"type":"Feature","geometry":null,"properties":{"event_date":"2025-10-12","event_type":"Battles","notes":"'
    head -c 104857600 /dev/zero | tr '\0' 'x'
    printf '"}}\n]}\n'
} >"$OUT/property-100mb.geojson"
{
    printf 'lat,lon,date,notes\n34,71,2025-10-12,"'
    head -c 104857600 /dev/zero | tr '\0' 'x'
    printf '"\n'
} >"$OUT/field-100mb.csv"
# 4. Nesting 10^5 deep.
{
    printf '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"a":'
    head -c 100000 /dev/zero | tr '\0' '['
} >"$OUT/deep-1e5.geojson"

echo "measuring (atlas validate FILE) ..."
for f in polygon-1e8.geojson incidents-2gb.geojson property-100mb.geojson field-100mb.csv deep-1e5.geojson; do
    measure "${f%.*}" "$ATLAS" validate "$OUT/$f"
done
