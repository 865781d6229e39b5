//! Criterion benchmarks of the access map and the diff on generated
//! two-account organisations: N principals (three quarters users in
//! groups, one quarter roles in the other account, some chained, some
//! behind MFA) and 50 buckets with bucket policies. Target: 100 principals
//! × 50 buckets in under 1 s.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::review::access::{access_map, AccessOptions};
use trustwalk_core::review::diff::{diff, DiffOptions};
use trustwalk_core::scenario;

#[path = "common/organisation.rs"]
mod organisation;

use organisation::organisation;

const CATALOGUE: &[u8] = include_bytes!("../data/catalogue.json");

fn bench(c: &mut Criterion) {
    let cat = Catalogue::from_bytes(CATALOGUE).unwrap();
    let mut g = c.benchmark_group("access");
    g.sample_size(10);
    for n in [10, 50, 100] {
        let (s, _) = scenario::load_with_limit(&organisation(n, 50, false), usize::MAX).unwrap();
        let m = access_map(&s, &cat, &AccessOptions::default());
        eprintln!("{n} principals × 50 buckets: {} cells, {} evaluations, {} resources", m.len(), m.evaluations, m.resources);
        g.bench_with_input(BenchmarkId::new("map", n), &s, |b, s| b.iter(|| black_box(access_map(s, &cat, &AccessOptions::default()).len())));
    }
    let (old, _) = scenario::load_with_limit(&organisation(100, 50, false), usize::MAX).unwrap();
    let (new, _) = scenario::load_with_limit(&organisation(100, 50, true), usize::MAX).unwrap();
    let d = diff(&old, &new, &cat, &DiffOptions::default());
    eprintln!("diff 100 × 50: {} access changes, {} step changes, new access {}", d.access.len(), d.steps.len(), d.new_access);
    g.bench_function("diff/100", |b| b.iter(|| black_box(diff(&old, &new, &cat, &DiffOptions::default()).access.len())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
