//! The access map and "Compare with…" dialogs. Both are computed in the
//! app's Web Worker (it holds AWS's catalogue), with the scenario as it is
//! when asked; the page shows the worker's progress, then the answer,
//! marked out of date once the scenario changes. The filtering, grouping
//! and wording are `trustwalk_playground::review`'s (tested natively);
//! a cell's explanation is run here, like a step's.

use std::rc::Rc;

use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_playground::review::{self as model, change_line, short_arn, CellKey, Filter, Group, Line, ShownAccess, ShownCell, ShownDiff};
use trustwalk_playground::workspace::Opened;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::explain::inline_code;
use crate::services;
use crate::state::{Action, Shared, State};
use crate::steps::badge;
use crate::worker_client::{self, Event};

/// Principals shown at first, and added by "Show more".
const GROUPS_AT_ONCE: usize = 20;
/// Lines of one principal shown before "Show all".
const LINES_AT_ONCE: usize = 30;

/// A computation in the worker.
#[derive(Clone, Default)]
pub enum Job<T> {
    #[default]
    Idle,
    /// Asked for the document as it was at `version` (the state's
    /// `lint_wanted` then).
    Running {
        seq: u64,
        version: u64,
        done: usize,
        total: usize,
    },
    /// The answer, for the document as it was at `version`.
    Done {
        version: u64,
        value: Rc<T>,
    },
    Failed(String),
}

impl<T> Job<T> {
    /// Whether this job is of the document at `version` (done, or on its way).
    pub fn is_for(&self, v: u64) -> bool {
        matches!(self, Job::Running { version, .. } | Job::Done { version, .. } if *version == v)
    }

    fn progress(&mut self, s: u64, d: usize, t: usize) {
        if let Job::Running { seq, done, total, .. } = self {
            if *seq == s {
                (*done, *total) = (d, t);
            }
        }
    }

    /// The worker's answer to job `s`, if this is the job waiting for it.
    fn answered(&mut self, s: u64, result: Result<Rc<T>, String>) -> bool {
        let Job::Running { seq, version, .. } = *self else { return false };
        if seq != s {
            return false;
        }
        *self = match result {
            Ok(value) => Job::Done { version, value },
            Err(e) => Job::Failed(e),
        };
        true
    }
}

/// Which other version "Compare with…" uses.
#[derive(Clone, PartialEq, Default)]
pub enum Source {
    /// The scenario as it was opened in this tab.
    #[default]
    Initial,
    /// A scenario saved in this browser, by name.
    Saved(String),
    /// Text pasted in the dialog.
    Pasted,
}

/// A cell's explanation.
pub struct Explained {
    pub key: CellKey,
    pub result: Result<StepResult, String>,
}

#[derive(Clone, Default)]
pub struct Review {
    pub access: Job<ShownAccess>,
    pub diff: Job<ShownDiff>,
    /// What the diff compared with, in words.
    pub diff_label: String,
    pub filter: Filter,
    /// How many principals are shown.
    pub shown: usize,
    /// Principals whose every line is shown.
    pub expanded: Vec<String>,
    /// Lines whose cells are shown (principal, path and resource).
    pub open_lines: std::collections::HashSet<String>,
    pub explained: Option<Rc<Explained>>,
    pub source: Source,
    pub pasted: String,
    seq: u64,
    /// When the running job was asked for (ms), for the timing figures.
    started_ms: f64,
}

#[derive(Clone)]
pub enum ReviewAction {
    /// Map the scenario as it is now.
    Map,
    Filter(Filter),
    More,
    ExpandPrincipal(String),
    /// Opens or closes a line's list of cells.
    ToggleLine(String),
    Explain(CellKey),
    CloseExplanation,
    SetSource(Source),
    SetPasted(String),
    /// Compare the scenario shown with the chosen version.
    Compare,
}

impl State {
    pub(crate) fn review_action(&mut self, a: ReviewAction) {
        let mut r = (*self.review.0).clone();
        match a {
            ReviewAction::Map => {
                r.seq += 1;
                r.started_ms = services::now_ms();
                r.explained = None;
                r.shown = GROUPS_AT_ONCE;
                r.expanded.clear();
                r.open_lines.clear();
                r.access = if worker_client::access(r.seq, self.ws.to_compact_text(), services::now_seconds()) {
                    Job::Running { seq: r.seq, version: self.lint_wanted, done: 0, total: 0 }
                } else {
                    Job::Failed(no_worker(self))
                };
            }
            ReviewAction::Filter(f) => {
                r.filter = f;
                r.shown = GROUPS_AT_ONCE;
            }
            ReviewAction::More => r.shown += GROUPS_AT_ONCE,
            ReviewAction::ExpandPrincipal(p) => r.expanded.push(p),
            ReviewAction::ToggleLine(key) => {
                if !r.open_lines.remove(&key) {
                    r.open_lines.insert(key);
                }
            }
            ReviewAction::Explain(key) => {
                let result = model::explain_cell(&self.ws, &key, services::now_seconds(), &*self.managed.0);
                r.explained = Some(Rc::new(Explained { key, result }));
            }
            ReviewAction::CloseExplanation => r.explained = None,
            ReviewAction::SetSource(s) => r.source = s,
            ReviewAction::SetPasted(t) => r.pasted = t,
            ReviewAction::Compare => {
                r.seq += 1;
                r.started_ms = services::now_ms();
                r.diff = match self.other_version(&r) {
                    Ok((label, old)) => {
                        r.diff_label = label;
                        if worker_client::diff(r.seq, old, self.ws.to_compact_text(), services::now_seconds()) {
                            Job::Running { seq: r.seq, version: self.lint_wanted, done: 0, total: 0 }
                        } else {
                            Job::Failed(no_worker(self))
                        }
                    }
                    Err(e) => Job::Failed(e),
                };
            }
        }
        self.review = Shared(Rc::new(r));
    }

    /// The worker's answer to a map or a diff (dropped unless it is the
    /// latest asked for).
    pub(crate) fn review_event(&mut self, e: Event) {
        let mut r = (*self.review.0).clone();
        let answered = match e {
            Event::Progress { seq, done, total } => {
                r.access.progress(seq, done, total);
                r.diff.progress(seq, done, total);
                false
            }
            Event::Access { seq, result } => r.access.answered(seq, result),
            Event::Diff { seq, result } => r.diff.answered(seq, result),
            _ => return,
        };
        if answered {
            services::record_review_ms(services::now_ms() - r.started_ms);
        }
        self.review = Shared(Rc::new(r));
    }

    /// The other version's compact text for a diff, and how to name it.
    fn other_version(&self, r: &Review) -> Result<(String, String), String> {
        match &r.source {
            Source::Initial => Ok(("the scenario as it was opened".into(), (*self.initial_doc).clone())),
            Source::Saved(name) => {
                let text = self.saved.as_ref().and_then(|s| s.scenarios.get(name)).ok_or_else(|| format!("no saved scenario named “{name}”"))?;
                let ws = trustwalk_playground::Workspace::from_text(text).map_err(|e| import_error(&e))?;
                Ok((format!("the saved scenario “{name}”"), ws.to_compact_text()))
            }
            Source::Pasted => {
                if r.pasted.trim().is_empty() {
                    return Err("paste a scenario to compare with first".into());
                }
                match trustwalk_playground::Workspace::open_local(&r.pasted).map_err(|e| import_error(&e))? {
                    Opened::Scenario(ws) => Ok(("the pasted scenario".into(), ws.to_compact_text())),
                    Opened::Export => {
                        Err("an AWS export is compared once imported: open it (Open file… or Paste…), then compare with it as a saved scenario"
                            .into())
                    }
                }
            }
        }
    }
}

fn import_error(e: &[trustwalk_core::Diagnostic]) -> String {
    format!("the other version does not read: {}", crate::toolbar::import_error(e))
}

fn no_worker(s: &State) -> String {
    match &s.catalogue {
        crate::state::CatalogueState::ChecksUnavailable(why) => format!("the app's worker is not running ({why}), so nothing can be mapped"),
        _ => "the app's worker is not running here, so nothing can be mapped".into(),
    }
}

fn dispatcher(d: &UseReducerDispatcher<State>) -> impl Fn(ReviewAction) -> Callback<MouseEvent> + '_ {
    move |a: ReviewAction| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Review(a.clone())))
    }
}

/// "Working… 40 of 100 principals", a progress bar.
fn running(done: usize, total: usize, what: &str) -> Html {
    html! {
        <div class="review-progress" role="status" data-testid="review-progress">
            <progress max={total.max(1).to_string()} value={done.to_string()} />
            <span>{ if total == 0 { format!("{what}…") } else { format!("{what}… {done} of {total} principals") } }</span>
        </div>
    }
}

fn out_of_date(state: &State, version: u64, again: Callback<MouseEvent>, what: &str) -> Html {
    if version == state.lint_wanted {
        return Html::default();
    }
    html! {
        <p class="stale-note" data-testid="review-stale">
            { format!("The scenario changed since this {what} was made. ") }
            <button type="button" class="small" onclick={again}>{ "Again" }</button>
        </p>
    }
}

/// The access map dialog's body.
pub fn access_body(state: &State, dispatch: &UseReducerDispatcher<State>) -> Html {
    let r = &state.review;
    let on = dispatcher(dispatch);
    let intro = html! {
        <p class="muted">{ "For every user and every role (what a session of it can do), the decision for each action of each resource's service, from AWS's catalogue, with the scenario's own request context. Cells marked conditional depend on a key the scenario does not give." }</p>
    };
    let body = match &r.access {
        Job::Idle => html! { <p>{ "Mapping…" }</p> },
        Job::Running { done, total, .. } => running(*done, *total, "Mapping"),
        Job::Failed(e) => html! { <p class="error" role="alert" data-testid="review-error">{ inline_code(e) }</p> },
        Job::Done { version, value } => html! {
            <>
                { out_of_date(state, *version, on(ReviewAction::Map), "map") }
                { explanation(r, dispatch) }
                { filters(&r.filter, dispatch) }
                { map_view(value, r, dispatch) }
            </>
        },
    };
    html! { <div class="review" data-testid="access-dialog">{ intro }{ body }</div> }
}

fn filters(f: &Filter, dispatch: &UseReducerDispatcher<State>) -> Html {
    let set = |change: fn(&mut Filter, &web_sys::Event)| {
        let (d, f) = (dispatch.clone(), f.clone());
        Callback::from(move |e: web_sys::Event| {
            let mut f = f.clone();
            change(&mut f, &e);
            d.dispatch(Action::Review(ReviewAction::Filter(f)));
        })
    };
    fn text(e: &web_sys::Event) -> String {
        e.target_unchecked_into::<HtmlInputElement>().value()
    }
    html! {
        <div class="review-filters row">
            <label class="field"><span>{ "Principal" }</span>
                <input type="search" placeholder="ARN or part of it" value={f.principal.clone()} data-testid="access-principal"
                    onchange={set(|f, e| f.principal = text(e))} /></label>
            <label class="field"><span>{ "Resource" }</span>
                <input type="search" placeholder="bucket, role…" value={f.resource.clone()} data-testid="access-resource"
                    onchange={set(|f, e| f.resource = text(e))} /></label>
            <label class="check"><input type="checkbox" checked={f.allowed_only} data-testid="access-allowed-only"
                onchange={set(|f, e| f.allowed_only = e.target_unchecked_into::<HtmlInputElement>().checked())} />{ " Allowed only" }</label>
        </div>
    }
}

fn map_view(a: &Rc<ShownAccess>, r: &Review, dispatch: &UseReducerDispatcher<State>) -> Html {
    let all = model::groups(a, &r.filter);
    let on = dispatcher(dispatch);
    let total = all.len();
    html! {
        <>
            <p class="muted" data-testid="access-summary">{ format!(
                "{} of {} principals, {} resources, {} cells ({} requests evaluated).",
                total, a.principals.len(), a.resources, a.cells, a.evaluations
            ) }</p>
            if total == 0 { <p data-testid="access-empty">{ "No principal matches." }</p> }
            { for all.iter().take(r.shown).map(|g| group(a, g, r, dispatch)) }
            if total > r.shown {
                <button type="button" onclick={on(ReviewAction::More)} data-testid="access-more">{ format!("Show more ({} left)", total - r.shown) }</button>
            }
        </>
    }
}

fn group(a: &ShownAccess, g: &Group<'_>, r: &Review, dispatch: &UseReducerDispatcher<State>) -> Html {
    let on = dispatcher(dispatch);
    let all_lines = r.expanded.iter().any(|p| p == g.principal);
    html! {
        <section class="access-group" data-testid="access-group" data-principal={g.principal.to_string()}>
            <h3><code>{ g.principal.to_string() }</code><span class="tag">{ if g.role { "role session" } else { "user" } }</span></h3>
            if let Some(t) = model::reaches_text(g) { <p class="reach" data-testid="access-reaches">{ t }</p> }
            if let Some(t) = model::reached_by_text(g) { <p class="reach" data-testid="access-reached-by">{ t }</p> }
            if g.lines.is_empty() { <p class="muted">{ "No access listed." }</p> }
            <ul class="access-lines">
                { for g.lines.iter().take(if all_lines { usize::MAX } else { LINES_AT_ONCE }).map(|l| line(a, g, l, r, dispatch)) }
            </ul>
            if !all_lines && g.lines.len() > LINES_AT_ONCE {
                <button type="button" class="small" onclick={on(ReviewAction::ExpandPrincipal(g.principal.to_string()))}>{ format!("Show all {} resources", g.lines.len()) }</button>
            }
        </section>
    }
}

fn line(a: &ShownAccess, g: &Group<'_>, l: &Line<'_>, r: &Review, dispatch: &UseReducerDispatcher<State>) -> Html {
    let summary = model::line_summary(a, l);
    let via = l.via.iter().map(|x| short_arn(x)).collect::<Vec<_>>().join(" → ");
    // A line's cells are drawn only once it is opened: a map of a hundred
    // principals has tens of thousands.
    let key = format!("{}\n{}\n{}", g.principal, l.via.join(">"), l.resource);
    let open = r.open_lines.contains(&key);
    let toggle = {
        let d = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            d.dispatch(Action::Review(ReviewAction::ToggleLine(key.clone())));
        })
    };
    html! {
        <li data-testid="access-line">
            <details {open}>
                <summary onclick={toggle}>
                    if !via.is_empty() { <span class="via">{ format!("via {via}: ") }</span> }
                    if !l.conditions.is_empty() { <span class="muted">{ format!("(if {}) ", l.conditions.join(", ")) }</span> }
                    <code>{ l.resource.to_string() }</code>
                    { for summary.iter().map(|(level, counts)| html! { <span class="level">{ format!(" {level}: {counts}") }</span> }) }
                </summary>
                if open { <ul class="cells">{ for l.cells.iter().map(|c| cell(a, g, l, c, dispatch)) }</ul> }
            </details>
        </li>
    }
}

fn cell(a: &ShownAccess, g: &Group<'_>, l: &Line<'_>, c: &ShownCell, dispatch: &UseReducerDispatcher<State>) -> Html {
    let key = CellKey {
        principal: g.principal.to_string(),
        via: l.via.iter().map(|x| x.to_string()).collect(),
        action: a.name(c.action).to_string(),
        resource: l.resource.to_string(),
    };
    let conditions: Vec<&str> = c.conditions.iter().map(|k| a.name(*k)).collect();
    let by: Vec<&str> = c.statements.iter().map(|k| a.name(*k)).collect();
    html! {
        <li data-testid="access-cell">
            <code>{ key.action.clone() }</code>{ " " }
            <span class={crate::cls(&["decision", trustwalk_playground::explain::outcome_class(c.decision)])}>{ decision_words(c.decision) }</span>
            if !conditions.is_empty() { <span class="muted">{ format!(" depends on {}", conditions.join(", ")) }</span> }
            if !by.is_empty() { <span class="muted">{ format!(" — {}", by.join("; ")) }</span> }
            { " " }
            <button type="button" class="small" onclick={dispatcher(dispatch)(ReviewAction::Explain(key.clone()))} data-testid="access-why"
                aria-label={format!("Why is {} {} on {}?", key.action, decision_words(c.decision), key.resource)}>{ "Why?" }</button>
        </li>
    }
}

fn decision_words(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "allowed",
        Outcome::ExplicitDeny => "denied explicitly",
        Outcome::ImplicitDeny => "denied implicitly",
        _ => o.as_str(),
    }
}

/// The explanation of the cell asked about: its request, run now like a step.
fn explanation(r: &Review, dispatch: &UseReducerDispatcher<State>) -> Html {
    let Some(x) = &r.explained else { return Html::default() };
    let close = dispatcher(dispatch)(ReviewAction::CloseExplanation);
    let via = x.key.via.iter().map(|v| short_arn(v)).collect::<Vec<_>>().join(" → ");
    let body = match &x.result {
        Err(e) => html! { <p class="error">{ inline_code(e) }</p> },
        Ok(step) => html! {
            <>
                <p class="request">
                    <code>{ step.principal.clone() }</code>{ " calls " }<code>{ step.action.clone() }</code>{ " on " }<code>{ step.resource.clone() }</code>
                    { " " }{ badge(step.decision, false) }
                </p>
                <p class="summary" data-testid="access-why-summary">{ inline_code(&step.summary) }</p>
                if let Some(ev) = &step.evaluation { { crate::explain::gates_of(ev, dispatch) } }
            </>
        },
    };
    html! {
        <section class="panel access-why" data-testid="access-explanation" aria-live="polite">
            <div class="panel-head">
                <h3>{ format!("Why: {}{}", short_arn(&x.key.principal), if via.is_empty() { String::new() } else { format!(" via {via}") }) }</h3>
                <button type="button" class="small" onclick={close}>{ "Back to the map" }</button>
            </div>
            { body }
        </section>
    }
}

/// The "Compare with…" dialog's body.
pub fn compare_body(state: &State, dispatch: &UseReducerDispatcher<State>) -> Html {
    let r = &state.review;
    let on = dispatcher(dispatch);
    let names: Vec<String> = state.saved.as_ref().map(|s| s.names().into_iter().filter(|n| *n != s.current).collect()).unwrap_or_default();
    let on_source = {
        let d = dispatch.clone();
        Callback::from(move |e: web_sys::Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let s = match v.as_str() {
                "initial" => Source::Initial,
                "pasted" => Source::Pasted,
                name => Source::Saved(name.strip_prefix("saved:").unwrap_or(name).to_string()),
            };
            d.dispatch(Action::Review(ReviewAction::SetSource(s)));
        })
    };
    let on_paste = {
        let d = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(Action::Review(ReviewAction::SetPasted(e.target_unchecked_into::<HtmlTextAreaElement>().value())))
        })
    };
    let result = match &r.diff {
        Job::Idle => Html::default(),
        Job::Running { done, total, .. } => running(*done, *total, "Comparing"),
        Job::Failed(e) => html! { <p class="error" role="alert" data-testid="review-error">{ inline_code(e) }</p> },
        Job::Done { version, value } => html! {
            <>
                { out_of_date(state, *version, on(ReviewAction::Compare), "comparison") }
                { diff_view(value, &r.diff_label) }
            </>
        },
    };
    html! {
        <div class="review" data-testid="compare-dialog">
            <p class="muted">{ "What the scenario shown grants or denies that another version did not: the access-map cells that changed, with the statements that decided them on each side, and the steps whose outcome changed. " }
                { "As " }<code>{ "trustwalk diff OLD NEW" }</code>{ " does, with the other version as OLD." }</p>
            <div class="row">
                <label class="field"><span>{ "Compare with" }</span>
                    <select onchange={on_source} data-testid="compare-source">
                        <option value="initial" selected={r.source == Source::Initial}>{ "The scenario as it was opened" }</option>
                        { for names.iter().map(|n| html! {
                            <option value={format!("saved:{n}")} selected={r.source == Source::Saved(n.clone())}>{ format!("Saved: {n}") }</option>
                        }) }
                        <option value="pasted" selected={r.source == Source::Pasted}>{ "A pasted scenario" }</option>
                    </select>
                </label>
                <button type="button" class="primary" onclick={on(ReviewAction::Compare)} data-testid="compare-run">{ "Compare" }</button>
            </div>
            if r.source == Source::Pasted {
                <textarea rows="6" aria-label="The scenario to compare with (JSON)" value={r.pasted.clone()} oninput={on_paste} data-testid="compare-paste" />
            }
            { result }
        </div>
    }
}

fn diff_view(d: &ShownDiff, label: &str) -> Html {
    let verdict = if d.new_access {
        format!("The scenario shown grants access that {label} did not.")
    } else if d.changes.is_empty() && d.steps.is_empty() && d.paths.is_empty() {
        format!("Nothing changed from {label}: the same access, the same step outcomes.")
    } else {
        format!("No new access compared with {label}.")
    };
    let side = |list: &[String]| if list.is_empty() { "no statement".to_string() } else { list.join("; ") };
    html! {
        <div class="diff-result" data-testid="compare-result">
            <p class={crate::cls(&["compare-verdict", if d.new_access { "grants" } else { "" }])} data-testid="compare-verdict">{ verdict }</p>
            if !d.changes.is_empty() {
                <h3>{ format!("Access: {} cells changed", d.changes.len() + d.more) }</h3>
                <ul class="changes">
                    { for d.changes.iter().map(|c| html! {
                        <li class={if c.grants { "added" } else { "removed" }} data-testid="compare-change">
                            <span class="mark">{ if c.grants { "+ " } else { "− " } }</span>{ change_line(c) }
                            { format!(": {} → {}", c.before.as_str(), c.after.as_str()) }
                            <div class="muted">{ format!("before: {}", side(&c.statements_before)) }</div>
                            <div class="muted">{ format!("after: {}", side(&c.statements_after)) }</div>
                        </li>
                    }) }
                </ul>
                if d.more > 0 { <p class="muted">{ format!("… and {} more.", d.more) }</p> }
            }
            if !d.paths.is_empty() {
                <h3>{ "The same access by other paths" }</h3>
                <ul class="changes">
                    { for d.paths.iter().map(|p| html! { <li data-testid="compare-path">{ p.clone() }</li> }) }
                </ul>
            }
            if !d.steps.is_empty() {
                <h3>{ "Steps whose outcome changed" }</h3>
                <ul data-testid="compare-steps">
                    { for d.steps.iter().map(|s| html! {
                        <li data-testid="compare-step"><code>{ s.id.clone() }</code>{ format!(": {} → {}",
                            s.before.map_or("no such step", Outcome::as_str), s.after.map_or("no such step", Outcome::as_str)) }</li>
                    }) }
                </ul>
            }
        </div>
    }
}
