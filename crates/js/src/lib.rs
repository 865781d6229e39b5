//! The JavaScript API: `simulate(scenario, options?)` and
//! `validatePolicy(text, policyType)`. Answers are plain objects —
//! `{ ok: true, result, warnings }` or `{ ok: false, errors }` — and nothing
//! throws. All the work is done by `trustwalk-core`; this crate only
//! converts values at the boundary.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod alloc;
mod convert;

use serde::Serialize;
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

/// `options.now` in whole epoch seconds (rounded down), or what is wrong.
/// No options, or no `now`: the current time.
fn read_now(options: &JsValue) -> Result<i64, Vec<Diagnostic>> {
    let clock = || (js_sys::Date::now() / 1000.0).floor() as i64;
    if options.is_undefined() || options.is_null() {
        return Ok(clock());
    }
    let err = |m: String| vec![Diagnostic::new(DiagCode::InvalidArgument, m, JsonPath::root())];
    if !options.is_object() || options.is_function() || convert::is_array(options).unwrap_or(true) {
        return Err(err("the options of simulate() must be an object such as `{ now: Date.now() / 1000 }`".into()));
    }
    let keys = js_sys::Reflect::own_keys(options).map_err(|e| err(format!("the options cannot be read: {}", convert::exception_text(&e))))?;
    let unknown: Vec<String> =
        keys.iter().filter_map(|k| k.as_string().or_else(|| Some(convert::exception_text(&k)))).filter(|k| k != "now").collect();
    if !unknown.is_empty() {
        return Err(err(format!("unknown option `{}`: the only option is `now`", unknown.join("`, `"))));
    }
    let now = js_sys::Reflect::get(options, &JsValue::from_str("now"))
        .map_err(|e| err(format!("reading `options.now` threw an exception: {}", convert::exception_text(&e))))?;
    if now.is_undefined() {
        return Ok(clock());
    }
    let Some(n) = now.as_f64() else {
        let what = if now.is_string() {
            "a string"
        } else if now.is_bigint() {
            "a BigInt"
        } else {
            "not a number"
        };
        return Err(err(format!("`options.now` must be a number of seconds since 1970-01-01T00:00:00Z (such as `Date.now() / 1000`), not {what}")));
    };
    // The core's range (1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, the
    // years an ISO 8601 `aws:CurrentTime` can be written in); fractions
    // are rounded down.
    trustwalk_core::time::check_epoch_f64(n).map_err(|_| {
        let shown = convert::number_text(n).unwrap_or_else(|| if n.is_nan() { "NaN".into() } else { "Infinity".into() });
        err(format!("`options.now` must be a time between 0 (1970-01-01T00:00:00Z) and 253402300799 (9999-12-31T23:59:59Z) in seconds, not {shown}"))
    })
}

/// Runs a loaded scenario into `{ ok: true, result, warnings }`.
///
/// Each step's result goes to JavaScript as soon as it is known, as JSON
/// text that `JSON.parse` turns into objects: the traces of a large
/// scenario run to hundreds of MiB, which are then never all held in
/// WebAssembly memory, and one native `JSON.parse` per step is several
/// times faster than building the objects field by field across the
/// boundary (serde-wasm-bindgen).
fn run(s: &scenario::Scenario, now: i64, warnings: Vec<Diagnostic>) -> JsValue {
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
    let now = read_now(&options);
    let loaded = if scenario_input.is_string() {
        match read_text(&scenario_input, json::MAX_TEXT_BYTES, "the scenario text") {
            Ok(text) => scenario::load(&text),
            Err(d) => Err(vec![d]),
        }
    } else if scenario_input.is_object() && !scenario_input.is_function() {
        match convert::to_json(scenario_input) {
            Ok(tree) => scenario::load_json(&tree).map(|(s, w)| (s, without_empty_locations(w))).map_err(without_empty_locations),
            Err(errors) => Err(errors),
        }
    } else {
        Err(vec![Diagnostic::new(DiagCode::InvalidArgument, "simulate() takes a scenario document: an object or its JSON text", JsonPath::root())])
    };
    match (loaded, now) {
        (Ok((s, warnings)), Ok(now)) => run(&s, now, warnings),
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
