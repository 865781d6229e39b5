//! What an edit changes: the access-map cells and the steps whose outcome
//! differs between two versions of a scenario (`trustwalk/diff@1`).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::review::access::{access_map, AccessOptions, Cell, Responsible};
use crate::scenario::model::{Outcome, Scenario};
use crate::scenario::run::{run, RunOptions};

/// The `format` of the diff document.
pub const DIFF_FORMAT: &str = "trustwalk/diff@1";

/// How to run both versions.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    pub run: RunOptions,
}

/// One access-map cell whose decision changed. A cell that one side's map
/// does not list is `implicitDeny` there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessChange {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub access_level: String,
    pub before: Outcome,
    pub after: Outcome,
    /// The role ARNs assumed in order; empty for a direct call.
    pub via: Vec<String>,
    /// The statements that decided the cell in OLD and in NEW (empty for
    /// an implicit deny).
    pub statements_before: Vec<Responsible>,
    pub statements_after: Vec<Responsible>,
}

impl AccessChange {
    /// NEW allows what OLD did not.
    pub fn grants(&self) -> bool {
        self.after == Outcome::Allowed && self.before != Outcome::Allowed
    }
}

/// A step (matched by `id`) whose outcome changed; `None` where a version
/// has no step of that id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepChange {
    pub id: String,
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
}

/// The diff document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioDiff {
    /// `trustwalk/diff@1`.
    pub format: String,
    pub access: Vec<AccessChange>,
    pub steps: Vec<StepChange>,
    /// Whether NEW lets a principal do an action on a resource (by any
    /// path) that OLD let it do by none: the CI gate (exit status 1).
    pub new_access: bool,
}

type Key<'c> = (&'c str, &'c [String], &'c str, &'c str);

fn key(c: &Cell) -> Key<'_> {
    (&c.principal, &c.via, &c.action, &c.resource)
}

/// Compares the access maps and the steps of `old` and `new`.
pub fn diff(old: &Scenario, new: &Scenario, catalogue: &Catalogue, options: &DiffOptions) -> ScenarioDiff {
    let map_options = AccessOptions { run: options.run, ..Default::default() };
    let before = access_map(old, catalogue, &map_options);
    let after = access_map(new, catalogue, &map_options);
    let old_cells: HashMap<Key<'_>, &Cell> = before.cells.iter().map(|c| (key(c), c)).collect();
    let new_cells: HashMap<Key<'_>, &Cell> = after.cells.iter().map(|c| (key(c), c)).collect();
    let mut access = Vec::new();
    let change = |o: Option<&&Cell>, n: Option<&&Cell>, c: &Cell| {
        let decision = |x: Option<&&Cell>| x.map_or(Outcome::ImplicitDeny, |c| c.decision);
        let statements = |x: Option<&&Cell>| x.map(|c| c.statements.clone()).unwrap_or_default();
        (decision(o) != decision(n)).then(|| AccessChange {
            principal: c.principal.clone(),
            action: c.action.clone(),
            resource: c.resource.clone(),
            access_level: c.access_level.clone(),
            before: decision(o),
            after: decision(n),
            via: c.via.clone(),
            statements_before: statements(o),
            statements_after: statements(n),
        })
    };
    for c in &after.cells {
        access.extend(change(old_cells.get(&key(c)), Some(&c), c));
    }
    for c in before.cells.iter().filter(|c| !new_cells.contains_key(&key(c))) {
        access.extend(change(Some(&c), None, c));
    }
    let allowed = |cells: &[Cell]| -> HashSet<(String, String, String)> {
        cells.iter().filter(|c| c.decision == Outcome::Allowed).map(|c| (c.principal.clone(), c.action.clone(), c.resource.clone())).collect()
    };
    let (was, is) = (allowed(&before.cells), allowed(&after.cells));
    let new_access = is.iter().any(|t| !was.contains(t));

    let old_steps = run(old, options.run);
    let new_steps = run(new, options.run);
    let old_by_id: HashMap<&str, Outcome> = old_steps.steps.iter().map(|s| (s.id.as_str(), s.decision)).collect();
    let new_ids: HashSet<&str> = new_steps.steps.iter().map(|s| s.id.as_str()).collect();
    let mut steps = Vec::new();
    for s in &new_steps.steps {
        let before = old_by_id.get(s.id.as_str()).copied();
        if before != Some(s.decision) {
            steps.push(StepChange { id: s.id.clone(), before, after: Some(s.decision) });
        }
    }
    for s in old_steps.steps.iter().filter(|s| !new_ids.contains(s.id.as_str())) {
        steps.push(StepChange { id: s.id.clone(), before: Some(s.decision), after: None });
    }
    ScenarioDiff { format: DIFF_FORMAT.to_string(), access, steps, new_access }
}
