//! Managed policies in scenario documents: the caller supplies AWS managed
//! policies (the core reads no files); customer managed policies are defined
//! in their account; both are attached by ARN, to identities or as a
//! boundary, and traces name them by ARN and their statements by index.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::HashMap;

use serde_json::{json, Value};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::json;
use trustwalk_core::scenario::{self, LoadOptions, Outcome, RunOptions};

const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyS3";
/// A bare policy document as the caller's text for [`READ_ONLY`].
const READ_ONLY_TEXT: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Deny", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
  {"Sid": "Get", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}
]}"#;

fn source() -> HashMap<String, String> {
    HashMap::from([(READ_ONLY.to_string(), READ_ONLY_TEXT.to_string())])
}

/// One account with a role that has `role` merged in, and steps of its
/// session `s1` on the bucket `bkt`.
fn doc(role: Value, account: Value, actions: &[&str]) -> String {
    let mut r = json!({
        "name": "R",
        "trustPolicy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "sts:AssumeRole" }] }
    });
    r.as_object_mut().unwrap().extend(role.as_object().unwrap().clone());
    let mut a = json!({ "id": "111111111111", "users": [{ "name": "U", "policies": [{ "name": "Assume", "document": {
        "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" }] } }] }],
        "roles": [r], "buckets": [{ "name": "bkt" }] });
    a.as_object_mut().unwrap().extend(account.as_object().unwrap().clone());
    let mut steps = vec![json!({ "id": "assume", "principal": "arn:aws:iam::111111111111:user/U", "action": "sts:AssumeRole",
        "roleArn": "arn:aws:iam::111111111111:role/R", "sessionName": "s1" })];
    for (i, action) in actions.iter().enumerate() {
        steps.push(json!({ "id": format!("step{i}"), "principal": "arn:aws:sts::111111111111:assumed-role/R/s1", "action": action, "resource": "arn:aws:s3:::bkt/k" }));
    }
    serde_json::to_string_pretty(&json!({ "format": "trustwalk/scenario@1", "accounts": [a], "steps": steps })).unwrap()
}

fn errors(text: &str, source: &HashMap<String, String>) -> Vec<(DiagCode, String, String, String)> {
    let e = scenario::load_with_options(text, &LoadOptions::with_managed_policies(source)).expect_err("the document should not load");
    e.into_iter().map(|d| (d.code, d.path.as_str().to_string(), d.message, d.help)).collect()
}

fn decisions(text: &str, source: &HashMap<String, String>) -> Vec<(Outcome, Vec<(String, usize)>)> {
    let (s, _) = scenario::load_with_options(text, &LoadOptions::with_managed_policies(source)).unwrap_or_else(|e| panic!("{e:#?}"));
    let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() });
    r.steps.iter().skip(1).map(|s| (s.decision, s.decisive.iter().map(|d| (d.policy.clone(), d.statement)).collect())).collect()
}

#[test]
fn an_aws_managed_policy_is_an_identity_policy_named_by_its_arn() {
    let text = doc(json!({ "managedPolicies": [READ_ONLY] }), json!({}), &["s3:GetObject", "s3:PutObject", "s3:DeleteBucket"]);
    assert_eq!(
        decisions(&text, &source()),
        [
            (Outcome::Allowed, vec![(READ_ONLY.to_string(), 1)]),
            (Outcome::ImplicitDeny, vec![]),
            (Outcome::ExplicitDeny, vec![(READ_ONLY.to_string(), 0)]),
        ]
    );
    // Spans of an AWS managed policy count from the text the caller gave.
    let (s, _) = scenario::load_with_options(&text, &LoadOptions::with_managed_policies(&source())).unwrap();
    let attached = &s.accounts[0].roles[0].managed_policies[0];
    assert_eq!((attached.display.as_str(), attached.path.as_str()), (READ_ONLY, "accounts[0].roles[0].managedPolicies[0]"));
    assert!(attached.is_aws_managed());
    let statement = &attached.policy.statements[1];
    let text_of = attached.text.as_deref().unwrap();
    assert!(text_of[statement.span.start..].starts_with(r#"{"Sid": "Get""#), "{:?}", statement.span);
}

#[test]
fn the_file_of_the_data_directory_is_accepted_as_it_is() {
    let file = json!({ "arn": READ_ONLY, "name": "ReadOnlyS3", "path": "/", "version": "v3", "document": serde_json::from_str::<Value>(READ_ONLY_TEXT).unwrap() });
    let from_file = HashMap::from([(READ_ONLY.to_string(), file.to_string())]);
    let text = doc(json!({ "managedPolicies": [READ_ONLY] }), json!({}), &["s3:GetObject", "s3:PutObject"]);
    assert_eq!(decisions(&text, &from_file), decisions(&text, &source()));
    // A file for another ARN is the caller's mistake, reported at the ARN.
    let wrong = HashMap::from([(READ_ONLY.to_string(), file.to_string().replace("ReadOnlyS3\",\"name", "Other\",\"name"))]);
    let e = errors(&text, &wrong);
    assert_eq!(e[0].0, DiagCode::InvalidValue, "{e:?}");
    assert!(e[0].2.contains("is that of `arn:aws:iam::aws:policy/Other`"), "{e:?}");
}

#[test]
fn without_a_source_a_document_naming_an_aws_managed_policy_does_not_load() {
    let text = doc(json!({ "managedPolicies": [READ_ONLY] }), json!({}), &["s3:GetObject"]);
    let e = scenario::load(&text).unwrap_err();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!((e[0].code, e[0].path.as_str()), (DiagCode::UnknownManagedPolicy, "accounts[0].roles[0].managedPolicies[0]"));
    assert_eq!(e[0].message, format!("the AWS managed policy `{READ_ONLY}` is not known"));
    let at = e[0].location.unwrap();
    assert_eq!(&text[at.start..at.end], format!("\"{READ_ONLY}\""));
    assert_eq!(text.lines().nth(at.line - 1).unwrap().chars().nth(at.column - 1), Some('"'));
    // The same document, parsed by the caller, with the source.
    let tree = json::parse(&text).unwrap();
    assert!(scenario::load_json_with_options(&tree, &LoadOptions::with_managed_policies(&source())).is_ok());
    assert_eq!(scenario::managed_policy_arns_json(&tree), [READ_ONLY]);
}

#[test]
fn customer_managed_policies_are_defined_once_and_attached_by_arn() {
    let account = json!({ "managedPolicies": [
        { "name": "Put", "path": "/app/", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*" }] } },
        { "name": "OnlyPut", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*" }] } }
    ] });
    let put = "arn:aws:iam::111111111111:policy/app/Put";
    let text = doc(json!({ "managedPolicies": [put, READ_ONLY] }), account.clone(), &["s3:GetObject", "s3:PutObject"]);
    assert_eq!(decisions(&text, &source()), [(Outcome::Allowed, vec![(READ_ONLY.to_string(), 1)]), (Outcome::Allowed, vec![(put.to_string(), 0)])]);
    // As a boundary: the AWS managed read-only policy limits `s3:*`.
    let inline =
        json!([{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }] } }]);
    let bounded = doc(json!({ "policies": inline, "permissionsBoundary": READ_ONLY }), json!({}), &["s3:GetObject", "s3:PutObject"]);
    let d = decisions(&bounded, &source());
    assert_eq!((d[0].0, d[1].0), (Outcome::Allowed, Outcome::ImplicitDeny));
    let own = doc(
        json!({ "policies": inline, "permissionsBoundary": "arn:aws:iam::111111111111:policy/OnlyPut" }),
        account,
        &["s3:GetObject", "s3:PutObject"],
    );
    let d = decisions(&own, &source());
    assert_eq!((d[0].0, d[1].0), (Outcome::ImplicitDeny, Outcome::Allowed));
}

#[test]
fn attachments_that_cannot_be_resolved_are_located_errors() {
    let account = json!({ "managedPolicies": [
        { "name": "Put", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*" }] } },
        { "name": "put", "path": "/other/", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*" }] } }
    ] });
    let text = doc(
        json!({
            "managedPolicies": [READ_ONLY, READ_ONLY, "arn:aws:iam::111111111111:policy/Putt", "arn:aws:iam::222222222222:policy/Put", "ReadOnlyAccess", 7,
                "arn:aws:iam::aws:policy/ReadOnlyS4"],
            "permissionsBoundary": "arn:aws:iam::12:policy/B"
        }),
        account,
        &["s3:GetObject"],
    );
    let e = errors(&text, &source());
    let summary: Vec<(DiagCode, &str)> = e.iter().map(|(c, p, _, _)| (*c, p.as_str())).collect();
    assert_eq!(
        summary,
        [
            (DiagCode::DuplicateName, "accounts[0].managedPolicies[1].name"),
            (DiagCode::DuplicateName, "accounts[0].roles[0].managedPolicies[1]"),
            (DiagCode::UnknownManagedPolicy, "accounts[0].roles[0].managedPolicies[2]"),
            (DiagCode::ManagedPolicyOfAnotherAccount, "accounts[0].roles[0].managedPolicies[3]"),
            (DiagCode::InvalidArn, "accounts[0].roles[0].managedPolicies[4]"),
            (DiagCode::DataTypeMismatch, "accounts[0].roles[0].managedPolicies[5]"),
            (DiagCode::UnknownManagedPolicy, "accounts[0].roles[0].managedPolicies[6]"),
            (DiagCode::InvalidArnAccount, "accounts[0].roles[0].permissionsBoundary"),
        ]
    );
    assert_eq!(e[2].3, "did you mean `arn:aws:iam::111111111111:policy/Put`?");
    assert_eq!(e[6].3, format!("did you mean `{READ_ONLY}`?"));
    assert!(e[3].2.starts_with("`arn:aws:iam::222222222222:policy/Put` belongs to account 222222222222, not to 111111111111"), "{}", e[3].2);
}

/// A customer managed policy with an error in its document: one error,
/// there, and none where it is attached.
#[test]
fn a_broken_customer_managed_policy_is_reported_once_where_it_is_defined() {
    let account = json!({ "managedPolicies": [
        { "name": "Put", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Alow", "Action": "s3:PutObject", "Resource": "*" }] } }
    ] });
    let text = doc(json!({ "managedPolicies": ["arn:aws:iam::111111111111:policy/Put"] }), account, &["s3:PutObject"]);
    let e = errors(&text, &source());
    let summary: Vec<(DiagCode, &str)> = e.iter().map(|(c, p, _, _)| (*c, p.as_str())).collect();
    assert_eq!(summary, [(DiagCode::InvalidEffect, "accounts[0].managedPolicies[0].document.Statement[0].Effect")]);
}

#[test]
fn an_aws_managed_policy_that_does_not_parse_is_an_error_at_its_arn() {
    let bad = HashMap::from([(
        READ_ONLY.to_string(),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "*", "Resource": "*"}]}"#.to_string(),
    )]);
    let text = doc(json!({ "managedPolicies": [READ_ONLY] }), json!({}), &["s3:GetObject"]);
    let e = errors(&text, &bad);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1.as_str()), (DiagCode::InvalidEffect, "accounts[0].roles[0].managedPolicies[0]"));
    assert!(e[0].2.starts_with(&format!("the AWS managed policy `{READ_ONLY}` cannot be read: ")), "{e:?}");
    assert!(e[0].3.starts_with("give its document as an inline policy"), "{e:?}");
}

/// Format-1 documents keep loading with the same result: none of them
/// names a managed policy, and the loader reads them as before.
#[test]
fn documents_without_managed_policies_load_the_same_with_or_without_a_source() {
    let text = doc(json!({}), json!({}), &["s3:GetObject"]);
    let plain = scenario::load(&text).unwrap();
    let with = scenario::load_with_options(&text, &LoadOptions::with_managed_policies(&source())).unwrap();
    assert_eq!(plain, with);
    assert!(scenario::managed_policy_arns(&text).is_empty());
}
