//! Typed instructions: each node of the parse tree checked and turned into an [`Instruction`]
//! with its flags, as BuildKit's `instructions` package does, with BuildKit's error wording.
//!
//! Values stay as written (quotes and `$VAR`s included); the build expands them step by step
//! with the environment of the moment ([`Instruction::expand`]).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::build_flags::{BuildFlags, FlagError};
use super::duration::{parse_duration, DurationError};
use super::heredoc::{chomp_heredoc_content, parse_heredoc};
use super::node::{go_quote, Node};
use super::run_mount::{check_mount_syntax, parse_device, Device, MountError};
use super::shell_words::ShellWordError;
use super::suggest;

const INSTRUCTION_NAMES: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Why an instruction is invalid. Messages are BuildKit's, capitals included.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum InstructionError {
    #[error("unknown instruction: {instruction}{hint}")]
    Unknown { instruction: String, hint: String },
    #[error("{0} requires at least one argument")]
    AtLeastOneArgument(&'static str),
    #[error("{0} requires exactly one argument")]
    ExactlyOneArgument(&'static str),
    #[error("{0} requires at least two arguments, but only one was provided. Destination could not be determined")]
    NoDestination(&'static str),
    #[error("{0} cannot accept a heredoc as a destination")]
    HeredocDestination(&'static str),
    #[error("{0} names can not be blank")]
    BlankName(&'static str),
    #[error("Bad input to {0}, too many arguments")]
    TooManyArguments(&'static str),
    #[error("{0} requires the arguments to be in JSON form")]
    NotJson(&'static str),
    #[error("invalid name for build stage: {}, name can't start with a number or contain symbols", go_quote(.0))]
    InvalidStageName(String),
    #[error("FROM requires either one or three arguments")]
    FromArguments,
    #[error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    ChainedOnbuild,
    #[error("{0} isn't allowed as an ONBUILD trigger")]
    ForbiddenTrigger(String),
    #[error("HEALTHCHECK NONE takes no arguments")]
    HealthcheckNoneWithArguments,
    #[error("Missing command after HEALTHCHECK CMD")]
    HealthcheckMissingCommand,
    #[error("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(.0))]
    HealthcheckType(String),
    #[error(transparent)]
    Duration(#[from] DurationError),
    #[error("Interval \"{0}\" cannot be less than 1ms")]
    IntervalTooShort(&'static str),
    #[error("strconv.ParseInt: parsing {}: {reason}", go_quote(.value))]
    Retries { value: String, reason: &'static str },
    #[error("--retries cannot be negative ({0})")]
    NegativeRetries(i64),
    #[error("VOLUME specified can not be an empty string")]
    EmptyVolume,
    #[error("invalid network mode \"{0}\"")]
    Network(String),
    #[error("security \"{0}\" is not valid")]
    Security(String),
    #[error("no build stage in current context")]
    NoStage,
    #[error(transparent)]
    Flag(#[from] FlagError),
    #[error(transparent)]
    Mount(#[from] MountError),
}

/// `key=value` from ENV or LABEL; `legacy` marks the `ENV key value` form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    pub legacy: bool,
}

/// One name of an ARG, with its default if given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArgDefinition {
    pub name: String,
    pub default: Option<String>,
}

/// A heredoc given to RUN/CMD/ENTRYPOINT as a file for the shell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineFile {
    pub name: String,
    pub data: String,
    pub chomp: bool,
}

/// A command in shell form (`prepend_shell`, one string) or exec form (JSON array).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandLine {
    pub args: Vec<String>,
    pub prepend_shell: bool,
    pub files: Vec<InlineFile>,
}

/// A heredoc used as a COPY/ADD source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceContent {
    pub path: String,
    pub data: String,
    pub expand: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcesAndDest {
    pub dest: String,
    pub source_paths: Vec<String>,
    pub source_contents: Vec<SourceContent>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copy {
    pub files: SourcesAndDest,
    /// `--from`: a stage name, a stage index or an image.
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Add {
    pub files: SourcesAndDest,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub keep_git_dir: Option<bool>,
    pub checksum: Option<String>,
    pub unpack: Option<bool>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    #[default]
    Default,
    None,
    Host,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    #[default]
    Sandbox,
    Insecure,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub command: CommandLine,
    /// `--mount` specs as written; parse each with [`super::parse_mount`] once expanded.
    pub mounts: Vec<String>,
    pub network: NetworkMode,
    pub security: Security,
    pub devices: Vec<Device>,
    /// Names of the flags given, sorted.
    pub flags_used: Vec<String>,
}

/// HEALTHCHECK, in the image-config shape: `test` is `["NONE"]`, `["CMD", args…]` or
/// `["CMD-SHELL", command]`; durations in nanoseconds, 0 meaning "default".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval_ns: i64,
    pub timeout_ns: i64,
    pub start_period_ns: i64,
    pub start_interval_ns: i64,
    pub retries: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct From {
    pub image: String,
    /// `AS name`, lowercased.
    pub stage_name: Option<String>,
    pub platform: Option<String>,
}

/// Every Dockerfile instruction, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Instruction {
    From(From),
    Run(Run),
    Cmd(CommandLine),
    Entrypoint(CommandLine),
    Shell(Vec<String>),
    Env(Vec<KeyValue>),
    Label(Vec<KeyValue>),
    Arg(Vec<ArgDefinition>),
    Copy(Copy),
    Add(Add),
    Workdir(String),
    User(String),
    Volume(Vec<String>),
    /// Ports as written, sorted.
    Expose(Vec<String>),
    StopSignal(String),
    Healthcheck(Healthcheck),
    /// The trigger instruction's source text (heredoc bodies appended).
    Onbuild(String),
    Maintainer(String),
}

impl Instruction {
    /// The keyword, upper case (`COPY`).
    pub fn keyword(&self) -> &'static str {
        match self {
            Instruction::From(_) => "FROM",
            Instruction::Run(_) => "RUN",
            Instruction::Cmd(_) => "CMD",
            Instruction::Entrypoint(_) => "ENTRYPOINT",
            Instruction::Shell(_) => "SHELL",
            Instruction::Env(_) => "ENV",
            Instruction::Label(_) => "LABEL",
            Instruction::Arg(_) => "ARG",
            Instruction::Copy(_) => "COPY",
            Instruction::Add(_) => "ADD",
            Instruction::Workdir(_) => "WORKDIR",
            Instruction::User(_) => "USER",
            Instruction::Volume(_) => "VOLUME",
            Instruction::Expose(_) => "EXPOSE",
            Instruction::StopSignal(_) => "STOPSIGNAL",
            Instruction::Healthcheck(_) => "HEALTHCHECK",
            Instruction::Onbuild(_) => "ONBUILD",
            Instruction::Maintainer(_) => "MAINTAINER",
        }
    }

    /// Expands variables in the values BuildKit expands for this instruction (keys and values of
    /// ENV/LABEL/ARG, COPY/ADD paths, chown and chmod, WORKDIR, USER, VOLUME, STOPSIGNAL), and
    /// the bodies of heredoc sources whose name was not quoted. RUN/CMD/ENTRYPOINT are left for
    /// the shell.
    pub fn expand(
        &mut self,
        expand: &mut dyn FnMut(&str) -> Result<String, ShellWordError>,
    ) -> Result<(), ShellWordError> {
        fn each(
            values: &mut [String],
            expand: &mut dyn FnMut(&str) -> Result<String, ShellWordError>,
        ) -> Result<(), ShellWordError> {
            values
                .iter_mut()
                .try_for_each(|v| expand(v).map(|new| *v = new))
        }
        fn optional(
            value: &mut Option<String>,
            expand: &mut dyn FnMut(&str) -> Result<String, ShellWordError>,
        ) -> Result<(), ShellWordError> {
            value
                .iter_mut()
                .try_for_each(|v| expand(v).map(|new| *v = new))
        }
        fn files(
            files: &mut SourcesAndDest,
            expand: &mut dyn FnMut(&str) -> Result<String, ShellWordError>,
        ) -> Result<(), ShellWordError> {
            each(&mut files.source_paths, expand)?;
            files.dest = expand(&files.dest)?;
            files
                .source_contents
                .iter_mut()
                .filter(|c| c.expand)
                .try_for_each(|c| expand(&c.data).map(|new| c.data = new))
        }
        match self {
            Instruction::Env(pairs) | Instruction::Label(pairs) => {
                pairs.iter_mut().try_for_each(|pair| {
                    pair.key = expand(&pair.key)?;
                    pair.value = expand(&pair.value)?;
                    Ok(())
                })
            }
            Instruction::Arg(definitions) => definitions.iter_mut().try_for_each(|definition| {
                definition.name = expand(&definition.name)?;
                optional(&mut definition.default, expand)
            }),
            Instruction::Copy(copy) => {
                optional(&mut copy.chown, expand)?;
                optional(&mut copy.chmod, expand)?;
                files(&mut copy.files, expand)
            }
            Instruction::Add(add) => {
                optional(&mut add.chown, expand)?;
                optional(&mut add.chmod, expand)?;
                optional(&mut add.checksum, expand)?;
                files(&mut add.files, expand)
            }
            Instruction::Workdir(value)
            | Instruction::User(value)
            | Instruction::StopSignal(value) => {
                *value = expand(value)?;
                Ok(())
            }
            Instruction::Volume(values) => each(values, expand),
            _ => Ok(()),
        }
    }
}

/// Checks one node and builds its instruction (BuildKit's `ParseInstruction`).
pub fn parse_instruction(node: &Node) -> Result<Instruction, InstructionError> {
    let args = node.args();
    let mut flags = BuildFlags::new(&node.flags);
    let keyword = node.value.to_lowercase();
    match keyword.as_str() {
        "env" => {
            flags.parse()?;
            Ok(Instruction::Env(key_values(&args, "ENV")?))
        }
        "label" => {
            flags.parse()?;
            Ok(Instruction::Label(key_values(&args, "LABEL")?))
        }
        "maintainer" => {
            let [maintainer] = args.as_slice() else {
                return Err(InstructionError::ExactlyOneArgument("MAINTAINER"));
            };
            flags.parse()?;
            Ok(Instruction::Maintainer(maintainer.clone()))
        }
        "add" => parse_add(node, &args, flags),
        "copy" => parse_copy(node, &args, flags),
        "from" => parse_from(&args, flags),
        "onbuild" => parse_onbuild(node, &args, flags),
        "workdir" => {
            let [path] = args.as_slice() else {
                return Err(InstructionError::ExactlyOneArgument("WORKDIR"));
            };
            flags.parse()?;
            Ok(Instruction::Workdir(path.clone()))
        }
        "run" => parse_run(node, &args, flags),
        "cmd" => {
            flags.parse()?;
            Ok(Instruction::Cmd(command_line(node, &args)))
        }
        "entrypoint" => {
            flags.parse()?;
            Ok(Instruction::Entrypoint(command_line(node, &args)))
        }
        "healthcheck" => parse_healthcheck(node, &args, flags),
        "expose" => {
            if args.is_empty() {
                return Err(InstructionError::AtLeastOneArgument("EXPOSE"));
            }
            flags.parse()?;
            let mut ports = args;
            ports.sort();
            Ok(Instruction::Expose(ports))
        }
        "user" => {
            let [user] = args.as_slice() else {
                return Err(InstructionError::ExactlyOneArgument("USER"));
            };
            flags.parse()?;
            Ok(Instruction::User(user.clone()))
        }
        "volume" => {
            if args.is_empty() {
                return Err(InstructionError::AtLeastOneArgument("VOLUME"));
            }
            flags.parse()?;
            let volumes: Vec<String> = args.iter().map(|v| v.trim().to_string()).collect();
            if volumes.iter().any(String::is_empty) {
                return Err(InstructionError::EmptyVolume);
            }
            Ok(Instruction::Volume(volumes))
        }
        // BuildKit never looks at STOPSIGNAL's or ARG's flags.
        "stopsignal" => {
            let [signal] = args.as_slice() else {
                return Err(InstructionError::ExactlyOneArgument("STOPSIGNAL"));
            };
            Ok(Instruction::StopSignal(signal.clone()))
        }
        "arg" => parse_arg(&args),
        "shell" => {
            flags.parse()?;
            let shell = shell_form_args(node, &args);
            if shell.is_empty() {
                return Err(InstructionError::AtLeastOneArgument("SHELL"));
            }
            if !node.json {
                return Err(InstructionError::NotJson("SHELL"));
            }
            Ok(Instruction::Shell(shell))
        }
        _ => Err(InstructionError::Unknown {
            instruction: node.value.clone(),
            hint: suggest::hint(&node.value, &INSTRUCTION_NAMES, false),
        }),
    }
}

fn key_values(
    args: &[String],
    instruction: &'static str,
) -> Result<Vec<KeyValue>, InstructionError> {
    if args.is_empty() {
        return Err(InstructionError::AtLeastOneArgument(instruction));
    }
    if !args.len().is_multiple_of(3) {
        return Err(InstructionError::TooManyArguments(instruction));
    }
    args.chunks(3)
        .map(|chunk| match chunk {
            [key, _, _] if key.is_empty() => Err(InstructionError::BlankName(instruction)),
            [key, value, separator] => Ok(KeyValue {
                key: key.clone(),
                value: value.clone(),
                legacy: separator.is_empty(),
            }),
            _ => Err(InstructionError::TooManyArguments(instruction)),
        })
        .collect()
}

/// Exec form keeps the arguments; shell form joins them into one string.
fn shell_form_args(node: &Node, args: &[String]) -> Vec<String> {
    if args.is_empty() {
        Vec::new()
    } else if node.json {
        args.to_vec()
    } else {
        vec![args.join(" ")]
    }
}

fn command_line(node: &Node, args: &[String]) -> CommandLine {
    CommandLine {
        args: shell_form_args(node, args),
        prepend_shell: !node.json,
        files: node
            .heredocs
            .iter()
            .map(|h| InlineFile {
                name: h.name.clone(),
                data: h.content.clone(),
                chomp: h.chomp,
            })
            .collect(),
    }
}

fn sources_and_dest(
    node: &Node,
    args: &[String],
    instruction: &'static str,
) -> Result<SourcesAndDest, InstructionError> {
    let Some((dest, sources)) = args.split_last() else {
        return Err(InstructionError::NoDestination(instruction));
    };
    if matches!(parse_heredoc(dest), Ok(Some(_))) {
        return Err(InstructionError::HeredocDestination(instruction));
    }
    let mut files = SourcesAndDest {
        dest: dest.clone(),
        ..SourcesAndDest::default()
    };
    for source in sources {
        match parse_heredoc(source) {
            Ok(Some(heredoc)) => {
                let body = node
                    .heredocs
                    .iter()
                    .find(|h| h.name == heredoc.name)
                    .map(|h| h.content.as_str())
                    .unwrap_or("");
                let data = if heredoc.chomp {
                    chomp_heredoc_content(body)
                } else {
                    body.to_string()
                };
                files.source_contents.push(SourceContent {
                    path: heredoc.name,
                    data,
                    expand: heredoc.expand,
                });
            }
            _ => files.source_paths.push(source.clone()),
        }
    }
    Ok(files)
}

fn parse_add(
    node: &Node,
    args: &[String],
    mut flags: BuildFlags,
) -> Result<Instruction, InstructionError> {
    if args.len() < 2 {
        return Err(InstructionError::NoDestination("ADD"));
    }
    flags.declare_string("chown");
    flags.declare_string("chmod");
    flags.declare_bool("link");
    flags.declare_bool("keep-git-dir");
    flags.declare_string("checksum");
    flags.declare_bool("unpack");
    flags.declare_strings("exclude");
    flags.parse()?;
    let files = sources_and_dest(node, args, "ADD")?;
    let optional_bool = |name: &str| flags.is_used(name).then(|| flags.bool(name));
    Ok(Instruction::Add(Add {
        files,
        chown: flags.string("chown").filter(|v| !v.is_empty()),
        chmod: flags.string("chmod").filter(|v| !v.is_empty()),
        link: flags.bool("link"),
        keep_git_dir: optional_bool("keep-git-dir"),
        checksum: flags.string("checksum").filter(|v| !v.is_empty()),
        unpack: optional_bool("unpack"),
        exclude: flags.strings("exclude"),
    }))
}

fn parse_copy(
    node: &Node,
    args: &[String],
    mut flags: BuildFlags,
) -> Result<Instruction, InstructionError> {
    if args.len() < 2 {
        return Err(InstructionError::NoDestination("COPY"));
    }
    flags.declare_string("chown");
    flags.declare_string("from");
    flags.declare_string("chmod");
    flags.declare_bool("link");
    flags.declare_strings("exclude");
    flags.declare_bool("parents");
    flags.parse()?;
    let files = sources_and_dest(node, args, "COPY")?;
    Ok(Instruction::Copy(Copy {
        files,
        from: flags.string("from").filter(|v| !v.is_empty()),
        chown: flags.string("chown").filter(|v| !v.is_empty()),
        chmod: flags.string("chmod").filter(|v| !v.is_empty()),
        link: flags.bool("link"),
        parents: flags.bool("parents"),
        exclude: flags.strings("exclude"),
    }))
}

/// `^[a-z][a-z0-9-_.]*$`
fn is_valid_stage_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn parse_from(args: &[String], mut flags: BuildFlags) -> Result<Instruction, InstructionError> {
    let stage_name = match args {
        [_, as_keyword, name] if as_keyword.eq_ignore_ascii_case("as") => {
            let lowered = name.to_lowercase();
            if !is_valid_stage_name(&lowered) {
                return Err(InstructionError::InvalidStageName(name.clone()));
            }
            Some(lowered)
        }
        [_] => None,
        _ => return Err(InstructionError::FromArguments),
    };
    flags.declare_string("platform");
    flags.parse()?;
    let image = args.first().cloned().unwrap_or_default();
    Ok(Instruction::From(From {
        image,
        stage_name,
        platform: flags.string("platform").filter(|p| !p.is_empty()),
    }))
}

fn parse_onbuild(
    node: &Node,
    args: &[String],
    mut flags: BuildFlags,
) -> Result<Instruction, InstructionError> {
    let Some(trigger) = args.first() else {
        return Err(InstructionError::AtLeastOneArgument("ONBUILD"));
    };
    flags.parse()?;
    let trigger = trigger.trim().to_uppercase();
    match trigger.as_str() {
        "ONBUILD" => return Err(InstructionError::ChainedOnbuild),
        "MAINTAINER" | "FROM" => return Err(InstructionError::ForbiddenTrigger(trigger)),
        _ => {}
    }
    // The original line minus `ONBUILD` and the spaces after it (`(?i)^\s*ONBUILD\s*`).
    let original = node.original.trim_start();
    let mut expression = match original.get(..7) {
        Some(keyword) if keyword.eq_ignore_ascii_case("onbuild") => {
            original.get(7..).unwrap_or("").trim_start().to_string()
        }
        _ => node.original.clone(),
    };
    for heredoc in &node.heredocs {
        expression.push('\n');
        expression.push_str(&heredoc.content);
        expression.push_str(&heredoc.name);
    }
    Ok(Instruction::Onbuild(expression))
}

fn parse_run(
    node: &Node,
    args: &[String],
    mut flags: BuildFlags,
) -> Result<Instruction, InstructionError> {
    flags.declare_strings("mount");
    flags.declare_string("network");
    flags.declare_string("security");
    flags.declare_strings("device");
    flags.parse()?;
    let mounts = flags.strings("mount");
    for mount in &mounts {
        check_mount_syntax(mount)?;
    }
    let network = match flags.string("network").as_deref().unwrap_or("default") {
        "default" => NetworkMode::Default,
        "none" => NetworkMode::None,
        "host" => NetworkMode::Host,
        other => return Err(InstructionError::Network(other.to_string())),
    };
    let security = match flags.string("security").as_deref().unwrap_or("sandbox") {
        "sandbox" => Security::Sandbox,
        "insecure" => Security::Insecure,
        other => return Err(InstructionError::Security(other.to_string())),
    };
    let devices = flags
        .strings("device")
        .iter()
        .map(|d| parse_device(d))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Instruction::Run(Run {
        command: command_line(node, args),
        mounts,
        network,
        security,
        devices,
        flags_used: flags.used(),
    }))
}

/// A HEALTHCHECK duration flag: unset or 0 means "inherit"; otherwise at least 1ms.
fn interval(flags: &BuildFlags, name: &'static str) -> Result<i64, InstructionError> {
    let Some(text) = flags.string(name).filter(|t| !t.is_empty()) else {
        return Ok(0);
    };
    let nanos = parse_duration(&text)?;
    if nanos != 0 && nanos < 1_000_000 {
        return Err(InstructionError::IntervalTooShort(name));
    }
    Ok(nanos)
}

fn parse_retries(text: &str) -> Result<i64, InstructionError> {
    let invalid = |reason| InstructionError::Retries {
        value: text.to_string(),
        reason,
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("invalid syntax"));
    }
    let magnitude: i64 = digits.parse().map_err(|_| invalid("value out of range"))?;
    let value = if negative { -magnitude } else { magnitude };
    if i32::try_from(value).is_err() {
        return Err(invalid("value out of range"));
    }
    Ok(value)
}

fn parse_healthcheck(
    node: &Node,
    args: &[String],
    mut flags: BuildFlags,
) -> Result<Instruction, InstructionError> {
    let Some((kind, rest)) = args.split_first() else {
        return Err(InstructionError::AtLeastOneArgument("HEALTHCHECK"));
    };
    let kind = kind.to_uppercase();
    if kind == "NONE" {
        if !rest.is_empty() {
            return Err(InstructionError::HealthcheckNoneWithArguments);
        }
        return Ok(Instruction::Healthcheck(Healthcheck {
            test: vec![kind],
            ..Healthcheck::default()
        }));
    }
    for name in [
        "interval",
        "timeout",
        "start-period",
        "start-interval",
        "retries",
    ] {
        flags.declare_string(name);
    }
    flags.parse()?;
    if kind != "CMD" {
        return Err(InstructionError::HealthcheckType(kind));
    }
    let command = shell_form_args(node, rest);
    if command.is_empty() {
        return Err(InstructionError::HealthcheckMissingCommand);
    }
    let mut test = vec![if node.json {
        kind
    } else {
        "CMD-SHELL".to_string()
    }];
    test.extend(command);
    let mut health = Healthcheck {
        test,
        interval_ns: interval(&flags, "interval")?,
        timeout_ns: interval(&flags, "timeout")?,
        start_period_ns: interval(&flags, "start-period")?,
        start_interval_ns: interval(&flags, "start-interval")?,
        retries: 0,
    };
    if let Some(text) = flags.string("retries").filter(|r| !r.is_empty()) {
        health.retries = parse_retries(&text)?;
    }
    if health.retries < 0 {
        return Err(InstructionError::NegativeRetries(health.retries));
    }
    Ok(Instruction::Healthcheck(health))
}

fn parse_arg(args: &[String]) -> Result<Instruction, InstructionError> {
    if args.is_empty() {
        return Err(InstructionError::AtLeastOneArgument("ARG"));
    }
    args.iter()
        .map(|arg| match arg.split_once('=') {
            Some(("", _)) => Err(InstructionError::BlankName("ARG")),
            Some((name, value)) => Ok(ArgDefinition {
                name: name.to_string(),
                default: Some(value.to_string()),
            }),
            None => Ok(ArgDefinition {
                name: arg.clone(),
                default: None,
            }),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Instruction::Arg)
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse_ast;
    use super::*;

    fn first(text: &str) -> Result<Instruction, InstructionError> {
        let ast = parse_ast(text).expect("test input parses");
        parse_instruction(&ast.children[0])
    }

    #[test]
    fn copy_flags_and_heredoc_sources() {
        let Ok(Instruction::Copy(copy)) =
            first("COPY --from=build --chmod=755 --link <<-EOF a.txt /dst/\n\thi\nEOF")
        else {
            panic!("not a copy")
        };
        assert_eq!(
            (copy.from.as_deref(), copy.chmod.as_deref(), copy.link),
            (Some("build"), Some("755"), true)
        );
        assert_eq!(copy.files.source_paths, vec!["a.txt"]);
        assert_eq!(
            copy.files.source_contents,
            vec![SourceContent {
                path: "EOF".into(),
                data: "hi\n".into(),
                expand: true
            }]
        );
    }

    #[test]
    fn run_flags() {
        let Ok(Instruction::Run(run)) =
            first("RUN --mount=type=cache,target=/c --network=none apk add x")
        else {
            panic!("not a run")
        };
        assert_eq!(
            (run.mounts.len(), run.network, run.command.args.as_slice()),
            (1, NetworkMode::None, ["apk add x".to_string()].as_slice())
        );
        assert_eq!(
            first("RUN --network=bridge x").unwrap_err().to_string(),
            "invalid network mode \"bridge\""
        );
        assert_eq!(
            first("RUN --mout=type=cache x").unwrap_err().to_string(),
            "unknown flag: --mout (did you mean mount?)"
        );
    }

    #[test]
    fn from_and_stage_names() {
        assert_eq!(
            first("FROM --platform=$BUILDPLATFORM golang:1.22 AS Build").unwrap(),
            Instruction::From(From {
                image: "golang:1.22".into(),
                stage_name: Some("build".into()),
                platform: Some("$BUILDPLATFORM".into())
            })
        );
        assert_eq!(first("FROM a AS 1x").unwrap_err().to_string(), "invalid name for build stage: \"1x\", name can't start with a number or contain symbols");
        assert_eq!(
            first("FROM a b").unwrap_err(),
            InstructionError::FromArguments
        );
    }

    #[test]
    fn healthcheck_forms() {
        let Ok(Instruction::Healthcheck(health)) =
            first("HEALTHCHECK --interval=5s --retries=3 CMD curl -f x || exit 1")
        else {
            panic!()
        };
        assert_eq!(health.test, vec!["CMD-SHELL", "curl -f x || exit 1"]);
        assert_eq!((health.interval_ns, health.retries), (5_000_000_000, 3));
        assert_eq!(
            first("HEALTHCHECK --timeout=1ns CMD x")
                .unwrap_err()
                .to_string(),
            "Interval \"timeout\" cannot be less than 1ms"
        );
        assert_eq!(
            first("HEALTHCHECK CONNECT TCP 7000")
                .unwrap_err()
                .to_string(),
            "Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)"
        );
        assert_eq!(
            first("HEALTHCHECK NONE").unwrap(),
            Instruction::Healthcheck(Healthcheck {
                test: vec!["NONE".into()],
                ..Healthcheck::default()
            })
        );
    }

    #[test]
    fn onbuild_keeps_the_trigger_source() {
        assert_eq!(
            first("onbuild   RUN echo hi").unwrap(),
            Instruction::Onbuild("RUN echo hi".into())
        );
        assert_eq!(
            first("ONBUILD MAINTAINER x").unwrap_err().to_string(),
            "MAINTAINER isn't allowed as an ONBUILD trigger"
        );
    }

    #[test]
    fn unknown_instructions_get_suggestions() {
        assert_eq!(
            first("RUNN x").unwrap_err().to_string(),
            "unknown instruction: RUNN (did you mean RUN?)"
        );
        assert_eq!(
            first("SHELL /bin/sh -c").unwrap_err().to_string(),
            "SHELL requires the arguments to be in JSON form"
        );
    }

    #[test]
    fn expansion_uses_the_given_expander() {
        let mut env = first("ENV A=$B C=\"x y\"").unwrap();
        let lexer = super::super::shell_words::ShellLexer::new('\\');
        let vars: std::collections::BTreeMap<String, String> =
            [("B".to_string(), "b".to_string())].into();
        env.expand(&mut |word| lexer.process_word(word, &vars))
            .unwrap();
        assert_eq!(
            env,
            Instruction::Env(vec![
                KeyValue {
                    key: "A".into(),
                    value: "b".into(),
                    legacy: false
                },
                KeyValue {
                    key: "C".into(),
                    value: "x y".into(),
                    legacy: false
                },
            ])
        );
    }
}
