//! AWS's own limits on tags, session tags and group membership are load
//! errors located in the document; and documents far larger than any real
//! one (thousands of context keys, tags along a role chain, policies with
//! warnings) give the same results as small ones. (How their cost grows is
//! shown by the benchmarks in `benches/eval.rs`, not by timed tests.)
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::{json, Value};
use trustwalk_core::scenario::{self, Outcome, RunOptions};
use trustwalk_core::Diagnostic;

const USER: &str = "arn:aws:iam::111111111111:user/U";
const ROLE: &str = "arn:aws:iam::222222222222:role/R";

fn allow_all() -> Value {
    json!([{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] } }])
}

fn trust() -> Value {
    json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "AWS": ["111111111111", "222222222222"] }, "Action": ["sts:AssumeRole", "sts:TagSession"] }] })
}

/// Two accounts: user U in staging, role R and bucket `bkt` in production.
fn doc(user: Value, role: Value, bucket: Value, steps: Value) -> Value {
    let mut u = json!({ "name": "U", "policies": allow_all() });
    merge(&mut u, user);
    let mut r = json!({ "name": "R", "trustPolicy": trust(), "policies": allow_all() });
    merge(&mut r, role);
    let mut b = json!({ "name": "bkt" });
    merge(&mut b, bucket);
    json!({
        "format": "trustwalk/scenario@1",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [
            { "id": "111111111111", "users": [u], "groups": [{ "name": "G0" }] },
            { "id": "222222222222", "roles": [r], "buckets": [b] }
        ],
        "steps": steps
    })
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

fn assume(extra: Value) -> Value {
    let mut s = json!({ "principal": USER, "action": "sts:AssumeRole", "roleArn": ROLE, "sessionName": "s1" });
    merge(&mut s, extra);
    json!([s])
}

fn read() -> Value {
    json!([{ "principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/a" }])
}

fn tags(n: usize) -> Value {
    Value::Object((0..n).map(|i| (format!("k{i}"), json!(format!("v{i}")))).collect())
}

/// Loads the pretty-printed document; its errors, or nothing.
fn errors(d: &Value) -> Vec<Diagnostic> {
    let text = serde_json::to_string_pretty(d).unwrap();
    match scenario::load(&text) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    }
}

/// The one error of `d`, which must have `code`: its message, path and the
/// text it points at.
fn one_error(d: &Value, code: &str) -> (String, String, String) {
    let text = serde_json::to_string_pretty(d).unwrap();
    let errors = scenario::load(&text).err().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.code.as_str(), code, "{e:#?}");
    let at = e.location.unwrap();
    assert!(at.line > 1 && at.column > 1, "located: {at:?}");
    let pointed = text[at.start..at.end].chars().take(30).collect();
    (e.message.clone(), e.path.as_str().to_string(), pointed)
}

#[test]
fn an_iam_role_or_user_has_at_most_50_tags() {
    assert_eq!(errors(&doc(json!({}), json!({ "tags": tags(50) }), json!({}), read())), []);
    let (message, path, at) = one_error(&doc(json!({}), json!({ "tags": tags(51) }), json!({}), read()), "TOO_MANY_TAGS");
    assert_eq!(message, "`tags` has 51 tags: an IAM role has at most 50 tags");
    assert_eq!(path, "accounts[1].roles[0].tags");
    assert!(at.starts_with('{'), "{at}");

    assert_eq!(errors(&doc(json!({ "tags": tags(50) }), json!({}), json!({}), read())), []);
    let (message, path, _) = one_error(&doc(json!({ "tags": tags(20_000) }), json!({}), json!({}), read()), "TOO_MANY_TAGS");
    assert_eq!(message, "`tags` has 20000 tags: an IAM user has at most 50 tags");
    assert_eq!(path, "accounts[0].users[0].tags");
}

#[test]
fn buckets_and_other_resources_have_at_most_50_tags() {
    let (message, path, _) = one_error(&doc(json!({}), json!({}), json!({ "tags": tags(51) }), read()), "TOO_MANY_TAGS");
    assert_eq!(message, "`tags` has 51 tags: an S3 bucket has at most 50 tags");
    assert_eq!(path, "accounts[1].buckets[0].tags");

    let mut d = doc(json!({}), json!({}), json!({}), read());
    d["accounts"][1]["resources"] = json!([{ "arn": "arn:aws:sqs:us-east-1:222222222222:q", "tags": tags(51) }]);
    let (message, path, _) = one_error(&d, "TOO_MANY_TAGS");
    assert_eq!(message, "`tags` has 51 tags: an AWS resource has at most 50 tags");
    assert_eq!(path, "accounts[1].resources[0].tags");
}

#[test]
fn assume_role_accepts_at_most_50_session_tags_and_50_transitive_keys() {
    let keys: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
    let ok = doc(json!({}), json!({}), json!({}), assume(json!({ "sessionTags": tags(50), "transitiveTagKeys": keys })));
    assert_eq!(errors(&ok), []);

    let (message, path, _) = one_error(&doc(json!({}), json!({}), json!({}), assume(json!({ "sessionTags": tags(51) }))), "TOO_MANY_TAGS");
    assert_eq!(message, "`sessionTags` has 51 tags: AssumeRole accepts at most 50 session tags");
    assert_eq!(path, "steps[0].sessionTags");

    let mut keys = keys;
    keys.push("k0".into());
    let (message, path, at) =
        one_error(&doc(json!({}), json!({}), json!({}), assume(json!({ "sessionTags": tags(50), "transitiveTagKeys": keys }))), "TOO_MANY_TAGS");
    assert_eq!(message, "`transitiveTagKeys` has 51 keys: AssumeRole accepts at most 50");
    assert_eq!(path, "steps[0].transitiveTagKeys");
    assert!(at.starts_with('['), "{at}");
}

#[test]
fn tag_keys_have_1_to_128_characters_and_values_at_most_256() {
    let long_key = "K".repeat(129);
    let tags_with = |k: &str, v: &str| Value::Object([(k.to_string(), json!(v))].into_iter().collect());
    // Characters, not bytes: 128 and 256 two-byte characters are fine.
    let ok = doc(json!({ "tags": tags_with(&"é".repeat(128), &"ü".repeat(256)) }), json!({}), json!({}), read());
    assert_eq!(errors(&ok), []);

    let (message, path, at) = one_error(&doc(json!({ "tags": tags_with(&long_key, "v") }), json!({}), json!({}), read()), "INVALID_TAG");
    assert_eq!(message, format!("the tag key `{}…` is 129 characters long: AWS accepts tag keys of 1 to 128 characters", "K".repeat(40)));
    assert_eq!(path, format!("accounts[0].users[0].tags.{long_key}"));
    assert!(at.starts_with("\"KKK"), "{at}");

    let (message, _, _) = one_error(&doc(json!({}), json!({ "tags": tags_with("", "v") }), json!({}), read()), "INVALID_TAG");
    assert_eq!(message, "the tag key `` is 0 characters long: AWS accepts tag keys of 1 to 128 characters");

    let (message, path, at) =
        one_error(&doc(json!({}), json!({}), json!({}), assume(json!({ "sessionTags": tags_with("team", &"x".repeat(257)) }))), "INVALID_TAG");
    assert_eq!(message, "the value of the tag `team` is 257 characters long: AWS accepts tag values of at most 256 characters");
    assert_eq!(path, "steps[0].sessionTags.team");
    assert!(at.starts_with("\"xxx"), "{at}");
}

#[test]
fn an_iam_user_is_in_at_most_10_groups() {
    let groups = |n: usize| -> Value { (0..n).map(|i| json!(format!("G{i}"))).collect() };
    let mut d = doc(json!({ "groups": groups(10) }), json!({}), json!({}), read());
    d["accounts"][0]["groups"] = (0..11).map(|i| json!({ "name": format!("G{i}") })).collect();
    assert_eq!(errors(&d), []);
    d["accounts"][0]["users"][0]["groups"] = groups(11);
    let (message, path, at) = one_error(&d, "TOO_MANY_GROUPS");
    assert_eq!(message, "the user is in 11 groups: an IAM user can be in at most 10 groups");
    assert_eq!(path, "accounts[0].users[0].groups");
    assert!(at.starts_with('['), "{at}");
}

/// Thousands of document and step context keys (some removed with `null`,
/// some replaced under another spelling): the step's context holds them all,
/// in the order they were set, as with a handful.
#[test]
fn thousands_of_context_keys_keep_their_values_and_order() {
    let n = 3000;
    let mut d = doc(json!({}), json!({}), json!({}), read());
    for i in 0..n {
        d["context"][format!("x:k{i}")] = json!(format!("d{i}"));
    }
    let mut step_context = serde_json::Map::new();
    for i in (0..n).step_by(3) {
        step_context.insert(format!("X:K{i}"), json!(format!("s{i}")));
    }
    for i in (1..n).step_by(3) {
        step_context.insert(format!("x:k{i}"), Value::Null);
    }
    step_context.insert("x:k1".to_string(), Value::Null);
    d["steps"][0]["context"] = Value::Object(step_context);
    let (s, _) = scenario::load(&serde_json::to_string(&d).unwrap()).unwrap();
    let r = scenario::run(&s, RunOptions::default());
    let got: Vec<(String, String)> = r.steps[0]
        .context
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("x:"))
        .map(|(k, v)| (k.to_string(), v.single().unwrap().to_string()))
        .collect();
    let want: Vec<(String, String)> = (0..n)
        .filter(|i| i % 3 != 1)
        .map(|i| if i % 3 == 0 { (format!("X:K{i}"), format!("s{i}")) } else { (format!("x:k{i}"), format!("d{i}")) })
        .collect();
    assert_eq!(got, want);
}

/// A chain of 120 role sessions, each passing one more transitive tag: every
/// session carries all the tags before it, in order, and overriding an
/// inherited transitive tag is still refused.
#[test]
fn a_long_chain_of_transitive_tags_carries_every_tag() {
    let n = 120;
    let mut steps = Vec::new();
    let mut principal = USER.to_string();
    for i in 0..n {
        steps.push(json!({
            "principal": principal, "action": "sts:AssumeRole", "roleArn": ROLE, "sessionName": format!("s{i}"),
            "sessionTags": { format!("T{i}"): format!("v{i}") }, "transitiveTagKeys": [format!("T{i}")], "expect": "allowed"
        }));
        principal = format!("arn:aws:sts::222222222222:assumed-role/R/s{i}");
    }
    steps.push(json!({
        "principal": principal, "action": "sts:AssumeRole", "roleArn": ROLE, "sessionName": "again",
        "sessionTags": { "t7": "other" }, "expect": "invalid"
    }));
    let d = doc(json!({}), json!({ "tags": { "T3": "role", "Team": "r" } }), json!({}), Value::Array(steps));
    let (s, _) = scenario::load(&serde_json::to_string(&d).unwrap()).unwrap();
    let r = scenario::run(&s, RunOptions::default());
    assert!(r.expectations_met(), "{:?}", r.steps.iter().map(|s| &s.summary).collect::<Vec<_>>());
    // The last session's principal tags: the role's (T3 overridden by the
    // inherited transitive one, which comes later), then T0…T(n-1).
    assert_eq!(r.steps[n].decision, Outcome::Invalid);
    let last = &r.steps[n].context;
    let tags: Vec<(&str, &str)> = last.iter().filter_map(|(k, v)| Some((k.strip_prefix("aws:PrincipalTag/")?, v.single()?))).collect();
    let mut want = vec![("Team", "r")];
    let values: Vec<String> = (0..n).map(|i| format!("v{i}")).collect();
    let keys: Vec<String> = (0..n).map(|i| format!("T{i}")).collect();
    want.extend(keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
    assert_eq!(tags, want);
    assert!(r.steps[n].summary.contains("`t7` was passed as transitive"), "{}", r.steps[n].summary);
}

/// Many policies given as strings, each with a warning: every warning points
/// at its own policy's line in the file and at line 1 of its text.
#[test]
fn warnings_of_many_policy_strings_point_at_their_own_lines() {
    let n = 300;
    let policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    let mut d = doc(json!({}), json!({}), json!({}), read());
    d["accounts"][0]["users"][0]["policies"] = (0..n).map(|i| json!({ "name": format!("P{i}"), "document": policy })).collect();
    let text = serde_json::to_string_pretty(&d).unwrap();
    let (_, warnings) = scenario::load(&text).unwrap();
    assert_eq!(warnings.len(), n);
    for (i, w) in warnings.iter().enumerate() {
        assert_eq!(w.path.as_str(), format!("accounts[0].users[0].policies[{i}].document"));
        let at = w.location.unwrap();
        let line_of_literal = text.lines().position(|l| l.contains(&format!("\"P{i}\""))).unwrap() + 2;
        assert_eq!(at.line, line_of_literal, "{w:?}");
        assert_eq!(w.text_location.map(|t| t.line), Some(1));
    }
}
