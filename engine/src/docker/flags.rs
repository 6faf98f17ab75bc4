//! Command-line grammar of the docker CLI (cobra + pflag): flags read from each command's help
//! text, so the help a learner sees and the flags the parser accepts come from one place.

use std::collections::BTreeMap;

/// How many positional arguments a command takes, with cobra's wording when violated.
#[derive(Debug, Clone, Copy)]
pub enum Args {
    None,
    AtMost(usize),
    AtLeast(usize),
    Exactly(usize),
    /// cobra's `RangeArgs(min, max)` (`docker commit`, `docker port`).
    Range(usize, usize),
}

/// One docker (sub)command's grammar.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// `docker ps`: how errors and help name the command.
    pub path: &'static str,
    /// Docker 28's `--help` output for the command, recorded from the real CLI.
    pub help: &'static str,
    pub args: Args,
    /// `false` for commands like `run` whose flags end at the first positional argument.
    pub interspersed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagDef {
    pub long: String,
    pub short: Option<char>,
    /// pflag's type word (`string`, `list`, `int`, …); `None` for booleans.
    pub kind: Option<String>,
}

/// Flags and arguments after parsing.
#[derive(Debug, Default)]
pub struct Parsed {
    values: BTreeMap<String, Vec<String>>,
    pub args: Vec<String>,
    pub help: bool,
}

impl Parsed {
    pub fn bool(&self, long: &str) -> bool {
        self.values.get(long).and_then(|v| v.last()).is_some_and(|v| v == "true")
    }

    pub fn value(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    /// Every value of a repeatable flag (`-t a -t b`), in order.
    pub fn values(&self, long: &str) -> &[String] {
        self.values.get(long).map_or(&[], Vec::as_slice)
    }

    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
}

/// A command line that does not fit the grammar, worded as the docker CLI words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageError {
    /// pflag's complaints (exit status 125).
    Flag(String),
    /// cobra's argument-count complaints (exit status 1).
    Args(String),
}

impl CommandSpec {
    /// The `Usage:` block's command part, e.g. `docker ps [OPTIONS]`; a command with several
    /// forms (`docker cp`) keeps its tab-indented second line, as cobra prints it.
    pub fn usage_line(&self) -> &'static str {
        let Some(rest) = self.help.strip_prefix("Usage:  ") else { return self.path };
        let mut end = rest.find('\n').unwrap_or(rest.len());
        while rest[end..].starts_with("\n\t") {
            end += 1 + rest[end + 1..].find('\n').unwrap_or(rest.len() - end - 1);
        }
        &rest[..end]
    }

    fn flags(&self) -> Vec<FlagDef> {
        parse_flag_table(self.help)
    }

    /// Parses the words after the command name.
    pub fn parse(&self, words: &[String]) -> Result<Parsed, UsageError> {
        let flags = self.flags();
        let mut parsed = Parsed::default();
        let mut words = words.iter();
        let mut positional_only = false;
        while let Some(word) = words.next() {
            if positional_only || word == "-" || !word.starts_with('-') {
                parsed.args.push(word.clone());
                if !self.interspersed {
                    positional_only = true;
                }
                continue;
            }
            if word == "--" {
                positional_only = true;
                continue;
            }
            if let Some(long) = word.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (long, None),
                };
                if name == "help" {
                    parsed.help = true;
                    continue;
                }
                let flag = flags
                    .iter()
                    .find(|f| f.long == name)
                    .ok_or_else(|| UsageError::Flag(format!("unknown flag: --{name}")))?;
                let value = match (&flag.kind, inline) {
                    (None, None) => "true".to_string(),
                    (None, Some(value)) => parse_bool(&value, flag)?,
                    (Some(_), Some(value)) => value,
                    (Some(_), None) => words.next().cloned().ok_or_else(|| {
                        UsageError::Flag(format!("flag needs an argument: --{name}"))
                    })?,
                };
                store(&mut parsed, flag, value)?;
                continue;
            }
            // A cluster of shorthand flags: `-it`, `-p80`, `-p 80`.
            let cluster = &word[1..];
            for (offset, short) in cluster.char_indices() {
                if short == 'h' {
                    parsed.help = true;
                    continue;
                }
                // pflag names the shorthands left from the offending one on (`-az` → `in -z`).
                let shorthands = &cluster[offset..];
                let flag = flags.iter().find(|f| f.short == Some(short)).ok_or_else(|| {
                    UsageError::Flag(format!("unknown shorthand flag: '{short}' in -{shorthands}"))
                })?;
                let rest = &cluster[offset + short.len_utf8()..];
                if flag.kind.is_none() {
                    // `-a=false` sets a boolean shorthand explicitly and ends the cluster.
                    if let Some(value) = rest.strip_prefix('=') {
                        let value = parse_bool(value, flag)?;
                        store(&mut parsed, flag, value)?;
                        break;
                    }
                    store(&mut parsed, flag, "true".to_string())?;
                    continue;
                }
                let value = if let Some(value) = rest.strip_prefix('=') {
                    value.to_string()
                } else if !rest.is_empty() {
                    rest.to_string()
                } else {
                    words.next().cloned().ok_or_else(|| {
                        UsageError::Flag(format!("flag needs an argument: '{short}' in -{short}"))
                    })?
                };
                store(&mut parsed, flag, value)?;
                break;
            }
        }
        if !parsed.help {
            self.check_args(&parsed.args)?;
        }
        Ok(parsed)
    }

    fn check_args(&self, args: &[String]) -> Result<(), UsageError> {
        let path = self.path;
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        let message = match self.args {
            Args::None if !args.is_empty() => format!("'{path}' accepts no arguments"),
            Args::AtMost(n) if args.len() > n => {
                format!("'{path}' requires at most {n} {}", plural(n))
            }
            Args::AtLeast(n) if args.len() < n => {
                format!("'{path}' requires at least {n} {}", plural(n))
            }
            Args::Exactly(n) if args.len() != n => format!("'{path}' requires {n} {}", plural(n)),
            Args::Range(min, max) if args.len() < min || args.len() > max => {
                format!("'{path}' requires at least {min} and at most {max} arguments")
            }
            _ => return Ok(()),
        };
        Err(UsageError::Args(message))
    }

    /// The hint line under an error. Docker 28 words it differently per rule, and really does
    /// print "SRun" for too many arguments (a slip in its own template).
    pub fn hint(&self, error: &UsageError) -> String {
        let path = self.path;
        let verb = match (error, self.args) {
            (UsageError::Args(_), Args::AtLeast(_)) => "See",
            (UsageError::Args(_), Args::AtMost(_)) => "SRun",
            _ => "Run",
        };
        format!("{verb} '{path} --help' for more information")
    }
}

fn parse_bool(value: &str, flag: &FlagDef) -> Result<String, UsageError> {
    match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".into()),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".into()),
        _ => Err(UsageError::Flag(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax",
            flag_label(flag)
        ))),
    }
}

fn store(parsed: &mut Parsed, flag: &FlagDef, value: String) -> Result<(), UsageError> {
    if flag.kind.as_deref() == Some("int") && value.parse::<i64>().is_err() {
        return Err(UsageError::Flag(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax",
            flag_label(flag)
        )));
    }
    parsed.values.entry(flag.long.clone()).or_default().push(value);
    Ok(())
}

/// `-n, --last` or `--format`: how pflag names a flag in its errors.
fn flag_label(flag: &FlagDef) -> String {
    match flag.short {
        Some(short) => format!("-{short}, --{}", flag.long),
        None => format!("--{}", flag.long),
    }
}

/// The flags a help text's option table declares (what completion offers).
pub fn flag_table(help: &str) -> Vec<FlagDef> {
    parse_flag_table(help)
}

/// Reads pflag's option table (`  -a, --all      Show all…`, `      --format string   …`).
fn parse_flag_table(help: &str) -> Vec<FlagDef> {
    help.lines()
        .filter_map(|line| {
            let (short, rest) = if let Some(rest) = line.strip_prefix("  -") {
                let mut chars = rest.chars();
                let short = chars.next()?;
                (Some(short), chars.as_str().strip_prefix(", --")?)
            } else {
                (None, line.strip_prefix("      --")?)
            };
            let declaration = rest.split("  ").next()?;
            let mut parts = declaration.split(' ');
            let long = parts.next()?.to_string();
            let kind = parts.next().map(str::to_string);
            Some(FlagDef { long, short, kind })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PS: CommandSpec = CommandSpec {
        path: "docker ps",
        help: include_str!("help/ps.txt"),
        args: Args::None,
        interspersed: true,
    };
    const RUN: CommandSpec = CommandSpec {
        path: "docker run",
        help: include_str!("help/run.txt"),
        args: Args::AtLeast(1),
        interspersed: false,
    };

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn reads_every_flag_from_the_help_text() {
        let flags = RUN.flags();
        assert_eq!(flags.len(), 104, "docker run has 104 options");
        let name = flags.iter().find(|f| f.long == "name").unwrap();
        assert_eq!(name.kind.as_deref(), Some("string"));
        let detach = flags.iter().find(|f| f.long == "detach").unwrap();
        assert_eq!((detach.short, detach.kind.as_deref()), (Some('d'), None));
    }

    #[test]
    fn run_flags_stop_at_the_image() {
        let parsed = RUN.parse(&words("-it --rm --name web alpine ls -la")).unwrap();
        assert!(parsed.bool("interactive") && parsed.bool("tty") && parsed.bool("rm"));
        assert_eq!(parsed.value("name"), Some("web"));
        assert_eq!(parsed.args, words("alpine ls -la"));
    }

    #[test]
    fn shorthand_values_attach_or_follow() {
        let parsed = RUN.parse(&words("-p8080:80 -e A=1 --env=B=2 nginx")).unwrap();
        assert_eq!(parsed.value("publish"), Some("8080:80"));
        assert_eq!(parsed.values["env"], vec!["A=1", "B=2"]);
    }

    #[test]
    fn errors_use_pflag_and_cobra_wording() {
        let error = |spec: &CommandSpec, line: &str| spec.parse(&words(line)).unwrap_err();
        assert_eq!(error(&PS, "--bogus"), UsageError::Flag("unknown flag: --bogus".into()));
        // Recorded from docker 28.2.2: pflag names the rest of the cluster from the bad letter.
        assert_eq!(error(&PS, "-az"), UsageError::Flag("unknown shorthand flag: 'z' in -z".into()));
        assert_eq!(error(&PS, "-zq"), UsageError::Flag("unknown shorthand flag: 'z' in -zq".into()));
        assert!(!PS.parse(&words("-a=false")).unwrap().bool("all"));
        assert!(PS.parse(&words("-qa")).unwrap().bool("all"));
        assert_eq!(error(&RUN, "--name"), UsageError::Flag("flag needs an argument: --name".into()));
        assert_eq!(error(&PS, "extra"), UsageError::Args("'docker ps' accepts no arguments".into()));
        assert_eq!(
            error(&RUN, "-d"),
            UsageError::Args("'docker run' requires at least 1 argument".into())
        );
        assert_eq!(
            error(&PS, "-n x"),
            UsageError::Flag(
                "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
                    .into()
            )
        );
    }

    #[test]
    fn ranges_and_multi_line_usage_as_recorded() {
        // Recorded: `docker commit` and `docker cp` with no arguments (docker 28.2.2).
        let commit = CommandSpec { path: "docker commit", help: include_str!("help/commit.txt"), args: Args::Range(1, 2), interspersed: true };
        let error = commit.parse(&[]).unwrap_err();
        assert_eq!(error, UsageError::Args("'docker commit' requires at least 1 and at most 2 arguments".into()));
        assert_eq!(commit.hint(&error), "Run 'docker commit --help' for more information");
        let cp = CommandSpec { path: "docker cp", help: include_str!("help/cp.txt"), args: Args::Exactly(2), interspersed: true };
        assert_eq!(cp.usage_line(), "docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH");
        assert_eq!(PS.usage_line(), "docker ps [OPTIONS]");
    }

    #[test]
    fn help_wins_over_argument_counts() {
        assert!(RUN.parse(&words("--help")).unwrap().help);
        assert!(PS.parse(&words("-h extra")).unwrap().help);
    }
}
