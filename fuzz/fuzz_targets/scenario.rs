//! Any text as a scenario document: loading and running must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustwalk_core::scenario::{self, RunOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((s, _)) = scenario::load(text) {
        let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() });
        let _ = r.expectations_met();
    }
});
