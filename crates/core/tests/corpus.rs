//! Runs the data-driven conformance corpus in `tests/corpus/*.json` (format
//! in `tests/corpus/README.md`). One test per file; every failing case of a
//! file is collected and reported together.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;
use trustwalk_core::context::{ContextValue, RequestContext};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::eval::{evaluate, Caller, CallerKind, NamedPolicy, Options, Policies, PolicyLevel, Request};
use trustwalk_core::matching::PrincipalFacts;
use trustwalk_core::policy::{parse_policy, Policy, PolicyType};
use trustwalk_core::trace::{Evaluation, GateTrace};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

macro_rules! corpus_files {
    ($($test:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                run_file($file);
            }
        )*
        const FILES: &[&str] = &[$($file),*];
    };
}

corpus_files! {
    parse_errors => "parse-errors.json",
    actions => "actions.json",
    resources => "resources.json",
    principals => "principals.json",
    conditions => "conditions.json",
    same_account => "same-account.json",
    cross_account => "cross-account.json",
    boundaries_sessions => "boundaries-sessions.json",
    scp_rcp => "scp-rcp.json",
    not_principal => "not-principal.json",
    edge_cases => "edge-cases.json",
}

/// The corpus schema: every field a case file may have. A misspelt field
/// (`"expcet"`, `"request": {"principle": …}`) fails loudly instead of being
/// ignored. Values are read by the runner below; only their names are fixed
/// here.
mod schema {
    #![allow(dead_code)]
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub description: String,
        pub cases: Vec<Case>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Case {
        pub name: String,
        pub rule: String,
        /// Free text for readers.
        pub note: Option<String>,
        pub skip: Option<Value>,
        // Validation cases.
        pub policy_type: Option<String>,
        pub policy: Option<Value>,
        pub valid: Option<bool>,
        pub errors: Option<Vec<Matcher>>,
        pub warnings: Option<Vec<Matcher>>,
        // Evaluation cases.
        pub policies: Option<Policies>,
        pub request: Option<Request>,
        pub options: Option<Options>,
        pub expect: Option<String>,
        pub missing_allow: Option<Vec<String>>,
        pub decisive: Option<Vec<Value>>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Matcher {
        pub code: String,
        pub path: Option<String>,
        pub line: Option<u64>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Policies {
        pub identity: Option<Vec<Value>>,
        pub resource: Option<Value>,
        pub resource_type: Option<String>,
        pub permissions_boundary: Option<Value>,
        pub session_policy: Option<Value>,
        pub scps: Option<Value>,
        pub rcps: Option<Value>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Request {
        pub principal: Option<String>,
        pub action: String,
        pub resource: String,
        pub context: Option<Value>,
        pub role_arn: Option<String>,
        pub resource_account: Option<String>,
        pub service: Option<String>,
        pub unique_id: Option<String>,
        pub has_boundary: Option<bool>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    pub struct Options {
        pub restrict_public_buckets: Option<bool>,
        pub session_policy_limits_session_arn_grants: Option<bool>,
    }
}

fn load(file: &str) -> Vec<Value> {
    let path = corpus_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if let Err(e) = serde_json::from_str::<schema::File>(&text) {
        panic!("{file} does not follow the corpus schema: {e}");
    }
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file} is not valid JSON: {e}"));
    doc.get("cases").and_then(Value::as_array).unwrap_or_else(|| panic!("{file}: expected an object with a `cases` array")).clone()
}

#[test]
fn every_corpus_file_is_listed() {
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if name.ends_with(".json") && !FILES.contains(&name.as_str()) {
            unlisted.push(name);
        }
    }
    assert!(unlisted.is_empty(), "corpus files not listed in crates/core/tests/corpus.rs: {unlisted:?}");
}

/// Every case names a rule; every §8 edge case appears; the corpus is big
/// enough to mean something.
#[test]
fn corpus_is_complete() {
    let mut total = 0;
    let mut rules = String::new();
    let mut problems = Vec::new();
    for file in FILES {
        for case in load(file) {
            total += 1;
            let name = case.get("name").and_then(Value::as_str).unwrap_or("<unnamed>");
            match case.get("rule").and_then(Value::as_str) {
                Some(r) if r.contains('§') => {
                    rules.push_str(r);
                    rules.push('\n');
                }
                _ => problems.push(format!("{file}: case `{name}` has no `rule` citing a § of docs/evaluation.md")),
            }
        }
    }
    for n in 1..=31 {
        let cite = format!("§8.{n}");
        let found = rules.match_indices(&cite).any(|(i, _)| !rules[i + cite.len()..].starts_with(|c: char| c.is_ascii_digit()));
        if !found {
            problems.push(format!("no case cites {cite}"));
        }
    }
    if total < 300 {
        problems.push(format!("the corpus has {total} cases; at least 300 are expected"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn run_file(file: &str) {
    let cases = load(file);
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    let mut ran = 0;
    for case in &cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("<unnamed>").to_string();
        let rule = case.get("rule").and_then(Value::as_str).unwrap_or("<no rule>").to_string();
        if !names.insert(name.clone()) {
            failures.push(format!("duplicate case name `{name}`"));
        }
        if case.get("skip").is_some() {
            continue;
        }
        ran += 1;
        let result = if case.get("expect").is_some() {
            run_evaluation(case)
        } else if case.get("policyType").is_some() {
            run_validation(case)
        } else {
            Err("the case has neither `expect` (evaluation) nor `policyType` (validation)".to_string())
        };
        if let Err(diff) = result {
            failures.push(format!("✗ {name}\n  rule: {rule}\n{}", indent(&diff, "  ")));
        }
    }
    if !failures.is_empty() {
        panic!("{file}: {} of {ran} cases failed\n\n{}\n", failures.len(), failures.join("\n\n"));
    }
}

fn indent(text: &str, pad: &str) -> String {
    text.lines().map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n")
}

/// A policy given as a JSON object is serialised; a string is exact text.
fn policy_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap(),
    }
}

// ---------------------------------------------------------------- validation

fn run_validation(case: &Value) -> Result<(), String> {
    let type_name = case["policyType"].as_str().ok_or("`policyType` must be a string")?;
    let policy_type = PolicyType::parse(type_name).ok_or(format!("unknown policyType `{type_name}`"))?;
    let text = policy_text(case.get("policy").ok_or("validation case without `policy`")?);
    let result = parse_policy(&text, policy_type);
    let want_valid = case.get("valid").and_then(Value::as_bool) == Some(true);
    let expected_errors = case.get("errors").and_then(Value::as_array);
    let expected_warnings = case.get("warnings").and_then(Value::as_array);
    for m in expected_errors.into_iter().chain(expected_warnings).flatten() {
        check_matcher(m)?;
    }
    let all = match &result {
        Ok(parsed) => parsed.warnings.as_slice(),
        Err(errs) => errs.as_slice(),
    };
    for d in all {
        check_style(d)?;
    }
    let render = |ds: &[trustwalk_core::Diagnostic]| {
        ds.iter().map(|d| format!("    {:?} {} {} — {}", d.severity, d.code, d.path, d.render())).collect::<Vec<_>>().join("\n")
    };
    match (&result, want_valid) {
        (Ok(parsed), true) => {
            if let Some(ws) = expected_warnings {
                let mut missing = Vec::new();
                for w in ws {
                    if !parsed.warnings.iter().any(|d| diag_matches(w, d)) {
                        missing.push(w.to_string());
                    }
                }
                if !missing.is_empty() {
                    return Err(format!("expected warnings not found: {}\n  warnings were:\n{}", missing.join(", "), render(&parsed.warnings)));
                }
            }
            Ok(())
        }
        (Err(errs), true) => Err(format!("expected: valid\n  actual: rejected with\n{}", render(errs))),
        (Ok(parsed), false) => Err(format!(
            "expected: rejected with {}\n  actual: accepted (warnings: {})",
            expected_errors.map(|e| Value::Array(e.clone()).to_string()).unwrap_or_default(),
            parsed.warnings.len()
        )),
        (Err(errs), false) => {
            let expected = expected_errors.ok_or("an invalid case needs `errors` (or `valid: true`)")?;
            let mut missing = Vec::new();
            for e in expected {
                if !errs.iter().any(|d| d.is_error() && diag_matches(e, d)) {
                    missing.push(e.to_string());
                }
            }
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!("expected errors not found: {}\n  diagnostics were:\n{}", missing.join(", "), render(errs)))
            }
        }
    }
}

/// A matcher is `{code, path?, line?}`: the code is required, so a case
/// checks what went wrong and where, never the wording of the message.
fn check_matcher(want: &Value) -> Result<(), String> {
    let obj = want.as_object().ok_or_else(|| format!("a matcher must be an object: {want}"))?;
    if obj.get("code").and_then(Value::as_str).and_then(DiagCode::parse).is_none() {
        return Err(format!("a matcher needs a known `code`: {want}"));
    }
    if let Some(k) = obj.keys().find(|k| !["code", "path", "line"].contains(&k.as_str())) {
        return Err(format!("unknown matcher field `{k}` (matchers have `code`, `path`, `line`): {want}"));
    }
    Ok(())
}

/// The message style of `trustwalk_core::diag`: a message and a help,
/// each starting lowercase (or with quoted input), without a final period.
fn check_style(d: &trustwalk_core::Diagnostic) -> Result<(), String> {
    for (what, text) in [("message", &d.message), ("help", &d.help)] {
        let starts_ok = text.starts_with(|c: char| !c.is_ascii_uppercase()) || text.starts_with("U+") || text.starts_with("IAM ");
        if text.is_empty() || !starts_ok || text.ends_with('.') {
            return Err(format!("the {what} of a {} diagnostic breaks the message style: {text:?}", d.code));
        }
    }
    Ok(())
}

fn diag_matches(want: &Value, d: &trustwalk_core::Diagnostic) -> bool {
    let code_ok = want.get("code").and_then(Value::as_str) == Some(d.code.as_str());
    let path_ok = want.get("path").and_then(Value::as_str).is_none_or(|p| d.path.as_str() == p);
    let line_ok = want.get("line").and_then(Value::as_u64).is_none_or(|l| d.location.is_some_and(|s| s.line as u64 == l));
    code_ok && path_ok && line_ok
}

// ---------------------------------------------------------------- evaluation

fn parse_as(v: &Value, t: PolicyType, what: &str) -> Result<Policy, String> {
    parse_policy(&policy_text(v), t).map(|p| p.policy).map_err(|errs| {
        format!(
            "the {what} does not parse as a {}:\n{}",
            t.label(),
            errs.iter().map(|d| format!("    {}", d.render())).collect::<Vec<_>>().join("\n")
        )
    })
}

/// SCP/RCP levels: (level name, [(policy name, policy)]).
type Levels = Vec<(String, Vec<(String, Policy)>)>;

fn parse_levels(v: Option<&Value>, t: PolicyType, what: &str) -> Result<Levels, String> {
    let Some(levels) = v else { return Ok(Vec::new()) };
    let levels = levels.as_array().ok_or(format!("`{what}` must be a list of levels"))?;
    let mut out = Vec::new();
    for (li, level) in levels.iter().enumerate() {
        let policies = level.as_array().ok_or(format!("each level of `{what}` must be a list of policies"))?;
        let mut ps = Vec::new();
        for (pi, p) in policies.iter().enumerate() {
            ps.push((format!("{what}[{li}][{pi}]"), parse_as(p, t, &format!("{what}[{li}][{pi}]"))?));
        }
        out.push((format!("level{li}"), ps));
    }
    Ok(out)
}

fn levels(levels: &Levels) -> Vec<PolicyLevel<'_>> {
    levels
        .iter()
        .map(|(n, ps)| PolicyLevel { name: n, policies: ps.iter().map(|(pn, p)| NamedPolicy { name: pn, policy: p, error: None }).collect() })
        .collect()
}

fn build_caller(req: &Value, has_boundary_policy: bool) -> Result<Caller, String> {
    let has_boundary = req.get("hasBoundary").and_then(Value::as_bool).unwrap_or(has_boundary_policy);
    if let Some(service) = req.get("service").and_then(Value::as_str) {
        return Ok(Caller {
            kind: CallerKind::Service,
            facts: PrincipalFacts { service: Some(service.to_string()), ..Default::default() },
            has_boundary: false,
        });
    }
    let principal = req.get("principal").and_then(Value::as_str).ok_or("the request has no `principal`")?;
    let mut caller = trustwalk_core::Caller::from_arn(principal)?;
    if let Some(role) = req.get("roleArn").and_then(Value::as_str) {
        caller.facts.role_arn = Some(role.to_string());
    }
    if let Some(id) = req.get("uniqueId").and_then(Value::as_str) {
        caller.facts.unique_id = Some(id.to_string());
    }
    caller.has_boundary = has_boundary;
    Ok(caller)
}

fn build_context(req: &Value, caller: &Caller) -> Result<RequestContext, String> {
    let mut ctx = RequestContext::new();
    let f = &caller.facts;
    if !f.arn.is_empty() {
        ctx.set("aws:PrincipalArn", f.role_arn.clone().unwrap_or_else(|| f.arn.clone()));
    }
    if let Some(a) = &f.account {
        ctx.set("aws:PrincipalAccount", a.as_str());
    }
    if caller.kind == CallerKind::User {
        if let Some(name) = f.arn.rsplit('/').next() {
            ctx.set("aws:username", name);
        }
    }
    if let Some(id) = req.get("uniqueId").and_then(Value::as_str) {
        ctx.set("aws:userid", id);
    }
    if let Some(extra) = req.get("context") {
        let extra = extra.as_object().ok_or("`context` must be an object")?;
        for (k, v) in extra {
            if v.is_null() {
                ctx.remove(k);
            } else {
                let v = ContextValue::from_json(v).ok_or(format!("context value of `{k}` is not a scalar or list"))?;
                ctx.set(k, v);
            }
        }
    }
    Ok(ctx)
}

fn resource_account_of(resource: &str, caller: &Caller) -> Option<String> {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.get(4) {
        Some(a) if !a.is_empty() => Some((*a).to_string()),
        _ => caller.facts.account.clone(),
    }
}

fn run_evaluation(case: &Value) -> Result<(), String> {
    let empty = Value::Object(Default::default());
    let pol = case.get("policies").unwrap_or(&empty);
    let req = case.get("request").ok_or("evaluation case without `request`")?;
    let action = req.get("action").and_then(Value::as_str).ok_or("the request has no `action`")?;
    let resource = req.get("resource").and_then(Value::as_str).ok_or("the request has no `resource`")?;

    let mut identity = Vec::new();
    if let Some(list) = pol.get("identity") {
        for (i, p) in list.as_array().ok_or("`identity` must be a list")?.iter().enumerate() {
            identity.push((format!("identity[{i}]"), parse_as(p, PolicyType::Identity, &format!("identity[{i}]"))?));
        }
    }
    let resource_type = match pol.get("resourceType").and_then(Value::as_str) {
        Some(t) => PolicyType::parse(t).ok_or(format!("unknown resourceType `{t}`"))?,
        None if action.to_ascii_lowercase().starts_with("sts:assumerole") => PolicyType::Trust,
        None => PolicyType::Resource,
    };
    let resource_policy = pol.get("resource").map(|p| parse_as(p, resource_type, "resource policy")).transpose()?;
    let boundary = pol.get("permissionsBoundary").map(|p| parse_as(p, PolicyType::PermissionsBoundary, "permissions boundary")).transpose()?;
    let session = pol.get("sessionPolicy").map(|p| parse_as(p, PolicyType::SessionPolicy, "session policy")).transpose()?;
    let scps = parse_levels(pol.get("scps"), PolicyType::Scp, "scps")?;
    let rcps = parse_levels(pol.get("rcps"), PolicyType::Rcp, "rcps")?;

    let caller = build_caller(req, boundary.is_some())?;
    let context = build_context(req, &caller)?;
    let resource_account = match req.get("resourceAccount") {
        Some(Value::Null) => None,
        Some(v) => Some(v.as_str().ok_or("`resourceAccount` must be a string or null")?.to_string()),
        None => resource_account_of(resource, &caller),
    };

    let policies = Policies {
        identity: identity.iter().map(|(n, p)| NamedPolicy { name: n, policy: p, error: None }).collect(),
        resource: resource_policy.as_ref().map(|p| NamedPolicy { name: "resource", policy: p, error: None }),
        permissions_boundary: boundary.as_ref().map(|p| NamedPolicy { name: "permissionsBoundary", policy: p, error: None }),
        session_policy: session.as_ref().map(|p| NamedPolicy { name: "sessionPolicy", policy: p, error: None }),
        scps: levels(&scps),
        rcps: levels(&rcps),
    };
    let mut options = Options::default();
    if let Some(o) = case.get("options") {
        if let Some(b) = o.get("sessionPolicyLimitsSessionArnGrants").and_then(Value::as_bool) {
            options.session_policy_limits_session_arn_grants = b;
        }
        if let Some(b) = o.get("restrictPublicBuckets").and_then(Value::as_bool) {
            options.restrict_public_buckets = b;
        }
    }
    let request = Request { caller: &caller, action, resource, resource_account: resource_account.as_deref(), context: &context };
    let evaluation = evaluate(&request, &policies, &options);

    let mut diffs = Vec::new();
    let want = case["expect"].as_str().ok_or("`expect` must be a string")?;
    if evaluation.decision.as_str() != want {
        diffs.push(format!("decision: expected {want}, actual {}", evaluation.decision.as_str()));
    }
    if let Some(m) = case.get("missingAllow") {
        let want: BTreeSet<String> =
            m.as_array().ok_or("`missingAllow` must be a list")?.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
        let got: BTreeSet<String> = evaluation.missing_allow.iter().map(|t| t.as_str().to_string()).collect();
        if want != got {
            diffs.push(format!("missingAllow: expected {want:?}, actual {got:?}"));
        }
    }
    if let Some(d) = case.get("decisive") {
        let want: BTreeSet<(String, u64)> = d
            .as_array()
            .ok_or("`decisive` must be a list")?
            .iter()
            .map(|r| (r["policyType"].as_str().unwrap_or_default().to_string(), r["statement"].as_u64().unwrap_or_default()))
            .collect();
        let got: BTreeSet<(String, u64)> = evaluation.decisive.iter().map(|r| (r.policy_type.as_str().to_string(), r.statement as u64)).collect();
        if want != got {
            diffs.push(format!("decisive: expected {want:?}, actual {got:?}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\nsummary: {}\n{}", diffs.join("\n"), evaluation.summary, compact_trace(&evaluation)))
    }
}

fn compact_trace(e: &Evaluation) -> String {
    let mut out = format!("trace (cross-account: {}):\n", e.cross_account);
    for g in &e.gates {
        gate_lines(g, &mut out);
    }
    out
}

fn gate_lines(g: &GateTrace, out: &mut String) {
    let level = g.level.as_deref().map(|l| format!(" {l}")).unwrap_or_default();
    let _ = writeln!(out, "  {}{level}: {:?}{}", g.policy_type, g.verdict, if g.required { "" } else { " (not required)" });
    for p in &g.policies {
        for s in &p.statements {
            let sid = s.sid.as_deref().map(|x| format!(" {x}")).unwrap_or_default();
            if s.matched {
                let level = s.principal.as_ref().and_then(|p| p.level).map(|l| format!(" at {l:?} level")).unwrap_or_default();
                let _ = writeln!(out, "    {}#{}{sid} {:?}: matched{level}", p.name, s.index, s.effect);
            } else {
                let _ = writeln!(out, "    {}#{}{sid} {:?}: no match — {}", p.name, s.index, s.effect, s.failures().join("; "));
            }
        }
    }
}

#[test]
fn the_corpus_schema_rejects_misspelt_fields() {
    let ok = r#"{"description": "d", "cases": [{"name": "n", "rule": "§8.1", "policies": {"identity": []},
        "request": {"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*"}, "expect": "implicitDeny"}]}"#;
    assert!(serde_json::from_str::<schema::File>(ok).is_ok());
    for (typo, fixed) in [("\"expect\"", "\"expcet\""), ("\"principal\"", "\"principle\""), ("\"identity\"", "\"identiy\"")] {
        let bad = ok.replace(typo, fixed);
        let err = serde_json::from_str::<schema::File>(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains(&format!("unknown field `{}`", fixed.trim_matches('"'))), "{fixed}: {err}");
    }
}
