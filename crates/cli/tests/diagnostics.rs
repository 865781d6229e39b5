//! How `trustwalk validate` reports bad documents, as the user sees it on
//! standard error: `file:line:column: error[CODE]: message (at path)` and
//! the help on the next line. One insta snapshot per document
//! (`tests/snapshots/`); the file's own path reads `FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `bytes` to a fresh file, runs `trustwalk validate` on it and
/// returns its exit code and standard error with the path as `FILE`.
fn validate(name: &str, bytes: &[u8]) -> (Option<i32>, String, String) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("diag-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let file = path.display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(["validate", &file]).stdin(Stdio::null()).env_remove("NO_COLOR").output().unwrap();
    let clean = |b: Vec<u8>| String::from_utf8(b).unwrap().replace(&file, "FILE");
    (out.status.code(), clean(out.stdout), clean(out.stderr))
}

/// A small valid document with `users` (the user entries) and `steps`.
fn doc(users: &str, steps: &str) -> String {
    format!(
        r#"{{
  "format": "trustwalk/scenario@1",
  "context": {{ "aws:CurrentTime": "2026-01-15T12:00:00Z" }},
  "accounts": [
    {{
      "id": "111111111111",
      "name": "dev",
      "users": [{users}],
      "buckets": [{{ "name": "bkt" }}]
    }}
  ],
  "steps": [{steps}]
}}"#
    )
}

const USER: &str = r#"{ "name": "U", "policies": [{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }] }"#;
const READ: &str = r#"{ "id": "read", "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }"#;

/// An invalid document: exit 2, nothing on standard output.
fn errors(name: &str, text: &str) -> String {
    let (code, stdout, stderr) = validate(name, text.as_bytes());
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    stderr
}

#[test]
fn unknown_field_with_a_case_slip() {
    let text = doc(USER, READ).replace(r#""name": "dev","#, r#""Name": "dev","#);
    insta::assert_snapshot!(errors("field.json", &text));
}

#[test]
fn errors_inside_a_policy_given_as_text() {
    let policy =
        r#"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3 GetObject\", \"Resource\": \"bkt/*\"}\n}"#;
    let user = format!(r#"{{ "name": "U", "policies": [{{ "name": "Read", "document": "{policy}" }}] }}"#);
    insta::assert_snapshot!(errors("text.json", &doc(&user, READ)));
}

#[test]
fn condition_problems() {
    let user = r#"{ "name": "U", "policies": [{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
      "Condition": { "StringEquals": { "aws:SourceVpc": "vpc-1", "AWS:sourcevpc": "vpc-2" }, "NumericLessThan": { "s3:max-keys": "ten" }, "NullIfExists": { "aws:TokenIssueTime": "true" } } }] } }] }"#;
    insta::assert_snapshot!(errors("condition.json", &doc(user, READ)));
}

#[test]
fn steps_that_name_what_is_not_there() {
    let steps = r#"{ "principal": "arn:aws:iam::111111111111:user/Nobody", "action": "s3:GetObject", "resource": "s3://bkt/k" },
    { "principal": "arn:aws:iam::111111111111:user/U", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/Missing", "sessionName": "s", "resource": "*" }"#;
    insta::assert_snapshot!(errors("steps.json", &doc(USER, steps)));
}

#[test]
fn text_that_is_not_json() {
    let mut all = String::new();
    all.push_str(&errors("bom.json", &format!("\u{feff}{}", doc(USER, READ))));
    all.push_str(&errors("tab.json", &doc(USER, READ).replace(r#""name": "dev""#, "\"name\": \"d\tev\"")));
    all.push_str(&errors("comma.json", &doc(USER, READ).replace(r#""bkt" }"#, r#""bkt", }"#)));
    let mut latin1 = doc(USER, READ).into_bytes();
    let at = latin1.windows(3).position(|w| w == b"dev").unwrap();
    latin1[at] = 0xE9;
    let (code, _, stderr) = validate("latin1.json", &latin1);
    assert_eq!(code, Some(2));
    all.push_str(&stderr);
    insta::assert_snapshot!(all);
}

#[test]
fn warnings_come_with_their_code_and_help_too() {
    let user = USER.replace(r#""Version": "2012-10-17", "#, "");
    let step = READ.replace("arn:aws:s3:::bkt/k", "arn:aws:sqs:us-east-1:999999999999:queue");
    let (code, stdout, stderr) = validate("warn.json", doc(&user, &step).as_bytes());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    insta::assert_snapshot!(stdout);
}
