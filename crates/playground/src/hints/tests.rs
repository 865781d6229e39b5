#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use super::*;
use crate::Workspace;
use trustwalk_core::scenario::Outcome;

const NOW: i64 = 1_768_478_400;

/// The hints for the first statement of policy `display` that did not
/// match step `step` of `w` (as `step_hints` gathers them), and that
/// policy's text.
fn hints(w: &Workspace, step: usize, display: &str) -> (Vec<Hint>, String) {
    let ev = w.evaluate(NOW);
    assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
    let result = ev.result.unwrap();
    let s = &result.steps[step];
    assert_ne!(s.decision, Outcome::Allowed, "{}", s.summary);
    let slot = w.policy_slots().into_iter().find(|p| p.display == display).unwrap();
    let found = step_hints(w, s).into_iter().find(|h| h.policy == display).unwrap();
    assert_eq!((found.path, found.text_len), (slot.json_path, slot.text.len()));
    (found.hints, slot.text)
}

fn edit(w: &mut Workspace, display: &str, from: &str, to: &str) {
    let slot = w.policy_slots().into_iter().find(|p| p.display == display).unwrap();
    assert!(slot.text.contains(from), "{from} not in {}", slot.text);
    w.set_policy_text(&slot.ptr, &slot.text.replacen(from, to, 1)).unwrap();
}

/// Sets the first statement's `Resource` of policy `display`.
fn set_resource(w: &mut Workspace, display: &str, resource: serde_json::Value) {
    let slot = w.policy_slots().into_iter().find(|p| p.display == display).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&slot.text).unwrap();
    doc["Statement"][0]["Resource"] = resource;
    w.set_policy_text(&slot.ptr, &serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

fn apply(text: &str, fix: &Fix) -> String {
    format!("{}{}{}", &text[..fix.from], fix.insert, &text[fix.to..])
}

#[test]
fn a_mistyped_account_in_a_principal_asks_did_you_mean_with_its_name() {
    let mut w = Workspace::example();
    let original = w.policy_slots().into_iter().find(|p| p.display == "StageRole/trustPolicy").unwrap().text;
    edit(&mut w, "StageRole/trustPolicy", "arn:aws:iam::111111111111:root", "arn:aws:iam::111111111117:root");
    let (h, text) = hints(&w, 0, "StageRole/trustPolicy");
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(
        h[0].text,
        "The policy lists `arn:aws:iam::111111111117:root`, and the scenario has no account `111111111117`: did you mean staging (111111111111)?"
    );
    let fix = h[0].fix.as_ref().unwrap();
    assert_eq!(fix.label, "Use 111111111111");
    assert_eq!(apply(&text, fix), original, "the fix is the one edit back");
}

#[test]
fn a_mistyped_action_asks_did_you_mean_the_requested_one() {
    let mut w = Workspace::example();
    edit(&mut w, "StageAdmin/AllowAssume", "\"sts:AssumeRole\"", "\"sts:AssumeRoles\"");
    let (h, text) = hints(&w, 0, "StageAdmin/AllowAssume");
    assert_eq!(h[0].text, "The policy lists `sts:AssumeRoles`: did you mean `sts:AssumeRole`?");
    let fixed = apply(&text, h[0].fix.as_ref().unwrap());
    assert!(fixed.contains("\"Action\": \"sts:AssumeRole\""), "{fixed}");
    // Far from any listed action: the listed values beside the request's.
    let mut w = Workspace::example();
    edit(&mut w, "StageAdmin/AllowAssume", "\"sts:AssumeRole\"", "\"sts:GetCallerIdentity\"");
    let (h, _) = hints(&w, 0, "StageAdmin/AllowAssume");
    assert_eq!(h[0].text, "The policy lists `sts:GetCallerIdentity`; the request's action is `sts:AssumeRole`.");
    assert!(h[0].fix.is_none());
}

#[test]
fn list_bucket_given_only_the_objects_is_told_to_use_the_bucket_arn() {
    let mut w = Workspace::example();
    let bucket = "arn:aws:s3:::production-test-bucket-101";
    set_resource(&mut w, "StageRole/ReadTestBucket", serde_json::json!(format!("{bucket}/*")));
    w.set_step_text(1, "action", "s3:ListBucket");
    w.set_step_text(1, "resource", bucket);
    let (h, text) = hints(&w, 1, "StageRole/ReadTestBucket");
    assert_eq!(
        h[0].text,
        format!("ListBucket is authorised against the bucket ARN `{bucket}`, not its objects (`{bucket}/*`): add the bucket ARN to Resource.")
    );
    let fixed = apply(&text, h[0].fix.as_ref().unwrap());
    assert!(fixed.contains(&format!("[\"{bucket}\", \"{bucket}/*\"]")), "{fixed}");
}

#[test]
fn another_bucket_is_named_and_a_near_one_offered() {
    let mut w = Workspace::example();
    let in_bucket = |b: &str| serde_json::json!([format!("arn:aws:s3:::{b}"), format!("arn:aws:s3:::{b}/*")]);
    set_resource(&mut w, "StageRole/ReadTestBucket", in_bucket("production-test-bucket-102"));
    // (ListBucket: the bucket policy grants the role only GetObject.)
    let list = |w: &mut Workspace| {
        w.set_step_text(1, "action", "s3:ListBucket");
        w.set_step_text(1, "resource", "arn:aws:s3:::production-test-bucket-101");
    };
    list(&mut w);
    let (h, text) = hints(&w, 1, "StageRole/ReadTestBucket");
    assert!(h[0].text.ends_with("in bucket `production-test-bucket-102`: did you mean bucket `production-test-bucket-101`?"), "{h:?}");
    let fixed = apply(&text, h[0].fix.as_ref().unwrap());
    assert!(fixed.contains("production-test-bucket-101"), "{fixed}");
    let mut w = Workspace::example();
    set_resource(&mut w, "StageRole/ReadTestBucket", in_bucket("finance-archive"));
    list(&mut w);
    let (h, _) = hints(&w, 1, "StageRole/ReadTestBucket");
    assert_eq!(h[0].text, "The policy lists resources in bucket `finance-archive` only; the request is to bucket `production-test-bucket-101`.");
}
