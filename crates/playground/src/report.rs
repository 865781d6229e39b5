//! A Markdown report of a scenario's steps, for code reviews.

use std::fmt::Write;

use trustwalk_core::scenario::{Outcome, ScenarioResult};

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders the result as Markdown: a table of steps, then per step the
/// deciding statements, and for denials what was missing.
pub fn markdown(title: Option<&str>, result: &ScenarioResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_escape(title.unwrap_or("Trustwalk scenario")));
    let failed = result.steps.iter().filter(|s| s.expectation_met == Some(false)).count();
    let _ = writeln!(
        out,
        "{} steps; {}.\n",
        result.steps.len(),
        if failed == 0 { "every expectation met".to_string() } else { format!("**{failed} expectation(s) not met**") }
    );
    let _ = writeln!(out, "| # | Step | Principal | Action | Resource | Cross-account | Outcome | Expected |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (i, s) in result.steps.iter().enumerate() {
        let expected = match (s.expect, s.expectation_met) {
            (Some(e), Some(true)) => format!("{} ✓", e.label()),
            (Some(e), _) => format!("{} ✗", e.label()),
            (None, _) => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | `{}` | `{}` | `{}` | {} | **{}** | {} |",
            i + 1,
            md_escape(&s.id),
            md_escape(&s.principal),
            md_escape(&s.action),
            md_escape(&s.resource),
            if s.cross_account { "yes" } else { "no" },
            s.decision.label(),
            expected
        );
    }
    for (i, s) in result.steps.iter().enumerate() {
        let _ = writeln!(out, "\n## {}. {} — {}\n", i + 1, md_escape(&s.id), s.decision.label());
        let _ = writeln!(out, "{}\n", md_escape(&s.summary));
        if let Some(session) = &s.session {
            let _ = writeln!(out, "Establishes the session `{session}`.\n");
        }
        if !s.decisive.is_empty() {
            let _ = writeln!(out, "Deciding statements:\n");
            for d in &s.decisive {
                let sid = d.sid.as_deref().map(|x| format!(" `{x}`")).unwrap_or_default();
                let _ = writeln!(out, "- {} `{}`, statement {}{} (line {})", d.policy_type.label(), md_escape(&d.policy), d.statement, sid, d.span.line);
            }
            out.push('\n');
        }
        if matches!(s.decision, Outcome::ImplicitDeny) {
            if !s.missing_allow.is_empty() {
                let gates: Vec<&str> = s.missing_allow.iter().map(|g| g.label()).collect();
                let _ = writeln!(out, "No matching Allow in: {}.\n", gates.join(", "));
            }
            if let Some(n) = &s.near_miss {
                let _ = writeln!(
                    out,
                    "Nearest miss: {} `{}`, statement {} — would allow but for:\n",
                    n.statement.policy_type.label(),
                    md_escape(&n.statement.policy),
                    n.statement.statement
                );
                for f in &n.failed {
                    let _ = writeln!(out, "- {}", md_escape(f));
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::Workspace;

    #[test]
    fn report_lists_steps_and_deciding_statements() {
        let w = Workspace::example();
        let r = w.evaluate(0).result.unwrap();
        let md = markdown(w.title(), &r);
        assert!(md.starts_with("# Staging admin reads"));
        assert!(md.contains("| 1 | assume-stage-role | `arn:aws:iam::111111111111:user/StageAdmin` | `sts:AssumeRole`"));
        assert!(md.contains("| yes | **Allowed** | Allowed ✓ |"));
        assert!(md.contains("trust policy `StageRole/trustPolicy`, statement 0 `TrustStaging`"));
        assert!(md.contains("**Implicit deny**"));
        assert!(md.contains("every expectation met"));
    }
}
