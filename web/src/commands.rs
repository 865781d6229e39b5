//! The real AWS commands, in the explanation: "Commands" of the selected
//! step (the call, an allowed AssumeRole's simulated credentials, the
//! `~/.aws/config` profile, the console's switch-role link) and "Build it
//! in AWS" for the whole scenario, each block with a Copy button. The text
//! is `trustwalk_playground::commands`'s; it is built only while its
//! disclosure is open. Nothing here fetches anything: the switch-role link
//! is text to copy (and a link the user may follow).

use std::rc::Rc;

use trustwalk_playground::commands::{self, Block, Doc, NOT_REAL};
use yew::prelude::*;

use crate::services;
use crate::state::State;

#[derive(Properties)]
pub struct CommandsProps {
    pub state: Rc<State>,
}

impl PartialEq for CommandsProps {
    /// The same state object (see `ExplanationProps`).
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

/// Which block was copied last, and whether the browser took it.
type Copied = UseStateHandle<Option<(String, bool)>>;

/// A block with its title and Copy button; `key` names it for tests
/// (`data-testid="commands-KEY"`, `copy-KEY`).
fn block(key: &str, title: &str, text: &str, copied: &Copied, note: Option<&str>) -> Html {
    let on_copy = {
        let (copied, key, text) = (copied.clone(), key.to_string(), text.to_string());
        Callback::from(move |_: MouseEvent| {
            let (c, k) = (copied.clone(), key.clone());
            services::copy_text(&text, move |ok| c.set(Some((k, ok))));
        })
    };
    let status = match copied.as_ref() {
        Some((k, true)) if k == key => "Copied",
        Some((k, false)) if k == key => "The browser refused: select the text and copy it",
        _ => "",
    };
    html! {
        <div class="command-block" data-testid={format!("commands-{key}")}>
            <div class="command-head">
                <h4>{ title.to_string() }</h4>
                if let Some(n) = note {
                    <span class="tag simulated">{ n.to_string() }</span>
                }
                <button type="button" class="small" onclick={on_copy} data-testid={format!("copy-{key}")} aria-label={format!("Copy {title}")}>{ "Copy" }</button>
                <span class="copy-status" role="status" data-testid={format!("copied-{key}")}>{ status }</span>
            </div>
            <pre><code>{ text.to_string() }</code></pre>
        </div>
    }
}

/// A `<details>` whose open state the component holds (its content is
/// built only while it is open).
fn disclosure(open: &UseStateHandle<bool>, testid: &str, summary: &str, body: impl FnOnce() -> Html) -> Html {
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            open.set(!*open);
        })
    };
    html! {
        <details class="commands" open={**open} data-testid={testid.to_string()}>
            <summary onclick={toggle}>{ summary.to_string() }</summary>
            if **open {
                { body() }
            }
        </details>
    }
}

#[function_component(Commands)]
pub fn commands_component(p: &CommandsProps) -> Html {
    let step_open = use_state(|| false);
    let build_open = use_state(|| false);
    let copied: Copied = use_state(|| None);
    let state = &p.state;
    let i = state.ws.selected_step;
    let step = state.result.as_ref().and_then(|r| r.steps.get(i).cloned());
    let step_part = disclosure(&step_open, "step-commands", "Commands", || {
        let loaded = commands::load(&state.ws);
        let made = loaded.as_ref().zip(step.as_ref()).and_then(|(s, r)| commands::step_commands(s, i, r, Doc::Value(&state.ws.doc)));
        let Some(c) = made else {
            return html! { <p class="muted">{ "The commands appear when the scenario loads and this step has a result." }</p> };
        };
        html! {
            <>
                { block("call", &c.call.title, &c.call.text, &copied, None) }
                if let Some(cr) = &c.credentials {
                    { block("credentials", "Temporary credentials", &cr.text(), &copied, Some(NOT_REAL)) }
                }
                if let Some(pr) = &c.profile {
                    { block("profile", &pr.title, &pr.text, &copied, None) }
                }
                if let Some(url) = &c.switch_role_url {
                    <div class="command-block" data-testid="commands-switch-role">
                        <div class="command-head">
                            <h4>{ "Console switch-role link" }</h4>
                            <button type="button" class="small" data-testid="copy-switch-role" onclick={{
                                let (copied, url) = (copied.clone(), url.clone());
                                Callback::from(move |_: MouseEvent| {
                                    let c = copied.clone();
                                    services::copy_text(&url, move |ok| c.set(Some(("switch-role".into(), ok))));
                                })
                            }}>{ "Copy" }</button>
                            <span class="copy-status" role="status" data-testid="copied-switch-role">{
                                match copied.as_ref() { Some((k, ok)) if k == "switch-role" => if *ok { "Copied" } else { "The browser refused: select the text and copy it" }, _ => "" }
                            }</span>
                        </div>
                        <p class="switch-role"><a href={url.clone()} target="_blank" rel="noopener noreferrer">{ url.clone() }</a></p>
                        if let Some(n) = &c.switch_role_note {
                            <p class="muted">{ n.clone() }</p>
                        }
                    </div>
                }
            </>
        }
    });
    let build_part = disclosure(&build_open, "build-commands", "Build it in AWS", || {
        let Some(s) = commands::load(&state.ws) else {
            return html! { <p class="muted">{ "The commands appear when the scenario loads." }</p> };
        };
        let blocks: Vec<Block> = commands::scenario_commands(&s, Doc::Value(&state.ws.doc));
        html! {
            <>
                <p class="muted">{ "The AWS CLI v2 commands that would build this scenario in real accounts, per account, each with a profile that may administer it. Each policy is written to a file first." }</p>
                { for blocks.iter().enumerate().map(|(n, b)| block(&format!("account-{}", n + 1), &b.title, &b.text, &copied, None)) }
            </>
        }
    });
    html! {
        <div class="commands-panel">
            { step_part }
            { build_part }
        </div>
    }
}
