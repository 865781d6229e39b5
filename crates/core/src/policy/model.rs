//! The validated, typed form of an IAM policy. Every element keeps the span
//! of its text so that messages and traces can point back at it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::span::Span;

/// The kinds of policy a request can meet; each is validated with its own
/// rules (docs/evaluation.md §1.4) and forms one gate of the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum PolicyType {
    Identity,
    Resource,
    Trust,
    PermissionsBoundary,
    SessionPolicy,
    Scp,
    Rcp,
}

impl PolicyType {
    pub const ALL: [PolicyType; 7] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::Trust,
        PolicyType::PermissionsBoundary,
        PolicyType::SessionPolicy,
        PolicyType::Scp,
        PolicyType::Rcp,
    ];

    /// The name used in documents (`permissionsBoundary`).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::PermissionsBoundary => "permissionsBoundary",
            PolicyType::SessionPolicy => "sessionPolicy",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
        }
    }

    /// A label for people: `permissions boundary`.
    pub fn label(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity policy",
            PolicyType::Resource => "resource policy",
            PolicyType::Trust => "trust policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::SessionPolicy => "session policy",
            PolicyType::Scp => "service control policy",
            PolicyType::Rcp => "resource control policy",
        }
    }

    /// The label with its article: "an identity policy", "a trust policy".
    pub fn label_with_article(self) -> &'static str {
        match self {
            PolicyType::Identity => "an identity policy",
            PolicyType::Resource => "a resource policy",
            PolicyType::Trust => "a trust policy",
            PolicyType::PermissionsBoundary => "a permissions boundary",
            PolicyType::SessionPolicy => "a session policy",
            PolicyType::Scp => "a service control policy",
            PolicyType::Rcp => "a resource control policy",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Version {
    /// `2012-10-17`: policy variables are substituted.
    #[serde(rename = "2012-10-17")]
    V2012,
    /// `2008-10-17` or no Version: `${…}` is literal text.
    #[serde(rename = "2008-10-17")]
    V2008,
}

impl Version {
    pub fn variables_enabled(self) -> bool {
        self == Version::V2012
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// A string with the span of its JSON literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub policy_type: PolicyType,
    pub version: Version,
    /// True when the document had no Version element at all.
    pub version_missing: bool,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    /// True when `Statement` was a list (paths are then `Statement[0]`),
    /// false for a lone statement object (`Statement`).
    pub statements_in_list: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// 0-based position in the `Statement` array (0 for a lone object).
    pub index: usize,
    pub sid: Option<Arc<str>>,
    pub effect: Effect,
    pub principal: Option<PrincipalElement>,
    pub action: ListElement,
    pub resource: Option<ListElement>,
    pub conditions: Vec<Condition>,
    pub span: Span,
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListElement {
    pub negated: bool,
    pub values: Vec<Spanned<Arc<str>>>,
    pub span: Span,
}

impl ListElement {
    pub fn name(&self, positive: &'static str, negative: &'static str) -> &'static str {
        if self.negated {
            negative
        } else {
            positive
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrincipalKind {
    /// `"*"` written alone, or `{"AWS": …}`.
    #[serde(rename = "AWS")]
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "AWS" => Some(Self::Aws),
            "Service" => Some(Self::Service),
            "Federated" => Some(Self::Federated),
            "CanonicalUser" => Some(Self::CanonicalUser),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Service => "Service",
            Self::Federated => "Federated",
            Self::CanonicalUser => "CanonicalUser",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    pub value: String,
    pub span: Span,
}

/// `Principal`/`NotPrincipal`. `"Principal": "*"` is stored as one `AWS`
/// entry whose value is `*`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    pub negated: bool,
    pub entries: Vec<PrincipalEntry>,
    pub span: Span,
}

/// The base comparison of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OperatorBase {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// Operator families (docs/evaluation.md §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl OperatorBase {
    pub const ALL: [OperatorBase; 27] = [
        Self::StringEquals,
        Self::StringNotEquals,
        Self::StringEqualsIgnoreCase,
        Self::StringNotEqualsIgnoreCase,
        Self::StringLike,
        Self::StringNotLike,
        Self::NumericEquals,
        Self::NumericNotEquals,
        Self::NumericLessThan,
        Self::NumericLessThanEquals,
        Self::NumericGreaterThan,
        Self::NumericGreaterThanEquals,
        Self::DateEquals,
        Self::DateNotEquals,
        Self::DateLessThan,
        Self::DateLessThanEquals,
        Self::DateGreaterThan,
        Self::DateGreaterThanEquals,
        Self::Bool,
        Self::BinaryEquals,
        Self::IpAddress,
        Self::NotIpAddress,
        Self::ArnEquals,
        Self::ArnLike,
        Self::ArnNotEquals,
        Self::ArnNotLike,
        Self::Null,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::StringEquals => "StringEquals",
            Self::StringNotEquals => "StringNotEquals",
            Self::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            Self::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            Self::StringLike => "StringLike",
            Self::StringNotLike => "StringNotLike",
            Self::NumericEquals => "NumericEquals",
            Self::NumericNotEquals => "NumericNotEquals",
            Self::NumericLessThan => "NumericLessThan",
            Self::NumericLessThanEquals => "NumericLessThanEquals",
            Self::NumericGreaterThan => "NumericGreaterThan",
            Self::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            Self::DateEquals => "DateEquals",
            Self::DateNotEquals => "DateNotEquals",
            Self::DateLessThan => "DateLessThan",
            Self::DateLessThanEquals => "DateLessThanEquals",
            Self::DateGreaterThan => "DateGreaterThan",
            Self::DateGreaterThanEquals => "DateGreaterThanEquals",
            Self::Bool => "Bool",
            Self::BinaryEquals => "BinaryEquals",
            Self::IpAddress => "IpAddress",
            Self::NotIpAddress => "NotIpAddress",
            Self::ArnEquals => "ArnEquals",
            Self::ArnLike => "ArnLike",
            Self::ArnNotEquals => "ArnNotEquals",
            Self::ArnNotLike => "ArnNotLike",
            Self::Null => "Null",
        }
    }

    /// Resolved without regard to case (docs/evaluation.md §3.6 IMPL).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.name().eq_ignore_ascii_case(s))
    }

    pub fn family(self) -> OperatorFamily {
        use OperatorBase::*;
        match self {
            StringEquals | StringNotEquals | StringEqualsIgnoreCase | StringNotEqualsIgnoreCase | StringLike | StringNotLike => {
                OperatorFamily::String
            }
            NumericEquals | NumericNotEquals | NumericLessThan | NumericLessThanEquals | NumericGreaterThan | NumericGreaterThanEquals => {
                OperatorFamily::Numeric
            }
            DateEquals | DateNotEquals | DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => OperatorFamily::Date,
            Bool => OperatorFamily::Bool,
            BinaryEquals => OperatorFamily::Binary,
            IpAddress | NotIpAddress => OperatorFamily::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => OperatorFamily::Arn,
            Null => OperatorFamily::Null,
        }
    }

    /// Negated operators combine policy values with NOR and are true when
    /// the key is absent.
    pub fn is_negated(self) -> bool {
        use OperatorBase::*;
        matches!(
            self,
            StringNotEquals | StringNotEqualsIgnoreCase | StringNotLike | NumericNotEquals | DateNotEquals | NotIpAddress | ArnNotEquals | ArnNotLike
        )
    }

    /// Whether policy variables are substituted in this operator's values.
    pub fn allows_variables(self) -> bool {
        matches!(self.family(), OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// A full condition operator: `ForAnyValue:StringLikeIfExists`. It
/// serializes as that name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub qualifier: Option<SetQualifier>,
    pub base: OperatorBase,
    pub if_exists: bool,
}

impl Serialize for Operator {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

impl Operator {
    /// The canonical spelling.
    pub fn name(&self) -> String {
        let mut s = String::new();
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => s.push_str("ForAllValues:"),
            Some(SetQualifier::ForAnyValue) => s.push_str("ForAnyValue:"),
            None => {}
        }
        s.push_str(self.base.name());
        if self.if_exists {
            s.push_str("IfExists");
        }
        s
    }
}

/// One key test: `"StringEquals": {"aws:PrincipalOrgID": ["o-1", "o-2"]}`
/// gives one `Condition` per key.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// Span of the operator name.
    pub operator_span: Span,
    pub key: Spanned<Arc<str>>,
    /// Values normalised to strings (`true` → `"true"`, numbers as written).
    pub values: Vec<Spanned<Arc<str>>>,
    /// From the key to the end of its value.
    pub span: Span,
    /// Facts about the values worked out once, so that evaluating does not
    /// redo it for every request.
    pub(crate) prepared: crate::policy::prepared::Prepared,
}

impl Condition {
    pub fn new(operator: Operator, operator_span: Span, key: Spanned<Arc<str>>, values: Vec<Spanned<Arc<str>>>, span: Span) -> Self {
        let prepared = crate::policy::prepared::Prepared::new(operator.base, &values);
        Condition { operator, operator_span, key, values, span, prepared }
    }
}
