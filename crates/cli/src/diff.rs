//! `trustwalk diff OLD NEW`: the access-map cells and the steps whose
//! outcome an edit changes (the core's `review::diff`). Exit status 1 when
//! NEW grants access OLD did not, 0 otherwise, 2 for bad input.

use std::io;

use trustwalk_core::review::access::Responsible as StatementRef;
use trustwalk_core::review::diff::{diff, AccessChange, DiffOptions, PathChange, ScenarioDiff};
use trustwalk_core::scenario::{Outcome, RunOptions};
use trustwalk_core::Options;

use crate::{emit, load, now_epoch_seconds, parse_now, Status};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The scenario before the edit; `-` reads standard input.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The scenario after the edit.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// `text`, `json` (`trustwalk/diff@1`) or `markdown` (for a pull
    /// request's comment).
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// "Now" in epoch seconds, for scenarios that do not pin `aws:CurrentTime`.
    #[arg(long, value_name = "EPOCH_SECONDS", allow_negative_numbers = true, value_parser = parse_now)]
    pub now: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
}

pub fn run(args: &DiffArgs) -> Status {
    if args.old == "-" && args.new == "-" {
        eprintln!("trustwalk diff: only one of OLD and NEW can be standard input");
        return Status::BadInput;
    }
    let old = load(&args.old);
    let new = load(&args.new);
    let (Some((old, _)), Some((new, _))) = (old, new) else { return Status::BadInput };
    let Some(catalogue) = crate::access::catalogue() else { return Status::BadInput };
    let options = DiffOptions { run: RunOptions { now_epoch_seconds: args.now.unwrap_or_else(now_epoch_seconds), eval: Options::default() } };
    let d = diff(&old, &new, catalogue, &options);
    let text = match args.format {
        DiffFormat::Text => render_text(&d),
        DiffFormat::Markdown => render_markdown(&d),
        DiffFormat::Json => match serde_json::to_string_pretty(&d) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("trustwalk diff: {e}");
                return Status::BadInput;
            }
        },
    };
    if let Err(s) = emit(&mut io::stdout().lock(), &text) {
        return s;
    }
    if d.new_access {
        Status::ExpectationFailed
    } else {
        Status::Ok
    }
}

/// `Alice/ReadReports statement 2 (Sid Read)`: statements counted from 1.
fn statement(s: &StatementRef) -> String {
    let mut out = format!("{} statement {}", s.policy, s.statement + 1);
    if let Some(sid) = &s.sid {
        out.push_str(&format!(" (Sid {sid})"));
    }
    out
}

fn statements(list: &[StatementRef]) -> String {
    if list.is_empty() {
        "no statement".to_string()
    } else {
        list.iter().map(statement).collect::<Vec<_>>().join(", ")
    }
}

fn via(c: &AccessChange) -> String {
    if c.via.is_empty() {
        String::new()
    } else {
        format!(" via {}", c.via.join(" > "))
    }
}

/// `role-a > role-b`, or `(direct)`; several paths separated by `, `.
fn paths(list: &[Vec<String>]) -> String {
    let one = |p: &Vec<String>| if p.is_empty() { "(direct)".to_string() } else { p.join(" > ") };
    if list.is_empty() {
        "(none)".to_string()
    } else {
        list.iter().map(one).collect::<Vec<_>>().join(", ")
    }
}

/// Cells whose access is unchanged but reached by other paths (nothing
/// when there are none).
fn render_paths(list: &[PathChange], markdown: bool) -> String {
    let mut out = String::new();
    if list.is_empty() {
        return out;
    }
    let n = list.len();
    out.push_str(&format!("Paths: {n} {} the same access by another path\n", if n == 1 { "cell reaches" } else { "cells reach" }));
    for p in list {
        let line = format!(
            "{}: {} on {} ({}): {} via {} -> via {}",
            p.principal,
            p.action,
            p.resource,
            p.access_level,
            p.decision.as_str(),
            paths(&p.via_before),
            paths(&p.via_after)
        );
        if markdown {
            out.push_str(&format!("- `{}`\n", md(&line)));
        } else {
            out.push_str(&format!("  = {line}\n"));
        }
    }
    if markdown {
        out.push('\n');
    }
    out
}

fn outcome(o: Option<Outcome>) -> &'static str {
    o.map_or("(no such step)", Outcome::as_str)
}

pub fn render_text(d: &ScenarioDiff) -> String {
    let mut out = String::new();
    if d.access.is_empty() {
        out.push_str("Access: no cell changed\n");
    } else {
        out.push_str(&format!("Access: {} {} changed\n", d.access.len(), if d.access.len() == 1 { "cell" } else { "cells" }));
        for c in &d.access {
            let sign = if c.grants() { '+' } else { '-' };
            out.push_str(&format!(
                "  {sign} {}{}: {} on {} ({}): {} -> {}\n",
                c.principal,
                via(c),
                c.action,
                c.resource,
                c.access_level,
                c.before.as_str(),
                c.after.as_str()
            ));
            out.push_str(&format!("      before: {}\n      after:  {}\n", statements(&c.statements_before), statements(&c.statements_after)));
        }
    }
    out.push_str(&render_paths(&d.paths, false));
    if d.steps.is_empty() {
        out.push_str("Steps: no outcome changed\n");
    } else {
        out.push_str(&format!("Steps: {} changed\n", d.steps.len()));
        for s in &d.steps {
            out.push_str(&format!("  {}: {} -> {}\n", s.id, outcome(s.before), outcome(s.after)));
        }
    }
    out.push_str(if d.new_access { "NEW grants access that OLD did not.\n" } else { "NEW grants no access that OLD did not.\n" });
    out
}

/// `|` would end a table cell; backticks would end code.
fn md(text: &str) -> String {
    text.replace('|', "\\|").replace('`', "'")
}

pub fn render_markdown(d: &ScenarioDiff) -> String {
    let mut out = String::from("### Trustwalk access diff\n\n");
    out.push_str(if d.new_access { "**NEW grants access that OLD did not.**\n\n" } else { "NEW grants no access that OLD did not.\n\n" });
    if d.access.is_empty() {
        out.push_str("No access-map cell changed.\n\n");
    } else {
        out.push_str("| | Principal | Via | Action | Resource | Level | Before | After | Statements before | Statements after |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
        for c in &d.access {
            let sign = if c.grants() { "➕" } else { "➖" };
            let via =
                if c.via.is_empty() { "—".to_string() } else { c.via.iter().map(|v| format!("`{}`", md(v))).collect::<Vec<_>>().join(" → ") };
            out.push_str(&format!(
                "| {sign} | `{}` | {via} | `{}` | `{}` | {} | {} | {} | {} | {} |\n",
                md(&c.principal),
                md(&c.action),
                md(&c.resource),
                c.access_level,
                c.before.as_str(),
                c.after.as_str(),
                md(&statements(&c.statements_before)),
                md(&statements(&c.statements_after))
            ));
        }
        out.push('\n');
    }
    out.push_str(&render_paths(&d.paths, true));
    if d.steps.is_empty() {
        out.push_str("No step changed outcome.\n");
    } else {
        out.push_str("| Step | Before | After |\n|---|---|---|\n");
        for s in &d.steps {
            out.push_str(&format!("| `{}` | {} | {} |\n", md(&s.id), outcome(s.before), outcome(s.after)));
        }
    }
    out
}
