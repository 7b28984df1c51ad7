#!/usr/bin/env bash
# Runs the example clients (PHP, Python) against a freshly started uitid-emulator: the JWT
# provider's refresh loop, and UiTiD v2's client credentials through the Entry API gateway, whose
# upstream is the example Entry API stand-in (stand_in/entry_api.py); then, against a second
# emulator with the login form, UiTiD v2's user login: the authorization-code client and the
# example login app (examples/login_app, driven by its check_app.py).
#
# Usage: [PHP=php] [PYTHON=python3] examples/clients/run.sh [EMULATOR_BINARY]
#   EMULATOR_BINARY defaults to target/debug/uitid-emulator in the repository root.
#   PHP     a PHP >= 8.1 with ext-curl (Debian: apt-get install php-cli php-curl)
#   PYTHON  a Python >= 3.9 that can import `requests`, `authlib` and `jwt`, e.g. a venv's python after
#           `pip install -r examples/clients/python/requirements.txt` (CI passes its venv's)
#
# It installs nothing: a client whose interpreter is missing fails with what to install.
# Each emulator runs on a free loopback port with its own throwaway SQLite database and the
# embedded sample config: the first headless (user `stiksels`), the second with the login form.
#
# Ends with one line "N passed, M failed"; exits 1 if anything failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=${1:-$repo/target/debug/uitid-emulator}
[[ $binary == /* ]] || binary="$PWD/$binary"
api_key=sample-key-with-refresh
php=${PHP:-php}
python=${PYTHON:-python3}

passed=0
failed=0
problem="" # why the current step cannot go on; empty when it can
emulator_pid=""
emulator_log=""
stand_in_pid=""
stand_in_url=""
base_url=""
work=$(mktemp -d "${TMPDIR:-/tmp}/uitid-clients.XXXXXX")

log() { printf '==> %s\n' "$*"; }
pass() { printf 'PASS %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL %s\n' "$*"; failed=$((failed + 1)); }

# True while the process runs (an exited child that is not reaped yet does not count).
alive() {
    local stat
    [[ -d /proc/$$ ]] || { kill -0 "$1" 2>/dev/null; return; }
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

cleanup() {
    if [[ -n $stand_in_pid ]]; then
        kill "$stand_in_pid" 2>/dev/null || true
    fi
    if [[ -n $emulator_pid ]] && alive "$emulator_pid"; then
        kill -KILL "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------

check_php() {
    problem=""
    "$php" -r 'exit(extension_loaded("curl") ? 0 : 1);' >/dev/null 2>&1 \
        || problem="no PHP with ext-curl at '$php' (apt-get install php-cli php-curl, or set PHP)"
}

check_python() {
    problem=""
    "$python" -c 'import requests, authlib, jwt' >/dev/null 2>&1 \
        || problem="'$python' cannot import requests, authlib and jwt (pip install -r $here/python/requirements.txt in a venv, and set PYTHON to its python)"
}

# --- the Entry API stand-in behind the gateway -------------------------------------------------

start_stand_in() {
    local port="" i
    "$python" "$here/stand_in/entry_api.py" 0 >"$work/stand_in.out" 2>"$work/stand_in.log" &
    stand_in_pid=$!
    for ((i = 0; i < 100; i++)); do
        port=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$work/stand_in.out")
        [[ -n $port ]] && break
        sleep 0.1
    done
    [[ -n $port ]] && stand_in_url=http://127.0.0.1:$port
    log "Entry API stand-in at ${stand_in_url:-nowhere (see $work/stand_in.log)}"
}

# --- emulator ----------------------------------------------------------------------------------

# $1: the login mode, "headless" (user stiksels, the stand-in as upstream) or "form".
start_emulator() {
    local mode=$1
    problem=""
    if [[ ! -x $binary ]]; then
        problem="no emulator binary at $binary (cargo build first, or pass its path)"
        return
    fi
    log "starting $binary (login mode $mode)"
    emulator_log=$work/emulator-$mode.log
    (
        # The embedded sample config plus these overrides only: drop inherited settings.
        while IFS= read -r name; do
            unset "$name"
        done < <(compgen -e | grep '^UITID_EMULATOR__' || true)
        export RUST_LOG=info,sqlx=warn
        export UITID_EMULATOR__SERVER__LISTEN=127.0.0.1:0
        export UITID_EMULATOR__DATABASE__URL="sqlite://$work/uitid-emulator-$mode.db"
        export UITID_EMULATOR__LOGIN__MODE=$mode
        if [[ $mode == headless ]]; then
            export UITID_EMULATOR__LOGIN__HEADLESS_USER=stiksels
            export UITID_EMULATOR__ENTRY_API__UPSTREAM="$stand_in_url"
        fi
        exec "$binary"
    ) >"$emulator_log" 2>&1 &
    emulator_pid=$!
}

answers() {
    if command -v curl >/dev/null; then
        curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
    else
        "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
            "$1" >/dev/null 2>&1
    fi
}

# Port 0 makes the emulator pick a free port; it logs "listening address=HOST:PORT". Then wait
# until the control plane answers.
wait_for_emulator() {
    problem=""
    local address="" i
    for ((i = 0; i < 300; i++)); do
        alive "$emulator_pid" || break
        address=$(sed -n 's/.*listening address=\([0-9.:]*\).*/\1/p' "$emulator_log")
        [[ -n $address ]] && break
        sleep 0.1
    done
    if [[ -z $address ]]; then
        problem="the emulator did not start (no 'listening address=' in its log)"
        return
    fi
    base_url=http://${address%%$'\n'*}
    for ((i = 0; i < 100; i++)); do
        answers "$base_url/_emulator/clock" && return
        alive "$emulator_pid" || break
        sleep 0.1
    done
    problem="the emulator does not answer at $base_url"
}

# SIGTERM, then up to 10 s for a clean exit (SIGKILL after that). Sets $emulator_status.
stop_emulator() {
    local i
    emulator_status=0
    kill -TERM "$emulator_pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        alive "$emulator_pid" || break
        sleep 0.1
    done
    if alive "$emulator_pid"; then
        echo "the emulator ignored SIGTERM for 10 s; killing it"
        kill -KILL "$emulator_pid" 2>/dev/null || true
    fi
    wait "$emulator_pid" 2>/dev/null || emulator_status=$?
    emulator_pid=""
}

show_emulator_log() {
    echo "--- emulator log (last 30 lines) ---"
    tail -n 30 "$emulator_log" 2>/dev/null || true
    echo "---"
}

# Runs one client (name, command...) unless $problem says it cannot run; the client gets the
# emulator's base URL and, unless $no_key, the API key as arguments.
run_client() {
    local name=$1 status=0
    shift
    local args=("$base_url")
    [[ -n ${no_key:-} ]] || args+=("$api_key")
    if [[ -n $problem ]]; then
        fail "$name: $problem"
        return
    fi
    log "$name client"
    timeout 60 "$@" "${args[@]}" || status=$?
    if [[ $status -eq 0 ]]; then
        pass "$name"
    else
        fail "$name (exit $status)"
        show_emulator_log
    fi
}

# Starts an emulator in login mode $1 and waits for it; sets $emulator_problem.
emulator_up() {
    start_emulator "$1"
    [[ -n $problem ]] || wait_for_emulator
    emulator_problem=$problem
    if [[ -n $emulator_problem ]]; then
        show_emulator_log
    else
        log "emulator at $base_url (pid $emulator_pid)"
    fi
}

# Stops the running emulator, if any, and counts a shutdown other than exit 0 as a failure.
emulator_down() {
    [[ -n $emulator_pid ]] || return 0
    stop_emulator
    if [[ $emulator_status -eq 0 ]]; then
        log "emulator stopped by SIGTERM, exit 0"
    else
        fail "emulator shutdown: exit $emulator_status after SIGTERM (expected 0)"
        show_emulator_log
    fi
}

# --- run ---------------------------------------------------------------------------------------

check_php
php_problem=$problem
check_python
python_problem=$problem

[[ -n $python_problem ]] || start_stand_in
emulator_up headless
problem=${emulator_problem:-$php_problem}
run_client php "$php" "$here/php/refresh_loop.php"
problem=${emulator_problem:-$python_problem}
run_client python "$python" "$here/python/refresh_loop.py"
problem=${emulator_problem:-$php_problem}
[[ -n $problem || -n $stand_in_url ]] || problem="the Entry API stand-in did not start"
no_key=1 run_client "php client credentials" "$php" "$here/php/client_credentials_loop.php"
problem=${emulator_problem:-$python_problem}
[[ -n $problem || -n $stand_in_url ]] || problem="the Entry API stand-in did not start"
no_key=1 run_client "python client credentials (Authlib, PyJWT)" "$python" "$here/python/client_credentials.py"
emulator_down

emulator_up form
problem=${emulator_problem:-$python_problem}
no_key=1 run_client "python authorization code (Authlib, PyJWT)" "$python" "$here/python/authorization_code.py"
problem=${emulator_problem:-$python_problem}
no_key=1 run_client "login app (examples/login_app)" "$python" "$repo/examples/login_app/check_app.py"
emulator_down

printf '%d passed, %d failed\n' "$passed" "$failed"
[[ $failed -eq 0 ]]
