//! Docker's bridge networking built for real: a network namespace that plays the Docker host,
//! Linux bridges in it (a user-defined network with embedded DNS, and a `docker0`-like default
//! bridge without it), one namespace per container joined by a veth pair, and a `-p` port
//! published with a DNAT rule.
//!
//! Nothing is made in the real host's namespace: every link, address and rule lives in the
//! `whalebox-<pid>-host` namespace or a container's, so the demo cannot disturb the machine's
//! own networking, and parallel runs (each with its own pid) cannot collide. The kernel is
//! reached only through [`NetOps`]; [`RecordingOps`] stands in for it in the unit tests.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::path::{Path, PathBuf};

use super::dns::{DnsServer, Table};

/// Linux's limit on interface names (IFNAMSIZ minus the terminating NUL).
pub const IFNAME_MAX: usize = 15;

/// What a program printed and whether it succeeded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// The kernel-facing calls of the network demo.
pub trait NetOps {
    /// Runs a program to its end (`ip`, `iptables`, `nslookup` under `ip netns exec`). A
    /// non-zero exit is an `Ok` output with `success: false`; `Err` means it could not start.
    fn run(&mut self, argv: &[String]) -> io::Result<Output>;
    /// Starts a long-running program (a container's server) and returns a handle for [`stop`].
    ///
    /// [`stop`]: NetOps::stop
    fn spawn(&mut self, argv: &[String]) -> io::Result<u32>;
    /// Kills a program from [`NetOps::spawn`] and waits for it.
    fn stop(&mut self, handle: u32) -> io::Result<()>;
    /// A UDP socket bound to `address` inside the named network namespace (`setns` on a
    /// thread of its own, so the rest of the process stays where it is).
    fn udp_socket_in(&mut self, netns: &str, address: SocketAddrV4) -> io::Result<UdpSocket>;
    /// Writes a file, making its folder first.
    fn write_file(&mut self, path: &Path, contents: &str) -> io::Result<()>;
    /// Removes a folder and what is in it.
    fn remove_dir(&mut self, path: &Path) -> io::Result<()>;
    /// Whether a program is on `PATH`.
    fn has_program(&self, name: &str) -> bool;
}

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("`{command}` failed: {message}")]
    Failed { command: String, message: String },
    #[error("{what}: {source}")]
    Io { what: String, source: io::Error },
}

/// One container of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPlan {
    pub name: String,
    /// The named network namespace (`/run/netns/…`) that is the container.
    pub netns: String,
    pub ip: Ipv4Addr,
    /// The host end of the veth pair, enslaved to the bridge (Docker's `vethXXXX`); the other
    /// end is `eth0` inside the container.
    pub host_veth: String,
}

/// One bridge network of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPlan {
    /// What `docker network ls` would call it.
    pub docker_name: String,
    /// The Linux bridge (Docker's `br-<id>` or `docker0`).
    pub bridge: String,
    pub gateway: Ipv4Addr,
    pub prefix_len: u8,
    /// Whether containers get the embedded DNS at 127.0.0.11 (user-defined networks only).
    pub embedded_dns: bool,
    pub containers: Vec<ContainerPlan>,
}

impl NetworkPlan {
    pub fn subnet(&self) -> String {
        let [a, b, c, _] = self.gateway.octets();
        format!("{a}.{b}.{c}.0/{}", self.prefix_len)
    }
}

/// Everything the demo will make, named after one process id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub pid: u32,
    /// The namespace playing the Docker host: bridges, DNAT rules and the LAN side live here.
    pub host_netns: String,
    /// `docker network create demo`: embedded DNS.
    pub user: NetworkPlan,
    /// The default `bridge` network (`docker0`): no embedded DNS.
    pub default: NetworkPlan,
    /// A machine on the LAN that sends the request to the published port.
    pub client_netns: String,
    /// The Docker host's LAN interface and address (the request goes to it).
    pub lan_veth: String,
    pub lan_host_ip: Ipv4Addr,
    pub lan_client_ip: Ipv4Addr,
    /// The folder busybox httpd serves from.
    pub www_dir: PathBuf,
}

/// The embedded resolver's address in every container of a user-defined network.
pub const EMBEDDED_DNS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 11);

impl Plan {
    /// The plan for `count` containers (`web`, `db`, `cache`) on the user-defined network and
    /// two (`web2`, `db2`) on the default bridge, in 10.89.0.0/16 (clear of Docker's
    /// 172.17/16 and of whatever the machine itself uses, though nothing here reaches it).
    pub fn new(pid: u32, count: usize) -> Plan {
        let user_names = ["web", "db", "cache"];
        let container = |name: &str, prefix: [u8; 3], index: usize, tag: char| {
            let [a, b, c] = prefix;
            ContainerPlan {
                name: name.to_string(),
                netns: format!("whalebox-{pid}-{name}"),
                ip: Ipv4Addr::new(a, b, c, 2 + index as u8),
                host_veth: format!("wb{pid}{tag}{}h", index + 1),
            }
        };
        let user = NetworkPlan {
            docker_name: "demo".into(),
            bridge: format!("wb{pid}br1"),
            gateway: Ipv4Addr::new(10, 89, 1, 1),
            prefix_len: 24,
            embedded_dns: true,
            containers: user_names.iter().take(count.clamp(2, 3)).enumerate().map(|(i, n)| container(n, [10, 89, 1], i, 'c')).collect(),
        };
        let default = NetworkPlan {
            docker_name: "bridge".into(),
            bridge: format!("wb{pid}br0"),
            gateway: Ipv4Addr::new(10, 89, 2, 1),
            prefix_len: 24,
            embedded_dns: false,
            containers: ["web2", "db2"].iter().enumerate().map(|(i, n)| container(n, [10, 89, 2], i, 'd')).collect(),
        };
        Plan {
            pid,
            host_netns: format!("whalebox-{pid}-host"),
            user,
            default,
            client_netns: format!("whalebox-{pid}-client"),
            lan_veth: format!("wb{pid}lan"),
            lan_host_ip: Ipv4Addr::new(10, 89, 9, 1),
            lan_client_ip: Ipv4Addr::new(10, 89, 9, 2),
            www_dir: PathBuf::from(format!("/tmp/whalebox-{pid}-www")),
        }
    }

    /// Every interface name the plan makes (the ones in the host namespace; inside a
    /// container the veth end is `eth0`).
    pub fn interface_names(&self) -> Vec<String> {
        let mut names = vec![self.user.bridge.clone(), self.default.bridge.clone(), self.lan_veth.clone()];
        for net in [&self.user, &self.default] {
            names.extend(net.containers.iter().map(|c| c.host_veth.clone()));
        }
        names
    }

    pub fn network(&self, which: Net) -> &NetworkPlan {
        match which {
            Net::User => &self.user,
            Net::Default => &self.default,
        }
    }

    /// The resolv.conf a container on `net` sees. On a user-defined network it names the
    /// embedded DNS, as Docker writes it; on the default bridge Docker copies the host's
    /// resolvers, which here are a stand-in at the bridge's gateway that knows no container.
    pub fn resolv_conf(&self, which: Net) -> String {
        let net = self.network(which);
        if net.embedded_dns {
            format!("nameserver {EMBEDDED_DNS}\noptions ndots:0\n")
        } else {
            format!("nameserver {}\n", net.gateway)
        }
    }
}

/// Which of the plan's two networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Net {
    User,
    Default,
}

/// How a published port was wired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// The rule as it would be typed (`iptables -t nat -A PREROUTING …`).
    Rule(String),
    /// Neither iptables nor nft could add it: why.
    Unavailable(String),
}

#[derive(Debug)]
enum Undo {
    Run(Vec<String>),
    RemoveDir(PathBuf),
    Stop(u32),
    StopDns(usize),
}

/// The demo's network, made step by step; everything made is undone, newest first, by
/// [`Lab::cleanup`] or when the lab is dropped (an error, a panic, Ctrl-C).
#[derive(Debug)]
pub struct Lab<O: NetOps> {
    ops: O,
    pub plan: Plan,
    undo: Vec<Undo>,
    transcript: Vec<String>,
    dns: Vec<Option<DnsServer>>,
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// A command as a shell would take it back (single quotes where a word needs them).
pub fn shell_words(argv: &[String]) -> String {
    let mut text = String::new();
    for (i, word) in argv.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        let plain = !word.is_empty()
            && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@%+".contains(c));
        if plain {
            text.push_str(word);
        } else {
            let _ = write!(text, "'{}'", word.replace('\'', "'\\''"));
        }
    }
    text
}

impl<O: NetOps> Lab<O> {
    pub fn new(ops: O, plan: Plan) -> Lab<O> {
        Lab { ops, plan, undo: Vec::new(), transcript: Vec::new(), dns: Vec::new() }
    }

    pub fn ops(&self) -> &O {
        &self.ops
    }

    /// The commands run since the last call, as an instructor could retype them.
    pub fn take_transcript(&mut self) -> Vec<String> {
        std::mem::take(&mut self.transcript)
    }

    fn try_run(&mut self, words: Vec<String>) -> Result<Output, NetError> {
        let command = shell_words(&words);
        self.transcript.push(command.clone());
        self.ops.run(&words).map_err(|source| NetError::Io { what: command, source })
    }

    fn run(&mut self, words: Vec<String>) -> Result<Output, NetError> {
        let command = shell_words(&words);
        let output = self.try_run(words)?;
        if output.success {
            Ok(output)
        } else {
            let message = output.stderr.trim().to_string();
            Err(NetError::Failed { command, message: if message.is_empty() { "non-zero exit".into() } else { message } })
        }
    }

    /// Runs `words`, and once it worked remembers `undo` to run at cleanup.
    fn make(&mut self, words: Vec<String>, undo: Vec<String>) -> Result<(), NetError> {
        self.run(words)?;
        self.undo.push(Undo::Run(undo));
        Ok(())
    }

    fn write(&mut self, path: &Path, contents: &str, remove: &Path) -> Result<(), NetError> {
        self.transcript.push(format!("cat > {} <<'EOF'\n{}EOF", path.display(), contents));
        self.ops
            .write_file(path, contents)
            .map_err(|source| NetError::Io { what: format!("writing {}", path.display()), source })?;
        self.undo.push(Undo::RemoveDir(remove.to_path_buf()));
        Ok(())
    }

    fn netns_add(&mut self, name: &str) -> Result<(), NetError> {
        self.make(argv(&["ip", "netns", "add", name]), argv(&["ip", "netns", "del", name]))?;
        self.run(argv(&["ip", "-n", name, "link", "set", "lo", "up"]))?;
        Ok(())
    }

    /// The namespace that plays the Docker host, with forwarding on (Docker turns on
    /// `net.ipv4.ip_forward`; here only in this namespace, whose sysctl is its own).
    pub fn create_host(&mut self) -> Result<(), NetError> {
        let host = self.plan.host_netns.clone();
        self.netns_add(&host)?;
        self.run(argv(&["ip", "netns", "exec", &host, "sysctl", "-qw", "net.ipv4.ip_forward=1"]))?;
        Ok(())
    }

    /// A bridge with the gateway address (what `docker network create` or the daemon's
    /// `docker0` sets up).
    pub fn create_network(&mut self, which: Net) -> Result<(), NetError> {
        let host = self.plan.host_netns.clone();
        let net = self.plan.network(which).clone();
        let gateway = format!("{}/{}", net.gateway, net.prefix_len);
        self.make(
            argv(&["ip", "-n", &host, "link", "add", &net.bridge, "type", "bridge"]),
            argv(&["ip", "-n", &host, "link", "del", &net.bridge]),
        )?;
        self.run(argv(&["ip", "-n", &host, "addr", "add", &gateway, "dev", &net.bridge]))?;
        self.run(argv(&["ip", "-n", &host, "link", "set", &net.bridge, "up"]))?;
        Ok(())
    }

    /// One container: its namespace, a veth pair with `eth0` inside and the other end on the
    /// bridge, its address, a default route via the gateway and its resolv.conf.
    pub fn add_container(&mut self, which: Net, index: usize) -> Result<(), NetError> {
        let host = self.plan.host_netns.clone();
        let net = self.plan.network(which).clone();
        let container = net.containers[index].clone();
        let ns = container.netns.as_str();
        self.netns_add(ns)?;
        self.make(
            argv(&["ip", "-n", &host, "link", "add", &container.host_veth, "type", "veth", "peer", "name", "eth0", "netns", ns]),
            argv(&["ip", "-n", &host, "link", "del", &container.host_veth]),
        )?;
        self.run(argv(&["ip", "-n", &host, "link", "set", &container.host_veth, "master", &net.bridge]))?;
        self.run(argv(&["ip", "-n", &host, "link", "set", &container.host_veth, "up"]))?;
        let address = format!("{}/{}", container.ip, net.prefix_len);
        self.run(argv(&["ip", "-n", ns, "addr", "add", &address, "dev", "eth0"]))?;
        self.run(argv(&["ip", "-n", ns, "link", "set", "eth0", "up"]))?;
        self.run(argv(&["ip", "-n", ns, "route", "add", "default", "via", &net.gateway.to_string()]))?;
        let folder = PathBuf::from(format!("/etc/netns/{ns}"));
        let contents = self.plan.resolv_conf(which);
        self.write(&folder.join("resolv.conf"), &contents, &folder)?;
        Ok(())
    }

    /// The embedded DNS: one socket at 127.0.0.11:53 inside each container of the
    /// user-defined network (as dockerd makes it, entering the container's namespace), all
    /// served by one server that answers the network's container names. Returns where it
    /// listens.
    pub fn start_embedded_dns(&mut self) -> Result<Vec<String>, NetError> {
        let mut table = Table::new();
        let mut sockets = Vec::new();
        let mut places = Vec::new();
        for container in self.plan.user.containers.clone() {
            table.insert(&container.name, container.ip);
            let address = SocketAddrV4::new(EMBEDDED_DNS, 53);
            sockets.push(self.socket_in(&container.netns, address)?);
            places.push(format!("{address} in {}", container.netns));
        }
        self.serve(table, sockets)?;
        Ok(places)
    }

    /// The stand-in for the host's own resolvers, which default-bridge containers are given:
    /// at the default bridge's gateway in the host namespace, knowing no container names (the
    /// bridge must exist first). Returns where it listens.
    pub fn start_host_resolver(&mut self) -> Result<String, NetError> {
        let host = self.plan.host_netns.clone();
        let address = SocketAddrV4::new(self.plan.default.gateway, 53);
        let socket = self.socket_in(&host, address)?;
        self.serve(Table::new(), vec![socket])?;
        Ok(format!("{address} in {host}"))
    }

    fn socket_in(&mut self, netns: &str, address: SocketAddrV4) -> Result<UdpSocket, NetError> {
        self.transcript.push(format!("# in whalebox: setns(/run/netns/{netns}), then bind udp {address}"));
        self.ops
            .udp_socket_in(netns, address)
            .map_err(|source| NetError::Io { what: format!("binding {address} inside {netns}"), source })
    }

    fn serve(&mut self, table: Table, sockets: Vec<UdpSocket>) -> Result<(), NetError> {
        let server = DnsServer::start(table, sockets)
            .map_err(|source| NetError::Io { what: "starting the DNS server".into(), source })?;
        self.dns.push(Some(server));
        self.undo.push(Undo::StopDns(self.dns.len() - 1));
        Ok(())
    }

    /// The questions the embedded DNS server answered so far.
    pub fn dns_log(&self) -> Vec<String> {
        self.dns.first().and_then(|s| s.as_ref()).map(DnsServer::log).unwrap_or_default()
    }

    /// Runs a program inside a container's namespaces (`ip netns exec` also mounts the
    /// container's `/etc/netns/NAME/resolv.conf` over `/etc/resolv.conf` for it).
    pub fn exec(&mut self, netns: &str, program: &[&str]) -> Result<Output, NetError> {
        let mut words = argv(&["ip", "netns", "exec", netns]);
        words.extend(program.iter().map(|w| w.to_string()));
        self.try_run(words)
    }

    /// A LAN machine: its own namespace joined to the Docker host by a veth pair, the host's
    /// end holding the address a published port is reached at.
    pub fn create_client(&mut self) -> Result<(), NetError> {
        let host = self.plan.host_netns.clone();
        let client = self.plan.client_netns.clone();
        let lan = self.plan.lan_veth.clone();
        self.netns_add(&client)?;
        self.make(
            argv(&["ip", "-n", &host, "link", "add", &lan, "type", "veth", "peer", "name", "eth0", "netns", &client]),
            argv(&["ip", "-n", &host, "link", "del", &lan]),
        )?;
        self.run(argv(&["ip", "-n", &host, "addr", "add", &format!("{}/24", self.plan.lan_host_ip), "dev", &lan]))?;
        self.run(argv(&["ip", "-n", &host, "link", "set", &lan, "up"]))?;
        self.run(argv(&["ip", "-n", &client, "addr", "add", &format!("{}/24", self.plan.lan_client_ip), "dev", "eth0"]))?;
        self.run(argv(&["ip", "-n", &client, "link", "set", "eth0", "up"]))?;
        Ok(())
    }

    /// The iptables arguments of `-p HOST_PORT:CONTAINER_PORT` (without the `-A`/`-D`).
    pub fn dnat_rule(&self, host_port: u16, target: &ContainerPlan, container_port: u16) -> Vec<String> {
        argv(&[
            "-t",
            "nat",
            "PREROUTING",
            "-d",
            &self.plan.lan_host_ip.to_string(),
            "-p",
            "tcp",
            "--dport",
            &host_port.to_string(),
            "-j",
            "DNAT",
            "--to-destination",
            &format!("{}:{container_port}", target.ip),
        ])
    }

    /// Publishes `host_port` on the host's LAN address to `target:container_port` with a
    /// DNAT rule in the host namespace's nat table: iptables, or nft when iptables is missing
    /// or refuses. When neither can, says why and adds nothing.
    pub fn publish(&mut self, host_port: u16, target: &ContainerPlan, container_port: u16) -> Result<Published, NetError> {
        let host = self.plan.host_netns.clone();
        let rule = self.dnat_rule(host_port, target, container_port);
        let with = |action: &str| {
            let mut words = argv(&["ip", "netns", "exec", &host, "iptables"]);
            words.extend(rule[..2].iter().cloned());
            words.push(action.to_string());
            words.extend(rule[2..].iter().cloned());
            words
        };
        let mut why = Vec::new();
        if self.ops.has_program("iptables") {
            let add = with("-A");
            let output = self.try_run(add.clone())?;
            if output.success {
                self.undo.push(Undo::Run(with("-D")));
                return Ok(Published::Rule(shell_words(&add[4..])));
            }
            why.push(format!("iptables said: {}", output.stderr.trim()));
        } else {
            why.push("iptables is not installed (apt-get install iptables)".into());
        }
        if self.ops.has_program("nft") {
            let nft = |rest: &[&str]| {
                let mut words = argv(&["ip", "netns", "exec", &host, "nft"]);
                words.extend(argv(rest));
                words
            };
            let add = nft(&["add", "table", "ip", "whalebox"]);
            let output = self.try_run(add)?;
            if output.success {
                self.undo.push(Undo::Run(nft(&["delete", "table", "ip", "whalebox"])));
                let chain = nft(&["add", "chain", "ip", "whalebox", "prerouting", "{ type nat hook prerouting priority -100 ; }"]);
                let to = format!("{}:{container_port}", target.ip);
                let daddr = self.plan.lan_host_ip.to_string();
                let port = host_port.to_string();
                let rule = nft(&["add", "rule", "ip", "whalebox", "prerouting", "ip", "daddr", &daddr, "tcp", "dport", &port, "dnat", "to", &to]);
                let chained = self.try_run(chain)?;
                if chained.success {
                    let ruled = self.try_run(rule.clone())?;
                    if ruled.success {
                        return Ok(Published::Rule(shell_words(&rule[4..])));
                    }
                    why.push(format!("nft said: {}", ruled.stderr.trim()));
                } else {
                    why.push(format!("nft said: {}", chained.stderr.trim()));
                }
            } else {
                why.push(format!("nft said: {}", output.stderr.trim()));
            }
        } else {
            why.push("nft is not installed (apt-get install nftables)".into());
        }
        Ok(Published::Unavailable(why.join("; ")))
    }

    /// busybox httpd inside a container, serving one page on `port`.
    pub fn start_server(&mut self, target: &ContainerPlan, port: u16, page: &str) -> Result<(), NetError> {
        let dir = self.plan.www_dir.clone();
        self.write(&dir.join("index.html"), page, &dir)?;
        let dir_text = dir.display().to_string();
        let words = argv(&["ip", "netns", "exec", &target.netns, "busybox", "httpd", "-f", "-p", &port.to_string(), "-h", &dir_text]);
        let command = shell_words(&words);
        self.transcript.push(format!("{command} &"));
        let handle = self.ops.spawn(&words).map_err(|source| NetError::Io { what: command, source })?;
        self.undo.push(Undo::Stop(handle));
        Ok(())
    }

    /// Undoes everything made, newest first, and says what it did (`ip netns del …`); a step
    /// that fails is reported and the rest still run.
    pub fn cleanup(&mut self) -> Vec<String> {
        let mut said = Vec::new();
        while let Some(step) = self.undo.pop() {
            match step {
                Undo::Run(words) => {
                    let command = shell_words(&words);
                    match self.ops.run(&words) {
                        Ok(out) if out.success => said.push(command),
                        Ok(out) => said.push(format!("{command}   (failed: {})", out.stderr.trim())),
                        Err(error) => said.push(format!("{command}   (failed: {error})")),
                    }
                }
                Undo::RemoveDir(path) => {
                    let command = format!("rm -r {}", path.display());
                    match self.ops.remove_dir(&path) {
                        Ok(()) => said.push(command),
                        Err(error) => said.push(format!("{command}   (failed: {error})")),
                    }
                }
                Undo::Stop(handle) => match self.ops.stop(handle) {
                    Ok(()) => said.push(format!("kill {handle}")),
                    Err(error) => said.push(format!("kill {handle}   (failed: {error})")),
                },
                Undo::StopDns(index) => {
                    if let Some(server) = self.dns.get_mut(index).and_then(Option::take) {
                        drop(server);
                    }
                    said.push("# stop the DNS server (its sockets close)".into());
                }
            }
        }
        said
    }
}

impl<O: NetOps> Drop for Lab<O> {
    fn drop(&mut self) {
        self.cleanup();
    }
}

/// The real kernel: programs through `std::process::Command`, namespaces through `setns`.
#[derive(Debug, Default)]
pub struct RealOps {
    children: BTreeMap<u32, std::process::Child>,
}

impl RealOps {
    pub fn new() -> RealOps {
        RealOps::default()
    }
}

/// Asks the kernel to SIGKILL the child when this process dies, even by SIGKILL, so a server
/// started in a container never outlives the demo.
#[allow(unsafe_code)]
fn die_with_parent(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs between fork and exec and makes one prctl(2) call, which is
    // async-signal-safe; it touches no memory shared with the parent.
    unsafe {
        command.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL).map_err(io::Error::from)
        });
    }
}

impl NetOps for RealOps {
    fn run(&mut self, argv: &[String]) -> io::Result<Output> {
        let mut command = std::process::Command::new(&argv[0]);
        command.args(&argv[1..]).stdin(std::process::Stdio::null());
        die_with_parent(&mut command);
        let output = command.output()?;
        Ok(Output {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    fn spawn(&mut self, argv: &[String]) -> io::Result<u32> {
        let mut command = std::process::Command::new(&argv[0]);
        command
            .args(&argv[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        die_with_parent(&mut command);
        let child = command.spawn()?;
        let id = child.id();
        self.children.insert(id, child);
        Ok(id)
    }

    fn stop(&mut self, handle: u32) -> io::Result<()> {
        if let Some(mut child) = self.children.remove(&handle) {
            let _ = child.kill();
            child.wait()?;
        }
        Ok(())
    }

    fn udp_socket_in(&mut self, netns: &str, address: SocketAddrV4) -> io::Result<UdpSocket> {
        let path = format!("/run/netns/{netns}");
        // setns moves only the calling thread; a short-lived thread keeps the rest of the
        // process (and the DNS server's runtime) in the namespace it started in. The socket
        // stays in the namespace it was made in after the thread is gone.
        std::thread::spawn(move || {
            let file = std::fs::File::open(&path)?;
            nix::sched::setns(&file, nix::sched::CloneFlags::CLONE_NEWNET).map_err(io::Error::from)?;
            UdpSocket::bind(address)
        })
        .join()
        .map_err(|_| io::Error::other("the setns thread panicked"))?
    }

    fn write_file(&mut self, path: &Path, contents: &str) -> io::Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, contents)
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_dir_all(path)
    }

    fn has_program(&self, name: &str) -> bool {
        super::privilege::find_program(name).is_some()
    }
}

/// A stand-in for the kernel that records each call and fails where told to.
#[derive(Debug, Default)]
pub struct RecordingOps {
    /// Every call, in order: the argv joined by spaces, or `spawn …`, `stop N`, `setns NS
    /// bind ADDR`, `write PATH`, `rmdir PATH`.
    pub calls: Vec<String>,
    /// A call whose text starts with this fails (a non-zero exit for programs).
    pub fail_on: Option<String>,
    /// Programs [`NetOps::has_program`] reports missing.
    pub missing: Vec<String>,
    /// What a `run` whose text contains the key prints on stdout.
    pub replies: BTreeMap<String, String>,
    /// A copy of `calls` that outlives the lab (to see what its drop did).
    pub journal: Option<std::rc::Rc<std::cell::RefCell<Vec<String>>>>,
    next_handle: u32,
}

impl RecordingOps {
    fn record(&mut self, call: String) -> bool {
        let fail = self.fail_on.as_ref().is_some_and(|prefix| call.starts_with(prefix.as_str()));
        if let Some(journal) = &self.journal {
            journal.borrow_mut().push(call.clone());
        }
        self.calls.push(call);
        fail
    }
}

impl NetOps for RecordingOps {
    fn run(&mut self, argv: &[String]) -> io::Result<Output> {
        let call = argv.join(" ");
        let stdout = self.replies.iter().find(|(key, _)| call.contains(key.as_str())).map(|(_, v)| v.clone()).unwrap_or_default();
        let fail = self.record(call);
        Ok(Output { success: !fail, stdout, stderr: if fail { "RTNETLINK answers: Operation not permitted".into() } else { String::new() } })
    }

    fn spawn(&mut self, argv: &[String]) -> io::Result<u32> {
        if self.record(format!("spawn {}", argv.join(" "))) {
            return Err(io::Error::other("refused"));
        }
        self.next_handle += 1;
        Ok(self.next_handle)
    }

    fn stop(&mut self, handle: u32) -> io::Result<()> {
        self.record(format!("stop {handle}"));
        Ok(())
    }

    fn udp_socket_in(&mut self, netns: &str, address: SocketAddrV4) -> io::Result<UdpSocket> {
        if self.record(format!("setns {netns} bind {address}")) {
            return Err(io::Error::other("refused"));
        }
        // A socket nobody asks: the server starts for real, on loopback, with no root.
        UdpSocket::bind("127.0.0.1:0")
    }

    fn write_file(&mut self, path: &Path, _contents: &str) -> io::Result<()> {
        if self.record(format!("write {}", path.display())) {
            return Err(io::Error::other("refused"));
        }
        Ok(())
    }

    fn remove_dir(&mut self, path: &Path) -> io::Result<()> {
        self.record(format!("rmdir {}", path.display()));
        Ok(())
    }

    fn has_program(&self, name: &str) -> bool {
        !self.missing.iter().any(|m| m == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab(fail_on: Option<&str>) -> Lab<RecordingOps> {
        let ops = RecordingOps { fail_on: fail_on.map(str::to_string), ..RecordingOps::default() };
        Lab::new(ops, Plan::new(4242, 2))
    }

    fn build(lab: &mut Lab<RecordingOps>) -> Result<(), NetError> {
        lab.create_host()?;
        lab.create_network(Net::User)?;
        lab.add_container(Net::User, 0)?;
        lab.add_container(Net::User, 1)?;
        lab.start_embedded_dns()?;
        lab.create_network(Net::Default)?;
        lab.add_container(Net::Default, 0)?;
        lab.add_container(Net::Default, 1)?;
        lab.start_host_resolver()?;
        lab.create_client()?;
        let web = lab.plan.user.containers[0].clone();
        lab.start_server(&web, 80, "hello\n")?;
        lab.publish(8080, &web, 80)?;
        Ok(())
    }

    /// The calls made after the point where `cleanup` started.
    fn calls_after(lab: &Lab<RecordingOps>, made: usize) -> Vec<String> {
        lab.ops().calls[made..].to_vec()
    }

    #[test]
    fn names_fit_in_an_interface_name_even_for_the_largest_pid() {
        // pid_max can be 4194304 (2^22): seven digits.
        let plan = Plan::new(4_194_304, 3);
        for name in plan.interface_names() {
            assert!(name.len() <= IFNAME_MAX, "{name} is longer than {IFNAME_MAX}");
            assert!(name.starts_with("wb4194304"), "{name}");
        }
        assert_eq!(plan.host_netns, "whalebox-4194304-host");
        assert_eq!(plan.user.containers[2].netns, "whalebox-4194304-cache");
        let mut names = plan.interface_names();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), plan.interface_names().len(), "names are unique");
    }

    #[test]
    fn addresses_come_from_each_network_subnet() {
        let plan = Plan::new(7, 3);
        assert_eq!(plan.user.subnet(), "10.89.1.0/24");
        assert_eq!(plan.default.subnet(), "10.89.2.0/24");
        let user: Vec<_> = plan.user.containers.iter().map(|c| (c.name.as_str(), c.ip.to_string())).collect();
        assert_eq!(user, [("web", "10.89.1.2".to_string()), ("db", "10.89.1.3".into()), ("cache", "10.89.1.4".into())]);
        assert_eq!(plan.default.containers[1].ip, Ipv4Addr::new(10, 89, 2, 3));
        assert_eq!(Plan::new(7, 2).user.containers.len(), 2);
        assert!(plan.user.embedded_dns && !plan.default.embedded_dns);
        assert_eq!(plan.resolv_conf(Net::User), "nameserver 127.0.0.11\noptions ndots:0\n");
        assert_eq!(plan.resolv_conf(Net::Default), "nameserver 10.89.2.1\n");
    }

    #[test]
    fn a_container_is_a_netns_a_veth_pair_on_the_bridge_an_address_and_a_route() {
        let mut lab = lab(None);
        lab.create_host().unwrap();
        lab.create_network(Net::User).unwrap();
        let before = lab.ops().calls.len();
        lab.add_container(Net::User, 1).unwrap();
        assert_eq!(
            lab.ops().calls[before..],
            [
                "ip netns add whalebox-4242-db",
                "ip -n whalebox-4242-db link set lo up",
                "ip -n whalebox-4242-host link add wb4242c2h type veth peer name eth0 netns whalebox-4242-db",
                "ip -n whalebox-4242-host link set wb4242c2h master wb4242br1",
                "ip -n whalebox-4242-host link set wb4242c2h up",
                "ip -n whalebox-4242-db addr add 10.89.1.3/24 dev eth0",
                "ip -n whalebox-4242-db link set eth0 up",
                "ip -n whalebox-4242-db route add default via 10.89.1.1",
                "write /etc/netns/whalebox-4242-db/resolv.conf",
            ]
        );
        assert_eq!(
            lab.ops().calls[..before],
            [
                "ip netns add whalebox-4242-host",
                "ip -n whalebox-4242-host link set lo up",
                "ip netns exec whalebox-4242-host sysctl -qw net.ipv4.ip_forward=1",
                "ip -n whalebox-4242-host link add wb4242br1 type bridge",
                "ip -n whalebox-4242-host addr add 10.89.1.1/24 dev wb4242br1",
                "ip -n whalebox-4242-host link set wb4242br1 up",
            ]
        );
        // The transcript is what an instructor retypes: the same commands.
        let transcript = lab.take_transcript();
        assert_eq!(transcript[0], "ip netns add whalebox-4242-host");
        assert!(transcript.last().unwrap().starts_with("cat > /etc/netns/whalebox-4242-db/resolv.conf <<'EOF'\nnameserver 127.0.0.11\n"));
    }

    #[test]
    fn the_dns_sockets_are_made_inside_each_container_and_the_host() {
        let mut lab = lab(None);
        let mut places = lab.start_embedded_dns().unwrap();
        places.push(lab.start_host_resolver().unwrap());
        assert_eq!(
            lab.ops().calls,
            [
                "setns whalebox-4242-web bind 127.0.0.11:53",
                "setns whalebox-4242-db bind 127.0.0.11:53",
                "setns whalebox-4242-host bind 10.89.2.1:53",
            ]
        );
        assert_eq!(places[0], "127.0.0.11:53 in whalebox-4242-web");
        assert_eq!(places[2], "10.89.2.1:53 in whalebox-4242-host");
    }

    #[test]
    fn publishing_a_port_is_a_dnat_rule_in_the_host_namespace() {
        let mut lab = lab(None);
        let web = lab.plan.user.containers[0].clone();
        let published = lab.publish(8080, &web, 80).unwrap();
        let rule = "iptables -t nat -A PREROUTING -d 10.89.9.1 -p tcp --dport 8080 -j DNAT --to-destination 10.89.1.2:80";
        assert_eq!(published, Published::Rule(rule.to_string()));
        assert_eq!(lab.ops().calls, [format!("ip netns exec whalebox-4242-host {rule}")]);
        let made = lab.ops().calls.len();
        lab.cleanup();
        assert_eq!(
            calls_after(&lab, made),
            ["ip netns exec whalebox-4242-host iptables -t nat -D PREROUTING -d 10.89.9.1 -p tcp --dport 8080 -j DNAT --to-destination 10.89.1.2:80"]
        );
    }

    #[test]
    fn without_iptables_the_rule_is_made_with_nft() {
        let mut lab = lab(None);
        lab.ops.missing.push("iptables".into());
        let web = lab.plan.user.containers[0].clone();
        let published = lab.publish(8080, &web, 80).unwrap();
        assert_eq!(
            published,
            Published::Rule("nft add rule ip whalebox prerouting ip daddr 10.89.9.1 tcp dport 8080 dnat to 10.89.1.2:80".into())
        );
        assert_eq!(lab.ops().calls[0], "ip netns exec whalebox-4242-host nft add table ip whalebox");
        let made = lab.ops().calls.len();
        lab.cleanup();
        assert_eq!(calls_after(&lab, made), ["ip netns exec whalebox-4242-host nft delete table ip whalebox"]);
    }

    #[test]
    fn with_neither_iptables_nor_nft_it_says_why_and_adds_nothing() {
        let mut lab = lab(None);
        lab.ops.missing = vec!["iptables".into(), "nft".into()];
        let web = lab.plan.user.containers[0].clone();
        match lab.publish(8080, &web, 80).unwrap() {
            Published::Unavailable(why) => {
                assert!(why.contains("apt-get install iptables") && why.contains("apt-get install nftables"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        assert!(lab.ops().calls.is_empty());
        assert!(lab.cleanup().is_empty());
    }

    #[test]
    fn a_refused_iptables_falls_back_to_nft_and_reports_both_when_both_fail() {
        let mut lab = lab(Some("ip netns exec whalebox-4242-host"));
        let web = lab.plan.user.containers[0].clone();
        match lab.publish(8080, &web, 80).unwrap() {
            Published::Unavailable(why) => assert!(why.starts_with("iptables said:") && why.contains("nft said:"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(lab.ops().calls.len(), 2);
    }

    #[test]
    fn cleanup_after_success_undoes_everything_newest_first() {
        let mut lab = lab(None);
        build(&mut lab).unwrap();
        let made = lab.ops().calls.len();
        let said = lab.cleanup();
        let undone = calls_after(&lab, made);
        let h = "ip -n whalebox-4242-host";
        assert_eq!(
            undone,
            [
                "ip netns exec whalebox-4242-host iptables -t nat -D PREROUTING -d 10.89.9.1 -p tcp --dport 8080 -j DNAT --to-destination 10.89.1.2:80".to_string(),
                "stop 1".into(),
                "rmdir /tmp/whalebox-4242-www".into(),
                format!("{h} link del wb4242lan"),
                "ip netns del whalebox-4242-client".into(),
                "rmdir /etc/netns/whalebox-4242-db2".into(),
                format!("{h} link del wb4242d2h"),
                "ip netns del whalebox-4242-db2".into(),
                "rmdir /etc/netns/whalebox-4242-web2".into(),
                format!("{h} link del wb4242d1h"),
                "ip netns del whalebox-4242-web2".into(),
                format!("{h} link del wb4242br0"),
                "rmdir /etc/netns/whalebox-4242-db".into(),
                format!("{h} link del wb4242c2h"),
                "ip netns del whalebox-4242-db".into(),
                "rmdir /etc/netns/whalebox-4242-web".into(),
                format!("{h} link del wb4242c1h"),
                "ip netns del whalebox-4242-web".into(),
                format!("{h} link del wb4242br1"),
                "ip netns del whalebox-4242-host".into(),
            ]
        );
        // The two DNS servers stop too (no call to the kernel: their sockets just close), before
        // the namespaces their sockets are in go.
        assert_eq!(said.iter().filter(|s| s.contains("DNS server")).count(), 2);
        let stop_dns = said.iter().position(|s| s.contains("DNS server")).unwrap();
        let web_gone = said.iter().position(|s| s == "ip netns del whalebox-4242-web").unwrap();
        assert!(stop_dns < web_gone, "{said:?}");
        // Nothing is undone twice: dropping the lab now calls nothing.
        let after = lab.ops().calls.len();
        assert!(lab.cleanup().is_empty());
        assert_eq!(lab.ops().calls.len(), after);
    }

    #[test]
    fn a_step_failing_halfway_undoes_only_what_was_made_newest_first() {
        let mut lab = lab(Some("ip -n whalebox-4242-host link set wb4242c2h master"));
        let error = build(&mut lab).unwrap_err();
        assert!(error.to_string().contains("link set wb4242c2h master wb4242br1"), "{error}");
        let made = lab.ops().calls.len();
        lab.cleanup();
        assert_eq!(
            calls_after(&lab, made),
            [
                "ip -n whalebox-4242-host link del wb4242c2h",
                "ip netns del whalebox-4242-db",
                "rmdir /etc/netns/whalebox-4242-web",
                "ip -n whalebox-4242-host link del wb4242c1h",
                "ip netns del whalebox-4242-web",
                "ip -n whalebox-4242-host link del wb4242br1",
                "ip netns del whalebox-4242-host",
            ]
        );
    }

    #[test]
    fn dropping_the_lab_cleans_up() {
        let journal = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        {
            let ops = RecordingOps { journal: Some(journal.clone()), ..RecordingOps::default() };
            let mut lab = Lab::new(ops, Plan::new(4242, 2));
            lab.create_host().unwrap();
            lab.create_network(Net::User).unwrap();
        }
        let calls = journal.borrow();
        assert_eq!(
            calls[calls.len() - 2..],
            ["ip -n whalebox-4242-host link del wb4242br1", "ip netns del whalebox-4242-host"]
        );
    }

    #[test]
    fn a_failed_netns_add_leaves_nothing_to_undo() {
        let mut lab = lab(Some("ip netns add whalebox-4242-host"));
        assert!(lab.create_host().is_err());
        assert!(lab.cleanup().is_empty());
    }

    #[test]
    fn shell_words_quote_only_what_needs_it() {
        let words = argv(&["nft", "add", "chain", "ip", "w", "p", "{ type nat hook prerouting priority -100 ; }"]);
        assert_eq!(shell_words(&words), "nft add chain ip w p '{ type nat hook prerouting priority -100 ; }'");
        assert_eq!(shell_words(&argv(&["echo", "it's"])), "echo 'it'\\''s'");
    }
}
