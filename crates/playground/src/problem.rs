//! How the app words a diagnostic: where it is, what is wrong, its code and
//! how to fix it (the CLI's `error[CODE]: message` and `help:` line, in
//! the app's places).

use trustwalk_core::checks::Finding;
use trustwalk_core::diag::DiagCode;
use trustwalk_core::json::Span;
use trustwalk_core::Diagnostic;

use crate::hints::Fix;

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

/// The editor's one-click fixes of a problem with code `code` in the
/// policy `text`: the finding's own `fix` (a did-you-mean with one
/// candidate: the string value at `span`, while it still is one), or a
/// `Version` for a policy without one.
pub fn quick_fixes(code: &str, span: Option<Span>, fix: Option<&str>, text: &str) -> Vec<Fix> {
    let mut out = Vec::new();
    if let (Some(span), Some(new)) = (span, fix) {
        let quoted = text.get(span.start..span.end).is_some_and(|o| o.len() >= 2 && o.starts_with('"') && o.ends_with('"'));
        if quoted {
            let insert = serde_json::to_string(new).unwrap_or_default();
            out.push(Fix { label: format!("Use {new}"), from: span.start, to: span.end, insert });
        }
    }
    if code == DiagCode::MissingVersion.as_str() {
        if let Some(open) = text.find('{') {
            let at = open + 1;
            let empty = text.get(at..).is_some_and(|rest| rest.trim_start().starts_with('}'));
            let insert = if empty { "\"Version\": \"2012-10-17\"".to_string() } else { "\n  \"Version\": \"2012-10-17\",".to_string() };
            out.push(Fix { label: "Add \"Version\": \"2012-10-17\"".into(), from: at, to: at, insert });
        }
    }
    out
}

/// Where a problem of the document is, in plain words ("Step 1's
/// principal", "account production (222222222222)'s ID"), and, for a
/// step's field, which step and field the app should select and mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub words: String,
    /// The step (0-based) and its field (`principal`, `roleArn`, …), or the
    /// step alone.
    pub step: Option<(usize, Option<String>)>,
}

/// The words for a field of a step.
fn step_field_words(field: &str) -> String {
    match field {
        "roleArn" => "role ARN".into(),
        "sessionName" => "session name".into(),
        "externalId" => "external ID".into(),
        "expect" => "expected outcome".into(),
        "durationSeconds" => "duration".into(),
        "mfa" => "MFA".into(),
        "id" => "ID".into(),
        "sessionTags" => "session tags".into(),
        "transitiveTagKeys" => "transitive tag keys".into(),
        "sourceIdentity" => "source identity".into(),
        "sessionPolicy" => "session policy".into(),
        other => other.to_string(),
    }
}

/// Splits `steps[3].roleArn` into `("steps", 3, "roleArn")`.
fn indexed<'p>(path: &'p str, list: &str) -> Option<(usize, &'p str)> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (i, rest) = rest.split_once(']')?;
    Some((i.parse().ok()?, rest.strip_prefix('.').unwrap_or(rest)))
}

/// [`Place`] of the JSON path `path` in the document `doc`.
pub fn place(path: &str, doc: &serde_json::Value) -> Place {
    if let Some((i, rest)) = indexed(path, "steps") {
        let n = i + 1;
        if rest.is_empty() {
            return Place { words: format!("Step {n}"), step: Some((i, None)) };
        }
        let field = rest.split(['.', '[']).next().unwrap_or(rest);
        let words = match rest.strip_prefix("context.") {
            Some(key) => format!("Step {n}'s context key `{key}`"),
            None => format!("Step {n}'s {}", step_field_words(field)),
        };
        return Place { words, step: Some((i, Some(field.to_string()))) };
    }
    if let Some((i, rest)) = indexed(path, "accounts") {
        let account = doc.get("accounts").and_then(|a| a.get(i));
        let id = account.and_then(|a| a.get("id")).and_then(serde_json::Value::as_str).unwrap_or_default();
        let label = match account.and_then(|a| a.get("name")).and_then(serde_json::Value::as_str).filter(|n| !n.is_empty()) {
            Some(name) => format!("account {name} ({id})"),
            None if !id.is_empty() => format!("account {id}"),
            None => format!("account {}", i + 1),
        };
        let entity = |list: &str, what: &str| {
            indexed(rest, list).map(|(j, tail)| {
                let name = account.and_then(|a| a.get(list)).and_then(|l| l.get(j)).and_then(|e| e.get("name")).and_then(serde_json::Value::as_str);
                let who = name.map_or_else(|| format!("{what} {}", j + 1), |n| format!("{what} {n}"));
                if tail.is_empty() {
                    format!("{who} of {label}")
                } else {
                    format!("{who} of {label}: {}", step_field_words(tail))
                }
            })
        };
        let words = entity("users", "user")
            .or_else(|| entity("roles", "role"))
            .or_else(|| entity("groups", "group"))
            .or_else(|| entity("buckets", "bucket"))
            .or_else(|| entity("resources", "resource"))
            .unwrap_or_else(|| {
                if rest.is_empty() {
                    capitalized_first(&label)
                } else {
                    format!("{}'s {}", capitalized_first(&label), step_field_words(rest))
                }
            });
        return Place { words: capitalized_first(&words), step: None };
    }
    Place { words: if path.is_empty() { "The document".into() } else { format!("The document's `{path}`") }, step: None }
}

fn capitalized_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::PolicyType;

    fn apply(text: &str, f: &Fix) -> String {
        format!("{}{}{}", &text[..f.from], f.insert, &text[f.to..])
    }

    #[test]
    fn a_did_you_mean_replaces_the_string_and_a_missing_version_is_added() {
        let text = "{\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObjects\", \"Resource\": \"*\"}\n}";
        let start = text.find("\"s3:GetObjects\"").unwrap();
        let span = Span { start, end: start + "\"s3:GetObjects\"".len(), line: 2, column: 1 };
        let f = quick_fixes(DiagCode::InvalidAction.as_str(), Some(span), Some("s3:GetObject"), text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].label, "Use s3:GetObject");
        assert_eq!(apply(text, &f[0]), text.replace("GetObjects", "GetObject"));
        // A span that is not a string any more (the text changed): no fix.
        assert!(quick_fixes(DiagCode::InvalidAction.as_str(), Some(Span { start: 0, end: 3, line: 1, column: 1 }), Some("x"), text).is_empty());
        let v = quick_fixes(DiagCode::MissingVersion.as_str(), None, None, text);
        let fixed = apply(text, &v[0]);
        assert!(fixed.starts_with("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\""), "{fixed}");
        assert_eq!(apply("{}", &quick_fixes(DiagCode::MissingVersion.as_str(), None, None, "{}")[0]), "{\"Version\": \"2012-10-17\"}");
    }

    #[test]
    fn places_are_said_in_plain_words() {
        let doc: serde_json::Value = serde_json::from_str(crate::EXAMPLE).unwrap();
        let p = place("steps[0].principal", &doc);
        assert_eq!(p.words, "Step 1's principal");
        assert_eq!(p.step, Some((0, Some("principal".to_string()))));
        assert_eq!(place("steps[2].roleArn", &doc).words, "Step 3's role ARN");
        assert_eq!(place("steps[1].context.aws:SourceIp", &doc).words, "Step 2's context key `aws:SourceIp`");
        assert_eq!(place("steps[1]", &doc).step, Some((1, None)));
        assert_eq!(place("accounts[1].id", &doc).words, "Account production (222222222222)'s ID");
        assert_eq!(
            place("accounts[1].roles[0].maxSessionDuration", &doc).words,
            "Role StageRole of account production (222222222222): maxSessionDuration"
        );
        assert_eq!(place("accounts[0].users[0]", &doc).words, "User StageAdmin of account staging (111111111111)");
        assert_eq!(place("title", &doc).words, "The document's `title`");
        assert_eq!(place("", &doc).words, "The document");
    }

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
