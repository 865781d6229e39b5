//! What an edit changes: the access-map cells and the steps whose outcome
//! differs between two versions of a scenario (`trustwalk/diff@1`).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::review::access::{access_map_with_progress, AccessMap, AccessOptions, Cell, Responsible, Run};
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

/// A principal, an action and a resource.
type Triple<'c> = (&'c str, &'c str, &'c str);

/// A listed cell: its principal and path, and the cell of its row.
#[derive(Debug, Clone, Copy)]
struct CellView<'c> {
    principal: &'c str,
    via: &'c [String],
    cell: &'c Cell,
}

fn triple<'c>(c: &CellView<'c>) -> Triple<'c> {
    (c.principal, &c.cell.action, &c.cell.resource)
}

fn access_change(o: Option<CellView<'_>>, n: Option<CellView<'_>>, c: CellView<'_>) -> Option<AccessChange> {
    let decision = |x: Option<CellView<'_>>| x.map_or(Outcome::ImplicitDeny, |c| c.cell.decision);
    let statements = |x: Option<CellView<'_>>| x.map(|c| c.cell.statements.clone()).unwrap_or_default();
    (decision(o) != decision(n)).then(|| AccessChange {
        principal: c.principal.to_string(),
        action: c.cell.action.clone(),
        resource: c.cell.resource.clone(),
        access_level: c.cell.access_level.clone(),
        before: decision(o),
        after: decision(n),
        via: c.via.to_vec(),
        statements_before: statements(o),
        statements_after: statements(n),
    })
}

/// One side's runs, and the run of each principal and path.
struct Side<'c> {
    runs: Vec<Run<'c>>,
    by_path: HashMap<(&'c str, &'c [String]), usize>,
}

impl<'c> Side<'c> {
    fn of(map: &'c AccessMap) -> Self {
        let runs: Vec<Run<'c>> = map.runs().collect();
        let by_path = runs.iter().enumerate().map(|(i, r)| ((r.principal, r.via), i)).collect();
        Side { runs, by_path }
    }

    fn counterpart(&self, r: &Run<'_>) -> Option<&Run<'c>> {
        self.by_path.get(&(r.principal, r.via)).and_then(|&i| self.runs.get(i))
    }

    /// The cells of the runs of these principals.
    fn cells_of<'s>(&'s self, principals: &'s HashSet<&str>) -> impl Iterator<Item = CellView<'c>> + 's {
        self.runs
            .iter()
            .filter(|r| principals.contains(r.principal))
            .flat_map(|r| r.cells.iter().map(move |cell| CellView { principal: r.principal, via: r.via, cell }))
    }
}

/// How the cells of two rows pair up by action and resource: for each
/// cell of the new row, its old cell; the old cells without a new one.
struct RowPairing {
    old_of_new: Vec<Option<usize>>,
    unpaired_old: Vec<usize>,
}

fn pair_rows(old: &[Cell], new: &[Cell]) -> RowPairing {
    let index: HashMap<(&str, &str), usize> = old.iter().enumerate().map(|(i, c)| ((c.action.as_str(), c.resource.as_str()), i)).collect();
    let old_of_new: Vec<Option<usize>> = new.iter().map(|c| index.get(&(c.action.as_str(), c.resource.as_str())).copied()).collect();
    let mut paired = vec![false; old.len()];
    for i in old_of_new.iter().flatten() {
        if let Some(p) = paired.get_mut(*i) {
            *p = true;
        }
    }
    RowPairing { old_of_new, unpaired_old: paired.iter().enumerate().filter(|(_, p)| !**p).map(|(i, _)| i).collect() }
}

/// A cell whose decision differs (`Both`) or that one side lists only.
#[derive(Clone, Copy)]
enum Event<'c> {
    Both(CellView<'c>, CellView<'c>),
    Added(CellView<'c>),
    Removed(CellView<'c>),
}

/// The cells whose decision differs, in the order of NEW's cells then
/// OLD's: rows are paired once for every pair of runs of one principal
/// and path (runs of the same rows pair the same way).
fn events<'c>(before: &Side<'c>, after: &Side<'c>) -> Vec<Event<'c>> {
    let mut pairings: HashMap<(usize, usize), RowPairing> = HashMap::new();
    let mut out = Vec::new();
    let view = |r: &Run<'c>, i: usize| r.cells.get(i).map(|cell| CellView { principal: r.principal, via: r.via, cell });
    for n in &after.runs {
        let Some(o) = before.counterpart(n) else {
            out.extend((0..n.cells.len()).filter_map(|i| view(n, i)).map(Event::Added));
            continue;
        };
        let pairing = pairings.entry((o.row, n.row)).or_insert_with(|| pair_rows(o.cells, n.cells));
        for (i, old) in pairing.old_of_new.iter().enumerate() {
            let Some(nc) = view(n, i) else { continue };
            match old.and_then(|j| view(o, j)) {
                Some(oc) if oc.cell.decision != nc.cell.decision => out.push(Event::Both(oc, nc)),
                Some(_) => {}
                None => out.push(Event::Added(nc)),
            }
        }
    }
    for o in &before.runs {
        let Some(n) = after.counterpart(o) else {
            out.extend((0..o.cells.len()).filter_map(|i| view(o, i)).map(Event::Removed));
            continue;
        };
        let pairing = pairings.entry((o.row, n.row)).or_insert_with(|| pair_rows(o.cells, n.cells));
        out.extend(pairing.unpaired_old.iter().filter_map(|&j| view(o, j)).map(Event::Removed));
    }
    out
}

type Paths<'c> = HashMap<(Triple<'c>, Outcome), Vec<&'c [String]>>;

/// For the given triples, the paths of each decision.
fn paths_of<'c>(side: &Side<'c>, triples: &HashSet<Triple<'c>>) -> Paths<'c> {
    let principals: HashSet<&str> = triples.iter().map(|t| t.0).collect();
    let mut out: Paths<'c> = HashMap::new();
    for c in side.cells_of(&principals).filter(|c| triples.contains(&triple(c))) {
        out.entry((triple(&c), c.cell.decision)).or_default().push(c.via);
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
    fn one_sided(&mut self, o: Option<CellView<'c>>, n: Option<CellView<'c>>, c: CellView<'c>) {
        let Some(change) = access_change(o, n, c) else { return };
        let group = (triple(&c), c.cell.decision);
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
            principal: c.principal.to_string(),
            action: c.cell.action.clone(),
            resource: c.cell.resource.clone(),
            access_level: c.cell.access_level.clone(),
            decision: c.cell.decision,
            via_before: list(&self.was),
            via_after: list(&self.is),
        });
    }
}

/// The changed cells of two maps: `access`, and `paths` for cells listed
/// on one side only whose decision the other side gives for the same
/// principal, action and resource by another path; and whether NEW allows
/// a principal an action on a resource that OLD allowed by no path.
fn compare(before: &Side<'_>, after: &Side<'_>) -> (Vec<AccessChange>, Vec<PathChange>, bool) {
    let events = events(before, after);
    let one_sided: HashSet<Triple<'_>> = events
        .iter()
        .filter_map(|e| match e {
            Event::Added(c) | Event::Removed(c) => Some(triple(c)),
            Event::Both(..) => None,
        })
        .collect();
    // NEW allows a triple it did not by this path: did OLD by another?
    let granted: HashSet<Triple<'_>> = events
        .iter()
        .filter_map(|e| match e {
            Event::Added(n) | Event::Both(_, n) if n.cell.decision == Outcome::Allowed => Some(triple(n)),
            _ => None,
        })
        .collect();
    let principals: HashSet<&str> = granted.iter().map(|t| t.0).collect();
    let was_allowed: HashSet<Triple<'_>> =
        before.cells_of(&principals).filter(|c| c.cell.decision == Outcome::Allowed).map(|c| triple(&c)).filter(|t| granted.contains(t)).collect();
    let new_access = granted.iter().any(|t| !was_allowed.contains(t));
    let mut changes = Changes {
        was: paths_of(before, &one_sided),
        is: paths_of(after, &one_sided),
        access: Vec::new(),
        paths: Vec::new(),
        reported: HashSet::new(),
    };
    for e in events {
        match e {
            Event::Both(o, n) => changes.access.extend(access_change(Some(o), Some(n), n)),
            Event::Added(n) => changes.one_sided(None, Some(n), n),
            Event::Removed(o) => changes.one_sided(Some(o), None, o),
        }
    }
    (changes.access, changes.paths, new_access)
}

/// Compares the access maps and the steps of `old` and `new`.
pub fn diff(old: &Scenario, new: &Scenario, catalogue: &Catalogue, options: &DiffOptions) -> ScenarioDiff {
    diff_with_progress(old, new, catalogue, options, &mut |_, _| {})
}

/// [`diff`], calling `progress(done, total)` after each principal of
/// either map (`total` counts both maps' principals).
pub fn diff_with_progress(
    old: &Scenario,
    new: &Scenario,
    catalogue: &Catalogue,
    options: &DiffOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> ScenarioDiff {
    let map_options = AccessOptions { run: options.run, ..Default::default() };
    let principals = |s: &Scenario| s.accounts.iter().map(|a| a.users.len() + a.roles.len()).sum::<usize>();
    let (first, total) = (principals(old), principals(old) + principals(new));
    let before_map = access_map_with_progress(old, catalogue, &map_options, &mut |done, _| progress(done, total));
    let after_map = access_map_with_progress(new, catalogue, &map_options, &mut |done, _| progress(first + done, total));
    // The cells as their rows hold them: a cell's conditions (the only
    // field a path changes besides its principal and via) play no part.
    let (access, paths, new_access) = compare(&Side::of(&before_map), &Side::of(&after_map));

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
