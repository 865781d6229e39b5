//! `trustwalk`: simulate and validate Trustwalk scenario documents.
//!
//! Exit codes: 0 when every expectation is met (or none is given), 1 when
//! one is not, 2 when an input cannot be read or is invalid.

mod access;
mod diff;
mod import;
mod json_out;
mod lint;
mod managed;
mod report;
mod result;
mod story;
mod style;
mod tighten;

/// See Cargo.toml: the steps' traces are many small allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use trustwalk_core::scenario::{self, RunOptions, Scenario, StepResult};
use trustwalk_core::{Diagnostic, Options};
use trustwalk_playground::commands;

use crate::report::render_diagnostic;
use crate::story::{Story, Tally};
use crate::style::{ColorChoice, Painter};

#[derive(Parser, Debug)]
#[command(name = "trustwalk", version = managed::VERSION, about = "Offline AWS IAM policy simulator: step through Trustwalk scenario documents")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every step of each scenario and tell what happened and why.
    Simulate(SimulateArgs),
    /// Check that each document is a valid scenario, without running it.
    Validate(ValidateArgs),
    /// Check every policy of each scenario (or each bare policy, with
    /// `--policy-type`) as IAM Access Analyzer's policy validation does:
    /// errors, security warnings, warnings and suggestions. Exit status 1
    /// when there is an error or a security warning.
    Lint(LintArgs),
    /// Turn AWS's exports of real accounts into a scenario document on
    /// standard output: `aws iam get-account-authorization-details` (one
    /// file per account), with `--bucket` policies (`aws s3api
    /// get-bucket-policy`) and `--scp`/`--rcp` levels (`aws organizations
    /// describe-policy`). Fields left out are listed on standard error.
    /// Exit status 1 when the result does not load, 2 for bad input.
    Import(import::ImportArgs),
    /// Who can do what: for every user and role (and the roles each can
    /// become through AssumeRole chains) and every resource, the decision
    /// for every action of the resource's service, by access level.
    Access(access::AccessArgs),
    /// What an edit changes: the access-map cells and the steps whose
    /// outcome differs between OLD and NEW. Exit status 1 when NEW grants
    /// access that OLD did not, 0 otherwise, 2 for bad input.
    Diff(diff::DiffArgs),
    /// Propose the smallest form of an identity or session policy (explicit
    /// actions and resource ARNs) under which every step keeps its outcome,
    /// verified by running the scenario with it. Exit status 2 for bad input.
    Tighten(tighten::TightenArgs),
}

#[derive(clap::Args, Debug)]
struct LintArgs {
    /// Scenario files (`trustwalk/scenario@1`), or with `--policy-type`
    /// policy documents; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// `text`: each finding with its help; `json`: one
    /// `{"file", "findings"}` object per file per line; `sarif`: one SARIF
    /// 2.1.0 log for code-scanning tools.
    #[arg(long, value_enum, default_value_t = lint::LintFormat::Text)]
    format: lint::LintFormat,
    /// The files are bare policies of this type, not scenarios.
    #[arg(long, value_enum, value_name = "TYPE")]
    policy_type: Option<lint::PolicyTypeArg>,
    /// "Now" for the steps the scenario checks run (as `simulate --now`).
    #[arg(long, value_name = "EPOCH_SECONDS", allow_negative_numbers = true, value_parser = parse_now)]
    now: Option<i64>,
    /// Colour the text output: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

#[derive(clap::Args, Debug)]
struct SimulateArgs {
    /// Scenario files (`trustwalk/scenario@1`); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// `text`: a story per step; `json`: the result document
    /// (`trustwalk/result@1`), one compact document per line per file.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// "Now", in seconds since the Unix epoch: the default `aws:CurrentTime`
    /// (the document's context may pin it), from 0 (1970-01-01T00:00:00Z) to
    /// 253402300799 (9999-12-31T23:59:59Z). Default: the system clock.
    #[arg(long, value_name = "EPOCH_SECONDS", allow_negative_numbers = true, value_parser = parse_now)]
    now: Option<i64>,
    /// Colour the text output: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Text output: also list every gate (identity, resource, boundary, …) and its verdict.
    #[arg(short, long)]
    verbose: bool,
    /// JSON output: how much of the trace each step carries. `full`: every
    /// gate, policy, statement and condition, and the request context;
    /// `decisive`: the outcome, the decisive statements, the summary and
    /// the near miss, without `context`, `gates` and `extraChecks`.
    #[arg(long, value_enum, default_value_t = Trace::Full, value_name = "LEVEL")]
    trace: Trace,
    /// Text output: also the AWS CLI commands that would build the scenario
    /// in real accounts (before the steps), and after each step its call,
    /// with an allowed AssumeRole's simulated (not real) credentials, its
    /// `~/.aws/config` profile and the console's switch-role link.
    #[arg(long)]
    commands: bool,
}

/// How much of each step's trace the result document carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Trace {
    Full,
    Decisive,
}

#[derive(clap::Args, Debug)]
struct ValidateArgs {
    /// Scenario files; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The worst thing that happened, as an exit code (higher wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Ok = 0,
    ExpectationFailed = 1,
    BadInput = 2,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Simulate(args) => simulate(&args),
        Command::Validate(args) => validate(&args),
        Command::Lint(args) => lint(&args),
        Command::Import(args) => import::run(&args),
        Command::Access(args) => access::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Tighten(args) => tighten::run(&args),
    };
    ExitCode::from(status as u8)
}

/// `--now`: whole epoch seconds within the range every time must lie in
/// (clap reports an error as a usage error: exit code 2).
fn parse_now(text: &str) -> Result<i64, String> {
    let secs = text.parse::<i64>().map_err(|_| format!("expected whole seconds since 1970 from 0 to {}", trustwalk_core::time::MAX_EPOCH))?;
    trustwalk_core::time::check_epoch(secs)
}

/// `-` is standard input, shown as `<stdin>` in messages; control
/// characters in a file's name are shown as escapes.
fn display_name(file: &str) -> Cow<'_, str> {
    if file == "-" {
        Cow::Borrowed("<stdin>")
    } else {
        trustwalk_core::text::escape_controls(file)
    }
}

/// Why an input could not be read.
enum ReadError {
    Io(io::Error),
    /// The input is larger than `MAX_DOCUMENT_BYTES`.
    TooLarge,
}

/// Reads a whole input, but never more than `limit` bytes: at most one byte
/// past the limit is read (from a file or standard input alike) to tell
/// that there is more, so a 2 GB stream costs no more than the limit.
fn read_limited(input: impl Read, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    input.take(cap).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

fn read_input(file: &str, limit: usize) -> Result<Vec<u8>, ReadError> {
    if file == "-" {
        read_limited(io::stdin().lock(), limit)
    } else {
        let f = std::fs::File::open(file).map_err(ReadError::Io)?;
        // A regular file says its size: refuse it without reading.
        if f.metadata().is_ok_and(|m| m.is_file() && m.len() > u64::try_from(limit).unwrap_or(u64::MAX)) {
            return Err(ReadError::TooLarge);
        }
        read_limited(f, limit)
    }
}

/// The largest scenario document the CLI reads (the playground's limit is
/// smaller): generated CI scenarios with thousands of steps fit.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// Reads a whole input of at most `limit` bytes; says on standard error
/// why it could not.
fn read_reported(file: &str, limit: usize) -> Option<Vec<u8>> {
    let name = display_name(file);
    match read_input(file, limit) {
        Ok(b) => Some(b),
        Err(ReadError::Io(e)) => {
            eprintln!("{name}: cannot read: {e}");
            None
        }
        Err(ReadError::TooLarge) => {
            eprintln!("{name}: cannot read: the document is larger than {} MiB ({limit} bytes), the most trustwalk reads", limit / (1024 * 1024));
            None
        }
    }
}

/// Reads and loads one document; reports problems on standard error.
fn load(file: &str) -> Option<(Scenario, Vec<Diagnostic>)> {
    load_keeping_text(file, false).map(|(s, w, _)| (s, w))
}

/// [`load`], and the document's text when `keep_text` (for `--commands`:
/// the policies written as JSON objects are shown as the author wrote them).
fn load_keeping_text(file: &str, keep_text: bool) -> Option<(Scenario, Vec<Diagnostic>, Option<String>)> {
    let name = display_name(file);
    let bytes = read_reported(file, MAX_DOCUMENT_BYTES)?;
    // Not UTF-8: the byte offset (and line and column) of the first bad byte.
    let options = scenario::LoadOptions { max_bytes: MAX_DOCUMENT_BYTES, managed_policies: &managed::Embedded };
    let loaded = trustwalk_core::json::utf8(&bytes).map_err(|d| vec![d]).and_then(|text| scenario::load_with_options(text, &options));
    match loaded {
        Ok((scenario, warnings)) => Some((scenario, warnings, keep_text.then(|| String::from_utf8(bytes).ok()).flatten())),
        Err(errors) => {
            for d in &errors {
                eprintln!("{}", render_diagnostic(&name, d));
            }
            let n = errors.len();
            eprintln!("{name}: invalid scenario ({n} {})", if n == 1 { "error" } else { "errors" });
            None
        }
    }
}

fn now_epoch_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().and_then(|d| i64::try_from(d.as_secs()).ok()).unwrap_or(0)
}

/// Writes to standard output; a closed pipe (`| head`) ends quietly.
fn emit(out: &mut impl Write, text: &str) -> Result<(), Status> {
    out.write_all(text.as_bytes()).map_err(|e| write_failed(&e))
}

/// What a failed write to standard output means: a closed pipe is no
/// error (`Status::Ok`: stop quietly); anything else is reported.
fn write_failed(e: &io::Error) -> Status {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Status::Ok
    } else {
        eprintln!("trustwalk: cannot write the output: {e}");
        Status::BadInput
    }
}

/// Runs the scenario and hands each step's result to `write`, in order, as
/// soon as it is known; the result is then dropped, so memory holds one
/// step's trace at a time, not the whole run's (the story's text is
/// written on this thread; the JSON result by threads of its own, see
/// [`result::write_result_json`]). When `write`
/// fails, nothing more is written and the run stops, except after a closed
/// pipe (`| head`), where it goes on so that the exit status still counts
/// every step. Returns whether every expectation was met, and `write`'s
/// error if any.
fn stream(scenario: &Scenario, options: RunOptions, mut write: impl FnMut(usize, &StepResult) -> Result<(), Status>) -> (bool, Result<(), Status>) {
    let mut met = true;
    let mut written = Ok(());
    for (i, step) in scenario::run_iter(scenario, options).enumerate() {
        met &= step.expectation_met != Some(false);
        if written.is_ok() {
            written = write(i, &step);
        }
        match written {
            // A closed pipe: nothing more is written, the steps still run.
            Err(Status::Ok) | Ok(()) => {}
            Err(_) => break,
        }
    }
    (met, written)
}

/// Writes the story of the run step by step (see [`Story`]).
/// With `commands` (`--commands`: the document's text), the
/// scenario's AWS CLI commands come after the header and each step's after
/// its story.
fn write_story(
    out: &mut impl Write,
    story: &Story<'_>,
    options: RunOptions,
    last: bool,
    commands: Option<commands::Doc<'_>>,
) -> (bool, Result<(), Status>) {
    if let Err(s) = emit(out, &story.header()) {
        return (true, Err(s));
    }
    if let Some(doc) = commands {
        if let Err(s) = emit(out, &build_commands(story.scenario, doc)) {
            return (true, Err(s));
        }
    }
    let mut tally = Tally::default();
    let (met, written) = stream(story.scenario, options, |i, step| {
        tally.add(step);
        match commands {
            Some(doc) => emit(out, &with_step_commands(story.step(i, step), story.scenario, i, step, doc)),
            None => emit(out, &story.step(i, step)),
        }
    });
    if let Err(s) = written {
        return (met, Err(s));
    }
    let mut text = story.closing(&tally);
    if !last {
        text.push('\n');
    }
    (met, emit(out, &text))
}

/// Indents every line of `text` by `by`, control characters shown as escapes.
fn indent(text: &str, by: &str) -> String {
    commands::visible(text).lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("{by}{l}\n") }).collect()
}

/// `--commands`: the AWS CLI commands that build the scenario, per account.
fn build_commands(scenario: &Scenario, doc: commands::Doc<'_>) -> String {
    let mut out = String::from("Build it in AWS (AWS CLI v2; each account with a profile that may administer it):\n");
    for b in commands::scenario_commands(scenario, doc) {
        out.push_str(&format!("\n   {}\n{}", commands::visible(&b.title), indent(&b.text, "     ")));
    }
    out
}

/// `--commands`: a step's story, then its call.
fn with_step_commands(mut story: String, scenario: &Scenario, i: usize, step: &StepResult, doc: commands::Doc<'_>) -> String {
    let Some(c) = commands::step_commands(scenario, i, step, doc) else {
        return story;
    };
    let trailing = story.len() - story.trim_end_matches('\n').len();
    story.truncate(story.len() - trailing.saturating_sub(1));
    story.push_str("   commands:\n");
    story.push_str(&indent(&c.text(), "     "));
    story.push_str(&"\n".repeat(trailing.saturating_sub(1)));
    story
}

fn simulate(args: &SimulateArgs) -> Status {
    if args.commands && args.format != Format::Text {
        eprintln!("trustwalk: --commands works with --format text only");
        return Status::BadInput;
    }
    let painter = Painter { enabled: args.format == Format::Text && args.color.enabled() };
    let options = RunOptions { now_epoch_seconds: args.now.unwrap_or_else(now_epoch_seconds), eval: Options::default() };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, Stdout::new(&stdout));
    let mut status = Status::Ok;
    for (i, file) in args.files.iter().enumerate() {
        let name = display_name(file);
        let Some((scenario, warnings, text)) = load_keeping_text(file, args.commands) else {
            status = status.max(Status::BadInput);
            continue;
        };
        for w in &warnings {
            eprintln!("{}", render_diagnostic(&name, w));
        }
        let commands = text.as_deref().filter(|_| args.commands).map(commands::Doc::Text);
        let (met, written) = match args.format {
            // Straight into the buffered writer: result documents run to
            // megabytes (about 4 kB a step).
            Format::Json => result::write_result_json(&mut out, &scenario, options, args.trace),
            Format::Text => {
                let story = Story::new(&name, &scenario, painter, args.verbose);
                write_story(&mut out, &story, options, i + 1 == args.files.len(), commands)
            }
        };
        if !met {
            status = status.max(Status::ExpectationFailed);
        }
        // Each document is freed before the next one is read.
        drop(scenario);
        if let Err(s) = written {
            // A closed pipe stops quietly with the status so far.
            return status.max(s);
        }
    }
    match out.flush() {
        Err(e) => status.max(write_failed(&e)),
        Ok(()) => status,
    }
}

/// Standard output for large output: a handle of its own on the file
/// descriptor, so that 64 KB blocks go straight to `write` instead of
/// through the standard library's line buffering, which searches every
/// block for its last newline (4% of a 10,000-step run). Where the
/// descriptor cannot be duplicated, the usual locked handle.
enum Stdout<'a> {
    File(std::fs::File),
    Shared(&'a io::Stdout),
}

impl<'a> Stdout<'a> {
    fn new(stdout: &'a io::Stdout) -> Self {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
                return Stdout::File(std::fs::File::from(fd));
            }
        }
        Stdout::Shared(stdout)
    }
}

impl Write for Stdout<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stdout::File(f) => f.write(buf),
            Stdout::Shared(l) => l.lock().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stdout::File(f) => f.flush(),
            Stdout::Shared(l) => l.lock().flush(),
        }
    }
}

/// The checks that need AWS's catalogue (built into the binary); without
/// them, should it not read, with a warning.
fn vocabulary() -> Option<&'static dyn trustwalk_core::checks::Vocabulary> {
    match trustwalk_core::catalogue::embedded() {
        Ok(c) => Some(c),
        Err(e) => {
            eprintln!("trustwalk: the built-in AWS catalogue cannot be read ({e}): the checks that need it are skipped");
            None
        }
    }
}

/// `trustwalk lint`: exit status 0 with no error or security warning, 1
/// with one, 2 when an input cannot be read (the other files are still
/// checked).
fn lint(args: &LintArgs) -> Status {
    let painter = Painter { enabled: args.format == lint::LintFormat::Text && args.color.enabled() };
    let now = args.now.unwrap_or_else(now_epoch_seconds);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(Stdout::new(&stdout));
    let mut status = Status::Ok;
    let mut all = Vec::new();
    for file in &args.files {
        let name = display_name(file);
        let text = match read_input(file, MAX_DOCUMENT_BYTES) {
            Ok(bytes) => match trustwalk_core::json::utf8(&bytes) {
                Ok(t) => t.to_string(),
                Err(d) => {
                    eprintln!("{}", render_diagnostic(&name, &d));
                    status = Status::BadInput;
                    continue;
                }
            },
            Err(ReadError::Io(e)) => {
                eprintln!("{name}: cannot read: {e}");
                status = Status::BadInput;
                continue;
            }
            Err(ReadError::TooLarge) => {
                eprintln!("{name}: cannot read: the file is larger than {} MiB, the most trustwalk reads", MAX_DOCUMENT_BYTES / (1024 * 1024));
                status = Status::BadInput;
                continue;
            }
        };
        let findings = lint::lint_text(&text, args.policy_type, vocabulary(), now);
        if lint::blocking(&findings) {
            status = status.max(Status::ExpectationFailed);
        }
        let linted = lint::Linted { file: name.into_owned(), findings };
        let written = match args.format {
            lint::LintFormat::Text => emit(&mut out, &lint::render_text(&linted.file, &linted.findings, painter)),
            lint::LintFormat::Json => match lint::render_json(&linted) {
                Ok(line) => lint::write_line(&mut out, &line).map_err(|e| write_failed(&e)),
                Err(e) => Err(write_failed(&io::Error::from(e))),
            },
            lint::LintFormat::Sarif => {
                all.push(linted);
                Ok(())
            }
        };
        if let Err(s) = written {
            return status.max(s);
        }
    }
    if args.format == lint::LintFormat::Sarif {
        let written = match lint::render_sarif(&all, None) {
            Ok(log) => lint::write_line(&mut out, &log).map_err(|e| write_failed(&e)),
            Err(e) => Err(write_failed(&io::Error::from(e))),
        };
        if let Err(s) = written {
            return status.max(s);
        }
    }
    match out.flush() {
        Err(e) => status.max(write_failed(&e)),
        Ok(()) => status,
    }
}

fn validate(args: &ValidateArgs) -> Status {
    let mut status = Status::Ok;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let name = display_name(file);
        let Some((scenario, warnings)) = load(file) else {
            status = Status::BadInput;
            continue;
        };
        let steps = scenario.steps.len();
        let accounts = scenario.accounts.len();
        let mut text = format!(
            "{name}: ok ({accounts} {}, {steps} {})\n",
            if accounts == 1 { "account" } else { "accounts" },
            if steps == 1 { "step" } else { "steps" }
        );
        for w in &warnings {
            text.push_str(&render_diagnostic(&name, w));
            text.push('\n');
        }
        if let Err(s) = emit(&mut out, &text) {
            return status.max(s);
        }
    }
    status
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    /// A reader of `len` bytes that counts how many were taken from it.
    struct Counting {
        len: usize,
        taken: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl Read for Counting {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.len - self.taken.get());
            buf.iter_mut().take(n).for_each(|b| *b = b' ');
            self.taken.set(self.taken.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn reading_stops_one_byte_past_the_limit() {
        let taken = std::rc::Rc::new(std::cell::Cell::new(0));
        let r = read_limited(Counting { len: 10 << 20, taken: taken.clone() }, 1000);
        assert!(matches!(r, Err(ReadError::TooLarge)));
        assert_eq!(taken.get(), 1001, "read the limit and one byte more, not the whole 10 MiB");

        let taken = std::rc::Rc::new(std::cell::Cell::new(0));
        let r = read_limited(Counting { len: 1000, taken: taken.clone() }, 1000);
        assert_eq!(r.ok().map(|b| b.len()), Some(1000), "exactly the limit is fine");
    }
}
