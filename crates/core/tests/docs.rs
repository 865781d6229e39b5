//! The documents in docs/ say what the code does: the scenarios of
//! scenario-format.md meet every `expect` they state and the result shown is
//! the one Trustwalk writes; every rule the corpus and the code cite
//! (`§8.17`) is a rule of evaluation.md.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::{json_blocks, root};
use serde_json::Value;
use trustwalk_core::scenario::{self, RunOptions};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn page() -> String {
    std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap()
}

fn run(text: &str) -> Value {
    let (s, _) = common::load(text).unwrap_or_else(|e| panic!("{e:#?}"));
    let result = scenario::run(&s, RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() });
    assert!(result.expectations_met(), "{:#?}", result.steps.iter().map(|s| (&s.id, s.decision, &s.summary)).collect::<Vec<_>>());
    serde_json::to_value(&result).unwrap()
}

#[test]
fn the_scenarios_on_the_page_meet_their_expectations() {
    let blocks = json_blocks(&page());
    let scenarios: Vec<&String> = blocks.iter().filter(|b| b.contains("\"trustwalk/scenario@1\"")).collect();
    assert!(scenarios.len() >= 2);
    for s in scenarios {
        run(s);
    }
}

#[test]
fn the_result_shown_is_the_one_trustwalk_writes() {
    let blocks = json_blocks(&page());
    let first = blocks.iter().find(|b| b.contains("\"trustwalk/scenario@1\"")).unwrap();
    let result = run(first);
    let actual_step = &result["steps"][1];

    // The step without `context` and `gates`: every field shown, and only
    // those left out, are as written.
    let shown: Value = blocks.iter().map(|b| serde_json::from_str::<Value>(b).unwrap()).find(|v| v["id"] == "delete").unwrap();
    let mut expected = actual_step.clone();
    let fields = expected.as_object_mut().unwrap();
    fields.remove("context");
    fields.remove("gates");
    assert_eq!(shown, expected);

    // Its first gate, in full.
    let gate: Value = blocks.iter().map(|b| serde_json::from_str::<Value>(b).unwrap()).find(|v| v.get("verdict").is_some()).unwrap();
    assert_eq!(gate, actual_step["gates"][0]);
}

/// The rule numbers evaluation.md defines: its numbered headings (`## 4.`,
/// `### 4.2`), the items of §8 (`1.` … `31.`) and the rows of §9's table
/// (`| 9.5 |`).
fn rules_defined() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("docs/evaluation.md")).unwrap();
    let mut rules = BTreeSet::new();
    let mut section = String::new();
    for line in text.lines() {
        let number = |s: &str| s.split(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap_or("").trim_end_matches('.').to_string();
        if let Some(h) = line.strip_prefix("## ").or_else(|| line.strip_prefix("### ")) {
            let n = number(h);
            if !n.is_empty() {
                if !n.contains('.') {
                    section.clone_from(&n);
                }
                rules.insert(n);
            }
        } else if section == "8" && line.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            rules.insert(format!("8.{}", number(line)));
        } else if let Some(row) = line.strip_prefix("| 9.") {
            rules.insert(format!("9.{}", number(row)));
        }
    }
    rules
}

/// `§4.2`-style citations in `text`, without a trailing dot.
fn citations(text: &str) -> Vec<String> {
    text.split('§')
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<String>().trim_end_matches('.').to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
}

#[test]
fn every_rule_cited_by_the_corpus_and_the_code_is_in_evaluation_md() {
    let defined = rules_defined();
    for must in ["1.4", "2.3", "3.7", "4.2", "5.2", "6", "7", "8.1", "8.31", "9.1", "9.8", "9.23", "10.5", "11", "12"] {
        assert!(defined.contains(must), "evaluation.md defines no rule {must}: {defined:?}");
    }
    let mut files = Vec::new();
    files_under(&root().join("tests/corpus"), "json", &mut files);
    for dir in ["crates", "web/src"] {
        files_under(&root().join(dir), "rs", &mut files);
    }
    assert!(files.len() > 20);
    let mut dangling = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for rule in citations(&text) {
            if !defined.contains(&rule) {
                dangling.push(format!("{}: §{rule}", f.strip_prefix(root()).unwrap_or(f).display()));
            }
        }
    }
    assert!(dangling.is_empty(), "citations of rules evaluation.md does not have: {dangling:#?}");
}

/// GitHub's anchor for a Markdown heading: lower case, punctuation dropped,
/// spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    markdown.lines().filter_map(|l| l.strip_prefix('#')).map(|h| slug(h.trim_start_matches('#'))).collect()
}

/// `](target#anchor)` links of a Markdown text: (file or "", anchor).
fn links(markdown: &str) -> Vec<(String, String)> {
    markdown
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter_map(|target| target.split_once('#'))
        .filter(|(file, _)| !file.contains("://"))
        .map(|(file, anchor)| (file.to_string(), anchor.to_string()))
        .collect()
}

#[test]
fn links_between_the_documents_lead_to_headings() {
    let mut broken = Vec::new();
    for name in ["scenario-format.md", "evaluation.md"] {
        let text = std::fs::read_to_string(root().join("docs").join(name)).unwrap();
        let found = links(&text);
        assert!(!found.is_empty(), "{name} has no links");
        for (file, anchor) in found {
            let target = if file.is_empty() { name.to_string() } else { file.clone() };
            let headings = anchors(&std::fs::read_to_string(root().join("docs").join(&target)).unwrap());
            if !headings.contains(&anchor) {
                broken.push(format!("{name}: {target}#{anchor}"));
            }
        }
    }
    assert!(broken.is_empty(), "links to no heading: {broken:#?}");
}
