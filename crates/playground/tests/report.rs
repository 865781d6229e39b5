//! The Markdown report (`report::markdown_with_commands`) of every built-in example,
//! whole, as insta snapshots in `tests/snapshots/` (review a change with
//! `cargo insta review`, or rewrite them with
//! `INSTA_UPDATE=always cargo test -p trustwalk-playground`), and of a run
//! whose expectation fails. Deterministic: "now" is pinned, and the report
//! names no file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use trustwalk_playground::report::markdown_with_commands;
use trustwalk_playground::{Workspace, EXAMPLES};

/// 2026-01-15T12:00:00Z, the time the examples pin.
const NOW: i64 = 1_768_478_400;

/// The report of `text` run at [`NOW`], and whether every expectation held.
fn report(text: &str) -> (String, bool) {
    let w = Workspace::from_text(text).unwrap();
    let ev = w.evaluate(NOW);
    assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
    let result = ev.result.unwrap();
    let met = result.steps.iter().all(|s| s.expectation_met != Some(false));
    let scenario = trustwalk_playground::commands::load(&w).unwrap();
    (markdown_with_commands(w.title(), &scenario, &result, trustwalk_playground::commands::Doc::Value(&w.doc)), met)
}

/// A new example needs its snapshot: CI fails until it is reviewed.
#[test]
fn every_example_has_its_report() {
    assert!(EXAMPLES.len() >= 7);
    for (name, text) in EXAMPLES {
        let (md, met) = report(text);
        assert!(met, "{name}: an expectation failed:\n{md}");
        insta::with_settings!({ description => format!("markdown report of examples/{name}.json"), omit_expression => true }, {
            insta::assert_snapshot!(format!("example-{name}"), md);
        });
    }
}

/// A failed expectation is named in the opening line and marked ✗ in the
/// table.
#[test]
fn a_failed_expectation_is_marked() {
    let text = EXAMPLES[0].1.replace(r#""expect": "implicitDeny""#, r#""expect": "allowed""#);
    let (md, met) = report(&text);
    assert!(!met, "{md}");
    insta::assert_snapshot!(md);
}
