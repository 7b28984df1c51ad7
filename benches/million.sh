#!/usr/bin/env bash
# /refresh with a million stored refresh tokens, on both backends (how we measure:
# docs/architecture.md#measuring). A refresh looks its token up by the SHA-256 of the token
# (a unique index), so the number of stored tokens should hardly matter; this checks that it
# does not, that PostgreSQL keeps up with SQLite, and that background pruning
# (docs/protocol.md#refresh-tokens) does not hold /refresh up. Same binary, same generator, same
# run, several runs, medians; wrk shares the machine's cores with the server and the database,
# so read the ratios, not the absolute numbers. Each backend gets two databases, one left empty
# and one seeded, each with its own server, and the wrk runs go round the four servers in turn,
# so load from elsewhere on a shared machine falls on every figure alike rather than on
# whichever was measured at that moment.
#
#   benches/million.sh [BIN] [RUNS=3] [SECONDS=10]
# BIN (or env BIN): the emulator binary, default target/release/uitid-emulator (built when
# missing). PostgreSQL: env UITID_BENCH_POSTGRES_URL, a superuser URL on the `postgres` database
# (two fresh databases are created on it and dropped), else a throwaway PostgreSQL cluster (initdb,
# pg_ctl on the PATH). Needs wrk, curl, python3, sqlite3 and psql. The targets are printed as
# PASS/MISS; the exit status is 0 either way: these are figures, not a gate.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/uitid-emulator}
if [[ -n ${1:-} && ! $1 =~ ^[0-9]+$ ]]; then bin=$1; shift; fi
runs=${1:-3}
seconds=${2:-10}
seed_rows=1000000
prune_rows=200000
key=sample-key-with-refresh
for tool in wrk curl python3 sqlite3 psql; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done
if [[ ! -x $bin ]]; then
  [[ $bin == target/release/uitid-emulator ]] || { echo "no emulator binary at $bin" >&2; exit 1; }
  cargo build --release --quiet
fi
bin=$(realpath "$bin")
work=$(mktemp -d "${TMPDIR:-/tmp}/uitid-million.XXXXXX")
started=$EPOCHREALTIME
pids=() pg_dir="" pg_admin_url="" pg_created_dbs=()

cleanup() {
  local pid db
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for db in "${pg_created_dbs[@]}"; do
    psql "$pg_admin_url" -Xq -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 ||
      echo "could not drop database $db" >&2
  done
  if [[ -n $pg_dir ]]; then
    as_pg pg_ctl -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# initdb and postgres refuse to run as root.
as_pg() {
  if ((EUID == 0)); then
    su -s /bin/sh nobody -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# wrk's p99 in ms, whatever unit wrk chose.
p99_ms() {
  awk '/ 99%/ {n = $2 + 0; u = $2; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f\n", n}'
}

# --- The servers -----------------------------------------------------------------------------

"$bin" keygen --out "$work/key.pem" >/dev/null 2>&1
# start_server NAME DATABASE_URL PRUNE_INTERVAL: sets base and server_pid.
start_server() {
  local name=$1 url=$2 interval=$3 port
  port=$(free_port)
  base=http://127.0.0.1:$port
  (
    # The embedded sample config plus these overrides only: drop inherited settings.
    while IFS= read -r variable; do unset "$variable"; done \
      < <(compgen -e | grep '^UITID_EMULATOR__' || true)
    export RUST_LOG=warn
    export UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base
    export UITID_EMULATOR__DATABASE__URL=$url UITID_EMULATOR__DATABASE__PRUNE_INTERVAL=$interval
    export UITID_EMULATOR__SIGNING__PRIVATE_KEY_FILE=$work/key.pem
    export UITID_EMULATOR__LOGIN__MODE=headless UITID_EMULATOR__LOGIN__HEADLESS_USER=stiksels
    exec "$bin" serve
  ) >"$work/$name.log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  for _ in $(seq 600); do
    curl -sf -o /dev/null "$base/health/ready" && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "server $name did not start; its log:" >&2
  sed -E 's#(://[^:@/ "]*):[^@/ "]*@#\1:***@#g' "$work/$name.log" >&2
  exit 1
}

# --- The databases ---------------------------------------------------------------------------

# url_of[BACKEND:empty] and url_of[BACKEND:seeded]: each backend's two databases.
declare -A url_of
url_of[sqlite:empty]=sqlite://$work/empty.sqlite
url_of[sqlite:seeded]=sqlite://$work/seeded.sqlite
if [[ -n ${UITID_BENCH_POSTGRES_URL:-} ]]; then
  pg_admin_url=$UITID_BENCH_POSTGRES_URL
  # The same URL on another database, its query string (sslmode=...) kept.
  stem=${pg_admin_url%%\?*}
  for db in empty seeded; do
    pg_created_dbs+=("uitid_million_$$_$db")
    psql "$pg_admin_url" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE uitid_million_$$_$db" >/dev/null
    url_of[postgres:$db]=${stem%/*}/uitid_million_$$_$db${pg_admin_url:${#stem}}
  done
  pg_where="the server of UITID_BENCH_POSTGRES_URL, databases uitid_million_$$_*"
else
  command -v initdb >/dev/null || { echo "no initdb: set UITID_BENCH_POSTGRES_URL" >&2; exit 1; }
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/uitid-million-pg.XXXXXX")
  ((EUID != 0)) || chown nobody "$pg_dir"
  pg_port=$(free_port)
  as_pg initdb -D "$pg_dir/data" -U emu --auth=trust -E UTF8 >"$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log" >&2; exit 1; }
  as_pg pg_ctl -D "$pg_dir/data" -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1" \
    -l "$pg_dir/log" -w start >/dev/null
  pg_admin_url=postgres://emu@127.0.0.1:$pg_port/postgres
  for db in empty seeded; do
    psql "$pg_admin_url" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
    url_of[postgres:$db]=postgres://emu@127.0.0.1:$pg_port/$db
  done
  pg_where="a throwaway cluster ($(as_pg pg_ctl --version)), defaults"
fi

# sql BACKEND: runs the statements on stdin (or in "$@") on that backend's seeded database,
# prints rows bare ("a|b").
sql() {
  local backend=$1
  shift
  if [[ $backend == sqlite ]]; then
    # The busy timeout: a server may be writing (a touch, a prune) when the statement starts.
    sqlite3 -batch -bail -cmd '.timeout 10000' "$work/seeded.sqlite" "$@"
  elif (($#)); then
    psql "${url_of[postgres:seeded]}" -XqAt -v ON_ERROR_STOP=1 -c "$1"
  else
    psql "${url_of[postgres:seeded]}" -XqAt -v ON_ERROR_STOP=1
  fi
}

# seed BACKEND ROWS FIRST MIX: inserts ROWS refresh tokens in one transaction, numbered from
# FIRST (PostgreSQL hashes the number, so each call needs numbers of its own). Creation times
# rise with the number, as the server inserts them, so rows that expire together sit together
# in the table (not in the token and user indexes: those keys are random). MIX "mixed": created
# over the past 8 weeks for 20,000 users; 80% without expiry (the default refresh_ttl), of which
# one in eight revoked half way between creation and now; 20% with a 14-day lifetime, so three
# quarters of those expired; two thirds used since. "expired": created 8 to 2 weeks ago with a
# 14-day lifetime, all expired.
seed() {
  local backend=$1 rows=$2 first=$3 mix=$4 now class key_hex rows_sql oldest newest
  now=$(date +%s)
  if [[ $mix == mixed ]]; then
    class="i % 10" oldest=$((now - 56 * 86400)) newest=$now
  else
    class=9 oldest=$((now - 56 * 86400)) newest=$((now - 14 * 86400 - 1))
  fi
  # The client's key, as its token was stored: reading it inside the INSERT would make SQLite
  # stage all the rows in a temporary table first (it reads the table it writes).
  if [[ $backend == sqlite ]]; then
    key_hex=$(sql sqlite 'SELECT hex(api_key_hash) FROM refresh_tokens ORDER BY id LIMIT 1')
  else
    key_hex=$(sql postgres "SELECT encode(api_key_hash, 'hex') FROM refresh_tokens ORDER BY id LIMIT 1")
  fi
  rows_sql="SELECT i, $class AS c, $oldest + (i - $first) * $((newest - oldest)) / $rows AS created"
  local columns="token_hash, user_uid, api_key_hash, created_at, expires_at, last_used_at, revoked_at"
  local rest="created,
      CASE WHEN c >= 8 THEN created + $((14 * 86400)) END,
      CASE WHEN i % 3 > 0 THEN created + ($now - created) * (i % 97) / 97 END,
      CASE WHEN c = 7 THEN created + ($now - created) / 2 END"
  if [[ $backend == sqlite ]]; then
    # generate_series is in the sqlite3 shell since 3.9 or so; a recursive CTE elsewhere.
    local series="SELECT value FROM generate_series($first, $((first + rows - 1)))"
    sqlite3 :memory: 'SELECT value FROM generate_series(1, 1)' >/dev/null 2>&1 ||
      series="SELECT $first UNION ALL SELECT i + 1 FROM s WHERE i < $((first + rows - 1))"
    sql sqlite <<SQL
BEGIN IMMEDIATE;
WITH RECURSIVE s(i) AS ($series), t AS ($rows_sql FROM s)
INSERT INTO refresh_tokens ($columns)
SELECT randomblob(32), printf('%08x-0000-4000-8000-%012x', i % 20000, i % 20000), X'$key_hex', $rest
FROM t;
COMMIT;
SQL
  else
    sql postgres <<SQL
INSERT INTO refresh_tokens ($columns)
SELECT sha256(int8send(i)),
  format('%s-0000-4000-8000-%s', lpad(to_hex(i % 20000), 8, '0'), lpad(to_hex(i % 20000), 12, '0')),
  '\\x$key_hex'::bytea, $rest
FROM ($rows_sql FROM generate_series($first::bigint, $((first + rows - 1))) AS i) AS t;
SQL
  fi
}

# After a bulk load, what the database would have done by itself a little later, done now so it
# does not land in the middle of a measurement: PostgreSQL's autovacuum (VACUUM and ANALYZE of
# a million new rows) and checkpoint, SQLite's checkpoint of the write-ahead log into the
# database file.
settle() {
  if [[ $1 == sqlite ]]; then
    sql sqlite 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
  else
    sql postgres 'VACUUM (ANALYZE) refresh_tokens'
    sql postgres 'CHECKPOINT'
  fi
}

database_size() {
  if [[ $1 == sqlite ]]; then
    du -ch "$work"/seeded.sqlite* | awk 'END {print $1 " (file and WAL)"}'
  else
    sql postgres "SELECT pg_size_pretty(pg_database_size(current_database())) || ' (database; table and indexes '
      || pg_size_pretty(pg_total_relation_size('refresh_tokens')) || ')'"
  fi
}

# How the lookup of /refresh is planned, with the statement the server sends. PostgreSQL: the
# generic plan, which a prepared statement (sqlx prepares every query) may settle on.
lookup_plan() {
  local columns="id, user_uid, api_key_hash, created_at, expires_at, last_used_at, revoked_at"
  if [[ $1 == sqlite ]]; then
    sql sqlite "EXPLAIN QUERY PLAN SELECT $columns FROM refresh_tokens WHERE token_hash = randomblob(32)" |
      sed 's/^[0-9|]*//' | paste -sd ' '
  else
    sql postgres <<SQL | paste -sd ' ' | tr -s ' '
SET plan_cache_mode = force_generic_plan;
PREPARE lookup(bytea) AS SELECT $columns FROM refresh_tokens WHERE token_hash = \$1;
EXPLAIN EXECUTE lookup(sha256('x'));
SQL
  fi
}

# How the pruner finds a batch of expired tokens (the inner query of its DELETE), planned now.
prune_plan() {
  local query
  query="SELECT id FROM refresh_tokens WHERE expires_at <= $(date +%s) LIMIT 500"
  if [[ $1 == sqlite ]]; then
    sql sqlite "EXPLAIN QUERY PLAN $query" | sed 's/^[0-9|]*//' | paste -sd ' '
  else
    sql postgres "EXPLAIN $query" | paste -sd ' ' | tr -s ' '
  fi
}

# PostgreSQL: how many times autovacuum vacuumed or analyzed the tokens since the last call
# (counted in autovacuum_seen), as a note to a figure; nothing for SQLite.
autovacuum_seen=0
autovacuums() {
  [[ $1 == postgres ]] || return 0
  local now_seen
  now_seen=$(sql postgres "SELECT autovacuum_count + autoanalyze_count FROM pg_stat_user_tables
    WHERE relname = 'refresh_tokens'")
  echo "; autovacuum/autoanalyze runs meanwhile: $((now_seen - autovacuum_seen))"
  autovacuum_seen=$now_seen
}

# poll BACKEND BOUND WRK_PID: waits while a token expired before BOUND is left and wrk runs. The
# query reads one entry of the expiry index, and the pruning run and the control poll at the
# same pace, so the polling (a new process and, on PostgreSQL, a new connection each time) costs
# both the same.
poll() {
  while [[ $(sql "$1" "SELECT coalesce(min(expires_at) < $2, false) FROM refresh_tokens
      WHERE expires_at IS NOT NULL") =~ ^(1|t)$ ]] && kill -0 "$3" 2>/dev/null; do
    sleep 0.5
  done
}

count() { sql "$1" "SELECT count(*) FROM refresh_tokens${2:+ WHERE $2}"; }

# --- Measuring -------------------------------------------------------------------------------

declare -A rate p99
wrk_args=(-t2 -c64 --latency)
# The run's figures, and the responses that were not 200 (there must be none: a refused
# refresh is cheap and would flatter the figures).
wrk_figures() {
  if grep -q "Non-2xx or 3xx" <<<"$2"; then
    echo "$1: errors seen" >&2
    grep -E "Non-2xx|Socket" <<<"$2" >&2
  fi
  run_rate=$(awk '/Requests\/sec/ {print $2}' <<<"$2")
  run_p99=$(p99_ms <<<"$2")
}
# serve ID URL PRUNE_INTERVAL: start_server, and the client's token through a headless login on
# the first server of a database; base_of[ID] and pid_of[ID] are where the server is.
declare -A base_of pid_of refresh_of
serve() {
  local id=$1 location
  start_server "${id/:/-}" "$2" "$3"
  base_of[$id]=$base
  pid_of[$id]=$server_pid
  if [[ -z ${refresh_of[$2]:-} ]]; then
    location=$(curl -s -o /dev/null -w '%{redirect_url}' "$base/connect?apiKey=$key&destination=http://localhost/cb")
    refresh_of[$2]=$(sed -E 's/.*[?&]refresh=([^&]+).*/\1/' <<<"$location")
  fi
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$(refresh_url "$id" "$2")") == 200 ]] ||
    { echo "$id: /refresh does not answer 200" >&2; exit 1; }
}
# refresh_url ID URL: the /refresh the client sends to server ID, with its token in database URL.
refresh_url() { echo "${base_of[$1]}/refresh?apiKey=$key&refresh=${refresh_of[$2]}"; }
unserve() {
  kill -TERM "${pid_of[$1]}"
  wait "${pid_of[$1]}" || true
}

# measure ID...: RUNS rounds of one wrk run of /refresh on each server in turn; medians into
# rate[ID] and p99[ID], one line each.
measure() {
  local id out
  local -A rates=() p99s=()
  for _ in $(seq "$runs"); do
    for id in "$@"; do
      out=$(wrk "${wrk_args[@]}" -d"${seconds}s" "$(refresh_url "$id" "${url_of[$id]}")")
      wrk_figures "$id" "$out"
      rates[$id]+="$run_rate "
      p99s[$id]+="$run_p99 "
    done
  done
  for id in "$@"; do
    rate[$id]=$(tr ' ' '\n' <<<"${rates[$id]}" | grep . | median)
    p99[$id]=$(tr ' ' '\n' <<<"${p99s[$id]}" | grep . | median)
    printf '  %-40s %8.0f req/s  p99 %6.2f ms   (runs: %s req/s; p99 %s ms)\n' \
      "${label_of[$id]}" "${rate[$id]}" "${p99[$id]}" "${rates[$id]% }" "${p99s[$id]% }"
  done
}
declare -A label_of=(
  [sqlite:empty]="SQLite, empty database" [sqlite:seeded]="SQLite, $seed_rows more tokens"
  [postgres:empty]="PostgreSQL, empty database" [postgres:seeded]="PostgreSQL, $seed_rows more tokens"
)

# prune_check BACKEND: on the seeded database, a server with a 1-second prune interval prunes
# the seed's expired and long-revoked tokens while idle, then 200,000 fresh expired ones under
# load; then the control run.
prune_check() {
  local backend=$1 url=${url_of[$1:seeded]} t0 t1 now before left expired revoked bound wrk_pid out window
  echo "$backend:"
  serve "$backend:pruning" "$url" 1s
  now=$(date +%s)
  expired="expires_at <= $now"
  revoked="revoked_at <= $((now - 7 * 86400))"
  before=$(count "$backend")
  left=$(sql "$backend" "SELECT (SELECT count(*) FROM refresh_tokens WHERE $expired)
    + (SELECT count(*) FROM refresh_tokens WHERE $revoked)")
  t0=$EPOCHREALTIME
  until (($(count "$backend" "$expired") + $(count "$backend" "$revoked") == 0)); do
    sleep 0.25
    if (($(elapsed "$t0" "$EPOCHREALTIME" | cut -d. -f1) > 600)); then echo "  not pruned in 10 minutes" >&2; break; fi
  done
  echo "  the seed's expired and long-revoked tokens, idle: $left rows pruned in" \
    "$(elapsed "$t0" "$EPOCHREALTIME") s ($before rows before, $(count "$backend") after)"

  # One window of pruning under load: wrk runs from the commit of the expired tokens until the
  # last of them is gone, and a SIGINT makes it report up to then.
  before=$(($(count "$backend") + prune_rows))
  seed "$backend" "$prune_rows" $((seed_rows + 1)) expired
  autovacuums "$backend" >/dev/null
  t0=$EPOCHREALTIME
  # Seeded expired tokens expire before this second; a live token with a lifetime that reaches
  # its end during the run is not one of them.
  bound=$(date +%s)
  wrk "${wrk_args[@]}" -d$((seconds * 30))s "$(refresh_url "$backend:pruning" "$url")" >"$work/wrk.out" &
  wrk_pid=$!
  echo "  prune lookup plan: $(prune_plan "$backend")"
  poll "$backend" "$bound" "$wrk_pid"
  t1=$EPOCHREALTIME
  kill -INT "$wrk_pid" 2>/dev/null || echo "  wrk's $((seconds * 30)) s ended before the pruning did"
  wait "$wrk_pid" || true
  out=$(<"$work/wrk.out")
  wrk_figures "/refresh during pruning" "$out"
  rate[$backend:pruning]=$run_rate
  p99[$backend:pruning]=$run_p99
  echo "  $prune_rows expired tokens seeded: $before rows; under load, pruned in $(elapsed "$t0" "$t1") s;" \
    "$(count "$backend") rows after, $(count "$backend" "expires_at < $bound") of them left"
  printf '  %-40s %8.0f req/s  p99 %6.2f ms   (one run, as long as the pruning)%s\n' \
    "/refresh during pruning" "$run_rate" "$run_p99" "$(autovacuums "$backend")"
  unserve "$backend:pruning"

  # The control: the same seeding, then wrk for as long, on a server that does not prune. A
  # seeding has costs of its own right after it (PostgreSQL's autovacuum of the new rows, for
  # one), and the pruning is judged against this run.
  window=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", b - a + 0.5}')
  serve "$backend:control" "$url" 24h
  seed "$backend" "$prune_rows" $((seed_rows + prune_rows + 1)) expired
  autovacuums "$backend" >/dev/null
  wrk "${wrk_args[@]}" -d"$((window > 0 ? window : 1))s" "$(refresh_url "$backend:control" "$url")" >"$work/wrk.out" &
  wrk_pid=$!
  poll "$backend" "$(date +%s)" "$wrk_pid"
  wait "$wrk_pid"
  out=$(<"$work/wrk.out")
  wrk_figures "/refresh, seeded, not pruning" "$out"
  rate[$backend:control]=$run_rate
  p99[$backend:control]=$run_p99
  printf '  %-40s %8.0f req/s  p99 %6.2f ms   (one run of %s s, a server that does not prune)%s\n' \
    "/refresh, as many seeded, no pruning" "$run_rate" "$run_p99" "$window" "$(autovacuums "$backend")"
  echo "  database size at the end: $(database_size "$backend")"
  unserve "$backend:control"
}

# verdict NAME VALUE OP TARGET: one line of the summary.
verdict() {
  awk -v n="$1" -v v="$2" -v op="$3" -v t="$4" 'BEGIN {
    ok = (op == ">=") ? v >= t : v <= t
    printf "  %-52s %6.3f  (target %s %.2f)  %s\n", n, v, op, t, ok ? "PASS" : "MISS"}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.4f", a / b}'; }

echo "million.sh: $runs runs of ${seconds}s per figure, wrk ${wrk_args[*]}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $bin"
echo "SQLite: sqlite3 $(sqlite3 --version | cut -d' ' -f1) shell for seeding; PostgreSQL: $pg_where"
# A prune interval far beyond the run on these: pruning is measured on its own, at the end.
for id in sqlite:empty sqlite:seeded postgres:empty postgres:seeded; do serve "$id" "${url_of[$id]}" 24h; done
echo
echo "== seeding $seed_rows refresh tokens into the second database of each backend, one transaction"
for backend in sqlite postgres; do
  t0=$EPOCHREALTIME
  seed "$backend" "$seed_rows" 1 mixed
  t1=$EPOCHREALTIME
  settle "$backend"
  echo "$backend: seeding $(elapsed "$t0" "$t1") s; then $(elapsed "$t1" "$EPOCHREALTIME") s for the" \
    "$([[ $backend == sqlite ]] && echo "WAL checkpoint" || echo "VACUUM (ANALYZE) and CHECKPOINT")"
  echo "  rows: $(count "$backend"); database size: $(database_size "$backend")"
  echo "  lookup plan: $(lookup_plan "$backend")"
done
echo
echo "== /refresh, each server in turn, $runs rounds (the empty databases hold the client's token only)"
measure sqlite:empty sqlite:seeded postgres:empty postgres:seeded
for id in sqlite:empty sqlite:seeded postgres:empty postgres:seeded; do unserve "$id"; done
echo
echo "== pruning: a server on the seeded database with prune_interval 1s (batches of 500)"
prune_check sqlite
prune_check postgres

echo
echo "== summary (medians; after / before)"
for backend in sqlite postgres; do
  verdict "$backend: throughput, 1M tokens / empty" \
    "$(ratio "${rate[$backend:seeded]}" "${rate[$backend:empty]}")" ">=" 0.90
  verdict "$backend: p99, 1M tokens / empty" \
    "$(ratio "${p99[$backend:seeded]}" "${p99[$backend:empty]}")" "<=" 1.10
  verdict "$backend: throughput, pruning / seeded, no pruning" \
    "$(ratio "${rate[$backend:pruning]}" "${rate[$backend:control]}")" ">=" 0.90
  verdict "$backend: p99, pruning / seeded, no pruning" \
    "$(ratio "${p99[$backend:pruning]}" "${p99[$backend:control]}")" "<=" 1.10
done
verdict "postgres / sqlite throughput, empty database" \
  "$(ratio "${rate[postgres:empty]}" "${rate[sqlite:empty]}")" ">=" 0.80
echo "total: $(elapsed "$started" "$EPOCHREALTIME") s; load $(cut -d' ' -f1-3 /proc/loadavg)"
