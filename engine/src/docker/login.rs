//! `docker login` and `docker logout`: which registries the simulated client holds credentials
//! for, so `docker push` to your own Docker Hub namespace succeeds once you are logged in.

use super::flags::{Args, CommandSpec, Parsed};
use super::Invocation;
use crate::outcome::Outcome;
use crate::world::World;

pub const LOGIN: CommandSpec = CommandSpec {
    path: "docker login",
    help: include_str!("help/login.txt"),
    args: Args::AtMost(1),
    interspersed: true,
};

pub const LOGOUT: CommandSpec = CommandSpec {
    path: "docker logout",
    help: include_str!("help/logout.txt"),
    args: Args::AtMost(1),
    interspersed: true,
};

/// Docker Hub's key in `~/.docker/config.json`.
const HUB: &str = "https://index.docker.io/v1/";

/// The learner's account on the simulated Docker Hub (the host user's name).
const LEARNER: &str = "learner";

/// The registry a `SERVER` argument names (Docker Hub when absent).
fn server(parsed: &Parsed) -> String {
    match parsed.args.first().map(String::as_str) {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => HUB.to_string(),
        Some(other) => other.trim_start_matches("https://").trim_end_matches('/').to_string(),
    }
}

/// The user logged in to the registry a reference's domain names, if any.
pub fn user_for(world: &World, domain: &str) -> Option<String> {
    let key = if domain == crate::reference::DEFAULT_DOMAIN { HUB } else { domain };
    world.logins.get(key).cloned()
}

pub fn login(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    if parsed.is_set("password") && parsed.bool("password-stdin") {
        outcome.err("--password and --password-stdin are mutually exclusive");
        return outcome.fail(1);
    }
    let server = server(&parsed);
    let user = match parsed.value("username") {
        Some(user) if !user.is_empty() => user.to_string(),
        _ if server == HUB && !parsed.is_set("password") => {
            // Docker 28 signs in to Docker Hub through the browser; the simulated one confirms at once.
            // Docker 28's wording (the "i Info →" hint came with the 28 releases).
            outcome.out("");
            outcome.out("USING WEB-BASED LOGIN");
            outcome.out("");
            outcome.out("i Info → To sign in with credentials on the command line, use 'docker login -u <username>'");
            outcome.out("         ");
            outcome.out("");
            let code = crate::ids::sha256_digest(format!("device {}", world.clock.now().rfc3339()).as_bytes());
            let code: String = code.trim_start_matches("sha256:").chars().filter(char::is_ascii_alphabetic).take(8).collect::<String>().to_uppercase();
            outcome.out(format!("Your one-time device confirmation code is: {}-{}", &code[..code.len().min(4)], &code[code.len().min(4)..]));
            outcome.out("Press ENTER to open your browser or submit your device code here: https://login.docker.com/activate");
            outcome.out("");
            outcome.out("Waiting for authentication in the browser…");
            outcome.err("whalebox: the simulated browser confirms the code for the account \"learner\"");
            LEARNER.to_string()
        }
        _ => {
            outcome.err("Error: Cannot perform an interactive login from a non TTY device");
            return outcome.fail(1);
        }
    };
    if parsed.is_set("password") {
        outcome.err("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
    }
    world.logins.insert(server, user);
    outcome.err("");
    outcome.err("WARNING! Your credentials are stored unencrypted in '/home/learner/.docker/config.json'.");
    outcome.err("Configure a credential helper to remove this warning. See");
    outcome.err("https://docs.docker.com/go/credential-store/");
    outcome.err("");
    outcome.out("Login Succeeded");
    outcome
}

pub fn logout(world: &mut World, _invocation: &Invocation, parsed: Parsed) -> Outcome {
    let mut outcome = Outcome::default();
    let server = server(&parsed);
    if world.logins.remove(&server).is_some() {
        outcome.out(format!("Removing login credentials for {server}"));
    } else {
        outcome.out(format!("Not logged in to {server}"));
    }
    outcome
}
