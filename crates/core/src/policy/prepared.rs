//! What a condition's policy values are, read once when the policy is
//! loaded: the check that each value is of its operator's type, and the
//! values read ahead as that type for evaluation.

use std::sync::Arc;

use crate::policy::{Condition, OperatorBase, OperatorFamily, Spanned};
use crate::values::{arn_parts, base64_body, parse_bool, parse_date, parse_decimal, parse_network, Instant, Network};

/// Checks a policy value for an operator at load time (called by the policy
/// parser for values without policy variables). `Err` is a plain-words
/// message: lowercase, no final period, the value in backticks.
pub fn validate_policy_value(base: OperatorBase, value: &str) -> Result<(), String> {
    let name = base.name();
    if is_valid_policy_value(base, value) {
        return Ok(());
    }
    Err(match base.family() {
        OperatorFamily::Numeric => format!("`{value}` is not a number: `{name}` compares numbers"),
        OperatorFamily::Date => format!("`{value}` is not a date: `{name}` compares dates"),
        OperatorFamily::Bool => format!("`{value}` is not a boolean: `{name}` takes `true` or `false`"),
        OperatorFamily::Binary => format!("`{value}` is not base64: `{name}` compares base64-encoded bytes"),
        OperatorFamily::Ip => format!("`{value}` is not an IP address or range: `{name}` compares addresses"),
        OperatorFamily::Arn => format!("`{value}` is not an ARN: `{name}` needs six colon-separated parts"),
        OperatorFamily::Null => format!("`{value}` is not `true` (key absent) or `false` (key present)"),
        OperatorFamily::String => String::new(),
    })
}

/// Whether `value` is of the type the operator compares (a range for IP
/// operators, `true`/`false` for Null).
pub(crate) fn is_valid_policy_value(base: OperatorBase, value: &str) -> bool {
    match base.family() {
        OperatorFamily::String => true,
        OperatorFamily::Numeric => parse_decimal(value).is_some(),
        OperatorFamily::Date => parse_date(value).is_some(),
        OperatorFamily::Bool | OperatorFamily::Null => parse_bool(value).is_some(),
        OperatorFamily::Binary => base64_body(value).is_some(),
        OperatorFamily::Ip => parse_network(value).is_some(),
        OperatorFamily::Arn => arn_parts(value).is_some(),
    }
}

/// What a condition's values are, worked out once when the condition is
/// built ([`Condition::new`]) rather than for every request. Evaluation
/// checks that it still belongs to the condition's values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    base: OperatorBase,
    /// The values as traces show them, shared rather than copied.
    pub(crate) values: Arc<[Arc<str>]>,
    /// Whether any value holds `${`.
    pub(crate) variables: bool,
    /// Each value read as the operator's type, where that is worth keeping.
    pub(crate) typed: Box<[Typed]>,
}

/// A policy value read ahead as the operator's type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Typed {
    /// Not read ahead (or not of the type): read when compared.
    Text,
    Date(Instant),
    Bool(bool),
    Ip(Network),
}

impl Prepared {
    pub(crate) fn new(base: OperatorBase, values: &[Spanned<Arc<str>>]) -> Self {
        let read = |v: &str| match base.family() {
            OperatorFamily::Date => parse_date(v).map_or(Typed::Text, Typed::Date),
            OperatorFamily::Bool => parse_bool(v).map_or(Typed::Text, Typed::Bool),
            OperatorFamily::Ip => parse_network(v).map_or(Typed::Text, Typed::Ip),
            _ => Typed::Text,
        };
        Prepared {
            base,
            values: values.iter().map(|v| v.value.clone()).collect(),
            variables: values.iter().any(|v| crate::variables::has_variables(&v.value)),
            typed: values.iter().map(|v| read(&v.value)).collect(),
        }
    }

    /// Whether this was prepared from `cond`'s operator and values.
    pub(crate) fn fits(&self, cond: &Condition) -> bool {
        self.base == cond.operator.base
            && self.values.len() == cond.values.len()
            && self.typed.len() == cond.values.len()
            && self.values.iter().zip(&cond.values).all(|(a, b)| Arc::ptr_eq(a, &b.value))
    }
}
