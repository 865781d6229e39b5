//! A JavaScript value → a [`Json`] tree, safely.
//!
//! The value comes from the caller and may be anything: nested thousands
//! of levels deep, cyclic, a Proxy whose traps throw, an object with a
//! throwing getter, a `Date`, a `Map`, `undefined`, `NaN`, a BigInt, a
//! string with lone surrogates, or a DAG whose shared parts would expand
//! to gigabytes. The walk below is iterative (an explicit stack: the
//! WebAssembly stack is small, and overflowing it corrupts the module for
//! every later call), every JavaScript operation that can throw is a
//! catching import, and the walk stops at the same depth as a text
//! document ([`MAX_DEPTH`]) and at [`MAX_OBJECT_BYTES`] of content. Every
//! problem becomes a [`Diagnostic`] naming the JSON path where it is.

use js_sys::{Array, JsString, Reflect};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::json::{Json, JsonKind, Member, Span, MAX_DEPTH};
use trustwalk_core::{Diagnostic, JsonPath};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The most content a document given as an object may hold, counted as
/// the length of its JSON text (strings, keys, numbers and punctuation) as
/// the walk goes: shared objects count each time they are reached, so a
/// small DAG that would expand to gigabytes stops here. 64 MiB is about
/// 450,000 steps; documents given as text are limited to 1 MiB
/// (`trustwalk_core::json::MAX_TEXT_BYTES`).
pub const MAX_OBJECT_BYTES: usize = 64 * 1024 * 1024;

/// How many errors about values (`undefined`, `NaN`, …) are listed before
/// the walk stops.
const MAX_ERRORS: usize = 50;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys(value)`: throws for a Proxy whose `ownKeys` trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    /// `Array.isArray(value)`: throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub(crate) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    /// `Object.prototype.toString.call(value)`: `[object Object]`,
    /// `[object Date]`, …; runs a `Symbol.toStringTag` getter, which may throw.
    #[wasm_bindgen(catch, js_namespace = ["Object", "prototype", "toString"], js_name = call)]
    fn type_tag(value: &JsValue) -> Result<String, JsValue>;
}

/// One step of a path, kept on the stack; the [`JsonPath`] is built only
/// when there is something to report.
#[derive(Clone)]
enum Seg {
    Key(String),
    Index(u32),
}

/// A container being filled.
struct Frame {
    /// The JavaScript object or array.
    source: JsValue,
    /// Where it is in its parent (none for the root).
    seg: Option<Seg>,
    kind: FrameKind,
}

enum FrameKind {
    Array { items: Vec<Json>, len: u32, next: u32 },
    Object { members: Vec<Member>, keys: Array, len: u32, next: u32 },
}

/// What a JavaScript value is, for a message.
fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "undefined".into()
    } else if value.is_bigint() {
        "a BigInt".into()
    } else if value.is_symbol() {
        "a Symbol".into()
    } else if value.is_function() {
        "a function".into()
    } else if let Some(n) = value.as_f64() {
        number_text(n).unwrap_or_else(|| {
            if n.is_nan() {
                "NaN".into()
            } else if n > 0.0 {
                "Infinity".into()
            } else {
                "-Infinity".into()
            }
        })
    } else if value.is_string() {
        "a string".into()
    } else if value.as_bool().is_some() {
        "a boolean".into()
    } else if value.is_null() {
        "null".into()
    } else {
        "an object".into()
    }
}

/// What an exception says, read without running any more of its code that
/// could throw again (no `toString`).
pub fn exception_text(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    let message = Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
    let name = Reflect::get(e, &JsValue::from_str("name")).ok().and_then(|m| m.as_string());
    match (name, message) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (None, Some(m)) => m,
        _ => describe(e),
    }
}

/// The JSON text of a finite number, as JSON.stringify would write it
/// (`-0` as `0`, no `.0` on whole numbers); `None` for NaN and ±Infinity.
pub fn number_text(n: f64) -> Option<String> {
    if !n.is_finite() {
        return None;
    }
    if n == 0.0 {
        return Some("0".into());
    }
    let abs = n.abs();
    Some(if n.fract() == 0.0 && abs < 9_007_199_254_740_992.0 {
        format!("{}", n as i64)
    } else if (1e-6..1e21).contains(&abs) {
        format!("{n}")
    } else {
        format!("{n:e}")
    })
}

/// Where the first lone surrogate of a JavaScript string is: its index in
/// UTF-16 code units and the unit. Only called when the string's UTF-8
/// copy holds U+FFFD (the replacement of a lone surrogate, or a real one).
pub fn lone_surrogate(s: &JsString) -> Option<(u32, u16)> {
    let mut units = s.iter().enumerate().peekable();
    while let Some((i, u)) = units.next() {
        match u {
            0xD800..=0xDBFF => match units.peek() {
                Some(&(_, next)) if (0xDC00..=0xDFFF).contains(&next) => {
                    units.next();
                }
                _ => return Some((u32::try_from(i).unwrap_or(u32::MAX), u)),
            },
            0xDC00..=0xDFFF => return Some((u32::try_from(i).unwrap_or(u32::MAX), u)),
            _ => {}
        }
    }
    None
}

/// Reads a JavaScript string exactly: `Err` (with a message) when it holds
/// a lone surrogate, which UTF-8 cannot represent (a plain conversion
/// would silently make it U+FFFD).
pub fn exact_string(value: &JsValue) -> Result<String, String> {
    let text = value.as_string().unwrap_or_default();
    if text.contains('\u{FFFD}') {
        if let Some((at, unit)) = lone_surrogate(value.unchecked_ref::<JsString>()) {
            return Err(format!(
                "the string holds a lone surrogate (\\u{unit:04X}) at UTF-16 position {at}: it is not Unicode text and cannot be kept"
            ));
        }
    }
    Ok(text)
}

struct Walk {
    errors: Vec<Diagnostic>,
    /// Content counted so far, in bytes of JSON text.
    bytes: usize,
    stack: Vec<Frame>,
}

/// Stops the walk: the error that ends it.
struct Stop;

impl Walk {
    /// The path of the container on top of the stack, plus `last`.
    fn path(&self, last: Option<&Seg>) -> JsonPath {
        let mut path = JsonPath::root();
        for seg in self.stack.iter().filter_map(|f| f.seg.as_ref()).chain(last) {
            path = match seg {
                Seg::Key(k) => path.key(k),
                Seg::Index(i) => path.index(*i as usize),
            };
        }
        path
    }

    fn error(&mut self, code: DiagCode, message: String, seg: Option<&Seg>) -> Result<(), Stop> {
        let path = self.path(seg);
        self.errors.push(Diagnostic::new(code, message, path));
        if self.errors.len() >= MAX_ERRORS {
            Err(Stop)
        } else {
            Ok(())
        }
    }

    /// Ends the walk with `message` at `seg`.
    fn stop(&mut self, code: DiagCode, message: String, seg: Option<&Seg>) -> Stop {
        let path = self.path(seg);
        self.errors.push(Diagnostic::new(code, message, path));
        Stop
    }

    fn count(&mut self, bytes: usize, seg: Option<&Seg>) -> Result<(), Stop> {
        self.bytes = self.bytes.saturating_add(bytes);
        if self.bytes > MAX_OBJECT_BYTES {
            return Err(self.stop(
                DiagCode::TooLarge,
                format!(
                    "the document is larger than {} MiB as JSON text (shared objects count each time they appear): split it into smaller scenarios",
                    MAX_OBJECT_BYTES / (1024 * 1024)
                ),
                seg,
            ));
        }
        Ok(())
    }

    /// Converts one value: scalars at once; a container becomes a new frame
    /// (its content is read by [`Walk::run`]) and `None` is returned.
    fn value(&mut self, value: JsValue, seg: Option<Seg>) -> Result<Option<Json>, Stop> {
        let leaf = |kind| Ok(Some(Json { kind, span: Span::default() }));
        // Each test is a call into JavaScript: the commonest kinds first.
        if value.is_string() {
            let units = value.unchecked_ref::<JsString>().length() as usize;
            // A UTF-8 copy takes up to 3 bytes a unit: check before making it.
            self.count(units.saturating_add(3), seg.as_ref())?;
            return match exact_string(&value) {
                Ok(s) => {
                    self.count(s.len().saturating_sub(units), seg.as_ref())?;
                    leaf(JsonKind::String(s))
                }
                Err(message) => {
                    self.error(DiagCode::UnsupportedValue, message, seg.as_ref())?;
                    leaf(JsonKind::Null)
                }
            };
        }
        if value.is_null() {
            self.count(5, seg.as_ref())?;
            return leaf(JsonKind::Null);
        }
        if let Some(b) = value.as_bool() {
            self.count(6, seg.as_ref())?;
            return leaf(JsonKind::Bool(b));
        }
        if let Some(n) = value.as_f64() {
            let Some(text) = number_text(n) else {
                self.error(DiagCode::UnsupportedValue, format!("{} is not a JSON number: give a finite number", describe(&value)), seg.as_ref())?;
                return leaf(JsonKind::Null);
            };
            self.count(text.len() + 1, seg.as_ref())?;
            return leaf(JsonKind::Number(text));
        }
        if !value.is_object() || value.is_function() {
            let hint = if value.is_undefined() { ": remove the field or give null" } else { "" };
            self.error(DiagCode::UnsupportedValue, format!("{} is not a JSON value{hint}", describe(&value)), seg.as_ref())?;
            return leaf(JsonKind::Null);
        }
        // An object or an array: one level deeper.
        if let Some(stop) = self.cycle(&value, seg.as_ref()) {
            return Err(stop);
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.stop(DiagCode::JsonTooDeep, format!("the document is nested more than {MAX_DEPTH} levels deep"), seg.as_ref()));
        }
        let array = match is_array(&value) {
            Ok(a) => a,
            Err(e) => {
                self.error(DiagCode::UnsupportedValue, format!("this value cannot be read: {}", exception_text(&e)), seg.as_ref())?;
                return leaf(JsonKind::Null);
            }
        };
        let kind = if array {
            let len = match Reflect::get(&value, &JsValue::from_str("length")) {
                Ok(l) => l.as_f64().unwrap_or(0.0),
                Err(e) => {
                    self.error(DiagCode::UnsupportedValue, format!("the length of this array cannot be read: {}", exception_text(&e)), seg.as_ref())?;
                    return leaf(JsonKind::Null);
                }
            };
            // Each element takes at least 2 bytes of JSON text ("0,").
            self.count((len.max(0.0) as usize).saturating_mul(2).saturating_add(2), seg.as_ref())?;
            let len = len as u32;
            FrameKind::Array { items: Vec::with_capacity(len.min(1 << 16) as usize), len, next: 0 }
        } else {
            match type_tag(&value) {
                Ok(tag) if tag == "[object Object]" => {}
                Ok(tag) => {
                    let name = tag.strip_prefix("[object ").and_then(|t| t.strip_suffix(']')).unwrap_or(&tag).to_string();
                    self.error(
                        DiagCode::UnsupportedValue,
                        format!("a {name} object is not a JSON value: give a plain object, an array, a string, a number, a boolean or null"),
                        seg.as_ref(),
                    )?;
                    return leaf(JsonKind::Null);
                }
                Err(e) => {
                    self.error(DiagCode::UnsupportedValue, format!("this object cannot be read: {}", exception_text(&e)), seg.as_ref())?;
                    return leaf(JsonKind::Null);
                }
            }
            let keys = match object_keys(&value) {
                Ok(k) => k,
                Err(e) => {
                    self.error(
                        DiagCode::UnsupportedValue,
                        format!("the fields of this object cannot be listed: {}", exception_text(&e)),
                        seg.as_ref(),
                    )?;
                    return leaf(JsonKind::Null);
                }
            };
            let len = keys.length();
            // Each member takes at least 4 bytes of JSON text (`"":0`).
            self.count((len as usize).saturating_mul(4).saturating_add(2), seg.as_ref())?;
            FrameKind::Object { members: Vec::with_capacity(len.min(1 << 16) as usize), keys, len, next: 0 }
        };
        self.stack.push(Frame { source: value, seg, kind });
        Ok(None)
    }

    /// The path of the container at `depth` on the stack (0 is the root).
    fn path_at(&self, depth: usize) -> JsonPath {
        let mut path = JsonPath::root();
        for seg in self.stack.iter().take(depth + 1).filter_map(|f| f.seg.as_ref()) {
            path = match seg {
                Seg::Key(k) => path.key(k),
                Seg::Index(i) => path.index(*i as usize),
            };
        }
        path
    }

    /// A container that is one of its own ancestors: the document contains
    /// itself. Checked for every container (the stack is short: a step is
    /// three levels down), so a cycle is named where it closes rather than
    /// after going round it to the depth limit.
    fn cycle(&mut self, value: &JsValue, seg: Option<&Seg>) -> Option<Stop> {
        let outer = self.stack.iter().position(|f| js_sys::Object::is(&f.source, value))?;
        let first = self.path_at(outer);
        let message = if first.is_root() {
            "this is the document itself (a cycle), which JSON cannot write".to_string()
        } else {
            format!("this is the same object as `{first}` (a cycle), which JSON cannot write")
        };
        Some(self.stop(DiagCode::UnsupportedValue, message, seg))
    }

    /// Adds a finished child to the container on top of the stack.
    fn attach(&mut self, child: Json, seg: Option<Seg>) -> Option<Json> {
        match (self.stack.last_mut(), seg) {
            (Some(Frame { kind: FrameKind::Array { items, .. }, .. }), _) => {
                items.push(child);
                None
            }
            (Some(Frame { kind: FrameKind::Object { members, .. }, .. }), Some(Seg::Key(key))) => {
                members.push(Member { key, key_span: Span::default(), value: child });
                None
            }
            // The root is done.
            _ => Some(child),
        }
    }

    fn run(&mut self, root: JsValue) -> Result<Json, Stop> {
        if let Some(done) = self.value(root, None)? {
            return Ok(done);
        }
        loop {
            let Some(top) = self.stack.last_mut() else {
                return Err(Stop);
            };
            // The next child of the top container, or `None` when it is full.
            let source = &top.source;
            let next = match &mut top.kind {
                FrameKind::Array { len, next, .. } if *next < *len => {
                    let i = *next;
                    *next += 1;
                    Some((Reflect::get_u32(source, i), Ok(Seg::Index(i))))
                }
                FrameKind::Object { keys, len, next, .. } if *next < *len => {
                    let key = keys.get(*next);
                    *next += 1;
                    let got = Reflect::get(source, &key);
                    Some((got, exact_string(&key).map(Seg::Key).map_err(|m| (Seg::Key(key.as_string().unwrap_or_default()), m))))
                }
                _ => None,
            };
            match next {
                Some((_, Err((seg, message)))) => {
                    self.error(DiagCode::UnsupportedValue, format!("this field's name is not valid: {message}"), Some(&seg))?;
                }
                Some((Ok(value), Ok(seg))) => {
                    if let Seg::Key(k) = &seg {
                        self.count(k.len(), Some(&seg))?;
                    }
                    if value.is_undefined() && matches!(seg, Seg::Index(_)) {
                        self.error(
                            DiagCode::UnsupportedValue,
                            "undefined (or an empty array slot) is not a JSON value: give null".into(),
                            Some(&seg),
                        )?;
                        self.attach(Json { kind: JsonKind::Null, span: Span::default() }, Some(seg));
                        continue;
                    }
                    if let Some(child) = self.value(value, Some(seg.clone()))? {
                        self.attach(child, Some(seg));
                    }
                }
                Some((Err(e), Ok(seg))) => {
                    self.error(DiagCode::UnsupportedValue, format!("reading this field threw an exception: {}", exception_text(&e)), Some(&seg))?;
                }
                None => {
                    let Some(frame) = self.stack.pop() else {
                        return Err(Stop);
                    };
                    let kind = match frame.kind {
                        FrameKind::Array { items, .. } => JsonKind::Array(items),
                        FrameKind::Object { members, .. } => JsonKind::Object(members),
                    };
                    if let Some(done) = self.attach(Json { kind, span: Span::default() }, frame.seg) {
                        return Ok(done);
                    }
                }
            }
        }
    }
}

/// Converts a JavaScript value into a JSON tree (no positions: every span
/// is empty), or lists what is wrong with it, by JSON path.
pub fn to_json(value: JsValue) -> Result<Json, Vec<Diagnostic>> {
    let mut walk = Walk { errors: Vec::new(), bytes: 0, stack: Vec::new() };
    let result = walk.run(value);
    match result {
        Ok(json) if walk.errors.is_empty() => Ok(json),
        _ => Err(walk.errors),
    }
}
