#!/bin/sh
# A throwaway PostgreSQL for `make demo` and manual testing.
#   scripts/pg-sandbox.sh start DIR   # cluster in DIR, database `app` loaded with demo/app-db.sql;
#                                     # prints DATABASE_URL=... on stdout (everything else on stderr)
#   scripts/pg-sandbox.sh stop DIR    # stops it (DIR is left for you to delete)
# initdb refuses to run as root, so as root the cluster runs as the `postgres` user.
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
root=$(cd "$(dirname "$0")/.." && pwd)

find_bin() {
    for d in "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r) $(echo "$PATH" | tr ':' ' '); do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    echo "pg-sandbox: PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql" >&2
    exit 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    # Ask the kernel for a free port; fall back to a random high one.
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
        || echo $((20000 + $$ % 20000))
}

case "$cmd" in
start)
    bin=$(find_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/data/postmaster.pid" ]; then
        echo "pg-sandbox: a cluster is already running in $dir (stop it first)" >&2
        exit 1
    fi
    rm -rf "$dir/data" "$dir/sock"
    mkdir -p "$dir/sock"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >&2
    port=$(free_port)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
        -o "-c fsync=off -c synchronous_commit=off -c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/sock" start >&2
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d postgres -c "CREATE DATABASE app" >&2
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres -d app -f "$root/demo/app-db.sql" >&2
    echo "DATABASE_URL=postgresql://postgres@127.0.0.1:$port/app"
    ;;
stop)
    bin=$(find_bin)
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2
    else
        echo "pg-sandbox: nothing running in $dir" >&2
    fi
    ;;
*) usage ;;
esac
