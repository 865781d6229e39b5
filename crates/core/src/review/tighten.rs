//! Tightening an identity or session policy to what the scenario's steps
//! use: for each Allow statement, the actions and resource ARNs of the
//! allowed steps it matched, written out explicitly; Deny statements and
//! every statement's `Condition` carried over unchanged. The proposal is
//! then verified by running the whole scenario again with it in place of
//! the original: every step must keep its outcome, or the statements
//! involved are restored as they were (and the proposal says why).
//!
//! # Addressing the policy
//!
//! [`tighten`] takes the policy as one of:
//!
//! - its JSON path in the document, as error messages write it, with or
//!   without the trailing `.document` of a named policy:
//!   `accounts[1].roles[0].policies[0]`, `accounts[0].users[2].policies[1].document`,
//!   `accounts[0].groups[0].policies[0]`, `accounts[0].managedPolicies[0]`,
//!   `steps[3].sessionPolicy`;
//! - its name as traces show it: `ROLE/POLICY` for an inline policy of a
//!   user, group or role (`R/ReadWrite`), the ARN of a customer managed
//!   policy (`arn:aws:iam::111122223333:policy/teams/WriteReports`),
//!   `ROLE/SESSION/sessionPolicy` for an AssumeRole step's session policy.
//!
//! Only identity policies (inline, or customer managed where the account
//! defines them) and session policies can be tightened; AWS managed
//! policies, permissions boundaries, trust, resource, SCP and RCP policies
//! cannot.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diag::{DiagCode, Diagnostic, JsonPath};
use crate::policy::{Effect, PolicyType, Version};
use crate::scenario::{self, LoadOptions, LoadedPolicy, Outcome, RunOptions, Scenario, ScenarioResult};
use crate::trace::Evaluation;

/// What became of one statement of the original policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "change")]
pub enum StatementChange {
    /// Kept as written: a Deny statement.
    Kept { index: usize, sid: Option<String> },
    /// An Allow statement rewritten as `into` statements of explicit
    /// actions and resources.
    Narrowed { index: usize, sid: Option<String>, into: usize },
    /// An Allow statement that no allowed step needed: left out.
    Removed { index: usize, sid: Option<String> },
    /// Kept as written because the narrowed form changed a step's outcome.
    Restored { index: usize, sid: Option<String>, reason: String },
}

/// One step's outcome with the original and the proposed policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepCheck {
    pub id: String,
    pub before: Outcome,
    pub after: Outcome,
}

/// One line of a line diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LineKind {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    pub kind: LineKind,
    pub text: String,
}

/// The proposed policy and how it was arrived at.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    /// The policy's name as traces show it.
    pub policy: String,
    /// Where the policy is in the document (`accounts[0].roles[0].policies[0].document`).
    pub path: String,
    /// The original policy, pretty-printed (two-space indent, keys in the
    /// author's order).
    pub before: String,
    /// The proposed policy, pretty-printed.
    pub after: String,
    /// The proposed policy document.
    pub document: Value,
    /// Whether `after` differs from `before`.
    pub changed: bool,
    /// What became of each original statement, in order.
    pub statements: Vec<StatementChange>,
    /// Every step's outcome with the original and the proposed policy
    /// (always equal: the proposal is verified).
    pub steps: Vec<StepCheck>,
    /// Remarks in plain words (a policy no step needs, restored statements).
    pub notes: Vec<String>,
    /// The line diff from `before` to `after`.
    pub diff: Vec<DiffLine>,
}

/// The policy types [`tighten`] accepts.
fn tightenable(p: &LoadedPolicy) -> bool {
    matches!(p.policy.policy_type, PolicyType::Identity | PolicyType::SessionPolicy)
}

fn invalid(message: String) -> Vec<Diagnostic> {
    vec![Diagnostic::new(DiagCode::InvalidArgument, message, JsonPath::root())
        .help("name the policy by its JSON path (`accounts[0].roles[0].policies[0]`) or as traces show it (`ROLE/POLICY`)")]
}

/// Finds the policy `address` names among the scenario's policies.
fn find<'s>(scenario: &'s Scenario, address: &str) -> Result<&'s LoadedPolicy, Vec<Diagnostic>> {
    let address = address.trim();
    let all = scenario.written_policies();
    let by_path: Vec<&LoadedPolicy> =
        all.iter().copied().filter(|p| p.path.as_str() == address || p.path.as_str().strip_suffix(".document") == Some(address)).collect();
    let found = if by_path.is_empty() { all.iter().copied().filter(|p| p.display == address).collect() } else { by_path };
    match found.as_slice() {
        [one] if tightenable(one) => Ok(one),
        [one] => Err(vec![Diagnostic::new(
            DiagCode::InvalidArgument,
            format!("`{}` is a {} policy: only identity and session policies can be tightened", one.display, type_words(one.policy.policy_type)),
            one.path.clone(),
        )
        .help("name a user's, group's or role's inline policy, a customer managed policy or an AssumeRole step's session policy")
        .at(one.source_span)]),
        [] => {
            let names: Vec<String> = all.iter().filter(|p| tightenable(p)).take(12).map(|p| format!("`{}` ({})", p.display, p.path)).collect();
            let known = if names.is_empty() {
                "the scenario has no identity or session policy".to_string()
            } else {
                format!("its policies: {}", names.join(", "))
            };
            Err(invalid(format!("no policy of the scenario is named or found at `{address}`; {known}")))
        }
        many => {
            let paths: Vec<String> = many.iter().map(|p| format!("`{}`", p.path)).collect();
            Err(invalid(format!("`{address}` names {} policies ({}): give the JSON path of one", many.len(), paths.join(", "))))
        }
    }
}

fn type_words(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "identity",
        PolicyType::Resource => "resource",
        PolicyType::Trust => "trust",
        PolicyType::PermissionsBoundary => "permissions boundary",
        PolicyType::SessionPolicy => "session",
        PolicyType::Scp => "service control",
        PolicyType::Rcp => "resource control",
    }
}

/// The policy's JSON value: its text when given as a string, otherwise its
/// part of the document.
fn policy_value(text: &str, p: &LoadedPolicy) -> Result<Value, Vec<Diagnostic>> {
    let source = match &p.text {
        Some(t) => t.as_str(),
        None => text.get(p.source_span.start..p.source_span.end).unwrap_or_default(),
    };
    // The core's own parser: the web app carries no second one.
    crate::json::parse(source).map(|tree| tree.to_value()).map_err(|e| {
        vec![Diagnostic::new(DiagCode::InternalError, format!("the policy's text could not be read again: {}", e.message), p.path.clone())
            .at(p.source_span)]
    })
}

/// The statements of a policy value, as written (a lone object is one).
fn statements(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(o @ Value::Object(_)) => vec![o.clone()],
        _ => Vec::new(),
    }
}

/// The (action, resource) pairs each statement of the policy named
/// `display` matched, over the steps that were allowed.
/// Sorted and without repeats: (statement, action in lower case, action,
/// resource). Vectors rather than B-trees: smaller in the web app.
type Pairs = Vec<(usize, String, String, String)>;

fn evaluations(result: &ScenarioResult) -> impl Iterator<Item = (usize, &Evaluation)> {
    result.steps.iter().enumerate().flat_map(|(i, s)| s.evaluation.iter().chain(s.extra_checks.iter().map(|e| &e.evaluation)).map(move |e| (i, e)))
}

fn used_pairs(result: &ScenarioResult, display: &str, policy_type: PolicyType) -> Pairs {
    let mut pairs: Pairs = Vec::new();
    for (i, ev) in evaluations(result) {
        if result.steps.get(i).map(|s| s.decision) != Some(Outcome::Allowed) {
            continue;
        }
        for gate in ev.gates.iter().filter(|g| g.policy_type == policy_type) {
            for p in gate.policies.iter().filter(|p| p.name == display) {
                for s in p.statements.iter().filter(|s| s.matched && s.effect == Effect::Allow) {
                    let action = s.action.request_value.to_string();
                    let resource = s.resource.as_ref().map_or_else(|| "*".to_string(), |r| r.request_value.to_string());
                    pairs.push((s.index, action.to_ascii_lowercase(), action, resource));
                }
            }
        }
    }
    pairs.sort_by(|a, b| (a.0, &a.1, &a.3).cmp(&(b.0, &b.1, &b.3)));
    pairs.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.3 == b.3);
    pairs
}

/// The statements of the policy named `display` that matched (or, for a
/// Deny, applied to) step `step`'s request.
fn matched_statements(result: &ScenarioResult, step: usize, display: &str, policy_type: PolicyType) -> BTreeSet<usize> {
    evaluations(result)
        .filter(|(i, _)| *i == step)
        .flat_map(|(_, ev)| ev.gates.iter())
        .filter(|g| g.policy_type == policy_type)
        .flat_map(|g| g.policies.iter())
        .filter(|p| p.name == display)
        .flat_map(|p| p.statements.iter())
        .filter(|s| s.matched || (s.action.matched && s.resource.as_ref().is_none_or(|r| r.matched)))
        .map(|s| s.index)
        .collect()
}

/// A resource ARN as a policy must write it to match only itself: `*`, `?`
/// and `$` as the escapes `${*}`, `${?}`, `${$}` (Version 2012-10-17; the
/// old version has no escapes).
fn literal_resource(arn: &str, version: Version) -> String {
    if arn == "*" || version != Version::V2012 {
        return arn.to_string();
    }
    let mut out = String::with_capacity(arn.len());
    for c in arn.chars() {
        match c {
            '*' => out.push_str("${*}"),
            '?' => out.push_str("${?}"),
            '$' => out.push_str("${$}"),
            c => out.push(c),
        }
    }
    out
}

fn one_or_many(mut values: Vec<String>) -> Value {
    if values.len() == 1 {
        values.pop().map(Value::String).unwrap_or(Value::Null)
    } else {
        Value::Array(values.into_iter().map(Value::String).collect())
    }
}

/// The narrowed statements made from one Allow statement: one per set of
/// resources, with the actions used on exactly that set.
fn narrowed(original: &Value, used: &[(usize, String, String, String)], version: Version, sids: &mut HashSet<String>) -> Vec<Value> {
    // Each action (in lower-case order, first spelling kept) with its
    // resources, written as literals, sorted.
    let mut per_action: Vec<(&str, &str, Vec<String>)> = Vec::new();
    for (_, lower, action, resource) in used {
        match per_action.last_mut() {
            Some((l, _, rs)) if *l == lower.as_str() => rs.push(literal_resource(resource, version)),
            _ => per_action.push((lower, action, vec![literal_resource(resource, version)])),
        }
    }
    // Actions with the same set of resources share a statement.
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (_, action, mut resources) in per_action {
        resources.sort();
        resources.dedup();
        match groups.iter_mut().find(|(_, r)| *r == resources) {
            Some((actions, _)) => actions.push(action.to_string()),
            None => groups.push((vec![action.to_string()], resources)),
        }
    }
    for (actions, _) in &mut groups {
        actions.sort_by_key(|a| a.to_ascii_lowercase());
    }
    groups.sort_by(|a, b| a.0.iter().map(|s| s.to_ascii_lowercase()).cmp(b.0.iter().map(|s| s.to_ascii_lowercase())));
    let sid = original.get("Sid").and_then(Value::as_str).filter(|s| !s.is_empty());
    let split = groups.len() > 1;
    let mut next = 1usize;
    let mut out = Vec::with_capacity(groups.len());
    for (actions, resources) in groups {
        let mut s = Map::new();
        if let Some(sid) = sid {
            let name = if split {
                loop {
                    let candidate = format!("{sid}{next}");
                    next += 1;
                    if !sids.contains(&candidate) {
                        break candidate;
                    }
                }
            } else {
                sid.to_string()
            };
            sids.insert(name.clone());
            s.insert("Sid".into(), Value::String(name));
        }
        s.insert("Effect".into(), Value::String("Allow".into()));
        s.insert("Action".into(), one_or_many(actions));
        s.insert("Resource".into(), one_or_many(resources));
        if let Some(c) = original.get("Condition") {
            s.insert("Condition".into(), c.clone());
        }
        out.push(Value::Object(s));
    }
    out
}

/// The proposed document, restoring the statements in `restore` as written.
fn build(
    doc: &Value,
    originals: &[Value],
    policy: &LoadedPolicy,
    pairs: &Pairs,
    restore: &BTreeSet<usize>,
) -> (Value, Vec<StatementChange>, Vec<usize>) {
    let mut sids: HashSet<String> = originals.iter().filter_map(|s| s.get("Sid").and_then(Value::as_str)).map(str::to_string).collect();
    let mut out = Vec::new();
    let mut changes = Vec::new();
    // For each new statement, the original it came from.
    let mut origin = Vec::new();
    for (i, original) in originals.iter().enumerate() {
        let sid = original.get("Sid").and_then(Value::as_str).map(str::to_string);
        let allow = policy.policy.statements.get(i).map(|s| s.effect) == Some(Effect::Allow);
        if !allow {
            out.push(original.clone());
            origin.push(i);
            changes.push(StatementChange::Kept { index: i, sid });
        } else if restore.contains(&i) {
            out.push(original.clone());
            origin.push(i);
            changes.push(StatementChange::Restored { index: i, sid, reason: String::new() });
        } else {
            let start = pairs.partition_point(|p| p.0 < i);
            let end = pairs.partition_point(|p| p.0 <= i);
            let used = pairs.get(start..end).unwrap_or_default();
            if used.is_empty() {
                changes.push(StatementChange::Removed { index: i, sid });
                continue;
            }
            if let Some(s) = &sid {
                sids.remove(s);
            }
            let made = narrowed(original, used, policy.policy.version, &mut sids);
            changes.push(StatementChange::Narrowed { index: i, sid, into: made.len() });
            origin.extend(std::iter::repeat_n(i, made.len()));
            out.extend(made);
        }
    }
    let mut d = Map::new();
    if let Some(map) = doc.as_object() {
        for (k, v) in map {
            if k == "Statement" {
                d.insert(k.clone(), Value::Array(std::mem::take(&mut out)));
            } else {
                d.insert(k.clone(), v.clone());
            }
        }
    }
    (Value::Object(d), changes, origin)
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The scenario text with the policy at `policy` replaced by `doc` (as an
/// object, or as a string when the author wrote the policy as a string).
fn substituted(text: &str, policy: &LoadedPolicy, doc: &Value) -> String {
    let json = pretty(doc);
    let value = if policy.text.is_some() { serde_json::to_string(&json).unwrap_or_default() } else { json };
    let before = text.get(..policy.source_span.start).unwrap_or_default();
    let after = text.get(policy.source_span.end..).unwrap_or_default();
    format!("{before}{value}{after}")
}

/// Runs the scenario with `doc` in place of the policy; the steps' results.
fn rerun(text: &str, policy: &LoadedPolicy, doc: &Value, load: &LoadOptions<'_>, run: RunOptions) -> Result<ScenarioResult, String> {
    let changed = substituted(text, policy, doc);
    let options = LoadOptions { max_bytes: load.max_bytes.saturating_add(changed.len().saturating_sub(text.len())), ..*load };
    match scenario::load_with_options(&changed, &options) {
        Ok((s, _)) => Ok(scenario::run(&s, run)),
        Err(errors) => Err(errors.first().map(|e| format!("{} at {}", e.message, e.path)).unwrap_or_default()),
    }
}

/// The steps whose outcome differs between two runs.
fn differing(before: &ScenarioResult, after: &ScenarioResult) -> Vec<usize> {
    let n = before.steps.len().max(after.steps.len());
    (0..n).filter(|&i| before.steps.get(i).map(|s| s.decision) != after.steps.get(i).map(|s| s.decision)).collect()
}

/// Proposes the smallest form of the policy `address` names in the scenario
/// `text` (see the module documentation for the forms of `address`) under
/// which every step keeps its outcome. Errors: the document does not load,
/// or `address` names no identity or session policy.
pub fn tighten(text: &str, address: &str, load: &LoadOptions<'_>, run: RunOptions) -> Result<Proposal, Vec<Diagnostic>> {
    let (scenario, _) = scenario::load_with_options(text, load)?;
    let policy = find(&scenario, address)?;
    if let Some(e) = &policy.error {
        return Err(vec![Diagnostic::new(DiagCode::InvalidArgument, format!("`{}` cannot be read: {e}", policy.display), policy.path.clone())]);
    }
    let doc = policy_value(text, policy)?;
    let originals = statements(&doc);
    let policy_type = policy.policy.policy_type;
    let original_run = scenario::run(&scenario, run);
    let pairs = used_pairs(&original_run, &policy.display, policy_type);
    let mut notes = Vec::new();
    let mut restore: BTreeSet<usize> = BTreeSet::new();
    let mut reasons: BTreeMap<usize, String> = BTreeMap::new();
    let step_id = |i: usize| original_run.steps.get(i).map(|s| s.id.clone()).unwrap_or_default();

    // Narrow, verify; restore the statements involved in a changed step
    // and verify again, until no step changes (at worst, every statement
    // restored: the original policy).
    let (proposed, mut changes, after_run) = loop {
        let (proposed, changes, origin) = build(&doc, &originals, policy, &pairs, &restore);
        let all_restored = changes.iter().all(|c| !matches!(c, StatementChange::Narrowed { .. } | StatementChange::Removed { .. }));
        let has_statements = proposed.get("Statement").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        if !has_statements {
            notes.push(format!("no allowed step needs `{}`: it can be removed; its statements are kept as they are", policy.display));
            break (doc.clone(), originals.iter().enumerate().map(|(i, _)| kept(&originals, i)).collect(), original_run.clone());
        }
        let after_run = match rerun(text, policy, &proposed, load, run) {
            Ok(r) => r,
            Err(e) => {
                notes.push(format!("the narrowed policy does not load ({e}); the policy is kept as it is"));
                break (doc.clone(), originals.iter().enumerate().map(|(i, _)| kept(&originals, i)).collect(), original_run.clone());
            }
        };
        let changed = differing(&original_run, &after_run);
        if changed.is_empty() {
            break (proposed, changes, after_run);
        }
        if all_restored {
            notes.push("narrowing changed the outcome of a step even with every statement restored; the policy is kept as it is".to_string());
            break (doc.clone(), originals.iter().enumerate().map(|(i, _)| kept(&originals, i)).collect(), original_run.clone());
        }
        let mut culprits = BTreeSet::new();
        for &i in &changed {
            let new_matches = matched_statements(&after_run, i, &policy.display, policy_type);
            let why = format!(
                "narrowed, step `{}` would be {} instead of {}",
                step_id(i),
                after_run.steps.get(i).map_or("missing", |s| s.decision.as_str()),
                original_run.steps.get(i).map_or("missing", |s| s.decision.as_str())
            );
            for s in matched_statements(&original_run, i, &policy.display, policy_type)
                .into_iter()
                .chain(new_matches.into_iter().filter_map(|n| origin.get(n).copied()))
            {
                if policy.policy.statements.get(s).map(|st| st.effect) == Some(Effect::Allow) && !restore.contains(&s) {
                    culprits.insert(s);
                    reasons.entry(s).or_insert_with(|| why.clone());
                }
            }
        }
        if culprits.is_empty() {
            // Nothing to pin it on: restore every narrowed statement.
            for (i, c) in changes.iter().enumerate() {
                if matches!(c, StatementChange::Narrowed { .. } | StatementChange::Removed { .. }) {
                    restore.insert(i);
                    reasons.entry(i).or_insert_with(|| "narrowed, a step changed its outcome".to_string());
                }
            }
        }
        restore.extend(culprits);
    };
    for c in &mut changes {
        if let StatementChange::Restored { index, reason, sid } = c {
            *reason = reasons.get(index).cloned().unwrap_or_default();
            let name = sid.as_deref().map_or_else(|| format!("statement {}", *index + 1), |s| format!("statement {} ({s})", *index + 1));
            notes.push(format!("{name} is kept as written: {reason}"));
        }
    }
    let before = pretty(&doc);
    let after = pretty(&proposed);
    let steps = original_run
        .steps
        .iter()
        .zip(after_run.steps.iter())
        .map(|(b, a)| StepCheck { id: b.id.clone(), before: b.decision, after: a.decision })
        .collect();
    let diff = line_diff(&before, &after);
    Ok(Proposal {
        policy: policy.display.clone(),
        path: policy.path.to_string(),
        changed: before != after,
        before,
        after,
        document: proposed,
        statements: changes,
        steps,
        notes,
        diff,
    })
}

fn kept(originals: &[Value], i: usize) -> StatementChange {
    StatementChange::Kept { index: i, sid: originals.get(i).and_then(|s| s.get("Sid")).and_then(Value::as_str).map(str::to_string) }
}

/// The line diff from `before` to `after` (longest common subsequence of
/// lines; removals before additions where lines differ).
pub fn line_diff(before: &str, after: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the common subsequence of a[i..] and b[j..], flattened.
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let v = if a.get(i) == b.get(j) {
                lcs.get((i + 1) * width + j + 1).copied().unwrap_or(0) + 1
            } else {
                lcs.get((i + 1) * width + j).copied().unwrap_or(0).max(lcs.get(i * width + j + 1).copied().unwrap_or(0))
            };
            if let Some(cell) = lcs.get_mut(i * width + j) {
                *cell = v;
            }
        }
    }
    let at = |i: usize, j: usize| lcs.get(i * width + j).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                out.push(DiffLine { kind: LineKind::Same, text: (*x).to_string() });
                i += 1;
                j += 1;
            }
            (Some(x), Some(_)) if at(i + 1, j) >= at(i, j + 1) => {
                out.push(DiffLine { kind: LineKind::Removed, text: (*x).to_string() });
                i += 1;
            }
            (Some(x), None) => {
                out.push(DiffLine { kind: LineKind::Removed, text: (*x).to_string() });
                i += 1;
            }
            (_, Some(y)) => {
                out.push(DiffLine { kind: LineKind::Added, text: (*y).to_string() });
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// A unified diff (`---`/`+++` headers, `@@` hunks with `context` lines
/// around each change) of a line diff; empty when nothing changed.
pub fn unified(diff: &[DiffLine], old_name: &str, new_name: &str, context: usize) -> String {
    let changed: Vec<usize> = diff.iter().enumerate().filter(|(_, l)| l.kind != LineKind::Same).map(|(i, _)| i).collect();
    if changed.is_empty() {
        return String::new();
    }
    // Hunks: ranges of diff lines, changes closer than 2×context merged.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &c in &changed {
        let start = c.saturating_sub(context);
        let end = (c + context + 1).min(diff.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    for (start, end) in hunks {
        let lines = diff.get(start..end).unwrap_or_default();
        let prior = diff.get(..start).unwrap_or_default();
        let old_start = prior.iter().filter(|l| l.kind != LineKind::Added).count() + 1;
        let new_start = prior.iter().filter(|l| l.kind != LineKind::Removed).count() + 1;
        let old_len = lines.iter().filter(|l| l.kind != LineKind::Added).count();
        let new_len = lines.iter().filter(|l| l.kind != LineKind::Removed).count();
        out.push_str(&format!(
            "@@ -{},{old_len} +{},{new_len} @@\n",
            if old_len == 0 { old_start - 1 } else { old_start },
            if new_len == 0 { new_start - 1 } else { new_start }
        ));
        for l in lines {
            let mark = match l.kind {
                LineKind::Same => ' ',
                LineKind::Removed => '-',
                LineKind::Added => '+',
            };
            out.push(mark);
            out.push_str(&l.text);
            out.push('\n');
        }
    }
    out
}
