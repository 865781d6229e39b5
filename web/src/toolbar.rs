//! The header's tools — examples, saved scenarios, import, export, share,
//! embed, theme, help — and their dialogs.

use serde_json::Value;
use trustwalk_playground::share::{self, View};
use trustwalk_playground::workspace::Opened;
use trustwalk_playground::{report, session, Workspace, EXAMPLES};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::services;
use crate::state::{Action, CourseAction, ImportFrom, Modal, State};

/// The first error of a document that could not be read, with its line
/// and column when known, its code and its help.
pub fn import_error(diags: &[trustwalk_core::Diagnostic]) -> String {
    match diags.first() {
        Some(d) => trustwalk_playground::problem::one_line(d),
        None => "the document could not be read".into(),
    }
}

/// A file-name stem for the scenario: `staging-admin-reads-a-production`.
fn slug(ws: &Workspace) -> String {
    let name = session::scenario_name(ws).to_ascii_lowercase();
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let s = out.trim_matches('-');
    if s.is_empty() {
        "scenario".into()
    } else {
        s.chars().take(40).collect::<String>().trim_end_matches('-').to_string()
    }
}

/// Closes the `<details>` menu an event came from.
fn close_menu(e: &MouseEvent) {
    if let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
        if let Ok(Some(d)) = el.closest("details.menu") {
            let _ = d.remove_attribute("open");
        }
    }
}

/// The link to the workspace in `view` (compressed by the browser, hence
/// asynchronous).
pub async fn share_url(ws: &Workspace, view: View) -> Result<String, String> {
    let deflated = services::deflate_raw(&share::payload(ws, view)).await?;
    Ok(format!("{}{}", services::base_url(), share::fragment_from(&deflated, view)))
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub state: UseReducerHandle<State>,
    pub dark: bool,
    pub on_theme: Callback<()>,
}

#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let state = &p.state;
    let dispatch = state.dispatcher();
    let on_example = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let Ok(i) = s.value().parse::<usize>() else { return };
            s.set_value("");
            if let Some((name, text)) = EXAMPLES.get(i) {
                match Workspace::from_text(text) {
                    Ok(w) => d.dispatch(Action::Load { workspace: Box::new(w), message: None }),
                    Err(e) => d.dispatch(Action::Notify { error: true, text: format!("the example {name} could not be read: {}", import_error(&e)) }),
                }
            }
        })
    };
    let on_switch = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::SwitchSaved(s.value()));
        })
    };
    let open = |m: Modal| {
        let d = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            close_menu(&e);
            d.dispatch(Action::Open(m.clone()));
        })
    };
    let on_file = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let name = file.name();
            let d = d.clone();
            services::read_file(file, move |r| match r.map(|text| (Workspace::open_local(&text).map_err(|e| import_error(&e)), text)) {
                Ok((Ok(Opened::Scenario(w)), _)) => d.dispatch(Action::Load { workspace: Box::new(w), message: Some(format!("Opened {name}.")) }),
                // An AWS export: imported in the worker.
                Ok((Ok(Opened::Export), text)) => d.dispatch(Action::ImportExport { text, from: ImportFrom::File(name.clone()) }),
                Ok((Err(e), _)) => d.dispatch(Action::Notify { error: true, text: format!("{name} could not be opened: {e}") }),
                Err(e) => d.dispatch(Action::Notify { error: true, text: e }),
            });
        })
    };
    let export = |what: &'static str| {
        let state = state.clone();
        Callback::from(move |e: MouseEvent| {
            close_menu(&e);
            let ws = &state.ws;
            let stem = slug(ws);
            let outcome = match what {
                "scenario" => services::download(&format!("{stem}.scenario.json"), "application/json", &ws.to_text()),
                _ => match (&state.result, state.stale) {
                    (Some(r), false) if what == "result" => services::download(
                        &format!("{stem}.result.json"),
                        "application/json",
                        &serde_json::to_string_pretty(&**r).unwrap_or_default(),
                    ),
                    (Some(r), false) => services::download(&format!("{stem}.report.md"), "text/markdown", &report::markdown_of(ws, r)),
                    _ => Err("there is no up-to-date result to export: fix the problems listed first".into()),
                },
            };
            if let Err(text) = outcome {
                state.dispatch(Action::Notify { error: true, text });
            }
        })
    };
    let on_share = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let (ws, d) = (state.ws.clone(), state.dispatcher());
            wasm_bindgen_futures::spawn_local(async move {
                match share_url(&ws, View::Playground).await {
                    Ok(url) => {
                        d.dispatch(Action::Open(Modal::Share { url: url.clone(), copied: None }));
                        services::copy_text(&url.clone(), move |ok| d.dispatch(Action::Open(Modal::Share { url, copied: Some(ok) })));
                    }
                    Err(text) => d.dispatch(Action::Notify { error: true, text }),
                }
            });
        })
    };
    let on_embed = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Open(Modal::Embed)))
    };
    let on_course = {
        let d = dispatch.clone();
        let action = match state.course {
            Some(_) => CourseAction::Close,
            None => CourseAction::Open(state.course_progress.lesson_to_open()),
        };
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Course(action.clone())))
    };
    let on_theme = {
        let cb = p.on_theme.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    // The examples' titles, read once.
    let example_titles = use_memo((), |_| {
        EXAMPLES
            .iter()
            .map(|(name, text)| {
                trustwalk_playground::parse_value(text)
                    .ok()
                    .and_then(|v| v.get("title").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_else(|| name.to_string())
            })
            .collect::<Vec<String>>()
    });
    let names = state.saved.as_ref().map(|s| s.names()).unwrap_or_default();
    let current = state.saved.as_ref().map(|s| s.current.clone()).unwrap_or_default();
    html! {
        <nav class="toolbar" aria-label="Scenario tools">
            <select aria-label="Load an example" onchange={on_example} data-testid="examples">
                <option value="" selected=true>{ "Examples…" }</option>
                { for example_titles.iter().enumerate().map(|(i, title)| html! { <option value={i.to_string()}>{ title.clone() }</option> }) }
            </select>
            <span class="group">
                <select aria-label="Saved scenario" onchange={on_switch} data-testid="saved-select" title="Scenarios saved in this browser">
                    { for names.iter().map(|n| html! { <option value={n.clone()} selected={*n == current}>{ n.clone() }</option> }) }
                </select>
                <button type="button" onclick={open(Modal::Saved { name: String::new(), error: None })} data-testid="saved-menu">{ "Save as…" }</button>
            </span>
            <span class="group">
                <input type="file" id="import-file" class="visually-hidden" accept=".json,application/json" onchange={on_file} data-testid="import-file" />
                <label for="import-file" class="button" data-testid="import-button">{ "Open file…" }</label>
                <button type="button" onclick={open(Modal::Paste { text: String::new(), error: None })} data-testid="paste-button">{ "Paste…" }</button>
                <details class="menu">
                    <summary class="button" data-testid="export-menu">{ "Export" }</summary>
                    <div class="menu-items" role="group" aria-label="Export">
                        <button type="button" onclick={export("scenario")} data-testid="export-scenario">{ "Scenario (.json)" }</button>
                        <button type="button" onclick={export("result")} data-testid="export-result">{ "Result (.json)" }</button>
                        <button type="button" onclick={export("report")} data-testid="export-report">{ "Report (Markdown)" }</button>
                    </div>
                </details>
            </span>
            <span class="group">
                <button type="button" class="primary" onclick={on_share} data-testid="share-button">{ "Share" }</button>
                <button type="button" onclick={on_embed} data-testid="embed-button">{ "Embed" }</button>
            </span>
            <span class="group">
                <button type="button" onclick={open(Modal::Access)} data-testid="access-button"
                    title="Who can do what: every principal's access to every resource">{ "Access map" }</button>
                <button type="button" onclick={open(Modal::Compare)} data-testid="compare-button"
                    title="What this scenario grants or denies that another version did not">{ "Compare with…" }</button>
            </span>
            <span class="group">
                <button type="button" onclick={on_course} aria-pressed={if state.course.is_some() { "true" } else { "false" }} data-testid="course-button"
                    title="A short course through the examples, with tasks the playground checks">{ "Course" }</button>
            </span>
            <span class="group">
                <button type="button" onclick={on_theme} aria-pressed={if p.dark { "true" } else { "false" }} data-testid="theme-toggle"
                    aria-label="Dark theme" title="Switch between light and dark">{ if p.dark { "☾ Dark" } else { "☀ Light" } }</button>
                <button type="button" onclick={open(Modal::Help)} aria-label="Help and keyboard shortcuts" aria-keyshortcuts="?" data-testid="help-button">{ "?" }</button>
            </span>
        </nav>
    }
}

/// The open dialog.
pub fn modal(state: &UseReducerHandle<State>) -> Html {
    let Some(m) = &state.modal else { return Html::default() };
    let dispatch = state.dispatcher();
    let close = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::CloseModal))
    };
    let (title, body) = match m {
        Modal::Help => ("Help", help()),
        Modal::Share { url, copied } => (
            "Share this scenario",
            html! {
                <>
                    <p>{ "The link holds the whole scenario, the selected step and the view, compressed in its fragment (the part after #), which browsers never send to any server." }</p>
                    <label class="field">
                        <span>{ format!("Link ({} characters)", url.len()) }</span>
                        <input type="text" readonly=true value={url.clone()} data-testid="share-url" onfocus={select_all()} autofocus=true />
                    </label>
                    <p role="status" data-testid="copy-status">{ match copied {
                        Some(true) => "Copied to the clipboard.",
                        Some(false) => "The browser did not allow copying: select the link above and copy it (Ctrl+C or ⌘C).",
                        None => "Copying…",
                    } }</p>
                </>
            },
        ),
        Modal::Embed => ("Embed in documentation", html! { <crate::embed::EmbedDialog ws={state.ws.clone()} /> }),
        Modal::Tighten(view) => ("Tighten policy", crate::tighten::body(view, &dispatch)),
        Modal::Access => ("Access map: who can do what", crate::review::access_body(state, &dispatch)),
        Modal::Compare => ("Compare with another version", crate::review::compare_body(state, &dispatch)),
        Modal::Paste { text, error } => {
            let oninput = {
                let d = dispatch.clone();
                Callback::from(move |e: InputEvent| {
                    let t: HtmlTextAreaElement = e.target_unchecked_into();
                    d.dispatch(Action::Open(Modal::Paste { text: t.value(), error: None }));
                })
            };
            let load = {
                let (d, text) = (dispatch.clone(), text.clone());
                Callback::from(move |_: MouseEvent| match Workspace::open_local(&text) {
                    Ok(Opened::Scenario(w)) => {
                        d.dispatch(Action::CloseModal);
                        d.dispatch(Action::Load { workspace: Box::new(w), message: Some("Loaded the pasted scenario.".into()) });
                    }
                    // An AWS export: imported in the worker, the dialog closed then.
                    Ok(Opened::Export) => d.dispatch(Action::ImportExport { text: text.clone(), from: ImportFrom::Paste }),
                    Err(e) => d.dispatch(Action::Open(Modal::Paste { text: text.clone(), error: Some(import_error(&e)) })),
                })
            };
            (
                "Paste a scenario",
                html! {
                    <>
                        <label class="field">
                            <span>{ "Scenario document (JSON, format trustwalk/scenario@1)" }</span>
                            <textarea rows="14" class="mono" value={text.clone()} {oninput} data-testid="paste-text" spellcheck="false" autofocus=true />
                        </label>
                        if let Some(e) = error { <p class="error" role="alert" data-testid="paste-error">{ e.clone() }</p> }
                        <div class="row end">
                            <button type="button" class="primary" onclick={load} data-testid="paste-load">{ "Load" }</button>
                        </div>
                    </>
                },
            )
        }
        Modal::Saved { name, error } => {
            let saved = state.saved.clone().unwrap_or_else(|| trustwalk_playground::storage::SavedWork::new("", &state.ws));
            let oninput = {
                let d = dispatch.clone();
                Callback::from(move |e: InputEvent| {
                    let t: HtmlInputElement = e.target_unchecked_into();
                    d.dispatch(Action::Open(Modal::Saved { name: t.value(), error: None }));
                })
            };
            let save = {
                let (d, name) = (dispatch.clone(), name.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    d.dispatch(Action::SaveAs(name.clone()));
                })
            };
            (
                "Saved scenarios",
                html! {
                    <>
                        <p>{ "Scenarios are kept in this browser only (local storage), saved as you type." }</p>
                        <form class="row" onsubmit={save}>
                            <input type="text" aria-label="Name for a copy of this scenario" placeholder={session::scenario_name(&state.ws)}
                                value={name.clone()} {oninput} data-testid="save-as-name" autofocus=true />
                            <button type="submit" class="primary" data-testid="save-as">{ "Save a copy as…" }</button>
                        </form>
                        if let Some(e) = error { <p class="error" role="alert">{ e.clone() }</p> }
                        <ul class="saved-list" data-testid="saved-list">
                            { for saved.names().into_iter().map(|n| {
                                let is_current = n == saved.current;
                                let (d1, d2, n1, n2) = (dispatch.clone(), dispatch.clone(), n.clone(), n.clone());
                                html! {
                                    <li>
                                        <span class="name">{ n.clone() }</span>
                                        if is_current {
                                            <span class="tag">{ "open" }</span>
                                        } else {
                                            <button type="button" class="small" onclick={Callback::from(move |_: MouseEvent| { d1.dispatch(Action::SwitchSaved(n1.clone())); d1.dispatch(Action::CloseModal); })}
                                                aria-label={format!("Open {n}")}>{ "Open" }</button>
                                            <button type="button" class="small danger" onclick={Callback::from(move |_: MouseEvent| d2.dispatch(Action::DeleteSaved(n2.clone())))}
                                                aria-label={format!("Delete {n}")} data-testid="delete-saved">{ "Delete" }</button>
                                        }
                                    </li>
                                }
                            }) }
                        </ul>
                        { set_aside_section(&dispatch) }
                    </>
                },
            )
        }
    };
    html! { <Dialog title={title} body={body} on_close={close} /> }
}

#[derive(Properties, PartialEq)]
struct DialogProps {
    title: AttrValue,
    body: Html,
    on_close: Callback<MouseEvent>,
}

/// The controls of `dialog` the keyboard can reach, in order.
fn focusable(dialog: &Element) -> Vec<web_sys::HtmlElement> {
    let selector =
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";
    let Ok(list) = dialog.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok()).collect()
}

/// A modal dialog: Tab and Shift+Tab stay inside it while it is open, and
/// the focus goes back to where it was when it closes.
#[function_component(Dialog)]
fn dialog(p: &DialogProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let document = web_sys::window().and_then(|w| w.document());
            let before = document.as_ref().and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            // Into the dialog, unless a control there already took the focus.
            if let Some(dialog) = node.cast::<Element>() {
                let inside = document.as_ref().and_then(|d| d.active_element()).is_some_and(|a| dialog.contains(Some(&a)));
                if !inside {
                    if let Some(first) = focusable(&dialog).into_iter().next() {
                        let _ = first.focus();
                    }
                }
            }
            move || {
                if let Some(el) = before {
                    let _ = el.focus();
                }
            }
        });
    }
    let onkeydown = {
        let node = node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(dialog) = node.cast::<Element>() else { return };
            let all = focusable(&dialog);
            let (Some(first), Some(last)) = (all.first(), all.last()) else { return };
            let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
            let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<Element>());
            let outside = active.as_ref().is_none_or(|a| !dialog.contains(Some(a)));
            if e.shift_key() && (at(first) || outside) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && (at(last) || outside) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    html! {
        <div class="backdrop" onclick={p.on_close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" onclick={stop} {onkeydown} ref={node} data-testid="dialog">
                <div class="panel-head">
                    <h2 id="dialog-title">{ p.title.clone() }</h2>
                    <button type="button" class="small" onclick={p.on_close.clone()} aria-label="Close" data-testid="dialog-close">{ "Close" }</button>
                </div>
                { p.body.clone() }
            </div>
        </div>
    }
}

/// Saved data that could not be read, kept under keys of its own: each
/// copy can be downloaded or deleted.
fn set_aside_section(dispatch: &UseReducerDispatcher<State>) -> Html {
    let copies = services::set_aside_copies();
    if copies.is_empty() {
        return Html::default();
    }
    html! {
        <section class="set-aside" data-testid="set-aside">
            <h3>{ format!("Set aside ({})", copies.len()) }</h3>
            <p>{ "Saved data this browser held that could not be read. Nothing was thrown away: download a copy to repair it by hand, or delete it." }</p>
            <ul class="saved-list">
                { for copies.into_iter().map(|(key, copy)| {
                    let label = match &copy.name {
                        Some(n) => format!("{} — “{n}”", copy.at),
                        None => copy.at.clone(),
                    };
                    let download = {
                        let (d, copy) = (dispatch.clone(), copy.clone());
                        Callback::from(move |_: MouseEvent| {
                            if let Err(e) = services::download(&copy.file_name(), "application/json", &copy.text) {
                                d.dispatch(Action::Notify { error: true, text: e });
                            }
                        })
                    };
                    let delete = {
                        let d = dispatch.clone();
                        Callback::from(move |_: MouseEvent| {
                            services::remove(&key);
                            d.dispatch(Action::SetAsideChanged);
                        })
                    };
                    html! {
                        <li data-testid="set-aside-copy">
                            <span class="name" title={copy.reason.clone()}>{ label.clone() }</span>
                            <button type="button" class="small" onclick={download} aria-label={format!("Download the copy set aside at {label}")} data-testid="download-set-aside">{ "Download" }</button>
                            <button type="button" class="small danger" onclick={delete} aria-label={format!("Delete the copy set aside at {label}")} data-testid="delete-set-aside">{ "Delete" }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

fn select_all() -> Callback<FocusEvent> {
    Callback::from(|e: FocusEvent| {
        if let Some(t) = e.target() {
            if let Ok(i) = t.clone().dyn_into::<HtmlInputElement>() {
                i.select();
            } else if let Ok(t) = t.dyn_into::<HtmlTextAreaElement>() {
                t.select();
            }
        }
    })
}

/// The help dialog's text: static markup, kept as one string (drawing it
/// with `html!` would add its element-building code to the app).
const HELP: &str = concat!(
    r#"<div data-testid="help">"#,
    "<p>Trustwalk simulates requests across AWS accounts — AssumeRole, then S3 calls with the session — and shows which statement of which policy decided each one. Everything runs in this page: nothing you paste is sent anywhere.</p>",
    "<ul>",
    "<li>Edit any policy: the steps are evaluated again as you type.</li>",
    "<li>Select a step to see why it was allowed or denied; click a statement to find it in its editor.</li>",
    "<li>Deciding statements are highlighted in green (Allow) or red (Deny); the nearest miss of a denial in amber.</li>",
    "</ul>",
    "<h3>Keyboard shortcuts</h3>",
    r#"<p class="muted">When the focus is not in a text field:</p>"#,
    r#"<table class="keys"><tbody>"#,
    "<tr><td><kbd>j</kbd> or <kbd>Alt</kbd>+<kbd>↓</kbd></td><td>next step</td></tr>",
    "<tr><td><kbd>k</kbd> or <kbd>Alt</kbd>+<kbd>↑</kbd></td><td>previous step</td></tr>",
    "<tr><td><kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>↓</kbd> / <kbd>↑</kbd></td><td>move the selected step down / up</td></tr>",
    "<tr><td><kbd>Ctrl</kbd>+<kbd>Z</kbd></td><td>undo the last change to the document (a removed step comes back)</td></tr>",
    "<tr><td><kbd>?</kbd></td><td>this help</td></tr>",
    "<tr><td><kbd>Esc</kbd></td><td>close a dialog (also in text fields)</td></tr>",
    "</tbody></table></div>",
);

fn help() -> Html {
    Html::from_html_unchecked(AttrValue::Static(HELP))
}
