//! The explanation of a decision, as plain serde data, and the sentences
//! that put it in words. The CLI and the web app only render it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::context::{ContextValue, RequestContext};
use crate::policy::prepared::is_valid_policy_value;
use crate::policy::{Effect, Operator, OperatorBase, OperatorFamily, PolicyType, SetQualifier};
use crate::span::Span;
use crate::values::parse_bool;

/// The outcome of one request (names as in AWS's policy simulator).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// How a Principal element matched the caller: decided by the matcher.
pub use crate::matching::MatchLevel;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTrace {
    /// `StageAdmin/AllowAssume`, `StageRole/trustPolicy`, …
    pub name: String,
    pub statements: Vec<StatementTrace>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<Arc<str>>,
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
                out.push(format!("{}: {}", p.element, p.reason()));
            }
        }
        if !self.action.matched {
            out.push(format!("{}: {}", self.action.element, self.action.reason()));
        }
        if let Some(r) = &self.resource {
            if !r.matched {
                out.push(format!("{}: {}", r.element, r.reason()));
            }
        }
        for c in &self.conditions {
            if !c.matched {
                out.push(format!("condition {} {}: {}", c.operator, c.key, c.reason()));
            }
        }
        out
    }
}

/// Action/NotAction or Resource/NotResource. The `reason` sentence is
/// derived from these facts when it is shown, so that evaluating a request
/// allocates as little as possible. The result document carries the facts
/// but the request's value, which is the step's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementTrace {
    /// `Action`, `NotAction`, `Resource` or `NotResource`.
    pub element: &'static str,
    pub matched: bool,
    /// The request's action or resource (shared by every statement).
    pub request_value: Arc<str>,
    /// The policy value that matched (for Not… the one that excluded).
    pub policy_value: Option<Arc<str>>,
    /// Span of that policy value, or of the whole element.
    pub span: Span,
    /// Resource entries whose variable was not in the request, so they
    /// matched nothing (docs/evaluation.md §3.7).
    pub missing_variables: Vec<Arc<str>>,
}

impl ElementTrace {
    fn is_action(&self) -> bool {
        self.element.ends_with("Action")
    }

    /// Why it matched or not, in plain words.
    pub fn reason(&self) -> String {
        ElementReason(self).to_string()
    }
}

/// [`ElementTrace::reason`], written straight into a formatter.
struct ElementReason<'t>(&'t ElementTrace);

impl fmt::Display for ElementReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let request = &t.request_value;
        let what = if t.is_action() { "action" } else { "resource" };
        let negated = t.element.starts_with("Not");
        match (negated, &t.policy_value) {
            (false, Some(v)) => return write!(f, "`{v}` matches `{request}`"),
            (true, Some(v)) => return write!(f, "`{request}` is excluded by `{v}`"),
            (false, None) => write!(f, "no listed {what} matches `{request}`")?,
            (true, None) => write!(f, "`{request}` is not among the excluded {what}s")?,
        }
        if let Some((first, rest)) = t.missing_variables.split_first() {
            write!(f, " (the variable ${{{first}}}")?;
            for k in rest {
                write!(f, ", ${{{k}}}")?;
            }
            f.write_str(" is not in the request, so its entry matches nothing)")?;
        }
        Ok(())
    }
}

impl Serialize for ElementTrace {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ElementTrace", 6)?;
        st.serialize_field("element", self.element)?;
        st.serialize_field("matched", &self.matched)?;
        if let Some(v) = &self.policy_value {
            st.serialize_field("policyValue", v)?;
        }
        st.serialize_field("span", &self.span)?;
        if !self.missing_variables.is_empty() {
            st.serialize_field("missingVariables", &self.missing_variables)?;
        }
        st.end()
    }
}

/// Why a Principal or NotPrincipal element did or did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PrincipalOutcome {
    /// A listed principal matches the caller (at `level`).
    Listed,
    /// No listed principal matches.
    NotListed,
    /// NotPrincipal: the caller is exempted by the list.
    Exempted,
    /// NotPrincipal: the caller is not in the list, so the statement applies.
    NotExempted,
    /// Deny + NotPrincipal always applies to a principal with a boundary.
    BoundaryNeverExempt,
    /// Deny + NotPrincipal: listed, but not at every level.
    NotEveryLevel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalTrace {
    /// `Principal` or `NotPrincipal`.
    pub element: &'static str,
    pub matched: bool,
    /// How the caller matched the listed principal.
    pub level: Option<MatchLevel>,
    /// The caller's ARN as seen by the policy.
    pub request_value: Arc<str>,
    pub policy_value: Option<String>,
    pub span: Span,
    pub outcome: PrincipalOutcome,
}

impl PrincipalTrace {
    /// Why it matched or not, in plain words.
    pub fn reason(&self) -> String {
        PrincipalReason(self).to_string()
    }
}

/// [`PrincipalTrace::reason`], written straight into a formatter.
struct PrincipalReason<'t>(&'t PrincipalTrace);

impl fmt::Display for PrincipalReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let request = &t.request_value;
        let value = t.policy_value.as_deref().unwrap_or_default();
        match t.outcome {
            PrincipalOutcome::Listed => match t.level {
                Some(MatchLevel::Direct) if value == "*" => f.write_str("`*` matches every caller"),
                Some(MatchLevel::Role) => write!(f, "`{value}` is the role of this session"),
                Some(MatchLevel::Account) => write!(
                    f,
                    "`{value}` means the whole account: it delegates to that account's own policies"
                ),
                _ => write!(f, "`{value}` names the caller directly"),
            },
            PrincipalOutcome::NotListed => write!(f, "no listed principal matches `{request}`"),
            PrincipalOutcome::Exempted => write!(f, "`{request}` is exempted by the NotPrincipal list"),
            PrincipalOutcome::NotExempted => {
                write!(f, "`{request}` is not in the NotPrincipal list, so the statement applies to it")
            }
            PrincipalOutcome::BoundaryNeverExempt => {
                f.write_str("a Deny with NotPrincipal always applies to a principal that has a permissions boundary")
            }
            PrincipalOutcome::NotEveryLevel => f.write_str("the caller is listed, but not at every level: a Deny with NotPrincipal exempts a caller only when its own ARN and every parent (role, account) are listed"),
        }
    }
}

impl Serialize for PrincipalTrace {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PrincipalTrace", 8)?;
        st.serialize_field("element", self.element)?;
        st.serialize_field("matched", &self.matched)?;
        if let Some(l) = &self.level {
            st.serialize_field("level", l)?;
        }
        if let Some(v) = &self.policy_value {
            st.serialize_field("policyValue", v)?;
        }
        st.serialize_field("span", &self.span)?;
        st.serialize_field("outcome", &self.outcome)?;
        st.end()
    }
}

/// One condition's test against the request. The `reason` sentence is
/// written from these facts when it is read or serialized
/// ([`ConditionTrace::reason`]), so evaluating allocates little.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionTrace {
    /// Serializes as the canonical name: `ForAnyValue:StringLikeIfExists`.
    pub operator: Operator,
    pub key: Arc<str>,
    /// The request's value(s) for the key (a string, or a list for a
    /// multivalued key); `None` when the key is missing.
    pub request_values: Option<ContextValue>,
    /// The policy's values after variable substitution (a value whose
    /// variable could not be resolved is shown as written).
    pub policy_values: Arc<[Arc<str>]>,
    /// Policy values (by index) whose variable's key is missing, with that key.
    pub unresolved: Vec<(usize, Arc<str>)>,
    pub matched: bool,
    /// What decided it.
    pub why: ConditionWhy,
    pub span: Span,
}

impl ConditionTrace {
    /// Why it matched or not, in plain words.
    pub fn reason(&self) -> String {
        reason(self)
    }
}

impl Serialize for ConditionTrace {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("ConditionTrace", 7)?;
        st.serialize_field("operator", &self.operator)?;
        st.serialize_field("key", &self.key)?;
        st.serialize_field("requestValues", &self.request_values)?;
        st.serialize_field("policyValues", &self.policy_values)?;
        st.serialize_field("matched", &self.matched)?;
        st.serialize_field("reason", &self.reason())?;
        st.serialize_field("span", &self.span)?;
        st.end()
    }
}

/// How one request value fared against the policy values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueResult {
    /// The policy value at this index matched (for negated operators: the
    /// one that made the NOR false).
    Matched(usize),
    NoneMatched,
    /// The request value is not of the operator's type.
    Unreadable,
}

/// Whether the key of a `Null` test was there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullState {
    Missing,
    /// A multivalued key with no values, which counts as missing.
    EmptyList,
    Present,
}

/// What decided a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionWhy {
    /// The key is missing and the operator has IfExists.
    MissingIfExists,
    /// The key is missing: positive operators are false, negated ones true.
    Missing,
    /// A plain operator met a multivalued key: false.
    MultiValued,
    /// Request value `value` (an index into the request values) decided,
    /// with `result`; `full_name`: the conclusion names the whole operator
    /// (with its set qualifier).
    Value { value: usize, result: ValueResult, full_name: bool },
    /// Set qualifier, key missing.
    SetAbsent,
    /// Set qualifier, no values.
    SetEmpty,
    /// ForAllValues: every one of `count` values satisfied the operator.
    SetAll { count: usize },
    /// ForAnyValue: none of `count` values did.
    SetNone { count: usize },
    /// `Null`, with the policy value shown in the reason.
    Null { state: NullState, shown: Option<usize> },
}

/// A statement named in `decisive` (scenario-format.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub policy_type: PolicyType,
    pub policy: String,
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    pub span: Span,
}

/// The Allow statement that came closest to allowing a denied request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    pub statement: StatementRef,
    /// What kept it from matching, in plain words.
    pub failed: Vec<String>,
}

/// A whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The rule that decided whether the request is allowed, for the
    /// explanations of what would make a denied request pass (not part of
    /// the result document: its `summary` says it in words).
    #[serde(skip)]
    pub rule: AllowRule,
}

/// Which rule decided whether a request is allowed (docs/evaluation.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AllowRule {
    /// An explicit Deny decided: no allow rule was judged.
    #[default]
    ExplicitDeny,
    /// A level of the resource's account's RCPs had no matching Allow.
    RcpLevel,
    /// A level of the caller's account's SCPs had no matching Allow.
    ScpLevel,
    /// The root user called AssumeRole.
    RootAssumesRole,
    /// A public bucket policy with Block Public Access on.
    PublicAccessBlocked,
    /// Anonymous and service callers: only the resource policy can grant.
    ResourceOnly,
    /// Across accounts: the caller's side and the resource policy must
    /// both allow.
    CrossAccount,
    /// Within one account, with a policy on the resource that must allow
    /// itself (a role's trust policy, a KMS key policy), and the caller's
    /// side.
    SameAccountBoth,
    /// Within one account: the caller's identity side, or a resource
    /// policy that names the caller.
    SameAccountEither,
}

// ------------------------------------------------------- the sentences
//
// The explanation layer writes the words of a condition's trace here, from
// the compact facts the condition tests recorded.

/// The sentence that explains a condition's outcome, written from its
/// trace: "`203.0.113.7` is in `203.0.113.0/24`, so IpAddress is true".
pub fn reason(t: &ConditionTrace) -> String {
    let base = t.operator.base;
    let requests = t.request_values.as_ref().map_or(&[][..], ContextValue::as_slice);
    let mut out = String::with_capacity(96);
    match t.why {
        ConditionWhy::MissingIfExists => out.push_str("key missing: true because of IfExists"),
        ConditionWhy::Missing => {
            push_all(&mut out, &["key missing: ", base.name(), " is ", bool_word(t.matched), " when the key is absent"]);
        }
        ConditionWhy::MultiValued => {
            let what = if requests.len() > 1 { " has several values" } else { " is a multivalued key" };
            push_all(&mut out, &[&t.key, what, ": use ForAnyValue or ForAllValues (a plain operator is false on a multivalued key)"]);
        }
        ConditionWhy::Value { value, result, full_name } => {
            let r = requests.get(value).map_or("", |s| &**s);
            write_fact(&mut out, t, r, result);
            out.push_str(", so ");
            if full_name {
                out.push_str(&t.operator.to_string());
            } else {
                out.push_str(base.name());
            }
            push_all(&mut out, &[" is ", bool_word(t.matched)]);
        }
        ConditionWhy::SetAbsent | ConditionWhy::SetEmpty => {
            let q = if t.operator.qualifier == Some(SetQualifier::ForAllValues) { "ForAllValues" } else { "ForAnyValue" };
            let when = if t.why == ConditionWhy::SetAbsent { " when the key is absent" } else { " when the key has no values" };
            push_all(&mut out, &[q, " is ", bool_word(t.matched), when]);
        }
        ConditionWhy::SetAll { count } => {
            let op = t.operator.to_string();
            push_all(&mut out, &["all ", &count.to_string(), " request values satisfy ", base.name(), ", so ", &op, " is true"]);
        }
        ConditionWhy::SetNone { count } => {
            let op = t.operator.to_string();
            push_all(&mut out, &["none of the ", &count.to_string(), " request values satisfies ", base.name(), ", so ", &op, " is false"]);
        }
        ConditionWhy::Null { state, shown } => {
            let state_words = match state {
                NullState::Missing => "key missing",
                NullState::EmptyList => "key has no values, which counts as missing",
                NullState::Present => "key present",
            };
            let when = if state == NullState::Present { "present" } else { "absent" };
            match shown.and_then(|i| t.policy_values.get(i)) {
                Some(p) if parse_bool(p).is_some() => {
                    push_all(&mut out, &[state_words, ": Null `", p, "` is ", bool_word(t.matched), " when the key is ", when])
                }
                Some(p) => push_all(&mut out, &[state_words, ": Null `", p, "` is not `true` or `false`, so it is false"]),
                None => push_all(&mut out, &[state_words, ": the condition lists no values"]),
            }
        }
    }
    out
}

/// The fact behind one request value's outcome, without the conclusion:
/// "`o-2` matched none of the values".
fn write_fact(out: &mut String, t: &ConditionTrace, r: &str, result: ValueResult) {
    let base = t.operator.base;
    let (yes, no, suffix) = verbs(base);
    let missing_of = |i: usize| t.unresolved.iter().find(|(j, _)| *j == i).map(|(_, k)| &**k);
    match result {
        ValueResult::Matched(i) => {
            let p = t.policy_values.get(i).map_or("", |s| &**s);
            push_all(out, &["`", r, "` ", yes, " `", p, "`", suffix]);
        }
        ValueResult::Unreadable => push_all(out, &["request value `", r, "` is not ", type_words(base)]),
        ValueResult::NoneMatched => match &*t.policy_values {
            [] => out.push_str("the condition lists no values"),
            [p] => match missing_of(0) {
                Some(missing) => push_all(out, &["the policy value `", p, "` has no value because ", missing, " is missing"]),
                None if is_valid_policy_value(base, p) => push_all(out, &["`", r, "` ", no, " `", p, "`", suffix]),
                None => push_all(out, &["the policy value `", p, "` is not ", type_words(base)]),
            },
            many => {
                push_all(out, &["`", r, "` matched none of the values"]);
                for (i, p) in many.iter().enumerate() {
                    if let Some(missing) = missing_of(i) {
                        push_all(out, &[" (`", p, "` has no value because ", missing, " is missing)"]);
                    }
                }
            }
        },
    }
}

fn bool_word(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
}

/// What a type is called in "request value `x` is not …".
fn type_words(base: OperatorBase) -> &'static str {
    match base.family() {
        OperatorFamily::Numeric => "a number",
        OperatorFamily::Date => "a date",
        OperatorFamily::Bool => "`true` or `false`",
        OperatorFamily::Binary => "base64",
        OperatorFamily::Ip => "an IP address",
        OperatorFamily::Arn => "an ARN",
        OperatorFamily::String | OperatorFamily::Null => "text",
    }
}

/// How a comparison reads: (holds, does not hold, suffix), as in
/// "`r` is in `p`" / "`r` is not in `p`".
fn verbs(base: OperatorBase) -> (&'static str, &'static str, &'static str) {
    use OperatorBase::*;
    match base {
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => ("equals", "does not equal", " (ignoring case)"),
        StringLike | StringNotLike | ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => ("matches", "does not match", ""),
        NumericLessThan => ("is less than", "is not less than", ""),
        NumericLessThanEquals => ("is less than or equal to", "is greater than", ""),
        NumericGreaterThan => ("is greater than", "is not greater than", ""),
        NumericGreaterThanEquals => ("is greater than or equal to", "is less than", ""),
        DateEquals | DateNotEquals => ("is the same instant as", "is not the same instant as", ""),
        DateLessThan => ("is before", "is not before", ""),
        DateLessThanEquals => ("is at or before", "is after", ""),
        DateGreaterThan => ("is after", "is not after", ""),
        DateGreaterThanEquals => ("is at or after", "is before", ""),
        IpAddress | NotIpAddress => ("is in", "is not in", ""),
        _ => ("equals", "does not equal", ""),
    }
}

/// Whether two traces are written alike in the result document: all they
/// serialize is equal (a request's own value, which only the sentences
/// use, may differ). A writer that meets the same gate again, as a run
/// does step after step, may so write the bytes it wrote before.
pub trait SameJson {
    fn same_json(&self, other: &Self) -> bool;
}

impl SameJson for GateTrace {
    fn same_json(&self, o: &Self) -> bool {
        self.policy_type == o.policy_type
            && self.verdict == o.verdict
            && self.required == o.required
            && self.level == o.level
            && self.note == o.note
            && self.policies.len() == o.policies.len()
            && self.policies.iter().zip(&o.policies).all(|(a, b)| a.same_json(b))
    }
}

impl SameJson for PolicyTrace {
    fn same_json(&self, o: &Self) -> bool {
        self.name == o.name && self.statements.len() == o.statements.len() && self.statements.iter().zip(&o.statements).all(|(a, b)| a.same_json(b))
    }
}

impl SameJson for StatementTrace {
    fn same_json(&self, o: &Self) -> bool {
        self.index == o.index
            && self.matched == o.matched
            && self.effect == o.effect
            && self.span == o.span
            && self.sid == o.sid
            && self.principal.same_json(&o.principal)
            && self.action.same_json(&o.action)
            && self.resource.same_json(&o.resource)
            && self.conditions == o.conditions
    }
}

/// A context is written as its keys and values, in order: what `==`
/// compares.
impl SameJson for RequestContext {
    fn same_json(&self, o: &Self) -> bool {
        self == o
    }
}

impl<T: SameJson> SameJson for Option<T> {
    fn same_json(&self, o: &Self) -> bool {
        match (self, o) {
            (Some(a), Some(b)) => a.same_json(b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }
}

impl SameJson for ElementTrace {
    fn same_json(&self, o: &Self) -> bool {
        self.element == o.element
            && self.matched == o.matched
            && self.span == o.span
            && self.policy_value == o.policy_value
            && self.missing_variables == o.missing_variables
    }
}

impl SameJson for PrincipalTrace {
    fn same_json(&self, o: &Self) -> bool {
        self.element == o.element
            && self.matched == o.matched
            && self.outcome == o.outcome
            && self.level == o.level
            && self.span == o.span
            && self.policy_value == o.policy_value
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span { start: 1, end: 2, line: 1, column: 2 }
    }

    /// `reason()` writes the sentence of each element from its facts; the
    /// result document carries the facts (the request's value is the
    /// step's), not the sentence, so that a statement's trace reads the
    /// same for every request it answers the same way.
    #[test]
    fn sentences_are_made_from_the_facts_the_result_document_carries() {
        let element = |element, policy_value: Option<&str>, missing: &[&str]| ElementTrace {
            element,
            matched: policy_value.is_some(),
            request_value: Arc::from("arn:aws:s3:::bkt/a\"b"),
            policy_value: policy_value.map(Arc::from),
            span: span(),
            missing_variables: missing.iter().map(|k| Arc::from(*k)).collect(),
        };
        let cases = [
            (element("Resource", Some("arn:aws:s3:::bkt/*"), &[]), "`arn:aws:s3:::bkt/*` matches `arn:aws:s3:::bkt/a\"b`"),
            (element("NotResource", Some("arn:aws:s3:::bkt/*"), &[]), "`arn:aws:s3:::bkt/a\"b` is excluded by `arn:aws:s3:::bkt/*`"),
            (
                element("Resource", None, &["aws:username", "aws:userid"]),
                "no listed resource matches `arn:aws:s3:::bkt/a\"b` (the variable ${aws:username}, ${aws:userid} is not in the request, so its entry matches nothing)",
            ),
            (element("NotAction", None, &[]), "`arn:aws:s3:::bkt/a\"b` is not among the excluded actions"),
        ];
        for (trace, sentence) in cases {
            assert_eq!(trace.reason(), sentence);
            let v = serde_json::to_value(&trace).unwrap();
            assert_eq!(v["element"], trace.element);
            assert_eq!(v["matched"], trace.matched);
            assert_eq!(v["policyValue"].as_str(), trace.policy_value.as_deref());
            assert_eq!(v["span"]["column"], 2);
            let missing: Vec<&str> = v["missingVariables"].as_array().into_iter().flatten().map(|k| k.as_str().unwrap()).collect();
            assert_eq!(missing, trace.missing_variables.iter().map(|k| &**k).collect::<Vec<_>>());
            assert!(v.get("reason").is_none() && v.get("requestValue").is_none(), "{v}");
        }
        let principal = PrincipalTrace {
            element: "Principal",
            matched: true,
            level: Some(MatchLevel::Account),
            request_value: Arc::from("arn:aws:iam::111111111111:user/U"),
            policy_value: Some("111111111111".into()),
            span: span(),
            outcome: PrincipalOutcome::Listed,
        };
        let sentence = "`111111111111` means the whole account: it delegates to that account's own policies";
        assert_eq!(principal.reason(), sentence);
        assert_eq!(
            serde_json::to_string(&principal).unwrap(),
            r#"{"element":"Principal","matched":true,"level":"account","policyValue":"111111111111","span":{"start":1,"end":2,"line":1,"column":2},"outcome":"listed"}"#
        );
    }
}
