//! `trustwalk lint` end to end: the text report, the JSON lines, the SARIF
//! log, `--policy-type` and the exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Writes the files into a fresh directory and runs `trustwalk lint ARGS…`
/// there (file names in the output are then relative).
fn lint_in_dir(files: &[(&str, &str)], args: &[&str]) -> Run {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("lint-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
        .arg("lint")
        .args(["--now", "1768478400", "--color", "never"])
        .args(args)
        .current_dir(&dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    Run { code: out.status.code(), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() }
}

/// An identity policy with a security warning (PassRole on every role), a
/// warning and a missing Version.
const RISKY_IDENTITY: &str = r#"{
  "Statement": [
    { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" },
    { "Effect": "Allow", "NotAction": "s3:DeleteObject", "Resource": "arn:aws:s3:::bkt/*" }
  ]
}
"#;

const CLEAN_IDENTITY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{ "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }]
}
"#;

fn example(name: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name)).unwrap()
}

#[test]
fn a_risky_policy_fails_with_each_finding_located_and_explained() {
    let r = lint_in_dir(&[("risky.json", RISKY_IDENTITY)], &["--policy-type", "identity", "risky.json"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("risky.json:3:"), "{}", r.stdout);
    assert!(r.stdout.contains("[PASS_ROLE_WITH_STAR_IN_RESOURCE]"), "{}", r.stdout);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn a_clean_policy_passes() {
    let r = lint_in_dir(&[("clean.json", CLEAN_IDENTITY)], &["--policy-type", "identity", "clean.json"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "clean.json: no findings\n");
}

#[test]
fn json_gives_one_object_per_file_with_every_field() {
    let r = lint_in_dir(
        &[("risky.json", RISKY_IDENTITY), ("clean.json", CLEAN_IDENTITY)],
        &["--format", "json", "--policy-type", "identity", "risky.json", "clean.json"],
    );
    assert_eq!(r.code, Some(1));
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], "risky.json");
    assert_eq!(lines[1]["file"], "clean.json");
    assert_eq!(lines[1]["findings"], Value::Array(vec![]));
    let findings = lines[0]["findings"].as_array().unwrap();
    let pass_role = findings.iter().find(|f| f["code"] == "PASS_ROLE_WITH_STAR_IN_RESOURCE").unwrap();
    assert_eq!(pass_role["severity"], "securityWarning");
    assert_eq!(pass_role["line"], 3);
    assert!(pass_role["path"].as_str().unwrap().starts_with("Statement[0]"), "{pass_role}");
    for f in findings {
        for key in ["severity", "code", "message", "help", "path", "line", "column"] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
        assert!(["error", "securityWarning", "warning", "suggestion"].contains(&f["severity"].as_str().unwrap()));
    }
}

#[test]
fn sarif_is_one_log_with_rules_results_and_locations() {
    let r = lint_in_dir(&[("risky.json", RISKY_IDENTITY)], &["--format", "sarif", "--policy-type", "identity", "risky.json"]);
    assert_eq!(r.code, Some(1));
    let log: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "trustwalk");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for res in results {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"], "{res}");
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "risky.json");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let pass_role = results.iter().find(|r| r["ruleId"] == "PASS_ROLE_WITH_STAR_IN_RESOURCE").unwrap();
    assert_eq!(pass_role["level"], "warning");
    let rule = &rules[pass_role["ruleIndex"].as_u64().unwrap() as usize];
    assert!(rule["properties"]["tags"].as_array().unwrap().contains(&Value::from("security")));
    assert!(rule["helpUri"].as_str().unwrap().starts_with("https://docs.aws.amazon.com/"), "{rule}");
}

#[test]
fn scenarios_are_checked_policy_by_policy_in_the_document() {
    let r = lint_in_dir(&[("s.json", &example("staging-reads-production.json"))], &["s.json"]);
    // Suggestions only: not a failure.
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn an_invalid_scenario_is_an_error_finding_and_an_unreadable_file_exit_2() {
    let r = lint_in_dir(&[("bad.json", "{\"format\": \"trustwalk/scenario@1\", \"accounts\": [], \"steps\": []}")], &["bad.json"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("bad.json:1:"), "{}", r.stdout);
    assert!(r.stdout.contains("error[EMPTY_LIST]"), "{}", r.stdout);
    let r = lint_in_dir(&[("clean.json", CLEAN_IDENTITY)], &["--policy-type", "identity", "missing.json", "clean.json"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("missing.json: cannot read"), "{}", r.stderr);
    // The readable file was still checked.
    assert!(r.stdout.contains("clean.json: no findings"), "{}", r.stdout);
}
