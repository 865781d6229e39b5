//! The JS API's TypeScript declarations (`src/types.d.ts`, embedded in
//! the package's `trustwalk.d.ts`) are generated here from the core's
//! Rust types (ts-rs, the core's `ts` feature), so they cannot drift from
//! what is serialized. After changing a type, regenerate them with
//! `TRUSTWALK_WRITE_TYPES=1 cargo test -p trustwalk-js --test types`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use trustwalk_core::diag::DiagCode;
use trustwalk_core::scenario::run::ExtraCheck;
use trustwalk_core::scenario::{Outcome, ScenarioResult, StepResult};
use trustwalk_core::trace::{Decision, NearMiss, StatementRef};
use trustwalk_core::{Diagnostic, JsonPath, PolicyType};
use ts_rs::{Config, TS};

/// The options of `simulate()` and `lintPolicy()` (read by hand from the
/// JavaScript object in `src/lib.rs`, `read_options`).
#[derive(TS)]
#[allow(dead_code)]
struct SimulateOptions {
    /// "now" in seconds since 1970-01-01T00:00:00Z (fractions are rounded down), 0 to 253402300799 (9999-12-31T23:59:59Z); default: the current time.
    #[ts(optional)]
    now: Option<f64>,
    /// AWS's catalogue of actions (the package's `catalogue.json`, as text or bytes): enables the checks that need it (unknown actions, resource types, condition keys). Read once and kept while the same file is passed.
    #[ts(optional, type = "string | Uint8Array | ArrayBuffer")]
    catalogue: Option<String>,
    /// `simulate()`: add the policy checks' findings to `warnings` (default true).
    #[ts(optional)]
    lint: Option<bool>,
    /// `simulate()`: the AWS managed policies the scenario attaches, ARN → the text of the package's `aws-managed-policies/NAME.json` file (or of the policy document); `managedPolicyArns()` lists them.
    #[ts(optional, type = "Record<string, string>", rename = "managedPolicies")]
    managed_policies: Option<String>,
}

const HEADER: &str = "// Generated from the Rust types by crates/js/tests/types.rs (ts-rs): do not edit.\n";

const FUNCTIONS: &str = r#"/** `{ ok: true, warnings, ...T }` or `{ ok: false, errors }`: the functions never throw. */
export type Answer<T, W = Diagnostic> = ({ ok: true; warnings: W[] } & T) | { ok: false; errors: Diagnostic[] };
/** Runs a scenario document (an object or its JSON text); `warnings` holds the load warnings and, unless `lint: false`, the policy checks' findings. Never throws. */
export function simulate(scenario: object | string, options?: SimulateOptions): Answer<{ result: ScenarioResult }, Diagnostic | Finding>;
/** Validates one policy's text as the given policy type. Never throws. */
export function validatePolicy(text: string, policyType: PolicyType): Answer<{}>;
/** The AWS managed policies a scenario attaches, with the package's file of each: what `options.managedPolicies` needs. Never throws. */
export function managedPolicyArns(scenario: object | string): Answer<{ arns: { arn: string; file?: string }[] }>;
/** Checks one policy's text as the given policy type, as IAM Access Analyzer's policy validation does (with `options.catalogue`, also the checks that need AWS's catalogue). Never throws. */
export function lintPolicy(text: string, policyType: PolicyType, options?: SimulateOptions): Answer<{ findings: Finding[] }>;
"#;

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

fn generate() -> String {
    let cfg = Config::new();
    let codes: Vec<String> = DiagCode::ALL.iter().map(|c| format!("\"{}\"", c.as_str())).collect();
    let mut out = String::from(HEADER);
    out.push_str("/** What kind of problem a diagnostic reports, stable across versions (IAM Access Analyzer's issue code where it has one). */\n");
    out.push_str(&format!("export type DiagCode = {};\n", codes.join(" | ")));
    out.push_str(&decl::<trustwalk_core::diag::Severity>(&cfg));
    out.push_str(&decl::<JsonPath>(&cfg));
    out.push_str(&decl::<trustwalk_core::span::Span>(&cfg));
    out.push_str(&decl::<Diagnostic>(&cfg));
    out.push_str(&decl::<PolicyType>(&cfg));
    out.push_str(&decl::<Outcome>(&cfg));
    out.push_str(&decl::<Decision>(&cfg));
    out.push_str(&decl::<StatementRef>(&cfg));
    out.push_str(&decl::<NearMiss>(&cfg));
    out.push_str(&decl::<ExtraCheck>(&cfg));
    out.push_str(&decl::<StepResult>(&cfg));
    out.push_str(&decl::<ScenarioResult>(&cfg));
    out.push_str(&decl::<trustwalk_core::checks::FindingSeverity>(&cfg));
    out.push_str(&decl::<trustwalk_core::checks::Finding>(&cfg));
    out.push_str(&decl::<SimulateOptions>(&cfg));
    out.push_str(FUNCTIONS);
    out
}

#[test]
fn declarations_are_generated_from_the_rust_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/types.d.ts");
    let generated = generate();
    if std::env::var_os("TRUSTWALK_WRITE_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/js/src/types.d.ts differs from the declarations generated from the Rust types; \
         regenerate it with `TRUSTWALK_WRITE_TYPES=1 cargo test -p trustwalk-js --test types`"
    );
}
