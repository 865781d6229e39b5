//! docs/scenario-format.md shows scenarios and the result they give: the
//! scenarios meet every `expect` they state, and the result shown is the
//! one Trustwalk writes.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::Value;
use trustwalk_core::scenario::{self, RunOptions};

fn page() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scenario-format.md")).unwrap()
}

/// The page's ```json blocks, in order.
fn json_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```json") => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_start().starts_with("```") => blocks.extend(current.take()),
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
        }
    }
    blocks
}

fn run(text: &str) -> Value {
    let (s, _) = scenario::load(text).unwrap_or_else(|e| panic!("{e:#?}"));
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
