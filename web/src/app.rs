//! The page: header and tools, the accounts side by side, and beside them
//! the steps, the problems and the explanation; or, in the embedded view,
//! a compact read-mostly version. Also the page-wide behaviour: keyboard
//! shortcuts, saving as you type, links opened in a running tab, theme.

use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use serde_json::Value;
use trustwalk_core::json::Span;
use trustwalk_playground::course::{Progress, PROGRESS_KEY};
use trustwalk_playground::explain::decisive_marks;
use trustwalk_playground::layout::{account_cards, editor_label};
use trustwalk_playground::share::{self, View};
use trustwalk_playground::storage::STORAGE_KEY;
use trustwalk_playground::worker::ShownFinding;
use trustwalk_playground::{problem, session, Evaluated, Keyed, PolicySlot, Ptr, Workspace};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::accounts::{Accounts, EditorData};
use crate::editor::{AssistCell, EditorProblem};
use crate::explain::{inline_code, Explanation};
use crate::services;
use crate::state::{Action, CatalogueState, Checks, State};
use crate::steps::{step_form, step_list};
use crate::toolbar::{modal, share_url, Toolbar};
use crate::worker_client;

/// A row of the problems list.
struct Problem {
    /// `error`, `securityWarning`, `warning` or `suggestion` (its class).
    severity: &'static str,
    place: String,
    text: String,
    focus: Option<(String, Span)>,
    /// The one obvious fix: in this editor (pointer, path), put this text
    /// in place of the value at this span.
    fix: Option<(Ptr, String, Span, String)>,
    /// A problem of a step's field: the step to select, the field to focus.
    step: Option<(usize, Option<String>)>,
}

/// The end of a diagnostic's range: at least one character, so that the
/// underline shows; a point (drawn as a mark of its own) at a line's end.
fn visible_end(text: &str, start: usize, end: usize) -> usize {
    if end > start {
        return end;
    }
    match text.get(start..).and_then(|rest| rest.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => start + c.len_utf8(),
        _ => start,
    }
}

/// Whether a finding's place lies in an editor's current text: findings of
/// an earlier text (the checks run when the user pauses) whose place is past
/// its end wait for the next run.
fn in_text(f: &ShownFinding, text: &str) -> bool {
    f.span.is_none_or(|t| t.end <= text.len() && text.is_char_boundary(t.start) && text.is_char_boundary(t.end))
}

fn problems(eval: &Evaluated, checks: &Checks, slots: &[PolicySlot], doc: &serde_json::Value) -> (Keyed<Rc<Vec<EditorProblem>>>, Vec<Problem>) {
    // Each editor's diagnostics, found by hash (thousands of policies with a
    // warning each would otherwise compare every pair).
    let by = eval.by_editor(slots);
    let mut per_editor = Keyed::new();
    for (s, mine) in slots.iter().zip(&by.diagnostics) {
        let list: Vec<EditorProblem> = mine
            .iter()
            .filter_map(|&d| eval.diagnostics.get(d))
            .map(|d| {
                let text = problem::in_editor(d);
                EditorProblem {
                    message: text.clone(),
                    text,
                    range: d.text_location.map(|t| (t.start, visible_end(&s.text, t.start, t.end))),
                    line: d.text_location.map(|t| t.line),
                    severity: if d.is_error() { "error" } else { "warning" },
                    fixes: problem::quick_fixes(d.code.as_str(), None, None, &s.text),
                    from_checks: false,
                }
            })
            .collect();
        let mut list = list;
        // The policy checks' findings in this editor (placed in its text).
        list.extend(checks.findings.iter().filter(|f| f.embedded_in.as_deref() == Some(s.json_path.as_str()) && in_text(f, &s.text)).map(|f| {
            EditorProblem {
                message: f.text.clone(),
                text: f.text.clone(),
                range: f.span.map(|t| (t.start, visible_end(&s.text, t.start, t.end))),
                line: f.span.map(|t| t.line),
                severity: severity(&f.severity),
                fixes: problem::quick_fixes(&f.code, f.span, f.fix.as_deref(), &s.text),
                from_checks: true,
            }
        }));
        if !list.is_empty() {
            per_editor.insert(s.json_path.clone(), Rc::new(list));
        }
    }
    let rows = eval.diagnostics.iter().zip(&by.first_editor).map(|(d, first)| {
        let slot = first.and_then(|i| slots.get(i));
        // Outside the editors, in plain words ("Step 1's principal").
        let (place, step) = match slot {
            Some(s) => (editor_label(s), None),
            None => {
                let p = problem::place(d.path.as_str(), doc);
                (p.words, p.step)
            }
        };
        let focus = slot.zip(d.text_location).map(|(s, t)| (s.json_path.clone(), t));
        let text = problem::in_editor(d);
        Problem { severity: if d.is_error() { "error" } else { "warning" }, place, text, focus, fix: None, step }
    });
    let findings = checks.findings.iter().filter_map(|f| {
        let slot = f.embedded_in.as_ref().and_then(|p| slots.iter().find(|s| s.json_path == *p));
        if slot.is_some_and(|s| !in_text(f, &s.text)) {
            return None;
        }
        let place = slot.map_or_else(|| f.path.clone(), editor_label);
        let focus = slot.zip(f.span).map(|(s, t)| (s.json_path.clone(), t));
        let fix = slot.zip(f.span).zip(f.fix.clone()).map(|((s, span), text)| (s.ptr.clone(), s.json_path.clone(), span, text));
        Some(Problem { severity: severity(&f.severity), place, text: f.text.clone(), focus, fix, step: None })
    });
    (per_editor, rows.chain(findings).collect())
}

/// A finding's severity as its class (the worker sends it as text).
fn severity(s: &str) -> &'static str {
    match s {
        "error" => "error",
        "securityWarning" => "securityWarning",
        "warning" => "warning",
        _ => "suggestion",
    }
}

/// How long after the last key typed in an editor the explanation follows.
const EXPLAIN_AFTER_TYPING_MS: u32 = 120;

/// How long after the last change the policy checks run.
const LINT_DELAY_MS: u32 = 150;

/// The folder of AWS managed policies, one file each, beside the app.
const MANAGED_POLICIES_DIR: &str = "aws-managed-policies";

/// Which AWS catalogue the checks use, and its date.
fn catalogue_note(c: &CatalogueState) -> Html {
    let text = match c {
        CatalogueState::Loading => "Loading the AWS catalogue of actions…".to_string(),
        CatalogueState::Ready(c) => format!("AWS catalogue of {} ({} {}).", c.date, c.source_package, c.source_version),
        CatalogueState::Failed(e) => format!("The AWS catalogue of actions is not available ({e}): only the checks that need no catalogue run."),
        CatalogueState::ChecksUnavailable(e) => {
            format!("The policy checks are unavailable: their worker could not run ({e}). The verdicts do not need them and stay up to date.")
        }
    };
    html! { <span class="catalogue" data-testid="catalogue">{ text }</span> }
}

fn problems_panel(rows: &[Problem], dispatch: &UseReducerDispatcher<State>) -> Html {
    if rows.is_empty() {
        return Html::default();
    }
    let count = |sev: &str| rows.iter().filter(|r| r.severity == sev).count();
    let counts: Vec<String> = [("error", "error"), ("securityWarning", "security warning"), ("warning", "warning"), ("suggestion", "suggestion")]
        .iter()
        .filter_map(|(sev, label)| {
            let n = count(sev);
            (n > 0 || *sev == "error").then(|| format!("{n} {label}{}", if n == 1 { "" } else { "s" }))
        })
        .collect();
    html! {
        <section class={if count("error") > 0 { "panel problems has-errors" } else { "panel problems" }} aria-labelledby="problems-heading" data-testid="problems">
            <h2 id="problems-heading">{ format!("Problems ({})", counts.join(", ")) }</h2>
            <ul>
                { for rows.iter().map(|r| {
                    let body = html! { <><span class="place">{ r.place.clone() }</span>{ " — " }{ inline_code(&r.text) }</> };
                    html! {
                        <li class={r.severity} data-testid="problem" data-severity={r.severity}>
                            if let Some((ptr, path, span, text)) = r.fix.clone() {
                                <button type="button" class="fix" data-testid="fix" title="Put this in place of the value the problem is about"
                                    onclick={{
                                        let (d, text) = (dispatch.clone(), text.clone());
                                        Callback::from(move |_: MouseEvent| d.dispatch(Action::ApplyFix { ptr: ptr.clone(), path: path.clone(), span, text: text.clone() }))
                                    }}>{ "Use " }<code>{ text }</code></button>{ " " }
                            }
                            if let Some((path, span)) = r.focus.clone() {
                                <button type="button" class="link" onclick={{
                                    let d = dispatch.clone();
                                    Callback::from(move |_: MouseEvent| d.dispatch(Action::FocusEditor { path: path.clone(), span }))
                                }}>{ body }</button>
                            } else if let Some((step, field)) = r.step.clone() {
                                <button type="button" class="link" data-testid="problem-step" onclick={{
                                    let d = dispatch.clone();
                                    Callback::from(move |_: MouseEvent| {
                                        d.dispatch(Action::SelectStep(step));
                                        if let Some(f) = &field {
                                            focus_step_field(f);
                                        }
                                    })
                                }}>{ body }</button>
                            } else {
                                { body }
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// Moves the focus to the selected step in the list once it is on screen,
/// so that the focus follows `j`/`k` and the step moves.
fn focus_selected_step() {
    gloo_timers::callback::Timeout::new(0, || {
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[data-testid=\"step\"][aria-current=\"step\"]").ok().flatten());
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    })
    .forget();
}

/// Focuses the request form's input for a step's `field` once the
/// selected step is on screen (after this render).
fn focus_step_field(field: &str) {
    let testid = match field {
        "roleArn" => "role-arn",
        "sessionName" => "session-name",
        "externalId" => "external-id",
        other => other,
    }
    .to_string();
    gloo_timers::callback::Timeout::new(0, move || {
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&format!("[data-testid=\"step-form\"] [data-testid=\"{testid}\"]")).ok().flatten());
        if let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    })
    .forget();
}

fn notices(state: &State, dispatch: &UseReducerDispatcher<State>) -> Html {
    if state.notices.is_empty() {
        return Html::default();
    }
    html! {
        <div class="notices">
            { for state.notices.iter().map(|n| {
                let (d, id) = (dispatch.clone(), n.id);
                html! {
                    <div class={crate::cls(&["notice", if n.error { "error" } else { "" }])} role={if n.error { "alert" } else { "status" }} data-testid="notice">
                        <p>{ inline_code(&n.text) }</p>
                        <button type="button" class="small" aria-label="Dismiss" onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::Dismiss(id)))}>{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}

/// Whether a key press happened while typing in a text field.
fn in_text_field(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => {
            let kind = el.dyn_ref::<HtmlInputElement>().map(|i| i.type_()).unwrap_or_default();
            !matches!(kind.as_str(), "checkbox" | "radio" | "button" | "submit" | "reset" | "file")
        }
        _ => el.get_attribute("contenteditable").is_some_and(|v| v != "false"),
    }
}

/// What the editable playground shows inside another site's frame: a way
/// to open it in its own tab (the scenario of the link included).
#[function_component(FramedRefusal)]
pub fn framed_refusal() -> Html {
    let href = format!("{}{}", services::base_url(), services::location_hash());
    html! {
        <div class="app framed-refusal" data-testid="framed-refusal">
            <main class="panel">
                <h1>{ "Trustwalk" }</h1>
                <p>{ "The editable playground does not run inside another site's page, so that no other site can drive it or reach the work saved in this browser. Embed the read-only view instead (Embed in the playground gives the snippet)." }</p>
                <p><a class="button primary" href={href} target="_blank" rel="noopener">{ "Open Trustwalk in its own tab ↗" }</a></p>
            </main>
        </div>
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| {
        let hash = services::location_hash();
        let stored = services::load(STORAGE_KEY);
        let mut startup = session::startup(&hash, stored.as_deref(), services::now_seconds());
        // Whatever could not be read is kept under a key of its own before
        // the saved work is written again; if the browser refuses that,
        // this tab does not write over it.
        let mut blocked = None;
        for copy in &startup.set_aside {
            if let Err(e) = services::keep_set_aside(copy) {
                blocked = Some(format!(
                    "Saved data that could not be read could not be set aside either ({e}), so this tab does not save over it. Export your scenario to keep it."
                ));
                break;
            }
        }
        if blocked.is_none() && !startup.set_aside.is_empty() {
            if let Some(saved) = &mut startup.saved {
                if services::store(STORAGE_KEY, &saved.to_storage()).is_ok() {
                    saved.written();
                }
            }
        }
        let mut state = State::new(startup);
        if let Some(why) = blocked {
            state.block_saving(why);
        }
        state.course_progress = Rc::new(Progress::from_storage(services::load(PROGRESS_KEY).as_deref()));
        state
    });
    let dispatch = state.dispatcher();

    // Theme: "" follows the system; the toggle pins light or dark.
    // The embedded view follows its link's theme (`theme=`), never the
    // reader's choice in the playground.
    let theme = use_state(|| match state.embedded() {
        true => crate::embed::link_theme().to_string(),
        false => services::load(services::THEME_KEY).unwrap_or_default(),
    });
    use_effect_with((*theme).clone(), |t| services::apply_theme(t));
    let dark = *theme == "dark" || (theme.is_empty() && services::system_prefers_dark());
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |_| {
            let next = if dark { "light" } else { "dark" };
            let _ = services::store(services::THEME_KEY, next);
            theme.set(next.to_string());
        })
    };

    // Timing figures for scripts/bench-web.mjs.
    use_effect_with((), |_| services::mark("trustwalk:verdicts"));
    // A share link stays in the address bar (to bookmark or pass on) until
    // the document is changed; then it no longer says what is shown, and a
    // reload opens the saved, edited copy.
    {
        let (playground, opened) = (state.view == View::Playground, state.opened_version);
        use_effect_with(state.version, move |v| {
            if playground && *v > opened && !services::location_hash().is_empty() {
                services::clear_hash();
            }
        });
    }
    // The worker of the policy checks, once the first verdicts are on
    // screen (not in the embedded view, which shows no problems): it reads
    // AWS's catalogue, then answers each check.
    {
        let (d, embedded) = (dispatch.clone(), state.embedded());
        use_effect_with((), move |_| {
            if !embedded {
                worker_client::start(move |e| d.dispatch(Action::Worker(e)));
            }
        });
    }
    // The policy checks, 150 ms after the last change (and when the
    // catalogue or a managed policy arrives): verdicts follow every
    // keystroke at once, findings when the user pauses.
    let lint_timer = use_mut_ref(|| None::<Timeout>);
    {
        let (timer, d) = (lint_timer.clone(), dispatch.clone());
        use_effect_with(state.lint_wanted, move |_| {
            *timer.borrow_mut() = Some(Timeout::new(LINT_DELAY_MS, move || d.dispatch(Action::Lint)));
        });
    }
    // The AWS managed policies the document attaches, each fetched once
    // from the app's own folder of them (the loader reports the ones that
    // do not exist).
    {
        let missing = state.missing_managed_policies();
        let d = dispatch.clone();
        use_effect_with(missing, move |missing| {
            if !missing.is_empty() {
                d.dispatch(Action::Requested(missing.clone()));
                for arn in missing.iter().cloned() {
                    let Some(file) = trustwalk_core::scenario::aws_managed_policy_file(&arn) else { continue };
                    let d = d.clone();
                    services::fetch_own(format!("{MANAGED_POLICIES_DIR}/{file}"), move |r| {
                        let text = r.and_then(|b| String::from_utf8(b).map_err(|_| format!("the file of `{arn}` is not UTF-8")));
                        d.dispatch(Action::ManagedPolicy { arn, text });
                    });
                }
            }
        });
    }
    use_effect(services::after_render);
    // The course's panel, when opened or turned to another lesson, takes
    // the focus (its heading), so that the keyboard and screen readers
    // start there rather than after every editor of the page.
    use_effect_with(state.course, |course| {
        if course.is_some() {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("course-heading"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    });

    // While you type in an editor, the verdicts follow every key and the
    // explanation (every statement of every policy that took part, which
    // costs most of a render) follows 120 ms after the last key; any other
    // action shows it at once.
    // A copy of the state explained (a handle always reads the latest state).
    let explained = use_mut_ref(|| Rc::new((*state).clone()));
    let settled = use_state(|| 0u64);
    let pause = use_mut_ref(|| None::<Timeout>);
    let fresh = !state.typing || *settled == state.version;
    if fresh {
        *explained.borrow_mut() = Rc::new((*state).clone());
    }
    {
        let (settled, pause, typing, version) = (settled.clone(), pause.clone(), state.typing, state.version);
        use_effect_with(version, move |_| {
            *pause.borrow_mut() = typing.then(|| Timeout::new(EXPLAIN_AFTER_TYPING_MS, move || settled.set(version)));
        });
    }
    let shown_explanation = explained.borrow().clone();

    // Saving as you type (300 ms after the last change) and when the page
    // is hidden or closed; merging what other tabs save.
    let timer = use_mut_ref(|| None::<Timeout>);
    {
        let (timer, d) = (timer.clone(), dispatch.clone());
        use_effect_with(state.version, move |_| {
            let t = Timeout::new(300, move || d.dispatch(Action::Persist));
            *timer.borrow_mut() = Some(t);
        });
    }
    {
        let embedded = state.embedded();
        let dispatch = dispatch.clone();
        let theme = theme.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let document = window.as_ref().and_then(|w| w.document());
            let mut listeners = Vec::new();
            if let Some(w) = &window {
                let d = dispatch.clone();
                listeners.push(EventListener::new(w, "pagehide", move |_| d.dispatch(Action::Persist)));
                // Another tab saved: merge its scenarios into this tab's.
                let d = dispatch.clone();
                listeners.push(EventListener::new(w, "storage", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else { return };
                    if e.key().as_deref() == Some(STORAGE_KEY) {
                        if let Some(text) = e.new_value() {
                            d.dispatch(Action::StorageChanged(text));
                        }
                    }
                }));
                // A share link pasted into the address bar of this tab.
                let d = dispatch.clone();
                listeners.push(EventListener::new(w, "hashchange", move |_| {
                    let hash = services::location_hash();
                    // An embed whose link changed takes the new link's theme too.
                    if embedded {
                        theme.set(crate::embed::link_theme().to_string());
                    }
                    let (encoded, _) = share::parse_fragment(&hash);
                    let Some(encoded) = encoded else { return };
                    match share::decode(encoded) {
                        Ok((w, _)) => d.dispatch(Action::Load { workspace: Box::new(w), message: Some("Opened the shared scenario.".into()) }),
                        Err(e) => {
                            d.dispatch(Action::Notify { error: true, text: format!("This link could not be opened: {e}.") });
                            if !embedded {
                                services::clear_hash();
                            }
                        }
                    }
                }));
            }
            if let Some(doc) = &document {
                let d = dispatch.clone();
                let options = gloo_events::EventListenerOptions::enable_prevent_default();
                listeners.push(EventListener::new_with_options(doc, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if e.key() == "Escape" {
                        d.dispatch(Action::CloseModal);
                        return;
                    }
                    if in_text_field(e) {
                        return;
                    }
                    // Ctrl+Z (⌘Z) outside text fields: the last change to the
                    // document is undone (the editors undo their own typing).
                    if (e.ctrl_key() || e.meta_key()) && e.key().eq_ignore_ascii_case("z") && !e.shift_key() {
                        e.prevent_default();
                        d.dispatch(Action::Undo);
                        return;
                    }
                    if e.ctrl_key() || e.meta_key() {
                        return;
                    }
                    let action = match (e.key().as_str(), e.alt_key(), e.shift_key()) {
                        ("ArrowDown", true, true) => Action::MoveStep { up: false },
                        ("ArrowUp", true, true) => Action::MoveStep { up: true },
                        ("j", false, _) | ("ArrowDown", true, false) => Action::NextStep,
                        ("k", false, _) | ("ArrowUp", true, false) => Action::PreviousStep,
                        ("?", _, _) => Action::Open(crate::state::Modal::Help),
                        _ => return,
                    };
                    let moves = matches!(action, Action::NextStep | Action::PreviousStep | Action::MoveStep { .. });
                    e.prevent_default();
                    d.dispatch(action);
                    if moves {
                        focus_selected_step();
                    }
                }));
            }
            move || drop(listeners)
        });
    }

    // The embedded view's "open in playground" link, for the workspace as
    // shown (it changes with the selected step). Compressing is
    // asynchronous: the link is shown once it matches what is on screen.
    let open_link = use_state(|| None::<(Workspace, String)>);
    {
        let open_link = open_link.clone();
        use_effect_with(state.embedded().then(|| state.ws.clone()), move |ws| {
            if let Some(ws) = ws.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(url) = share_url(&ws, View::Playground).await {
                        open_link.set(Some((ws, url)));
                    }
                });
            }
        });
    }

    // Completion and hover read the latest state (one cell for all editors).
    let assist = use_memo((), |_| AssistCell::default());
    assist.0.borrow_mut().state = Some(state.clone());
    let cards = Rc::new(account_cards(&state.ws));
    let slots = state.ws.policy_slots();
    let (per_editor, problem_rows) = problems(&state.eval, &state.checks, &slots, &state.ws.doc);
    let marks = match (&state.result, state.stale) {
        (Some(r), false) => r.steps.get(state.ws.selected_step).map(|s| decisive_marks(s, &state.editors)).unwrap_or_default(),
        _ => Keyed::new(),
    };
    let data = Rc::new(EditorData {
        marks: marks.into_iter().map(|(k, v)| (k, Rc::new(v))).collect(),
        problems: per_editor,
        checks_current: state.checks_current(),
        focus: state.focus.clone(),
        messages: state.editor_messages.clone(),
        readonly: state.embedded(),
        assist: (*assist).clone(),
        scenario: state.scenario,
    });

    let title = state.ws.title().unwrap_or_default().to_string();
    let description = state.ws.doc.get("description").and_then(Value::as_str).unwrap_or_default().to_string();

    if state.embedded() {
        let open_url = open_link.as_ref().filter(|(ws, _)| *ws == state.ws).map(|(_, url)| AttrValue::from(url.clone()));
        let title = if title.is_empty() { "Trustwalk scenario".to_string() } else { title };
        return html! {
            <crate::embed::EmbedView state={state.clone()} {cards} {data} title={title} {open_url} notices={notices(&state, &dispatch)} />
        };
    }

    let on_title = {
        let d = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            // One line: a line break pasted in becomes a space.
            let v = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value().replace(['\r', '\n'], " ");
            d.dispatch(Action::SetValue { ptr: Ptr::root().key("title"), value: Some(Value::String(v)) });
        })
    };
    // The title wraps (a phone's width) but stays one line: no Enter.
    let title_keys = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
        }
    });
    html! {
        <div class="app" data-testid="playground">
            <header class="topbar">
                <div class="brand">
                    <h1>{ "Trustwalk" }</h1>
                    <p class="tagline">{ "AWS IAM policy playground — runs in your browser; nothing you paste leaves it" }</p>
                </div>
                <Toolbar state={state.clone()} {dark} {on_theme} />
            </header>
            { notices(&state, &dispatch) }
            <section class="scenario-head" aria-label="Scenario">
                <textarea class="title-input" rows="1" aria-label="Scenario title" value={title} oninput={on_title} onkeydown={title_keys}
                    data-testid="scenario-title" placeholder="Untitled scenario" spellcheck="false" />
                if !description.is_empty() {
                    <p class="description">{ inline_code(&description) }</p>
                }
            </section>
            <main class="workbench">
                <Accounts cards={cards} data={data.clone()} dispatch={dispatch.clone()} />
                <aside class="sidebar" aria-label="Steps and explanation" data-explained={fresh.to_string()}>
                    { crate::course::course_panel(&state, &dispatch) }
                    { step_list(&state, &dispatch) }
                    // The request of the selected step, right under the steps.
                    { step_form(&state, &data, &dispatch) }
                    { problems_panel(&problem_rows, &dispatch) }
                    <Explanation state={shown_explanation} dispatch={dispatch.clone()} />
                </aside>
            </main>
            <footer class="footer">
                <span>{ "Trustwalk evaluates the policies exactly as written, in this page. Press " }<kbd>{ "?" }</kbd>{ " for help and keyboard shortcuts." }</span>
                { catalogue_note(&state.catalogue) }
            </footer>
            { modal(&state) }
        </div>
    }
}
