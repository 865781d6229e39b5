//! Words and highlights for the explanation of a step: gate titles,
//! verdicts, principal match levels, what would make a denied request
//! pass, and which statement text to highlight in which editor.

use crate::Keyed;

use trustwalk_core::context::ContextValue;
use trustwalk_core::json::Span;
use trustwalk_core::policy::PolicyType;
use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_core::trace::{GateTrace, GateVerdict, MatchLevel, NearMiss, StatementRef};

/// A byte range of a policy's text to highlight in its editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub start: usize,
    pub end: usize,
    /// CSS class, e.g. `m-decisive`, `m-deny`, `m-near`.
    pub class: &'static str,
    /// Shown on hover.
    pub title: Option<String>,
}

impl Mark {
    pub fn new(start: usize, end: usize, class: &'static str) -> Self {
        Self { start, end, class, title: None }
    }

    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// "Trust policy", "Service control policy · Root".
pub fn gate_title(g: &GateTrace) -> String {
    let mut t = capitalized(g.policy_type.label());
    if let Some(level) = &g.level {
        t.push_str(" · ");
        t.push_str(level);
    }
    t
}

/// The text with its first letter in capitals (ASCII only: the labels
/// are English words, and Unicode case tables would grow the web app).
pub fn capitalized(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The verdict of a gate in words, and a CSS class for it.
pub fn verdict(v: GateVerdict) -> (&'static str, &'static str) {
    match v {
        GateVerdict::Allowed => ("allows", "v-allow"),
        GateVerdict::Denied => ("denies", "v-deny"),
        GateVerdict::NoMatchingAllow => ("no matching Allow", "v-none"),
    }
}

/// How a Principal matched, in words.
pub fn level_words(level: MatchLevel) -> &'static str {
    match level {
        MatchLevel::Account => "at the account level (the account's own policies must allow too)",
        MatchLevel::Role => "at the role level (any session of the role)",
        MatchLevel::Direct => "directly",
    }
}

/// The badge class of an outcome.
pub fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "o-allowed",
        Outcome::ExplicitDeny => "o-explicit",
        Outcome::ImplicitDeny | Outcome::Denied => "o-implicit",
        Outcome::Skipped => "o-skipped",
        Outcome::Invalid => "o-invalid",
    }
}

/// "statement 0 `TrustStaging` of StageRole/trustPolicy".
pub fn statement_name(s: &StatementRef) -> String {
    match &s.sid {
        Some(sid) => format!("statement {} `{sid}` of {}", s.statement, s.policy),
        None => format!("statement {} of {}", s.statement, s.policy),
    }
}

/// "Statement 0 `ReadObjects` of StageRole/ReadTestBucket would allow
/// this if:" — the failed parts follow as a list.
pub fn near_miss_sentence(n: &NearMiss) -> String {
    format!("{} would allow this if:", capitalized(&statement_name(&n.statement)))
}

/// A context value as shown: `"a"`, `["a", "b"]`, or `(missing)`.
pub fn context_value_text(v: Option<&ContextValue>) -> String {
    match v {
        None => "(missing)".into(),
        Some(ContextValue::Single(s)) => format!("\"{s}\""),
        Some(ContextValue::Multi(items)) => {
            let parts: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

/// What would make a denied step pass, in plain sentences (empty for an
/// allowed step).
pub fn how_to_pass(step: &StepResult) -> Vec<String> {
    let mut out = Vec::new();
    match step.decision {
        Outcome::ExplicitDeny => {
            for d in &step.decisive {
                out.push(format!(
                    "{} denies it. An explicit Deny wins over every Allow: remove it, or narrow its Action, Resource, Principal or Condition so that it no longer matches this request.",
                    capitalized(&statement_name(d))
                ));
            }
        }
        Outcome::ImplicitDeny if !step.missing_allow.is_empty() => {
            let gates: Vec<&str> = step.missing_allow.iter().map(|g| g.label()).collect();
            out.push(format!(
                "Nothing allows it in: {}. Each of these must have an Allow statement that matches the request{}.",
                gates.join(", "),
                if step.missing_allow.contains(&PolicyType::Trust) {
                    " (the trust policy must name the caller or its account as Principal)"
                } else {
                    ""
                }
            ));
        }
        _ => {}
    }
    out
}

/// Which editors to mark for a step's deciding statements: editor JSON
/// path → marks. `editors` maps trace policy names to editor paths
/// (`Workspace::editors_by_display`).
pub fn decisive_marks(step: &StepResult, editors: &Keyed<String>) -> Keyed<Vec<Mark>> {
    let class = if step.decision == Outcome::ExplicitDeny { "m-deny" } else { "m-decisive" };
    let mut out: Keyed<Vec<Mark>> = Keyed::new();
    let mut add = |path: &String, mark: Mark| match out.get_mut(path) {
        Some(marks) => marks.push(mark),
        None => {
            out.insert(path.clone(), vec![mark]);
        }
    };
    for d in &step.decisive {
        if let Some(path) = editors.get(&d.policy) {
            let title = format!("decides step `{}`: {}", step.id, step.decision.label());
            add(path, Mark::new(d.span.start, d.span.end, class).titled(title));
        }
    }
    if step.decision == Outcome::ImplicitDeny {
        if let Some(n) = &step.near_miss {
            if let Some(path) = editors.get(&n.statement.policy) {
                let s = n.statement.span;
                add(path, Mark::new(s.start, s.end, "m-near").titled(format!("nearest miss: would allow but for {}", n.failed.join("; "))));
            }
        }
    }
    out
}

/// Where clicking a statement of policy `policy` should lead: the
/// editor's path and the statement's span.
pub fn focus_target(editors: &Keyed<String>, policy: &str, span: Span) -> Option<(String, Span)> {
    editors.get(policy).map(|p| (p.clone(), span))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::Workspace;

    const NOW: i64 = 1_768_478_400;

    #[test]
    fn allowed_steps_mark_their_deciding_statements() {
        let w = Workspace::example();
        let r = w.evaluate(NOW).result.unwrap();
        let editors = w.editors_by_display();
        let marks = decisive_marks(&r.steps[0], &editors);
        assert_eq!(marks.len(), 2, "identity and trust policy");
        let trust = &marks.get("accounts[1].roles[0].trustPolicy").unwrap()[0];
        let text = &w.policy_slots()[1].text;
        assert!(text[trust.start..trust.end].contains("TrustStaging"));
        assert!(how_to_pass(&r.steps[0]).is_empty());
        let g = &r.steps[0].evaluation.as_ref().unwrap().gates;
        assert!(g.iter().any(|g| gate_title(g) == "Trust policy"));
    }

    #[test]
    fn denials_say_what_would_make_them_pass() {
        let w = Workspace::example();
        let r = w.evaluate(NOW).result.unwrap();
        let write = &r.steps[2];
        assert_eq!(write.decision, Outcome::ImplicitDeny);
        let tips = how_to_pass(write);
        assert!(tips[0].starts_with("Nothing allows it in:"), "{tips:?}");
        let n = write.near_miss.as_ref().unwrap();
        assert!(near_miss_sentence(n).ends_with("would allow this if:"), "{}", near_miss_sentence(n));
        let marks = decisive_marks(write, &w.editors_by_display());
        assert!(marks.values().flatten().any(|m| m.class == "m-near"));
    }

    #[test]
    fn explicit_denies_name_the_deny_statement() {
        let mut w = Workspace::example();
        w.set_step_context_value(1, "aws:SecureTransport", "false");
        let r = w.evaluate(NOW).result.unwrap();
        let tips = how_to_pass(&r.steps[1]);
        assert!(tips[0].contains("`DenyInsecureTransport`"), "{tips:?}");
        let marks = decisive_marks(&r.steps[1], &w.editors_by_display());
        assert!(marks.values().flatten().all(|m| m.class == "m-deny"));
        assert_eq!(context_value_text(None), "(missing)");
        assert_eq!(context_value_text(Some(&ContextValue::multi(["a", "b"]))), "[\"a\", \"b\"]");
    }
}
