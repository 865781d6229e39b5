//! The explanation of the selected step: the outcome and the summary
//! sentence, what would make a denial pass, and every gate with every
//! statement and why it matched or not. Clicking a statement brings it
//! into view in its editor.

use std::collections::HashMap;
use std::rc::Rc;
use trustwalk_core::json::Span;
use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_core::trace::{ConditionTrace, ElementTrace, Evaluation, GateTrace, PolicyTrace, PrincipalTrace, StatementTrace};
use trustwalk_playground::explain::{capitalized, context_value_text, gate_title, how_to_pass_tips, level_words, near_miss_sentence, verdict, Tip};
use trustwalk_playground::hints::set_key::{key_offer, KeyOffer, Target};
use trustwalk_playground::hints::{step_hints, StatementHints};
use trustwalk_playground::worker::{ShownGrants, ShownPattern};

use yew::prelude::*;

use crate::state::{Action, State};
use crate::steps::badge;

type Focus = Callback<(String, Span)>;

/// Renders `text` with `code` spans for the parts in backticks.
pub fn inline_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }) }
    }
}

#[derive(Properties)]
pub struct ExplanationProps {
    /// The state explained: while the user types, the one before the
    /// typing started (see `App`), so that the explanation is not built or
    /// compared again on every key.
    pub state: Rc<State>,
    pub dispatch: UseReducerDispatcher<State>,
}

impl PartialEq for ExplanationProps {
    /// The same state object: every action makes a new one, so comparing
    /// states field by field (the whole document and every trace) would
    /// cost about what rendering the explanation again does.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

/// The explanation of the selected step, rendered again only when the
/// state it explains is another one.
#[function_component(Explanation)]
pub fn explanation_component(p: &ExplanationProps) -> Html {
    explanation(&p.state, &p.dispatch)
}

fn explanation(state: &Rc<State>, dispatch: &UseReducerDispatcher<State>) -> Html {
    let i = state.ws.selected_step;
    let Some(step) = state.result.as_ref().and_then(|r| r.steps.get(i)) else {
        return html! {
            <section class="panel explain" aria-labelledby="explain-heading" data-testid="explanation">
                <h2 id="explain-heading">{ "Why" }</h2>
                <p class="muted">{ "No result for this step yet: fix the problems listed above." }</p>
            </section>
        };
    };
    let focus: Focus = {
        let d = dispatch.clone();
        Callback::from(move |(policy, span): (String, Span)| d.dispatch(Action::FocusStatement { policy, span }))
    };
    let tips = how_to_pass_tips(step);
    let hints = hints_of(state, step);
    let near_hints = step.near_miss.as_ref().and_then(|n| hints.get(&(n.statement.policy.clone(), n.statement.statement)));
    html! {
        <section class={crate::cls(&["panel explain", if state.stale { "stale" } else { "" }])} aria-labelledby="explain-heading" data-testid="explanation" aria-live="polite">
            <div class="panel-head">
                <h2 id="explain-heading">{ format!("Why: step {}", i + 1) }</h2>
                { badge(step.decision, state.stale) }
            </div>
            if state.stale {
                <p class="stale-note" data-testid="stale-note">{ "This is the last result that could be computed: the scenario has problems (listed above), so it may be out of date." }</p>
            }
            <p class="request">
                <code>{ step.principal.clone() }</code>{ " calls " }<code>{ step.action.clone() }</code>{ " on " }<code>{ step.resource.clone() }</code>
            </p>
            <p class="facts">
                <span class={crate::cls(&["tag", if step.cross_account { "cross" } else { "" }])} data-testid="cross-account">
                    { if step.cross_account { "cross-account" } else { "same account" } }
                </span>
                if let Some(e) = step.expect {
                    // An out-of-date result says nothing about the expectation now.
                    <span class={crate::cls(&["tag", match (state.stale, step.expectation_met) {
                        (true, _) => "unknown",
                        (false, Some(false)) => "unmet",
                        _ => "met",
                    }])} data-testid="expectation">
                        { format!("expected {}{}", e.label(), match (state.stale, step.expectation_met) {
                            (true, _) => " (not checked: out of date)",
                            (false, Some(false)) => " ✗",
                            _ => " ✓",
                        }) }
                    </span>
                }
            </p>
            <p class="summary" data-testid="summary">{ inline_code(&step.summary) }</p>
            if let Some(s) = &step.session {
                <p class="session" data-testid="session">{ "Creates the session " }<code>{ s.clone() }</code></p>
            }
            { crate::flowchart::flowchart(step) }
            if !tips.is_empty() || step.near_miss.is_some() {
                <div class="to-pass" data-testid="to-pass">
                    <h3>{ if step.decision == Outcome::ExplicitDeny { "To allow it" } else { "What would make it pass" } }</h3>
                    { tip_list(state, i, &tips, dispatch) }
                    if let (Some(n), Outcome::ImplicitDeny) = (&step.near_miss, step.decision) {
                        <p data-testid="near-miss">
                            <button type="button" class="link" onclick={{
                                let (f, policy, span) = (focus.clone(), n.statement.policy.clone(), n.statement.span);
                                Callback::from(move |_: MouseEvent| f.emit((policy.clone(), span)))
                            }}>{ inline_code(&near_miss_sentence(n)) }</button>
                        </p>
                        <ul class="failed">{ for n.failed.iter().map(|f| html! { <li>{ inline_code(f) }</li> }) }</ul>
                        if let Some(h) = near_hints { { hint_list(h, dispatch) } }
                    }
                </div>
            }
            if !step.decisive.is_empty() {
                <div class="decisive">
                    <h3>{ "Deciding statements" }</h3>
                    <ul>
                        { for step.decisive.iter().map(|d| {
                            let (f, policy, span) = (focus.clone(), d.policy.clone(), d.span);
                            let onclick = Callback::from(move |_: MouseEvent| f.emit((policy.clone(), span)));
                            html! {
                                <li>
                                    <button type="button" class="link" {onclick} data-testid="decisive">
                                        { format!("{} ", capitalized(d.policy_type.label())) }<code>{ d.policy.clone() }</code>
                                        { format!(", statement {}", d.statement + 1) }
                                        if let Some(sid) = &d.sid { { " " }<code>{ sid.to_string() }</code> }
                                        { format!(" (line {})", d.span.line) }
                                    </button>
                                </li>
                            }
                        }) }
                    </ul>
                </div>
            }
            if let Some(ev) = &step.evaluation {
                { gates(ev, &state.checks.grants, &hints, dispatch) }
            }
            { for step.extra_checks.iter().map(|x| html! {
                <div class="extra">
                    <h3>{ format!("Also needed: {} — {}", x.action, x.decision.as_str()) }</h3>
                    <p>{ inline_code(&x.evaluation.summary) }</p>
                    { gates(&x.evaluation, &state.checks.grants, &HintMap::new(), dispatch) }
                </div>
            }) }
            { context_details(step) }
            <crate::commands::Commands state={state.clone()} />
        </section>
    }
}

/// What would make it pass, each sentence that says where a missing key
/// is set followed by a button that sets it and a link to its field (not
/// in the read-only embed, nor on an out-of-date result; one button per
/// edit when two conditions want the same one).
fn tip_list(state: &State, step: usize, tips: &[Tip], dispatch: &UseReducerDispatcher<State>) -> Html {
    let result = state.result.as_ref().filter(|_| !state.stale && !state.embedded());
    let mut offered: Vec<trustwalk_playground::Ptr> = Vec::new();
    let offers: Vec<Option<KeyOffer>> = tips
        .iter()
        .map(|t| {
            let o = result.zip(t.missing.as_ref()).and_then(|(r, m)| key_offer(&state.ws, r, step, m))?;
            if offered.contains(&o.ptr) {
                return None;
            }
            offered.push(o.ptr.clone());
            Some(o)
        })
        .collect();
    html! {
        { for tips.iter().zip(offers).map(|(t, o)| html! {
            <p>
                { inline_code(&t.text) }
                if let Some(o) = o {
                    { " " }
                    <button type="button" class="fix" data-testid="set-key" onclick={{
                        let (d, o) = (dispatch.clone(), o.clone());
                        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetKey(Box::new(o.clone()))))
                    }}>{ inline_code(&o.label) }</button>
                    { " " }
                    <button type="button" class="link" data-testid="set-key-field" onclick={{
                        let (d, target) = (dispatch.clone(), o.target.clone());
                        Callback::from(move |_: MouseEvent| show_field(&d, &target))
                    }}>{ inline_code(&o.link) }</button>
                }
            </p>
        }) }
    }
}

/// Selects the step (for a field of its request) and focuses the field
/// once it is on screen.
fn show_field(dispatch: &UseReducerDispatcher<State>, target: &Target) {
    let selector = match target {
        Target::Step { step, selector } => {
            dispatch.dispatch(Action::SelectStep(*step));
            format!("[data-testid=\"step-form\"] {selector}")
        }
        Target::Account { id, selector, .. } => format!("[data-testid=\"account\"][data-account=\"{id}\"] {selector}"),
    };
    gloo_timers::callback::Timeout::new(0, move || {
        let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten());
        if let Some(el) = found.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = el.focus();
        }
    })
    .forget();
}

/// What each Allow statement grants (by policy name and index), when AWS's
/// catalogue is there.
type Grants = HashMap<(String, usize), Rc<ShownGrants>>;

/// The hints of the statements that did not match, by policy name and
/// statement index ([`step_hints`]).
type HintMap = HashMap<(String, usize), Rc<StatementHints>>;

fn hints_of(state: &State, step: &StepResult) -> HintMap {
    step_hints(&state.ws, step).into_iter().map(|h| ((h.policy.clone(), h.statement), Rc::new(h))).collect()
}

/// The hints, each with a button for its one-edit fix.
fn hint_list(h: &StatementHints, dispatch: &UseReducerDispatcher<State>) -> Html {
    html! {
        <ul class="hints" data-testid="hints">
            { for h.hints.iter().map(|hint| html! {
                <li data-testid="hint">
                    { inline_code(&hint.text) }
                    if let Some(fix) = &hint.fix {
                        { " " }
                        <button type="button" class="fix" data-testid="hint-fix" onclick={{
                            let (d, ptr, path, expected_len) = (dispatch.clone(), h.ptr.clone(), h.path.clone(), h.text_len);
                            let (from, to, insert) = (fix.from, fix.to, fix.insert.clone());
                            Callback::from(move |_: MouseEvent| d.dispatch(Action::ApplyEdit {
                                ptr: ptr.clone(), path: path.clone(), expected_len, from, to, insert: insert.clone(),
                            }))
                        }}>{ inline_code(&fix.label) }</button>
                    }
                </li>
            }) }
        </ul>
    }
}

/// Every gate of an evaluation, without the checks' grants and hints (an
/// access-map cell's explanation).
pub fn gates_of(ev: &Evaluation, dispatch: &UseReducerDispatcher<State>) -> Html {
    gates(ev, &Grants::new(), &HintMap::new(), dispatch)
}

fn gates(ev: &Evaluation, grants: &Grants, hints: &HintMap, dispatch: &UseReducerDispatcher<State>) -> Html {
    html! {
        <div class="gates">
            <h3>{ "Every policy that took part" }</h3>
            { for ev.gates.iter().map(|g| gate(g, grants, hints, dispatch)) }
        </div>
    }
}

fn gate(g: &GateTrace, grants: &Grants, hints: &HintMap, dispatch: &UseReducerDispatcher<State>) -> Html {
    let (words, class) = verdict(g.verdict);
    html! {
        <section class={crate::cls(&["gate", class])} data-testid="gate" data-gate={trustwalk_playground::flowchart::gate_key(g)} tabindex="-1">
            <h4>
                <span>{ gate_title(g) }</span>
                <span class={crate::cls(&["verdict", class])}>{ words }</span>
                if !g.required { <span class="tag" title="its Allow was not needed for this request">{ "not required" }</span> }
            </h4>
            <p class="note">{ inline_code(&g.note) }</p>
            { for g.policies.iter().map(|p| policy(p, grants, hints, dispatch)) }
        </section>
    }
}

fn policy(p: &PolicyTrace, grants: &Grants, hints: &HintMap, dispatch: &UseReducerDispatcher<State>) -> Html {
    let name = AttrValue::from(p.name.clone());
    html! {
        <div class="policy-trace">
            <p class="policy-name"><code>{ p.name.clone() }</code></p>
            <ul class="statements">
                { for p.statements.iter().map(|s| html! {
                    <Statement key={s.index} policy={name.clone()} statement={Rc::new(s.clone())} dispatch={dispatch.clone()}
                        grants={grants.get(&(p.name.clone(), s.index)).cloned()}
                        hints={hints.get(&(p.name.clone(), s.index)).cloned()} />
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StatementProps {
    policy: AttrValue,
    statement: Rc<StatementTrace>,
    dispatch: UseReducerDispatcher<State>,
    /// An Allow statement's grants by AWS's catalogue.
    #[prop_or_default]
    grants: Option<Rc<ShownGrants>>,
    /// What to change when it did not match (see [`hints_of`]).
    #[prop_or_default]
    hints: Option<Rc<StatementHints>>,
}

/// One statement and why it matched or not. A component of its own, so
/// that a keystroke re-renders only the statements whose trace changed.
#[function_component(Statement)]
fn statement(p: &StatementProps) -> Html {
    let (policy, s) = (p.policy.as_str(), &*p.statement);
    let onclick = {
        let (d, policy, span) = (p.dispatch.clone(), policy.to_string(), s.span);
        Callback::from(move |_: MouseEvent| d.dispatch(Action::FocusStatement { policy: policy.clone(), span }))
    };
    let (effect, effect_class) = match s.effect {
        trustwalk_core::policy::Effect::Allow => ("Allow", "allow"),
        trustwalk_core::policy::Effect::Deny => ("Deny", "deny"),
    };
    let checks = html! {
        <ul class="checks">
            if let Some(p) = &s.principal { { principal(p) } }
            { element(&s.action) }
            if let Some(r) = &s.resource { { element(r) } }
            { for s.conditions.iter().map(condition) }
        </ul>
    };
    let failures = s.failures();
    html! {
        <li class={if s.matched { "statement matched" } else { "statement unmatched" }} data-testid="trace-statement"
            data-policy={policy.to_string()} data-index={s.index.to_string()}>
            <div class="statement-head">
                <button type="button" class="link" {onclick} data-testid="statement-link"
                    title={format!("Show statement {} in {policy} (line {})", s.index + 1, s.span.line)}>
                    { format!("Statement {}", s.index + 1) }
                    if let Some(sid) = &s.sid { { " " }<code>{ sid.to_string() }</code> }
                </button>
                <span class={crate::cls(&["effect", effect_class])}>{ effect }</span>
                <span class={if s.matched { "match yes" } else { "match no" }}>
                    { if s.matched { "matches" } else { "does not match" } }
                </span>
            </div>
            if let Some(g) = &p.grants { { grants_line(g) } }
            if let Some(h) = &p.hints { { hint_list(h, &p.dispatch) } }
            if s.matched {
                { checks }
            } else {
                <details>
                    <summary>{ "why not: " }{ inline_code(failures.first().map(String::as_str).unwrap_or("")) }</summary>
                    { checks }
                </details>
            }
        </li>
    }
}

/// "Grants 64 actions: Read 62, List 2", and for each wildcard entry what
/// it matches, listed on demand.
fn grants_line(g: &ShownGrants) -> Html {
    let lead = if g.not_action { "Grants every action but those excluded: " } else { "Grants " };
    html! {
        <div class="grants" data-testid="grants">
            <span>{ lead }{ g.levels.clone() }</span>
            { for g.wildcards.iter().map(|pg| html! {
                <WildcardActions grant={Rc::new(pg.clone())} />
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct WildcardProps {
    grant: Rc<ShownPattern>,
}

/// `s3:Get*` — 63 actions: Read 61, List 2, with a button that lists them
/// (rendered only when asked for: `*` matches every action of AWS).
#[function_component(WildcardActions)]
fn wildcard_actions(p: &WildcardProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let g = &*p.grant;
    html! {
        <div class="wildcard" data-testid="wildcard">
            <code>{ g.pattern.clone() }</code>{ " — " }{ g.levels.clone() }{ " " }
            <button type="button" class="link" onclick={toggle} aria-expanded={(*open).to_string()} data-testid="wildcard-toggle">
                { if *open { "hide" } else { "list them" } }
            </button>
            if *open {
                <ul class="action-list" data-testid="wildcard-actions">
                    { for g.actions.iter().map(|a| html! { <li><code>{ a.clone() }</code></li> }) }
                </ul>
            }
        </div>
    }
}

fn mark(ok: bool) -> Html {
    html! { <span class={if ok { "ok" } else { "ok no" }} aria-label={if ok { "matches" } else { "does not match" }}>{ if ok { "✓" } else { "✗" } }</span> }
}

fn principal(p: &PrincipalTrace) -> Html {
    html! {
        <li>
            { mark(p.matched) }<b>{ p.element }</b>{ " " }{ inline_code(&p.reason()) }
            if let (true, Some(level)) = (p.matched, p.level) {
                <span class="level">{ format!(" — matched {}", level_words(level)) }</span>
            }
        </li>
    }
}

fn element(e: &ElementTrace) -> Html {
    html! { <li>{ mark(e.matched) }<b>{ e.element }</b>{ " " }{ inline_code(&e.reason()) }</li> }
}

fn condition(c: &ConditionTrace) -> Html {
    let policy_values: Vec<String> = c.policy_values.iter().map(|v| format!("\"{v}\"")).collect();
    html! {
        <li class="condition">
            { mark(c.matched) }<b>{ "Condition " }</b><code>{ c.operator.to_string() }</code>{ " " }<code>{ c.key.to_string() }</code>
            <dl>
                <dt>{ "request" }</dt><dd><code>{ context_value_text(c.request_values.as_ref()) }</code></dd>
                <dt>{ "policy" }</dt><dd><code>{ format!("[{}]", policy_values.join(", ")) }</code></dd>
            </dl>
            <span class="reason">{ inline_code(&c.reason()) }</span>
        </li>
    }
}

fn context_details(step: &StepResult) -> Html {
    html! {
        <details class="context">
            <summary>{ format!("Request context ({} keys)", step.context.len()) }</summary>
            <dl class="kv">
                { for step.context.iter().map(|(k, v)| html! {
                    <>
                        <dt><code>{ k.to_string() }</code></dt>
                        <dd><code>{ match v {
                            trustwalk_core::ContextValue::Single(s) => s.to_string(),
                            trustwalk_core::ContextValue::Multi(m) => format!("[{}]", m.join(", ")),
                        } }</code></dd>
                    </>
                }) }
            </dl>
        </details>
    }
}
