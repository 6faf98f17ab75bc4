//! Volumes and mounts end to end: each `docker volume` command's output and errors, and what
//! mounts do to containers — persistence across `rm`, copy-up from the image, binds hiding the
//! image, `:ro`, ownership and `Permission denied`, `rm -v`, prune, and a tar backup/restore
//! through a bind mount.

use engine::{Engine, Outcome, Stream};

fn stdout(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stdout).map(|l| format!("{}\n", l.text)).collect()
}

fn stderr(outcome: &Outcome) -> String {
    outcome.output.iter().filter(|l| l.stream == Stream::Stderr).map(|l| format!("{}\n", l.text)).collect()
}

fn ok(engine: &mut Engine, line: &str) -> String {
    let outcome = engine.run(line);
    assert_eq!(outcome.exit_code, 0, "{line}\n{}", outcome.text());
    stdout(&outcome)
}

fn with_busybox() -> Engine {
    let mut engine = Engine::new(11);
    ok(&mut engine, "docker pull busybox");
    engine
}

fn id_of(engine: &Engine, name: &str) -> String {
    engine.world().containers().iter().find(|c| c.name == name).map(|c| c.id.clone()).expect("container exists")
}

#[test]
fn create_ls_inspect_and_rm() {
    let mut engine = with_busybox();
    assert_eq!(ok(&mut engine, "docker volume create mydata"), "mydata\n");
    // Creating it again hands back the same volume.
    assert_eq!(ok(&mut engine, "docker volume create mydata"), "mydata\n");
    assert_eq!(ok(&mut engine, "docker volume create --label env=dev --name tagged"), "tagged\n");
    let random = ok(&mut engine, "docker volume create");
    assert_eq!(random.trim().len(), 64);
    assert!(random.trim().bytes().all(|b| b.is_ascii_hexdigit()));
    let listed = ok(&mut engine, "docker volume ls");
    assert_eq!(listed, format!("DRIVER    VOLUME NAME\nlocal     {}local     mydata\nlocal     tagged\n", random));
    assert_eq!(ok(&mut engine, "docker volume ls -q --filter label=env=dev"), "tagged\n");
    assert_eq!(ok(&mut engine, "docker volume ls -q -f name=my"), "mydata\n");
    assert_eq!(ok(&mut engine, "docker volume ls --format '{{.Name}} {{.Driver}} {{.Mountpoint}}' -f name=mydata"), "mydata local /var/lib/docker/volumes/mydata/_data\n");
    let inspected = ok(&mut engine, "docker volume inspect mydata");
    assert_eq!(
        inspected,
        "[\n    {\n        \"CreatedAt\": \"2026-03-02T09:00:06Z\",\n        \"Driver\": \"local\",\n        \"Labels\": {},\n        \"Mountpoint\": \"/var/lib/docker/volumes/mydata/_data\",\n        \"Name\": \"mydata\",\n        \"Options\": {},\n        \"Scope\": \"local\"\n    }\n]\n"
    );
    assert_eq!(ok(&mut engine, "docker volume inspect mydata --format '{{.Mountpoint}}'"), "/var/lib/docker/volumes/mydata/_data\n");
    assert_eq!(
        ok(&mut engine, "docker volume inspect --format json tagged"),
        "[{\"CreatedAt\":\"2026-03-02T09:00:12Z\",\"Driver\":\"local\",\"Labels\":{\"env\":\"dev\"},\"Mountpoint\":\"/var/lib/docker/volumes/tagged/_data\",\"Name\":\"tagged\",\"Options\":{},\"Scope\":\"local\"}]\n"
    );
    assert_eq!(
        ok(&mut engine, "docker volume ls --format json -f name=tagged"),
        "{\"Availability\":\"N/A\",\"Driver\":\"local\",\"Group\":\"N/A\",\"Labels\":\"env=dev\",\"Links\":\"N/A\",\"Mountpoint\":\"/var/lib/docker/volumes/tagged/_data\",\"Name\":\"tagged\",\"Scope\":\"local\",\"Size\":\"N/A\",\"Status\":\"N/A\"}\n"
    );
    let missing = engine.run("docker volume inspect nope");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("Error response from daemon: get nope: no such volume\n", 1));
    assert_eq!(ok(&mut engine, "docker volume rm mydata tagged"), "mydata\ntagged\n");
    let gone = engine.run("docker volume rm mydata");
    assert_eq!((stderr(&gone).as_str(), gone.exit_code), ("Error response from daemon: get mydata: no such volume\n", 1));
    assert_eq!(ok(&mut engine, "docker volume rm -f mydata"), "mydata\n");
}

#[test]
fn create_errors_use_the_cli_and_daemon_wording() {
    let mut engine = with_busybox();
    let both = engine.run("docker volume create --name a1 b1");
    assert_eq!((stderr(&both).as_str(), both.exit_code), ("conflicting options: cannot specify a volume-name through both --name and as a positional arg\n", 1));
    let bad = engine.run("docker volume create a/b");
    assert_eq!(stderr(&bad), "Error response from daemon: create a/b: \"a/b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path\n");
    let driver = engine.run("docker volume create -d nfs x1");
    assert_eq!(stderr(&driver), "Error response from daemon: create x1: error looking up volume plugin nfs: plugin \"nfs\" not found\n");
    let two = engine.run("docker volume create a1 b1");
    assert_eq!(two.exit_code, 1);
    assert!(stderr(&two).starts_with("docker: 'docker volume create' requires at most 1 argument\n"), "{}", two.text());
    assert!(ok(&mut engine, "docker volume create --help").starts_with("Usage:  docker volume create [OPTIONS] [VOLUME]\n"));
    assert!(ok(&mut engine, "docker volume").starts_with("Usage:  docker volume COMMAND\n"));
    let unknown = engine.run("docker volume foo");
    assert_eq!(
        (stderr(&unknown).as_str(), unknown.exit_code),
        ("docker: unknown command: docker volume foo\n\nUsage:  docker volume COMMAND\n\nRun 'docker volume --help' for more information\n", 1)
    );
    let no_args = engine.run("docker volume rm");
    assert_eq!(stderr(&no_args), "docker: 'docker volume rm' requires at least 1 argument\n\nUsage:  docker volume rm [OPTIONS] VOLUME [VOLUME...]\n\nSee 'docker volume rm --help' for more information\n");
    let filter = engine.run("docker volume ls -f colour=red");
    assert_eq!(stderr(&filter), "Error response from daemon: invalid filter 'colour'\n");
}

#[test]
fn data_in_a_volume_survives_rm_but_the_writable_layer_does_not() {
    let mut engine = with_busybox();
    let wrote = engine.run("docker run --name writer -v mydata:/data busybox sh -c 'echo hello > /data/greeting.txt; echo gone > /tmp/note'");
    assert_eq!(wrote.exit_code, 0, "{}", wrote.text());
    // The volume write is not the container's change; the /tmp one is.
    assert_eq!(ok(&mut engine, "docker diff writer"), "C /tmp\nA /tmp/note\n");
    ok(&mut engine, "docker rm writer");
    assert_eq!(ok(&mut engine, "docker run --rm -v mydata:/data busybox cat /data/greeting.txt"), "hello\n");
    let note = engine.run("docker run --rm busybox cat /tmp/note");
    assert_eq!(stderr(&note), "cat: can't open '/tmp/note': No such file or directory\n");
    // `docker run` created the named volume it was given.
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "mydata\n");
    let events: Vec<String> =
        engine.world().daemon_events().iter().filter(|e| e.kind == "volume").map(|e| format!("{} {}", e.action, e.id)).collect();
    assert_eq!(events, ["create mydata", "mount mydata", "unmount mydata", "mount mydata", "unmount mydata"]);
    // `docker inspect` finds volumes too.
    assert!(ok(&mut engine, "docker inspect mydata").contains("\"Mountpoint\": \"/var/lib/docker/volumes/mydata/_data\""));
}

#[test]
fn a_volume_in_use_cannot_be_removed() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker run -d --name db -v dbdata:/data busybox sleep 1000");
    let id = id_of(&engine, "db");
    let refused = engine.run("docker volume rm dbdata");
    assert_eq!(stderr(&refused), format!("Error response from daemon: remove dbdata: volume is in use - [{id}]\n"));
    // Stopped containers still use it.
    ok(&mut engine, "docker stop -t 0 db");
    assert_eq!(engine.run("docker volume rm dbdata").exit_code, 1);
    assert_eq!(ok(&mut engine, "docker volume ls -q -f dangling=true"), "");
    assert_eq!(ok(&mut engine, "docker ps -a -q --filter volume=dbdata"), format!("{}\n", &id[..12]));
    assert_eq!(ok(&mut engine, "docker ps -a -q --filter volume=/data"), format!("{}\n", &id[..12]));
    ok(&mut engine, "docker rm db");
    assert_eq!(ok(&mut engine, "docker volume ls -q -f dangling=true"), "dbdata\n");
    assert_eq!(ok(&mut engine, "docker volume rm dbdata"), "dbdata\n");
}

#[test]
fn an_empty_volume_is_seeded_from_the_image_and_a_bind_hides_it() {
    let mut engine = with_busybox();
    // busybox has /etc/passwd: a fresh volume at /etc gets the image's files.
    assert!(ok(&mut engine, "docker run --rm -v etcdata:/etc busybox ls /etc").contains("passwd"));
    assert!(ok(&mut engine, "docker run --rm -v etcdata:/mnt busybox ls /mnt").contains("passwd"));
    // A bind mount shows the host directory instead of the image's files.
    ok(&mut engine, "mkdir conf && echo 'from host' > conf/app.conf");
    assert_eq!(ok(&mut engine, "docker run --rm -v $(pwd)/conf:/etc busybox ls /etc"), "app.conf\n");
    assert_eq!(ok(&mut engine, "docker run --rm -v ./conf:/etc busybox cat /etc/app.conf"), "from host\n");
    // A single file can be bound over the image's file of that name.
    assert_eq!(ok(&mut engine, "docker run --rm -v $(pwd)/conf/app.conf:/etc/passwd busybox cat /etc/passwd"), "from host\n");
    assert!(ok(&mut engine, "docker run --rm busybox cat /etc/passwd").starts_with("root:x:0:0:"));
    // Writes through a bind land in the host's files.
    ok(&mut engine, "docker run --rm -v \"$(pwd)\"/conf:/cfg busybox sh -c 'echo new > /cfg/added.txt'");
    assert_eq!(ok(&mut engine, "cat conf/added.txt"), "new\n");
    // `--mount type=bind` of a missing path is refused; `-v` creates it.
    let missing = engine.run("docker run --rm --mount type=bind,source=/nope,target=/x busybox true");
    assert_eq!(missing.exit_code, 125);
    assert_eq!(stderr(&missing), "docker: Error response from daemon: invalid mount config for type \"bind\": bind mount source path does not exist: /nope\n\nRun 'docker run --help' for more information\n");
    ok(&mut engine, "docker run --rm --mount type=volume,source=vol2,target=/data,volume-label=team=web busybox true");
    assert_eq!(ok(&mut engine, "docker volume ls -q -f label=team=web"), "vol2\n");
    // A volume `docker run` made has no label or option maps at all.
    ok(&mut engine, "docker run --rm -v plain:/data busybox true");
    assert_eq!(ok(&mut engine, "docker volume inspect -f '{{json .Labels}} {{json .Options}}' plain"), "null null\n");
}

#[test]
fn read_only_mounts_refuse_writes() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker volume create shared");
    let sh = engine.run("docker run --rm -v shared:/data:ro busybox sh -c 'echo x > /data/y'");
    assert_eq!((stderr(&sh).as_str(), sh.exit_code), ("sh: can't create /data/y: Read-only file system\n", 1));
    let touch = engine.run("docker run --rm --mount type=volume,source=shared,target=/data,readonly busybox touch /data/y");
    assert_eq!(stderr(&touch), "touch: /data/y: Read-only file system\n");
    // A writable mount still takes writes under --read-only.
    ok(&mut engine, "docker run --rm --read-only -v shared:/data busybox touch /data/ok");
    assert_eq!(ok(&mut engine, "docker run --rm -v shared:/data:ro busybox ls /data"), "ok\n");
}

#[test]
fn mount_errors_use_docker_wording() {
    let mut engine = with_busybox();
    let cases = [
        ("docker run --mount type=volume busybox", "invalid argument \"type=volume\" for \"--mount\" flag: target is required\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"),
        ("docker run --mount garbage busybox", "invalid argument \"garbage\" for \"--mount\" flag: invalid field 'garbage' must be a key=value pair\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n"),
        ("docker run --mount type=foo,target=/x busybox", "docker: Error response from daemon: invalid mount config for type \"foo\": mount type unknown\n\nRun 'docker run --help' for more information\n"),
        ("docker run -v :/x busybox", "docker: invalid spec: :/x: empty section between colons\n\nRun 'docker run --help' for more information\n"),
        ("docker run -v /a:/b:zz busybox", "docker: Error response from daemon: invalid mode: zz\n\nRun 'docker run --help' for more information\n"),
        ("docker run -v data:rel busybox", "docker: Error response from daemon: invalid volume specification: 'data:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute\n\nRun 'docker run --help' for more information\n"),
        ("docker run -v x:/d -v y:/d busybox", "docker: Error response from daemon: Duplicate mount point: /d\n\nRun 'docker run --help' for more information\n"),
        ("docker run --tmpfs '' busybox", "docker: Error response from daemon: invalid mount path: '' mount path must be absolute\n\nRun 'docker run --help' for more information\n"),
        ("docker run -v / busybox", "docker: Error response from daemon: invalid volume specification: '/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'\n\nRun 'docker run --help' for more information\n"),
        ("docker run --volumes-from ghost busybox", "docker: Error response from daemon: No such container: ghost\n\nRun 'docker run --help' for more information\n"),
    ];
    for (line, expected) in cases {
        let outcome = engine.run(line);
        assert_eq!(outcome.exit_code, 125, "{line}");
        assert_eq!(stderr(&outcome), expected, "{line}");
    }
    // Nothing was created by the refused runs.
    assert_eq!(ok(&mut engine, "docker ps -aq"), "");
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "");
}

#[test]
fn permission_denied_for_a_non_root_user_and_the_chown_fixes() {
    let mut engine = with_busybox();
    ok(
        &mut engine,
        "mkdir app && printf 'FROM busybox\\nRUN adduser -D -u 1000 appuser\\nUSER appuser\\nCMD [\"sh\", \"-c\", \"echo saved > /data/file.txt && echo ok\"]\\n' > app/Dockerfile",
    );
    ok(&mut engine, "cd app && docker build -q -t myapp .");
    let denied = engine.run("docker run --rm -v mydata:/data myapp");
    assert_eq!((stderr(&denied).as_str(), denied.exit_code), ("sh: can't create /data/file.txt: Permission denied\n", 1));
    let touch = engine.run("docker run --rm --user 1000 -v mydata:/data busybox touch /data/x");
    assert_eq!(stderr(&touch), "touch: /data/x: Permission denied\n");
    // Root fixes the ownership once; the volume keeps it.
    ok(&mut engine, "docker run --rm -v mydata:/data busybox chown -R 1000:1000 /data");
    assert_eq!(ok(&mut engine, "docker run --rm -v mydata:/data myapp"), "ok\n");
    // Or the image owns the directory before VOLUME: a fresh volume copies owner and files.
    ok(
        &mut engine,
        "printf 'FROM busybox\\nRUN adduser -D -u 1000 appuser && mkdir /data && chown appuser:appuser /data && echo seed > /data/seed.txt\\nVOLUME /data\\nUSER appuser\\nCMD [\"sh\", \"-c\", \"echo saved > /data/file.txt && ls /data\"]\\n' > Dockerfile && docker build -q -t fixed .",
    );
    assert_eq!(ok(&mut engine, "docker run --name f1 fixed"), "file.txt\nseed.txt\n");
    assert_eq!(ok(&mut engine, "docker diff f1"), "");
}

#[test]
fn rm_v_removes_anonymous_volumes_only_and_prune_takes_the_rest() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker run --name a1 -v /anon -v keep:/keep busybox true");
    let anon = engine.world().volumes().iter().find(|v| v.anonymous).map(|v| v.name.clone()).expect("anonymous volume");
    assert_eq!(anon.len(), 64);
    let inspected = ok(&mut engine, &format!("docker volume inspect -f '{{{{json .Labels}}}}' {anon}"));
    assert_eq!(inspected, "{\"com.docker.volume.anonymous\":\"\"}\n");
    ok(&mut engine, "docker rm -v a1");
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "keep\n");
    // Without -v the anonymous volume stays behind, dangling; prune (no -a) takes only it.
    ok(&mut engine, "docker run --name a2 -v /anon busybox sh -c 'echo 12345 > /anon/f'");
    ok(&mut engine, "docker rm a2");
    let anon = engine.world().volumes().iter().find(|v| v.anonymous).map(|v| v.name.clone()).expect("anonymous volume");
    let pruned = ok(&mut engine, "docker volume prune -f");
    assert_eq!(pruned, format!("Deleted Volumes:\n{anon}\n\nTotal reclaimed space: 6B\n"));
    let prompt = engine.run("docker volume prune");
    assert!(stdout(&prompt).starts_with("WARNING! This will remove anonymous local volumes not used by at least one container.\n"));
    assert_eq!(engine.run("N").text(), "", "the question is answered no");
    assert_eq!(ok(&mut engine, "docker volume prune -a -f"), "Deleted Volumes:\nkeep\n\nTotal reclaimed space: 0B\n");
    assert_eq!(ok(&mut engine, "docker volume prune -f"), "Total reclaimed space: 0B\n");
    // `--rm` takes anonymous volumes with it.
    ok(&mut engine, "docker run --rm -v /scratch busybox true");
    assert_eq!(ok(&mut engine, "docker volume ls -q"), "");
}

#[test]
fn tar_backup_and_restore_through_a_bind_mount() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker run -d --name db -v dbdata:/data busybox sh -c 'echo precious > /data/rows.txt; sleep 10000'");
    let backup = engine.run("docker run --rm --volumes-from db -v $(pwd):/backup busybox tar cvf /backup/backup.tar /data");
    assert_eq!(backup.exit_code, 0, "{}", backup.text());
    assert_eq!(stdout(&backup), "data/\ndata/rows.txt\n");
    assert_eq!(stderr(&backup), "tar: removing leading '/' from member names\n");
    assert!(ok(&mut engine, "ls").contains("backup.tar"));
    ok(&mut engine, "docker rm -f db");
    ok(&mut engine, "docker volume rm dbdata");
    let restore = engine.run("docker run --rm -v dbdata:/data -v $(pwd):/backup busybox sh -c 'cd / && tar xvf /backup/backup.tar'");
    assert_eq!(stdout(&restore), "data/\ndata/rows.txt\n");
    assert_eq!(ok(&mut engine, "docker run --rm -v dbdata:/data busybox cat /data/rows.txt"), "precious\n");
    // GNU tar on Debian, gzip and a listing.
    ok(&mut engine, "docker run --rm -v dbdata:/data -v $(pwd):/backup debian tar czf /backup/backup.tar.gz /data");
    let listed = ok(&mut engine, "docker run --rm -v $(pwd):/backup debian tar tzf /backup/backup.tar.gz");
    assert_eq!(listed, "data/\ndata/rows.txt\n");
    let missing = engine.run("docker run --rm busybox tar xf /nope.tar");
    assert_eq!((stderr(&missing).as_str(), missing.exit_code), ("tar: can't open '/nope.tar': No such file or directory\n", 1));
}

#[test]
fn inspect_shows_mounts_binds_and_host_mounts() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker run -d --name web -v $(pwd):/app:ro -v cache:/cache --mount type=tmpfs,target=/run/x --tmpfs /scratch busybox sleep 1000");
    assert_eq!(
        ok(&mut engine, "docker inspect -f '{{json .Mounts}}' web"),
        "[{\"Type\":\"bind\",\"Source\":\"/home/learner\",\"Destination\":\"/app\",\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"rprivate\"},{\"Type\":\"volume\",\"Name\":\"cache\",\"Source\":\"/var/lib/docker/volumes/cache/_data\",\"Destination\":\"/cache\",\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"},{\"Type\":\"tmpfs\",\"Source\":\"\",\"Destination\":\"/run/x\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"\"}]\n"
    );
    assert_eq!(
        ok(&mut engine, "docker inspect -f '{{json .HostConfig.Binds}} {{json .HostConfig.Mounts}}' web"),
        "[\"/home/learner:/app:ro\",\"cache:/cache\"] [{\"Type\":\"tmpfs\",\"Target\":\"/run/x\"}]\n"
    );
    let mounts = ok(&mut engine, "docker exec web mount");
    assert!(mounts.contains("/dev/sda1 on /app type ext4 (ro,relatime,discard,errors=remount-ro)\n"), "{mounts}");
    assert!(mounts.contains("/dev/sda1 on /cache type ext4 (rw,relatime,discard,errors=remount-ro)\n"), "{mounts}");
    assert!(mounts.contains("tmpfs on /run/x type tmpfs (rw,nosuid,nodev,noexec,relatime,inode64)\n"), "{mounts}");
    assert!(ok(&mut engine, "docker exec web df /cache").ends_with("% /cache\n"));
    // exec writes into the volume too.
    ok(&mut engine, "docker exec web sh -c 'echo from-exec > /cache/e'");
    assert_eq!(ok(&mut engine, "docker run --rm -v cache:/c busybox cat /c/e"), "from-exec\n");
    // Lookups see the mounts: a workdir only a volume has, and `docker cp` out of one.
    ok(&mut engine, "docker exec web mkdir /cache/sub");
    assert_eq!(ok(&mut engine, "docker exec -w /cache/sub web pwd"), "/cache/sub\n");
    ok(&mut engine, "docker cp web:/cache/e ./copied.txt");
    assert_eq!(ok(&mut engine, "cat copied.txt"), "from-exec\n");
    // `docker cp` into a volume path fills the volume, not the writable layer.
    ok(&mut engine, "docker cp copied.txt web:/cache/in.txt");
    assert_eq!(ok(&mut engine, "docker run --rm -v cache:/c busybox cat /c/in.txt"), "from-exec\n");
    assert_eq!(ok(&mut engine, "docker diff web"), "");
    let df = ok(&mut engine, "docker system df");
    assert!(df.contains("Local Volumes   1         1         20B       0B (0%)\n"), "{df}");
}

#[test]
fn volumes_survive_a_snapshot_and_restore() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker run --rm -v kept:/data busybox sh -c 'echo still here > /data/f'");
    let mut restored = Engine::restore(&engine.snapshot()).expect("snapshot restores");
    assert_eq!(ok(&mut restored, "docker run --rm -v kept:/data busybox cat /data/f"), "still here\n");
    assert_eq!(ok(&mut restored, "docker volume ls -q"), "kept\n");
}

#[test]
fn the_host_root_user_sees_a_volume_under_var_lib_docker() {
    let mut engine = with_busybox();
    ok(&mut engine, "docker volume create mydata");
    ok(&mut engine, "docker run --rm -v mydata:/data busybox sh -c 'echo hi > /data/f.txt'");
    let denied = engine.run("ls /var/lib/docker/volumes/mydata/_data");
    assert_eq!((stderr(&denied).as_str(), denied.exit_code), ("ls: cannot access '/var/lib/docker/volumes/mydata/_data': Permission denied\n", 2));
    assert_eq!(ok(&mut engine, "sudo cat /var/lib/docker/volumes/mydata/_data/f.txt"), "hi\n");
    assert_eq!(ok(&mut engine, "sudo ls /var/lib/docker/volumes"), "backingFsBlockDev  metadata.db  mydata\n");
}
