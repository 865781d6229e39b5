use super::*;
use crate::explain::how_to_pass_tips;
use crate::EXAMPLES;
use trustwalk_core::scenario::Outcome;

const NOW: i64 = 1_768_478_400;

fn example(name: &str) -> Workspace {
    let (_, text) = EXAMPLES.iter().find(|(n, _)| *n == name).unwrap();
    Workspace::from_text(text).unwrap()
}

fn outcome(w: &Workspace, step: usize) -> Outcome {
    let ev = w.evaluate(NOW);
    assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
    ev.result.unwrap().steps[step].decision
}

/// The offers of step `step`'s explanation, in the order of its sentences.
fn offers(w: &Workspace, step: usize) -> Vec<KeyOffer> {
    let result = w.evaluate(NOW).result.unwrap();
    let tips = how_to_pass_tips(&result.steps[step]);
    tips.iter().filter_map(|t| t.missing.as_ref()).filter_map(|m| key_offer(w, &result, step, m)).collect()
}

/// Applies the offer and checks that the document's text changed only
/// where the value went: the same text before and after it, byte for byte.
fn apply(w: &mut Workspace, o: &KeyOffer, inserted: &str) {
    let before = w.to_text();
    w.apply_key_offer(o).unwrap();
    let after = w.to_text();
    let prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
    let suffix = before.bytes().rev().zip(after.bytes().rev()).take_while(|(a, b)| a == b).count().min(before.len().min(after.len()) - prefix);
    let removed = &before[prefix..before.len() - suffix];
    let added = &after[prefix..after.len() - suffix];
    assert!(added.contains(inserted), "added {added:?}, wanted {inserted:?}");
    assert!(removed.trim_matches(|c: char| c.is_whitespace() || c == ',' || c == '}').is_empty(), "removed {removed:?}");
    // A second click changes nothing: the offer is gone or refused.
    assert!(w.apply_key_offer(o).is_err());
}

#[test]
fn mfa_on_an_assume_role_step_ticks_its_box() {
    let mut w = example("security-auditor-mfa");
    assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny);
    let o = offers(&w, 0);
    // Both conditions (present, age) want the same edit.
    assert!(!o.is_empty());
    assert!(o.iter().all(|x| x.ptr == o[0].ptr));
    assert_eq!(o[0].label, "Tick MFA on this step");
    assert_eq!(o[0].ptr.to_json_path(), "steps[0].mfa");
    assert_eq!(o[0].target, Target::Step { step: 0, selector: "[data-testid=\"mfa\"]".into() });
    apply(&mut w, &o[0], "\"mfa\": {}");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);
    assert!(offers(&w, 0).is_empty());
}

#[test]
fn mfa_for_a_sessions_request_ticks_the_step_that_made_the_session() {
    // The role's policy wants MFA entered less than an hour ago: a session
    // made without MFA has no `aws:MultiFactorAuthAge`.
    let mut w = Workspace::example();
    let slot = w.policy_slots().into_iter().find(|p| p.display == "StageRole/ReadTestBucket").unwrap();
    let text = slot.text.replace(
        "\"Resource\": [",
        "\"Condition\": { \"NumericLessThan\": { \"aws:MultiFactorAuthAge\": \"3600\" } },\n                    \"Resource\": [",
    );
    w.set_policy_text(&slot.ptr, &text).unwrap();
    // The bucket policy alone would still allow the read: take it away.
    w.set(&Ptr::root().key("accounts").index(1).key("buckets").index(0).key("policy"), None).unwrap();
    assert_eq!(outcome(&w, 1), Outcome::ImplicitDeny);
    let o = offers(&w, 1);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].label, "Tick MFA on step 1");
    assert_eq!(o[0].link, "Show the MFA box of step 1");
    assert_eq!(o[0].ptr.to_json_path(), "steps[0].mfa");
    apply(&mut w, &o[0], "\"mfa\": {}");
    assert_eq!(outcome(&w, 1), Outcome::Allowed);
}

#[test]
fn mfa_for_a_users_own_request_goes_in_the_steps_context() {
    let mut w = Workspace::from_text(&one_account(r#""Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } },"#)).unwrap();
    assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny);
    let o = offers(&w, 0);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].ptr.to_json_path(), "steps[0].context[\"aws:MultiFactorAuthPresent\"]");
    assert_eq!(o[0].value, Value::Bool(true));
    apply(&mut w, &o[0], "\"aws:MultiFactorAuthPresent\": true");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);
}

#[test]
fn external_id_fills_the_assume_role_steps_field_with_the_expected_value() {
    let mut w = example("vendor-external-id");
    assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny);
    let o = offers(&w, 0);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].label, "Set External ID `cust-7f3a9c21`");
    assert_eq!(o[0].target, Target::Step { step: 0, selector: "[data-testid=\"external-id\"]".into() });
    apply(&mut w, &o[0], "\"externalId\": \"cust-7f3a9c21\"");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);
    // A wrong external ID is a value, not a missing key: no offer.
    assert!(offers(&w, 1).is_empty());
}

/// One account (`111111111111`, user U whose policy allows `s3:GetObject`
/// with `condition`, bucket `bkt`); one step, U reads from `bkt`.
fn one_account(condition: &str) -> String {
    format!(
        r#"{{ "format": "trustwalk/scenario@1", "accounts": [{{ "id": "111111111111", "users": [{{ "name": "U", "policies": [{{ "name": "Read", "document": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Action": "s3:GetObject", {condition} "Resource": "*" }}] }} }}] }}], "buckets": [{{ "name": "bkt" }}] }}],
            "steps": [{{ "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }}] }}"#
    )
}

#[test]
fn another_key_goes_in_the_steps_context_with_the_expected_value() {
    let mut w = Workspace::from_text(&one_account(r#""Condition": { "StringEquals": { "aws:SourceVpc": "vpc-0abc" } },"#)).unwrap();
    assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny);
    let o = offers(&w, 0);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].label, "Add `aws:SourceVpc` = `vpc-0abc` to this step's context");
    assert_eq!(o[0].target, Target::Step { step: 0, selector: "input[aria-label=\"Value of aws:SourceVpc\"]".into() });
    apply(&mut w, &o[0], "\"context\": {\n        \"aws:SourceVpc\": \"vpc-0abc\"\n      }");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);
}

#[test]
fn no_offer_where_no_single_value_plainly_does_it() {
    for condition in [
        r#""Condition": { "StringLike": { "aws:SourceVpc": "vpc-*" } },"#,
        r#""Condition": { "NumericLessThan": { "s3:max-keys": "10" } },"#,
        r#""Condition": { "Null": { "aws:SourceVpc": "false" } },"#,
    ] {
        let w = Workspace::from_text(&one_account(condition)).unwrap();
        assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny, "{condition}");
        assert!(offers(&w, 0).is_empty(), "{condition}");
    }
}

#[test]
fn org_ids_are_set_on_the_callers_or_the_resources_account() {
    // A bucket in 222222222222 whose policy denies callers outside the
    // organization: the caller's account has no `orgId`.
    let doc = |identity_condition: &str, bucket_account_extra: &str| {
        format!(
            r#"{{ "format": "trustwalk/scenario@1", "accounts": [
            {{ "id": "111111111111", "users": [{{ "name": "U", "policies": [{{ "name": "Read", "document": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Action": "s3:GetObject", {identity_condition} "Resource": "*" }}] }} }}] }}] }},
            {{ "id": "222222222222"{bucket_account_extra}, "buckets": [{{ "name": "bkt", "policy": {{ "Version": "2012-10-17", "Statement": [
                {{ "Effect": "Allow", "Principal": {{ "AWS": "111111111111" }}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }},
                {{ "Sid": "OnlyOurOrg", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bkt/*", "Condition": {{ "StringNotEquals": {{ "aws:PrincipalOrgID": "o-abc123def4" }} }} }}] }} }}] }}],
            "steps": [{{ "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }}] }}"#
        )
    };
    let mut w = Workspace::from_text(&doc("", "")).unwrap();
    assert_eq!(outcome(&w, 0), Outcome::ExplicitDeny);
    let o = offers(&w, 0);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].label, "Set the caller's account's `orgId` to `o-abc123def4`");
    assert_eq!(o[0].ptr.to_json_path(), "accounts[0].orgId");
    assert_eq!(o[0].target, Target::Account { account: 0, id: "111111111111".into(), selector: "[data-testid=\"org-id\"]".into() });
    apply(&mut w, &o[0], "\"orgId\": \"o-abc123def4\"");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);

    // The identity policy allows only resources of an organization; the
    // bucket's account has no `orgId` (the caller's has one already).
    let text = doc(r#""Condition": { "StringEquals": { "aws:ResourceOrgID": "o-abc123def4" } },"#, "").replacen(
        r#""id": "111111111111","#,
        r#""id": "111111111111", "orgId": "o-abc123def4","#,
        1,
    );
    let mut w = Workspace::from_text(&text).unwrap();
    assert_eq!(outcome(&w, 0), Outcome::ImplicitDeny);
    let o = offers(&w, 0);
    assert_eq!(o.len(), 1, "{o:?}");
    assert_eq!(o[0].label, "Set the resource's account's `orgId` to `o-abc123def4`");
    assert_eq!(o[0].ptr.to_json_path(), "accounts[1].orgId");
    apply(&mut w, &o[0], "\"orgId\": \"o-abc123def4\"");
    assert_eq!(outcome(&w, 0), Outcome::Allowed);
}

#[test]
fn an_offer_made_before_the_document_changed_is_refused() {
    let w0 = example("vendor-external-id");
    let o = offers(&w0, 0).remove(0);
    let mut w = w0.clone();
    w.set_step_text(0, "externalId", "typed-meanwhile");
    let e = w.apply_key_offer(&o).unwrap_err();
    assert!(e.contains("changed since"), "{e}");
    assert_eq!(w.step_field(0, "externalId"), "typed-meanwhile");
    // A step removed since: refused, nothing made up in its place.
    let mut w = w0.clone();
    let mut gone = o.clone();
    gone.ptr = Ptr::root().key("steps").index(40).key("externalId");
    assert!(w.apply_key_offer(&gone).is_err());
    assert_eq!(w.steps().len(), w0.steps().len());
}
