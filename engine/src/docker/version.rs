//! `docker version`: client and (simulated) server versions, as Docker 28.2.2 on Linux prints them.

use super::flags::{Args, CommandSpec, Parsed};
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec {
    path: "docker version",
    help: include_str!("help/version.txt"),
    args: Args::None,
    interspersed: true,
};

pub const CLIENT_VERSION: &str = "28.2.2";
pub const CLIENT_COMMIT: &str = "e6534b4";

/// The client half, which `docker version` prints even when the daemon is down.
pub const CLIENT_SECTION: &str = "\
Client: Docker Engine - Community
 Version:           28.2.2
 API version:       1.50
 Go version:        go1.24.3
 Git commit:        e6534b4
 Built:             Fri May 30 12:07:14 2025
 OS/Arch:           linux/amd64
 Context:           default";

const SERVER_SECTION: &str = "\
Server: Docker Engine - Community
 Engine:
  Version:          28.2.2
  API version:      1.50 (minimum version 1.24)
  Go version:       go1.24.3
  Git commit:       45873be
  Built:            Fri May 30 12:07:14 2025
  OS/Arch:          linux/amd64
  Experimental:     false
 containerd:
  Version:          1.7.27
  GitCommit:        05044ec0a9a75232cad458027ca83437aae3f4da
 runc:
  Version:          1.2.5
  GitCommit:        v1.2.5-0-g59923ef
 docker-init:
  Version:          0.19.0
  GitCommit:        de40ad0
";

pub fn run(_world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.is_set("format") {
        outcome.err("whalebox: 'docker version --format' is not modelled yet; showing the default output");
    }
    outcome.out_block(CLIENT_SECTION);
    outcome.out("");
    outcome.out_block(SERVER_SECTION);
    outcome
}
