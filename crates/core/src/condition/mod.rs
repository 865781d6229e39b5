//! Condition operators (docs/evaluation.md §3): one condition is one operator,
//! one key and its policy values, tested against the request context.
//!
//! The outcome of one request value against the policy values is a
//! `ValueOutcome`; the operator then decides:
//! - positive operators are an OR over the policy values;
//! - negated operators (`…Not…`) are a NOR: true only if no policy value
//!   matches. A request value that cannot be read (not a number, date, …)
//!   is false for both kinds: it is never inverted;
//! - a policy value whose variable cannot be resolved matches nothing, for
//!   both kinds (so a NOR over it is true);
//! - a plain operator on a multivalued key is false, negated ones included
//!   (docs/evaluation.md §3.5, §9.4); set qualifiers treat a single value as a
//!   set of one.
//!
//! Policy variables are substituted in String, Arn and Bool values (Bool is
//! disputed, §9.3; we follow the Condition-operators page and iam-simulate).

use std::net::IpAddr;

use std::sync::Arc;

use crate::context::{ContextValue, RequestContext};
use crate::policy::{Condition, OperatorBase, OperatorFamily, SetQualifier};
use crate::trace::{ConditionTrace, ConditionWhy, NullState, ValueResult};
use crate::variables::{parse_template, Segment};
use crate::wildcard::Pattern;

use crate::policy::prepared::{Prepared, Typed};
use crate::values::{arn_parts, base64_body, parse_bool, parse_date, parse_decimal, parse_ip, parse_network, Decimal, Instant};

/// Evaluates one condition (one operator + one key + its values) against the
/// request context. `variables` is true when the policy's Version is
/// 2012-10-17: `${…}` in String, Arn and Bool values is then substituted;
/// otherwise it is literal text.
///
/// The trace records *why* compactly ([`ConditionWhy`]); the sentence is
/// written by [`crate::trace`] only when someone reads it.
pub fn evaluate(cond: &Condition, ctx: &RequestContext, variables: bool) -> ConditionTrace {
    let base = cond.operator.base;
    let fresh;
    let prepared = if cond.prepared.fits(cond) {
        &cond.prepared
    } else {
        fresh = Prepared::new(base, &cond.values);
        &fresh
    };
    // Values are resolved one by one only when one of them holds a variable.
    let resolved: Option<Vec<PolicyValue<'_>>> = (variables && base.allows_variables() && prepared.variables)
        .then(|| cond.values.iter().map(|v| PolicyValue::resolve(&v.value, ctx, true)).collect());
    let value = ctx.get(&cond.key.value);
    let test = Test { cond, base, prepared, resolved: resolved.as_deref() };

    let (matched, why) = if base == OperatorBase::Null {
        // Null only tests presence; a set qualifier or IfExists on it changes
        // nothing.
        test.null(value)
    } else if cond.operator.qualifier.is_some() {
        // With a set qualifier, IfExists is ignored (as iam-simulate does,
        // docs/evaluation.md §3.3 and §9.5): an absent key is already covered by
        // the qualifier's own rule.
        test.set(value)
    } else {
        test.plain(value)
    };

    let mut unresolved = Vec::new();
    let policy_values = match resolved {
        // Values taken as written are shared with the policy, not copied.
        None => prepared.values.clone(),
        Some(resolved) => resolved
            .into_iter()
            .zip(&cond.values)
            .enumerate()
            .map(|(i, (p, written))| match p {
                PolicyValue::Plain(_) => written.value.clone(),
                PolicyValue::Unresolved { missing, .. } => {
                    unresolved.push((i, Arc::from(missing)));
                    written.value.clone()
                }
                PolicyValue::Substituted { text, .. } => Arc::from(text),
            })
            .collect(),
    };
    ConditionTrace {
        operator: cond.operator,
        key: cond.key.value.clone(),
        request_values: value.cloned(),
        policy_values,
        unresolved,
        matched,
        why,
        span: cond.span,
    }
}

// ------------------------------------------------------------ policy values

/// A policy value after variable substitution.
enum PolicyValue<'a> {
    /// Taken as written: `*` and `?` are wildcards for Like operators.
    Plain(&'a str),
    /// Variables were substituted. `pieces` cover `text` in order; a piece
    /// that came from the policy text keeps its wildcards, a substituted or
    /// escaped piece (`${*}`) is literal.
    Substituted { text: String, pieces: Vec<Piece> },
    /// A variable's key is absent (or multivalued) and has no default: the
    /// value matches nothing.
    Unresolved { original: &'a str, missing: String },
}

struct Piece {
    start: usize,
    end: usize,
    literal: bool,
}

impl<'a> PolicyValue<'a> {
    fn resolve(raw: &'a str, ctx: &RequestContext, substitute: bool) -> Self {
        if !substitute || !crate::variables::has_variables(raw) {
            return PolicyValue::Plain(raw);
        }
        // The parser rejects malformed templates; if one gets here anyway
        // it is taken as written.
        let Ok(segments) = parse_template(raw) else {
            return PolicyValue::Plain(raw);
        };
        let mut text = String::with_capacity(raw.len());
        let mut pieces = Vec::with_capacity(segments.len());
        let mut escape = [0u8; 4];
        for seg in &segments {
            let (s, literal): (&str, bool) = match seg {
                Segment::Text(t) => (t, false),
                Segment::Escaped(c) => (c.encode_utf8(&mut escape), true),
                // Only single-valued keys can be variables.
                Segment::Variable { key, default } => match (ctx.get(key).and_then(ContextValue::single), default) {
                    (Some(v), _) => (v, true),
                    (None, Some(d)) => (d, true),
                    (None, None) => return PolicyValue::Unresolved { original: raw, missing: key.clone() },
                },
            };
            let start = text.len();
            text.push_str(s);
            pieces.push(Piece { start, end: text.len(), literal });
        }
        PolicyValue::Substituted { text, pieces }
    }

    fn display(&self) -> &str {
        match self {
            PolicyValue::Plain(s) => s,
            PolicyValue::Substituted { text, .. } => text,
            PolicyValue::Unresolved { original, .. } => original,
        }
    }

    /// The text to compare, `None` when unresolved.
    fn text(&self) -> Option<&str> {
        match self {
            PolicyValue::Unresolved { .. } => None,
            other => Some(other.display()),
        }
    }

    /// The wildcard pattern for Like operators.
    fn pattern(&self) -> Option<Pattern> {
        match self {
            PolicyValue::Plain(s) => Some(Pattern::glob(s)),
            PolicyValue::Substituted { text, pieces } => {
                let mut p = Pattern::default();
                for piece in pieces {
                    let s = text.get(piece.start..piece.end).unwrap_or_default();
                    if piece.literal {
                        p.push_literal(s);
                    } else {
                        p.push_glob(s);
                    }
                }
                Some(p)
            }
            PolicyValue::Unresolved { .. } => None,
        }
    }

    /// One pattern per ARN part. Colons in the policy text and in
    /// substituted text both separate parts (so `${aws:PrincipalArn}` can
    /// stand for a whole ARN); `*` and `?` are wildcards only where they were
    /// written in the policy.
    fn arn_patterns(&self) -> Option<Vec<Pattern>> {
        let mut parts = vec![Pattern::default()];
        let mut push = |s: &str, literal: bool| {
            let mut rest = s;
            loop {
                let split = if parts.len() < 6 { rest.split_once(':') } else { None };
                let (head, tail) = split.unwrap_or((rest, ""));
                if let Some(last) = parts.last_mut() {
                    if literal {
                        last.push_literal(head);
                    } else {
                        last.push_glob(head);
                    }
                }
                if split.is_none() {
                    break;
                }
                parts.push(Pattern::default());
                rest = tail;
            }
        };
        match self {
            PolicyValue::Plain(s) => push(s, false),
            PolicyValue::Substituted { text, pieces } => {
                for piece in pieces {
                    push(text.get(piece.start..piece.end).unwrap_or_default(), piece.literal);
                }
            }
            PolicyValue::Unresolved { .. } => return None,
        }
        (parts.len() == 6).then_some(parts)
    }
}

// --------------------------------------------------------- request values

/// One request value read as the operator's type.
enum Request<'r> {
    Text(&'r str),
    Number(Decimal<'r>),
    Date(Instant),
    Bool(bool),
    Base64(&'r str),
    Ip(IpAddr),
    Arn([&'r str; 6]),
}

impl<'r> Request<'r> {
    fn read(base: OperatorBase, r: &'r str) -> Option<Self> {
        Some(match base.family() {
            OperatorFamily::String | OperatorFamily::Null => Request::Text(r),
            OperatorFamily::Numeric => Request::Number(parse_decimal(r)?),
            OperatorFamily::Date => Request::Date(parse_date(r)?),
            OperatorFamily::Bool => Request::Bool(parse_bool(r)?),
            OperatorFamily::Binary => Request::Base64(base64_body(r)?),
            OperatorFamily::Ip => Request::Ip(parse_ip(r)?),
            OperatorFamily::Arn => Request::Arn(arn_parts(r)?),
        })
    }
}

/// One policy value against one request value, for the positive form of
/// the operator (`StringNotEquals` compares as `StringEquals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Match,
    NoMatch,
    /// The policy value is not of the operator's type (only possible after
    /// substitution, or for conditions built without the parser).
    BadPolicyValue,
}

fn compare(base: OperatorBase, policy: &PolicyValue<'_>, typed: Typed, request: &Request<'_>) -> Compare {
    use OperatorBase::*;
    let Some(p) = policy.text() else {
        return Compare::NoMatch;
    };
    let hit = |b: bool| if b { Compare::Match } else { Compare::NoMatch };
    match (base, request) {
        (StringEquals | StringNotEquals, Request::Text(r)) => hit(p == *r),
        (StringEqualsIgnoreCase | StringNotEqualsIgnoreCase, Request::Text(r)) => hit(eq_ignore_case(p, r)),
        (StringLike | StringNotLike, Request::Text(r)) => match policy {
            // Fast paths that need no pattern.
            PolicyValue::Plain("*") => Compare::Match,
            PolicyValue::Plain(s) => hit(crate::wildcard::glob_match(s, r)),
            _ => hit(policy.pattern().is_some_and(|pat| pat.matches(r))),
        },
        (_, Request::Number(r)) => match parse_decimal(p) {
            Some(p) => hit(ordering_holds(base, r.compare(&p))),
            None => Compare::BadPolicyValue,
        },
        (_, Request::Date(r)) => match if let Typed::Date(d) = typed { Some(d) } else { parse_date(p) } {
            Some(p) => hit(ordering_holds(base, r.cmp(&p))),
            None => Compare::BadPolicyValue,
        },
        (_, Request::Bool(r)) => match if let Typed::Bool(b) = typed { Some(b) } else { parse_bool(p) } {
            Some(p) => hit(p == *r),
            None => Compare::BadPolicyValue,
        },
        (_, Request::Base64(r)) => match base64_body(p) {
            Some(p) => hit(p == *r),
            None => Compare::BadPolicyValue,
        },
        (_, Request::Ip(r)) => match if let Typed::Ip(n) = typed { Some(n) } else { parse_network(p) } {
            Some(net) => hit(net.contains(*r)),
            None => Compare::BadPolicyValue,
        },
        (_, Request::Arn(r)) => compare_arn(policy, r),
        (_, Request::Text(_)) => Compare::NoMatch,
    }
}

/// Each of the six parts is matched on its own, so a wildcard never crosses
/// the colons between them. Case-sensitive.
fn compare_arn(policy: &PolicyValue<'_>, request: &[&str; 6]) -> Compare {
    let hit = |b: bool| if b { Compare::Match } else { Compare::NoMatch };
    if let PolicyValue::Plain(s) = policy {
        let Some(parts) = arn_parts(s) else {
            return Compare::BadPolicyValue;
        };
        return hit(parts.iter().zip(request).all(|(p, r)| crate::wildcard::glob_match(p, r)));
    }
    match policy.arn_patterns() {
        Some(parts) => hit(parts.iter().zip(request).all(|(p, r)| p.matches(r))),
        None if matches!(policy, PolicyValue::Unresolved { .. }) => Compare::NoMatch,
        None => Compare::BadPolicyValue,
    }
}

fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether `request ⋄ policy` holds for a Numeric or Date operator, given
/// how the request value compares with the policy value.
fn ordering_holds(base: OperatorBase, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    use OperatorBase::*;
    match base {
        NumericLessThan | DateLessThan => o == Less,
        NumericLessThanEquals | DateLessThanEquals => o != Greater,
        NumericGreaterThan | DateGreaterThan => o == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => o != Less,
        _ => o == Equal,
    }
}

// ------------------------------------------------------------- the tests

struct Test<'a> {
    cond: &'a Condition,
    base: OperatorBase,
    prepared: &'a Prepared,
    /// The values after substitution, when one of them holds a variable;
    /// otherwise the condition's values are taken as written.
    resolved: Option<&'a [PolicyValue<'a>]>,
}

impl Test<'_> {
    /// The index of the first policy value for which `f` holds.
    fn find(&self, mut f: impl FnMut(&PolicyValue<'_>, Typed) -> bool) -> Option<usize> {
        match self.resolved {
            Some(resolved) => resolved.iter().position(|p| f(p, Typed::Text)),
            None => {
                let mut values = self.cond.values.iter().zip(self.prepared.typed.iter());
                values.position(|(v, t)| f(&PolicyValue::Plain(&v.value), *t))
            }
        }
    }

    fn outcome(&self, r: &str) -> ValueResult {
        let Some(request) = Request::read(self.base, r) else {
            return ValueResult::Unreadable;
        };
        match self.find(|p, t| compare(self.base, p, t, &request) == Compare::Match) {
            Some(i) => ValueResult::Matched(i),
            None => ValueResult::NoneMatched,
        }
    }

    /// Whether one request value satisfies the base operator (OR or NOR).
    fn satisfied(&self, outcome: ValueResult) -> bool {
        match outcome {
            ValueResult::Matched(_) => !self.base.is_negated(),
            ValueResult::NoneMatched => self.base.is_negated(),
            ValueResult::Unreadable => false,
        }
    }

    /// A plain operator (no set qualifier).
    fn plain(&self, value: Option<&ContextValue>) -> (bool, ConditionWhy) {
        match value {
            None if self.cond.operator.if_exists => (true, ConditionWhy::MissingIfExists),
            None => (self.base.is_negated(), ConditionWhy::Missing),
            Some(ContextValue::Multi(_)) => (false, ConditionWhy::MultiValued),
            Some(ContextValue::Single(r)) => {
                let result = self.outcome(r);
                (self.satisfied(result), ConditionWhy::Value { value: 0, result, full_name: false })
            }
        }
    }

    /// `ForAllValues:` / `ForAnyValue:`. A single-valued key is a set of one.
    fn set(&self, value: Option<&ContextValue>) -> (bool, ConditionWhy) {
        let all = self.cond.operator.qualifier == Some(SetQualifier::ForAllValues);
        let Some(value) = value else {
            return (all, ConditionWhy::SetAbsent);
        };
        let values = value.as_slice();
        if values.is_empty() {
            return (all, ConditionWhy::SetEmpty);
        }
        // ForAllValues stops at the first value that fails, ForAnyValue at
        // the first that succeeds.
        let mut last = None;
        for (i, r) in values.iter().enumerate() {
            let result = self.outcome(r);
            let ok = self.satisfied(result);
            if ok != all {
                return (ok, ConditionWhy::Value { value: i, result, full_name: true });
            }
            last = Some((i, result));
        }
        match (values.len(), last) {
            (1, Some((i, result))) => (all, ConditionWhy::Value { value: i, result, full_name: true }),
            (count, _) if all => (true, ConditionWhy::SetAll { count }),
            (count, _) => (false, ConditionWhy::SetNone { count }),
        }
    }

    /// `Null`: `true` holds when the key is absent, `false` when present. An
    /// empty list counts as absent; an empty string is present.
    fn null(&self, value: Option<&ContextValue>) -> (bool, ConditionWhy) {
        let state = match value {
            None => NullState::Missing,
            Some(ContextValue::Multi(m)) if m.is_empty() => NullState::EmptyList,
            Some(_) => NullState::Present,
        };
        let present = state == NullState::Present;
        let hit = self.find(|p, _| parse_bool(p.display()) == Some(!present));
        // Without a value that holds, the first is shown.
        let shown = hit.or((!self.cond.values.is_empty()).then_some(0));
        let matched = hit.is_some();
        (matched, ConditionWhy::Null { state, shown })
    }
}

#[cfg(test)]
mod tests;
