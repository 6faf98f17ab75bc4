//! The read-only accessors the browser's visualizers use: the last build's record, namespace
//! inodes against the host's, and the CPU a program wants against what `--cpus` gives it.

use engine::{Engine, Event};

#[test]
fn the_last_build_is_remembered_after_other_commands() {
    let mut engine = Engine::new(1);
    assert!(engine.world().last_build().is_none());
    engine.run("printf 'FROM alpine:3.19\\nRUN echo hi > /hi\\n' > Dockerfile");
    engine.run("docker build -t hi .");
    engine.run("docker images");
    let build = engine.world().last_build().unwrap();
    assert_eq!(build.dockerfile, "/home/learner/Dockerfile");
    assert!(build.events.iter().any(|e| matches!(e, Event::BuildStep { instruction, .. } if instruction == "RUN echo hi > /hi")));
    assert!(build.events.iter().any(|e| matches!(e, Event::ImageBuilt { .. })));
}

#[test]
fn namespace_inodes_differ_from_the_host_unless_shared() {
    let mut engine = Engine::new(1);
    engine.run("docker run -d --name web nginx");
    engine.run("docker run -d --name hostnet --network host nginx");
    let host = engine::host_namespace_inodes();
    let web = engine.world().find_container("web").unwrap().namespace_inodes();
    let hostnet = engine.world().find_container("hostnet").unwrap().namespace_inodes();
    assert_ne!(web[3], host[3]);
    assert_eq!((hostnet[3].0, hostnet[3].1), ("net", host[3].1));
}

#[test]
fn cpu_wanted_is_capped_by_cpus() {
    let mut engine = Engine::new(1);
    // `tail /dev/zero` spins one whole CPU.
    engine.run("docker run -d --name spin --cpus 0.5 alpine tail /dev/zero");
    let spin = engine.world().find_container("spin").unwrap();
    assert_eq!((spin.cpu_wanted_millis(), spin.cpu_millis()), (1000, 500));
}
