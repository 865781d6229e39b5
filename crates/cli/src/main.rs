//! `trustwalk`: simulate and validate Trustwalk scenario documents.
//!
//! Exit codes: 0 when every expectation is met (or none is given), 1 when
//! one is not, 2 when an input cannot be read or is invalid.

mod report;
mod story;
mod style;

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use trustwalk_core::scenario::{self, RunOptions, Scenario, ScenarioResult};
use trustwalk_core::{Diagnostic, Options};

use crate::report::render_diagnostic;
use crate::story::Story;
use crate::style::{ColorChoice, Painter};

#[derive(Parser, Debug)]
#[command(name = "trustwalk", version, about = "Offline AWS IAM policy simulator: step through Trustwalk scenario documents")]
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
    };
    ExitCode::from(status as u8)
}

/// `--now`: whole epoch seconds within the range every time must lie in
/// (clap reports an error as a usage error: exit code 2).
fn parse_now(text: &str) -> Result<i64, String> {
    let secs = text.parse::<i64>().map_err(|_| {
        format!("expected whole seconds since 1970 from 0 to {}", trustwalk_core::time::MAX_EPOCH)
    })?;
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

fn read_input(file: &str) -> io::Result<Vec<u8>> {
    if file == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(file)
    }
}

/// The largest scenario document the CLI reads (the playground's limit is
/// smaller): generated CI scenarios with thousands of steps fit.
const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// Reads and loads one document; reports problems on standard error.
fn load(file: &str) -> Option<(Scenario, Vec<Diagnostic>)> {
    let name = display_name(file);
    let bytes = match read_input(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{name}: cannot read: {e}");
            return None;
        }
    };
    // Not UTF-8: the byte offset (and line and column) of the first bad byte.
    let loaded = trustwalk_core::json::utf8(&bytes)
        .map_err(|d| vec![d])
        .and_then(|text| scenario::load_with_limit(text, MAX_DOCUMENT_BYTES));
    match loaded {
        Ok(loaded) => Some(loaded),
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
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
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

/// Writes the result document and a newline. Steps are serialized on two
/// threads (the machines this runs on in CI have at least two cores), each
/// into its own buffer, then written in order: result documents run to
/// megabytes (about 5 kB a step), and serializing is most of the work.
fn write_result_json(out: &mut impl Write, result: &ScenarioResult) -> io::Result<()> {
    let serialize = |steps: &[trustwalk_core::scenario::StepResult]| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(steps.len() * 5 * 1024);
        for (i, step) in steps.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            serde_json::to_writer(&mut buf, step).map_err(io::Error::from)?;
        }
        Ok(buf)
    };
    let (first, second) = result.steps.split_at(result.steps.len() / 2);
    let (a, b) = if first.len() >= 256 {
        std::thread::scope(|scope| {
            let other = scope.spawn(|| serialize(second));
            let a = serialize(first);
            let b = other.join().unwrap_or_else(|_| Err(io::Error::other("a serializing thread failed")));
            (a, b)
        })
    } else {
        (serialize(first), serialize(second))
    };
    let (a, b) = (a?, b?);
    out.write_all(b"{\"format\":")?;
    serde_json::to_writer(&mut *out, result.format).map_err(io::Error::from)?;
    out.write_all(b",\"steps\":[")?;
    out.write_all(&a)?;
    if !a.is_empty() && !b.is_empty() {
        out.write_all(b",")?;
    }
    out.write_all(&b)?;
    out.write_all(b"]}\n")
}

fn simulate(args: &SimulateArgs) -> Status {
    let painter = Painter { enabled: args.format == Format::Text && args.color.enabled() };
    let options = RunOptions { now_epoch_seconds: args.now.unwrap_or_else(now_epoch_seconds), eval: Options::default() };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut status = Status::Ok;
    for (i, file) in args.files.iter().enumerate() {
        let name = display_name(file);
        let Some((scenario, warnings)) = load(file) else {
            status = status.max(Status::BadInput);
            continue;
        };
        for w in &warnings {
            eprintln!("{}", render_diagnostic(&name, w));
        }
        let result = scenario::run(&scenario, options);
        if !result.expectations_met() {
            status = status.max(Status::ExpectationFailed);
        }
        let written = match args.format {
            // Straight into the buffered writer: result documents run to
            // megabytes (about 5 kB a step).
            Format::Json => write_result_json(&mut out, &result).map_err(|e| write_failed(&e)),
            Format::Text => {
                let story = Story { file: &name, scenario: &scenario, result: &result, painter, verbose: args.verbose };
                let mut text = story.render();
                if i + 1 < args.files.len() {
                    text.push('\n');
                }
                emit(&mut out, &text)
            }
        };
        // The process is about to exit: freeing every step's trace one by
        // one would only cost time (a large scenario's traces run to
        // hundreds of megabytes); the operating system takes it all back.
        std::mem::forget(result);
        std::mem::forget(scenario);
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
