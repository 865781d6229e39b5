//! What tightening a policy costs: one run of the scenario to collect what
//! the steps use, one load and run with the proposal to verify it. A user
//! with a broad policy and 100, 1,000 and 10,000 steps over 10 buckets.
//!
//! `cargo bench -p trustwalk-core --bench tighten -- --sample-size 10`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::json;
use std::hint::black_box;
use trustwalk_core::review::tighten::tighten;
use trustwalk_core::scenario::{LoadOptions, RunOptions};

const ACTIONS: [&str; 4] = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging"];

fn scenario(steps: usize) -> String {
    let buckets: Vec<_> = (0..10).map(|b| json!({ "name": format!("bucket-{b}") })).collect();
    let steps: Vec<_> = (0..steps)
        .map(|i| {
            json!({
                "id": format!("s{i}"),
                "principal": "arn:aws:iam::111111111111:user/U",
                "action": ACTIONS[i % ACTIONS.len()],
                "resource": format!("arn:aws:s3:::bucket-{}/key-{}", i % 10, i % 97),
            })
        })
        .collect();
    json!({
        "format": "trustwalk/scenario@1",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [{ "id": "111111111111", "buckets": buckets, "users": [{ "name": "U", "policies": [{ "name": "Broad", "document": {
            "Version": "2012-10-17",
            "Statement": [
                { "Sid": "Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*" },
                { "Sid": "Write", "Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::bucket-1/*", "arn:aws:s3:::bucket-2/*", "arn:aws:s3:::bucket-3/*"] },
                { "Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bucket-1/*" }
            ] } }] }] }],
        "steps": steps,
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("tighten");
    for n in [100usize, 1_000, 10_000] {
        let text = scenario(n);
        let load = LoadOptions { max_bytes: 256 * 1024 * 1024, ..LoadOptions::default() };
        let run = RunOptions { now_epoch_seconds: 1_768_478_400, ..RunOptions::default() };
        let p = tighten(&text, "U/Broad", &load, run).unwrap();
        assert!(p.changed && p.steps.iter().all(|s| s.before == s.after));
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("steps", n), &text, |b, t| b.iter(|| black_box(tighten(t, "U/Broad", &load, run).unwrap())));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
