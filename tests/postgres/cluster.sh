#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `initdb` into a folder, a server on a free
# loopback port with its socket in that folder, trust authentication for the `mcpgen` superuser.
# Nothing outside the folder is touched, and nothing needs to be running beforehand.
#
#   tests/postgres/cluster.sh start DIR   # prints the superuser URL (also written to DIR/url)
#   tests/postgres/cluster.sh stop DIR    # stops the server and removes DIR
#
# PostgreSQL refuses to run as root; as root the cluster runs as the `postgres` user that
# Debian's package creates. Needs PostgreSQL's server binaries (Debian: postgresql-15), found
# through pg_config, /usr/lib/postgresql/*/bin or PATH.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command=$1
dir=$2

bindir() {
    local candidate
    if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir
        return
    fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$candidate/initdb" ]] && { echo "$candidate"; return; }
    done
    if command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
        return
    fi
    echo "PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (Debian: apt-get install postgresql)" >&2
    exit 1
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$command" in
start)
    bin=$(bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir"
        runuser -u postgres -- test -x "$dir" || {
            echo "the postgres user cannot reach $dir: use a folder whose parents it may traverse (such as one under /tmp)" >&2
            exit 1
        }
    fi
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=mcpgen --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(free_port)
    # fsync off: a test cluster trades durability for speed; max_connections covers replicas,
    # pools and parallel tests.
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=300" \
        start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    url="postgres://mcpgen@127.0.0.1:$port/postgres"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
stop)
    [[ -d "$dir/data" ]] || exit 0
    bin=$(bindir)
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
*) usage ;;
esac
