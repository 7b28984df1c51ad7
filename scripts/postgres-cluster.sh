#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (docs/reliability.md#replicas).
#
#   scripts/postgres-cluster.sh start DIR   initdb in DIR/data, start the server on a free loopback
#                                           port, wait until it accepts connections, and print its
#                                           superuser URL (postgres://emu@127.0.0.1:PORT/postgres)
#   scripts/postgres-cluster.sh stop DIR    stop it (immediate shutdown); DIR stays
#   scripts/postgres-cluster.sh resume DIR  start a stopped cluster again on the same port (an
#                                           outage ends: tests/slow/postgres_outage.rs)
#
# With the URL in UITID_TEST_POSTGRES_URL, tests/common/postgres.rs creates its databases there
# instead of starting a cluster per test process (.ci/run starts one for the whole run).
# Trust authentication and loopback only: for tests, never for data anyone keeps. As root, the
# server runs as nobody (initdb refuses root). Server binaries: the PATH, else Debian's
# postgresql-15 directory. Everything but the URL goes to stderr and DIR/postgres.log.
set -euo pipefail
export PATH="$PATH:/usr/lib/postgresql/15/bin"

usage() {
    echo "usage: $0 start|stop|resume DIR" >&2
    exit 2
}
[[ $# -eq 2 ]] || usage
dir=$2

# As the unprivileged user when root, in DIR.
as_owner() {
    if ((EUID == 0)); then
        (cd "$dir" && setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ ! -e $dir/data ]] || { echo "$dir/data exists: stop and remove it first" >&2; exit 1; }
    ((EUID != 0)) || chown nobody:nogroup "$dir"
    as_owner test -w "$dir" || { echo "postgres-cluster: the server's user cannot write $dir" >&2; exit 1; }
    as_owner initdb --auth=trust --username=emu --encoding=UTF8 --locale=C --no-sync \
        --pgdata="$dir/data" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # A random port nobody answers on; another one if the server could not bind it after all.
    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 40000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if run_server "$port"; then
            echo "$port" >"$dir/port"
            echo "postgres://emu@127.0.0.1:$port/postgres"
            return
        fi
        echo "postgres-cluster: port $port failed (attempt $attempt)" >&2
    done
    cat "$dir/postgres.log" >&2
    exit 1
}

run_server() {
    as_owner pg_ctl --pgdata="$dir/data" --log="$dir/postgres.log" --wait --timeout=60 \
        --options="-p $1 -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
        start >&2
}

resume() {
    dir=$(cd "$dir" && pwd)
    [[ -f $dir/port ]] || { echo "postgres-cluster: no cluster was started in $dir" >&2; exit 1; }
    run_server "$(cat "$dir/port")"
}

stop() {
    [[ -f $dir/data/postmaster.pid ]] || { echo "postgres-cluster: nothing running in $dir" >&2; return; }
    as_owner pg_ctl --pgdata="$dir/data" --mode=immediate --wait stop >&2
}

case $1 in
    start) start ;;
    stop) stop ;;
    resume) resume ;;
    *) usage ;;
esac
