//! `trustwalk tighten`: the smallest form of an identity or session policy
//! under which every step of the scenario keeps its outcome (the core's
//! `review::tighten`), as the policy document or as a unified diff against
//! the current one.

use clap::ValueEnum;
use trustwalk_core::review::tighten::{self, StatementChange};
use trustwalk_core::scenario::{LoadOptions, RunOptions};
use trustwalk_core::Options;

use crate::report::render_diagnostic;
use crate::{display_name, emit, managed, now_epoch_seconds, read_reported, Status, MAX_DOCUMENT_BYTES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TightenFormat {
    /// The proposed policy document, pretty-printed.
    Json,
    /// A unified diff from the current policy to the proposed one.
    Diff,
}

#[derive(clap::Args, Debug)]
pub struct TightenArgs {
    /// The scenario file (`trustwalk/scenario@1`); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The policy to tighten: its JSON path (`accounts[0].roles[1].policies[0]`,
    /// `accounts[0].managedPolicies[0]`, `steps[2].sessionPolicy`) or its name
    /// as traces show it (`ROLE/POLICY`, a customer managed policy's ARN,
    /// `ROLE/SESSION/sessionPolicy`).
    #[arg(long, value_name = "PATH")]
    pub policy: String,
    /// `json`: the proposed policy; `diff`: a unified diff against the current one.
    #[arg(long, value_enum, default_value_t = TightenFormat::Json)]
    pub format: TightenFormat,
    /// "Now" for the steps (as `simulate --now`).
    #[arg(long, value_name = "EPOCH_SECONDS", allow_negative_numbers = true, value_parser = crate::parse_now)]
    pub now: Option<i64>,
}

pub fn run(args: &TightenArgs) -> Status {
    let name = display_name(&args.file);
    let Some(bytes) = read_reported(&args.file, MAX_DOCUMENT_BYTES) else {
        return Status::BadInput;
    };
    let text = match trustwalk_core::json::utf8(&bytes) {
        Ok(t) => t,
        Err(d) => {
            eprintln!("{}", render_diagnostic(&name, &d));
            return Status::BadInput;
        }
    };
    let load = LoadOptions { max_bytes: MAX_DOCUMENT_BYTES, managed_policies: &managed::Embedded };
    let run = RunOptions { now_epoch_seconds: args.now.unwrap_or_else(now_epoch_seconds), eval: Options::default() };
    let proposal = match tighten::tighten(text, &args.policy, &load, run) {
        Ok(p) => p,
        Err(errors) => {
            for d in &errors {
                eprintln!("{}", render_diagnostic(&name, d));
            }
            eprintln!("{name}: nothing to tighten");
            return Status::BadInput;
        }
    };
    for note in &proposal.notes {
        eprintln!("note: {note}");
    }
    let count = |f: fn(&StatementChange) -> bool| proposal.statements.iter().filter(|c| f(c)).count();
    let narrowed = count(|c| matches!(c, StatementChange::Narrowed { .. }));
    let removed = count(|c| matches!(c, StatementChange::Removed { .. }));
    eprintln!(
        "{}: {narrowed} {} narrowed, {removed} removed; all {} steps keep their outcome",
        proposal.policy,
        if narrowed == 1 { "statement" } else { "statements" },
        proposal.steps.len()
    );
    let out = match args.format {
        TightenFormat::Json => format!("{}\n", proposal.after),
        TightenFormat::Diff => {
            tighten::unified(&proposal.diff, &format!("{} (current)", proposal.policy), &format!("{} (tightened)", proposal.policy), 3)
        }
    };
    let stdout = std::io::stdout();
    match emit(&mut stdout.lock(), &out) {
        Ok(()) => Status::Ok,
        Err(s) => s,
    }
}
