#!/usr/bin/env bash
# CI plumbing, not part of the product: makes the two base images the Dockerfile names
# (debian:bookworm-slim and rust:<version>-slim-bookworm) on the local Docker daemon.
#
# It exists only because CI reaches no container registry (only Debian's archive and
# crates.io). A developer with a registry needs none of this: `docker build .` pulls both.
#
#   debian:bookworm-slim     debootstrap --variant=minbase + docker import
#   rust:<version>-...       that image + gcc + this machine's own Rust toolchain + a snapshot
#                            of the host's cargo registry, with CARGO_NET_OFFLINE=true, so the
#                            unmodified Dockerfile builds without any network
#
# Cached between runs on the same machine: in the daemon, and as `docker save` tarballs plus
# the registry snapshot in $UITID_CI_CACHE_DIR (default /var/cache/uitid-emulator-ci), so a
# later run skips debootstrap and the toolchain copy. The rust image keeps the same id while
# the toolchain and Cargo.lock are unchanged, which keeps the Docker layer cache of the
# compiled dependencies valid across fresh clones.
#
# Needs: root, a running daemon (.ci/docker-engine.sh), debootstrap, cargo.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${UITID_CI_CACHE_DIR:-/var/cache/uitid-emulator-ci}
mirror=http://deb.debian.org/debian
# Bump when a recipe below changes, so cached tarballs are not reused.
recipe=1
# What the rust stand-in adds to the minbase system: the C toolchain for crates with C parts
# (aws-lc-sys, libsqlite3-sys) and the linker driver `cc`.
rust_packages="gcc libc6-dev make"
# The docker.io package's client: it matches the daemon's API and knows both builders.
docker=/usr/bin/docker

log() { printf '==> %s\n' "$*"; }
die() { printf 'base-images: %s\n' "$*" >&2; exit 1; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
have_image() { "$docker" image inspect "$1" >/dev/null 2>&1; }

[[ $(id -u) == 0 ]] || die "must run as root (debootstrap, chroot)"
"$docker" info >/dev/null 2>&1 || die "no Docker daemon (start one with .ci/docker-engine.sh)"
work=$(mktemp -d /var/tmp/uitid-base-images.XXXXXX) # root filesystems: not on a small /tmp
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

# The rust image the Dockerfile names, e.g. rust:1.95-slim-bookworm.
rust_base=$(awk 'toupper($1) == "FROM" && $2 ~ /^rust:.*-bookworm$/ { print $2; exit }' "$repo/Dockerfile")
[[ -n $rust_base ]] || die "the Dockerfile names no rust:*-bookworm base image"
grep -qiE '^FROM +debian:bookworm-slim\b' "$repo/Dockerfile" \
    || die "the Dockerfile's runtime stage is not debian:bookworm-slim; teach this script"

# The stand-in carries the active toolchain (rustup's choice for this directory).
sysroot=$(cd "$repo" && rustc --print sysroot)
release=$("$sysroot/bin/rustc" -vV | awk '/^release:/ { print $2 }')
commit=$("$sysroot/bin/rustc" -vV | awk '/^commit-hash:/ { print substr($2, 1, 9) }')
want=${rust_base#rust:}; want=${want%%-*}
[[ $release == "$want" || $release == "$want".* ]] \
    || echo "WARN: the Dockerfile asks for $rust_base; the stand-in carries Rust $release"
toolchain_image=uitid-emulator-ci/rust-toolchain:$release-$commit-r$recipe
debian_tar=$cache/debian-bookworm-slim-r$recipe.tar
toolchain_tar=$cache/rust-toolchain-$release-$commit-r$recipe.tar

# A root filesystem into `docker import`, without what a slim image leaves out (apt lists and
# caches, documentation, locales, logs) and the files Docker supplies per container.
import_rootfs() {
    local dir=$1 tag=$2
    shift 2
    tar --numeric-owner -C "$dir" -c \
        --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' \
        --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' \
        --exclude='./usr/share/info/*' --exclude='./usr/share/locale/*' \
        --exclude='./var/log/*' --exclude='./etc/resolv.conf' \
        --exclude='./.dockerenv' --exclude='./debootstrap' \
        . | "$docker" import "$@" - "$tag" >/dev/null
}

make_debian() {
    debootstrap --variant=minbase bookworm "$work/debian" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 30 "$work/debootstrap.log"; die "debootstrap failed"; }
    import_rootfs "$work/debian" debian:bookworm-slim --change 'CMD ["bash"]'
}

make_toolchain() {
    # From the debian image, so builder and runtime stages share one glibc.
    local rootfs=$work/rust cid part
    mkdir -p "$rootfs"
    cid=$("$docker" create debian:bookworm-slim)
    "$docker" export "$cid" | tar -C "$rootfs" -x
    "$docker" rm "$cid" >/dev/null
    cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $rust_packages" \
        >"$work/chroot-apt.log" 2>&1 || { tail -n 30 "$work/chroot-apt.log"; die "apt-get in the chroot failed"; }
    # The toolchain without share/ (mostly rust-docs, about 800 MB). rustc finds its standard
    # library relative to its own binary: /usr/local/rust/bin on the PATH is all it needs.
    mkdir -p "$rootfs/usr/local/rust" "$rootfs/usr/local/cargo/bin"
    for part in bin lib libexec etc; do
        [[ -e $sysroot/$part ]] && cp -a "$sysroot/$part" "$rootfs/usr/local/rust/"
    done
    import_rootfs "$rootfs" "$toolchain_image" \
        --change 'ENV CARGO_HOME=/usr/local/cargo' \
        --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change "ENV RUST_VERSION=$release" \
        --change 'ENV CARGO_NET_OFFLINE=true' \
        --change 'CMD ["bash"]'
}

# Image $1: in the daemon already, else loaded from tarball $2, else made by $3 (and saved).
ensure_image() {
    local tag=$1 tarball=$2 make=$3 t=$EPOCHREALTIME how="already in the daemon"
    if ! have_image "$tag"; then
        if [[ -f $tarball ]]; then
            how="loaded from $tarball"
            "$docker" load -i "$tarball" >/dev/null
        else
            how="made (no cached copy)"
            "$make"
        fi
    fi
    have_image "$tag" || die "$tag could not be made"
    if [[ ! -f $tarball ]]; then
        "$docker" save -o "$tarball.part" "$tag" && mv "$tarball.part" "$tarball"
    fi
    log "$tag: $how, $(since "$t") s"
}

# One run at a time per machine: runs share the daemon, the tags and the cache.
exec 9>"$cache/.lock"
flock -w 3600 9 || die "another run holds $cache/.lock"

ensure_image debian:bookworm-slim "$debian_tar" make_debian
ensure_image "$toolchain_image" "$toolchain_tar" make_toolchain
# Tarballs of older toolchains or recipes would only take disk space.
find "$cache" -maxdepth 1 -name '*.tar' ! -name "${debian_tar##*/}" ! -name "${toolchain_tar##*/}" -delete

# The cargo registry is a thin layer on top of the toolchain image, made from a snapshot taken
# once per Cargo.lock: the live ~/.cargo/registry grows whenever anything fetches a crate, and
# each change would give the rust image a new id and throw away the cached dependency layer.
# The snapshot holds the index cache and the .crate files Cargo.lock names.
t=$EPOCHREALTIME
cargo_home=${CARGO_HOME:-${HOME:-/root}/.cargo}
key=$(sha256sum "$repo/Cargo.lock" | cut -c1-16)-$release
snapshot=$cache/registry-$key
if [[ ! -d $snapshot ]]; then
    log "snapshotting the cargo registry for Cargo.lock ${key%%-*}"
    (cd "$repo" && cargo fetch --locked --quiet) || die "cargo fetch --locked failed"
    find "$cache" -maxdepth 1 -name 'registry-*' -type d -exec rm -rf {} +
    mkdir -p "$snapshot.part/registry/cache"
    cp -a "$cargo_home/registry/index" "$snapshot.part/registry/"
    mapfile -t crates < <(awk '
        /^\[\[package\]\]/ { name = version = "" }
        /^name = /    { name = $3 }
        /^version = / { version = $3 }
        /^source = "registry\+https:\/\/github.com\/rust-lang\/crates.io-index"/ {
            gsub(/"/, "", name); gsub(/"/, "", version); print name "-" version ".crate" }
    ' "$repo/Cargo.lock")
    # One directory per index URL hash (cargo versions differ in it); keep them all.
    best=0
    for dir in "$cargo_home"/registry/cache/*/; do
        dest=$snapshot.part/registry/cache/$(basename "$dir")
        mkdir -p "$dest"
        n=0
        for crate in "${crates[@]}"; do
            if [[ -f $dir$crate ]]; then cp -a "$dir$crate" "$dest/"; n=$((n + 1)); fi
        done
        if ((n > best)); then best=$n; fi
    done
    ((best == ${#crates[@]})) || die "the cargo registry has $best of the ${#crates[@]} crates in Cargo.lock"
    mv "$snapshot.part" "$snapshot"
fi
printf 'FROM %s\nCOPY registry/index /usr/local/cargo/registry/index\nCOPY registry/cache /usr/local/cargo/registry/cache\n' \
    "$toolchain_image" >"$work/Dockerfile"
before=$("$docker" image inspect -f '{{.Id}}' "$rust_base" 2>/dev/null || true)
# One tar stream (Dockerfile + snapshot) as the context; the legacy builder's cache keys on
# the files' content, so the same snapshot gives the same image id.
tar -c -C "$work" Dockerfile -C "$snapshot" registry \
    | DOCKER_BUILDKIT=0 "$docker" build --force-rm -q -t "$rust_base" - >/dev/null \
    || die "adding the cargo registry to $rust_base failed"
if [[ $("$docker" image inspect -f '{{.Id}}' "$rust_base") == "$before" ]]; then
    note="unchanged: the cached dependency layer stays valid"
else
    note="new id: the image build compiles every dependency again"
fi
log "$rust_base (Rust $release + registry for Cargo.lock ${key%%-*}): $note, $(since "$t") s"
