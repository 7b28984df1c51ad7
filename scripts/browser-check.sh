#!/usr/bin/env bash
# Drives the login form, the dashboard and UiTiD v2's authorization-code login in headless
# Chromium against the built binary (tests/browser/*.js, one server for all). Needs Debian's
# chromium (or $CHROMIUM) and the npm package playwright-core (no browser download) in
# $UITID_NODE_MODULES (default ~/.cache/uitid-emulator/browser/node_modules); .ci/provision.sh
# installs both. Screenshots go to $UITID_ARTIFACTS (default <repo>/artifacts). Ends with
# "N passed, M failed".
#   scripts/browser-check.sh [BINARY=target/debug/uitid-emulator]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${1:-$repo/target/debug/uitid-emulator}")
node_modules=${UITID_NODE_MODULES:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/uitid-emulator/browser/node_modules}
export UITID_ARTIFACTS=${UITID_ARTIFACTS:-$repo/artifacts}
tests=(login_flow dashboard authorization_code)
work=$(mktemp -d)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

missing=""
[[ -x ${CHROMIUM:-/usr/bin/chromium} ]] || missing="chromium (apt-get install chromium, or set CHROMIUM)"
[[ -d $node_modules/playwright-core ]] \
  || missing+="${missing:+ and }playwright-core (npm install --prefix ${node_modules%/node_modules} playwright-core)"
if [[ -n $missing ]]; then
  echo "browser-check: missing $missing"
  echo "0 passed, ${#tests[@]} failed"
  exit 1
fi
mkdir -p "$UITID_ARTIFACTS"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base \
UITID_EMULATOR__DATABASE__URL="sqlite://$work/db.sqlite" "$binary" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$base/health/ready" && break; sleep 0.1; done

passed=0 failed=0
for test in "${tests[@]}"; do
  echo "--- $test"
  if NODE_PATH=$node_modules node "$repo/tests/browser/$test.js" "$base"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
if ((failed)); then
  echo "--- server log (last 20 lines)"
  tail -20 "$work/server.log"
fi
echo "$passed passed, $failed failed"
((failed == 0))
