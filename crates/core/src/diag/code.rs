//! The stable codes of diagnostics, listed in one place with what each
//! means and the usual way to fix it.
//!
//! Where IAM Access Analyzer's policy validation has a check for the same
//! problem, the code is its issue code (IAM User Guide, *IAM policy
//! validation check reference*), such as `MISSING_VERSION` or
//! `INVALID_EFFECT`; the other codes are Trustwalk's own, in the same
//! style. Codes never change meaning once published: a new problem gets a
//! new code.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident = $code:literal, $meaning:literal, $help:literal;)*) => {
        /// What kind of problem a [`Diagnostic`](crate::Diagnostic) reports:
        /// serialized as its `SCREAMING_SNAKE_CASE` string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum DiagCode {
            $(#[doc = $meaning] $variant,)*
        }

        impl DiagCode {
            /// Every code, in the order of the table.
            pub const ALL: &'static [DiagCode] = &[$(DiagCode::$variant,)*];

            /// The code as written in output: `INVALID_EFFECT`.
            pub fn as_str(self) -> &'static str {
                nth(concat!($($code, "\n",)*), self as usize)
            }

            /// What the code means, in a few words.
            pub fn meaning(self) -> &'static str {
                nth(concat!($($meaning, "\n",)*), self as usize)
            }

            /// How to fix it, when the diagnostic has nothing more specific.
            pub fn default_help(self) -> &'static str {
                nth(concat!($($help, "\n",)*), self as usize)
            }
        }
    };
}

/// The `i`th line of `lines`. The texts of the codes are kept as one string
/// each rather than as tables of string slices: the web app carries them,
/// and a slice table costs 8 bytes a code that compress badly.
fn nth(lines: &'static str, i: usize) -> &'static str {
    lines.split('\n').nth(i).unwrap_or_default()
}

codes! {
    // The text and its JSON.
    JsonSyntaxError = "JSON_SYNTAX_ERROR", "the text is not valid JSON",
        "fix the JSON: no comments or trailing commas";
    JsonTooDeep = "JSON_TOO_DEEP", "the JSON is nested more than 64 levels deep",
        "nest less deeply";
    InvalidUtf8 = "INVALID_UTF8", "the bytes are not UTF-8 text",
        "save the file as UTF-8";
    ByteOrderMark = "BYTE_ORDER_MARK", "the text starts with a byte-order mark",
        "remove the byte-order mark";
    TooLarge = "TOO_LARGE", "the input is larger than Trustwalk accepts",
        "split it into smaller documents";
    DataTypeMismatch = "DATA_TYPE_MISMATCH", "a value has the wrong JSON type",
        "use the JSON type the message names";
    DuplicateKeys = "DUPLICATE_KEYS", "a key appears twice in one object",
        "keep one: the other would be silently lost";
    DuplicateKeysWithDifferentCase = "DUPLICATE_KEYS_WITH_DIFFERENT_CASE", "a key appears twice, written in different case, where case does not count",
        "keep one and merge their values";

    // Policies: the document and its elements.
    InvalidPolicyElement = "INVALID_POLICY_ELEMENT", "a policy or statement has an element IAM does not know",
        "remove it or correct its name";
    MissingVersion = "MISSING_VERSION", "the policy has no `Version`",
        "add `\"Version\": \"2012-10-17\"`";
    InvalidVersion = "INVALID_VERSION", "the `Version` is not one IAM knows",
        "use `\"Version\": \"2012-10-17\"`";
    MissingStatement = "MISSING_STATEMENT", "the policy has no `Statement`",
        "add a `Statement`";
    EmptyArrayStatement = "EMPTY_ARRAY_STATEMENT", "`Statement` is an empty list",
        "add at least one statement";
    MissingEffect = "MISSING_EFFECT", "a statement has no `Effect`",
        "add `\"Effect\": \"Allow\"` or `\"Deny\"`";
    InvalidEffect = "INVALID_EFFECT", "the `Effect` is neither `Allow` nor `Deny`",
        "write `\"Allow\"` or `\"Deny\"`";
    UnsupportedElementCombination = "UNSUPPORTED_ELEMENT_COMBINATION", "a statement has both an element and its `Not` form",
        "keep one of the two";
    UniqueSidsRequired = "UNIQUE_SIDS_REQUIRED", "two statements of an IAM policy have the same `Sid`",
        "give each statement its own `Sid`";
    UniqueSidsRecommended = "UNIQUE_SIDS_RECOMMENDED", "two statements of a resource policy have the same `Sid`",
        "give each statement its own `Sid`";
    UnsupportedSid = "UNSUPPORTED_SID", "a `Sid` holds characters other than letters and digits",
        "use only letters and digits";

    // Action and Resource.
    MissingAction = "MISSING_ACTION", "a statement has no `Action` or `NotAction`",
        "add an `Action`, such as `s3:GetObject`";
    EmptyArrayAction = "EMPTY_ARRAY_ACTION", "`Action` or `NotAction` is an empty list",
        "name at least one action";
    InvalidAction = "INVALID_ACTION", "an action is not written `service:ActionName`, or its service has no such action",
        "write `service:ActionName`, such as `s3:GetObject`";
    InvalidServiceInAction = "INVALID_SERVICE_IN_ACTION", "the service prefix of an action is not valid or names no AWS service",
        "write the service literally, such as `s3`";
    MissingResource = "MISSING_RESOURCE", "a statement has no `Resource` or `NotResource`",
        "add a `Resource`, such as `*` or an ARN";
    EmptyArrayResource = "EMPTY_ARRAY_RESOURCE", "`Resource` or `NotResource` is an empty list",
        "name at least one resource";
    InvalidArnPrefix = "INVALID_ARN_PREFIX", "a resource is neither an ARN nor `*`",
        "write `*` or an ARN such as `arn:aws:s3:::bucket/*`";
    MissingArnField = "MISSING_ARN_FIELD", "an ARN lacks one of its parts",
        "write `arn:partition:service:region:account:resource`";
    InvalidService = "INVALID_SERVICE", "the service part of an ARN is not valid or names no AWS service",
        "write the service literally, such as `s3`";
    InvalidArnAccount = "INVALID_ARN_ACCOUNT", "the account part of an ARN is not a 12-digit account ID",
        "write a 12-digit account ID";

    // Principal.
    MissingPrincipal = "MISSING_PRINCIPAL", "a statement of a resource-based policy has no `Principal`",
        "add a `Principal`";
    UnsupportedPrincipal = "UNSUPPORTED_PRINCIPAL", "a principal element is not allowed in this kind of policy",
        "remove it: the policy applies to its holder";
    InvalidPrincipalFormat = "INVALID_PRINCIPAL_FORMAT", "a principal is not written as IAM expects",
        "write `\"*\"` or `{\"AWS\": \"111122223333\"}`";
    InvalidPrincipalKey = "INVALID_PRINCIPAL_KEY", "a principal object has a key other than `AWS`, `Service`, `Federated` or `CanonicalUser`",
        "use `AWS`, `Service`, `Federated` or `CanonicalUser`";
    InvalidServicePrincipalFormat = "INVALID_SERVICE_PRINCIPAL_FORMAT", "a service principal is not a service's domain name",
        "write a service such as `ec2.amazonaws.com`";
    UnsupportedWildcardInPrincipal = "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "a principal holds a partial wildcard",
        "use `\"*\"` with an `ArnLike` condition on `aws:PrincipalArn`";
    EmptyArrayPrincipal = "EMPTY_ARRAY_PRINCIPAL", "a principal list is empty",
        "name at least one principal";
    EmptyObjectPrincipal = "EMPTY_OBJECT_PRINCIPAL", "the `Principal` object is empty",
        "name at least one principal";
    AllowWithNotPrincipal = "ALLOW_WITH_NOT_PRINCIPAL", "an Allow statement uses `NotPrincipal`",
        "use `Principal` with a condition instead";
    RoleTrustPolicySyntaxErrorNotprincipal = "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
        "a trust policy uses `NotPrincipal`",
        "use `Principal` instead";
    RoleTrustPolicySyntaxErrorResource = "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", "a trust policy has `Resource` or `NotResource`",
        "remove it: the resource is the role itself";

    // Resource control policies.
    RcpSyntaxErrorPrincipal = "RCP_SYNTAX_ERROR_PRINCIPAL", "an RCP statement's `Principal` is not `\"*\"`, or it uses `NotPrincipal`",
        "write `\"Principal\": \"*\"` and use conditions";
    RcpSyntaxErrorNotAction = "RCP_SYNTAX_ERROR_NOT_ACTION", "an RCP statement uses `NotAction`",
        "list the actions in `Action` instead";
    RcpSyntaxErrorAllow = "RCP_SYNTAX_ERROR_ALLOW", "an RCP has an Allow other than the full-access statement",
        "make it a Deny";
    RcpSyntaxErrorActionWildcard = "RCP_SYNTAX_ERROR_ACTION_WILDCARD", "an RCP Deny uses the action `*`",
        "name the services' actions, such as `s3:*`";

    // Conditions.
    InvalidConditionOperator = "INVALID_CONDITION_OPERATOR", "a condition operator or set qualifier is not one IAM knows",
        "use an operator such as `StringEquals`";
    NullWithIfExists = "NULL_WITH_IF_EXISTS", "the `Null` operator has `IfExists`",
        "write `Null` alone";
    NullWithQualifier = "NULL_WITH_QUALIFIER", "the `Null` operator has a set qualifier",
        "write `Null` without a qualifier";
    EmptyObjectCondition = "EMPTY_OBJECT_CONDITION", "a condition operator names no condition key",
        "add a condition key or remove the operator";
    EmptyArrayCondition = "EMPTY_ARRAY_CONDITION", "a condition key has an empty list of values",
        "give at least one value";
    InvalidConditionKeyFormat = "INVALID_CONDITION_KEY_FORMAT", "a condition key is not written `prefix:name`",
        "write `prefix:name`, such as `aws:SourceIp`";
    TypeMismatch = "TYPE_MISMATCH", "a condition value does not fit its operator",
        "give a value the operator compares";
    TypeMismatchNumber = "TYPE_MISMATCH_NUMBER", "a numeric condition has a value that is not a number",
        "write a number, such as `10`";
    TypeMismatchDate = "TYPE_MISMATCH_DATE", "a date condition has a value that is not a date",
        "write a time such as `2026-01-15T12:00:00Z`";
    TypeMismatchBoolean = "TYPE_MISMATCH_BOOLEAN", "a Bool or Null condition has a value other than `true` or `false`",
        "write `true` or `false`";
    TypeMismatchIpRange = "TYPE_MISMATCH_IP_RANGE", "an IP address condition has a value that is not an address or range",
        "write an address such as `203.0.113.0/24`";

    // Policy variables.
    InvalidVariableForOperator = "INVALID_VARIABLE_FOR_OPERATOR", "a policy variable is used with an operator that takes none",
        "write the value literally";
    VariableUnsupportedInElement = "VARIABLE_UNSUPPORTED_IN_ELEMENT", "a policy variable is where IAM does not substitute variables",
        "write it literally: variables work in ARNs and conditions";
    MissingBraceInVariable = "MISSING_BRACE_IN_VARIABLE", "a policy variable is not closed with `}`",
        "close it with `}`, as in `${aws:username}`";
    MissingQuoteInVariable = "MISSING_QUOTE_IN_VARIABLE", "a policy variable's default value is not in single quotes",
        "quote the default, as in `'none'`";
    EmptyVariable = "EMPTY_VARIABLE", "a policy variable `${}` names no key",
        "name a condition key, as in `${aws:username}`";
    InvalidVariable = "INVALID_VARIABLE", "a policy variable does not name a condition key",
        "name a condition key, as in `${aws:username}`";

    // Policy checks (`checks`): security warnings.
    PassRoleWithStarInResource = "PASS_ROLE_WITH_STAR_IN_RESOURCE", "an Allow grants `iam:PassRole` on every role (`\"Resource\": \"*\"`)",
        "name the roles' ARNs, or add an `iam:PassedToService` condition";
    PassRoleWithStarInActionAndResource = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", "an Allow's wildcard action includes `iam:PassRole` on every role",
        "name the actions and the roles' ARNs, or add an `iam:PassedToService` condition";
    PassRoleWithStarInResourceAndNotAction = "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", "an Allow with `NotAction` includes `iam:PassRole` on every role",
        "list the actions in `Action`, or exclude `iam:PassRole`";
    PassRoleWithNotResource = "PASS_ROLE_WITH_NOT_RESOURCE", "an Allow grants `iam:PassRole` with `NotResource`",
        "name the roles' ARNs in `Resource`";
    PassRoleWithStarInActionAndNotResource = "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", "an Allow's wildcard action includes `iam:PassRole` with `NotResource`",
        "name the actions, and the roles' ARNs in `Resource`";
    PassRoleWithNotActionAndNotResource = "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", "an Allow with `NotAction` and `NotResource` includes `iam:PassRole`",
        "list the actions in `Action` and the resources in `Resource`";
    AllowWithNotAction = "ALLOW_WITH_NOT_ACTION", "an Allow uses `NotAction`: it grants every action not listed, of every service",
        "list the actions to grant in `Action`";
    AllowWithNotResource = "ALLOW_WITH_NOT_RESOURCE", "an Allow uses `NotResource`: it grants every resource not listed",
        "list the resources to grant in `Resource`";
    AllowAllActionsOnAllResources = "ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES", "an Allow grants every action on every resource",
        "grant only the actions and resources needed";
    AllowIamAllActions = "ALLOW_IAM_ALL_ACTIONS", "an Allow grants every IAM action (`iam:*`), which lets the holder grant itself anything",
        "grant only the IAM actions needed";
    AllowStsAllActions = "ALLOW_STS_ALL_ACTIONS", "an Allow grants every STS action (`sts:*`)",
        "grant only the STS actions needed, such as `sts:AssumeRole` on named roles";
    ResourcePolicyAllowsAnyPrincipal = "RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL", "a resource policy allows `\"Principal\": \"*\"` without a condition that narrows who",
        "name the principals, or add a condition on `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:SourceVpce`";
    TrustPolicyAllowsAnyPrincipal = "TRUST_POLICY_ALLOWS_ANY_PRINCIPAL", "a trust policy lets any principal assume the role",
        "name the accounts or roles that may assume it, or add a condition on `aws:PrincipalOrgID` or `aws:PrincipalArn`";
    MfaDenyWithoutIfExists = "MFA_DENY_WITHOUT_IF_EXISTS", "a Deny tests `aws:MultiFactorAuthPresent` with `Bool`: the key is absent for long-term access keys, so the Deny does not apply to them",
        "write `BoolIfExists`, so that requests without the key are denied too";
    ForallvaluesWithSingleValuedKey = "FORALLVALUES_WITH_SINGLE_VALUED_KEY", "`ForAllValues` with a single-valued key: it is true when the key is absent",
        "remove `ForAllValues:`";
    MissingPairedConditionKeys = "MISSING_PAIRED_CONDITION_KEYS", "a condition key is used without the key it should be paired with",
        "add the paired key to the same condition block";
    RestrictAccessToServicePrincipal = "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "a resource policy grants a service principal access without naming the source",
        "add a condition on `aws:SourceArn` or `aws:SourceAccount`";
    MissingConditionKeyForOidcPrincipal = "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL", "a trust policy lets an OpenID Connect provider's users assume the role without a condition on the token's claims",
        "add a condition on the provider's `aud` or `sub` claim";
    MissingGithubRepoConditionKey = "MISSING_GITHUB_REPO_CONDITION_KEY", "a trust policy lets GitHub Actions assume the role without naming the repository",
        "add a condition on `token.actions.githubusercontent.com:sub`, such as `repo:org/repo:ref:refs/heads/main`";

    // Policy checks: errors and warnings about condition keys and values.
    NumericOperatorOnNonNumericKey = "NUMERIC_OPERATOR_ON_NON_NUMERIC_KEY", "a numeric operator tests a key whose values are not numbers",
        "use an operator of the key's type";
    DateOperatorOnNonDateKey = "DATE_OPERATOR_ON_NON_DATE_KEY", "a date operator tests a key whose values are not dates",
        "use an operator of the key's type";
    BoolOperatorOnNonBooleanKey = "BOOL_OPERATOR_ON_NON_BOOLEAN_KEY", "`Bool` tests a key whose values are not booleans",
        "use an operator of the key's type";
    IpOperatorOnNonIpKey = "IP_OPERATOR_ON_NON_IP_KEY", "an IP address operator tests a key whose values are not addresses",
        "use an operator of the key's type";
    ArnOperatorOnNonArnKey = "ARN_OPERATOR_ON_NON_ARN_KEY", "an ARN operator tests a key whose values are not ARNs",
        "use a string operator such as `StringEquals`";
    StringOperatorOnTypedKey = "STRING_OPERATOR_ON_TYPED_KEY", "a string operator tests a key of another type: values are compared as text",
        "use an operator of the key's type";
    InvalidGlobalConditionKey = "INVALID_GLOBAL_CONDITION_KEY", "an `aws:` condition key that AWS does not define",
        "correct the key's name";
    MissingTagKeyInCondition = "MISSING_TAG_KEY_IN_CONDITION", "a tag condition key names no tag: `aws:RequestTag` instead of `aws:RequestTag/key`",
        "add the tag key, as in `aws:ResourceTag/team`";
    MissingQualifier = "MISSING_QUALIFIER", "a multivalued key is tested without `ForAnyValue` or `ForAllValues`",
        "add `ForAnyValue:` or `ForAllValues:` to the operator";
    PrivateIpAddress = "PRIVATE_IP_ADDRESS", "`IpAddress` tests `aws:SourceIp` against private ranges only, which it never holds",
        "use public ranges, or `aws:VpcSourceIp` for requests through a VPC endpoint";
    PrivateNotIpAddress = "PRIVATE_NOT_IP_ADDRESS", "`NotIpAddress` tests `aws:SourceIp` against private ranges only, which it never holds",
        "use public ranges, or `aws:VpcSourceIp` for requests through a VPC endpoint";
    DeprecatedGlobalConditionKey = "DEPRECATED_GLOBAL_CONDITION_KEY", "a deprecated global condition key",
        "use the key that replaced it";
    WildcardWithoutLikeOperator = "WILDCARD_WITHOUT_LIKE_OPERATOR", "a value with `*` or `?` under an operator that compares literally",
        "use `StringLike` or `StringNotLike`, or remove the wildcard";
    InvalidDateValue = "INVALID_DATE_VALUE", "a date value that may not be read as the date meant",
        "write a date such as `2026-01-15T12:00:00Z`";
    SpecificGithubRepoAndBranchRecommended = "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED", "a GitHub `sub` condition holds a wildcard in the repository or branch",
        "name the repository and branch, as in `repo:org/repo:ref:refs/heads/main`";
    OutdatedVersion = "OUTDATED_VERSION", "the policy has `\"Version\": \"2008-10-17\"`: `${…}` policy variables are literal text",
        "use `\"Version\": \"2012-10-17\"`";

    // Policy checks that need AWS's catalogue of actions, resource types
    // and condition keys.
    WildcardMatchesNoAction = "WILDCARD_MATCHES_NO_ACTION", "an action with a wildcard matches no action of its service",
        "correct the pattern, such as `s3:Get*`";
    ResourceMatchesNoAction = "RESOURCE_MATCHES_NO_ACTION", "a resource is of none of the types the statement's actions work on",
        "name a resource of a type the actions work on, or move it to a statement with actions that do";
    ActionMatchesNoResource = "ACTION_MATCHES_NO_RESOURCE", "an action works on none of the statement's resources",
        "add a resource of a type the action works on, or move the action to a statement of its own";
    ArnAccountNotAllowed = "ARN_ACCOUNT_NOT_ALLOWED", "an ARN has an account where its service's ARNs have none",
        "remove the account, as in `arn:aws:s3:::bucket`";
    ArnRegionNotAllowed = "ARN_REGION_NOT_ALLOWED", "an ARN has a region where its service's ARNs have none",
        "remove the region, as in `arn:aws:iam::111122223333:role/name`";
    MissingArnAccount = "MISSING_ARN_ACCOUNT", "an ARN has no account where its service's ARNs need one",
        "add the 12-digit account ID, or `*`";
    MissingArnRegion = "MISSING_ARN_REGION", "an ARN has no region where its service's ARNs need one",
        "add the region, such as `us-east-1`, or `*`";
    InvalidServiceConditionKey = "INVALID_SERVICE_CONDITION_KEY", "a condition key that its service does not define",
        "correct the key's name";
    UnsupportedActionForConditionKey = "UNSUPPORTED_ACTION_FOR_CONDITION_KEY", "a service condition key that none of the statement's actions supports",
        "test a key the actions support, or move the condition to a statement with actions that support it";

    // Policy checks: suggestions.
    EmptySidValue = "EMPTY_SID_VALUE", "a statement's `Sid` is empty",
        "remove the `Sid` or give it a value";
    RedundantAction = "REDUNDANT_ACTION", "an action is listed twice, or is covered by a wildcard of the same statement",
        "remove it";
    RedundantResource = "REDUNDANT_RESOURCE", "a resource is listed twice, or is covered by a wildcard of the same statement",
        "remove it";
    RedundantStatement = "REDUNDANT_STATEMENT", "a statement repeats another of the same policy",
        "remove one of them";
    RedundantConditionValueNum = "REDUNDANT_CONDITION_VALUE_NUM", "a numeric comparison lists several values: only the greatest or least counts",
        "keep the one value that counts";
    DuplicateConditionValue = "DUPLICATE_CONDITION_VALUE", "a condition lists the same value twice",
        "remove the repeat";
    ImproveIpRange = "IMPROVE_IP_RANGE", "an IP range has bits set after its prefix length, which are ignored",
        "write the range's first address, as the message shows";
    PrivateIpAddressSubset = "PRIVATE_IP_ADDRESS_SUBSET", "`IpAddress` tests `aws:SourceIp` against some private ranges, which it never holds",
        "remove the private ranges, or test them with `aws:VpcSourceIp`";
    PrivateNotIpAddressSubset = "PRIVATE_NOT_IP_ADDRESS_SUBSET", "`NotIpAddress` tests `aws:SourceIp` against some private ranges, which it never holds",
        "remove the private ranges, or test them with `aws:VpcSourceIp`";
    MissingExternalId = "MISSING_EXTERNAL_ID", "a trust policy lets another account assume the role without `sts:ExternalId`",
        "add `\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"…\"}}` with the ID agreed with the third party";
    MissingSecureTransportDeny = "MISSING_SECURE_TRANSPORT_DENY", "a bucket policy does not deny requests made without TLS",
        "add a Deny of `s3:*` with `\"Bool\": {\"aws:SecureTransport\": \"false\"}`";
    StatementMatchesNoStep = "STATEMENT_MATCHES_NO_STEP", "no step of the scenario matches the statement",
        "add a step that exercises it, or remove it";
    AllowOverriddenByDeny = "ALLOW_OVERRIDDEN_BY_DENY", "every step the Allow matches is denied by a Deny",
        "narrow the Deny, or remove the Allow";

    // Scenario documents.
    UnsupportedFormat = "UNSUPPORTED_FORMAT", "the document is not a `trustwalk/scenario@1` document",
        "set `\"format\": \"trustwalk/scenario@1\"`";
    UnknownField = "UNKNOWN_FIELD", "a field the scenario format does not define",
        "remove it or correct its name";
    MissingField = "MISSING_FIELD", "a required field is missing",
        "add the field";
    EmptyList = "EMPTY_LIST", "a list that needs entries is empty",
        "add at least one entry";
    DuplicateName = "DUPLICATE_NAME", "two things that need distinct names share one",
        "rename one of them";
    DuplicateId = "DUPLICATE_ID", "two accounts or steps have the same ID",
        "give each one its own ID";
    InvalidName = "INVALID_NAME", "a name has characters or a length AWS does not accept",
        "rename it";
    InvalidPath = "INVALID_PATH", "an IAM path does not begin and end with `/`",
        "write the path as `/` or `/team/`";
    InvalidAccountId = "INVALID_ACCOUNT_ID", "an account ID is not 12 digits",
        "write a 12-digit account ID";
    InvalidOrgId = "INVALID_ORG_ID", "an organization ID does not start with `o-`",
        "write an ID such as `o-a1b2c3d4e5`";
    InvalidUniqueId = "INVALID_UNIQUE_ID", "a unique ID does not have the prefix of its kind",
        "use that prefix, or leave `uniqueId` out";
    InvalidArn = "INVALID_ARN", "a value is not an ARN",
        "write an ARN such as `arn:aws:s3:::bucket/key`";
    InvalidNumber = "INVALID_NUMBER", "a number is not whole or is out of its range",
        "write a whole number in that range";
    InvalidValue = "INVALID_VALUE", "a value the field does not accept",
        "use a value the message describes";
    InvalidTime = "INVALID_TIME", "a time cannot be read or is out of range",
        "write a time such as `2026-01-15T12:00:00Z`";
    TooManyTags = "TOO_MANY_TAGS", "more tags than AWS allows",
        "remove some";
    TooManyGroups = "TOO_MANY_GROUPS", "an IAM user is in more groups than AWS allows",
        "remove some";
    InvalidTag = "INVALID_TAG", "a tag key or value is longer or shorter than AWS accepts",
        "use the length the message names";
    MisplacedField = "MISPLACED_FIELD", "a field is not allowed on this kind of step",
        "remove it";
    UnknownGroup = "UNKNOWN_GROUP", "a user is in a group its account does not have",
        "add the group or correct its name";
    UnknownRole = "UNKNOWN_ROLE", "a step names a role the document does not have",
        "correct the ARN or add the role";
    UnknownPrincipal = "UNKNOWN_PRINCIPAL", "a step's principal is not in the document",
        "correct the ARN or add it";
    UnknownBucket = "UNKNOWN_BUCKET", "a step names a bucket the document does not list",
        "list it under its owner's `buckets`";
    UnknownTagKey = "UNKNOWN_TAG_KEY", "a transitive tag key is not one of the step's session tags",
        "add the tag to `sessionTags`";
    UnknownManagedPolicy = "UNKNOWN_MANAGED_POLICY", "an attached managed policy ARN names no policy Trustwalk knows",
        "correct the ARN, or define the policy under its account's `managedPolicies`";
    ManagedPolicyOfAnotherAccount = "MANAGED_POLICY_OF_ANOTHER_ACCOUNT", "a customer managed policy of another account is attached",
        "attach a policy of the same account or an AWS managed policy";
    KmsKeyWithoutPolicy = "KMS_KEY_WITHOUT_POLICY", "a step uses a KMS key that has no key policy in the document",
        "give the key a `policy` under its account's `resources`";
    ResourceRulesNotModelled = "RESOURCE_RULES_NOT_MODELLED", "the service's own resource-policy rules are not modelled",
        "check the outcome against AWS's documentation of that service";
    UnlistedAccount = "UNLISTED_ACCOUNT", "a step's resource is in an account the document does not list",
        "list the account to model its side";

    // The JavaScript API and the playground.
    InvalidArgument = "INVALID_ARGUMENT", "a function was called with an argument it does not take",
        "pass what the message describes";
    UnsupportedValue = "UNSUPPORTED_VALUE", "a JavaScript value has no JSON form",
        "use only JSON values";
    InternalError = "INTERNAL_ERROR", "Trustwalk could not build its answer",
        "report this as a bug";
}

impl fmt::Display for DiagCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl DiagCode {
    /// The code written as `code`, if there is one.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl Serialize for DiagCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DiagCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{text}`")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_screaming_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for c in DiagCode::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(s.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_'), "{s}");
            assert_eq!(DiagCode::parse(s), Some(*c));
            // The variant's name is the code in CamelCase, so the two cannot drift.
            let camel: String = s
                .split('_')
                .map(|w| {
                    let lower = w.to_ascii_lowercase();
                    let mut cs = lower.chars();
                    cs.next().map(|f| f.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
                })
                .collect();
            assert_eq!(format!("{c:?}"), camel);
        }
    }

    #[test]
    fn meanings_and_helps_follow_the_style_guide() {
        for c in DiagCode::ALL {
            for text in [c.meaning(), c.default_help()] {
                assert!(!text.ends_with('.'), "{c}: {text}");
                assert!(!text.is_empty() && !text.contains('\n'), "{c}: {text:?}");
                assert!(
                    !text.starts_with(|ch: char| ch.is_ascii_uppercase()) || text.starts_with("IAM") || text.starts_with("Trustwalk"),
                    "{c}: {text}"
                );
            }
        }
    }

    #[test]
    fn codes_serialize_as_their_string() {
        assert_eq!(serde_json::to_string(&DiagCode::InvalidEffect).unwrap(), "\"INVALID_EFFECT\"");
        assert_eq!(serde_json::from_str::<DiagCode>("\"MISSING_VERSION\"").unwrap(), DiagCode::MissingVersion);
        assert!(serde_json::from_str::<DiagCode>("\"NO_SUCH_CODE\"").is_err());
    }
}
