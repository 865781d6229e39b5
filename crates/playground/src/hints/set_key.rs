//! "Set it for me": when a condition held or failed only because the
//! request does not carry its key, the explanation says where the
//! scenario sets that key ([`crate::explain::where_key_is_set`]); this
//! works out the one edit that sets it with the value the condition
//! expects, and the field of the request form (or account card) that
//! shows it.
//!
//! - `aws:MultiFactorAuthPresent` / `aws:MultiFactorAuthAge`: the MFA box
//!   of the AssumeRole step (the step itself when it is an AssumeRole, else
//!   the earlier step that made the caller's session);
//! - `sts:ExternalId`: the AssumeRole step's External ID;
//! - `aws:PrincipalOrgID` / `aws:ResourceOrgID`: the caller's or the
//!   resource's account's `orgId`;
//! - any other key: the step's `context`.
//!
//! The edit sets one value at one place of the document: everything else
//! in it stays as it was, byte for byte.

use serde_json::{json, Value};
use trustwalk_core::scenario::ScenarioResult;

use crate::explain::MissingKey;
use crate::steps::{context_value, is_assume_role};
use crate::{Ptr, Workspace};

/// Where the value an offer sets is shown, to bring it into view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A field of step `step`'s request form: a CSS selector inside the form.
    Step { step: usize, selector: String },
    /// A field of account `account`'s card: a CSS selector inside the card.
    Account { account: usize, id: String, selector: String },
}

/// One click that sets a key the request lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOffer {
    /// The button's words (inline code in backticks).
    pub label: String,
    /// The link's words, to the field that shows the value.
    pub link: String,
    pub ptr: Ptr,
    pub value: Value,
    /// What was at `ptr` when the offer was made (`None`: nothing): the
    /// edit is refused when the document changed there since.
    pub before: Option<Value>,
    pub target: Target,
}

/// The value that makes the condition do what the step needs: hold (an
/// Allow's condition) or fail (a Deny's), read from the policy's values.
/// `None` when no single value does it plainly (a wildcard, a variable, a
/// strict comparison, `Null`).
fn expected_value(m: &MissingKey) -> Option<String> {
    let op = m.operator.to_ascii_lowercase();
    let value = m.values.first()?;
    if op.contains("null") || value.contains("${") {
        return None;
    }
    if op.contains("like") && value.contains(['*', '?']) {
        return None;
    }
    // `NumericLessThan 3600` is not met by 3600 (nor, in a Deny with a
    // negated key, failed by it).
    let strict = ["lessthan", "greaterthan", "before", "after"].iter().any(|w| op.contains(w)) && !op.contains("equals");
    if strict {
        return None;
    }
    if op.contains("ipaddress") {
        // A network's own address lies in it: `10.0.0.0/8` → `10.0.0.0`.
        return Some(value.split('/').next().unwrap_or(value).to_string());
    }
    Some(value.clone())
}

fn is_mfa(key: &str) -> bool {
    matches!(key.to_ascii_lowercase().as_str(), "aws:multifactorauthpresent" | "aws:multifactorauthage")
}

/// The AssumeRole step whose MFA the caller of step `step` has: the step
/// itself when it is an AssumeRole, else the earlier step that made the
/// session it calls with.
fn assume_role_step(ws: &Workspace, result: &ScenarioResult, step: usize) -> Option<usize> {
    if ws.steps().get(step).is_some_and(is_assume_role) {
        return Some(step);
    }
    let principal = &result.steps.get(step)?.principal;
    if !principal.contains(":assumed-role/") {
        return None;
    }
    result.steps.iter().take(step).rposition(|s| s.session.as_deref() == Some(principal.as_str()))
}

fn step_target(step: usize, testid: &str) -> Target {
    Target::Step { step, selector: format!("[data-testid=\"{testid}\"]") }
}

/// The offer for the condition `m` of step `step`'s explanation, if one
/// edit sets its key plainly.
pub fn key_offer(ws: &Workspace, result: &ScenarioResult, step: usize, m: &MissingKey) -> Option<KeyOffer> {
    let lower = m.key.to_ascii_lowercase();
    let steps = Ptr::root().key("steps");
    let offer = |label: String, link: String, ptr: Ptr, value: Value, target: Target| {
        let before = ptr.get(&ws.doc).cloned();
        // Already so: nothing to offer.
        (before.as_ref() != Some(&value)).then_some(KeyOffer { label, link, ptr, value, before, target })
    };
    if is_mfa(&m.key) {
        let on = match (m.deny, m.operator.to_ascii_lowercase().contains("bool")) {
            // An Allow's `Bool … "false"` wants no MFA.
            (false, true) => m.values.first().is_some_and(|v| v.eq_ignore_ascii_case("true")),
            _ => true,
        };
        if let Some(s) = assume_role_step(ws, result, step).filter(|_| on) {
            let which = if s == step { "this step".to_string() } else { format!("step {}", s + 1) };
            return offer(
                format!("Tick MFA on {which}"),
                format!("Show the MFA box of step {}", s + 1),
                steps.index(s).key("mfa"),
                json!({}),
                step_target(s, "mfa"),
            );
        }
        // A user's own request: the key in the step's context, below.
    }
    let value = expected_value(m)?;
    if lower == "sts:externalid" {
        let s = step;
        if !ws.steps().get(s).is_some_and(is_assume_role) {
            return None;
        }
        return offer(
            format!("Set External ID `{value}`"),
            format!("Show the External ID of step {}", s + 1),
            steps.index(s).key("externalId"),
            Value::String(value),
            step_target(s, "external-id"),
        );
    }
    let org = match lower.as_str() {
        "aws:principalorgid" => Some((result.steps.get(step)?.principal_account.clone()?, "caller's")),
        "aws:resourceorgid" => Some((result.steps.get(step)?.resource_account.clone()?, "resource's")),
        _ => None,
    };
    if let Some((id, whose)) = org {
        let account = ws.accounts().iter().position(|a| a.get("id").and_then(Value::as_str) == Some(id.as_str()))?;
        return offer(
            format!("Set the {whose} account's `orgId` to `{value}`"),
            format!("Show the organization ID of account {id}"),
            Ptr::root().key("accounts").index(account).key("orgId"),
            Value::String(value),
            Target::Account { account, id, selector: "[data-testid=\"org-id\"]".into() },
        );
    }
    if lower.ends_with("orgpaths") || !ws.steps().get(step).is_some_and(Value::is_object) {
        return None;
    }
    let label = format!("Value of {}", m.key);
    let selector = format!("input[aria-label={}]", serde_json::to_string(&label).unwrap_or_default());
    offer(
        format!("Add `{}` = `{value}` to this step's context", m.key),
        format!("Show `{}` in the request of step {}", m.key, step + 1),
        steps.index(step).key("context").key(&m.key),
        context_value(&value),
        Target::Step { step, selector },
    )
}

impl Workspace {
    /// Makes the offer's edit, unless the document changed at its place
    /// since the offer was made.
    pub fn apply_key_offer(&mut self, o: &KeyOffer) -> Result<(), String> {
        if o.ptr.get(&self.doc) != o.before.as_ref() {
            return Err("the scenario changed since this was offered: look at the explanation again".into());
        }
        // The step or account must still be there (the pointer would make
        // objects on its way, not steps).
        let parent = match o.ptr.0.as_slice() {
            [crate::Seg::Key(a), crate::Seg::Index(i), ..] => self.doc.get(a.as_str()).and_then(|v| v.get(*i)).is_some_and(Value::is_object),
            _ => false,
        };
        if !parent {
            return Err(format!("nothing at {} any more", o.ptr));
        }
        // Objects missing on the way (a step's `context`) are made.
        let Some((last, on_the_way)) = o.ptr.0.split_last() else { return Err("nothing to set".into()) };
        let mut at = &mut self.doc;
        for seg in on_the_way {
            at = match (at, seg) {
                (Value::Object(m), crate::Seg::Key(k)) => m.entry(k.clone()).or_insert_with(|| json!({})),
                (Value::Array(a), crate::Seg::Index(i)) => a.get_mut(*i).ok_or_else(|| format!("nothing at {} any more", o.ptr))?,
                _ => return Err(format!("{} is not where the offer expected it", o.ptr)),
            };
        }
        match (at, last) {
            (Value::Object(m), crate::Seg::Key(k)) => {
                m.insert(k.clone(), o.value.clone());
                Ok(())
            }
            _ => Err(format!("{} is not where the offer expected it", o.ptr)),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;
