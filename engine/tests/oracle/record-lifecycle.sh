#!/usr/bin/env bash
# Records how a real engine (podman 4.3.1 behind Docker's API, see /work/shared/oracle/up)
# behaves for container lifecycle scenarios, as golden data for Whalebox's tests.
#
#   sudo engine/tests/oracle/record-lifecycle.sh            # writes lifecycle.log next to itself
#   ORACLE_KEEP=1 ...                                         # leave the API service running
#
# Log format (parsed by the tests):
#   # comment                 header and per-scenario notes ("# podman: ..." where podman differs)
#   == scenario-id            starts a scenario
#   $ command                 exactly as typed in a POSIX shell (run with eval)
#   | line                    each line of combined stdout+stderr
#   [exit N]                  only when the exit status is non-zero
#   ~ took=Ns                 only when the command took >= 1 s wall time (floor of seconds)
# Cleanup (`docker rm -f NAME`) before each scenario is run silently and never recorded.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/lifecycle.log}

started=0
if ! docker version >/dev/null 2>&1; then
  # conmon drops an empty file named "oom" into the service's working directory when a container
  # is OOM-killed (podman then fails to see it: OOMKilled stays false), so start it from scratch space.
  mkdir -p /tmp/oracle-lifecycle-cwd
  eval "$(cd /tmp/oracle-lifecycle-cwd && /work/shared/oracle/up 2>/dev/null)" || { echo "oracle did not start" >&2; exit 1; }
  started=1
fi
export DOCKER_HOST
finish() {
  clean_all
  if ((started)) && [ -z "${ORACLE_KEEP:-}" ]; then /work/shared/oracle/down; fi
}

NAMES=(cr rak ex-true ex-3 ex-notfound ex-noexec s s2 i trap0 trap143 shsleep shsleep2 k kt kh kx oom
  rof ral rus rno hok hbad hcurl hps pz st ex lg tp)
clean_all() { docker rm -f "${NAMES[@]}" >/dev/null 2>&1; true; }
clean() { docker rm -f "$@" >/dev/null 2>&1; true; }

exec 3>"$out"
log() { printf '%s\n' "$*" >&3; printf '%s\n' "$*"; }

# rec 'command': records the command, its combined output, exit status and wall time.
rec() {
  local cmd=$1 t0 t1 output rc secs
  log "\$ $cmd"
  t0=$(date +%s%N)
  output=$(eval "$cmd" 2>&1)
  rc=$?
  t1=$(date +%s%N)
  if [ -n "$output" ]; then
    output=$(sed -E 's/[0-9a-f]{64}/<id>/g' <<<"$output")
    while IFS= read -r line; do log "| $line"; done <<<"$output"
  fi
  ((rc != 0)) && log "[exit $rc]"
  secs=$(((t1 - t0) / 1000000000))
  ((secs >= 1)) && log "~ took=${secs}s"
  return 0
}
scenario() { log ""; log "== $1"; }
note() { log "# $*"; }

trap finish EXIT
clean_all

log "# Container lifecycle, recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) by record-lifecycle.sh"
log "# $(docker version --format 'docker CLI {{.Client.Version}} -> engine {{.Server.Version}} (API {{.Server.APIVersion}})' 2>&1)"
log "# engine: podman $(podman version --format '{{.Client.Version}}' 2>/dev/null) with $(runc --version 2>/dev/null | head -1), cgroup $(podman info --format '{{.Host.CgroupsVersion}}/{{.Host.CgroupManager}}' 2>/dev/null)"
log "# image: busybox (static busybox $(busybox 2>&1 | head -1 | awk '{print $2}') imported as oracle/busybox, CMD [\"sh\"])"
log "# cleanup before each scenario (docker rm -f NAMES) is not recorded; 64-hex IDs in output read <id>"
log "# scenarios whose id ends in -podman record podman-only behaviour (not what Docker 28 does)"

# ---------------------------------------------------------------------------------------------
scenario exit-codes
clean ex-true ex-3 ex-notfound ex-noexec
rec 'docker run -d --name ex-true busybox true >/dev/null'
rec 'docker wait ex-true'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ex-true"
rec 'docker run -d --name ex-3 busybox sh -c '\''exit 3'\'' >/dev/null'
rec 'docker wait ex-3'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ex-3"
rec "docker ps -a --filter name=^ex-3\$ --format '{{.Status}}'"
note "podman: a command that is not found fails 'docker run' (CLI exit 127) but leaves the container"
note "podman: 'created' with ExitCode 0 and 'docker wait' racing between 0 and -1; Docker leaves it 'created'"
note "podman: with State.ExitCode 127 (126 for the non-executable file) and State.Error set; wait prints that code"
rec 'docker run -d --name ex-notfound busybox nosuchcmd >/dev/null'
rec 'docker wait ex-notfound'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' ex-notfound"
rec 'docker run -d --name ex-noexec busybox /etc/passwd >/dev/null'
rec 'docker wait ex-noexec'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}' ex-noexec"
clean ex-true ex-3 ex-notfound ex-noexec
rec 'docker run --name ex-3 busybox sh -c '\''exit 3'\'''
note "podman: attached run of a command that is not found fails the attach (exit 1); Docker: exit 127 with the OCI error"
rec 'docker run --name ex-notfound busybox nosuchcmd'
clean ex-3 ex-notfound

# ---------------------------------------------------------------------------------------------
scenario stop-default-podman
note "podman: containers created through the Docker API get StopTimeout 0 (Docker: unset, daemon default 10 s),"
note "podman: so a plain 'docker stop' SIGKILLs at once; elsewhere this log passes -t or --stop-timeout"
clean s
rec 'docker run -d --name s busybox sleep 300 >/dev/null'
rec "docker inspect -f '{{.Config.StopTimeout}}' s"
rec 'docker stop s'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' s"
clean s

scenario stop-default-timeout
note "sleep as PID 1 has no SIGTERM handler: stop waits 10 s (Docker's default), then SIGKILL -> 137"
clean s
rec 'docker run -d --stop-timeout 10 --name s busybox sleep 300 >/dev/null'
rec 'docker stop s'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' s"
rec "docker ps -a --filter name=^s\$ --format '{{.Status}}'"
clean s

scenario stop-t2
clean s2
rec 'docker run -d --name s2 busybox sleep 300 >/dev/null'
rec 'docker stop -t 2 s2'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' s2"
clean s2

# ---------------------------------------------------------------------------------------------
scenario stop-init
note "--init: podman uses catatonit as PID 1 (Docker: docker-init/tini); it forwards SIGTERM to sleep"
clean i
rec 'docker run -d --init --name i busybox sleep 300 >/dev/null'
rec 'docker exec i ps -o pid,comm'
rec 'docker stop -t 10 i'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' i"
clean i

# ---------------------------------------------------------------------------------------------
scenario stop-trap
clean trap0 trap143
rec 'docker run -d --name trap0 busybox sh -c '\''trap "exit 0" TERM; while true; do sleep 1; done'\'' >/dev/null'
rec 'docker stop -t 10 trap0'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' trap0"
rec 'docker run -d --name trap143 busybox sh -c '\''trap "exit 143" TERM; while true; do sleep 1; done'\'' >/dev/null'
rec 'docker stop -t 10 trap143'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' trap143"
rec "docker ps -a --filter name=^trap143\$ --format '{{.Status}}'"
clean trap0 trap143

# ---------------------------------------------------------------------------------------------
scenario stop-shell-form
note "does busybox sh -c exec its last command? ps shows who is PID 1; stop -t 3 to keep it short"
clean shsleep shsleep2
rec 'docker run -d --name shsleep busybox sh -c '\''sleep 300'\'' >/dev/null'
rec 'docker exec shsleep ps -o pid,comm'
rec 'docker stop -t 3 shsleep'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' shsleep"
rec 'docker run -d --name shsleep2 busybox sh -c '\''sleep 300; echo done'\'' >/dev/null'
rec 'docker exec shsleep2 ps -o pid,comm'
rec 'docker stop -t 3 shsleep2'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' shsleep2"
rec 'docker logs shsleep2'
clean shsleep shsleep2

# ---------------------------------------------------------------------------------------------
scenario kill
clean k kt kh kx
rec 'docker run -d --name k busybox sleep 300 >/dev/null'
rec 'docker kill k'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' k"
rec "docker ps -a --filter name=^k\$ --format '{{.Status}}'"
note "PID 1 ignores signals it has no handler for: TERM and HUP leave sleep running"
rec 'docker run -d --name kt busybox sleep 300 >/dev/null'
rec 'docker kill -s TERM kt'
rec 'sleep 1'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kt"
rec 'docker run -d --name kh busybox sleep 300 >/dev/null'
rec 'docker kill -s HUP kh'
rec 'sleep 1'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kh"
rec 'docker kill -s KILL kh'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kh"
note "a handler installed by the program does see the signal"
rec 'docker run -d --name kx busybox sh -c '\''trap "exit 7" HUP; while true; do sleep 1; done'\'' >/dev/null'
rec 'docker kill -s HUP kx'
rec 'docker wait kx'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kx"
note "kill of a container that is not running"
rec 'docker kill kx'
rec 'docker kill nosuchcontainer'
clean k kt kh kx

# ---------------------------------------------------------------------------------------------
scenario oom
clean oom
rec 'docker run -d --name oom --memory 32m busybox sh -c '\''tail /dev/zero'\'' >/dev/null'
rec 'docker wait oom'
note "podman: the kernel OOM-kills tail (dmesg: 'Memory cgroup out of memory') but OOMKilled stays false on"
note "podman: this cgroup v1 host; Docker reports true"
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}' oom"
rec "docker inspect -f '{{.HostConfig.Memory}}' oom"
rec "docker ps -a --filter name=^oom\$ --format '{{.Status}}'"
clean oom

# ---------------------------------------------------------------------------------------------
scenario restart-on-failure
note "Docker: delay 100 ms doubling per restart; on-failure:3 gives up after 3 restarts (exit 1, RestartCount 3)"
clean rof
rec 'docker run -d --name rof --restart on-failure:3 busybox sh -c '\''exit 1'\'' >/dev/null'
for t in 1 2 7; do
  rec "sleep $t"
  rec "docker inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' rof"
done
rec "docker inspect -f '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}' rof"
rec "docker ps -a --filter name=^rof\$ --format '{{.Status}}'"
clean rof

scenario restart-always
note "sh -c 'exit 0' exits at once: RestartCount shows the restart pace. Docker: 100 ms doubling backoff"
note "(about 3 restarts after 1 s, 4 after 3 s, 5 after 6 s); podman: no backoff, so counts are podman-only"
clean ral
rec 'docker run -d --name ral --restart always busybox sh -c '\''exit 0'\'' >/dev/null'
for t in 1 2 3; do
  rec "sleep $t"
  rec "docker inspect -f '{{.RestartCount}} {{.State.Status}}' ral"
done
clean ral

scenario restart-always-stop
note "each run lasts 1 s; stop is never undone by the policy and freezes RestartCount"
clean ral
rec 'docker run -d --stop-timeout 10 --name ral --restart always busybox sh -c '\''sleep 1; exit 0'\'' >/dev/null'
rec 'sleep 4'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ral"
rec 'docker stop ral'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ral"
rec "docker inspect -f '{{.RestartCount}}' ral >/tmp/rc-before"
rec 'sleep 3'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' ral"
rec "docker inspect -f '{{.RestartCount}}' ral | cmp -s - /tmp/rc-before && echo frozen"
note "docker start re-arms the policy"
rec 'docker start ral'
rec 'sleep 3'
rec "docker inspect -f '{{.State.Status}}' ral"
clean ral
rm -f /tmp/rc-before

scenario restart-always-kill
note "Docker docs: kill disables the restart policy until the next start"
clean rak
rec 'docker run -d --name rak --restart always busybox sleep 300 >/dev/null'
rec 'docker kill rak'
rec 'sleep 2'
rec "docker inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}' rak"
clean rak

scenario restart-unless-stopped
clean rus
rec 'docker run -d --stop-timeout 10 --name rus --restart unless-stopped busybox sh -c '\''sleep 1; exit 3'\'' >/dev/null'
rec 'sleep 4'
rec "docker inspect -f '{{.State.Status}}' rus"
rec "docker inspect -f '{{.RestartCount}}' rus | awk '{print (\$1 >= 1) ? \"restarted\" : \"not restarted\"}'"
rec 'docker stop rus'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' rus"
rec "docker inspect -f '{{.RestartCount}}' rus >/tmp/rc-before"
rec 'sleep 3'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' rus"
rec "docker inspect -f '{{.RestartCount}}' rus | cmp -s - /tmp/rc-before && echo frozen"
rm -f /tmp/rc-before
clean rus

scenario restart-no
clean rno
rec 'docker run -d --name rno busybox sh -c '\''exit 1'\'' >/dev/null'
rec 'sleep 2'
rec "docker inspect -f '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} [{{.HostConfig.RestartPolicy.Name}}]' rno"
clean rno

# ---------------------------------------------------------------------------------------------
scenario health
note "podman runs health checks from systemd transient timers; without systemd as init they may never"
note "run on their own; 'podman healthcheck run' (labelled FALLBACK) triggers one check by hand"
clean hok hbad hcurl
rec "docker run -d --name hok --health-cmd 'true' --health-interval 1s busybox sleep 300 >/dev/null"
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hok"
rec "docker ps -a --filter name=^hok\$ --format '{{.Status}}'"
rec 'sleep 3'
note "podman: no check has run (no systemd timers); Docker: healthy 0"
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hok"
note "podman: the compat API prints no health suffix; Docker: 'Up 3 seconds (healthy)'"
rec "docker ps -a --filter name=^hok\$ --format '{{.Status}}'"
note "podman: fills in Timeout/Retries defaults; Docker stores only what was given: {\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":1000000000}"
rec "docker inspect -f '{{json .Config.Healthcheck}}' hok"
rec "docker run -d --name hbad --health-cmd 'false' --health-interval 1s --health-retries 2 busybox sleep 300 >/dev/null"
rec 'sleep 3'
note "podman: no check has run; Docker: unhealthy with FailingStreak 2 (checks at about 1 s and 2 s)"
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hbad"
rec "docker run -d --name hcurl --health-cmd 'curl -f http://localhost/ || exit 1' --health-interval 1s busybox sleep 300 >/dev/null"
rec 'sleep 2'
note "Docker also says starting here: 1 or 2 failures so far, below the default 3 retries"
rec "docker inspect -f '{{.State.Health.Status}}' hcurl"
clean hok hbad hcurl

scenario health-manual-podman
note "FALLBACK: podman never ran the checks above by itself, so here 'podman healthcheck run' (not a docker"
note "command) triggers each check by hand; the states and Health.Log that follow are what Docker would reach"
note "on its own after one interval per check"
clean hok hbad hcurl
rec "docker run -d --name hok --health-cmd 'true' --health-interval 1s busybox sleep 300 >/dev/null"
rec "docker run -d --name hbad --health-cmd 'false' --health-interval 1s --health-retries 2 busybox sleep 300 >/dev/null"
rec "docker run -d --name hcurl --health-cmd 'curl -f http://localhost/ || exit 1' --health-interval 1s busybox sleep 300 >/dev/null"
rec 'podman healthcheck run hok'
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hok"
rec "docker inspect -f '{{range .State.Health.Log}}exit={{.ExitCode}} output={{printf \"%q\" .Output}}{{\"\\n\"}}{{end}}' hok"
rec "docker ps -a --filter name=^hok\$ --format '{{.Status}}'"
rec 'podman healthcheck run hbad'
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hbad"
rec 'podman healthcheck run hbad'
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hbad"
rec 'podman healthcheck run hbad'
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hbad"
rec "docker ps -a --filter name=^hbad\$ --format '{{.Status}}'"
rec "docker inspect -f '{{range .State.Health.Log}}exit={{.ExitCode}} output={{printf \"%q\" .Output}}{{\"\\n\"}}{{end}}' hbad"
note "field names of State.Health (times vary, so only keys are compared)"
rec "docker inspect -f '{{json .State.Health}}' hbad | sed -E 's/\"[0-9]{4}-[^\"]*\"/\"<time>\"/g'"
note "podman: trims the trailing newline of Output; Docker keeps it: \"/bin/sh: curl: not found\\n\""
rec 'podman healthcheck run hcurl'
rec "docker inspect -f '{{.State.Health.Status}} {{.State.Health.FailingStreak}}' hcurl"
rec "docker inspect -f '{{range .State.Health.Log}}exit={{.ExitCode}} output={{printf \"%q\" .Output}}{{\"\\n\"}}{{end}}' hcurl"
clean hok hbad hcurl

# ---------------------------------------------------------------------------------------------
scenario invalid-transitions
clean pz st ex cr
rec 'docker run -d --name pz busybox sleep 300 >/dev/null'
rec 'docker rm pz'
rec 'docker start pz'
rec "docker inspect -f '{{.State.Status}} {{.State.Running}}' pz"
rec 'docker unpause pz'
rec 'docker pause pz'
rec "docker inspect -f '{{.State.Status}} {{.State.Running}} {{.State.Paused}}' pz"
rec "docker ps -a --filter name=^pz\$ --format '{{.Status}}'"
rec 'docker exec pz true'
rec 'docker pause pz'
note "podman: stop of a paused container fails; Docker 28 stops it (SIGKILL after the timeout works on a frozen task)"
rec 'docker stop -t 1 pz'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' pz"
rec 'docker run -d --name st busybox true >/dev/null'
rec 'docker wait st'
rec 'docker pause st'
rec 'docker unpause st'
rec 'docker stop st'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' st"
rec 'docker exec st true'
rec 'docker wait st'
rec 'docker rename st ex'
rec "docker ps -a --filter name=^ex\$ --format '{{.Names}} {{.Status}}'"
note "podman: renaming to the current name succeeds silently; Docker: 'Error response from daemon: Renaming a container with the same name as its current name', exit 1"
rec 'docker rename ex ex'
rec 'docker restart -t 1 ex'
rec 'docker wait ex'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}' ex"
rec 'docker rm ex'
rec 'docker rm ex'
rec 'docker wait ex'
rec 'docker rm -f pz'
note "a created, never started container"
rec 'docker create --name cr busybox true >/dev/null'
rec "docker ps -a --filter name=^cr\$ --format '{{.Status}}'"
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' cr"
rec 'docker stop cr'
rec 'docker start cr'
rec 'docker wait cr'
rec "docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' cr"
clean pz st ex cr

# ---------------------------------------------------------------------------------------------
scenario logs-top-exec
clean lg tp
rec 'docker run -d --name lg busybox sh -c '\''echo out; echo err >&2; exit 1'\'' >/dev/null'
rec 'docker wait lg'
rec 'docker logs lg'
rec 'docker logs lg 2>/dev/null'
rec 'docker logs lg 2>&1 >/dev/null'
rec 'docker logs --tail 1 lg'
rec 'docker run -d --name tp busybox sleep 300 >/dev/null'
note "podman: top runs ps inside the container (container PIDs, busybox columns); Docker runs the host's"
note "podman: ps -ef (UID PID PPID C STIME TTY TIME CMD, host PIDs)"
rec 'docker top tp'
rec 'docker top tp -o pid,args'
rec 'docker exec tp ps'
rec 'docker exec tp sh -c '\''exit 5'\'''
rec 'docker exec tp nosuchcmd'
rec 'docker exec tp /etc/passwd'
clean lg tp

log ""
log "# end"
