//! Time is exact (pinned times are read or refused, never replaced by the
//! clock; sessions expire; arithmetic cannot wrap) and input is strict
//! (raw control characters, oversized policies given as objects).
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use trustwalk_core::json::{self, MAX_TEXT_BYTES};
use trustwalk_core::scenario::{self, Outcome, RunOptions, ScenarioResult};
use trustwalk_core::time;
use trustwalk_core::Diagnostic;

const USER: &str = "arn:aws:iam::111111111111:user/U";
const ROLE: &str = "arn:aws:iam::111111111111:role/R";

/// User U may assume role R (with MFA), whose sessions may delete objects
/// while the MFA is under an hour old and read them at any time.
fn doc(context: &str, steps: &str) -> String {
    format!(
        r#"{{
  "format": "trustwalk/scenario@1",
  "context": {context},
  "accounts": [{{
    "id": "111111111111",
    "users": [{{ "name": "U" }}],
    "roles": [{{
      "name": "R",
      "maxSessionDuration": 43200,
      "trustPolicy": {{ "Version": "2012-10-17", "Statement": [{{ "Effect": "Allow", "Principal": {{ "AWS": "{USER}" }}, "Action": "sts:AssumeRole" }}] }},
      "policies": [{{ "name": "P", "document": {{ "Version": "2012-10-17", "Statement": [
        {{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }},
        {{ "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*", "Condition": {{ "NumericLessThan": {{ "aws:MultiFactorAuthAge": "3600" }} }} }}
      ] }} }}]
    }}],
    "buckets": [{{ "name": "bkt" }}]
  }}],
  "steps": [{steps}]
}}"#
    )
}

fn assume(id: &str, extra: &str) -> String {
    format!(r#"{{ "id": "{id}", "principal": "{USER}", "action": "sts:AssumeRole", "roleArn": "{ROLE}", "sessionName": "ss"{extra} }}"#)
}

fn use_session(id: &str, action: &str, context: &str) -> String {
    format!(
        r#"{{ "id": "{id}", "principal": "arn:aws:sts::111111111111:assumed-role/R/ss", "action": "{action}", "resource": "arn:aws:s3:::bkt/k", "context": {context} }}"#
    )
}

fn run(text: &str, now: i64) -> ScenarioResult {
    let (s, _) = scenario::load(text).unwrap_or_else(|e| panic!("{e:?}"));
    scenario::run(&s, RunOptions { now_epoch_seconds: now, ..Default::default() })
}

fn errors(text: &str) -> Vec<Diagnostic> {
    scenario::load(text).err().unwrap_or_else(|| panic!("expected errors for {text}"))
}

/// The one error of `text`, which must have `code`: its message, path, and
/// the text it points at.
fn one_error(text: &str, code: &str) -> (String, String, String) {
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:#?}");
    let e = &e[0];
    assert_eq!(e.code.as_str(), code, "{e:#?}");
    let l = e.location.unwrap_or_else(|| panic!("no location: {e:?}"));
    (e.message.clone(), e.path.as_str().to_string(), text[l.start..l.end].to_string())
}

const NOON: &str = r#"{ "aws:CurrentTime": "2026-01-15T12:00:00Z" }"#;

// ------------------------------------------------------------ pinned times

#[test]
fn an_unreadable_pinned_current_time_is_a_located_error() {
    for (value, words) in [
        (r#""soon""#, "`soon` is not a time"),
        (r#""99999-01-01T00:00:00Z""#, "years have four digits"),
        (r#""2016-12-31T23:59:60Z""#, "no leap seconds"),
        ("1768478400.5", "epoch seconds are whole numbers"),
        ("1.7e9", "`1.7e9` is not a time"),
        (r#""1768478400.5""#, "whole numbers"),
        (r#""-9223372036854775808""#, "outside the times Trustwalk handles"),
        (r#""9223372036854775807""#, "outside"),
        (r#""253402300800""#, "outside"),
        (r#""1969-12-31T23:59:59Z""#, "outside"),
        ("true", "must be a time"),
        (r#"["2026-01-15T12:00:00Z"]"#, "takes one time, not a list"),
    ] {
        // In the document's context…
        let text = doc(&format!(r#"{{ "aws:CurrentTime": {value} }}"#), &assume("a", ""));
        let (message, path, at) = one_error(&text, "INVALID_TIME");
        assert!(message.starts_with("`aws:CurrentTime`") && message.contains(words), "{value}: {message}");
        assert_eq!(path, r#"context["aws:CurrentTime"]"#);
        assert_eq!(at, value);
        // …and in a step's.
        let text = doc("{}", &use_session("late", "s3:GetObject", &format!(r#"{{ "aws:CurrentTime": {value} }}"#)));
        let (message, path, at) = one_error(&text, "INVALID_TIME");
        assert!(message.contains(words), "{value}: {message}");
        assert_eq!(path, r#"steps[0].context["aws:CurrentTime"]"#);
        assert_eq!(at, value);
    }
}

#[test]
fn other_pinned_times_are_checked_too() {
    let text = doc(r#"{ "aws:EpochTime": "later", "aws:tokenissuetime": "10000-01-01T00:00:00Z" }"#, &assume("a", ""));
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e.iter().all(|d| d.code.as_str() == "INVALID_TIME"), "{e:#?}");
    assert!(e[0].message.starts_with("`aws:EpochTime`: `later` is not a time"), "{}", e[0].message);
    assert!(e[1].message.starts_with("`aws:TokenIssueTime`:"), "{}", e[1].message);
    // Readable times in range, as text or as a number, and null (unpinned), load.
    for ok in
        [r#""2026-01-15T12:00:00Z""#, r#""2026-01-15T13:00:00+01:00""#, r#""1768478400""#, "1768478400", "0", r#""9999-12-31T23:59:59Z""#, "null"]
    {
        let text = doc(&format!(r#"{{ "aws:CurrentTime": {ok}, "aws:EpochTime": {ok} }}"#), &assume("a", ""));
        assert!(scenario::load(&text).is_ok(), "{ok}");
    }
}

#[test]
fn a_pinned_time_is_never_replaced_by_the_clock() {
    // A scenario built in memory (the loader is bypassed) with times no
    // check saw: the step is invalid, with the reason, and not evaluated
    // at "now" — before, a session issued at i64::MIN and used at i64::MAX
    // had an MFA age that wrapped to 0 in release builds, and was allowed.
    let text = doc(
        NOON,
        &[
            assume("assume", r#", "mfa": {}, "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" }"#),
            use_session("delete", "s3:DeleteObject", r#"{ "aws:CurrentTime": "2026-01-15T12:10:00Z" }"#),
        ]
        .join(","),
    );
    let (mut s, _) = scenario::load(&text).unwrap();
    let pin = |s: &mut scenario::Scenario, step: usize, value: &str| {
        s.steps[step].context = vec![("aws:CurrentTime".into(), Some(value.into()))];
    };
    let now = RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() };
    let r = scenario::run(&s, now);
    assert_eq!((r.steps[0].decision, r.steps[1].decision), (Outcome::Allowed, Outcome::Allowed), "{}", r.steps[1].summary);
    assert_eq!(r.steps[1].context.get_single("aws:MultiFactorAuthAge"), Some("600"));

    pin(&mut s, 0, "-9223372036854775808");
    pin(&mut s, 1, "9223372036854775807");
    let r = scenario::run(&s, now);
    assert_eq!(r.steps[0].decision, Outcome::Invalid);
    assert!(r.steps[0].summary.starts_with("invalid: `aws:CurrentTime`: `-9223372036854775808` is outside the times"), "{}", r.steps[0].summary);
    assert_eq!(r.steps[1].decision, Outcome::Skipped, "no session was created");

    pin(&mut s, 0, "2026-01-15T12:00:00Z");
    pin(&mut s, 1, "soon");
    let r = scenario::run(&s, now);
    assert_eq!(r.steps[1].decision, Outcome::Invalid);
    assert!(r.steps[1].summary.contains("`soon` is not a time"), "{}", r.steps[1].summary);
}

#[test]
fn now_outside_the_range_makes_unpinned_steps_invalid() {
    let text = doc("{}", &assume("a", ""));
    for now in [-1, time::MAX_EPOCH + 1, i64::MIN, i64::MAX] {
        let r = run(&text, now);
        assert_eq!(r.steps[0].decision, Outcome::Invalid, "{now}");
        assert!(r.steps[0].summary.contains("\"now\" is") && r.steps[0].summary.contains("9999-12-31T23:59:59Z"), "{}", r.steps[0].summary);
    }
    // The last second of the range reads back: aws:EpochTime is set.
    let r = run(&text, time::MAX_EPOCH);
    assert_eq!(r.steps[0].decision, Outcome::Allowed);
    assert_eq!(r.steps[0].context.get_single("aws:CurrentTime"), Some("9999-12-31T23:59:59Z"));
    assert_eq!(r.steps[0].context.get_single("aws:EpochTime"), Some("253402300799"));
}

// ---------------------------------------------------------------- MFA age

#[test]
fn mfa_age_must_be_whole_seconds_in_range() {
    for bad in ["1.7e308", "0.5", "-1", "253402300800", "\"60\"", "1e400"] {
        let text = doc(NOON, &assume("a", &format!(r#", "mfa": {{ "ageSeconds": {bad} }}"#)));
        let (message, path, at) = one_error(&text, "INVALID_NUMBER");
        assert_eq!(message, "`ageSeconds` must be a whole number of seconds from 0 to 253402300799", "{bad}");
        assert_eq!(path, "steps[0].mfa.ageSeconds");
        assert_eq!(at, bad);
    }
    for (ok, age) in [("0", "0"), ("3.6e3", "3600"), ("1800.0", "1800"), ("253402300799", "253402300799")] {
        let text = doc(NOON, &assume("a", &format!(r#", "mfa": {{ "ageSeconds": {ok} }}"#)));
        let r = run(&text, 0);
        assert_eq!(r.steps[0].context.get_single("aws:MultiFactorAuthAge"), Some(age), "{ok}");
    }
}

#[test]
fn mfa_age_grows_with_the_time_between_the_steps() {
    let text = doc(
        NOON,
        &[
            assume("assume", r#", "mfa": { "ageSeconds": 1200 }"#),
            use_session("soon", "s3:DeleteObject", r#"{ "aws:CurrentTime": "2026-01-15T12:39:59Z" }"#),
            use_session("later", "s3:DeleteObject", r#"{ "aws:CurrentTime": "2026-01-15T12:40:00Z" }"#),
        ]
        .join(","),
    );
    let r = run(&text, 0);
    assert_eq!(r.steps[1].context.get_single("aws:MultiFactorAuthAge"), Some("3599"));
    assert_eq!(r.steps[1].decision, Outcome::Allowed);
    assert_eq!(r.steps[2].context.get_single("aws:MultiFactorAuthAge"), Some("3600"));
    assert_eq!(r.steps[2].decision, Outcome::ImplicitDeny);
}

// --------------------------------------------------------- session expiry

#[test]
fn a_session_expires_after_its_duration() {
    let text = doc(
        NOON,
        &[
            assume("assume", r#", "durationSeconds": 900"#),
            use_session("in-time", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-15T12:14:59Z" }"#),
            use_session("at-expiry", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-15T12:15:00Z" }"#),
            use_session("a-year-later", "s3:GetObject", r#"{ "aws:CurrentTime": "2027-01-15T12:00:00Z" }"#),
        ]
        .join(","),
    );
    let r = run(&text, 0);
    let d: Vec<_> = r.steps.iter().map(|s| s.decision).collect();
    assert_eq!(
        d,
        [Outcome::Allowed, Outcome::Allowed, Outcome::Invalid, Outcome::Invalid],
        "{:#?}",
        r.steps.iter().map(|s| &s.summary).collect::<Vec<_>>()
    );
    assert_eq!(
        r.steps[3].summary,
        "invalid: the session expired at 2026-01-15T12:15:00Z (900 seconds after step `assume` issued it at 2026-01-15T12:00:00Z); this step's time is 2027-01-15T12:00:00Z"
    );
    // The step shows the context it would have been evaluated with.
    assert_eq!(r.steps[3].context.get_single("aws:CurrentTime"), Some("2027-01-15T12:00:00Z"));
    assert!(r.steps[3].evaluation.is_none());
}

#[test]
fn a_session_lasts_an_hour_by_default_and_is_renewed_by_assuming_again() {
    let text = doc(
        NOON,
        &[
            assume("assume", ""),
            use_session("59-minutes", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-15T12:59:59Z" }"#),
            use_session("an-hour", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-15T13:00:00Z" }"#),
            assume("again", r#", "durationSeconds": 43200, "context": { "aws:CurrentTime": "2026-01-15T13:00:00Z" }"#),
            use_session("renewed", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-16T00:59:59Z" }"#),
            use_session("twelve-hours", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-16T01:00:00Z" }"#),
        ]
        .join(","),
    );
    let r = run(&text, 0);
    let d: Vec<_> = r.steps.iter().map(|s| s.decision).collect();
    assert_eq!(d, [Outcome::Allowed, Outcome::Allowed, Outcome::Invalid, Outcome::Allowed, Outcome::Allowed, Outcome::Invalid]);
    assert!(r.steps[2].summary.starts_with("invalid: the session expired at 2026-01-15T13:00:00Z (3600 seconds"), "{}", r.steps[2].summary);
}

#[test]
fn a_session_used_before_it_was_issued_is_invalid() {
    let text =
        doc(NOON, &[assume("assume", ""), use_session("earlier", "s3:GetObject", r#"{ "aws:CurrentTime": "2026-01-15T11:59:59Z" }"#)].join(","));
    let r = run(&text, 0);
    assert_eq!(r.steps[1].decision, Outcome::Invalid);
    assert_eq!(
        r.steps[1].summary,
        "invalid: the session `arn:aws:sts::111111111111:assumed-role/R/ss` was issued at 2026-01-15T12:00:00Z (step `assume`), after this step's time 2026-01-15T11:59:59Z"
    );
}

#[test]
fn an_expired_session_cannot_chain() {
    let text = doc(
        NOON,
        &[
            assume("assume", ""),
            format!(
                r#"{{ "id": "chain", "principal": "arn:aws:sts::111111111111:assumed-role/R/ss", "action": "sts:AssumeRole", "roleArn": "{ROLE}", "sessionName": "tt", "context": {{ "aws:CurrentTime": "2026-01-16T12:00:00Z" }} }}"#
            ),
        ]
        .join(","),
    );
    let r = run(&text, 0);
    assert_eq!(r.steps[1].decision, Outcome::Invalid);
    assert!(r.steps[1].summary.contains("the session expired at 2026-01-15T13:00:00Z"), "{}", r.steps[1].summary);
    assert!(r.steps[1].session.is_none());
}

// ------------------------------------------------------------- strictness

#[test]
fn raw_control_characters_are_errors_in_the_document_and_in_policy_text() {
    let text = doc(NOON, &assume("a\u{1}b", ""));
    let e = errors(&text);
    assert_eq!(e[0].code.as_str(), "JSON_SYNTAX_ERROR", "{e:?}");
    assert!(e[0].message.contains("raw control character (U+0001)"), "{e:?}");
    assert_eq!(&text[e[0].location.unwrap().start..][..1], "\u{1}");
    // A policy given as text holding `\u0001` unescaped inside one of its strings.
    let text = doc(NOON, &assume("a", "")).replace(
        r#""policies": [{ "name": "P", "document": {"#,
        r#""policies": [{ "name": "Q", "document": "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"x\u0001\", \"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}" }, { "name": "P", "document": {"#,
    );
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].code.as_str(), "JSON_SYNTAX_ERROR", "{e:?}");
    assert!(e[0].message.contains("raw control character (U+0001)"), "{}", e[0].message);
    assert_eq!(e[0].path.as_str(), "accounts[0].roles[0].policies[0].document");
    // Located in the file at the `\u0001` escape, and in the policy text.
    let l = e[0].location.unwrap();
    assert_eq!(&text[l.start..l.end], "\\u0001");
    assert_eq!(e[0].text_location.map(|t| (t.line, t.column)), Some((1, 50)));
}

/// A `Version`/`Statement` policy object of about `bytes` bytes.
fn big_policy(bytes: usize) -> String {
    let statement = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/some/long/prefix/to/make/the/statement/longer/*"}"#;
    let n = bytes / (statement.len() + 1) + 1;
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, vec![statement; n].join(","))
}

#[test]
fn a_policy_given_as_an_object_obeys_the_text_limit() {
    let with_policy = |policy: &str| {
        doc(NOON, &assume("a", "")).replace(
            r#""users": [{ "name": "U" }]"#,
            &format!(r#""users": [{{ "name": "U", "policies": [{{ "name": "Big", "document": {policy} }}] }}]"#),
        )
    };
    let big = big_policy(MAX_TEXT_BYTES + 10);
    let text = with_policy(&big);
    let e = scenario::load_with_limit(&text, 8 * MAX_TEXT_BYTES).unwrap_err();
    assert_eq!(e.len(), 1, "{:?}", e.iter().map(|d| &d.message).collect::<Vec<_>>());
    assert_eq!(e[0].code.as_str(), "TOO_LARGE");
    assert_eq!(e[0].message, format!("the policy is {} bytes long; at most 1048576 bytes are accepted", big.len()));
    assert_eq!(e[0].path.as_str(), "accounts[0].users[0].policies[0].document");
    let l = e[0].location.unwrap();
    assert_eq!((l.line, &text[l.start..l.end]), (6, big.as_str()));
    // The same policy built in memory (no text: its compact length counts).
    let tree = json::from_value(&serde_json::from_str(&text).unwrap());
    let e = scenario::load_json(&tree).unwrap_err();
    assert!(e[0].message.starts_with("the policy is ") && e[0].message.ends_with("at most 1048576 bytes are accepted"), "{}", e[0].message);
    // Just under the limit, it loads.
    let fits = big_policy(MAX_TEXT_BYTES - 2000);
    assert!(fits.len() <= MAX_TEXT_BYTES);
    assert!(scenario::load_with_limit(&with_policy(&fits), 8 * MAX_TEXT_BYTES).is_ok());
}
