//! How the app words a diagnostic: where it is, what is wrong, its code and
//! how to fix it (the CLI's `error[CODE]: message` and `help:` line, in
//! the app's places).

use trustwalk_core::Diagnostic;

/// `line 3, column 15: message`. For a problem inside a policy given as
/// text, the position is the one in that text (what its editor shows);
/// else the position in the document; the message alone when neither is
/// known.
pub fn located(d: &Diagnostic) -> String {
    match d.text_location.or(d.location) {
        Some(l) if l.line > 0 => format!("line {}, column {}: {}", l.line, l.column, d.message),
        _ => d.message.clone(),
    }
}

/// One line for a notice or a dialog: `line 2, column 35: invalid JSON:
/// expected comma [JSON_SYNTAX_ERROR] — help: fix the JSON …`.
pub fn one_line(d: &Diagnostic) -> String {
    let mut out = format!("{} [{}]", located(d), d.code);
    if !d.help.is_empty() {
        out.push_str(" — help: ");
        out.push_str(&d.help);
    }
    out
}

/// The hover text of an underlined problem: the message, its code, and the
/// help on the next line.
pub fn hover(d: &Diagnostic) -> String {
    format!("{} [{}]\nhelp: {}", d.message, d.code, d.help)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use trustwalk_core::PolicyType;

    #[test]
    fn a_problem_reads_where_what_code_and_help() {
        let e = trustwalk_core::parse_policy("{\"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}", PolicyType::Identity)
            .unwrap_err();
        let d = &e[0];
        assert_eq!(located(d), "line 2, column 26: `Effect` must be `Allow` or `Deny`, not `allow`");
        assert_eq!(
            one_line(d),
            "line 2, column 26: `Effect` must be `Allow` or `Deny`, not `allow` [INVALID_EFFECT] — help: write `\"Allow\"` or `\"Deny\"` with that capitalization: `Effect` is case-sensitive"
        );
        assert!(hover(d).starts_with("`Effect` must be `Allow` or `Deny`, not `allow` [INVALID_EFFECT]\nhelp: write"), "{}", hover(d));
    }

    #[test]
    fn inside_a_policy_given_as_text_the_position_is_in_that_text() {
        let doc = r#"{"format": "trustwalk/scenario@1", "accounts": [{"id": "111111111111", "users": [{"name": "U", "policies": [{"name": "P", "document": "{\"Version\": \"2012-10-17\",\n\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3\", \"Resource\": \"*\"}}"}]}]}], "steps": [{"principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": "*"}]}"#;
        let e = trustwalk_core::scenario::load(doc).unwrap_err();
        let d = e.iter().find(|d| d.code.as_str() == "INVALID_ACTION").unwrap();
        assert!(located(d).starts_with("line 2, column 44: "), "{}", located(d));
    }
}
