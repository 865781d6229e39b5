//! Deciding one request against every policy that applies to it, as AWS
//! does (docs/evaluation.md §4 and §5), and recording why.

use std::sync::Arc;

use crate::arn::{Arn, ArnErrorKind, Entity, PrincipalArn};
use crate::condition;
use crate::context::RequestContext;
use crate::matching::{self, PrincipalFacts, ResourceMatch};
use crate::policy::{Effect, ListElement, Policy, PolicyType, PrincipalElement, PrincipalKind, Statement};
use crate::trace::*;

/// A policy with the name the trace shows for it (`StageRole/trustPolicy`).
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    pub name: &'a str,
    pub policy: &'a Policy,
    /// Why the policy could not be read, when it could not (its document
    /// had errors): no request that needs it is evaluated (see
    /// [`Policies::unreadable`]).
    pub error: Option<&'a str>,
}

/// One level of an SCP or RCP hierarchy: every level must allow.
#[derive(Debug, Clone)]
pub struct PolicyLevel<'a> {
    pub name: &'a str,
    pub policies: Vec<NamedPolicy<'a>>,
}

/// What kind of principal is calling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    User,
    RoleSession,
    /// The account's root user.
    Root,
    FederatedUser,
    Service,
    Anonymous,
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub kind: CallerKind,
    pub facts: PrincipalFacts,
    /// Whether the caller's entity has a permissions boundary (it decides
    /// Deny with NotPrincipal, §2.3).
    pub has_boundary: bool,
}

impl Caller {
    /// An AWS service principal (`ec2.amazonaws.com`) as the caller: it has
    /// no account and no identity policies.
    pub fn service(name: &str) -> Caller {
        Caller { kind: CallerKind::Service, facts: PrincipalFacts { service: Some(name.to_string()), ..Default::default() }, has_boundary: false }
    }

    /// A caller from a principal ARN alone (`anonymous`, a user, a role
    /// session, a federated user or an account root), without inventory: a
    /// session's role is taken to have the path `/`. The scenario engine
    /// builds richer callers from the document.
    pub fn from_arn(arn: &str) -> Result<Caller, String> {
        let not_a_caller = || format!("`{arn}` is not a user, assumed-role session, federated-user or root ARN, `service:…` or `anonymous`");
        if arn == "anonymous" {
            return Ok(Caller { kind: CallerKind::Anonymous, facts: PrincipalFacts { anonymous: true, ..Default::default() }, has_boundary: false });
        }
        if arn.starts_with(crate::arn::SERVICE_CALLER_PREFIX) {
            return match crate::arn::Principal::parse_caller(arn) {
                Ok(crate::arn::Principal::Service(name)) => Ok(Caller::service(name)),
                Ok(_) => Err(not_a_caller()),
                Err(e) => Err(e.into()),
            };
        }
        let p = match PrincipalArn::parse(arn) {
            Ok(p) => p,
            Err(e) if e.kind == ArnErrorKind::Account => return Err(e.into()),
            Err(_) if Arn::parse(arn).is_ok() => return Err(not_a_caller()),
            Err(_) => return Err(format!("`{arn}` is not a principal ARN such as `arn:aws:iam::111122223333:user/Alice`")),
        };
        let kind = match (p.arn.service, p.entity) {
            ("iam", Entity::Root) => CallerKind::Root,
            ("iam", Entity::User { .. }) => CallerKind::User,
            ("sts", Entity::RoleSession { .. }) => CallerKind::RoleSession,
            ("sts", Entity::FederatedUser { .. }) => CallerKind::FederatedUser,
            _ => return Err(not_a_caller()),
        };
        Ok(Caller {
            kind,
            facts: PrincipalFacts {
                arn: arn.to_string(),
                account: Some(p.account.to_string()),
                role_arn: p.session_role_arn(),
                ..Default::default()
            },
            has_boundary: false,
        })
    }
}

/// One request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub caller: &'a Caller,
    pub action: &'a str,
    /// The resource ARN, or `*`.
    pub resource: &'a str,
    /// The account that owns the resource; `None` when unknown (no resource
    /// policy can then apply and the request is judged on the caller's side).
    pub resource_account: Option<&'a str>,
    pub context: &'a RequestContext,
}

/// Every policy that applies to a request.
#[derive(Debug, Clone, Default)]
pub struct Policies<'a> {
    /// The caller's identity policies (user + groups, or the role's).
    pub identity: Vec<NamedPolicy<'a>>,
    /// The resource policy (`PolicyType::Resource`) or the role's trust
    /// policy (`PolicyType::Trust`, for `sts:AssumeRole`).
    pub resource: Option<NamedPolicy<'a>>,
    pub permissions_boundary: Option<NamedPolicy<'a>>,
    pub session_policy: Option<NamedPolicy<'a>>,
    /// SCP levels of the caller's account; empty when none apply.
    pub scps: Vec<PolicyLevel<'a>>,
    /// RCP levels of the resource's account; empty when none apply.
    pub rcps: Vec<PolicyLevel<'a>>,
}

impl<'a> Policies<'a> {
    /// The first policy that could not be read, if any: a decision that
    /// needs it cannot be made.
    pub fn unreadable(&self) -> Option<&NamedPolicy<'a>> {
        let levels = self.scps.iter().chain(&self.rcps).flat_map(|l| &l.policies);
        self.identity
            .iter()
            .chain(&self.resource)
            .chain(&self.permissions_boundary)
            .chain(&self.session_policy)
            .chain(levels)
            .find(|p| p.error.is_some())
    }
}

/// The services whose actions resource control policies apply to, by IAM
/// service prefix (the part of an action before `:`). A request to any other
/// service (SNS, IAM, Lambda, EC2 …) is not subject to the resource account's
/// RCPs at all: neither their Deny nor a level without an Allow affects it.
///
/// Source: AWS Organizations User Guide, "Resource control policies (RCPs)",
/// section "List of AWS services that support RCPs",
/// <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services>.
/// The list as compiled on 2026-12-01: S3, STS, KMS, SQS and Secrets Manager
/// at launch (November 2024; also the AWS Control Tower Controls Reference,
/// "Controls implemented with RCPs"); ECR and OpenSearch Serverless (June
/// 2025) and Cognito and CloudWatch Logs (January 2026), as quoted from that
/// page; the entries from `dynamodb` on are the page's later additions as
/// carried by tools that track it (26 service entries, checked 2026-07-20),
/// not re-read from the page itself here. AWS adds services over time: update
/// this list (and its date) from the page.
pub const RCP_SUPPORTED_SERVICES: &[&str] = &[
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-identity",
    "cognito-idp",
    "cognito-sync",
    "logs",
    "dynamodb",
    "dax",
    "appconfig",
    "appstream",
    "autoscaling",
    "codebuild",
    "codecommit",
    "comprehend",
    "comprehendmedical",
    "health",
    "kinesisvideo",
    "signin",
    "support",
    "textract",
    "transcribe",
    "translate",
];

/// Why the resource account's RCPs do not apply to `action`, or `None` when
/// they do (its service is in [`RCP_SUPPORTED_SERVICES`], or the action has
/// no service prefix to judge by).
pub fn rcps_do_not_apply(action: &str) -> Option<String> {
    let (service, _) = action.split_once(':')?;
    if RCP_SUPPORTED_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
        return None;
    }
    Some(format!(
        "RCPs do not apply to {action}: `{service}` is not among the services RCPs support (AWS Organizations User Guide, \"Resource control policies (RCPs)\")"
    ))
}

/// Whether `resource` is an AWS KMS key (`arn:aws:kms:REGION:ACCOUNT:key/ID`).
///
/// A KMS key's key policy is always required: "Without permission from the
/// key policy, IAM policies that allow permissions have no effect" (AWS KMS
/// Developer Guide, "Key policies",
/// <https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html>).
/// It allows a principal itself, or allows the account
/// (`arn:aws:iam::ACCOUNT:root`) so that the account's IAM policies take
/// effect; a key with no key policy grants nothing, even to the root user.
pub fn is_kms_key(resource: &str) -> bool {
    Arn::parse(resource).is_ok_and(|a| a.is_kms_key())
}

/// The services whose resource-policy rules Trustwalk models, by IAM
/// service prefix: S3 buckets (without ACLs), STS trust policies, IAM roles
/// and users as resources, KMS key policies, and the services whose resource
/// policies follow IAM's general rules with no rule of their own in AWS's
/// documentation that the engine lacks (SQS queues, SNS topics, Secrets
/// Manager secrets). For any other service a request is decided with the
/// general rules, and loading warns when a resource policy or another
/// account takes part ([`resource_rules_not_modelled`]).
pub const MODELLED_RESOURCE_SERVICES: &[&str] = &["s3", "sts", "iam", "kms", "sqs", "sns", "secretsmanager"];

/// Why a request for `action` is decided with IAM's general rules only, or
/// `None` when its service's resource-policy rules are modelled.
pub fn resource_rules_not_modelled(action: &str) -> Option<String> {
    let (service, _) = action.split_once(':')?;
    if MODELLED_RESOURCE_SERVICES.iter().any(|s| s.eq_ignore_ascii_case(service)) {
        return None;
    }
    Some(format!(
        "`{service}`'s own resource-policy rules are not modelled: {action} is decided with IAM's general rules, as for an SQS queue, and AWS may decide it differently"
    ))
}

/// Switches for the points where sources disagree (docs/evaluation.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// §9.1: when a same-account resource policy names the exact session
    /// ARN, does the session policy still limit it? The docs say no
    /// (default `false`); iam-simulate says yes.
    pub session_policy_limits_session_arn_grants: bool,
    /// S3 Block Public Access `RestrictPublicBuckets` on the resource: a
    /// public resource policy then grants nothing across accounts.
    pub restrict_public_buckets: bool,
}

/// The result of one gate before the decision is made.
struct Gate {
    trace: GateTrace,
    allow: Option<(usize, usize, Option<MatchLevel>)>,
    denies: Vec<(usize, usize)>,
    /// The best principal level among matching Allows (resource/trust).
    best_level: Option<MatchLevel>,
    /// Whether the gate has any policy.
    has_policies: bool,
}

impl Gate {
    fn statement_ref(&self, policy: usize, statement: usize) -> Option<StatementRef> {
        let p = self.trace.policies.get(policy)?;
        let s = p.statements.get(statement)?;
        Some(StatementRef {
            policy_type: self.trace.policy_type,
            policy: p.name.clone(),
            statement: s.index,
            sid: s.sid.clone(),
            level: self.trace.level.clone(),
            span: s.span,
        })
    }

    fn allows(&self) -> bool {
        self.allow.is_some() && self.denies.is_empty()
    }
}

struct Evaluator<'r, 'a> {
    req: &'r Request<'a>,
    /// Shared by every statement's trace.
    request_principal: Arc<str>,
    request_action: Arc<str>,
    request_resource: Arc<str>,
    /// The request resource, split once.
    request_arn: matching::RequestArn<'a>,
}

impl Evaluator<'_, '_> {
    fn gate(&self, policy_type: PolicyType, level: Option<&str>, policies: &[NamedPolicy<'_>]) -> Gate {
        let mut traces = Vec::with_capacity(policies.len());
        let mut allow = None;
        let mut best_level: Option<MatchLevel> = None;
        let mut denies = Vec::new();
        for (pi, np) in policies.iter().enumerate() {
            let mut statements = Vec::with_capacity(np.policy.statements.len());
            for (si, st) in np.policy.statements.iter().enumerate() {
                let (trace, level) = self.statement(np.policy, st);
                if trace.matched {
                    match st.effect {
                        Effect::Deny => denies.push((pi, si)),
                        Effect::Allow => {
                            let better = match (level, best_level) {
                                (Some(l), Some(b)) => l > b,
                                (Some(_), None) => allow.is_none() || best_level.is_none(),
                                (None, _) => allow.is_none(),
                            };
                            if better {
                                allow = Some((pi, si, level));
                                best_level = level.or(best_level);
                            }
                        }
                    }
                }
                statements.push(trace);
            }
            traces.push(PolicyTrace { name: np.name.to_string(), statements });
        }
        let verdict = if !denies.is_empty() {
            GateVerdict::Denied
        } else if allow.is_some() {
            GateVerdict::Allowed
        } else {
            GateVerdict::NoMatchingAllow
        };
        Gate {
            trace: GateTrace { policy_type, level: level.map(str::to_string), verdict, required: true, note: String::new(), policies: traces },
            allow,
            denies,
            best_level,
            has_policies: !policies.is_empty(),
        }
    }

    fn statement(&self, policy: &Policy, st: &Statement) -> (StatementTrace, Option<MatchLevel>) {
        let variables = policy.version.variables_enabled();
        let (principal, level) = match &st.principal {
            Some(p) => {
                let (t, l) = self.principal(p, st.effect);
                (Some(t), l)
            }
            None => (None, None),
        };
        let action = self.action(&st.action);
        let resource = st.resource.as_ref().map(|r| self.resource(r, variables));
        let conditions: Vec<ConditionTrace> = st.conditions.iter().map(|c| condition::evaluate(c, self.req.context, variables)).collect();
        let matched = principal.as_ref().is_none_or(|p| p.matched)
            && action.matched
            && resource.as_ref().is_none_or(|r| r.matched)
            && conditions.iter().all(|c| c.matched);
        (
            StatementTrace {
                index: st.index,
                sid: st.sid.clone(),
                effect: st.effect,
                matched,
                span: st.span,
                principal,
                action,
                resource,
                conditions,
            },
            level,
        )
    }

    fn action(&self, el: &ListElement) -> ElementTrace {
        let request = self.req.action;
        let hit = el.values.iter().find(|v| matching::action_matches(&v.value, request));
        ElementTrace {
            element: el.name("Action", "NotAction"),
            matched: el.negated != hit.is_some(),
            request_value: self.request_action.clone(),
            policy_value: hit.map(|v| v.value.clone()),
            span: hit.map_or(el.span, |v| v.span),
            missing_variables: Vec::new(),
        }
    }

    fn resource(&self, el: &ListElement, variables: bool) -> ElementTrace {
        let mut hit = None;
        let mut missing = Vec::new();
        for v in &el.values {
            match self.request_arn.matches(&v.value, self.req.context, variables) {
                ResourceMatch::Matched => {
                    hit = Some(v);
                    break;
                }
                ResourceMatch::MissingVariable(k) => missing.push(Arc::from(k)),
                ResourceMatch::NotMatched => {}
            }
        }
        ElementTrace {
            element: el.name("Resource", "NotResource"),
            matched: el.negated != hit.is_some(),
            request_value: self.request_resource.clone(),
            policy_value: hit.map(|v| v.value.clone()),
            span: hit.map_or(el.span, |v| v.span),
            missing_variables: missing,
        }
    }

    fn principal(&self, el: &PrincipalElement, effect: Effect) -> (PrincipalTrace, Option<MatchLevel>) {
        let caller = self.req.caller;
        let who = &caller.facts;
        let mut best: Option<(MatchLevel, &crate::policy::PrincipalEntry)> = None;
        for e in &el.entries {
            let level = match e.kind {
                PrincipalKind::Aws => matching::aws_principal_level(&e.value, who),
                PrincipalKind::Service => {
                    (who.service.as_deref() == Some(e.value.as_str()) || (e.value == "*" && who.service.is_some())).then_some(MatchLevel::Direct)
                }
                PrincipalKind::Federated => (who.federated.as_deref() == Some(e.value.as_str())).then_some(MatchLevel::Direct),
                PrincipalKind::CanonicalUser => None,
            };
            if let Some(l) = level {
                if best.is_none_or(|(b, _)| l > b) {
                    best = Some((l, e));
                }
            }
        }
        let request_value = self.request_principal.clone();
        if !el.negated {
            let trace = match best {
                Some((level, e)) => PrincipalTrace {
                    element: "Principal",
                    matched: true,
                    level: Some(level),
                    request_value,
                    policy_value: Some(e.value.clone()),
                    span: e.span,
                    outcome: PrincipalOutcome::Listed,
                },
                None => PrincipalTrace {
                    element: "Principal",
                    matched: false,
                    level: None,
                    request_value,
                    policy_value: None,
                    span: el.span,
                    outcome: PrincipalOutcome::NotListed,
                },
            };
            return (trace, best.map(|(l, _)| l));
        }
        // NotPrincipal (§2.3, §9.2).
        let exempt = match effect {
            Effect::Allow => best.is_some(),
            Effect::Deny => {
                if caller.has_boundary {
                    false
                } else {
                    self.not_principal_exempts(el)
                }
            }
        };
        let outcome = if effect == Effect::Deny && caller.has_boundary {
            PrincipalOutcome::BoundaryNeverExempt
        } else if exempt {
            PrincipalOutcome::Exempted
        } else if effect == Effect::Deny && best.is_some() {
            PrincipalOutcome::NotEveryLevel
        } else {
            PrincipalOutcome::NotExempted
        };
        (
            PrincipalTrace {
                element: "NotPrincipal",
                matched: !exempt,
                level: (!exempt).then_some(MatchLevel::Direct),
                request_value,
                policy_value: best.map(|(_, e)| e.value.clone()),
                span: best.map_or(el.span, |(_, e)| e.span),
                outcome,
            },
            (!exempt).then_some(MatchLevel::Direct),
        )
    }

    /// Deny + NotPrincipal exempts only when the caller's own ARN and every
    /// parent level are listed (docs/evaluation.md §9.2 recommendation).
    fn not_principal_exempts(&self, el: &PrincipalElement) -> bool {
        let caller = self.req.caller;
        let who = &caller.facts;
        let listed = |pred: &dyn Fn(&str) -> bool| el.entries.iter().any(|e| e.kind == PrincipalKind::Aws && pred(&e.value));
        let account_listed = who.account.as_deref().is_some_and(|a| listed(&|v| v == a || v == crate::arn::build::root(a)));
        // `"*"` lists every caller, so none is left for the Deny.
        if el.entries.iter().any(|e| e.kind == PrincipalKind::Aws && e.value == "*") {
            return true;
        }
        match caller.kind {
            CallerKind::Anonymous => false,
            CallerKind::Service => el.entries.iter().any(|e| e.kind == PrincipalKind::Service && who.service.as_deref() == Some(e.value.as_str())),
            CallerKind::Root => account_listed,
            CallerKind::User | CallerKind::FederatedUser => account_listed && listed(&|v| v == who.arn),
            CallerKind::RoleSession => {
                account_listed
                    && listed(&|v| v == who.arn)
                    && who.role_arn.as_deref().is_some_and(|r| listed(&|v| v == r || matching::same_role(v, r)))
            }
        }
    }
}

/// Decides `req` against `policies` and explains the decision, in three
/// phases: gather the gates that apply, decide, annotate the trace.
pub fn evaluate(req: &Request<'_>, policies: &Policies<'_>, options: &Options) -> Evaluation {
    evaluate_detail(req, policies, options, true)
}

/// [`evaluate`]; without `explain`, the gates' notes and `required` flags
/// are left at their defaults and no near miss is sought (the decision,
/// decisive statements, missing allows, summary and statement traces are
/// the same): for callers that read only those, such as the access map.
pub(crate) fn evaluate_detail(req: &Request<'_>, policies: &Policies<'_>, options: &Options, explain: bool) -> Evaluation {
    let ev = Evaluator {
        req,
        request_principal: matching::describe_str(&req.caller.facts).into(),
        request_action: req.action.into(),
        request_resource: req.resource.into(),
        request_arn: matching::RequestArn::new(req.resource),
    };
    let mut gates = Gates::gather(&ev, policies);
    let facts = Facts::of(req, policies, &gates, options);
    let verdict = decide(&gates, &facts, options);
    let near_miss = if explain {
        gates.annotate(verdict.requirement.as_ref(), &facts);
        (verdict.decision != Decision::Allowed).then(|| nearest_miss(gates.deciding(), &verdict.missing_allow)).flatten()
    } else {
        None
    };
    Evaluation {
        decision: verdict.decision,
        cross_account: facts.cross_account,
        decisive: verdict.decisive,
        missing_allow: verdict.missing_allow,
        summary: verdict.summary,
        near_miss,
        gates: gates.into_traces(),
        rule: verdict.requirement.as_ref().map_or(AllowRule::ExplicitDeny, |r| r.rule),
    }
}

/// Phase 1: every gate that applies to the request, each traced.
struct Gates {
    scps: Vec<Gate>,
    rcps: Vec<Gate>,
    /// Why the RCPs take no part (their service does not support them).
    rcps_skipped: Option<String>,
    /// `Resource`, or `Trust` for a role's trust policy.
    resource_type: PolicyType,
    resource: Option<Gate>,
    /// `None` for anonymous and service callers, which have no identity.
    identity: Option<Gate>,
    boundary: Option<Gate>,
    session: Option<Gate>,
}

impl Gates {
    fn gather(ev: &Evaluator<'_, '_>, policies: &Policies<'_>) -> Gates {
        let levels = |t, levels: &[PolicyLevel<'_>]| levels.iter().map(|l| ev.gate(t, Some(l.name), &l.policies)).collect::<Vec<_>>();
        let one = |t, p: Option<NamedPolicy<'_>>| p.map(|p| ev.gate(t, None, std::slice::from_ref(&p)));
        let rcps = levels(PolicyType::Rcp, &policies.rcps);
        // RCPs only govern the services that support them: for any other
        // service the levels are still traced, but take no part.
        let rcps_skipped = rcps_do_not_apply(ev.req.action).filter(|_| !rcps.is_empty());
        let resource_type = policies.resource.map_or(PolicyType::Resource, |p| p.policy.policy_type);
        let identity_applies = !matches!(ev.req.caller.kind, CallerKind::Anonymous | CallerKind::Service);
        Gates {
            scps: levels(PolicyType::Scp, &policies.scps),
            rcps,
            rcps_skipped,
            resource_type,
            resource: one(resource_type, policies.resource),
            identity: identity_applies.then(|| ev.gate(PolicyType::Identity, None, &policies.identity)),
            boundary: one(PolicyType::PermissionsBoundary, policies.permissions_boundary),
            session: one(PolicyType::SessionPolicy, policies.session_policy),
        }
    }

    /// The gates that take part in the decision, in the order they are
    /// searched: SCP levels, RCP levels (only when RCPs apply to the
    /// action's service), then the resource, identity, boundary and session
    /// gates.
    fn deciding(&self) -> impl Iterator<Item = &Gate> {
        self.levels().chain([&self.resource, &self.identity, &self.boundary, &self.session].into_iter().flatten())
    }

    /// The organization levels that take part: SCPs, and RCPs when they apply.
    fn levels(&self) -> impl Iterator<Item = &Gate> {
        let rcps = if self.rcps_skipped.is_none() { self.rcps.as_slice() } else { &[] };
        self.scps.iter().chain(rcps)
    }

    /// Phase 3: which gates were needed, and a note on each.
    fn annotate(&mut self, requirement: Option<&Requirement>, facts: &Facts) {
        if let Some(r) = requirement {
            if let Some(g) = self.identity.as_mut() {
                g.trace.required = r.identity && !facts.root_in_own_account;
            }
            if let Some(g) = self.resource.as_mut() {
                g.trace.required = r.resource || (r.allowed && r.resource_used);
            }
            if let Some(g) = self.boundary.as_mut() {
                g.trace.required = r.boundary;
            }
            if let Some(g) = self.session.as_mut() {
                g.trace.required = r.session;
            }
        }
        for g in self.scps.iter_mut().chain(self.rcps.iter_mut()) {
            g.trace.note = level_note(g);
        }
        if let Some(why) = &self.rcps_skipped {
            for g in self.rcps.iter_mut() {
                g.trace.required = false;
                g.trace.note.clone_from(why);
            }
        }
        for g in [&mut self.resource, &mut self.identity, &mut self.boundary, &mut self.session].into_iter().flatten() {
            g.trace.note = gate_note(g, facts.cross_account, requirement.is_some_and(|r| r.allowed));
        }
    }

    /// The traces, in the order the result shows them.
    fn into_traces(self) -> Vec<GateTrace> {
        [self.identity, self.resource, self.boundary, self.session].into_iter().flatten().chain(self.scps).chain(self.rcps).map(|g| g.trace).collect()
    }
}

/// What the rules depend on besides the gates.
struct Facts {
    caller_kind: CallerKind,
    cross_account: bool,
    /// The root user is allowed by default within its own account (§4.1).
    root_in_own_account: bool,
    /// The caller has identity policies (not anonymous, not a service).
    identity_applies: bool,
    /// A role's trust policy: it must allow, even within one account.
    is_trust: bool,
    /// A KMS key's key policy must allow whoever calls (see `is_kms_key`).
    key_policy: bool,
    /// S3 Block Public Access turns a public bucket policy's grant off.
    public_blocked: bool,
    root_assumes_role: bool,
}

impl Facts {
    fn of(req: &Request<'_>, policies: &Policies<'_>, gates: &Gates, options: &Options) -> Facts {
        let caller = req.caller;
        // A service principal belongs to no account: its requests cross
        // none (an anonymous caller's cross into the resource's account,
        // which Block Public Access judges).
        let cross_account = match (caller.facts.account.as_deref(), req.resource_account) {
            (Some(c), Some(r)) => c != r,
            (None, Some(_)) => caller.kind != CallerKind::Service,
            _ => false,
        };
        Facts {
            caller_kind: caller.kind,
            cross_account,
            root_in_own_account: caller.kind == CallerKind::Root && !cross_account,
            identity_applies: gates.identity.is_some(),
            is_trust: gates.resource_type == PolicyType::Trust,
            key_policy: gates.resource_type == PolicyType::Resource && is_kms_key(req.resource),
            public_blocked: options.restrict_public_buckets
                && cross_account
                && caller.kind != CallerKind::Service
                && policies.resource.is_some_and(|p| policy_is_public(p.policy)),
            root_assumes_role: caller.kind == CallerKind::Root && req.action.eq_ignore_ascii_case("sts:AssumeRole"),
        }
    }

    fn resource_label(&self, resource_type: PolicyType) -> &'static str {
        if self.key_policy {
            "key policy"
        } else {
            resource_type.label()
        }
    }
}

/// What each gate says, read once.
struct Sides {
    id_ok: bool,
    pb_ok: bool,
    sp_ok: bool,
    rp_allows: bool,
    /// The best principal level of the resource policy's matching Allows.
    rp_level: Option<MatchLevel>,
    has_resource_policy: bool,
}

impl Sides {
    fn of(g: &Gates, f: &Facts) -> Sides {
        Sides {
            id_ok: f.root_in_own_account || g.identity.as_ref().is_some_and(Gate::allows),
            pb_ok: g.boundary.as_ref().is_none_or(Gate::allows),
            // A GetFederationToken session without a session policy has no
            // permissions of its own (§4.1 step 8).
            sp_ok: g.session.as_ref().map_or(f.caller_kind != CallerKind::FederatedUser, Gate::allows),
            rp_allows: g.resource.as_ref().is_some_and(Gate::allows),
            rp_level: g.resource.as_ref().filter(|g| g.allows()).and_then(|g| g.best_level),
            has_resource_policy: g.resource.is_some(),
        }
    }

    /// The caller-side gates that had no matching Allow.
    fn identity_side_missing(&self) -> impl Iterator<Item = PolicyType> {
        identity_side_missing(self.id_ok, self.pb_ok, self.sp_ok)
    }
}

/// Which gates had to allow, and whether the request passes them.
struct Requirement {
    allowed: bool,
    why: String,
    missing: Vec<PolicyType>,
    identity: bool,
    boundary: bool,
    session: bool,
    resource: bool,
    /// The resource policy's Allow is part of the decision.
    resource_used: bool,
    rule: AllowRule,
}

impl Requirement {
    fn ruled(mut self, rule: AllowRule) -> Self {
        self.rule = rule;
        self
    }

    fn denied(mut self, why: impl Into<String>, missing: Option<PolicyType>) -> Self {
        self.allowed = false;
        self.why = why.into();
        self.missing.extend(missing);
        self
    }
}

/// The outcome of phase 2.
struct Verdict {
    decision: Decision,
    summary: String,
    decisive: Vec<StatementRef>,
    missing_allow: Vec<PolicyType>,
    /// `None` for an explicit deny, where no gate's requirement is judged.
    requirement: Option<Requirement>,
}

/// Phase 2: an explicit Deny anywhere decides; otherwise the allow rules.
fn decide(g: &Gates, f: &Facts, options: &Options) -> Verdict {
    let denies: Vec<StatementRef> = g.deciding().flat_map(|g| g.denies.iter().filter_map(move |(p, s)| g.statement_ref(*p, *s))).collect();
    if let Some(first) = denies.first() {
        return Verdict {
            decision: Decision::ExplicitDeny,
            summary: format!("explicitly denied by {}: an explicit Deny overrides every Allow", describe_ref(first)),
            decisive: denies,
            missing_allow: Vec::new(),
            requirement: None,
        };
    }
    let mut r = allow_rules(g, f, options);
    if r.allowed {
        let summary = if f.root_in_own_account && r.why.is_empty() {
            "allowed: the root user is allowed by default in its own account".to_string()
        } else if r.why.is_empty() && !f.identity_applies {
            let who = if f.caller_kind == CallerKind::Anonymous { "an anonymous caller" } else { "a service principal" };
            format!("allowed: the {} grants it, which is all {who} needs (it has no identity policies)", g.resource_type.label())
        } else if r.why.is_empty() && f.cross_account {
            "allowed: both the caller's account and the resource's account allow the request".to_string()
        } else if r.why.is_empty() {
            "allowed by the identity policies".to_string()
        } else {
            ["allowed: ", &r.why].concat()
        };
        Verdict { decision: Decision::Allowed, summary, decisive: decisive_allows(g, &r, f), missing_allow: r.missing.clone(), requirement: Some(r) }
    } else {
        r.missing.dedup();
        let summary = if r.why.is_empty() {
            let names: Vec<&str> = r.missing.iter().map(|t| t.label()).collect();
            ["implicitly denied: no matching Allow in the ", &names.join(", ")].concat()
        } else {
            ["implicitly denied: ", &r.why].concat()
        };
        Verdict { decision: Decision::ImplicitDeny, summary, decisive: Vec::new(), missing_allow: r.missing.clone(), requirement: Some(r) }
    }
}

/// Which gates must allow for this request, and whether they do (§4, §5).
fn allow_rules(g: &Gates, f: &Facts, options: &Options) -> Requirement {
    let s = Sides::of(g, f);
    let r = Requirement {
        allowed: false,
        why: String::new(),
        missing: Vec::new(),
        identity: true,
        boundary: g.boundary.is_some(),
        session: g.session.is_some(),
        resource: f.is_trust || f.key_policy,
        resource_used: false,
        rule: AllowRule::ExplicitDeny,
    };
    if let Some(level) = g.rcps.iter().filter(|_| g.rcps_skipped.is_none()).find(|g| !g.allows()) {
        let level = level.trace.level.clone().unwrap_or_default();
        let why = format!("the resource control policies at level `{level}` have no matching Allow, so every level does not allow");
        return r.ruled(AllowRule::RcpLevel).denied(why, Some(PolicyType::Rcp));
    }
    if let Some(level) = g.scps.iter().find(|g| !g.allows()) {
        let level = level.trace.level.clone().unwrap_or_default();
        return r
            .ruled(AllowRule::ScpLevel)
            .denied(format!("the service control policies at level `{level}` have no matching Allow"), Some(PolicyType::Scp));
    }
    if f.root_assumes_role {
        return r.ruled(AllowRule::RootAssumesRole).denied("the root user cannot call AssumeRole", None);
    }
    if f.public_blocked {
        let why = "the bucket policy is public and Block Public Access (RestrictPublicBuckets) is on: it grants nothing across accounts";
        return r.ruled(AllowRule::PublicAccessBlocked).denied(why, Some(g.resource_type));
    }
    if !f.identity_applies {
        return resource_only(r.ruled(AllowRule::ResourceOnly), &s, f, g.resource_type);
    }
    if f.cross_account {
        return cross_account_rule(r.ruled(AllowRule::CrossAccount), &s, g.resource_type);
    }
    let rule = if f.is_trust || f.key_policy { AllowRule::SameAccountBoth } else { AllowRule::SameAccountEither };
    same_account_rule(r.ruled(rule), &s, f, g, options)
}

/// Anonymous and service callers: only the resource policy grants.
fn resource_only(mut r: Requirement, s: &Sides, f: &Facts, resource_type: PolicyType) -> Requirement {
    r.identity = false;
    r.boundary = false;
    r.session = false;
    r.resource = true;
    r.resource_used = true;
    r.allowed = s.rp_allows;
    if !r.allowed {
        let who = if f.caller_kind == CallerKind::Anonymous { "anonymous" } else { "service" };
        r.missing.push(resource_type);
        r.why = format!("{who} callers have no identity policies; only the {} can grant them access", resource_type.label());
    }
    r
}

/// Across accounts both sides must allow (§5).
fn cross_account_rule(mut r: Requirement, s: &Sides, resource_type: PolicyType) -> Requirement {
    r.resource = true;
    r.resource_used = true;
    r.allowed = s.id_ok && s.pb_ok && s.sp_ok && s.rp_allows;
    r.missing.extend(s.identity_side_missing());
    if !s.rp_allows {
        r.missing.push(resource_type);
    }
    if !r.allowed {
        r.why = "across accounts both sides must allow: the caller's account through its identity policies, and the resource's account through its resource policy".into();
    }
    r
}

/// Within one account (§4.2, §5.2): a resource policy naming the caller (or
/// its role) can grant alone; otherwise the identity side must allow, and a
/// trust or key policy too.
fn same_account_rule(mut r: Requirement, s: &Sides, f: &Facts, g: &Gates, options: &Options) -> Requirement {
    let session_limits = options.session_policy_limits_session_arn_grants && f.caller_kind == CallerKind::RoleSession && !s.sp_ok;
    match s.rp_level {
        Some(MatchLevel::Direct) if !session_limits => {
            r.identity = false;
            r.boundary = false;
            r.session = false;
            r.resource_used = true;
            r.allowed = true;
            r.why = "the resource policy names the caller directly; within one account that grant alone is enough".into();
        }
        Some(MatchLevel::Role) if s.pb_ok && s.sp_ok => {
            r.identity = false;
            r.resource_used = true;
            r.allowed = true;
            r.why = "the resource policy names the caller's role; within one account that grant is enough, limited by the role's boundary and session policy".into();
        }
        _ => {
            r.allowed = s.id_ok && s.pb_ok && s.sp_ok && (!r.resource || s.rp_allows);
            if r.allowed {
                r.resource_used = r.resource;
                r.why = same_account_allowed_reason(&r, s, f, g.resource_type);
            } else {
                r.missing.extend(s.identity_side_missing());
                if !s.rp_allows && (r.resource || (!s.id_ok && s.has_resource_policy)) {
                    r.missing.push(g.resource_type);
                }
                r.why = same_account_denied_reason(s, f, g.session.is_none());
            }
        }
    }
    r
}

fn same_account_allowed_reason(r: &Requirement, s: &Sides, f: &Facts, resource_type: PolicyType) -> String {
    if f.key_policy && f.root_in_own_account {
        "the key policy allows the account, and the root user is allowed by default in its own account".into()
    } else if f.key_policy && s.rp_level == Some(MatchLevel::Account) {
        "the key policy allows the account, so its IAM policies take effect, and they allow the call".into()
    } else if r.resource {
        format!("the identity policies allow the call and the {} allows the caller", f.resource_label(resource_type))
    } else {
        String::new()
    }
}

fn same_account_denied_reason(s: &Sides, f: &Facts, no_session_policy: bool) -> String {
    if f.key_policy && !s.rp_allows && !s.has_resource_policy {
        "the KMS key has no key policy in the document, and a key without one grants nothing, even to its account's root user: \
         IAM policies that allow have no effect without permission from the key policy (AWS KMS Developer Guide, \"Key policies\")"
            .into()
    } else if f.key_policy && !s.rp_allows {
        "a KMS key's key policy must allow the caller, or allow the account so that its IAM policies take effect: \
         without permission from the key policy, IAM policies that allow have no effect (AWS KMS Developer Guide, \"Key policies\")"
            .into()
    } else if f.key_policy && !s.id_ok && s.rp_level == Some(MatchLevel::Account) {
        "the key policy allows the account, which lets its IAM policies take effect, and no identity policy allows the call".into()
    } else if f.is_trust && !s.rp_allows {
        "a role's trust policy must itself allow the caller, even within the same account".into()
    } else if !s.id_ok && s.rp_level == Some(MatchLevel::Account) {
        "the resource policy names only the account, which delegates to the caller's identity policies, and they do not allow".into()
    } else if !s.id_ok {
        "within one account either an identity policy or the resource policy must allow, and neither does".into()
    } else if !s.sp_ok && no_session_policy {
        "a federated-user session (GetFederationToken) without a session policy has no permissions".into()
    } else {
        String::new()
    }
}

/// The Allow statements that decided an allowed request.
fn decisive_allows(g: &Gates, r: &Requirement, f: &Facts) -> Vec<StatementRef> {
    let allow =
        |gate: &Option<Gate>, needed: bool| gate.as_ref().filter(|_| needed).and_then(|g| g.allow.and_then(|(p, s, _)| g.statement_ref(p, s)));
    let mut out: Vec<StatementRef> = [
        allow(&g.identity, r.identity && !f.root_in_own_account),
        allow(&g.resource, r.resource_used),
        allow(&g.boundary, r.boundary),
        allow(&g.session, r.session),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.extend(g.levels().filter_map(|g| g.allow.and_then(|(p, s, _)| g.statement_ref(p, s))));
    out
}

/// The caller-side gates that had no matching Allow.
fn identity_side_missing(id_ok: bool, pb_ok: bool, sp_ok: bool) -> impl Iterator<Item = PolicyType> {
    [(!id_ok).then_some(PolicyType::Identity), (!pb_ok).then_some(PolicyType::PermissionsBoundary), (!sp_ok).then_some(PolicyType::SessionPolicy)]
        .into_iter()
        .flatten()
}

fn describe_ref(r: &StatementRef) -> String {
    match &r.sid {
        Some(sid) => format!("statement {} (`{sid}`) of {} `{}`", r.statement + 1, r.policy_type.label(), r.policy),
        None => format!("statement {} of {} `{}`", r.statement + 1, r.policy_type.label(), r.policy),
    }
}

fn level_note(g: &Gate) -> String {
    let kind = if g.trace.policy_type == PolicyType::Scp { "SCP" } else { "RCP" };
    match g.trace.verdict {
        GateVerdict::Denied => ["a ", kind, " at this level denies"].concat(),
        GateVerdict::Allowed => ["the ", kind, "s at this level allow"].concat(),
        GateVerdict::NoMatchingAllow => ["no ", kind, " at this level allows: every level must allow"].concat(),
    }
}

fn gate_note(g: &Gate, cross_account: bool, allowed: bool) -> String {
    let label = g.trace.policy_type.label();
    let (before, after) = match g.trace.verdict {
        GateVerdict::Denied => ("a statement in the ", " explicitly denies"),
        GateVerdict::Allowed => ("the ", " allows"),
        GateVerdict::NoMatchingAllow if !g.has_policies => ("there is no ", ""),
        GateVerdict::NoMatchingAllow => ("no statement in the ", " allows"),
    };
    let tail = if g.trace.required || g.trace.verdict == GateVerdict::Denied {
        ""
    } else if cross_account {
        " (not needed for this request)"
    } else if allowed {
        " (not needed: within one account another policy was enough)"
    } else if g.trace.policy_type == PolicyType::Resource {
        " (not required: within one account, an Allow here that names the caller would have been enough on its own)"
    } else {
        " (not required for this request)"
    };
    [before, label, after, tail].concat()
}

/// Picks, among Allow statements of gates that did not allow, the one with
/// the fewest failing parts (ties: the first).
fn nearest_miss<'g>(gates: impl Iterator<Item = &'g Gate>, missing: &[PolicyType]) -> Option<NearMiss> {
    let mut best: Option<(usize, StatementRef, Vec<String>)> = None;
    for g in gates {
        if !missing.contains(&g.trace.policy_type) || g.allows() {
            continue;
        }
        for (pi, p) in g.trace.policies.iter().enumerate() {
            for (si, s) in p.statements.iter().enumerate() {
                if s.effect != Effect::Allow || s.matched {
                    continue;
                }
                let n = s.failed_parts();
                if best.as_ref().is_none_or(|(b, _, _)| n < *b) {
                    if let Some(r) = g.statement_ref(pi, si) {
                        best = Some((n, r, s.failures()));
                    }
                }
            }
        }
    }
    best.map(|(_, statement, failed)| NearMiss { statement, failed })
}

/// Keys whose fixed value pins an Allow to known callers (S3 "public"
/// rules, docs/evaluation.md §6).
const PINNING_KEYS: &[&str] = &[
    "aws:sourceip",
    "aws:principalorgid",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:userid",
    "aws:principalaccount",
    "aws:principalarn",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/// Whether a resource policy counts as public for Block Public Access: an
/// Allow open to `*` that no fixed, wildcard-free pinning condition narrows.
pub fn policy_is_public(policy: &Policy) -> bool {
    policy.statements.iter().any(|s| {
        s.effect == Effect::Allow
            && s.principal.as_ref().is_some_and(|p| p.negated || p.entries.iter().any(|e| e.value == "*"))
            && !s.conditions.iter().any(|c| {
                // A pin must hold only for the fixed values: negated
                // operators, IfExists (true when the key is absent) and
                // ForAllValues (true for an absent key) pin nothing.
                !c.operator.base.is_negated()
                    && !c.operator.if_exists
                    && c.operator.qualifier != Some(crate::policy::SetQualifier::ForAllValues)
                    && PINNING_KEYS.contains(&c.key.value.to_ascii_lowercase().as_str())
                    && c.values.iter().all(|v| !v.value.contains('*') && !v.value.contains('?'))
            })
    })
}
