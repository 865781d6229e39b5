//! The explanation of a decision, as plain serde data. The CLI and the web
//! app only render it.

use serde::{Deserialize, Serialize};

use crate::json::Span;
use crate::policy::{Effect, PolicyType};

/// The outcome of one request (names as in AWS's policy simulator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }
}

/// How a Principal element matched the caller (iam-semantics §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchLevel {
    /// The account ID or its root ARN: delegates to the account's policies.
    Account,
    /// A role ARN matched one of its sessions.
    Role,
    /// The exact user, session or federated-user ARN, a service, or `*`.
    Direct,
}

/// What one gate concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum GateVerdict {
    /// A matching Allow and no matching Deny.
    Allowed,
    /// A matching Deny.
    Denied,
    /// Neither a matching Allow nor a matching Deny.
    NoMatchingAllow,
}

/// One gate: all the policies of one type (one level for SCPs and RCPs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GateTrace {
    pub policy_type: PolicyType,
    /// The SCP/RCP level name (`Root`, `OU Prod`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub verdict: GateVerdict,
    /// Whether this gate's Allow was needed for the request to be allowed
    /// (false when a resource-policy grant made it unnecessary, or for the
    /// resource policy when the identity side sufficed).
    pub required: bool,
    /// A sentence on the part this gate played.
    pub note: String,
    pub policies: Vec<PolicyTrace>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTrace {
    /// `StageAdmin/AllowAssume`, `StageRole/trustPolicy`, …
    pub name: String,
    pub statements: Vec<StatementTrace>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// Principal, Action, Resource and every Condition matched.
    pub matched: bool,
    pub span: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<PrincipalTrace>,
    pub action: ElementTrace,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<ElementTrace>,
    pub conditions: Vec<ConditionTrace>,
}

impl StatementTrace {
    /// How many of principal, action, resource and conditions failed.
    pub fn failed_parts(&self) -> usize {
        usize::from(self.principal.as_ref().is_some_and(|p| !p.matched))
            + usize::from(!self.action.matched)
            + usize::from(self.resource.as_ref().is_some_and(|r| !r.matched))
            + self.conditions.iter().filter(|c| !c.matched).count()
    }

    /// Plain words for what failed, e.g. "the condition StringEquals
    /// sts:ExternalId (request value missing)".
    pub fn failures(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(p) = &self.principal {
            if !p.matched {
                out.push(format!("{}: {}", p.element, p.reason));
            }
        }
        if !self.action.matched {
            out.push(format!("{}: {}", self.action.element, self.action.reason));
        }
        if let Some(r) = &self.resource {
            if !r.matched {
                out.push(format!("{}: {}", r.element, r.reason));
            }
        }
        for c in &self.conditions {
            if !c.matched {
                out.push(format!("condition {} {}: {}", c.operator, c.key, c.reason));
            }
        }
        out
    }
}

/// Action/NotAction or Resource/NotResource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementTrace {
    /// `Action`, `NotAction`, `Resource` or `NotResource`.
    pub element: String,
    pub matched: bool,
    /// The request's action or resource.
    pub request_value: String,
    /// The policy value that matched (for Not… the one that excluded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_value: Option<String>,
    /// Span of that policy value, or of the whole element.
    pub span: Span,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalTrace {
    /// `Principal` or `NotPrincipal`.
    pub element: String,
    pub matched: bool,
    /// How the caller matched the listed principal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<MatchLevel>,
    /// The caller's ARN as seen by the policy.
    pub request_value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_value: Option<String>,
    pub span: Span,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    /// Canonical operator name: `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    pub key: String,
    /// The request's values for the key; `None` when the key is missing.
    pub request_values: Option<Vec<String>>,
    /// The policy's values after variable substitution.
    pub policy_values: Vec<String>,
    pub matched: bool,
    /// Why: "matched `o-1`", "key missing", "matched because the key is missing (IfExists)", …
    pub reason: String,
    pub span: Span,
}

/// A statement named in `decisive` (scenario-format.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub policy_type: PolicyType,
    pub policy: String,
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub span: Span,
}

/// The Allow statement that came closest to allowing a denied request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    pub statement: StatementRef,
    /// What kept it from matching, in plain words.
    pub failed: Vec<String>,
}

/// A whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub decision: Decision,
    pub cross_account: bool,
    /// The statements that decided the outcome (scenario-format.md).
    pub decisive: Vec<StatementRef>,
    /// For an implicit deny: the gates that had no matching Allow.
    pub missing_allow: Vec<PolicyType>,
    /// One sentence that sums up why.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_miss: Option<NearMiss>,
    pub gates: Vec<GateTrace>,
}
