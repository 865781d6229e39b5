//! AWS services as callers (issue #17): the step forms the loader accepts
//! and refuses, with their codes and paths, and the request context of a
//! service's call and of the sessions it creates.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use trustwalk_core::scenario::{self, Outcome, RunOptions, StepResult};

/// A document with one account whose role `R` (instance profile `P`) EC2
/// and Lambda may assume, and `steps`.
fn doc(steps: &str) -> String {
    format!(
        r#"{{"format": "trustwalk/scenario@1", "context": {{"aws:CurrentTime": "2026-01-15T12:00:00Z"}},
  "accounts": [{{"id": "111111111111", "users": [{{"name": "U"}}], "roles": [{{"name": "R", "instanceProfile": "P",
    "trustPolicy": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com", "scheduler.amazonaws.com"]}}, "Action": "sts:AssumeRole"}}]}},
    "policies": [{{"name": "All", "document": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}}}]}}],
    "buckets": [{{"name": "bkt"}}]}}],
  "steps": [{steps}]}}"#
    )
}

fn errors(steps: &str) -> Vec<(String, String)> {
    scenario::load(&doc(steps)).unwrap_err().into_iter().map(|d| (d.code.as_str().to_string(), d.path.as_str().to_string())).collect()
}

fn run(steps: &str) -> Vec<StepResult> {
    let (s, _) = scenario::load(&doc(steps)).unwrap_or_else(|e| panic!("{e:?}"));
    scenario::run(&s, RunOptions::default()).steps
}

#[test]
fn a_service_principal_must_be_a_service_name() {
    let e = errors(r#"{"principal": "service:ec2", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k"}"#);
    assert_eq!(e, [("INVALID_PRINCIPAL_FORMAT".to_string(), "steps[0].principal".to_string())]);
}

#[test]
fn only_a_service_step_has_a_source() {
    let e = errors(
        r#"{"principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k", "sourceArn": "arn:aws:s3:::bkt", "sourceAccount": "111111111111"}"#,
    );
    assert_eq!(
        e,
        [("MISPLACED_FIELD".to_string(), "steps[0].sourceArn".to_string()), ("MISPLACED_FIELD".to_string(), "steps[0].sourceAccount".to_string())]
    );
    let e = errors(
        r#"{"principal": "service:cloudtrail.amazonaws.com", "action": "s3:PutObject", "resource": "arn:aws:s3:::bkt/k", "sourceArn": "trail", "sourceAccount": "1111"}"#,
    );
    assert_eq!(
        e,
        [("INVALID_ARN".to_string(), "steps[0].sourceArn".to_string()), ("INVALID_ACCOUNT_ID".to_string(), "steps[0].sourceAccount".to_string())]
    );
}

#[test]
fn a_service_assume_role_needs_a_session_name_unless_the_source_names_it() {
    let e = errors(
        r#"{"principal": "service:scheduler.amazonaws.com", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/R", "sourceArn": "arn:aws:scheduler:us-east-1:111111111111:schedule/default/s"}"#,
    );
    assert_eq!(e, [("MISSING_FIELD".to_string(), "steps[0]".to_string())]);
    let r = run(
        r#"{"principal": "service:lambda.amazonaws.com", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/R", "sourceArn": "arn:aws:lambda:us-east-1:111111111111:function:report:live"}"#,
    );
    assert_eq!(r[0].session.as_deref(), Some("arn:aws:sts::111111111111:assumed-role/R/report"));
}

#[test]
fn a_service_call_carries_the_service_keys_and_no_principal_account() {
    let r = run(
        r#"{"principal": "service:ec2.amazonaws.com", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::111111111111:role/R", "sourceArn": "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"},
        {"principal": "arn:aws:sts::111111111111:assumed-role/R/i-0abc", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k"}"#,
    );
    assert_eq!(r[0].decision, Outcome::Allowed, "{}", r[0].summary);
    assert!(!r[0].cross_account);
    let ctx = &r[0].context;
    assert_eq!(ctx.get_single("aws:PrincipalServiceName"), Some("ec2.amazonaws.com"));
    assert_eq!(ctx.get("aws:PrincipalServiceNamesList").map(|v| v.values()), Some(vec!["ec2.amazonaws.com"]));
    assert_eq!(ctx.get_single("aws:PrincipalIsAWSService"), Some("true"));
    assert_eq!(ctx.get_single("aws:SourceArn"), Some("arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"));
    assert_eq!(ctx.get_single("aws:SourceAccount"), Some("111111111111"));
    for absent in ["aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalType", "aws:userid"] {
        assert!(!ctx.contains(absent), "{absent}");
    }
    assert_eq!(r[0].session.as_deref(), Some("arn:aws:sts::111111111111:assumed-role/R/i-0abc"));
    // The instance's session: an ordinary role session with the instance's ARN.
    let ctx = &r[1].context;
    assert_eq!(r[1].decision, Outcome::Allowed, "{}", r[1].summary);
    assert_eq!(ctx.get_single("ec2:SourceInstanceARN"), Some("arn:aws:ec2:us-east-1:111111111111:instance/i-0abc"));
    assert_eq!(ctx.get_single("aws:PrincipalIsAWSService"), Some("false"));
    assert!(!ctx.contains("aws:SourceArn") && !ctx.contains("lambda:SourceFunctionArn"));
}
