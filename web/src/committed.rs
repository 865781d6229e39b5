//! A text field whose value is taken when it is committed (Enter or leaving
//! it), for values that mean nothing half-typed (an account ID) or that are
//! written back in a normal form (`team=red, project=x`). What is being
//! typed is kept by the field itself, so that the page redrawing meanwhile
//! (a save, the checks' answer) never resets it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CommittedProps {
    /// The value in the document: shown again when it changes.
    pub value: AttrValue,
    pub on_commit: Callback<String>,
    #[prop_or_default]
    pub testid: AttrValue,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub title: Option<AttrValue>,
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    #[prop_or_default]
    pub readonly: bool,
    #[prop_or_default]
    pub invalid: bool,
}

#[function_component(CommittedInput)]
pub fn committed_input(p: &CommittedProps) -> Html {
    let draft = use_state(|| p.value.to_string());
    {
        // The document's value changed (another edit, an undo): shown.
        let draft = draft.clone();
        use_effect_with(p.value.clone(), move |v| draft.set(v.to_string()));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.set(input.value());
        })
    };
    let onchange = {
        let on_commit = p.on_commit.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_commit.emit(input.value());
        })
    };
    html! {
        <input type="text" value={(*draft).clone()} {oninput} {onchange} data-testid={p.testid.clone()} placeholder={p.placeholder.clone()}
            title={p.title.clone()} inputmode={p.inputmode.clone()} readonly={p.readonly} spellcheck="false" autocomplete="off"
            class={p.invalid.then_some("invalid")} aria-invalid={p.invalid.then_some("true")} />
    }
}
