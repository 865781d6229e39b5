//! `trustwalk access` and `trustwalk diff` end to end: the table, CSV and
//! JSON of the access map; the diff's text, JSON and Markdown; exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn trustwalk(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(args).env_remove("NO_COLOR").output().unwrap();
    Run { code: out.status.code(), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() }
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name).display().to_string()
}

/// A file in a fresh directory.
fn write(name: &str, text: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("access-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// role-chaining.json with RoleB also allowed to write the reports.
fn chaining_with_write() -> String {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(example("role-chaining.json")).unwrap()).unwrap();
    doc["accounts"][1]["roles"][1]["policies"][0]["document"]["Statement"][0]["Action"] = serde_json::json!(["s3:GetObject", "s3:PutObject"]);
    write("new.json", &serde_json::to_string_pretty(&doc).unwrap())
}

const ALICE: &str = "arn:aws:iam::111111111111:user/Alice";

#[test]
fn the_access_table_shows_who_reaches_the_reports_and_how() {
    let r = trustwalk(&["access", &example("role-chaining.json")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("arn:aws:iam::222222222222:role/RoleA > arn:aws:iam::222222222222:role/RoleB"));
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn the_access_map_filtered_by_principal_as_csv() {
    let r = trustwalk(&["access", "--format", "csv", "--principal", ALICE, &example("role-chaining.json")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn the_access_map_as_json_for_one_resource() {
    let r = trustwalk(&["access", "--format", "json", "--resource", "arn:aws:s3:::workload-reports", &example("role-chaining.json")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["format"], "trustwalk/access@1");
    let cells = v["cells"].as_array().unwrap();
    assert!(cells.iter().all(|c| c["resource"].as_str().unwrap().starts_with("arn:aws:s3:::workload-reports")));
    assert!(cells
        .iter()
        .any(|c| c["principal"] == ALICE && c["action"] == "s3:GetObject" && c["decision"] == "allowed" && c["via"].as_array().unwrap().len() == 2));
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn access_with_all_lists_implicit_denies_too() {
    let some = trustwalk(&["access", "--format", "json", &example("role-chaining.json")]);
    let all = trustwalk(&["access", "--format", "json", "--all", &example("role-chaining.json")]);
    let count = |r: &Run| serde_json::from_str::<Value>(&r.stdout).unwrap()["cells"].as_array().unwrap().len();
    assert!(count(&all) > 10 * count(&some));
    assert!(all.stdout.contains("\"implicitDeny\""));
    assert!(!some.stdout.contains("\"implicitDeny\""));
}

#[test]
fn access_of_a_bad_document_exits_2_with_a_located_error() {
    let bad = write("bad.json", "{\"format\": \"trustwalk/scenario@1\", \"accounts\": []");
    let r = trustwalk(&["access", &bad]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("bad.json:1:"), "{}", r.stderr);
}

#[test]
fn a_diff_that_grants_new_access_exits_1_and_names_the_statements() {
    let new = chaining_with_write();
    let r = trustwalk(&["diff", &example("role-chaining.json"), &new]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let r = trustwalk(&["diff", "--format", "markdown", &example("role-chaining.json"), &new]);
    assert_eq!(r.code, Some(1));
    insta::assert_snapshot!("diff_markdown", r.stdout);
    let r = trustwalk(&["diff", "--format", "json", &example("role-chaining.json"), &new]);
    assert_eq!(r.code, Some(1));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["format"], "trustwalk/diff@1");
    let put = v["access"].as_array().unwrap().iter().find(|c| c["principal"] == ALICE && c["action"] == "s3:PutObject").unwrap();
    assert_eq!((put["before"].as_str(), put["after"].as_str()), (Some("implicitDeny"), Some("allowed")));
    assert_eq!(put["statementsAfter"][0]["policy"], "RoleB/ReadReports");
    assert_eq!(v["steps"], serde_json::json!([]));
}

#[test]
fn a_diff_that_only_removes_access_exits_0_and_reports_changed_steps() {
    let new = chaining_with_write();
    let r = trustwalk(&["diff", &new, &example("role-chaining.json")]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("allowed -> implicitDeny"));
    // A step whose outcome changes: RoleA may no longer assume RoleB.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(example("role-chaining.json")).unwrap()).unwrap();
    doc["accounts"][1]["roles"][0]["policies"][0]["document"]["Statement"][0]["Effect"] = "Deny".into();
    let cut = write("cut.json", &doc.to_string());
    let r = trustwalk(&["diff", "--format", "json", &example("role-chaining.json"), &cut]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let steps = v["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["id"] == "role-a-assumes-role-b" && s["before"] == "allowed" && s["after"] == "explicitDeny"));
    assert!(steps.iter().any(|s| s["id"] == "role-b-reads" && s["before"] == "allowed" && s["after"] == "skipped"));
}

#[test]
fn a_diff_with_bad_input_exits_2() {
    let r = trustwalk(&["diff", &example("role-chaining.json"), "/nonexistent/new.json"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
    let r = trustwalk(&["diff", "-", "-"]);
    assert_eq!(r.code, Some(2));
}
