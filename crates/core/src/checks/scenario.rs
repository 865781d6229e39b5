//! Checking every policy of a scenario as its type, and the checks that
//! use the scenario's steps.

use std::collections::HashMap;

use crate::checks::{lint_parsed, sort, Finding, LintOptions, Vocabulary};
use crate::diag::{DiagCode, JsonPath};
use crate::json::{LineIndex, LiteralMap};
use crate::policy::{Effect, PolicyType};
use crate::scenario::{self, LoadedPolicy, ManagedPolicySource, RunOptions, Scenario};
use crate::trace::{Decision, Evaluation};

/// What [`lint_scenario_with`] may use beyond the scenario.
#[derive(Clone, Copy, Default)]
pub struct ScenarioLintOptions<'a> {
    /// The checks that need AWS's catalogue.
    pub vocabulary: Option<&'a dyn Vocabulary>,
    /// How the steps are run for the checks that use them ("now" for the
    /// steps that do not pin `aws:CurrentTime`).
    pub run: RunOptions,
    /// [`lint_document_with`]: the AWS managed policies the document
    /// attaches (see [`scenario::LoadOptions`]).
    pub managed_policies: Option<&'a dyn ManagedPolicySource>,
}

impl std::fmt::Debug for ScenarioLintOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScenarioLintOptions")
            .field("vocabulary", &self.vocabulary.is_some())
            .field("run", &self.run)
            .field("managed_policies", &self.managed_policies.is_some())
            .finish()
    }
}

/// A policy of the scenario with what its checks need to know.
struct Entry<'s> {
    loaded: &'s LoadedPolicy,
    owner: Option<&'s str>,
    bucket: bool,
}

/// Every policy of the scenario the author wrote, in document order:
/// customer managed policies where they are defined, not where they are
/// attached; AWS managed policies never (their author is AWS).
fn policies(s: &Scenario) -> Vec<Entry<'_>> {
    let mut out = Vec::new();
    for a in &s.accounts {
        let owner = Some(a.id.as_str());
        out.extend(a.managed_policies.iter().map(|m| Entry { loaded: &m.policy, owner, bucket: false }));
        for level in a.scps.iter().chain(a.rcps.iter()).flatten() {
            out.extend(level.policies.iter().map(|p| Entry { loaded: p, owner, bucket: false }));
        }
        for u in &a.users {
            out.extend(u.policies.iter().chain(u.permissions_boundary.iter()).map(|p| Entry { loaded: p, owner, bucket: false }));
        }
        for g in &a.groups {
            out.extend(g.policies.iter().map(|p| Entry { loaded: p, owner, bucket: false }));
        }
        for r in &a.roles {
            out.push(Entry { loaded: &r.trust_policy, owner, bucket: false });
            out.extend(r.policies.iter().chain(r.permissions_boundary.iter()).map(|p| Entry { loaded: p, owner, bucket: false }));
        }
        for b in &a.buckets {
            out.extend(b.policy.iter().map(|p| Entry { loaded: p, owner, bucket: true }));
        }
        for r in &a.resources {
            out.extend(r.policy.iter().map(|p| Entry { loaded: p, owner, bucket: false }));
        }
    }
    for step in &s.steps {
        if let Some(p) = step.assume_role.as_ref().and_then(|a| a.session_policy.as_ref()) {
            out.push(Entry { loaded: p, owner: None, bucket: false });
        }
    }
    // Attached managed policies (a boundary may be one) are checked where
    // they are defined, or not at all.
    out.retain(|e| e.loaded.managed_arn.is_none() || is_definition(s, e.loaded));
    out
}

/// Whether `p` is a customer managed policy's definition (not an attached copy).
fn is_definition(s: &Scenario, p: &LoadedPolicy) -> bool {
    s.accounts.iter().any(|a| a.managed_policies.iter().any(|m| std::ptr::eq(&m.policy, p)))
}

/// Checks every policy of a loaded scenario as its type, and the
/// statements against the scenario's steps. Paths are the document's;
/// for a policy given as a string, line and column are in its text
/// (`embedded_in` is set): [`lint_document`] places them in the document.
pub fn lint_scenario(scenario: &Scenario) -> Vec<Finding> {
    lint_scenario_with(scenario, &ScenarioLintOptions::default())
}

/// [`lint_scenario`] with a catalogue and run options.
pub fn lint_scenario_with(scenario: &Scenario, options: &ScenarioLintOptions<'_>) -> Vec<Finding> {
    lint_loaded(scenario, options, None)
}

/// Loads a scenario document and checks it: what stops it loading comes
/// back as findings (errors), or else [`lint_scenario`]'s findings, all
/// placed in the document's text.
pub fn lint_document(text: &str) -> Vec<Finding> {
    lint_document_with(text, &ScenarioLintOptions::default())
}

/// [`lint_document`] with a catalogue and run options.
pub fn lint_document_with(text: &str, options: &ScenarioLintOptions<'_>) -> Vec<Finding> {
    let load = match options.managed_policies {
        Some(m) => scenario::LoadOptions::with_managed_policies(m),
        None => scenario::LoadOptions::default(),
    };
    match scenario::load_with_options(text, &load) {
        Ok((s, _warnings)) => lint_loaded(&s, options, Some(text)),
        Err(diagnostics) => {
            let mut out: Vec<Finding> = diagnostics.iter().map(Finding::from_diagnostic).collect();
            sort(&mut out);
            out
        }
    }
}

fn lint_loaded(s: &Scenario, options: &ScenarioLintOptions<'_>, source: Option<&str>) -> Vec<Finding> {
    let entries = policies(s);
    let tally = (!s.steps.is_empty()).then(|| tally(s, options));
    let mut names: HashMap<&str, usize> = HashMap::new();
    for e in &entries {
        *names.entry(e.loaded.display.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut index = source.map(LineIndex::new);
    let known: Vec<&str> = s.accounts.iter().map(|a| a.id.as_str()).collect();
    for e in &entries {
        let lp = e.loaded;
        let lint = LintOptions { vocabulary: options.vocabulary, owner_account: e.owner, known_accounts: &known, bucket: e.bucket };
        let mut found = lint_parsed(&lp.policy, &lint);
        if let Some(t) = &tally {
            // A name two policies share: the traces cannot tell them apart.
            if names.get(lp.display.as_str()) == Some(&1) {
                found.extend(step_checks_for(t, lp));
            }
        }
        let mut literal_map = None;
        for mut f in found {
            f.path = f.path.within(&lp.path);
            f.policy = Some(lp.display.clone());
            f.policy_type = Some(lp.policy.policy_type);
            if lp.text.is_some() {
                f.embedded_in = Some(lp.path.clone());
                if let (Some(src), Some(inner), Some(index)) = (source, f.span, index.as_mut()) {
                    let literal = lp.source_span;
                    let map = literal_map
                        .get_or_insert_with(|| LiteralMap::new(src.get(literal.start + 1..literal.end.saturating_sub(1)).unwrap_or_default()));
                    let start = literal.start + 1 + map.raw_offset(inner.start);
                    let end = literal.start + 1 + map.raw_offset(inner.end);
                    let span = index.span(start, end);
                    f.span = Some(span);
                    f.line = span.line;
                    f.column = span.column;
                }
            }
            out.push(f);
        }
    }
    sort(&mut out);
    out
}

/// How the steps met the statements: by policy name (as traces give it)
/// and statement index, how many evaluations the statement matched, and
/// how many of those were not explicitly denied.
#[derive(Default)]
struct Tally {
    counts: HashMap<(String, usize), (usize, usize)>,
}

impl Tally {
    fn add(&mut self, e: &Evaluation) {
        for g in &e.gates {
            for p in &g.policies {
                for st in &p.statements {
                    if !st.matched {
                        continue;
                    }
                    let c = self.counts.entry((p.name.clone(), st.index)).or_default();
                    c.0 += 1;
                    if e.decision != Decision::ExplicitDeny {
                        c.1 += 1;
                    }
                }
            }
        }
    }
}

/// Runs every step and tallies the statements each matched.
fn tally(s: &Scenario, options: &ScenarioLintOptions<'_>) -> Tally {
    let mut tally = Tally::default();
    for step in scenario::run_iter(s, options.run) {
        if let Some(e) = &step.evaluation {
            tally.add(e);
        }
        for x in &step.extra_checks {
            tally.add(&x.evaluation);
        }
    }
    tally
}

/// The checks of one policy against the steps: a statement no step
/// matches; an Allow every match of which a Deny overrides.
fn step_checks_for(tally: &Tally, lp: &LoadedPolicy) -> Vec<Finding> {
    let mut out = Vec::new();
    for st in &lp.policy.statements {
        let path = if lp.policy.statements_in_list { JsonPath::root().key("Statement").index(st.index) } else { JsonPath::root().key("Statement") };
        let (matched, not_denied) = tally.counts.get(&(lp.display.clone(), st.index)).copied().unwrap_or_default();
        let label = st.sid.as_deref().map_or_else(|| format!("statement {}", st.index + 1), |sid| format!("statement `{sid}`"));
        if matched == 0 {
            out.push(Finding::new(
                DiagCode::StatementMatchesNoStep,
                format!("no step of the scenario matches {label} of `{}`", lp.display),
                path,
                Some(st.span),
            ));
        } else if st.effect == Effect::Allow
            && not_denied == 0
            && lp.policy.policy_type != PolicyType::Scp
            && lp.policy.policy_type != PolicyType::Rcp
        {
            let steps = if matched == 1 { "the one step it matches is".to_string() } else { format!("all {matched} requests it matches are") };
            out.push(Finding::new(
                DiagCode::AllowOverriddenByDeny,
                format!("{label} of `{}` allows nothing in the scenario: {steps} explicitly denied", lp.display),
                path,
                Some(st.span),
            ));
        }
    }
    out
}
