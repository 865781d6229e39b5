//! Words and highlights for the explanation of a step: gate titles,
//! verdicts, principal match levels, what would make a denied request
//! pass, and which statement text to highlight in which editor.

use crate::Keyed;

use trustwalk_core::context::ContextValue;
use trustwalk_core::json::Span;
use trustwalk_core::policy::PolicyType;
use trustwalk_core::scenario::{Outcome, StepResult};
use trustwalk_core::trace::{AllowRule, ConditionTrace, GateTrace, GateVerdict, MatchLevel, NearMiss, StatementRef, StatementTrace};

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

/// "statement 1 `TrustStaging` of StageRole/trustPolicy" (counted from 1,
/// as people count, like the editors' lines).
pub fn statement_name(s: &StatementRef) -> String {
    match &s.sid {
        Some(sid) => format!("statement {} `{sid}` of {}", s.statement + 1, s.policy),
        None => format!("statement {} of {}", s.statement + 1, s.policy),
    }
}

/// "Statement 1 `ReadObjects` of StageRole/ReadTestBucket would allow
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

/// A sentence of [`how_to_pass`], with the condition it is about when it
/// says where the scenario sets a key the request lacks (the explanation
/// then offers to set it: [`crate::hints::set_key`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Tip {
    pub text: String,
    pub missing: Option<MissingKey>,
}

/// A condition that held (a Deny's) or failed (an Allow's) only because
/// the request does not carry its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingKey {
    pub key: String,
    /// The operator's canonical name (`StringNotEquals`, `Bool`…).
    pub operator: String,
    /// The policy's values for the key.
    pub values: Vec<String>,
    /// Whether the condition belongs to a Deny that applied (setting the
    /// key must make it fail) rather than an Allow that did not match
    /// (setting the key must make it hold).
    pub deny: bool,
}

impl MissingKey {
    fn of(c: &ConditionTrace, deny: bool) -> Self {
        Self { key: c.key.to_string(), operator: c.operator.to_string(), values: c.policy_values.iter().map(|v| v.to_string()).collect(), deny }
    }
}

/// What would make a denied step pass, in plain sentences (empty for an
/// allowed step), following the rule that decided it: within one account
/// one Allow can be enough, across accounts both sides must allow, a trust
/// policy must always allow, boundaries, session policies and every SCP
/// and RCP level limit what the others grant.
pub fn how_to_pass(step: &StepResult) -> Vec<String> {
    how_to_pass_tips(step).into_iter().map(|t| t.text).collect()
}

/// [`how_to_pass`], each sentence with the condition whose missing key it
/// is about, if any.
pub fn how_to_pass_tips(step: &StepResult) -> Vec<Tip> {
    let mut out = Vec::new();
    let plain = |text: String| Tip { text, missing: None };
    match step.decision {
        Outcome::ExplicitDeny => {
            for d in &step.decisive {
                out.push(plain(format!(
                    "{} denies it. An explicit Deny wins over every Allow: remove it, or narrow its Action, Resource, Principal or Condition so that it no longer matches this request.",
                    capitalized(&statement_name(d))
                )));
                // A Deny whose condition holds only because the key is absent.
                for c in statement_trace(step, d).into_iter().flat_map(|s| &s.conditions).filter(|c| c.matched && c.request_values.is_none()) {
                    out.push(Tip {
                        text: format!(
                            "Its condition on `{key}` holds because the request does not carry `{key}`: the scenario never sets it. To send it, {}.",
                            where_key_is_set(&c.key),
                            key = c.key
                        ),
                        missing: Some(MissingKey::of(c, true)),
                    });
                }
            }
        }
        Outcome::ImplicitDeny => {
            let rule = step.evaluation.as_ref().map_or(AllowRule::ExplicitDeny, |e| e.rule);
            let mut texts = Vec::new();
            implicit_deny_tips(rule, &step.missing_allow, &mut texts);
            out.extend(texts.into_iter().map(plain));
            // The nearest miss's conditions that failed for want of a key.
            let near = step.near_miss.as_ref().and_then(|n| statement_trace(step, &n.statement));
            for c in near.into_iter().flat_map(|s| &s.conditions).filter(|c| !c.matched && c.request_values.is_none()) {
                out.push(Tip {
                    text: format!(
                        "{}'s condition on `{key}` fails because the request does not carry `{key}`. To send it, {}.",
                        step.near_miss.as_ref().map(|n| capitalized(&statement_name(&n.statement))).unwrap_or_default(),
                        where_key_is_set(&c.key),
                        key = c.key
                    ),
                    missing: Some(MissingKey::of(c, false)),
                });
            }
        }
        _ => {}
    }
    out
}

/// The trace of the statement `r` names in `step`'s evaluation.
pub fn statement_trace<'a>(step: &'a StepResult, r: &StatementRef) -> Option<&'a StatementTrace> {
    let gates = &step.evaluation.as_ref()?.gates;
    gates
        .iter()
        .filter(|g| g.policy_type == r.policy_type && g.level == r.level)
        .flat_map(|g| &g.policies)
        .filter(|p| p.name == r.policy)
        .flat_map(|p| &p.statements)
        .find(|s| s.index == r.statement)
}

/// The spans of a statement's elements and conditions that did not match.
fn failing_spans(s: &StatementTrace) -> Vec<Span> {
    let principal = s.principal.as_ref().filter(|p| !p.matched).map(|p| p.span);
    let action = (!s.action.matched).then_some(s.action.span);
    let resource = s.resource.as_ref().filter(|r| !r.matched).map(|r| r.span);
    let conditions = s.conditions.iter().filter(|c| !c.matched).map(|c| c.span);
    principal.into_iter().chain(action).chain(resource).chain(conditions).filter(|sp| sp.end > sp.start).collect()
}

/// Where a scenario sets the request-context key `key`, as the end of a
/// sentence ("set `orgId` on the caller's account").
pub fn where_key_is_set(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    let tag = |prefix: &str| key.get(prefix.len()..).filter(|_| lower.starts_with(&prefix.to_ascii_lowercase())).map(str::to_string);
    if let Some(t) = tag("aws:PrincipalTag/") {
        return format!("add the tag `{t}` to the caller's user or role (`tags`), or to the session with the AssumeRole step's `sessionTags`");
    }
    if let Some(t) = tag("aws:ResourceTag/") {
        return format!("add the tag `{t}` to the resource (its `tags`)");
    }
    if tag("aws:RequestTag/").is_some() || lower == "aws:tagkeys" {
        return "give the AssumeRole step `sessionTags` (Session tags in its request)".into();
    }
    match lower.as_str() {
        "aws:principalorgid" | "aws:principalorgpaths" => "set `orgId` on the caller's account (its card's organization ID)".into(),
        "aws:resourceorgid" | "aws:resourceorgpaths" => "set `orgId` on the resource's account (its card's organization ID)".into(),
        "aws:multifactorauthpresent" | "aws:multifactorauthage" => {
            "pass MFA with the AssumeRole step that made the session (`mfa`, the MFA box in its request), or for a user's own request set the key in the step's `context`".into()
        }
        "sts:externalid" => "set the AssumeRole step's `externalId` (External ID in its request)".into(),
        "sts:sourceidentity" | "aws:sourceidentity" => "set the AssumeRole step's `sourceIdentity`".into(),
        _ => format!("set `{key}` in the step's `context` (a context key in its request), or in the document's `context` for every step"),
    }
}

/// The sentences for an implicit deny decided by `rule`, with the gates
/// that had no matching Allow.
fn implicit_deny_tips(rule: AllowRule, missing: &[PolicyType], out: &mut Vec<String>) {
    let has = |t: PolicyType| missing.contains(&t);
    let limits: Vec<&str> =
        [PolicyType::PermissionsBoundary, PolicyType::SessionPolicy].into_iter().filter(|t| has(*t)).map(PolicyType::label).collect();
    let resource = missing.iter().copied().find(|t| matches!(t, PolicyType::Resource | PolicyType::Trust));
    match rule {
        AllowRule::RcpLevel => out.push(
            "A level of the resource's account's resource control policies (RCPs) has no matching Allow. Every level, from the organization's root down to the account, must allow: add an Allow at that level (AWS's default RCPFullAWSAccess allows everything)."
                .into(),
        ),
        AllowRule::ScpLevel => out.push(
            "A level of the caller's account's service control policies (SCPs) has no matching Allow. Every level, from the organization's root down to the account, must allow: add an Allow at that level (AWS's default FullAWSAccess allows everything)."
                .into(),
        ),
        AllowRule::RootAssumesRole => out.push("The root user cannot call AssumeRole: call it as an IAM user or a role session.".into()),
        AllowRule::PublicAccessBlocked => out.push(
            "Block Public Access (RestrictPublicBuckets) is on and the bucket policy is public, so it grants nothing across accounts: name the caller's account or principal instead of `*`, or turn the setting off."
                .into(),
        ),
        AllowRule::ResourceOnly => out.push(
            "This caller has no identity policies (anonymous or an AWS service): only the resource policy can grant it. Add an Allow statement there that matches the request, with the caller as Principal."
                .into(),
        ),
        AllowRule::CrossAccount => {
            let gates: Vec<&str> = missing.iter().map(|g| g.label()).collect();
            out.push(format!(
                "Across accounts both sides must allow: the caller's account through its identity policies, and the resource's account through its {}. Nothing allows it in: {}. Each of these must have an Allow statement that matches the request{}.",
                resource.map_or("resource policy", PolicyType::label),
                gates.join(", "),
                if has(PolicyType::Trust) { " (the trust policy must name the caller or its account as Principal)" } else { "" }
            ));
        }
        AllowRule::SameAccountBoth | AllowRule::SameAccountEither | AllowRule::ExplicitDeny => {
            if rule == AllowRule::SameAccountBoth && resource.is_some() {
                out.push(if has(PolicyType::Trust) {
                    "A role's trust policy must itself allow the caller, even within one account: add an Allow statement for `sts:AssumeRole` that names the caller or its account as Principal.".into()
                } else {
                    "A KMS key's key policy must allow the caller, or allow the account so that its IAM policies take effect: add an Allow statement that matches the request to the key policy.".into()
                });
            }
            if has(PolicyType::Identity) {
                out.push(if rule == AllowRule::SameAccountEither && resource.is_some() {
                    "Within one account one Allow is enough: add an Allow statement that matches the request to the caller's identity policies, or to the resource policy naming the caller (or its role) as Principal; a resource policy that names only the account leaves it to the identity policies.".into()
                } else {
                    "No identity policy of the caller allows it: add an Allow statement that matches the request to one of them.".into()
                });
            }
            if !limits.is_empty() {
                out.push(format!(
                    "The {} must also allow it: {} limits what the other policies grant, so an Allow elsewhere is not enough.",
                    limits.join(" and the "),
                    if limits.len() == 1 { "it" } else { "each" }
                ));
            }
        }
    }
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
                let title = format!("nearest miss: would allow but for {}", n.failed.join("; "));
                // The elements that failed, not the whole statement.
                let failing = statement_trace(step, &n.statement).map(failing_spans).unwrap_or_default();
                if failing.is_empty() {
                    let s = n.statement.span;
                    add(path, Mark::new(s.start, s.end, "m-near").titled(title));
                } else {
                    for s in failing {
                        add(path, Mark::new(s.start, s.end, "m-near").titled(title.clone()));
                    }
                }
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
        // Within one account either policy is enough, and the resource
        // policy's note does not claim another policy was enough.
        let tips = how_to_pass(write);
        assert_eq!(tips.len(), 1, "{tips:?}");
        assert!(tips[0].starts_with("Within one account one Allow is enough: add an Allow statement"), "{tips:?}");
        let gates = &write.evaluation.as_ref().unwrap().gates;
        let bucket = gates.iter().find(|g| g.policy_type == PolicyType::Resource).unwrap();
        assert!(!bucket.required);
        assert_eq!(bucket.note, "no statement in the resource policy allows (not required: within one account, an Allow here that names the caller would have been enough on its own)");
        let n = write.near_miss.as_ref().unwrap();
        assert!(near_miss_sentence(n).ends_with("would allow this if:"), "{}", near_miss_sentence(n));
        let marks = decisive_marks(write, &w.editors_by_display());
        // The amber mark is on the failing element (the bucket policy's
        // Action, `s3:GetObject`, where PutObject was asked), not on the
        // whole statement.
        let near: Vec<&Mark> = marks.values().flatten().filter(|m| m.class == "m-near").collect();
        assert_eq!(near.len(), 1, "{near:?}");
        let text = w.policy_slots().into_iter().find(|p| p.display == n.statement.policy).unwrap().text;
        let marked = &text[near[0].start..near[0].end];
        assert_eq!(marked, "\"s3:GetObject\"", "{}", n.statement.policy);
    }

    /// One account (`111111111111`: user U, role R, bucket `bkt` with an
    /// empty policy) or two (`222222222222` owns R and `bkt`); `extra`
    /// adds fields to the account that owns R; one step.
    fn doc(two_accounts: bool, trust_principal: &str, extra: &str, step: &str) -> Workspace {
        let user = r#""users": [{ "name": "U", "policies": [{ "name": "Nothing", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sqs:ListQueues", "Resource": "*" }] } }] }]"#;
        let owner = format!(
            r#""roles": [{{ "name": "R", "trustPolicy": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Principal": {{ "AWS": "{trust_principal}" }}, "Action": "sts:AssumeRole" }}] }} }}],
               "buckets": [{{ "name": "bkt", "policy": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Principal": {{ "AWS": "arn:aws:iam::999999999999:root" }}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }}] }} }}]{extra}"#
        );
        let accounts = if two_accounts {
            format!(r#"{{ "id": "111111111111", {user} }}, {{ "id": "222222222222", {owner} }}"#)
        } else {
            format!(r#"{{ "id": "111111111111", {user}, {owner} }}"#)
        };
        Workspace::from_text(&format!(r#"{{ "format": "trustwalk/scenario@1", "accounts": [{accounts}], "steps": [{step}] }}"#)).unwrap()
    }

    fn tips_of(w: &Workspace) -> Vec<String> {
        let ev = w.evaluate(NOW);
        assert!(!ev.has_errors(), "{:?}", ev.diagnostics);
        let step = &ev.result.unwrap().steps[0];
        assert_eq!(step.decision, Outcome::ImplicitDeny, "{}", step.summary);
        how_to_pass(step)
    }

    const READ: &str = r#"{ "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt/k" }"#;

    #[test]
    fn each_rule_says_what_would_make_it_pass_in_its_own_words() {
        let assume = |account: &str| {
            format!(
                r#"{{ "principal": "arn:aws:iam::111111111111:user/U", "action": "sts:AssumeRole", "roleArn": "arn:aws:iam::{account}:role/R", "sessionName": "s1" }}"#
            )
        };
        // Across accounts: both sides, each listed.
        let tips = tips_of(&doc(true, "arn:aws:iam::111111111111:root", "", READ));
        assert_eq!(tips.len(), 1);
        assert!(tips[0].starts_with("Across accounts both sides must allow"), "{tips:?}");
        assert!(tips[0].contains("Nothing allows it in: identity policy, resource policy. Each of these must have an Allow"), "{tips:?}");
        // Within one account: either side.
        let tips = tips_of(&doc(false, "arn:aws:iam::111111111111:root", "", READ));
        assert_eq!(tips.len(), 1);
        assert!(tips[0].starts_with("Within one account one Allow is enough"), "{tips:?}");
        // A trust policy must allow even within one account; the identity
        // side too (U's policy does not allow AssumeRole).
        let tips = tips_of(&doc(false, "arn:aws:iam::999999999999:root", "", &assume("111111111111")));
        assert_eq!(tips.len(), 2, "{tips:?}");
        assert!(tips[0].starts_with("A role's trust policy must itself allow the caller, even within one account"), "{tips:?}");
        assert!(tips[1].starts_with("No identity policy of the caller allows it"), "{tips:?}");
        // Across accounts, the trust policy's Principal.
        let tips = tips_of(&doc(true, "arn:aws:iam::999999999999:root", "", &assume("222222222222")));
        assert!(
            tips[0].starts_with("Across accounts both sides must allow")
                && tips[0].ends_with("(the trust policy must name the caller or its account as Principal)."),
            "{tips:?}"
        );
        // An SCP level of the caller's account, an RCP level of the resource's.
        let level = r#"[{ "name": "Root", "policies": [{ "name": "OnlySqs", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }] } }] }]"#;
        let tips = tips_of(&doc(false, "arn:aws:iam::111111111111:root", &format!(r#", "scps": {level}"#), READ));
        assert_eq!(tips.len(), 1);
        assert!(tips[0].starts_with("A level of the caller's account's service control policies (SCPs) has no matching Allow"), "{tips:?}");
        // (RCPs may only Deny, besides the full-access Allow: a level without
        // policies allows nothing.)
        let tips = tips_of(&doc(true, "arn:aws:iam::111111111111:root", r#", "rcps": [{ "name": "Root" }]"#, READ));
        assert!(tips[0].starts_with("A level of the resource's account's resource control policies (RCPs) has no matching Allow"), "{tips:?}");
        // A permissions boundary limits what the identity policy grants.
        let boundary = r#""users": [{ "name": "U", "policies": [{ "name": "All", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }] } }],
            "permissionsBoundary": { "name": "OnlySqs", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "sqs:*", "Resource": "*" }] } } }]"#;
        let w = Workspace::from_text(&format!(
            r#"{{ "format": "trustwalk/scenario@1", "accounts": [{{ "id": "111111111111", {boundary}, "buckets": [{{ "name": "bkt" }}] }}], "steps": [{READ}] }}"#
        ))
        .unwrap();
        let tips = tips_of(&w);
        assert_eq!(
            tips,
            ["The permissions boundary must also allow it: it limits what the other policies grant, so an Allow elsewhere is not enough."]
        );
    }

    #[test]
    fn a_condition_on_a_key_the_request_lacks_says_where_to_set_it() {
        // A Deny on other organizations holds when the caller's account has
        // no `orgId`: the key is absent, and StringNotEquals is then true.
        let bucket = r#""orgId": "o-abc123def4", "buckets": [{ "name": "bkt", "policy": { "Version": "2012-10-17", "Statement": [
            { "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" },
            { "Sid": "OnlyOurOrg", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bkt/*", "Condition": { "StringNotEquals": { "aws:PrincipalOrgID": "o-abc123def4" } } }] } }]"#;
        let user = r#""users": [{ "name": "U", "policies": [{ "name": "Read", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }] } }] }]"#;
        let text = format!(
            r#"{{ "format": "trustwalk/scenario@1", "accounts": [{{ "id": "111111111111", {user} }}, {{ "id": "222222222222", {bucket} }}], "steps": [{READ}] }}"#
        );
        let w = Workspace::from_text(&text).unwrap();
        let step = w.evaluate(NOW).result.unwrap().steps[0].clone();
        assert_eq!(step.decision, Outcome::ExplicitDeny, "{}", step.summary);
        let tips = how_to_pass(&step);
        assert_eq!(tips.len(), 2, "{tips:?}");
        assert!(tips[1].starts_with("Its condition on `aws:PrincipalOrgID` holds because the request does not carry `aws:PrincipalOrgID`: the scenario never sets it. To send it, set `orgId` on the caller's account"), "{tips:?}");
        // Setting the organization on the caller's account lifts the Deny;
        // the identity policy's MFA condition then fails for want of MFA.
        let text = text.replacen(r#""id": "111111111111","#, r#""id": "111111111111", "orgId": "o-abc123def4","#, 1);
        let step = Workspace::from_text(&text).unwrap().evaluate(NOW).result.unwrap().steps[0].clone();
        assert_eq!(step.decision, Outcome::ImplicitDeny, "{}", step.summary);
        let tips = how_to_pass(&step);
        assert!(tips.iter().any(|t| t.contains("condition on `aws:MultiFactorAuthPresent` fails because the request does not carry `aws:MultiFactorAuthPresent`. To send it, pass MFA")), "{tips:?}");
        assert_eq!(
            where_key_is_set("aws:PrincipalTag/team"),
            "add the tag `team` to the caller's user or role (`tags`), or to the session with the AssumeRole step's `sessionTags`"
        );
        assert!(where_key_is_set("sts:ExternalId").contains("`externalId`"));
        assert!(where_key_is_set("aws:SourceVpc").starts_with("set `aws:SourceVpc` in the step's `context`"));
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
