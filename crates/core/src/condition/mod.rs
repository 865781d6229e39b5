//! Condition operators (iam-semantics §3): one condition is one operator,
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
//!   (iam-semantics §3.5, §9.4); set qualifiers treat a single value as a
//!   set of one.
//!
//! Policy variables are substituted in String, Arn and Bool values (Bool is
//! disputed, §9.3; we follow the Condition-operators page and iam-simulate).

mod values;

use std::net::IpAddr;

use std::sync::Arc;

use crate::context::{ContextValue, RequestContext};
use crate::policy::{Condition, OperatorBase, OperatorFamily, SetQualifier, Spanned};
use crate::trace::{ConditionTrace, ConditionWhy, NullState, ValueResult};
use crate::variables::{parse_template, Segment};
use crate::wildcard::Pattern;

use values::{
    arn_parts, base64_body, parse_bool, parse_date, parse_decimal, parse_ip, parse_network, Decimal, Instant, Network,
};

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
        OperatorFamily::Arn => format!(
            "`{value}` is not an ARN: `{name}` needs six colon-separated parts"
        ),
        OperatorFamily::Null => {
            format!("`{value}` is not `true` (key absent) or `false` (key present)")
        }
        OperatorFamily::String => String::new(),
    })
}

/// Whether `value` is of the type the operator compares (a range for IP
/// operators, `true`/`false` for Null).
fn is_valid_policy_value(base: OperatorBase, value: &str) -> bool {
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

/// Epoch seconds of a date in any form the Date operators accept
/// (ISO-8601 or epoch seconds); used to derive `aws:EpochTime`.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    parse_date(text).map(|i| i.epoch_seconds())
}

/// Evaluates one condition (one operator + one key + its values) against the
/// request context. `variables` is true when the policy's Version is
/// 2012-10-17: `${…}` in String, Arn and Bool values is then substituted;
/// otherwise it is literal text.
///
/// The trace records *why* compactly ([`ConditionWhy`]); the sentence is
/// written by [`reason`] only when someone reads it.
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
        // iam-semantics §3.3 and §9.5): an absent key is already covered by
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

/// What a condition's values are, worked out once when the condition is
/// built ([`Condition::new`]) rather than for every request. Evaluation
/// checks that it still belongs to the condition's values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prepared {
    base: OperatorBase,
    /// The values as traces show them, shared rather than copied.
    values: Arc<[Arc<str>]>,
    /// Whether any value holds `${`.
    variables: bool,
    /// Each value read as the operator's type, where that is worth keeping.
    typed: Box<[Typed]>,
}

/// A policy value read ahead as the operator's type.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Typed {
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
    fn fits(&self, cond: &Condition) -> bool {
        self.base == cond.operator.base
            && self.values.len() == cond.values.len()
            && self.typed.len() == cond.values.len()
            && self.values.iter().zip(&cond.values).all(|(a, b)| Arc::ptr_eq(a, &b.value))
    }
}

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
        return hit(parts.iter().zip(request).all(|(p, r)| {
            crate::wildcard::glob_match(p, r)
        }));
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

/// How a comparison reads: (holds, does not hold, suffix), as in
/// "`r` is in `p`" / "`r` is not in `p`".
fn verbs(base: OperatorBase) -> (&'static str, &'static str, &'static str) {
    use OperatorBase::*;
    match base {
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => ("equals", "does not equal", " (ignoring case)"),
        StringLike | StringNotLike | ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => {
            ("matches", "does not match", "")
        }
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

// ------------------------------------------------------------- the reasons

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
                Some(p) if parse_bool(p).is_some() => push_all(
                    &mut out,
                    &[state_words, ": Null `", p, "` is ", bool_word(t.matched), " when the key is ", when],
                ),
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

#[cfg(test)]
mod tests;
