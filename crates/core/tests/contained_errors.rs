//! An error inside a policy stays there: it is reported once, where it is
//! (never as "no role …" or a bad `roleArn` further on), and with
//! `load_json_contained` the steps that do not need that policy still run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::{json, Value};
use trustwalk_core::json;
use trustwalk_core::scenario::{self, LoadOptions, Outcome, RunOptions};

const EXAMPLE: &str = include_str!("../../../examples/staging-reads-production.json");

/// The example, with the role's trust policy given as `trust` (text), and
/// a fourth step that needs no trust policy: StageAdmin itself reading
/// from its own account's point of view a bucket of production.
fn doc(trust: &str) -> String {
    let mut d: Value = serde_json::from_str(EXAMPLE).unwrap();
    d["accounts"][1]["roles"][0]["trustPolicy"] = Value::String(trust.to_string());
    d["steps"].as_array_mut().unwrap().push(json!({
        "id": "user-lists-own-account",
        "principal": "arn:aws:iam::111111111111:user/StageAdmin",
        "action": "sts:AssumeRole",
        "roleArn": "arn:aws:iam::222222222222:role/StageRole",
        "sessionName": "second"
    }));
    serde_json::to_string_pretty(&d).unwrap()
}

fn good_trust() -> String {
    let d: Value = serde_json::from_str(EXAMPLE).unwrap();
    serde_json::to_string_pretty(&d["accounts"][1]["roles"][0]["trustPolicy"]).unwrap()
}

#[test]
fn a_broken_trust_policy_is_one_error_and_its_role_is_still_known() {
    let broken = good_trust().replacen("\"Effect\": \"Allow\",", "\"Effect\": \"Allow\"", 1);
    assert_ne!(broken, good_trust());
    let errors = scenario::load(&doc(&broken)).unwrap_err();
    let codes: Vec<_> = errors.iter().map(|d| (d.code.as_str(), d.path.as_str().to_string())).collect();
    assert_eq!(codes, [("JSON_SYNTAX_ERROR", "accounts[1].roles[0].trustPolicy".to_string())], "{errors:#?}");
}

#[test]
fn steps_that_do_not_need_a_broken_policy_still_run() {
    // The bucket policy is broken; AssumeRole needs only the trust and
    // identity policies, so it runs; the session's S3 steps need the
    // bucket policy and are not evaluated, and say why.
    let mut d: Value = serde_json::from_str(EXAMPLE).unwrap();
    d["accounts"][1]["buckets"][0]["policy"] = Value::String("{\"Version\": \"2012-10-17\", \"Statement\": [}".into());
    let text = serde_json::to_string_pretty(&d).unwrap();
    let tree = json::parse(&text).unwrap();
    let loaded = scenario::load_json_contained(&tree, &LoadOptions::default());
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].path.as_str(), "accounts[1].buckets[0].policy");
    let s = loaded.scenario.expect("the scenario is still given");
    let r = scenario::run(&s, RunOptions::default());
    let outcomes: Vec<_> = r.steps.iter().map(|s| s.decision).collect();
    assert_eq!(outcomes, [Outcome::Allowed, Outcome::Invalid, Outcome::Invalid]);
    let bucket = s.accounts[1].buckets[0].name.clone();
    for step in &r.steps[1..] {
        assert!(step.summary.starts_with(&format!("invalid: not evaluated, `{bucket}/bucketPolicy` has an error: ")), "{}", step.summary);
        assert!(step.summary.ends_with("(line 1, column 41)"), "{}", step.summary);
        assert_eq!(step.expectation_met, Some(false), "a step not evaluated never meets its expectation");
    }
    // The strict loader still refuses the document, with the same one error.
    assert_eq!(scenario::load_json(&tree).unwrap_err().len(), 1);
}

#[test]
fn a_broken_trust_policy_stops_only_the_steps_that_need_it() {
    let text = doc("{ \"Version\": \"2012-10-17\", \"Statement\": [ { \"Effect\": \"Allow\" \"Principal\": \"*\" } ] }");
    let tree = json::parse(&text).unwrap();
    let loaded = scenario::load_json_contained(&tree, &LoadOptions::default());
    let s = loaded.scenario.unwrap();
    let r = scenario::run(&s, RunOptions::default());
    // Both AssumeRole steps need the trust policy; the session steps have
    // no session (so they are skipped, not run against nothing).
    let outcomes: Vec<_> = r.steps.iter().map(|s| s.decision).collect();
    assert_eq!(outcomes, [Outcome::Invalid, Outcome::Skipped, Outcome::Skipped, Outcome::Invalid]);
    assert!(
        r.steps[0].summary.contains("`StageRole/trustPolicy` has an error: invalid JSON: expected comma (line 1, column 62)"),
        "{}",
        r.steps[0].summary
    );
}

#[test]
fn an_error_outside_policies_gives_no_scenario() {
    let mut d: Value = serde_json::from_str(EXAMPLE).unwrap();
    d["accounts"][0]["id"] = Value::String("12345".into());
    let text = serde_json::to_string(&d).unwrap();
    let loaded = scenario::load_json_contained(&json::parse(&text).unwrap(), &LoadOptions::default());
    assert!(loaded.scenario.is_none());
    assert!(loaded.diagnostics.iter().any(|d| d.is_error() && d.path.as_str() == "accounts[0].id"), "{:#?}", loaded.diagnostics);
}

#[test]
fn a_good_document_loads_the_same_either_way() {
    let text = doc(&good_trust());
    let tree = json::parse(&text).unwrap();
    let (strict, warnings) = scenario::load_json(&tree).unwrap();
    let loaded = scenario::load_json_contained(&tree, &LoadOptions::default());
    assert_eq!(loaded.diagnostics, warnings);
    let contained = loaded.scenario.unwrap();
    assert_eq!(scenario::run(&contained, RunOptions::default()), scenario::run(&strict, RunOptions::default()));
}
