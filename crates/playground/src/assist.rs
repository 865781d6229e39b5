//! What the policy editor offers as the author types (completion) and
//! shows under the pointer (hover), from the place in the policy: the
//! policy's own elements, AWS's catalogue (services, actions, condition
//! keys) and the scenario's entities (accounts, users, roles, sessions,
//! buckets). UI-free: the editor asks with the text and a byte offset and
//! gets byte ranges back.
//!
//! The text is usually half-typed, so the place is found with the
//! forgiving tokenizer of [`crate::tokens`], never the strict parser.

use trustwalk_core::catalogue::{AccessLevel, Catalogue, ValueType};
use trustwalk_core::policy::{OperatorBase, PolicyType};
use trustwalk_core::scenario::Scenario;

use crate::path::Seg;
use crate::tokens::{tokenize, Token, TokenKind};

/// Most options offered at once (a service has up to a few hundred
/// actions; the editor filters further as the author types).
const MAX_OPTIONS: usize = 400;

/// Something of the scenario an ARN or ID can name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entity {
    /// `arn:aws:iam::111111111111:role/StageRole`, `111111111111`, …
    pub id: String,
    /// `role StageRole in production (222222222222)`.
    pub description: String,
    /// What it can be written as: a principal, a resource, or both.
    pub principal: bool,
    pub resource: bool,
}

/// The scenario's accounts, users, roles, the sessions its steps
/// establish, and its buckets (with `/*` for their objects).
pub fn entities(scenario: &Scenario) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut push = |id: String, description: String, principal: bool, resource: bool| {
        if !out.iter().any(|e: &Entity| e.id == id) {
            out.push(Entity { id, description, principal, resource });
        }
    };
    for a in &scenario.accounts {
        let account = match &a.name {
            Some(n) => format!("{n} ({})", a.id),
            None => a.id.clone(),
        };
        push(a.id.clone(), format!("account {account}"), true, false);
        push(format!("arn:aws:iam::{}:root", a.id), format!("account {account}, every principal it allows"), true, false);
        for u in &a.users {
            push(u.arn.clone(), format!("user {} in {account}", u.name), true, true);
        }
        for r in &a.roles {
            push(r.arn.clone(), format!("role {} in {account}", r.name), true, true);
        }
        for b in &a.buckets {
            push(format!("arn:aws:s3:::{}", b.name), format!("bucket {} in {account}", b.name), false, true);
            push(format!("arn:aws:s3:::{}/*", b.name), format!("every object in bucket {}", b.name), false, true);
        }
        for r in &a.resources {
            push(r.arn.clone(), format!("resource in {account}"), false, true);
        }
    }
    for s in &scenario.steps {
        if let Some(ar) = &s.assume_role {
            if let Some((account, role)) = role_parts(&ar.role_arn) {
                push(
                    format!("arn:aws:sts::{account}:assumed-role/{role}/{}", ar.session_name),
                    format!("session {} of role {role}, established by step {}", ar.session_name, s.id),
                    true,
                    false,
                );
            }
        }
    }
    out
}

/// `arn:aws:iam::ACCOUNT:role/path/NAME` → (ACCOUNT, NAME).
fn role_parts(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path = resource.strip_prefix("role/")?;
    Some((account, path.rsplit('/').next().unwrap_or(path)))
}

/// What the editor knows besides the text.
#[derive(Clone, Copy, Default)]
pub struct Sources<'a> {
    /// AWS's catalogue, once it has arrived.
    pub catalogue: Option<&'a Catalogue>,
    pub entities: &'a [Entity],
}

/// The kind of an option, for its icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OptionKind {
    /// A policy element or `Principal` key.
    Property,
    /// A fixed value (`Allow`, `2012-10-17`, `true`).
    Keyword,
    /// A service prefix.
    Namespace,
    Action,
    /// A condition operator.
    Operator,
    ConditionKey,
    /// An ARN or account ID of the scenario.
    Entity,
}

impl OptionKind {
    /// CodeMirror's completion type names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Property => "property",
            Self::Keyword => "keyword",
            Self::Namespace => "namespace",
            Self::Action => "function",
            Self::Operator => "type",
            Self::ConditionKey => "variable",
            Self::Entity => "constant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CompletionOption {
    /// What is shown and matched against what was typed.
    pub label: String,
    /// Short, beside the label: an access level, a key's type.
    pub detail: Option<String>,
    /// Longer, in the info panel.
    pub info: Option<String>,
    pub kind: OptionKind,
    /// The text inserted in place of `from..to`, when not the label (with
    /// quotes where the cursor is not inside a string).
    pub apply: String,
}

/// Options to replace the byte range `from..to` of the text with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    pub from: usize,
    pub to: usize,
    pub options: Vec<CompletionOption>,
}

/// What the pointer is over: a title and lines of plain text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    pub title: String,
    pub lines: Vec<String>,
}

/// Whether the place is an object key or a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Key,
    Value,
}

/// The place of a byte offset in the policy text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    /// Keys and indexes from the policy's root to the place (for a key
    /// slot, the object's path; for a value, the value's own path).
    path: Vec<Seg>,
    slot: Slot,
    /// The string the offset is in: its content's range (inside the
    /// quotes) and whether it is closed.
    string: Option<(usize, usize)>,
}

enum Frame {
    Object { key: Option<String>, expect_key: bool },
    Array { index: usize },
}

fn path_of(stack: &[Frame]) -> Vec<Seg> {
    let mut path = Vec::new();
    for f in stack {
        match f {
            Frame::Object { key: Some(k), expect_key: false } => path.push(Seg::Key(k.clone())),
            Frame::Object { .. } => break,
            Frame::Array { index } => path.push(Seg::Index(*index)),
        }
    }
    path
}

/// The content of a string token (inside its quotes) and whether it is
/// closed.
fn content(text: &str, t: &Token) -> (usize, usize, bool) {
    let start = t.start + 1;
    let closed = t.end > start && text.as_bytes().get(t.end - 1) == Some(&b'"');
    let end = if closed { t.end - 1 } else { t.end };
    (start, end.max(start), closed)
}

/// The place of `pos` in the text; `strings` is called with the path of
/// every string value of the text (to find a statement's actions, which
/// may be written after the place).
fn place(text: &str, tokens: &[Token], pos: usize, mut strings: impl FnMut(&[Seg], &str)) -> Option<Place> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut found: Option<Place> = None;
    // Between tokens: a key or a value of the innermost container.
    let between = |stack: &[Frame]| -> Option<Place> {
        let slot = match stack.last()? {
            Frame::Object { expect_key: true, .. } => Slot::Key,
            _ => Slot::Value,
        };
        Some(Place { path: path_of(stack), slot, string: None })
    };
    for t in tokens {
        let is_string = matches!(t.kind, TokenKind::String | TokenKind::Key);
        let (start, end, _) = content(text, t);
        if found.is_none() {
            if is_string && start <= pos && pos <= end {
                let slot = if matches!(stack.last(), Some(Frame::Object { expect_key: true, .. })) { Slot::Key } else { Slot::Value };
                found = Some(Place { path: path_of(&stack), slot, string: Some((start, end)) });
            } else if t.start >= pos {
                found = Some(between(&stack)?);
            }
        }
        match (t.kind, bytes.get(t.start)) {
            (TokenKind::Punct, Some(b'{')) => stack.push(Frame::Object { key: None, expect_key: true }),
            (TokenKind::Punct, Some(b'[')) => stack.push(Frame::Array { index: 0 }),
            (TokenKind::Punct, Some(b'}' | b']')) => {
                stack.pop();
            }
            (TokenKind::Punct, Some(b',')) => match stack.last_mut() {
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            (TokenKind::Punct, Some(b':')) => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = false;
                }
            }
            _ if is_string => {
                let s = text.get(start..end).unwrap_or_default();
                if let Some(Frame::Object { key, expect_key: true }) = stack.last_mut() {
                    *key = Some(s.to_string());
                } else {
                    strings(&path_of(&stack), s);
                }
            }
            _ => {}
        }
    }
    match found {
        Some(p) => Some(p),
        None => between(&stack),
    }
}

/// The path with the `Statement` index (and any value index at the end)
/// taken out: `["Statement", 0, "Action", 2]` → `["Statement", "Action"]`
/// as names.
fn names(path: &[Seg]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect()
}

/// The statement a path is in: its `Statement` index (0 for a lone
/// statement object).
fn statement_of(path: &[Seg]) -> Option<Option<usize>> {
    match path {
        [Seg::Key(s), Seg::Index(i), ..] if s == "Statement" => Some(Some(*i)),
        [Seg::Key(s), ..] if s == "Statement" => Some(None),
        _ => None,
    }
}

const TOP_ELEMENTS: [(&str, &str); 3] = [
    ("Version", "the policy language version: always \"2012-10-17\""),
    ("Id", "an optional identifier for the policy"),
    ("Statement", "the list of statements"),
];

fn statement_elements(policy_type: PolicyType) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![("Sid", "an optional statement ID"), ("Effect", "Allow or Deny")];
    if matches!(policy_type, PolicyType::Resource | PolicyType::Trust) {
        out.push(("Principal", "who the statement applies to"));
        out.push(("NotPrincipal", "everyone but the principals listed (Deny only)"));
    }
    out.extend([
        ("Action", "the actions the statement applies to"),
        ("NotAction", "every action but those listed"),
        ("Resource", "the resources the statement applies to"),
        ("NotResource", "every resource but those listed"),
        ("Condition", "when the statement applies"),
    ]);
    out
}

fn option(label: impl Into<String>, kind: OptionKind, detail: Option<String>, info: Option<String>, quoted: bool) -> CompletionOption {
    let label = label.into();
    let apply = if quoted { label.clone() } else { format!("\"{label}\"") };
    CompletionOption { label, detail, info, kind, apply }
}

/// Every `Action` value of a policy with the index of its statement
/// (`None` for a lone statement object).
type Actions = Vec<(Option<usize>, String)>;

/// The place of `pos`, and the policy's actions.
fn place_and_actions(text: &str, pos: usize) -> Option<(Place, Actions)> {
    let tokens = tokenize(text);
    let mut actions: Actions = Vec::new();
    let place = place(text, &tokens, pos, |path, s| {
        if let (Some(st), Some(Seg::Key(k))) = (statement_of(path), path.iter().rev().find(|s| matches!(s, Seg::Key(_)))) {
            if k == "Action" {
                actions.push((st, s.to_string()));
            }
        }
    })?;
    Some((place, actions))
}

/// The completion at byte `pos` of a policy of type `policy_type`, or
/// `None` where there is nothing to offer.
pub fn complete(text: &str, pos: usize, policy_type: PolicyType, sources: Sources<'_>) -> Option<Completion> {
    let pos = pos.min(text.len());
    let (place, actions) = place_and_actions(text, pos)?;
    let (from, to, quoted) = match place.string {
        Some((start, end)) => (start, end, true),
        None => (pos, pos, false),
    };
    let typed = text.get(from..pos.max(from)).unwrap_or_default();
    let names = names(&place.path);
    let mut options = Vec::new();
    match (place.slot, names.as_slice()) {
        (Slot::Key, []) => {
            for (name, info) in TOP_ELEMENTS {
                options.push(option(name, OptionKind::Property, None, Some(info.to_string()), quoted));
            }
        }
        (Slot::Key, ["Statement"]) => {
            for (name, info) in statement_elements(policy_type) {
                options.push(option(name, OptionKind::Property, None, Some(info.to_string()), quoted));
            }
        }
        (Slot::Key, ["Statement", "Principal" | "NotPrincipal"]) => {
            for (name, info) in [
                ("AWS", "accounts, users, roles and sessions"),
                ("Service", "AWS services, such as ec2.amazonaws.com"),
                ("Federated", "identity providers"),
                ("CanonicalUser", "S3 canonical user IDs"),
            ] {
                options.push(option(name, OptionKind::Property, None, Some(info.to_string()), quoted));
            }
        }
        (Slot::Key, ["Statement", "Condition"]) => {
            for base in OperatorBase::ALL {
                let name = base.name();
                options.push(option(name, OptionKind::Operator, None, None, quoted));
                if base != OperatorBase::Null {
                    options.push(option(format!("{name}IfExists"), OptionKind::Operator, None, None, quoted));
                }
            }
            for q in ["ForAnyValue:", "ForAllValues:"] {
                for base in [OperatorBase::StringEquals, OperatorBase::StringLike, OperatorBase::StringNotEquals, OperatorBase::StringNotLike] {
                    options.push(option(format!("{q}{}", base.name()), OptionKind::Operator, Some("set operator".into()), None, quoted));
                }
            }
        }
        (Slot::Key, ["Statement", "Condition", _]) => {
            let cat = sources.catalogue?;
            let statement = statement_of(&place.path).flatten();
            let mut supported: Vec<(String, String)> = Vec::new();
            for (_, pattern) in actions.iter().filter(|(s, _)| *s == statement) {
                for a in cat.matching_actions(pattern) {
                    for k in a.all_condition_keys() {
                        if !k.is_global() && !supported.iter().any(|(n, _)| n == k.name()) {
                            supported.push((k.name().to_string(), format!("supported by {}", a.full_name())));
                        }
                    }
                }
            }
            for (name, info) in supported {
                let ty = cat.condition_key(&name).map(|k| type_name(k.key_type().value, k.key_type().array));
                options.push(option(name, OptionKind::ConditionKey, ty, Some(info), quoted));
            }
            for k in cat.condition_keys().filter(|k| k.is_global()) {
                let ty = type_name(k.key_type().value, k.key_type().array);
                options.push(option(k.name(), OptionKind::ConditionKey, Some(ty), Some("global condition key".into()), quoted));
            }
        }
        (Slot::Value, ["Version"]) => {
            options.push(option("2012-10-17", OptionKind::Keyword, Some("current".into()), None, quoted));
            options.push(option("2008-10-17", OptionKind::Keyword, Some("old: no policy variables".into()), None, quoted));
        }
        (Slot::Value, ["Statement", "Effect"]) => {
            options.push(option("Allow", OptionKind::Keyword, None, None, quoted));
            options.push(option("Deny", OptionKind::Keyword, None, None, quoted));
        }
        (Slot::Value, ["Statement", "Action" | "NotAction"]) => {
            let cat = sources.catalogue?;
            match typed.split_once(':') {
                None => {
                    for s in cat.services() {
                        let mut o = option(format!("{}:", s.prefix()), OptionKind::Namespace, Some(s.name().to_string()), None, quoted);
                        if !quoted {
                            o.apply = format!("\"{}:", s.prefix());
                        }
                        options.push(o);
                    }
                }
                Some((prefix, _)) => {
                    let service = cat.service(prefix)?;
                    options.push(option(format!("{}:*", service.prefix()), OptionKind::Action, Some("every action".into()), None, quoted));
                    for a in service.actions() {
                        let info = action_lines(&a).join("\n");
                        options.push(option(a.full_name(), OptionKind::Action, Some(a.access_level().to_string()), Some(info), quoted));
                    }
                }
            }
        }
        (Slot::Value, ["Statement", "Resource" | "NotResource"]) => {
            options.push(option("*", OptionKind::Keyword, Some("every resource".into()), None, quoted));
            for e in sources.entities.iter().filter(|e| e.resource) {
                options.push(option(e.id.clone(), OptionKind::Entity, None, Some(e.description.clone()), quoted));
            }
        }
        (Slot::Value, ["Statement", "Principal" | "NotPrincipal"]) => {
            options.push(option("*", OptionKind::Keyword, Some("everyone".into()), None, quoted));
        }
        (Slot::Value, ["Statement", "Principal" | "NotPrincipal", "AWS"]) => {
            options.push(option("*", OptionKind::Keyword, Some("everyone".into()), None, quoted));
            for e in sources.entities.iter().filter(|e| e.principal) {
                options.push(option(e.id.clone(), OptionKind::Entity, None, Some(e.description.clone()), quoted));
            }
        }
        (Slot::Value, ["Statement", "Condition", _, key]) => {
            let cat = sources.catalogue;
            let ty = cat.and_then(|c| c.condition_key(key)).map(|k| k.key_type().value);
            match ty {
                Some(ValueType::Bool) => {
                    options.push(option("true", OptionKind::Keyword, None, None, quoted));
                    options.push(option("false", OptionKind::Keyword, None, None, quoted));
                }
                Some(ValueType::Arn) => {
                    for e in sources.entities.iter().filter(|e| e.id.starts_with("arn:")) {
                        options.push(option(e.id.clone(), OptionKind::Entity, None, Some(e.description.clone()), quoted));
                    }
                }
                _ if key.ends_with("Account") => {
                    for e in sources.entities.iter().filter(|e| !e.id.starts_with("arn:")) {
                        options.push(option(e.id.clone(), OptionKind::Entity, None, Some(e.description.clone()), quoted));
                    }
                }
                _ => return None,
            }
        }
        _ => return None,
    }
    // What was typed so far narrows the list (the editor filters again,
    // fuzzily, as more is typed).
    let lower = typed.to_ascii_lowercase();
    options.retain(|o| o.label.to_ascii_lowercase().starts_with(&lower) || lower.is_empty());
    options.truncate(MAX_OPTIONS);
    if options.is_empty() {
        return None;
    }
    Some(Completion { from, to, options })
}

fn type_name(value: ValueType, array: bool) -> String {
    if array {
        format!("ArrayOf{}", value.as_str())
    } else {
        value.as_str().to_string()
    }
}

/// An action's access level, resource types and condition keys, one line
/// each.
fn action_lines(a: &trustwalk_core::catalogue::Action<'_>) -> Vec<String> {
    let mut lines = vec![format!("access level: {}", a.access_level().to_string())];
    let types: Vec<String> =
        a.resource_types().map(|r| if r.required() { format!("{} (required)", r.name()) } else { r.name().to_string() }).collect();
    lines.push(if types.is_empty() {
        "resource types: none (the resource is \"*\")".to_string()
    } else {
        format!("resource types: {}", types.join(", "))
    });
    let keys: Vec<&str> = a.all_condition_keys().iter().filter(|k| !k.is_global()).map(|k| k.name()).collect();
    if !keys.is_empty() {
        lines.push(format!("condition keys: {}", keys.join(", ")));
    }
    lines
}

/// What to show for the string at byte `pos`, or `None`.
pub fn hover(text: &str, pos: usize, sources: Sources<'_>) -> Option<Hover> {
    let (place, actions) = place_and_actions(text, pos)?;
    let (from, to) = place.string?;
    let value = text.get(from..to)?;
    let names = names(&place.path);
    let (title, lines) = match (place.slot, names.as_slice()) {
        (Slot::Value, ["Statement", "Action" | "NotAction"]) => {
            let cat = sources.catalogue?;
            if let Some(a) = cat.action(value) {
                (a.full_name(), action_lines(&a))
            } else {
                let matched = cat.matching_actions(value);
                if matched.is_empty() {
                    (value.to_string(), vec!["no action of AWS's catalogue has this name".to_string()])
                } else {
                    let mut by_level: Vec<(AccessLevel, usize)> = Vec::new();
                    for a in &matched {
                        match by_level.iter_mut().find(|(l, _)| *l == a.access_level()) {
                            Some((_, n)) => *n += 1,
                            None => by_level.push((a.access_level(), 1)),
                        }
                    }
                    by_level.sort();
                    let levels: Vec<String> = by_level.iter().map(|(l, n)| format!("{l} {n}")).collect();
                    (value.to_string(), vec![format!("{} actions: {}", matched.len(), levels.join(", "))])
                }
            }
        }
        (Slot::Key, ["Statement", "Condition", _]) => {
            let cat = sources.catalogue?;
            let Some(k) = cat.condition_key(value) else {
                return Some(Hover { from, to, title: value.to_string(), lines: vec!["no condition key of AWS's catalogue has this name".into()] });
            };
            let mut lines = vec![format!("type: {}", type_name(k.key_type().value, k.key_type().array))];
            if k.is_global() {
                lines.push("a global key: available with every action".into());
            } else {
                let statement = statement_of(&place.path).flatten();
                let supporting: Vec<String> = actions
                    .iter()
                    .filter(|(s, _)| *s == statement)
                    .flat_map(|(_, p)| cat.matching_actions(p))
                    .filter(|a| a.supports_condition_key(value))
                    .map(|a| a.full_name())
                    .collect();
                lines.push(if supporting.is_empty() {
                    "no action of this statement supports it".into()
                } else {
                    format!("supported by {}", supporting.join(", "))
                });
            }
            (k.name().to_string(), lines)
        }
        (Slot::Value, ["Statement", "Principal" | "NotPrincipal" | "Resource" | "NotResource", ..] | ["Statement", "Condition", _, _]) => {
            if value == "*" || !(value.starts_with("arn:") || value.bytes().all(|b| b.is_ascii_digit())) {
                return None;
            }
            let named = sources.entities.iter().find(|e| e.id == value);
            let line = match named {
                Some(e) => e.description.clone(),
                None => "names nothing in this scenario".to_string(),
            };
            (value.to_string(), vec![line])
        }
        _ => return None,
    };
    Some(Hover { from, to, title, lines })
}

#[cfg(test)]
mod tests;
