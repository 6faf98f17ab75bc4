//! The host shell's `cp`, `mv` and `test`/`[`: what learners use to shuffle project files and
//! check for them, with coreutils' and bash's messages.

use engine::Engine;

fn run(engine: &mut Engine, line: &str) -> (i32, String) {
    let outcome = engine.run(line);
    (outcome.exit_code, outcome.text())
}

#[test]
fn cp_and_mv_copy_files_and_trees() {
    let mut engine = Engine::new(1);
    run(&mut engine, "mkdir app && echo hi > app/a.txt && echo FROM busybox > app/Dockerfile");
    assert_eq!(run(&mut engine, "cp app/a.txt app/b.txt && cat app/b.txt"), (0, "hi\n".into()));
    assert_eq!(run(&mut engine, "cp app copy"), (1, "cp: -r not specified; omitting directory 'app'\n".into()));
    assert_eq!(run(&mut engine, "cp -r app copy && ls copy"), (0, "Dockerfile  a.txt  b.txt\n".into()));
    assert_eq!(run(&mut engine, "mv copy/a.txt copy/c.txt && ls copy"), (0, "Dockerfile  b.txt  c.txt\n".into()));
    run(&mut engine, "mkdir dest");
    assert_eq!(run(&mut engine, "cp app/a.txt app/b.txt dest && ls dest"), (0, "a.txt  b.txt\n".into()));
    assert_eq!(run(&mut engine, "mv dest moved && ls"), (0, "app  copy  moved\n".into()));
    // The copy is independent of the original.
    run(&mut engine, "echo changed > app/a.txt");
    assert_eq!(run(&mut engine, "cat moved/a.txt"), (0, "hi\n".into()));
}

#[test]
fn cp_and_mv_refuse_like_coreutils() {
    let mut engine = Engine::new(1);
    run(&mut engine, "mkdir app && echo hi > app/a.txt");
    assert_eq!(run(&mut engine, "cp"), (1, "cp: missing file operand\nTry 'cp --help' for more information.\n".into()));
    assert_eq!(run(&mut engine, "mv app/a.txt"), (1, "mv: missing destination file operand after 'app/a.txt'\nTry 'mv --help' for more information.\n".into()));
    assert_eq!(run(&mut engine, "cp nope x"), (1, "cp: cannot stat 'nope': No such file or directory\n".into()));
    assert_eq!(run(&mut engine, "cp app/a.txt app/a.txt"), (1, "cp: 'app/a.txt' and 'app/a.txt' are the same file\n".into()));
    assert_eq!(run(&mut engine, "mv app app"), (1, "mv: cannot move 'app' to a subdirectory of itself, 'app/app'\n".into()));
    assert_eq!(run(&mut engine, "cp -r app app"), (1, "cp: cannot copy a directory, 'app', into itself, 'app/app'\n".into()));
    assert_eq!(run(&mut engine, "cp app/a.txt nodir/x"), (1, "cp: cannot create regular file 'nodir/x': No such file or directory\n".into()));
    assert_eq!(run(&mut engine, "cp app/a.txt app/a.txt x"), (1, "cp: target 'x' is not a directory\n".into()));
}

#[test]
fn test_and_brackets_check_files_strings_and_numbers() {
    let mut engine = Engine::new(1);
    run(&mut engine, "mkdir app && echo hi > app/a.txt && touch app/empty");
    let status = |engine: &mut Engine, line: &str| run(engine, line).0;
    assert_eq!(status(&mut engine, "[ -f app/a.txt ]"), 0);
    assert_eq!(status(&mut engine, "[ -f app ]"), 1);
    assert_eq!(status(&mut engine, "[ -d app ]"), 0);
    assert_eq!(status(&mut engine, "[ -e app/nope ]"), 1);
    assert_eq!(status(&mut engine, "[ -s app/a.txt ] && [ ! -s app/empty ]"), 0);
    assert_eq!(status(&mut engine, "test -z ''"), 0);
    assert_eq!(status(&mut engine, "test -n ''"), 1);
    assert_eq!(status(&mut engine, "[ abc = abc -a 3 -gt 2 ]"), 0);
    assert_eq!(status(&mut engine, "[ abc != abc -o 1 -le 1 ]"), 0);
    assert_eq!(status(&mut engine, "[ ]"), 1);
    assert_eq!(run(&mut engine, "[ -f .env ] && echo found || echo missing"), (0, "missing\n".into()));
    assert_eq!(run(&mut engine, "[ x = y"), (2, "bash: [: missing `]'\n".into()));
    assert_eq!(run(&mut engine, "test a -eq 1"), (2, "bash: test: a: integer expression expected\n".into()));
    assert_eq!(run(&mut engine, "[ a b c ]"), (2, "bash: [: b: binary operator expected\n".into()));
}
