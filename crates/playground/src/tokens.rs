//! A small, forgiving JSON tokenizer (for completion and hover, which read
//! half-typed policies), a pretty-printer that keeps the author's keys,
//! numbers and order, and UTF-16 ↔ byte offsets (the editor's positions). It
//! accepts any text (half-typed, invalid, non-ASCII) and never panics:
//! every token boundary falls on an ASCII byte or the end of the text, so
//! every boundary is a `char` boundary.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `{ } [ ] , :`
    Punct,
    /// A string that is an object key (followed by `:`).
    Key,
    String,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// Anything JSON does not allow here (a stray word, an unterminated
    /// string's rest is still a `String`).
    Invalid,
}

/// One token: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

fn is_structural(b: u8) -> bool {
    matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"')
}

/// Splits `text` into tokens (whitespace is not a token).
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                i += 1;
                TokenKind::Punct
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        // An unterminated string ends at the line's end.
                        b'\n' => break,
                        _ => i += 1,
                    }
                }
                // `\` as the last byte may have stepped past the end; `\`
                // before a multi-byte char stepped into it: move on to the
                // next boundary.
                i = i.min(bytes.len());
                while !text.is_char_boundary(i) {
                    i += 1;
                }
                TokenKind::String
            }
            _ => {
                while let Some(&c) = bytes.get(i) {
                    if c.is_ascii_whitespace() || is_structural(c) {
                        break;
                    }
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or_default();
                if matches!(word, "true" | "false" | "null") {
                    TokenKind::Literal
                } else if is_number(word) {
                    TokenKind::Number
                } else {
                    TokenKind::Invalid
                }
            }
        };
        out.push(Token { kind, start, end: i });
    }
    // A string followed by `:` is a key.
    for k in 0..out.len() {
        let next_is_colon = out.get(k + 1).is_some_and(|t| t.kind == TokenKind::Punct && bytes.get(t.start) == Some(&b':'));
        if let Some(t) = out.get_mut(k) {
            if t.kind == TokenKind::String && next_is_colon {
                t.kind = TokenKind::Key;
            }
        }
    }
    out
}

fn is_number(w: &str) -> bool {
    let w = w.strip_prefix('-').unwrap_or(w);
    !w.is_empty()
        && w.bytes().next().is_some_and(|c| c.is_ascii_digit())
        && w.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
}

/// Pretty-prints JSON text with two-space indentation, keeping keys,
/// their order, duplicates and number literals exactly as written. Invalid
/// JSON is not touched: the error says where it is.
pub fn format_json(text: &str) -> Result<String, String> {
    if let Err(d) = trustwalk_core::json::parse(text) {
        // The error itself is listed with the editor's problems: said once.
        return Err(match d.location {
            Some(l) => format!("not formatted: line {}, column {} has an error (listed under the editor); fix it first", l.line, l.column),
            None => "not formatted: the text has an error (listed under the editor); fix it first".to_string(),
        });
    }
    let tokens = tokenize(text);
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut iter = tokens.iter().peekable();
    while let Some(t) = iter.next() {
        let s = text.get(t.start..t.end).unwrap_or_default();
        match (t.kind, bytes.get(t.start)) {
            (TokenKind::Punct, Some(&(b'{' | b'['))) => {
                out.push_str(s);
                let close = if s == "{" { b'}' } else { b']' };
                if iter.peek().is_some_and(|n| bytes.get(n.start) == Some(&close)) {
                    if let Some(n) = iter.next() {
                        out.push_str(text.get(n.start..n.end).unwrap_or_default());
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            (TokenKind::Punct, Some(&(b'}' | b']'))) => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push_str(s);
            }
            (TokenKind::Punct, Some(b',')) => {
                out.push(',');
                newline(&mut out, depth);
            }
            (TokenKind::Punct, Some(b':')) => out.push_str(": "),
            _ => out.push_str(s),
        }
    }
    Ok(out)
}

/// The byte offset in `text` of the UTF-16 index `u16_index` (a DOM
/// selection offset), clamped to the text.
pub fn utf16_to_byte(text: &str, u16_index: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        if units >= u16_index {
            return byte;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 index (DOM selection offset) of byte offset `byte`.
pub fn byte_to_utf16(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text.get(..b).map_or(0, |s| s.encode_utf16().count())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text).iter().map(|t| (t.kind, &text[t.start..t.end])).collect()
    }

    #[test]
    fn tokens_have_kinds_and_keys_are_told_from_strings() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"{"a": ["x", 1.5e3, true, null], "b": -2}"#),
            vec![
                (Punct, "{"),
                (Key, "\"a\""),
                (Punct, ":"),
                (Punct, "["),
                (String, "\"x\""),
                (Punct, ","),
                (Number, "1.5e3"),
                (Punct, ","),
                (Literal, "true"),
                (Punct, ","),
                (Literal, "null"),
                (Punct, "]"),
                (Punct, ","),
                (Key, "\"b\""),
                (Punct, ":"),
                (Number, "-2"),
                (Punct, "}"),
            ]
        );
        assert_eq!(kinds(r#""a\"b" nope"#), vec![(String, r#""a\"b""#), (Invalid, "nope")]);
    }

    #[test]
    fn unterminated_strings_stop_at_the_line_end() {
        let t = kinds("{\"abc\n}");
        assert_eq!(t[1], (TokenKind::String, "\"abc"));
        assert_eq!(t[2], (TokenKind::Punct, "}"));
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in ["", "\"", "\"\\", "\"\\é", "é", "{\"é\\", "[[[", "]]]", "\u{1F600}\"\\\u{1F600}", "-", "\\", "\"\\\n"] {
            let t = tokenize(text);
            for tok in &t {
                assert!(text.get(tok.start..tok.end).is_some(), "{text:?} {tok:?}");
            }
            let _ = format_json(text);
        }
        // Every prefix of a real policy.
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "é✓", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
        for (i, _) in policy.char_indices() {
            let p = &policy[..i];
            let t = tokenize(p);
            assert!(t.iter().all(|x| p.get(x.start..x.end).is_some()));
        }
    }

    #[test]
    fn format_matches_serde_pretty_printing() {
        let compact = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*","Condition":{}},{"Effect":"Deny","NotAction":[],"Resource":"*"}]}"#;
        let v: serde_json::Value = serde_json::from_str(compact).unwrap();
        assert_eq!(format_json(compact).unwrap(), serde_json::to_string_pretty(&v).unwrap());
        // Already formatted text is unchanged.
        let pretty = serde_json::to_string_pretty(&v).unwrap();
        assert_eq!(format_json(&pretty).unwrap(), pretty);
        // Numbers and escapes stay as written.
        assert_eq!(format_json(r#"{"n":1.50,"s":"a\u0041"}"#).unwrap(), "{\n  \"n\": 1.50,\n  \"s\": \"a\\u0041\"\n}");
    }

    #[test]
    fn format_refuses_invalid_json_and_says_where() {
        let e = format_json("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!(e, "not formatted: line 2, column 9 has an error (listed under the editor); fix it first");
    }

    #[test]
    fn offsets_convert_between_utf16_and_bytes() {
        let text = "aé\u{1F600}b";
        assert_eq!(utf16_to_byte(text, 0), 0);
        assert_eq!(utf16_to_byte(text, 2), 3);
        assert_eq!(utf16_to_byte(text, 4), 7);
        assert_eq!(utf16_to_byte(text, 99), text.len());
        assert_eq!(byte_to_utf16(text, 7), 4);
        assert_eq!(byte_to_utf16(text, 5), 2, "inside a char: its start");
    }
}
