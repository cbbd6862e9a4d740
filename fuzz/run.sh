#!/usr/bin/env bash
# Builds every fuzz target, runs each for SECONDS (default 20), prints a summary table and exits
# non-zero if any target crashed. Works on a fresh machine with rustup: nightly is installed if
# missing, and cargo-fuzz into fuzz/.tools.
#
#   fuzz/run.sh 20                  # the CI smoke run
#   fuzz/run.sh 300 http_jsonrpc    # one target, five minutes
#
# Each target runs on its working corpus in fuzz/.runs/<target>/corpus (kept between runs, so
# local runs keep what they learned) plus the checked-in seeds (fuzz/corpus/<target>) and past
# crashes (fuzz/regressions/<target>), which libFuzzer reads but never writes. Crash inputs
# land in fuzz/artifacts/<target>/. See fuzz/README.md.
set -euo pipefail

seconds=${1:-20}
shift || true
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

cargo_fuzz_version=0.13.2
toolchain=${FUZZ_TOOLCHAIN:-nightly}
# No sanitizer: every crate of ours forbids unsafe code, so AddressSanitizer would mostly watch
# SQLite's C, at a slower build and about half the speed. Optimised (cargo-fuzz's default) but
# with 16 codegen units instead of 1: the cold build is what CI waits for, and the generated
# Chronosphere crate is large. FUZZ_BUILD_FLAGS replaces these (README.md has the figures).
read -r -a build_flags <<<"${FUZZ_BUILD_FLAGS:---sanitizer none --codegen-units 16}"

if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    rustup toolchain install "$toolchain" --profile minimal
fi
if [[ ! -x .tools/bin/cargo-fuzz ]]; then
    cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --root .tools
fi
export PATH="$here/.tools/bin:$PATH"

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo "+$toolchain" fuzz list)
fi

build_start=$(date +%s)
cargo "+$toolchain" fuzz build "${build_flags[@]}"
build_seconds=$(($(date +%s) - build_start))

# The number at the end of the last match of PATTERN in FILE, or nothing.
last_number() {
    { grep -o "$1" "$2" || true; } | tail -1 | grep -o '[0-9]*$' || true
}

failed=0
rows=()
for target in "${targets[@]}"; do
    work=".runs/$target"
    mkdir -p "$work/corpus" "artifacts/$target" "regressions/$target" "corpus/$target"
    before=$(find "artifacts/$target" -type f | wc -l)
    set +e
    cargo "+$toolchain" fuzz run "${build_flags[@]}" "$target" \
        "$work/corpus" "corpus/$target" "regressions/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
        -print_final_stats=1 >"$work/log" 2>&1
    status=$?
    set -e
    after=$(find "artifacts/$target" -type f | wc -l)
    crashes=$((after - before))
    if [[ $status -ne 0 && $crashes -eq 0 ]]; then
        crashes=1 # it died without leaving an input (a build or start-up failure): see the log
    fi
    execs=$(last_number 'stat::number_of_executed_units: *[0-9]*' "$work/log")
    rate=$(last_number 'stat::average_exec_per_sec: *[0-9]*' "$work/log")
    if [[ -z $execs ]]; then
        # A crash ends the run before the final stats: take the last status line instead.
        execs=$(last_number '^#[0-9]*' "$work/log")
        rate=$(last_number 'exec/s: [0-9]*' "$work/log")
    fi
    corpus=$(find "$work/corpus" -type f | wc -l)
    cover=$(last_number 'cov: [0-9]*' "$work/log")
    rows+=("$(printf '%-18s %12s %8s %8s %8s %8s' "$target" "${execs:-?}" "${rate:-?}" "$corpus" "${cover:-?}" "$crashes")")
    if [[ $crashes -ne 0 ]]; then
        failed=1
        echo "== $target crashed; log: fuzz/$work/log" >&2
        grep -E 'panicked at|SUMMARY|Test unit written|ERROR' "$work/log" | head -20 >&2 || true
    fi
done

echo
echo "fuzz: build ${build_seconds}s, ${seconds}s per target"
printf '%-18s %12s %8s %8s %8s %8s\n' target executions exec/s corpus edges crashes
printf '%s\n' "${rows[@]}"
exit "$failed"
