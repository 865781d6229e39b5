//! The checks of one validated policy.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::checks::global_keys::{bare_tag_prefix, closest_global_key, global_key, is_global, KeyType};
use crate::checks::{Finding, LintOptions};
use crate::diag::{DiagCode, JsonPath};
use crate::policy::{
    Condition, Effect, ListElement, OperatorBase, OperatorFamily, Policy, PolicyType, PrincipalKind, SetQualifier, Statement, Version,
};
use crate::wildcard::{glob_match, glob_match_ignore_case};

/// Every code a finding of `lint_*` can have: what validation refuses
/// (grammar), then the checks of this module and the scenario's.
pub const CHECKS: &[DiagCode] = {
    use DiagCode::*;
    &[
        // Grammar: found by validation.
        JsonSyntaxError,
        JsonTooDeep,
        InvalidUtf8,
        ByteOrderMark,
        TooLarge,
        DataTypeMismatch,
        DuplicateKeys,
        DuplicateKeysWithDifferentCase,
        InvalidPolicyElement,
        InvalidVersion,
        MissingStatement,
        EmptyArrayStatement,
        MissingEffect,
        InvalidEffect,
        UnsupportedElementCombination,
        UniqueSidsRequired,
        UnsupportedSid,
        MissingAction,
        EmptyArrayAction,
        InvalidAction,
        InvalidServiceInAction,
        MissingResource,
        EmptyArrayResource,
        InvalidArnPrefix,
        MissingArnField,
        InvalidService,
        InvalidArnAccount,
        MissingPrincipal,
        UnsupportedPrincipal,
        InvalidPrincipalFormat,
        InvalidPrincipalKey,
        InvalidServicePrincipalFormat,
        UnsupportedWildcardInPrincipal,
        EmptyArrayPrincipal,
        EmptyObjectPrincipal,
        RoleTrustPolicySyntaxErrorNotprincipal,
        RoleTrustPolicySyntaxErrorResource,
        RcpSyntaxErrorPrincipal,
        RcpSyntaxErrorNotAction,
        RcpSyntaxErrorAllow,
        RcpSyntaxErrorActionWildcard,
        InvalidConditionOperator,
        NullWithIfExists,
        NullWithQualifier,
        EmptyObjectCondition,
        EmptyArrayCondition,
        InvalidConditionKeyFormat,
        TypeMismatch,
        TypeMismatchNumber,
        TypeMismatchDate,
        TypeMismatchBoolean,
        TypeMismatchIpRange,
        InvalidVariableForOperator,
        VariableUnsupportedInElement,
        MissingBraceInVariable,
        MissingQuoteInVariable,
        EmptyVariable,
        InvalidVariable,
        // Checks: errors.
        NumericOperatorOnNonNumericKey,
        DateOperatorOnNonDateKey,
        BoolOperatorOnNonBooleanKey,
        IpOperatorOnNonIpKey,
        ArnOperatorOnNonArnKey,
        InvalidGlobalConditionKey,
        MissingTagKeyInCondition,
        MissingQualifier,
        PrivateIpAddress,
        PrivateNotIpAddress,
        // Errors that need AWS's catalogue (`Vocabulary`).
        WildcardMatchesNoAction,
        ArnAccountNotAllowed,
        ArnRegionNotAllowed,
        MissingArnAccount,
        MissingArnRegion,
        InvalidServiceConditionKey,
        UnsupportedActionForConditionKey,
        // Security warnings.
        PassRoleWithStarInResource,
        PassRoleWithStarInActionAndResource,
        PassRoleWithStarInResourceAndNotAction,
        PassRoleWithNotResource,
        PassRoleWithStarInActionAndNotResource,
        PassRoleWithNotActionAndNotResource,
        AllowWithNotPrincipal,
        AllowWithNotAction,
        AllowWithNotResource,
        AllowAllActionsOnAllResources,
        AllowIamAllActions,
        AllowStsAllActions,
        ResourcePolicyAllowsAnyPrincipal,
        TrustPolicyAllowsAnyPrincipal,
        MfaDenyWithoutIfExists,
        ForallvaluesWithSingleValuedKey,
        MissingPairedConditionKeys,
        RestrictAccessToServicePrincipal,
        MissingConditionKeyForOidcPrincipal,
        MissingGithubRepoConditionKey,
        // Warnings.
        MissingVersion,
        OutdatedVersion,
        UniqueSidsRecommended,
        StringOperatorOnTypedKey,
        DeprecatedGlobalConditionKey,
        WildcardWithoutLikeOperator,
        InvalidDateValue,
        SpecificGithubRepoAndBranchRecommended,
        AllowOverriddenByDeny,
        ResourceMatchesNoAction,
        ActionMatchesNoResource,
        // Suggestions.
        EmptySidValue,
        RedundantAction,
        RedundantResource,
        RedundantStatement,
        RedundantConditionValueNum,
        DuplicateConditionValue,
        ImproveIpRange,
        PrivateIpAddressSubset,
        PrivateNotIpAddressSubset,
        MissingExternalId,
        MissingSecureTransportDeny,
        StatementMatchesNoStep,
    ]
};

/// Condition keys that narrow who a `"Principal": "*"` statement admits.
const NARROWING_KEYS: &[&str] = &[
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:PrincipalIsAWSService",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceVpcArn",
    "aws:SourceIp",
    "aws:VpcSourceIp",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "aws:userid",
    "aws:username",
    "sts:ExternalId",
    "kms:CallerAccount",
    "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
];

/// Keys that name the source a service principal acts for.
const SOURCE_KEYS: &[&str] = &["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceOwner"];

const GITHUB: &str = "token.actions.githubusercontent.com";

pub(super) fn check(policy: &Policy, options: &LintOptions<'_>) -> Vec<Finding> {
    let mut cx = Cx { policy, options, out: Vec::new() };
    cx.document();
    for s in &policy.statements {
        cx.statement(s);
    }
    cx.out
}

struct Cx<'p, 'o> {
    policy: &'p Policy,
    options: &'o LintOptions<'o>,
    out: Vec<Finding>,
}

/// Whether the policy type can grant access (the others only limit it).
fn grants(t: PolicyType) -> bool {
    matches!(t, PolicyType::Identity | PolicyType::Resource)
}

/// The path of value `i` of `element` at `path`: `Action[1]`, or `Action`
/// for a lone string.
pub(super) fn value_path(path: &JsonPath, element: &ListElement, i: usize) -> JsonPath {
    match element.values.as_slice() {
        [only] if only.span == element.span => path.clone(),
        _ => path.index(i),
    }
}

pub(super) fn condition_path(statement: &JsonPath, c: &Condition) -> JsonPath {
    statement.key("Condition").key(&c.operator.name()).key(&c.key.value)
}

/// The path of value `i` of condition `c`.
fn condition_value_path(statement: &JsonPath, c: &Condition, i: usize) -> JsonPath {
    let p = condition_path(statement, c);
    match c.values.as_slice() {
        [only] if only.span.end == c.span.end => p,
        _ => p.index(i),
    }
}

fn has_key(s: &Statement, keys: &[&str]) -> bool {
    s.conditions.iter().any(|c| keys.iter().any(|k| k.eq_ignore_ascii_case(&c.key.value)))
}

fn key_is(c: &Condition, key: &str) -> bool {
    c.key.value.eq_ignore_ascii_case(key)
}

/// The statement's action element covers `action` (for `NotAction`: does
/// not exclude it).
fn covers_action(a: &ListElement, action: &str) -> bool {
    let listed = a.values.iter().any(|v| glob_match_ignore_case(&v.value, action));
    listed != a.negated
}

/// How a statement's `Action` reaches `iam:PassRole`.
#[derive(PartialEq)]
enum Reach {
    Named,
    Wildcard,
    NotAction,
}

impl<'p> Cx<'p, '_> {
    fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    fn statement_path(&self, s: &Statement) -> JsonPath {
        if self.policy.statements_in_list {
            JsonPath::root().key("Statement").index(s.index)
        } else {
            JsonPath::root().key("Statement")
        }
    }

    fn document(&mut self) {
        let p = self.policy;
        if p.version_missing {
            self.push(Finding::new(
                DiagCode::MissingVersion,
                "the policy has no `Version`: it is read as `2008-10-17`, so `${…}` policy variables are literal text",
                JsonPath::root(),
                Some(p.span),
            ));
        } else if p.version == Version::V2008 {
            self.push(Finding::new(
                DiagCode::OutdatedVersion,
                "`Version` `2008-10-17` reads `${…}` policy variables as literal text",
                JsonPath::root().key("Version"),
                Some(p.span),
            ));
        }
        self.duplicate_sids();
        self.redundant_statements();
        self.secure_transport();
    }

    fn duplicate_sids(&mut self) {
        if matches!(self.policy.policy_type, PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::SessionPolicy | PolicyType::Trust) {
            return; // validation refuses them (UNIQUE_SIDS_REQUIRED)
        }
        let mut seen = crate::keys::Seen::exact();
        for s in &self.policy.statements {
            let Some(sid) = s.sid.as_deref() else { continue };
            if sid.is_empty() {
                continue;
            }
            if !seen.insert(sid) {
                let path = self.statement_path(s).key("Sid");
                self.push(Finding::new(
                    DiagCode::UniqueSidsRecommended,
                    format!("duplicate `Sid` `{sid}`: another statement has it"),
                    path,
                    Some(s.span),
                ));
            }
        }
    }

    fn redundant_statements(&mut self) {
        // Statements are compared in full only when a cheap key, which two
        // equal statements share, is shared.
        fn cheap(s: &Statement) -> (bool, Option<String>, Option<&str>, usize, Option<usize>) {
            let first_action = s.action.values.iter().map(|v| v.value.to_ascii_lowercase()).min();
            let first_resource = s.resource.as_ref().and_then(|r| r.values.iter().map(|v| &*v.value).min());
            (s.effect == Effect::Allow, first_action, first_resource, s.conditions.len(), s.principal.as_ref().map(|p| p.entries.len()))
        }
        // Sorted by that key, statements that share it are neighbours.
        let mut keys: Vec<_> = self.policy.statements.iter().enumerate().map(|(i, s)| (cheap(s), i)).collect();
        keys.sort_unstable();
        let mut shared = vec![false; self.policy.statements.len()];
        for pair in keys.windows(2) {
            if let [(a, i), (b, j)] = pair {
                if a == b {
                    for k in [*i, *j] {
                        if let Some(x) = shared.get_mut(k) {
                            *x = true;
                        }
                    }
                }
            }
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (s, _) in self.policy.statements.iter().zip(&shared).filter(|(_, shared)| **shared) {
            if let Some(first) = seen.insert(canonical(s), s.index) {
                seen.insert(canonical(s), first);
                let path = self.statement_path(s);
                self.push(Finding::new(
                    DiagCode::RedundantStatement,
                    format!("the statement repeats statement {}: it changes nothing", first + 1),
                    path,
                    Some(s.span),
                ));
            }
        }
    }

    /// A bucket policy should deny requests without TLS.
    fn secure_transport(&mut self) {
        let p = self.policy;
        if p.policy_type != PolicyType::Resource || p.statements.is_empty() {
            return;
        }
        let s3_only = p
            .statements
            .iter()
            .flat_map(|s| s.resource.iter().flat_map(|r| r.values.iter()))
            .all(|v| v.value.get(..13).is_some_and(|x| x.eq_ignore_ascii_case("arn:aws:s3:::")));
        let has_resources = p.statements.iter().any(|s| s.resource.is_some());
        if !(self.options.bucket || (s3_only && has_resources)) {
            return;
        }
        let denies = p.statements.iter().any(|s| {
            s.effect == Effect::Deny
                && s.conditions.iter().any(|c| {
                    key_is(c, "aws:SecureTransport")
                        && c.operator.base == OperatorBase::Bool
                        && c.values.iter().any(|v| v.value.eq_ignore_ascii_case("false"))
                })
        });
        if !denies {
            self.push(Finding::new(
                DiagCode::MissingSecureTransportDeny,
                "the bucket policy does not deny requests made without TLS",
                JsonPath::root().key("Statement"),
                Some(p.span),
            ));
        }
    }

    fn statement(&mut self, s: &Statement) {
        let path = self.statement_path(s);
        let t = self.policy.policy_type;
        if s.sid.as_deref() == Some("") {
            self.push(Finding::new(DiagCode::EmptySidValue, "the `Sid` is empty", path.key("Sid"), Some(s.span)));
        }
        if t == PolicyType::Resource && s.resource.is_none() {
            self.push(
                Finding::new(
                    DiagCode::MissingResource,
                    "the statement has no `Resource`: it applies to the resource the policy is attached to",
                    path.clone(),
                    Some(s.span),
                )
                .with_severity(crate::checks::FindingSeverity::Warning)
                .help("add a `Resource`: some services require it, and it says what is meant"),
            );
        }
        if s.effect == Effect::Allow {
            if grants(t) && !self.broad_grants(s, &path) {
                self.pass_role(s, &path);
            }
            self.principals(s, &path);
        }
        self.redundant(&s.action, &path, true);
        if let Some(r) = &s.resource {
            self.redundant(r, &path, false);
        }
        for c in &s.conditions {
            self.condition(s, c, &path);
        }
    }

    /// Returns whether the statement allows everything (`*` on `*`), which
    /// says all the narrower checks would.
    fn broad_grants(&mut self, s: &Statement, path: &JsonPath) -> bool {
        let a = &s.action;
        if a.negated {
            self.push(Finding::new(
                DiagCode::AllowWithNotAction,
                "`NotAction` with Allow grants every action not listed, of every service",
                path.key("NotAction"),
                Some(a.span),
            ));
        }
        if let Some(r) = s.resource.as_ref().filter(|r| r.negated) {
            self.push(Finding::new(
                DiagCode::AllowWithNotResource,
                "`NotResource` with Allow grants every resource not listed",
                path.key("NotResource"),
                Some(r.span),
            ));
        }
        let all_resources = s.resource.as_ref().is_none_or(|r| !r.negated && r.values.iter().any(|v| &*v.value == "*"));
        let mut everything = false;
        if !a.negated && all_resources {
            if let Some(star) = a.values.iter().find(|v| &*v.value == "*") {
                everything = true;
                self.push(Finding::new(
                    DiagCode::AllowAllActionsOnAllResources,
                    "the statement allows every action (`*`) on every resource",
                    path.key("Action"),
                    Some(star.span),
                ));
            }
        }
        if !a.negated {
            for (i, v) in a.values.iter().enumerate() {
                let (code, service) = if v.value.eq_ignore_ascii_case("iam:*") {
                    (DiagCode::AllowIamAllActions, "IAM")
                } else if v.value.eq_ignore_ascii_case("sts:*") {
                    (DiagCode::AllowStsAllActions, "STS")
                } else {
                    continue;
                };
                self.push(Finding::new(
                    code,
                    format!("`{}` allows every {service} action", v.value),
                    value_path(&path.key("Action"), a, i),
                    Some(v.span),
                ));
            }
        }
        everything
    }

    fn pass_role(&mut self, s: &Statement, path: &JsonPath) {
        let a = &s.action;
        let Some(r) = &s.resource else { return };
        if has_key(s, &["iam:PassedToService"]) {
            return;
        }
        let reach = if a.negated {
            if !covers_action(a, "iam:PassRole") {
                return;
            }
            Reach::NotAction
        } else if let Some(_named) = a.values.iter().find(|v| v.value.eq_ignore_ascii_case("iam:PassRole")) {
            Reach::Named
        } else if a.values.iter().any(|v| glob_match_ignore_case(&v.value, "iam:PassRole")) {
            Reach::Wildcard
        } else {
            return;
        };
        let star = !r.negated && r.values.iter().any(|v| &*v.value == "*");
        if !star && !r.negated {
            return;
        }
        use DiagCode::*;
        let (code, message) = match (reach, r.negated) {
            (Reach::Named, false) => {
                (PassRoleWithStarInResource, "`iam:PassRole` on `*` lets the holder pass any role, and its permissions, to a service")
            }
            (Reach::Wildcard, false) => {
                (PassRoleWithStarInActionAndResource, "a wildcard action includes `iam:PassRole` on `*`: the holder may pass any role to a service")
            }
            (Reach::NotAction, false) => {
                (PassRoleWithStarInResourceAndNotAction, "`NotAction` includes `iam:PassRole` on `*`: the holder may pass any role to a service")
            }
            (Reach::Named, true) => (PassRoleWithNotResource, "`iam:PassRole` with `NotResource` lets the holder pass almost any role to a service"),
            (Reach::Wildcard, true) => (
                PassRoleWithStarInActionAndNotResource,
                "a wildcard action includes `iam:PassRole` with `NotResource`: the holder may pass almost any role",
            ),
            (Reach::NotAction, true) => {
                (PassRoleWithNotActionAndNotResource, "`NotAction` with `NotResource` includes `iam:PassRole`: the holder may pass almost any role")
            }
        };
        let at = if r.negated { path.key("NotResource") } else { path.key("Resource") };
        self.push(Finding::new(code, message, at, Some(r.span)));
    }

    fn principals(&mut self, s: &Statement, path: &JsonPath) {
        let t = self.policy.policy_type;
        let Some(p) = &s.principal else { return };
        if p.negated {
            self.push(Finding::new(
                DiagCode::AllowWithNotPrincipal,
                "`NotPrincipal` with Allow grants access to everyone not listed, anonymous callers included",
                path.key("NotPrincipal"),
                Some(p.span),
            ));
            return;
        }
        let ppath = path.key("Principal");
        let anyone = p.entries.iter().find(|e| e.kind == PrincipalKind::Aws && e.value == "*");
        if let Some(e) = anyone {
            let narrowed = has_key(s, NARROWING_KEYS)
                || s.conditions.iter().any(|c| c.key.value.get(..14).is_some_and(|k| k.eq_ignore_ascii_case("aws:PrincipalTag")));
            if !narrowed && t == PolicyType::Resource {
                self.push(Finding::new(
                    DiagCode::ResourcePolicyAllowsAnyPrincipal,
                    "the statement allows any principal (`*`), anonymous callers included, and no condition narrows who",
                    ppath.clone(),
                    Some(e.span),
                ));
            } else if !narrowed && t == PolicyType::Trust {
                self.push(Finding::new(
                    DiagCode::TrustPolicyAllowsAnyPrincipal,
                    "the trust policy lets any principal (`*`) of any account assume the role, and no condition narrows who",
                    ppath.clone(),
                    Some(e.span),
                ));
            }
        }
        if t == PolicyType::Resource && !has_key(s, SOURCE_KEYS) {
            if let Some(e) = p.entries.iter().find(|e| e.kind == PrincipalKind::Service) {
                self.push(Finding::new(
                    DiagCode::RestrictAccessToServicePrincipal,
                    format!("the service principal `{}` is granted access for any account's resources", e.value),
                    ppath.key("Service"),
                    Some(e.span),
                ));
            }
        }
        if t == PolicyType::Trust {
            self.federated(s, &ppath);
            self.external_id(s, &ppath);
        }
    }

    /// OpenID Connect providers in a trust policy need conditions on the
    /// token's claims.
    fn federated(&mut self, s: &Statement, ppath: &JsonPath) {
        for e in p_entries(s, PrincipalKind::Federated) {
            if e.value.contains(":saml-provider/") {
                continue;
            }
            let host = e.value.rsplit_once(":oidc-provider/").map_or(e.value.as_str(), |(_, h)| h);
            let claim_prefix = format!("{host}:");
            let claims: Vec<&Condition> = s
                .conditions
                .iter()
                .filter(|c| c.key.value.get(..claim_prefix.len()).is_some_and(|k| k.eq_ignore_ascii_case(&claim_prefix)))
                .collect();
            if host.eq_ignore_ascii_case(GITHUB) {
                let sub = claims.iter().find(|c| c.key.value.eq_ignore_ascii_case(&format!("{GITHUB}:sub")));
                match sub {
                    None => self.push(Finding::new(
                        DiagCode::MissingGithubRepoConditionKey,
                        format!("any GitHub repository's workflows may assume the role: no condition on `{GITHUB}:sub`"),
                        ppath.key("Federated"),
                        Some(e.span),
                    )),
                    Some(c) => {
                        for (i, v) in c.values.iter().enumerate() {
                            if wide_github_subject(&v.value) {
                                self.push(Finding::new(
                                    DiagCode::SpecificGithubRepoAndBranchRecommended,
                                    format!("the subject `{}` admits more than one repository or branch", v.value),
                                    condition_value_path(&self.statement_path(s), c, i),
                                    Some(v.span),
                                ));
                            }
                        }
                    }
                }
            } else if claims.is_empty() {
                self.push(Finding::new(
                    DiagCode::MissingConditionKeyForOidcPrincipal,
                    format!("any user of `{host}` may assume the role: no condition on the token's claims (`{host}:aud`, `{host}:sub`)"),
                    ppath.key("Federated"),
                    Some(e.span),
                ));
            }
        }
    }

    fn external_id(&mut self, s: &Statement, ppath: &JsonPath) {
        let Some(owner) = self.options.owner_account else { return };
        if has_key(s, &["sts:ExternalId"]) || !covers_action(&s.action, "sts:AssumeRole") {
            return;
        }
        for e in p_entries(s, PrincipalKind::Aws) {
            let Some(account) = principal_account(&e.value) else { continue };
            if account != owner && !self.options.known_accounts.contains(&account) {
                self.push(Finding::new(
                    DiagCode::MissingExternalId,
                    format!("account `{account}`, which is not one of yours, may assume the role without an external ID"),
                    ppath.key("AWS"),
                    Some(e.span),
                ));
            }
        }
    }

    /// Values repeated, or covered by a wildcard, in one element.
    fn redundant(&mut self, e: &ListElement, path: &JsonPath, action: bool) {
        let (code, name) = if action {
            (DiagCode::RedundantAction, e.name("Action", "NotAction"))
        } else {
            (DiagCode::RedundantResource, e.name("Resource", "NotResource"))
        };
        let values = &e.values;
        if values.len() < 2 {
            return;
        }
        let matches = |pattern: &str, text: &str| if action { glob_match_ignore_case(pattern, text) } else { glob_match(pattern, text) };
        let same = |a: &str, b: &str| if action { a.eq_ignore_ascii_case(b) } else { a == b };
        for (i, v) in values.iter().enumerate() {
            let cover = values.iter().enumerate().find(|(j, w)| {
                *j != i && if same(&w.value, &v.value) { *j < i } else { w.value.contains(['*', '?']) && matches(&w.value, &v.value) }
            });
            if let Some((_, w)) = cover {
                let message = if same(&w.value, &v.value) {
                    format!("`{}` is listed twice in `{name}`", v.value)
                } else {
                    format!("`{}` is covered by `{}` in the same `{name}`", v.value, w.value)
                };
                self.push(Finding::new(code, message, value_path(&path.key(name), e, i), Some(v.span)));
            }
        }
    }

    fn condition(&mut self, s: &Statement, c: &Condition, path: &JsonPath) {
        // Paths are built only for findings: most conditions have none.
        let cpath = || condition_path(path, c);
        let key = &*c.key.value;
        let op = c.operator;
        let base = op.base;
        let plain = |v: &str| !v.contains("${");
        if is_global(key) {
            if let Some(prefix) = bare_tag_prefix(key) {
                self.push(
                    Finding::new(DiagCode::MissingTagKeyInCondition, format!("`{key}` names no tag key"), cpath(), Some(c.key.span))
                        .help(format!("write `{prefix}/` and the tag key, as in `{prefix}/team`")),
                );
                return;
            }
            match global_key(key) {
                None => {
                    let close: Vec<String> = closest_global_key(key).into_iter().map(|k| k.to_string()).collect();
                    let help = close
                        .first()
                        .map_or_else(|| "use a global condition key, such as `aws:SourceIp`".to_string(), |k| format!("did you mean `{k}`?"));
                    self.push(
                        Finding::new(DiagCode::InvalidGlobalConditionKey, format!("unknown global condition key `{key}`"), cpath(), Some(c.key.span))
                            .help(help)
                            .fix_if_one(&close),
                    );
                }
                Some(g) => {
                    if let Some(new) = g.replaced_by {
                        self.push(
                            Finding::new(DiagCode::DeprecatedGlobalConditionKey, format!("`{key}` is deprecated"), cpath(), Some(c.key.span))
                                .help(format!("use `{new}`")),
                        );
                    }
                    self.operator_fits(c, g.key_type, path);
                    if g.multivalued && op.qualifier.is_none() && base != OperatorBase::Null {
                        self.push(Finding::new(
                            DiagCode::MissingQualifier,
                            format!("`{key}` may hold several values; `{}` without `ForAnyValue:` or `ForAllValues:` compares them as one", op),
                            cpath(),
                            Some(c.operator_span),
                        ));
                    }
                    if !g.multivalued && op.qualifier == Some(SetQualifier::ForAllValues) && s.effect == Effect::Allow {
                        self.push(Finding::new(
                            DiagCode::ForallvaluesWithSingleValuedKey,
                            format!("`{op}` on the single-valued key `{key}` is true when the request lacks the key"),
                            cpath(),
                            Some(c.operator_span),
                        ));
                    }
                    if key_is(c, "aws:VpcSourceIp") && s.effect == Effect::Allow && !has_key(s, &["aws:SourceVpc", "aws:SourceVpce"]) {
                        self.push(
                            Finding::new(
                                DiagCode::MissingPairedConditionKeys,
                                "`aws:VpcSourceIp` matches the address in any VPC unless `aws:SourceVpc` or `aws:SourceVpce` is tested too",
                                cpath(),
                                Some(c.key.span),
                            )
                            .help("add a condition on `aws:SourceVpc` or `aws:SourceVpce` to the statement"),
                        );
                    }
                    if key_is(c, "aws:SourceIp") && base.family() == OperatorFamily::Ip {
                        self.private_ranges(c, path);
                    }
                }
            }
        }
        if s.effect == Effect::Deny
            && base == OperatorBase::Bool
            && !op.if_exists
            && key_is(c, "aws:MultiFactorAuthPresent")
            && c.values.iter().any(|v| v.value.eq_ignore_ascii_case("false"))
        {
            self.push(Finding::new(
                DiagCode::MfaDenyWithoutIfExists,
                "`Bool` is false when `aws:MultiFactorAuthPresent` is absent, as it is for long-term access keys: the Deny does not apply to them",
                cpath(),
                Some(c.operator_span),
            ));
        }
        let literal = matches!(
            base,
            OperatorBase::StringEquals
                | OperatorBase::StringNotEquals
                | OperatorBase::StringEqualsIgnoreCase
                | OperatorBase::StringNotEqualsIgnoreCase
        );
        // Lists of values are short: a repeat is found by looking back,
        // or with a set for a long list.
        let mut seen: Option<std::collections::HashSet<&str>> = (c.values.len() > 16).then(std::collections::HashSet::new);
        for (i, v) in c.values.iter().enumerate() {
            let vpath = || condition_value_path(path, c, i);
            let repeat = match seen.as_mut() {
                Some(set) => !set.insert(&v.value),
                None => c.values.iter().take(i).any(|w| w.value == v.value),
            };
            if repeat {
                self.push(Finding::new(DiagCode::DuplicateConditionValue, format!("`{}` is listed twice", v.value), vpath(), Some(v.span)));
            }
            if literal && plain(&v.value) && v.value.contains(['*', '?']) {
                let like = if base.is_negated() { "StringNotLike" } else { "StringLike" };
                self.push(
                    Finding::new(
                        DiagCode::WildcardWithoutLikeOperator,
                        format!("`{op}` compares `{}` literally: `*` and `?` are not wildcards here", v.value),
                        vpath(),
                        Some(v.span),
                    )
                    .help(format!("use `{like}` to match a pattern")),
                );
            }
            if base.family() == OperatorFamily::Date && !v.value.is_empty() && v.value.len() <= 8 && v.value.bytes().all(|b| b.is_ascii_digit()) {
                self.push(Finding::new(
                    DiagCode::InvalidDateValue,
                    format!("`{}` is read as {} seconds after 1970-01-01, not as a year or date", v.value, v.value),
                    vpath(),
                    Some(v.span),
                ));
            }
            if base.family() == OperatorFamily::Ip {
                if let Some(better) = canonical_range(&v.value) {
                    self.push(
                        Finding::new(
                            DiagCode::ImproveIpRange,
                            format!("`{}` has bits set after its prefix length, which are ignored", v.value),
                            vpath(),
                            Some(v.span),
                        )
                        .help(format!("write `{better}`")),
                    );
                }
            }
        }
        let ordered = matches!(
            base,
            OperatorBase::NumericLessThan
                | OperatorBase::NumericLessThanEquals
                | OperatorBase::NumericGreaterThan
                | OperatorBase::NumericGreaterThanEquals
        );
        if ordered && op.qualifier.is_none() {
            let numbers: Vec<f64> = c.values.iter().filter_map(|v| v.value.parse::<f64>().ok()).collect();
            if numbers.len() > 1 && numbers.len() == c.values.len() {
                let less = matches!(base, OperatorBase::NumericLessThan | OperatorBase::NumericLessThanEquals);
                let pick = numbers.iter().copied().fold(if less { f64::MIN } else { f64::MAX }, |a, b| if less { a.max(b) } else { a.min(b) });
                let which = if less { "greatest" } else { "least" };
                let shown = c.values.iter().find(|v| v.value.parse::<f64>().ok() == Some(pick)).map_or(String::new(), |v| v.value.to_string());
                self.push(
                    Finding::new(
                        DiagCode::RedundantConditionValueNum,
                        format!("`{op}` on `{key}` lists {} values: only the {which}, `{shown}`, counts", c.values.len()),
                        cpath(),
                        Some(c.key.span),
                    )
                    .help(format!("write the single value `{shown}`")),
                );
            }
        }
    }

    /// An operator of another type than the key's.
    fn operator_fits(&mut self, c: &Condition, t: KeyType, statement: &JsonPath) {
        if let Some(f) = operator_mismatch(c, t, statement) {
            self.push(f);
        }
    }

    /// `aws:SourceIp` never holds a private address.
    fn private_ranges(&mut self, c: &Condition, statement: &JsonPath) {
        let nets: Vec<bool> = c.values.iter().filter_map(|v| parse_range(&v.value).map(|(a, p)| is_private(a, p))).collect();
        if nets.is_empty() || nets.len() != c.values.len() {
            return;
        }
        let negated = c.operator.base == OperatorBase::NotIpAddress;
        let code = match (nets.iter().all(|p| *p), nets.iter().any(|p| *p), negated) {
            (true, _, false) => DiagCode::PrivateIpAddress,
            (true, _, true) => DiagCode::PrivateNotIpAddress,
            (false, true, false) => DiagCode::PrivateIpAddressSubset,
            (false, true, true) => DiagCode::PrivateNotIpAddressSubset,
            _ => return,
        };
        let what = if nets.iter().all(|p| *p) { "only private ranges" } else { "private ranges" };
        self.push(Finding::new(
            code,
            format!("`{}` tests `aws:SourceIp` against {what}: AWS sets it to the public address a request comes from", c.operator.base.name()),
            condition_path(statement, c),
            Some(c.key.span),
        ));
    }
}

/// The finding for an operator of another type than the key's, if any.
/// An operator that does not fit the type of the key it tests, as a
/// finding at the condition (its path built only then); `statement` is the
/// statement's path.
pub(super) fn operator_mismatch(c: &Condition, t: KeyType, statement: &JsonPath) -> Option<Finding> {
    use KeyType as K;
    let op = c.operator;
    let key = &*c.key.value;
    let code = match op.base.family() {
        OperatorFamily::Numeric if !matches!(t, K::Numeric | K::DateOrNumeric) => DiagCode::NumericOperatorOnNonNumericKey,
        OperatorFamily::Date if !matches!(t, K::Date | K::DateOrNumeric) => DiagCode::DateOperatorOnNonDateKey,
        OperatorFamily::Bool if t != K::Bool => DiagCode::BoolOperatorOnNonBooleanKey,
        OperatorFamily::Ip if t != K::Ip => DiagCode::IpOperatorOnNonIpKey,
        OperatorFamily::Arn if t != K::Arn => DiagCode::ArnOperatorOnNonArnKey,
        OperatorFamily::String if matches!(t, K::Numeric | K::Date | K::DateOrNumeric | K::Ip | K::Bool) => DiagCode::StringOperatorOnTypedKey,
        _ => return None,
    };
    let consequence = if code == DiagCode::StringOperatorOnTypedKey { "they are compared as text" } else { "the condition never matches as meant" };
    Some(
        Finding::new(
            code,
            format!("`{}` tests `{key}`, which holds {}: {consequence}", op.base.name(), t.holds()),
            condition_path(statement, c),
            Some(c.operator_span),
        )
        .help(format!("use {} with `{key}`", t.operators())),
    )
}

fn p_entries(s: &Statement, kind: PrincipalKind) -> impl Iterator<Item = &crate::policy::PrincipalEntry> {
    s.principal.iter().filter(|p| !p.negated).flat_map(|p| p.entries.iter()).filter(move |e| e.kind == kind)
}

/// The account of an `AWS` principal value: `111122223333` or an ARN's.
fn principal_account(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    let parts = crate::arn::split(v)?;
    parts.get(4).copied().filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
}

/// A GitHub `sub` that admits any repository of an owner or any branch:
/// `repo:org/*`, `repo:org/repo:*`.
fn wide_github_subject(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("repo:") else { return v.contains('*') };
    let (repo, tail) = rest.split_once(':').unwrap_or((rest, ""));
    repo.contains(['*', '?']) || tail.is_empty() || tail == "*" || tail.starts_with("ref:refs/heads/*") || tail.starts_with('*')
}

/// One statement's content as a string, without its Sid, position or
/// spans, so that two statements that say the same compare equal.
fn canonical(s: &Statement) -> String {
    let list = |e: &ListElement, fold: bool| {
        let mut v: Vec<String> = e.values.iter().map(|x| if fold { x.value.to_ascii_lowercase() } else { x.value.to_string() }).collect();
        v.sort();
        format!("{}{}", if e.negated { "!" } else { "" }, v.join(","))
    };
    let mut out = format!("{:?}|", s.effect);
    if let Some(p) = &s.principal {
        let mut v: Vec<String> = p.entries.iter().map(|e| format!("{}={}", e.kind.as_str(), e.value)).collect();
        v.sort();
        out.push_str(&format!("{}{}", if p.negated { "!" } else { "" }, v.join(",")));
    }
    out.push('|');
    out.push_str(&list(&s.action, true));
    out.push('|');
    if let Some(r) = &s.resource {
        out.push_str(&list(r, false));
    }
    out.push('|');
    let mut conds: Vec<String> = s
        .conditions
        .iter()
        .map(|c| {
            let mut v: Vec<&str> = c.values.iter().map(|x| &*x.value).collect();
            v.sort_unstable();
            format!("{}/{}={}", c.operator, c.key.value.to_ascii_lowercase(), v.join(","))
        })
        .collect();
    conds.sort();
    out.push_str(&conds.join(";"));
    out
}

/// An address with an optional prefix length: `203.0.113.0/24`.
fn parse_range(v: &str) -> Option<(IpAddr, u32)> {
    let (addr, prefix) = match v.split_once('/') {
        Some((a, p)) => (a, p.parse::<u32>().ok()?),
        None => (v, if v.contains(':') { 128 } else { 32 }),
    };
    let a: IpAddr = addr.parse().ok()?;
    let max = if a.is_ipv4() { 32 } else { 128 };
    (prefix <= max).then_some((a, prefix))
}

fn mask_v4(prefix: u32) -> u32 {
    u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
}

fn mask_v6(prefix: u32) -> u128 {
    u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
}

/// The range written with its first address, when `v` has bits set after
/// its prefix length (`10.0.0.1/8` → `10.0.0.0/8`).
fn canonical_range(v: &str) -> Option<String> {
    if !v.contains('/') {
        return None;
    }
    let (a, p) = parse_range(v)?;
    match a {
        IpAddr::V4(x) => {
            let bits = u32::from(x);
            let first = bits & mask_v4(p);
            (first != bits).then(|| format!("{}/{p}", std::net::Ipv4Addr::from(first)))
        }
        IpAddr::V6(x) => {
            let bits = u128::from(x);
            let first = bits & mask_v6(p);
            (first != bits).then(|| format!("{}/{p}", std::net::Ipv6Addr::from(first)))
        }
    }
}

/// Whether the range lies within the private ranges (RFC 1918, RFC 4193).
fn is_private(a: IpAddr, prefix: u32) -> bool {
    match a {
        IpAddr::V4(x) => {
            let bits = u32::from(x);
            [(0x0A00_0000u32, 8u32), (0xAC10_0000, 12), (0xC0A8_0000, 16)].iter().any(|(net, len)| prefix >= *len && bits & mask_v4(*len) == *net)
        }
        IpAddr::V6(x) => prefix >= 7 && u128::from(x) & mask_v6(7) == 0xfc00u128 << 112,
    }
}
