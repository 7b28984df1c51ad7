#!/usr/bin/env bash
# A soak of mixed traffic against the built binary (docs/reliability.md#soak): logins through
# the form, refreshes, /user, control-plane calls and bad input, with the emulator clock jumping
# six hours every 10 s so tokens, flows and sessions expire and are purged. Fails on any answer a
# route does not document, on memory growing more than 10% after warm-up (no /metrics scrape),
# on a growing database, and on a failed integrity check after SIGTERM. Prints its figures.
#   scripts/soak.sh [SECONDS=60] [BINARY=target/release/uitid-emulator]   (CI: 60 s; on demand: 600)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
binary=$(realpath "${2:-$repo/target/release/uitid-emulator}")
work=$(mktemp -d)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
database=$work/soak.sqlite
UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base \
UITID_EMULATOR__DATABASE__URL="sqlite://$database" UITID_EMULATOR__TOKEN__REFRESH_TTL=2h \
RUST_LOG=warn "$binary" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$base/health/ready" && break; sleep 0.1; done

status=0
python3 "$repo/scripts/soak.py" "$base" "$pid" "$database" "$seconds" || status=1
kill -TERM "$pid"
wait "$pid" || { echo "FAIL: the server did not exit 0 on SIGTERM"; status=1; }
pid=""
python3 "$repo/scripts/soak_checks.py" integrity "$database" || status=1
if [[ $status -ne 0 ]]; then
  tail -20 "$work/server.log"
  echo "soak: FAILED"
else
  echo "soak: passed"
fi
exit "$status"
