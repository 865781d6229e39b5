//! The flowchart of AWS's policy evaluation logic for the selected step
//! (issue #16), drawn by the playground (`trustwalk_playground::flowchart`)
//! as SVG, with its text alternative. Clicking a gate (or Enter or Space
//! on it) brings that gate's statements in the explanation into view and
//! focuses them.

use trustwalk_core::scenario::StepResult;
use trustwalk_playground::flowchart::Flowchart;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The explanation's gate `data-gate="…"` names, scrolled into view and
/// focused. The attribute is compared, not put in a selector: a level's
/// name is the user's text.
fn show_gate(gate: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let sections = doc.get_elements_by_class_name("gate");
    let found = (0..sections.length())
        .filter_map(|i| sections.item(i))
        .find(|e| e.get_attribute("data-testid").as_deref() == Some("gate") && e.get_attribute("data-gate").as_deref() == Some(gate));
    if let Some(section) = found.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        section.scroll_into_view_with_bool(true);
        let _ = section.focus();
    }
}

/// The gate named by the diagram node (or the text alternative's button)
/// the event happened in.
fn gate_of(e: &Event) -> Option<String> {
    let target = e.target()?.dyn_into::<Element>().ok()?;
    let node = target.closest("[data-gate], [data-show-gate]").ok().flatten()?;
    node.get_attribute("data-gate").or_else(|| node.get_attribute("data-show-gate"))
}

/// The diagram and its text alternative for `step` (nothing for a step
/// that was not evaluated).
pub fn flowchart(step: &StepResult) -> Html {
    let performance = web_sys::window().and_then(|w| w.performance());
    let t0 = performance.as_ref().map(web_sys::Performance::now);
    let Some(chart) = Flowchart::of(step) else { return html! {} };
    let markup = chart.svg();
    let text = chart.text_alternative();
    // For scripts/bench-web.mjs: the time to build the diagram's markup.
    if let (Some(p), Some(t0)) = (&performance, t0) {
        if let Some(w) = web_sys::window() {
            let _ = js_sys::Reflect::set(&w, &"__trustwalkFlowchartMs".into(), &(p.now() - t0).into());
        }
    }
    let onclick = Callback::from(|e: MouseEvent| {
        if let Some(gate) = gate_of(&e) {
            show_gate(&gate);
        }
    });
    let onclick_text = onclick.clone();
    let gates: Vec<Option<String>> = chart.rows.iter().map(|r| r.gate.clone()).collect();
    let onkeydown = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            if let Some(gate) = gate_of(&e) {
                e.prevent_default();
                show_gate(&gate);
            }
        }
    });
    // The markup is written entirely by the playground's flowchart, which
    // escapes every text it puts in.
    let svg = Html::from_html_unchecked(AttrValue::from(markup));
    html! {
        <details class="flowchart" open=true data-testid="flowchart" data-outcome={chart.decision.as_str()}>
            <summary>{ "How AWS evaluated it" }</summary>
            <div class="flowchart-diagram" {onclick} {onkeydown}>{ svg }</div>
            <details class="flowchart-text">
                <summary>{ "The diagram as text" }</summary>
                // A gate's line is a button to its statements, as its node is.
                <ol data-testid="flowchart-text" onclick={onclick_text}>
                    { for text.into_iter().enumerate().map(|(i, line)| match gates.get(i).cloned().flatten() {
                        Some(gate) => html! { <li><button type="button" class="link" data-show-gate={gate}>{ line }</button></li> },
                        None => html! { <li>{ line }</li> },
                    }) }
                </ol>
            </details>
        </details>
    }
}
