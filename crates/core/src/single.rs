//! The smallest useful path: one identity policy, one request, one
//! decision. Used by the walking-skeleton page and `trustwalk decide`.

use serde::Serialize;

use crate::context::{ContextValue, RequestContext};
use crate::diag::{Diagnostic, JsonPath};
use crate::eval::{evaluate, Caller, CallerKind, NamedPolicy, Options, Policies, Request};
use crate::json;
use crate::matching::PrincipalFacts;
use crate::policy::{policy_from_json, PolicyType};
use crate::trace::{Decision, Evaluation};

pub const EXAMPLE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadTheBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": [
        "arn:aws:s3:::production-test-bucket-101",
        "arn:aws:s3:::production-test-bucket-101/*"
      ]
    }
  ]
}"#;

pub const EXAMPLE_REQUEST: &str = r#"{
  "principal": "arn:aws:iam::111111111111:user/StageAdmin",
  "action": "s3:GetObject",
  "resource": "arn:aws:s3:::production-test-bucket-101/Sunset.jpg",
  "context": { "aws:SourceIp": "203.0.113.7" }
}"#;

/// The decision for one policy and one request, or the errors that kept
/// it from being made.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SingleOutcome {
    pub decision: Option<Decision>,
    pub summary: String,
    pub errors: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
}

impl SingleOutcome {
    fn failed(errors: Vec<Diagnostic>) -> Self {
        Self { decision: None, summary: String::new(), errors, evaluation: None }
    }
}

/// Builds the caller from a principal ARN (`anonymous`, a user, a role
/// session, a federated-user session or an account root).
pub fn caller_from_arn(arn: &str) -> Result<Caller, String> {
    if arn == "anonymous" {
        return Ok(Caller {
            kind: CallerKind::Anonymous,
            facts: PrincipalFacts { anonymous: true, ..Default::default() },
            has_boundary: false,
        });
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let (Some(&"arn"), Some(service), Some(account), Some(resource)) =
        (parts.first(), parts.get(2), parts.get(4), parts.get(5))
    else {
        return Err(format!("`{arn}` is not a principal ARN such as `arn:aws:iam::111122223333:user/Alice`"));
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{arn}`: the account part `{account}` is not a 12-digit account ID"));
    }
    let facts = |role_arn: Option<String>| PrincipalFacts {
        arn: arn.to_string(),
        account: Some(account.to_string()),
        role_arn,
        ..Default::default()
    };
    match (*service, resource.split('/').collect::<Vec<_>>().as_slice()) {
        ("iam", ["root"]) => Ok(Caller { kind: CallerKind::Root, facts: facts(None), has_boundary: false }),
        ("iam", ["user", .., name]) if !name.is_empty() => {
            Ok(Caller { kind: CallerKind::User, facts: facts(None), has_boundary: false })
        }
        ("sts", ["assumed-role", role, session]) if !role.is_empty() && !session.is_empty() => Ok(Caller {
            kind: CallerKind::RoleSession,
            facts: facts(Some(format!("arn:aws:iam::{account}:role/{role}"))),
            has_boundary: false,
        }),
        ("sts", ["federated-user", name]) if !name.is_empty() => {
            Ok(Caller { kind: CallerKind::FederatedUser, facts: facts(None), has_boundary: false })
        }
        _ => Err(format!("`{arn}` is not a user, assumed-role session, federated-user or root ARN")),
    }
}

/// Decides `request_text` (`{"principal", "action", "resource", "context"}`)
/// against one identity policy.
pub fn decide(policy_text: &str, request_text: &str) -> SingleOutcome {
    let mut errors = Vec::new();
    let policy = match json::parse(policy_text).map_err(|e| vec![e]).and_then(|j| policy_from_json(&j, PolicyType::Identity)) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e.into_iter().map(|mut d| {
                d.path = d.path.within(&JsonPath::root().key("policy"));
                d
            }));
            None
        }
    };
    let request = match json::parse(request_text) {
        Ok(j) => Some(j),
        Err(mut e) => {
            e.path = e.path.within(&JsonPath::root().key("request"));
            errors.push(e);
            None
        }
    };
    let (Some(policy), Some(request)) = (policy, request) else {
        return SingleOutcome::failed(errors);
    };
    let root = JsonPath::root().key("request");
    let field = |name: &str, errors: &mut Vec<Diagnostic>| -> Option<String> {
        match request.get(name) {
            Some(v) => match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    errors.push(Diagnostic::new(format!("`{name}` must be a string"), root.key(name)).at(v.span));
                    None
                }
            },
            None => {
                errors.push(Diagnostic::new(format!("the request has no `{name}`"), root.clone()).at(request.span));
                None
            }
        }
    };
    let principal = field("principal", &mut errors);
    let action = field("action", &mut errors);
    let resource = field("resource", &mut errors);
    if let Some(members) = request.as_object() {
        for m in members {
            if !["principal", "action", "resource", "context"].contains(&m.key.as_str()) {
                errors.push(Diagnostic::new(format!("unknown request field `{}`", m.key), root.key(&m.key)).at(m.key_span));
            }
        }
    }
    let mut context = RequestContext::new();
    if let Some(ctx) = request.get("context") {
        match ctx.as_object() {
            Some(members) => {
                for m in members {
                    match ContextValue::from_json(&m.value.to_value()) {
                        Some(v) => context.set(&m.key, v),
                        None => errors.push(
                            Diagnostic::new("a context value must be a string, number, boolean or a list of them", root.key("context").key(&m.key))
                                .at(m.value.span),
                        ),
                    }
                }
            }
            None => errors.push(Diagnostic::new("`context` must be an object", root.key("context")).at(ctx.span)),
        }
    }
    let (Some(principal), Some(action), Some(resource)) = (principal, action, resource) else {
        return SingleOutcome::failed(errors);
    };
    let caller = match caller_from_arn(&principal) {
        Ok(c) => c,
        Err(msg) => {
            let span = request.get("principal").map(|v| v.span).unwrap_or_default();
            errors.push(Diagnostic::new(msg, root.key("principal")).at(span));
            return SingleOutcome::failed(errors);
        }
    };
    if !errors.is_empty() {
        return SingleOutcome::failed(errors);
    }
    if let Some(acct) = &caller.facts.account {
        context.set("aws:PrincipalAccount", acct.as_str());
    }
    if !context.contains("aws:PrincipalArn") && !caller.facts.arn.is_empty() {
        context.set("aws:PrincipalArn", caller.facts.role_arn.clone().unwrap_or_else(|| caller.facts.arn.clone()));
    }
    if caller.kind == CallerKind::User {
        if let Some(name) = principal.rsplit('/').next() {
            if !context.contains("aws:username") {
                context.set("aws:username", name);
            }
        }
    }
    let policies = Policies {
        identity: vec![NamedPolicy { name: "policy", policy: &policy.policy }],
        ..Default::default()
    };
    let req = Request { caller: &caller, action: &action, resource: &resource, resource_account: None, context: &context };
    let evaluation = evaluate(&req, &policies, &Options::default());
    SingleOutcome {
        decision: Some(evaluation.decision),
        summary: evaluation.summary.clone(),
        errors: policy.warnings,
        evaluation: Some(evaluation),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn example_is_allowed_and_deny_flips_it() {
        let out = decide(EXAMPLE_POLICY, EXAMPLE_REQUEST);
        assert_eq!(out.decision, Some(Decision::Allowed), "{out:?}");
        let deny = EXAMPLE_POLICY.replace("\"Allow\"", "\"Deny\"");
        assert_eq!(decide(&deny, EXAMPLE_REQUEST).decision, Some(Decision::ExplicitDeny));
        let other = EXAMPLE_REQUEST.replace("s3:GetObject", "s3:PutObject");
        assert_eq!(decide(EXAMPLE_POLICY, &other).decision, Some(Decision::ImplicitDeny));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let out = decide("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [}\n", EXAMPLE_REQUEST);
        assert!(out.decision.is_none());
        let e = out.errors.first().unwrap();
        assert_eq!(e.location.unwrap().line, 3, "{e:?}");
    }
}
