//! The embedded read-only view (`#embed&s=…`), laid out for a frame of
//! about 600×500: the story (the steps with their verdicts) on top, then
//! the explanation and the policies side by side, or as two tabs when the
//! frame is narrow; each part scrolls on its own and the page never does.
//!
//! Also the Embed dialog: the step shown first, the theme and the frame's
//! height, with the snippet and a live preview following the options.

use std::rc::Rc;

use trustwalk_playground::layout::AccountCard;
use trustwalk_playground::share::{self, EmbedOptions, Theme, View, DEFAULT_EMBED_HEIGHT, EMBED_HEIGHTS};
use trustwalk_playground::Workspace;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::accounts::{Accounts, EditorData};
use crate::explain::Explanation;
use crate::services;
use crate::state::State;
use crate::steps::step_list;

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub state: UseReducerHandle<State>,
    pub cards: Rc<Vec<AccountCard>>,
    pub data: Rc<EditorData>,
    pub title: AttrValue,
    /// The playground link for what is shown, once compressed.
    pub open_url: Option<AttrValue>,
    pub notices: Html,
}

/// Which pane a narrow frame shows.
#[derive(Clone, Copy, PartialEq)]
enum Pane {
    Why,
    Policies,
}

#[function_component(EmbedView)]
pub fn embed_view(p: &EmbedViewProps) -> Html {
    let state = &p.state;
    let dispatch = state.dispatcher();
    let pane = use_state(|| Pane::Why);
    // A statement clicked in the explanation is shown in its policy: a
    // narrow frame turns to the policies.
    {
        let pane = pane.clone();
        use_effect_with(state.focus.clone(), move |focus| {
            if !focus.is_empty() {
                pane.set(Pane::Policies);
            }
        });
    }
    let tab = |which: Pane, label: &str, testid: &str, controls: &str| {
        let pane_handle = pane.clone();
        let selected = *pane == which;
        html! {
            <button type="button" role="tab" class={crate::cls(&["tab", if selected { "selected" } else { "" }])} aria-selected={selected.to_string()}
                aria-controls={controls.to_string()} data-testid={testid.to_string()} onclick={Callback::from(move |_: MouseEvent| pane_handle.set(which))}>
                { label.to_string() }
            </button>
        }
    };
    let shown = if *pane == Pane::Why { "why" } else { "policies" };
    html! {
        <div class="app embed" data-testid="embed-view" data-pane={shown}>
            <header class="embed-head">
                <h1 title={p.title.clone()}>{ p.title.clone() }</h1>
                <a class="button primary small" href={p.open_url.clone()} target="_blank" rel="noopener" data-testid="open-in-playground">{ "Open in playground ↗" }</a>
            </header>
            { p.notices.clone() }
            <section class="embed-story" aria-label="Steps" data-testid="embed-story">
                { step_list(state, &dispatch) }
            </section>
            <div class="embed-tabs" role="tablist" aria-label="Explanation or policies">
                { tab(Pane::Why, "Why", "embed-tab-why", "embed-why") }
                { tab(Pane::Policies, "Policies", "embed-tab-policies", "embed-policies") }
            </div>
            <div class="embed-panes">
                <div class="embed-pane pane-why" id="embed-why" role="tabpanel" data-testid="embed-why">
                    <Explanation state={Rc::new((**state).clone())} dispatch={dispatch.clone()} />
                </div>
                <div class="embed-pane pane-policies" id="embed-policies" role="tabpanel" data-testid="embed-policies">
                    <Accounts cards={p.cards.clone()} data={p.data.clone()} dispatch={dispatch.clone()} />
                </div>
            </div>
            <footer class="embed-foot"><span>{ "Simulated by Trustwalk in your browser." }</span></footer>
        </div>
    }
}

/// The theme an embed link asks for, as `<html data-theme>` takes it.
pub fn link_theme() -> &'static str {
    share::embed_options(&services::location_hash()).theme.attribute()
}

#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    pub ws: Workspace,
}

/// The link of `ws` shown in the embedded view with `options`.
async fn embed_url(ws: &Workspace, options: EmbedOptions) -> Result<String, String> {
    let deflated = services::deflate_raw(&share::payload(ws, View::Embed)).await?;
    Ok(format!("{}{}", services::base_url(), share::embed_fragment_from(&deflated, &options)))
}

/// The Embed dialog's body: options, snippet, copy, live preview.
#[function_component(EmbedDialog)]
pub fn embed_dialog(p: &EmbedDialogProps) -> Html {
    let steps = p.ws.steps().len();
    let step = use_state(|| p.ws.selected_step);
    let theme = use_state(Theme::default);
    let height_text = use_state(|| DEFAULT_EMBED_HEIGHT.to_string());
    let url = use_state(|| None::<String>);
    let copied = use_state(|| None::<bool>);
    let error = use_state(|| None::<String>);
    {
        let (url, copied, error) = (url.clone(), copied.clone(), error.clone());
        let mut ws = p.ws.clone();
        use_effect_with((*step, *theme, p.ws.clone()), move |(step, theme, _)| {
            ws.select_step(*step);
            let options = EmbedOptions { step: Some(ws.selected_step), theme: *theme };
            wasm_bindgen_futures::spawn_local(async move {
                match embed_url(&ws, options).await {
                    Ok(u) => {
                        url.set(Some(u));
                        copied.set(None);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let height = height_text.trim().parse::<u32>().ok().filter(|h| EMBED_HEIGHTS.contains(h));
    let snippet = url.as_ref().map(|u| share::embed_snippet(u, p.ws.title(), height.unwrap_or(DEFAULT_EMBED_HEIGHT)));
    let on_step = {
        let step = step.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = s.value().parse::<usize>() {
                step.set(i);
            }
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            theme.set(Theme::parse(&s.value()).unwrap_or_default());
        })
    };
    let on_height = {
        let height_text = height_text.clone();
        Callback::from(move |e: InputEvent| height_text.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let copy = {
        let (copied, snippet) = (copied.clone(), snippet.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = &snippet {
                let copied = copied.clone();
                services::copy_text(s, move |ok| copied.set(Some(ok)));
            }
        })
    };
    let names: Vec<String> = (0..steps)
        .map(|i| {
            let id = p.ws.step_field(i, "id");
            let action = p.ws.step_field(i, "action");
            if id.is_empty() {
                format!("Step {} — {action}", i + 1)
            } else {
                format!("Step {} — {id}", i + 1)
            }
        })
        .collect();
    html! {
        <>
            <p>{ "Paste this HTML into a page: it shows the steps with their verdicts, the explanation and the policies read-only, with a link to open the scenario in the playground." }</p>
            <div class="embed-options">
                <label class="field">
                    <span>{ "Step shown first" }</span>
                    <select onchange={on_step} data-testid="embed-step">
                        { for names.iter().enumerate().map(|(i, n)| html! { <option value={i.to_string()} selected={i == *step}>{ n.clone() }</option> }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Theme" }</span>
                    <select onchange={on_theme} data-testid="embed-theme">
                        { for Theme::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={*t == *theme}>{ match t {
                                Theme::Auto => "Auto (the reader's system)",
                                Theme::Light => "Light",
                                Theme::Dark => "Dark",
                            } }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{ "Height (pixels)" }</span>
                    <input type="text" inputmode="numeric" value={(*height_text).clone()}
                        oninput={on_height} data-testid="embed-height" aria-invalid={height.is_none().then_some("true")} />
                </label>
            </div>
            if height.is_none() {
                <p class="error" role="alert" data-testid="embed-height-error">
                    { format!("The height must be a whole number of pixels from {} to {}: the snippet uses {DEFAULT_EMBED_HEIGHT} until then.", EMBED_HEIGHTS.start(), EMBED_HEIGHTS.end()) }
                </p>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ format!("The link could not be made: {e}") }</p> }
            if let Some(snippet) = &snippet {
                <label class="field">
                    <span>{ "HTML snippet" }</span>
                    <textarea readonly=true rows="4" value={snippet.clone()} data-testid="embed-snippet" onfocus={Callback::from(|e: FocusEvent| {
                        e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().select();
                    })} />
                </label>
                <div class="row">
                    <button type="button" onclick={copy}>{ "Copy snippet" }</button>
                    <span role="status">{ match *copied { Some(true) => "Copied.", Some(false) => "Select the text and copy it.", None => "" } }</span>
                </div>
                <div class="embed-preview">
                    <span class="muted">{ "Preview" }</span>
                    // Made anew for each link: a link that differs only after
                    // its `#` would not load the page again.
                    <iframe key={url.as_ref().cloned().unwrap_or_default()} src={url.as_ref().cloned()} title="Preview of the embedded view" width="100%" height={height.unwrap_or(DEFAULT_EMBED_HEIGHT).to_string()}
                        data-testid="embed-preview"></iframe>
                </div>
            } else if error.is_none() {
                <p class="muted">{ "Making the link…" }</p>
            }
        </>
    }
}
