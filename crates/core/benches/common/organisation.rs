//! The generated two-account organisation of the access-map benchmark
//! (`benches/access.rs`) and of `examples/access_profile.rs`: N principals
//! (three quarters users in groups, one quarter roles in the other account,
//! some chained, some behind MFA) and buckets with bucket policies.

use serde_json::{json, Value};

const A: &str = "111111111111";
const B: &str = "222222222222";

fn policy(statements: Value) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// The generated organisation as a scenario document; `grant_put` adds
/// one write grant (the edit the diff finds).
pub fn organisation(principals: usize, buckets: usize, grant_put: bool) -> String {
    let roles = (principals / 4).max(1);
    let users = principals - roles;
    let bucket = |i: usize| format!("bucket-{i:03}");
    let mut a_buckets = Vec::new();
    let mut b_buckets = Vec::new();
    for i in 0..buckets {
        let owner = if i % 2 == 0 { A } else { B };
        let b = json!({ "name": bucket(i), "policy": policy(json!([
            { "Sid": "ReadFromA", "Effect": "Allow", "Principal": { "AWS": format!("arn:aws:iam::{A}:root") }, "Action": ["s3:GetObject", "s3:ListBucket"],
              "Resource": [format!("arn:aws:s3:::{}", bucket(i)), format!("arn:aws:s3:::{}/shared/*", bucket(i))] },
            { "Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [format!("arn:aws:s3:::{}", bucket(i)), format!("arn:aws:s3:::{}/*", bucket(i))],
              "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
        ])) });
        if owner == A {
            a_buckets.push(b)
        } else {
            b_buckets.push(b)
        }
    }
    let groups: Vec<Value> = (0..5)
        .map(|k| {
            let resources: Vec<String> = (k * 10..k * 10 + 10)
                .filter(|i| *i < buckets)
                .flat_map(|i| [format!("arn:aws:s3:::{}", bucket(i)), format!("arn:aws:s3:::{}/reports/*", bucket(i))])
                .collect();
            json!({ "name": format!("team-{k}"), "policies": [{ "name": "Read", "document": policy(json!([
                { "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": resources }
            ])) }] })
        })
        .collect();
    let users: Vec<Value> = (0..users)
        .map(|i| {
            let mut statements = vec![
                json!({ "Effect": "Allow", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{}/uploads/${{aws:username}}/*", bucket(i % buckets)) }),
                json!({ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{B}:role/worker-{}", i % roles) }),
            ];
            if grant_put && i == 0 {
                statements.push(json!({ "Effect": "Allow", "Action": "s3:PutObject", "Resource": format!("arn:aws:s3:::{}/*", bucket(1)) }));
            }
            json!({ "name": format!("user-{i:03}"), "groups": [format!("team-{}", i % 5)], "policies": [{ "name": "Own", "document": policy(json!(statements)) }] })
        })
        .collect();
    let roles: Vec<Value> = (0..roles)
        .map(|j| {
            let mut trust = json!({ "Effect": "Allow", "Principal": { "AWS": [format!("arn:aws:iam::{A}:root"), format!("arn:aws:iam::{B}:root")] }, "Action": "sts:AssumeRole" });
            if j % 5 == 4 {
                trust["Condition"] = json!({ "Bool": { "aws:MultiFactorAuthPresent": "true" } });
            }
            let b = bucket(j % buckets);
            json!({ "name": format!("worker-{j}"), "trustPolicy": policy(json!([trust])), "policies": [{ "name": "Work", "document": policy(json!([
                { "Effect": "Allow", "Action": "s3:*", "Resource": [format!("arn:aws:s3:::{b}"), format!("arn:aws:s3:::{b}/*")] },
                { "Effect": "Deny", "Action": "s3:DeleteObject*", "Resource": "*" },
                { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": format!("arn:aws:iam::{B}:role/worker-{}", (j + 1) % roles) }
            ])) }] })
        })
        .collect();
    json!({
        "format": "trustwalk/scenario@1",
        "title": format!("{principals} principals, {buckets} buckets"),
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [
            { "id": A, "orgId": "o-exampleorg1", "scps": [{ "name": "Root", "policies": [{ "name": "Guard", "document": policy(json!([
                { "Effect": "Allow", "Action": "*", "Resource": "*" },
                { "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*" }
            ])) }] }], "groups": groups, "users": users, "buckets": a_buckets },
            { "id": B, "orgId": "o-exampleorg1", "roles": roles, "buckets": b_buckets }
        ],
        "steps": [{ "id": "put", "principal": format!("arn:aws:iam::{A}:user/user-000"), "action": "s3:PutObject", "resource": format!("arn:aws:s3:::{}/x", bucket(1)) }]
    })
    .to_string()
}
