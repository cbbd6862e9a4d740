#!/usr/bin/env bash
# Every test mcpgen has, in one command (the README's test command; CI runs it too):
#
#   1. Build the workspace (debug): libs, binaries (`mcp-server`, `fake-chronosphere`, the
#      `inkwell-mcp` downstream example), tests and examples.
#   2. Rust: `cargo test --workspace` (unit, integration and doc tests of every crate).
#   3. End-to-end: the official Python MCP SDK against the real binaries (tests/e2e), in a
#      virtualenv at .venv created from tests/requirements.txt.
#   4. The official MCP conformance suite (tests/conformance/run.sh, Node 22 in tests/node_modules).
#   5. The benchmark harness in smoke mode (benches/run.sh --quick).
#   6. The load soak, short (benches/soak.sh 5): zero protocol errors and lost requests.
#   7. The deployment guide's systemd unit and Containerfile, built and run (tests/deploy/check.sh).
#   8. Every fuzz target for 15 s (fuzz/run.sh 15).
#
# PostgreSQL: one throwaway cluster (tests/postgres/cluster.sh) serves the whole run; the store
# contract tests, hosted mode's whole suite a second time (MCPGEN_TEST_STORE=postgres) and the
# two-replica end-to-end tests (behind nginx) use it. Both need PostgreSQL's server and nginx
# installed (.ci/run installs them); without them those tests fail, they are not skipped.
#
# Everything is installed inside the repository (.venv, tests/node_modules, target/). Every step
# runs even when an earlier one failed (except those that need the binaries), and the last line
# says how many tests passed and failed in all. Exits non-zero when anything failed.
#
# Environment: CARGO_TARGET_DIR (default: target/), PYTEST_ARGS (extra pytest arguments),
# MCPGEN_SKIP_CARGO_TEST=1 / MCPGEN_SKIP_CONFORMANCE=1 / MCPGEN_SKIP_SOAK=1 /
# MCPGEN_SKIP_DEPLOY_CHECK=1 / MCPGEN_SKIP_FUZZ=1 to leave a step out
# while iterating, MCPGEN_TEST_POSTGRES to use a running cluster instead of a throwaway one.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
logs="$CARGO_TARGET_DIR/test-logs"
mkdir -p "$logs"

passed=0
failed=0
declare -a summary=()

step_started=$SECONDS
step() {
    step_started=$SECONDS
    printf '\n==> %s\n' "$*"
}
# "PASSED FAILED": the sum of every "test result: ok. N passed; M failed; ..." line of a cargo
# test log (one per test binary).
cargo_counts() {
    awk '/^test result:/ {for (i = 1; i <= NF; i++) {if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i}} END {print p + 0, f + 0}' "$1"
}
# script_step NAME DETAIL LOG COMMAND...: one check passed or failed by a script's exit status;
# its output goes to LOG, and the end of it to the terminal when it failed.
script_step() {
    local name=$1 detail=$2 log=$3
    shift 3
    if "$@" >"$log" 2>&1; then
        passed=$((passed + 1))
        record "$name" ok "$detail"
    else
        failed=$((failed + 1))
        tail -n 40 "$log" || true
        record "$name" FAIL "see $log"
    fi
}
record() { # record NAME STATUS DETAIL
    summary+=("$(printf '%-12s %-4s %5ss  %s' "$1" "$2" "$((SECONDS - step_started))" "$3")")
}

# -- 1. Build ----------------------------------------------------------------------------------
# One build of everything `cargo test --workspace` needs (libs, bins, tests, examples: the same
# feature resolution), so step 2 compiles nothing more and the binaries the end-to-end tests run
# (mcp-server, fake-chronosphere, the inkwell-mcp downstream example) come from the same build.
# --keep-going: a broken test target must not keep the binaries from being built.
step "cargo build --workspace --lib --bins --tests --examples"
bins_ok=1
if cargo build --workspace --lib --bins --tests --examples --keep-going; then
    record "build" ok "workspace (mcp-server, fake-chronosphere, inkwell-mcp, tests)"
else
    failed=$((failed + 1))
    record "build" FAIL "see above"
    for bin in mcp-server fake-chronosphere; do
        [[ -x "$CARGO_TARGET_DIR/debug/$bin" ]] || bins_ok=0
    done
fi
export MCPGEN_BIN_DIR="$CARGO_TARGET_DIR/debug"

# -- PostgreSQL for the run ------------------------------------------------------------------
if [[ -z "${MCPGEN_TEST_POSTGRES:-}" ]]; then
    # Under /tmp: as root the cluster runs as `postgres`, which must reach its folder.
    pg_dir="$(mktemp -d /tmp/mcpgen-pg-XXXXXX)"
    trap 'tests/postgres/cluster.sh stop "$pg_dir"' EXIT
    trap 'exit 130' INT TERM # so that an interrupted run stops its cluster too
    if MCPGEN_TEST_POSTGRES="$(tests/postgres/cluster.sh start "$pg_dir")"; then
        export MCPGEN_TEST_POSTGRES
    else
        failed=$((failed + 1))
        record "postgres" FAIL "no throwaway cluster: the PostgreSQL tests will fail"
    fi
fi

# -- 2. Rust tests -----------------------------------------------------------------------------
if [[ "${MCPGEN_SKIP_CARGO_TEST:-}" != 1 ]]; then
    step "cargo test --workspace"
    set +e
    cargo test --workspace --no-fail-fast 2>&1 | tee "$logs/cargo-test.log"
    rc=${PIPESTATUS[0]}
    set -e
    read -r cp cf < <(cargo_counts "$logs/cargo-test.log")
    passed=$((passed + cp))
    failed=$((failed + cf))
    if [[ $rc -eq 0 && $cp -gt 0 ]]; then
        record "cargo test" ok "$cp passed"
    else
        [[ $cf -eq 0 ]] && failed=$((failed + 1)) # a build failure or no test at all counts once
        record "cargo test" FAIL "$cp passed, $cf failed (exit $rc)"
    fi
fi

# -- 2b. Hosted mode on PostgreSQL --------------------------------------------------------------
if [[ "${MCPGEN_SKIP_CARGO_TEST:-}" != 1 ]]; then
    step "cargo test -p mcpgen-hosted on PostgreSQL (MCPGEN_TEST_STORE=postgres)"
    set +e
    MCPGEN_TEST_STORE=postgres cargo test -p mcpgen-hosted --no-fail-fast 2>&1 | tee "$logs/cargo-test-postgres.log"
    rc=${PIPESTATUS[0]}
    set -e
    read -r cp cf < <(cargo_counts "$logs/cargo-test-postgres.log")
    passed=$((passed + cp))
    failed=$((failed + cf))
    if [[ $rc -eq 0 && $cp -gt 0 ]]; then
        record "hosted pg" ok "$cp passed"
    else
        [[ $cf -eq 0 ]] && failed=$((failed + 1))
        record "hosted pg" FAIL "$cp passed, $cf failed (exit $rc)"
    fi
fi

# -- 3. End-to-end -----------------------------------------------------------------------------
step "end-to-end tests (official Python MCP SDK)"
venv="$repo/.venv"
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if ! cmp -s tests/requirements.txt "$venv/.mcpgen-requirements.txt"; then
    "$venv/bin/pip" install --quiet -r tests/requirements.txt
    cp tests/requirements.txt "$venv/.mcpgen-requirements.txt"
fi
# "PASSED FAILED" of a pytest JUnit XML report (0 0 when it is missing or broken).
junit_counts() {
    "$venv/bin/python" - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 0); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
tests = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
print(tests - bad - skipped, bad)
PY
}
if [[ $bins_ok -eq 1 ]]; then
    set +e
    # shellcheck disable=SC2086 # PYTEST_ARGS is a list of words on purpose
    "$venv/bin/python" -m pytest tests/e2e -p no:cacheprovider --junitxml="$logs/e2e.xml" ${PYTEST_ARGS:-}
    rc=$?
    set -e
    read -r ep ef < <(junit_counts "$logs/e2e.xml")
    passed=$((passed + ep))
    failed=$((failed + ef))
    # pytest exits 5 when it collected no test: that is a failure here, not a pass.
    if [[ $rc -eq 0 && $ep -gt 0 ]]; then
        record "e2e" ok "$ep passed"
    else
        [[ $ef -eq 0 ]] && failed=$((failed + 1))
        record "e2e" FAIL "$ep passed, $ef failed (pytest exit $rc)"
    fi
else
    failed=$((failed + 1))
    record "e2e" FAIL "not run: the binaries did not build"
fi

# -- 3b. Hosted mode end to end on PostgreSQL ---------------------------------------------------
if [[ $bins_ok -eq 1 ]]; then
    step "end-to-end hosted tests on PostgreSQL (MCPGEN_TEST_STORE=postgres)"
    set +e
    MCPGEN_TEST_STORE=postgres "$venv/bin/python" -m pytest tests/e2e/test_hosted.py -p no:cacheprovider \
        --junitxml="$logs/e2e-postgres.xml" -q
    rc=$?
    set -e
    read -r ep ef < <(junit_counts "$logs/e2e-postgres.xml")
    passed=$((passed + ep))
    failed=$((failed + ef))
    if [[ $rc -eq 0 && $ep -gt 0 ]]; then
        record "e2e pg" ok "$ep passed"
    else
        [[ $ef -eq 0 ]] && failed=$((failed + 1))
        record "e2e pg" FAIL "$ep passed, $ef failed (pytest exit $rc)"
    fi
fi

# -- 4. Conformance --------------------------------------------------------------------------
if [[ "${MCPGEN_SKIP_CONFORMANCE:-}" != 1 ]]; then
    step "MCP conformance suite"
    if [[ $bins_ok -eq 1 ]]; then
        set +e
        tests/conformance/run.sh --out "$logs/conformance" 2>&1 | tee "$logs/conformance.log"
        rc=${PIPESTATUS[0]}
        set -e
        line="$(grep '^conformance: required' "$logs/conformance.log" | tail -n 1 || true)"
        read -r rp rf < <(sed -nE 's/^conformance: required ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' <<<"$line" | tail -n 1; echo "0 0")
        passed=$((passed + rp))
        failed=$((failed + rf))
        if [[ $rc -eq 0 && $rp -gt 0 ]]; then
            record "conformance" ok "${line#conformance: }"
        else
            [[ $rf -eq 0 ]] && failed=$((failed + 1))
            record "conformance" FAIL "${line:-no summary} (exit $rc)"
        fi
    else
        failed=$((failed + 1))
        record "conformance" FAIL "not run: the binaries did not build"
    fi
fi

# -- 5. Benchmark smoke run ------------------------------------------------------------------
# Small N, debug binaries, no timing asserted: it only proves the harness still runs end to end
# (docs/benchmarks.md has the real figures and how to rerun them).
if [[ "${MCPGEN_SKIP_BENCH_SMOKE:-}" != 1 ]]; then
    step "benchmark smoke run (benches/run.sh --quick)"
    if [[ $bins_ok -eq 1 ]]; then
        script_step "bench smoke" "benches/run.sh --quick" "$logs/bench-smoke.log" benches/run.sh --quick
    else
        failed=$((failed + 1))
        record "bench smoke" FAIL "not run: the binaries did not build"
    fi
fi

# -- 6. Load soak, short ---------------------------------------------------------------------
# Both eras against `mcp-server http` and hosted `serve` (100 URLs), 5 s each: any protocol
# error, lost request or server panic fails it (docs/benchmarks.md#soak has the 60 s figures).
if [[ "${MCPGEN_SKIP_SOAK:-}" != 1 ]]; then
    step "load soak, short (benches/soak.sh 5)"
    script_step "soak" "benches/soak.sh 5" "$logs/soak.log" benches/soak.sh 5
fi

# -- 7. Deployment files ----------------------------------------------------------------------
# docs/deploy/'s systemd unit and Containerfile, built and run (tests/deploy/check.sh; root,
# with systemd-analyze, buildah and debootstrap, which .ci/run installs).
if [[ "${MCPGEN_SKIP_DEPLOY_CHECK:-}" != 1 ]]; then
    step "deployment files (tests/deploy/check.sh)"
    script_step "deploy" "systemd unit and Containerfile" "$logs/deploy.log" tests/deploy/check.sh
fi

# -- 8. Fuzzing, short -------------------------------------------------------------------------
# Every fuzz target for 15 s from its checked-in seeds and past crashes (fuzz/run.sh; nightly
# Rust and cargo-fuzz, installed into fuzz/.tools when missing). Longer runs: docs/reliability.md.
if [[ "${MCPGEN_SKIP_FUZZ:-}" != 1 ]]; then
    step "fuzzing, short (fuzz/run.sh 15)"
    script_step "fuzz" "fuzz/run.sh 15: every target, no crash" "$logs/fuzz.log" fuzz/run.sh 15
fi

printf '\n==> summary (logs in %s)\n' "$logs"
printf '  %s\n' "${summary[@]}"
echo
echo "run-all: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
