//! Reading the AWS service catalogue (issue #12 asks for under 30 ms in
//! the browser; this measures native code) and its lookups.
//!
//! `cargo bench -p trustwalk-core --bench catalogue`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::{big_bucket_policy, big_identity_policy};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::Vocabulary;
use trustwalk_core::{parse_policy, PolicyType};

const FILE: &[u8] = include_bytes!("../data/catalogue.json");

fn catalogue(c: &mut Criterion) {
    let mut group = c.benchmark_group("catalogue");
    group.throughput(Throughput::Bytes(FILE.len() as u64));
    group.bench_function("from_bytes", |b| b.iter(|| Catalogue::from_bytes(black_box(FILE)).unwrap()));
    // Reading, then decoding every service (what reading did before services
    // were decoded on first use; the CLI's embedded catalogue does this).
    group.bench_function("from_bytes + verify", |b| {
        b.iter(|| {
            let c = Catalogue::from_bytes(black_box(FILE)).unwrap();
            c.verify().unwrap();
            c
        })
    });
    // For scale: the JSON parse alone, into serde_json's tree.
    group.bench_function("serde_json::Value", |b| b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(FILE)).unwrap()));
    group.finish();

    let cat = Catalogue::from_bytes(FILE).unwrap();
    c.bench_function("catalogue/action", |b| b.iter(|| cat.action(black_box("s3:GetObject")).is_some()));
    c.bench_function("catalogue/matching_actions s3:Get*", |b| b.iter(|| cat.matching_actions(black_box("s3:Get*")).len()));
    c.bench_function("catalogue/suggest_action", |b| b.iter(|| cat.suggest_action(black_box("s3:GetObjects")).len()));
    c.bench_function("catalogue/condition_key template", |b| b.iter(|| cat.condition_key(black_box("aws:RequestTag/Project")).is_some()));
    c.bench_function("catalogue/resource_types_matching", |b| {
        b.iter(|| cat.resource_types_matching(black_box("s3:GetObject"), black_box("arn:aws:s3:::bkt/*")).len())
    });
}

/// The catalogue's share of linting: its checks alone, on parsed policies
/// (`lint/… with the catalogue` minus `lint/…` in `benches/eval.rs`).
fn vocabulary(c: &mut Criterion) {
    let cat = Catalogue::from_bytes(FILE).unwrap();
    let bucket = parse_policy(&big_bucket_policy(20 * 1024), PolicyType::Resource).unwrap().policy;
    let identity = parse_policy(&big_identity_policy(6144), PolicyType::Identity).unwrap().policy;
    for (name, policy) in [("20 KB bucket policy", &bucket), ("6,144-char identity policy", &identity)] {
        c.bench_function(&format!("catalogue/vocabulary checks of the {name}"), |b| {
            b.iter(|| {
                let mut out = Vec::new();
                cat.check_policy(black_box(policy), &mut out);
                out
            })
        });
    }
}

criterion_group!(benches, catalogue, vocabulary);
criterion_main!(benches);
