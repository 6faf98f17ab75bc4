#!/usr/bin/env bash
# Records how a real engine (podman behind Docker's API, see /work/shared/oracle/up) treats
# volumes and mounts, as golden data for Whalebox's tests (oracle_volumes.rs).
#
#   sudo engine/tests/oracle/record-volumes.sh             # writes volumes.log next to itself
#
# Same log format as record-lifecycle.sh:
#   == scenario-id / $ command / | output line / [exit N] / # comment ("# podman: ..." = differs)
# Commands run in a scratch directory that stands for the learner's home: `$(pwd)` there is the
# host directory bind mounts use. Cleanup before each scenario is silent and not recorded.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/volumes.log}

started=0
if ! docker version >/dev/null 2>&1; then
  eval "$(/work/shared/oracle/up 2>/dev/null)" || { echo "oracle did not start" >&2; exit 1; }
  started=1
fi
export DOCKER_HOST
scratch=$(mktemp -d /tmp/oracle-volumes.XXXXXX)
cd "$scratch" || exit 1

NAMES=(writer reader db keep anon)
VOLUMES=(orders etcseed perms restored)
clean_all() {
  docker rm -f "${NAMES[@]}" >/dev/null 2>&1
  docker volume rm -f "${VOLUMES[@]}" >/dev/null 2>&1
  docker volume prune -f >/dev/null 2>&1
  rm -rf "$scratch"/*
  true
}
finish() {
  clean_all
  cd / && rm -rf "$scratch"
  if ((started)) && [ -z "${ORACLE_KEEP:-}" ]; then /work/shared/oracle/down; fi
}

exec 3>"$out"
log() { printf '%s\n' "$*" >&3; printf '%s\n' "$*"; }
rec() {
  local cmd=$1 output rc
  log "\$ $cmd"
  output=$(eval "$cmd" 2>&1)
  rc=$?
  if [ -n "$output" ]; then
    output=$(sed -E 's/[0-9a-f]{64}/<id>/g' <<<"$output")
    while IFS= read -r line; do log "| $line"; done <<<"$output"
  fi
  ((rc != 0)) && log "[exit $rc]"
  return 0
}
scenario() { docker rm -f "${NAMES[@]}" >/dev/null 2>&1; log ""; log "== $1"; }
note() { log "# $*"; }

trap finish EXIT
clean_all

log "# Volumes and mounts, recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) by record-volumes.sh"
log "# $(docker version --format 'docker CLI {{.Client.Version}} -> engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1)"
log "# image: busybox (static busybox imported as oracle/busybox, CMD [\"sh\"]); 64-hex IDs read <id>"

scenario named-volume
rec 'docker volume create orders'
rec "docker volume ls --format '{{.Driver}} {{.Name}}'"
rec "docker volume inspect orders --format '{{.Driver}} {{.Name}} {{.Scope}}'"
note "podman: Mountpoint is /var/lib/containers/storage/volumes/NAME/_data; Docker's is /var/lib/docker/volumes/NAME/_data"
rec "docker volume inspect orders --format '{{.Mountpoint}}'"
note "podman: the error for a missing volume is podman's own; Docker: 'get nope: no such volume'"
rec 'docker volume inspect nope'

scenario persistence
rec "docker run --name writer -v orders:/data busybox sh -c 'echo order-1 > /data/orders.txt; echo scratch > /tmp/note'"
rec 'docker rm writer'
rec 'docker run -d --name reader -v orders:/data busybox cat /data/orders.txt >/dev/null'
rec 'docker wait reader'
rec 'docker logs reader'
rec 'docker run -d --name keep busybox cat /tmp/note >/dev/null'
rec 'docker wait keep'
rec 'docker logs keep'
rec "docker inspect reader --format '{{range .Mounts}}{{.Type}} {{.Name}} {{.Destination}} {{.RW}}{{end}}'"
note "podman: 'volume rm' of a volume in use says 'volume is being used by the following container(s)'; Docker: 'volume is in use - [ID]'"
rec 'docker volume rm orders'
rec 'docker rm reader keep'
rec 'docker volume rm orders'
rec 'docker volume ls -q --filter name=orders'

scenario read-only
rec 'docker volume create orders'
rec "docker run -d --name writer -v orders:/data:ro busybox sh -c 'echo x > /data/y' >/dev/null"
rec 'docker wait writer'
rec 'docker logs writer'
rec "docker inspect writer --format '{{range .Mounts}}{{.RW}}{{end}}'"

scenario copy-up
note "an empty named volume is filled from the image's files at its mount point"
rec 'docker run -d --name writer -v etcseed:/etc busybox true >/dev/null'
rec 'docker wait writer'
rec 'docker run -d --name reader -v etcseed:/mnt busybox head -1 /mnt/passwd >/dev/null'
rec 'docker wait reader'
rec 'docker logs reader'

scenario permissions
note "podman: a new volume first mounted by a --user 1000 container is chowned to that user, so touch works;"
note "podman: Docker leaves _data root-owned 0755: 'touch: /data/x: Permission denied', exit 1"
rec 'docker run -d --name writer --user 1000 -v perms:/data busybox touch /data/x >/dev/null'
note "podman: (as above) Docker's wait prints 1"
rec 'docker wait writer'
note "podman: (as above) Docker's log holds the Permission denied line"
rec 'docker logs writer'
rec 'docker run -d --name reader -v perms:/data busybox chown -R 1000:1000 /data >/dev/null'
rec 'docker wait reader'
rec 'docker run -d --name keep --user 1000 -v perms:/data busybox touch /data/x >/dev/null'
rec 'docker wait keep'

scenario anonymous
rec 'docker run -d --name anon -v /cache busybox true >/dev/null'
rec 'docker wait anon'
rec "docker inspect anon --format '{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}}{{end}}'"
rec 'docker rm -v anon'
rec 'docker volume ls -q'

scenario bind-and-tar
rec 'mkdir site && echo from-host > site/index.html'
rec 'docker run -d --name writer -v "$(pwd)/site":/srv busybox sh -c '\''cat /srv/index.html; echo added > /srv/new.txt'\'' >/dev/null'
rec 'docker wait writer'
rec 'docker logs writer'
rec 'cat site/new.txt'
rec 'docker volume create orders'
rec "docker run -d --name db -v orders:/data busybox sh -c 'echo precious > /data/rows.txt; sleep 1000' >/dev/null"
rec 'sleep 1'
rec 'docker run -d --name reader --volumes-from db -v "$(pwd)":/backup busybox tar cf /backup/backup.tar /data >/dev/null'
rec 'docker wait reader'
rec 'ls backup.tar'
rec 'docker run -d --name keep -v restored:/data -v "$(pwd)":/backup busybox tar xf /backup/backup.tar -C / >/dev/null'
rec 'docker wait keep'
rec 'docker run -d --name anon -v restored:/data busybox cat /data/rows.txt >/dev/null'
rec 'docker wait anon'
rec 'docker logs anon'
