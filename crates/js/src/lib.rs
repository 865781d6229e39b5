//! The JavaScript API: `simulate(scenario, options?)` and
//! `validatePolicy(text, policyType)`. Answers are plain objects —
//! `{ ok: true, result, warnings }` or `{ ok: false, errors }` — and nothing
//! throws. All the work is done by `trustwalk-core`; this crate only
//! converts values at the boundary.

use serde::Serialize;
use trustwalk_core::scenario::{self, RunOptions};
use trustwalk_core::{json, policy, Diagnostic, JsonPath, PolicyType};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A problem with the input: plain words, the JSON path, and where known the position. */
export interface Diagnostic {
  severity: "error" | "warning";
  message: string;
  path: string;
  location?: { start: number; end: number; line: number; column: number };
  /** For a policy given as a string inside a scenario: the path of that string. */
  embeddedIn?: string;
  /** For such a policy: the position inside its text. */
  textLocation?: { start: number; end: number; line: number; column: number };
}
export type PolicyType = "identity" | "resource" | "trust" | "permissionsBoundary" | "sessionPolicy" | "scp" | "rcp";
export type Outcome = "allowed" | "explicitDeny" | "implicitDeny" | "denied" | "skipped" | "invalid";
/** The result document, `trustwalk/result@1` (see docs/scenario-format.md). */
export interface ScenarioResult {
  format: "trustwalk/result@1";
  steps: Array<{
    id: string; principal: string; action: string; resource: string;
    crossAccount: boolean; decision: Outcome; expect?: Outcome; expectationMet?: boolean;
    decisive: Array<{ policyType: PolicyType; policy: string; statement: number; sid?: string }>;
    missingAllow?: PolicyType[]; session?: string; summary: string;
    [key: string]: unknown;
  }>;
}
export type Answer<T> = { ok: true; warnings: Diagnostic[] } & T | { ok: false; errors: Diagnostic[] };
export interface SimulateOptions { /** "now" in epoch seconds; default: the current time. */ now?: number }
/** Runs a scenario document (an object or its JSON text). Never throws. */
export function simulate(scenario: object | string, options?: SimulateOptions): Answer<{ result: ScenarioResult }>;
/** Validates one policy's text as the given policy type. Never throws. */
export function validatePolicy(text: string, policyType: PolicyType): Answer<{}>;
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Success<T: Serialize> {
    ok: bool,
    #[serde(flatten)]
    value: T,
    warnings: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct Failure {
    ok: bool,
    errors: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct WithResult {
    result: scenario::ScenarioResult,
}

#[derive(Serialize)]
struct Nothing {}

fn to_js<T: Serialize>(v: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&serializer).unwrap_or(JsValue::NULL)
}

fn failure(errors: Vec<Diagnostic>) -> JsValue {
    to_js(&Failure { ok: false, errors })
}

fn one_error(message: &str) -> JsValue {
    failure(vec![Diagnostic::new(message, JsonPath::root())])
}

/// Runs a scenario. Exported to JavaScript as `simulate`.
#[wasm_bindgen(js_name = simulate, skip_typescript)]
pub fn simulate(scenario_input: JsValue, options: JsValue) -> JsValue {
    let now = js_sys::Reflect::get(&options, &JsValue::from_str("now"))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or_else(|| js_sys::Date::now() / 1000.0);
    let loaded = if let Some(text) = scenario_input.as_string() {
        scenario::load(&text)
    } else if scenario_input.is_object() {
        match serde_wasm_bindgen::from_value::<serde_json::Value>(scenario_input) {
            Ok(v) => scenario::load_json(&json::from_value(&v)),
            Err(e) => return one_error(&format!("the scenario could not be read as JSON: {e}")),
        }
    } else {
        return one_error("simulate() takes a scenario document: an object or its JSON text");
    };
    match loaded {
        Ok((s, warnings)) => {
            let result = scenario::run(&s, RunOptions { now_epoch_seconds: now as i64, ..Default::default() });
            to_js(&Success { ok: true, value: WithResult { result }, warnings })
        }
        Err(errors) => failure(errors),
    }
}

/// Validates a policy. Exported to JavaScript as `validatePolicy`.
#[wasm_bindgen(js_name = validatePolicy, skip_typescript)]
pub fn validate_policy(text: JsValue, policy_type: JsValue) -> JsValue {
    let Some(text) = text.as_string() else {
        return one_error("validatePolicy() takes the policy text as a string");
    };
    let Some(kind) = policy_type.as_string().and_then(|t| PolicyType::parse(&t)) else {
        return one_error("the policy type must be one of identity, resource, trust, permissionsBoundary, sessionPolicy, scp, rcp");
    };
    match policy::parse_policy(&text, kind) {
        Ok(parsed) => to_js(&Success { ok: true, value: Nothing {}, warnings: parsed.warnings }),
        Err(errors) => failure(errors),
    }
}
