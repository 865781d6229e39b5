//! `trustwalk access`: the access map of a scenario (the core's
//! `review::access`) as a table, CSV or the `trustwalk/access@1` document.

use std::io;

use trustwalk_core::review::access::{access_map, AccessMap, AccessOptions, Cell};
use trustwalk_core::scenario::RunOptions;
use trustwalk_core::Options;

use crate::{emit, load, now_epoch_seconds, parse_now, Status};

#[derive(clap::Args, Debug)]
pub struct AccessArgs {
    /// The scenario (`trustwalk/scenario@1`); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Only this principal: a user's or role's ARN.
    #[arg(long, value_name = "ARN")]
    pub principal: Option<String>,
    /// Only this resource; a bucket's ARN also selects its objects.
    #[arg(long, value_name = "ARN")]
    pub resource: Option<String>,
    /// `text`: an aligned table; `csv`: the same table as CSV; `json`: the
    /// `trustwalk/access@1` document.
    #[arg(long, value_enum, default_value_t = AccessFormat::Text)]
    pub format: AccessFormat,
    /// Also list implicitly denied cells (by default: allowed and
    /// explicitly denied cells, and implicit denies that depend on a
    /// condition key the scenario's context does not give).
    #[arg(long)]
    pub all: bool,
    /// "Now" in epoch seconds, for a scenario that does not pin `aws:CurrentTime`.
    #[arg(long, value_name = "EPOCH_SECONDS", allow_negative_numbers = true, value_parser = parse_now)]
    pub now: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AccessFormat {
    Text,
    Csv,
    Json,
}

/// The AWS catalogue built into the program, or a message on standard error.
pub fn catalogue() -> Option<&'static trustwalk_core::catalogue::Catalogue> {
    match trustwalk_core::catalogue::embedded() {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("trustwalk: the built-in AWS catalogue cannot be read: {e}");
            None
        }
    }
}

pub fn run(args: &AccessArgs) -> Status {
    let Some((scenario, _)) = load(&args.file) else { return Status::BadInput };
    let Some(catalogue) = catalogue() else { return Status::BadInput };
    let options = AccessOptions {
        run: RunOptions { now_epoch_seconds: args.now.unwrap_or_else(now_epoch_seconds), eval: Options::default() },
        all: args.all,
        principal: args.principal.as_deref(),
        resource: args.resource.as_deref(),
    };
    let map = access_map(&scenario, catalogue, &options);
    let text = match args.format {
        AccessFormat::Text => render_text(&map),
        AccessFormat::Csv => render_csv(&map),
        AccessFormat::Json => match serde_json::to_string_pretty(&map) {
            Ok(t) => t + "\n",
            Err(e) => {
                eprintln!("trustwalk access: {e}");
                return Status::BadInput;
            }
        },
    };
    match emit(&mut io::stdout().lock(), &text) {
        Ok(()) => Status::Ok,
        Err(s) => s,
    }
}

const HEADER: [&str; 7] = ["principal", "via", "resource", "access level", "action", "decision", "conditions"];

fn row(c: &Cell) -> [String; 7] {
    [
        c.principal.clone(),
        if c.via.is_empty() { "-".to_string() } else { c.via.join(" > ") },
        c.resource.clone(),
        c.access_level.to_string(),
        c.action.clone(),
        c.decision.as_str().to_string(),
        c.conditions.join(" "),
    ]
}

/// An aligned table, one cell per line, then a count.
pub fn render_text(map: &AccessMap) -> String {
    let rows: Vec<[String; 7]> = map.cells().map(|c| row(&c)).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &rows {
        for (w, v) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(v.chars().count());
        }
    }
    let line = |fields: &[String]| -> String {
        let mut out = String::new();
        for (i, (v, w)) in fields.iter().zip(widths.iter()).enumerate() {
            if i + 1 == fields.len() {
                out.push_str(v);
            } else {
                out.push_str(v);
                out.push_str(&" ".repeat(w.saturating_sub(v.chars().count()) + 2));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(&HEADER.map(str::to_uppercase));
    for r in &rows {
        out.push_str(&line(r));
    }
    let allowed = map.cells().filter(|c| c.decision == trustwalk_core::scenario::Outcome::Allowed).count();
    out.push_str(&format!("{} cells ({allowed} allowed) for {} principals and {} resources\n", map.len(), map.principals, map.resources));
    out
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The same table as CSV (RFC 4180), `via` and `conditions` separated by
/// spaces, an empty `via` for a direct call.
pub fn render_csv(map: &AccessMap) -> String {
    let mut out = "principal,via,resource,accessLevel,action,decision,conditions\r\n".to_string();
    for c in map.cells() {
        let fields = [c.principal.as_str(), &c.via.join(" "), &c.resource, &c.access_level, &c.action, c.decision.as_str(), &c.conditions.join(" ")]
            .map(csv_field);
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}
