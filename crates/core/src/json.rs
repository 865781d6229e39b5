//! A JSON tree that remembers where every value and key came from.
//!
//! `serde_json` forgets positions and silently keeps the last of two
//! duplicate keys; IAM's grammar forbids duplicates and every message we
//! print must point into the author's text. We therefore parse with
//! `jsonc-parser` (strict options: no comments, no trailing commas, …),
//! which yields an AST with byte ranges, and convert it into this small
//! owned tree with line/column positions precomputed.

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, JsonPath};

/// Maximum nesting depth of any JSON document we accept.
pub const MAX_DEPTH: usize = 64;
/// Maximum size in bytes of a single JSON text we accept.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

/// A location in a text: byte range plus 1-based line and column (in
/// characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

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
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
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
            JsonKind::Object(m) => serde_json::Value::Object(
                m.iter().map(|m| (m.key.clone(), m.value.to_value())).collect(),
            ),
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
        serde_json::Value::Object(m) => JsonKind::Object(
            m.iter()
                .map(|(k, v)| Member { key: k.clone(), key_span: Span::default(), value: from_value(v) })
                .collect(),
        ),
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
        match bytes.get(raw) {
            Some(b'\\') => {
                let (raw_len, decoded_len) = match bytes.get(raw + 1) {
                    Some(b'u') => {
                        let code = raw_inner
                            .get(raw + 2..raw + 6)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .unwrap_or(0);
                        if (0xD800..0xDC00).contains(&code) {
                            (12, 4)
                        } else {
                            (6, char::from_u32(code).map_or(3, char::len_utf8))
                        }
                    }
                    _ => (2, 1),
                };
                raw += raw_len;
                decoded += decoded_len;
            }
            _ => {
                raw += 1;
                decoded += 1;
            }
        }
    }
    raw.min(bytes.len())
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
            let (raw_len, decoded_len) = match bytes.get(raw) {
                Some(b'\\') => {
                    let lens = match bytes.get(raw + 1) {
                        Some(b'u') => {
                            let code = raw_inner
                                .get(raw + 2..raw + 6)
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .unwrap_or(0);
                            if (0xD800..0xDC00).contains(&code) {
                                (12, 4)
                            } else {
                                (6, char::from_u32(code).map_or(3, char::len_utf8))
                            }
                        }
                        _ => (2, 1),
                    };
                    escapes.push((decoded, raw, lens.1, lens.0));
                    lens
                }
                _ => (1, 1),
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
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = match self.wide_lines.get(line) {
            Some(true) => self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()),
            _ => offset - start,
        };
        (line + 1, column + 1)
    }

    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_col(start);
        Span { start, end, line, column }
    }
}

/// Checks the nesting depth without recursion so that hostile input can
/// never exhaust the stack of the parser behind it.
fn check_depth(text: &str, index: &LineIndex<'_>) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diagnostic::new(
                        format!("the JSON is nested more than {MAX_DEPTH} levels deep"),
                        JsonPath::root(),
                    )
                    .at(index.span(i, i + 1)));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses strict JSON text of at most [`MAX_TEXT_BYTES`] into a spanned tree.
pub fn parse(text: &str) -> Result<Json, Diagnostic> {
    parse_with_limit(text, MAX_TEXT_BYTES)
}

/// Parses strict JSON text of at most `max_bytes` into a spanned tree.
pub fn parse_with_limit(text: &str, max_bytes: usize) -> Result<Json, Diagnostic> {
    if text.len() > max_bytes {
        return Err(Diagnostic::new(
            format!("the text is {} bytes long; at most {} bytes are accepted", text.len(), max_bytes),
            JsonPath::root(),
        ));
    }
    let index = LineIndex::new(text);
    check_depth(text, &index)?;
    let options = jsonc_parser::ParseOptions {
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
    let parsed =
        jsonc_parser::parse_to_ast(text, &jsonc_parser::CollectOptions::default(), &options)
            .map_err(|e| {
                let range = e.range();
                Diagnostic::new(
                    format!("invalid JSON: {}", lower_first(&e.kind().to_string())),
                    JsonPath::root(),
                )
                .at(index.span(range.start, range.end))
            })?;
    match parsed.value {
        Some(v) => Ok(convert(&v, &index)),
        None => Err(Diagnostic::new("the text is empty: expected a JSON value", JsonPath::root())
            .at(index.span(0, 0))),
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
                    Member {
                        key: p.name.as_str().to_string(),
                        key_span: index.span(kr.start, kr.end),
                        value: convert(&p.value, index),
                    }
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
            "0", "-0", "1", "-1", "1.5", "-1.5", "0.1", "1e2", "1E2", "-1e-7", "1.0", "100000000000000000000",
            "18446744073709551615", "18446744073709551616", "9223372036854775807", "-9223372036854775808",
            "-9223372036854775809", "1e400", "-1e400", "123456789012345678901234567890.5", "5e-324", "2.5e-400",
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
