#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
use super::*;
use crate::scenario::{self, Outcome, RunOptions};

/// Loads a scenario with the AWS managed policies it attaches, from the
/// app's folder of them.
fn load(text: &str) -> Result<(scenario::Scenario, Vec<crate::diag::Diagnostic>), Vec<crate::diag::Diagnostic>> {
    let mut known = std::collections::HashMap::new();
    for arn in scenario::managed_policy_arns(text) {
        let file = scenario::aws_managed_policy_file(&arn).unwrap();
        let path = format!("{}/../../data/aws-managed-policies/{file}", env!("CARGO_MANIFEST_DIR"));
        known.insert(arn, std::fs::read_to_string(path).unwrap());
    }
    scenario::load_with_options(text, &scenario::LoadOptions { max_bytes: 1 << 22, managed_policies: &known })
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../examples/exports/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The example exports: staging, production, the bucket policy and two SCPs.
fn example_files() -> [String; 5] {
    [
        "staging-authorization-details.json",
        "production-authorization-details.json",
        "production-app-data-bucket-policy.json",
        "scp-full-aws-access.json",
        "scp-deny-leaving-organization.json",
    ]
    .map(read)
}

fn example_input<'a>(staging: &'a str, production: &'a str, bucket: &'a str, full: &'a str, deny: &'a str) -> ImportInput<'a> {
    ImportInput {
        exports: vec![ExportFile { source: "staging.json".into(), text: staging }, ExportFile { source: "production.json".into(), text: production }],
        buckets: vec![BucketPolicyFile {
            account: Some("222222222222".into()),
            name: "production-app-data".into(),
            source: "bucket.json".into(),
            text: bucket,
        }],
        scps: vec![
            OrgPolicyFile { level: "Root".into(), source: "full.json".into(), text: full },
            OrgPolicyFile { level: "Root".into(), source: "deny.json".into(), text: deny },
        ],
        rcps: Vec::new(),
    }
}

#[test]
fn the_example_exports_become_a_scenario_that_loads_and_decides() {
    let [s, p, b, f, d] = example_files();
    let imported = import(&example_input(&s, &p, &b, &f, &d)).unwrap();
    let doc = &imported.document;
    let staging = &doc["accounts"][0];
    assert_eq!(staging["id"], "111111111111");
    let dana = &staging["users"][1];
    assert_eq!((dana["name"].as_str(), dana["path"].as_str()), (Some("Dana"), Some("/contractors/")));
    assert_eq!(dana["permissionsBoundary"], "arn:aws:iam::111111111111:policy/ContractorBoundary");
    assert_eq!(staging["users"][0]["tags"], json!({ "team": "platform" }));
    assert_eq!(staging["users"][0]["uniqueId"], "AIDACKCEVSQ6C2EXAMPLE");
    assert_eq!(staging["groups"][0]["managedPolicies"], json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]));
    assert_eq!(staging["roles"][0]["instanceProfile"], "AppServer");
    // The default version only.
    assert_eq!(staging["managedPolicies"][0]["document"]["Statement"][0]["Action"], json!(["s3:Get*", "s3:List*"]));
    let production = &doc["accounts"][1];
    // The API's URL-encoded document, decoded and kept as text.
    let text = production["managedPolicies"][0]["document"].as_str().unwrap();
    assert!(text.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadWriteObjects""#), "{text}");
    assert_eq!(production["managedPolicies"][0]["path"], "/data/");
    assert_eq!(production["buckets"][0]["name"], "production-app-data");
    assert_eq!(production["scps"], staging["scps"]);
    assert_eq!(staging["scps"][0]["name"], "Root");
    assert_eq!(staging["scps"][0]["policies"][1]["name"], "DenyLeavingOrganization");

    // It is an ordinary scenario: it loads, and a step written on it runs.
    let mut v = doc.clone();
    v["steps"] = json!([
        { "principal": "arn:aws:iam::111111111111:user/StageAdmin", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::222222222222:role/StageRole", "sessionName": "admin" },
        { "principal": "arn:aws:sts::222222222222:assumed-role/StageRole/admin", "action": "s3:GetObject", "resource": "arn:aws:s3:::production-app-data/a" },
        { "principal": "arn:aws:iam::111111111111:user/contractors/Dana", "action": "s3:PutObject", "resource": "arn:aws:s3:::production-app-data/a" }
    ]);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let (scenario, _) = load(&text).unwrap_or_else(|e| panic!("{e:?}"));
    let r = scenario::run(&scenario, RunOptions::default());
    let outcomes: Vec<Outcome> = r.steps.iter().map(|s| s.decision).collect();
    assert_eq!(outcomes, [Outcome::Allowed, Outcome::Allowed, Outcome::ImplicitDeny], "{:?}", r.steps.iter().map(|s| &s.summary).collect::<Vec<_>>());
    // The starting step as imported loads too.
    load(&serde_json::to_string(doc).unwrap()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(doc["steps"][0]["principal"], "arn:aws:iam::111111111111:user/StageAdmin");
}

#[test]
fn every_field_left_out_is_listed_with_its_file_and_path() {
    let [s, p, b, f, d] = example_files();
    let ignored = import(&example_input(&s, &p, &b, &f, &d)).unwrap().ignored;
    for want in [
        "staging.json: $.UserDetailList[0].CreateDate (descriptive: does not take part in decisions)",
        "staging.json: $.RoleDetailList[0].RoleLastUsed (descriptive: does not take part in decisions)",
        "staging.json: $.RoleDetailList[0].InstanceProfileList[0].Arn (not used by Trustwalk)",
        "staging.json: $.Policies[0].PolicyVersionList[1] (not the policy's default version)",
        "staging.json: $.GroupDetailList[0].GroupId (descriptive: does not take part in decisions)",
        "full.json: $.Policy.PolicySummary.AwsManaged (not used by Trustwalk)",
    ] {
        assert!(ignored.iter().any(|i| i == want), "missing `{want}` in {ignored:#?}");
    }
}

#[test]
fn bad_input_is_an_error_at_its_file_and_path() {
    let err = |input: &ImportInput<'_>| import(input).unwrap_err().into_iter().map(|e| e.to_string()).collect::<Vec<_>>();
    let one = |text: &'static str| ImportInput { exports: vec![ExportFile { source: "x.json".into(), text }], ..Default::default() };
    assert_eq!(err(&one("{\n  \"UserDetailList\": [,]\n}")), ["x.json: not JSON: expected value at line 2 column 22 (line 2, column 22)"]);
    assert_eq!(err(&one(r#"{"Buckets": []}"#))[0], "x.json: at $: this is not `aws iam get-account-authorization-details` output (no `UserDetailList`, `GroupDetailList`, `RoleDetailList` or `Policies`)");
    let mixed = r#"{"UserDetailList": [
        {"UserName": "A", "Arn": "arn:aws:iam::111111111111:user/A"},
        {"UserName": "B", "Arn": "arn:aws:iam::333333333333:user/B"}]}"#;
    assert_eq!(
        err(&one(mixed)),
        ["x.json: at $.UserDetailList[1].Arn: `arn:aws:iam::333333333333:user/B` is in account 333333333333, but this export is of account 111111111111: give each account's export as a file of its own"]
    );
    let no_doc = r#"{"RoleDetailList": [{"RoleName": "R", "Arn": "arn:aws:iam::111111111111:role/R", "AssumeRolePolicyDocument": 7}]}"#;
    assert_eq!(
        err(&one(no_doc)),
        ["x.json: at $.RoleDetailList[0].AssumeRolePolicyDocument: a policy document must be an object or text, found a number"]
    );
    // A bucket's account must be named when several are imported.
    let (s, p) = (read("staging-authorization-details.json"), read("production-authorization-details.json"));
    let two = ImportInput {
        exports: vec![ExportFile { source: "s.json".into(), text: &s }, ExportFile { source: "p.json".into(), text: &p }],
        buckets: vec![BucketPolicyFile { account: None, name: "b1".into(), source: "b.json".into(), text: r#"{"Policy": "{}"}"# }],
        ..Default::default()
    };
    assert_eq!(err(&two), ["b.json: 2 accounts were imported: name the bucket's as `ACCOUNT_ID:b1`"]);
    // An RCP given as an SCP.
    let rcp = r#"{"Policy": {"PolicySummary": {"Name": "X", "Type": "RESOURCE_CONTROL_POLICY"}, "Content": "{}"}}"#;
    let wrong = ImportInput {
        exports: vec![ExportFile { source: "s.json".into(), text: &s }],
        scps: vec![OrgPolicyFile { level: "Root".into(), source: "r.json".into(), text: rcp }],
        ..Default::default()
    };
    assert_eq!(
        err(&wrong),
        ["r.json: at $.Policy.PolicySummary.Type: `RESOURCE_CONTROL_POLICY` given where a `SERVICE_CONTROL_POLICY` was expected"]
    );
}

#[test]
fn url_encoded_text_is_decoded_and_json_text_kept() {
    assert_eq!(url_decode("%7B%22a%22%3A%22b%2Bc%20d%22%7D").as_deref(), Some(r#"{"a":"b+c d"}"#));
    assert_eq!(url_decode(r#"{"a": 1}"#).as_deref(), Some(r#"{"a": 1}"#));
    assert_eq!(url_decode("%7B%2"), None);
    assert_eq!(url_decode("not a policy"), None);
}
