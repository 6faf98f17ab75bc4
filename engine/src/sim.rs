//! `sim`: the host shell's controls over the simulated world itself — the clock that registries
//! follow, and wiping the host the way a fresh CI runner starts empty.

use crate::clock::{DAY, HOUR, MINUTE, SECOND, SESSION_START};
use crate::outcome::Outcome;
use crate::world::World;

const HELP: &str = "\
Usage: sim COMMAND

Control the simulated world (these commands do not exist on a real machine).

Commands:
  date              show the simulated date and time
  advance DURATION  let time pass, e.g. 30s, 90m, 3h, 14d; registry tags move on their dates
  fresh-runner      forget every container, image and layer, like a new CI runner with no cache
  daemon stop       stop dockerd (running containers keep running, as with live-restore)
  daemon start      start dockerd again; restart policies apply
  reboot            restart the whole host: containers stop, then dockerd starts them by policy
  disk fill SIZE    fill the host disk with other data until SIZE is free (e.g. 200MB, 0)
  disk free         remove that data again
  disk              show the disk's capacity and use
  think-time DURATION
                    simulated time that passes before each command (default 3s; 0 for exact timing)
";

pub fn run(world: &mut World, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["help" | "--help" | "-h"] => outcome.out_block(HELP),
        ["date"] => outcome.out(describe_now(world)),
        ["advance", duration] => match parse_duration(duration) {
            Some(millis) => {
                outcome.events = crate::runtime::advance(world, millis);
                outcome.out(describe_now(world));
            }
            None => {
                outcome.err(format!("sim: invalid duration \"{duration}\": use a number and a unit, e.g. 30s, 90m, 3h, 14d"));
                return outcome.fail(2);
            }
        },
        ["fresh-runner"] => {
            world.clear_local_state();
            outcome.out("This host now has no containers, images or layer cache, like a fresh CI runner.");
        }
        ["think-time", duration] => match parse_duration(duration).or((*duration == "0").then_some(0)) {
            Some(millis) => {
                world.think_time = millis;
                outcome.out(format!("Each command now starts {}s after the previous one.", millis as f64 / 1000.0));
            }
            None => {
                outcome.err(format!("sim: invalid duration \"{duration}\": use a number and a unit, e.g. 0, 1s, 3s"));
                return outcome.fail(2);
            }
        },
        ["daemon", "stop"] => {
            world.daemon_running = false;
            outcome.out("dockerd stopped. Containers keep running (live-restore); docker commands cannot reach the daemon.");
        }
        ["daemon", "start"] => {
            if world.daemon_running {
                outcome.out("dockerd is already running.");
            } else {
                outcome.events = crate::runtime::daemon_start(world);
                outcome.out("dockerd started.");
            }
        }
        ["reboot"] => {
            outcome.events = crate::runtime::reboot(world);
            outcome.out("The host restarted. dockerd started containers whose restart policy asks for it.");
        }
        ["disk"] => outcome.out(crate::runtime::disk::describe(world)),
        ["disk", "free"] => {
            world.disk_filler = 0;
            outcome.out(crate::runtime::disk::describe(world));
        }
        ["disk", "fill", size] => match crate::docker::parse_size(size) {
            Some(free) => {
                crate::runtime::disk::fill_until_free(world, free);
                outcome.out(crate::runtime::disk::describe(world));
            }
            None => {
                outcome.err(format!("sim: invalid size \"{size}\": use e.g. 200MB, 1GB or 0"));
                return outcome.fail(2);
            }
        },
        _ => {
            outcome.err(format!("sim: unknown command: {}", args.join(" ")));
            outcome.err("Run 'sim help' for the list.");
            return outcome.fail(2);
        }
    }
    outcome
}

fn describe_now(world: &World) -> String {
    let now = world.now();
    let day = now.since(SESSION_START) / DAY;
    format!("Simulated time: {} (day {day} of this session)", now.rfc3339())
}

/// `30s`, `90m`, `3h`, `14d` in milliseconds.
fn parse_duration(text: &str) -> Option<u64> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().ok()?;
    let unit = match unit {
        "s" => SECOND,
        "m" => MINUTE,
        "h" => HOUR,
        "d" => DAY,
        _ => return None,
    };
    number.checked_mul(unit).filter(|millis| *millis <= 3650 * DAY)
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use crate::clock::{DAY, MINUTE};

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("14d"), Some(14 * DAY));
        assert_eq!(parse_duration("90m"), Some(90 * MINUTE));
        assert_eq!(parse_duration("14"), None);
        assert_eq!(parse_duration("d"), None);
        assert_eq!(parse_duration("5y"), None);
        assert_eq!(parse_duration("99999999999999d"), None);
    }
}
