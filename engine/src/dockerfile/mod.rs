//! Dockerfiles: a BuildKit-conformant parser (directives, continuations, heredocs, JSON and shell
//! forms), instruction parsing with Docker's errors, and BuildKit's shell-word expansion.
//!
//! The layers follow BuildKit's: [`parse_ast`] turns text into instruction [`Node`]s (whose
//! [`Ast::dump`] is BuildKit's `Dump()` format), [`parse_instruction`] checks one node into a typed
//! [`Instruction`], and [`parse`] does both and groups the steps into [`Stage`]s. Values stay
//! as written; the build expands them with [`ShellLexer`] as it goes.

mod build_flags;
mod directives;
mod duration;
mod heredoc;
mod instructions;
mod line_parsers;
mod node;
mod parser;
mod run_mount;
mod shell_words;
mod stages;
mod suggest;

pub use build_flags::FlagError;
pub use directives::{Directive, DirectiveError};
pub use duration::DurationError;
pub use heredoc::{
    chomp_heredoc_content, heredocs_from_line, parse_heredoc, Heredoc, HeredocError,
};
pub use instructions::{
    parse_instruction, Add, ArgDefinition, CommandLine, Copy, From, Healthcheck, InlineFile,
    Instruction, InstructionError, KeyValue, NetworkMode, Run, Security, SourceContent,
    SourcesAndDest,
};
pub use line_parsers::LineError;
pub use node::{go_quote, Node};
pub use parser::{parse_ast, Ast, LocatedSyntaxError, SyntaxError, Warning};
pub use run_mount::{
    check_mount_syntax, parse_device, parse_mount, CacheSharing, CsvError, Device, Mount,
    MountError, MountType,
};
pub use shell_words::{NoVariables, ShellLexer, ShellWordError, VariableLookup};
pub use stages::{parse, Dockerfile, ParseError, Stage, Step};
