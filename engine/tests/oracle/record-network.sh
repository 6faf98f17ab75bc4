#!/usr/bin/env bash
# Records how a real engine (podman behind Docker's API, see /work/shared/oracle/up) resolves
# container names and publishes ports, as golden data for Whalebox's tests (oracle_network.rs).
#
#   sudo engine/tests/oracle/record-network.sh              # writes network.log next to itself
#   ORACLE_KEEP=1 ...                                         # leave the API service running
#
# Log format: as record-lifecycle.sh (`== scenario`, `$ command`, `| output`, `[exit N]`, `# notes`;
# "# podman: ..." marks the next command as one where podman differs from Docker 28).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/network.log}

started=0
if ! docker version >/dev/null 2>&1; then
  eval "$(/work/shared/oracle/up 2>/dev/null)" || { echo "oracle did not start" >&2; exit 1; }
  started=1
fi
export DOCKER_HOST
NAMES=(ndb ndb2 ncache np1 np2 np3 np4 pweb pweb2 ploc pall)
NETWORKS=(onet)
clean_all() {
  docker rm -f "${NAMES[@]}" >/dev/null 2>&1
  docker network rm "${NETWORKS[@]}" >/dev/null 2>&1
  true
}
finish() {
  clean_all
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
scenario() { log ""; log "== $1"; }
note() { log "# $*"; }

trap finish EXIT
clean_all

log "# Names and ports, recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) by record-network.sh"
log "# $(docker version --format 'docker CLI {{.Client.Version}} -> engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1)"
log "# 64-hex IDs in output read <id>; attached runs are named, not --rm (podman's API can report exit 0 for those)"

scenario dns-default-bridge
note "the default network has no name resolution: a container name is a bad address"
note "(podman drops NET_RAW by default, Docker keeps it: ping runs with --cap-add NET_RAW in both)"
rec 'docker run -d --name ndb busybox sleep 300 >/dev/null'
rec 'docker run --name np1 --cap-add NET_RAW busybox ping -c 1 -W 1 ndb'

scenario dns-user-network
note "a user-defined network resolves container names and --network-alias; other networks' names do not"
rec 'docker network create onet >/dev/null'
rec 'docker run -d --name ndb2 --network onet busybox sleep 300 >/dev/null'
rec 'docker run -d --name ncache --network onet --network-alias cache busybox sleep 300 >/dev/null'
rec 'docker run --name np2 --cap-add NET_RAW --network onet busybox ping -c 1 -W 1 ndb2 >/dev/null'
rec 'docker run --name np3 --cap-add NET_RAW --network onet busybox ping -c 1 -W 1 cache >/dev/null'
rec 'docker run --name np4 --cap-add NET_RAW --network onet busybox ping -c 1 -W 1 ndb'
note "a network with containers on it cannot be removed"
note "podman: its own wording (Docker: error while removing network: network onet has active endpoints ...)"
rec 'docker network rm onet'

scenario ports
note "a published port reaches a server listening on every address inside"
rec "docker run -d --name pweb -p 18080:80 busybox sh -c 'mkdir -p /www && echo hello > /www/index.html && httpd -f -p 80 -h /www' >/dev/null"
rec 'sleep 1; curl -s localhost:18080'
rec "docker ps --filter name=pweb --format '{{.Names}} {{.Status}}'"
note "the same host port twice: the second container cannot start and stays created"
note "podman: its own wording (Docker: ... Bind for 0.0.0.0:18080 failed: port is already allocated)"
rec 'docker run -d --name pweb2 -p 18080:80 busybox httpd -f -p 80 >/dev/null'
rec "docker inspect -f '{{.State.Status}}' pweb2"
rec 'docker stop -t 1 pweb >/dev/null'
note "once the first stops, its port is free again"
rec 'curl -s localhost:18080'
rec 'docker start pweb2 >/dev/null'
rec "docker inspect -f '{{.State.Status}}' pweb2"
rec "docker run -d --name ploc -p 18081:80 busybox sh -c 'echo hi > /index.html && httpd -f -p 127.0.0.1:80 -h /' >/dev/null"
note "podman: nothing listens on the container's interface; Docker's proxy resets (curl 56), podman's DNAT is refused (curl 7)"
rec 'sleep 1; curl -s localhost:18081'
note "a server bound to loopback inside answers only from inside"
rec 'docker exec ploc wget -q -O - http://127.0.0.1:80/'
note "-p C picks a free host port"
rec 'docker run -d --name pall -p 80 busybox httpd -f -p 80 >/dev/null'
note "podman: lists ':PORT' once, from its own range; Docker lists 0.0.0.0:32768 and [::]:32768"
rec 'docker port pall 80'
rec 'docker port pall 81'
rec 'docker stop -t 1 pall >/dev/null'
note "podman: still lists the port of a stopped container; Docker lists nothing (ports are bound only while running)"
rec 'docker port pall'
