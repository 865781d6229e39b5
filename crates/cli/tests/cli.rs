//! The `trustwalk` binary end to end: the story it tells, the result
//! document, standard input, colour, exit codes and every error path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn trustwalk(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trustwalk"));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn trustwalk");
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    Run { code: out.status.code(), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() }
}

fn run(args: &[&str]) -> Run {
    trustwalk(args, None, &[])
}

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/staging-reads-production.json").display().to_string()
}

/// Writes `text` to a fresh file under the target's temporary directory.
fn temp_file(name: &str, text: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Writes `text` as `name` in a fresh temporary directory and runs
/// `trustwalk simulate --now 1768478400 --color never ARGS… name` there, so that the story
/// names the file by its relative name (snapshots hold no absolute path).
fn simulate_in_temp_dir(name: &str, text: &str, args: &[&str]) -> Run {
    let f = PathBuf::from(temp_file(name, text));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trustwalk"));
    cmd.args(["simulate", "--now", "1768478400", "--color", "never"]).args(args).arg(name).current_dir(f.parent().unwrap());
    let out = cmd.env_remove("NO_COLOR").output().unwrap();
    Run { code: out.status.code(), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() }
}

/// A small valid document: user U in 111111111111 may read bucket `bkt`.
fn doc(steps: &str) -> String {
    format!(
        r#"{{
  "format": "trustwalk/scenario@1",
  "context": {{ "aws:CurrentTime": "2026-01-15T12:00:00Z" }},
  "accounts": [
    {{
      "id": "111111111111",
      "name": "dev",
      "users": [{{ "name": "U", "policies": [{{ "name": "Read", "document": {{ "Version": "2012-10-17", "Statement": [{{ "Sid": "ReadB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }}] }} }}] }}],
      "roles": [{{ "name": "R", "trustPolicy": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::111111111111:user/U" }}, "Action": "sts:AssumeRole" }}] }} }}],
      "buckets": [{{ "name": "bkt" }}]
    }}
  ],
  "steps": [{steps}]
}}"#
    )
}

const READ: &str = r#"{ "id": "read", "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k", "expect": "allowed" }"#;

// ---------------------------------------------------------------- simulate

// The whole story of every example and of a few scenario cases is
// snapshotted in tests/story.rs; the tests here snapshot the stories of
// the small documents they write.

#[test]
fn statements_in_policy_text_are_located_in_that_text() {
    let text = r#"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"TextRead\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n  ]\n}"#;
    let d = doc(READ).replace(
        r#"{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [{ "Sid": "ReadB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }"#,
        &format!(r#"{{ "name": "Read", "document": "{text}" }}"#),
    );
    let r = simulate_in_temp_dir("text.json", &d, &[]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    // "… statement 1 (Sid TextRead) at line 4, column 5 of its policy text
    // (given as a string at accounts[0].users[0].policies[0].document)"
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn json_format_prints_the_result_document() {
    let r = run(&["simulate", "--format", "json", &example()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "one document, one line");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["format"], "trustwalk/result@1");
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[0]["decision"], "allowed");
    assert_eq!(steps[0]["crossAccount"], true);
    assert_eq!(steps[0]["session"], "arn:aws:sts::222222222222:assumed-role/StageRole/test");
    assert_eq!(steps[0]["decisive"][0]["sid"], "AllowAssumeStageRole");
    assert_eq!(steps[2]["decision"], "implicitDeny");
    assert!(steps.iter().all(|s| s["expectationMet"] == true));
    assert!(!r.stdout.contains('\x1b'));
}

#[test]
fn json_format_prints_one_document_per_line_for_several_files() {
    let other = temp_file("one.json", &doc(READ));
    let r = run(&["simulate", "--format", "json", &example(), &other]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let docs: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(docs[1]["steps"][0]["id"], "read");
}

#[test]
fn reads_standard_input_for_dash() {
    let text = std::fs::read_to_string(example()).unwrap();
    let r = trustwalk(&["simulate", "-"], Some(&text), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("(<stdin>)"), "{}", r.stdout);
    assert!(r.stdout.contains("<stdin>:"), "statement locations name <stdin>: {}", r.stdout);
    let j = trustwalk(&["simulate", "--format", "json", "-"], Some(&text), &[]);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["format"], "trustwalk/result@1");
    let bad = trustwalk(&["validate", "-"], Some("{"), &[]);
    assert_eq!(bad.code, Some(2));
    assert!(bad.stderr.starts_with("<stdin>:1:1: "), "{}", bad.stderr);
}

#[test]
fn piped_output_has_no_colour_unless_asked() {
    let auto = run(&["simulate", &example()]);
    assert!(!auto.stdout.contains('\x1b'), "{}", auto.stdout);
    let always = run(&["simulate", "--color", "always", &example()]);
    assert!(always.stdout.contains("\x1b[1;32mAllowed\x1b[0m"), "{}", always.stdout);
    let never = run(&["simulate", "--color", "never", &example()]);
    assert!(!never.stdout.contains('\x1b'));
    let no_color = trustwalk(&["simulate", "--color", "auto", &example()], None, &[("NO_COLOR", "1")]);
    assert!(!no_color.stdout.contains('\x1b'));
    assert_eq!(auto.stdout, never.stdout);
}

#[test]
fn now_sets_the_default_current_time() {
    let d = doc(READ).replace(r#""context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },"#, "");
    let f = temp_file("now.json", &d);
    let r = run(&["simulate", "--format", "json", "--now", "86400", &f]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["steps"][0]["context"]["aws:CurrentTime"], "1970-01-02T00:00:00Z");
    assert_eq!(v["steps"][0]["context"]["aws:EpochTime"], "86400");
}

#[test]
fn now_outside_the_time_range_is_refused() {
    // 253402300800 would write a year-10000 `aws:CurrentTime` the engine
    // cannot read back (dropping `aws:EpochTime`).
    let d = doc(READ).replace(r#""context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },"#, "");
    let f = temp_file("now.json", &d);
    for bad in ["253402300800", "-1", "9223372036854775807", "1.5e9", "soon"] {
        let r = run(&["simulate", "--now", bad, &f]);
        assert_eq!(r.code, Some(2), "{bad}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{bad}: {}", r.stdout);
        assert!(r.stderr.starts_with(&format!("error: invalid value '{bad}' for '--now <EPOCH_SECONDS>': ")), "{}", r.stderr);
        assert!(r.stderr.contains("253402300799"), "{}", r.stderr);
    }
    let r = run(&["simulate", "--format", "json", "--now", "253402300799", &f]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["steps"][0]["context"]["aws:CurrentTime"], "9999-12-31T23:59:59Z");
    assert_eq!(v["steps"][0]["context"]["aws:EpochTime"], "253402300799");
}

/// Writes `bytes` to a fresh file under the target's temporary directory.
fn temp_bytes(name: &str, bytes: &[u8]) -> String {
    let f = temp_file(name, "");
    std::fs::write(&f, bytes).unwrap();
    f
}

#[test]
fn invalid_utf8_is_reported_at_its_byte_offset() {
    let mut bytes = doc(READ).into_bytes();
    let at = bytes.windows(3).position(|w| w == b"dev").unwrap();
    bytes[at] = 0xE9; // Latin-1 é in the account's name
    let f = temp_bytes("latin1.json", &bytes);
    let r = run(&["validate", &f]);
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        format!("{f}:7:16: error[INVALID_UTF8]: the text is not valid UTF-8 at byte {at} (0xE9)\n  help: save the file as UTF-8\n{f}: invalid scenario (1 error)\n")
    );
    // Standard input too.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trustwalk"));
    let mut child = cmd.args(["simulate", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .starts_with(&format!("<stdin>:7:16: error[INVALID_UTF8]: the text is not valid UTF-8 at byte {at} (0xE9)")));
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_code_1_when_an_expectation_fails() {
    let step = READ.replace(r#""expect": "allowed""#, r#""expect": "explicitDeny""#);
    let r = simulate_in_temp_dir("fails.json", &doc(&step), &[]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    // "✗ EXPECTED explicitDeny", "1 of 1 expectations failed (read)"
    insta::assert_snapshot!(r.stdout);
    let f = temp_file("fails.json", &doc(&step));
    let j = run(&["simulate", "--format", "json", &f]);
    assert_eq!(j.code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["steps"][0]["expectationMet"], false);
}

#[test]
fn exit_code_0_without_expectations() {
    let step = READ.replace(r#", "expect": "allowed""#, "");
    let r = simulate_in_temp_dir("noexpect.json", &doc(&step), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // "(no expectation)", "no expectations given"
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn exit_code_2_for_a_missing_file_even_beside_good_ones() {
    let r = run(&["simulate", "/nonexistent/scenario.json", &example()]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.starts_with("/nonexistent/scenario.json: cannot read: "), "{}", r.stderr);
    assert!(r.stdout.contains("3 of 3 expectations met"), "the readable file still runs: {}", r.stdout);
    let v = run(&["validate", "/nonexistent/scenario.json"]);
    assert_eq!(v.code, Some(2));
}

#[test]
fn exit_code_2_outranks_a_failed_expectation() {
    let step = READ.replace(r#""expect": "allowed""#, r#""expect": "skipped""#);
    let failing = temp_file("failing.json", &doc(&step));
    let broken = temp_file("broken.json", "{");
    assert_eq!(run(&["simulate", &failing, &broken]).code, Some(2));
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    assert_eq!(run(&["simulate"]).code, Some(2));
    assert_eq!(run(&["simulate", "--format", "yaml", &example()]).code, Some(2));
    let help = run(&["--help"]);
    assert_eq!(help.code, Some(0));
    assert!(help.stdout.contains("simulate") && help.stdout.contains("validate"));
}

// ---------------------------------------------------------------- errors

/// Runs `validate` and `simulate` on an invalid document; both exit 2 with
/// the same errors on standard error and nothing on standard output.
fn errors_of(name: &str, text: &str) -> (String, String) {
    let f = temp_file(name, text);
    let v = run(&["validate", &f]);
    assert_eq!(v.code, Some(2), "{}", v.stdout);
    assert!(v.stdout.is_empty(), "{}", v.stdout);
    let s = run(&["simulate", "--format", "json", &f]);
    assert_eq!(s.code, Some(2));
    assert!(s.stdout.is_empty());
    assert_eq!(s.stderr, v.stderr);
    (f, v.stderr)
}

#[test]
fn bad_json_names_line_and_column() {
    let (f, err) = errors_of("bad.json", "{\n  \"format\": \"trustwalk/scenario@1\",\n  \"accounts\": [,]\n}");
    assert!(err.starts_with(&format!("{f}:3:")), "{err}");
    assert!(err.contains("invalid scenario (1 error)"), "{err}");
}

#[test]
fn unknown_user_in_a_step_is_an_error() {
    let step = READ.replace("user/U", "user/Nobody");
    let (_, err) = errors_of("user.json", &doc(&step));
    assert!(err.contains("no user `arn:aws:iam::111111111111:user/Nobody` in account dev (111111111111)"), "{err}");
    assert!(err.contains("(at steps[0].principal)"), "{err}");
}

#[test]
fn unknown_role_in_role_arn_is_an_error() {
    let step = r#"{ "principal": "arn:aws:iam::111111111111:user/U", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/Missing", "sessionName": "s" }"#;
    let (_, err) = errors_of("role.json", &doc(step));
    assert!(err.contains("no role `arn:aws:iam::111111111111:role/Missing` in the document"), "{err}");
    assert!(err.contains("(at steps[0].roleArn)"), "{err}");
}

#[test]
fn session_never_established_is_skipped_not_an_error() {
    let step = r#"{ "id": "ghost", "principal": "arn:aws:sts::111111111111:assumed-role/R/ghost", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k", "expect": "skipped" }"#;
    let r = simulate_in_temp_dir("skipped.json", &doc(step), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // "ghost  Skipped  ✓ expected skipped", "reason: the session … was never established"
    insta::assert_snapshot!(r.stdout);
    let unexpected = temp_file("skipped2.json", &doc(&step.replace(r#""expect": "skipped""#, r#""expect": "allowed""#)));
    assert_eq!(run(&["simulate", &unexpected]).code, Some(1));
}

#[test]
fn error_inside_policy_text_names_the_file_and_the_text_positions() {
    let text = r#"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}"#;
    let d = doc(READ).replace(
        r#"{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [{ "Sid": "ReadB", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }"#,
        &format!(r#"{{ "name": "Read", "document": "{text}" }}"#),
    );
    let (f, err) = errors_of("text.json", &d);
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("{f}:8:")), "{first}");
    assert!(first.contains("Alow"), "{first}");
    assert!(first.contains("(at accounts[0].users[0].policies[0].document.Statement.Effect; line 3, column 27 of the policy text at accounts[0].users[0].policies[0].document)"), "{first}");
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_prints_ok_with_warnings() {
    let no_version = doc(READ)
        .replace(r#""document": { "Version": "2012-10-17", "Statement": [{ "Sid": "ReadB""#, r#""document": { "Statement": [{ "Sid": "ReadB""#);
    let f = temp_file("warn.json", &no_version);
    let r = run(&["validate", &example(), &f]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].ends_with("staging-reads-production.json: ok (2 accounts, 3 steps)"), "{}", r.stdout);
    assert_eq!(lines[1], format!("{f}: ok (1 account, 1 step)"));
    assert!(lines.len() >= 3 && lines[2].starts_with(&format!("{f}:")) && lines[2].contains(": warning[MISSING_VERSION]: "), "{}", r.stdout);
}

#[test]
fn validate_reports_every_file() {
    let bad = temp_file("bad.json", "[]");
    let r = run(&["validate", &bad, &example()]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.contains("staging-reads-production.json: ok"), "{}", r.stdout);
    assert!(r.stderr.contains(&format!("{bad}:1:1: ")), "{}", r.stderr);
}

// ---------------------------------------------------------------- known bugs

/// With `aws:CurrentTime` pinned on every step, the outcome must not depend
/// on "now" (`--now`, default the system clock): session ages are measured
/// from the step's pinned time (tests/scenarios/mfa-age.json).
#[test]
fn pinned_current_time_makes_results_independent_of_now() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios/mfa-age.json").display().to_string();
    let decisions = |now: &str| {
        let r = run(&["simulate", "--format", "json", "--now", now, &f]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["steps"].as_array().unwrap().iter().map(|s| format!("{}: {}", s["id"], s["decision"])).collect::<Vec<_>>()
    };
    assert_eq!(decisions("1768478400"), decisions("1800000000"));
    let r = run(&["simulate", &f]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
}

/// Large results are written step by step as the scenario runs; the
/// document must be the same as for a small one: every step, in order,
/// valid JSON.
#[test]
fn large_json_results_keep_every_step_in_order() {
    let examples = std::fs::read_to_string(example()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&examples).unwrap();
    let template = v["steps"].as_array().unwrap().clone();
    let mut steps = Vec::new();
    for i in 0..300 {
        for (j, s) in template.iter().enumerate() {
            let mut s = s.clone();
            s["id"] = serde_json::Value::String(format!("s{i}-{j}"));
            steps.push(s);
        }
    }
    v["steps"] = serde_json::Value::Array(steps);
    let f = temp_file("large.json", &v.to_string());
    let r = run(&["simulate", "--format", "json", &f]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1);
    let out: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(out["format"], "trustwalk/result@1");
    let ids: Vec<&str> = out["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 900);
    assert_eq!(ids[0], "s0-0");
    assert_eq!(ids[450], "s150-0");
    assert_eq!(ids[899], "s299-2");
    assert!(out["steps"].as_array().unwrap().iter().all(|s| s["expectationMet"] == true));
}

// ---------------------------------------------------------------- input size and streaming

const LIMIT: u64 = 256 * 1024 * 1024;
const TOO_LARGE: &str = "cannot read: the document is larger than 256 MiB (268435456 bytes), the most trustwalk reads";

/// A file over the 256 MiB limit is refused by its size, without being read
/// (the file here is sparse: it takes no disk space).
#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it() {
    let f = temp_file("huge.json", "");
    std::fs::OpenOptions::new().write(true).open(&f).unwrap().set_len(LIMIT + 1).unwrap();
    for cmd in ["validate", "simulate"] {
        let r = run(&[cmd, &f, &example()]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert_eq!(r.stderr.trim_end(), format!("{f}: {TOO_LARGE}"));
        assert!(r.stdout.contains("staging-reads-production.json"), "the other file is still processed: {}", r.stdout);
    }
}

/// Standard input is read up to the limit and one byte more, then refused:
/// a 1 GiB stream is never read to its end (the writer sees the pipe close).
#[test]
fn standard_input_over_the_size_limit_is_refused_after_the_limit() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
        .args(["validate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        let mut written = 0u64;
        while written < 4 * LIMIT {
            if input.write_all(&chunk).is_err() {
                break;
            }
            written += chunk.len() as u64;
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), format!("<stdin>: {TOO_LARGE}"));
    assert!(written < 2 * LIMIT, "trustwalk stopped reading after the limit, not at the end: {written} bytes were written");
}

/// Results are written as the steps run; when the reader goes away early
/// (`| head`), the exit status still counts every step, including a failed
/// expectation at the very end.
#[test]
fn a_closed_pipe_still_counts_every_step_in_the_exit_status() {
    let mut steps: Vec<String> = (0..3000).map(|i| READ.replace(r#""id": "read""#, &format!(r#""id": "r{i}""#))).collect();
    steps.push(READ.replace(r#""id": "read""#, r#""id": "last""#).replace(r#""expect": "allowed""#, r#""expect": "skipped""#));
    let f = temp_file("many.json", &doc(&steps.join(",\n")));
    for format in ["json", "text"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
            .args(["simulate", "--format", format, &f])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{format}: a closed pipe is not an error: {}", String::from_utf8_lossy(&out.stderr));
    }
}
