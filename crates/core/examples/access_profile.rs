//! Profiling aid: builds the access map (and optionally the diff) of the
//! benchmark's generated organisation once. `cargo run --release -p
//! trustwalk-core --example access_profile -- 100 [diff]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::review::access::{access_map, AccessOptions};
use trustwalk_core::review::diff::{diff, DiffOptions};
use trustwalk_core::scenario;

#[path = "../benches/common/organisation.rs"]
mod organisation;

use organisation::organisation;

const CATALOGUE: &[u8] = include_bytes!("../data/catalogue.json");

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let cat = Catalogue::from_bytes(CATALOGUE).unwrap();
    let (s, _) = scenario::load_with_limit(&organisation(n, 50, false), usize::MAX).unwrap();
    let t = std::time::Instant::now();
    if args.get(2).is_some_and(|a| a == "diff") {
        let (new, _) = scenario::load_with_limit(&organisation(n, 50, true), usize::MAX).unwrap();
        let d = diff(&s, &new, &cat, &DiffOptions::default());
        eprintln!("diff: {} access changes in {:?}", d.access.len(), t.elapsed());
    } else if args.get(2).is_some_and(|a| a == "diffn") {
        let m: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(n);
        let (new, _) = scenario::load_with_limit(&organisation(m, 50, true), usize::MAX).unwrap();
        let d = diff(&s, &new, &cat, &DiffOptions::default());
        for c in &d.access {
            println!("{c:?}");
        }
        println!("new access {}", d.new_access);
        for p in &d.paths {
            eprintln!("{p:?}");
        }
    } else if args.get(2).is_some_and(|a| a == "json") {
        let m = access_map(&s, &cat, &AccessOptions::default());
        let built = t.elapsed();
        let text = serde_json::to_string(&m).unwrap();
        eprintln!("map in {built:?}, map and its JSON ({} bytes) in {:?}", text.len(), t.elapsed());
    } else if args.get(2).is_some_and(|a| a == "dump") {
        let all = args.get(3).is_some_and(|a| a == "all");
        let m = access_map(&s, &cat, &AccessOptions { all, ..Default::default() });
        for c in m.cells() {
            println!("{c:?}");
        }
        eprintln!("{} evaluations", m.evaluations);
    } else {
        let m = access_map(&s, &cat, &AccessOptions::default());
        eprintln!("{} cells, {} evaluations in {:?}", m.len(), m.evaluations, t.elapsed());
    }
}
