#!/usr/bin/env bash
# Drives the login form in headless Chromium against the built binary (tests/browser/).
# Installs Debian's chromium and playwright-core (npm, no browser download) when run as root
# with CI=true. Ends with "N passed, M failed".
#   scripts/browser-check.sh [BINARY=target/debug/uitid-emulator]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=$(realpath "${1:-$repo/target/debug/uitid-emulator}")
cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/uitid-emulator/browser
work=$(mktemp -d)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if ! command -v chromium >/dev/null && [[ $(id -u) -eq 0 && ${CI:-} == true ]]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [[ ! -d $cache/node_modules/playwright-core ]]; then
  mkdir -p "$cache" && npm install --prefix "$cache" --silent --no-audit --no-fund playwright-core >/dev/null
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:$port UITID_EMULATOR__SERVER__PUBLIC_URL=$base \
UITID_EMULATOR__DATABASE__URL="sqlite://$work/db.sqlite" "$binary" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$base/health/ready" && break; sleep 0.1; done

if NODE_PATH=$cache/node_modules node "$repo/tests/browser/login_flow.js" "$base"; then
  echo "1 passed, 0 failed"
else
  tail -20 "$work/server.log"
  echo "0 passed, 1 failed"
  exit 1
fi
