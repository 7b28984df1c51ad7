#!/usr/bin/env bash
# Load figures for the hot routes (how we measure: docs/architecture.md#measuring):
# same binary, same generator, same run; a bare route as the ceiling; several runs, median.
# The generator (wrk) shares the machine's cores with the server: read ratios, not absolutes.
#
#   benches/load.sh [RUNS=3] [SECONDS=10]
# Needs wrk (apt-get install wrk). Builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
seconds=${2:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/uitid-emulator
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
key=sample-key-with-refresh
"$bin" keygen --out "$work/key.pem" >/dev/null 2>&1
start_ns=$(date +%s%N)
UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base \
UITID_EMULATOR__DATABASE__URL="sqlite://$work/db.sqlite" \
UITID_EMULATOR__SIGNING__PRIVATE_KEY_FILE="$work/key.pem" \
UITID_EMULATOR__LOGIN__MODE=headless UITID_EMULATOR__LOGIN__HEADLESS_USER=stiksels \
RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$base/health/live"; do sleep 0.005; done
echo "start-up to first answer (key present, fresh database): $(( ($(date +%s%N) - start_ns) / 1000000 )) ms"
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

location=$(curl -s -o /dev/null -w '%{redirect_url}' "$base/connect?apiKey=$key&destination=http://localhost/cb")
jwt=$(sed -E 's/.*[?&]jwt=([^&]+).*/\1/' <<<"$location")
refresh=$(sed -E 's/.*[?&]refresh=([^&]+).*/\1/' <<<"$location")
cat >"$work/user.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $jwt"
wrk.headers["X-Api-Key"] = "$key"
LUA
# The OAuth2 realm's client-credentials grant, as the sample client (HTTP Basic).
basic=$(printf '%s' "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11:sampleclientsecret" | base64 -w0)
cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $basic"
LUA

# Rotating refresh tokens: 64 chains of the sample client, one per wrk thread and connection,
# so each thread refreshes its own chain in turn and keeps the newest token (a shared token
# would be a reuse and revoke its chain: docs/protocol.md#rotating-refresh-tokens). Each run
# gets new chains: the tokens a run started with are dead after it.
mint_chains() {
  python3 - "$base" >"$work/chains.txt" <<'PY'
import json, sys, urllib.request
body = json.dumps({"user": "stiksels", "client": "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11"}).encode()
for _ in range(64):
    request = urllib.request.Request(sys.argv[1] + "/_emulator/tokens", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # raises, with the status
        print(json.load(answer)["refresh"])
PY
}
cat >"$work/rotation.lua" <<LUA
local chains, next_chain = {}, 0
for line in io.lines("$work/chains.txt") do chains[#chains + 1] = line end
function setup(thread) next_chain = next_chain + 1; thread:set("refresh", chains[next_chain]) end
function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic $basic"}, "grant_type=refresh_token&refresh_token=" .. refresh)
end
function response(status, headers, body)
  if status == 200 then refresh = body:match('"refresh_token":"([^"]+)"') end
end
LUA

declare -A paths=(
  [live]="/health/live"
  [refresh]="/refresh?apiKey=$key&refresh=$refresh"
  [user]="/user"
  [connect]="/connect?apiKey=$key&destination=http://localhost/cb"
  [token]="/realms/uitid/protocol/openid-connect/token"
  [rotation]="/realms/uitid/protocol/openid-connect/token"
)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A result
for name in live refresh user connect token rotation; do
  rates=()
  for _ in $(seq "$runs"); do
    script=(); [[ $name == user || $name == token || $name == rotation ]] && script=(-s "$work/$name.lua")
    load=(-t2 -c64)
    if [[ $name == rotation ]]; then load=(-t64 -c64); mint_chains; fi
    out=$(wrk "${load[@]}" -d"${seconds}s" --latency "${script[@]}" "$base${paths[$name]}")
    if grep -q "Non-2xx or 3xx" <<<"$out"; then echo "$name: errors seen" >&2; grep -E "Non-2xx|Socket" <<<"$out" >&2; fi
    rates+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p50=$(awk '/ 50%/ {print $2}' <<<"$out"); p99=$(awk '/ 99%/ {print $2}' <<<"$out")
  done
  result[$name]=$(printf '%s\n' "${rates[@]}" | median)
  printf '%-8s median %10s req/s  (runs: %s; last run p50 %s, p99 %s)\n' \
    "$name" "${result[$name]}" "${rates[*]}" "$p50" "$p99"
done
for name in refresh user connect token rotation; do
  awk -v a="${result[$name]}" -v b="${result[live]}" -v n="$name" \
    'BEGIN {printf "%-8s / live ceiling = %.3f\n", n, a / b}'
done
echo "peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status); database: $(du -sh "$work" | cut -f1)"
