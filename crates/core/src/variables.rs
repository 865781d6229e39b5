//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}` (docs/evaluation.md §3.7).

use crate::diag::{DiagCode, Diagnostic, JsonPath};

/// One piece of a value that may hold variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text taken as written (wildcards in it keep their meaning).
    Text(String),
    /// A literal character produced by `${*}`, `${?}` or `${$}`: never a
    /// wildcard.
    Escaped(char),
    /// `${key}` or `${key, 'default'}`.
    Variable { key: String, default: Option<String> },
}

/// Splits `text` into segments. `Err` says what is malformed, as a
/// diagnostic at the document's root: the caller places it.
pub fn parse_template(text: &str) -> Result<Vec<Segment>, Diagnostic> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut literal = String::new();
    while let Some(pos) = rest.find("${") {
        literal.push_str(rest.get(..pos).unwrap_or_default());
        let after = rest.get(pos + 2..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            return Err(problem(
                DiagCode::MissingBraceInVariable,
                format!("the policy variable starting at `{}` is not closed with `}}`", truncate(rest.get(pos..).unwrap_or_default())),
            ));
        };
        let inner = after.get(..close).unwrap_or_default();
        let seg = parse_inner(inner)?;
        if !literal.is_empty() {
            out.push(Segment::Text(std::mem::take(&mut literal)));
        }
        out.push(seg);
        rest = after.get(close + 1..).unwrap_or_default();
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        out.push(Segment::Text(literal));
    }
    Ok(out)
}

fn truncate(s: &str) -> String {
    s.chars().take(24).collect()
}

fn problem(code: DiagCode, message: String) -> Diagnostic {
    Diagnostic::new(code, message, JsonPath::root())
}

fn parse_inner(inner: &str) -> Result<Segment, Diagnostic> {
    match inner {
        "*" => return Ok(Segment::Escaped('*')),
        "?" => return Ok(Segment::Escaped('?')),
        "$" => return Ok(Segment::Escaped('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((k, d)) => {
            let d = d.trim();
            let unquoted = d
                .strip_prefix('\'')
                .and_then(|d| d.strip_suffix('\''))
                .ok_or_else(|| problem(DiagCode::MissingQuoteInVariable, format!("the default value in `${{{inner}}}` is not in single quotes")))?;
            (k.trim(), Some(unquoted.to_string()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() {
        return Err(problem(DiagCode::EmptyVariable, "the policy variable `${}` names no key".to_string()));
    }
    if !key.contains(':') || key.chars().any(char::is_whitespace) {
        return Err(problem(DiagCode::InvalidVariable, format!("`${{{inner}}}` is not a policy variable: it names no condition key")));
    }
    Ok(Segment::Variable { key: key.to_string(), default })
}

/// True when the text holds `${`; with Version 2012-10-17 it is then parsed
/// as a template.
pub fn has_variables(text: &str) -> bool {
    // Byte scans: a search for `$` (memchr) rules out most text, and
    // `str::contains` with a two-byte needle is slower on the short strings
    // of policies.
    let b = text.as_bytes();
    b.contains(&b'$') && b.windows(2).any(|w| w == b"${")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn parses_variables_defaults_and_escapes() {
        let s = parse_template("b/${aws:username}/${*}x${aws:PrincipalTag/team, 'shared'}").unwrap();
        assert_eq!(
            s,
            vec![
                Segment::Text("b/".into()),
                Segment::Variable { key: "aws:username".into(), default: None },
                Segment::Text("/".into()),
                Segment::Escaped('*'),
                Segment::Text("x".into()),
                Segment::Variable { key: "aws:PrincipalTag/team".into(), default: Some("shared".into()) },
            ]
        );
    }

    #[test]
    fn rejects_unclosed_and_unquoted_defaults() {
        assert!(parse_template("a${aws:username").is_err());
        assert!(parse_template("${aws:username, shared}").is_err());
        assert!(parse_template("${}").is_err());
    }
}
