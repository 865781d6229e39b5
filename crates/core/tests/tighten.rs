//! Tightening a policy to what the steps use (review::tighten).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use serde_json::{json, Value};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::review::tighten::{line_diff, tighten, unified, LineKind, Proposal, StatementChange};
use trustwalk_core::scenario::{self, LoadOptions, Outcome, RunOptions};

const NOW: i64 = 1_768_478_400; // 2026-01-15T12:00:00Z

fn run_options() -> RunOptions {
    RunOptions { now_epoch_seconds: NOW, ..Default::default() }
}

/// One account `111111111111` with user `Alice` holding `policy` as `P`,
/// buckets `data` and `logs`, and one step per (action, resource, expect).
fn scenario_with(policy: Value, steps: &[(&str, &str)]) -> String {
    let steps: Vec<Value> = steps
        .iter()
        .enumerate()
        .map(|(i, (a, r))| json!({"id": format!("s{i}"), "principal": "arn:aws:iam::111111111111:user/Alice", "action": a, "resource": r}))
        .collect();
    let doc = json!({
        "format": "trustwalk/scenario@1",
        "context": {"aws:CurrentTime": "2026-01-15T12:00:00Z"},
        "accounts": [{
            "id": "111111111111",
            "users": [{"name": "Alice", "policies": [{"name": "P", "document": policy}]}],
            "buckets": [{"name": "data"}, {"name": "logs"}]
        }],
        "steps": steps
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

fn outcomes(text: &str) -> Vec<Outcome> {
    let (s, _) = scenario::load(text).unwrap();
    scenario::run(&s, run_options()).steps.iter().map(|s| s.decision).collect()
}

/// The scenario with user Alice's policy replaced by `doc`.
fn with_policy(text: &str, doc: &Value) -> String {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v["accounts"][0]["users"][0]["policies"][0]["document"] = doc.clone();
    serde_json::to_string(&v).unwrap()
}

fn propose(text: &str, address: &str) -> Proposal {
    tighten(text, address, &LoadOptions::default(), run_options()).unwrap()
}

fn statements(p: &Proposal) -> Vec<Value> {
    p.document["Statement"].as_array().unwrap().clone()
}

#[test]
fn a_wildcard_action_becomes_the_actions_the_steps_use() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Data", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::data/*"}
    ]});
    let text = scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a.csv"), ("s3:PutObject", "arn:aws:s3:::data/a.csv")]);
    let p = propose(&text, "Alice/P");
    assert_eq!(p.policy, "Alice/P");
    assert_eq!(p.path, "accounts[0].users[0].policies[0].document");
    assert_eq!(
        p.document,
        json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "Data", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::data/a.csv"}
        ]})
    );
    assert!(p.changed);
    assert_eq!(p.statements, vec![StatementChange::Narrowed { index: 0, sid: Some("Data".into()), into: 1 }]);
    assert!(p.steps.iter().all(|s| s.before == Outcome::Allowed && s.after == Outcome::Allowed));
    assert_eq!(outcomes(&with_policy(&text, &p.document)), outcomes(&text));
}

#[test]
fn a_wildcard_resource_becomes_the_arns_the_steps_use_split_by_resource_set() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Any", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}
    ]});
    let text = scenario_with(
        policy,
        &[("s3:GetObject", "arn:aws:s3:::data/a.csv"), ("s3:GetObject", "arn:aws:s3:::logs/b.log"), ("s3:ListBucket", "arn:aws:s3:::data")],
    );
    let p = propose(&text, "accounts[0].users[0].policies[0]");
    assert_eq!(
        statements(&p),
        vec![
            json!({"Sid": "Any1", "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::data/a.csv", "arn:aws:s3:::logs/b.log"]}),
            json!({"Sid": "Any2", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"}),
        ]
    );
    assert!(!p.after.contains('*'), "{}", p.after);
    assert_eq!(outcomes(&with_policy(&text, &p.document)), outcomes(&text));
}

#[test]
fn deny_statements_are_kept_as_written_and_still_deny() {
    let deny = json!({"Sid": "NoLogs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*"});
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        deny
    ]});
    let text = scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a"), ("s3:GetObject", "arn:aws:s3:::logs/a")]);
    let p = propose(&text, "Alice/P");
    assert_eq!(statements(&p), vec![json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/a"}), deny]);
    assert_eq!(p.steps[1].after, Outcome::ExplicitDeny);
    assert!(matches!(p.statements[1], StatementChange::Kept { index: 1, .. }));
}

#[test]
fn a_condition_carries_over_to_every_statement_made_from_its_statement() {
    let condition = json!({"Bool": {"aws:SecureTransport": "true"}});
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Tls", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": condition}
    ]});
    let mut v: Value =
        serde_json::from_str(&scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a"), ("s3:PutObject", "arn:aws:s3:::logs/b")])).unwrap();
    v["context"]["aws:SecureTransport"] = json!("true");
    let text = serde_json::to_string(&v).unwrap();
    let p = propose(&text, "Alice/P");
    let s = statements(&p);
    assert_eq!(s.len(), 2);
    for st in &s {
        assert_eq!(st["Condition"], condition);
    }
    assert_eq!(s[0]["Sid"], "Tls1");
    assert_eq!(s[1]["Sid"], "Tls2");
}

#[test]
fn steps_that_were_not_allowed_stay_not_allowed_and_unused_statements_go() {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::data/*"},
        {"Sid": "Unused", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}
    ]});
    let text = scenario_with(
        policy,
        &[("s3:GetObject", "arn:aws:s3:::data/a"), ("s3:PutObject", "arn:aws:s3:::data/a"), ("s3:GetObject", "arn:aws:s3:::logs/a")],
    );
    let p = propose(&text, "Alice/P");
    assert_eq!(p.steps.iter().map(|s| s.after).collect::<Vec<_>>(), vec![Outcome::Allowed, Outcome::ImplicitDeny, Outcome::ImplicitDeny]);
    assert_eq!(statements(&p), vec![json!({"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/a"})]);
    assert_eq!(p.statements[1], StatementChange::Removed { index: 1, sid: Some("Unused".into()) });
}

#[test]
fn a_session_policy_of_an_assume_role_step_is_tightened() {
    let text = json!({
        "format": "trustwalk/scenario@1",
        "context": {"aws:CurrentTime": "2026-01-15T12:00:00Z"},
        "accounts": [{
            "id": "111111111111",
            "users": [{"name": "Alice", "policies": [{"name": "Assume", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111111111111:role/R"}]}}]}],
            "roles": [{"name": "R",
                "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]},
                "policies": [{"name": "ReadWrite", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]}],
            "buckets": [{"name": "data"}]
        }],
        "steps": [
            {"id": "assume", "principal": "arn:aws:iam::111111111111:user/Alice", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/R",
             "sessionName": "ss", "sessionPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}},
            {"id": "read", "principal": "arn:aws:sts::111111111111:assumed-role/R/ss", "action": "s3:GetObject", "resource": "arn:aws:s3:::data/x", "expect": "allowed"}
        ]
    })
    .to_string();
    let p = propose(&text, "R/ss/sessionPolicy");
    assert_eq!(p.path, "steps[0].sessionPolicy");
    assert_eq!(statements(&p), vec![json!({"Sid": "All", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/x"})]);
    let role = propose(&text, "R/ReadWrite");
    assert_eq!(statements(&role), vec![json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/x"})]);
    // The same policy by its path, with `.document` or without.
    assert_eq!(propose(&text, "accounts[0].roles[0].policies[0].document").after, role.after);
}

#[test]
fn a_policy_written_as_a_string_is_read_and_verified() {
    let policy = Value::String(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#.into());
    let text = scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a")]);
    let p = propose(&text, "Alice/P");
    assert_eq!(statements(&p), vec![json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/a"})]);
}

#[test]
fn a_resource_with_wildcard_characters_is_escaped() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]});
    let text = scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a*b"), ("s3:GetObject", "arn:aws:s3:::data/axxb")]);
    // Only the first step is allowed once the second is out of the policy.
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["steps"].as_array_mut().unwrap().truncate(1);
    let text = serde_json::to_string(&v).unwrap();
    let p = propose(&text, "Alice/P");
    assert_eq!(statements(&p)[0]["Resource"], "arn:aws:s3:::data/a${*}b");
}

#[test]
fn bad_addresses_are_errors_that_say_what_the_scenario_has() {
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
    let text = scenario_with(policy, &[("s3:GetObject", "arn:aws:s3:::data/a")]);
    let e = tighten(&text, "Bob/P", &LoadOptions::default(), run_options()).unwrap_err();
    assert_eq!(e[0].code, DiagCode::InvalidArgument);
    assert!(e[0].message.contains("`Alice/P` (accounts[0].users[0].policies[0].document)"), "{}", e[0].message);
    let bad = text.replacen("\"format\"", "\"formt\"", 1);
    assert!(tighten(&bad, "Alice/P", &LoadOptions::default(), run_options()).is_err());
}

#[test]
fn a_trust_policy_is_refused_with_its_location() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/role-chaining.json")).unwrap();
    let e = tighten(&text, "RoleA/trustPolicy", &LoadOptions::default(), run_options()).unwrap_err();
    assert!(e[0].message.contains("is a trust policy"), "{}", e[0].message);
    assert_eq!(e[0].path.as_str(), "accounts[1].roles[0].trustPolicy");
    assert!(e[0].location.is_some());
}

#[test]
fn every_example_policy_tightens_without_changing_a_step() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut tightened = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok((s, _)) = scenario::load(&text) else { continue };
        let targets: Vec<String> = s
            .written_policies()
            .iter()
            .filter(|p| matches!(p.policy.policy_type, trustwalk_core::PolicyType::Identity | trustwalk_core::PolicyType::SessionPolicy))
            .map(|p| p.path.to_string())
            .collect();
        for t in targets {
            let p = tighten(&text, &t, &LoadOptions::default(), run_options()).unwrap_or_else(|e| panic!("{}: {t}: {e:?}", path.display()));
            assert!(p.steps.iter().all(|s| s.before == s.after), "{}: {t}: {:?}", path.display(), p.steps);
            tightened += 1;
        }
    }
    assert!(tightened > 10, "{tightened}");
}

#[test]
fn the_line_diff_and_its_unified_form() {
    let d = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
    let kinds: Vec<LineKind> = d.iter().map(|l| l.kind).collect();
    assert_eq!(kinds, vec![LineKind::Same, LineKind::Removed, LineKind::Added, LineKind::Same, LineKind::Same, LineKind::Added]);
    assert_eq!(unified(&d, "old", "new", 1), "--- old\n+++ new\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n");
    assert_eq!(unified(&line_diff("x", "x"), "old", "new", 3), "");
}

// ------------------------------------------------------------- proptest

const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "sqs:SendMessage"];
const POLICY_ACTIONS: &[&str] = &["*", "s3:*", "s3:Get*", "s3:GetObject", "s3:PutObject", "s3:ListBucket", "sqs:*"];
const RESOURCES: &[&str] = &["arn:aws:s3:::data/a", "arn:aws:s3:::data/b", "arn:aws:s3:::logs/a", "arn:aws:s3:::data", "arn:aws:s3:::logs"];
const POLICY_RESOURCES: &[&str] = &["*", "arn:aws:s3:::data/*", "arn:aws:s3:::*", "arn:aws:s3:::logs/a", "arn:aws:s3:::data"];

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.75),
        prop::bool::ANY,
        prop::collection::vec(prop::sample::select(POLICY_ACTIONS), 1..3),
        prop::collection::vec(prop::sample::select(POLICY_RESOURCES), 1..3),
        prop::option::weighted(0.25, prop::bool::ANY),
        prop::option::of(prop::sample::select(&["A", "B", "A1"][..])),
    )
        .prop_map(|(allow, not_action, actions, resources, tls, sid)| {
            let mut s = serde_json::Map::new();
            if let Some(sid) = sid {
                s.insert("Sid".into(), json!(sid));
            }
            s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
            s.insert(if not_action && !allow { "NotAction" } else { "Action" }.into(), json!(actions));
            s.insert("Resource".into(), json!(resources));
            if let Some(tls) = tls {
                s.insert("Condition".into(), json!({"Bool": {"aws:SecureTransport": if tls { "true" } else { "false" }}}));
            }
            Value::Object(s)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_step_changes_outcome_after_tightening(
        mut statements in prop::collection::vec(statement(), 1..5),
        steps in prop::collection::vec((prop::sample::select(ACTIONS), prop::sample::select(RESOURCES)), 1..8),
        tls in prop::bool::ANY,
    ) {
        // Sids must be unique: drop repeated ones.
        let mut seen = std::collections::HashSet::new();
        for s in &mut statements {
            if let Some(sid) = s.get("Sid").and_then(Value::as_str).map(str::to_string) {
                if !seen.insert(sid) {
                    s.as_object_mut().unwrap().remove("Sid");
                }
            }
        }
        let policy = json!({"Version": "2012-10-17", "Statement": statements});
        let mut v: Value = serde_json::from_str(&scenario_with(policy, &steps)).unwrap();
        v["context"]["aws:SecureTransport"] = json!(if tls { "true" } else { "false" });
        let text = serde_json::to_string(&v).unwrap();
        let p = propose(&text, "Alice/P");
        let before = outcomes(&text);
        let after = outcomes(&with_policy(&text, &p.document));
        prop_assert_eq!(&before, &after, "proposed:\n{}", p.after);
        prop_assert!(p.steps.iter().all(|s| s.before == s.after));
        // No Allow statement keeps a wildcard unless it was restored.
        let restored = p.statements.iter().any(|c| matches!(c, StatementChange::Restored { .. }));
        if !restored && p.changed {
            for s in p.document["Statement"].as_array().unwrap() {
                if s["Effect"] == "Allow" {
                    prop_assert!(!s.to_string().contains('*'), "{}", s);
                }
            }
        }
    }
}

#[test]
fn a_narrowed_statement_that_would_allow_more_is_restored_and_the_note_says_why() {
    // Version 2008-10-17 has no escapes: the literal ARN `data/a*b` would
    // match `data/axxb` too, which `a?b` did not allow.
    let policy = json!({"Version": "2008-10-17", "Statement": [
        {"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/a?b"},
        {"Sid": "Two", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::logs/*"}
    ]});
    let text = scenario_with(
        policy,
        &[("s3:GetObject", "arn:aws:s3:::data/a*b"), ("s3:GetObject", "arn:aws:s3:::data/axxb"), ("s3:PutObject", "arn:aws:s3:::logs/x")],
    );
    let p = propose(&text, "Alice/P");
    assert_eq!(p.steps.iter().map(|s| s.after).collect::<Vec<_>>(), vec![Outcome::Allowed, Outcome::ImplicitDeny, Outcome::Allowed]);
    assert_eq!(
        p.statements[0],
        StatementChange::Restored {
            index: 0,
            sid: Some("One".into()),
            reason: "narrowed, step `s1` would be allowed instead of implicitDeny".into()
        }
    );
    assert_eq!(p.statements[1], StatementChange::Narrowed { index: 1, sid: Some("Two".into()), into: 1 });
    assert_eq!(statements(&p)[0]["Resource"], "arn:aws:s3:::data/a?b");
    assert_eq!(statements(&p)[1], json!({"Sid": "Two", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/x"}));
    assert_eq!(p.notes, vec!["statement 1 (One) is kept as written: narrowed, step `s1` would be allowed instead of implicitDeny".to_string()]);
    assert_eq!(outcomes(&with_policy(&text, &p.document)), outcomes(&text));
}
