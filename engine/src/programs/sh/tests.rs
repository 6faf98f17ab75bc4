//! Shell behaviour as dash and busybox ash show it.

use crate::programs::testing::{alpine, busybox, debian, run_sh};

#[test]
fn missing_commands_fail_like_each_shell() {
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "bash -c 'echo hi'");
    assert_eq!(run.exit_code, 127);
    assert_eq!(run.stderr, ["/bin/sh: bash: not found"]);
    let mut tree = busybox();
    let run = run_sh(&mut tree, "/", "bash");
    assert_eq!((run.exit_code, run.stderr.clone()), (127, vec!["/bin/sh: bash: not found".to_string()]));
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "apk add curl");
    assert_eq!((run.exit_code, run.stderr.clone()), (127, vec!["/bin/sh: 1: apk: not found".to_string()]));
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "apt-get update");
    assert_eq!((run.exit_code, run.stderr.clone()), (127, vec!["/bin/sh: apt-get: not found".to_string()]));
}

#[test]
fn and_or_lists_and_set_e() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "false && echo no; echo yes || echo never; false || echo rescued");
    assert_eq!(run.stdout, ["yes", "rescued"]);
    assert_eq!(run.exit_code, 0);
    let run = run_sh(&mut tree, "/", "set -e\necho one\nfalse\necho two");
    assert_eq!(run.stdout, ["one"]);
    assert_eq!(run.exit_code, 1);
    // `set -e` does not fire inside conditions or non-final && parts.
    let run = run_sh(&mut tree, "/", "set -e; if false; then echo a; fi; false && echo b; echo c");
    assert_eq!(run.stdout, ["c"]);
    let run = run_sh(&mut tree, "/", "set -eux; X=1; echo \"$X\" 'a b'");
    assert_eq!(run.stderr, ["+ X=1", "+ echo 1 'a b'"]);
    assert_eq!(run.stdout, ["1 a b"]);
}

#[test]
fn expansions_quotes_and_substitutions() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/tmp", "A=hello; B=\"$A world\"; echo ${A} \"$B\" ${C:-default} ${#A} $(echo sub) `echo back` $((2+3*4)) '$A' \"\\$A\" ~");
    assert_eq!(run.stdout, ["hello hello world default 5 sub back 14 $A $A /root"]);
    let run = run_sh(&mut tree, "/", "F=/usr/local/lib/app.tar.gz; echo ${F##*/} ${F%.tar.gz} ${F#/usr/}");
    assert_eq!(run.stdout, ["app.tar.gz /usr/local/lib/app local/lib/app.tar.gz"]);
    let run = run_sh(&mut tree, "/", "set -u; echo $NOPE");
    assert_eq!((run.exit_code, run.stderr.clone()), (2, vec!["/bin/sh: 1: NOPE: parameter not set".to_string()]));
}

#[test]
fn redirections_pipes_and_files() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "mkdir -p /app && cd /app && echo one > f && echo two >> f && cat f | grep t | tee g && wc -l < f && ls nope 2>/dev/null || echo gone");
    assert_eq!(run.stdout, ["two", "2", "gone"]);
    assert_eq!(tree.read_text("/app/f").unwrap(), "one\ntwo\n");
    assert_eq!(tree.read_text("/app/g").unwrap(), "two\n");
    let run = run_sh(&mut tree, "/", "ls /nope 2>&1 | head -1");
    assert_eq!(run.stdout, ["ls: cannot access '/nope': No such file or directory"]);
    let run = run_sh(&mut tree, "/", "echo x > /missing/dir/file");
    assert_eq!((run.exit_code, run.stderr.clone()), (2, vec!["/bin/sh: 1: cannot create /missing/dir/file: Directory nonexistent".to_string()]));
    let run = run_sh(&mut tree, "/", "cat <<EOF > /etc/app.conf\nport=$((8000 + 80))\nEOF\ncat /etc/app.conf");
    assert_eq!(run.stdout, ["port=8080"]);
}

#[test]
fn control_flow_and_builtins() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "for f in a b c; do [ \"$f\" = b ] && continue; echo $f; done; i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i");
    assert_eq!(run.stdout, ["a", "c", "3"]);
    let run = run_sh(&mut tree, "/", "if [ -f /etc/os-release ]; then echo debian; else echo other; fi; command -v apt-get; command -v nope || echo none; case x86_64 in x86*) echo intel;; *) echo other;; esac");
    assert_eq!(run.stdout, ["debian", "/usr/bin/apt-get", "none", "intel"]);
    let run = run_sh(&mut tree, "/", "export FOO=bar; sh -c 'echo $FOO'; exit 3; echo unreachable");
    assert_eq!((run.stdout.clone(), run.exit_code), (vec!["bar".to_string()], 3));
    let run = run_sh(&mut tree, "/", "while true; do :; done");
    assert_eq!(run.exit_code, 124);
    let run = run_sh(&mut tree, "/", "set -o pipefail");
    assert_eq!((run.exit_code, run.stderr.clone()), (2, vec!["/bin/sh: 1: set: Illegal option -o pipefail".to_string()]));
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "set -o pipefail; false | true");
    assert_eq!(run.exit_code, 1);
}

#[test]
fn syntax_errors_are_reported_per_shell() {
    let mut tree = debian();
    let run = run_sh(&mut tree, "/", "if true; then echo x");
    assert_eq!((run.exit_code, run.stderr.clone()), (2, vec!["/bin/sh: 1: Syntax error: end of file unexpected (expecting \"fi\")".to_string()]));
    let mut tree = alpine();
    let run = run_sh(&mut tree, "/", "echo 'open");
    assert_eq!(run.stderr, ["/bin/sh: syntax error: unterminated quoted string"]);
}
