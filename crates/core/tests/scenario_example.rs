#![allow(clippy::unwrap_used, clippy::indexing_slicing)]
use trustwalk_core::scenario::{self, Outcome, RunOptions};

#[test]
fn classic_example_runs_as_documented() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/staging-reads-production.json")).unwrap();
    let (s, warnings) = scenario::load(&text).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_700_000_000, ..Default::default() });
    let v = serde_json::to_value(&r).unwrap();
    println!("{}", serde_json::to_string_pretty(&v["steps"][0]["decisive"]).unwrap());
    assert_eq!(r.steps[0].decision, Outcome::Allowed, "{}", r.steps[0].summary);
    assert!(r.steps[0].cross_account);
    assert_eq!(r.steps[0].session.as_deref(), Some("arn:aws:sts::222222222222:assumed-role/StageRole/test"));
    assert_eq!(r.steps[1].decision, Outcome::Allowed, "{}", r.steps[1].summary);
    assert!(!r.steps[1].cross_account);
    assert_eq!(r.steps[2].decision, Outcome::ImplicitDeny);
    assert!(r.expectations_met());
    assert_eq!(v["format"], "trustwalk/result@1");
    assert_eq!(v["steps"][0]["decisive"][0]["policy"], "StageAdmin/AllowAssume");
    assert_eq!(v["steps"][0]["decisive"][0]["sid"], "AllowAssumeStageRole");
    assert_eq!(v["steps"][0]["decisive"][1]["policy"], "StageRole/trustPolicy");
}

#[test]
fn errors_in_policy_text_point_into_the_file_and_the_text() {
    let doc = r#"{"format": "trustwalk/scenario@1", "accounts": [{"id": "111111111111", "users": [{"name": "U", "policies": [
  {"name": "P", "document": "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Alow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n}"}]}]}],
 "steps": [{"principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "*"}]}"#;
    let errors = scenario::load(doc).unwrap_err();
    let e = &errors[0];
    assert_eq!(e.code.as_str(), "INVALID_EFFECT", "{e:?}");
    assert!(e.message.contains("Alow"), "{e:?}");
    assert_eq!(e.path.as_str(), "accounts[0].users[0].policies[0].document.Statement.Effect");
    let inner = e.text_location.unwrap();
    assert_eq!((inner.line, inner.column), (3, 27));
    let outer = e.location.unwrap();
    assert_eq!(outer.line, 2);
    assert_eq!(&doc[outer.start..outer.end], r#"\"Alow\""#);
}

/// A resource in an account the document does not list: a located warning
/// at load, and at run a cross-account implicit deny that names the account
/// (the caller's identity policy allowing `*` is not enough).
#[test]
fn resources_in_unlisted_accounts_warn_and_are_denied_across_accounts() {
    let doc = r#"{"format": "trustwalk/scenario@1", "accounts": [{"id": "111111111111", "users": [{"name": "U", "policies": [
  {"name": "P", "document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}]}],
 "steps": [{"principal": "arn:aws:iam::111111111111:user/U", "action": "iam:GetRole", "resource": "arn:aws:iam::333333333333:role/X"},
           {"principal": "arn:aws:iam::111111111111:user/U", "action": "iam:GetRole", "resource": "arn:aws:iam::111111111111:role/X"}]}"#;
    let (s, warnings) = scenario::load(doc).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].path.as_str(), "steps[0].resource");
    assert_eq!(warnings[0].code.as_str(), "UNLISTED_ACCOUNT");
    assert!(warnings[0].message.contains("333333333333") && warnings[0].message.contains("not in the document"), "{:?}", warnings[0]);
    assert!(warnings[0].location.is_some());
    let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_700_000_000, ..Default::default() });
    assert_eq!(r.steps[0].decision, Outcome::ImplicitDeny, "{}", r.steps[0].summary);
    assert!(r.steps[0].cross_account);
    assert_eq!(r.steps[0].resource_account.as_deref(), Some("333333333333"));
    assert!(r.steps[0].summary.contains("account 333333333333, which the document does not list"), "{}", r.steps[0].summary);
    assert_eq!(r.steps[0].context.get_single("aws:ResourceAccount"), Some("333333333333"));
    assert_eq!(r.steps[1].decision, Outcome::Allowed, "{}", r.steps[1].summary);
    assert!(!r.steps[1].cross_account);
}

/// Loading warns where the engine decides with rules the author should know
/// about: a KMS key without a key policy (denied whatever IAM says), and a
/// service whose own resource-policy rules are not modelled when a resource
/// policy or another account takes part. SQS follows the general rules: no
/// warning.
#[test]
fn kms_keys_without_key_policy_and_unmodelled_services_warn() {
    let doc = r#"{"format": "trustwalk/scenario@1", "accounts": [
  {"id": "111111111111", "users": [{"name": "U", "policies": [{"name": "P", "document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}],
   "resources": [
     {"arn": "arn:aws:kms:us-east-1:111111111111:key/k1"},
     {"arn": "arn:aws:lambda:us-east-1:111111111111:function:f", "policy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "lambda:InvokeFunction", "Resource": "*"}}},
     {"arn": "arn:aws:sqs:us-east-1:111111111111:q", "policy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sqs:*", "Resource": "*"}}}]},
  {"id": "222222222222"}],
 "steps": [{"principal": "arn:aws:iam::111111111111:user/U", "action": "kms:Decrypt", "resource": "arn:aws:kms:us-east-1:111111111111:key/k1"},
           {"principal": "arn:aws:iam::111111111111:user/U", "action": "lambda:InvokeFunction", "resource": "arn:aws:lambda:us-east-1:111111111111:function:f"},
           {"principal": "arn:aws:iam::111111111111:user/U", "action": "sqs:SendMessage", "resource": "arn:aws:sqs:us-east-1:111111111111:q"},
           {"principal": "arn:aws:iam::111111111111:user/U", "action": "ec2:DescribeInstances", "resource": "*"},
           {"principal": "arn:aws:iam::111111111111:user/U", "action": "dynamodb:GetItem", "resource": "arn:aws:dynamodb:us-east-1:222222222222:table/t"}]}"#;
    let (s, warnings) = scenario::load(doc).unwrap();
    let at: Vec<(&str, &str)> = warnings.iter().map(|w| (w.path.as_str(), w.message.as_str())).collect();
    assert_eq!(warnings.len(), 3, "{at:?}");
    assert_eq!(at[0].0, "steps[0].resource");
    assert!(at[0].1.contains("has no key policy"), "{at:?}");
    assert_eq!(at[1].0, "steps[1].resource");
    assert!(at[1].1.contains("`lambda`'s own resource-policy rules are not modelled"), "{at:?}");
    assert_eq!(at[2].0, "steps[4].resource");
    assert!(at[2].1.contains("`dynamodb`"), "{at:?}");
    let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_700_000_000, ..Default::default() });
    // The identity policy allows `*`, but the key has no key policy.
    assert_eq!(r.steps[0].decision, Outcome::ImplicitDeny, "{}", r.steps[0].summary);
    assert!(r.steps[0].summary.contains("no key policy"), "{}", r.steps[0].summary);
    assert_eq!(r.steps[2].decision, Outcome::Allowed, "{}", r.steps[2].summary);
}
