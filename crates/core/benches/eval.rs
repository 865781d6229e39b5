//! Criterion benchmarks of the evaluation core, sized from typical to the
//! largest policies AWS accepts, and of the wildcard matcher on adversarial
//! patterns (to show linear growth).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{big_bucket_policy, big_identity_policy};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::{lint_parsed, lint_policy_with, LintOptions};
use trustwalk_core::eval::{evaluate, Caller, CallerKind, NamedPolicy, Options, Policies, Request};
use trustwalk_core::matching::PrincipalFacts;
use trustwalk_core::scenario::{self, RunOptions};
use trustwalk_core::wildcard::{glob_match, Pattern};
use trustwalk_core::{parse_policy, PolicyType, RequestContext};

const EXAMPLE: &str = include_str!("../../../examples/staging-reads-production.json");
const CATALOGUE: &[u8] = include_bytes!("../data/catalogue.json");

fn session_caller() -> Caller {
    Caller {
        kind: CallerKind::RoleSession,
        facts: PrincipalFacts {
            arn: "arn:aws:sts::222222222222:assumed-role/StageRole/test".into(),
            account: Some("222222222222".into()),
            role_arn: Some("arn:aws:iam::222222222222:role/StageRole".into()),
            unique_id: Some("AROAEXAMPLEEXAMPLE01".into()),
            ..Default::default()
        },
        has_boundary: false,
    }
}

fn context() -> RequestContext {
    let mut c = RequestContext::new();
    c.set("aws:PrincipalArn", "arn:aws:iam::222222222222:role/StageRole");
    c.set("aws:PrincipalAccount", "222222222222");
    c.set("aws:SecureTransport", true);
    c.set("aws:SourceIp", "203.0.113.7");
    c.set("aws:CurrentTime", "2026-01-15T12:00:00Z");
    c
}

fn example_request(c: &mut Criterion) {
    let doc: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
    let role = &doc["accounts"][1]["roles"][0];
    let identity = parse_policy(&role["policies"][0]["document"].to_string(), PolicyType::Identity).unwrap().policy;
    let bucket = parse_policy(&doc["accounts"][1]["buckets"][0]["policy"].to_string(), PolicyType::Resource).unwrap().policy;
    let caller = session_caller();
    let ctx = context();
    let policies = Policies {
        identity: vec![NamedPolicy { name: "StageRole/ReadTestBucket", policy: &identity, error: None }],
        resource: Some(NamedPolicy { name: "production-test-bucket-101/bucketPolicy", policy: &bucket, error: None }),
        ..Default::default()
    };
    let req = Request {
        caller: &caller,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::production-test-bucket-101/Sunset.jpg",
        resource_account: Some("222222222222"),
        context: &ctx,
    };
    c.bench_function("evaluate/example S3 GetObject with full trace", |b| {
        b.iter(|| evaluate(black_box(&req), black_box(&policies), &Options::default()))
    });

    let (s, _) = scenario::load(EXAMPLE).unwrap();
    c.bench_function("scenario/example run (3 steps, context, sessions)", |b| {
        b.iter(|| scenario::run(black_box(&s), RunOptions { now_epoch_seconds: 1_700_000_000, ..Default::default() }))
    });
    c.bench_function("scenario/example load (parse + validate)", |b| b.iter(|| scenario::load(black_box(EXAMPLE)).unwrap()));
}

fn max_size_policies(c: &mut Criterion) {
    let id_text = big_identity_policy(6144);
    let bp_text = big_bucket_policy(20 * 1024);
    let identity = parse_policy(&id_text, PolicyType::Identity).unwrap().policy;
    let bucket = parse_policy(&bp_text, PolicyType::Resource).unwrap().policy;
    let caller = session_caller();
    let mut ctx = context();
    ctx.set("aws:PrincipalTag/team", "nobody");
    let policies = Policies {
        identity: vec![NamedPolicy { name: "big-identity", policy: &identity, error: None }],
        resource: Some(NamedPolicy { name: "big-bucket", policy: &bucket, error: None }),
        ..Default::default()
    };
    let req = Request {
        caller: &caller,
        action: "s3:GetObject",
        resource: "arn:aws:s3:::production-test-bucket-101/team-7/x.jpg",
        resource_account: Some("222222222222"),
        context: &ctx,
    };
    let mut g = c.benchmark_group("max-size policies");
    g.bench_function(
        format!(
            "evaluate/6,144-char identity ({} statements) + 20 KB bucket policy ({} statements)",
            identity.statements.len(),
            bucket.statements.len()
        ),
        |b| b.iter(|| evaluate(black_box(&req), black_box(&policies), &Options::default())),
    );
    g.bench_function("parse/20 KB bucket policy", |b| b.iter(|| parse_policy(black_box(&bp_text), PolicyType::Resource).unwrap()));
    // Linting (parse + every check), without and with AWS's catalogue
    // (issue #12: under 1 ms each with it).
    let cat = Catalogue::from_bytes(CATALOGUE).unwrap();
    let with = LintOptions { vocabulary: Some(&cat), bucket: true, ..Default::default() };
    let without = LintOptions { bucket: true, ..Default::default() };
    for (name, text, t) in [("20 KB bucket policy", &bp_text, PolicyType::Resource), ("6,144-char identity policy", &id_text, PolicyType::Identity)] {
        let extra = lint_policy_with(text, t, &with).len() - lint_policy_with(text, t, &without).len();
        assert_eq!(extra, 0, "the catalogue finds something in the {name}");
        g.bench_function(format!("lint/{name}"), |b| b.iter(|| lint_policy_with(black_box(text), t, &without)));
        g.bench_function(format!("lint/{name} with the catalogue"), |b| b.iter(|| lint_policy_with(black_box(text), t, &with)));
    }
    // The checks of the parsed policies alone (no parsing).
    g.bench_function("lint/20 KB bucket policy (parsed)", |b| b.iter(|| lint_parsed(black_box(&bucket), &without)));
    g.bench_function("lint/6,144-char identity policy (parsed)", |b| b.iter(|| lint_parsed(black_box(&identity), &LintOptions::default())));
    g.finish();
}

fn wildcard(c: &mut Criterion) {
    let mut g = c.benchmark_group("wildcard adversarial `*a*a*…*b` vs `aaaa…`");
    for n in [100usize, 1_000, 10_000] {
        let pattern = format!("{}b", "*a".repeat(8));
        let text = "a".repeat(n);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::new("glob_match", n), &text, |b, t| b.iter(|| glob_match(black_box(&pattern), black_box(t))));
        let compiled = Pattern::glob(&pattern);
        g.bench_with_input(BenchmarkId::new("Pattern (variables)", n), &text, |b, t| b.iter(|| compiled.matches(black_box(t))));
    }
    g.finish();
    let mut g = c.benchmark_group("wildcard typical ARN `arn:aws:s3:::bucket/*/test/*`");
    for n in [100usize, 1_000, 10_000] {
        let text = format!("bucket/{}/test/x", "k".repeat(n));
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::new("glob_match", n), &text, |b, t| b.iter(|| glob_match(black_box("bucket/*/test/*"), black_box(t))));
    }
    g.finish();
}

criterion_group!(benches, example_request, max_size_policies, wildcard);
criterion_main!(benches);
