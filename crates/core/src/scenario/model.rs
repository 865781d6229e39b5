//! The loaded, validated scenario document (scenario-format.md).

use serde::{Deserialize, Serialize};

use crate::context::ContextValue;
use crate::diag::JsonPath;
use crate::policy::Policy;

pub const FORMAT: &str = "trustwalk/scenario@1";
pub const RESULT_FORMAT: &str = "trustwalk/result@1";

/// A policy as loaded from the document, with its display name.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedPolicy {
    /// The policy's own name (`AllowAssume`, `trustPolicy`, …).
    pub name: String,
    /// The name shown in traces: `StageAdmin/AllowAssume`.
    pub display: String,
    pub policy: Policy,
    /// Where the policy is in the document.
    pub path: JsonPath,
    /// The author's text when the policy was given as a string, or the
    /// text the caller supplied for an AWS managed policy; spans in the
    /// trace then count from its start. `None`: spans count from the start
    /// of the scenario document.
    pub text: Option<String>,
    /// Where the policy's JSON value (object or string literal) is in the
    /// scenario document.
    pub source_span: crate::span::Span,
    /// The policy's ARN when it is a managed policy (AWS or customer
    /// managed); it is then also its `display` name.
    pub managed_arn: Option<String>,
    /// Why the policy could not be read (its first error, with its line
    /// and column), when the document was loaded with its errors contained
    /// ([`load_json_contained`](crate::scenario::load_json_contained)): the
    /// policy then has no statements, and no step that needs it is
    /// evaluated.
    pub error: Option<String>,
}

impl LoadedPolicy {
    /// Whether this is an AWS managed policy (`arn:aws:iam::aws:policy/…`).
    pub fn is_aws_managed(&self) -> bool {
        self.managed_arn.as_deref().and_then(|a| crate::arn::PolicyArn::parse(a).ok()).is_some_and(|a| a.is_aws_managed())
    }
}

/// A customer managed policy, defined once under its account's
/// `managedPolicies` and attached by its ARN.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedPolicy {
    pub name: String,
    /// `/` or `/…/`.
    pub path: String,
    /// `arn:aws:iam::ACCOUNT:policy{path}{name}`.
    pub arn: String,
    pub policy: LoadedPolicy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyLevel {
    pub name: String,
    pub policies: Vec<LoadedPolicy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub title: Option<String>,
    pub description: Option<String>,
    /// Document-level context; `None` values remove a key.
    pub context: Vec<(String, Option<ContextValue>)>,
    pub accounts: Vec<Account>,
    pub steps: Vec<Step>,
}

impl Scenario {
    /// Every policy the author wrote, in document order: customer managed
    /// policies where they are defined (not where attached), never AWS
    /// managed ones, session policies of AssumeRole steps last.
    pub fn written_policies(&self) -> Vec<&LoadedPolicy> {
        let mut out: Vec<&LoadedPolicy> = Vec::new();
        for a in &self.accounts {
            out.extend(a.managed_policies.iter().map(|m| &m.policy));
            out.extend(a.scps.iter().chain(a.rcps.iter()).flatten().flat_map(|l| l.policies.iter()));
            for u in &a.users {
                out.extend(u.policies.iter().chain(u.permissions_boundary.iter()).filter(|p| p.managed_arn.is_none()));
            }
            for g in &a.groups {
                out.extend(g.policies.iter());
            }
            for r in &a.roles {
                out.push(&r.trust_policy);
                out.extend(r.policies.iter().chain(r.permissions_boundary.iter()).filter(|p| p.managed_arn.is_none()));
            }
            out.extend(a.buckets.iter().filter_map(|b| b.policy.as_ref()));
            out.extend(a.resources.iter().filter_map(|r| r.policy.as_ref()));
        }
        out.extend(self.steps.iter().filter_map(|s| s.assume_role.as_ref().and_then(|a| a.session_policy.as_ref())));
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: String,
    pub name: Option<String>,
    pub org_id: Option<String>,
    /// `None`: no SCPs apply.
    pub scps: Option<Vec<PolicyLevel>>,
    pub rcps: Option<Vec<PolicyLevel>>,
    /// The account's customer managed policies.
    pub managed_policies: Vec<ManagedPolicy>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub buckets: Vec<Bucket>,
    pub resources: Vec<Resource>,
}

impl Account {
    /// `staging (111111111111)` or the bare ID.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("{n} ({})", self.id),
            None => self.id.clone(),
        }
    }
}

pub type Tags = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub unique_id: String,
    pub policies: Vec<LoadedPolicy>,
    /// The attached managed policies, in the order of `managedPolicies`.
    pub managed_policies: Vec<LoadedPolicy>,
    pub groups: Vec<String>,
    /// An inline boundary or a managed policy (its `managed_arn` set).
    pub permissions_boundary: Option<LoadedPolicy>,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    pub path: String,
    pub policies: Vec<LoadedPolicy>,
    pub managed_policies: Vec<LoadedPolicy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub unique_id: String,
    pub trust_policy: LoadedPolicy,
    pub policies: Vec<LoadedPolicy>,
    pub managed_policies: Vec<LoadedPolicy>,
    pub permissions_boundary: Option<LoadedPolicy>,
    pub tags: Tags,
    pub max_session_duration: u32,
    /// The name of the EC2 instance profile that holds the role: EC2
    /// assumes a role only through one.
    pub instance_profile: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    pub name: String,
    pub region: String,
    pub policy: Option<LoadedPolicy>,
    pub block_public_access: bool,
    pub tags: Tags,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub arn: String,
    pub policy: Option<LoadedPolicy>,
    pub tags: Tags,
}

/// An expected or actual step outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
    /// Either deny (for `expect` only).
    Denied,
    Skipped,
    Invalid,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "allowed" => Self::Allowed,
            "explicitDeny" => Self::ExplicitDeny,
            "implicitDeny" => Self::ImplicitDeny,
            "denied" => Self::Denied,
            "skipped" => Self::Skipped,
            "invalid" => Self::Invalid,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::ExplicitDeny => "explicitDeny",
            Self::ImplicitDeny => "implicitDeny",
            Self::Denied => "denied",
            Self::Skipped => "skipped",
            Self::Invalid => "invalid",
        }
    }

    /// Words for people: "Allowed", "Explicit deny", …
    pub fn label(self) -> &'static str {
        match self {
            Self::Allowed => "Allowed",
            Self::ExplicitDeny => "Explicit deny",
            Self::ImplicitDeny => "Implicit deny",
            Self::Denied => "Denied",
            Self::Skipped => "Skipped",
            Self::Invalid => "Invalid",
        }
    }

    /// Does the actual outcome `self` meet the expectation `expected`?
    pub fn meets(self, expected: Outcome) -> bool {
        self == expected || (expected == Outcome::Denied && matches!(self, Outcome::ExplicitDeny | Outcome::ImplicitDeny))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mfa {
    pub serial_number: Option<String>,
    /// Whole seconds since the MFA code was entered, 0 to
    /// [`crate::time::MAX_EPOCH`].
    pub age_seconds: i64,
}

/// The AssumeRole-only fields of a step.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub mfa: Option<Mfa>,
    pub session_policy: Option<LoadedPolicy>,
    pub session_tags: Tags,
    pub transitive_tag_keys: Vec<String>,
    pub source_identity: Option<String>,
    pub duration_seconds: Option<u32>,
}

/// What an AWS service calls on behalf of: the resource (`aws:SourceArn`)
/// and its account (`aws:SourceAccount`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceSource {
    pub arn: Option<String>,
    pub account: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: String,
    /// `anonymous`, `service:NAME` or a principal ARN.
    pub principal: String,
    /// For a service principal: the resource it calls for, if the step
    /// gives it (`sourceArn`, `sourceAccount`).
    pub source: Option<ServiceSource>,
    pub action: String,
    /// The resource ARN; for AssumeRole the role ARN.
    pub resource: String,
    /// Boxed: most steps have none, and a long scenario holds many steps.
    pub assume_role: Option<Box<AssumeRole>>,
    pub context: Vec<(String, Option<ContextValue>)>,
    pub expect: Option<Outcome>,
    pub path: JsonPath,
}

impl Step {
    pub fn is_assume_role(&self) -> bool {
        self.assume_role.is_some()
    }
}
