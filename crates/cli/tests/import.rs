//! `trustwalk import` end to end on the example exports of two accounts
//! (examples/exports/): the scenario it writes, what it lists as left out,
//! and its exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

fn exports(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/exports").join(name).display().to_string()
}

fn trustwalk(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn two_accounts_with_a_bucket_and_scps_import_into_a_scenario_that_validates() {
    let bucket = format!("222222222222:production-app-data={}", exports("production-app-data-bucket-policy.json"));
    let full = format!("Root={}", exports("scp-full-aws-access.json"));
    let deny = format!("Root={}", exports("scp-deny-leaving-organization.json"));
    let (staging, production) = (exports("staging-authorization-details.json"), exports("production-authorization-details.json"));
    let (code, stdout, stderr) = trustwalk(&["import", "--bucket", &bucket, "--scp", &full, "--scp", &deny, &staging, &production]);
    assert_eq!(code, Some(0), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["format"], "trustwalk/scenario@1");
    assert_eq!(doc["accounts"].as_array().unwrap().len(), 2);
    assert_eq!(doc["accounts"][1]["buckets"][0]["name"], "production-app-data");
    assert!(stderr.lines().all(|l| l.starts_with("left out: ")), "{stderr}");
    assert!(stderr.contains("staging-authorization-details.json: $.RoleDetailList[0].RoleLastUsed (descriptive"), "{stderr}");
    // What it wrote validates and runs.
    let file = std::env::temp_dir().join(format!("trustwalk-import-{}.json", std::process::id()));
    std::fs::write(&file, &stdout).unwrap();
    let (code, out, err) = trustwalk(&["validate", file.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("ok (2 accounts, 1 step)"), "{out}");
    let (code, out, _) = trustwalk(&["simulate", "--color", "never", file.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(out.contains("1. start-here  Allowed"), "{out}");
    std::fs::remove_file(&file).ok();
    // --quiet: nothing on standard error.
    let (code, _, stderr) = trustwalk(&["import", "--quiet", &staging]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

#[test]
fn bad_input_exits_2_with_the_file_and_path() {
    let (code, stdout, stderr) = trustwalk(&["import", &exports("production-app-data-bucket-policy.json")]);
    assert_eq!(code, Some(2));
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("production-app-data-bucket-policy.json: at $: this is not `aws iam get-account-authorization-details` output"),
        "{stderr}"
    );
    let (code, _, stderr) = trustwalk(&["import", "--scp", "Root", &exports("staging-authorization-details.json")]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`--scp Root` must be written `LEVEL=FILE`"), "{stderr}");
    let (code, _, stderr) = trustwalk(&["import", "/nonexistent/export.json"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent/export.json: cannot read"), "{stderr}");
}
