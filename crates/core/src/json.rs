//! A JSON tree that remembers where every value and key came from.
//!
//! `serde_json` forgets positions and silently keeps the last of two
//! duplicate keys; IAM's grammar forbids duplicates and every message we
//! print must point into the author's text. We therefore parse with
//! `jsonc-parser` (strict options: no comments, no trailing commas, …),
//! which yields an AST with byte ranges, and convert it into this small
//! owned tree with line/column positions precomputed.

use crate::diag::{DiagCode, Diagnostic, JsonPath};

/// Maximum nesting depth of any JSON document we accept.
pub const MAX_DEPTH: usize = 64;
/// Maximum size in bytes of a single JSON text we accept.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// Spans live in [`crate::span`]; re-exported here, where they are made.
pub use crate::span::Span;

/// One JSON value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Json {
    pub kind: JsonKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    /// The number's literal text, as written.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object, in source order. Duplicates are
/// kept so that validation can report them.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Json,
}

impl Json {
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.kind {
            JsonKind::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.kind {
            JsonKind::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The first member named `key` (exact match).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// Converts to a `serde_json::Value` (last duplicate wins; callers that
    /// care validate duplicates first).
    pub fn to_value(&self) -> serde_json::Value {
        match &self.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(b) => serde_json::Value::Bool(*b),
            JsonKind::Number(n) => number(n).map_or_else(|| serde_json::Value::String(n.clone()), serde_json::Value::Number),
            JsonKind::String(s) => serde_json::Value::String(s.clone()),
            JsonKind::Array(a) => serde_json::Value::Array(a.iter().map(Json::to_value).collect()),
            JsonKind::Object(m) => serde_json::Value::Object(m.iter().map(|m| (m.key.clone(), m.value.to_value())).collect()),
        }
    }
}

/// The number a JSON number literal stands for, as serde_json would read it
/// (an integer when it fits `u64` or `i64`, else a float; `None` when it is
/// beyond `f64`). Done by hand so that the web app carries no second JSON
/// parser (serde_json's) beside this module's.
fn number(text: &str) -> Option<serde_json::Number> {
    if !text.contains(['.', 'e', 'E']) {
        let int = match text.strip_prefix('-') {
            Some("0") => None,
            Some(_) => text.parse::<i64>().ok().map(serde_json::Number::from),
            None => text.parse::<u64>().ok().map(serde_json::Number::from),
        };
        if int.is_some() {
            return int;
        }
    }
    text.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
}

/// Converts a `serde_json::Value` into a tree without positions (every span
/// is empty). Used when a document was built in memory rather than typed,
/// as the playground does; policies given as strings still get positions
/// inside their own text.
pub fn from_value(v: &serde_json::Value) -> Json {
    let kind = match v {
        serde_json::Value::Null => JsonKind::Null,
        serde_json::Value::Bool(b) => JsonKind::Bool(*b),
        serde_json::Value::Number(n) => JsonKind::Number(n.to_string()),
        serde_json::Value::String(s) => JsonKind::String(s.clone()),
        serde_json::Value::Array(a) => JsonKind::Array(a.iter().map(from_value).collect()),
        serde_json::Value::Object(m) => {
            JsonKind::Object(m.iter().map(|(k, v)| Member { key: k.clone(), key_span: Span::default(), value: from_value(v) }).collect())
        }
    };
    Json { kind, span: Span::default() }
}

/// Maps a byte offset in the decoded value of a JSON string literal to the
/// byte offset in the raw literal text (between the quotes), so that a
/// position inside a policy given as a string can be shown in the file.
pub fn raw_offset_in_literal(raw_inner: &str, decoded_offset: usize) -> usize {
    let bytes = raw_inner.as_bytes();
    let (mut raw, mut decoded) = (0usize, 0usize);
    while decoded < decoded_offset && raw < bytes.len() {
        let (raw_len, decoded_len) = escape_at(raw_inner, raw).unwrap_or((1, 1));
        raw += raw_len;
        decoded += decoded_len;
    }
    raw.min(bytes.len())
}

/// The escape sequence starting at byte `raw` of a raw string literal, if
/// one does: (its length in the literal, the length of what it decodes to).
fn escape_at(raw_inner: &str, raw: usize) -> Option<(usize, usize)> {
    let bytes = raw_inner.as_bytes();
    if bytes.get(raw) != Some(&b'\\') {
        return None;
    }
    Some(match bytes.get(raw + 1) {
        Some(b'u') => {
            let code = raw_inner.get(raw + 2..raw + 6).and_then(|h| u32::from_str_radix(h, 16).ok()).unwrap_or(0);
            if (0xD800..0xDC00).contains(&code) {
                (12, 4)
            } else {
                (6, char::from_u32(code).map_or(3, char::len_utf8))
            }
        }
        _ => (2, 1),
    })
}

/// [`raw_offset_in_literal`] for many offsets into one literal: the escape
/// sequences are found once, then each offset is placed by binary search
/// (a policy string with thousands of diagnostics is walked once, not once
/// per diagnostic).
#[derive(Debug, Clone)]
pub struct LiteralMap {
    len: usize,
    /// Each escape sequence: (decoded offset, raw offset, decoded length,
    /// raw length), in order.
    escapes: Vec<(usize, usize, usize, usize)>,
}

impl LiteralMap {
    pub fn new(raw_inner: &str) -> Self {
        let bytes = raw_inner.as_bytes();
        let mut escapes = Vec::new();
        let (mut raw, mut decoded) = (0usize, 0usize);
        while raw < bytes.len() {
            // The same reading as `raw_offset_in_literal`'s.
            let (raw_len, decoded_len) = match escape_at(raw_inner, raw) {
                Some(lens) => {
                    escapes.push((decoded, raw, lens.1, lens.0));
                    lens
                }
                None => (1, 1),
            };
            raw += raw_len;
            decoded += decoded_len;
        }
        Self { len: bytes.len(), escapes }
    }

    /// The byte offset in the raw literal of byte `decoded_offset` of its
    /// decoded value (as [`raw_offset_in_literal`] gives it).
    pub fn raw_offset(&self, decoded_offset: usize) -> usize {
        // The last escape that starts before the offset is the last one
        // the walk would read; plain bytes follow it one for one.
        let n = self.escapes.partition_point(|e| e.0 < decoded_offset);
        let raw = match n.checked_sub(1).and_then(|i| self.escapes.get(i)) {
            None => decoded_offset,
            Some(&(decoded, raw, decoded_len, raw_len)) => {
                let (raw, decoded) = (raw + raw_len, decoded + decoded_len);
                raw + decoded_offset.saturating_sub(decoded)
            }
        };
        raw.min(self.len)
    }
}

/// Maps byte offsets of a text to 1-based line and column numbers.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// For each line, whether it holds a non-ASCII character (empty when the
    /// whole text is ASCII). On an ASCII line a column is a byte distance,
    /// found without counting: a minified 20 KB policy is one long line, and
    /// counting characters from its start for each of its thousands of
    /// elements made parsing quadratic.
    wide_lines: Vec<bool>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let wide_lines = if text.is_ascii() {
            Vec::new()
        } else {
            line_starts
                .iter()
                .zip(line_starts.iter().skip(1).copied().chain([text.len()]))
                .map(|(&a, b)| text.get(a..b).is_some_and(|l| !l.is_ascii()))
                .collect()
        };
        Self { text, line_starts, wide_lines }
    }

    /// Line and column (both 1-based, column counted in characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (line + 1, self.column(line, offset) + 1)
    }

    /// The 0-based column of `offset` on line `line` (0-based), in
    /// characters.
    fn column(&self, line: usize, offset: usize) -> usize {
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        match self.wide_lines.get(line) {
            Some(true) => self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()),
            _ => offset - start,
        }
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(start);
        Span { start, end, line, column }
    }
}

/// Scans the text once, without recursion, before the parser sees it:
/// nesting deeper than [`MAX_DEPTH`] is an error (`Err`: hostile input must
/// never exhaust the stack of the parser behind it); `Ok(Some(_))` is the
/// first thing strict JSON forbids and `jsonc-parser` lets through — a raw
/// control character inside a string, or a character other than space,
/// tab and line break between values (form feed, no-break space, U+2028…).
fn scan(text: &str, index: &LineIndex<'_>) -> Result<Option<Diagnostic>, Diagnostic> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut strict: Option<Diagnostic> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'"' {
            i = string_end(bytes, i + 1, &mut strict, index);
            continue;
        }
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    // An earlier problem is reported first; either way
                    // the parser must not see this text.
                    return Err(strict.unwrap_or_else(|| {
                        Diagnostic::new(DiagCode::JsonTooDeep, format!("the JSON is nested more than {MAX_DEPTH} levels deep"), JsonPath::root())
                            .at(index.span(i, i + 1))
                    }));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ if strict.is_some() => {}
            0..=0x1f => {
                strict = Some(
                    Diagnostic::new(DiagCode::JsonSyntaxError, format!("a control character (U+{b:04X}) outside a string"), JsonPath::root())
                        .help("remove it")
                        .at(index.span(i, i + 1)),
                );
            }
            0x80.. => strict = non_ascii_whitespace(text, i, index),
            _ => {}
        }
        i += 1;
    }
    Ok(strict)
}

/// The offset just past the string whose body starts at `i` (past its
/// closing quote, or the end of the text). The first raw control character
/// in it is recorded in `strict` unless that holds an earlier problem.
#[inline]
fn string_end(bytes: &[u8], mut i: usize, strict: &mut Option<Diagnostic>, index: &LineIndex<'_>) -> usize {
    // Jump from one quote, backslash or control character to the next.
    loop {
        let Some(k) = bytes.get(i..).and_then(|rest| rest.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20)) else {
            return bytes.len();
        };
        i += k;
        match bytes.get(i).copied() {
            Some(b'"') | None => return i + 1,
            // The escaped character is skipped (a raw control character
            // there is still one).
            Some(b'\\') => i += 1,
            Some(_) => {}
        }
        if let Some(&c) = bytes.get(i) {
            if c < 0x20 && strict.is_none() {
                let (message, help) = raw_control_message(c);
                *strict = Some(Diagnostic::new(DiagCode::JsonSyntaxError, message, JsonPath::root()).help(help).at(index.span(i, i + 1)));
            }
        }
        i += 1;
    }
}

/// The problem with the non-ASCII character at `i`, outside a string: only
/// non-ASCII whitespace gets its own message; any other character out of
/// place is the parser's "unexpected token".
fn non_ascii_whitespace(text: &str, i: usize, index: &LineIndex<'_>) -> Option<Diagnostic> {
    let c = text.get(i..).and_then(|t| t.chars().next())?;
    if !(c.is_whitespace() || c == '\u{feff}') {
        return None;
    }
    let name = match c {
        '\u{a0}' => " (a no-break space)",
        '\u{feff}' => " (a byte-order mark)",
        '\u{2028}' => " (a line separator)",
        '\u{2029}' => " (a paragraph separator)",
        _ => "",
    };
    Some(
        Diagnostic::new(DiagCode::JsonSyntaxError, format!("U+{:04X}{name} is not JSON whitespace", u32::from(c)), JsonPath::root())
            .help("replace it with a space")
            .at(index.span(i, i + c.len_utf8())),
    )
}

/// The message and help for a raw control character `b` (< 0x20) inside
/// a string.
fn raw_control_message(b: u8) -> (String, String) {
    let (name, escape) = match b {
        b'\n' => ("line break", "\\n"),
        b'\r' => ("carriage return", "\\r"),
        b'\t' => ("tab", "\\t"),
        0x08 => ("backspace", "\\b"),
        0x0c => ("form feed", "\\f"),
        _ => ("control character", ""),
    };
    let escape = if escape.is_empty() { format!("\\u{b:04x}") } else { escape.to_string() };
    let missing_quote = if b == b'\n' || b == b'\r' { ", or close the string" } else { "" };
    (format!("a raw {name} (U+{b:04X}) inside a string"), format!("write it as `{escape}`{missing_quote}"))
}

/// The text of `bytes`, which must be UTF-8. The error says where the
/// first invalid sequence starts: its byte offset (counted from 0) and,
/// from the valid text before it, its line and column.
///
/// ```
/// let e = trustwalk_core::json::utf8(b"{\"a\":\n \"\xff\"}").unwrap_err();
/// assert_eq!(e.message, "the text is not valid UTF-8 at byte 8 (0xFF)");
/// assert_eq!((e.location.unwrap().line, e.location.unwrap().column), (2, 3));
/// ```
pub fn utf8(bytes: &[u8]) -> Result<&str, Diagnostic> {
    let e = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let at = e.valid_up_to();
    let valid = bytes.get(..at).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default();
    let bad = bytes.get(at..at + e.error_len().unwrap_or(bytes.len() - at)).unwrap_or_default();
    let shown = bad.iter().take(4).map(|b| format!("0x{b:02X}")).collect::<Vec<_>>().join(" ");
    let message = if at == 0 && (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])) {
        "the text is UTF-16, not UTF-8: it starts with a UTF-16 byte-order mark".to_string()
    } else if e.error_len().is_none() {
        format!("the text is not valid UTF-8 at byte {at}: it ends in the middle of a character ({shown})")
    } else {
        format!("the text is not valid UTF-8 at byte {at} ({shown})")
    };
    let (line, column) = LineIndex::new(valid).line_col(at);
    Err(Diagnostic::new(DiagCode::InvalidUtf8, message, JsonPath::root()).at(Span { start: at, end: at + bad.len(), line, column }))
}

/// The length in bytes of `json` written compactly (as `serde_json` writes
/// it, numbers as they were written), counted without writing it and
/// without recursion; counting stops
/// once the length exceeds `stop_after` (the result is then some length
/// above `stop_after`).
pub fn compact_len(json: &Json, stop_after: usize) -> usize {
    fn string_len(s: &str) -> usize {
        2 + s
            .chars()
            .map(|c| match c {
                '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
                '\0'..='\u{1f}' => 6,
                c => c.len_utf8(),
            })
            .sum::<usize>()
    }
    let mut total = 0usize;
    let mut stack = vec![json];
    while let Some(j) = stack.pop() {
        let len = match &j.kind {
            JsonKind::Null => 4,
            JsonKind::Bool(true) => 4,
            JsonKind::Bool(false) => 5,
            JsonKind::Number(n) => n.len(),
            JsonKind::String(s) => string_len(s),
            JsonKind::Array(items) => {
                stack.extend(items);
                2 + items.len().saturating_sub(1)
            }
            JsonKind::Object(members) => {
                let mut len = 2 + members.len().saturating_sub(1);
                for m in members {
                    len = len.saturating_add(string_len(&m.key) + 1);
                    stack.push(&m.value);
                }
                len
            }
        };
        total = total.saturating_add(len);
        if total > stop_after {
            break;
        }
    }
    total
}

/// Parses strict JSON text of at most [`MAX_TEXT_BYTES`] into a spanned tree.
pub fn parse(text: &str) -> Result<Json, Diagnostic> {
    parse_with_limit(text, MAX_TEXT_BYTES)
}

/// Parses strict JSON text of at most `max_bytes` into a spanned tree.
pub fn parse_with_limit(text: &str, max_bytes: usize) -> Result<Json, Diagnostic> {
    if text.len() > max_bytes {
        return Err(Diagnostic::new(
            DiagCode::TooLarge,
            format!("the text is {} bytes long; at most {} bytes are accepted", text.len(), max_bytes),
            JsonPath::root(),
        ));
    }
    let index = LineIndex::new(text);
    if text.starts_with('\u{feff}') {
        return Err(Diagnostic::new(DiagCode::ByteOrderMark, "the text starts with a byte-order mark (BOM)", JsonPath::root()).at(index.span(0, 3)));
    }
    let strict = scan(text, &index)?;
    // Valid JSON (what is nearly always given) is built straight from the
    // scanner's tokens; anything else goes through the parser below, whose
    // errors say what is wrong.
    if strict.is_none() {
        if let Some(json) = Direct::build(text, &index) {
            return Ok(json);
        }
    }
    let parsed = jsonc_parser::parse_to_ast(text, &jsonc_parser::CollectOptions::default(), &STRICT).map_err(|e| {
        let range = e.range();
        Diagnostic::new(DiagCode::JsonSyntaxError, format!("invalid JSON: {}", lower_first(&e.kind().to_string())), JsonPath::root())
            .at(index.span(range.start, range.end))
    });
    // The first problem in the text is reported: the parser's, when it
    // stopped before the character the scan found.
    let start = |d: &Diagnostic| d.location.map_or(0, |l| l.start);
    let parsed = match (parsed, strict) {
        (Err(e), Some(s)) => return Err(if start(&e) < start(&s) { e } else { s }),
        (Err(e), None) | (Ok(_), Some(e)) => return Err(e),
        (Ok(p), None) => p,
    };
    match parsed.value {
        Some(v) => Ok(convert(&v, &index)),
        None => Err(Diagnostic::new(DiagCode::JsonSyntaxError, "the text is empty", JsonPath::root())
            .help("write a JSON value, such as a policy object")
            .at(index.span(0, 0))),
    }
}

/// `jsonc-parser`'s options for strict JSON.
const STRICT: jsonc_parser::ParseOptions = jsonc_parser::ParseOptions {
    allow_comments: false,
    allow_loose_object_property_names: false,
    allow_trailing_commas: false,
    allow_missing_commas: false,
    allow_single_quoted_strings: false,
    allow_hexadecimal_numbers: false,
    allow_unary_plus_numbers: false,
    allow_bare_decimal_point_numbers: false,
    allow_non_finite_numbers: false,
    allow_extended_string_escapes: false,
};

/// Builds the tree from `jsonc-parser`'s token scanner, without its AST
/// (half the time and memory of parsing, and of converting the AST). It
/// accepts only strict JSON and gives up (`None`) at the first token out
/// of place, leaving the error to the parser: what it builds is exactly
/// what [`convert`] would have built. The nesting depth was checked by
/// [`scan`] before.
struct Direct<'a, 'i> {
    scanner: jsonc_parser::Scanner<'a>,
    index: &'i LineIndex<'a>,
    /// The index of the line of the last span: tokens come in order, so
    /// positions are found by walking forward.
    line: usize,
    /// The elements and members of the arrays and objects being built,
    /// innermost last: each list is moved out in one allocation of the
    /// right size when it closes, instead of growing as it fills.
    items: Vec<Json>,
    members: Vec<Member>,
}

impl<'a, 'i> Direct<'a, 'i> {
    fn build(text: &'a str, index: &'i LineIndex<'a>) -> Option<Json> {
        let options = jsonc_parser::ScannerOptions {
            allow_single_quoted_strings: STRICT.allow_single_quoted_strings,
            allow_hexadecimal_numbers: STRICT.allow_hexadecimal_numbers,
            allow_unary_plus_numbers: STRICT.allow_unary_plus_numbers,
            allow_bare_decimal_point_numbers: STRICT.allow_bare_decimal_point_numbers,
            allow_non_finite_numbers: STRICT.allow_non_finite_numbers,
            allow_extended_string_escapes: STRICT.allow_extended_string_escapes,
        };
        let mut d = Direct { scanner: jsonc_parser::Scanner::new(text, &options), index, line: 0, items: Vec::new(), members: Vec::new() };
        let first = d.scanner.scan().ok()??;
        let root = d.value(first)?;
        match d.scanner.scan() {
            Ok(None) => Some(root),
            _ => None,
        }
    }

    /// The span from `start` to the end of the current token.
    fn span(&mut self, start: usize) -> Span {
        let end = self.scanner.token_end();
        // Walk forward to the line holding `start` (spans are asked for in
        // order of their start, except an object's or array's, which starts
        // before its members: those are found from the start).
        let starts = &self.index.line_starts;
        if starts.get(self.line).is_none_or(|&l| l > start) {
            self.line = 0;
        }
        while starts.get(self.line + 1).is_some_and(|&next| next <= start) {
            self.line += 1;
        }
        Span { start, end, line: self.line + 1, column: self.index.column(self.line, start) + 1 }
    }

    fn value(&mut self, token: jsonc_parser::tokens::Token<'a>) -> Option<Json> {
        use jsonc_parser::tokens::Token as T;
        let start = self.scanner.token_start();
        let kind = match token {
            T::Null => JsonKind::Null,
            T::Boolean(b) => JsonKind::Bool(b),
            T::Number(n) => JsonKind::Number(n.to_string()),
            T::String(s) => JsonKind::String(s.into_owned()),
            T::OpenBracket => {
                // The span's line is looked up before the elements move the
                // cursor on.
                let mut span = self.span(start);
                let mark = self.items.len();
                let mut next = self.scanner.scan().ok()??;
                if !matches!(next, T::CloseBracket) {
                    loop {
                        let item = self.value(next)?;
                        self.items.push(item);
                        match self.scanner.scan().ok()?? {
                            // A `]` after the comma is not a value: given up.
                            T::Comma => next = self.scanner.scan().ok()??,
                            T::CloseBracket => break,
                            _ => return None,
                        }
                    }
                }
                span.end = self.scanner.token_end();
                let items = self.items.drain(mark..).collect();
                return Some(Json { kind: JsonKind::Array(items), span });
            }
            T::OpenBrace => {
                let mut span = self.span(start);
                let mark = self.members.len();
                let mut next = self.scanner.scan().ok()??;
                if !matches!(next, T::CloseBrace) {
                    loop {
                        let T::String(key) = next else { return None };
                        let key_span = self.span(self.scanner.token_start());
                        if !matches!(self.scanner.scan().ok()??, T::Colon) {
                            return None;
                        }
                        let token = self.scanner.scan().ok()??;
                        let value = self.value(token)?;
                        self.members.push(Member { key: key.into_owned(), key_span, value });
                        match self.scanner.scan().ok()?? {
                            T::Comma => next = self.scanner.scan().ok()??,
                            T::CloseBrace => break,
                            _ => return None,
                        }
                    }
                }
                span.end = self.scanner.token_end();
                let members = self.members.drain(mark..).collect();
                return Some(Json { kind: JsonKind::Object(members), span });
            }
            _ => return None,
        };
        let span = self.span(start);
        Some(Json { kind, span })
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn convert(v: &jsonc_parser::ast::Value<'_>, index: &LineIndex<'_>) -> Json {
    use jsonc_parser::ast::Value as V;
    use jsonc_parser::common::Ranged;
    let r = v.range();
    let span = index.span(r.start, r.end);
    let kind = match v {
        V::NullKeyword(_) => JsonKind::Null,
        V::BooleanLit(b) => JsonKind::Bool(b.value),
        V::NumberLit(n) => JsonKind::Number(n.value.to_string()),
        V::StringLit(s) => JsonKind::String(s.value.to_string()),
        V::Array(a) => JsonKind::Array(a.elements.iter().map(|e| convert(e, index)).collect()),
        V::Object(o) => JsonKind::Object(
            o.properties
                .iter()
                .map(|p| {
                    let kr = p.name.range();
                    Member { key: p.name.as_str().to_string(), key_span: index.span(kr.start, kr.end), value: convert(&p.value, index) }
                })
                .collect(),
        ),
    };
    Json { kind, span }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    #[test]
    fn columns_count_characters_on_lines_with_wide_ones() {
        let text = "{\n  \"é\": \"ü\", \"a\": 1,\n  \"b\": 2\n}";
        let index = super::LineIndex::new(text);
        let at = |needle: &str| index.line_col(text.find(needle).unwrap());
        assert_eq!(at("\"a\""), (2, 13), "after two 2-byte characters");
        assert_eq!(at("\"b\""), (3, 3), "an ASCII line after a wide one");
        let ascii = "{\"x\": [1, 2,\n 3]}";
        let index = super::LineIndex::new(ascii);
        assert_eq!(index.line_col(ascii.find('3').unwrap()), (2, 2));
        assert_eq!(index.line_col(ascii.len() + 10), (2, 5), "past the end: just after the last character");
    }

    #[test]
    fn numbers_convert_as_serde_json_reads_them() {
        for n in [
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "-1.5",
            "0.1",
            "1e2",
            "1E2",
            "-1e-7",
            "1.0",
            "100000000000000000000",
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775807",
            "-9223372036854775808",
            "-9223372036854775809",
            "1e400",
            "-1e400",
            "123456789012345678901234567890.5",
            "5e-324",
            "2.5e-400",
        ] {
            let ours = super::parse(n).unwrap().to_value();
            let theirs = serde_json::from_str::<serde_json::Number>(n)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.to_string()));
            assert_eq!(ours, theirs, "{n}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{n}");
        }
    }

    use super::*;

    #[test]
    fn keeps_duplicate_keys_and_positions() {
        let j = parse("{\n  \"a\": 1,\n  \"a\": \"x\"\n}").unwrap();
        let m = j.as_object().unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].key_span.line, 3);
        assert_eq!(m[1].key_span.column, 3);
    }

    #[test]
    fn rejects_trailing_comma_with_position() {
        let e = parse("{\"a\": 1,}").unwrap_err();
        assert!(e.message.contains("invalid JSON"), "{}", e.message);
        assert_eq!(e.location.unwrap().line, 1);
    }

    #[test]
    fn rejects_deep_nesting_without_recursing() {
        let text = "[".repeat(100_000);
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("nested"));
    }

    #[test]
    fn maps_positions_inside_string_literals() {
        // decoded: {\n"a"} ; raw: {\\n\\"a\\"}
        let raw = r#"{\n\"a\"}"#;
        assert_eq!(raw_offset_in_literal(raw, 0), 0);
        assert_eq!(raw_offset_in_literal(raw, 1), 1);
        assert_eq!(raw_offset_in_literal(raw, 2), 3);
        assert_eq!(raw_offset_in_literal(raw, 3), 5);
    }

    /// Message and (line, column) of the error for `text`.
    fn error_at(text: &str) -> (String, (usize, usize)) {
        let e = parse(text).unwrap_err();
        let l = e.location.unwrap();
        (e.message, (l.line, l.column))
    }

    #[test]
    fn raw_control_characters_in_strings_are_errors_at_the_character() {
        let e = parse("{\"a\": \"x\u{1}y\"}").unwrap_err();
        assert_eq!(e.code, DiagCode::JsonSyntaxError);
        assert_eq!(e.message, "a raw control character (U+0001) inside a string");
        assert_eq!(e.help, "write it as `\\u0001`");
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((1, 9)));
        let e = parse("{\n  \"Sid\": \"a\tb\"\n}").unwrap_err();
        assert_eq!(e.message, "a raw tab (U+0009) inside a string");
        assert_eq!(e.help, "write it as `\\t`");
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((2, 12)));
        let e = parse("{\"a\": \"line\nnext\"}").unwrap_err();
        assert_eq!(e.message, "a raw line break (U+000A) inside a string");
        assert_eq!(e.help, "write it as `\\n`, or close the string");
        assert_eq!(e.location.map(|l| (l.line, l.column)), Some((1, 12)));
        // In keys, NUL, after a backslash, and DEL is fine (it is not a control character for JSON).
        assert_eq!(error_at("{\"k\u{0}\": 1}").1, (1, 4));
        assert!(error_at("[\"\\\u{1f}\"]").0.starts_with("invalid JSON: invalid escape"), "{:?}", error_at("[\"\\\u{1f}\"]"));
        assert!(parse("\"\u{7f}\"").is_ok());
        // Escaped, they are fine.
        assert_eq!(parse(r#""a\tb\u0001""#).unwrap().as_str(), Some("a\tb\u{1}"));
    }

    #[test]
    fn only_json_whitespace_separates_values() {
        for (text, name) in [
            ("{\u{c}}", "a control character (U+000C) outside a string"),
            ("[1,\u{b}2]", "a control character (U+000B) outside a string"),
            ("{\u{a0}}", "U+00A0 (a no-break space) is not JSON whitespace"),
            ("{\u{2028}}", "U+2028 (a line separator) is not JSON whitespace"),
            ("[1, \u{3000}2]", "U+3000 is not JSON whitespace"),
            ("[1,\u{feff}2]", "U+FEFF (a byte-order mark) is not JSON whitespace"),
        ] {
            let (m, _) = error_at(text);
            assert!(m.starts_with(name), "{text:?}: {m}");
        }
        assert_eq!(error_at("{\n \u{a0}}").1, (2, 2));
        assert!(parse(" \t\r\n[ 1 ,\r\n 2 ]\n").is_ok());
    }

    #[test]
    fn brackets_and_escaped_quotes_inside_strings_are_not_structure() {
        let inside = format!("[\"{}\\\"{}\\\\\", 1]", "[".repeat(100), "{".repeat(100));
        assert!(parse(&inside).is_ok(), "{:?}", parse(&inside));
        // After an escaped backslash the quote ends the string: the brackets count.
        let outside = format!("[\"\\\\\", {}1{}]", "[".repeat(70), "]".repeat(70));
        assert!(parse(&outside).unwrap_err().message.contains("nested more than 64"));
        // An unterminated string ends the scan without a panic.
        assert!(parse("[\"abc\\").is_err());
        assert!(parse("\"").is_err());
    }

    proptest::proptest! {
        /// On JSON-like text made of the characters that matter here, we
        /// accept exactly what serde_json (a strict RFC 8259 parser) accepts.
        #[test]
        fn accepts_exactly_what_strict_json_accepts(text in "[\\[\\]{}\",:1a \\t\\n\\\\\u{1}\u{c}\u{a0}é]{0,24}") {
            let ours = parse(&text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            proptest::prop_assert_eq!(ours, theirs, "{:?}", text);
        }

        /// The same on texts shaped like `["…", 1]`, many of them valid.
        #[test]
        fn accepts_exactly_what_strict_json_accepts_near_valid_text(
            text in r#"[ \t\n\r\x0C\xA0\x{2028}]?\["([a\x00\x01\t\n\x7Fé]|\\["\\nu\t]){0,4}"[ ,\t\x0B]{1,2}1[ \n\xA0]?\][ \t\x{FEFF}]?"#
        ) {
            let ours = parse(&text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&text).is_ok();
            proptest::prop_assert_eq!(ours, theirs, "{:?}", text);
        }

        /// The tree built from the scanner's tokens is the one converted
        /// from the parser's AST: values, keys, and every span with its
        /// line and column (lines of ASCII and of wide characters).
        #[test]
        fn the_direct_tree_is_the_converted_ast(
            text in r#"[ \n]?\{("[a-zé\\n]{0,3}": ?(\[\n?("[aé]{0,2}"|-?[0-9]{1,3}(\.5)?|true|null|\{\}|\[\])(, ?"\\u00e9é")?\n?\]|"x"|\{"k": ?\[\{\}\]\}),?\n?){0,4}\}[ \n]?"#
        ) {
            let index = LineIndex::new(&text);
            let ast = jsonc_parser::parse_to_ast(&text, &jsonc_parser::CollectOptions::default(), &STRICT);
            let direct = Direct::build(&text, &index);
            match ast {
                Ok(jsonc_parser::ParseResult { value: Some(v), .. }) => {
                    proptest::prop_assert_eq!(direct, Some(convert(&v, &index)), "{:?}", text);
                }
                _ => proptest::prop_assert_eq!(direct, None, "{:?}", text),
            }
        }
    }

    #[test]
    fn the_direct_tree_of_every_example_is_the_converted_ast() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let index = LineIndex::new(&text);
                let ast = jsonc_parser::parse_to_ast(&text, &jsonc_parser::CollectOptions::default(), &STRICT).unwrap();
                let direct = Direct::build(&text, &index).unwrap();
                assert_eq!(direct, convert(&ast.value.unwrap(), &index), "{}", path.display());
            }
        }
    }

    #[test]
    fn a_byte_order_mark_has_its_own_message() {
        let (m, at) = error_at("\u{feff}{\"a\": 1}");
        assert_eq!(m, "the text starts with a byte-order mark (BOM)");
        assert_eq!(at, (1, 1));
    }

    #[test]
    fn the_first_problem_in_the_text_is_reported() {
        // A syntax error before a raw control character…
        assert!(error_at("{\"a\": tru, \"b\": \"\u{1}\"}").0.starts_with("invalid JSON"));
        // …and a raw control character before a syntax error.
        assert!(error_at("{\"b\": \"\u{1}\", \"a\": tru}").0.contains("U+0001"));
        // A raw control character before nesting too deep for the parser.
        let deep = format!("[\"\u{1}\", {}", "[".repeat(100));
        assert!(error_at(&deep).0.contains("U+0001"));
        assert!(error_at(&"[".repeat(100)).0.contains("nested more than 64"));
    }

    #[test]
    fn invalid_utf8_is_located_by_byte_offset() {
        assert_eq!(utf8(b"{\"a\": 1}").unwrap(), "{\"a\": 1}");
        let e = utf8(b"{\n  \"\xc3\xa9\": \"\xff\xfe\"\n}").unwrap_err();
        assert_eq!(e.message, "the text is not valid UTF-8 at byte 11 (0xFF)");
        let l = e.location.unwrap();
        assert_eq!((l.start, l.end, l.line, l.column), (11, 12, 2, 9));
        let e = utf8(b"[\"\xe2\x82").unwrap_err();
        assert_eq!(e.message, "the text is not valid UTF-8 at byte 2: it ends in the middle of a character (0xE2 0x82)");
        let e = utf8(b"\xff\xfe{\x00}\x00").unwrap_err();
        assert!(e.message.contains("UTF-16"), "{}", e.message);
        // Latin-1 text: the first accented letter.
        let e = utf8(b"{\"name\": \"Jos\xe9\"}").unwrap_err();
        assert!(e.message.contains("at byte 13 (0xE9"), "{}", e.message);
    }

    #[test]
    fn compact_len_is_the_length_serde_json_writes() {
        for text in [
            "null",
            "true",
            "false",
            "0",
            "-1.5",
            "\"\"",
            "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f é ✓ 😀\"",
            "[]",
            "{}",
            "[1,[2,[3]],{}]",
            "{\"a\": {\"b\": [null, true, \"x\"]}, \"c\\u0000\": 1}",
        ] {
            let j = parse(text).unwrap();
            assert_eq!(compact_len(&j, usize::MAX), serde_json::to_string(&j.to_value()).unwrap().len(), "{text}");
        }
        let big = parse(&format!("[{}]", vec!["\"xxxxxxxx\""; 1000].join(","))).unwrap();
        let n = compact_len(&big, 100);
        assert!(n > 100 && n < 2000, "stops early: {n}");
    }

    #[test]
    fn literal_maps_place_offsets_as_the_walk_does() {
        let literals = [
            r#"{\n\"a\"}"#,
            "plain text",
            r#"\u00e9\u20ac\ud83d\ude00x\t\\y\u12"#,
            r#"\"Version\": \"2012-10-17\",\n  \"Statement\": []"#,
            "é ü \\n",
            "",
            r#"\uZZZZ\u0041"#,
        ];
        for raw in literals {
            let map = LiteralMap::new(raw);
            for d in 0..raw.len() * 2 + 3 {
                assert_eq!(map.raw_offset(d), raw_offset_in_literal(raw, d), "{raw:?} at {d}");
            }
        }
    }

    #[test]
    fn columns_count_characters() {
        let idx = LineIndex::new("é\"x\"");
        assert_eq!(idx.line_col(2), (1, 2));
    }
}
