//! Trustwalk's web playground: the Yew app over the UI-free
//! `trustwalk-playground` crate. This layer only maps events to actions
//! and state to HTML.

mod accounts;
mod app;
mod editor;
mod explain;
mod services;
mod state;
mod steps;
mod toolbar;

fn main() {
    // Any panic becomes a visible message (and a console error), never a
    // silently dead page.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
            (Some(s), _) => (*s).to_string(),
            (_, Some(s)) => s.clone(),
            _ => "unexpected error".to_string(),
        };
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        services::show_panic_banner(&format!("{message}{place}"));
    }));
    yew::Renderer::<app::App>::new().render();
}
