//! The container commands end to end: `logs`, `exec`, `top`, `stats`, `events` and `ps`
//! driven through `Engine::run` (and `tick` for the live ones) with exact expected output.

use engine::{Engine, Event, Outcome, Stream};

fn stdout(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

/// A machine with busybox pulled and `web` (`sleep 300`) running.
fn with_web() -> Engine {
    let mut engine = Engine::new(7);
    assert_eq!(engine.run("docker pull busybox").exit_code, 0);
    let started = engine.run("docker run -d --name web busybox sleep 300");
    assert_eq!(started.exit_code, 0, "{}", started.text());
    engine
}

fn id_of(engine: &Engine, name: &str) -> String {
    engine.world().containers().iter().find(|c| c.name == name).map(|c| c.id.clone()).expect("container exists")
}

#[test]
fn logs_split_streams_tail_timestamps_and_details() {
    let mut engine = with_web();
    let ran = engine.run("docker run --name lg busybox sh -c 'echo out; echo err >&2; exit 1'");
    assert_eq!(ran.exit_code, 1);
    let logs = engine.run("docker logs lg");
    assert_eq!((stdout(&logs).as_str(), stderr(&logs).as_str(), logs.exit_code), ("out\n", "err\n", 0));
    assert_eq!(stderr(&engine.run("docker logs --tail 1 lg")), "err\n");
    assert_eq!(engine.run("docker logs -n 0 lg").text(), "");
    let stamped = engine.run("docker logs -t lg");
    assert_eq!(stdout(&stamped), "2026-03-02T09:00:09.673000000Z out\n");
    assert_eq!(stderr(&stamped), "2026-03-02T09:00:09.673000000Z err\n");
    assert_eq!(stdout(&engine.run("docker logs --details lg")), " out\n");
    assert_eq!(engine.run("docker logs --since 1s lg").text(), "");
    assert_eq!(engine.run("docker logs --since 10m lg").text(), "out\nerr\n");
    assert_eq!(engine.run("docker logs --until 2026-03-02T09:00:05Z lg").text(), "");
    assert_eq!(engine.run("docker logs --since 2026-03-02T09:00:05Z lg").text(), "out\nerr\n");
}

#[test]
fn logs_errors() {
    let mut engine = with_web();
    let missing = engine.run("docker logs nope");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("Error response from daemon: No such container: nope\n", 1));
    let bad = engine.run("docker logs --since xyz web");
    assert_eq!(stderr(&bad), "invalid value for \"since\": failed to parse value as time or duration: \"xyz\"\n");
    assert_eq!(bad.exit_code, 1);
    let args = engine.run("docker logs");
    assert_eq!(args.exit_code, 1);
    assert!(stderr(&args).starts_with("docker: 'docker logs' requires 1 argument\n"), "{}", args.text());
}

#[test]
fn logs_follow_streams_until_the_container_exits() {
    let mut engine = with_web();
    let run = engine.run("docker run -d --name tick busybox sh -c 'for i in 1 2 3; do echo tick $i; sleep 1; done'");
    assert_eq!(run.exit_code, 0);
    engine.run("sim advance 10s");
    let follow = engine.run("docker logs -f tick");
    // The container has exited: `-f` prints what there is and ends.
    assert_eq!(follow.text(), "tick 1\ntick 2\ntick 3\n");
    assert!(!engine.is_live());

    engine.run("docker run -d --name slow busybox sh -c 'echo start; sleep 30; echo done'");
    let follow = engine.run("docker logs -f -t slow");
    assert_eq!(follow.text(), "2026-03-02T09:00:28.723000000Z start\n");
    assert!(engine.is_live());
    let mut later = String::new();
    for _ in 0..40 {
        later.push_str(&engine.tick(1000).text());
    }
    assert_eq!(later, "2026-03-02T09:00:58.731000000Z done\n");
    assert!(!engine.is_live(), "the view ends when the container exits");
}

#[test]
fn exec_runs_in_the_container_with_its_status() {
    let mut engine = with_web();
    let ls = engine.run("docker exec web ls /");
    assert_eq!(ls.text(), "bin\netc\nhome\nlib\nroot\ntmp\nusr\nvar\n");
    let mixed = engine.run("docker exec web sh -c 'echo hi; echo err >&2; exit 3'");
    assert_eq!((stdout(&mixed).as_str(), stderr(&mixed).as_str(), mixed.exit_code), ("hi\n", "err\n", 3));
    // With -t there is one terminal: stderr arrives on stdout.
    let tty = engine.run("docker exec -t web sh -c 'echo err >&2'");
    assert_eq!(stdout(&tty), "err\n");
    let env = engine.run("docker exec -e GREETING=hello -w /tmp web sh -c 'echo $GREETING from $(pwd)'");
    assert_eq!(env.text(), "hello from /tmp\n");
    // Files written by exec land in the container's writable layer.
    assert_eq!(engine.run("docker exec web sh -c 'echo saved > /tmp/note'").exit_code, 0);
    assert_eq!(engine.run("docker exec web cat /tmp/note").text(), "saved\n");
}

#[test]
fn exec_failures_use_the_daemon_wording() {
    let mut engine = with_web();
    let id = id_of(&engine, "web");
    let bash = engine.run("docker exec web bash");
    assert_eq!(
        stdout(&bash),
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"bash\": executable file not found in $PATH: unknown\n"
    );
    assert_eq!(bash.exit_code, 127);
    let not_exec = engine.run("docker exec web /etc/passwd");
    assert_eq!(not_exec.exit_code, 126);
    let user = engine.run("docker exec -u nobody2 web id");
    assert_eq!(stderr(&user), "Error response from daemon: unable to find user nobody2: no matching entries in passwd file\n");
    let cwd = engine.run("docker exec -w /nope web ls");
    assert_eq!(cwd.exit_code, 127);
    assert!(stdout(&cwd).contains("chdir to cwd (\"/nope\") set in config.json failed: no such file or directory"));
    let missing = engine.run("docker exec nope ls");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("Error response from daemon: No such container: nope\n", 1));

    engine.run("docker pause web");
    let paused = engine.run("docker exec web ls");
    assert_eq!(stderr(&paused), "Error response from daemon: Container web is paused, unpause the container before exec\n");
    assert_eq!(paused.exit_code, 1);
    engine.run("docker unpause web");
    engine.run("docker kill web");
    let stopped = engine.run("docker exec web ls");
    assert_eq!(stderr(&stopped), format!("Error response from daemon: container {id} is not running\n"));
    assert_eq!(stopped.exit_code, 1);
}

#[test]
fn exec_detached_shows_in_top_until_it_ends() {
    let mut engine = with_web();
    let detached = engine.run("docker exec -d web sleep 100");
    assert_eq!((detached.text().as_str(), detached.exit_code), ("", 0));
    let top = engine.run("docker top web");
    assert_eq!(
        top.text(),
        "UID                 PID                 PPID                C                   STIME               TTY                 TIME                CMD\n\
         root                2142                2141                0                   09:00               ?                   00:00:00            sleep 300\n\
         root                2145                2141                0                   09:00               ?                   00:00:00            sleep 100\n"
    );
    let pids = engine.run("docker top web -o pid,args");
    assert_eq!(pids.text(), "PID                 COMMAND\n2142                sleep 300\n2145                sleep 100\n");
    engine.run("sim advance 2m");
    assert_eq!(engine.run("docker top web -o pid,comm").text(), "PID                 COMMAND\n2142                sleep\n");
}

#[test]
fn exec_interactive_shell_opens_a_session() {
    let mut engine = with_web();
    let shell = engine.run("docker exec -it -w /tmp web sh");
    assert_eq!((shell.text().as_str(), shell.exit_code), ("", 0));
    assert!(engine.in_container_shell());
    assert_eq!(engine.prompt(), "/tmp # ");
    assert_eq!(engine.run("pwd").text(), "/tmp\n");
    engine.run("exit");
    assert!(!engine.in_container_shell());
    assert!(engine.world().containers().iter().any(|c| c.name == "web" && c.is_running()), "exec's shell is not PID 1");
}

#[test]
fn top_refuses_containers_that_are_not_running() {
    let mut engine = with_web();
    engine.run("docker run --name done busybox true");
    let id = id_of(&engine, "done");
    let top = engine.run("docker top done");
    assert_eq!(stderr(&top), format!("Error response from daemon: container {id} is not running\n"));
    assert_eq!(top.exit_code, 1);
    let bad = engine.run("docker top web -o comm");
    assert_eq!(stderr(&bad), "Error response from daemon: Couldn't find PID field in ps output\n");
}

#[test]
fn stats_no_stream_table_and_format() {
    let mut engine = with_web();
    engine.run("docker run --name done busybox true");
    let stats = engine.run("docker stats --no-stream");
    assert_eq!(
        stats.text(),
        "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT     MEM %     NET I/O     BLOCK I/O   PIDS\n\
         73d33b666a1e   web       0.00%     1.144MiB / 3.823GiB   0.03%     796B / 0B   0B / 0B     1\n"
    );
    assert!(!stats.events.contains(&Event::ScreenCleared));
    let all = engine.run("docker stats --no-stream --all --format 'table {{.Name}}\\t{{.MemUsage}}\\t{{.PIDs}}'");
    assert_eq!(
        all.text(),
        "NAME      MEM USAGE / LIMIT     PIDS\n\
         done      0B / 0B               0\n\
         web       1.144MiB / 3.823GiB   1\n"
    );
    let plain = engine.run("docker stats --no-stream --format '{{.Container}}: {{.CPUPerc}}' web");
    assert_eq!(plain.text(), "73d33b666a1e: 0.00%\n");
    let limited = engine.run("docker run -d --name small -m 64m busybox sleep 300");
    assert_eq!(limited.exit_code, 0);
    let small = engine.run("docker stats --no-stream --format '{{.MemUsage}} {{.MemPerc}}' small");
    assert_eq!(small.text(), "1.144MiB / 64MiB 1.79%\n");
    let missing = engine.run("docker stats --no-stream nope");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("Error response from daemon: No such container: nope\n", 1));
}

#[test]
fn stats_streams_with_a_redraw_every_second() {
    let mut engine = with_web();
    let first = engine.run("docker stats --format '{{.Name}} {{.PIDs}}'");
    assert_eq!(first.text(), "web 1\n");
    assert!(first.events.contains(&Event::Redraw));
    assert!(engine.is_live());
    let next = engine.tick(1000);
    assert_eq!(next.text(), "web 1\n");
    assert!(next.events.contains(&Event::Redraw));
    engine.interrupt();
    assert!(!engine.is_live());
}

#[test]
fn events_past_range_filters_and_formats() {
    let mut engine = with_web();
    let id = id_of(&engine, "web");
    engine.run("docker exec web true");
    let past = engine.run("docker events --since 2026-03-02T09:00:00Z --until 2026-03-02T09:00:07Z");
    assert_eq!(
        past.text(),
        format!(
            "2026-03-02T09:00:06.568000000Z container create {id} (image=busybox, name=web)\n\
             2026-03-02T09:00:06.618000000Z container start {id} (image=busybox, name=web)\n"
        )
    );
    assert!(!engine.is_live(), "an --until in the past ends the stream");
    let exec = engine.run("docker events --since 1h --until 0s --filter event=exec_start --format '{{.Action}} {{.Actor.Attributes.name}}'");
    assert_eq!(exec.text(), "exec_start: true  web\n");
    let typed = engine.run("docker events --since 1h --until 0s --filter container=web --filter event=start --format '{{.Type}} {{.Status}} {{.From}}'");
    assert_eq!(typed.text(), "container start busybox\n");
    let bad = engine.run("docker events --filter nonsense");
    assert_eq!(bad.exit_code, 125);
    assert!(stderr(&bad).starts_with("invalid argument \"nonsense\" for \"-f, --filter\" flag: bad format of filter (expected name=value)\n"));
}

#[test]
fn events_stream_new_events_live() {
    let mut engine = with_web();
    let id = id_of(&engine, "web");
    let live = engine.run("docker events");
    assert_eq!(live.text(), "");
    assert!(engine.is_live());
    let ended = engine.tick(300_000);
    assert_eq!(
        ended.text(),
        format!(
            "2026-03-02T09:05:06.626000000Z container die {id} (exitCode=0, image=busybox, name=web)\n"
        )
    );
}

#[test]
fn ps_filters_formats_and_sizes() {
    let mut engine = with_web();
    engine.run("docker run --name ok busybox true");
    engine.run("docker run --name bad busybox sh -c 'exit 3'");
    engine.run("docker create --name fresh --label team=blue busybox true");
    let exited = engine.run("docker ps --filter status=exited --format '{{.Names}} {{.Status}}'");
    assert_eq!(exited.text(), "bad Exited (3) 6 seconds ago\nok Exited (0) 9 seconds ago\n");
    let code = engine.run("docker ps -a --filter exited=3 --format '{{.Names}}'");
    assert_eq!(code.text(), "bad\n");
    let anchored = engine.run("docker ps -a --filter name=^o --format '{{.Names}}'");
    assert_eq!(anchored.text(), "ok\n");
    let label = engine.run("docker ps -a --filter label=team=blue --format '{{.Names}} {{.Label \"team\"}} {{.State}}'");
    assert_eq!(label.text(), "fresh blue created\n");
    let before = engine.run("docker ps -a --filter before=ok --format '{{.Names}}'");
    assert_eq!(before.text(), "web\n");
    let since = engine.run("docker ps -a --filter since=ok --format '{{.Names}}'");
    assert_eq!(since.text(), "fresh\nbad\n");
    let ancestor = engine.run("docker ps --filter ancestor=busybox -q");
    assert_eq!(ancestor.text(), "73d33b666a1e\n");
    let latest = engine.run("docker ps -l --format '{{.Names}}'");
    assert_eq!(latest.text(), "fresh\n");
    let last = engine.run("docker ps -n 2 --format '{{.Names}}'");
    assert_eq!(last.text(), "fresh\nbad\n");
    let table = engine.run("docker ps -a --filter name=web --format 'table {{.ID}}\\t{{.Names}}\\t{{.Networks}}'");
    assert_eq!(table.text(), "CONTAINER ID   NAMES     NETWORKS\n73d33b666a1e   web       bridge\n");
    let sized = engine.run("docker ps -s");
    assert_eq!(
        sized.text(),
        "CONTAINER ID   IMAGE     COMMAND       CREATED          STATUS          PORTS     NAMES     SIZE\n\
         73d33b666a1e   busybox   \"sleep 300\"   42 seconds ago   Up 42 seconds             web       0B (virtual 4.26MB)\n"
    );
    let json = engine.run("docker ps --format json");
    assert_eq!(
        json.text(),
        "{\"Command\":\"\\\"sleep 300\\\"\",\"CreatedAt\":\"2026-03-02 09:00:06 +0000 UTC\",\"ID\":\"73d33b666a1e\",\"Image\":\"busybox\",\"Labels\":\"\",\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"web\",\"Networks\":\"bridge\",\"Platform\":null,\"Ports\":\"\",\"RunningFor\":\"45 seconds ago\",\"Size\":\"0B\",\"State\":\"running\",\"Status\":\"Up 45 seconds\"}\n"
    );
    let quiet = engine.run("docker ps -q --format '{{.Names}}'");
    assert_eq!(stderr(&quiet), "WARNING: Ignoring custom format, because both --format and --quiet are set.\n");
    assert_eq!(stdout(&quiet), "73d33b666a1e\n");
}

#[test]
fn ps_filter_errors() {
    let mut engine = with_web();
    let unknown = engine.run("docker ps --filter foo=bar");
    assert_eq!((stderr(&unknown).as_str(), unknown.exit_code), ("Error response from daemon: invalid filter 'foo'\n", 1));
    let status = engine.run("docker ps --filter status=sleeping");
    assert_eq!(
        stderr(&status),
        "Error response from daemon: invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead\n"
    );
    let exited = engine.run("docker ps --filter exited=x");
    assert_eq!(stderr(&exited), "Error response from daemon: invalid filter 'exited=x': strconv.Atoi: parsing \"x\": invalid syntax\n");
    let before = engine.run("docker ps --filter before=ghost");
    assert_eq!(stderr(&before), "Error response from daemon: No such container: ghost\n");
    let format = engine.run("docker ps --filter name");
    assert_eq!(format.exit_code, 125);
}

#[test]
fn ps_shows_published_and_exposed_ports() {
    let mut engine = with_web();
    engine.run("docker run -d --name pub -p 8080:80 busybox sleep 300");
    let ports = engine.run("docker ps --filter name=pub --format '{{.Ports}}'");
    assert_eq!(ports.text(), "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp\n");
}

