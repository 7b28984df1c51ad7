#!/usr/bin/env bash
# Build the project's Dockerfile and test the image for real, on a machine that reaches no
# container registry (only Debian's archive and crates.io).
#
#   sudo scripts/docker-ci.sh             # what .ci/run calls (as root, CI=true)
#
# Steps:
#   1. install docker.io / debootstrap / curl from Debian if missing, start dockerd
#   2. make the two base images the Dockerfile names, locally:
#        debian:bookworm-slim     debootstrap --variant=minbase + docker import
#        rust:<tag>               that image + gcc + this machine's own Rust toolchain +
#                                 the cargo registry cache of the host, with
#                                 CARGO_NET_OFFLINE=true so the build needs no network
#      Both are cached: in the daemon, and as `docker save` tarballs in $CACHE_DIR, so that a
#      later run on the same machine skips debootstrap and the toolchain copy.
#   3. build the unmodified Dockerfile
#   4. run the image on a free loopback port and check: health endpoints, headless login and
#      /refresh, the Docker health status, the non-root user, the database on /data, and a
#      prompt, clean `docker stop`
#
# Prints one PASS/FAIL line per check and a closing "docker-ci: N passed, N failed" line;
# exits non-zero on any failure. Containers it started and a dockerd it started are removed /
# stopped on exit, also on failure.
#
# Environment knobs (all optional):
#   UITID_CI_CONTEXT      build context holding the Dockerfile (default: this repository)
#   UITID_CI_CACHE_DIR    base image tarballs (default: /var/cache/uitid-emulator-ci)
#   UITID_CI_IMAGE        tag of the image under test (default: uitid-emulator:ci)
#   UITID_CI_BUILDKIT     1 = build with BuildKit, 0 = legacy builder (default: 0)
#   UITID_CI_BASE_ONLY    1 = stop after preparing the base images

set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONTEXT=${UITID_CI_CONTEXT:-$REPO_DIR}
CACHE_DIR=${UITID_CI_CACHE_DIR:-/var/cache/uitid-emulator-ci}
IMAGE_TAG=${UITID_CI_IMAGE:-uitid-emulator:ci}
BUILDKIT=${UITID_CI_BUILDKIT:-0}
BASE_ONLY=${UITID_CI_BASE_ONLY:-0}
DEBIAN_MIRROR=http://deb.debian.org/debian
# Bump when the recipe of a base image below changes, so cached tarballs are not reused.
RECIPE_VERSION=1
# Debian packages the rust:*-slim-bookworm stand-in adds on top of the minbase system: the
# C toolchain for crates with C parts (aws-lc-sys, libsqlite3-sys) and the linker driver `cc`.
RUST_IMAGE_PACKAGES=(gcc libc6-dev make)

# The docker.io package's own client: it matches the daemon's API and knows both builders.
# (A newer client elsewhere on the PATH only offers the legacy builder against this daemon.)
DOCKER=/usr/bin/docker

PASSED=0
FAILED=0
CONTAINERS=()
DOCKERD_PID=""
WORK=""

log()  { printf '==> %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS: %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL: %s\n' "$*"; }
# A failure that makes the remaining checks meaningless.
die()  { fail "$*"; exit 1; }
# Seconds since $1 (an $EPOCHREALTIME value), one decimal.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

cleanup() {
    local status=$?
    set +e
    for cid in "${CONTAINERS[@]}"; do
        "$DOCKER" rm -f -v "$cid" >/dev/null 2>&1   # -v: also its anonymous /data volume
    done
    if [[ -n $DOCKERD_PID ]]; then
        # Stop the daemon we started, by its PID; it stops its containerd itself.
        kill -TERM "$DOCKERD_PID" 2>/dev/null
        for _ in $(seq 1 60); do
            kill -0 "$DOCKERD_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$DOCKERD_PID" 2>/dev/null; then
            echo "dockerd did not stop within 30 s; killing it"
            kill -KILL "$DOCKERD_PID" 2>/dev/null
        fi
        wait "$DOCKERD_PID" 2>/dev/null
    fi
    [[ -n $WORK ]] && rm -rf "$WORK"
    if ((status == 0 && FAILED > 0)); then status=1; fi
    if ((status != 0 && FAILED == 0)); then
        # set -e stopped the script on a command outside any check
        fail "unexpected error (exit status $status), see the output above"
    fi
    echo "docker-ci: $PASSED passed, $FAILED failed"
    exit "$status"
}
trap cleanup EXIT
trap 'fail "interrupted (SIGINT)"; exit 130' INT
trap 'fail "interrupted (SIGTERM)"; exit 143' TERM

[[ $(id -u) == 0 ]] || die "must run as root (apt-get, dockerd, debootstrap, chroot)"
[[ -f $CONTEXT/Dockerfile ]] || die "no Dockerfile in $CONTEXT"

# Large scratch space (root filesystems), so not under a possibly small /tmp.
WORK=$(mktemp -d /var/tmp/uitid-docker-ci.XXXXXX)
mkdir -p "$CACHE_DIR"
# One run at a time per machine: runs share the daemon, the image tags and the cache.
exec 9>"$CACHE_DIR/.lock"
flock -w 3600 9 || die "another docker-ci run holds $CACHE_DIR/.lock"

# ---------------------------------------------------------------------------------------------
# 1. Tools and the Docker daemon
# ---------------------------------------------------------------------------------------------
missing=()
[[ -x $DOCKER ]] && command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    t=$EPOCHREALTIME
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >"$WORK/apt.log" 2>&1 || { tail -n 30 "$WORK/apt.log"; die "apt-get install ${missing[*]}"; }
    log "installed in $(since "$t") s"
fi

# The host's cargo; CI's environment may not have ~/.cargo/bin on the PATH.
if ! command -v cargo >/dev/null && [[ -x ${HOME:-/root}/.cargo/bin/cargo ]]; then
    PATH=${HOME:-/root}/.cargo/bin:$PATH
fi
command -v cargo >/dev/null || die "no cargo on this machine (the rust stand-in copies its toolchain)"

if "$DOCKER" info >/dev/null 2>&1; then
    log "using the Docker daemon that is already running"
else
    log "starting dockerd"
    # 9>&- : the daemon must not inherit (and keep holding) the run lock.
    dockerd >"$WORK/dockerd.log" 2>&1 9>&- &
    DOCKERD_PID=$!
    for _ in $(seq 1 60); do
        "$DOCKER" info >/dev/null 2>&1 && break
        kill -0 "$DOCKERD_PID" 2>/dev/null || break
        sleep 0.5
    done
    if ! "$DOCKER" info >/dev/null 2>&1; then
        tail -n 30 "$WORK/dockerd.log"
        die "dockerd did not come up"
    fi
    pass "dockerd started (pid $DOCKERD_PID)"
fi

# ---------------------------------------------------------------------------------------------
# 2. Base images
# ---------------------------------------------------------------------------------------------

# The base images the Dockerfile names; a FROM naming an earlier stage is skipped.
mapfile -t FROMS < <(awk 'toupper($1) == "FROM" { print $2 }' "$CONTEXT/Dockerfile")
RUST_BASE=""
for from in "${FROMS[@]}"; do
    case $from in
        debian:bookworm-slim) ;;
        rust:*-bookworm) RUST_BASE=$from ;;
        *)  grep -qiE "^FROM .* AS +$from\b" "$CONTEXT/Dockerfile" \
                || die "the Dockerfile names base image $from; this script only knows how to make debian:bookworm-slim and rust:*-bookworm" ;;
    esac
done
[[ -n $RUST_BASE ]] || die "the Dockerfile names no rust:*-bookworm base image"

# The toolchain the stand-in is made of: the active one (rustup's choice in the project dir).
SYSROOT=$(cd "$CONTEXT" && rustc --print sysroot)
[[ -x $SYSROOT/bin/cargo && -d $SYSROOT/lib/rustlib ]] \
    || die "the active Rust toolchain at $SYSROOT is not a rustup toolchain with cargo"
RUST_RELEASE=$("$SYSROOT/bin/rustc" -vV | awk '/^release:/ { print $2 }')
RUST_COMMIT=$("$SYSROOT/bin/rustc" -vV | awk '/^commit-hash:/ { print substr($2, 1, 9) }')
TOOLCHAIN_KEY=$RUST_RELEASE-$RUST_COMMIT-r$RECIPE_VERSION
TOOLCHAIN_IMAGE=uitid-emulator-ci/rust-toolchain:$TOOLCHAIN_KEY
DEBIAN_TARBALL=$CACHE_DIR/debian-bookworm-slim-r$RECIPE_VERSION.tar
TOOLCHAIN_TARBALL=$CACHE_DIR/rust-toolchain-$TOOLCHAIN_KEY.tar
# rust:1.95-slim-bookworm wants 1.95.x; a different host toolchain still builds, but say so.
want=${RUST_BASE#rust:}; want=${want%%-*}
if [[ $RUST_RELEASE != "$want" && $RUST_RELEASE != "$want".* ]]; then
    echo "WARN: the Dockerfile asks for $RUST_BASE; the stand-in carries this machine's Rust $RUST_RELEASE"
fi

have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# Pipe a root filesystem into `docker import`, leaving out what a slim image does not carry
# (apt's package lists and downloaded packages, documentation, translations, logs) and the
# files Docker supplies per container.
import_rootfs() {
    local dir=$1 tag=$2
    shift 2
    tar --numeric-owner -C "$dir" -c \
        --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' \
        --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' \
        --exclude='./usr/share/info/*' --exclude='./usr/share/locale/*' \
        --exclude='./var/log/*' --exclude='./etc/resolv.conf' \
        --exclude='./.dockerenv' --exclude='./debootstrap' \
        . | "$DOCKER" import "$@" - "$tag" >/dev/null
}

# Make sure image $1 exists: in the daemon, else from tarball $2, else by running $3.
# Afterwards the tarball exists too, for the next run on this machine.
ensure_image() {
    local tag=$1 tarball=$2 make=$3 t=$EPOCHREALTIME
    if have_image "$tag"; then
        log "$tag: already in the daemon"
    elif [[ -f $tarball ]]; then
        log "$tag: loading $tarball"
        "$DOCKER" load -i "$tarball" >/dev/null
    else
        log "$tag: making it (no cached copy)"
        "$make"
    fi
    have_image "$tag" || die "$tag could not be made"
    if [[ ! -f $tarball ]]; then
        "$DOCKER" save -o "$tarball.part" "$tag" && mv "$tarball.part" "$tarball"
    fi
    pass "base image $tag ready in $(since "$t") s"
}

make_debian() {
    local rootfs=$WORK/debian
    debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
        || { tail -n 30 "$WORK/debootstrap.log"; die "debootstrap"; }
    import_rootfs "$rootfs" debian:bookworm-slim --change 'CMD ["bash"]'
    rm -rf "$rootfs"
}

make_toolchain() {
    local rootfs=$WORK/rust
    # Start from the debian image just made (or loaded), so builder and runtime stages share
    # one glibc. apt's lists were left out of that image, so fetch them again in a chroot.
    mkdir -p "$rootfs"
    local cid
    cid=$("$DOCKER" create debian:bookworm-slim)
    "$DOCKER" export "$cid" | tar -C "$rootfs" -x
    "$DOCKER" rm "$cid" >/dev/null
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends ${RUST_IMAGE_PACKAGES[*]}" \
        >"$WORK/chroot-apt.log" 2>&1 || { tail -n 30 "$WORK/chroot-apt.log"; die "apt-get in the rust stand-in"; }
    # The toolchain without its documentation (share/ is mostly rust-docs, about 800 MB).
    # rustc finds its standard library relative to its own binary, so /usr/local/rust/bin
    # on the PATH is all it needs; no rustup inside the image.
    mkdir -p "$rootfs/usr/local/rust" "$rootfs/usr/local/cargo/bin"
    local part
    for part in bin lib libexec etc; do
        [[ -e $SYSROOT/$part ]] && cp -a "$SYSROOT/$part" "$rootfs/usr/local/rust/"
    done
    import_rootfs "$rootfs" "$TOOLCHAIN_IMAGE" \
        --change 'ENV CARGO_HOME=/usr/local/cargo' \
        --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change "ENV RUST_VERSION=$RUST_RELEASE" \
        --change 'ENV CARGO_NET_OFFLINE=true' \
        --change 'CMD ["bash"]'
    rm -rf "$rootfs"
}

ensure_image debian:bookworm-slim "$DEBIAN_TARBALL" make_debian
ensure_image "$TOOLCHAIN_IMAGE" "$TOOLCHAIN_TARBALL" make_toolchain
# Tarballs of older toolchains or recipes would only take disk space.
find "$CACHE_DIR" -maxdepth 1 -name '*.tar' ! -name "${DEBIAN_TARBALL##*/}" \
    ! -name "${TOOLCHAIN_TARBALL##*/}" -delete

# The cargo registry goes into a thin layer on top of the toolchain image, not into the
# cached tarball: it changes with Cargo.lock, the toolchain does not.
#
# The layer is made from a snapshot of the host's registry taken once per Cargo.lock, not
# from the live ~/.cargo/registry: that one grows whenever anything on the machine fetches a
# crate, and every change would give the rust image a new id and so throw away the Docker
# cache of the compiled dependencies. The snapshot holds the host's index cache and the
# .crate files that Cargo.lock names (the unpacked sources under registry/src are left out).
t=$EPOCHREALTIME
CARGO_HOME_HOST=${CARGO_HOME:-${HOME:-/root}/.cargo}
LOCK_KEY=$(sha256sum "$CONTEXT/Cargo.lock" | cut -c1-16)-$RUST_RELEASE
SNAPSHOT=$CACHE_DIR/registry-$LOCK_KEY
if [[ ! -d $SNAPSHOT ]]; then
    log "snapshotting the cargo registry for Cargo.lock ${LOCK_KEY%%-*}"
    (cd "$CONTEXT" && cargo fetch --locked --quiet) || die "cargo fetch --locked in $CONTEXT"
    # Only the snapshot for the current Cargo.lock is kept.
    find "$CACHE_DIR" -maxdepth 1 -name 'registry-*' -type d -exec rm -rf {} +
    mkdir -p "$SNAPSHOT.part/registry/cache"
    cp -a "$CARGO_HOME_HOST/registry/index" "$SNAPSHOT.part/registry/"
    # name-version.crate of every crates.io package in the lock file
    mapfile -t CRATES < <(awk '
        /^\[\[package\]\]/ { name = version = "" }
        /^name = /    { name = $3 }
        /^version = / { version = $3 }
        /^source = "registry\+https:\/\/github.com\/rust-lang\/crates.io-index"/ {
            gsub(/"/, "", name); gsub(/"/, "", version); print name "-" version ".crate" }
    ' "$CONTEXT/Cargo.lock")
    # One directory per index URL hash (cargo versions differ in it); keep them all.
    best=0
    for dir in "$CARGO_HOME_HOST"/registry/cache/*/; do
        dest=$SNAPSHOT.part/registry/cache/$(basename "$dir")
        mkdir -p "$dest"
        n=0
        for crate in "${CRATES[@]}"; do
            if [[ -f $dir$crate ]]; then cp -a "$dir$crate" "$dest/"; n=$((n + 1)); fi
        done
        if ((n > best)); then best=$n; fi
    done
    ((best == ${#CRATES[@]})) \
        || die "the host's cargo registry has $best of the ${#CRATES[@]} crates Cargo.lock names"
    mv "$SNAPSHOT.part" "$SNAPSHOT"
fi
mkdir -p "$WORK/registry-layer"
cat >"$WORK/registry-layer/Dockerfile" <<EOF
FROM $TOOLCHAIN_IMAGE
COPY registry/index /usr/local/cargo/registry/index
COPY registry/cache /usr/local/cargo/registry/cache
EOF
before=$("$DOCKER" image inspect -f '{{.Id}}' "$RUST_BASE" 2>/dev/null || true)
# The context is streamed as one tar (the Dockerfile + the snapshot), so nothing is copied.
tar -c -C "$WORK/registry-layer" Dockerfile -C "$SNAPSHOT" registry \
    | DOCKER_BUILDKIT=0 "$DOCKER" build --force-rm -q -t "$RUST_BASE" - >/dev/null \
    || die "adding the cargo registry to $RUST_BASE"
if [[ $("$DOCKER" image inspect -f '{{.Id}}' "$RUST_BASE") == "$before" ]]; then
    note="unchanged since the last run"
else
    note="new: the build below compiles every dependency again"
fi
pass "base image $RUST_BASE (toolchain $RUST_RELEASE + registry, $note) ready in $(since "$t") s"

if [[ $BASE_ONLY == 1 ]]; then
    log "UITID_CI_BASE_ONLY=1: stopping after the base images"
    exit 0
fi

# ---------------------------------------------------------------------------------------------
# 3. Build the project's Dockerfile, as it is
# ---------------------------------------------------------------------------------------------
log "building $IMAGE_TAG from $CONTEXT (BuildKit: $BUILDKIT)"
t=$EPOCHREALTIME
# The builder stage gets a tag of its own so its layers (the compiled dependencies) are not
# "dangling": the prune below then removes only stale leftovers of earlier builds.
# --force-rm: the legacy builder otherwise keeps the container of a failed step.
if DOCKER_BUILDKIT=$BUILDKIT "$DOCKER" build --force-rm --target builder \
        -t "${IMAGE_TAG%%:*}:ci-builder" "$CONTEXT" >"$WORK/build.log" 2>&1 \
   && DOCKER_BUILDKIT=$BUILDKIT "$DOCKER" build --force-rm -t "$IMAGE_TAG" "$CONTEXT" \
        >>"$WORK/build.log" 2>&1; then
    pass "docker build in $(since "$t") s"
else
    tail -n 80 "$WORK/build.log"
    die "docker build (last lines above)"
fi
# How much .dockerignore let through (legacy builder: "Sending build context", BuildKit:
# "transferring context"); target/ would make this gigabytes.
grep -oE '(Sending build context to Docker daemon|transferring context:) +[0-9.]+ ?[kMG]?B' \
    "$WORK/build.log" | tail -n 1 | sed 's/^/==> build context: /' || true
"$DOCKER" image prune -f >/dev/null || true
size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE_TAG")
log "image $IMAGE_TAG: $((size / 1024 / 1024)) MiB ($size bytes)"

# ---------------------------------------------------------------------------------------------
# 4. Run it and check it
# ---------------------------------------------------------------------------------------------
log "starting a container"
# 127.0.0.1::8080 lets Docker pick a free port on the loopback address only.
CID=$("$DOCKER" run -d -p 127.0.0.1::8080 \
    -e UITID_EMULATOR__LOGIN__MODE=headless \
    -e UITID_EMULATOR__LOGIN__HEADLESS_USER=stiksels \
    "$IMAGE_TAG") || die "docker run"
CONTAINERS+=("$CID")
PORT=$("$DOCKER" port "$CID" 8080/tcp | head -n 1 | sed 's/.*://')
BASE=http://127.0.0.1:$PORT
log "container ${CID:0:12} on $BASE"

container_logs() { echo "--- container logs:"; "$DOCKER" logs --tail 40 "$CID" 2>&1; echo "---"; }
# HTTP status of a GET, "000" when the connection fails.
status_of() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" || true; }

t=$EPOCHREALTIME
ready=""
for _ in $(seq 1 120); do
    [[ $(status_of "$BASE/health/ready") == 200 ]] && { ready=1; break; }
    [[ $("$DOCKER" inspect -f '{{.State.Running}}' "$CID") == true ]] || break
    sleep 0.5
done
if [[ -z $ready ]]; then
    container_logs
    die "server never answered 200 on /health/ready"
fi
pass "ready after $(since "$t") s"

for path in /health/live /health/ready; do
    code=$(status_of "$BASE$path")
    if [[ $code == 200 ]]; then pass "GET $path -> 200"; else fail "GET $path -> $code"; fi
done

# base64url -> JSON text of a JWT's payload
jwt_payload() {
    local p
    p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
    while ((${#p} % 4)); do p+='='; done
    base64 -d <<<"$p" 2>/dev/null || true
}
is_jwt() { [[ $1 =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]]; }

# Headless login: /connect logs the configured user in without a form and redirects to the
# destination with the token (and a refresh token) in the query.
headers=$WORK/connect.headers
code=$(curl -s -o /dev/null -D "$headers" -m 10 -w '%{http_code}' \
    "$BASE/connect?apiKey=sample-key-with-refresh&destination=http%3A%2F%2Flocalhost%2Fcb" || true)
location=$(awk 'tolower($1) == "location:" { print $2 }' "$headers" 2>/dev/null | tr -d '\r')
query=${location#*\?}
JWT="" REFRESH=""
IFS='&' read -r -a params <<<"$query"
for kv in "${params[@]}"; do
    case $kv in
        jwt=*) JWT=${kv#jwt=} ;;
        refresh=*) REFRESH=${kv#refresh=} ;;   # kept URL-encoded: it goes back into a query
    esac
done
if [[ $code == 302 && $location == http://localhost/cb\?* ]] && is_jwt "$JWT" && [[ -n $REFRESH ]]; then
    pass "headless /connect -> 302 to the destination with jwt and refresh"
else
    fail "headless /connect -> $code, Location: ${location:-none}"
    container_logs
fi
if [[ -n $JWT ]] && jwt_payload "$JWT" | grep -q stiksels; then
    pass "the token names the headless user stiksels"
else
    fail "the token's payload does not name stiksels: $(jwt_payload "$JWT")"
fi

body=$WORK/refresh.body
code=$(curl -s -o "$body" -m 10 -w '%{http_code}' \
    "$BASE/refresh?apiKey=sample-key-with-refresh&refresh=$REFRESH" || true)
new_jwt=$(tr -d '\r\n' <"$body" 2>/dev/null || true)
if [[ $code == 200 ]] && is_jwt "$new_jwt" && jwt_payload "$new_jwt" | grep -q stiksels; then
    pass "/refresh -> 200 with a new JWT for stiksels"
else
    fail "/refresh -> $code: $(head -c 300 "$body" 2>/dev/null)"
fi

# Docker's own view, through the image's HEALTHCHECK (the binary's healthcheck subcommand).
t=$EPOCHREALTIME
health=""
for _ in $(seq 1 90); do
    health=$("$DOCKER" inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$CID")
    [[ $health == healthy || $health == unhealthy ]] && break
    sleep 0.5
done
if [[ $health == healthy ]]; then
    pass "docker health status healthy after $(since "$t") s"
else
    fail "docker health status: ${health:-none}"
    "$DOCKER" inspect -f '{{json .State.Health}}' "$CID"
fi
# ... and the healthcheck must also be able to fail.
if "$DOCKER" exec "$CID" uitid-emulator healthcheck --url http://127.0.0.1:9/health/ready >/dev/null 2>&1; then
    fail "healthcheck against a closed port exited 0"
else
    pass "healthcheck against a closed port exits non-zero"
fi

uid=$("$DOCKER" exec "$CID" id -u 2>/dev/null || echo "?")
if [[ $uid != 0 && $uid != "?" ]]; then pass "runs as uid $uid, not root"; else fail "runs as uid $uid"; fi

if "$DOCKER" exec "$CID" test -s /data/uitid-emulator.db; then
    pass "database created on the /data volume"
else
    fail "no /data/uitid-emulator.db in the container"
fi

# docker stop sends SIGTERM; a server that ignores it is killed after the timeout (exit 137).
t0=$EPOCHREALTIME
"$DOCKER" stop -t 10 "$CID" >/dev/null
stop_s=$(since "$t0")
exit_code=$("$DOCKER" inspect -f '{{.State.ExitCode}}' "$CID")
if awk -v s="$stop_s" 'BEGIN { exit !(s < 2) }' && [[ $exit_code == 0 ]]; then
    pass "docker stop took $stop_s s, exit code 0"
else
    fail "docker stop took $stop_s s, exit code $exit_code (want < 2 s and 0)"
    container_logs
fi

log "image size: $((size / 1024 / 1024)) MiB"
