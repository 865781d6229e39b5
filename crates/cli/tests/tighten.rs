//! `trustwalk tighten` end to end on the examples: the proposed policy, the
//! unified diff, and exit status 2 for bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

const NOW: &str = "1768478400";

/// An example's path from the repository's root, where the commands run
/// (messages then name it the same way on every machine).
fn example(name: &str) -> String {
    format!("examples/{name}")
}

fn trustwalk(args: &[&str]) -> (Option<i32>, String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).current_dir(root).args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The outcomes of every step, from `simulate --format json`.
fn outcomes(file: &str) -> Vec<String> {
    let (_, out, err) = trustwalk(&["simulate", "--format", "json", "--now", NOW, file]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    v["steps"].as_array().unwrap().iter().map(|s| s["decision"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_proposed_policy_is_printed_and_every_step_keeps_its_outcome() {
    let file = example("explicit-deny-wins.json");
    let (code, stdout, stderr) = trustwalk(&["tighten", &file, "--policy", "DataEngineer/DataLakeAdmin", "--now", NOW]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!(stdout);
    assert_eq!(stderr, "DataEngineer/DataLakeAdmin: 1 statement narrowed, 0 removed; all 4 steps keep their outcome\n");
    // Put it in place: simulate gives the same outcomes.
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(&file)).unwrap()).unwrap();
    doc["accounts"][0]["roles"][0]["policies"][0]["document"] = serde_json::from_str(&stdout).unwrap();
    let tightened = std::env::temp_dir().join(format!("trustwalk-tighten-{}.json", std::process::id()));
    std::fs::write(&tightened, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    assert_eq!(outcomes(tightened.to_str().unwrap()), outcomes(&file));
    std::fs::remove_file(&tightened).ok();
}

#[test]
fn the_diff_format_is_a_unified_diff_against_the_current_policy() {
    let file = example("staging-reads-production.json");
    let (code, stdout, stderr) = trustwalk(&["tighten", &file, "--policy", "accounts[1].roles[0].policies[0]", "--format", "diff", "--now", NOW]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn a_role_policy_by_its_name() {
    let file = example("role-chaining.json");
    let (code, stdout, stderr) = trustwalk(&["tighten", &file, "--policy", "RoleB/ReadReports", "--format", "diff", "--now", NOW]);
    assert_eq!(code, Some(0), "{stderr}");
    insta::assert_snapshot!(stdout);
}

#[test]
fn bad_input_exits_2_and_says_why() {
    let file = example("role-chaining.json");
    let (code, stdout, stderr) = trustwalk(&["tighten", &file, "--policy", "RoleA/trustPolicy", "--now", NOW]);
    assert_eq!((code, stdout.as_str()), (Some(2), ""));
    insta::assert_snapshot!("trust_policy_refused", stderr);
    let (code, _, stderr) = trustwalk(&["tighten", &file, "--policy", "Nobody/Nothing", "--now", NOW]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no policy of the scenario is named or found at `Nobody/Nothing`; its policies: `Alice/AssumeRoleA`"), "{stderr}");
    let (code, _, stderr) = trustwalk(&["tighten", "/nonexistent.json", "--policy", "A/B"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/nonexistent.json: cannot read"), "{stderr}");
    let (code, _, stderr) = trustwalk(&["tighten", &example("exports/production-app-data-bucket-policy.json"), "--policy", "A/B"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("nothing to tighten"), "{stderr}");
    // clap: a missing --policy is a usage error, also 2.
    let (code, _, _) = trustwalk(&["tighten", &file]);
    assert_eq!(code, Some(2));
}
