//! Diagnostics as one line each, in the `file:line:column: message` form
//! that editors and terminals turn into links.

use trustwalk_core::diag::Severity;
use trustwalk_core::text::escape_controls;
use trustwalk_core::Diagnostic;

/// `file:line:column: message (at JSON.path)`; warnings say `warning:`.
/// For a problem inside a policy given as a string, the position within
/// that text follows: `… (at accounts[0]…Effect; line 3, column 27 of the
/// policy text at accounts[0].users[0].policies[0].document)`.
///
/// Messages quote the document (an unknown key, a bad value): control
/// characters in them are shown as escapes (`\u{1b}`, `\n`), so that one
/// diagnostic stays one line and cannot drive the terminal.
pub fn render_diagnostic(file: &str, d: &Diagnostic) -> String {
    let mut out = String::from(file);
    if let Some(l) = d.location {
        out.push_str(&format!(":{}:{}", l.line, l.column));
    }
    out.push_str(": ");
    if d.severity == Severity::Warning {
        out.push_str("warning: ");
    }
    out.push_str(&d.message);
    let mut notes = Vec::new();
    if !d.path.is_root() {
        notes.push(format!("at {}", d.path));
    }
    if let (Some(policy), Some(t)) = (&d.embedded_in, d.text_location) {
        notes.push(format!("line {}, column {} of the policy text at {policy}", t.line, t.column));
    }
    if !notes.is_empty() {
        out.push_str(&format!(" ({})", notes.join("; ")));
    }
    escape_controls(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustwalk_core::diag::JsonPath;
    use trustwalk_core::json::Span;

    #[test]
    fn errors_read_file_line_column_message_path() {
        let d = Diagnostic::new("unknown field `nmae`", JsonPath::root().key("accounts").index(0).key("nmae"))
            .at(Span { start: 10, end: 16, line: 4, column: 7 });
        assert_eq!(render_diagnostic("a.json", &d), "a.json:4:7: unknown field `nmae` (at accounts[0].nmae)");
    }

    #[test]
    fn embedded_policy_errors_name_both_positions() {
        let mut d = Diagnostic::new("bad", JsonPath::root().key("x")).at(Span { start: 0, end: 1, line: 2, column: 95 });
        d.embedded_in = Some(JsonPath::root().key("p"));
        d.text_location = Some(Span { start: 0, end: 1, line: 3, column: 27 });
        assert_eq!(render_diagnostic("f", &d), "f:2:95: bad (at x; line 3, column 27 of the policy text at p)");
    }

    #[test]
    fn warnings_and_documents_without_location() {
        let d = Diagnostic::warning("no Version", JsonPath::root());
        assert_eq!(render_diagnostic("f", &d), "f: warning: no Version");
    }
}
