//! The Tighten dialog's body: the proposal's summary and notes, the diff
//! from the editor's text to the proposed one, and "Apply", which puts the
//! proposed text in the editor through the editors' own action (so it is
//! saved and Ctrl+Z undoes it).

use std::rc::Rc;

use trustwalk_core::review::tighten::LineKind;
use trustwalk_playground::tighten::TightenView;
use yew::prelude::*;

use crate::state::{Action, State};

pub fn body(view: &Rc<TightenView>, dispatch: &UseReducerDispatcher<State>) -> Html {
    let apply = {
        let (d, v) = (dispatch.clone(), view.clone());
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::EditPolicy { ptr: v.ptr.clone(), path: v.path.clone(), text: v.text.clone() });
            d.dispatch(Action::CloseModal);
            d.dispatch(Action::Notify { error: false, text: format!("{} tightened. Ctrl+Z undoes it.", v.policy) });
        })
    };
    let cancel = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::CloseModal))
    };
    html! {
        <div class="tighten" data-testid="tighten-dialog">
            <p><strong>{ view.policy.clone() }</strong>{ ": " }<span data-testid="tighten-summary">{ view.summary.clone() }</span></p>
            { for view.notes.iter().map(|n| html! { <p class="note" data-testid="tighten-note">{ n.clone() }</p> }) }
            if view.changed {
                <pre class="diff mono" data-testid="tighten-diff" aria-label="Changes to the policy">
                    { for view.lines.iter().map(|l| {
                        let (class, mark) = match l.kind {
                            LineKind::Same => ("same", ' '),
                            LineKind::Removed => ("removed", '-'),
                            LineKind::Added => ("added", '+'),
                        };
                        html! { <div class={class}>{ format!("{mark} {}", l.text) }</div> }
                    }) }
                </pre>
            }
            <div class="row end">
                <button type="button" onclick={cancel}>{ if view.changed { "Cancel" } else { "Close" } }</button>
                if view.changed {
                    <button type="button" class="primary" onclick={apply} data-testid="tighten-apply">{ "Apply" }</button>
                }
            </div>
        </div>
    }
}
