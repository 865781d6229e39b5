//! The text output never lets the document drive the terminal: control
//! characters in titles, ids, names, ARNs, Sids, condition values and keys
//! are shown as escapes (`\u{1b}`, `\n`), with or without colour, in the
//! story, in warnings and in errors. The only control characters written
//! are the tool's own newlines and its own colour codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// ESC [2J (clear the screen), an OSC that sets the window title, a
/// carriage return and a newline that forge a closing line, the
/// one-character CSI U+009B, a right-to-left override, NUL and DEL.
const HOSTILE: &str = r"\u001b[2J\u001b[H\u001b]0;pwned\u0007\r3 of 3 expectations met\n\u009b31m\u202eevil\u0000\u007f";

/// The escaped form of [`HOSTILE`], as the tool shows it.
const SHOWN: &str = r"\u{1b}[2J\u{1b}[H\u{1b}]0;pwned\u{7}\r3 of 3 expectations met\n\u{9b}31m\u{202e}evil\u{0}\u{7f}";

/// The colour codes of crates/cli/src/style.rs: the only escape sequences
/// the tool itself writes.
const OWN_CODES: [&str; 8] = ["\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[1;31m", "\x1b[1;32m", "\x1b[1;33m", "\x1b[1;35m", "\x1b[36m"];

fn temp_file(name: &str, text: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("inert-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs the binary; returns (exit code, stdout, stderr).
fn trustwalk(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(args).env_remove("NO_COLOR").output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Fails when `out`, once the tool's own colour codes are taken out, holds
/// any control character other than a newline, or a bidirectional control.
fn assert_inert(what: &str, out: &str) {
    let mut rest = out.to_string();
    for code in OWN_CODES {
        rest = rest.replace(code, "");
    }
    let bad: Vec<(usize, char)> = rest
        .char_indices()
        .filter(|&(_, c)| (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect();
    assert!(bad.is_empty(), "{what}: raw control characters {bad:?} in:\n{}", out.escape_debug());
    // No line was forged by the document.
    assert!(!rest.lines().any(|l| l.starts_with("3 of 3 expectations met")), "{what}: forged line in:\n{rest}");
}

/// A valid document with the hostile string in every free-form place: the
/// title, an account name, a policy name, a Sid, a condition value, the
/// step ids, an S3 object key and a context value. Step 1 is allowed
/// (deciding statements with those names), step 2 is denied with a near
/// miss quoting the condition value.
fn hostile_doc() -> String {
    let h = HOSTILE;
    format!(
        r#"{{
  "format": "trustwalk/scenario@1",
  "title": "Title {h}",
  "context": {{ "aws:CurrentTime": "2026-01-15T12:00:00Z" }},
  "accounts": [
    {{ "id": "111111111111", "name": "dev {h}",
       "users": [{{ "name": "U", "policies": [{{ "name": "Read {h}", "document": {{ "Version": "2012-10-17", "Statement": [
         {{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }}] }} }}] }}] }},
    {{ "id": "222222222222", "name": "prod {h}",
       "buckets": [{{ "name": "bkt", "policy": {{ "Version": "2012-10-17", "Statement": [
         {{ "Effect": "Allow", "Principal": {{ "AWS": "111111111111" }}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bkt/*",
           "Condition": {{ "StringEquals": {{ "aws:UserAgent": "agent {h}" }} }} }},
         {{ "Sid": "Sid {h}", "Effect": "Allow", "Principal": {{ "AWS": "111111111111" }}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }}] }} }}] }}
  ],
  "steps": [
    {{ "id": "read {h}", "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/key {h}", "expect": "allowed" }},
    {{ "id": "put {h}", "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:PutObject", "resource": "arn:aws:s3:::bkt/k",
       "context": {{ "aws:UserAgent": "curl {h}" }}, "expect": "allowed" }}
  ]
}}"#
    )
}

#[test]
fn the_story_shows_control_characters_as_escapes_even_in_colour() {
    let f = PathBuf::from(temp_file("hostile.json", &hostile_doc()));
    // From the file's directory, so that the story names it `hostile.json`.
    let story = |colour: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
            .args(["simulate", "--verbose", "--now", "1768478400", "--color", colour, "hostile.json"])
            .current_dir(f.parent().unwrap())
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, plain, err) = story("never");
    assert_eq!(code, Some(1), "{plain}{err}");
    assert_inert("--color never", &plain);
    assert_inert("stderr", &err);
    let (code, coloured, err) = story("always");
    assert_eq!(code, Some(1), "{coloured}{err}");
    assert_inert("--color always", &coloured);
    assert_inert("stderr", &err);
    assert!(coloured.contains("\x1b[1;32mAllowed\x1b[0m"), "{}", coloured.escape_debug());
    // Colour adds the tool's own codes and nothing else.
    assert_eq!(OWN_CODES.iter().fold(coloured, |o, c| o.replace(c, "")), plain);
    // Every document string is shown whole, escaped, where it stands: the
    // title; step 1's id, account names (2), object key, policy name and
    // Sid; step 2's id, account names (2), the context value and the
    // condition value quoted in the near miss; the failed id at the end.
    assert_eq!(plain.matches(SHOWN).count(), 13, "{plain}");
    insta::assert_snapshot!(plain);
}

#[test]
fn errors_and_warnings_show_control_characters_as_escapes() {
    // An unknown key, a bad value and a policy without `Version` (a warning),
    // each quoting the hostile string, in a file whose name has one too.
    let h = HOSTILE;
    let bad = format!(
        r#"{{ "format": "trustwalk/scenario@1", "accounts": [{{ "id": "111111111111", "key {h}": 1,
              "users": [{{ "name": "U {h}" }}] }}], "steps": [] }}"#
    );
    let f = temp_file("bad\x1b[2J\r.json", &bad);
    for args in [vec!["validate", f.as_str()], vec!["simulate", "--color", "always", f.as_str()]] {
        let (code, out, err) = trustwalk(&args);
        assert_eq!(code, Some(2), "{out}{err}");
        assert_inert("stdout", &out);
        assert_inert("stderr", &err);
        assert!(err.contains(&format!("unknown field `key {SHOWN}`")), "{err}");
        assert!(err.contains(&format!("`U {SHOWN}` is not a valid user name")), "{err}");
        assert!(err.contains(r"bad\u{1b}[2J\r.json"), "{err}");
        assert_eq!(err.lines().count(), 7, "two lines per error (three: the error, its help) and a summary:\n{err}");
        assert_eq!(err.lines().filter(|l| l.starts_with("  help: ")).count(), 3, "{err}");
    }
    let warned = hostile_doc().replace(r#""name": "Read "#, r#""name": "NoVersion "#).replacen(r#""Version": "2012-10-17", "#, "", 1);
    let f = temp_file("warned.json", &warned);
    let (code, out, err) = trustwalk(&["validate", &f]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_inert("validate", &out);
    assert!(out.contains(": warning[MISSING_VERSION]: "), "{out}");
}
