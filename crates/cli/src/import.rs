//! `trustwalk import`: AWS's exports of real accounts → a scenario document
//! on standard output (the core's `scenario::import`), checked by loading
//! it as `trustwalk validate` would. The fields left out go to standard
//! error, one line each, with their file and JSON path.

use std::io::Write;

use trustwalk_core::scenario::import::{self, BucketPolicyFile, ExportFile, ImportInput, OrgPolicyFile};
use trustwalk_core::scenario::{self};

use crate::report::render_diagnostic;
use crate::{display_name, emit, managed, read_reported, Status};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Output of `aws iam get-account-authorization-details`, one file per
    /// account; `-` reads standard input.
    #[arg(required = true, value_name = "EXPORT")]
    pub exports: Vec<String>,
    /// A bucket and its policy, from `aws s3api get-bucket-policy --bucket
    /// NAME`: `NAME=FILE`, or `ACCOUNT_ID:NAME=FILE` when several accounts
    /// are imported (the bucket's owner).
    #[arg(long = "bucket", value_name = "[ACCOUNT_ID:]NAME=FILE")]
    pub buckets: Vec<String>,
    /// An SCP, from `aws organizations describe-policy`, attached at LEVEL
    /// (`Root`, `OU Workloads`, …) of every imported account; levels are
    /// ordered as first named, the organization's root first.
    #[arg(long = "scp", value_name = "LEVEL=FILE")]
    pub scps: Vec<String>,
    /// An RCP, the same way.
    #[arg(long = "rcp", value_name = "LEVEL=FILE")]
    pub rcps: Vec<String>,
    /// Do not list the fields left out on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The largest export read: a large account's details run to tens of MB.
const MAX_EXPORT_BYTES: usize = 512 * 1024 * 1024;

/// An input's text; what is wrong with it (unreadable, too large, not
/// UTF-8, with the place of the first bad byte) on standard error.
fn read_text(file: &str) -> Option<String> {
    let bytes = read_reported(file, MAX_EXPORT_BYTES)?;
    match trustwalk_core::json::utf8(&bytes) {
        Ok(text) => Some(text.to_string()),
        Err(d) => {
            eprintln!("{}", render_diagnostic(&display_name(file), &d));
            None
        }
    }
}

/// `LEVEL=FILE` → (LEVEL, FILE).
fn split_pair<'a>(arg: &'a str, flag: &str) -> Option<(&'a str, &'a str)> {
    match arg.split_once('=') {
        Some((a, b)) if !a.is_empty() && !b.is_empty() => Some((a, b)),
        _ => {
            eprintln!("trustwalk import: `--{flag} {arg}` must be written `{}=FILE`", if flag == "bucket" { "[ACCOUNT_ID:]NAME" } else { "LEVEL" });
            None
        }
    }
}

pub fn run(args: &ImportArgs) -> Status {
    let mut ok = true;
    let mut texts: Vec<(String, String)> = Vec::new();
    for f in &args.exports {
        match read_text(f) {
            Some(t) => texts.push((display_name(f).into_owned(), t)),
            None => ok = false,
        }
    }
    let mut buckets: Vec<(Option<String>, String, String, String)> = Vec::new();
    for b in &args.buckets {
        let Some((target, file)) = split_pair(b, "bucket") else {
            ok = false;
            continue;
        };
        let (account, name) = match target.split_once(':') {
            Some((a, n)) => (Some(a.to_string()), n.to_string()),
            None => (None, target.to_string()),
        };
        match read_text(file) {
            Some(t) => buckets.push((account, name, display_name(file).into_owned(), t)),
            None => ok = false,
        }
    }
    let mut org = |list: &[String], flag: &str| -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for a in list {
            let Some((level, file)) = split_pair(a, flag) else {
                ok = false;
                continue;
            };
            match read_text(file) {
                Some(t) => out.push((level.to_string(), display_name(file).into_owned(), t)),
                None => ok = false,
            }
        }
        out
    };
    let scps = org(&args.scps, "scp");
    let rcps = org(&args.rcps, "rcp");
    if !ok {
        return Status::BadInput;
    }
    let input = ImportInput {
        exports: texts.iter().map(|(source, text)| ExportFile { source: source.clone(), text }).collect(),
        buckets: buckets
            .iter()
            .map(|(account, name, source, text)| BucketPolicyFile { account: account.clone(), name: name.clone(), source: source.clone(), text })
            .collect(),
        scps: scps.iter().map(|(level, source, text)| OrgPolicyFile { level: level.clone(), source: source.clone(), text }).collect(),
        rcps: rcps.iter().map(|(level, source, text)| OrgPolicyFile { level: level.clone(), source: source.clone(), text }).collect(),
    };
    let imported = match import::import(&input) {
        Ok(i) => i,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("trustwalk import: nothing imported ({} {})", errors.len(), if errors.len() == 1 { "error" } else { "errors" });
            return Status::BadInput;
        }
    };
    if !args.quiet {
        for i in &imported.ignored {
            eprintln!("left out: {i}");
        }
    }
    let text = match serde_json::to_string_pretty(&imported.document) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("trustwalk import: {e}");
            return Status::BadInput;
        }
    };
    // What was made must load as any scenario does: say so if it does not
    // (a policy AWS accepted that Trustwalk's parser refuses, an AWS managed
    // policy newer than Trustwalk's data), and still write it, to edit.
    let options = scenario::LoadOptions { max_bytes: usize::MAX, managed_policies: &managed::Embedded };
    let status = match scenario::load_with_options(&text, &options) {
        Ok(_) => Status::Ok,
        Err(errors) => {
            for d in &errors {
                eprintln!("{}", render_diagnostic("<imported scenario>", d));
            }
            eprintln!("trustwalk import: the imported scenario does not load ({} errors): it is written anyway, to fix", errors.len());
            Status::ExpectationFailed
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Err(s) = emit(&mut out, &text).and_then(|()| out.flush().map_err(|e| crate::write_failed(&e))) {
        return s.max(status);
    }
    status
}
