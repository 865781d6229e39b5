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

/// The same decision for a principal, an action and a resource, reached by
/// other role paths: a path given or taken away while another path still
/// (or already) gives that decision. Not a change of access: `access`
/// leaves such cells out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathChange {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub access_level: String,
    /// The decision, the same in OLD and NEW.
    pub decision: Outcome,
    /// Every path (the role ARNs assumed in order; empty for a direct call)
    /// that gives it in OLD, and in NEW, in map order.
    pub via_before: Vec<Vec<String>>,
    pub via_after: Vec<Vec<String>>,
}

/// The diff document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioDiff {
    /// `trustwalk/diff@1`.
    pub format: String,
    pub access: Vec<AccessChange>,
    /// Cells that only changed path (left out of the document when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathChange>,
    pub steps: Vec<StepChange>,
    /// Whether NEW lets a principal do an action on a resource (by any
    /// path) that OLD let it do by none: the CI gate (exit status 1).
    pub new_access: bool,
}

type Key<'c> = (&'c str, &'c [String], &'c str, &'c str);
/// A principal, an action and a resource.
type Triple<'c> = (&'c str, &'c str, &'c str);

fn key(c: &Cell) -> Key<'_> {
    (&c.principal, &c.via, &c.action, &c.resource)
}

fn triple(c: &Cell) -> Triple<'_> {
    (&c.principal, &c.action, &c.resource)
}

fn access_change(o: Option<&Cell>, n: Option<&Cell>, c: &Cell) -> Option<AccessChange> {
    let decision = |x: Option<&Cell>| x.map_or(Outcome::ImplicitDeny, |c| c.decision);
    let statements = |x: Option<&Cell>| x.map(|c| c.statements.clone()).unwrap_or_default();
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
}

type Paths<'c> = HashMap<(Triple<'c>, Outcome), Vec<&'c [String]>>;

/// For the given triples, the paths of each decision.
fn paths_of<'c>(cells: &'c [Cell], triples: &HashSet<Triple<'c>>) -> Paths<'c> {
    let mut out: Paths<'c> = HashMap::new();
    for c in cells.iter().filter(|c| triples.contains(&triple(c))) {
        out.entry((triple(c), c.decision)).or_default().push(&c.via);
    }
    out
}

/// The changes found so far.
struct Changes<'c> {
    was: Paths<'c>,
    is: Paths<'c>,
    access: Vec<AccessChange>,
    paths: Vec<PathChange>,
    reported: HashSet<(Triple<'c>, Outcome)>,
}

impl<'c> Changes<'c> {
    /// A cell listed on one side only (`o` or `n`): a path change when the
    /// other side gives its decision by another path.
    fn one_sided(&mut self, o: Option<&'c Cell>, n: Option<&'c Cell>, c: &'c Cell) {
        let Some(change) = access_change(o, n, c) else { return };
        let group = (triple(c), c.decision);
        let other = if o.is_some() { &self.is } else { &self.was };
        if !other.contains_key(&group) {
            self.access.push(change);
            return;
        }
        if !self.reported.insert(group) {
            return;
        }
        let list = |side: &Paths<'_>| side.get(&group).map(|v| v.iter().map(|p| p.to_vec()).collect()).unwrap_or_default();
        self.paths.push(PathChange {
            principal: c.principal.clone(),
            action: c.action.clone(),
            resource: c.resource.clone(),
            access_level: c.access_level.clone(),
            decision: c.decision,
            via_before: list(&self.was),
            via_after: list(&self.is),
        });
    }
}

/// The changed cells of two maps' cells: `access`, and `paths` for cells
/// listed on one side only whose decision the other side gives for the
/// same principal, action and resource by another path.
fn compare(before: &[Cell], after: &[Cell]) -> (Vec<AccessChange>, Vec<PathChange>) {
    let old_cells: HashMap<Key<'_>, &Cell> = before.iter().map(|c| (key(c), c)).collect();
    let new_cells: HashMap<Key<'_>, &Cell> = after.iter().map(|c| (key(c), c)).collect();
    let added = after.iter().filter(|c| !old_cells.contains_key(&key(c)));
    let removed = before.iter().filter(|c| !new_cells.contains_key(&key(c)));
    let one_sided: HashSet<Triple<'_>> = added.chain(removed.clone()).map(triple).collect();
    let mut changes = Changes {
        was: paths_of(before, &one_sided),
        is: paths_of(after, &one_sided),
        access: Vec::new(),
        paths: Vec::new(),
        reported: HashSet::new(),
    };
    for c in after {
        match old_cells.get(&key(c)) {
            Some(o) => changes.access.extend(access_change(Some(o), Some(c), c)),
            None => changes.one_sided(None, Some(c), c),
        }
    }
    for c in removed {
        changes.one_sided(Some(c), None, c);
    }
    (changes.access, changes.paths)
}

/// Compares the access maps and the steps of `old` and `new`.
pub fn diff(old: &Scenario, new: &Scenario, catalogue: &Catalogue, options: &DiffOptions) -> ScenarioDiff {
    let map_options = AccessOptions { run: options.run, ..Default::default() };
    let before = access_map(old, catalogue, &map_options).to_cells();
    let after = access_map(new, catalogue, &map_options).to_cells();
    let (access, paths) = compare(&before, &after);
    let allowed = |cells: &[Cell]| -> HashSet<(String, String, String)> {
        cells.iter().filter(|c| c.decision == Outcome::Allowed).map(|c| (c.principal.clone(), c.action.clone(), c.resource.clone())).collect()
    };
    let (was, is) = (allowed(&before), allowed(&after));
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
    ScenarioDiff { format: DIFF_FORMAT.to_string(), access, paths, steps, new_access }
}
