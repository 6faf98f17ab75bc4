//! `cp` and `mv` over the learner's files, with GNU coreutils' messages.

use super::files::HOME;
use crate::fs::{normalize, FileTree};
use crate::outcome::Outcome;

/// `cp [-r] SRC… DEST` and `mv SRC… DEST`: into DEST when it is a directory, else as DEST.
pub fn copy_or_move(tree: &mut FileTree, cwd: &str, program: &str, args: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let flags: String = args.iter().filter(|a| a.starts_with('-') && a.len() > 1).flat_map(|a| a.chars().skip(1)).collect();
    let recursive = program == "mv" || flags.contains('r') || flags.contains('R') || flags.contains('a');
    let operands: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
    let (sources, dest) = match operands.as_slice() {
        [] => {
            outcome.err(format!("{program}: missing file operand"));
            outcome.err(format!("Try '{program} --help' for more information."));
            return outcome.fail(1);
        }
        [only] => {
            outcome.err(format!("{program}: missing destination file operand after '{only}'"));
            outcome.err(format!("Try '{program} --help' for more information."));
            return outcome.fail(1);
        }
        [sources @ .., dest] => (sources, *dest),
    };
    let resolve = |text: &str| normalize(&text.replacen('~', HOME, 1), cwd);
    let dest_path = resolve(dest);
    let into_dir = tree.is_dir(&dest_path);
    if sources.len() > 1 && !into_dir {
        outcome.err(format!("{program}: target '{dest}' is not a directory"));
        return outcome.fail(1);
    }
    for source in sources {
        let from = resolve(source);
        if !tree.exists(&from) {
            outcome.err(format!("{program}: cannot stat '{source}': No such file or directory"));
            outcome.exit_code = 1;
            continue;
        }
        if tree.is_dir(&from) && !recursive {
            outcome.err(format!("{program}: -r not specified; omitting directory '{source}'"));
            outcome.exit_code = 1;
            continue;
        }
        let to = if into_dir { format!("{}/{}", dest_path.trim_end_matches('/'), crate::fs::file_name(&from)) } else { dest_path.clone() };
        let shown = if into_dir { format!("{}/{}", dest.trim_end_matches('/'), crate::fs::file_name(&from)) } else { dest.to_string() };
        if to == from {
            outcome.err(format!("{program}: '{source}' and '{shown}' are the same file"));
            outcome.exit_code = 1;
            continue;
        }
        if crate::fs::is_within(&to, &from) {
            outcome.err(if program == "mv" {
                format!("mv: cannot move '{source}' to a subdirectory of itself, '{shown}'")
            } else {
                format!("cp: cannot copy a directory, '{source}', into itself, '{shown}'")
            });
            outcome.exit_code = 1;
            continue;
        }
        if !tree.is_dir(crate::fs::parent(&to)) {
            outcome.err(format!("{program}: cannot create regular file '{dest}': No such file or directory"));
            outcome.exit_code = 1;
            continue;
        }
        let copied: Vec<(String, crate::fs::Node)> = std::iter::once((from.clone(), tree.get(&from).cloned()))
            .chain(tree.descendants(&from).map(|(path, node)| (path.clone(), Some(node.clone()))))
            .filter_map(|(path, node)| Some((path, node?)))
            .collect();
        if tree.is_dir(&to) {
            tree.remove_all(&to);
        }
        for (path, node) in copied {
            let target = format!("{to}{}", &path[from.len()..]);
            tree.insert(&target, node);
        }
        if program == "mv" {
            tree.remove_all(&from);
        }
    }
    outcome
}
