//! Any text as a scenario document: loading and running must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustwalk_core::scenario::{self, RunOptions};

fuzz_target!(|data: &[u8]| {
    // Bytes as the CLI reads them: invalid UTF-8 is a located error.
    let Ok(text) = trustwalk_core::json::utf8(data) else { return };
    if let Ok((s, _)) = scenario::load(text) {
        let r = scenario::run(&s, RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() });
        let _ = r.expectations_met();
    }
});
