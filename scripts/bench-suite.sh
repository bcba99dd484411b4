#!/usr/bin/env bash
# npm run bench:suite -- [<base-commit>] [<head-commit>]
#
# Times `npm test` on fresh clones of two commits of this repository, one after the other on
# this machine, and prints both wall times and their ratio: the speed target of the test
# suite (at most 0.6 of the suite before it was parallelised, commit 6678b34) is checked by
# this benchmark, not by a timed test. Each clone gets its own `npm ci` (not timed) and runs
# with WEBANK_REQUIRE_PEERS=1, as CI does. Nothing in the working tree is touched; the clones
# are removed afterwards.
set -euo pipefail
base=${1:-6678b34}
head=${2:-HEAD}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/webank-bench-suite-XXXXXX")
trap 'rm -rf "$work"' EXIT

time_suite() { # <label> <commit>: prints the seconds npm test took, after a line of progress
    local label=$1 commit=$2 dir="$work/$1"
    git clone --quiet "$repo" "$dir"
    git -C "$dir" checkout --quiet "$commit"
    echo "bench-suite: $label = $(git -C "$dir" log -1 --format='%h %s' | cut -c1-80)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund >"$work/$label.install.log" 2>&1)
    echo "bench-suite: $label runs npm test on Node $(cd "$dir" && npm exec --offline -- node --version) ..." >&2
    local start end status=0
    start=$(date +%s%N)
    (cd "$dir" && WEBANK_REQUIRE_PEERS=1 npm test >"$work/$label.test.log" 2>&1) || status=$?
    end=$(date +%s%N)
    grep -E '^ +[0-9]+ (passing|failing|pending)' "$work/$label.test.log" | sed "s/^ */bench-suite: $label /" >&2 || true
    if [ "$status" -ne 0 ]; then
        echo "bench-suite: $label npm test failed (exit $status); its log's tail:" >&2
        tail -40 "$work/$label.test.log" >&2
        exit 1
    fi
    awk -v ns=$((end - start)) 'BEGIN { printf "%.1f\n", ns / 1e9 }'
}

nproc_count=$(nproc)
base_seconds=$(time_suite base "$base")
head_seconds=$(time_suite head "$head")
awk -v cores="$nproc_count" -v b="$base_seconds" -v h="$head_seconds" -v bc="$base" -v hc="$head" 'BEGIN {
    printf "bench-suite: %s cores; npm test took %.1f s at %s and %.1f s at %s: %.2f of the base (target at most 0.60)\n", cores, b, bc, h, hc, h / b
}'
