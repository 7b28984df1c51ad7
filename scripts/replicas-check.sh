#!/usr/bin/env bash
# deploy/replicas/ as processes (docs/replicas.md): three emulators on one database behind
# Debian's nginx, which runs deploy/replicas/nginx.conf itself with only the replica addresses
# and its listen port rewritten, so the recipe and this check cannot drift apart. Then
# scripts/replicas_check.py drives the seed's flow through nginx, checks the retry rules and
# that every replica served part of it, stops one replica and checks the flow goes on.
#   scripts/replicas-check.sh [BINARY=target/debug/uitid-emulator] [DATABASE_URL]
# DATABASE_URL: the replicas' shared database.url, e.g. postgres://user@host:5432/db (an empty
# database); default: a SQLite file in a temporary directory. Needs nginx (apt-get install
# nginx), curl and python3. Ends with "replicas-check: passed (BACKEND)".
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${1:-$repo/target/debug/uitid-emulator}")
database_url=${2:-}
recipe=$repo/deploy/replicas/nginx.conf
work=$(mktemp -d "${TMPDIR:-/tmp}/uitid-replicas.XXXXXX")
started=$EPOCHREALTIME
names=(replica-1 replica-2 replica-3)
pids=() nginx_pid="" check_pid=""

# The checks, nginx and the replicas that still run: SIGTERM, and wait for them (a replica
# drains).
cleanup() {
    local pid
    for pid in $check_pid $nginx_pid "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    local name
    echo "replicas-check: FAILED: $*"
    for name in "${names[@]}"; do
        echo "--- $name log (last 10 lines, passwords in URLs left out)"
        tail -n 10 "$work/$name.log" 2>/dev/null | sed -E 's#(://[^:@/ "]*):[^@/ "]*@#\1:***@#g' || true
    done
    echo "--- nginx error log (last 10 lines, query strings left out: they hold tokens)"
    tail -n 10 "$work/nginx/error.log" 2>/dev/null | sed -E 's/\?[^ "]*//g' || true
    exit 1
}

command -v nginx >/dev/null || fail "no nginx on the PATH (apt-get install nginx)"
[[ -x $binary ]] || fail "no emulator binary at $binary (cargo build first, or pass its path)"

if [[ -z $database_url ]]; then
    database_url="sqlite://$work/shared.sqlite"
    backend="SQLite, one file shared by the three processes ($database_url)"
else
    # The URL without its password, if it has one.
    backend="${database_url%%:*}, $(sed -E 's#^([a-z]+://[^:@/]*):[^@/]*@#\1:***@#' <<<"$database_url")"
fi
echo "replicas-check: backend: $backend"

# Four free loopback ports: three replicas and nginx.
read -r -a ports < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in sockets))')
balancer=http://127.0.0.1:${ports[3]}
admin_token=$(python3 -c 'import secrets; print(secrets.token_hex(16))')

# The replicas: the settings of deploy/replicas/compose.yaml (one database, the balancer's URL
# as public_url, one admin token, JSON logs), all started at once as compose starts them.
for i in 0 1 2; do
    (
        # The embedded sample config plus these overrides only: drop inherited settings.
        while IFS= read -r variable; do unset "$variable"; done \
            < <(compgen -e | grep '^UITID_EMULATOR__' || true)
        export RUST_LOG=info,sqlx=warn
        export UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:${ports[i]}
        export UITID_EMULATOR__SERVER__PUBLIC_URL=$balancer
        export UITID_EMULATOR__DATABASE__URL=$database_url
        export UITID_EMULATOR__ADMIN__TOKEN=$admin_token
        export UITID_EMULATOR__LOG__FORMAT=json
        exec "$binary" serve
    ) >"$work/${names[i]}.log" 2>&1 &
    pids+=("$!")
done
for i in 0 1 2; do
    for _ in $(seq 150); do
        curl -sf -o /dev/null "http://127.0.0.1:${ports[i]}/health/ready" && continue 2
        kill -0 "${pids[i]}" 2>/dev/null || fail "${names[i]} exited at start"
        sleep 0.1
    done
    fail "${names[i]} is not ready after 15 s"
done
echo "replicas-check: ${names[*]} ready on ports ${ports[*]:0:3}"

# nginx: the recipe's file with the three replica addresses and the listen port rewritten, each
# exactly once, inside a generated top level that keeps pid, logs and temp files in $work (not
# the system nginx's). The access log names every replica nginx tried for each request.
mkdir -p "$work/nginx"
sed -E -e "s/^( *server )replica-1:8080 /\\1127.0.0.1:${ports[0]} /" \
    -e "s/^( *server )replica-2:8080 /\\1127.0.0.1:${ports[1]} /" \
    -e "s/^( *server )replica-3:8080 /\\1127.0.0.1:${ports[2]} /" \
    -e "s/^( *listen )80;/\\1127.0.0.1:${ports[3]};/" "$recipe" >"$work/nginx/replicas.conf"
for line in "server 127.0.0.1:${ports[0]} " "server 127.0.0.1:${ports[1]} " \
    "server 127.0.0.1:${ports[2]} " "listen 127.0.0.1:${ports[3]};"; do
    [[ $(grep -cF "$line" "$work/nginx/replicas.conf") == 1 ]] \
        || fail "$recipe: no single line to rewrite into '$line' (keep 'server replica-N:8080 ...' and 'listen 80;')"
done
user=""
((EUID == 0)) && user="user root root;" # workers as root: they write the temp dir below
cat >"$work/nginx/nginx.conf" <<EOF
$user
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log notice;
events { worker_connections 256; }
http {
    log_format replicas escape=json '{"request_id":"\$http_x_request_id","request":"\$request_method \$uri",'
        '"status":"\$status","upstream":"\$upstream_addr","upstream_status":"\$upstream_status"}';
    access_log $work/nginx/access.log replicas;
    client_body_temp_path $work/nginx/client_body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/nginx/replicas.conf;
}
EOF
nginx -t -q -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" || fail "nginx -t refused the configuration"
nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
for _ in $(seq 50); do
    curl -sf -o /dev/null "$balancer/health/live" && break
    kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited at start"
    sleep 0.1
done
: >"$work/nginx/access.log" # only the checks' requests from here on
echo "replicas-check: nginx $(nginx -v 2>&1 | sed 's#.*/##') at $balancer"

replicas=()
for i in 0 1 2; do replicas+=(--replica "${names[i]}" "127.0.0.1:${ports[i]}" "$work/${names[i]}.log"); done
# In the background and waited for, so that a SIGTERM or SIGINT to this script is acted on at
# once (bash runs a trap only after a foreground command has finished).
check() {
    python3 "$repo/scripts/replicas_check.py" "$@" "$balancer" "$admin_token" \
        "$work/nginx/access.log" "${replicas[@]}" &
    check_pid=$!
    wait "$check_pid"
}
check flow || fail "the flow through nginx"

# One replica stops as `docker compose stop` stops it: SIGTERM, drain, exit 0.
kill -TERM "${pids[2]}"
status=0
wait "${pids[2]}" || status=$?
((status == 0)) || fail "${names[2]} exited $status after SIGTERM (expected 0)"
echo "replicas-check: ${names[2]} stopped (SIGTERM, exit 0)"
check failover --stopped "${names[2]}" || fail "the flow with ${names[2]} stopped"

awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "replicas-check: %.1f s\n", b - a }'
echo "replicas-check: passed ($backend)"
