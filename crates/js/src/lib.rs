//! The JavaScript API: `simulate(scenario, options?)`,
//! `validatePolicy(text, policyType)` and `lintPolicy(text, policyType,
//! options?)`. Answers are plain objects —
//! `{ ok: true, result, warnings }` or `{ ok: false, errors }` — and nothing
//! throws. All the work is done by `trustwalk-core`; this crate only
//! converts values at the boundary.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod alloc;
mod convert;

use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::{self, Finding, LintOptions, ScenarioLintOptions, Vocabulary};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::scenario::{self, RunOptions};
use trustwalk_core::{json, policy, Diagnostic, JsonPath, PolicyType};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The declarations of `trustwalk.d.ts`: generated from the core's Rust
/// types by `tests/types.rs` (ts-rs), which fails when they drift.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

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
struct Nothing {}

fn to_js<T: Serialize>(v: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    match v.serialize(&serializer) {
        Ok(js) => js,
        Err(e) => last_resort(&format!("the answer could not be converted to JavaScript: {e}")),
    }
}

/// `{ ok: false, errors: [{ severity: "error", code: "INTERNAL_ERROR",
/// message, help, path: "" }] }`, built by hand, for when serializing the
/// answer failed.
fn last_resort(message: &str) -> JsValue {
    let error = js_sys::Object::new();
    let code = DiagCode::InternalError;
    let _ = js_sys::Reflect::set(&error, &"severity".into(), &"error".into());
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.as_str().into());
    let _ = js_sys::Reflect::set(&error, &"message".into(), &message.into());
    let _ = js_sys::Reflect::set(&error, &"help".into(), &code.default_help().into());
    let _ = js_sys::Reflect::set(&error, &"path".into(), &"".into());
    let answer = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&answer, &"ok".into(), &JsValue::FALSE);
    let _ = js_sys::Reflect::set(&answer, &"errors".into(), &js_sys::Array::of1(&error));
    answer.into()
}

fn failure(errors: Vec<Diagnostic>) -> JsValue {
    to_js(&Failure { ok: false, errors })
}

fn one_error(code: DiagCode, message: &str) -> JsValue {
    failure(vec![Diagnostic::new(code, message, JsonPath::root())])
}

/// A document given as an object has no text, so its diagnostics have no
/// position: the core gives them an empty span (line 0), which is left
/// out rather than shown as line 0. Positions inside policies given as
/// strings (`textLocation`) are real and stay.
fn without_empty_locations(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &mut diagnostics {
        if d.location.is_some_and(|l| l.line == 0) {
            d.location = None;
        }
    }
    diagnostics
}

/// Reads a text argument exactly: `Err` when it is longer than `max_bytes`
/// (checked before copying it into WebAssembly memory) or holds a lone
/// surrogate.
fn read_text(value: &JsValue, max_bytes: usize, what: &str) -> Result<String, Diagnostic> {
    let units = value.unchecked_ref::<js_sys::JsString>().length() as usize;
    if units > max_bytes {
        return Err(Diagnostic::new(
            DiagCode::TooLarge,
            format!("{what} is longer than {} KiB: {units} UTF-16 code units", max_bytes / 1024),
            JsonPath::root(),
        ));
    }
    let text = convert::exact_string(value).map_err(|m| Diagnostic::new(DiagCode::UnsupportedValue, format!("{what}: {m}"), JsonPath::root()))?;
    if text.len() > max_bytes {
        return Err(Diagnostic::new(
            DiagCode::TooLarge,
            format!("{what} is larger than {} KiB: {} bytes", max_bytes / 1024, text.len()),
            JsonPath::root(),
        ));
    }
    Ok(text)
}

/// The options of `simulate()` and `lintPolicy()`.
struct Opts {
    now: i64,
    /// AWS's catalogue, for the checks that need it.
    catalogue: Option<Rc<Catalogue>>,
    /// Whether `simulate()` adds the policy checks' findings to its warnings.
    lint: bool,
    /// AWS managed policies: ARN → the policy document's text (or the
    /// package's `aws-managed-policies/NAME.json` file).
    managed: std::collections::HashMap<String, String>,
}

const OPTION_KEYS: [&str; 4] = ["now", "catalogue", "lint", "managedPolicies"];

/// Reads the options object: `now` in whole epoch seconds (rounded down;
/// default the current time), `catalogue` (the text or bytes of the
/// package's `catalogue.json`), `lint` (default true). No options: the
/// defaults.
fn read_options(options: &JsValue, function: &str) -> Result<Opts, Vec<Diagnostic>> {
    let clock = || (js_sys::Date::now() / 1000.0).floor() as i64;
    let defaults = Opts { now: clock(), catalogue: None, lint: true, managed: std::collections::HashMap::new() };
    if options.is_undefined() || options.is_null() {
        return Ok(defaults);
    }
    let err = |m: String| vec![Diagnostic::new(DiagCode::InvalidArgument, m, JsonPath::root())];
    if !options.is_object() || options.is_function() || convert::is_array(options).unwrap_or(true) {
        return Err(err(format!("the options of {function}() must be an object such as `{{ now: Date.now() / 1000 }}`")));
    }
    let keys = js_sys::Reflect::own_keys(options).map_err(|e| err(format!("the options cannot be read: {}", convert::exception_text(&e))))?;
    let unknown: Vec<String> = keys
        .iter()
        .filter_map(|k| k.as_string().or_else(|| Some(convert::exception_text(&k))))
        .filter(|k| !OPTION_KEYS.contains(&k.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(err(format!("unknown option `{}`: the options are `now`, `catalogue`, `lint` and `managedPolicies`", unknown.join("`, `"))));
    }
    let get = |key: &str| {
        js_sys::Reflect::get(options, &JsValue::from_str(key))
            .map_err(|e| err(format!("reading `options.{key}` threw an exception: {}", convert::exception_text(&e))))
    };
    let now = get("now")?;
    let now = if now.is_undefined() { defaults.now } else { read_now(&now).map_err(err)? };
    let lint = match get("lint")? {
        v if v.is_undefined() => true,
        v => v.as_bool().ok_or_else(|| err("`options.lint` must be `true` or `false`".into()))?,
    };
    let catalogue = match get("catalogue")? {
        v if v.is_undefined() || v.is_null() => None,
        v => Some(read_catalogue(&v).map_err(err)?),
    };
    let managed = match get("managedPolicies")? {
        v if v.is_undefined() || v.is_null() => std::collections::HashMap::new(),
        v => read_managed(&v).map_err(err)?,
    };
    Ok(Opts { now, catalogue, lint, managed })
}

/// `options.managedPolicies`: `{ [arn]: text }`, each text a policy
/// document or the package's file of that policy.
fn read_managed(value: &JsValue) -> Result<std::collections::HashMap<String, String>, String> {
    let shape = "`options.managedPolicies` must map AWS managed policy ARNs to their documents' text, such as `{ \"arn:aws:iam::aws:policy/ReadOnlyAccess\": text }`";
    if !value.is_object() || value.is_function() || convert::is_array(value).unwrap_or(true) {
        return Err(shape.into());
    }
    let entries = js_sys::Object::entries(value.unchecked_ref());
    let mut out = std::collections::HashMap::new();
    let mut bytes = 0usize;
    for entry in entries.iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let (Some(arn), text) = (pair.get(0).as_string(), pair.get(1)) else { return Err(shape.into()) };
        if !text.is_string() {
            return Err(format!("`options.managedPolicies[\"{arn}\"]` must be the policy's text (a string)"));
        }
        let text = read_text(&text, json::MAX_TEXT_BYTES, &format!("`options.managedPolicies[\"{arn}\"]`")).map_err(|d| d.message)?;
        bytes += text.len();
        if bytes > 64 * json::MAX_TEXT_BYTES {
            return Err("`options.managedPolicies` holds more than 64 MiB of text".into());
        }
        out.insert(arn, text);
    }
    Ok(out)
}

/// `options.now` in whole epoch seconds (rounded down), or what is wrong.
fn read_now(now: &JsValue) -> Result<i64, String> {
    let Some(n) = now.as_f64() else {
        let what = if now.is_string() {
            "a string"
        } else if now.is_bigint() {
            "a BigInt"
        } else {
            "not a number"
        };
        return Err(format!("`options.now` must be a number of seconds since 1970-01-01T00:00:00Z (such as `Date.now() / 1000`), not {what}"));
    };
    // The core's range (1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the
    // years an ISO 8601 `aws:CurrentTime` can be written in); fractions
    // are rounded down.
    trustwalk_core::time::check_epoch_f64(n).map_err(|_| {
        let shown = convert::number_text(n).unwrap_or_else(|| if n.is_nan() { "NaN".into() } else { "Infinity".into() });
        format!("`options.now` must be a time between 0 (1970-01-01T00:00:00Z) and 253402300799 (9999-12-31T23:59:59Z) in seconds, not {shown}")
    })
}

thread_local! {
    /// The last catalogue read, by a hash of its bytes: passing the same
    /// file on every call reads it once.
    static CATALOGUE: RefCell<Option<(u64, usize, Rc<Catalogue>)>> = const { RefCell::new(None) };
}

/// `options.catalogue`: the package's `catalogue.json` as text, a
/// `Uint8Array` or an `ArrayBuffer`.
fn read_catalogue(value: &JsValue) -> Result<Rc<Catalogue>, String> {
    let bytes = if value.is_string() {
        convert::exact_string(value).map_err(|m| format!("`options.catalogue`: {m}"))?.into_bytes()
    } else if let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() {
        a.to_vec()
    } else if let Some(b) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(b).to_vec()
    } else {
        return Err("`options.catalogue` must be the text of the package's `catalogue.json`, or its bytes (a Uint8Array or an ArrayBuffer)".into());
    };
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    let key = h.finish();
    if let Some(c) = CATALOGUE.with(|c| c.borrow().as_ref().filter(|(k, n, _)| *k == key && *n == bytes.len()).map(|(_, _, c)| c.clone())) {
        return Ok(c);
    }
    // A catalogue given by the caller is checked whole, once (it is kept
    // for the next calls): a malformed service is an error here, not a
    // service without actions later.
    let c = Catalogue::from_bytes(&bytes).map_err(|e| format!("`options.catalogue`: {e}"))?;
    c.verify().map_err(|e| format!("`options.catalogue`: {e}"))?;
    let c = Rc::new(c);
    CATALOGUE.with(|cell| *cell.borrow_mut() = Some((key, bytes.len(), c.clone())));
    Ok(c)
}

/// The checks the catalogue enables.
fn vocabulary(c: &Option<Rc<Catalogue>>) -> Option<&dyn Vocabulary> {
    c.as_deref().map(|c| c as &dyn Vocabulary)
}

/// A load warning or a policy check's finding, in `simulate()`'s `warnings`.
#[derive(Serialize)]
#[serde(untagged)]
enum Warning {
    Diagnostic(Diagnostic),
    Finding(Finding),
}

/// Runs a loaded scenario into `{ ok: true, result, warnings }`.
///
/// Each step's result goes to JavaScript as soon as it is known, as JSON
/// text that `JSON.parse` turns into objects: the traces of a large
/// scenario run to hundreds of MiB, which are then never all held in
/// WebAssembly memory, and one native `JSON.parse` per step is several
/// times faster than building the objects field by field across the
/// boundary (serde-wasm-bindgen).
fn run(s: &scenario::Scenario, now: i64, warnings: Vec<Warning>) -> JsValue {
    let steps = js_sys::Array::new();
    let mut problem = None;
    scenario::run_each(s, RunOptions { now_epoch_seconds: now, ..Default::default() }, |step| {
        if problem.is_some() {
            return;
        }
        match serde_json::to_string(&step)
            .map_err(|e| e.to_string())
            .and_then(|text| js_sys::JSON::parse(&text).map_err(|e| convert::exception_text(&e)))
        {
            Ok(value) => {
                steps.push(&value);
            }
            Err(e) => problem = Some(format!("the result of step `{}` could not be converted to JavaScript: {e}", step.id)),
        }
    });
    if let Some(message) = problem {
        return one_error(DiagCode::InternalError, &message);
    }
    let result = js_sys::Object::new();
    let answer = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &JsValue| js_sys::Reflect::set(o, &JsValue::from_str(k), v).is_ok();
    let built = set(&result, "format", &JsValue::from_str(scenario::RESULT_FORMAT))
        && set(&result, "steps", &steps)
        && set(&answer, "ok", &JsValue::TRUE)
        && set(&answer, "result", &result)
        && set(&answer, "warnings", &to_js(&warnings));
    if built {
        answer.into()
    } else {
        last_resort("the answer could not be built")
    }
}

/// Runs a scenario. Exported to JavaScript as `simulate`.
#[wasm_bindgen(js_name = simulate, skip_typescript)]
pub fn simulate(scenario_input: JsValue, options: JsValue) -> JsValue {
    let opts = read_options(&options, "simulate");
    let empty = std::collections::HashMap::new();
    let load_options = scenario::LoadOptions::with_managed_policies(opts.as_ref().map_or(&empty, |o| &o.managed));
    let loaded = if scenario_input.is_string() {
        match read_text(&scenario_input, json::MAX_TEXT_BYTES, "the scenario text") {
            Ok(text) => scenario::load_with_options(&text, &load_options),
            Err(d) => Err(vec![d]),
        }
    } else if scenario_input.is_object() && !scenario_input.is_function() {
        match convert::to_json(scenario_input) {
            Ok(tree) => {
                scenario::load_json_with_options(&tree, &load_options).map(|(s, w)| (s, without_empty_locations(w))).map_err(without_empty_locations)
            }
            Err(errors) => Err(errors),
        }
    } else {
        Err(vec![Diagnostic::new(DiagCode::InvalidArgument, "simulate() takes a scenario document: an object or its JSON text", JsonPath::root())])
    };
    match (loaded, opts) {
        (Ok((s, warnings)), Ok(opts)) => {
            let mut all: Vec<Warning> = warnings.into_iter().map(Warning::Diagnostic).collect();
            if opts.lint {
                let mut lint = ScenarioLintOptions { vocabulary: vocabulary(&opts.catalogue), ..ScenarioLintOptions::default() };
                lint.run.now_epoch_seconds = opts.now;
                all.extend(checks::lint_scenario_with(&s, &lint).into_iter().map(Warning::Finding));
            }
            run(&s, opts.now, all)
        }
        (Ok(_), Err(errors)) => failure(errors),
        (Err(errors), Ok(_)) => failure(errors),
        (Err(mut errors), Err(more)) => {
            errors.extend(more);
            failure(errors)
        }
    }
}

/// Validates a policy. Exported to JavaScript as `validatePolicy`.
#[wasm_bindgen(js_name = validatePolicy, skip_typescript)]
pub fn validate_policy(text: JsValue, policy_type: JsValue) -> JsValue {
    if !text.is_string() {
        return one_error(DiagCode::InvalidArgument, "validatePolicy() takes the policy text as a string");
    }
    let Some(kind) = policy_type.as_string().and_then(|t| PolicyType::parse(&t)) else {
        return one_error(
            DiagCode::InvalidArgument,
            "the policy type must be one of identity, resource, trust, permissionsBoundary, sessionPolicy, scp, rcp",
        );
    };
    let text = match read_text(&text, json::MAX_TEXT_BYTES, "the policy text") {
        Ok(t) => t,
        Err(d) => return failure(vec![d]),
    };
    match policy::parse_policy(&text, kind) {
        Ok(parsed) => to_js(&Success { ok: true, value: Nothing {}, warnings: parsed.warnings }),
        Err(errors) => failure(errors),
    }
}

#[derive(Serialize)]
struct Findings {
    findings: Vec<Finding>,
}

/// Checks a policy as IAM Access Analyzer's policy validation does.
/// Exported to JavaScript as `lintPolicy`: `{ ok: true, findings,
/// warnings: [] }`; `{ ok: false, errors }` only for bad arguments (a
/// policy that does not parse gives error findings).
#[wasm_bindgen(js_name = lintPolicy, skip_typescript)]
pub fn lint_policy(text: JsValue, policy_type: JsValue, options: JsValue) -> JsValue {
    if !text.is_string() {
        return one_error(DiagCode::InvalidArgument, "lintPolicy() takes the policy text as a string");
    }
    let Some(kind) = policy_type.as_string().and_then(|t| PolicyType::parse(&t)) else {
        return one_error(
            DiagCode::InvalidArgument,
            "the policy type must be one of identity, resource, trust, permissionsBoundary, sessionPolicy, scp, rcp",
        );
    };
    let opts = match read_options(&options, "lintPolicy") {
        Ok(o) => o,
        Err(errors) => return failure(errors),
    };
    let text = match read_text(&text, json::MAX_TEXT_BYTES, "the policy text") {
        Ok(t) => t,
        Err(d) => return failure(vec![d]),
    };
    let findings = checks::lint_policy_with(&text, kind, &LintOptions { vocabulary: vocabulary(&opts.catalogue), ..LintOptions::default() });
    to_js(&Success { ok: true, value: Findings { findings }, warnings: Vec::new() })
}

/// The AWS managed policies a scenario attaches, once each: what to pass
/// as `options.managedPolicies`. Exported to JavaScript as
/// `managedPolicyArns`: `{ ok: true, arns: [{ arn, file }], warnings: [] }`
/// where `file` is the package's `aws-managed-policies/` file of it.
#[wasm_bindgen(js_name = managedPolicyArns, skip_typescript)]
pub fn managed_policy_arns(scenario_input: JsValue) -> JsValue {
    #[derive(Serialize)]
    struct Named {
        arn: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<String>,
    }
    #[derive(Serialize)]
    struct Arns {
        arns: Vec<Named>,
    }
    let arns = if scenario_input.is_string() {
        match read_text(&scenario_input, json::MAX_TEXT_BYTES, "the scenario text") {
            Ok(text) => scenario::managed_policy_arns(&text),
            Err(d) => return failure(vec![d]),
        }
    } else if scenario_input.is_object() && !scenario_input.is_function() {
        match convert::to_json(scenario_input) {
            Ok(tree) => scenario::managed_policy_arns_json(&tree),
            Err(errors) => return failure(errors),
        }
    } else {
        return one_error(DiagCode::InvalidArgument, "managedPolicyArns() takes a scenario document: an object or its JSON text");
    };
    let arns = arns
        .into_iter()
        .map(|arn| Named { file: scenario::aws_managed_policy_file(&arn).map(|f| format!("aws-managed-policies/{f}")), arn })
        .collect();
    to_js(&Success { ok: true, value: Arns { arns }, warnings: Vec::new() })
}
