//! The whole Dockerfile as the build sees it: global ARGs, then stages (`FROM … AS name`) each
//! with its steps, every step with its instruction, source text and lines.

use serde::{Deserialize, Serialize};

use super::directives::Directive;
use super::instructions::{parse_instruction, ArgDefinition, Instruction, InstructionError};
use super::node::Node;
use super::parser::{parse_ast, Ast, LocatedSyntaxError, SyntaxError, Warning};

/// Any reason a Dockerfile cannot be built, shown as Docker shows it:
/// `dockerfile parse error on line 3: ENV must have two arguments`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    File(SyntaxError),
    #[error("dockerfile parse error on line {start_line}: {error}")]
    Syntax {
        error: SyntaxError,
        start_line: usize,
        end_line: usize,
    },
    #[error("dockerfile parse error on line {start_line}: {error}")]
    Instruction {
        error: InstructionError,
        start_line: usize,
        end_line: usize,
    },
}

impl ParseError {
    /// The first line concerned (1-based), when the error is about particular lines.
    pub fn line(&self) -> Option<usize> {
        match self {
            ParseError::File(_) => None,
            ParseError::Syntax { start_line, .. } | ParseError::Instruction { start_line, .. } => {
                Some(*start_line)
            }
        }
    }

    /// The message without the location prefix.
    pub fn message(&self) -> String {
        match self {
            ParseError::File(error) | ParseError::Syntax { error, .. } => error.to_string(),
            ParseError::Instruction { error, .. } => error.to_string(),
        }
    }
}

impl From<LocatedSyntaxError> for ParseError {
    fn from(located: LocatedSyntaxError) -> Self {
        match located.kind {
            kind @ SyntaxError::NoInstructions => ParseError::File(kind),
            kind => ParseError::Syntax {
                error: kind,
                start_line: located.start_line,
                end_line: located.end_line,
            },
        }
    }
}

/// One instruction of a stage, where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub instruction: Instruction,
    /// The logical line as written (continuations joined), trimmed: what `docker build` prints.
    pub source: String,
    pub start_line: usize,
    pub end_line: usize,
}

/// A build stage: its FROM and the steps after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// The base: an image reference or an earlier stage's name (variables not yet expanded).
    pub base: String,
    /// `AS name`, lowercased.
    pub name: Option<String>,
    pub platform: Option<String>,
    pub source: String,
    pub start_line: usize,
    pub end_line: usize,
    pub steps: Vec<Step>,
}

/// A parsed and checked Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dockerfile {
    /// ARGs before the first FROM (usable in FROM lines).
    pub global_args: Vec<(ArgDefinition, Step)>,
    pub stages: Vec<Stage>,
    pub directives: Vec<Directive>,
    pub escape: char,
    pub warnings: Vec<Warning>,
    /// The parse tree the stages were built from.
    pub ast: Ast,
}

impl Dockerfile {
    /// A stage by name (case-insensitive, as BuildKit) or by index.
    pub fn stage(&self, name_or_index: &str) -> Option<(usize, &Stage)> {
        let lowered = name_or_index.to_lowercase();
        if let Some(found) = self
            .stages
            .iter()
            .enumerate()
            .find(|(_, s)| s.name.as_deref() == Some(lowered.as_str()))
        {
            return Some(found);
        }
        let index: usize = name_or_index.parse().ok()?;
        self.stages.get(index).map(|stage| (index, stage))
    }

    /// BuildKit's `AST.Dump()` of the file.
    pub fn dump(&self) -> String {
        self.ast.dump()
    }
}

fn step(node: &Node, instruction: Instruction) -> Step {
    Step {
        instruction,
        source: node.original.trim().to_string(),
        start_line: node.start_line,
        end_line: node.end_line,
    }
}

/// Parses and checks a Dockerfile; the first error stops it, as in BuildKit.
pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let ast = parse_ast(text)?;
    let mut global_args = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    for node in &ast.children {
        let located = |error| ParseError::Instruction {
            error,
            start_line: node.start_line,
            end_line: node.end_line,
        };
        let instruction = parse_instruction(node).map_err(located)?;
        match instruction {
            Instruction::Arg(definitions) if stages.is_empty() => {
                for definition in &definitions {
                    global_args.push((
                        definition.clone(),
                        step(node, Instruction::Arg(vec![definition.clone()])),
                    ));
                }
            }
            Instruction::From(from) => stages.push(Stage {
                base: from.image,
                name: from.stage_name,
                platform: from.platform,
                source: node.original.trim().to_string(),
                start_line: node.start_line,
                end_line: node.end_line,
                steps: Vec::new(),
            }),
            other => {
                let stage = stages
                    .last_mut()
                    .ok_or_else(|| located(InstructionError::NoStage))?;
                stage.end_line = node.end_line;
                stage.steps.push(step(node, other));
            }
        }
    }
    Ok(Dockerfile {
        global_args,
        stages,
        directives: ast.directives.clone(),
        escape: ast.escape,
        warnings: ast.warnings.clone(),
        ast,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_steps_and_global_args() {
        let file =
            parse("ARG V=1\nFROM alpine:$V AS base\nRUN a\nFROM base\nCOPY --from=base /x /y\n")
                .unwrap();
        assert_eq!(file.global_args.len(), 1);
        assert_eq!(file.stages.len(), 2);
        assert_eq!(
            file.stage("BASE").map(|(i, s)| (i, s.steps.len())),
            Some((0, 1))
        );
        assert_eq!(file.stage("1").map(|(i, _)| i), Some(1));
        assert_eq!(file.stages[1].steps[0].start_line, 5);
    }

    #[test]
    fn errors_carry_lines() {
        assert_eq!(
            parse("FROM a\n\nENV PATH\n").unwrap_err().to_string(),
            "dockerfile parse error on line 3: ENV must have two arguments"
        );
        assert_eq!(
            parse("FROM a\nFOO x").unwrap_err().to_string(),
            "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)"
        );
        assert_eq!(
            parse("RUN x").unwrap_err().to_string(),
            "dockerfile parse error on line 1: no build stage in current context"
        );
        assert_eq!(
            parse("\n# c\n").unwrap_err().to_string(),
            "file with no instructions"
        );
    }
}
