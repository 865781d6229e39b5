//! Errors and warnings a user can cause: a stable code, a plain-words
//! message, how to fix it, the JSON path of the offending element and,
//! where the text is known, its span.
//!
//! # Message style
//!
//! - `message` says what is wrong; `help` says what to do about it. The
//!   message does not repeat the help.
//! - Both start lowercase (names such as `IAM`, `Allow` or an element name
//!   keep their case) and end without a period; a message is one sentence,
//!   parts joined by `:` or `;`.
//! - Anything from the input, and anything to type, is in backticks: keys,
//!   values, element names, ARNs, JSON to write (`` `"Effect": "Allow"` ``).
//! - The same words for the same idea: *element* for the keys of a policy,
//!   *field* for the keys of a scenario document, *key* for condition,
//!   context and tag keys; "`X` must be a string, not a number" for a
//!   wrong JSON type; "unknown …", "duplicate …", "no … in the document".
//! - No Rust type names and no internal words; counts and limits with
//!   their unit ("50 tags", "1048576 bytes").

mod code;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::span::Span;

pub use code::DiagCode;

/// A JSON path such as `accounts[1].roles[0].trustPolicy` or
/// `Statement[0].Condition.StringEquals`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(transparent)]
pub struct JsonPath(String);

impl JsonPath {
    pub fn root() -> Self {
        Self(String::new())
    }

    /// `a` + `b` → `a.b` (keys that are not plain identifiers are quoted:
    /// `Condition["aws:SourceIp"]`).
    pub fn key(&self, key: &str) -> Self {
        let plain = !key.is_empty() && key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
        if !plain {
            let quoted = serde_json::Value::String(key.to_string());
            return Self(format!("{}[{quoted}]", self.0));
        }
        // Written piece by piece: a loader makes a path for every value.
        let mut path = String::with_capacity(self.0.len() + 1 + key.len());
        path.push_str(&self.0);
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        Self(path)
    }

    pub fn index(&self, i: usize) -> Self {
        let mut digits = itoa::Buffer::new();
        let digits = digits.format(i);
        let mut path = String::with_capacity(self.0.len() + 2 + digits.len());
        path.push_str(&self.0);
        path.push('[');
        path.push_str(digits);
        path.push(']');
        Self(path)
    }

    /// Prefixes this path with `outer` (used when a policy's own paths are
    /// reported inside a scenario document).
    pub fn within(&self, outer: &JsonPath) -> Self {
        if self.0.is_empty() {
            outer.clone()
        } else if outer.0.is_empty() {
            self.clone()
        } else if self.0.starts_with('[') {
            Self(format!("{}{}", outer.0, self.0))
        } else {
            Self(format!("{}.{}", outer.0, self.0))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document)")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// A [`JsonPath`] not written out yet: the path of each value a parser
/// walks past, made without allocating, and written out only for the few
/// that get a diagnostic.
#[derive(Debug, Clone, Copy)]
pub enum PathRef<'a> {
    Root,
    Path(&'a JsonPath),
    Key(&'a PathRef<'a>, &'a str),
    Index(&'a PathRef<'a>, usize),
}

impl<'a> PathRef<'a> {
    /// This path + `.key`.
    pub fn key<'b>(&'b self, key: &'b str) -> PathRef<'b> {
        PathRef::Key(self, key)
    }

    /// This path + `[i]`.
    pub fn index(&self, i: usize) -> PathRef<'_> {
        PathRef::Index(self, i)
    }

    /// The path written out.
    pub fn to_path(&self) -> JsonPath {
        match self {
            PathRef::Root => JsonPath::root(),
            PathRef::Path(p) => (*p).clone(),
            PathRef::Key(parent, key) => parent.to_path().key(key),
            PathRef::Index(parent, i) => parent.to_path().index(*i),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
#[error("{}", self.render())]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem: stable, listed in [`DiagCode`].
    #[cfg_attr(feature = "ts", ts(type = "DiagCode"))]
    pub code: DiagCode,
    /// What is wrong, in plain words (see the style in the module docs).
    pub message: String,
    /// How to fix it: the code's usual advice unless the diagnostic knows
    /// better.
    pub help: String,
    /// Where in the document: `Statement[0].Effect`.
    pub path: JsonPath,
    /// Line, column and byte range in the text the element came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Span>,
    /// When the problem is inside a policy given as a JSON string within a
    /// larger document: the path of that string. `location` then points
    /// into the document and `text_location` into the policy text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_in: Option<JsonPath>,
    /// The position within the embedded policy text (see `embedded_in`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_location: Option<Span>,
}

impl Diagnostic {
    /// An error with the code's usual help.
    pub fn new(code: DiagCode, message: impl Into<String>, path: JsonPath) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            help: code.default_help().to_string(),
            path,
            location: None,
            embedded_in: None,
            text_location: None,
        }
    }

    /// A warning with the code's usual help.
    pub fn warning(code: DiagCode, message: impl Into<String>, path: JsonPath) -> Self {
        Self { severity: Severity::Warning, ..Self::new(code, message, path) }
    }

    /// Replaces the code's usual help with advice for this case.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// The same diagnostic at `path`.
    pub fn at_path(mut self, path: JsonPath) -> Self {
        self.path = path;
        self
    }

    pub fn at(mut self, span: Span) -> Self {
        self.location = Some(span);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `line:column: message (at path)`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Some(l) = self.location {
            out.push_str(&format!("{}:{}: ", l.line, l.column));
        }
        out.push_str(&self.message);
        if !self.path.is_root() {
            out.push_str(&format!(" (at {})", self.path));
        }
        if let (Some(src), Some(t)) = (&self.embedded_in, self.text_location) {
            out.push_str(&format!(" [line {}, column {} of the policy text in {src}]", t.line, t.column));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_javascript() {
        let p = JsonPath::root().key("accounts").index(1).key("roles").index(0).key("trustPolicy");
        assert_eq!(p.as_str(), "accounts[1].roles[0].trustPolicy");
        let c = JsonPath::root().key("Condition").key("StringEquals").key("aws:SourceIp");
        assert_eq!(c.as_str(), "Condition.StringEquals[\"aws:SourceIp\"]");
        assert_eq!(JsonPath::root().key("Statement").index(0).within(&JsonPath::root().key("x")).as_str(), "x.Statement[0]");
    }
}
