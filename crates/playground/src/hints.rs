//! Hints for a statement that did not match the request: the policy's
//! values beside the request's, the nearest one by edit distance ("did you
//! mean staging (111111111111)?"), the S3 rule that ListBucket is
//! authorised against the bucket, not its objects, and the single edit
//! that fixes it where there is one.
//!
//! The listed values are read back from the policy's text at the span the
//! trace gives for the element, so the trace itself stays as lean as it is
//! (the CLI writes it for every step); this runs only for the step on
//! screen.

pub mod set_key;

use trustwalk_core::json::{self, Json, JsonKind, Span};
use trustwalk_core::text::edit_distance;
use trustwalk_core::trace::StatementTrace;

/// One hint, with the edit that applies it when it is a single edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The sentence shown (inline code in backticks).
    pub text: String,
    pub fix: Option<Fix>,
}

/// Replace `from..to` of the policy's text by `insert`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The button's words: "Use `sts:AssumeRole`".
    pub label: String,
    pub from: usize,
    pub to: usize,
    pub insert: String,
}

/// An account of the scenario, for "did you mean staging (111111111111)?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAccount {
    pub id: String,
    pub name: Option<String>,
}

impl KnownAccount {
    fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

/// The scenario's accounts, from the document's `accounts`.
pub fn known_accounts(accounts: &[serde_json::Value]) -> Vec<KnownAccount> {
    accounts
        .iter()
        .filter_map(|a| {
            let id = a.get("id")?.as_str()?.to_string();
            Some(KnownAccount { id, name: a.get("name").and_then(serde_json::Value::as_str).map(str::to_string) })
        })
        .collect()
}

/// The hints of one statement of a step's evaluation, with the editor
/// their fixes go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementHints {
    /// The policy's name as the trace gives it, and the statement's index.
    pub policy: String,
    pub statement: usize,
    pub ptr: crate::Ptr,
    /// The editor's JSON path.
    pub path: String,
    /// The length of the policy's text the hints were worked out on (a fix
    /// is refused when the text changed since).
    pub text_len: usize,
    pub hints: Vec<Hint>,
}

/// The hints of the Allow statements of `ws`'s policies that did not match
/// `step`.
pub fn step_hints(ws: &crate::Workspace, step: &trustwalk_core::scenario::StepResult) -> Vec<StatementHints> {
    let Some(ev) = &step.evaluation else { return Vec::new() };
    let slots = ws.policy_slots();
    let accounts = known_accounts(ws.accounts());
    let mut out = Vec::new();
    for p in ev.gates.iter().flat_map(|g| &g.policies) {
        let Some(slot) = slots.iter().find(|s| s.display == p.name) else { continue };
        for s in p.statements.iter().filter(|s| !s.matched && s.effect == trustwalk_core::policy::Effect::Allow) {
            let hints = statement_hints(&slot.text, s, &accounts);
            if !hints.is_empty() {
                let (ptr, path, text_len) = (slot.ptr.clone(), slot.json_path.clone(), slot.text.len());
                out.push(StatementHints { policy: p.name.clone(), statement: s.index, ptr, path, text_len, hints });
            }
        }
    }
    out
}

/// A listed value of an element, with where its string literal is in the
/// policy's text (quotes included).
struct Listed {
    value: String,
    at: Span,
}

/// The string values of the element whose value spans `span` in `text`
/// (a string, an array of strings, or a Principal object of them), with
/// their positions in `text`.
fn listed(text: &str, span: Span) -> Vec<Listed> {
    let Some(fragment) = text.get(span.start..span.end) else { return Vec::new() };
    let Ok(tree) = json::parse(fragment) else { return Vec::new() };
    let mut out = Vec::new();
    collect(&tree, span.start, &mut out);
    out
}

fn collect(j: &Json, offset: usize, out: &mut Vec<Listed>) {
    match &j.kind {
        JsonKind::String(s) => out.push(Listed { value: s.clone(), at: Span { start: offset + j.span.start, end: offset + j.span.end, ..j.span } }),
        JsonKind::Array(items) => items.iter().for_each(|i| collect(i, offset, out)),
        JsonKind::Object(members) => members.iter().for_each(|m| collect(&m.value, offset, out)),
        _ => {}
    }
}

/// How close a value must be to count as a typo of another: 1 edit for
/// short names, up to 3 for long ones.
fn close_enough(a: &str) -> usize {
    (a.chars().count() / 6).clamp(1, 3)
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

fn code_list(items: &[Listed]) -> String {
    let v: Vec<String> = items.iter().map(|l| format!("`{}`", l.value)).collect();
    v.join(", ")
}

/// The hints for `statement` of a policy whose text is `text`, which did not
/// match a request by `principal` for `action` on `resource`.
pub fn statement_hints(text: &str, statement: &StatementTrace, accounts: &[KnownAccount]) -> Vec<Hint> {
    let mut out = Vec::new();
    if let Some(p) = statement.principal.as_ref().filter(|p| !p.matched && p.element == "Principal") {
        principal_hints(text, p.span, &p.request_value, accounts, &mut out);
    }
    let action = &statement.action;
    if !action.matched && action.element == "Action" {
        action_hints(text, action.span, &action.request_value, &mut out);
    }
    if let Some(r) = statement.resource.as_ref().filter(|r| !r.matched && r.element == "Resource") {
        resource_hints(text, r.span, &r.request_value, &action.request_value, &mut out);
    }
    out
}

/// The account ID in a principal value: a 12-digit ID or an ARN's.
fn account_of(value: &str) -> Option<(&str, usize)> {
    let is_id = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if is_id(value) {
        return Some((value, 0));
    }
    let mut start = 0;
    for (i, part) in value.split(':').enumerate() {
        if i == 4 && is_id(part) {
            return Some((part, start));
        }
        start += part.len() + 1;
    }
    None
}

fn principal_hints(text: &str, span: Span, request: &str, accounts: &[KnownAccount], out: &mut Vec<Hint>) {
    let values = listed(text, span);
    if values.is_empty() {
        return;
    }
    // An account the scenario does not have, one or two digits from one it has.
    for l in &values {
        let Some((id, at)) = account_of(&l.value) else { continue };
        if accounts.iter().any(|a| a.id == id) {
            continue;
        }
        let near = accounts.iter().map(|a| (edit_distance(id, &a.id), a)).filter(|(d, _)| *d <= 2).min_by_key(|(d, _)| *d);
        if let Some((_, a)) = near {
            // The ID's place in the text: inside the quotes, at `at`.
            let from = l.at.start + 1 + at;
            out.push(Hint {
                text: format!("The policy lists `{}`, and the scenario has no account `{id}`: did you mean {}?", l.value, a.label()),
                fix: Some(Fix { label: format!("Use {}", a.id), from, to: from + id.len(), insert: a.id.clone() }),
            });
            return;
        }
    }
    out.push(Hint { text: format!("The policy lists {}; the request's principal is `{request}`.", code_list(&values)), fix: None });
}

fn action_hints(text: &str, span: Span, request: &str, out: &mut Vec<Hint>) {
    let values = listed(text, span);
    let typo = values
        .iter()
        .filter(|l| !l.value.contains(['*', '?']))
        .map(|l| (edit_distance(&l.value.to_ascii_lowercase(), &request.to_ascii_lowercase()), l))
        .filter(|(d, _)| *d > 0 && *d <= close_enough(request))
        .min_by_key(|(d, _)| *d);
    match typo {
        Some((_, l)) => out.push(Hint {
            text: format!("The policy lists `{}`: did you mean `{request}`?", l.value),
            fix: Some(Fix { label: format!("Use `{request}`"), from: l.at.start, to: l.at.end, insert: quoted(request) }),
        }),
        None if !values.is_empty() => {
            out.push(Hint { text: format!("The policy lists {}; the request's action is `{request}`.", code_list(&values)), fix: None })
        }
        None => {}
    }
}

/// `arn:aws:s3:::bucket/key` → (`bucket`, whether it names an object).
fn s3_bucket(arn: &str) -> Option<(&str, bool)> {
    let rest = arn.strip_prefix("arn:aws:s3:::")?;
    Some(match rest.split_once('/') {
        Some((b, _)) => (b, true),
        None => (rest, false),
    })
}

fn resource_hints(text: &str, span: Span, request: &str, action: &str, out: &mut Vec<Hint>) {
    let values = listed(text, span);
    if values.is_empty() {
        return;
    }
    let Some((bucket, object)) = s3_bucket(request) else {
        out.push(Hint { text: format!("The policy lists {}; the request's resource is `{request}`.", code_list(&values)), fix: None });
        return;
    };
    // A bucket-level action (ListBucket…) given only the bucket's objects.
    let objects_of_bucket = values.iter().find(|l| l.value == format!("arn:aws:s3:::{bucket}/*"));
    if let (false, Some(l)) = (object, objects_of_bucket) {
        let name = action.split(':').nth(1).unwrap_or(action);
        let bucket_arn = format!("arn:aws:s3:::{bucket}");
        // Into the array before the listed value, or the lone string made an array.
        let single = text.get(span.start..span.end).is_some_and(|t| t.trim_start().starts_with('"'));
        let fix = if single {
            Fix {
                label: format!("Add `{bucket_arn}`"),
                from: span.start,
                to: span.end,
                insert: format!("[{}, {}]", quoted(&bucket_arn), quoted(&l.value)),
            }
        } else {
            Fix { label: format!("Add `{bucket_arn}`"), from: l.at.start, to: l.at.start, insert: format!("{}, ", quoted(&bucket_arn)) }
        };
        out.push(Hint {
            text: format!(
                "{name} is authorised against the bucket ARN `{bucket_arn}`, not its objects (`{}`): add the bucket ARN to Resource.",
                l.value
            ),
            fix: Some(fix),
        });
        return;
    }
    // Another bucket, perhaps a typo of this one.
    let others: Vec<&Listed> = values.iter().filter(|l| s3_bucket(&l.value).is_some_and(|(b, _)| b != bucket && !b.contains(['*', '?']))).collect();
    let near = others
        .iter()
        .filter_map(|l| s3_bucket(&l.value).map(|(b, _)| (edit_distance(b, bucket), b, *l)))
        .filter(|(d, _, _)| *d <= close_enough(bucket))
        .min_by_key(|(d, _, _)| *d);
    if let Some((_, b, l)) = near {
        let from = l.at.start + 1 + "arn:aws:s3:::".len();
        out.push(Hint {
            text: format!("The policy lists `{}`, in bucket `{b}`: did you mean bucket `{bucket}`?", l.value),
            fix: Some(Fix { label: format!("Use `{bucket}`"), from, to: from + b.len(), insert: bucket.to_string() }),
        });
    } else if !others.is_empty() && others.len() == values.len() {
        let mut names: Vec<String> = others.iter().filter_map(|l| s3_bucket(&l.value)).map(|(b, _)| format!("`{b}`")).collect();
        names.dedup();
        out.push(Hint {
            text: format!("The policy lists resources in bucket {} only; the request is to bucket `{bucket}`.", names.join(", ")),
            fix: None,
        });
    } else {
        out.push(Hint { text: format!("The policy lists {}; the request's resource is `{request}`.", code_list(&values)), fix: None });
    }
}

#[cfg(test)]
mod tests;
