#!/usr/bin/env bash
# Load soak (docs/benchmarks.md, "Soak"): 64 concurrent MCP clients, both protocol eras, a mix
# of paged tools/list walks and tool calls with upstream 429s and delays injected, against
# `mcp-server http` and then hosted `mcp-server serve` (100 accounts, 100 server URLs).
#
#   benches/soak.sh [SECONDS] [--release] [--out DIR]
#
# SECONDS is the load per era and target (default 60), after a 2 s warm-up soak that is judged
# too. Debug binaries by default (what CI builds); --release for the figures in the docs.
# Writes DIR/soak-<profile>.{json,md} (DIR: benches/results, or benches/results/quick for runs
# under 60 s) and exits non-zero on any protocol error, lost request, unexpected tool result,
# RSS growth over the bound, server panic or server exit. Loopback only; every process it
# starts is stopped on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac

seconds=60
profile=debug
out=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --release) profile=release ;;
        --out) out="$2"; shift ;;
        [0-9]*) seconds="$1" ;;
        *) echo "usage: benches/soak.sh [SECONDS] [--release] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done
if [[ -z "$out" ]]; then
    if awk "BEGIN {exit !($seconds >= 60)}"; then out="$root/benches/results"; else out="$root/benches/results/quick"; fi
fi
mkdir -p "$out"

CLIENTS=64
TEAMS=20
ACCOUNTS=100
SERVERS=100
WARMUP=2
TOKEN="soak-upstream-token-$$"
# End RSS may exceed start RSS by this much before the run fails (docs/benchmarks.md says why).
RSS_BOUND_MIB="${RSS_BOUND_MIB:-32}"

log() { echo "[soak] $*" >&2; }

log "building $profile binaries into $CARGO_TARGET_DIR"
build_started=$SECONDS
if [[ $profile == release ]]; then
    cargo build --release --quiet -p mcp-server -p fake-chronosphere -p mcpgen-loadgen
else
    cargo build --quiet -p mcp-server -p fake-chronosphere -p mcpgen-loadgen
fi
log "built in $((SECONDS - build_started)) s"
bin="$CARGO_TARGET_DIR/$profile"

work="$(mktemp -d "${TMPDIR:-/tmp}/mcpgen-soak.XXXXXX")"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME COMMAND...: runs it in the background, waits for its `listening on http://ADDR`
# line (stdout or stderr) and sets $url and $pid.
start() {
    local name="$1"; shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pid=$!
    pids+=("$pid")
    local deadline=$((SECONDS + 30))
    url=""
    while [[ -z "$url" ]]; do
        url="$(grep -ho 'listening on http://[^ ]*' "$work/$name.out" "$work/$name.err" 2>/dev/null | head -1 | cut -d' ' -f3 || true)"
        if [[ -z "$url" ]]; then
            if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
                log "$name did not start:"; tail -20 "$work/$name.err" >&2; exit 1
            fi
            sleep 0.05
        fi
    done
    log "$name (pid $pid) at $url"
}

failed=0
reports=()
# soak TARGET ERA PID FAKE URL-ARGS...: a warm-up soak, then the measured one.
soak() {
    local target="$1" era="$2" server_pid="$3" fake="$4"; shift 4
    local phase duration report
    for phase in warmup run; do
        duration=$seconds; [[ $phase == warmup ]] && duration=$WARMUP
        report="$work/$target-$era-$phase.json"
        log "$target, $era era: $phase ${duration} s, $CLIENTS clients"
        if ! "$bin/loadgen" soak "$@" --protocol "$era" --clients "$CLIENTS" \
            --duration "$duration" --teams "$TEAMS" --server-pid "$server_pid" \
            --fake-url "$fake" --rss-bound-mib "$RSS_BOUND_MIB" \
            --label "$target $era $phase" >"$report" 2>"$work/loadgen.err"; then
            log "FAILED: $target $era $phase"; grep -m3 -v '^ ' "$work/loadgen.err" >&2 || true
            failed=1
        fi
        [[ -s "$report" ]] || { log "no report from $target $era $phase"; failed=1; continue; }
        reports+=("$report")
    done
}

# A server must still be running, and must not have panicked, when its soak ends.
check_server() {
    local name="$1" server_pid="$2"
    if ! kill -0 "$server_pid" 2>/dev/null; then log "FAILED: $name exited"; failed=1; fi
    if grep -q 'panicked' "$work/$name.err"; then
        log "FAILED: $name panicked:"; grep -m3 'panicked' "$work/$name.err" >&2; failed=1
    fi
}

start fake "$bin/fake-chronosphere" --listen 127.0.0.1:0 --api-token "$TOKEN" \
    --seed-teams "$TEAMS" --no-record
fake_url="$url"

start http env CHRONOSPHERE_TENANT=soak CHRONOSPHERE_API_TOKEN="$TOKEN" \
    "$bin/mcp-server" http --integration chronosphere --listen 127.0.0.1:0 --base-url "$fake_url"
http_url="$url"; http_pid="$pid"
soak http stateless "$http_pid" "$fake_url" --url "$http_url"
soak http session "$http_pid" "$fake_url" --url "$http_url"
check_server http "$http_pid"
kill "$http_pid"

admin_token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start hosted env MCP_ADMIN_TOKEN="$admin_token" \
    MCP_SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    "$bin/mcp-server" serve --listen 127.0.0.1:0 --database "$work/hosted.db" \
    --base-url "chronosphere=$fake_url"
hosted_url="$url"; hosted_pid="$pid"
setup_started=$SECONDS
MCP_ADMIN_TOKEN="$admin_token" CHRONOSPHERE_API_TOKEN="$TOKEN" "$bin/loadgen" hosted-setup \
    --admin-url "$hosted_url" --accounts "$ACCOUNTS" --servers "$SERVERS" --out "$work/urls.txt"
log "hosted set-up took $((SECONDS - setup_started)) s"
soak hosted stateless "$hosted_pid" "$fake_url" --urls-file "$work/urls.txt"
soak hosted session "$hosted_pid" "$fake_url" --urls-file "$work/urls.txt"
check_server hosted "$hosted_pid"

python3 benches/soak_summary.py --profile "$profile" --seconds "$seconds" --failed "$failed" \
    --json "$out/soak-$profile.json" --md "$out/soak-$profile.md" "${reports[@]}"
if ((failed)); then log "FAILED (reports in $out/soak-$profile.md)"; exit 1; fi
log "passed: $out/soak-$profile.md"
