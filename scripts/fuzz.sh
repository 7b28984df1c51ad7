#!/usr/bin/env bash
# Schema fuzzing (docs/reliability.md#schema-fuzzing): schemathesis generates requests from an
# OpenAPI description, valid and invalid, and checks every answer against it: no 5xx, a declared
# status, Content-Type and headers, a body that fits the schema, 405 with Allow for other methods.
# Three runs, each on a server of its own (the built binary on a free loopback port, with a
# throwaway SQLite database):
#   control   the control plane against the GET /_emulator/openapi.json it serves;
#   provider  the provider routes and /user against docs/provider-openapi.json;
#   client    the same as a known client: the sample API key, a refresh token and an access token
#             minted for it, so the 200 answers of /refresh and /user are checked too; and the
#             sample OAuth2 client: its credentials at the token, introspection and revocation
#             endpoints, its redirect URI and an id_token at the authorization and logout
#             endpoints, and a user access token minted for it at userinfo.
# The control plane has a server of its own because the faults it queues make the provider routes
# misbehave on purpose. Needs `st` (PyPI schemathesis) in $UITID_FUZZ_VENV/bin (default
# ~/.cache/uitid-emulator/fuzz-venv) or on the PATH; .ci/provision.sh installs it.
# Ends with "N passed, M failed", one per run.
#   scripts/fuzz.sh [BINARY=target/debug/uitid-emulator] [--max-examples N=25] [--seed S=1]
#                   [--max-time SECONDS]
# The seed makes a run reproducible. --max-time turns each run into a time budget: schemathesis
# keeps generating until it is spent (for a longer local hunt; CI runs one pass).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary="" max_examples=25 seed=1 max_time=""
while (($#)); do
  case $1 in
    --max-examples) max_examples=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --max-time) max_time=$2; shift 2 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) binary=$1; shift ;;
  esac
done
binary=$(realpath "${binary:-$repo/target/debug/uitid-emulator}")
venv=${UITID_FUZZ_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/uitid-emulator/fuzz-venv}
st=$venv/bin/st
[[ -x $st ]] || st=$(command -v st || true)
runs=(control provider client)
if [[ -z $st ]]; then
  echo "fuzz: missing schemathesis (python3 -m venv $venv && $venv/bin/pip install schemathesis)"
  echo "0 passed, ${#runs[@]} failed"
  exit 1
fi
work=$(mktemp -d)
pid=""
stop_server() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=""; }
trap 'stop_server; rm -rf "$work"' EXIT

# A server for run $1 on a fresh database. Loopback is exempt from the rate limits: the fuzzer
# fails on purpose far more often than their budgets allow, and a 429 would hide the answer
# under test. Sets $base and $pid.
start_server() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  mkdir -p "$work/$1"
  UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base \
  UITID_EMULATOR__DATABASE__URL="sqlite://$work/$1/db.sqlite" \
  UITID_EMULATOR__RATE_LIMITS__EXEMPT_LOOPBACK=true \
    "$binary" serve >"$work/$1/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "$base/health/ready" && return; sleep 0.1; done
  echo "fuzz: the server for $1 did not become ready"
  return 1
}

checks=not_a_server_error,status_code_conformance,content_type_conformance
checks+=,response_headers_conformance,response_schema_conformance
checks+=,unsupported_method,allow_header_conformance
# Redirects are answers under test, not to be followed; no example database, so a run depends
# on its seed alone; a hard bound per run in case the server hangs.
common=(--checks "$checks" --max-examples "$max_examples" --seed "$seed" --max-redirects 0
  --request-timeout 10 --generation-database none --no-color)
[[ -n $max_time ]] && common+=(--max-time "$max_time")
bound=$((${max_time:-0} + 300))

# `st` with the arguments after $1 (the run's name, which names its log), from the work
# directory, so no schemathesis.toml of elsewhere applies and nothing is written into the clone.
fuzz() {
  local name=$1
  shift
  echo "--- $name"
  (cd "$work" && timeout "$bound" "$st" "$@" "${common[@]}") >"$work/$name.log" 2>&1
}

passed=0 failed=0
record() {
  local name=$1 status=$2 log=$work/$1.log
  touch "$log"
  # Schemathesis's own summary: failures, warnings, test cases, seed.
  sed -n '/^=* SUMMARY =*$/,$p' "$log" | grep -E '^(  |Seed|=)' || tail -20 "$log"
  if ((status == 0)); then
    passed=$((passed + 1))
    return
  fi
  failed=$((failed + 1))
  echo "--- $name: failures"
  sed -n '/^=* FAILURES =*$/,/^=* \(WARNINGS\|SUMMARY\) =*$/p' "$log" | head -150
  echo "--- $name: server log (errors)"
  grep -E 'ERROR|panicked' "$work/$name/server.log" 2>/dev/null | head -20 || true
}

# Run $1 on a server of its own; one that does not start counts as a failure.
run() {
  local name=$1 status=0
  if start_server "$name"; then
    "fuzz_$name" || status=$?
  else
    status=1
  fi
  stop_server
  record "$name" "$status"
}

# The control plane, except POST /_emulator/journal/wait: it blocks until a matching provider
# request arrives or its timeout (up to server.request_timeout less a second) passes, and this
# server answers no provider requests, so every generated wait would idle out. tests/api/journal.rs
# covers it.
fuzz_control() {
  fuzz control run "$base/_emulator/openapi.json" --exclude-operation-id wait_journal
}

fuzz_provider() {
  fuzz provider run "$repo/docs/provider-openapi.json" --url "$base"
}

# The sample key and the sample OAuth2 client from config/default.toml, and tokens minted for them
# through the control plane: pinned, while everything else is still generated.
fuzz_client() {
  local key=sample-key-with-refresh client=5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11
  local secret=sampleclientsecret minted jwt refresh realm user_jwt id_token basic
  minted=$(curl -sf -X POST "$base/_emulator/tokens" \
    -d "{\"user\":\"stiksels\",\"api_key\":\"$key\"}") || return 1
  jwt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["jwt"])' <<<"$minted") || return 1
  refresh=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh"])' <<<"$minted") \
    || return 1
  realm=$(curl -sf -X POST "$base/_emulator/tokens" \
    -d "{\"user\":\"stiksels\",\"client\":\"$client\",\"scope\":\"openid\"}") \
    || return 1
  user_jwt=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["jwt"])' <<<"$realm") \
    || return 1
  id_token=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id_token"])' <<<"$realm") \
    || return 1
  basic=$(printf '%s:%s' "$client" "$secret" | base64 | tr -d '\n')
  cat >"$work/client.toml" <<EOF
headers = { Authorization = "Bearer $jwt" }

[parameters]
"query.apiKey" = "$key"
"query.refresh" = "$refresh"
"query.client_id" = "$client"
"query.redirect_uri" = "http://localhost:3000/callback"
"query.id_token_hint" = "$id_token"

[[operations]]
include-operation-id = ["userinfo", "userinfo_post"]
headers = { Authorization = "Bearer $user_jwt" }

[[operations]]
include-operation-id = ["realm_token", "auth0_token", "introspect", "revoke"]
headers = { Authorization = "Basic $basic" }
EOF
  fuzz client --config-file "$work/client.toml" run "$repo/docs/provider-openapi.json" \
    --url "$base"
}

for name in "${runs[@]}"; do
  run "$name"
done
echo "$passed passed, $failed failed"
((failed == 0))
