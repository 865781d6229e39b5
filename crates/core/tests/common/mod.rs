//! Helpers shared by the integration tests that read the repository's
//! documents (`docs.rs`, `schema.rs`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The ```json blocks of a Markdown text, in order.
pub fn json_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```json") => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_start().starts_with("```") => blocks.extend(current.take()),
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
        }
    }
    blocks
}

/// The AWS managed policies a scenario document names, read from
/// `data/aws-managed-policies/` as a caller of the core supplies them.
pub fn managed_policies_for(text: &str) -> HashMap<String, String> {
    trustwalk_core::scenario::managed_policy_arns(text)
        .into_iter()
        .filter_map(|arn| {
            let file = trustwalk_core::scenario::aws_managed_policy_file(&arn)?;
            let text = std::fs::read_to_string(root().join("data/aws-managed-policies").join(file)).ok()?;
            Some((arn, text))
        })
        .collect()
}

/// Loads a scenario document with the AWS managed policies it names.
pub fn load(text: &str) -> Result<(trustwalk_core::scenario::Scenario, Vec<trustwalk_core::Diagnostic>), Vec<trustwalk_core::Diagnostic>> {
    let managed = managed_policies_for(text);
    trustwalk_core::scenario::load_with_options(text, &trustwalk_core::scenario::LoadOptions::with_managed_policies(&managed))
}
