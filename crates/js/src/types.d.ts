// Generated from the Rust types by crates/js/tests/types.rs (ts-rs): do not edit.
/** What kind of problem a diagnostic reports, stable across versions (IAM Access Analyzer's issue code where it has one). */
export type DiagCode = "JSON_SYNTAX_ERROR" | "JSON_TOO_DEEP" | "INVALID_UTF8" | "BYTE_ORDER_MARK" | "TOO_LARGE" | "DATA_TYPE_MISMATCH" | "DUPLICATE_KEYS" | "DUPLICATE_KEYS_WITH_DIFFERENT_CASE" | "INVALID_POLICY_ELEMENT" | "MISSING_VERSION" | "INVALID_VERSION" | "MISSING_STATEMENT" | "EMPTY_ARRAY_STATEMENT" | "MISSING_EFFECT" | "INVALID_EFFECT" | "UNSUPPORTED_ELEMENT_COMBINATION" | "UNIQUE_SIDS_REQUIRED" | "UNIQUE_SIDS_RECOMMENDED" | "UNSUPPORTED_SID" | "MISSING_ACTION" | "EMPTY_ARRAY_ACTION" | "INVALID_ACTION" | "INVALID_SERVICE_IN_ACTION" | "MISSING_RESOURCE" | "EMPTY_ARRAY_RESOURCE" | "INVALID_ARN_PREFIX" | "MISSING_ARN_FIELD" | "INVALID_SERVICE" | "INVALID_ARN_ACCOUNT" | "MISSING_PRINCIPAL" | "UNSUPPORTED_PRINCIPAL" | "INVALID_PRINCIPAL_FORMAT" | "INVALID_PRINCIPAL_KEY" | "INVALID_SERVICE_PRINCIPAL_FORMAT" | "UNSUPPORTED_WILDCARD_IN_PRINCIPAL" | "EMPTY_ARRAY_PRINCIPAL" | "EMPTY_OBJECT_PRINCIPAL" | "ALLOW_WITH_NOT_PRINCIPAL" | "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL" | "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE" | "RCP_SYNTAX_ERROR_PRINCIPAL" | "RCP_SYNTAX_ERROR_NOT_ACTION" | "RCP_SYNTAX_ERROR_ALLOW" | "RCP_SYNTAX_ERROR_ACTION_WILDCARD" | "INVALID_CONDITION_OPERATOR" | "NULL_WITH_IF_EXISTS" | "NULL_WITH_QUALIFIER" | "EMPTY_OBJECT_CONDITION" | "EMPTY_ARRAY_CONDITION" | "INVALID_CONDITION_KEY_FORMAT" | "TYPE_MISMATCH" | "TYPE_MISMATCH_NUMBER" | "TYPE_MISMATCH_DATE" | "TYPE_MISMATCH_BOOLEAN" | "TYPE_MISMATCH_IP_RANGE" | "INVALID_VARIABLE_FOR_OPERATOR" | "VARIABLE_UNSUPPORTED_IN_ELEMENT" | "MISSING_BRACE_IN_VARIABLE" | "MISSING_QUOTE_IN_VARIABLE" | "EMPTY_VARIABLE" | "INVALID_VARIABLE" | "PASS_ROLE_WITH_STAR_IN_RESOURCE" | "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE" | "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION" | "PASS_ROLE_WITH_NOT_RESOURCE" | "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE" | "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE" | "ALLOW_WITH_NOT_ACTION" | "ALLOW_WITH_NOT_RESOURCE" | "ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES" | "ALLOW_IAM_ALL_ACTIONS" | "ALLOW_STS_ALL_ACTIONS" | "RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL" | "TRUST_POLICY_ALLOWS_ANY_PRINCIPAL" | "MFA_DENY_WITHOUT_IF_EXISTS" | "FORALLVALUES_WITH_SINGLE_VALUED_KEY" | "MISSING_PAIRED_CONDITION_KEYS" | "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL" | "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL" | "MISSING_GITHUB_REPO_CONDITION_KEY" | "NUMERIC_OPERATOR_ON_NON_NUMERIC_KEY" | "DATE_OPERATOR_ON_NON_DATE_KEY" | "BOOL_OPERATOR_ON_NON_BOOLEAN_KEY" | "IP_OPERATOR_ON_NON_IP_KEY" | "ARN_OPERATOR_ON_NON_ARN_KEY" | "STRING_OPERATOR_ON_TYPED_KEY" | "INVALID_GLOBAL_CONDITION_KEY" | "MISSING_TAG_KEY_IN_CONDITION" | "MISSING_QUALIFIER" | "PRIVATE_IP_ADDRESS" | "PRIVATE_NOT_IP_ADDRESS" | "DEPRECATED_GLOBAL_CONDITION_KEY" | "WILDCARD_WITHOUT_LIKE_OPERATOR" | "INVALID_DATE_VALUE" | "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED" | "OUTDATED_VERSION" | "WILDCARD_MATCHES_NO_ACTION" | "RESOURCE_MATCHES_NO_ACTION" | "ACTION_MATCHES_NO_RESOURCE" | "ARN_ACCOUNT_NOT_ALLOWED" | "ARN_REGION_NOT_ALLOWED" | "MISSING_ARN_ACCOUNT" | "MISSING_ARN_REGION" | "INVALID_SERVICE_CONDITION_KEY" | "UNSUPPORTED_ACTION_FOR_CONDITION_KEY" | "EMPTY_SID_VALUE" | "REDUNDANT_ACTION" | "REDUNDANT_RESOURCE" | "REDUNDANT_STATEMENT" | "REDUNDANT_CONDITION_VALUE_NUM" | "DUPLICATE_CONDITION_VALUE" | "IMPROVE_IP_RANGE" | "PRIVATE_IP_ADDRESS_SUBSET" | "PRIVATE_NOT_IP_ADDRESS_SUBSET" | "MISSING_EXTERNAL_ID" | "MISSING_SECURE_TRANSPORT_DENY" | "STATEMENT_MATCHES_NO_STEP" | "ALLOW_OVERRIDDEN_BY_DENY" | "UNSUPPORTED_FORMAT" | "UNKNOWN_FIELD" | "MISSING_FIELD" | "EMPTY_LIST" | "DUPLICATE_NAME" | "DUPLICATE_ID" | "INVALID_NAME" | "INVALID_PATH" | "INVALID_ACCOUNT_ID" | "INVALID_ORG_ID" | "INVALID_UNIQUE_ID" | "INVALID_ARN" | "INVALID_NUMBER" | "INVALID_VALUE" | "INVALID_TIME" | "TOO_MANY_TAGS" | "TOO_MANY_GROUPS" | "INVALID_TAG" | "MISPLACED_FIELD" | "UNKNOWN_GROUP" | "UNKNOWN_ROLE" | "UNKNOWN_PRINCIPAL" | "UNKNOWN_BUCKET" | "UNKNOWN_TAG_KEY" | "UNKNOWN_MANAGED_POLICY" | "MANAGED_POLICY_OF_ANOTHER_ACCOUNT" | "KMS_KEY_WITHOUT_POLICY" | "RESOURCE_RULES_NOT_MODELLED" | "UNLISTED_ACCOUNT" | "INVALID_ARGUMENT" | "UNSUPPORTED_VALUE" | "INTERNAL_ERROR";
export type Severity = "error" | "warning";
export type JsonPath = string;
export type Span = { start: number, end: number, line: number, column: number, };
export type Diagnostic = { severity: Severity, 
/**
 * What kind of problem: stable, listed in [`DiagCode`].
 */
code: DiagCode, 
/**
 * What is wrong, in plain words (see the style in the module docs).
 */
message: string, 
/**
 * How to fix it: the code's usual advice unless the diagnostic knows
 * better.
 */
help: string, 
/**
 * Where in the document: `Statement[0].Effect`.
 */
path: JsonPath, 
/**
 * Line, column and byte range in the text the element came from.
 */
location?: Span, 
/**
 * When the problem is inside a policy given as a JSON string within a
 * larger document: the path of that string. `location` then points
 * into the document and `text_location` into the policy text.
 */
embeddedIn?: JsonPath, 
/**
 * The position within the embedded policy text (see `embedded_in`).
 */
textLocation?: Span, };
export type PolicyType = "identity" | "resource" | "trust" | "permissionsBoundary" | "sessionPolicy" | "scp" | "rcp";
export type Outcome = "allowed" | "explicitDeny" | "implicitDeny" | "denied" | "skipped" | "invalid";
export type Decision = "allowed" | "explicitDeny" | "implicitDeny";
export type StatementRef = { policyType: PolicyType, policy: string, statement: number, sid?: string, level?: string, span: Span, };
export type NearMiss = { statement: StatementRef, 
/**
 * What kept it from matching, in plain words.
 */
failed: Array<string>, };
export type ExtraCheck = { action: string, decision: Decision, evaluation: Record<string, unknown>, };
export type StepResult = { id: string, principal: string, action: string, resource: string, crossAccount: boolean, decision: Outcome, expect?: Outcome, expectationMet?: boolean, decisive: Array<StatementRef>, missingAllow?: Array<PolicyType>, 
/**
 * The session an allowed AssumeRole established.
 */
session?: string, 
/**
 * One sentence on why; for `skipped` and `invalid`, the reason.
 */
summary: string, 
/**
 * The caller's and the resource's accounts.
 */
principalAccount?: string, resourceAccount?: string, nearMiss?: NearMiss, 
/**
 * The request context the step was evaluated with (a JSON object, in
 * the order the keys were set).
 */
context: Record<string, string | string[]>, 
/**
 * Every gate, policy, statement and condition (see `trace`). In the
 * result document only its `gates` appear (as `gates`): the decision,
 * decisive statements, summary and near miss are already on the step.
 */
gates?: Array<Record<string, unknown>>, 
/**
 * For AssumeRole with session tags or a source identity: the extra
 * authorisations (`sts:TagSession`, `sts:SetSourceIdentity`).
 */
extraChecks?: Array<ExtraCheck>, };
export type ScenarioResult = { format: "trustwalk/result@1", steps: Array<StepResult>, };
export type FindingSeverity = "error" | "securityWarning" | "warning" | "suggestion";
export type Finding = { severity: FindingSeverity, code: DiagCode, 
/**
 * What is wrong (the style of [`crate::diag`]).
 */
message: string, 
/**
 * How to fix it.
 */
help: string, 
/**
 * Where: `Statement[0].Action[1]`, within the scenario document for
 * [`lint_scenario`].
 */
path: JsonPath, 
/**
 * 1-based line and column (0 when unknown): in the document, or for a
 * policy given as a string to [`lint_scenario`] in that policy's text
 * (then `embedded_in` is set).
 */
line: number, column: number, span?: Span, 
/**
 * The policy, as traces name it (`StageRole/trustPolicy`), in a scenario.
 */
policy?: string, policyType?: PolicyType, 
/**
 * When the policy was given as a JSON string: that string's path.
 */
embeddedIn?: JsonPath, 
/**
 * The check's documentation: Access Analyzer's reference or
 * docs/checks.md.
 */
doc: string, 
/**
 * The one obvious fix, when there is one (a did-you-mean with a single
 * candidate): the text to put in place of the string value at `span`.
 */
fix?: string, };
export type SimulateOptions = { 
/**
 * "now" in seconds since 1970-01-01T00:00:00Z (fractions are rounded down), 0 to 253402300799 (9999-12-31T23:59:59Z); default: the current time.
 */
now?: number, 
/**
 * AWS's catalogue of actions (the package's `catalogue.json`, as text or bytes): enables the checks that need it (unknown actions, resource types, condition keys). Read once and kept while the same file is passed.
 */
catalogue?: string | Uint8Array | ArrayBuffer, 
/**
 * `simulate()`: add the policy checks' findings to `warnings` (default true).
 */
lint?: boolean, 
/**
 * `simulate()`: the AWS managed policies the scenario attaches, ARN → the text of the package's `aws-managed-policies/NAME.json` file (or of the policy document); `managedPolicyArns()` lists them.
 */
managedPolicies?: Record<string, string>, };
/** `{ ok: true, warnings, ...T }` or `{ ok: false, errors }`: the functions never throw. */
export type Answer<T, W = Diagnostic> = ({ ok: true; warnings: W[] } & T) | { ok: false; errors: Diagnostic[] };
/** Runs a scenario document (an object or its JSON text); `warnings` holds the load warnings and, unless `lint: false`, the policy checks' findings. Never throws. */
export function simulate(scenario: object | string, options?: SimulateOptions): Answer<{ result: ScenarioResult }, Diagnostic | Finding>;
/** Validates one policy's text as the given policy type. Never throws. */
export function validatePolicy(text: string, policyType: PolicyType): Answer<{}>;
/** The AWS managed policies a scenario attaches, with the package's file of each: what `options.managedPolicies` needs. Never throws. */
export function managedPolicyArns(scenario: object | string): Answer<{ arns: { arn: string; file?: string }[] }>;
/** Checks one policy's text as the given policy type, as IAM Access Analyzer's policy validation does (with `options.catalogue`, also the checks that need AWS's catalogue). Never throws. */
export function lintPolicy(text: string, policyType: PolicyType, options?: SimulateOptions): Answer<{ findings: Finding[] }>;
