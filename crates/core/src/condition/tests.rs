#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::*;
use crate::policy::prepared::validate_policy_value;
use crate::span::Span;

fn epoch_seconds(text: &str) -> Option<i64> {
    crate::time::parse_epoch(text)
}
use crate::policy::{parse_policy, Operator, PolicyType, Spanned};

/// Builds a condition from an operator name such as
/// `ForAnyValue:StringLikeIfExists`.
fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
    let (qualifier, rest) = match op.split_once(':') {
        Some(("ForAllValues", r)) => (Some(SetQualifier::ForAllValues), r),
        Some(("ForAnyValue", r)) => (Some(SetQualifier::ForAnyValue), r),
        _ => (None, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    Condition::new(
        Operator { qualifier, base: OperatorBase::parse(base).unwrap(), if_exists },
        Span::default(),
        Spanned { value: std::sync::Arc::from(key), span: Span::default() },
        values.iter().map(|v| Spanned { value: std::sync::Arc::from(*v), span: Span::default() }).collect(),
        Span::default(),
    )
}

fn ctx(pairs: &[(&str, &str)]) -> RequestContext {
    let mut c = RequestContext::new();
    for (k, v) in pairs {
        c.set(k, *v);
    }
    c
}

fn multi(key: &str, values: &[&str]) -> RequestContext {
    let mut c = RequestContext::new();
    c.set(key, ContextValue::multi(values));
    c
}

fn run(op: &str, key: &str, values: &[&str], c: &RequestContext) -> ConditionTrace {
    evaluate(&cond(op, key, values), c, true)
}

/// The condition's result.
fn eval(op: &str, key: &str, values: &[&str], c: &RequestContext) -> bool {
    run(op, key, values, c).matched
}

/// The result against a single-valued key `k:k` set to `request`.
fn one(op: &str, values: &[&str], request: &str) -> bool {
    eval(op, "k:k", values, &ctx(&[("k:k", request)]))
}

// ------------------------------------------------------------------ String

#[test]
fn string_equals_is_case_sensitive_and_or_over_values() {
    assert!(one("StringEquals", &["o-1"], "o-1"));
    assert!(!one("StringEquals", &["o-1"], "O-1"));
    assert!(one("StringEquals", &["o-1", "o-2"], "o-2"));
    assert!(!one("StringEquals", &["o-1", "o-2"], "o-3"));
    assert!(one("StringEquals", &[""], ""));
}

#[test]
fn string_not_equals_is_a_nor() {
    // §8.7
    let c = ctx(&[("aws:PrincipalAccount", "B")]);
    assert!(!eval("StringNotEquals", "aws:PrincipalAccount", &["A", "B"], &c));
    let c = ctx(&[("aws:PrincipalAccount", "C")]);
    assert!(eval("StringNotEquals", "aws:PrincipalAccount", &["A", "B"], &c));
}

#[test]
fn string_ignore_case_pair() {
    assert!(one("StringEqualsIgnoreCase", &["Prod"], "PROD"));
    assert!(one("StringEqualsIgnoreCase", &["Straße"], "STRAßE"));
    assert!(one("StringEqualsIgnoreCase", &["élan"], "ÉLAN"));
    assert!(!one("StringEqualsIgnoreCase", &["prod"], "dev"));
    assert!(!one("StringNotEqualsIgnoreCase", &["Prod"], "pRoD"));
    assert!(one("StringNotEqualsIgnoreCase", &["Prod"], "dev"));
}

#[test]
fn string_equals_does_not_expand_wildcards_but_like_does() {
    // §8.11
    let c = ctx(&[("s3:prefix", "home/a")]);
    assert!(!eval("StringEquals", "s3:prefix", &["home/*"], &c));
    assert!(eval("StringLike", "s3:prefix", &["home/*"], &c));
    assert!(one("StringEquals", &["home/*"], "home/*"));
    assert!(one("StringLike", &["a?c"], "abc"));
    assert!(!one("StringLike", &["a?c"], "ac"));
    assert!(one("StringLike", &["*"], ""));
    assert!(!one("StringLike", &["Home/*"], "home/a"));
    assert!(one("StringNotLike", &["home/*"], "work/a"));
    assert!(!one("StringNotLike", &["work/*", "home/*"], "home/a"));
}

#[test]
fn string_like_star_crosses_colons_unlike_arn_like() {
    let pat = "arn:aws:svc:*:111122223333:finance/*";
    let req = "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/x";
    assert!(one("StringLike", &[pat], req));
    assert!(!one("ArnLike", &[pat], req));
}

// ----------------------------------------------------------------- Numeric

#[test]
fn numeric_operators() {
    assert!(one("NumericEquals", &["10"], "10.0"));
    assert!(!one("NumericEquals", &["10"], "11"));
    assert!(one("NumericNotEquals", &["10"], "11"));
    assert!(!one("NumericNotEquals", &["10", "11"], "11"));
    assert!(one("NumericLessThan", &["3600"], "3599"));
    assert!(!one("NumericLessThan", &["3600"], "3600"));
    assert!(one("NumericLessThanEquals", &["3600"], "3600"));
    assert!(one("NumericGreaterThan", &["-1.5"], "-1.25"));
    assert!(!one("NumericGreaterThan", &["1"], "1"));
    assert!(one("NumericGreaterThanEquals", &["1"], "1.000"));
    assert!(!one("NumericGreaterThanEquals", &["1"], "0.999"));
    assert!(one("NumericLessThan", &["100", "5"], "50"));
    // Decimal-exact, beyond f64 precision.
    assert!(one("NumericGreaterThan", &["9007199254740992"], "9007199254740993"));
}

#[test]
fn unreadable_request_values_are_false_even_when_negated() {
    assert!(!one("NumericLessThan", &["10"], "abc"));
    assert!(!one("NumericNotEquals", &["10"], "abc"));
    let t = run("NumericLessThan", "k:k", &["10"], &ctx(&[("k:k", "abc")]));
    assert!(t.reason().contains("request value `abc` is not a number"), "{}", t.reason());
    assert!(!one("DateNotEquals", &["2020-01-01"], "yesterday"));
    assert!(!one("NotIpAddress", &["10.0.0.0/8"], "not-an-ip"));
    assert!(!one("ArnNotLike", &["arn:aws:iam::1:role/*"], "not-an-arn"));
    assert!(!one("Bool", &["true"], "yes"));
    assert!(!one("BinaryEquals", &["QQ=="], "not base64!"));
}

// -------------------------------------------------------------------- Date

#[test]
fn date_formats_compare_as_instants() {
    let now = "2024-05-01T12:00:00Z";
    assert!(one("DateGreaterThan", &["2024-05-01"], now));
    assert!(one("DateLessThan", &["2024-05-01T12:00:00.001Z"], now));
    assert!(!one("DateLessThan", &["2024-05-01T12:00:00Z"], now));
    assert!(one("DateLessThanEquals", &["2024-05-01T12:00:00Z"], now));
    assert!(one("DateEquals", &["2024-05-01T14:00:00+02:00"], now));
    assert!(one("DateEquals", &["2024-05-01T07:00:00-05:00"], now));
    assert!(one("DateEquals", &["1714564800"], now));
    assert!(one("DateEquals", &["2024-05-01T12:00:00.000Z"], "1714564800"));
    assert!(one("DateGreaterThanEquals", &["2024-05-01T12:00:00Z"], now));
    assert!(!one("DateGreaterThanEquals", &["2024-05-02"], now));
    assert!(one("DateNotEquals", &["2024-05-01"], now));
    assert!(!one("DateNotEquals", &["2024-05-01T12:00Z"], now));
}

#[test]
fn epoch_time_works_with_numeric_and_date() {
    let c = ctx(&[("aws:EpochTime", "1714564800")]);
    assert!(eval("NumericGreaterThan", "aws:EpochTime", &["1700000000"], &c));
    assert!(eval("DateGreaterThan", "aws:EpochTime", &["2023-11-14T22:13:20Z"], &c));
    assert!(eval("DateLessThan", "aws:EpochTime", &["2025-01-01"], &c));
}

// -------------------------------------------------------------------- Bool

#[test]
fn bool_ignores_case() {
    assert!(one("Bool", &["true"], "TRUE"));
    assert!(one("Bool", &["False"], "false"));
    assert!(!one("Bool", &["true"], "false"));
}

#[test]
fn mfa_checks() {
    // §8.10: a Deny on Bool "false" does not catch an absent key;
    // BoolIfExists does.
    let c = RequestContext::new();
    assert!(!eval("Bool", "aws:MultiFactorAuthPresent", &["false"], &c));
    assert!(eval("BoolIfExists", "aws:MultiFactorAuthPresent", &["false"], &c));
    let c = ctx(&[("aws:MultiFactorAuthPresent", "true")]);
    assert!(!eval("BoolIfExists", "aws:MultiFactorAuthPresent", &["false"], &c));
}

// ------------------------------------------------------------------ Binary

#[test]
fn binary_equals_compares_base64_text() {
    assert!(one("BinaryEquals", &["QmluYXJ5VmFsdWU="], "QmluYXJ5VmFsdWU="));
    assert!(one("BinaryEquals", &["QQ=="], "QQ"));
    assert!(!one("BinaryEquals", &["QQ=="], "Qg=="));
    assert!(!one("BinaryEquals", &["QQ=="], "qq=="));
    assert!(!eval("BinaryEquals", "k:k", &["QQ=="], &RequestContext::new()));
}

// ---------------------------------------------------------------------- IP

#[test]
fn ip_address_v4_and_v6() {
    let t = run("IpAddress", "aws:SourceIp", &["203.0.113.0/24"], &ctx(&[("aws:SourceIp", "203.0.113.7")]));
    assert!(t.matched);
    assert_eq!(t.reason(), "`203.0.113.7` is in `203.0.113.0/24`, so IpAddress is true");
    assert!(!one("IpAddress", &["203.0.113.0/24"], "198.51.100.1"));
    assert!(one("IpAddress", &["198.51.100.1"], "198.51.100.1"));
    assert!(!one("IpAddress", &["198.51.100.1"], "198.51.100.2"));
    assert!(one("IpAddress", &["10.0.0.0/8", "2001:db8::/32"], "2001:db8:ab::1"));
    assert!(one("IpAddress", &["2001:db8::1"], "2001:db8:0:0:0:0:0:1"));
    assert!(!one("IpAddress", &["2001:db8::1"], "2001:db8::2"));
    assert!(one("NotIpAddress", &["10.0.0.0/8"], "11.0.0.1"));
    assert!(!one("NotIpAddress", &["10.0.0.0/8", "11.0.0.0/8"], "11.0.0.1"));
}

#[test]
fn address_families_never_mix() {
    // §8.28
    let v4 = ctx(&[("aws:SourceIp", "203.0.113.7")]);
    assert!(!eval("IpAddress", "aws:SourceIp", &["2001:db8::/32"], &v4));
    assert!(eval("NotIpAddress", "aws:SourceIp", &["2001:db8::/32"], &v4));
    let v6 = ctx(&[("aws:SourceIp", "2001:db8::7")]);
    assert!(!eval("IpAddress", "aws:SourceIp", &["0.0.0.0/0"], &v6));
    // Absent (through a VPC endpoint): NotIpAddress is true, so a Deny denies.
    let none = RequestContext::new();
    assert!(eval("NotIpAddress", "aws:SourceIp", &["203.0.113.0/24"], &none));
    assert!(!eval("IpAddress", "aws:SourceIp", &["203.0.113.0/24"], &none));
}

// --------------------------------------------------------------------- ARN

#[test]
fn arn_operators_match_part_by_part() {
    let role = "arn:aws:iam::111122223333:role/team/R";
    assert!(one("ArnLike", &["arn:aws:iam::111122223333:role/*"], role));
    assert!(one("ArnEquals", &["arn:aws:iam::*:role/team/?"], role));
    assert!(one("ArnLike", &["arn:aws:iam::111122223333:*"], role));
    assert!(!one("ArnLike", &["arn:aws:iam::111122223333:role/Team/*"], role));
    assert!(!one("ArnLike", &["arn:aws:IAM::111122223333:role/*"], role));
    assert!(!one("ArnLike", &["arn:aws:iam:*:role/*"], "arn:aws:iam::1:x:role/a"));
    // The resource part may hold colons; a star there crosses them.
    assert!(one("ArnLike", &["arn:aws:logs:*:1:log-group:*"], "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"));
    // A star never crosses the colons between the first six parts.
    assert!(!one("ArnLike", &["arn:aws:*:1:x"], "arn:aws:s3:us-east-1:1:x"));
    assert!(one("ArnLike", &["*:*:*:*:*:*"], role));
    assert!(one("ArnNotLike", &["arn:aws:iam::111122223333:role/other"], role));
    assert!(!one("ArnNotEquals", &["arn:aws:iam::111122223333:role/*"], role));
}

#[test]
fn root_arn_in_a_condition() {
    // §8.17: ArnNotEquals on the root ARN exempts only the root user.
    let root = ctx(&[("aws:PrincipalArn", "arn:aws:iam::B:root")]);
    let user = ctx(&[("aws:PrincipalArn", "arn:aws:iam::B:user/u")]);
    assert!(!eval("ArnNotEquals", "aws:PrincipalArn", &["arn:aws:iam::B:root"], &root));
    assert!(eval("ArnNotEquals", "aws:PrincipalArn", &["arn:aws:iam::B:root"], &user));
}

// -------------------------------------------------------------------- Null

#[test]
fn null_tests_presence() {
    // §8.9
    let user = RequestContext::new();
    let session = ctx(&[("aws:TokenIssueTime", "2024-01-01T00:00:00Z")]);
    let t = run("Null", "aws:TokenIssueTime", &["true"], &user);
    assert!(t.matched);
    assert_eq!(t.request_values, None);
    assert!(!eval("Null", "aws:TokenIssueTime", &["true"], &session));
    assert!(eval("Null", "aws:TokenIssueTime", &["false"], &session));
    assert!(!eval("Null", "aws:TokenIssueTime", &["false"], &user));
    assert!(eval("Null", "aws:TokenIssueTime", &["TRUE"], &user));
    // An empty list counts as absent; an empty string is present.
    assert!(eval("Null", "aws:TagKeys", &["true"], &multi("aws:TagKeys", &[])));
    assert!(eval("Null", "aws:TagKeys", &["false"], &multi("aws:TagKeys", &["a", "b"])));
    assert!(eval("Null", "k:k", &["false"], &ctx(&[("k:k", "")])));
}

// ------------------------------------------------------- absent keys, IfExists

#[test]
fn absent_keys_without_if_exists() {
    let none = RequestContext::new();
    for op in [
        "StringEquals",
        "StringLike",
        "StringEqualsIgnoreCase",
        "NumericEquals",
        "NumericLessThan",
        "DateEquals",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "ArnLike",
        "ArnEquals",
    ] {
        let v = match op {
            "NumericEquals" | "NumericLessThan" => "1",
            "DateEquals" | "DateGreaterThan" => "2020-01-01",
            "Bool" => "true",
            "BinaryEquals" => "QQ==",
            "IpAddress" => "10.0.0.0/8",
            "ArnLike" | "ArnEquals" => "arn:aws:iam::1:role/*",
            _ => "x",
        };
        assert!(!eval(op, "k:k", &[v], &none), "{op}");
        assert!(eval(&format!("{op}IfExists"), "k:k", &[v], &none), "{op}IfExists");
    }
    for (op, v) in [
        ("StringNotEquals", "x"),
        ("StringNotEqualsIgnoreCase", "x"),
        ("StringNotLike", "x*"),
        ("NumericNotEquals", "1"),
        ("DateNotEquals", "2020-01-01"),
        ("NotIpAddress", "10.0.0.0/8"),
        ("ArnNotEquals", "arn:aws:iam::1:role/r"),
        ("ArnNotLike", "arn:aws:iam::1:role/*"),
    ] {
        assert!(eval(op, "k:k", &[v], &none), "{op}");
        assert!(eval(&format!("{op}IfExists"), "k:k", &[v], &none), "{op}IfExists");
    }
    let t = run("StringEquals", "k:k", &["x"], &none);
    assert_eq!(t.reason(), "key missing: StringEquals is false when the key is absent");
    let t = run("StringEqualsIfExists", "k:k", &["x"], &none);
    assert_eq!(t.reason(), "key missing: true because of IfExists");
}

#[test]
fn negated_operator_on_an_absent_key() {
    // §8.6: a caller in no organization is denied by StringNotEquals.
    let c = ctx(&[("aws:PrincipalAccount", "A")]);
    assert!(eval("StringNotEquals", "aws:PrincipalOrgID", &["o-1"], &c));
}

#[test]
fn if_exists_on_a_present_key_defers_to_the_operator() {
    // §8.8
    let none = RequestContext::new();
    assert!(eval("StringEqualsIfExists", "aws:SourceVpc", &["vpc-1"], &none));
    assert!(eval("StringNotEqualsIfExists", "aws:SourceVpc", &["vpc-1"], &none));
    let c = ctx(&[("aws:SourceVpc", "vpc-2")]);
    assert!(!eval("StringEqualsIfExists", "aws:SourceVpc", &["vpc-1"], &c));
    assert!(eval("StringNotEqualsIfExists", "aws:SourceVpc", &["vpc-1"], &c));
    assert!(!eval("NumericLessThanIfExists", "k:k", &["5"], &ctx(&[("k:k", "abc")])));
}

#[test]
fn key_lookup_ignores_case() {
    let c = ctx(&[("aws:SourceIP", "10.1.2.3")]);
    assert!(eval("IpAddress", "AWS:sourceip", &["10.0.0.0/8"], &c));
}

// ----------------------------------------------------------- set qualifiers

#[test]
fn for_all_values_on_absent_and_empty_keys_is_true() {
    // §8.4
    let t = run("ForAllValues:StringEquals", "aws:TagKeys", &["env"], &RequestContext::new());
    assert!(t.matched);
    assert_eq!(t.reason(), "ForAllValues is true when the key is absent");
    assert!(eval("ForAllValues:StringEquals", "aws:TagKeys", &["env"], &multi("aws:TagKeys", &[])));
    // Negated bases too.
    assert!(eval("ForAllValues:StringNotEquals", "aws:TagKeys", &["env"], &RequestContext::new()));
}

#[test]
fn for_any_value_on_absent_and_empty_keys_is_false() {
    // §8.5
    let t = run("ForAnyValue:StringEquals", "aws:TagKeys", &["x"], &RequestContext::new());
    assert!(!t.matched);
    assert_eq!(t.reason(), "ForAnyValue is false when the key is absent");
    assert!(!eval("ForAnyValue:StringEquals", "aws:TagKeys", &["x"], &multi("aws:TagKeys", &[])));
    assert!(!eval("ForAnyValue:StringNotEquals", "aws:TagKeys", &["x"], &RequestContext::new()));
}

#[test]
fn for_all_values_needs_every_request_value() {
    let k = "aws:TagKeys";
    let allowed = ["env", "team"];
    assert!(eval("ForAllValues:StringEquals", k, &allowed, &multi(k, &["env"])));
    assert!(eval("ForAllValues:StringEquals", k, &allowed, &multi(k, &["env", "team"])));
    let t = run("ForAllValues:StringEquals", k, &allowed, &multi(k, &["env", "cost"]));
    assert!(!t.matched);
    assert!(t.reason().contains("`cost`"), "{}", t.reason());
    // ForAllValues:StringNotEquals [x, y]: no request value is x or y.
    assert!(eval("ForAllValues:StringNotEquals", k, &["x", "y"], &multi(k, &["a", "b"])));
    assert!(!eval("ForAllValues:StringNotEquals", k, &["x", "y"], &multi(k, &["a", "y"])));
    assert!(eval("ForAllValues:StringLike", k, &["team-*"], &multi(k, &["team-a", "team-b"])));
}

#[test]
fn for_any_value_needs_one_request_value() {
    let k = "aws:TagKeys";
    assert!(eval("ForAnyValue:StringEquals", k, &["env"], &multi(k, &["cost", "env"])));
    assert!(!eval("ForAnyValue:StringEquals", k, &["env"], &multi(k, &["cost", "team"])));
    // ForAnyValue:StringNotEquals [x, y]: some request value is neither.
    assert!(eval("ForAnyValue:StringNotEquals", k, &["x", "y"], &multi(k, &["x", "z"])));
    assert!(!eval("ForAnyValue:StringNotEquals", k, &["x", "y"], &multi(k, &["x", "y"])));
    // Unreadable members satisfy nothing.
    assert!(!eval("ForAnyValue:NumericLessThan", k, &["5"], &multi(k, &["abc", "9"])));
    assert!(eval("ForAnyValue:NumericLessThan", k, &["5"], &multi(k, &["abc", "3"])));
    assert!(!eval("ForAllValues:NumericNotEquals", k, &["5"], &multi(k, &["abc"])));
}

#[test]
fn set_qualifier_on_a_single_valued_key_is_a_set_of_one() {
    let c = ctx(&[("aws:RequestedRegion", "eu-west-1")]);
    assert!(eval("ForAnyValue:StringEquals", "aws:RequestedRegion", &["eu-west-1"], &c));
    assert!(eval("ForAllValues:StringEquals", "aws:RequestedRegion", &["eu-west-1"], &c));
    assert!(!eval("ForAllValues:StringEquals", "aws:RequestedRegion", &["us-east-1"], &c));
}

#[test]
fn set_qualifier_ignores_if_exists() {
    let none = RequestContext::new();
    assert!(!eval("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", &["x"], &none));
    assert!(eval("ForAllValues:StringEqualsIfExists", "aws:TagKeys", &["x"], &none));
}

#[test]
fn plain_operator_on_a_multivalued_key_is_false() {
    let k = "aws:TagKeys";
    for op in ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIfExists", "StringNotEqualsIfExists"] {
        let t = run(op, k, &["env"], &multi(k, &["env", "team"]));
        assert!(!t.matched, "{op}");
        assert_eq!(t.reason(), "aws:TagKeys has several values: use ForAnyValue or ForAllValues (a plain operator is false on a multivalued key)");
        assert_eq!(t.request_values, Some(ContextValue::multi(["env", "team"])));
    }
    assert!(!eval("StringEquals", k, &["env"], &multi(k, &["env"])));
    assert!(!eval("StringNotEquals", k, &["env"], &multi(k, &[])));
}

// --------------------------------------------------------------- variables

#[test]
fn variables_are_substituted_with_version_2012() {
    let c = ctx(&[("aws:username", "alice"), ("s3:prefix", "home/alice/docs")]);
    let co = cond("StringLike", "s3:prefix", &["home/${aws:username}/*"]);
    let t = evaluate(&co, &c, true);
    assert!(t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("home/alice/*")]);
    // Without 2012-10-17 the text is literal.
    let t = evaluate(&co, &c, false);
    assert!(!t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("home/${aws:username}/*")]);
    let lit = ctx(&[("s3:prefix", "home/${aws:username}/x")]);
    assert!(evaluate(&co, &lit, false).matched);
    // Variable names ignore case.
    assert!(eval("StringEquals", "s3:prefix", &["home/${AWS:UserName}/docs"], &c));
}

#[test]
fn substituted_text_is_literal_for_like() {
    let c = ctx(&[("aws:PrincipalTag/team", "a*"), ("k:k", "a*-x")]);
    assert!(eval("StringLike", "k:k", &["${aws:PrincipalTag/team}-*"], &c));
    let c2 = ctx(&[("aws:PrincipalTag/team", "a*"), ("k:k", "abc-x")]);
    assert!(!eval("StringLike", "k:k", &["${aws:PrincipalTag/team}-*"], &c2));
}

#[test]
fn escapes_give_literal_characters() {
    let c = ctx(&[("k:k", "a*b")]);
    assert!(eval("StringLike", "k:k", &["a${*}b"], &c));
    assert!(!eval("StringLike", "k:k", &["a${*}b"], &ctx(&[("k:k", "axxb")])));
    assert!(eval("StringLike", "k:k", &["a?b"], &ctx(&[("k:k", "axb")])));
    assert!(!eval("StringLike", "k:k", &["a${?}b"], &ctx(&[("k:k", "axb")])));
    assert!(eval("StringEquals", "k:k", &["${$}{x}"], &ctx(&[("k:k", "${x}")])));
}

#[test]
fn absent_variables_and_defaults() {
    // §8.26
    let session = ctx(&[("s3:prefix", "shared/x")]);
    let t = run("StringLike", "s3:prefix", &["${aws:username}/*"], &session);
    assert!(!t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("${aws:username}/*")]);
    assert!(t.reason().contains("aws:username is missing"), "{}", t.reason());
    // Negated operators treat the unresolved value as non-matching: true.
    assert!(eval("StringNotLike", "s3:prefix", &["${aws:username}/*"], &session));
    assert!(eval("StringNotEquals", "s3:prefix", &["${aws:username}", "other"], &session));
    assert!(!eval("StringNotEquals", "s3:prefix", &["${aws:username}", "shared/x"], &session));
    // A default is used when the key is absent.
    let t = run("StringLike", "s3:prefix", &["${aws:PrincipalTag/team, 'shared'}/*"], &session);
    assert!(t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("shared/*")]);
    // A multivalued key cannot be a variable.
    let mut c = multi("aws:TagKeys", &["x"]);
    c.set("k:k", "x");
    assert!(!eval("StringEquals", "k:k", &["${aws:TagKeys}"], &c));
    assert!(eval("StringEquals", "k:k", &["${aws:TagKeys, 'x'}"], &c));
}

#[test]
fn variables_in_arn_and_bool_values() {
    let c = ctx(&[
        ("aws:PrincipalAccount", "111122223333"),
        ("aws:PrincipalArn", "arn:aws:iam::111122223333:role/R"),
        ("aws:SourceArn", "arn:aws:iam::111122223333:role/R"),
        ("flag:f", "true"),
        ("k:k", "TRUE"),
    ]);
    assert!(eval("ArnLike", "aws:SourceArn", &["arn:aws:iam::${aws:PrincipalAccount}:role/*"], &c));
    // A whole ARN through a variable: its colons still separate the parts.
    assert!(eval("ArnEquals", "aws:SourceArn", &["${aws:PrincipalArn}"], &c));
    assert!(!eval("ArnLike", "aws:SourceArn", &["arn:aws:iam::${aws:username}:role/*"], &c));
    assert!(eval("ArnNotLike", "aws:SourceArn", &["arn:aws:iam::${aws:username}:role/*"], &c));
    assert!(eval("Bool", "k:k", &["${flag:f}"], &c));
    // Numeric values never take variables: the text stays literal.
    let t = run("NumericEquals", "k:k", &["${flag:f}"], &ctx(&[("k:k", "1")]));
    assert!(!t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("${flag:f}")]);
}

// ------------------------------------------------------------------ traces

#[test]
fn trace_fields() {
    let c = ctx(&[("aws:PrincipalOrgID", "o-2")]);
    let t = run("StringNotEquals", "aws:PrincipalOrgID", &["o-1", "o-3"], &c);
    assert!(t.matched);
    assert_eq!(t.operator.name(), "StringNotEquals");
    assert_eq!(&*t.key, "aws:PrincipalOrgID");
    assert_eq!(t.request_values, Some(ContextValue::from("o-2")));
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("o-1"), std::sync::Arc::<str>::from("o-3")]);
    assert_eq!(t.reason(), "`o-2` matched none of the values, so StringNotEquals is true");
    let t = run("StringNotEquals", "aws:PrincipalOrgID", &["o-2"], &c);
    assert_eq!(t.reason(), "`o-2` equals `o-2`, so StringNotEquals is false");
    let t = run("ForAnyValue:StringLikeIfExists", "aws:TagKeys", &["e*"], &multi("aws:TagKeys", &["x", "env"]));
    assert_eq!(t.operator.to_string(), "ForAnyValue:StringLikeIfExists");
    assert_eq!(t.reason(), "`env` matches `e*`, so ForAnyValue:StringLikeIfExists is true");
    let t = run("NumericLessThan", "k:k", &["5"], &ctx(&[("k:k", "7")]));
    assert_eq!(t.reason(), "`7` is not less than `5`, so NumericLessThan is false");
    let t = run("Null", "k:k", &["true"], &RequestContext::new());
    assert_eq!(t.reason(), "key missing: Null `true` is true when the key is absent");
}

#[test]
fn conditions_from_a_parsed_policy() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*",
        "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]},"Bool":{"aws:SecureTransport":true},
                     "NumericLessThanEquals":{"s3:max-keys":10}}}}"#;
    let policy = parse_policy(text, PolicyType::Identity).unwrap().policy;
    let conds = &policy.statements[0].conditions;
    assert_eq!(conds.len(), 3);
    let c = ctx(&[("aws:username", "bob"), ("s3:prefix", "home/bob/a"), ("aws:SecureTransport", "true"), ("s3:max-keys", "10")]);
    for co in conds {
        let t = evaluate(co, &c, policy.version.variables_enabled());
        assert!(t.matched, "{t:?}");
        assert_eq!(t.span, co.span);
    }
}

// -------------------------------------------------------------- validation

#[test]
fn policy_values_are_validated_per_family() {
    use OperatorBase::*;
    assert!(validate_policy_value(StringEquals, "anything ${at} all").is_ok());
    assert!(validate_policy_value(NumericLessThan, "-2.5").is_ok());
    assert_eq!(validate_policy_value(NumericLessThan, "abc").unwrap_err(), "`abc` is not a number: `NumericLessThan` compares numbers");
    assert!(validate_policy_value(DateLessThan, "2020-01-01T00:00:00+02:00").is_ok());
    assert!(validate_policy_value(DateLessThan, "1700000000").is_ok());
    assert!(validate_policy_value(DateLessThan, "2020-02-30").is_err());
    assert!(validate_policy_value(Bool, "TRUE").is_ok());
    assert!(validate_policy_value(Bool, "yes").is_err());
    assert!(validate_policy_value(BinaryEquals, "QmluYXJ5").is_ok());
    assert!(validate_policy_value(BinaryEquals, "%%").is_err());
    assert!(validate_policy_value(IpAddress, "2001:db8::/32").is_ok());
    assert!(validate_policy_value(NotIpAddress, "10.0.0.0/33").is_err());
    assert!(validate_policy_value(ArnLike, "arn:aws:iam::*:role/*").is_ok());
    assert!(validate_policy_value(ArnLike, "*").is_err());
    assert!(validate_policy_value(Null, "false").is_ok());
    assert!(validate_policy_value(Null, "maybe").is_err());
    for base in OperatorBase::ALL {
        if let Err(msg) = validate_policy_value(base, "not valid here") {
            assert!(msg.starts_with("`not valid here` is not"), "{msg}");
            assert!(!msg.ends_with('.'), "{msg}");
        }
    }
}

#[test]
fn parser_rejects_bad_values() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
        "Condition":{"NumericLessThan":{"s3:max-keys":"lots"}}}}"#;
    let errs = parse_policy(text, PolicyType::Identity).unwrap_err();
    assert!(errs.iter().any(|d| format!("{d:?}").contains("is not a number")), "{errs:?}");
}

#[test]
fn epoch_seconds_of_any_date_form() {
    assert_eq!(epoch_seconds("2024-05-01T12:00:00Z"), Some(1_714_564_800));
    assert_eq!(epoch_seconds("2024-05-01T14:00:00.9+02:00"), Some(1_714_564_800));
    assert_eq!(epoch_seconds("1714564800"), Some(1_714_564_800));
    assert_eq!(epoch_seconds("soon"), None);
}

#[test]
fn values_changed_after_building_are_still_honoured() {
    let c = ctx(&[("aws:SourceIp", "203.0.113.7"), ("aws:username", "alice")]);
    let mut co = cond("IpAddress", "aws:SourceIp", &["10.0.0.0/8"]);
    assert!(!evaluate(&co, &c, true).matched);
    co.values = vec![Spanned { value: std::sync::Arc::from("203.0.113.0/24"), span: Span::default() }];
    let t = evaluate(&co, &c, true);
    assert!(t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("203.0.113.0/24")]);
    co.operator.base = OperatorBase::NotIpAddress;
    assert!(!evaluate(&co, &c, true).matched);
    let mut co = cond("StringEquals", "aws:username", &["bob"]);
    co.values.push(Spanned { value: std::sync::Arc::from("${aws:username}"), span: Span::default() });
    let t = evaluate(&co, &c, true);
    assert!(t.matched);
    assert_eq!(*t.policy_values, [std::sync::Arc::<str>::from("bob"), std::sync::Arc::<str>::from("alice")]);
}
