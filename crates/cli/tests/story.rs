//! The whole story `trustwalk simulate` tells, as insta snapshots in
//! `tests/snapshots/` (review a change with `cargo insta review`, or
//! rewrite them with `INSTA_UPDATE=always cargo test -p trustwalk-cli`):
//! every example of `examples/` and a few scenario cases chosen for what
//! the story shows (statements in policy text, skipped steps, SCP levels,
//! expired sessions, KMS key policies, step context, cross-account
//! sessions), plus `--verbose`.
//!
//! Deterministic: the binary runs from the repository root on relative
//! file names (statement locations read `examples/x.json:17:9`, never an
//! absolute path), with `--now` pinned and without colour.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-01-15T12:00:00Z, the time the examples pin.
const NOW: &str = "1768478400";

/// The scenario cases whose stories are kept, besides every example.
const SCENARIOS: &[&str] = &[
    "aws-managed-policy-on-a-role",
    "cross-account-assume-role",
    "denied-expectation",
    "kms-key-policies",
    "managed-permissions-boundary",
    "policies-as-text",
    "scp-levels",
    "session-expiry",
    "skipped-sessions",
    "step-context-and-null",
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `trustwalk simulate --now NOW --color never ARGS…` from the repository
/// root; returns the command line as shown in the snapshot, the exit code
/// and standard output. (Warnings on standard error are diagnostics, not
/// the story: they are tested with the diagnostics.)
fn simulate(args: &[&str]) -> (String, Option<i32>, String) {
    let mut all = vec!["simulate", "--now", NOW, "--color", "never"];
    all.extend_from_slice(args);
    let out =
        Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(&all).current_dir(repo_root()).env_remove("NO_COLOR").output().expect("run trustwalk");
    (format!("trustwalk {}", all.join(" ")), out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// Checks the story of `file` (relative to the repository root) against
/// the snapshot `name`; every expectation of these files is met (exit 0).
fn assert_story(name: &str, args: &[&str]) {
    let (command, code, story) = simulate(args);
    assert_eq!(code, Some(0), "{command}:\n{story}");
    insta::with_settings!({ description => command, omit_expression => true }, {
        insta::assert_snapshot!(name, story);
    });
}

fn stems(dir: &str) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(repo_root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    stems
}

/// A new example needs its snapshot: CI fails until it is reviewed.
#[test]
fn every_example_tells_its_story() {
    let examples = stems("examples");
    assert!(examples.len() >= 7, "{examples:?}");
    for stem in examples {
        assert_story(&format!("example-{stem}"), &[&format!("examples/{stem}.json")]);
    }
}

#[test]
fn scenario_cases_tell_their_story() {
    let present = stems("tests/scenarios");
    for stem in SCENARIOS {
        assert!(present.iter().any(|s| s == stem), "no tests/scenarios/{stem}.json");
        assert_story(&format!("scenario-{stem}"), &[&format!("tests/scenarios/{stem}.json")]);
    }
}

/// `--verbose` adds every gate and its verdict to each step.
#[test]
fn verbose_lists_every_gate() {
    assert_story("verbose-staging-reads-production", &["--verbose", "examples/staging-reads-production.json"]);
    assert_story("verbose-role-chaining", &["-v", "examples/role-chaining.json"]);
}

/// Several files: one story each, a blank line between them.
#[test]
fn several_files_tell_one_story_each() {
    assert_story("two-files", &["examples/explicit-deny-wins.json", "examples/vendor-external-id.json"]);
}

/// Two runs give the same bytes (no hash-map order, no clock): every file
/// snapshotted here, verbose, in one run of the binary, then in another.
#[test]
fn the_story_is_deterministic() {
    let mut files: Vec<String> = stems("examples").iter().map(|s| format!("examples/{s}.json")).collect();
    files.extend(SCENARIOS.iter().map(|s| format!("tests/scenarios/{s}.json")));
    let mut args = vec!["--verbose"];
    args.extend(files.iter().map(String::as_str));
    let (_, code, first) = simulate(&args);
    assert_eq!(code, Some(0), "{first}");
    assert_eq!(first, simulate(&args).2);
}
