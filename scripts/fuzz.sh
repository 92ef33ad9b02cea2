#!/usr/bin/env bash
# Run the libFuzzer targets in fuzz/ (see docs/security.md), one after the other on one
# core, each for SECONDS: `scripts/fuzz.sh [SECONDS] [TARGET...]` (default 600, all).
#
# The toolchain is stable: cargo-fuzz's nightly flags go through RUSTC_BOOTSTRAP=1.
# No sanitizer (-s none): the engine is safe Rust, so what fuzzing finds is panics,
# aborts, stack overflows, timeouts and runaway memory, which libFuzzer catches as is,
# at several times the executions per second of an ASan build.
#
# New inputs go to fuzz/corpus/TARGET (seeded from fuzz/seeds/TARGET); crashes to
# fuzz/artifacts/TARGET; libFuzzer's log and final stats to fuzz/logs/TARGET.log.
# Afterwards `scripts/fuzz.sh --cmin` minimises every corpus (commit the result).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

ALL=(geojson csv project)
if [[ "${1:-}" == "--cmin" ]]; then
    shift
    for t in "${@:-${ALL[@]}}"; do
        cargo fuzz cmin -s none "$t" "fuzz/corpus/$t" -- -rss_limit_mb=2048 -timeout=10 -max_len=65536
    done
    exit 0
fi

SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("${@:-${ALL[@]}}")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL[@]}")
mkdir -p fuzz/logs
for t in "${TARGETS[@]}"; do cargo fuzz build -s none "$t"; done
status=0
for t in "${TARGETS[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    echo "== fuzz $t for ${SECONDS_EACH}s (log: fuzz/logs/$t.log)"
    # -rss_limit_mb: any input needing more is a finding (inputs are at most 64 KiB).
    # -timeout: one input taking over 10 s is a finding (a hang or a quadratic path).
    if ! cargo fuzz run -s none "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -dict="fuzz/$t.dict" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 -timeout=10 -max_len=65536 -print_final_stats=1 \
        >"fuzz/logs/$t.log" 2>&1; then
        echo "   $t: FOUND A CRASH (see fuzz/logs/$t.log and fuzz/artifacts/$t/)"
        status=1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)" "fuzz/logs/$t.log" || true
done
exit $status
