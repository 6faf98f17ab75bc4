//! The visual models against real engine sessions: each test types commands, then checks the facts
//! a view would draw.

use engine::Engine;

use super::architecture::{self, HopState};
use super::build::{self, StepVerdict};
use super::lifecycle::{self, LifeState};
use super::namespaces;
use super::network;
use super::volumes::{self, Survival};

fn session(lines: &[&str]) -> Engine {
    let mut engine = Engine::new(1);
    for line in lines {
        engine.run(line);
    }
    engine
}

const APP_DOCKERFILE: &str = "printf 'FROM python:3.12-slim\\nWORKDIR /app\\nCOPY requirements.txt .\\nRUN pip install -r requirements.txt\\nCOPY . .\\nCMD [\"python\", \"app.py\"]\\n' > Dockerfile";

#[test]
fn rebuild_after_a_source_change_reuses_the_dependency_layers_and_misses_from_the_copy() {
    let engine = session(&[
        "mkdir app && cd app",
        APP_DOCKERFILE,
        "echo flask > requirements.txt",
        "echo 'print(1)' > app.py",
        "docker build -t demo .",
        "echo 'print(2)' > app.py",
        "docker build -t demo .",
        // Later commands replace the terminal's events; the build view still knows the build.
        "docker images",
    ]);
    let model = build::model(engine.world());
    let verdicts: Vec<(&str, &StepVerdict)> = model.last_steps.iter().map(|s| (s.instruction.as_str(), &s.verdict)).collect();
    assert_eq!(verdicts[0], ("WORKDIR /app", &StepVerdict::Cached));
    assert_eq!(verdicts[2], ("RUN pip install -r requirements.txt", &StepVerdict::Cached));
    match verdicts[3] {
        ("COPY . .", StepVerdict::Miss(reason)) => assert!(reason.contains("app.py changed"), "{reason}"),
        other => panic!("unexpected {other:?}"),
    }
    let demo = model.images.iter().find(|i| i.name == "demo:latest").unwrap();
    assert!(demo.last_built);
    let top = demo.layers.last().unwrap();
    assert_eq!(top.instruction, "COPY . .");
    assert!(matches!(top.verdict, Some(StepVerdict::Miss(_))));
    let pip = &demo.layers[demo.layers.len() - 2];
    assert_eq!(pip.instruction, "RUN pip install -r requirements.txt");
    assert_eq!(pip.verdict, Some(StepVerdict::Cached));
    // The base image's layers carry no verdict: the build did not make them.
    assert_eq!(demo.layers[0].verdict, None);
}

#[test]
fn layers_of_a_common_base_are_marked_shared() {
    let engine = session(&[
        "mkdir app && cd app",
        APP_DOCKERFILE,
        "echo flask > requirements.txt",
        "echo 'print(1)' > app.py",
        "docker build -t demo .",
    ]);
    let model = build::model(engine.world());
    let demo = model.images.iter().find(|i| i.name == "demo:latest").unwrap();
    assert_eq!(demo.layers[0].shared_with, ["python:3.12-slim"]);
    assert!(demo.layers.last().unwrap().shared_with.is_empty());
    assert_eq!(demo.hidden_bytes, 0);
}

#[test]
fn deleting_a_file_in_a_later_layer_counts_its_bytes_as_hidden() {
    let engine = session(&[
        "mkdir app && cd app",
        "printf '0123456789' > data.bin",
        "printf 'FROM alpine:3.19\\nCOPY data.bin /data.bin\\nRUN rm /data.bin\\n' > Dockerfile",
        "docker build -t wasteful .",
    ]);
    let model = build::model(engine.world());
    let image = model.images.iter().find(|i| i.name == "wasteful:latest").unwrap();
    // The ten bytes are still in the COPY layer: the RUN layer only hides them.
    assert_eq!(image.hidden_bytes, 10, "{:#?}", image.layers);
    assert_eq!(image.layers.last().unwrap().instruction, "RUN rm /data.bin");
}

#[test]
fn multi_stage_graph_and_before_after_sizes() {
    let engine = session(&[
        "mkdir app && cd app",
        APP_DOCKERFILE,
        "echo flask > requirements.txt",
        "echo 'print(1)' > app.py",
        "docker build -t demo:single .",
        "printf 'FROM python:3.12 AS build\\nWORKDIR /app\\nCOPY . .\\nFROM python:3.12-slim\\nCOPY --from=build /app /app\\n' > Dockerfile",
        "docker build -t demo:multi .",
    ]);
    let model = build::model(engine.world());
    assert_eq!(model.stages.len(), 2);
    assert_eq!(model.stages[0].name, "build");
    assert_eq!(model.stages[1].copies_from, ["build"]);
    assert_eq!(model.stages[1].base, "python:3.12-slim");
    // demo:single pulled in pip's packages; demo:multi carries only the sources.
    let comparison = &model.comparisons[0];
    assert_eq!(comparison.before.0, "demo:single");
    assert_eq!(comparison.after.0, "demo:multi");
    assert!(comparison.before.1 > comparison.after.1);
}

#[test]
fn lifecycle_follows_run_stop_and_kill() {
    let mut engine = session(&["docker run -d --name web nginx", "docker create --name idle alpine"]);
    let states = |engine: &Engine| -> Vec<(String, LifeState, Option<i32>)> {
        lifecycle::model(engine.world()).into_iter().map(|c| (c.name, c.state, c.exit_code)).collect()
    };
    assert_eq!(states(&engine), [("web".into(), LifeState::Running, None), ("idle".into(), LifeState::Created, None)]);
    engine.run("docker stop web");
    let web = lifecycle::model(engine.world()).remove(0);
    assert_eq!((web.state, web.exit_code), (LifeState::Exited, Some(0)));
    engine.run("docker start web");
    engine.run("docker kill web");
    let web = lifecycle::model(engine.world()).remove(0);
    assert_eq!((web.state, web.exit_code), (LifeState::Exited, Some(137)));
    assert!(web.exit_meaning().unwrap().contains("SIGKILL"));
}

#[test]
fn an_oom_kill_is_told_apart_from_docker_kill() {
    let engine = session(&[
        "mkdir app && cd app",
        "printf 'data = []\\ndef grow():\\n    data.append(1)\\nwhile True:\\n    grow()\\n# whalebox: leaks 200 MB/min\\n' > app.py",
        "printf 'FROM python:3.12-slim\\nCOPY app.py .\\nCMD [\"python\", \"app.py\"]\\n' > Dockerfile",
        "docker build -t leaky .",
        "docker run -d --name leaky --memory 64m leaky",
        "sim advance 5m",
    ]);
    let leaky = lifecycle::model(engine.world()).remove(0);
    assert_eq!((leaky.state, leaky.exit_code, leaky.oom_killed), (LifeState::Exited, Some(137), true));
    assert!(leaky.exit_meaning().unwrap().contains("OOM"));
    let ns = namespaces::model(engine.world(), "leaky").unwrap();
    assert!(ns.oom_killed);
    assert_eq!(ns.memory_limit, Some(64 * 1024 * 1024));
}

#[test]
fn exit_codes_are_explained() {
    assert!(lifecycle::exit_meaning(0, false).starts_with("success"));
    assert!(lifecycle::exit_meaning(127, false).contains("not found"));
    assert!(lifecycle::exit_meaning(143, false).contains("SIGTERM"));
    assert!(lifecycle::exit_meaning(139, false).contains("segmentation"));
}

#[test]
fn network_model_shows_user_networks_ips_and_published_ports() {
    let engine = session(&[
        "docker network create appnet",
        "docker network create --internal backend",
        "docker run -d --name web --network appnet -p 8080:80 nginx",
        "docker run -d --name cache --network appnet redis",
    ]);
    let model = network::model(engine.world(), "", &[]);
    let appnet = model.networks.iter().find(|n| n.name == "appnet").unwrap();
    assert!(appnet.dns && !appnet.internal);
    assert_eq!(appnet.subnet, "172.18.0.0/16");
    let names: Vec<(&str, &str)> = appnet.nodes.iter().map(|n| (n.name.as_str(), n.ip.as_str())).collect();
    assert!(names.contains(&("web", "172.18.0.2")) && names.contains(&("cache", "172.18.0.3")), "{names:?}");
    assert!(model.networks.iter().find(|n| n.name == "backend").unwrap().internal);
    assert!(!model.networks.iter().any(|n| n.name == "none"));
    assert_eq!(model.ports, [network::PortMap { container: "web".into(), host: "0.0.0.0:8080".into(), target: "80/tcp".into() }]);
}

#[test]
fn a_lookup_from_a_container_is_answered_on_a_shared_network_and_fails_on_the_default_bridge() {
    let mut engine = session(&[
        "docker network create appnet",
        "docker run -d --name web --network appnet nginx",
        "docker run -d --name client --network appnet alpine sleep infinity",
        "docker run -d --name loner alpine sleep infinity",
    ]);
    let query = network::dns_query(engine.world(), "docker exec client ping -c 1 web", &[]).unwrap();
    assert_eq!((query.from.as_str(), query.name.as_str(), query.answer.as_deref()), ("client", "web", Some("172.18.0.2")));
    let output: Vec<String> = engine.run("docker exec loner ping -c 1 web").output.into_iter().map(|l| l.text).collect();
    let query = network::dns_query(engine.world(), "docker exec loner ping -c 1 web", &output).unwrap();
    assert_eq!(query.answer, None, "{output:?}");
    assert_eq!(network::dns_query(engine.world(), "docker ps", &[]), None);
}

#[test]
fn compose_containers_are_grouped_by_project() {
    let engine = session(&[
        "mkdir shop && cd shop",
        "printf 'services:\\n  web:\\n    image: nginx\\n  cache:\\n    image: redis\\n' > compose.yaml",
        "docker compose up -d",
    ]);
    let model = network::model(engine.world(), "", &[]);
    let mut members = model.projects["shop"].clone();
    members.sort();
    assert_eq!(members, ["shop-cache-1", "shop-web-1"]);
    assert!(model.networks.iter().any(|n| n.name == "shop_default"));
}

#[test]
fn architecture_of_a_run_reaches_runc_and_a_stopped_daemon_stops_at_the_socket() {
    let mut engine = Engine::new(1);
    let run = engine.run("docker run -d nginx");
    let model = architecture::model(&run.events).unwrap();
    assert!(model.answered);
    assert!(model.hops.iter().all(|(_, state)| *state == HopState::Reached));
    let ps = engine.run("docker ps");
    let states: Vec<HopState> = architecture::model(&ps.events).unwrap().hops.into_iter().map(|h| h.1).collect();
    assert_eq!(states[2], HopState::Reached);
    assert_eq!(states[3], HopState::Unreached);
    engine.run("sim daemon stop");
    let down = engine.run("docker run -d nginx");
    let model = architecture::model(&down.events).unwrap();
    assert!(!model.answered);
    let states: Vec<HopState> = model.hops.iter().map(|h| h.1).collect();
    assert_eq!(states, [HopState::Reached, HopState::Failed, HopState::Unreached, HopState::Unreached, HopState::Unreached, HopState::Unreached]);
    assert_eq!(architecture::model(&engine.run("ls").events), None);
}

#[test]
fn namespaces_compare_the_container_with_the_host() {
    let engine = session(&["docker run -d --name web nginx", "docker run -d --name hostnet --network host nginx"]);
    let web = namespaces::model(engine.world(), "web").unwrap();
    assert!(web.running && web.host_pid.is_some_and(|pid| pid > 1));
    // Docker gives each container its own namespaces except the user namespace (no userns-remap).
    let shared: Vec<&str> = web.namespaces.iter().filter(|row| row.shared()).map(|row| row.kind).collect();
    assert_eq!(shared, ["user"]);
    assert_eq!(web.hostname.len(), 12);
    assert_eq!(web.mounts[0].destination, "/");
    let hostnet = namespaces::model(engine.world(), "hostnet").unwrap();
    assert!(hostnet.namespaces.iter().any(|row| row.kind == "net" && row.shared()), "{:?}", hostnet.namespaces);
    assert_eq!(namespaces::model(engine.world(), "nope"), None);
}

#[test]
fn volumes_say_what_survives_rm() {
    let engine = session(&[
        "docker volume create data",
        "mkdir site",
        "docker run -d --name db -v data:/var/lib/data -v /scratch -v ./site:/srv --tmpfs /tmp alpine sleep infinity",
    ]);
    let model = volumes::model(engine.world());
    let db = &model.containers[0];
    let survival: Vec<(&str, Survival)> = db.rows.iter().map(|r| (r.kind, r.survival)).collect();
    assert!(survival.contains(&("volume", Survival::Survives)), "{survival:?}");
    assert!(survival.contains(&("anonymous volume", Survival::GoesWithRmV)));
    assert!(survival.contains(&("bind", Survival::Survives)));
    assert!(survival.contains(&("tmpfs", Survival::GoneOnStop)));
    assert_eq!(survival.last(), Some(&("writable layer", Survival::GoesWithContainer)));
    let data = model.volumes.iter().find(|v| v.name == "data").unwrap();
    assert_eq!(data.users, ["db"]);
    assert!(!data.anonymous);
}

#[test]
fn health_probes_and_restarts_reach_the_lifecycle_model() {
    let engine = session(&[
        "docker run -d --name checked --health-cmd 'exit 1' --health-interval 5s --health-retries 2 alpine sleep infinity",
        "docker run -d --name crashy --restart on-failure:3 alpine sh -c 'exit 3'",
        "sim advance 2m",
    ]);
    let model = lifecycle::model(engine.world());
    let checked = model.iter().find(|c| c.name == "checked").unwrap();
    let health = checked.health.as_ref().unwrap();
    assert_eq!(health.status, "unhealthy");
    assert!(health.probes.len() >= 2 && health.probes.iter().all(|p| p.exit_code == 1), "{:?}", health.probes);
    assert!(health.probes.windows(2).all(|w| w[0].at_seconds < w[1].at_seconds));
    let crashy = model.iter().find(|c| c.name == "crashy").unwrap();
    assert_eq!((crashy.state, crashy.exit_code, crashy.restart_count), (LifeState::Exited, Some(3), 3));
    assert_eq!(crashy.restart_policy, "on-failure");
}

#[test]
fn sizes_read_as_docker_images_prints_them() {
    use super::human_size;
    assert_eq!(human_size(17), "17B");
    assert_eq!(human_size(1_620), "1.62kB");
    assert_eq!(human_size(41_017_460), "41.0MB");
    assert_eq!(human_size(130_717_683), "131MB");
}
