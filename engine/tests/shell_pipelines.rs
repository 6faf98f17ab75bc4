//! The host shell's pipelines and text filters: `a | b`, redirections, `$(…)`, and grep, head,
//! tail, wc, sort, uniq, cut, tr, sed, awk, jq, column, xargs and tee — each pinned to the exact
//! output and status GNU coreutils/grep/sed, awk and jq 1.7 give (the filter cases were checked
//! against the real tools with `LC_ALL=C`), plus the pipelines the Docker guides print.

use engine::{Engine, Stream};

/// What one line printed: stdout, stderr (each line + `\n`) and the status.
fn run(engine: &mut Engine, line: &str) -> (String, String, i32) {
    let outcome = engine.run(line);
    let mut out = String::new();
    let mut err = String::new();
    for line in &outcome.output {
        let target = if line.stream == Stream::Stdout { &mut out } else { &mut err };
        target.push_str(&line.text);
        target.push('\n');
    }
    (out, err, outcome.exit_code)
}

fn stdout(engine: &mut Engine, line: &str) -> String {
    let (out, err, code) = run(engine, line);
    assert_eq!((err.as_str(), code), ("", 0), "`{line}` failed: {err}");
    out
}

/// An engine whose home holds `data.txt` (a small docker-ish table) and a few other files.
fn with_files() -> Engine {
    let mut engine = Engine::new(7);
    let setup = "cat > data.txt <<'EOF'\nweb-1 running 25 12%\ndb-1 running 5 3%\ncache-1 exited 100 0%\nxxweb-2 paused 7 45%\nEOF\n\
                 printf 'a\\nb\\nb\\nc\\na\\na\\n' > words.txt\n\
                 printf '10\\n9\\n100\\n-1\\n2.5\\n' > nums.txt\n\
                 printf '1.5G\\n200M\\n3K\\n12\\n1G\\n' > sizes.txt\n\
                 printf 'root:x:0:0\\nlearner:x:1000:1000\\nnocolon\\n' > colon.txt";
    assert_eq!(engine.run(setup).exit_code, 0);
    engine
}

#[test]
fn pipes_carry_stdout_and_leave_stderr_on_the_terminal() {
    let mut engine = with_files();
    assert_eq!(stdout(&mut engine, "cat data.txt | grep web | wc -l"), "2\n");
    // stderr skips the pipe unless 2>&1 or |& sends it along.
    assert_eq!(run(&mut engine, "cat nope data.txt | wc -l"), ("4\n".into(), "cat: nope: No such file or directory\n".into(), 0));
    assert_eq!(run(&mut engine, "cat nope 2>&1 | wc -l"), ("1\n".into(), String::new(), 0));
    assert_eq!(run(&mut engine, "cat nope |& grep -c such"), ("1\n".into(), String::new(), 0));
    // The status is the last command's.
    assert_eq!(run(&mut engine, "cat nope | wc -l").2, 0);
    assert_eq!(run(&mut engine, "echo hi | grep x").2, 1);
    assert_eq!(run(&mut engine, "echo hi | nosuch"), (String::new(), "bash: nosuch: command not found\n".into(), 127));
    // A pipeline is one unit for && and ||.
    assert_eq!(stdout(&mut engine, "echo a | grep b || echo none && echo done"), "none\ndone\n");
    // A trailing | asks for the next line; a pipe with nothing before it is bash's syntax error.
    assert!(!engine.is_complete("docker ps |"));
    assert_eq!(stdout(&mut engine, "cat data.txt |\n  grep db"), "db-1 running 5 3%\n");
    assert_eq!(run(&mut engine, "| wc"), (String::new(), "bash: syntax error near unexpected token `|'\n".into(), 2));
    // A here-document feeds the first command of its pipeline.
    assert_eq!(stdout(&mut engine, "cat <<EOF | grep -c b\na\nb\nbb\nEOF"), "2\n");
}

#[test]
fn text_without_a_final_newline_stays_so_in_pipes_and_files() {
    let mut engine = with_files();
    assert_eq!(stdout(&mut engine, "echo -n hi | wc -c"), "2\n");
    assert_eq!(stdout(&mut engine, "printf 'a\\nb' | wc -l"), "1\n");
    assert_eq!(stdout(&mut engine, "head -c 10 data.txt | wc -c"), "10\n");
    assert_eq!(stdout(&mut engine, "echo -n hi > f.txt; echo -n ' there' >> f.txt; wc -c f.txt; cat f.txt"), "8 f.txt\nhi there\n");
    assert_eq!(stdout(&mut engine, "echo -n abc | tr a-c x-z | wc -c"), "3\n");
    // The terminal still shows the line.
    assert_eq!(stdout(&mut engine, "echo -n hi"), "hi\n");
}

#[test]
fn redirections() {
    let mut engine = with_files();
    assert_eq!(stdout(&mut engine, "wc -l < data.txt"), "4\n");
    assert_eq!(run(&mut engine, "wc -l < nope.txt"), (String::new(), "bash: nope.txt: No such file or directory\n".into(), 1));
    assert_eq!(stdout(&mut engine, "grep web data.txt > out.txt; grep db data.txt >> out.txt; cat out.txt"), "web-1 running 25 12%\nxxweb-2 paused 7 45%\ndb-1 running 5 3%\n");
    assert_eq!(run(&mut engine, "cat data.txt nope &> both.txt; cat both.txt").0, "web-1 running 25 12%\ndb-1 running 5 3%\ncache-1 exited 100 0%\nxxweb-2 paused 7 45%\ncat: nope: No such file or directory\n");
    assert_eq!(run(&mut engine, "cat nope 2>/dev/null"), (String::new(), String::new(), 1));
    assert_eq!(run(&mut engine, "echo oops >&2 | wc -l"), ("0\n".into(), "oops\n".into(), 0));
    // Order matters, as in bash: `2>&1 > f` sends stderr down the pipe, stdout to the file.
    assert_eq!(run(&mut engine, "cat data.txt nope 2>&1 > only.txt | wc -l"), ("1\n".into(), String::new(), 0));
    assert_eq!(stdout(&mut engine, "wc -l only.txt"), "4 only.txt\n");
    assert_eq!(stdout(&mut engine, "cat data.txt >/dev/null"), "");
    // ls writes one name a line into a pipe or a file, several a line on the terminal.
    assert_eq!(stdout(&mut engine, "ls"), "both.txt  colon.txt  data.txt  nums.txt  only.txt  out.txt  sizes.txt  words.txt\n");
    assert_eq!(stdout(&mut engine, "ls | wc -l; ls > list.txt; grep -c list list.txt"), "8\n1\n");
    // The target is opened before the command runs: a bad one stops it, `cat f > f` empties f.
    assert_eq!(run(&mut engine, "mkdir box > nodir/out.txt; ls -d box"), (String::new(), "bash: nodir/out.txt: No such file or directory\nls: cannot access 'box': No such file or directory\n".into(), 2));
    assert_eq!(stdout(&mut engine, "cat only.txt > only.txt; wc -c only.txt"), "0 only.txt\n");
}

#[test]
fn command_substitution_over_pipelines() {
    let mut engine = with_files();
    assert_eq!(stdout(&mut engine, "echo \"webs: $(grep -c web data.txt)\""), "webs: 2\n");
    assert_eq!(stdout(&mut engine, "echo $(cat data.txt | grep web | wc -l) && echo \"$(echo a; echo b)\""), "2\na\nb\n");
    assert_eq!(stdout(&mut engine, "echo \"[$(grep -q nothing data.txt && echo found || echo missing)]\""), "[missing]\n");
}

#[test]
fn grep() {
    let mut engine = with_files();
    let cases: &[(&str, &str)] = &[
        ("grep web data.txt", "web-1 running 25 12%\nxxweb-2 paused 7 45%\n"),
        ("grep -i WEB data.txt", "web-1 running 25 12%\nxxweb-2 paused 7 45%\n"),
        ("grep -v web data.txt", "db-1 running 5 3%\ncache-1 exited 100 0%\n"),
        ("grep -c web data.txt", "2\n"),
        ("grep -n -E 'db|cache' data.txt", "2:db-1 running 5 3%\n3:cache-1 exited 100 0%\n"),
        ("grep -o -E '[0-9]+%' data.txt", "12%\n3%\n0%\n45%\n"),
        ("grep -w web data.txt", "web-1 running 25 12%\n"),
        ("grep -e web -e db data.txt", "web-1 running 25 12%\ndb-1 running 5 3%\nxxweb-2 paused 7 45%\n"),
        ("grep web data.txt words.txt", "data.txt:web-1 running 25 12%\ndata.txt:xxweb-2 paused 7 45%\n"),
        ("grep '^[a-z]*-[0-9]' data.txt | wc -l", "4\n"),
        ("grep 'x\\{2\\}' data.txt", "xxweb-2 paused 7 45%\n"),
        ("grep -E 'r(un)+ning' data.txt | cut -c1-4", "web-\ndb-1\n"),
        ("grep -F '.' data.txt; echo $?", "1\n"),
        ("grep -q web data.txt; echo $?", "0\n"),
        ("egrep -c 'db|web' data.txt", "3\n"),
    ];
    for (line, expected) in cases {
        assert_eq!(&stdout(&mut engine, line), expected, "{line}");
    }
    // Context lines (checked against GNU grep 3.8): `-` marks context, `--` separates groups.
    stdout(&mut engine, "printf '%s\\n' 1 2 3 4 5 6 7 8 9 10 11 12 > n.txt");
    assert_eq!(stdout(&mut engine, "grep -A1 5 n.txt"), "5\n6\n");
    assert_eq!(stdout(&mut engine, "grep -B2 -n 1 n.txt"), "1:1\n--\n8-8\n9-9\n10:10\n11:11\n12:12\n");
    assert_eq!(stdout(&mut engine, "grep -C1 -e 3 -e 9 n.txt"), "2\n3\n4\n--\n8\n9\n10\n");
    assert_eq!(stdout(&mut engine, "grep -A1 -e 3 -e 4 n.txt n.txt"), "n.txt:3\nn.txt:4\nn.txt-5\n--\nn.txt:3\nn.txt:4\nn.txt-5\n");
    assert_eq!(run(&mut engine, "grep -A x 3 n.txt"), (String::new(), "grep: x: invalid context length argument\n".into(), 2));
    assert_eq!(run(&mut engine, "grep web nofile"), (String::new(), "grep: nofile: No such file or directory\n".into(), 2));
    assert_eq!(run(&mut engine, "grep -E '(' data.txt"), (String::new(), "grep: Unmatched ( or \\(\n".into(), 2));
    assert_eq!(run(&mut engine, "grep '[a' data.txt").1, "grep: Unmatched [, [^, [:, [., or [=\n");
    assert_eq!(
        run(&mut engine, "grep -Y web data.txt"),
        (String::new(), "grep: invalid option -- 'Y'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n".into(), 2)
    );
    assert_eq!(run(&mut engine, "grep").1, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
}

#[test]
fn head_tail_wc() {
    let mut engine = with_files();
    let cases: &[(&str, &str)] = &[
        ("head -n 2 data.txt", "web-1 running 25 12%\ndb-1 running 5 3%\n"),
        ("head -2 data.txt", "web-1 running 25 12%\ndb-1 running 5 3%\n"),
        ("head -n -2 data.txt", "web-1 running 25 12%\ndb-1 running 5 3%\n"),
        ("tail -n 2 data.txt", "cache-1 exited 100 0%\nxxweb-2 paused 7 45%\n"),
        ("tail -1 data.txt", "xxweb-2 paused 7 45%\n"),
        ("tail -n +3 data.txt", "cache-1 exited 100 0%\nxxweb-2 paused 7 45%\n"),
        ("cat data.txt | head -1", "web-1 running 25 12%\n"),
        ("head -n 1 data.txt words.txt", "==> data.txt <==\nweb-1 running 25 12%\n\n==> words.txt <==\na\n"),
        ("wc -l data.txt", "4 data.txt\n"),
        ("wc data.txt", " 4 16 82 data.txt\n"),
        ("wc -w < data.txt", "16\n"),
        ("cat data.txt | wc", "      4      16      82\n"),
        ("wc -l data.txt data.txt", "  4 data.txt\n  4 data.txt\n  8 total\n"),
    ];
    for (line, expected) in cases {
        assert_eq!(&stdout(&mut engine, line), expected, "{line}");
    }
    assert_eq!(run(&mut engine, "head -n x data.txt"), (String::new(), "head: invalid number of lines: 'x'\n".into(), 1));
    assert_eq!(run(&mut engine, "tail nofile"), (String::new(), "tail: cannot open 'nofile' for reading: No such file or directory\n".into(), 1));
    assert_eq!(run(&mut engine, "wc -z"), (String::new(), "wc: invalid option -- 'z'\nTry 'wc --help' for more information.\n".into(), 1));
    assert_eq!(run(&mut engine, "wc nope"), (String::new(), "wc: nope: No such file or directory\n".into(), 1));
}

#[test]
fn sort_uniq_cut_tr() {
    let mut engine = with_files();
    let cases: &[(&str, &str)] = &[
        ("sort data.txt", "cache-1 exited 100 0%\ndb-1 running 5 3%\nweb-1 running 25 12%\nxxweb-2 paused 7 45%\n"),
        ("sort -r data.txt", "xxweb-2 paused 7 45%\nweb-1 running 25 12%\ndb-1 running 5 3%\ncache-1 exited 100 0%\n"),
        ("sort -k 3 -n data.txt", "db-1 running 5 3%\nxxweb-2 paused 7 45%\nweb-1 running 25 12%\ncache-1 exited 100 0%\n"),
        ("sort -k 4 -h data.txt | head -1", "cache-1 exited 100 0%\n"),
        ("sort -k2 data.txt", "cache-1 exited 100 0%\nxxweb-2 paused 7 45%\nweb-1 running 25 12%\ndb-1 running 5 3%\n"),
        ("sort -u words.txt", "a\nb\nc\n"),
        ("sort -n nums.txt", "-1\n2.5\n9\n10\n100\n"),
        ("sort -rn nums.txt", "100\n10\n9\n2.5\n-1\n"),
        ("sort -h sizes.txt", "12\n3K\n200M\n1G\n1.5G\n"),
        ("uniq -c words.txt", "      1 a\n      2 b\n      1 c\n      2 a\n"),
        ("sort words.txt | uniq -c | sort -rn", "      3 a\n      2 b\n      1 c\n"),
        ("uniq -d words.txt", "b\na\n"),
        ("cut -d' ' -f1 data.txt", "web-1\ndb-1\ncache-1\nxxweb-2\n"),
        ("cut -d: -f1,3 colon.txt", "root:0\nlearner:1000\nnocolon\n"),
        ("cut -c1-3 data.txt", "web\ndb-\ncac\nxxw\n"),
        ("tr a-z A-Z < data.txt | head -1", "WEB-1 RUNNING 25 12%\n"),
        ("tr -d ' ' < data.txt | head -1", "web-1running2512%\n"),
        ("echo hello | tr 'lo' 'xy'", "hexxy\n"),
        ("echo 'a   b' | tr -s ' '", "a b\n"),
    ];
    for (line, expected) in cases {
        assert_eq!(&stdout(&mut engine, line), expected, "{line}");
    }
    assert_eq!(run(&mut engine, "cut data.txt"), (String::new(), "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n".into(), 1));
    assert_eq!(run(&mut engine, "cut -d: -f0 colon.txt").1, "cut: fields are numbered from 1\nTry 'cut --help' for more information.\n");
    assert_eq!(run(&mut engine, "tr a"), (String::new(), "tr: missing operand after 'a'\nTry 'tr --help' for more information.\n".into(), 1));
    assert_eq!(run(&mut engine, "sort -Q").2, 2);
    // A multi-byte option letter is named whole, not cut in half.
    assert_eq!(run(&mut engine, "cut -ü data.txt").1, "cut: invalid option -- 'ü'\nTry 'cut --help' for more information.\n");
    assert_eq!(run(&mut engine, "sed -ü p data.txt").1, "sed: invalid option -- 'ü'\n");
}

#[test]
fn sed_and_awk() {
    let mut engine = with_files();
    let cases: &[(&str, &str)] = &[
        ("sed 's/web/WEB/' data.txt | head -1", "WEB-1 running 25 12%\n"),
        ("sed -n '/db/p' data.txt", "db-1 running 5 3%\n"),
        ("sed '2d' data.txt | wc -l", "3\n"),
        ("sed -E 's/[0-9]+/N/g' data.txt | head -1", "web-N running N N%\n"),
        ("sed '1,2d' data.txt", "cache-1 exited 100 0%\nxxweb-2 paused 7 45%\n"),
        ("sed -n '$p' data.txt", "xxweb-2 paused 7 45%\n"),
        ("echo aba | sed 's/a/&&/g'", "aabaa\n"),
        ("sed '/web/!d' data.txt", "web-1 running 25 12%\nxxweb-2 paused 7 45%\n"),
        ("sed 's/\\(.*\\)-\\([0-9]\\)/\\2:\\1/' data.txt | head -1", "1:web running 25 12%\n"),
        (
            "sed -E 's/^([a-z]+)-([0-9]+) ([a-z]+)/\\3 \\2 \\1/' data.txt",
            "running 1 web 25 12%\nrunning 1 db 5 3%\nexited 1 cache 100 0%\npaused 2 xxweb 7 45%\n",
        ),
        ("awk '{print $1}' data.txt", "web-1\ndb-1\ncache-1\nxxweb-2\n"),
        ("awk '{print $1, $3}' data.txt | head -1", "web-1 25\n"),
        ("awk -F: '{print $2}' colon.txt", "x\nx\n\n"),
        ("awk 'NR>1' data.txt | wc -l", "3\n"),
        ("awk '$3 > 20 {print $1}' data.txt", "web-1\ncache-1\n"),
        ("awk '{print NR\": \"$0}' data.txt | tail -1", "4: xxweb-2 paused 7 45%\n"),
        ("awk '/db/ {print $NF}' data.txt", "3%\n"),
        ("awk '{s += $3} END {print s}' data.txt", "137\n"),
        ("awk 'END {print NR}' data.txt", "4\n"),
        ("awk '$1 == \"web-1\" {print $2}' data.txt", "running\n"),
        ("awk '{print $1 \"-\" $2}' data.txt | head -1", "web-1-running\n"),
        ("awk 'NR==2 || NR==3 {print}' data.txt", "db-1 running 5 3%\ncache-1 exited 100 0%\n"),
        ("awk '{print length}' data.txt", "20\n17\n21\n20\n"),
        ("echo 7 2 | awk '{print $1 / $2}'", "3.5\n"),
        ("awk '{printf \"%-8s|%5.1f|%d%%\\n\", $1, $3, $3}' data.txt | head -2", "web-1   | 25.0|25%\ndb-1    |  5.0|5%\n"),
        ("awk 'BEGIN {printf \"a\"} {printf \"%s,\", NR} END {print \"\"}' words.txt", "a1,2,3,4,5,6,\n"),
    ];
    for (line, expected) in cases {
        assert_eq!(&stdout(&mut engine, line), expected, "{line}");
    }
    assert_eq!(run(&mut engine, "sed 's/x/y' data.txt"), (String::new(), "sed: -e expression #1, char 5: unterminated `s' command\n".into(), 1));
    assert_eq!(run(&mut engine, "sed 's/a/\\1/' data.txt"), (String::new(), "sed: -e expression #1, char 7: invalid reference \\1 on `s' command's RHS\n".into(), 1));
    assert_eq!(run(&mut engine, "sed p nope").1, "sed: can't read nope: No such file or directory\n");
    assert_eq!(run(&mut engine, "awk '{print $1' data.txt").2, 1);
    assert_eq!(run(&mut engine, "awk '{print}' nope").1, "awk: fatal: cannot open file `nope' for reading: No such file or directory\n");
}

#[test]
fn jq_subset() {
    let mut engine = Engine::new(7);
    let doc = r#"echo '{"a":{"b":[1,2,{"c":null}]},"s":"x","e":{},"f":[],"n":1.5}'"#;
    assert_eq!(
        stdout(&mut engine, &format!("{doc} | jq")),
        "{\n  \"a\": {\n    \"b\": [\n      1,\n      2,\n      {\n        \"c\": null\n      }\n    ]\n  },\n  \"s\": \"x\",\n  \"e\": {},\n  \"f\": [],\n  \"n\": 1.5\n}\n"
    );
    assert_eq!(stdout(&mut engine, &format!("{doc} | jq -c .a")), "{\"b\":[1,2,{\"c\":null}]}\n");
    assert_eq!(stdout(&mut engine, &format!("{doc} | jq '.a.b[2]'")), "{\n  \"c\": null\n}\n");
    assert_eq!(stdout(&mut engine, &format!("{doc} | jq -r .s")), "x\n");
    let list = r#"echo '[{"n":"a","up":true},{"n":"b","up":false}]'"#;
    assert_eq!(stdout(&mut engine, &format!("{list} | jq -r '.[] | select(.up) | .n'")), "a\n");
    assert_eq!(stdout(&mut engine, &format!("{list} | jq -c '.[] | select(.n == \"b\")'")), "{\"n\":\"b\",\"up\":false}\n");
    assert_eq!(stdout(&mut engine, &format!("{list} | jq -c 'map(.n)'")), "[\"a\",\"b\"]\n");
    assert_eq!(stdout(&mut engine, &format!("{list} | jq '.[0].n, length'")), "\"a\"\n2\n");
    assert_eq!(stdout(&mut engine, r#"echo '{"b":1,"a":2}' | jq -c 'keys, .["a"], [.[]]'"#), "[\"a\",\"b\"]\n2\n[1,2]\n");
    assert_eq!(stdout(&mut engine, "echo '[1,2,3]' | jq '.[-1]'"), "3\n");
    // Absurd nesting is refused, never followed down the stack.
    assert_eq!(run(&mut engine, &format!("echo 1 | jq '{}.{}'", "(".repeat(5000), ")".repeat(5000))).2, 3);
    assert_eq!(run(&mut engine, &format!("echo 1 | awk '{{print {}1}}'", "$".repeat(5000))).2, 1);
    assert_eq!(run(&mut engine, &format!("echo 1 | jq '.{}'", "|.".repeat(5000))).2, 3);
    assert_eq!(run(&mut engine, &format!("echo 1 | awk '{{{}1}}'", "a=".repeat(5000))).2, 1);
    assert_eq!(run(&mut engine, "echo '{' | jq ."), (String::new(), "jq: parse error: Unfinished JSON term at EOF at line 2, column 0\n".into(), 5));
    assert_eq!(run(&mut engine, "echo hello | jq .").1, "jq: parse error: Invalid numeric literal at line 2, column 0\n");
    assert_eq!(run(&mut engine, r#"echo '{"a":1}' | jq '.a.b'"#), (String::new(), "jq: error (at <stdin>:1): Cannot index number with \"b\"\n".into(), 5));
    assert_eq!(
        run(&mut engine, r#"echo '{"a":1}' | jq '.a['"#),
        (String::new(), "jq: error: syntax error, unexpected end of file (Unix shell quoting issues?) at <top-level>, line 1:\n.a[\njq: 1 compile error\n".into(), 3)
    );
}

#[test]
fn column_less_tee_xargs() {
    let mut engine = with_files();
    assert_eq!(stdout(&mut engine, "printf 'NAME STATE\\nweb-1 running\\ndb up\\n' | column -t"), "NAME   STATE\nweb-1  running\ndb     up\n");
    assert_eq!(stdout(&mut engine, "head -1 data.txt | less"), "web-1 running 25 12%\n");
    assert_eq!(stdout(&mut engine, "grep db data.txt | tee copy.txt | wc -l; cat copy.txt"), "1\ndb-1 running 5 3%\n");
    assert_eq!(run(&mut engine, "echo a | tee -x f"), (String::new(), "tee: invalid option -- 'x'\nTry 'tee --help' for more information.\n".into(), 1));
    assert_eq!(run(&mut engine, "echo a | tee nodir/f"), ("a\n".into(), "tee: nodir/f: No such file or directory\n".into(), 1));
    assert_eq!(stdout(&mut engine, "xargs echo < words.txt"), "a b b c a a\n");
    assert_eq!(stdout(&mut engine, "xargs -n 2 echo < words.txt"), "a b\nb c\na a\n");
    assert_eq!(stdout(&mut engine, "echo | xargs -r echo hi"), "");
    assert_eq!(stdout(&mut engine, "echo | xargs echo hi"), "hi\n");
    assert_eq!(stdout(&mut engine, "printf 'a b\n\nc\n' | xargs -I {} echo [{}]"), "[a b]\n[c]\n");
    assert_eq!(run(&mut engine, "echo a | xargs nosuch"), (String::new(), "bash: nosuch: command not found\n".into(), 127));
}

#[test]
fn guide_pipelines() {
    let mut engine = Engine::new(11);
    stdout(&mut engine, "mkdir app && cd app && printf 'FROM alpine:3.19\\nRUN echo hi > /x\\nCOPY . /app\\n' > Dockerfile");
    // BuildKit's progress goes to stderr: only 2>&1 puts it in the pipe.
    assert_eq!(run(&mut engine, "docker build --progress=plain -t test . 2>&1 | grep CACHED"), (String::new(), String::new(), 1));
    assert_eq!(stdout(&mut engine, "docker build --progress=plain -t test . 2>&1 | grep CACHED"), "#6 CACHED\n#7 CACHED\n");
    let (out, err, code) = run(&mut engine, "docker build --progress=plain -t test . | grep CACHED");
    assert_eq!((out.as_str(), code), ("", 1));
    assert!(err.contains("#6 CACHED\n"));

    assert_eq!(run(&mut engine, "docker run -d --name web -p 8080:80 nginx").2, 0);
    assert_eq!(run(&mut engine, "docker run -d --name cache redis").2, 0);
    assert_eq!(stdout(&mut engine, "docker images | grep nginx | wc -l"), "1\n");
    assert_eq!(stdout(&mut engine, "echo $(docker ps -q | wc -l)"), "2\n");
    assert_eq!(stdout(&mut engine, "docker ps --format '{{.Names}}' | sort"), "cache\nweb\n");
    assert_eq!(
        stdout(&mut engine, "docker inspect web --format '{{json .NetworkSettings.Ports}}' | jq"),
        "{\n  \"80/tcp\": [\n    {\n      \"HostIp\": \"0.0.0.0\",\n      \"HostPort\": \"8080\"\n    },\n    {\n      \"HostIp\": \"::\",\n      \"HostPort\": \"8080\"\n    }\n  ]\n}\n"
    );
    assert_eq!(stdout(&mut engine, "docker inspect web --format '{{json .State}}' | jq -r .Status"), "running\n");
    assert_eq!(stdout(&mut engine, "docker inspect web | jq -r '.[0].Config.Image'"), "nginx\n");
    assert_eq!(stdout(&mut engine, "docker inspect web | grep '\"User\"'"), "            \"User\": \"\",\n");
    assert!(stdout(&mut engine, "docker inspect web --format '{{json .NetworkSettings}}' | jq").starts_with("{\n  \"Bridge\": "));
    let logs = stdout(&mut engine, "docker logs web 2>&1 | tail -5");
    assert_eq!(logs.lines().count(), 5);
    // nginx writes some lines to stdout, some to stderr; docker logs keeps them apart.
    let count = |engine: &mut Engine, line: &str| stdout(engine, line).trim().parse::<usize>().unwrap();
    let out_only = count(&mut engine, "docker logs web 2>/dev/null | wc -l");
    let err_only = count(&mut engine, "docker logs web 2>&1 >/dev/null | wc -l");
    assert!(out_only > 0 && err_only > 0);
    assert_eq!(count(&mut engine, "docker logs web 2>&1 | wc -l"), out_only + err_only);
    let stats = stdout(&mut engine, "docker stats --no-stream | sort -k 3 -h");
    assert_eq!(stats.lines().count(), 3);
    assert!(stats.lines().all(|l| l.contains("MiB") || l.starts_with("CONTAINER ID")));

    // A live command on the left of a pipe passes its first screen and ends there.
    let (out, err, code) = run(&mut engine, "docker logs -f web | tail -1");
    assert_eq!((out.as_str(), code), ("/docker-entrypoint.sh: Configuration complete; ready for start up\n", 0));
    // nginx's notices are stderr: they skip the pipe and reach the terminal, then the note.
    assert!(err.contains("[notice] 1#1: nginx/1.25.4\n"));
    assert!(err.ends_with("whalebox: a command that keeps running passes only its output so far down a pipe (no live updates)\n"));
    assert!(!engine.is_live());
    assert_eq!(run(&mut engine, "docker stats | grep -c web").0, "1\n");
    assert!(!engine.is_live());

    assert_eq!(stdout(&mut engine, "docker ps -q | xargs docker stop | wc -l"), "2\n");
    assert_eq!(stdout(&mut engine, "docker ps -aq | xargs docker rm -f | wc -l"), "2\n");
    assert_eq!(stdout(&mut engine, "docker ps -aq | xargs -r docker rm -f"), "");
    assert_eq!(run(&mut engine, "docker run -d --name api nginx").2, 0);
    assert_eq!(stdout(&mut engine, "docker ps --format '{{.Names}}' | xargs -I {} docker inspect -f '{} {{.State.Status}}' {}"), "api running\n");
    let ids = stdout(&mut engine, "docker ps -aq");
    assert_eq!(ids.len(), 13);
    assert_eq!(stdout(&mut engine, "docker rm -f $(docker ps -aq)"), ids);
    assert_eq!(
        run(&mut engine, "docker ps -q | xargs docker stop"),
        (String::new(), "docker: 'docker stop' requires at least 1 argument\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker stop --help' for more information\n".into(), 123)
    );
}

#[test]
fn docker_exec_reads_piped_stdin_with_i() {
    let mut engine = Engine::new(12);
    assert_eq!(run(&mut engine, "docker run -d --name box busybox sleep 1000").2, 0);
    assert_eq!(stdout(&mut engine, "echo 'echo hi from sh' | docker exec -i box sh"), "hi from sh\n");
    assert_eq!(stdout(&mut engine, "printf 'a\\nb\\n' | docker exec -i box wc -l"), "2\n");
    // Without -i the process's stdin is closed; with -t docker refuses a pipe for a terminal.
    assert_eq!(stdout(&mut engine, "echo x | docker exec box cat"), "");
    assert_eq!(run(&mut engine, "echo x | docker exec -it box sh"), (String::new(), "the input device is not a TTY\n".into(), 1));
    assert!(!engine.in_container_shell());
}

#[test]
fn edit_asks_the_terminal_for_its_editor_and_write_file_saves_the_text() {
    let mut engine = Engine::new(1);
    let opened = engine.run("mkdir app && cd app && edit Dockerfile");
    assert_eq!(opened.exit_code, 0, "{}", opened.text());
    assert!(opened.events.contains(&engine::Event::EditFile { path: "/home/learner/app/Dockerfile".into() }));
    assert_eq!(engine.read_file("Dockerfile"), None);
    engine.write_file("Dockerfile", "FROM busybox\nCMD [\"echo\", \"edited\"]\n").expect("saved");
    assert_eq!(engine.read_file("/home/learner/app/Dockerfile").as_deref(), Some("FROM busybox\nCMD [\"echo\", \"edited\"]\n"));
    assert_eq!(engine.run("docker build -q -t edited . && docker run --rm edited").text().lines().last(), Some("edited"));
    let missing = engine.run("vim /nope/x");
    assert_eq!((missing.exit_code, missing.text().as_str()), (1, "vim: /nope/x: No such file or directory\n"));
    assert_eq!(engine.run("nano").exit_code, 2);
    assert_eq!(engine.run("edit ..").text(), "edit: ..: Is a directory\n");
}
