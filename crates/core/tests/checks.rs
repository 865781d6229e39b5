//! The policy checks' corpus (tests/checks/*.json): each case is a policy
//! (its text as a list of lines, so that line numbers can be read off) or
//! a scenario document, and the exact findings linting it must give, by
//! code, JSON path and line. Also: every check is covered by a case and
//! documented in docs/checks.md, and the examples and test scenarios lint
//! without an error or security warning unless they are about one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::sync::OnceLock;

use serde::Deserialize;
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::{self, lint_document_with, lint_policy_with, Finding, FindingSeverity, LintOptions, ScenarioLintOptions, CHECKS};
use trustwalk_core::PolicyType;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    description: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Case {
    name: String,
    #[serde(default)]
    policy_type: Option<String>,
    /// The policy's text, one string a line.
    #[serde(default)]
    policy: Option<Vec<String>>,
    /// A scenario document, relative to the repository's root.
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    owner_account: Option<String>,
    #[serde(default)]
    bucket: bool,
    expect: Vec<Expected>,
}

#[derive(Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Expected {
    code: String,
    path: String,
    line: usize,
    #[serde(default)]
    severity: Option<String>,
}

fn cases() -> Vec<(String, Case)> {
    let dir = common::root().join("tests/checks");
    let mut files: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut out = Vec::new();
    for f in files {
        let file: File = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let stem = f.file_stem().unwrap().to_string_lossy().to_string();
        out.extend(file.cases.into_iter().map(|c| (stem.clone(), c)));
    }
    out
}

/// AWS's catalogue (crates/core/data/catalogue.json): every case and
/// every example is linted with it, as the CLI does.
fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::from_bytes(&fs::read(common::root().join("crates/core/data/catalogue.json")).unwrap()).unwrap())
}

fn lint_document(text: &str) -> Vec<Finding> {
    lint_document_with(text, &ScenarioLintOptions { vocabulary: Some(catalogue()), ..Default::default() })
}

fn run(case: &Case) -> Vec<Finding> {
    match (&case.policy, &case.scenario) {
        (Some(lines), None) => {
            let t = PolicyType::parse(case.policy_type.as_deref().expect("policyType")).expect("a policy type");
            let options = LintOptions {
                vocabulary: Some(catalogue()),
                owner_account: case.owner_account.as_deref(),
                bucket: case.bucket,
                ..Default::default()
            };
            lint_policy_with(&lines.join("\n"), t, &options)
        }
        (None, Some(path)) => lint_document(&fs::read_to_string(common::root().join(path)).unwrap()),
        _ => panic!("case `{}`: give `policy` or `scenario`", case.name),
    }
}

#[test]
fn every_case_gives_exactly_its_findings() {
    let mut failures = Vec::new();
    for (file, case) in cases() {
        let found = run(&case);
        let got: BTreeSet<(String, String, usize)> = found.iter().map(|f| (f.code.to_string(), f.path.as_str().to_string(), f.line)).collect();
        let want: BTreeSet<(String, String, usize)> = case.expect.iter().map(|e| (e.code.clone(), e.path.clone(), e.line)).collect();
        if got != want {
            let rendered: Vec<String> = found.iter().map(|f| format!("    {} {} line {}: {}", f.code, f.path, f.line, f.message)).collect();
            failures.push(format!(
                "{file} / {}:\n  missing: {:?}\n  unexpected: {:?}\n  all:\n{}",
                case.name,
                want.difference(&got).collect::<Vec<_>>(),
                got.difference(&want).collect::<Vec<_>>(),
                rendered.join("\n")
            ));
            continue;
        }
        for e in case.expect.iter().filter(|e| e.severity.is_some()) {
            let f = found.iter().find(|f| f.code.as_str() == e.code && f.path.as_str() == e.path).unwrap();
            if Some(f.severity.as_str()) != e.severity.as_deref() {
                failures.push(format!("{file} / {}: {} is {}, not {:?}", case.name, e.code, f.severity.as_str(), e.severity));
            }
        }
    }
    assert!(failures.is_empty(), "{} cases failed:\n{}", failures.len(), failures.join("\n"));
}

/// Codes that no case can reach: bytes that are not text, and inputs
/// larger than a test file should be (each has unit tests of its own in
/// `json`).
const NOT_IN_CORPUS: &[&str] = &["INVALID_UTF8", "BYTE_ORDER_MARK", "TOO_LARGE"];

#[test]
fn every_check_has_a_case() {
    let covered: BTreeSet<String> = cases().iter().flat_map(|(_, c)| c.expect.iter().map(|e| e.code.clone())).collect();
    let missing: Vec<&str> = CHECKS.iter().map(|c| c.as_str()).filter(|c| !covered.contains(*c) && !NOT_IN_CORPUS.contains(c)).collect();
    assert!(missing.is_empty(), "checks without a case in tests/checks: {missing:?}");
}

#[test]
fn every_check_is_documented() {
    let doc = fs::read_to_string(common::root().join("docs/checks.md")).unwrap();
    let missing: Vec<&str> = CHECKS.iter().map(|c| c.as_str()).filter(|c| !doc.contains(&format!("| `{c}` |"))).collect();
    assert!(missing.is_empty(), "checks without a row in docs/checks.md: {missing:?}");
    for c in CHECKS {
        let link = checks::doc_link(*c);
        if let Some(anchor) = link.strip_prefix("docs/checks.md#") {
            assert!(doc.contains(&format!("<a id=\"{anchor}\"></a>")), "docs/checks.md has no anchor `{anchor}` for {c}");
        }
    }
}

/// The examples and test scenarios that are about a blocking finding,
/// with the codes they are allowed.
const EXCEPTIONS: &[(&str, &[&str])] = &[
    // A public bucket, read anonymously.
    ("tests/scenarios/anonymous-public-bucket.json", &["RESOURCE_POLICY_ALLOWS_ANY_PRINCIPAL"]),
    // A Deny written with `Bool`, which long-term keys escape.
    ("tests/scenarios/mfa-age.json", &["MFA_DENY_WITHOUT_IF_EXISTS"]),
    // `iam:PassRole` on `*` with a condition that never applies to it.
    ("tests/scenarios/resource-tag-from-iam-role-and-user-tags.json", &["PASS_ROLE_WITH_STAR_IN_RESOURCE"]),
    // A trust policy open to `*`, which the root user and anonymous
    // callers still cannot use.
    ("tests/scenarios/root-and-anonymous-cannot-assume.json", &["TRUST_POLICY_ALLOWS_ANY_PRINCIPAL"]),
    // An administrator (`*` on `*`), whom the SCPs limit.
    ("tests/scenarios/scp-levels.json", &["ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES"]),
    // An administrator, calling into accounts the document does not list.
    ("tests/scenarios/unlisted-account-resources.json", &["ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES"]),
];

#[test]
fn examples_and_test_scenarios_lint_without_errors_or_security_warnings() {
    let root = common::root();
    let exceptions: BTreeMap<&str, &[&str]> = EXCEPTIONS.iter().copied().collect();
    let mut problems = Vec::new();
    let mut used = BTreeSet::new();
    for dir in ["examples", "tests/scenarios"] {
        let mut files: Vec<_> =
            fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for f in files {
            let name = format!("{dir}/{}", f.file_name().unwrap().to_string_lossy());
            let allowed = exceptions.get(name.as_str()).copied().unwrap_or(&[]);
            let text = fs::read_to_string(&f).unwrap();
            let managed = common::managed_policies_for(&text);
            let options = ScenarioLintOptions { vocabulary: Some(catalogue()), managed_policies: Some(&managed), ..ScenarioLintOptions::default() };
            for finding in lint_document_with(&text, &options) {
                if !finding.severity.is_blocking() {
                    continue;
                }
                if allowed.contains(&finding.code.as_str()) {
                    used.insert((name.clone(), finding.code.as_str()));
                } else {
                    problems.push(format!("{name}: {}", finding.render()));
                }
            }
        }
    }
    for (file, codes) in EXCEPTIONS {
        for code in *codes {
            assert!(used.contains(&(file.to_string(), *code)), "{file} is listed as an exception for {code}, which it no longer has");
        }
    }
    assert!(problems.is_empty(), "blocking findings:\n{}", problems.join("\n"));
}

#[test]
fn severities_serialize_as_access_analyzer_names_them() {
    let json: Vec<String> = FindingSeverity::ALL.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
    assert_eq!(json, ["\"error\"", "\"securityWarning\"", "\"warning\"", "\"suggestion\""]);
}

/// Every message and help of the corpus follows the style of `diag`:
/// lowercase start (names excepted), no final period, one line.
#[test]
fn findings_follow_the_message_style() {
    let mut bad = Vec::new();
    for (file, case) in cases() {
        for f in run(&case) {
            for text in [&f.message, &f.help] {
                let upper =
                    text.starts_with(|c: char| c.is_ascii_uppercase()) && !["IAM", "Allow", "Deny", "Trustwalk"].iter().any(|w| text.starts_with(w));
                if text.is_empty() || text.ends_with('.') || text.contains('\n') || upper {
                    bad.push(format!("{file} / {}: {}: {text:?}", case.name, f.code));
                }
            }
        }
    }
    assert!(bad.is_empty(), "findings against the message style:\n{}", bad.join("\n"));
}

/// How findings read, as the CLI and the app will show them.
#[test]
fn rendered_findings_of_a_scenario() {
    let text = fs::read_to_string(common::root().join("tests/checks/scenarios/steps.json")).unwrap();
    let findings = lint_document(&text);
    let rendered: Vec<String> = findings
        .iter()
        .map(|f| format!("{}\n  help: {}\n  policy: {}\n  doc: {}", f.render(), f.help, f.policy.as_deref().unwrap_or("-"), f.doc))
        .collect();
    insta::assert_snapshot!("steps_rendered", rendered.join("\n"));
    insta::assert_json_snapshot!("steps_first_finding_as_json", findings[0]);
}

/// A stand-in for the catalogue: it reports every action named `s3:GetObjects`.
struct Typos;

impl checks::Vocabulary for Typos {
    fn check_policy(&self, policy: &trustwalk_core::Policy, out: &mut Vec<Finding>) {
        for s in &policy.statements {
            for (i, a) in s.action.values.iter().enumerate().filter(|(_, a)| &*a.value == "s3:GetObjects") {
                let path = trustwalk_core::JsonPath::root().key("Statement").index(s.index).key("Action").index(i);
                out.push(Finding::new(trustwalk_core::diag::DiagCode::InvalidAction, "unknown action `s3:GetObjects`", path, Some(a.span)));
            }
        }
    }
}

#[test]
fn the_catalogue_plugs_in_through_vocabulary() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObjects\"], \"Resource\": \"*\"}]}";
    let options = LintOptions { vocabulary: Some(&Typos), ..Default::default() };
    let found = lint_policy_with(text, PolicyType::Identity, &options);
    let got: Vec<(String, String, usize)> = found.iter().map(|f| (f.code.to_string(), f.path.to_string(), f.line)).collect();
    assert_eq!(got, [("INVALID_ACTION".to_string(), "Statement[0].Action[0]".to_string(), 2)]);
    assert!(lint_policy_with(text, PolicyType::Identity, &LintOptions::default()).is_empty());

    // In a scenario, the catalogue's paths are placed within the document.
    let doc = fs::read_to_string(common::root().join("tests/checks/scenarios/steps.json")).unwrap().replace("s3:PutObject", "s3:GetObjects");
    let (scenario, _) = trustwalk_core::scenario::load(&doc).unwrap();
    let options = checks::ScenarioLintOptions { vocabulary: Some(&Typos), ..Default::default() };
    let typo = checks::lint_scenario_with(&scenario, &options).into_iter().find(|f| f.code.as_str() == "INVALID_ACTION").unwrap();
    assert_eq!(typo.path.as_str(), "accounts[0].users[0].policies[0].document.Statement[1].Action[0]");
    assert_eq!((typo.line, typo.policy.as_deref()), (19, Some("Alice/ReadWrite")));
}

#[test]
fn every_check_is_listed_in_the_readme() {
    let readme = fs::read_to_string(common::root().join("README.md")).unwrap();
    let missing: Vec<&str> = CHECKS.iter().map(|c| c.as_str()).filter(|c| !readme.contains(&format!("`{c}`"))).collect();
    assert!(missing.is_empty(), "checks missing from the README's list: {missing:?}");
}
