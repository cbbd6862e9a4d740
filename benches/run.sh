#!/usr/bin/env bash
# Runs every mcpgen benchmark in one go and writes benches/results/results.{json,md}.
#
#   benches/run.sh            full run (about 8 minutes plus builds), figures for docs/benchmarks.md
#   benches/run.sh --quick    smoke run for CI (debug binaries, tiny N and duration; fails if any
#                             request fails; asserts no timing)
#
# Other flags go to benches/harness.py (`--help` lists them). It builds the release binaries
# (mcp-server, fake-chronosphere, loadgen) with CARGO_TARGET_DIR (default: target) and installs
# the FastMCP peer into benches/.venv from benches/requirements.txt when that changes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac

venv="$root/benches/.venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum benches/requirements.txt | cut -d' ' -f1)"
if [[ ! -x "$venv/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "[bench] installing benches/requirements.txt into benches/.venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r benches/requirements.txt
    echo "$want" > "$stamp"
fi

# The smoke run (--quick) only proves the harness still works end to end, so it uses debug
# binaries (already built by tests/run-all.sh) instead of paying for a release build in CI.
profile=release
for arg in "$@"; do [[ "$arg" == --quick ]] && profile=debug; done
echo "[bench] building $profile binaries into $CARGO_TARGET_DIR" >&2
if [[ $profile == release ]]; then
    cargo build --release --quiet -p mcp-server -p fake-chronosphere -p mcpgen-loadgen
else
    cargo build --quiet -p mcp-server -p fake-chronosphere -p mcpgen-loadgen
fi

exec "$venv/bin/python" benches/harness.py --bin-dir "$CARGO_TARGET_DIR/$profile" "$@"
