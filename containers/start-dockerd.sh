#!/bin/sh
# Starts the Docker engine when none answers (systemd's docker.service, else dockerd in the background,
# logging to /var/log/dockerd.log) and waits up to 60 s for it. Does nothing when one already runs.
# Used by ./setup and by .ci/run; needs root and the docker.io package.
set -eu

log() { printf 'start-dockerd: %s\n' "$*" >&2; }

command -v dockerd >/dev/null 2>&1 || { log "dockerd is not installed: apt-get install docker.io (./setup does)"; exit 1; }
if ! docker info >/dev/null 2>&1; then
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        log "starting docker (systemctl)"
        systemctl start docker
    else
        log "starting dockerd in the background (log: /var/log/dockerd.log)"
        nohup dockerd >/var/log/dockerd.log 2>&1 &
    fi
    i=0
    until docker info >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -le 60 ] || { log "dockerd did not come up in 60 s: see /var/log/dockerd.log"; exit 1; }
        sleep 1
    done
fi
log "docker $(docker version --format '{{.Server.Version}}') is up"
