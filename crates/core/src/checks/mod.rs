//! Policy checks in the manner of IAM Access Analyzer's policy validation:
//! findings with a severity (error, security warning, warning,
//! suggestion), a stable code (Access Analyzer's issue code wherever it
//! has one), a message, the fix, the JSON path, the line and column, and a
//! link to the check's documentation (docs/checks.md lists every check).
//!
//! - [`lint_policy`]: one bare policy, checked as its type.
//! - [`lint_scenario`]: every policy of a loaded scenario, checked as its
//!   type, plus the checks that use the scenario's steps (a statement no
//!   step matches; an Allow whose every match a Deny overrides).
//! - [`lint_document`]: a scenario document's text; what stops it loading
//!   comes back as findings too.
//!
//! The checks that need AWS's catalogue of actions, resource types and
//! service condition keys plug in through [`Vocabulary`].

mod global_keys;
pub mod grants;
mod policy;
mod scenario;
mod vocabulary;

use serde::{Deserialize, Serialize};

use crate::diag::{DiagCode, Diagnostic, JsonPath};
use crate::policy::{Policy, PolicyType};
use crate::span::Span;

pub use global_keys::{bare_tag_prefix, closest_global_key, global_key, is_global, GlobalKey, KeyType, GLOBAL_KEYS};
pub use policy::CHECKS;
pub use scenario::{lint_document, lint_document_with, lint_scenario, lint_scenario_with, ScenarioLintOptions};

/// Access Analyzer's four kinds of finding, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum FindingSeverity {
    /// The policy is refused, or part of it can never work.
    Error,
    /// The policy grants more than it probably means to.
    SecurityWarning,
    /// The policy works, though probably not as meant.
    Warning,
    /// The policy works; it could be simpler or safer.
    Suggestion,
}

impl FindingSeverity {
    pub const ALL: [FindingSeverity; 4] = [Self::Error, Self::SecurityWarning, Self::Warning, Self::Suggestion];

    /// As serialized: `securityWarning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::SecurityWarning => "securityWarning",
            Self::Warning => "warning",
            Self::Suggestion => "suggestion",
        }
    }

    /// For people: `security warning`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::SecurityWarning => "security warning",
            Self::Warning => "warning",
            Self::Suggestion => "suggestion",
        }
    }

    /// An error or a security warning: what `trustwalk lint` fails on.
    pub fn is_blocking(self) -> bool {
        matches!(self, Self::Error | Self::SecurityWarning)
    }
}

/// One finding about a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub severity: FindingSeverity,
    #[cfg_attr(feature = "ts", ts(type = "DiagCode"))]
    pub code: DiagCode,
    /// What is wrong (the style of [`crate::diag`]).
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Where: `Statement[0].Action[1]`, within the scenario document for
    /// [`lint_scenario`].
    pub path: JsonPath,
    /// 1-based line and column (0 when unknown): in the document, or for a
    /// policy given as a string to [`lint_scenario`] in that policy's text
    /// (then `embedded_in` is set).
    pub line: usize,
    pub column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The policy, as traces name it (`StageRole/trustPolicy`), in a scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<PolicyType>,
    /// When the policy was given as a JSON string: that string's path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_in: Option<JsonPath>,
    /// The check's documentation: Access Analyzer's reference or
    /// docs/checks.md.
    pub doc: String,
    /// The one obvious fix, when there is one (a did-you-mean with a single
    /// candidate): the text to put in place of the string value at `span`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    /// A finding with the code's usual severity, help and documentation.
    pub fn new(code: DiagCode, message: impl Into<String>, path: JsonPath, span: Option<Span>) -> Self {
        let severity = default_severity(code);
        let (_, help) = code_texts().get(code as usize).copied().unwrap_or_default();
        Finding {
            severity,
            code,
            message: message.into(),
            help: help.to_string(),
            path,
            line: span.map_or(0, |s| s.line),
            column: span.map_or(0, |s| s.column),
            span,
            policy: None,
            policy_type: None,
            embedded_in: None,
            doc: doc_link(code),
            fix: None,
        }
    }

    /// The fix, when `candidates` holds exactly one.
    pub fn fix_if_one(mut self, candidates: &[String]) -> Self {
        if let [one] = candidates {
            self.fix = Some(one.clone());
        }
        self
    }

    /// Advice for this case instead of the code's usual help.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn with_severity(mut self, severity: FindingSeverity) -> Self {
        self.severity = severity;
        self
    }

    /// What validation found, as a finding: errors stay errors; a warning
    /// gets its code's severity (never error).
    pub fn from_diagnostic(d: &Diagnostic) -> Self {
        let severity = if d.is_error() {
            FindingSeverity::Error
        } else {
            match default_severity(d.code) {
                FindingSeverity::Error => FindingSeverity::Warning,
                s => s,
            }
        };
        let mut f = Finding::new(d.code, d.message.clone(), d.path.clone(), d.location).with_severity(severity);
        f.help = d.help.clone();
        f.embedded_in = d.embedded_in.clone();
        f
    }

    /// `line:column: severity CODE: message (at path)`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.line > 0 {
            out.push_str(&format!("{}:{}: ", self.line, self.column));
        }
        out.push_str(&format!("{} {}: {}", self.severity.label(), self.code, self.message));
        if !self.path.is_root() {
            out.push_str(&format!(" (at {})", self.path));
        }
        out
    }
}

/// The checks that need AWS's catalogue of actions, resource types and
/// condition keys (unknown actions, resource ARNs that fit none of the
/// statement's actions, service condition keys no action supports). The
/// catalogue implements it; [`lint_policy_with`] and [`lint_scenario_with`]
/// call it for every policy that validates.
pub trait Vocabulary {
    /// Adds findings about `policy` to `out`, with paths relative to the
    /// policy (`Statement[0].Action[1]`) and spans in the policy's text.
    fn check_policy(&self, policy: &Policy, out: &mut Vec<Finding>);
}

/// What [`lint_policy_with`] may know beyond the policy.
#[derive(Clone, Copy, Default)]
pub struct LintOptions<'a> {
    /// The checks that need AWS's catalogue.
    pub vocabulary: Option<&'a dyn Vocabulary>,
    /// The account that owns the policy (for a trust policy, the role's):
    /// enables the checks that tell another account's principals apart.
    pub owner_account: Option<&'a str>,
    /// Accounts the user runs (a scenario's accounts): a trust policy that
    /// admits one of them needs no external ID, which is for third parties.
    pub known_accounts: &'a [&'a str],
    /// The policy is an S3 bucket policy (a resource policy whose resources
    /// are all S3 ARNs is taken for one without this).
    pub bucket: bool,
}

impl std::fmt::Debug for LintOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LintOptions")
            .field("vocabulary", &self.vocabulary.is_some())
            .field("owner_account", &self.owner_account)
            .field("known_accounts", &self.known_accounts)
            .field("bucket", &self.bucket)
            .finish()
    }
}

/// Checks policy text as a policy of `policy_type`: what makes validation
/// refuse it (errors), or else every check of this module.
pub fn lint_policy(text: &str, policy_type: PolicyType) -> Vec<Finding> {
    lint_policy_with(text, policy_type, &LintOptions::default())
}

/// [`lint_policy`] with what is known beyond the policy.
pub fn lint_policy_with(text: &str, policy_type: PolicyType, options: &LintOptions<'_>) -> Vec<Finding> {
    match crate::policy::parse_policy(text, policy_type) {
        Ok(parsed) => lint_parsed(&parsed.policy, options),
        Err(diagnostics) => {
            let mut out: Vec<Finding> = diagnostics.iter().map(Finding::from_diagnostic).collect();
            sort(&mut out);
            out
        }
    }
}

/// The checks of a validated policy, with paths relative to it.
pub fn lint_parsed(policy: &Policy, options: &LintOptions<'_>) -> Vec<Finding> {
    let mut out = policy::check(policy, options);
    if let Some(v) = options.vocabulary {
        v.check_policy(policy, &mut out);
    }
    sort(&mut out);
    out
}

/// Document order, the most serious first at one place.
fn sort(findings: &mut [Finding]) {
    // The code's position in the table, not its text: `as_str` reads the
    // table, which costs more than a comparison should.
    findings.sort_by_key(|f| (f.line, f.column, f.severity, f.code as usize));
}

/// The severity a check's findings have (a few checks also report at
/// another: a missing `Resource` is an error, or a warning in a resource
/// policy).
pub fn default_severity(code: DiagCode) -> FindingSeverity {
    use DiagCode::*;
    match code {
        PassRoleWithStarInResource
        | PassRoleWithStarInActionAndResource
        | PassRoleWithStarInResourceAndNotAction
        | PassRoleWithNotResource
        | PassRoleWithStarInActionAndNotResource
        | PassRoleWithNotActionAndNotResource
        | AllowWithNotPrincipal
        | AllowWithNotAction
        | AllowWithNotResource
        | AllowAllActionsOnAllResources
        | AllowIamAllActions
        | AllowStsAllActions
        | ResourcePolicyAllowsAnyPrincipal
        | TrustPolicyAllowsAnyPrincipal
        | MfaDenyWithoutIfExists
        | ForallvaluesWithSingleValuedKey
        | MissingPairedConditionKeys
        | RestrictAccessToServicePrincipal
        | MissingConditionKeyForOidcPrincipal
        | MissingGithubRepoConditionKey => FindingSeverity::SecurityWarning,
        MissingVersion
        | OutdatedVersion
        | UniqueSidsRecommended
        | StringOperatorOnTypedKey
        | DeprecatedGlobalConditionKey
        | WildcardWithoutLikeOperator
        | InvalidDateValue
        | SpecificGithubRepoAndBranchRecommended
        | AllowOverriddenByDeny
        | ResourceMatchesNoAction
        | ActionMatchesNoResource => FindingSeverity::Warning,
        EmptySidValue
        | RedundantAction
        | RedundantResource
        | RedundantStatement
        | RedundantConditionValueNum
        | DuplicateConditionValue
        | ImproveIpRange
        | PrivateIpAddressSubset
        | PrivateNotIpAddressSubset
        | MissingExternalId
        | MissingSecureTransportDeny
        | StatementMatchesNoStep => FindingSeverity::Suggestion,
        _ => FindingSeverity::Error,
    }
}

const ACCESS_ANALYZER: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";

/// Access Analyzer's section for `code` (the severity part of its anchor
/// is Access Analyzer's, which for a few codes differs from Trustwalk's).
fn access_analyzer_section(code: DiagCode) -> Option<(&'static str, &'static str)> {
    use DiagCode::*;
    let severity = match code {
        JsonSyntaxError
        | DataTypeMismatch
        | DuplicateKeysWithDifferentCase
        | InvalidPolicyElement
        | InvalidVersion
        | MissingStatement
        | MissingEffect
        | InvalidEffect
        | UnsupportedElementCombination
        | UniqueSidsRequired
        | UnsupportedSid
        | MissingAction
        | InvalidAction
        | InvalidServiceInAction
        | MissingResource
        | InvalidArnPrefix
        | MissingArnField
        | InvalidService
        | InvalidArnAccount
        | MissingPrincipal
        | UnsupportedPrincipal
        | InvalidPrincipalFormat
        | InvalidPrincipalKey
        | InvalidServicePrincipalFormat
        | UnsupportedWildcardInPrincipal
        | RoleTrustPolicySyntaxErrorNotprincipal
        | RoleTrustPolicySyntaxErrorResource
        | InvalidConditionOperator
        | NullWithIfExists
        | InvalidConditionKeyFormat
        | InvalidVariableForOperator
        | VariableUnsupportedInElement
        | MissingBraceInVariable
        | MissingQuoteInVariable
        | EmptyVariable
        | InvalidGlobalConditionKey
        | MissingTagKeyInCondition
        | MissingQualifier
        | PrivateIpAddress
        | PrivateNotIpAddress
        | ArnAccountNotAllowed
        | ArnRegionNotAllowed
        | MissingArnAccount
        | MissingArnRegion
        | InvalidServiceConditionKey
        | UnsupportedActionForConditionKey => "error",
        MissingVersion
        | UniqueSidsRecommended
        | TypeMismatch
        | TypeMismatchNumber
        | TypeMismatchDate
        | TypeMismatchBoolean
        | TypeMismatchIpRange
        | DeprecatedGlobalConditionKey
        | WildcardWithoutLikeOperator
        | InvalidDateValue
        | SpecificGithubRepoAndBranchRecommended => "general-warning",
        AllowWithNotPrincipal
        | ForallvaluesWithSingleValuedKey
        | PassRoleWithStarInResource
        | PassRoleWithStarInActionAndResource
        | PassRoleWithStarInResourceAndNotAction
        | PassRoleWithNotResource
        | PassRoleWithStarInActionAndNotResource
        | PassRoleWithNotActionAndNotResource
        | MissingPairedConditionKeys
        | RestrictAccessToServicePrincipal
        | MissingConditionKeyForOidcPrincipal
        | MissingGithubRepoConditionKey => "security-warning",
        EmptyArrayAction
        | EmptyArrayCondition
        | EmptyArrayPrincipal
        | EmptyArrayResource
        | EmptyObjectCondition
        | EmptyObjectPrincipal
        | EmptySidValue
        | ImproveIpRange
        | NullWithQualifier
        | PrivateIpAddressSubset
        | PrivateNotIpAddressSubset
        | RedundantAction
        | RedundantConditionValueNum
        | RedundantResource
        | RedundantStatement => "suggestion",
        // Trustwalk's own checks of an operator against a global key's
        // type are Access Analyzer's "Type mismatch", split by operator.
        NumericOperatorOnNonNumericKey
        | DateOperatorOnNonDateKey
        | BoolOperatorOnNonBooleanKey
        | IpOperatorOnNonIpKey
        | ArnOperatorOnNonArnKey
        | StringOperatorOnTypedKey => return Some(("general-warning", "type-mismatch")),
        _ => return None,
    };
    Some((severity, ""))
}

/// Each code's text and usual help, by position in the table: read once,
/// since `DiagCode::as_str` and `default_help` search the table each time.
fn code_texts() -> &'static [(&'static str, &'static str)] {
    static TEXTS: std::sync::OnceLock<Vec<(&'static str, &'static str)>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| DiagCode::ALL.iter().map(|c| (c.as_str(), c.default_help())).collect())
}

/// The code as a lowercase anchor: `pass-role-with-star-in-resource`.
pub fn anchor(code: DiagCode) -> String {
    let (text, _) = code_texts().get(code as usize).copied().unwrap_or_default();
    text.to_ascii_lowercase().replace('_', "-")
}

/// Where a code's check is documented: Access Analyzer's reference when it
/// has the check, else `docs/checks.md#code`.
pub fn doc_link(code: DiagCode) -> String {
    match access_analyzer_section(code) {
        Some((severity, "")) => format!("{ACCESS_ANALYZER}#access-analyzer-reference-policy-checks-{severity}-{}", anchor(code)),
        Some((severity, name)) => format!("{ACCESS_ANALYZER}#access-analyzer-reference-policy-checks-{severity}-{name}"),
        None => format!("docs/checks.md#{}", anchor(code)),
    }
}
