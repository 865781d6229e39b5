//! The accounts side by side: one card per account (ID and name
//! editable) with its users, groups, roles, buckets and resources and
//! their policy editors; SCP and RCP levels behind "more".

use std::rc::Rc;

use serde_json::Value;
use trustwalk_playground::explain::Mark;
use trustwalk_playground::layout::{editor_label, AccountCard, AccountPart, Entity, EntityKind};
use trustwalk_playground::{Keyed, PolicySlot};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::committed::CommittedInput;
use crate::editor::{AssistCell, CodeEditor, EditorProblem};
use crate::state::{Action, Focus, State};

/// Everything the editors need, by editor path.
#[derive(Clone, PartialEq, Default)]
pub struct EditorData {
    pub marks: Keyed<Rc<Vec<Mark>>>,
    pub problems: Keyed<Rc<Vec<EditorProblem>>>,
    /// Whether the checks' findings are of the current text (see
    /// `EditorProps::checks_current`).
    pub checks_current: bool,
    pub focus: Keyed<Focus>,
    pub messages: Keyed<String>,
    pub readonly: bool,
    /// What completion and hover read (the catalogue, the scenario).
    pub assist: AssistCell,
    /// Which scenario is open (it changes when another one is opened):
    /// part of each editor's key, so that an editor's undo history never
    /// reaches into the scenario opened before.
    pub scenario: u64,
}

impl EditorData {
    pub fn editor(&self, slot: &PolicySlot, title: String, dispatch: &UseReducerDispatcher<State>, extra: Html) -> Html {
        let path = slot.json_path.as_str();
        html! {
            <CodeEditor
                key={format!("{}:{path}", self.scenario)}
                path={AttrValue::from(path.to_string())}
                ptr={slot.ptr.clone()}
                label={AttrValue::from(editor_label(slot))}
                title={AttrValue::from(title)}
                text={AttrValue::from(slot.text.clone())}
                policy_type={slot.policy_type}
                marks={self.marks.get(path).cloned().unwrap_or_default()}
                problems={self.problems.get(path).cloned().unwrap_or_default()}
                checks_current={self.checks_current}
                focus={self.focus.get(path).copied()}
                message={self.messages.get(path).map(|m| AttrValue::from(m.clone()))}
                readonly={self.readonly}
                assist={self.assist.clone()}
                dispatch={dispatch.clone()}
            >{ extra }</CodeEditor>
        }
    }

    fn wants_open(&self, slots: &[PolicySlot]) -> bool {
        slots.iter().any(|s| {
            self.marks.get(&s.json_path).is_some_and(|m| !m.is_empty())
                || self.problems.get(&s.json_path).is_some_and(|p| p.iter().any(|x| x.severity != "suggestion"))
                || self.focus.contains_key(&s.json_path)
        })
    }
}

#[derive(Properties, PartialEq)]
pub struct AccountsProps {
    pub cards: Rc<Vec<AccountCard>>,
    pub data: Rc<EditorData>,
    pub dispatch: UseReducerDispatcher<State>,
}

#[function_component(Accounts)]
pub fn accounts(p: &AccountsProps) -> Html {
    html! {
        <section class="accounts" aria-label="Accounts and their policies" data-testid="accounts">
            { for p.cards.iter().map(|c| account_card(c, &p.data, &p.dispatch)) }
        </section>
    }
}

fn text_field(
    label: &str,
    value: &str,
    ptr: trustwalk_playground::Ptr,
    testid: &str,
    dispatch: &UseReducerDispatcher<State>,
    readonly: bool,
) -> Html {
    let dispatch = dispatch.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        dispatch.dispatch(Action::SetValue { ptr: ptr.clone(), value: Some(Value::String(input.value())) });
    });
    html! {
        <label class="field inline">
            <span>{ label.to_string() }</span>
            <input type="text" value={value.to_string()} {oninput} data-testid={testid.to_string()} readonly={readonly} spellcheck="false" />
        </label>
    }
}

/// The account's ID, committed on Enter or when the field is left (a
/// half-typed ID means nothing), so that the steps and policies that
/// referred to the old ID can follow it.
fn id_field(index: usize, value: &str, dispatch: &UseReducerDispatcher<State>, readonly: bool) -> Html {
    let dispatch = dispatch.clone();
    let on_commit = Callback::from(move |id: String| dispatch.dispatch(Action::RenameAccountId { index, id }));
    html! {
        <label class="field inline">
            <span>{ "ID" }</span>
            <CommittedInput value={AttrValue::from(value.to_string())} {on_commit} testid="account-id" {readonly} inputmode={AttrValue::from("numeric")}
                title={AttrValue::from("12 digits; steps and policies that name the old ID are updated when you press Enter or leave the field")} />
        </label>
    }
}

fn account_card(c: &AccountCard, data: &EditorData, dispatch: &UseReducerDispatcher<State>) -> Html {
    let part_class = match c.part {
        AccountPart::Trusted => "trusted",
        AccountPart::Trusting => "trusting",
        AccountPart::Both => "both",
        AccountPart::Other => "other",
    };
    let heading_id = format!("account-{}", c.index);
    let more_slots: Vec<PolicySlot> = c.scps.iter().chain(c.rcps.iter()).cloned().collect();
    let more_count = more_slots.len();
    html! {
        <article class={crate::cls(&["account", part_class])} aria-labelledby={heading_id.clone()} data-testid="account" data-account={c.id.clone()}>
            <header class="account-head">
                <h2 id={heading_id}>
                    <span class="account-name">{ if c.name.is_empty() { "Account".to_string() } else { c.name.clone() } }</span>
                    if !c.part.badge().is_empty() {
                        <span class={crate::cls(&["part", part_class])} title={c.part.label()}>{ c.part.badge() }</span>
                    }
                </h2>
                <div class="account-fields">
                    { id_field(c.index, &c.id, dispatch, data.readonly) }
                    { text_field("Name", &c.name, c.ptr.key("name"), "account-name", dispatch, data.readonly) }
                    if let Some(org) = &c.org_id {
                        { text_field("Org ID", org, c.ptr.key("orgId"), "org-id", dispatch, data.readonly) }
                    }
                </div>
            </header>
            if c.entities.is_empty() {
                <p class="muted">{ "No users, roles or buckets." }</p>
            }
            { for c.entities.iter().map(|e| entity(c.index, e, data, dispatch)) }
            <details class="more" open={data.wants_open(&more_slots)}>
                <summary>{ format!("More: SCPs and RCPs ({more_count})") }</summary>
                { org_levels(c, "scps", "Service control policies", &c.scps, data, dispatch) }
                { org_levels(c, "rcps", "Resource control policies", &c.rcps, data, dispatch) }
            </details>
        </article>
    }
}

fn entity(account: usize, e: &Entity, data: &EditorData, dispatch: &UseReducerDispatcher<State>) -> Html {
    let add_policy = (e.kind == EntityKind::Bucket && e.slots.is_empty() && !data.readonly).then(|| {
        let bucket = match e.ptr.0.last() {
            Some(trustwalk_playground::path::Seg::Index(i)) => *i,
            _ => 0,
        };
        let d = dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| d.dispatch(Action::AddBucketPolicy { account, bucket }));
        html! { <button type="button" class="small" {onclick} data-testid="add-bucket-policy">{ "+ Bucket policy" }</button> }
    });
    html! {
        <section class={crate::cls(&["entity", e.kind.label()])} data-testid="entity">
            <h3>
                <span class="kind">{ e.kind.label() }</span>
                <span class="entity-name">{ e.name.clone() }</span>
            </h3>
            <p class="arn" title="ARN"><code>{ e.arn.clone() }</code></p>
            { for e.notes.iter().map(|n| html! { <p class="note">{ n.clone() }</p> }) }
            { for e.slots.iter().map(|s| data.editor(s, s.title.clone(), dispatch, Html::default())) }
            { add_policy.unwrap_or_default() }
        </section>
    }
}

fn org_levels(
    c: &AccountCard,
    key: &'static str,
    title: &str,
    slots: &[PolicySlot],
    data: &EditorData,
    dispatch: &UseReducerDispatcher<State>,
) -> Html {
    let account = c.index;
    let add = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::AddPolicyLevel { account, key }))
    };
    let remove = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::RemovePolicyLevel { account, key }))
    };
    let short = if key == "scps" { "SCP" } else { "RCP" };
    html! {
        <div class="org-levels">
            <h3>{ title.to_string() }</h3>
            if slots.is_empty() {
                <p class="muted">{ format!("None: no {short}s apply to this account.") }</p>
            }
            { for slots.iter().map(|s| data.editor(s, format!("{} · {}", s.owner, s.title), dispatch, Html::default())) }
            if !data.readonly {
                <div class="row">
                    <button type="button" class="small" onclick={add}>{ format!("+ {short} level") }</button>
                    if !slots.is_empty() {
                        <button type="button" class="small" onclick={remove}>{ format!("Remove last {short} level") }</button>
                    }
                </div>
            }
        </div>
    }
}
