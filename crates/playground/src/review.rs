//! The app's access map and "Compare with…" without the drawing.
//!
//! The map and the diff are computed by the core's `review` module in the
//! app's Web Worker (which holds AWS's catalogue): [`access`] and [`diff`]
//! turn them into what crosses to the page, compactly ([`ShownAccess`]
//! names every ARN, action and statement once). The page filters and
//! groups with [`groups`], and opens a cell's explanation with
//! [`explain_cell`], which runs on the page like a step.
//!
//! A role's cells are sent once, on the role's own row: a principal that
//! can become the role (through the AssumeRole chains the policies allow)
//! lists the path in [`ShownPrincipal::reaches`], and [`groups`] shows the
//! role's cells again under that principal, with the path, only when the
//! user looks for a resource. (The core's map lists those chain cells
//! with the same decisions: a session's rights do not depend on who
//! assumed the role, as the tests check.)

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::json as tjson;
use trustwalk_core::review::access::{self, AccessOptions, Cell, Responsible};
use trustwalk_core::review::diff::{self, DiffOptions};
use trustwalk_core::scenario::{self, LoadOptions, ManagedPolicySource, Outcome, RunOptions, Scenario, StepResult};

use crate::workspace::Workspace;

/// At most this many changed cells cross to the page (the rest are counted).
pub const MAX_CHANGES: usize = 2_000;

/// One cell of a row: an action of the resource's service, its decision,
/// the condition keys it depends on and the statements that decided it
/// (indexes into [`ShownAccess::names`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownCell {
    pub action: u32,
    pub level: u32,
    pub decision: Outcome,
    pub conditions: Vec<u32>,
    pub statements: Vec<u32>,
}

/// The cells of one principal on one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownRow {
    pub resource: u32,
    pub cells: Vec<ShownCell>,
}

/// A user, or a role (what a session of it can do).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownPrincipal {
    pub arn: u32,
    pub role: bool,
    /// Its own calls (no AssumeRole before them).
    pub rows: Vec<ShownRow>,
    /// The roles it can become: each path of role ARNs assumed in order,
    /// the last one the role reached.
    pub reaches: Vec<ShownReach>,
}

/// A role a principal can become, through `path` (role ARNs in order, the
/// last the role), and the condition keys its AssumeRoles depend on that
/// the scenario does not give (they apply to every cell reached this way).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownReach {
    pub path: Vec<u32>,
    pub conditions: Vec<u32>,
}

/// The access map as the page receives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShownAccess {
    /// Every ARN, action, access level, condition key and statement, once.
    pub names: Vec<String>,
    pub principals: Vec<ShownPrincipal>,
    /// The core's figures: resources mapped, requests evaluated, cells
    /// listed (chain cells included, as `trustwalk access` counts them).
    pub resources: usize,
    pub evaluations: usize,
    pub cells: usize,
}

impl ShownAccess {
    pub fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", String::as_str)
    }
}

/// Interns strings into a list of names.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(i) = self.index.get(s) {
            return *i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }
}

/// `RoleB/ReadReports statement 1 (Sid ReadReports)`, as `trustwalk diff`
/// names a statement.
pub fn responsible_text(r: &Responsible) -> String {
    let mut out = format!("{} statement {}", r.policy, r.statement + 1);
    if let Some(sid) = &r.sid {
        out.push_str(&format!(" (Sid {sid})"));
    }
    if let Some(level) = &r.level {
        out.push_str(&format!(" at {level}"));
    }
    out
}

/// Loads the compact text the page sends (with the AWS managed policies
/// the worker was given); `Err` with the first error's sentence.
pub fn load(doc: &str, managed: &dyn ManagedPolicySource) -> Result<Scenario, String> {
    let ws = Workspace::from_text(doc).map_err(|e| first_error(&e))?;
    let tree = tjson::from_value(&ws.doc);
    scenario::load_json_with_options(&tree, &LoadOptions::with_managed_policies(managed)).map(|(s, _)| s).map_err(|e| first_error(&e))
}

fn first_error(errors: &[trustwalk_core::Diagnostic]) -> String {
    let first = errors.first().map(|d| format!(": {} (at {})", d.message, d.path)).unwrap_or_default();
    format!("the scenario has to load without errors to be mapped{first}")
}

fn run_options(now: i64) -> RunOptions {
    RunOptions { now_epoch_seconds: now, ..Default::default() }
}

/// The access map of `scenario` for the page; `progress(done, total)`
/// after each principal.
pub fn access(scenario: &Scenario, catalogue: &Catalogue, now: i64, progress: &mut dyn FnMut(usize, usize)) -> ShownAccess {
    let options = AccessOptions { run: run_options(now), ..Default::default() };
    let map = access::access_map_with_progress(scenario, catalogue, &options, progress);
    let mut names = Names::default();
    let mut principals: Vec<ShownPrincipal> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    // Every user and role, in document order, even one that reaches nothing.
    for a in &scenario.accounts {
        let all = a.users.iter().map(|u| (&u.arn, false)).chain(a.roles.iter().map(|r| (&r.arn, true)));
        for (arn, role) in all {
            at.insert(arn.clone(), principals.len());
            principals.push(ShownPrincipal { arn: names.id(arn), role, rows: Vec::new(), reaches: Vec::new() });
        }
    }
    // A reached role's cells stay with the role (see the module's documentation).
    for l in map.listings() {
        let Some(p) = at.get(l.principal).and_then(|i| principals.get_mut(*i)) else { continue };
        if l.via.is_empty() {
            for c in l.cells {
                add_cell(&mut names, p, c);
            }
        } else {
            let path: Vec<u32> = l.via.iter().map(|r| names.id(r)).collect();
            if !p.reaches.iter().any(|r| r.path == path) {
                let conditions = l.added_conditions.iter().map(|k| names.id(k)).collect();
                p.reaches.push(ShownReach { path, conditions });
            }
        }
    }
    ShownAccess { names: names.list, principals, resources: map.resources, evaluations: map.evaluations, cells: map.len() }
}

fn add_cell(names: &mut Names, p: &mut ShownPrincipal, c: &Cell) {
    let resource = names.id(&c.resource);
    let cell = ShownCell {
        action: names.id(&c.action),
        level: names.id(&c.access_level),
        decision: c.decision,
        conditions: c.conditions.iter().map(|k| names.id(k)).collect(),
        statements: c.statements.iter().map(|r| names.id(&responsible_text(r))).collect(),
    };
    match p.rows.iter_mut().find(|r| r.resource == resource) {
        Some(row) => row.cells.push(cell),
        None => p.rows.push(ShownRow { resource, cells: vec![cell] }),
    }
}

/// What the page's filters ask for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Part of a principal's ARN (case does not count); empty: all.
    pub principal: String,
    /// Part of a resource's ARN; empty: all. When given, the cells a
    /// principal reaches through a role are listed under it, with the path.
    pub resource: String,
    /// Only allowed cells (hide explicit denials and conditional cells).
    pub allowed_only: bool,
}

/// One line of a group: a resource, reached directly or through `via`
/// (whose AssumeRoles depend on `conditions`).
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub via: Vec<&'a str>,
    pub conditions: Vec<&'a str>,
    pub resource: &'a str,
    pub cells: Vec<&'a ShownCell>,
}

/// One principal with the lines that pass the filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    pub principal: &'a str,
    pub role: bool,
    /// The roles it can become, each as its path (`RoleA → RoleB`).
    pub reaches: Vec<Vec<&'a str>>,
    /// The condition keys each of those paths depends on.
    pub reach_conditions: Vec<Vec<&'a str>>,
    /// For a role: who can become it, each with the path that ends here.
    pub reached_by: Vec<(&'a str, Vec<&'a str>)>,
    pub lines: Vec<Line<'a>>,
}

fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty() || haystack.to_ascii_lowercase().contains(&needle.trim().to_ascii_lowercase())
}

/// The groups the filter keeps, in map order: a principal whose ARN
/// matches, with its lines whose resource matches (a principal with no
/// such line is left out when a resource is asked for).
pub fn groups<'a>(access: &'a ShownAccess, filter: &Filter) -> Vec<Group<'a>> {
    let by_arn: HashMap<u32, &ShownPrincipal> = access.principals.iter().map(|p| (p.arn, p)).collect();
    let lines_of = |p: &'a ShownPrincipal, via: Vec<&'a str>, conditions: Vec<&'a str>| -> Vec<Line<'a>> {
        p.rows
            .iter()
            .filter(|r| contains(access.name(r.resource), &filter.resource))
            .filter_map(|r| {
                let cells: Vec<&ShownCell> = r.cells.iter().filter(|c| !filter.allowed_only || c.decision == Outcome::Allowed).collect();
                (!cells.is_empty()).then(|| Line { via: via.clone(), conditions: conditions.clone(), resource: access.name(r.resource), cells })
            })
            .collect()
    };
    let names = |path: &[u32]| -> Vec<&'a str> { path.iter().map(|i| access.name(*i)).collect() };
    let mut out = Vec::new();
    for p in access.principals.iter().filter(|p| contains(access.name(p.arn), &filter.principal)) {
        let mut lines = lines_of(p, Vec::new(), Vec::new());
        if !filter.resource.trim().is_empty() {
            for reach in &p.reaches {
                if let Some(role) = reach.path.last().and_then(|r| by_arn.get(r)) {
                    lines.extend(lines_of(role, names(&reach.path), names(&reach.conditions)));
                }
            }
        }
        if !filter.resource.trim().is_empty() && lines.is_empty() {
            continue;
        }
        let reached_by = access
            .principals
            .iter()
            .flat_map(|q| q.reaches.iter().filter(|r| r.path.last() == Some(&p.arn)).map(move |r| (access.name(q.arn), names(&r.path))))
            .collect();
        out.push(Group {
            principal: access.name(p.arn),
            role: p.role,
            reaches: p.reaches.iter().map(|r| names(&r.path)).collect(),
            reach_conditions: p.reaches.iter().map(|r| names(&r.conditions)).collect(),
            reached_by,
            lines,
        });
    }
    out
}

/// How many cells of a line are allowed, denied explicitly, or depend on
/// keys the scenario does not give, by access level in the catalogue's
/// order: `Read: 3 allowed, 1 denied`.
pub fn line_summary(access: &ShownAccess, line: &Line<'_>) -> Vec<(String, String)> {
    const LEVELS: [&str; 5] = ["List", "Read", "Write", "Permissions management", "Tagging"];
    let mut levels: Vec<&str> = Vec::new();
    for c in &line.cells {
        let l = access.name(c.level);
        if !levels.contains(&l) {
            levels.push(l);
        }
    }
    levels.sort_by_key(|l| LEVELS.iter().position(|x| x == l).unwrap_or(LEVELS.len()));
    levels
        .into_iter()
        .map(|l| {
            let of = |f: fn(&ShownCell) -> bool| line.cells.iter().filter(|c| access.name(c.level) == l && f(c)).count();
            let allowed = of(|c| c.decision == Outcome::Allowed);
            let denied = of(|c| c.decision == Outcome::ExplicitDeny);
            let conditional = of(|c| c.decision != Outcome::Allowed && !c.conditions.is_empty());
            let parts: Vec<String> = [(allowed, "allowed"), (denied, "denied"), (conditional, "conditional")]
                .into_iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, w)| format!("{n} {w}"))
                .collect();
            (l.to_string(), parts.join(", "))
        })
        .collect()
}

/// `role/RoleB (via role/RoleA)`: where a path ends, and the roles before.
fn path_text(who: &str, before: &[&str]) -> String {
    match before {
        [] => short_arn(who).to_string(),
        _ => format!("{} (via {})", short_arn(who), before.iter().map(|r| short_arn(r)).collect::<Vec<_>>().join(" → ")),
    }
}

/// `Can become: role/RoleA; role/RoleB (via role/RoleA)`, or nothing; a
/// path whose AssumeRoles depend on keys the scenario does not give says
/// so: `role/Admin (if aws:MultiFactorAuthPresent)`.
pub fn reaches_text(g: &Group<'_>) -> Option<String> {
    let parts: Vec<String> = g
        .reaches
        .iter()
        .zip(g.reach_conditions.iter().chain(std::iter::repeat(&Vec::new())))
        .filter_map(|(p, keys)| {
            let (last, before) = p.split_last()?;
            let text = path_text(last, before);
            Some(if keys.is_empty() { text } else { format!("{text} (if {})", keys.join(", ")) })
        })
        .collect();
    (!parts.is_empty()).then(|| format!("Can become: {}", parts.join("; ")))
}

/// For a role, `Who can become it: user/Alice (via role/RoleA); role/RoleA`.
pub fn reached_by_text(g: &Group<'_>) -> Option<String> {
    let parts: Vec<String> = g.reached_by.iter().map(|(who, path)| path_text(who, path.split_last().map_or(&[][..], |(_, b)| b))).collect();
    (!parts.is_empty()).then(|| format!("Who can become it: {}", parts.join("; ")))
}

/// The last part of an ARN, for compact display: `role/StageRole`,
/// `production-test-bucket-101/…`.
pub fn short_arn(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// Which cell the page asks to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellKey {
    pub principal: String,
    pub via: Vec<String>,
    pub action: String,
    pub resource: String,
}

/// The whole result of a cell's request, with its trace, as a step's:
/// the scenario as it is now (the page's current text).
pub fn explain_cell(ws: &Workspace, key: &CellKey, now: i64, managed: &dyn ManagedPolicySource) -> Result<StepResult, String> {
    let tree = tjson::from_value(&ws.doc);
    let (s, _) = scenario::load_json_with_options(&tree, &LoadOptions::with_managed_policies(managed)).map_err(|e| first_error(&e))?;
    access::explain_cell(&s, &key.principal, &key.via, &key.action, &key.resource, run_options(now))
        .ok_or_else(|| format!("`{}` is no longer a user or role of the scenario", key.principal))
}

/// One changed cell as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownChange {
    pub principal: String,
    pub via: Vec<String>,
    pub action: String,
    pub resource: String,
    pub level: String,
    pub before: Outcome,
    pub after: Outcome,
    pub statements_before: Vec<String>,
    pub statements_after: Vec<String>,
    /// NEW allows what OLD did not (on this path).
    pub grants: bool,
}

/// A step whose outcome changed (`None`: no step of that id on that side).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownStepChange {
    pub id: String,
    pub before: Option<Outcome>,
    pub after: Option<Outcome>,
}

/// What the current scenario changes from another version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShownDiff {
    /// The current scenario lets a principal do something on a resource
    /// that the other version let it do by no path (`trustwalk diff`'s
    /// exit status 1).
    pub new_access: bool,
    /// New access first, then removed access, at most [`MAX_CHANGES`].
    pub changes: Vec<ShownChange>,
    /// Changed cells beyond those.
    pub more: usize,
    /// The same decision reached by other role paths (not a change of
    /// access), worded by [`path_line`]; at most [`MAX_CHANGES`].
    pub paths: Vec<String>,
    pub steps: Vec<ShownStepChange>,
}

/// The diff from `old` to `new` (the scenario shown), for the page.
/// `progress(done, total)` after each principal of either version's map.
pub fn diff(old: &Scenario, new: &Scenario, catalogue: &Catalogue, now: i64, progress: &mut dyn FnMut(usize, usize)) -> ShownDiff {
    let d = diff::diff_with_progress(old, new, catalogue, &DiffOptions { run: run_options(now) }, progress);
    let mut changes: Vec<ShownChange> = d
        .access
        .iter()
        .map(|c| ShownChange {
            principal: c.principal.clone(),
            via: c.via.clone(),
            action: c.action.clone(),
            resource: c.resource.clone(),
            level: c.access_level.clone(),
            before: c.before,
            after: c.after,
            statements_before: c.statements_before.iter().map(responsible_text).collect(),
            statements_after: c.statements_after.iter().map(responsible_text).collect(),
            grants: c.grants(),
        })
        .collect();
    // New access first (stable: in map order within each kind).
    changes.sort_by_key(|c| !c.grants);
    let more = changes.len().saturating_sub(MAX_CHANGES);
    changes.truncate(MAX_CHANGES);
    let steps = d.steps.into_iter().map(|s| ShownStepChange { id: s.id, before: s.before, after: s.after }).collect();
    let paths = d.paths.iter().take(MAX_CHANGES).map(path_line).collect();
    ShownDiff { new_access: d.new_access, changes, more, paths, steps }
}

/// `user/Alice: s3:GetObject on workload-reports/… (Read), allowed —
/// before: via role/RoleA → role/RoleB; now: directly`.
pub fn path_line(p: &diff::PathChange) -> String {
    let paths = |list: &[Vec<String>]| {
        let each: Vec<String> = list
            .iter()
            .map(|via| {
                if via.is_empty() {
                    "directly".to_string()
                } else {
                    format!("via {}", via.iter().map(|r| short_arn(r)).collect::<Vec<_>>().join(" → "))
                }
            })
            .collect();
        if each.is_empty() {
            "no path".to_string()
        } else {
            each.join("; ")
        }
    };
    format!(
        "{}: {} on {} ({}), {} — before: {}; now: {}",
        short_arn(&p.principal),
        p.action,
        short_arn(&p.resource),
        p.access_level,
        p.decision.as_str(),
        paths(&p.via_before),
        paths(&p.via_after)
    )
}

/// `StageAdmin via StageRole: s3:PutObject on bucket/… (Write)`.
pub fn change_line(c: &ShownChange) -> String {
    let via = if c.via.is_empty() { String::new() } else { format!(" via {}", c.via.iter().map(|r| short_arn(r)).collect::<Vec<_>>().join(" → ")) };
    format!("{}{via}: {} on {} ({})", short_arn(&c.principal), c.action, short_arn(&c.resource), c.level)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::EXAMPLE;
    use trustwalk_core::scenario::NoManagedPolicies;

    fn catalogue() -> Catalogue {
        Catalogue::from_bytes(&std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/data/catalogue.json")).unwrap()).unwrap()
    }

    fn example() -> Scenario {
        load(&Workspace::from_text(EXAMPLE).unwrap().to_compact_text(), &NoManagedPolicies).unwrap()
    }

    /// Users reach RoleA, which reaches RoleB, which reads the reports.
    const CHAIN: &str = include_str!("../../../examples/role-chaining.json");

    #[test]
    fn the_example_map_says_who_reaches_the_bucket_and_how() {
        let s = example();
        let mut calls = Vec::new();
        let a = access(&s, &catalogue(), 0, &mut |done, total| calls.push((done, total)));
        assert_eq!(calls.last().map(|c| c.0 == c.1), Some(true), "{calls:?}");
        // StageAdmin can become StageRole, whose session reads the bucket.
        let all = groups(&a, &Filter::default());
        let admin = all.iter().find(|g| g.principal.ends_with(":user/StageAdmin")).unwrap();
        assert!(admin.reaches.iter().any(|p| p.last().unwrap().ends_with(":role/StageRole")), "{:?}", admin.reaches);
        assert!(admin.lines.iter().all(|l| l.via.is_empty()), "without a resource asked for, only its own calls");
        let role = all.iter().find(|g| g.principal.ends_with(":role/StageRole")).unwrap();
        assert!(role.reached_by.iter().any(|(who, _)| who.ends_with(":user/StageAdmin")), "{:?}", role.reached_by);
        let read = role.lines.iter().find(|l| l.resource.contains("production-test-bucket-101/")).unwrap();
        let get = read.cells.iter().find(|c| a.name(c.action) == "s3:GetObject").unwrap();
        assert_eq!(get.decision, Outcome::Allowed);
        assert!(!get.statements.is_empty());
        // Who can reach the bucket, and how: StageAdmin through StageRole.
        let f = Filter { resource: "production-test-bucket-101".into(), ..Filter::default() };
        let reach = groups(&a, &f);
        let admin = reach.iter().find(|g| g.principal.ends_with(":user/StageAdmin")).unwrap();
        let line = admin.lines.iter().find(|l| !l.via.is_empty() && l.resource.ends_with("/…")).unwrap();
        assert!(line.via.last().unwrap().ends_with(":role/StageRole"));
        assert!(reach.iter().all(|g| !g.lines.is_empty()));
        let summary = line_summary(&a, line);
        assert!(summary.iter().any(|(l, s)| l == "Read" && s.contains("allowed")), "{summary:?}");
    }

    /// The page shows a role's cells under whoever can become it: they must
    /// be the cells the core lists for that chain (its AssumeRoles' keys added).
    #[test]
    fn chain_cells_are_the_roles_own_cells() {
        let s = load(&Workspace::from_text(CHAIN).unwrap().to_compact_text(), &NoManagedPolicies).unwrap();
        let cat = catalogue();
        let map = access::access_map(&s, &cat, &AccessOptions::default());
        let cells = map.to_cells();
        let own: HashMap<(&str, &str, &str), &Cell> =
            cells.iter().filter(|c| c.via.is_empty()).map(|c| ((c.principal.as_str(), c.action.as_str(), c.resource.as_str()), c)).collect();
        let chained: Vec<&Cell> = cells.iter().filter(|c| !c.via.is_empty()).collect();
        assert!(!chained.is_empty());
        for c in chained {
            let role = c.via.last().unwrap();
            let o = own.get(&(role.as_str(), c.action.as_str(), c.resource.as_str())).unwrap_or_else(|| panic!("{c:?}"));
            assert_eq!((o.decision, &o.statements), (c.decision, &c.statements), "{c:?}");
            assert!(o.conditions.iter().all(|k| c.conditions.contains(k)), "{c:?}");
        }
        let a = access(&s, &cat, 0, &mut |_, _| {});
        assert_eq!(a.cells, cells.len());
        let shown: usize =
            groups(&a, &Filter { resource: "arn".into(), ..Filter::default() }).iter().flat_map(|g| &g.lines).map(|l| l.cells.len()).sum();
        assert_eq!(shown, cells.len(), "every cell of the core's map, once");
    }

    #[test]
    fn paths_in_words() {
        let s = load(&Workspace::from_text(CHAIN).unwrap().to_compact_text(), &NoManagedPolicies).unwrap();
        let a = access(&s, &catalogue(), 0, &mut |_, _| {});
        let all = groups(&a, &Filter::default());
        let alice = all.iter().find(|g| g.principal.ends_with("user/Alice")).unwrap();
        assert_eq!(reaches_text(alice).unwrap(), "Can become: role/RoleA; role/RoleB (via role/RoleA)");
        assert_eq!(reached_by_text(alice), None);
        let b = all.iter().find(|g| g.principal.ends_with("role/RoleB")).unwrap();
        assert_eq!(reached_by_text(b).unwrap(), "Who can become it: user/Alice (via role/RoleA); role/RoleA");
    }

    #[test]
    fn filters_by_principal_resource_and_decision() {
        let a = access(&example(), &catalogue(), 0, &mut |_, _| {});
        let only = groups(&a, &Filter { principal: "STAGEROLE".into(), ..Filter::default() });
        assert_eq!(only.len(), 1);
        assert!(groups(&a, &Filter { resource: "no-such-bucket".into(), ..Filter::default() }).is_empty());
        let allowed = groups(&a, &Filter { allowed_only: true, ..Filter::default() });
        assert!(allowed.iter().flat_map(|g| &g.lines).flat_map(|l| &l.cells).all(|c| c.decision == Outcome::Allowed));
    }

    #[test]
    fn a_cell_explains_like_a_step() {
        let ws = Workspace::from_text(EXAMPLE).unwrap();
        let s = example();
        let admin = s.accounts.iter().flat_map(|a| &a.users).find(|u| u.arn.ends_with("user/StageAdmin")).unwrap().arn.clone();
        let role = s.accounts.iter().flat_map(|a| &a.roles).find(|r| r.arn.ends_with("role/StageRole")).unwrap().arn.clone();
        let key = CellKey {
            principal: admin,
            via: vec![role],
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::production-test-bucket-101/…".into(),
        };
        let r = explain_cell(&ws, &key, 0, &NoManagedPolicies).unwrap();
        assert_eq!(r.action, "s3:GetObject");
        assert!(r.principal.contains(":assumed-role/StageRole/"), "{}", r.principal);
        assert!(r.evaluation.is_some());
        let gone = CellKey { principal: "arn:aws:iam::111111111111:user/Nobody".into(), ..key };
        assert!(explain_cell(&ws, &gone, 0, &NoManagedPolicies).unwrap_err().contains("Nobody"));
    }

    #[test]
    fn the_diff_puts_new_access_first_and_names_the_statements() {
        let old = example();
        let mut ws = Workspace::from_text(EXAMPLE).unwrap();
        let slot = ws.policy_slots().into_iter().find(|s| s.display.starts_with("StageRole/") && s.display != "StageRole/trustPolicy").unwrap();
        ws.set_policy_text(&slot.ptr, &slot.text.replace("\"s3:GetObject\"", "\"s3:*\"")).unwrap();
        let new = load(&ws.to_compact_text(), &NoManagedPolicies).unwrap();
        let d = diff(&old, &new, &catalogue(), 0, &mut |_, _| {});
        assert!(d.new_access);
        let first = d.changes.first().unwrap();
        assert!(first.grants && first.after == Outcome::Allowed, "{first:?}");
        assert!(first.statements_after.iter().any(|s| s.starts_with("StageRole/")), "{first:?}");
        assert!(change_line(first).contains(" on "), "{}", change_line(first));
        let same = diff(&old, &old, &catalogue(), 0, &mut |_, _| {});
        assert_eq!(same, ShownDiff::default());
    }

    #[test]
    fn a_path_that_changes_is_not_new_access_nor_a_changed_cell() {
        let old = load(&Workspace::from_text(CHAIN).unwrap().to_compact_text(), &NoManagedPolicies).unwrap();
        // RoleA may read the reports itself too: Alice reads them through
        // RoleA alone as well as through RoleB.
        let mut ws = Workspace::from_text(CHAIN).unwrap();
        let slot =
            ws.policy_slots().into_iter().find(|s| s.display.starts_with("RoleB/") && s.policy_type == trustwalk_core::PolicyType::Identity).unwrap();
        let role_a =
            ws.policy_slots().into_iter().find(|s| s.display.starts_with("RoleA/") && s.policy_type == trustwalk_core::PolicyType::Identity).unwrap();
        let both = format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{}, {}]}}", statements(&role_a.text), statements(&slot.text));
        ws.set_policy_text(&role_a.ptr, &both).unwrap();
        let new = load(&ws.to_compact_text(), &NoManagedPolicies).unwrap();
        let d = diff(&old, &new, &catalogue(), 0, &mut |_, _| {});
        // Whoever reads the reports now could already, through RoleB: no
        // new access, no changed cell, two paths that changed.
        assert!(!d.new_access && d.changes.is_empty(), "{d:?}");
        assert_eq!(
            d.paths,
            [
                "user/Alice: s3:GetObject on workload-reports/… (Read), allowed — before: via role/RoleA → role/RoleB; now: via role/RoleA; via role/RoleA → role/RoleB",
                "role/RoleA: s3:GetObject on workload-reports/… (Read), allowed — before: via role/RoleB; now: directly; via role/RoleB",
            ]
        );
    }

    /// The statements of a policy's text, as JSON text.
    fn statements(policy: &str) -> String {
        let v: serde_json::Value = serde_json::from_str(policy).unwrap();
        let list = v["Statement"].as_array().cloned().unwrap_or_else(|| vec![v["Statement"].clone()]);
        list.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
    }

    #[test]
    fn what_crosses_to_the_page_reads_back() {
        let a = access(&example(), &catalogue(), 0, &mut |_, _| {});
        let back: ShownAccess = crate::worker::decode(&crate::worker::encode(&a)).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn a_scenario_with_errors_is_not_mapped_and_says_why() {
        let e = load("{\"accounts\": 3}", &NoManagedPolicies).unwrap_err();
        assert!(e.starts_with("the scenario has to load without errors"), "{e}");
    }

    #[test]
    fn short_arns() {
        assert_eq!(short_arn("arn:aws:iam::111111111111:role/StageRole"), "role/StageRole");
        assert_eq!(short_arn("arn:aws:s3:::bucket/…"), "bucket/…");
        assert_eq!(short_arn("not an arn"), "not an arn");
    }
}
