//! Managed policies: where the loader gets AWS managed policy documents
//! (the caller supplies them; the core reads no files), and the list of AWS
//! managed policies a document names, so that a caller can fetch exactly
//! those before loading it (scenario-format.md, "Managed policies").

use std::collections::{BTreeMap, HashMap};

use crate::arn::PolicyArn;
use crate::json::{self, Json};

/// Supplies the text of AWS managed policies by ARN.
///
/// The text is either the policy document itself or a file of
/// `data/aws-managed-policies/` as it is (`{"arn", "name", "path",
/// "version", "document"}`): the loader takes its `document`. Spans in the
/// traces of an AWS managed policy count from the start of this text.
pub trait ManagedPolicySource {
    /// The text of the AWS managed policy `arn`
    /// (`arn:aws:iam::aws:policy/ReadOnlyAccess`), if known.
    fn get(&self, arn: &str) -> Option<&str>;

    /// Every ARN the source knows, for "did you mean" hints on an unknown
    /// one; empty when the source cannot list them (the default).
    fn arns(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// No AWS managed policies: every AWS managed ARN is unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoManagedPolicies;

impl ManagedPolicySource for NoManagedPolicies {
    fn get(&self, _arn: &str) -> Option<&str> {
        None
    }
}

impl<S: std::hash::BuildHasher> ManagedPolicySource for HashMap<String, String, S> {
    fn get(&self, arn: &str) -> Option<&str> {
        HashMap::get(self, arn).map(String::as_str)
    }

    fn arns(&self) -> Vec<&str> {
        let mut arns: Vec<&str> = self.keys().map(String::as_str).collect();
        arns.sort_unstable();
        arns
    }
}

impl ManagedPolicySource for BTreeMap<String, String> {
    fn get(&self, arn: &str) -> Option<&str> {
        BTreeMap::get(self, arn).map(String::as_str)
    }

    fn arns(&self) -> Vec<&str> {
        self.keys().map(String::as_str).collect()
    }
}

impl<T: ManagedPolicySource + ?Sized> ManagedPolicySource for &T {
    fn get(&self, arn: &str) -> Option<&str> {
        (**self).get(arn)
    }

    fn arns(&self) -> Vec<&str> {
        (**self).arns()
    }
}

/// The AWS managed policies a scenario document names, each once, in the
/// order they first appear: every `managedPolicies` entry and string
/// `permissionsBoundary` of its users, groups and roles that is an
/// `arn:aws:iam::aws:policy/…` ARN. Text that is not JSON names none; the
/// document need not be valid otherwise.
pub fn managed_policy_arns(text: &str) -> Vec<String> {
    json::parse(text).map(|j| managed_policy_arns_json(&j)).unwrap_or_default()
}

/// [`managed_policy_arns`] of an already parsed document.
pub fn managed_policy_arns_json(doc: &Json) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: &Json| {
        if let Some(s) = v.as_str() {
            if PolicyArn::parse(s).is_ok_and(|a| a.is_aws_managed()) && !out.iter().any(|o| o == s) {
                out.push(s.to_string());
            }
        }
    };
    let accounts = doc.get("accounts").and_then(Json::as_array).unwrap_or_default();
    for account in accounts {
        for kind in ["users", "groups", "roles"] {
            for entity in account.get(kind).and_then(Json::as_array).unwrap_or_default() {
                entity.get("managedPolicies").and_then(Json::as_array).unwrap_or_default().iter().for_each(&mut add);
                entity.get("permissionsBoundary").into_iter().for_each(&mut add);
            }
        }
    }
    out
}

/// The file of `data/aws-managed-policies/` that holds the AWS managed
/// policy `arn`: `ReadOnlyAccess.json` for
/// `arn:aws:iam::aws:policy/ReadOnlyAccess` (names are unique whatever the
/// path). `None` when `arn` is not an AWS managed policy ARN.
pub fn aws_managed_policy_file(arn: &str) -> Option<String> {
    let a = PolicyArn::parse(arn).ok().filter(PolicyArn::is_aws_managed)?;
    Some(format!("{}.json", a.name))
}

/// The candidate ARN whose policy name is closest to `arn`'s: the same
/// name under another path or in other case, else one or two edits away
/// (a quarter of the name's length at most).
pub(crate) fn closest<'c>(arn: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let wanted = PolicyArn::parse(arn).ok()?.name.to_ascii_lowercase();
    let limit = (wanted.chars().count() / 4).clamp(1, 2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == arn {
            continue;
        }
        let Ok(name) = PolicyArn::parse(c).map(|a| a.name.to_ascii_lowercase()) else { continue };
        let d = crate::text::edit_distance(&wanted, &name);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_managed_arns_of_a_document_once_each_in_order() {
        let doc = r#"{"accounts": [{"users": [{"managedPolicies": ["arn:aws:iam::aws:policy/B", "arn:aws:iam::111111111111:policy/Own"]}],
            "groups": [{"managedPolicies": ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]}],
            "roles": [{"permissionsBoundary": "arn:aws:iam::aws:policy/job-function/C"}, {"permissionsBoundary": {"name": "x"}}]}]}"#;
        assert_eq!(managed_policy_arns(doc), ["arn:aws:iam::aws:policy/B", "arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/job-function/C"]);
        assert!(managed_policy_arns("{not json").is_empty());
        assert!(managed_policy_arns(r#"{"accounts": 3}"#).is_empty());
    }

    #[test]
    fn file_names_and_near_names() {
        assert_eq!(aws_managed_policy_file("arn:aws:iam::aws:policy/service-role/AWSLambdaRole").as_deref(), Some("AWSLambdaRole.json"));
        assert_eq!(aws_managed_policy_file("arn:aws:iam::111111111111:policy/Own"), None);
        let known = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
            "arn:aws:iam::aws:policy/ViewOnlyAccess",
        ];
        assert_eq!(closest("arn:aws:iam::aws:policy/ReadOnlyAcess", known), Some("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert_eq!(closest("arn:aws:iam::aws:policy/AWSLambdaRole", known), Some("arn:aws:iam::aws:policy/service-role/AWSLambdaRole"));
        assert_eq!(closest("arn:aws:iam::aws:policy/readonlyaccess", known), Some("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert_eq!(closest("arn:aws:iam::aws:policy/WriteEverything", known), None);
    }
}
