//! Trustwalk's web playground: the Yew app over the UI-free
//! `trustwalk-playground` crate. This layer only maps events to actions
//! and state to HTML.

mod accounts;
mod app;
mod commands;
mod committed;
mod course;
mod editor;
mod embed;
mod explain;
mod flowchart;
mod review;
mod services;
mod state;
mod steps;
mod tighten;
mod toolbar;
mod worker_client;

/// A `class` attribute from parts; empty parts are left out.
pub fn cls(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

fn main() {
    // Any panic becomes a visible message (and a console error), never a
    // silently dead page. (Through Yew, which would otherwise replace the
    // hook with its own when it starts rendering.)
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
            (Some(s), _) => (*s).to_string(),
            (_, Some(s)) => s.clone(),
            _ => "unexpected error".to_string(),
        };
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        services::show_panic_banner(&format!("{message}{place}"));
    }));
    // The editable playground never runs inside another site's page (a
    // meta tag cannot forbid framing): there, only the read-only embedded
    // view does.
    let embed = trustwalk_playground::share::parse_fragment(&services::location_hash()).1;
    if services::framed_by_other_origin() && !embed {
        yew::Renderer::<app::FramedRefusal>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}

/// For the browser tests only: panics on purpose, so that they can check
/// that a panic shows the banner instead of leaving a dead page. Reachable
/// from the console as `wasmBindings.trustwalkTestPanic()`; nothing in the
/// app calls it.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = trustwalkTestPanic)]
#[expect(clippy::panic, reason = "a deliberate panic, for the browser test of the panic banner")]
pub fn trustwalk_test_panic() {
    panic!("a test of the panic banner");
}
