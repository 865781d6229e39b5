//! `docs/scenario.schema.json` against the loader: the schema is valid
//! draft 2020-12; every example, scenario case and scenario in the format's
//! documentation validates; the documents the loader rejects for their shape
//! (a misspelt field, a wrong type, a missing field, a bad outcome) fail it
//! too; and every object of the schema lists exactly the fields the loader
//! accepts there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

mod common;
use common::{json_blocks, root};
use serde_json::{json, Value};

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("docs/scenario.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).unwrap()
}

/// The schema's complaints about `doc`, as `/instance/path: message`.
fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn load_errors(doc: &Value) -> Vec<String> {
    match common::load(&doc.to_string()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| format!("{}: {} (help: {})", e.path.as_str(), e.message, e.help)).collect(),
    }
}

fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(root().join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    files
}

#[test]
fn the_schema_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(e) = jsonschema::draft202012::meta::validate(&s) {
        panic!("the schema does not follow the draft 2020-12 meta-schema at {}: {e}", e.instance_path());
    }
    // A schema that breaks the meta-schema is caught (the check can fail).
    assert!(!jsonschema::draft202012::meta::is_valid(&json!({ "type": "objekt" })));
    // Every pattern compiles.
    validator();
}

/// Editors show these descriptions while completing a field.
#[test]
fn every_property_of_the_schema_has_a_description() {
    fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::Object(props)) = o.get("properties") {
                    for (k, p) in props {
                        let described = p.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty());
                        if !described {
                            missing.push(format!("{path}/properties/{k}"));
                        }
                    }
                }
                for (k, child) in o {
                    walk(child, &format!("{path}/{k}"), missing);
                }
            }
            Value::Array(a) => a.iter().enumerate().for_each(|(i, child)| walk(child, &format!("{path}/{i}"), missing)),
            _ => {}
        }
    }
    let mut missing = Vec::new();
    walk(&schema(), "#", &mut missing);
    assert!(missing.is_empty(), "properties without a description: {missing:#?}");
}

#[test]
fn every_example_and_scenario_case_validates_against_the_schema() {
    let v = validator();
    let files: Vec<PathBuf> = json_files("examples").into_iter().chain(json_files("tests/scenarios")).collect();
    assert!(files.len() >= 40, "expected the 7 examples and 33 scenario cases, found {}", files.len());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        if let Err(e) = common::load(&text) {
            panic!("{} does not load: {e:#?}", f.display());
        }
        let doc: Value = serde_json::from_str(&text).unwrap();
        for e in schema_errors(&v, &doc) {
            failures.push(format!("{}: {e}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The ```json blocks of a Markdown file that hold a scenario document.
fn scenario_blocks(markdown: &str) -> Vec<String> {
    json_blocks(markdown).into_iter().filter(|b| b.contains("\"trustwalk/scenario@1\"")).collect()
}

#[test]
fn the_scenarios_in_the_format_documentation_load_and_validate() {
    let v = validator();
    let text = std::fs::read_to_string(root().join("docs/scenario-format.md")).unwrap();
    let blocks = scenario_blocks(&text);
    assert!(blocks.len() >= 2, "docs/scenario-format.md shows {} scenario documents", blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        if let Err(errors) = common::load(block) {
            panic!("scenario {} of docs/scenario-format.md does not load: {errors:#?}", i + 1);
        }
        let doc: Value = serde_json::from_str(block).unwrap();
        let errors = schema_errors(&v, &doc);
        assert!(errors.is_empty(), "scenario {} of docs/scenario-format.md: {errors:#?}", i + 1);
    }
}

/// A document with every kind of object the format has: an account with
/// SCP and RCP levels and a customer managed policy, a user in a group with
/// a boundary, a role with an AWS managed policy and a managed boundary, a
/// bucket, a resource, an AssumeRole step with MFA and an S3 step.
fn full_document() -> Value {
    let allow_all = json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] });
    json!({
        "format": "trustwalk/scenario@1",
        "title": "Every kind of object",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [{
            "id": "111111111111",
            "name": "one",
            "orgId": "o-a1b2c3d4e5",
            "scps": [{ "name": "Root", "policies": [{ "name": "FullAWSAccess", "document": allow_all }] }],
            "rcps": [{ "name": "Root", "policies": [{ "name": "RCPFullAWSAccess", "document": {
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*" }]
            } }] }],
            "managedPolicies": [{ "name": "ReadAll", "path": "/shared/", "document": allow_all }],
            "users": [{
                "name": "Uma",
                "groups": ["Readers"],
                "managedPolicies": ["arn:aws:iam::111111111111:policy/shared/ReadAll"],
                "permissionsBoundary": { "name": "Boundary", "document": allow_all },
                "tags": { "team": "data" }
            }],
            "groups": [{
                "name": "Readers",
                "policies": [{ "name": "All", "document": allow_all }],
                "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
            }],
            "roles": [{
                "name": "Reader",
                "trustPolicy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "sts:AssumeRole" }] },
                "policies": [{ "name": "All", "document": allow_all }],
                "managedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::111111111111:policy/shared/ReadAll"],
                "permissionsBoundary": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
            }],
            "buckets": [{ "name": "one-bucket", "region": "eu-west-1", "blockPublicAccess": true }],
            "resources": [{ "arn": "arn:aws:sqs:us-east-1:111111111111:queue", "tags": { "env": "prod" } }]
        }],
        "steps": [
            {
                "id": "assume",
                "principal": "arn:aws:iam::111111111111:user/Uma",
                "action": "sts:AssumeRole",
                "roleArn": "arn:aws:iam::111111111111:role/Reader",
                "sessionName": "s1",
                "mfa": { "serialNumber": "arn:aws:iam::111111111111:mfa/Uma", "ageSeconds": 60 },
                "expect": "allowed"
            },
            {
                "id": "read",
                "principal": "arn:aws:sts::111111111111:assumed-role/Reader/s1",
                "action": "s3:GetObject",
                "resource": "arn:aws:s3:::one-bucket/a",
                "expect": "allowed"
            }
        ]
    })
}

/// A JSON Pointer's parent object in `doc`.
fn object_at<'d>(doc: &'d mut Value, pointer: &str) -> &'d mut serde_json::Map<String, Value> {
    doc.pointer_mut(pointer).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("no object at {pointer}"))
}

/// Where each object of the format is in [`full_document`], and its
/// definition in the schema.
const OBJECTS: &[(&str, &str)] = &[
    ("", ""),
    ("/accounts/0", "/$defs/account"),
    ("/accounts/0/scps/0", "/$defs/policyLevel"),
    ("/accounts/0/scps/0/policies/0", "/$defs/namedPolicy"),
    ("/accounts/0/managedPolicies/0", "/$defs/managedPolicy"),
    ("/accounts/0/users/0", "/$defs/user"),
    ("/accounts/0/groups/0", "/$defs/group"),
    ("/accounts/0/roles/0", "/$defs/role"),
    ("/accounts/0/buckets/0", "/$defs/bucket"),
    ("/accounts/0/resources/0", "/$defs/resource"),
    ("/steps/0", "/$defs/step"),
    ("/steps/0/mfa", "/$defs/step/properties/mfa"),
];

#[test]
fn the_full_document_loads_and_validates() {
    let doc = full_document();
    assert_eq!(load_errors(&doc), Vec::<String>::new());
    assert_eq!(schema_errors(&validator(), &doc), Vec::<String>::new());
}

/// The loader names the fields it expects when it meets an unknown one:
/// they are exactly the schema's `properties` for that object.
#[test]
fn each_object_of_the_schema_lists_exactly_the_fields_the_loader_accepts() {
    let s = schema();
    for (at, def) in OBJECTS {
        let mut doc = full_document();
        object_at(&mut doc, at).insert("zzz".into(), json!(1));
        let errors = load_errors(&doc);
        let message = errors.iter().find(|e| e.contains("unknown field `zzz`")).unwrap_or_else(|| panic!("{at}: {errors:#?}"));
        let listed = message.split("use one of ").nth(1).and_then(|r| r.split("; a custom").next()).unwrap();
        let mut loader_fields: Vec<&str> = listed.split(", ").map(|f| f.trim_matches('`')).collect();
        let mut schema_fields: Vec<&str> =
            s.pointer(&format!("{def}/properties")).and_then(Value::as_object).unwrap().keys().map(String::as_str).collect();
        loader_fields.sort_unstable();
        schema_fields.sort_unstable();
        assert_eq!(schema_fields, loader_fields, "fields of {def}");
        assert_eq!(s.pointer(&format!("{def}/additionalProperties")), Some(&json!(false)), "{def} accepts unknown fields");
    }
}

/// `x-…` fields are custom fields everywhere the loader reads fields, for
/// the schema as for the loader.
#[test]
fn x_fields_are_accepted_at_every_level() {
    let v = validator();
    let mut doc = full_document();
    for (at, _) in OBJECTS {
        object_at(&mut doc, at).insert("x-note".into(), json!({ "anything": [1, "two"] }));
    }
    assert_eq!(load_errors(&doc), Vec::<String>::new());
    assert_eq!(schema_errors(&v, &doc), Vec::<String>::new());
}

/// Documents the loader rejects for their shape, each with the place the
/// schema must name (a JSON Pointer) and a word of the loader's message.
#[test]
fn documents_of_the_wrong_shape_fail_the_schema_and_the_loader_alike() {
    type Change = fn(&mut Value);
    let cases: &[(&str, Change, &str, &str)] = &[
        (
            "misspelt top-level field",
            |d| {
                d["titel"] = json!("x");
            },
            "",
            "unknown field `titel`",
        ),
        (
            "misspelt step field",
            |d| {
                d["steps"][1]["expected"] = json!("allowed");
            },
            "/steps/1",
            "unknown field `expected`",
        ),
        (
            "misspelt role field (case)",
            |d| {
                let role = d["accounts"][0]["roles"][0].as_object_mut().unwrap();
                let trust = role.remove("trustPolicy").unwrap();
                role.insert("trustpolicy".into(), trust);
            },
            "/accounts/0/roles/0",
            "trustPolicy",
        ),
        (
            "misspelt policy element",
            |d| {
                d["accounts"][0]["roles"][0]["trustPolicy"]["Statement"][0]["Efect"] = json!("Allow");
            },
            "/accounts/0/roles/0/trustPolicy",
            "Efect",
        ),
        (
            "wrong type: boolean as a string",
            |d| {
                d["accounts"][0]["buckets"][0]["blockPublicAccess"] = json!("yes");
            },
            "/accounts/0/buckets/0/blockPublicAccess",
            "must be `true` or `false`",
        ),
        (
            "wrong type: number as a string",
            |d| {
                d["steps"][0]["durationSeconds"] = json!("3600");
            },
            "/steps/0/durationSeconds",
            "whole number",
        ),
        (
            "wrong type: account ID as a number",
            |d| {
                d["accounts"][0]["id"] = json!(111111111111_u64);
            },
            "/accounts/0/id",
            "must be a string",
        ),
        (
            "wrong type: a context value that is an object",
            |d| {
                d["context"]["aws:SourceIp"] = json!({ "ip": "1.2.3.4" });
            },
            "/context/aws:SourceIp",
            "context value",
        ),
        (
            "wrong type: a list where a time goes",
            |d| {
                d["context"]["aws:CurrentTime"] = json!(["2026-01-15T12:00:00Z"]);
            },
            "/context/aws:CurrentTime",
            "one time",
        ),
        (
            "missing required field: principal",
            |d| {
                d["steps"][1].as_object_mut().unwrap().remove("principal");
            },
            "/steps/1",
            "missing required field `principal`",
        ),
        (
            "missing required field: format",
            |d| {
                d.as_object_mut().unwrap().remove("format");
            },
            "",
            "missing required field `format`",
        ),
        (
            "missing required field: sessionName of an AssumeRole",
            |d| {
                d["steps"][0].as_object_mut().unwrap().remove("sessionName");
            },
            "/steps/0",
            "sessionName",
        ),
        (
            "missing required field: document of a named policy",
            |d| {
                d["accounts"][0]["groups"][0]["policies"][0].as_object_mut().unwrap().remove("document");
            },
            "/accounts/0/groups/0/policies/0",
            "document",
        ),
        (
            "a managed policy named by its name, not its ARN",
            |d| {
                d["accounts"][0]["users"][0]["managedPolicies"] = json!(["ReadOnlyAccess"]);
            },
            "/accounts/0/users/0/managedPolicies/0",
            "is not a managed policy ARN",
        ),
        (
            "a managed policy attached twice",
            |d| {
                d["accounts"][0]["groups"][0]["managedPolicies"] =
                    json!(["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
            },
            "/accounts/0/groups/0/managedPolicies",
            "is attached twice",
        ),
        (
            "a boundary that is neither a named policy nor an ARN",
            |d| {
                d["accounts"][0]["roles"][0]["permissionsBoundary"] = json!(7);
            },
            "/accounts/0/roles/0/permissionsBoundary",
            "must be an object",
        ),
        (
            "missing required field: document of a customer managed policy",
            |d| {
                d["accounts"][0]["managedPolicies"][0].as_object_mut().unwrap().remove("document");
            },
            "/accounts/0/managedPolicies/0",
            "missing required field `document`",
        ),
        (
            "a customer managed policy name with a space",
            |d| {
                d["accounts"][0]["managedPolicies"][0]["name"] = json!("Read All");
            },
            "/accounts/0/managedPolicies/0/name",
            "is not a valid policy name",
        ),
        (
            "no steps",
            |d| {
                d["steps"] = json!([]);
            },
            "/steps",
            "is an empty list",
        ),
        (
            "bad outcome",
            |d| {
                d["steps"][1]["expect"] = json!("allow");
            },
            "/steps/1/expect",
            "`expect` must be one of",
        ),
        (
            "bad outcome: wrong case",
            |d| {
                d["steps"][1]["expect"] = json!("ExplicitDeny");
            },
            "/steps/1/expect",
            "`expect` must be one of",
        ),
        (
            "wrong format version",
            |d| {
                d["format"] = json!("trustwalk/scenario@2");
            },
            "/format",
            "unsupported format",
        ),
        (
            "an AssumeRole field on an S3 step",
            |d| {
                d["steps"][1]["externalId"] = json!("abc123");
            },
            "/steps/1",
            "belongs only to `sts:AssumeRole`",
        ),
        (
            "a resource on an AssumeRole step",
            |d| {
                d["steps"][0]["resource"] = json!("*");
            },
            "/steps/0",
            "step has a `resource`",
        ),
        (
            "an action with a wildcard",
            |d| {
                d["steps"][1]["action"] = json!("s3:Get*");
            },
            "/steps/1/action",
            "is not a request action",
        ),
        (
            "a bad session name",
            |d| {
                d["steps"][0]["sessionName"] = json!("a");
            },
            "/steps/0/sessionName",
            "session name",
        ),
        (
            "an account ID of 11 digits",
            |d| {
                d["accounts"][0]["id"] = json!("11111111111");
            },
            "/accounts/0/id",
            "12 digits",
        ),
        (
            "51 tags on a user",
            |d| {
                let tags: serde_json::Map<String, Value> = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
                d["accounts"][0]["users"][0]["tags"] = Value::Object(tags);
            },
            "/accounts/0/users/0/tags",
            "at most 50 tags",
        ),
        (
            "a tag value that is not a string",
            |d| {
                d["accounts"][0]["users"][0]["tags"]["team"] = json!(7);
            },
            "/accounts/0/users/0/tags/team",
            "must be a string",
        ),
        (
            "maxSessionDuration over 12 hours",
            |d| {
                d["accounts"][0]["roles"][0]["maxSessionDuration"] = json!(43201);
            },
            "/accounts/0/roles/0/maxSessionDuration",
            "3600 to 43200",
        ),
        (
            "an empty Action list",
            |d| {
                d["accounts"][0]["roles"][0]["trustPolicy"]["Statement"][0]["Action"] = json!([]);
            },
            "/accounts/0/roles/0/trustPolicy",
            "empty",
        ),
    ];
    let v = validator();
    let mut failures = Vec::new();
    for (what, change, schema_at, loader_says) in cases {
        let mut doc = full_document();
        change(&mut doc);
        let schema_says = schema_errors(&v, &doc);
        let at_or_under = |e: &String| e.starts_with(&format!("{schema_at}:")) || (!schema_at.is_empty() && e.starts_with(&format!("{schema_at}/")));
        if !schema_says.iter().any(at_or_under) {
            failures.push(format!("{what}: the schema should object at `{schema_at}`, it says {schema_says:?}"));
        }
        let loader = load_errors(&doc);
        if !loader.iter().any(|e| e.contains(loader_says)) {
            failures.push(format!("{what}: the loader should say `{loader_says}`, it says {loader:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
