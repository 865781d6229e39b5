//! How the cost of loading and running a scenario grows with hostile-size
//! inputs (issue #10, "costs stay bounded"): each input at three sizes, 10×
//! apart, should take about 10× the time.
//!
//! - thousands of context keys in the document (no AWS limit: the cost must
//!   simply be linear);
//! - a role with thousands of tags (AWS allows 50: the document is refused
//!   with a located error, in time linear in its size);
//! - a chain of role sessions, each passing one more transitive tag (each
//!   session carries every tag before it, so the result itself grows with
//!   the square of the chain: its cost is given per tag written);
//! - thousands of policies given as strings, each with a warning (one line
//!   index for the document, not one per warning);
//! - thousands of users, each calling once; an object with thousands of
//!   custom `x-` members.
//!
//! `cargo bench -p trustwalk-core --bench costs -- --sample-size 10`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};
use std::hint::black_box;
use trustwalk_core::scenario::{self, RunOptions};

const LIMIT: usize = 256 * 1024 * 1024;
const USER: &str = "arn:aws:iam::111111111111:user/U";

fn allow_all() -> Value {
    json!([{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] } }])
}

fn document(users: Value, roles: Value, context: Value, steps: Value) -> String {
    json!({
        "format": "trustwalk/scenario@1",
        "context": context,
        "accounts": [
            { "id": "111111111111", "users": users },
            { "id": "222222222222", "roles": roles, "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [
                { "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }] } }] }
        ],
        "steps": steps
    })
    .to_string()
}

fn user() -> Value {
    json!([{ "name": "U", "policies": allow_all() }])
}

fn read(principal: &str) -> Value {
    json!({ "principal": principal, "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/a" })
}

fn now() -> Value {
    json!({ "aws:CurrentTime": "2026-01-15T12:00:00Z" })
}

fn trust() -> Value {
    json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Principal": { "AWS": ["111111111111", "222222222222"] }, "Action": ["sts:AssumeRole", "sts:TagSession"] }] })
}

fn context_keys(n: usize) -> String {
    let mut context = now();
    for i in 0..n {
        context[format!("x:key{i}")] = json!(format!("value{i}"));
    }
    document(user(), json!([]), context, json!([read(USER)]))
}

fn role_tags(n: usize) -> String {
    let tags: serde_json::Map<String, Value> = (0..n).map(|i| (format!("tag{i}"), json!(format!("v{i}")))).collect();
    let roles = json!([{ "name": "R", "trustPolicy": trust(), "policies": allow_all(), "tags": tags }]);
    let steps = json!([{ "principal": USER, "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::222222222222:role/R", "sessionName": "s1" }]);
    document(user(), roles, now(), steps)
}

fn transitive_chain(n: usize) -> String {
    let roles: Vec<Value> = (0..2).map(|j| json!({ "name": format!("R{j}"), "trustPolicy": trust(), "policies": allow_all() })).collect();
    let mut steps = Vec::new();
    let mut principal = USER.to_string();
    for i in 0..n {
        let role = format!("R{}", i % 2);
        steps.push(json!({
            "principal": principal, "action": "sts:AssumeRole", "roleArn": format!("arn:aws:iam::222222222222:role/{role}"),
            "sessionName": format!("s{i}"), "sessionTags": { format!("t{i}"): format!("v{i}") }, "transitiveTagKeys": [format!("t{i}")]
        }));
        principal = format!("arn:aws:sts::222222222222:assumed-role/{role}/s{i}");
    }
    document(user(), Value::Array(roles), now(), Value::Array(steps))
}

fn policy_warnings(n: usize) -> String {
    // Pretty-printed like an author's text, without `Version` (a warning).
    let text =
        "{\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
    let policies: Vec<Value> = (0..n).map(|i| json!({ "name": format!("P{i}"), "document": text })).collect();
    let users = json!([{ "name": "U", "policies": policies }]);
    serde_json::to_string_pretty(&serde_json::from_str::<Value>(&document(users, json!([]), now(), json!([read(USER)]))).unwrap()).unwrap()
}

fn many_users(n: usize) -> String {
    let users: Vec<Value> = (0..n).map(|i| json!({ "name": format!("U{i}"), "policies": allow_all() })).collect();
    let steps: Vec<Value> = (0..n).map(|i| read(&format!("arn:aws:iam::111111111111:user/U{i}"))).collect();
    document(Value::Array(users), json!([]), now(), Value::Array(steps))
}

fn custom_members(n: usize) -> String {
    let mut step = read(USER);
    for i in 0..n {
        step[format!("x-{i}")] = json!(i);
    }
    document(user(), json!([]), now(), json!([step]))
}

fn load_and_run(text: &str) -> usize {
    match scenario::load_with_limit(text, LIMIT) {
        Ok((s, _)) => scenario::run(&s, RunOptions { now_epoch_seconds: 1_700_000_000, ..Default::default() }).steps.len(),
        Err(errors) => errors.len(),
    }
}

/// One benchmark group: `input(n)` loaded and run for each size.
fn group(c: &mut Criterion, name: &str, sizes: &[usize], input: fn(usize) -> String, check: fn(usize, &str)) {
    let mut g = c.benchmark_group(name);
    for &n in sizes {
        let text = input(n);
        check(n, &text);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| b.iter(|| load_and_run(black_box(t))));
    }
    g.finish();
}

fn loads(n: usize, text: &str) {
    let (s, _) = scenario::load_with_limit(text, LIMIT).unwrap_or_else(|e| panic!("{n}: {:?}", e.first()));
    black_box(s);
}

fn costs(c: &mut Criterion) {
    group(c, "costs/context keys (load + run)", &[1_000, 10_000, 100_000], context_keys, loads);
    group(c, "costs/role tags over AWS's 50 (load: refused)", &[200, 2_000, 20_000], role_tags, |n, text| {
        let errors = scenario::load_with_limit(text, LIMIT).err().unwrap();
        assert!(errors.len() == 1 && errors[0].message.contains(&format!("has {n} tags")), "{errors:?}");
    });
    group(c, "costs/policy strings with a warning each (load + run)", &[200, 2_000, 20_000], policy_warnings, |n, text| {
        let (_, warnings) = scenario::load_with_limit(text, LIMIT).unwrap();
        assert_eq!(warnings.len(), n);
    });
    group(c, "costs/users calling once each (load + run)", &[1_000, 10_000, 100_000], many_users, loads);
    group(c, "costs/custom x- members of a step (load + run)", &[1_000, 10_000, 100_000], custom_members, loads);

    // The chain: step i's session carries i tags, so the result holds about
    // n²/2 principal tags; throughput counts them.
    let mut g = c.benchmark_group("costs/transitive-tag chain (load + run; throughput: principal tags in the result)");
    g.sample_size(10);
    for n in [200usize, 632, 2_000] {
        let text = transitive_chain(n);
        loads(n, &text);
        g.throughput(Throughput::Elements((n * (n - 1) / 2) as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, t| b.iter(|| load_and_run(black_box(t))));
    }
    g.finish();
}

criterion_group!(benches, costs);
criterion_main!(benches);
