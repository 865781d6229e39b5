//! Matching of actions, resources and principals (docs/evaluation.md §2).

use crate::arn::{self, AccountId, Principal, PrincipalArn};
use crate::context::RequestContext;
use crate::variables::{self, Segment};
use crate::wildcard::{self, Pattern};
use serde::{Deserialize, Serialize};

/// How a Principal element matched the caller (docs/evaluation.md §2.3).
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

/// Does the policy action (`s3:Get*`, `*`) match the request action
/// (`s3:GetObject`)? Prefix compared exactly after lower-casing, name by
/// glob without regard to case; white space never matches (§2.1).
pub fn action_matches(policy_action: &str, request_action: &str) -> bool {
    if policy_action == "*" {
        return true;
    }
    let (Some((ps, pn)), Some((rs, rn))) = (split_colon(policy_action), split_colon(request_action)) else {
        return false;
    };
    ps.eq_ignore_ascii_case(rs) && wildcard::glob_match_ignore_case(pn, rn) && !has_whitespace(policy_action)
}

/// White space is ASCII (at most a space) or not ASCII: a byte scan rules
/// most text out before the character test.
fn has_whitespace(s: &str) -> bool {
    s.bytes().any(|b| b <= b' ' || !b.is_ascii()) && s.chars().any(char::is_whitespace)
}

/// `service:name` → (`service`, `name`), by a byte search.
fn split_colon(a: &str) -> Option<(&str, &str)> {
    let i = a.bytes().position(|b| b == b':')?;
    Some((a.get(..i)?, a.get(i + 1..)?))
}

/// The outcome of matching one Resource entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceMatch {
    Matched,
    NotMatched,
    /// A variable's key is absent and has no default: the entry matches
    /// nothing (§3.7).
    MissingVariable(String),
}

/// Matches a policy Resource entry against the request resource: part by
/// part, the first five without regard to case, the resource part with
/// case; wildcards never cross the first five colons (§2.2). Variables are
/// substituted in the resource part when `variables` is true.
pub fn resource_matches(policy: &str, request: &str, ctx: &RequestContext, variables: bool) -> ResourceMatch {
    resource_matches_split(policy, arn::split(request).as_ref(), ctx, variables)
}

/// [`resource_matches`] with the request ARN already split (`None` for `*`
/// or text that is not an ARN), so that it is split once per request.
pub fn resource_matches_split(policy: &str, request: Option<&[&str; 6]>, ctx: &RequestContext, variables: bool) -> ResourceMatch {
    match request {
        Some(r) => RequestArn { parts: Some(*r), prefix: None }.matches(policy, ctx, variables),
        None => RequestArn { parts: None, prefix: None }.matches(policy, ctx, variables),
    }
}

/// A request resource split once per request, for matching it against
/// many policy entries.
#[derive(Debug, Clone, Copy)]
pub struct RequestArn<'a> {
    /// `None` for `*` or text that is not an ARN.
    parts: Option<[&'a str; 6]>,
    /// The text up to and including the fifth colon.
    prefix: Option<&'a str>,
}

impl<'a> RequestArn<'a> {
    pub fn new(resource: &'a str) -> Self {
        let parts = arn::split(resource);
        let prefix = parts.and_then(|[_, _, _, _, _, res]| resource.get(..resource.len().checked_sub(res.len())?));
        RequestArn { parts, prefix }
    }

    /// [`resource_matches`] against this request resource.
    pub fn matches(&self, policy: &str, ctx: &RequestContext, variables: bool) -> ResourceMatch {
        if policy == "*" {
            return ResourceMatch::Matched;
        }
        let Some(r) = &self.parts else {
            return ResourceMatch::NotMatched;
        };
        // Most entries write the first five parts as the request does: the
        // same text (ignoring ASCII case) holds its colons at the same
        // places, so each part matches and the split is not needed.
        let fast = self.prefix.and_then(|prefix| {
            let head = policy.get(..prefix.len())?;
            (head == prefix || head.eq_ignore_ascii_case(prefix)).then(|| policy.get(prefix.len()..)).flatten()
        });
        let policy_res = match fast {
            Some(res) => res,
            None => {
                let Some(p) = arn::split(policy) else {
                    return ResourceMatch::NotMatched;
                };
                for (pp, rp) in p.iter().zip(r.iter()).take(5) {
                    if !wildcard::glob_match_ignore_case(pp, rp) {
                        return ResourceMatch::NotMatched;
                    }
                }
                p[5]
            }
        };
        let request_res = r[5];
        let matched = if variables && variables::has_variables(policy_res) {
            // The text before the first variable, without wildcards, must
            // start the request's: otherwise the pattern cannot match, and
            // only a missing variable is left to find (without building it).
            let head = policy_res.split("${").next().unwrap_or_default();
            if !head.contains(['*', '?']) && !request_res.starts_with(head) {
                return match unresolved_variable(policy_res, ctx) {
                    Some(key) => ResourceMatch::MissingVariable(key),
                    None => ResourceMatch::NotMatched,
                };
            }
            match substitute(policy_res, ctx) {
                Ok(p) => p.matches(request_res),
                Err(key) => return ResourceMatch::MissingVariable(key),
            }
        } else {
            wildcard::glob_match(policy_res, request_res)
        };
        if matched {
            ResourceMatch::Matched
        } else {
            ResourceMatch::NotMatched
        }
    }
}

/// Builds a pattern from text with `${…}` variables: substituted values and
/// `${*}`-style escapes are literal. `Err(key)` names an absent variable.
pub fn substitute(text: &str, ctx: &RequestContext) -> Result<Pattern, String> {
    let segments = variables::parse_template(text).map_err(|_| text.to_string())?;
    let mut p = Pattern::default();
    for seg in segments {
        match seg {
            Segment::Text(t) => p.push_glob(&t),
            Segment::Escaped(c) => p.push_literal(c.encode_utf8(&mut [0; 4])),
            Segment::Variable { key, default } => match (ctx.get_single(&key), default) {
                (Some(v), _) => p.push_literal(v),
                (None, Some(d)) => p.push_literal(&d),
                (None, None) => return Err(key),
            },
        }
    }
    Ok(p)
}

/// What [`substitute`] returns as `Err` for `text`, if anything: the text
/// when it is malformed, else the first variable without a value or a
/// default.
fn unresolved_variable(text: &str, ctx: &RequestContext) -> Option<String> {
    match variables::parse_template(text) {
        Err(_) => Some(text.to_string()),
        Ok(segments) => segments.into_iter().find_map(|seg| match seg {
            Segment::Variable { key, default: None } if ctx.get_single(&key).is_none() => Some(key),
            _ => None,
        }),
    }
}

/// Who is calling, as the principal matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrincipalFacts {
    /// The caller's own ARN: user ARN, session ARN, federated-user ARN,
    /// root ARN; empty for anonymous and service callers.
    pub arn: String,
    /// The caller's account; `None` for anonymous callers and services.
    pub account: Option<String>,
    /// For a role session: the role's ARN, path included.
    pub role_arn: Option<String>,
    /// `AIDA…` for a user, `AROA…` (the role's) for a session.
    pub unique_id: Option<String>,
    /// For a service caller: `ec2.amazonaws.com`.
    pub service: Option<String>,
    /// For a web-identity or SAML session: the provider.
    pub federated: Option<String>,
    pub anonymous: bool,
}

fn account_of_principal(value: &str) -> Option<&str> {
    // Cheap rejection first: most values are neither an ID nor a root ARN.
    if value.len() != 12 && !value.ends_with(":root") {
        return None;
    }
    Principal::parse_aws_value(value).ok()?.whole_account().map(AccountId::as_str)
}

/// `(partition, account, role name)` of `arn:P:iam::ACCT:role/path/NAME`.
fn role_parts(arn: &str) -> Option<(&str, AccountId<'_>, &str)> {
    PrincipalArn::parse(arn).ok()?.role_identity()
}

/// The text after the last `/` (all of it when there is none), by a byte
/// search.
fn after_last_slash(s: &str) -> &str {
    match s.bytes().rposition(|b| b == b'/') {
        Some(i) => s.get(i + 1..).unwrap_or_default(),
        None => s,
    }
}

/// A role ARN in a policy names the caller's role when the partition,
/// account and role *name* agree: a session ARN carries no path, so the
/// path cannot be compared (docs/evaluation.md §2.3 "Role" level).
pub fn same_role(policy_value: &str, role_arn: &str) -> bool {
    // Cheap rejection first: the role names must agree.
    let name = after_last_slash(role_arn);
    if !policy_value.ends_with(name) {
        return false;
    }
    matches!((role_parts(policy_value), role_parts(role_arn)), (Some(p), Some(r)) if p == r)
}

/// Matches one `AWS` principal value; `None` when it does not match.
pub fn aws_principal_level(value: &str, who: &PrincipalFacts) -> Option<MatchLevel> {
    if value == "*" {
        return Some(MatchLevel::Direct);
    }
    if who.anonymous {
        return None;
    }
    if let Some(acct) = account_of_principal(value) {
        return (who.account.as_deref() == Some(acct)).then_some(MatchLevel::Account);
    }
    if !who.arn.is_empty() && value == who.arn {
        return Some(MatchLevel::Direct);
    }
    if let Some(role) = who.role_arn.as_deref() {
        if value == role || same_role(value, role) {
            return Some(MatchLevel::Role);
        }
    }
    if let Some(id) = &who.unique_id {
        if value == id {
            return Some(if who.role_arn.is_some() { MatchLevel::Role } else { MatchLevel::Direct });
        }
    }
    None
}

/// The request's principal key for traces: the caller's ARN, or the
/// service or `anonymous`.
pub fn describe(who: &PrincipalFacts) -> String {
    describe_str(who).to_string()
}

pub(crate) fn describe_str(who: &PrincipalFacts) -> &str {
    if who.anonymous {
        "anonymous"
    } else if let Some(s) = &who.service {
        s
    } else {
        &who.arn
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn actions_ignore_case_and_stay_in_their_service() {
        assert!(action_matches("S3:getobject", "s3:GetObject"));
        assert!(action_matches("s3:Get*", "s3:GetObjectTagging"));
        assert!(!action_matches("s3:Get*", "iam:GetUser"));
        assert!(!action_matches("s3: GetObject", "s3:GetObject"));
        assert!(action_matches("*", "ec2:RunInstances"));
        assert!(!action_matches("s3*:GetObject", "s3:GetObject"));
    }

    #[test]
    fn resources_follow_segment_and_case_rules() {
        let c = RequestContext::new();
        let m = |p: &str, r: &str| resource_matches(p, r, &c, true) == ResourceMatch::Matched;
        assert!(m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/x.jpg"));
        assert!(!m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/test/x.jpg"));
        assert!(m("arn:aws:s3:::b*", "arn:aws:s3:::b-logs/k"));
        assert!(!m("arn:aws:s3:::b", "arn:aws:s3:::b/k"));
        assert!(!m("arn:aws:s3:::b/Key", "arn:aws:s3:::b/key"));
        assert!(m("ARN:AWS:S3:::b/Key", "arn:aws:s3:::b/Key"));
        assert!(!m("arn:aws:s3:::b/*", "*"));
        // a wildcard in the region part cannot swallow the account part
        assert!(!m("arn:aws:sqs:*:q", "arn:aws:sqs:us-east-1:111122223333:q"));
        assert!(m("arn:aws:sqs:*:*:q", "arn:aws:sqs:us-east-1:111122223333:q"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The prefix fast path of `RequestArn` agrees with part-by-part
        /// matching.
        #[test]
        fn request_arn_agrees_with_split_matching(p in "([aAé*?/]{0,2}:){3,6}[aAé*?/:]{0,3}", r in "([aAé*/]{0,2}:){3,6}[aAé*/:]{0,3}") {
            let c = RequestContext::new();
            let slow = resource_matches_split(&p, arn::split(&r).as_ref(), &c, true);
            proptest::prop_assert_eq!(RequestArn::new(&r).matches(&p, &c, true), slow);
        }
    }

    #[test]
    fn variables_substitute_literally() {
        let mut c = RequestContext::new();
        c.set("aws:username", "a*");
        assert_eq!(resource_matches("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/a*/x", &c, true), ResourceMatch::Matched);
        assert_eq!(resource_matches("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/ab/x", &c, true), ResourceMatch::NotMatched);
        assert_eq!(
            resource_matches("arn:aws:s3:::b/${aws:userid}/*", "arn:aws:s3:::b/x/y", &c, true),
            ResourceMatch::MissingVariable("aws:userid".into())
        );
        // 2008-10-17: literal
        assert_eq!(resource_matches("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}/x", &c, false), ResourceMatch::Matched);
    }

    #[test]
    fn principal_levels() {
        let session = PrincipalFacts {
            arn: "arn:aws:sts::222222222222:assumed-role/R/s1".into(),
            account: Some("222222222222".into()),
            role_arn: Some("arn:aws:iam::222222222222:role/team/R".into()),
            unique_id: Some("AROAEXAMPLEEXAMPLE01".into()),
            ..Default::default()
        };
        assert_eq!(aws_principal_level("arn:aws:iam::222222222222:role/team/R", &session), Some(MatchLevel::Role));
        assert_eq!(aws_principal_level("arn:aws:sts::222222222222:assumed-role/R/s1", &session), Some(MatchLevel::Direct));
        assert_eq!(aws_principal_level("arn:aws:sts::222222222222:assumed-role/R/s2", &session), None);
        // a session ARN has no path: the role is recognised by account and name
        let no_path = PrincipalFacts { role_arn: Some("arn:aws:iam::222222222222:role/R".into()), ..session.clone() };
        assert_eq!(aws_principal_level("arn:aws:iam::222222222222:role/team/R", &no_path), Some(MatchLevel::Role));
        assert_eq!(aws_principal_level("arn:aws:iam::333333333333:role/team/R", &no_path), None);
        assert_eq!(aws_principal_level("arn:aws:iam::222222222222:role/team/Q", &no_path), None);
        assert_eq!(aws_principal_level("222222222222", &session), Some(MatchLevel::Account));
        assert_eq!(aws_principal_level("arn:aws:iam::222222222222:root", &session), Some(MatchLevel::Account));
        assert_eq!(aws_principal_level("arn:aws:iam::111111111111:root", &session), None);
        assert_eq!(aws_principal_level("*", &PrincipalFacts { anonymous: true, ..Default::default() }), Some(MatchLevel::Direct));
    }
}
