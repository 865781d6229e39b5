//! The cost of drawing a step's policy-evaluation flowchart (issue #16):
//! reading the trace into rows, the SVG, its text alternative and the
//! report's Mermaid, per step of the built-in examples (an allowed, an
//! implicit-deny and an explicit-deny step). The browser's share (parsing
//! and laying out the SVG) is timed by scripts/bench-web.mjs.
//!
//! `cargo bench -p trustwalk-playground --bench flowchart`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_playground::flowchart::Flowchart;
use trustwalk_playground::{Workspace, EXAMPLES};

const NOW: i64 = 1_768_478_400;

fn steps(name: &str) -> Vec<StepResult> {
    let text = EXAMPLES.iter().find(|(n, _)| *n == name).unwrap().1;
    Workspace::from_text(text).unwrap().evaluate(NOW).result.unwrap().steps
}

fn bench(c: &mut Criterion) {
    let example = steps("staging-reads-production");
    let deny = steps("explicit-deny-wins").into_iter().find(|s| s.decision == Outcome::ExplicitDeny).unwrap();
    for (name, step) in [("allowed", &example[0]), ("implicit-deny", &example[2]), ("explicit-deny", &deny)] {
        c.bench_function(&format!("flowchart svg + text/{name}"), |b| {
            b.iter(|| {
                let f = Flowchart::of(black_box(step)).unwrap();
                (f.svg(), f.text_alternative())
            })
        });
        c.bench_function(&format!("flowchart mermaid/{name}"), |b| b.iter(|| Flowchart::of(black_box(step)).unwrap().mermaid()));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
