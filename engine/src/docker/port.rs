//! `docker port`: where a container's published ports answer on the host.

use super::flags::{Args, CommandSpec, Parsed};
use super::inspect::published_ports;
use crate::outcome::Outcome;
use crate::world::World;

pub const SPEC: CommandSpec = CommandSpec { path: "docker port", help: include_str!("help/port.txt"), args: Args::Range(1, 2), interspersed: true };

pub fn run(world: &mut World, _invocation: &super::Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.args.len() > 2 {
        outcome.err("docker: 'docker port' requires at least 1 and at most 2 arguments");
        outcome.err("");
        outcome.err(format!("Usage:  {}", SPEC.usage_line()));
        outcome.err("");
        outcome.err("Run 'docker port --help' for more information");
        return outcome.fail(1);
    }
    let name = &parsed.args[0];
    let Some(container) = world.find_container(name) else {
        outcome.err(format!("Error response from daemon: No such container: {name}"));
        return outcome.fail(1);
    };
    // Ports are bound only while the container runs.
    let ports = published_ports(container);
    let join = |ip: &str, port: &str| if ip.contains(':') { format!("[{ip}]:{port}") } else { format!("{ip}:{port}") };
    let mut lines = Vec::new();
    if let Some(wanted) = parsed.args.get(1) {
        let (port, proto) = wanted.split_once('/').unwrap_or((wanted, "tcp"));
        if port.parse::<u16>().is_err() {
            outcome.err(format!("Error: invalid port ({port}): strconv.ParseUint: parsing \"{port}\": invalid syntax"));
            return outcome.fail(1);
        }
        match ports.get(&format!("{port}/{proto}")).filter(|hosts| !hosts.is_empty()) {
            Some(hosts) => lines.extend(hosts.iter().map(|(ip, port)| join(ip, port))),
            None => {
                outcome.err(format!("Error: No public port '{wanted}' published for {name}"));
                return outcome.fail(1);
            }
        }
    } else {
        for (private, hosts) in &ports {
            lines.extend(hosts.iter().map(|(ip, port)| format!("{private} -> {}", join(ip, port))));
        }
    }
    lines.sort_by(|a, b| natural_cmp(a, b));
    for line in lines {
        outcome.out(line);
    }
    outcome
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let run = |s: &[u8]| s.iter().take_while(|c| c.is_ascii_digit()).count();
                let (la, lb) = (run(a), run(b));
                let (na, nb) = (&a[..la], &b[..lb]);
                let trim = |s: &[u8]| s.iter().skip_while(|c| **c == b'0').copied().collect::<Vec<u8>>();
                let (ta, tb) = (trim(na), trim(nb));
                let ordering = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(&tb)).then_with(|| la.cmp(&lb));
                if ordering != std::cmp::Ordering::Equal {
                    return ordering;
                }
                a = &a[la..];
                b = &b[lb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_as_numbers() {
        let mut lines = vec!["8080/tcp -> 0.0.0.0:9000", "80/tcp -> [::]:8080", "80/tcp -> 0.0.0.0:8080"];
        lines.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(lines, ["80/tcp -> 0.0.0.0:8080", "80/tcp -> [::]:8080", "8080/tcp -> 0.0.0.0:9000"]);
    }
}
