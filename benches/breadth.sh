#!/usr/bin/env bash
# What the breadth of the integrations costs (docs/benchmarks.md, "Cost of breadth"):
#
#   benches/breadth.sh          generator time, tools/list size per integration, the debug
#                               rebuild after editing one doc's description, the release
#                               binary's size (an incremental release build)
#   benches/breadth.sh --cold   also a cold `cargo build --release -p mcp-server` into a fresh
#                               target directory (several minutes on two cores)
#
# Prints a Markdown table and writes it to benches/results/breadth.md. The doc edit is undone
# (and the generated code rewritten) before the script exits, whatever happens.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TERM_COLOR=never
cold=0
for arg in "$@"; do
    case "$arg" in
        --cold) cold=1 ;;
        *) echo "usage: benches/breadth.sh [--cold]" >&2; exit 2 ;;
    esac
done

rows=()
row() { rows+=("| $1 | $2 |"); printf '%-60s %s\n' "$1" "$2" >&2; }

# Seconds, to the millisecond, that "$@" takes.
seconds() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    printf "%.2f" "$(echo "($end - $start) / 1000000000" | bc -l)"
}

# The median of three runs of "$@".
median3() {
    local a b c
    a=$(seconds "$@"); b=$(seconds "$@"); c=$(seconds "$@")
    printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

echo "[breadth] building the generator and the debug mcp-server" >&2
cargo build --quiet -p generator -p mcp-server
generator="$CARGO_TARGET_DIR/debug/generator"
server="$CARGO_TARGET_DIR/debug/mcp-server"

row "generator, all docs, no change (median of 3, debug build)" "$(median3 "$generator" --check) s"

tools=$("$server" tools --json)
count=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$tools")
row "tools served" "$count"
for integration in $(ls integrations); do
    [[ -f "integrations/$integration/integration.yaml" ]] || continue
    bytes=$("$server" tools --integration "$integration" --json | wc -c)
    n=$("$server" tools --integration "$integration" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    row "tools/list result, $integration ($n tools)" "$bytes bytes"
done

# One doc's description edited: regenerate, then rebuild the debug binary.
doc=$(ls integrations/*/resources/*.yaml | head -n 1)
backup=$(mktemp)
cp "$doc" "$backup"
restore() {
    cp "$backup" "$doc"
    "$generator" >/dev/null 2>&1 || true
    cargo build --quiet -p mcp-server >/dev/null 2>&1 || true
    rm -f "$backup"
}
trap restore EXIT
# The resource's top-level description, written inline or as a block scalar (`>-` then text).
awk '!done && /^description:/ {
        if ($2 ~ /^[>|]/) { print; getline; sub(/[^ ]/, "Edited. &") }
        else { sub(/^description: /, "description: Edited. ") }
        done = 1 }
     { print }' "$backup" >"$doc"
cmp -s "$doc" "$backup" && { echo "breadth.sh: could not edit $doc" >&2; exit 1; }
rebuild=$(seconds sh -c "'$generator' && cargo build -p mcp-server")
# A failed run is fast: prove this one regenerated and built.
"$generator" --check >/dev/null && cargo build --quiet -p mcp-server ||
    { echo "breadth.sh: the edited docs did not generate and build" >&2; exit 1; }
row "debug rebuild after editing the description of $(basename "$doc")" "$rebuild s"
restore
trap - EXIT

echo "[breadth] release build of mcp-server" >&2
cargo build --quiet --release -p mcp-server
size=$(stat -c %s "$CARGO_TARGET_DIR/release/mcp-server")
row "release mcp-server" "$(echo "scale=1; $size / 1048576" | bc) MiB ($size bytes)"

if [[ $cold -eq 1 ]]; then
    fresh=$(mktemp -d)
    echo "[breadth] cold release build into $fresh" >&2
    cold_s=$(seconds env CARGO_TARGET_DIR="$fresh" cargo build --release -p mcp-server)
    rm -rf "$fresh"
    row "cold release build of mcp-server" "$cold_s s"
fi

mkdir -p benches/results
{
    echo "| what | figure |"
    echo "| --- | --- |"
    printf '%s\n' "${rows[@]}"
} | tee benches/results/breadth.md
