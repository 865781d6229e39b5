//! What an Allow statement grants, in AWS's access levels: "`s3:Get*` —
//! 63 actions: Read 61, List 2", for the explanation of a statement.

use std::collections::BTreeSet;

use crate::catalogue::{AccessLevel, Catalogue};
use crate::policy::{Effect, Statement};

/// How many actions of each access level, most privileged last, as AWS
/// lists them: List, Read, Write, Permissions management, Tagging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelCounts(pub Vec<(AccessLevel, usize)>);

impl LevelCounts {
    fn of<'a>(levels: impl Iterator<Item = AccessLevel> + 'a) -> Self {
        let mut counts: Vec<(AccessLevel, usize)> = Vec::new();
        for l in levels {
            match counts.iter_mut().find(|(k, _)| *k == l) {
                Some((_, n)) => *n += 1,
                None => counts.push((l, 1)),
            }
        }
        counts.sort_by_key(|(l, _)| *l);
        LevelCounts(counts)
    }

    pub fn total(&self) -> usize {
        self.0.iter().map(|(_, n)| n).sum()
    }
}

/// `53 actions: Read 51, List 2` (`1 action: Read 1`, `no action`).
impl std::fmt::Display for LevelCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.total() {
            0 => return f.write_str("no action"),
            1 => f.write_str("1 action")?,
            n => write!(f, "{n} actions")?,
        }
        let mut sep = ": ";
        // Most numerous first, as a reader scans for the bulk.
        let mut by_count = self.0.clone();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (level, n) in by_count {
            write!(f, "{sep}{level} {n}")?;
            sep = ", ";
        }
        Ok(())
    }
}

/// The actions one `Action` (or `NotAction`) entry covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternGrant {
    /// As written: `s3:Get*`.
    pub pattern: String,
    /// Every action it matches (`s3:GetObject`, …), sorted.
    pub actions: Vec<String>,
    pub levels: LevelCounts,
}

/// What an Allow statement grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementGrants {
    /// One per entry of `Action` (for `NotAction`, the entries excluded).
    pub patterns: Vec<PatternGrant>,
    /// Every action granted, counted once, by access level (for `NotAction`,
    /// every action of the catalogue but the excluded ones).
    pub levels: LevelCounts,
    /// The statement uses `NotAction`.
    pub not_action: bool,
}

/// What an Allow statement grants by AWS's catalogue; `None` for a Deny.
/// Actions the catalogue does not know count for nothing (the checks report
/// them).
pub fn statement_grants(catalogue: &Catalogue, statement: &Statement) -> Option<StatementGrants> {
    if statement.effect != Effect::Allow {
        return None;
    }
    let mut all: BTreeSet<String> = BTreeSet::new();
    let mut levels_of_all: Vec<AccessLevel> = Vec::new();
    let mut patterns = Vec::new();
    for v in &statement.action.values {
        let matched = catalogue.matching_actions(&v.value);
        let mut actions: Vec<String> = Vec::with_capacity(matched.len());
        let mut levels = Vec::with_capacity(matched.len());
        for a in &matched {
            let name = a.full_name();
            if all.insert(name.clone()) {
                levels_of_all.push(a.access_level());
            }
            levels.push(a.access_level());
            actions.push(name);
        }
        actions.sort();
        patterns.push(PatternGrant { pattern: v.value.to_string(), actions, levels: LevelCounts::of(levels.into_iter()) });
    }
    let levels = if statement.action.negated {
        // Every action but the excluded ones.
        let rest = catalogue.services().flat_map(|s| s.actions()).filter(|a| !all.contains(&a.full_name())).map(|a| a.access_level());
        LevelCounts::of(rest)
    } else {
        LevelCounts::of(levels_of_all.into_iter())
    };
    Some(StatementGrants { patterns, levels, not_action: statement.action.negated })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::policy::{parse_policy, PolicyType};

    fn catalogue() -> Catalogue {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/data/catalogue.json")).unwrap();
        Catalogue::from_bytes(&bytes).unwrap()
    }

    fn statement(text: &str) -> Statement {
        parse_policy(text, PolicyType::Identity).unwrap().policy.statements.into_iter().next().unwrap()
    }

    #[test]
    fn a_wildcard_says_how_many_actions_of_each_level_it_grants() {
        let c = catalogue();
        let s = statement(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": "*"}}"#);
        let g = statement_grants(&c, &s).unwrap();
        let get = &g.patterns[0];
        assert_eq!(get.pattern, "s3:Get*");
        assert_eq!(get.actions.len(), c.matching_actions("s3:Get*").len());
        assert!(get.actions.contains(&"s3:GetObject".to_string()));
        assert!(get.actions.iter().all(|a| a.starts_with("s3:Get")));
        assert_eq!(get.levels.total(), get.actions.len());
        let text = get.levels.to_string();
        assert!(text.starts_with(&format!("{} actions: Read ", get.actions.len())), "{text}");
        assert_eq!(g.patterns[1].levels.to_string(), "1 action: List 1");
        // Counted once: s3:ListBucket is not an s3:Get* action.
        assert_eq!(g.levels.total(), get.actions.len() + 1);
        assert!(!g.not_action);
    }

    #[test]
    fn not_action_grants_everything_else_and_deny_grants_nothing() {
        let c = catalogue();
        let all: usize = c.services().map(|s| s.actions().len()).sum();
        let s = statement(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#);
        let g = statement_grants(&c, &s).unwrap();
        assert!(g.not_action);
        let iam = c.matching_actions("iam:*").len();
        assert!(iam > 100);
        assert_eq!(g.levels.total(), all - iam);
        let deny = statement(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}}"#);
        assert_eq!(statement_grants(&c, &deny), None);
    }

    #[test]
    fn unknown_actions_grant_nothing() {
        let c = catalogue();
        let s = statement(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}}"#);
        assert_eq!(statement_grants(&c, &s).unwrap().levels.to_string(), "no action");
    }
}
