#!/usr/bin/env bash
# Throughput and latency of hosted mode with one and with two replicas behind nginx, on one
# PostgreSQL database (docs/deploy.md; figures in docs/benchmarks.md#replicas).
#
#   benches/replicas.sh [SECONDS] [--release]     # default 20 s per run, debug build
#
# Starts, on loopback: a throwaway PostgreSQL cluster (tests/postgres/cluster.sh), the fake
# upstream, two `mcp-server serve` replicas, and nginx with docs/deploy/nginx.conf's blocks.
# Then `loadgen run` (64 clients, 2026-07-28 stateless `tools/call` of
# list_all_chronosphere_teams) through nginx with one upstream server, then with both. Writes
# benches/results/replicas-<profile>.md. On a 2-core machine the load generator, nginx, the
# fake and both replicas share the cores, so the second replica cannot add much: the run shows
# that the balancer path works under load and what it costs, more than scaling.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds=20
profile=debug
for arg in "$@"; do
    case "$arg" in
    --release) profile=release ;;
    *[!0-9]* | "") echo "usage: $0 [SECONDS] [--release]" >&2; exit 2 ;;
    *) seconds=$arg ;;
    esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
flags=()
[[ $profile == release ]] && flags=(--release)
cargo build -q "${flags[@]}" -p mcp-server -p fake-chronosphere -p mcpgen-loadgen
bin="$CARGO_TARGET_DIR/$profile"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

work="$(mktemp -d /tmp/mcpgen-replicas-XXXXXX)"
# Its own folder under /tmp: as root the cluster runs as `postgres`, which cannot enter $work.
pg_dir="$(mktemp -d /tmp/mcpgen-pg-XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    tests/postgres/cluster.sh stop "$pg_dir" || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_line() { # wait_line FILE REGEX
    for _ in $(seq 300); do
        grep -Eo "$2" "$1" 2>/dev/null | head -n 1 && return 0
        sleep 0.1
    done
    echo "timed out waiting for /$2/ in $1" >&2; cat "$1" >&2; return 1
}

cluster="$(tests/postgres/cluster.sh start "$pg_dir")"
psql "$cluster" -q -c "CREATE DATABASE replicas"
database="${cluster%/*}/replicas"

fake_port="$(free_port)"
"$bin/fake-chronosphere" --listen "127.0.0.1:$fake_port" --api-token bench-token --seed-teams 20 \
    >"$work/fake.log" 2>&1 &
pids+=($!)
wait_line "$work/fake.log" "listening" >/dev/null

public_port="$(free_port)"
admin_token="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export MCP_ADMIN_TOKEN="$admin_token" MCP_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export MCP_DATABASE="$database" RUST_LOG=warn
replicas=()
for name in a b; do
    "$bin/mcp-server" serve --listen 127.0.0.1:0 --public-url "http://127.0.0.1:$public_port" \
        --base-url "chronosphere=http://127.0.0.1:$fake_port" >"$work/replica-$name.log" 2>&1 &
    pids+=($!)
    replicas+=("$(wait_line "$work/replica-$name.log" '127\.0\.0\.1:[0-9]+$')")
done

# The deployment guide's blocks, with these replicas in place of its example servers.
block() { sed -n "/# begin $1/,/# end $1/p" docs/deploy/nginx.conf; }
nginx_conf() { # nginx_conf SERVER...
    local servers="" upstream
    for server in "$@"; do servers+="    server $server max_fails=1 fail_timeout=5s;\n"; done
    upstream="$(block upstream | grep -v '^\s*server 10\.0\.0\.')"
    upstream="${upstream/keepalive/$(printf '%b' "$servers")    keepalive}"
    cat <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
$upstream
    server {
        listen 127.0.0.1:$public_port;
$(block location)
    }
}
CONF
}

account="$(curl -sf -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' \
    -d '{"integration":"chronosphere","credentials":{"tenant":"bench","api_token":"bench-token"}}' \
    "http://${replicas[0]}/integrated-account" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
url="$(curl -sf -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "http://${replicas[0]}/integrated-account/$account/mcp" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])')"

run() { # run LABEL SERVER...
    local label=$1
    shift
    nginx_conf "$@" >"$work/nginx.conf"
    "$nginx_bin" -p "$work" -c "$work/nginx.conf" >"$work/nginx.log" 2>&1 &
    local nginx=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$public_port/ready" >/dev/null && break; sleep 0.1; done
    "$bin/loadgen" run --target mcp --url "$url" --tool list_all_chronosphere_teams \
        --concurrency 64 --threads 2 --duration "$seconds" --warmup 2 --label "$label" >"$work/$label.json"
    kill "$nginx"
    wait "$nginx" 2>/dev/null || true
}
run one-replica "${replicas[0]}"
run two-replicas "${replicas[0]}" "${replicas[1]}"

out="benches/results/replicas-$profile.md"
python3 - "$work" "$profile" "$seconds" >"$out" <<'PY'
import json, sys
work, profile, seconds = sys.argv[1:]
print(f"# Hosted mode behind nginx: one replica vs two ({profile} build, {seconds} s, 64 clients)\n")
print("| replicas | requests | req/s | errors | p50 ms | p90 ms | p99 ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
for label in ("one-replica", "two-replicas"):
    r = json.load(open(f"{work}/{label}.json"))
    lat = r["latency_us"]
    print(f"| {label} | {r['requests']} | {r['throughput_rps']:.0f} | {r['errors']} | "
          f"{lat['p50'] / 1000:.1f} | {lat['p90'] / 1000:.1f} | {lat['p99'] / 1000:.1f} |")
PY
cat "$out"
