//! The human story of a scenario run: per step, who did what to which
//! resource, the outcome against the expectation, the session created, and
//! the statements that decided it. It only renders the result document.
//!
//! Every string that comes from the document (title, ids, names, ARNs,
//! Sids, condition values quoted in reasons) goes through `inert`, which
//! shows control characters as escapes: a document cannot clear the
//! screen, recolour the output or forge a line. The only control
//! characters written are the story's own newlines and the painter's
//! colour codes.

use std::collections::HashMap;
use std::fmt::Write as _;

use trustwalk_core::arn::{Arn, Entity, PrincipalArn, SERVICE_CALLER_PREFIX};
use trustwalk_core::scenario::{Account, LoadedPolicy, Outcome, Scenario, StepResult};
use trustwalk_core::text::escape_controls as inert;
use trustwalk_core::trace::{GateVerdict, StatementRef};

use crate::style::{Painter, BOLD, DIM, GREEN, RED};

/// Where the policies of a scenario are, by their display name
/// (`StageAdmin/AllowAssume`), to say where a statement is written.
struct PolicyIndex<'s> {
    by_name: HashMap<&'s str, &'s LoadedPolicy>,
}

impl<'s> PolicyIndex<'s> {
    fn new(scenario: &'s Scenario) -> Self {
        let mut by_name = HashMap::new();
        let mut add = |p: &'s LoadedPolicy| {
            by_name.entry(p.display.as_str()).or_insert(p);
        };
        for a in &scenario.accounts {
            for level in a.scps.iter().flatten().chain(a.rcps.iter().flatten()) {
                level.policies.iter().for_each(&mut add);
            }
            a.managed_policies.iter().for_each(|m| add(&m.policy));
            for u in &a.users {
                u.policies.iter().chain(&u.managed_policies).for_each(&mut add);
                u.permissions_boundary.iter().for_each(&mut add);
            }
            for g in &a.groups {
                g.policies.iter().chain(&g.managed_policies).for_each(&mut add);
            }
            for r in &a.roles {
                add(&r.trust_policy);
                r.policies.iter().chain(&r.managed_policies).for_each(&mut add);
                r.permissions_boundary.iter().for_each(&mut add);
            }
            for b in &a.buckets {
                b.policy.iter().for_each(&mut add);
            }
            for r in &a.resources {
                r.policy.iter().for_each(&mut add);
            }
        }
        for s in &scenario.steps {
            if let Some(p) = s.assume_role.as_ref().and_then(|ar| ar.session_policy.as_ref()) {
                add(p);
            }
        }
        Self { by_name }
    }

    /// `at FILE:17:9`, or `at line 3, column 5 of its policy text` when
    /// the policy was given as a string (spans then count from its text),
    /// or `of the AWS managed policy` for one (its text is a one-line file
    /// of `data/aws-managed-policies/`, where a column says little).
    fn location(&self, file: &str, s: &StatementRef) -> String {
        let (line, column) = (s.span.line, s.span.column);
        match self.by_name.get(s.policy.as_str()) {
            Some(p) if p.is_aws_managed() => "of the AWS managed policy".to_string(),
            Some(p) if p.text.is_some() => {
                format!("at line {line}, column {column} of its policy text (given as a string at {})", p.path)
            }
            Some(_) => format!("at {file}:{line}:{column}"),
            None => format!("at line {line}, column {column}"),
        }
    }
}

/// Counts for the closing line of a file's story, added up step by step.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub steps: usize,
    pub allowed: usize,
    pub explicit_deny: usize,
    pub implicit_deny: usize,
    pub skipped: usize,
    pub invalid: usize,
    pub expectations: usize,
    pub failed: usize,
    /// The ids of the steps whose expectation failed.
    pub failed_ids: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, s: &StepResult) {
        self.steps += 1;
        match s.decision {
            Outcome::Allowed => self.allowed += 1,
            Outcome::ExplicitDeny | Outcome::Denied => self.explicit_deny += 1,
            Outcome::ImplicitDeny => self.implicit_deny += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Invalid => self.invalid += 1,
        }
        if let Some(met) = s.expectation_met {
            self.expectations += 1;
            if !met {
                self.failed += 1;
                self.failed_ids.push(s.id.clone());
            }
        }
    }
}

/// The story of one file's run, told a step at a time as results arrive:
/// [`Story::header`], [`Story::step`] for each step, [`Story::closing`].
pub struct Story<'a> {
    pub file: &'a str,
    pub scenario: &'a Scenario,
    pub painter: Painter,
    /// Also list every gate and its verdict.
    pub verbose: bool,
    index: PolicyIndex<'a>,
    owners: Owners<'a>,
    /// Digits of the number of steps, to align their numbers.
    width: usize,
}

/// Accounts by ID, and the owners of roles, resources and buckets, for
/// describing each step without searching the document's lists.
struct Owners<'s> {
    accounts: HashMap<&'s str, &'s Account>,
    /// Role and resource ARNs → the first account listing them.
    arns: HashMap<&'s str, &'s str>,
    /// Bucket names → the first account listing them.
    buckets: HashMap<&'s str, &'s str>,
}

impl<'s> Owners<'s> {
    fn new(scenario: &'s Scenario) -> Self {
        let mut o = Owners { accounts: HashMap::new(), arns: HashMap::new(), buckets: HashMap::new() };
        for a in &scenario.accounts {
            o.accounts.entry(a.id.as_str()).or_insert(a);
        }
        // An account that lists a role or a resource is its owner, roles and
        // resources of earlier accounts first.
        for a in &scenario.accounts {
            for arn in a.roles.iter().map(|r| r.arn.as_str()).chain(a.resources.iter().map(|r| r.arn.as_str())) {
                o.arns.entry(arn).or_insert(a.id.as_str());
            }
            for b in &a.buckets {
                o.buckets.entry(b.name.as_str()).or_insert(a.id.as_str());
            }
        }
        o
    }
}

impl<'a> Story<'a> {
    pub fn new(file: &'a str, scenario: &'a Scenario, painter: Painter, verbose: bool) -> Self {
        let width = scenario.steps.len().to_string().len();
        Story { file, scenario, painter, verbose, index: PolicyIndex::new(scenario), owners: Owners::new(scenario), width }
    }

    /// The title line.
    pub fn header(&self) -> String {
        let p = self.painter;
        let title = self.scenario.title.as_deref().unwrap_or("(untitled scenario)");
        format!("{} {}\n", p.paint(BOLD, &inert(title)), p.paint(DIM, &format!("({})", inert(self.file))))
    }

    /// Step `i` (from 0), after a blank line.
    pub fn step(&self, i: usize, step: &StepResult) -> String {
        let mut out = String::from("\n");
        self.step_into(&mut out, &self.index, i + 1, self.width, step);
        out
    }

    /// The closing line, after a blank line.
    pub fn closing(&self, tally: &Tally) -> String {
        format!("\n{}\n", self.closing_line(tally))
    }

    fn closing_line(&self, t: &Tally) -> String {
        let p = self.painter;
        let mut parts = Vec::new();
        for (n, label) in [
            (t.allowed, "allowed"),
            (t.explicit_deny, "explicit deny"),
            (t.implicit_deny, "implicit deny"),
            (t.skipped, "skipped"),
            (t.invalid, "invalid"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {label}"));
            }
        }
        let steps = if t.steps == 1 { "step" } else { "steps" };
        let expectations = if t.expectations == 0 {
            "no expectations given".to_string()
        } else if t.failed == 0 {
            p.paint(GREEN, &format!("{} of {} expectations met", t.expectations, t.expectations))
        } else {
            let failed: Vec<_> = t.failed_ids.iter().map(|id| inert(id)).collect();
            p.paint(RED, &format!("{} of {} expectations failed ({})", t.failed, t.expectations, failed.join(", ")))
        };
        format!("{} {steps}: {} — {expectations}", t.steps, parts.join(", "))
    }

    fn step_into(&self, out: &mut String, index: &PolicyIndex<'_>, n: usize, width: usize, s: &StepResult) {
        let p = self.painter;
        let expectation = match (s.expect, s.expectation_met) {
            (Some(e), Some(true)) => p.paint(GREEN, &format!("✓ expected {}", e.as_str())),
            (Some(e), _) => p.paint(RED, &format!("✗ EXPECTED {}", e.as_str())),
            (None, _) => p.paint(DIM, "(no expectation)"),
        };
        let _ = writeln!(out, "{n:>width$}. {}  {}  {expectation}", p.paint(BOLD, &inert(&s.id)), p.outcome(s.decision));
        let indent = " ".repeat(width + 2);

        // Who did what to which resource.
        let principal_account = s.principal_account.clone().or_else(|| account_of_principal(&s.principal));
        let resource_account = s.resource_account.clone().or_else(|| self.owner_of_resource(&s.resource));
        let who = match s.principal.strip_prefix(SERVICE_CALLER_PREFIX) {
            Some(service) => self.describe_service(service, s.context.get_single("aws:SourceArn"), s.context.get_single("aws:SourceAccount")),
            None => self.describe_principal(&s.principal, principal_account.as_deref()),
        };
        let who = inert(&who).into_owned();
        let what = inert(&self.describe_resource(&s.resource, &s.action, resource_account.as_deref())).into_owned();
        let scope = if s.principal == "anonymous" {
            "anonymous request".to_string()
        } else if s.principal.starts_with(SERVICE_CALLER_PREFIX) {
            "AWS service request".to_string()
        } else {
            let cross = match s.evaluation {
                Some(_) => s.cross_account,
                None => matches!((&principal_account, &resource_account), (Some(a), Some(b)) if a != b),
            };
            if cross { "cross-account" } else { "same-account" }.to_string()
        };
        let _ = writeln!(out, "{indent}{who} calls {} on {what} ({scope})", p.paint(BOLD, &inert(&s.action)));

        match s.decision {
            Outcome::Skipped | Outcome::Invalid => {
                let reason = s.summary.strip_prefix("skipped: ").or_else(|| s.summary.strip_prefix("invalid: ")).unwrap_or(&s.summary);
                let _ = writeln!(out, "{indent}reason: {}", inert(reason));
            }
            _ => {
                let why = ["allowed: ", "implicitly denied: "].iter().find_map(|p| s.summary.strip_prefix(p)).unwrap_or(&s.summary);
                if !why.is_empty() {
                    let _ = writeln!(out, "{indent}why: {}", inert(why));
                }
            }
        }
        if let Some(session) = &s.session {
            let _ = writeln!(out, "{indent}session created: {}", p.paint(BOLD, &inert(session)));
        }
        if !s.decisive.is_empty() {
            let _ = writeln!(out, "{indent}decided by:");
            for d in &s.decisive {
                let _ = writeln!(out, "{indent}  - {}", self.statement(index, d));
            }
        }
        if s.decision == Outcome::ImplicitDeny {
            if !s.missing_allow.is_empty() {
                let gates: Vec<&str> = s.missing_allow.iter().map(|g| g.label()).collect();
                let _ = writeln!(out, "{indent}no matching Allow in: {}", dedup(gates).join(", "));
            }
            match &s.near_miss {
                Some(nm) => {
                    let _ = writeln!(out, "{indent}nearest miss: {}, which would allow but for:", self.statement(index, &nm.statement));
                    for f in &nm.failed {
                        let _ = writeln!(out, "{indent}  - {}", inert(f));
                    }
                }
                None => {
                    let _ = writeln!(out, "{indent}nearest miss: none (no Allow statement came close)");
                }
            }
        }
        if self.verbose {
            self.gates(out, &indent, s);
        }
    }

    fn gates(&self, out: &mut String, indent: &str, s: &StepResult) {
        let Some(ev) = &s.evaluation else { return };
        let _ = writeln!(out, "{indent}gates:");
        let checks = std::iter::once((s.action.as_str(), ev)).chain(s.extra_checks.iter().map(|c| (c.action.as_str(), &c.evaluation)));
        for (action, ev) in checks {
            let needed = if action == s.action { "" } else { " (needed too)" };
            let _ = writeln!(out, "{indent}  {}{needed}: {}", inert(action), ev.decision.as_str());
            for g in &ev.gates {
                let verdict = match g.verdict {
                    GateVerdict::Allowed => "allowed",
                    GateVerdict::Denied => "denied",
                    GateVerdict::NoMatchingAllow => "no matching Allow",
                };
                let level = g.level.as_deref().map(|l| format!(" [{}]", inert(l))).unwrap_or_default();
                let required = if g.required { "" } else { " (not required)" };
                let _ = writeln!(out, "{indent}    {}{level}: {verdict}{required} — {}", g.policy_type.label(), inert(&g.note));
            }
        }
    }

    /// `identity policy StageAdmin/AllowAssume, statement 1 "AllowAssumeStageRole" at FILE:17:9`
    /// (statements counted from 1, as people count, like lines).
    fn statement(&self, index: &PolicyIndex<'_>, s: &StatementRef) -> String {
        let sid = s.sid.as_deref().map(|sid| format!(" (Sid {})", inert(sid))).unwrap_or_default();
        format!(
            "{} {}, statement {}{sid} {}",
            s.policy_type.label(),
            self.painter.paint(BOLD, &inert(&s.policy)),
            s.statement + 1,
            inert(&index.location(self.file, s))
        )
    }

    fn account_label(&self, id: &str) -> String {
        self.owners.accounts.get(id).and_then(|a| a.name.is_some().then(|| a.label())).unwrap_or_else(|| format!("account {id}"))
    }

    /// "service ec2.amazonaws.com, for instance i-0abc… of staging
    /// (111111111111)": the service and the resource it calls for.
    fn describe_service(&self, service: &str, source_arn: Option<&str>, source_account: Option<&str>) -> String {
        let of = source_account.map(|a| format!(" of {}", self.account_label(a))).unwrap_or_default();
        let source = source_arn.map(|arn| match Arn::parse(arn) {
            Ok(a) if a.service == "ec2" && a.resource.starts_with("instance/") => {
                format!("instance {}", a.resource.trim_start_matches("instance/"))
            }
            Ok(a) if a.service == "lambda" && a.resource.starts_with("function:") => {
                format!("function {}", a.resource.trim_start_matches("function:"))
            }
            _ => format!("`{arn}`"),
        });
        match (source, of.is_empty()) {
            (Some(src), _) => format!("service {service}, for {src}{of}"),
            (None, false) => format!("service {service}, for a resource{of}"),
            (None, true) => format!("service {service}"),
        }
    }

    fn describe_principal(&self, arn: &str, account: Option<&str>) -> String {
        if arn == "anonymous" {
            return "an anonymous caller".to_string();
        }
        let of = account.map(|a| format!(" of {}", self.account_label(a))).unwrap_or_default();
        let Ok(arn_parts) = Arn::parse(arn) else {
            return format!("`{arn}`");
        };
        match PrincipalArn::parse(arn).map(|p| (p.arn.service, p.entity)) {
            Ok(("iam", Entity::Root)) => format!("the root user{of}"),
            Ok(("iam", Entity::User { name, .. })) => format!("user {name}{of}"),
            Ok((_, Entity::RoleSession { role, session })) => format!("session {session} of role {role}{of}"),
            _ if arn_parts.service == "iam" && arn_parts.resource.starts_with("user/") => {
                format!("user {}{of}", arn_parts.resource.rsplit('/').next().unwrap_or_default())
            }
            _ => format!("`{arn}`{of}"),
        }
    }

    fn describe_resource(&self, arn: &str, action: &str, account: Option<&str>) -> String {
        if arn == "*" {
            return "any resource (`*`)".to_string();
        }
        let of = account.map(|a| format!(" of {}", self.account_label(a))).unwrap_or_default();
        let Ok(parts) = Arn::parse(arn) else {
            return format!("`{arn}`{of}");
        };
        if parts.service == "iam" && action.eq_ignore_ascii_case("sts:AssumeRole") {
            if let Some(name) = parts.resource.strip_prefix("role/").and_then(|r| r.rsplit('/').next()) {
                return format!("role {name}{of}");
            }
        }
        if parts.s3_bucket().is_some() {
            return match parts.resource.split_once('/') {
                Some((bucket, key)) => format!("object `{key}` in bucket {bucket}{of}"),
                None => format!("bucket {}{of}", parts.resource),
            };
        }
        format!("`{arn}`{of}")
    }

    /// For steps that were not evaluated: the resource's owner as the
    /// document lists it.
    fn owner_of_resource(&self, arn: &str) -> Option<String> {
        if let Some(id) = self.owners.arns.get(arn) {
            return Some(id.to_string());
        }
        let parts = Arn::parse(arn).ok()?;
        if let Some(bucket) = parts.s3_bucket() {
            return self.owners.buckets.get(bucket).map(|id| id.to_string());
        }
        (!parts.account.is_empty()).then(|| parts.account.to_string())
    }
}

fn account_of_principal(arn: &str) -> Option<String> {
    let acct = Arn::parse(arn).ok()?.account;
    (!acct.is_empty()).then(|| acct.to_string())
}

fn dedup(items: Vec<&str>) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
