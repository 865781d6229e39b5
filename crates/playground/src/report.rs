//! A Markdown report of a scenario's steps, for code reviews.

use std::fmt::Write;

use trustwalk_core::scenario::{Outcome, ScenarioResult};
use trustwalk_core::text;

/// A document's string as Markdown text (a title, a cell, a sentence):
/// `&`, `<` and `>` become HTML entities, so no tag, comment or autolink
/// can be written; the characters that open Markdown constructs (code
/// spans, emphasis, links, images, headings, table cells, strikethrough)
/// are escaped with a backslash; control characters are shown as escapes
/// (`\n`, `\u{1b}`) so that a string stays on its line.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c if text::is_active(c) => {
                let mut visible = String::new();
                text::push_visible(&mut visible, c);
                out.push_str(&visible.replace('\\', "\\\\"));
            }
            c => out.push(c),
        }
    }
    out
}

/// A document's string as a CommonMark code span, shown exactly: the
/// delimiters are a run of backticks longer than any run inside, with a
/// space inside each end when the string starts or ends with a backtick or
/// a space; control characters are shown as escapes. Nothing in a code
/// span is read as HTML or Markdown.
fn md_code(s: &str) -> String {
    let content = text::escape_controls(s);
    let (mut longest, mut run) = (0, 0);
    for c in content.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = content.is_empty()
        || content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && !content.chars().all(|c| c == ' '));
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{content}{space}{fence}")
}

/// A code span inside a table cell: GitHub's tables split cells at every
/// `|` that is not escaped, even inside code spans, and drop the escaping
/// backslash.
fn cell_code(s: &str) -> String {
    md_code(s).replace('|', "\\|")
}

/// Renders the result as Markdown: a table of steps, then per step the
/// deciding statements, and for denials what was missing.
pub fn markdown(title: Option<&str>, result: &ScenarioResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md_text(title.unwrap_or("Trustwalk scenario")));
    let failed = result.steps.iter().filter(|s| s.expectation_met == Some(false)).count();
    let _ = writeln!(
        out,
        "{} steps; {}.\n",
        result.steps.len(),
        if failed == 0 { "every expectation met".to_string() } else { format!("**{failed} expectation(s) not met**") }
    );
    let _ = writeln!(out, "| # | Step | Principal | Action | Resource | Cross-account | Outcome | Expected |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (i, s) in result.steps.iter().enumerate() {
        let expected = match (s.expect, s.expectation_met) {
            (Some(e), Some(true)) => format!("{} ✓", e.label()),
            (Some(e), _) => format!("{} ✗", e.label()),
            (None, _) => String::new(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | **{}** | {} |",
            i + 1,
            md_text(&s.id),
            cell_code(&s.principal),
            cell_code(&s.action),
            cell_code(&s.resource),
            if s.cross_account { "yes" } else { "no" },
            s.decision.label(),
            expected
        );
    }
    for (i, s) in result.steps.iter().enumerate() {
        let _ = writeln!(out, "\n## {}. {} — {}\n", i + 1, md_text(&s.id), s.decision.label());
        let _ = writeln!(out, "{}\n", md_text(&s.summary));
        // AWS's policy evaluation logic for this step (flowchart.rs): a
        // Mermaid diagram, which GitHub draws, and its path in words.
        if let Some(f) = crate::flowchart::Flowchart::of(s) {
            let _ = writeln!(out, "```mermaid\n{}```\n\n{}\n", f.mermaid(), md_text(&f.path_sentence()));
        }
        if let Some(session) = &s.session {
            let _ = writeln!(out, "Establishes the session {}.\n", md_code(session));
        }
        if !s.decisive.is_empty() {
            let _ = writeln!(out, "Deciding statements:\n");
            for d in &s.decisive {
                let sid = d.sid.as_deref().map(|x| format!(" {}", md_code(x))).unwrap_or_default();
                let _ =
                    writeln!(out, "- {} {}, statement {}{} (line {})", d.policy_type.label(), md_code(&d.policy), d.statement + 1, sid, d.span.line);
            }
            out.push('\n');
        }
        if matches!(s.decision, Outcome::ImplicitDeny) {
            if !s.missing_allow.is_empty() {
                let gates: Vec<&str> = s.missing_allow.iter().map(|g| g.label()).collect();
                let _ = writeln!(out, "No matching Allow in: {}.\n", gates.join(", "));
            }
            if let Some(n) = &s.near_miss {
                let _ = writeln!(
                    out,
                    "Nearest miss: {} {}, statement {} — would allow but for:\n",
                    n.statement.policy_type.label(),
                    md_code(&n.statement.policy),
                    n.statement.statement + 1
                );
                for f in &n.failed {
                    let _ = writeln!(out, "- {}", md_text(f));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// A fenced code block holding `text` exactly: the fence is a run of
/// backticks longer than any inside.
fn md_fence(info: &str, text: &str) -> String {
    let text = &crate::commands::visible(text);
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let nl = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{text}{nl}{fence}\n")
}

/// The report with its commands: [`markdown`], then "Build it in AWS" (the
/// AWS CLI commands of each account, see [`crate::commands`]) and the
/// commands of each step. `doc` is the document, for policies given as JSON
/// objects.
pub fn markdown_with_commands(
    title: Option<&str>,
    scenario: &trustwalk_core::scenario::Scenario,
    result: &ScenarioResult,
    doc: crate::commands::Doc<'_>,
) -> String {
    let mut out = markdown(title, result);
    out.push_str(&commands_section(scenario, result, doc));
    out
}

/// The report of the workspace `ws` run as `result`: with its commands
/// when the scenario loads, else without.
pub fn markdown_of(ws: &crate::Workspace, result: &ScenarioResult) -> String {
    match crate::commands::load(ws) {
        Some(s) => markdown_with_commands(ws.title(), &s, result, crate::commands::Doc::Value(&ws.doc)),
        None => markdown(ws.title(), result),
    }
}

/// The report's commands sections.
pub fn commands_section(scenario: &trustwalk_core::scenario::Scenario, result: &ScenarioResult, doc: crate::commands::Doc<'_>) -> String {
    use crate::commands;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Build it in AWS\n\nThe AWS CLI v2 commands that would build this scenario in real accounts, per account (each with a profile that may administer it). Each policy is written to a file first.\n"
    );
    for b in commands::scenario_commands(scenario, doc) {
        let _ = writeln!(out, "### {}\n\n{}", md_text(&b.title), md_fence("sh", &b.text));
    }
    let _ = writeln!(
        out,
        "## Commands of each step\n\nThe call each step stands for. The credentials shown are {}: derived from the step, never issued by AWS.\n",
        commands::NOT_REAL
    );
    for (i, c) in commands::all_step_commands(scenario, &result.steps, doc) {
        let id = result.steps.get(i).map(|s| s.id.as_str()).unwrap_or_default();
        let _ = writeln!(out, "### {}. {}\n\n{}", i + 1, md_text(id), md_fence("sh", &c.text()));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    // The whole report of every example is snapshotted in tests/report.rs.

    const TITLE: &str = "Review <img src=x onerror=alert(1)> & **bold** [x](javascript:alert(1)) ~~s~~ #1\u{1b}[2J";
    const STEP_ID: &str = "<img src=x onerror=alert(1)>`|\nall expectations met";
    const RESOURCE: &str = "arn:aws:s3:::bkt/`key` <img src=x onerror=alert(1)>|x\n";
    const POLICY: &str = "p`<b>x</b>`|y";
    const SID: &str = "a``b <script>";
    const AGENT: &str = "<script>alert(1)</script> `x` *y*";

    /// A scenario whose every free-form string is hostile: HTML, Markdown
    /// markup, backticks, pipes and control characters. Step 1 is allowed
    /// by a policy and a Sid with such names; step 2 is denied with a near
    /// miss whose reason quotes a hostile condition value.
    fn hostile() -> (Option<String>, ScenarioResult) {
        let doc = serde_json::json!({
            "format": "trustwalk/scenario@1",
            "title": TITLE,
            "accounts": [{
                "id": "111111111111",
                "users": [{ "name": "U", "policies": [{ "name": POLICY, "document": {
                    "Version": "2012-10-17",
                    "Statement": [{ "Effect": "Allow", "Action": "s3:*", "Resource": "*" }]
                } }] }]
            }, {
                "id": "222222222222",
                "buckets": [{ "name": "bkt", "policy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        { "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bkt/*",
                          "Condition": { "StringEquals": { "aws:UserAgent": AGENT } } },
                        { "Sid": SID, "Effect": "Allow", "Principal": { "AWS": "111111111111" }, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bkt/*" }
                    ]
                } }]
            }],
            "steps": [
                { "id": STEP_ID, "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:GetObject", "resource": RESOURCE, "expect": "allowed" },
                { "id": "put", "principal": "arn:aws:iam::111111111111:user/U", "action": "s3:PutObject", "resource": "arn:aws:s3:::bkt/k",
                  "context": { "aws:UserAgent": "curl" } }
            ]
        });
        let (scenario, _) = trustwalk_core::scenario::load_json(&trustwalk_core::json::from_value(&doc)).unwrap();
        let result = trustwalk_core::scenario::run(&scenario, trustwalk_core::scenario::RunOptions::default());
        (scenario.title.clone(), result)
    }

    #[test]
    fn hostile_strings_are_shown_not_interpreted() {
        let (title, result) = hostile();
        let md = markdown(title.as_deref(), &result);
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], r"# Review &lt;img src=x onerror=alert(1)&gt; &amp; \*\*bold\*\* \[x\](javascript:alert(1)) \~\~s\~\~ \#1\\u{1b}\[2J");
        assert_eq!(
            lines[6],
            r"| 1 | &lt;img src=x onerror=alert(1)&gt;\`\|\\nall expectations met | `arn:aws:iam::111111111111:user/U` | `s3:GetObject` | ``arn:aws:s3:::bkt/`key` <img src=x onerror=alert(1)>\|x\n`` | yes | **Allowed** | Allowed ✓ |"
        );
        assert!(md.contains("\n- identity policy ``U/p`<b>x</b>`|y``, statement 1 (line 0)\n"), "{md}");
        assert!(md.contains("\n- resource policy `bkt/bucketPolicy`, statement 2 ```a``b <script>``` (line 0)\n"), "{md}");
        // Each document string is one line of the report.
        assert!(!md.contains("\nall expectations met"));
        assert!(!md.chars().any(|c| c.is_control() && c != '\n'));
    }

    /// What a CommonMark + GitHub tables reader makes of the report: no
    /// HTML, link, image, emphasis or strikethrough; every table row has
    /// its eight cells; and each code span holds exactly the document's
    /// string (control characters shown as escapes).
    #[test]
    fn a_markdown_reader_sees_the_hostile_strings_as_text() {
        use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
        let (title, result) = hostile();
        let md = markdown(title.as_deref(), &result);
        let (mut code, mut cells, mut rows, mut text, mut heading) = (Vec::new(), 0, Vec::new(), String::new(), Vec::new());
        let mut strong = Vec::new();
        let mut in_strong = false;
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            match event {
                Event::Html(h) | Event::InlineHtml(h) => panic!("HTML in the report: {h}"),
                Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Emphasis | Tag::Strikethrough) => panic!("markup in the report: {event:?}"),
                Event::Start(Tag::Strong) => in_strong = true,
                Event::End(TagEnd::Strong) => in_strong = false,
                Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
                Event::Start(Tag::TableCell) => cells += 1,
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => rows.push(cells),
                Event::Start(Tag::Heading { .. }) => text.clear(),
                Event::End(TagEnd::Heading(_)) => heading.push(std::mem::take(&mut text)),
                Event::Code(c) => code.push(c.to_string()),
                Event::Text(t) if in_strong => strong.push(t.to_string()),
                Event::Text(t) => text.push_str(&t),
                _ => {}
            }
        }
        assert_eq!(rows, [8, 8, 8]);
        assert_eq!(strong, ["Allowed", "Implicit deny"]);
        assert_eq!(heading[0], text::escape_controls(TITLE));
        assert_eq!(heading[1], format!("1. {} — Allowed", text::escape_controls(STEP_ID)));
        for expected in [&*text::escape_controls(RESOURCE), "U/p`<b>x</b>`|y", SID, "arn:aws:iam::111111111111:user/U"] {
            assert!(code.iter().any(|c| c == expected), "no code span {expected:?} in {code:?}");
        }
        assert!(!md.contains(AGENT) && md.contains(r"&lt;script&gt;alert(1)&lt;/script&gt; \`x\` \*y\*"), "{md}");
    }
}
