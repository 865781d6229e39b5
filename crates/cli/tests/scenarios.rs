//! Runs every scenario document of `tests/scenarios/` and `examples/`
//! through the built `trustwalk` binary: each must exit 0 and report every
//! expectation met. A file whose top level has `"x-known-failing": "why"`
//! documents a known engine bug: it is run and reported, but does not fail
//! the test (and a note says when it starts passing).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenario_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join(dir))
        .unwrap_or_else(|e| panic!("cannot list {dir}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Problems with one file, or `None` when every expectation is met.
fn check(file: &Path) -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk")).args(["simulate", "--format", "json"]).arg(file).output().expect("run trustwalk");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let name = file.display();
    let result: serde_json::Value = match serde_json::from_str(&stdout) {
        Ok(v) => v,
        Err(e) => return Some(format!("{name}: exit {:?}, no result document ({e})\nstderr:\n{stderr}", out.status.code())),
    };
    let mut problems = Vec::new();
    for step in result["steps"].as_array().into_iter().flatten() {
        if step["expect"].is_null() {
            problems.push(format!("  step `{}` has no `expect`", step["id"].as_str().unwrap_or("?")));
        } else if step["expectationMet"] != serde_json::Value::Bool(true) {
            problems.push(format!(
                "  step `{}`: expected {}, actual {} — {}",
                step["id"].as_str().unwrap_or("?"),
                step["expect"],
                step["decision"],
                step["summary"].as_str().unwrap_or("")
            ));
        }
    }
    if out.status.code() != Some(0) {
        problems.insert(0, format!("  exit code {:?}, expected 0; stderr: {stderr}", out.status.code()));
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!("{name}:\n{}", problems.join("\n")))
    }
}

fn known_failing(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["x-known-failing"].as_str().map(str::to_string)
}

fn run_directory(dir: &str, min_files: usize) {
    let files = scenario_files(dir);
    assert!(files.len() >= min_files, "{dir}: expected at least {min_files} scenario files, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let problem = check(file);
        match (known_failing(file), problem) {
            (Some(why), Some(p)) => eprintln!("known failing (not counted): {p}\n  reason: {why}"),
            (Some(_), None) => eprintln!("note: {} is marked x-known-failing but now passes: remove the marker", file.display()),
            (None, Some(p)) => failures.push(p),
            (None, None) => {}
        }
    }
    assert!(failures.is_empty(), "{} of {} files in {dir} failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn every_scenario_case_meets_its_expectations() {
    run_directory("tests/scenarios", 20);
}

#[test]
fn every_example_meets_its_expectations() {
    run_directory("examples", 7);
}

#[test]
fn every_example_is_documented_and_pins_the_time() {
    for file in scenario_files("examples") {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let name = file.display();
        assert!(v["title"].is_string(), "{name}: no title");
        assert!(v["description"].is_string(), "{name}: no description");
        assert!(v["context"]["aws:CurrentTime"].is_string(), "{name}: aws:CurrentTime is not pinned in context");
    }
}

fn simulate_json(args: &[&str], files: &[PathBuf]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trustwalk"))
        .args(["simulate", "--format", "json", "--now", "1768478400"])
        .args(args)
        .args(files)
        .output()
        .expect("run trustwalk");
    String::from_utf8(out.stdout).unwrap()
}

fn every_file() -> Vec<PathBuf> {
    let mut files = scenario_files("examples");
    files.extend(scenario_files("tests/scenarios"));
    files
}

/// The CLI writes the result document as the steps run: the bytes are
/// those of the core's whole `ScenarioResult` (what the JS API and the
/// playground export), one line per file.
#[test]
fn the_streamed_result_document_is_the_core_result_document() {
    let files = every_file();
    let cli = simulate_json(&[], &files);
    let mut lines = cli.lines();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // The AWS managed policies the document names, as the CLI embeds them.
        let managed: std::collections::HashMap<String, String> = trustwalk_core::scenario::managed_policy_arns(&text)
            .into_iter()
            .map(|arn| {
                let file = trustwalk_core::scenario::aws_managed_policy_file(&arn).unwrap();
                (arn, std::fs::read_to_string(repo_root().join("data/aws-managed-policies").join(file)).unwrap())
            })
            .collect();
        let options = trustwalk_core::scenario::LoadOptions::with_managed_policies(&managed);
        let (scenario, _) = trustwalk_core::scenario::load_with_options(&text, &options).unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
        let options = trustwalk_core::scenario::RunOptions { now_epoch_seconds: 1768478400, eval: Default::default() };
        let whole = serde_json::to_string(&trustwalk_core::scenario::run(&scenario, options)).unwrap();
        assert_eq!(lines.next(), Some(whole.as_str()), "{}", file.display());
    }
    assert_eq!(lines.next(), None);
}

/// `--trace decisive` is the full document less each step's `context`,
/// `gates` and `extraChecks`: the same fields otherwise, in the same order.
#[test]
fn trace_decisive_drops_only_the_context_and_the_trace() {
    let files = every_file();
    let full = simulate_json(&[], &files);
    let decisive = simulate_json(&["--trace", "decisive"], &files);
    assert!(decisive.len() * 3 < full.len(), "decisive: {} bytes, full: {} bytes", decisive.len(), full.len());
    let mut checked_extra = false;
    for (f, d) in full.lines().zip(decisive.lines()) {
        let mut v: serde_json::Value = serde_json::from_str(f).unwrap();
        for step in v["steps"].as_array_mut().unwrap() {
            let step = step.as_object_mut().unwrap();
            assert!(step.shift_remove("context").is_some());
            checked_extra |= step.shift_remove("extraChecks").is_some();
            step.shift_remove("gates");
        }
        assert_eq!(serde_json::to_string(&v).unwrap(), d);
    }
    assert_eq!(full.lines().count(), decisive.lines().count());
    assert!(checked_extra, "some example has extraChecks");
}

/// A document and the core's options for it: the AWS managed policies it
/// names, as the CLI embeds them.
fn managed_of(text: &str) -> std::collections::HashMap<String, String> {
    trustwalk_core::scenario::managed_policy_arns(text)
        .into_iter()
        .map(|arn| {
            let file = trustwalk_core::scenario::aws_managed_policy_file(&arn).unwrap();
            (arn, std::fs::read_to_string(repo_root().join("data/aws-managed-policies").join(file)).unwrap())
        })
        .collect()
}

/// Every example and scenario case with its steps repeated until there are
/// at least `at_least`: the later rounds find the sessions of the earlier
/// ones established (and establish them again), so the run's sessions
/// change all along it. Step ids get the round as a suffix.
fn repeated_documents(at_least: usize) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in every_file() {
        let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let template = v["steps"].as_array().cloned().unwrap_or_default();
        if template.is_empty() {
            continue;
        }
        let mut steps = Vec::new();
        for round in 0..at_least.div_ceil(template.len()) {
            for (j, s) in template.iter().enumerate() {
                let mut s = s.clone();
                let id = s["id"].as_str().map_or_else(|| format!("step-{}", j + 1), str::to_string);
                s["id"] = serde_json::Value::String(format!("{id}-r{round}"));
                steps.push(s);
            }
        }
        v["steps"] = serde_json::Value::Array(steps);
        out.push((file.display().to_string(), v.to_string()));
    }
    out
}

/// The CLI runs a long document on several threads (each stretch of steps
/// with the sessions established before it): its result document is still,
/// byte for byte, the core's run from the start.
#[test]
fn a_long_run_shared_by_threads_is_the_run_from_the_start() {
    let docs = repeated_documents(300);
    assert!(docs.len() > 30);
    let dir = std::env::temp_dir().join(format!("trustwalk-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, (_, text)) in docs.iter().enumerate() {
        let f = dir.join(format!("{i}.json"));
        std::fs::write(&f, text).unwrap();
        files.push(f);
    }
    let cli = simulate_json(&[], &files);
    let mut lines = cli.lines();
    let mut sessions = 0;
    for (name, text) in &docs {
        let managed = managed_of(text);
        let options = trustwalk_core::scenario::LoadOptions::with_managed_policies(&managed);
        let (scenario, _) = trustwalk_core::scenario::load_with_options(text, &options).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let options = trustwalk_core::scenario::RunOptions { now_epoch_seconds: 1768478400, eval: Default::default() };
        sessions += trustwalk_core::scenario::Timeline::new(&scenario, options).len();
        let whole = serde_json::to_string(&trustwalk_core::scenario::run(&scenario, options)).unwrap();
        assert_eq!(lines.next(), Some(whole.as_str()), "{name}");
    }
    assert_eq!(lines.next(), None);
    assert!(sessions > 1000, "the documents establish {sessions} sessions");
    std::fs::remove_dir_all(&dir).ok();
}

/// [`Resume`](trustwalk_core::scenario::Resume): two runners taking turns
/// over stretches of 1, 3 or 64 steps, or a runner for each step, give
/// every step the result of the run from the start, whatever sessions the
/// steps between their stretches established.
#[test]
fn runners_taking_turns_give_each_step_its_result_from_the_start() {
    use trustwalk_core::scenario::{run, Resume, RunOptions, Timeline};
    for (name, text) in repeated_documents(130) {
        let managed = managed_of(&text);
        let options = trustwalk_core::scenario::LoadOptions::with_managed_policies(&managed);
        let (scenario, _) = trustwalk_core::scenario::load_with_options(&text, &options).unwrap();
        let options = RunOptions { now_epoch_seconds: 1768478400, eval: Default::default() };
        let whole = run(&scenario, options).steps;
        let timeline = Timeline::new(&scenario, options);
        for stretch in [1, 3, 64] {
            let mut runners = [Resume::new(&scenario, options, &timeline), Resume::new(&scenario, options, &timeline)];
            let mut results = Vec::new();
            for (k, start) in (0..whole.len()).step_by(stretch).enumerate() {
                runners[k % 2].run(start..(start + stretch).min(whole.len()), |r| results.push(r));
            }
            assert!(results == whole, "{name}: stretches of {stretch}");
        }
        // Each step by a runner of its own, which has prepared no step
        // before it: what a runner reuses of the steps before (the setup of
        // a recent step of the same caller and resource side) changes
        // nothing.
        let alone: Vec<_> = (0..whole.len())
            .map(|i| {
                let mut one = Vec::new();
                Resume::new(&scenario, options, &timeline).run(i..i + 1, |r| one.push(r));
                one.remove(0)
            })
            .collect();
        assert!(alone == whole, "{name}: each step alone");
    }
}

/// Two gates the CLI treats as written alike ([`SameJson`]) are written
/// alike: over every pair of gates of the steps of every example and
/// scenario case (each document's steps repeated), `same_json` holds only
/// when their JSON is the same, and it holds for most gates of a run.
///
/// [`SameJson`]: trustwalk_core::trace::SameJson
#[test]
fn gates_the_cli_copies_are_written_alike() {
    use trustwalk_core::trace::SameJson;
    let (mut same, mut pairs) = (0, 0);
    for (name, text) in repeated_documents(20) {
        let managed = managed_of(&text);
        let options = trustwalk_core::scenario::LoadOptions::with_managed_policies(&managed);
        let (scenario, _) = trustwalk_core::scenario::load_with_options(&text, &options).unwrap();
        let options = trustwalk_core::scenario::RunOptions { now_epoch_seconds: 1768478400, eval: Default::default() };
        let gates: Vec<_> = trustwalk_core::scenario::run(&scenario, options)
            .steps
            .into_iter()
            .filter_map(|s| s.evaluation)
            .flat_map(|e| e.gates)
            .map(|g| {
                let json = serde_json::to_string(&g).unwrap();
                (g, json)
            })
            .collect();
        for (a, ja) in &gates {
            for (b, jb) in &gates {
                pairs += 1;
                let alike = a.same_json(b);
                same += usize::from(alike);
                if alike {
                    assert_eq!(ja, jb, "{name}");
                }
            }
        }
    }
    assert!(same * 20 > pairs && same < pairs, "{same} of {pairs} pairs alike");
}
