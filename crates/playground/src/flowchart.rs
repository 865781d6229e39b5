//! AWS's policy evaluation logic drawn for one step (issue #16): the
//! flowchart of the IAM User Guide's "Policy evaluation logic" — explicit
//! Deny in any policy, then each SCP level, each RCP level, the resource
//! (or trust) policy, the identity policies, the permissions boundary and
//! the session policy — with the path this request took highlighted and
//! each gate shaded by its verdict.
//!
//! [`Flowchart::of`] reads the step's trace into rows; [`Flowchart::svg`]
//! draws them as plain SVG markup (every text escaped, no inline style:
//! the colours come from the app's CSS classes, so light and dark themes
//! apply), [`Flowchart::text_alternative`] lists them for screen readers,
//! and [`Flowchart::mermaid`] writes a Mermaid `flowchart TD` for the
//! Markdown report (GitHub renders Mermaid, and strips inline SVG).
//! Everything is deterministic, for snapshots.

use std::fmt::Write;

use trustwalk_core::policy::PolicyType;
use trustwalk_core::scenario::StepResult;
use trustwalk_core::trace::{AllowRule, Decision, GateTrace, GateVerdict};

use crate::explain::{capitalized, gate_title};

/// How a row is shaded (its CSS class is `fc-` + [`Shade::class`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shade {
    /// The gate allows (green), or for the Deny check: no explicit Deny.
    Allow,
    /// A matching Deny (red).
    Deny,
    /// No matching Allow (amber).
    NoAllow,
    /// The gate took no part in this request (muted).
    NotApplicable,
}

impl Shade {
    pub fn class(self) -> &'static str {
        match self {
            Shade::Allow => "allow",
            Shade::Deny => "deny",
            Shade::NoAllow => "none",
            Shade::NotApplicable => "na",
        }
    }
}

/// Where a row's side exit leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminal {
    /// An explicit Deny: final deny.
    ExplicitDeny,
    /// No Allow where one is needed: implicit deny.
    ImplicitDeny,
    /// Within one account, a resource policy's Allow that names the caller
    /// is enough: final allow.
    ResourceGrant,
}

impl Terminal {
    pub fn label(self) -> &'static str {
        match self {
            Terminal::ExplicitDeny => "Final deny (explicit)",
            Terminal::ImplicitDeny => "Implicit deny",
            Terminal::ResourceGrant => "Final allow",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Terminal::ExplicitDeny => "deny",
            Terminal::ImplicitDeny => "none",
            Terminal::ResourceGrant => "allow",
        }
    }

    /// The label of the edge that leads to it.
    fn edge(self) -> &'static str {
        match self {
            Terminal::ExplicitDeny => "Yes",
            Terminal::ImplicitDeny => "No Allow",
            Terminal::ResourceGrant => "Allow",
        }
    }
}

/// One decision of the flowchart: the Deny check, or one gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `scp:Root`, `trust`, … (the gate's `policyType[:level]`), for the
    /// explanation's gate it stands for; `None` when no gate took part.
    pub gate: Option<String>,
    /// "Service control policy · Root".
    pub title: String,
    /// "allows", "denies", "no matching Allow", "not applicable", …
    pub verdict: String,
    pub shade: Shade,
    /// The gate's Allow was needed for this request.
    pub required: bool,
    /// The gate's note (a sentence on the part it played).
    pub note: String,
    /// The side exit and where it leads.
    pub exit: Terminal,
    /// The label of the edge down to the next row.
    pub down: &'static str,
}

/// The flowchart of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flowchart {
    pub rows: Vec<Row>,
    /// The row whose side exit the request took; `None`: it went down every
    /// row to the final allow.
    pub exit: Option<usize>,
    pub cross_account: bool,
    /// The rows of the resource policy down to the session policy, which
    /// the cross-account rule groups (both accounts must allow).
    pub cross_group: Option<(usize, usize)>,
    pub decision: Decision,
    /// The step's other authorisations (`sts:TagSession`, …), which the
    /// diagram does not draw: "sts:TagSession: implicit deny".
    pub also_needed: Vec<String>,
}

/// `scp:Root`, `identity`.
pub fn gate_key(g: &GateTrace) -> String {
    match &g.level {
        Some(level) => format!("{}:{level}", g.policy_type.as_str()),
        None => g.policy_type.as_str().to_string(),
    }
}

fn verdict_words(v: GateVerdict) -> (&'static str, Shade) {
    match v {
        GateVerdict::Allowed => ("allows", Shade::Allow),
        GateVerdict::Denied => ("denies", Shade::Deny),
        GateVerdict::NoMatchingAllow => ("no matching Allow", Shade::NoAllow),
    }
}

fn gate_row(g: &GateTrace, exit: Terminal) -> Row {
    // An RCP level not required: RCPs do not apply to this service.
    let skipped = g.policy_type == PolicyType::Rcp && !g.required;
    let (words, shade) = if skipped { ("not applicable", Shade::NotApplicable) } else { verdict_words(g.verdict) };
    let mut verdict = words.to_string();
    if !g.required && !skipped {
        verdict.push_str(" · not required");
    }
    Row {
        gate: Some(gate_key(g)),
        title: gate_title(g),
        verdict,
        shade,
        required: g.required && !skipped,
        note: g.note.clone(),
        exit,
        down: if skipped {
            "n/a"
        } else if !g.required {
            "not required"
        } else {
            "Allow"
        },
    }
}

fn absent_row(title: &str, why: &str, exit: Terminal) -> Row {
    Row {
        gate: None,
        title: title.to_string(),
        verdict: "not applicable".to_string(),
        shade: Shade::NotApplicable,
        required: false,
        note: why.to_string(),
        exit,
        down: "n/a",
    }
}

impl Flowchart {
    /// The flowchart of `step`, or `None` when it was not evaluated
    /// (skipped or invalid).
    pub fn of(step: &StepResult) -> Option<Flowchart> {
        let ev = step.evaluation.as_ref()?;
        let of_type = |t: &'static [PolicyType]| ev.gates.iter().filter(move |g| t.contains(&g.policy_type));
        let mut rows = Vec::new();

        // 1. Deny evaluation: an explicit Deny in any policy decides.
        let denied = ev.gates.iter().find(|g| g.verdict == GateVerdict::Denied);
        rows.push(Row {
            gate: denied.map(gate_key),
            title: "Explicit Deny in any policy?".into(),
            verdict: match denied {
                Some(g) => format!("yes: {} denies", capitalized(&gate_title(g))),
                None => "no explicit Deny".into(),
            },
            shade: if denied.is_some() { Shade::Deny } else { Shade::Allow },
            required: true,
            note: "An explicit Deny in any applicable policy wins over every Allow.".into(),
            exit: Terminal::ExplicitDeny,
            down: "No",
        });

        // 2. and 3. Every level of the SCPs, then of the RCPs, must allow.
        for (t, title, why) in [
            (PolicyType::Scp, "Service control policies", "The caller's account has no SCPs (or the caller is not in an organization)."),
            (PolicyType::Rcp, "Resource control policies", "The resource's account has no RCPs."),
        ] {
            let before = rows.len();
            rows.extend(ev.gates.iter().filter(|g| g.policy_type == t).map(|g| gate_row(g, Terminal::ImplicitDeny)));
            if rows.len() == before {
                rows.push(absent_row(title, why, Terminal::ImplicitDeny));
            }
        }

        // 4. The resource (or trust) policy. Within one account an Allow
        // that names the caller is enough on its own (AWS's "final allow"
        // arrow); across accounts, or for a trust or key policy, it must
        // allow, and the identity side too.
        let resource_row = rows.len();
        let either = !step.cross_account && ev.rule == AllowRule::SameAccountEither;
        let resource = of_type(&[PolicyType::Resource, PolicyType::Trust]).next();
        let resource_exit = if either { Terminal::ResourceGrant } else { Terminal::ImplicitDeny };
        rows.push(match resource {
            Some(g) => {
                let mut row = gate_row(g, resource_exit);
                if either {
                    row.down = if g.verdict == GateVerdict::Allowed { "Allow at account level" } else { "No Allow" };
                }
                row
            }
            None => absent_row("Resource-based policy", "The resource has no resource-based policy.", resource_exit),
        });

        // 5. to 7. The caller's side.
        for (t, title, why) in [
            (PolicyType::Identity, "Identity policy", "The caller has no identity policies (an anonymous caller or an AWS service)."),
            (PolicyType::PermissionsBoundary, "Permissions boundary", "The caller has no permissions boundary."),
            (PolicyType::SessionPolicy, "Session policy", "The caller is not a session with a session policy."),
        ] {
            rows.push(match ev.gates.iter().find(|g| g.policy_type == t) {
                Some(g) => gate_row(g, Terminal::ImplicitDeny),
                None => absent_row(title, why, Terminal::ImplicitDeny),
            });
        }
        let last = rows.len().saturating_sub(1);

        let exit = match ev.decision {
            Decision::ExplicitDeny => Some(0),
            // A public bucket policy's Allow, turned off by Block Public
            // Access; the root user's AssumeRole, refused whatever allows it.
            Decision::ImplicitDeny if ev.rule == AllowRule::PublicAccessBlocked => {
                if let Some(r) = rows.get_mut(resource_row) {
                    r.verdict.push_str(" · public: Block Public Access");
                }
                Some(resource_row)
            }
            Decision::ImplicitDeny if ev.rule == AllowRule::RootAssumesRole => {
                if let Some(r) = rows.get_mut(resource_row + 1) {
                    r.verdict = "the root user cannot call AssumeRole".into();
                }
                Some(resource_row + 1)
            }
            Decision::Allowed => {
                let identity_needed = of_type(&[PolicyType::Identity]).any(|g| g.required);
                let granted = either && resource.is_some_and(|g| g.verdict == GateVerdict::Allowed) && !identity_needed;
                granted.then_some(resource_row)
            }
            Decision::ImplicitDeny => {
                let blocks = |(i, r): &(usize, &Row)| *i > 0 && r.required && r.shade == Shade::NoAllow && r.exit == Terminal::ImplicitDeny;
                let first = rows.iter().enumerate().find(blocks).map(|(i, _)| i);
                // Otherwise: the last gate that did not allow, or the end.
                let fallback = || rows.iter().enumerate().rev().find(|(i, r)| *i > 0 && r.gate.is_some() && r.shade != Shade::Allow).map(|(i, _)| i);
                Some(first.or_else(fallback).unwrap_or(last))
            }
        };
        Some(Flowchart {
            rows,
            exit,
            cross_account: step.cross_account,
            cross_group: step.cross_account.then_some((resource_row, last)),
            decision: ev.decision,
            also_needed: step.extra_checks.iter().map(|x| format!("{}: {}", x.action, decision_words(x.decision))).collect(),
        })
    }

    /// Whether row `i` is on the path the request took.
    pub fn on_path(&self, i: usize) -> bool {
        self.exit.is_none_or(|e| i <= e)
    }

    /// Where the request ended, in words.
    pub fn outcome(&self) -> String {
        match self.exit.and_then(|e| self.rows.get(e).map(|r| (e, r))) {
            None => "Final allow: every gate on the way allowed".into(),
            Some((0, _)) => "Final deny: an explicit Deny".into(),
            Some((_, r)) if r.exit == Terminal::ResourceGrant => format!("Final allow: the {} grants it within one account", r.title.to_lowercase()),
            Some((_, r)) => format!("Implicit deny at the {} (no matching Allow)", r.title),
        }
    }

    /// The text alternative: one line per row, in the order of the
    /// diagram, then where the request ended.
    pub fn text_alternative(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let path = if self.exit == Some(i) {
                    format!(" — the request leaves here: {}", r.exit.label())
                } else if self.on_path(i) {
                    String::new()
                } else {
                    " — not reached".into()
                };
                format!("{} — {}{path}", r.title, r.verdict)
            })
            .collect();
        if self.cross_account {
            out.push("Cross-account: both the caller's account (identity side) and the resource's account (resource policy) must allow.".into());
        }
        out.push(format!("Result: {}.", self.outcome()));
        if !self.also_needed.is_empty() {
            out.push(format!("Not drawn: the step also needs {} (see the explanation).", self.also_needed.join(", ")));
        }
        out
    }

    /// The path in one sentence: "Path: no explicit Deny → Trust policy:
    /// allows → … → Final allow." (the rows that took part, up to the exit).
    pub fn path_sentence(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for (i, r) in self.rows.iter().enumerate().filter(|(i, r)| self.on_path(*i) && (*i == 0 || r.shade != Shade::NotApplicable)) {
            parts.push(if i == 0 { r.verdict.trim_start_matches("yes: ").to_string() } else { format!("{}: {}", r.title, r.verdict) });
        }
        let end = match self.exit.and_then(|e| self.rows.get(e)) {
            Some(r) => r.exit.label(),
            None => "Final allow",
        };
        parts.push(end.to_string());
        let mut out = format!("Path: {}.", parts.join(" → "));
        if self.cross_account {
            out.push_str(" Cross-account: both accounts must allow.");
        }
        if !self.also_needed.is_empty() {
            let _ = write!(out, " The step also needs {}.", self.also_needed.join(", "));
        }
        out
    }

    /// The diagram as SVG markup.
    pub fn svg(&self) -> String {
        // One column of gates, their exits on the right: narrow enough to be
        // read at the sidebar's width.
        const W: i32 = 432;
        const X: i32 = 8;
        const BW: i32 = 236;
        const BH: i32 = 42;
        const GAP: i32 = 28;
        const TX: i32 = 298;
        const TW: i32 = 130;
        const TH: i32 = 30;
        let cx = X + BW / 2;
        // The top of each row (an extra band above the cross-account group).
        let mut tops = Vec::with_capacity(self.rows.len());
        let mut y = 8;
        for i in 0..self.rows.len() {
            if self.cross_group.is_some_and(|(a, _)| a == i) {
                y += 24;
            }
            tops.push(y);
            y += BH + GAP;
        }
        let end_top = y;
        let height = end_top + TH + 8;
        let mut s = String::with_capacity(8192);
        let desc = self.path_sentence();
        let _ = write!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="flowchart-svg" role="group" viewBox="0 0 {W} {height}" width="{W}" height="{height}" aria-labelledby="flowchart-title flowchart-desc" data-outcome="{}">"#,
            self.decision.as_str()
        );
        let _ = write!(
            s,
            r#"<title id="flowchart-title">AWS policy evaluation logic for this request</title><desc id="flowchart-desc">{}</desc>"#,
            xml(&desc)
        );
        s.push_str(r#"<defs><marker id="fc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path class="fc-arrowhead" d="M0,0L10,5L0,10z"/></marker></defs>"#);
        if let Some((a, b)) = self.cross_group {
            if let (Some(ta), Some(tb)) = (tops.get(a), tops.get(b)) {
                let (top, bottom) = (ta - 26, tb + BH + 6);
                let _ = write!(
                    s,
                    r#"<g class="fc-cross"><rect x="{}" y="{top}" width="{}" height="{}" rx="8"/><text x="{}" y="{}">Cross-account: both accounts must allow</text></g>"#,
                    X - 6,
                    W - 2 * (X - 6),
                    bottom - top,
                    cx + 10,
                    top + 15
                );
            }
        }
        for (i, (r, &top)) in self.rows.iter().zip(&tops).enumerate() {
            let path = self.on_path(i);
            let mid = top + BH / 2;
            // The edge down to the next row (or to the final allow).
            let next = tops.get(i + 1).copied().unwrap_or(end_top);
            let down_on_path = path && self.exit != Some(i);
            let _ = write!(
                s,
                r#"<g class="fc-edge{}"><line x1="{cx}" y1="{}" x2="{cx}" y2="{}" marker-end="url(#fc-arrow)"/><text x="{}" y="{}">{}</text></g>"#,
                if down_on_path { " fc-path" } else { "" },
                top + BH,
                next - 2,
                cx + 10,
                top + BH + 18,
                xml(r.down)
            );
            // The side exit and its terminal.
            let exit_taken = self.exit == Some(i);
            let _ = write!(
                s,
                r#"<g class="fc-edge{p}"><line x1="{}" y1="{mid}" x2="{}" y2="{mid}" marker-end="url(#fc-arrow)"/><text x="{}" y="{}" text-anchor="middle">{}</text></g><g class="fc-term fc-{}{p}" data-terminal="{}"><rect x="{TX}" y="{}" width="{TW}" height="{TH}" rx="17"/><text x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
                X + BW,
                TX - 2,
                (X + BW + TX) / 2,
                mid - 6,
                r.exit.edge(),
                r.exit.class(),
                r.exit.class(),
                mid - TH / 2,
                TX + TW / 2,
                mid + 4,
                r.exit.label(),
                p = if exit_taken { " fc-path" } else { "" },
            );
            // The row itself.
            let (title, verdict) = (truncate(&r.title, 31), truncate(&r.verdict, 36));
            let _ = write!(s, r#"<g class="fc-node fc-{}{}""#, r.shade.class(), if path { " fc-path" } else { " fc-off" });
            if let Some(gate) = &r.gate {
                let _ = write!(
                    s,
                    r#" data-gate="{}" tabindex="0" role="button" aria-label="{}: {}. Show its statements""#,
                    xml(gate),
                    xml(&r.title),
                    xml(&r.verdict)
                );
            }
            let _ = write!(
                s,
                r#" data-verdict="{}"><title>{}</title><rect x="{X}" y="{top}" width="{BW}" height="{BH}" rx="6"/><text class="fc-title" x="{}" y="{}">{}</text><text class="fc-verdict" x="{}" y="{}">{}</text></g>"#,
                r.shade.class(),
                xml(&format!("{}: {}. {}", r.title, r.verdict, r.note)),
                X + 10,
                top + 17,
                xml(&title),
                X + 10,
                top + 34,
                xml(&verdict)
            );
        }
        let allowed_end = self.exit.is_none();
        let _ = write!(
            s,
            r#"<g class="fc-term fc-allow{}" data-terminal="allow"><rect x="{X}" y="{end_top}" width="{BW}" height="{TH}" rx="17"/><text x="{cx}" y="{}" text-anchor="middle">Final allow</text></g></svg>"#,
            if allowed_end { " fc-path" } else { "" },
            end_top + 19
        );
        s
    }

    /// The diagram as a Mermaid `flowchart TD` (without the code fence).
    pub fn mermaid(&self) -> String {
        let mut s = String::from("flowchart TD\n");
        let mut links = 0usize;
        let mut path_links = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            let _ = writeln!(s, "  n{i}[\"{}<br/>{}\"]", mermaid_text(&r.title), mermaid_text(&r.verdict));
        }
        let _ = writeln!(s, "  fin([\"Final allow\"])");
        for (i, r) in self.rows.iter().enumerate() {
            let next = if i + 1 < self.rows.len() { format!("n{}", i + 1) } else { "fin".into() };
            let _ = writeln!(s, "  n{i} -->|{}| {next}", mermaid_text(r.down));
            if self.on_path(i) && self.exit != Some(i) {
                path_links.push(links);
            }
            links += 1;
            let _ = writeln!(s, "  n{i} -->|{}| t{i}([\"{}\"])", mermaid_text(r.exit.edge()), r.exit.label());
            if self.exit == Some(i) {
                path_links.push(links);
            }
            links += 1;
        }
        if let Some((a, b)) = self.cross_group {
            let _ = writeln!(s, "  subgraph cross [\"Cross-account: both accounts must allow\"]");
            for i in a..=b {
                let _ = writeln!(s, "    n{i}");
            }
            let _ = writeln!(s, "  end");
        }
        s.push_str("  classDef allow fill:#d8f3dc,stroke:#1b7f3b,color:#0b3d1b\n");
        s.push_str("  classDef deny fill:#fde2e1,stroke:#c0262d,color:#5c0b0e\n");
        s.push_str("  classDef none fill:#fff1cc,stroke:#a86b00,color:#4a3000\n");
        s.push_str("  classDef na fill:#f1f1f1,stroke:#9a9a9a,color:#666,stroke-dasharray:4 3\n");
        for shade in [Shade::Allow, Shade::Deny, Shade::NoAllow, Shade::NotApplicable] {
            let ids: Vec<String> = self.rows.iter().enumerate().filter(|(_, r)| r.shade == shade).map(|(i, _)| format!("n{i}")).collect();
            if !ids.is_empty() {
                let _ = writeln!(s, "  class {} {}", ids.join(","), shade.class());
            }
        }
        match self.exit {
            None => s.push_str("  class fin allow\n"),
            Some(e) => {
                if let Some(r) = self.rows.get(e) {
                    let _ = writeln!(s, "  class t{e} {}", r.exit.class());
                }
            }
        }
        if !path_links.is_empty() {
            let ids: Vec<String> = path_links.iter().map(usize::to_string).collect();
            let _ = writeln!(s, "  linkStyle {} stroke-width:4px", ids.join(","));
        }
        s
    }
}

fn decision_words(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allowed",
        Decision::ExplicitDeny => "explicit deny",
        Decision::ImplicitDeny => "implicit deny",
    }
}

/// Text for XML content or an attribute value: `&`, `<`, `>`, quotes
/// escaped; characters XML does not allow (controls) shown as `\u{…}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text inside a quoted Mermaid label: Mermaid's entity codes for the
/// characters that would end the label, open markup or the code fence.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters, with `…` when cut (the full text is in the
/// node's tooltip and the text alternative).
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cut() {
        assert_eq!(xml("<a href=\"x\">&'\u{1b}"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\u{1b}");
        assert_eq!(mermaid_text("a\"b#c<d>`|"), "a#quot;b#35;c#lt;d#gt;#96;#124;");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
