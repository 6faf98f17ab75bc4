//! The docker command tree: every command and subcommand the real CLI lists, with its `--help`
//! recorded from Docker 28.2.2 (`help/*.txt`), whether or not the simulator models it yet.

use super::flags::Args;

/// `(command path, help text)`, in file-name order.
pub const HELP: &[(&str, &str)] = &[
    ("docker attach", include_str!("help/attach.txt")),
    ("docker build", include_str!("help/build.txt")),
    ("docker builder", include_str!("help/builder.txt")),
    ("docker builder build", include_str!("help/build.txt")),
    // buildx was not installed where help was recorded: its group help follows buildx's docs.
    ("docker buildx", include_str!("help/buildx.txt")),
    ("docker buildx build", include_str!("help/build.txt")),
    ("docker buildx prune", include_str!("help/builder_prune.txt")),
    ("docker builder prune", include_str!("help/builder_prune.txt")),
    ("docker checkpoint", include_str!("help/checkpoint.txt")),
    ("docker checkpoint create", include_str!("help/checkpoint_create.txt")),
    ("docker checkpoint ls", include_str!("help/checkpoint_ls.txt")),
    ("docker checkpoint rm", include_str!("help/checkpoint_rm.txt")),
    ("docker commit", include_str!("help/commit.txt")),
    ("docker compose", include_str!("help/compose.txt")),
    ("docker compose build", include_str!("help/compose_build.txt")),
    ("docker compose config", include_str!("help/compose_config.txt")),
    ("docker compose create", include_str!("help/compose_create.txt")),
    ("docker compose down", include_str!("help/compose_down.txt")),
    ("docker compose exec", include_str!("help/compose_exec.txt")),
    ("docker compose kill", include_str!("help/compose_kill.txt")),
    ("docker compose logs", include_str!("help/compose_logs.txt")),
    ("docker compose ls", include_str!("help/compose_ls.txt")),
    ("docker compose ps", include_str!("help/compose_ps.txt")),
    ("docker compose pull", include_str!("help/compose_pull.txt")),
    ("docker compose restart", include_str!("help/compose_restart.txt")),
    ("docker compose rm", include_str!("help/compose_rm.txt")),
    ("docker compose run", include_str!("help/compose_run.txt")),
    ("docker compose start", include_str!("help/compose_start.txt")),
    ("docker compose stop", include_str!("help/compose_stop.txt")),
    ("docker compose up", include_str!("help/compose_up.txt")),
    ("docker config", include_str!("help/config.txt")),
    ("docker config create", include_str!("help/config_create.txt")),
    ("docker config inspect", include_str!("help/config_inspect.txt")),
    ("docker config ls", include_str!("help/config_ls.txt")),
    ("docker config rm", include_str!("help/config_rm.txt")),
    ("docker container", include_str!("help/container.txt")),
    ("docker container attach", include_str!("help/container_attach.txt")),
    ("docker container commit", include_str!("help/container_commit.txt")),
    ("docker container cp", include_str!("help/container_cp.txt")),
    ("docker container create", include_str!("help/container_create.txt")),
    ("docker container diff", include_str!("help/container_diff.txt")),
    ("docker container exec", include_str!("help/container_exec.txt")),
    ("docker container export", include_str!("help/container_export.txt")),
    ("docker container inspect", include_str!("help/container_inspect.txt")),
    ("docker container kill", include_str!("help/container_kill.txt")),
    ("docker container logs", include_str!("help/container_logs.txt")),
    ("docker container ls", include_str!("help/container_ls.txt")),
    ("docker container pause", include_str!("help/container_pause.txt")),
    ("docker container port", include_str!("help/container_port.txt")),
    ("docker container prune", include_str!("help/container_prune.txt")),
    ("docker container rename", include_str!("help/container_rename.txt")),
    ("docker container restart", include_str!("help/container_restart.txt")),
    ("docker container rm", include_str!("help/container_rm.txt")),
    ("docker container run", include_str!("help/container_run.txt")),
    ("docker container start", include_str!("help/container_start.txt")),
    ("docker container stats", include_str!("help/container_stats.txt")),
    ("docker container stop", include_str!("help/container_stop.txt")),
    ("docker container top", include_str!("help/container_top.txt")),
    ("docker container unpause", include_str!("help/container_unpause.txt")),
    ("docker container update", include_str!("help/container_update.txt")),
    ("docker container wait", include_str!("help/container_wait.txt")),
    ("docker context", include_str!("help/context.txt")),
    ("docker context create", include_str!("help/context_create.txt")),
    ("docker context export", include_str!("help/context_export.txt")),
    ("docker context import", include_str!("help/context_import.txt")),
    ("docker context inspect", include_str!("help/context_inspect.txt")),
    ("docker context ls", include_str!("help/context_ls.txt")),
    ("docker context rm", include_str!("help/context_rm.txt")),
    ("docker context show", include_str!("help/context_show.txt")),
    ("docker context update", include_str!("help/context_update.txt")),
    ("docker context use", include_str!("help/context_use.txt")),
    ("docker cp", include_str!("help/cp.txt")),
    ("docker create", include_str!("help/create.txt")),
    ("docker diff", include_str!("help/diff.txt")),
    ("docker events", include_str!("help/events.txt")),
    ("docker exec", include_str!("help/exec.txt")),
    ("docker export", include_str!("help/export.txt")),
    ("docker history", include_str!("help/history.txt")),
    ("docker image", include_str!("help/image.txt")),
    ("docker image build", include_str!("help/build.txt")),
    ("docker image history", include_str!("help/image_history.txt")),
    ("docker image import", include_str!("help/image_import.txt")),
    ("docker image inspect", include_str!("help/image_inspect.txt")),
    ("docker image load", include_str!("help/image_load.txt")),
    ("docker image ls", include_str!("help/image_ls.txt")),
    ("docker image prune", include_str!("help/image_prune.txt")),
    ("docker image pull", include_str!("help/image_pull.txt")),
    ("docker image push", include_str!("help/image_push.txt")),
    ("docker image rm", include_str!("help/image_rm.txt")),
    ("docker image save", include_str!("help/image_save.txt")),
    ("docker image tag", include_str!("help/image_tag.txt")),
    ("docker images", include_str!("help/images.txt")),
    ("docker import", include_str!("help/import.txt")),
    ("docker info", include_str!("help/info.txt")),
    ("docker inspect", include_str!("help/inspect.txt")),
    ("docker kill", include_str!("help/kill.txt")),
    ("docker load", include_str!("help/load.txt")),
    ("docker login", include_str!("help/login.txt")),
    ("docker logout", include_str!("help/logout.txt")),
    ("docker logs", include_str!("help/logs.txt")),
    ("docker manifest", include_str!("help/manifest.txt")),
    ("docker manifest annotate", include_str!("help/manifest_annotate.txt")),
    ("docker manifest create", include_str!("help/manifest_create.txt")),
    ("docker manifest inspect", include_str!("help/manifest_inspect.txt")),
    ("docker manifest push", include_str!("help/manifest_push.txt")),
    ("docker manifest rm", include_str!("help/manifest_rm.txt")),
    ("docker network", include_str!("help/network.txt")),
    ("docker network connect", include_str!("help/network_connect.txt")),
    ("docker network create", include_str!("help/network_create.txt")),
    ("docker network disconnect", include_str!("help/network_disconnect.txt")),
    ("docker network inspect", include_str!("help/network_inspect.txt")),
    ("docker network ls", include_str!("help/network_ls.txt")),
    ("docker network prune", include_str!("help/network_prune.txt")),
    ("docker network rm", include_str!("help/network_rm.txt")),
    ("docker node", include_str!("help/node.txt")),
    ("docker node demote", include_str!("help/node_demote.txt")),
    ("docker node inspect", include_str!("help/node_inspect.txt")),
    ("docker node ls", include_str!("help/node_ls.txt")),
    ("docker node promote", include_str!("help/node_promote.txt")),
    ("docker node ps", include_str!("help/node_ps.txt")),
    ("docker node rm", include_str!("help/node_rm.txt")),
    ("docker node update", include_str!("help/node_update.txt")),
    ("docker pause", include_str!("help/pause.txt")),
    ("docker plugin", include_str!("help/plugin.txt")),
    ("docker plugin create", include_str!("help/plugin_create.txt")),
    ("docker plugin disable", include_str!("help/plugin_disable.txt")),
    ("docker plugin enable", include_str!("help/plugin_enable.txt")),
    ("docker plugin inspect", include_str!("help/plugin_inspect.txt")),
    ("docker plugin install", include_str!("help/plugin_install.txt")),
    ("docker plugin ls", include_str!("help/plugin_ls.txt")),
    ("docker plugin push", include_str!("help/plugin_push.txt")),
    ("docker plugin rm", include_str!("help/plugin_rm.txt")),
    ("docker plugin set", include_str!("help/plugin_set.txt")),
    ("docker plugin upgrade", include_str!("help/plugin_upgrade.txt")),
    ("docker port", include_str!("help/port.txt")),
    ("docker ps", include_str!("help/ps.txt")),
    ("docker pull", include_str!("help/pull.txt")),
    ("docker push", include_str!("help/push.txt")),
    ("docker rename", include_str!("help/rename.txt")),
    ("docker restart", include_str!("help/restart.txt")),
    ("docker rm", include_str!("help/rm.txt")),
    ("docker rmi", include_str!("help/rmi.txt")),
    ("docker run", include_str!("help/run.txt")),
    ("docker save", include_str!("help/save.txt")),
    ("docker scout", include_str!("help/scout.txt")),
    ("docker scout cves", include_str!("help/scout_cves.txt")),
    ("docker scout quickview", include_str!("help/scout_quickview.txt")),
    ("docker search", include_str!("help/search.txt")),
    ("docker secret", include_str!("help/secret.txt")),
    ("docker secret create", include_str!("help/secret_create.txt")),
    ("docker secret inspect", include_str!("help/secret_inspect.txt")),
    ("docker secret ls", include_str!("help/secret_ls.txt")),
    ("docker secret rm", include_str!("help/secret_rm.txt")),
    ("docker service", include_str!("help/service.txt")),
    ("docker service create", include_str!("help/service_create.txt")),
    ("docker service inspect", include_str!("help/service_inspect.txt")),
    ("docker service logs", include_str!("help/service_logs.txt")),
    ("docker service ls", include_str!("help/service_ls.txt")),
    ("docker service ps", include_str!("help/service_ps.txt")),
    ("docker service rm", include_str!("help/service_rm.txt")),
    ("docker service rollback", include_str!("help/service_rollback.txt")),
    ("docker service scale", include_str!("help/service_scale.txt")),
    ("docker service update", include_str!("help/service_update.txt")),
    ("docker stack", include_str!("help/stack.txt")),
    ("docker stack config", include_str!("help/stack_config.txt")),
    ("docker stack deploy", include_str!("help/stack_deploy.txt")),
    ("docker stack ls", include_str!("help/stack_ls.txt")),
    ("docker stack ps", include_str!("help/stack_ps.txt")),
    ("docker stack rm", include_str!("help/stack_rm.txt")),
    ("docker stack services", include_str!("help/stack_services.txt")),
    ("docker start", include_str!("help/start.txt")),
    ("docker stats", include_str!("help/stats.txt")),
    ("docker stop", include_str!("help/stop.txt")),
    ("docker swarm", include_str!("help/swarm.txt")),
    ("docker swarm ca", include_str!("help/swarm_ca.txt")),
    ("docker swarm init", include_str!("help/swarm_init.txt")),
    ("docker swarm join", include_str!("help/swarm_join.txt")),
    ("docker swarm join-token", include_str!("help/swarm_join_token.txt")),
    ("docker swarm leave", include_str!("help/swarm_leave.txt")),
    ("docker swarm unlock-key", include_str!("help/swarm_unlock-key.txt")),
    ("docker swarm unlock", include_str!("help/swarm_unlock.txt")),
    ("docker swarm update", include_str!("help/swarm_update.txt")),
    ("docker system", include_str!("help/system.txt")),
    ("docker system df", include_str!("help/system_df.txt")),
    ("docker system events", include_str!("help/system_events.txt")),
    ("docker system info", include_str!("help/system_info.txt")),
    ("docker system prune", include_str!("help/system_prune.txt")),
    ("docker tag", include_str!("help/tag.txt")),
    ("docker top", include_str!("help/top.txt")),
    ("docker trust", include_str!("help/trust.txt")),
    ("docker trust inspect", include_str!("help/trust_inspect.txt")),
    ("docker trust key", include_str!("help/trust_key.txt")),
    ("docker trust key generate", include_str!("help/trust_key_generate.txt")),
    ("docker trust key load", include_str!("help/trust_key_load.txt")),
    ("docker trust revoke", include_str!("help/trust_revoke.txt")),
    ("docker trust sign", include_str!("help/trust_sign.txt")),
    ("docker trust signer", include_str!("help/trust_signer.txt")),
    ("docker trust signer add", include_str!("help/trust_signer_add.txt")),
    ("docker trust signer remove", include_str!("help/trust_signer_remove.txt")),
    ("docker unpause", include_str!("help/unpause.txt")),
    ("docker update", include_str!("help/update.txt")),
    ("docker version", include_str!("help/version.txt")),
    ("docker volume", include_str!("help/volume.txt")),
    ("docker volume create", include_str!("help/volume_create.txt")),
    ("docker volume inspect", include_str!("help/volume_inspect.txt")),
    ("docker volume ls", include_str!("help/volume_ls.txt")),
    ("docker volume prune", include_str!("help/volume_prune.txt")),
    ("docker volume rm", include_str!("help/volume_rm.txt")),
    ("docker volume update", include_str!("help/volume_update.txt")),
    ("docker wait", include_str!("help/wait.txt")),
];

/// Each command's argument count as cobra checks it, recorded by running the 28.2.2 CLI with no
/// arguments (a command missing here takes any number; "accepts no arguments" needs an argument to
/// show, so those commands are missing too).
pub const ARGS: &[(&str, Args)] = &[
    ("docker attach", Args::Exactly(1)),
    ("docker checkpoint create", Args::Exactly(2)),
    ("docker checkpoint ls", Args::Exactly(1)),
    ("docker checkpoint rm", Args::Exactly(2)),
    ("docker commit", Args::Range(1, 2)),
    ("docker config create", Args::Exactly(2)),
    ("docker config inspect", Args::AtLeast(1)),
    ("docker config rm", Args::AtLeast(1)),
    ("docker container attach", Args::Exactly(1)),
    ("docker container commit", Args::Range(1, 2)),
    ("docker container cp", Args::Exactly(2)),
    ("docker container create", Args::AtLeast(1)),
    ("docker container diff", Args::Exactly(1)),
    ("docker container exec", Args::AtLeast(2)),
    ("docker container export", Args::Exactly(1)),
    ("docker container inspect", Args::AtLeast(1)),
    ("docker container kill", Args::AtLeast(1)),
    ("docker container logs", Args::Exactly(1)),
    ("docker container pause", Args::AtLeast(1)),
    ("docker container port", Args::Range(1, 2)),
    ("docker container rename", Args::Exactly(2)),
    ("docker container restart", Args::AtLeast(1)),
    ("docker container rm", Args::AtLeast(1)),
    ("docker container run", Args::AtLeast(1)),
    ("docker container start", Args::AtLeast(1)),
    ("docker container stop", Args::AtLeast(1)),
    ("docker container top", Args::AtLeast(1)),
    ("docker container unpause", Args::AtLeast(1)),
    ("docker container update", Args::AtLeast(1)),
    ("docker container wait", Args::AtLeast(1)),
    ("docker context create", Args::Exactly(1)),
    ("docker context export", Args::Range(1, 2)),
    ("docker context import", Args::Exactly(2)),
    ("docker context rm", Args::AtLeast(1)),
    ("docker context update", Args::Exactly(1)),
    ("docker cp", Args::Exactly(2)),
    ("docker create", Args::AtLeast(1)),
    ("docker diff", Args::Exactly(1)),
    ("docker exec", Args::AtLeast(2)),
    ("docker export", Args::Exactly(1)),
    ("docker history", Args::Exactly(1)),
    ("docker image history", Args::Exactly(1)),
    ("docker image import", Args::AtLeast(1)),
    ("docker image inspect", Args::AtLeast(1)),
    ("docker image pull", Args::Exactly(1)),
    ("docker image push", Args::Exactly(1)),
    ("docker image rm", Args::AtLeast(1)),
    ("docker image save", Args::AtLeast(1)),
    ("docker image tag", Args::Exactly(2)),
    ("docker import", Args::AtLeast(1)),
    ("docker inspect", Args::AtLeast(1)),
    ("docker kill", Args::AtLeast(1)),
    ("docker logs", Args::Exactly(1)),
    ("docker manifest annotate", Args::Exactly(2)),
    ("docker manifest create", Args::AtLeast(2)),
    ("docker manifest inspect", Args::Range(1, 2)),
    ("docker manifest push", Args::Exactly(1)),
    ("docker manifest rm", Args::AtLeast(1)),
    ("docker network connect", Args::Exactly(2)),
    ("docker network create", Args::Exactly(1)),
    ("docker network disconnect", Args::Exactly(2)),
    ("docker network inspect", Args::AtLeast(1)),
    ("docker network rm", Args::AtLeast(1)),
    ("docker node demote", Args::AtLeast(1)),
    ("docker node inspect", Args::AtLeast(1)),
    ("docker node promote", Args::AtLeast(1)),
    ("docker node rm", Args::AtLeast(1)),
    ("docker node update", Args::Exactly(1)),
    ("docker pause", Args::AtLeast(1)),
    ("docker plugin create", Args::AtLeast(2)),
    ("docker plugin disable", Args::Exactly(1)),
    ("docker plugin enable", Args::Exactly(1)),
    ("docker plugin inspect", Args::AtLeast(1)),
    ("docker plugin install", Args::AtLeast(1)),
    ("docker plugin push", Args::Exactly(1)),
    ("docker plugin rm", Args::AtLeast(1)),
    ("docker plugin set", Args::AtLeast(2)),
    ("docker plugin upgrade", Args::Range(1, 2)),
    ("docker port", Args::Range(1, 2)),
    ("docker pull", Args::Exactly(1)),
    ("docker push", Args::Exactly(1)),
    ("docker rename", Args::Exactly(2)),
    ("docker restart", Args::AtLeast(1)),
    ("docker rm", Args::AtLeast(1)),
    ("docker rmi", Args::AtLeast(1)),
    ("docker run", Args::AtLeast(1)),
    ("docker save", Args::AtLeast(1)),
    ("docker search", Args::Exactly(1)),
    ("docker secret create", Args::Range(1, 2)),
    ("docker secret inspect", Args::AtLeast(1)),
    ("docker secret rm", Args::AtLeast(1)),
    ("docker service create", Args::AtLeast(1)),
    ("docker service inspect", Args::AtLeast(1)),
    ("docker service logs", Args::Exactly(1)),
    ("docker service ps", Args::AtLeast(1)),
    ("docker service rm", Args::AtLeast(1)),
    ("docker service rollback", Args::Exactly(1)),
    ("docker service scale", Args::AtLeast(1)),
    ("docker service update", Args::Exactly(1)),
    ("docker stack deploy", Args::Exactly(1)),
    ("docker stack ps", Args::Exactly(1)),
    ("docker stack rm", Args::AtLeast(1)),
    ("docker stack services", Args::Exactly(1)),
    ("docker start", Args::AtLeast(1)),
    ("docker stop", Args::AtLeast(1)),
    ("docker swarm join", Args::Exactly(1)),
    ("docker swarm join-token", Args::Exactly(1)),
    ("docker tag", Args::Exactly(2)),
    ("docker top", Args::AtLeast(1)),
    ("docker trust inspect", Args::AtLeast(1)),
    ("docker trust key generate", Args::Exactly(1)),
    ("docker trust key load", Args::Exactly(1)),
    ("docker trust revoke", Args::Exactly(1)),
    ("docker trust sign", Args::Exactly(1)),
    ("docker trust signer add", Args::AtLeast(2)),
    ("docker trust signer remove", Args::AtLeast(2)),
    ("docker unpause", Args::AtLeast(1)),
    ("docker update", Args::AtLeast(1)),
    ("docker volume inspect", Args::AtLeast(1)),
    ("docker volume rm", Args::AtLeast(1)),
    ("docker volume update", Args::Exactly(1)),
    ("docker wait", Args::AtLeast(1)),
];

/// The recorded argument rule of the command at `full` (`docker attach`).
pub fn args_of(full: &str) -> Args {
    ARGS.iter().find(|(p, _)| *p == full).map_or(Args::AtLeast(0), |(_, args)| *args)
}

/// The help text of `docker PATH` (`"container ls"`), or `docker --help` for the empty path.
pub fn help_of(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some(include_str!("help/docker.txt"));
    }
    entry(path).map(|(_, help)| help)
}

/// The command `docker PATH` names, by its own path or one of its aliases (`container list` is
/// `container ls`): its full path (`docker container ls`) and help.
pub fn entry(path: &str) -> Option<(&'static str, &'static str)> {
    let full = format!("docker {path}");
    HELP.iter()
        .find(|(p, _)| *p == full)
        .or_else(|| HELP.iter().find(|(p, help)| p.starts_with("docker ") && path.contains(' ') && aliases(help).contains(&full.as_str())))
        .copied()
}

/// The subcommands `docker PATH` lists in its help (`Commands:`/`Management Commands:` and, at
/// the top, every section), plus the plugins Whalebox models (`compose`, `buildx`, `scout`).
pub fn subcommands(path: &str) -> Vec<&'static str> {
    let Some(help) = help_of(path) else { return Vec::new() };
    let mut names: Vec<&'static str> = Vec::new();
    let mut listing = false;
    for line in help.lines() {
        if line.ends_with("Commands:") {
            listing = true;
            continue;
        }
        if line.is_empty() {
            listing = false;
            continue;
        }
        if listing {
            if let Some(name) = line.strip_prefix("  ").and_then(|l| l.split_whitespace().next()) {
                names.push(name.trim_end_matches('*'));
            }
        }
    }
    if path.is_empty() {
        names.extend(["buildx", "compose", "scout"]);
    }
    names
}

/// The `docker PATH` help's Aliases line split into paths (`docker container ls, docker ps`).
pub fn aliases(help: &str) -> Vec<&str> {
    let mut lines = help.lines().skip_while(|l| *l != "Aliases:");
    lines.next();
    lines.next().map_or_else(Vec::new, |l| l.trim().split(", ").collect())
}

/// Long and short names (`--all`, `-a`) of the flags in a help text's option table.
pub fn flag_words(help: &str) -> Vec<String> {
    let mut words = Vec::new();
    for flag in super::flags::flag_table(help) {
        words.push(format!("--{}", flag.long));
        if let Some(short) = flag.short {
            words.push(format!("-{short}"));
        }
    }
    words
}

/// Each flag as (long name, shorthand, whether it takes a value).
pub fn flag_kinds(help: &str) -> Vec<(String, Option<char>, bool)> {
    super::flags::flag_table(help).into_iter().map(|f| (f.long, f.short, f.kind.is_some())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_command_has_recorded_help() {
        for command in subcommands("") {
            // Plugins: compose's and scout's help follow their reference docs and cover the
            // commands Whalebox models; buildx was not installed where help was recorded.
            if ["buildx", "compose", "scout"].contains(&command) {
                continue;
            }
            let help = help_of(command).unwrap_or_else(|| panic!("no help for docker {command}"));
            assert!(help.starts_with(&format!("Usage:  docker {command}")), "{command}");
            for sub in subcommands(command) {
                let path = format!("{command} {sub}");
                let help = help_of(&path).unwrap_or_else(|| panic!("no help for docker {path}"));
                let full = format!("docker {path}");
                assert!(help.starts_with(&format!("Usage:  {full}")) || aliases(help).contains(&full.as_str()), "{path}");
            }
        }
    }

    #[test]
    fn recorded_argument_rules() {
        assert!(matches!(args_of("docker attach"), Args::Exactly(1)));
        assert!(matches!(args_of("docker commit"), Args::Range(1, 2)));
        // A probe with no arguments cannot see "accepts no arguments": those take any number.
        assert!(matches!(args_of("docker ps"), Args::AtLeast(0)));
        assert!(matches!(args_of("docker trust key generate"), Args::Exactly(1)));
    }

    #[test]
    fn aliases_and_flags_come_from_the_help() {
        assert_eq!(aliases(help_of("container ls").unwrap()), ["docker container ls", "docker container list", "docker container ps", "docker ps"]);
        let flags = flag_words(help_of("container ls").unwrap());
        assert!(flags.contains(&"--all".to_string()) && flags.contains(&"-a".to_string()));
        assert_eq!(subcommands("volume"), ["create", "inspect", "ls", "prune", "rm", "update"]);
        assert!(subcommands("buildx").contains(&"imagetools"));
    }
}
