//! The steps: a list with each step's outcome, Previous/Next, adding and
//! removing, and a form for the selected step's request.

use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_playground::explain::outcome_class;
use trustwalk_playground::layout::session_policy_slot;
use trustwalk_playground::steps::{is_assume_role, CURRENT_TIME, SOURCE_IP};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::accounts::EditorData;
use crate::committed::CommittedInput;
use crate::state::{Action, State, StepEdit};

/// Common S3 actions offered while typing (any action may be typed).
const S3_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:GetObjectTagging",
    "s3:PutObjectTagging",
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:GetObjectAcl",
];

const OUTCOMES: &[(&str, &str)] = &[
    ("", "no expectation"),
    ("allowed", "Allowed"),
    ("explicitDeny", "Explicit deny"),
    ("implicitDeny", "Implicit deny"),
    ("denied", "Denied (either)"),
    ("skipped", "Skipped"),
    ("invalid", "Invalid"),
];

/// The outcome badge: exactly `Outcome::label()`.
pub fn badge(outcome: Outcome, stale: bool) -> Html {
    html! {
        <span class={crate::cls(&["badge", outcome_class(outcome), if stale { "stale" } else { "" }])} data-testid="outcome">
            { outcome.label() }
        </span>
    }
}

fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

pub fn step_list(state: &State, dispatch: &UseReducerDispatcher<State>) -> Html {
    let steps = state.ws.steps();
    let selected = state.ws.selected_step;
    let results = state.result.as_ref();
    let prev = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::PreviousStep))
    };
    let next = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::NextStep))
    };
    let add = |assume_role: bool| {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::AddStep { assume_role }))
    };
    let readonly = state.embedded();
    html! {
        <section class="panel steps-panel" aria-labelledby="steps-heading">
            <div class="panel-head">
                <h2 id="steps-heading">{ "Steps" }</h2>
                <div class="row">
                    <button type="button" onclick={prev} disabled={selected == 0} data-testid="previous-step"
                        aria-keyshortcuts="k Alt+ArrowUp" title="Previous step (k or Alt+↑)">{ "‹ Previous" }</button>
                    <button type="button" onclick={next} disabled={selected + 1 >= steps.len()} data-testid="next-step"
                        aria-keyshortcuts="j Alt+ArrowDown" title="Next step (j or Alt+↓)">{ "Next ›" }</button>
                </div>
            </div>
            <ol class="steps" data-testid="steps">
                { for steps.iter().enumerate().map(|(i, s)| {
                    let r: Option<&StepResult> = results.and_then(|r| r.steps.get(i));
                    let d = dispatch.clone();
                    let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Action::SelectStep(i)));
                    let action = s.get("action").and_then(|v| v.as_str()).unwrap_or("?").to_string();
                    let id = s.get("id").and_then(|v| v.as_str()).map_or_else(|| format!("step-{}", i + 1), str::to_string);
                    let is_selected = i == selected;
                    html! {
                        <li key={i}>
                            <button type="button" class={if is_selected { "step selected" } else { "step" }}
                                aria-current={is_selected.then_some("step")} {onclick} data-testid="step" data-index={i.to_string()}>
                                <span class="step-num">{ i + 1 }</span>
                                <span class="step-main">
                                    <span class="step-id">{ id }</span>
                                    <span class="step-action"><code>{ action }</code></span>
                                </span>
                                <span class="step-tags">
                                    if let Some(r) = r {
                                        { badge(r.decision, state.stale) }
                                        if r.cross_account { <span class="tag cross" title="the caller and the resource are in different accounts">{ "cross-account" }</span> }
                                        if r.expectation_met == Some(false) && !state.stale {
                                            <span class="tag unmet" title={format!("expected {}", r.expect.map(|e| e.label()).unwrap_or_default())}>{ "✗ expected" }</span>
                                        }
                                    } else {
                                        <span class="badge o-none" data-testid="outcome">{ "—" }</span>
                                    }
                                </span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if !readonly {
                <div class="row">
                    <button type="button" class="small" onclick={add(true)} data-testid="add-assume-role">{ "+ AssumeRole" }</button>
                    <button type="button" class="small" onclick={add(false)} data-testid="add-s3-request">{ "+ S3 request" }</button>
                </div>
            }
        </section>
    }
}

#[allow(clippy::too_many_arguments)]
fn field(
    label: &str,
    testid: &str,
    value: String,
    placeholder: String,
    list: Option<&str>,
    on: Callback<InputEvent>,
    readonly: bool,
    invalid: bool,
) -> Html {
    html! {
        <label class="field">
            <span>{ label.to_string() }</span>
            <input type="text" value={value} placeholder={placeholder} oninput={on} data-testid={testid.to_string()}
                class={invalid.then_some("invalid")} aria-invalid={invalid.then_some("true")}
                list={list.map(str::to_string)} readonly={readonly} spellcheck="false" autocomplete="off" />
        </label>
    }
}

/// The fields of step `i` that have an error (`principal`, `roleArn`, …):
/// marked in the form, as the Problems list names them.
fn invalid_fields(state: &State, i: usize) -> Vec<String> {
    state
        .eval
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| trustwalk_playground::problem::place(d.path.as_str(), &state.ws.doc).step)
        .filter(|(s, _)| *s == i)
        .filter_map(|(_, f)| f)
        .collect()
}

/// A field read when it is committed (Enter or leaving it), for values
/// written back in a normal form (`team=red, project=x`), which typing
/// must not be interrupted by (see [`CommittedInput`]).
fn committed(label: &str, testid: &str, value: String, placeholder: &str, readonly: bool, invalid: bool, on: Callback<String>) -> Html {
    html! {
        <label class="field">
            <span>{ label.to_string() }</span>
            <CommittedInput value={AttrValue::from(value)} on_commit={on} testid={AttrValue::from(testid.to_string())}
                placeholder={AttrValue::from(placeholder.to_string())} {readonly} {invalid} />
        </label>
    }
}

fn step_edit(dispatch: &UseReducerDispatcher<State>, step: usize, edit: StepEdit) -> Callback<String> {
    let d = dispatch.clone();
    Callback::from(move |text: String| d.dispatch(Action::EditStep { step, edit, text }))
}

fn text_setter(dispatch: &UseReducerDispatcher<State>, step: usize, field: &'static str) -> Callback<InputEvent> {
    let d = dispatch.clone();
    Callback::from(move |e: InputEvent| d.dispatch(Action::SetStepText { step, field, text: input_value(&e) }))
}

fn context_setter(dispatch: &UseReducerDispatcher<State>, step: usize, key: String) -> Callback<InputEvent> {
    let d = dispatch.clone();
    Callback::from(move |e: InputEvent| d.dispatch(Action::SetStepContext { step, key: key.clone(), text: input_value(&e) }))
}

/// A `<select>` of choices next to the free-text field it fills.
fn choices(label: &str, testid: &str, current: &str, options: &[String], on: Callback<String>) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        if !s.value().is_empty() {
            on.emit(s.value());
        }
    });
    let known = options.iter().any(|o| o == current);
    html! {
        <select aria-label={label.to_string()} {onchange} data-testid={testid.to_string()}>
            <option value="" selected={!known}>{ if known { "choose…" } else { "other (typed below)" } }</option>
            { for options.iter().map(|o| html! { <option value={o.clone()} selected={o == current}>{ o.clone() }</option> }) }
        </select>
    }
}

pub fn step_form(state: &State, data: &EditorData, dispatch: &UseReducerDispatcher<State>) -> Html {
    let ws = &state.ws;
    let i = ws.selected_step;
    let Some(step) = ws.steps().get(i) else { return Html::default() };
    let readonly = state.embedded();
    let act = |a: Action| {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a.clone()))
    };
    let invalid = invalid_fields(state, i);
    let bad = |f: &str| invalid.iter().any(|x| x == f);
    let assume = is_assume_role(step);
    let principal = ws.step_field(i, "principal");
    let principal_choices = ws.principal_choices(i);
    // An AWS service as the caller: what it calls for, and the session it
    // names after an EC2 instance or a Lambda function.
    let service = principal.starts_with(trustwalk_core::arn::SERVICE_CALLER_PREFIX);
    let set_principal = {
        let d = dispatch.clone();
        Callback::from(move |v: String| d.dispatch(Action::SetStepText { step: i, field: "principal", text: v }))
    };
    let (ip, ip_own) = ws.effective_context(i, SOURCE_IP);
    let (time, time_own) = ws.effective_context(i, CURRENT_TIME);
    let others: Vec<(String, String)> = ws.step_context(i).into_iter().filter(|(k, _)| k != SOURCE_IP && k != CURRENT_TIME).collect();
    let expect = ws.step_field(i, "expect");
    let on_expect = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::SetStepText { step: i, field: "expect", text: s.value() });
        })
    };
    let remove = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::RemoveStep(i)))
    };
    let on_mfa = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let c: HtmlInputElement = e.target_unchecked_into();
            d.dispatch(Action::SetStepMfa { step: i, on: c.checked() });
        })
    };
    let add_key = {
        let d = dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| doc.get_element_by_id("new-context-key"))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(el).ok());
            if let Some(input) = input {
                d.dispatch(Action::AddContextKey { step: i, key: input.value() });
                input.set_value("");
            }
        })
    };
    let session_slot = session_policy_slot(ws, i);
    let add_session_policy = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::AddSessionPolicy(i)))
    };
    let remove_session_policy = {
        let d = dispatch.clone();
        let ptr = trustwalk_playground::Ptr::root().key("steps").index(i).key("sessionPolicy");
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetValue { ptr: ptr.clone(), value: None }))
    };
    let buckets: Vec<String> = ws.bucket_names();
    html! {
        <section class="panel step-form" aria-labelledby="request-heading" data-testid="step-form">
            <details open={!readonly}>
                <summary><h2 id="request-heading">{ format!("Request of step {}", i + 1) }</h2></summary>
                <div class="form-grid">
                    { field("Name (id)", "step-id", ws.step_field(i, "id"), format!("step-{}", i + 1), None, text_setter(dispatch, i, "id"), readonly, bad("id")) }
                    <div class="field">
                        <span id="principal-label">{ "Principal" }</span>
                        if !readonly { { choices("Choose the principal", "principal-select", &principal, &principal_choices, set_principal) } }
                        <input type="text" aria-labelledby="principal-label" value={principal} oninput={text_setter(dispatch, i, "principal")}
                            data-testid="principal" readonly={readonly} spellcheck="false" autocomplete="off"
                            class={bad("principal").then_some("invalid")} aria-invalid={bad("principal").then_some("true")} />
                    </div>
                    if service {
                        { field("Source ARN (aws:SourceArn)", "source-arn", ws.step_field(i, "sourceArn"), "e.g. arn:aws:ec2:us-east-1:111111111111:instance/i-0abc".into(), None, text_setter(dispatch, i, "sourceArn"), readonly, bad("sourceArn")) }
                        { field("Source account (aws:SourceAccount)", "source-account", ws.step_field(i, "sourceAccount"), "the source ARN's".into(), None, text_setter(dispatch, i, "sourceAccount"), readonly, bad("sourceAccount")) }
                    }
                    if assume {
                        { field("Action", "action", "sts:AssumeRole".into(), String::new(), None, Callback::noop(), true, false) }
                        <div class="field">
                            <span id="role-label">{ "Role ARN" }</span>
                            if !readonly {
                                { choices("Choose the role", "role-select", &ws.step_field(i, "roleArn"), &ws.role_arns(), {
                                    let d = dispatch.clone();
                                    Callback::from(move |v: String| d.dispatch(Action::SetStepText { step: i, field: "roleArn", text: v }))
                                }) }
                            }
                            <input type="text" aria-labelledby="role-label" value={ws.step_field(i, "roleArn")} oninput={text_setter(dispatch, i, "roleArn")}
                                data-testid="role-arn" readonly={readonly} spellcheck="false" autocomplete="off"
                                class={bad("roleArn").then_some("invalid")} aria-invalid={bad("roleArn").then_some("true")} />
                        </div>
                        { field("Session name", "session-name", ws.step_field(i, "sessionName"), if service { "the instance's ID or the function's name".into() } else { "e.g. alice".into() }, None, text_setter(dispatch, i, "sessionName"), readonly, bad("sessionName")) }
                        { field("External ID", "external-id", ws.step_field(i, "externalId"), "none".into(), None, text_setter(dispatch, i, "externalId"), readonly, bad("externalId")) }
                        <label class="field check">
                            <input type="checkbox" checked={step.get("mfa").is_some()} onchange={on_mfa} disabled={readonly} data-testid="mfa" />
                            <span>{ "Signed with MFA (aws:MultiFactorAuthPresent)" }</span>
                        </label>
                        { committed("Duration (seconds)", "duration-seconds", ws.step_field(i, "durationSeconds"), "3600", readonly, bad("durationSeconds"),
                            step_edit(dispatch, i, StepEdit::Duration)) }
                        { field("Source identity", "source-identity", ws.step_field(i, "sourceIdentity"), "none".into(), None,
                            text_setter(dispatch, i, "sourceIdentity"), readonly, bad("sourceIdentity")) }
                        { committed("Session tags (key=value, …)", "session-tags", ws.step_tags_text(i), "none", readonly, bad("sessionTags"),
                            step_edit(dispatch, i, StepEdit::Tags)) }
                        { committed("Transitive tag keys (key, …)", "transitive-tag-keys", ws.step_list_text(i, "transitiveTagKeys"), "none", readonly,
                            bad("transitiveTagKeys"), step_edit(dispatch, i, StepEdit::TransitiveKeys)) }
                    } else {
                        { field("Action", "action", ws.step_field(i, "action"), "s3:GetObject".into(), Some("s3-actions"), text_setter(dispatch, i, "action"), readonly, bad("action")) }
                        { field("Resource", "resource", ws.step_field(i, "resource"), "arn:aws:s3:::bucket/key".into(), Some("resources"), text_setter(dispatch, i, "resource"), readonly, bad("resource")) }
                    }
                    { field(
                        "Source IP (aws:SourceIp)", "source-ip", if ip_own { ip.clone() } else { String::new() },
                        if ip.is_empty() { "absent".into() } else { format!("{ip} (scenario default)") }, None,
                        context_setter(dispatch, i, SOURCE_IP.into()), readonly, bad("context")) }
                    { field(
                        "Time (aws:CurrentTime)", "current-time", if time_own { time.clone() } else { String::new() },
                        if time.is_empty() { "now".into() } else { format!("{time} (scenario default)") }, None,
                        context_setter(dispatch, i, CURRENT_TIME.into()), readonly, bad("context")) }
                    <fieldset class="context-keys">
                        <legend>{ "Other context keys" }</legend>
                        if others.is_empty() { <p class="muted">{ "None for this step." }</p> }
                        { for others.iter().map(|(k, v)| context_row(dispatch, i, k, v, readonly)) }
                        if !readonly {
                            <form class="row" onsubmit={add_key}>
                                <input type="text" id="new-context-key" aria-label="New context key name" placeholder="aws:SecureTransport"
                                    data-testid="new-context-key" spellcheck="false" autocomplete="off" />
                                <button type="submit" class="small">{ "Add key" }</button>
                            </form>
                        }
                    </fieldset>
                    <label class="field">
                        <span>{ "Expected outcome" }</span>
                        <select onchange={on_expect} disabled={readonly} data-testid="expect">
                            { for OUTCOMES.iter().map(|(v, l)| html! { <option value={*v} selected={*v == expect}>{ *l }</option> }) }
                        </select>
                    </label>
                </div>
                if assume {
                    <details class="more" open={session_slot.is_some() && data.focus.keys().any(|k| k.starts_with("steps["))}>
                        <summary>{ if session_slot.is_some() { "More: session policy (1)" } else { "More: session policy" } }</summary>
                        if let Some(slot) = &session_slot {
                            { data.editor(slot, "session policy".into(), dispatch, if readonly { Html::default() } else { html! {
                                <button type="button" class="small" onclick={remove_session_policy}>{ "Remove" }</button>
                            } }) }
                        } else if !readonly {
                            <p class="muted">{ "No session policy: the session has all of the role's permissions." }</p>
                            <button type="button" class="small" onclick={add_session_policy}>{ "+ Session policy" }</button>
                        }
                    </details>
                }
                if !readonly {
                    <div class="row end">
                        <button type="button" class="small" onclick={act(Action::MoveStep { up: true })} disabled={i == 0} data-testid="move-step-up"
                            title="Alt+Shift+↑">{ "Move up" }</button>
                        <button type="button" class="small" onclick={act(Action::MoveStep { up: false })} disabled={i + 1 >= ws.steps().len()}
                            data-testid="move-step-down" title="Alt+Shift+↓">{ "Move down" }</button>
                        <button type="button" class="small" onclick={act(Action::DuplicateStep(i))} data-testid="duplicate-step">{ "Duplicate" }</button>
                        <button type="button" class="small danger" onclick={remove} disabled={ws.steps().len() < 2} data-testid="remove-step"
                            title="Ctrl+Z brings it back">
                            { format!("Remove step {}", i + 1) }
                        </button>
                    </div>
                }
                <datalist id="s3-actions">{ for S3_ACTIONS.iter().map(|a| html! { <option value={*a} /> }) }</datalist>
                <datalist id="resources">
                    { for buckets.iter().flat_map(|b| [format!("arn:aws:s3:::{b}"), format!("arn:aws:s3:::{b}/")]).map(|r| html! { <option value={r} /> }) }
                </datalist>
            </details>
        </section>
    }
}

fn context_row(dispatch: &UseReducerDispatcher<State>, step: usize, key: &str, value: &str, readonly: bool) -> Html {
    let rename = {
        let d = dispatch.clone();
        let old = key.to_string();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let new = input.value();
            if new != old {
                if new.trim().is_empty() {
                    d.dispatch(Action::SetStepContext { step, key: old.clone(), text: String::new() });
                } else {
                    d.dispatch(Action::RenameContextKey { step, old: old.clone(), new });
                }
            }
        })
    };
    let remove = {
        let d = dispatch.clone();
        let key = key.to_string();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetStepContext { step, key: key.clone(), text: String::new() }))
    };
    html! {
        <div class="context-row" key={key.to_string()} data-testid="context-row">
            <input type="text" value={key.to_string()} onchange={rename} aria-label="Context key" readonly={readonly} spellcheck="false" />
            <input type="text" value={value.to_string()} oninput={context_setter(dispatch, step, key.to_string())}
                aria-label={format!("Value of {key}")} readonly={readonly} spellcheck="false" placeholder="value, true/false or [\"a\", \"b\"]" />
            if !readonly {
                <button type="button" class="small icon" onclick={remove} aria-label={format!("Remove {key}")}>{ "×" }</button>
            }
        </div>
    }
}
