//! Trustwalk's first web page: one identity policy, one request, and the
//! decision, recomputed by the core on every keystroke. A walking skeleton,
//! to be replaced by the full playground.

use trustwalk_core::single::{self, SingleOutcome};
use trustwalk_core::Decision;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The words the page shows for a decision (the browser tests look for them).
fn decision_label(decision: Option<Decision>) -> &'static str {
    match decision {
        Some(Decision::Allowed) => "Allowed",
        Some(Decision::ExplicitDeny) => "Explicit deny",
        Some(Decision::ImplicitDeny) => "Implicit deny",
        None => "No decision",
    }
}

/// A CSS class for the decision badge.
fn decision_class(decision: Option<Decision>) -> &'static str {
    match decision {
        Some(Decision::Allowed) => "decision allowed",
        Some(Decision::ExplicitDeny) => "decision explicit-deny",
        Some(Decision::ImplicitDeny) => "decision implicit-deny",
        None => "decision none",
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    id: AttrValue,
    label: AttrValue,
    hint: AttrValue,
    value: AttrValue,
    on_change: Callback<String>,
}

/// A labelled textarea that reports its whole text on every input event.
#[function_component(Editor)]
fn editor(props: &EditorProps) -> Html {
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let area: HtmlTextAreaElement = e.target_unchecked_into();
        on_change.emit(area.value());
    });
    let hint_id = format!("{}-hint", props.id);
    html! {
        <div class="editor">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <p class="hint" id={hint_id.clone()}>{ props.hint.clone() }</p>
            <textarea
                id={props.id.clone()}
                data-testid={props.id.clone()}
                aria-describedby={hint_id}
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                rows="18"
                value={props.value.clone()}
                {oninput}
            />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ResultProps {
    outcome: SingleOutcomeView,
}

/// What the result panel shows, copied out of the core's outcome.
#[derive(PartialEq, Clone)]
struct SingleOutcomeView {
    decision: Option<Decision>,
    summary: String,
    /// (is_error, rendered "line:col: message (at path)")
    diagnostics: Vec<(bool, String)>,
}

impl From<SingleOutcome> for SingleOutcomeView {
    fn from(outcome: SingleOutcome) -> Self {
        Self {
            decision: outcome.decision,
            summary: outcome.summary,
            diagnostics: outcome
                .errors
                .iter()
                .map(|d| (d.is_error(), d.render()))
                .collect(),
        }
    }
}

#[function_component(ResultPanel)]
fn result_panel(props: &ResultProps) -> Html {
    let outcome = &props.outcome;
    html! {
        <section class="result" aria-labelledby="result-heading">
            <h2 id="result-heading">{ "Decision" }</h2>
            <div aria-live="polite">
                <p class={decision_class(outcome.decision)} data-testid="decision">
                    { decision_label(outcome.decision) }
                </p>
                <p class="summary" data-testid="summary">{ outcome.summary.clone() }</p>
            </div>
            <h3 id="errors-heading">{ format!("Problems ({})", outcome.diagnostics.len()) }</h3>
            <ul class="errors" data-testid="errors" aria-labelledby="errors-heading">
                { for outcome.diagnostics.iter().map(|(is_error, text)| html! {
                    <li class={if *is_error { "error" } else { "warning" }}>
                        <span class="severity">{ if *is_error { "error" } else { "warning" } }</span>
                        { " " }
                        <code>{ text.clone() }</code>
                    </li>
                }) }
            </ul>
        </section>
    }
}

#[function_component(App)]
fn app() -> Html {
    let policy = use_state(|| single::EXAMPLE_POLICY.to_string());
    let request = use_state(|| single::EXAMPLE_REQUEST.to_string());

    let outcome = {
        let (policy, request) = ((*policy).clone(), (*request).clone());
        use_memo((policy, request), |(policy, request)| {
            SingleOutcomeView::from(single::decide(policy, request))
        })
    };

    let on_policy = {
        let policy = policy.clone();
        Callback::from(move |text: String| policy.set(text))
    };
    let on_request = {
        let request = request.clone();
        Callback::from(move |text: String| request.set(text))
    };

    html! {
        <main class="app">
            <header>
                <h1>{ "Trustwalk" }</h1>
                <p class="tagline">
                    { "Does this identity policy allow this request? Edit either side: the decision follows as you type. Everything runs in your browser." }
                </p>
            </header>
            <div class="panes">
                <Editor
                    id="policy"
                    label="Identity policy"
                    hint="An AWS IAM identity policy, as JSON."
                    value={AttrValue::from((*policy).clone())}
                    on_change={on_policy}
                />
                <Editor
                    id="request"
                    label="Request"
                    hint={r#"JSON: {"principal", "action", "resource", "context": {…}}."#}
                    value={AttrValue::from((*request).clone())}
                    on_change={on_request}
                />
            </div>
            <ResultPanel outcome={(*outcome).clone()} />
        </main>
    }
}

fn main() {
    console_error_panic_hook::set_once();
    yew::Renderer::<App>::new().render();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decision_has_the_words_the_page_promises() {
        assert_eq!(decision_label(Some(Decision::Allowed)), "Allowed");
        assert_eq!(decision_label(Some(Decision::ExplicitDeny)), "Explicit deny");
        assert_eq!(decision_label(Some(Decision::ImplicitDeny)), "Implicit deny");
        assert_eq!(decision_label(None), "No decision");
    }

    #[test]
    fn the_built_in_example_is_allowed() {
        let view = SingleOutcomeView::from(single::decide(
            single::EXAMPLE_POLICY,
            single::EXAMPLE_REQUEST,
        ));
        assert_eq!(view.decision, Some(Decision::Allowed), "{:?}", view.diagnostics);
    }
}
