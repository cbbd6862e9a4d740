#!/usr/bin/env bash
# Exercises the deployment guide's files (docs/deploy/) with the built binary:
#
#   1. mcp-server.service: `systemd-analyze verify`, then its ExecStart run as written (with a
#      loopback --listen) under the environment file's variables: /ready must answer 200, and
#      SIGTERM must stop it cleanly within the unit's TimeoutStopSec.
#   2. Containerfile: built with buildah (a Debian bookworm base made locally with debootstrap,
#      since no registry is reachable here), then mcp-server run inside it: /health and /ready
#      answer 200 from the host.
#   (nginx.conf is run by tests/e2e/test_replicas.py.)
#
#   tests/deploy/check.sh [BINARY]     # default: $CARGO_TARGET_DIR/debug/mcp-server
#
# Needs systemd-analyze, buildah and debootstrap (Debian packages; .ci/run installs them) and
# runs as root (buildah's chroot isolation, debootstrap). The base image's root file system is
# kept in target/deploy/ between runs.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}"
binary="$(realpath "${1:-$target/debug/mcp-server}")"
[[ -x "$binary" ]] || { echo "no binary at $binary: cargo build -p mcp-server first" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    buildah rm mcpgen-deploy-check >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_status() { # wait_status URL STATUS SECONDS
    local deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" == "$2" ]] && return 0
        sleep 0.2
    done
    echo "$1 did not answer $2 within $3 s" >&2
    return 1
}
secret() { python3 -c 'import secrets; print(secrets.token_hex(32))'; }

# -- 1. systemd unit --------------------------------------------------------------------------
unit=docs/deploy/mcp-server.service
echo "==> $unit"
# verify resolves ExecStart, so point it at the binary under test.
sed "s|/usr/local/bin/mcp-server|$binary|" "$unit" >"$work/mcp-server.service"
systemd-analyze verify "$work/mcp-server.service"

exec_start="$(sed -n 's/^ExecStart=//p' "$unit")"
read -r -a argv <<<"$exec_start"
[[ "${argv[0]}" == /usr/local/bin/mcp-server ]] || { echo "unexpected ExecStart binary: ${argv[0]}" >&2; exit 1; }
argv[0]="$binary"
port="$(free_port)"
for i in "${!argv[@]}"; do
    [[ "${argv[$i]}" == --listen ]] && argv[$((i + 1))]="127.0.0.1:$port"
done
# The example environment file's variables, with working values.
env_file=docs/deploy/mcp-server.env.example
for var in $(sed -n 's/^\([A-Z_]*\)=.*/\1/p' "$env_file"); do
    case "$var" in
    MCP_ADMIN_TOKEN | MCP_SECRET_KEY) export "$var=$(secret)" ;;
    MCP_DATABASE) export MCP_DATABASE="${MCPGEN_TEST_POSTGRES_DATABASE:-$work/mcpgen.db}" ;;
    *) echo "$env_file sets $var, which this check does not know" >&2; exit 1 ;;
    esac
done
"${argv[@]}" 2>"$work/unit.log" &
pids+=($!)
server=$!
wait_status "http://127.0.0.1:$port/ready" 200 30
kill -TERM "$server"
stop_limit="$(sed -n 's/^TimeoutStopSec=//p' "$unit")"
for ((i = 0; i < stop_limit * 5; i++)); do
    kill -0 "$server" 2>/dev/null || break
    sleep 0.2
done
if kill -0 "$server" 2>/dev/null; then
    echo "ExecStart did not stop within TimeoutStopSec=$stop_limit s after SIGTERM" >&2
    exit 1
fi
wait "$server" || { echo "ExecStart exited with $? after SIGTERM:" >&2; cat "$work/unit.log" >&2; exit 1; }
echo "    verified; ExecStart served /ready and stopped cleanly on SIGTERM"

# -- 2. Containerfile -----------------------------------------------------------------------
echo "==> docs/deploy/Containerfile"
base=docker.io/library/debian:bookworm-slim
if ! buildah inspect --type image "$base" >/dev/null 2>&1; then
    rootfs="$target/deploy/rootfs"
    if [[ ! -x "$rootfs/bin/sh" ]]; then
        rm -rf "$rootfs"
        mkdir -p "$(dirname "$rootfs")"
        debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
            { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
    fi
    ctr="$(buildah from scratch)"
    buildah copy --quiet "$ctr" "$rootfs" / >/dev/null
    buildah commit --quiet "$ctr" "$base" >/dev/null
    buildah rm "$ctr" >/dev/null
fi
# The build context is the repository; only the binary is copied in.
context="$work/context"
mkdir -p "$context/target"
cp "$binary" "$context/target/mcp-server"
buildah bud --quiet --pull=never --isolation chroot -f docs/deploy/Containerfile \
    --build-arg BINARY=target/mcp-server -t mcpgen-deploy-check "$context" >/dev/null
buildah from --quiet --name mcpgen-deploy-check mcpgen-deploy-check >/dev/null
port="$(free_port)"
# chroot isolation shares the host's network, so the host reaches the port directly.
buildah run --isolation chroot \
    --env MCP_ADMIN_TOKEN="$(secret)" --env MCP_SECRET_KEY="$(secret)" \
    mcpgen-deploy-check -- /usr/local/bin/mcp-server serve --listen "127.0.0.1:$port" \
    2>"$work/container.log" &
pids+=($!)
wait_status "http://127.0.0.1:$port/health" 200 60 || { cat "$work/container.log" >&2; exit 1; }
wait_status "http://127.0.0.1:$port/ready" 200 10
user="$(buildah run --isolation chroot mcpgen-deploy-check -- id -un)"
[[ "$user" == mcpgen ]] || { echo "the image runs as $user, not mcpgen" >&2; exit 1; }
echo "    built; mcp-server in the image served /health and /ready as user $user"
echo "deploy check: ok"
