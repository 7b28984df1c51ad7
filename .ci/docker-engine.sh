# CI plumbing, sourced by .ci/run: a Docker daemon for the image build and the image tests.
#
# It exists only because CI gets a bare machine with no container registry: it starts
# Debian's dockerd when none answers (.ci/provision.sh installs docker.io), and
# .ci/base-images.sh then makes the base images a registry would have supplied. A developer
# with Docker running and a registry at hand needs none of it:
# `docker build -t uitid-emulator:ci .` then `cargo test --test image -- --ignored`.
#
#   docker_engine_start LOG_DIR   start dockerd unless a daemon answers already
#   docker_engine_stop            stop the dockerd this shell started, if any

# The docker.io package's own client: matches the daemon's API and knows both builders.
DOCKER=/usr/bin/docker
dockerd_pid=""

docker_engine_start() {
    local log=$1/dockerd.log
    if "$DOCKER" info >/dev/null 2>&1; then
        echo "docker: using the daemon that is already running"
        return
    fi
    dockerd >"$log" 2>&1 &
    dockerd_pid=$!
    for _ in $(seq 1 60); do
        "$DOCKER" info >/dev/null 2>&1 && break
        kill -0 "$dockerd_pid" 2>/dev/null || break
        sleep 0.5
    done
    if ! "$DOCKER" info >/dev/null 2>&1; then
        tail -n 30 "$log"
        echo "docker: dockerd did not come up" >&2
        return 1
    fi
    echo "docker: dockerd started (pid $dockerd_pid, $("$DOCKER" version -f 'Engine {{.Server.Version}}, API {{.Server.APIVersion}}'))"
}

docker_engine_stop() {
    if [[ -n $dockerd_pid ]]; then
        # By its PID; it stops its containerd itself. Containers it ran were removed by then.
        kill -TERM "$dockerd_pid" 2>/dev/null
        for _ in $(seq 1 60); do
            kill -0 "$dockerd_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$dockerd_pid" 2>/dev/null && echo "docker: dockerd ignored SIGTERM for 30 s; killed"
        wait "$dockerd_pid" 2>/dev/null
        dockerd_pid=""
    fi
    return 0
}
