//! `trustwalk lint`: Access Analyzer-style checks of every policy of a
//! scenario (or of one bare policy), as text, JSON lines or SARIF 2.1.0.

use std::collections::BTreeMap;
use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;
use serde_sarif::sarif;
use trustwalk_core::checks::{self, Finding, FindingSeverity, LintOptions, ScenarioLintOptions, Vocabulary};
use trustwalk_core::PolicyType;

use trustwalk_core::text::escape_controls;

use crate::style::{Painter, DIM, RED, YELLOW};

/// How `lint` writes its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `file:line:col: severity[CODE]: message (at path)` and a `help:` line.
    Text,
    /// One `{"file", "findings": [...]}` object per input file per line.
    Json,
    /// One SARIF 2.1.0 log for all the files, for code-scanning tools.
    Sarif,
}

/// `--policy-type`: the kind of the bare policy documents given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyTypeArg {
    Identity,
    Resource,
    Trust,
    Boundary,
    Session,
    Scp,
    Rcp,
}

impl From<PolicyTypeArg> for PolicyType {
    fn from(t: PolicyTypeArg) -> Self {
        match t {
            PolicyTypeArg::Identity => PolicyType::Identity,
            PolicyTypeArg::Resource => PolicyType::Resource,
            PolicyTypeArg::Trust => PolicyType::Trust,
            PolicyTypeArg::Boundary => PolicyType::PermissionsBoundary,
            PolicyTypeArg::Session => PolicyType::SessionPolicy,
            PolicyTypeArg::Scp => PolicyType::Scp,
            PolicyTypeArg::Rcp => PolicyType::Rcp,
        }
    }
}

/// The findings of one input file (its name as given on the command line).
pub struct Linted {
    pub file: String,
    pub findings: Vec<Finding>,
}

/// Checks one input's text: a scenario document, or with `policy_type` a
/// bare policy.
pub fn lint_text(text: &str, policy_type: Option<PolicyTypeArg>, vocabulary: Option<&dyn Vocabulary>, now: i64) -> Vec<Finding> {
    match policy_type {
        Some(t) => checks::lint_policy_with(text, t.into(), &LintOptions { vocabulary, ..LintOptions::default() }),
        None => {
            let mut options = ScenarioLintOptions { vocabulary, managed_policies: Some(&crate::managed::Embedded), ..ScenarioLintOptions::default() };
            options.run.now_epoch_seconds = now;
            checks::lint_document_with(text, &options)
        }
    }
}

/// Whether a finding fails the run (exit status 1): an error or a
/// security warning.
pub fn blocking(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity.is_blocking())
}

/// `3 findings: 1 error, 1 security warning, 1 suggestion`, or `no findings`.
pub fn tally(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "no findings".into();
    }
    let parts: Vec<String> = FindingSeverity::ALL
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {}{}", s.label(), if n == 1 { "" } else { "s" }))
        })
        .collect();
    let n = findings.len();
    format!("{n} finding{}: {}", if n == 1 { "" } else { "s" }, parts.join(", "))
}

/// The text report of one file: each finding as
/// `file:line:col: severity[CODE]: message (at path)`, then its help and
/// its documentation, then the tally.
pub fn render_text(name: &str, findings: &[Finding], painter: Painter) -> String {
    let mut out = String::new();
    for f in findings {
        let place = if f.line > 0 { format!("{name}:{}:{}", f.line, f.column) } else { name.to_string() };
        let label = format!("{}[{}]", f.severity.label(), f.code);
        let label = match f.severity {
            FindingSeverity::Error | FindingSeverity::SecurityWarning => painter.paint(RED, &label),
            FindingSeverity::Warning => painter.paint(YELLOW, &label),
            FindingSeverity::Suggestion => painter.paint(DIM, &label),
        };
        out.push_str(&format!("{place}: {label}: {}", escape_controls(&f.message)));
        if !f.path.is_root() {
            out.push_str(&format!(" (at {})", escape_controls(&f.path.to_string())));
        }
        if let Some(p) = &f.policy {
            out.push_str(&format!(" in {}", escape_controls(p)));
        }
        out.push('\n');
        out.push_str(&format!("  help: {}\n", escape_controls(&f.help)));
        out.push_str(&format!("  see: {}\n", f.doc));
    }
    out.push_str(&format!("{name}: {}\n", tally(findings)));
    out
}

#[derive(Serialize)]
struct JsonLine<'a> {
    file: &'a str,
    findings: &'a [Finding],
}

/// One compact JSON object for a file, without the newline.
pub fn render_json(linted: &Linted) -> serde_json::Result<String> {
    serde_json::to_string(&JsonLine { file: &linted.file, findings: &linted.findings })
}

/// SARIF's level: errors are `error`; security warnings and warnings
/// `warning` (security warnings also carry the `security` tag and a
/// `security-severity`, which GitHub code scanning reads); suggestions
/// `note`.
fn level(s: FindingSeverity) -> sarif::ResultLevel {
    match s {
        FindingSeverity::Error => sarif::ResultLevel::Error,
        FindingSeverity::SecurityWarning | FindingSeverity::Warning => sarif::ResultLevel::Warning,
        FindingSeverity::Suggestion => sarif::ResultLevel::Note,
    }
}

fn text(s: &str) -> sarif::MultiformatMessageString {
    sarif::MultiformatMessageString::builder().text(s.to_string()).build()
}

fn rule(f: &Finding) -> sarif::ReportingDescriptor {
    let mut props = BTreeMap::new();
    let mut tags = vec!["iam".to_string()];
    if f.severity == FindingSeverity::SecurityWarning {
        tags.push("security".into());
        props.insert("security-severity".to_string(), serde_json::Value::String("7.0".into()));
    }
    let properties = sarif::PropertyBag::builder().tags(tags).additional_properties(props).build();
    sarif::ReportingDescriptor::builder()
        .id(f.code.as_str().to_string())
        .name(f.code.as_str().to_string())
        .short_description(text(f.code.meaning()))
        .help(text(f.code.default_help()))
        .help_uri(f.doc.clone())
        .default_configuration(sarif::ReportingConfiguration::builder().level(serde_json::to_value(level(f.severity)).unwrap_or_default()).build())
        .properties(properties)
        .build()
}

fn result(file: &str, f: &Finding, rule_index: usize) -> sarif::Result {
    let mut region = sarif::Region::builder().build();
    if f.line > 0 {
        region.start_line = i64::try_from(f.line).ok();
        region.start_column = i64::try_from(f.column).ok();
    }
    let physical =
        sarif::PhysicalLocation::builder().artifact_location(sarif::ArtifactLocation::builder().uri(uri(file)).build()).region(region).build();
    let mut message = f.message.clone();
    if !f.path.is_root() {
        message.push_str(&format!(" (at {})", f.path));
    }
    message.push_str(&format!(". Help: {}", f.help));
    let mut props = BTreeMap::new();
    props.insert("severity".to_string(), serde_json::Value::String(f.severity.as_str().into()));
    props.insert("path".to_string(), serde_json::Value::String(f.path.to_string()));
    if let Some(p) = &f.policy {
        props.insert("policy".to_string(), serde_json::Value::String(p.clone()));
    }
    sarif::Result::builder()
        .rule_id(f.code.as_str().to_string())
        .rule_index(i64::try_from(rule_index).unwrap_or(-1))
        .level(level(f.severity))
        .message(sarif::Message::builder().text(message).build())
        .locations(vec![sarif::Location::builder().physical_location(physical).build()])
        .properties(sarif::PropertyBag::builder().additional_properties(props).build())
        .build()
}

/// A file name as a relative URI reference: `/` separators, and the
/// characters a URI cannot hold percent-encoded.
fn uri(file: &str) -> String {
    let mut out = String::new();
    for b in file.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One SARIF 2.1.0 log with one run for every file's findings; each code
/// found is a rule.
pub fn render_sarif(all: &[Linted], catalogue_note: Option<String>) -> serde_json::Result<String> {
    let mut rules: Vec<sarif::ReportingDescriptor> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut results = Vec::new();
    for linted in all {
        for f in &linted.findings {
            let i = *index.entry(f.code.as_str()).or_insert_with(|| {
                rules.push(rule(f));
                rules.len() - 1
            });
            results.push(result(&linted.file, f, i));
        }
    }
    let mut driver =
        sarif::ToolComponent::builder().name("trustwalk".to_string()).version(env!("CARGO_PKG_VERSION").to_string()).rules(rules).build();
    if let Some(note) = catalogue_note {
        driver.full_description = Some(text(&note));
    }
    let run = sarif::Run::builder().tool(sarif::Tool::builder().driver(driver).build()).results(results).build();
    let log =
        sarif::Sarif::builder().version(serde_json::Value::String("2.1.0".into())).schema(sarif::SCHEMA_URL.to_string()).runs(vec![run]).build();
    serde_json::to_string_pretty(&log)
}

/// Writes `text` and a newline; `Err` with the write's error.
pub fn write_line(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
