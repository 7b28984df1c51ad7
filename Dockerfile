# uitid-emulator container image.
#
#   docker build -t uitid-emulator .
#   docker run -p 8080:8080 -v uitid-data:/data uitid-emulator
#
# Configuration: every setting can be overridden with UITID_EMULATOR__SECTION__KEY
# environment variables, or mount a complete file and point `serve` at it:
#   docker run -v "$PWD/my.toml:/etc/uitid-emulator.toml:ro" uitid-emulator serve --config /etc/uitid-emulator.toml
#
# No `# syntax=` line and no `RUN --mount`: the file must build with both the legacy builder
# and BuildKit, and without reaching any registry beyond the two base images.

# ---------------------------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS builder
WORKDIR /build

# 1) Dependencies only. Copy just the manifests and build placeholder targets, so that every
#    dependency is compiled into this layer, which stays cached until Cargo.toml or Cargo.lock
#    change. Cargo refuses a manifest whose declared targets are missing, so each path named
#    in Cargo.toml ([lib], [[bin]], [[test]] api and image) gets a placeholder here.
#    migrations/ and config/ are only read by macros in the real sources, so the placeholders
#    don't need them. The layer cache keys on the content of the copied files (not on their
#    modification times), so builds from different clones of one commit share this layer.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src tests/api tests/image \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > tests/api/main.rs \
    && echo 'fn main() {}' > tests/image/main.rs \
    && cargo build --release --locked --bin uitid-emulator \
    # Forget the placeholder build of our own crate. COPY keeps the files' modification times
    # from the build context, which can be older than the placeholder artifacts; without this
    # cargo could decide the crate is fresh and ship the empty placeholder binary.
    && rm -rf target/release/.fingerprint/uitid-emulator-* \
              target/release/deps/uitid_emulator-* \
              target/release/deps/libuitid_emulator-* \
              target/release/uitid-emulator \
    && rm src/main.rs src/lib.rs

# 2) The real crate. tests/ stays a placeholder: it is not part of the binary (and is left
#    out of the build context by .dockerignore), but the manifest names it.
#    migrations/ is embedded by sqlx::migrate!, config/default.toml by include_str!.
COPY migrations ./migrations
COPY config ./config
COPY src ./src
RUN cargo build --release --locked --bin uitid-emulator \
    && install -m 0755 target/release/uitid-emulator /usr/local/bin/uitid-emulator

# ---------------------------------------------------------------------------------------------
# Runtime stage: the same Debian release as the builder, so the binary's glibc matches.
# Nothing is installed: the server makes no outgoing TLS connections and bundles SQLite.
# ---------------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# A fixed, unprivileged uid/gid, so a host directory mounted on /data can be chowned to match.
RUN groupadd --system --gid 10001 uitid \
    && useradd --system --uid 10001 --gid uitid --home-dir /data --no-create-home \
               --shell /usr/sbin/nologin uitid \
    && mkdir -p /data \
    && chown uitid:uitid /data

COPY --from=builder /usr/local/bin/uitid-emulator /usr/local/bin/uitid-emulator

# Listen on all interfaces inside the container (the compiled-in default is loopback only,
# which is unreachable through a published port), and keep the SQLite database, which also
# holds the generated signing key, on the volume.
ENV UITID_EMULATOR__SERVER__LISTEN=0.0.0.0:8080 \
    UITID_EMULATOR__DATABASE__URL=sqlite:///data/uitid-emulator.db

VOLUME ["/data"]
WORKDIR /data
# Numeric, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8080

# The binary probes its own readiness endpoint and exits 0 or 1, so the image needs no curl.
# Without --url it derives the address from server.listen (a wildcard address is probed on
# loopback), here from the ENV above: change the port with that variable, not only in a
# mounted config file, or the probe looks at the wrong port. The same goes for TLS: with
# UITID_EMULATOR__SERVER__TLS set it probes https:// (docs/tls.md). A short interval makes `docker compose`
# `depends_on: condition: service_healthy` usable in test setups.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["uitid-emulator", "healthcheck"]

# The server shuts down gracefully on SIGTERM, which is what `docker stop` sends.
STOPSIGNAL SIGTERM
ENTRYPOINT ["uitid-emulator"]
CMD ["serve"]
