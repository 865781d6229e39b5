//! Diagnostics as one line each, in the `file:line:column: message` form
//! that editors and terminals turn into links.

use trustwalk_core::diag::Severity;
use trustwalk_core::text::escape_controls;
use trustwalk_core::Diagnostic;

/// `file:line:column: error[CODE]: message (at JSON.path)`, then the help
/// on its own line (`  help: …`); warnings say `warning[CODE]:`. For a
/// problem inside a policy given as a string, the position within that
/// text follows the path: `… (at accounts[0]…Effect; line 3, column 27 of
/// the policy text at accounts[0].users[0].policies[0].document)`.
///
/// Messages quote the document (an unknown key, a bad value): control
/// characters in them are shown as escapes (`\u{1b}`, `\n`), so that each
/// line stays one line and cannot drive the terminal.
pub fn render_diagnostic(file: &str, d: &Diagnostic) -> String {
    let mut out = String::from(file);
    if let Some(l) = d.location {
        out.push_str(&format!(":{}:{}", l.line, l.column));
    }
    let severity = if d.severity == Severity::Warning { "warning" } else { "error" };
    out.push_str(&format!(": {severity}[{}]: ", d.code));
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
    let mut text = escape_controls(&out).into_owned();
    if !d.help.is_empty() {
        text.push_str("\n  help: ");
        text.push_str(&escape_controls(&d.help));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use trustwalk_core::diag::{DiagCode, JsonPath};
    use trustwalk_core::json::Span;

    #[test]
    fn errors_read_file_line_column_code_message_path_then_help() {
        let d = Diagnostic::new(DiagCode::UnknownField, "unknown field `nmae`", JsonPath::root().key("accounts").index(0).key("nmae"))
            .help("write `name`")
            .at(Span { start: 10, end: 16, line: 4, column: 7 });
        assert_eq!(
            render_diagnostic("a.json", &d),
            "a.json:4:7: error[UNKNOWN_FIELD]: unknown field `nmae` (at accounts[0].nmae)\n  help: write `name`"
        );
    }

    #[test]
    fn embedded_policy_errors_name_both_positions() {
        let mut d =
            Diagnostic::new(DiagCode::InvalidEffect, "bad", JsonPath::root().key("x")).help("fix").at(Span { start: 0, end: 1, line: 2, column: 95 });
        d.embedded_in = Some(JsonPath::root().key("p"));
        d.text_location = Some(Span { start: 0, end: 1, line: 3, column: 27 });
        assert_eq!(render_diagnostic("f", &d), "f:2:95: error[INVALID_EFFECT]: bad (at x; line 3, column 27 of the policy text at p)\n  help: fix");
    }

    #[test]
    fn warnings_and_documents_without_location() {
        let d = Diagnostic::warning(DiagCode::MissingVersion, "no Version", JsonPath::root()).help("add it");
        assert_eq!(render_diagnostic("f", &d), "f: warning[MISSING_VERSION]: no Version\n  help: add it");
    }

    #[test]
    fn control_characters_cannot_forge_a_line_in_the_message_or_the_help() {
        let d = Diagnostic::new(DiagCode::UnknownField, "unknown field `a\nb`", JsonPath::root()).help("remove `a\nb`");
        let text = render_diagnostic("f", &d);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert_eq!(text, "f: error[UNKNOWN_FIELD]: unknown field `a\\nb`\n  help: remove `a\\nb`");
    }
}
