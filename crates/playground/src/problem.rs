//! How the app words a diagnostic: where it is, what is wrong, its code and
//! how to fix it (the CLI's `error[CODE]: message` and `help:` line, in
//! the app's places).

use trustwalk_core::checks::Finding;
use trustwalk_core::json::Span;
use trustwalk_core::Diagnostic;

/// `lead [CODE] — help: …`: what the app shows of a diagnostic after
/// `lead` (its message, with its position where the app has one).
pub fn tagged(lead: &str, d: &Diagnostic) -> String {
    format!("{lead} [{}] — help: {}", d.code, d.help)
}

/// `line 3, column 15: message [CODE] — help: …`, or without the position
/// when `at` is not known.
fn at(at: Option<Span>, d: &Diagnostic) -> String {
    match at {
        Some(l) if l.line > 0 => tagged(&format!("line {}, column {}: {}", l.line, l.column, d.message), d),
        _ => tagged(&d.message, d),
    }
}

/// One line for a notice or a dialog, at the problem's position in the
/// text that was read: `line 2, column 35: invalid JSON: expected comma
/// [JSON_SYNTAX_ERROR] — help: fix the JSON …`.
pub fn one_line(d: &Diagnostic) -> String {
    at(d.text_location.or(d.location), d)
}

/// A problem in a policy editor or the Problems list: at its position in
/// the policy's text when it has one (the editor shows that text).
pub fn in_editor(d: &Diagnostic) -> String {
    at(d.text_location, d)
}

/// A policy check's finding in an editor or the Problems list: `line 3,
/// column 15: security warning: message [CODE] — help: …`.
pub fn finding(f: &Finding) -> String {
    let lead = format!("{}: {}", f.severity.label(), f.message);
    let lead = match f.span {
        Some(s) if s.line > 0 => format!("line {}, column {}: {lead}", s.line, s.column),
        _ => lead,
    };
    format!("{lead} [{}] — help: {}", f.code, f.help)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::PolicyType;

    #[test]
    fn a_problem_reads_where_what_code_and_help() {
        let e = trustwalk_core::parse_policy(
            "{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}",
            PolicyType::Identity,
        )
        .unwrap_err();
        let d = &e[0];
        assert_eq!(
            one_line(d),
            "line 2, column 26: `Effect` must be `Allow` or `Deny`, not `allow` [INVALID_EFFECT] — help: write `\"Allow\"` or `\"Deny\"` with that capitalization: `Effect` is case-sensitive"
        );
    }

    #[test]
    fn inside_a_policy_given_as_text_the_position_is_in_that_text() {
        let doc = r#"{"format": "trustwalk/scenario@1", "accounts": [{"id": "111111111111", "users": [{"name": "U", "policies": [{"name": "P", "document": "{\"Version\": \"2012-10-17\",\n\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3\", \"Resource\": \"*\"}}"}]}]}], "steps": [{"principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "*"}]}"#;
        let e = trustwalk_core::scenario::load(doc).unwrap_err();
        let d = e.iter().find(|d| d.code.as_str() == "INVALID_ACTION").unwrap();
        // The editor shows the policy's text: its position there, then code and help.
        assert_eq!(
            in_editor(d),
            "line 2, column 44: `s3` is not an action: it has no `:` [INVALID_ACTION] — help: write `service:ActionName`, such as `s3:GetObject`"
        );
        // A problem of the document itself has no position in an editor.
        let top = trustwalk_core::scenario::load(r#"{"format": "trustwalk/scenario@1", "accounts": [], "steps": []}"#).unwrap_err();
        assert_eq!(in_editor(&top[0]), "`accounts` is an empty list [EMPTY_LIST] — help: add at least one entry");
    }
}
