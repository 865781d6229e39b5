//! `trustwalk simulate --commands`: the AWS CLI commands of a scenario and
//! of each step after its story, as insta snapshots of two examples (an
//! AssumeRole with an external ID, one with MFA).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

/// `trustwalk simulate --commands` of `examples/NAME.json`, run from the
/// repository's root at the examples' pinned time.
fn simulate(name: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = format!("examples/{name}.json");
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
        .current_dir(root)
        .args(["simulate", "--color", "never", "--now", "1768478400", "--commands"])
        .args(extra)
        .arg(&file)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn commands_of_an_assume_role_with_an_external_id() {
    let (code, out, err) = simulate("vendor-external-id", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("       --external-id cust-7f3a9c21 \\\n"), "{out}");
    assert!(out.contains("     export AWS_ACCESS_KEY_ID=ASIAFAKE"), "{out}");
    assert!(out.contains("Expiration:      2026-01-15T13:00:00Z"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn commands_of_an_assume_role_with_mfa() {
    let (code, out, err) = simulate("security-auditor-mfa", &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("       --serial-number arn:aws:iam::333333333333:mfa/Auditor \\\n       --token-code 123456 \\\n"), "{out}");
    assert!(out.contains("--create-bucket-configuration LocationConstraint=eu-west-1"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn commands_need_the_text_format() {
    let (code, out, err) = simulate("vendor-external-id", &["--format", "json"]);
    assert_eq!(code, Some(2));
    assert!(out.is_empty());
    assert!(err.contains("--commands works with --format text only"), "{err}");
}
