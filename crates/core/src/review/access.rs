//! The access map: for every principal of a scenario and every resource,
//! the decision for every action of the resource's service
//! (`trustwalk/access@1`).
//!
//! Principals are the document's users and roles. A role's cells are what
//! a session of it can do: the session a plain AssumeRole (session name
//! [`SESSION_NAME`], no MFA, tags, source identity or session policy, at
//! the scenario's time) establishes, whoever assumed it. A principal also
//! reaches, through every AssumeRole the scenario's own context allows, the
//! roles it can become, transitively: those cells repeat the reached role's
//! cells with the role ARNs assumed on the way in `via` (the shortest path,
//! found breadth first in document order).
//!
//! Resources are the document's buckets, one object of each bucket under
//! every prefix the policies name (`arn:aws:s3:::bkt/reports/*` → the
//! object `reports/…`; every bucket also has `…`, an object elsewhere), its
//! roles and `resources`, and every other ARN a policy's `Resource` names
//! literally. The actions of a resource are those of its service in the
//! catalogue whose resource types the ARN can be (for a role, with STS's).
//!
//! Every cell is decided by the same runner as `trustwalk simulate`
//! ([`crate::scenario::run`]): a cell agrees with the equivalent steps
//! (the AssumeRole steps of `via`, session name [`SESSION_NAME`], then the
//! call) run with the scenario's own context. Actions that no Action or
//! NotAction pattern of the policies in play tells apart are decided once.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};

use crate::arn::Arn;
use crate::catalogue::{AccessLevel, Catalogue};
use crate::context::RequestContext;
use crate::diag::JsonPath;
use crate::matching::{action_matches, RequestArn, ResourceMatch};
use crate::policy::{Policy, PolicyType};
use crate::scenario::model::{AssumeRole, LoadedPolicy, Outcome, PolicyLevel, Scenario, Step};
use crate::scenario::run::{RunOptions, Runner, StepResult};
use crate::trace::{Evaluation, StatementRef};
use crate::wildcard::glob_match;

/// The `format` of the access map document.
pub const ACCESS_FORMAT: &str = "trustwalk/access@1";

/// The session name of every role session the map uses.
pub const SESSION_NAME: &str = "trustwalk-access";

/// Actions that the runner treats unlike the rest of their service: each
/// is decided on its own.
const SINGULAR: &[&str] = &["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "iam:PassRole"];

/// What to map.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccessOptions<'o> {
    pub run: RunOptions,
    /// Also list implicitly denied cells (by default only allowed and
    /// explicitly denied ones, and implicit denies that depend on a
    /// condition key the scenario's context does not give).
    pub all: bool,
    /// Only this principal (a user's or role's ARN).
    pub principal: Option<&'o str>,
    /// Only this resource (an ARN; a bucket's ARN also selects its objects).
    pub resource: Option<&'o str>,
}

/// One principal, one action, one resource.
///
/// In JSON (and any human-readable format) `conditions` is left out when
/// empty and `statements` always; in binary formats (bincode, between the
/// app's page and its worker) every field is written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    /// A user's or role's ARN: who makes the call, or starts the chain.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    pub resource: String,
    /// `List`, `Read`, `Write`, `Permissions management` or `Tagging`.
    pub access_level: String,
    /// `allowed`, `explicitDeny` or `implicitDeny` (`invalid` when a policy
    /// in play has an error, in a document loaded with its errors contained).
    pub decision: Outcome,
    /// The role ARNs assumed in order; empty for a direct call.
    pub via: Vec<String>,
    /// Condition keys that the matched statements test and the scenario's
    /// context does not give: the answer may change with them.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// The statements that decided it (empty for an implicit deny).
    #[serde(default)]
    pub statements: Vec<Responsible>,
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let human = s.is_human_readable();
        let mut st = s.serialize_struct("Cell", 8)?;
        st.serialize_field("principal", &self.principal)?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("resource", &self.resource)?;
        st.serialize_field("accessLevel", &self.access_level)?;
        st.serialize_field("decision", &self.decision)?;
        st.serialize_field("via", &self.via)?;
        if human && self.conditions.is_empty() {
            st.skip_field("conditions")?;
        } else {
            st.serialize_field("conditions", &self.conditions)?;
        }
        if human {
            st.skip_field("statements")?;
        } else {
            st.serialize_field("statements", &self.statements)?;
        }
        st.end()
    }
}

/// A statement that decided a cell: its policy (as traces name it), its
/// index in the policy's `Statement` (from 0) and its Sid; for an SCP or
/// RCP, its level.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Responsible {
    pub policy_type: PolicyType,
    pub policy: String,
    pub statement: usize,
    #[serde(default)]
    pub sid: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
}

impl Responsible {
    fn of(r: &StatementRef) -> Self {
        Responsible {
            policy_type: r.policy_type,
            policy: r.policy.clone(),
            statement: r.statement,
            sid: r.sid.as_deref().map(str::to_string),
            level: r.level.clone(),
        }
    }
}

impl Serialize for Responsible {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let human = s.is_human_readable();
        let mut st = s.serialize_struct("Responsible", 5)?;
        st.serialize_field("policyType", &self.policy_type)?;
        st.serialize_field("policy", &self.policy)?;
        st.serialize_field("statement", &self.statement)?;
        for (name, v) in [("sid", &self.sid), ("level", &self.level)] {
            if human && v.is_none() {
                st.skip_field(name)?;
            } else {
                st.serialize_field(name, v)?;
            }
        }
        st.end()
    }
}

/// The access map document.
///
/// Its cells are kept as each principal's own row plus, for every role a
/// principal reaches, a reference to that role's row with the path: the
/// chain's cells are made when iterated ([`AccessMap::cells`]) or written
/// out, not stored once per principal.
#[derive(Debug, Clone)]
pub struct AccessMap {
    /// `trustwalk/access@1`.
    pub format: String,
    /// Rows of cells as they are listed when not repeated through a chain:
    /// each principal's own cells (by principal index), or a map read back
    /// from its document.
    rows: Vec<Vec<Cell>>,
    /// What is listed, in order.
    parts: Vec<Part>,
    /// How many requests were evaluated (one per class of actions that no
    /// statement tells apart, and one per AssumeRole).
    pub evaluations: usize,
    /// How many principals and resources were mapped.
    pub principals: usize,
    pub resources: usize,
}

/// A row of [`AccessMap::rows`], as it is or repeated for a principal that
/// reaches its role. Every cell a part lists has its principal and path.
#[derive(Debug, Clone)]
struct Part {
    row: usize,
    principal: String,
    via: Vec<String>,
    /// Whether the row is another principal's (a reached role's): its
    /// cells are listed with this principal, this path and the
    /// AssumeRoles' open condition keys added.
    reached: bool,
    conditions: Vec<String>,
}

impl Part {
    fn apply(&self, c: &Cell) -> Cell {
        let mut conditions = c.conditions.clone();
        merge(&mut conditions, &self.conditions);
        Cell {
            principal: self.principal.clone(),
            action: c.action.clone(),
            resource: c.resource.clone(),
            access_level: c.access_level.clone(),
            decision: c.decision,
            via: self.via.clone(),
            conditions,
            statements: c.statements.clone(),
        }
    }
}

impl AccessMap {
    /// A map of these cells, as read from a document.
    pub fn from_cells(format: String, cells: Vec<Cell>) -> Self {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut parts: Vec<Part> = Vec::new();
        for c in cells {
            match (parts.last(), rows.last_mut()) {
                (Some(p), Some(row)) if p.principal == c.principal && p.via == c.via => row.push(c),
                _ => {
                    parts.push(Part { row: rows.len(), principal: c.principal.clone(), via: c.via.clone(), reached: false, conditions: Vec::new() });
                    rows.push(vec![c]);
                }
            }
        }
        AccessMap { format, rows, parts, evaluations: 0, principals: 0, resources: 0 }
    }

    fn row(&self, part: &Part) -> &[Cell] {
        self.rows.get(part.row).map_or(&[], Vec::as_slice)
    }

    /// Every cell, in order: each principal's own cells, then those of
    /// each role it reaches (breadth first). A reached role's cells are
    /// made as they are asked for.
    pub fn cells(&self) -> impl Iterator<Item = Cow<'_, Cell>> + '_ {
        self.parts.iter().flat_map(move |p| self.row(p).iter().map(move |c| if p.reached { Cow::Owned(p.apply(c)) } else { Cow::Borrowed(c) }))
    }

    /// The cells in runs of one principal and one path, as their rows
    /// hold them (a reached role's with the role's principal, no path and
    /// its own conditions): for comparing maps without making every cell.
    pub(crate) fn runs(&self) -> impl Iterator<Item = Run<'_>> + '_ {
        self.parts.iter().map(move |p| Run { principal: &p.principal, via: &p.via, row: p.row, cells: self.row(p) })
    }

    /// The map as it is kept, for a viewer that shows a reached role's
    /// cells under the role rather than again under every principal that
    /// reaches it (the app): each principal's own cells (`via` empty), and
    /// for each role a principal reaches, the path and the open condition
    /// keys of its AssumeRoles, with the role's cells as the role's own row
    /// holds them. [`AccessMap::cells`] lists the same cells one by one.
    pub fn listings(&self) -> impl Iterator<Item = Listing<'_>> + '_ {
        self.parts.iter().map(move |p| Listing {
            principal: &p.principal,
            via: &p.via,
            added_conditions: if p.reached { &p.conditions } else { &[] },
            cells: self.row(p),
        })
    }

    /// Every cell, made.
    pub fn to_cells(&self) -> Vec<Cell> {
        self.cells().map(Cow::into_owned).collect()
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|p| self.row(p).len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// See [`AccessMap::listings`]: the cells are listed with `principal` and
/// `via`, their conditions with `added_conditions` merged in.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'m> {
    pub principal: &'m str,
    pub via: &'m [String],
    pub added_conditions: &'m [String],
    pub cells: &'m [Cell],
}

/// A run of cells of [`AccessMap::runs`]: every cell is listed with this
/// principal and path; its action, resource, level, decision and
/// statements are the listed cell's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run<'m> {
    pub principal: &'m str,
    pub via: &'m [String],
    /// The row the cells are from (runs of the same row hold the same cells).
    pub row: usize,
    pub cells: &'m [Cell],
}

impl PartialEq for AccessMap {
    fn eq(&self, other: &Self) -> bool {
        self.format == other.format
            && (self.evaluations, self.principals, self.resources) == (other.evaluations, other.principals, other.resources)
            && self.len() == other.len()
            && self.cells().eq(other.cells())
    }
}

impl Serialize for AccessMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Cells<'m>(&'m AccessMap);
        impl Serialize for Cells<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut seq = s.serialize_seq(Some(self.0.len()))?;
                for c in self.0.cells() {
                    seq.serialize_element(&*c)?;
                }
                seq.end()
            }
        }
        let mut st = s.serialize_struct("AccessMap", 2)?;
        st.serialize_field("format", &self.format)?;
        st.serialize_field("cells", &Cells(self))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for AccessMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Doc {
            format: String,
            cells: Vec<Cell>,
        }
        let doc = Doc::deserialize(d)?;
        Ok(AccessMap::from_cells(doc.format, doc.cells))
    }
}

/// Decides one cell again exactly as the map did, and returns the whole
/// result of its final call (with its trace), for opening the cell's
/// explanation like a step: a user's cell is the user's call (after the
/// AssumeRole steps of `via`); a role's cell is the call of its session
/// (see the module's documentation). When an AssumeRole of `via` is not
/// allowed, its result is returned instead. `None` when `principal` is no
/// user or role of the document.
pub fn explain_cell(scenario: &Scenario, principal: &str, via: &[String], action: &str, resource: &str, run: RunOptions) -> Option<StepResult> {
    let mut runner = Runner::new(scenario, run);
    let is_user = scenario.accounts.iter().any(|a| a.users.iter().any(|u| u.arn == principal));
    let mut caller = if is_user {
        principal.to_string()
    } else if scenario.accounts.iter().any(|a| a.roles.iter().any(|r| r.arn == principal)) {
        runner.plain_session(principal, SESSION_NAME, &probe_step("anonymous", action, resource))?
    } else {
        return None;
    };
    for role in via {
        let r = runner.probe(&probe_step(&caller, "sts:AssumeRole", role));
        match (&r.session, r.decision) {
            (Some(session), Outcome::Allowed) => caller = session.clone(),
            _ => return Some(r),
        }
    }
    Some(runner.probe(&probe_step(&caller, action, resource)))
}

/// The steps that make a user's cell's request in `trustwalk simulate`:
/// the AssumeRole steps of `via` (session name [`SESSION_NAME`]), then the
/// call, with ids `access-1`, `access-2`, …. `None` for a role's cell,
/// whose session no step of its own establishes (use [`explain_cell`]).
pub fn equivalent_steps(scenario: &Scenario, principal: &str, via: &[String], action: &str, resource: &str) -> Option<Vec<Step>> {
    if !scenario.accounts.iter().any(|a| a.users.iter().any(|u| u.arn == principal)) {
        return None;
    }
    let mut steps = Vec::new();
    let mut caller = principal.to_string();
    for role in via {
        steps.push(probe_step(&caller, "sts:AssumeRole", role));
        let arn = Arn::parse(role).ok()?;
        let name = arn.resource.rsplit('/').next()?;
        caller = crate::arn::build::session(arn.account, name, SESSION_NAME);
    }
    steps.push(probe_step(&caller, action, resource));
    for (i, s) in steps.iter_mut().enumerate() {
        s.id = format!("access-{}", i + 1);
    }
    Some(steps)
}

/// Maps a scenario's access (see the module's documentation).
pub fn access_map(scenario: &Scenario, catalogue: &Catalogue, options: &AccessOptions<'_>) -> AccessMap {
    access_map_with_progress(scenario, catalogue, options, &mut |_, _| {})
}

/// [`access_map`], calling `progress(done, total)` after each principal.
pub fn access_map_with_progress(
    scenario: &Scenario,
    catalogue: &Catalogue,
    options: &AccessOptions<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> AccessMap {
    let mut mapper = Mapper::new(scenario, catalogue, options);
    let starts: Vec<usize> =
        (0..mapper.nodes.len()).filter(|&i| options.principal.is_none_or(|p| mapper.node(i).is_some_and(|n| n.arn == p))).collect();
    let mut parts = Vec::new();
    let total = starts.len();
    for (done, start) in starts.into_iter().enumerate() {
        mapper.parts_of(start, &mut parts);
        progress(done + 1, total);
    }
    let rows = mapper.nodes.iter_mut().map(|n| n.direct.take().unwrap_or_default()).collect();
    AccessMap {
        format: ACCESS_FORMAT.to_string(),
        rows,
        parts,
        evaluations: mapper.evaluations,
        principals: mapper.nodes.len(),
        resources: mapper.resources.len(),
    }
}

/// One evaluated request.
#[derive(Debug, Clone)]
struct Probe {
    decision: Outcome,
    conditions: Vec<String>,
    statements: Vec<Responsible>,
}

struct ActionInfo {
    name: String,
    level: AccessLevel,
    singular: bool,
    /// What sets it apart whatever the policies say: the action itself
    /// when singular, else its service (numbered).
    base: u32,
}

struct Res {
    arn: String,
    /// Indices into `Mapper::actions`, by access level then name.
    actions: Vec<usize>,
    /// The class of each of `actions` under the resource's own policies.
    classes: Vec<u32>,
    selected: bool,
    /// The first of `actions` when all are of one kind for the runner
    /// (see [`Runner::kind_of`]): their probes share a request context.
    one_kind: Option<String>,
}

struct Node {
    /// The user's or role's ARN.
    arn: String,
    /// Who calls: the user, or the role's session.
    caller: String,
    patterns: Vec<Arc<str>>,
    /// Its policies' statements, for telling which patterns can matter on
    /// a resource (when there are at most 64 patterns).
    statements: Option<Vec<NodeStatement>>,
    /// The class of every action of `Mapper::actions` under the node's
    /// policies, and the patterns (bits of `patterns`) each action matches
    /// (computed when first needed).
    classes: Option<Rc<(Vec<u32>, Vec<u64>)>>,
    /// Its own cells, filtered (computed when first needed).
    direct: Option<Vec<Cell>>,
}

/// A statement of a node's policies, as far as the access map's classes
/// need it.
struct NodeStatement {
    /// Its Action or NotAction values, as bits of `Node::patterns`.
    patterns: u64,
    /// Its Resource values, each with whether it is read with variables
    /// (then only the request context tells what it matches); `None` when
    /// it may match any resource as far as that tells (no Resource, or
    /// NotResource).
    resources: Option<Vec<(Arc<str>, bool)>>,
}

impl NodeStatement {
    /// Whether the statement can match a request for `resource`: when it
    /// cannot, its `matched` is false and it adds no open condition key
    /// whatever the action, so its patterns cannot tell actions apart.
    ///
    /// A value without variables is matched as the evaluation matches it
    /// (the context plays no part). A value with variables is matched
    /// against `context`, the request context the resource's probes run
    /// with: it may match unless it neither matches nor misses a variable
    /// there (a missing variable is an open condition key); without a
    /// context it may match.
    fn may_match(&self, resource: &RequestArn<'_>, empty: &RequestContext, context: Option<&RequestContext>) -> bool {
        let Some(values) = &self.resources else { return true };
        values.iter().any(|(v, variables)| match (variables, context) {
            (false, _) => resource.matches(v, empty, false) == ResourceMatch::Matched,
            (true, Some(ctx)) => resource.matches(v, ctx, true) != ResourceMatch::NotMatched,
            (true, None) => true,
        })
    }
}

struct Mapper<'s, 'o> {
    runner: Runner<'s>,
    options: &'o AccessOptions<'o>,
    actions: Vec<ActionInfo>,
    resources: Vec<Res>,
    nodes: Vec<Node>,
    /// The role nodes, in document order.
    roles: Vec<usize>,
    /// The role nodes by ARN.
    role_nodes: HashMap<String, usize>,
    /// AssumeRole decisions, by (caller node, role node).
    edges: HashMap<(usize, usize), Rc<Probe>>,
    evaluations: usize,
}

fn probe_step(caller: &str, action: &str, resource: &str) -> Step {
    let assume_role = action
        .eq_ignore_ascii_case("sts:AssumeRole")
        .then(|| Box::new(AssumeRole { role_arn: resource.to_string(), session_name: SESSION_NAME.to_string(), ..Default::default() }));
    Step {
        id: "access".to_string(),
        principal: caller.to_string(),
        source: None,
        action: action.to_string(),
        resource: resource.to_string(),
        assume_role,
        context: Vec::new(),
        expect: None,
        path: JsonPath::root(),
    }
}

impl<'s, 'o> Mapper<'s, 'o> {
    fn new(scenario: &'s Scenario, catalogue: &Catalogue, options: &'o AccessOptions<'o>) -> Self {
        let mut runner = Runner::lean(scenario, options.run);
        let template = probe_step("anonymous", "s3:GetObject", "*");
        let mut nodes = Vec::new();
        for a in &scenario.accounts {
            for u in &a.users {
                let mut policies: Vec<&LoadedPolicy> = u.policies.iter().chain(&u.managed_policies).chain(&u.permissions_boundary).collect();
                for g in a.groups.iter().filter(|g| u.groups.iter().any(|n| n.eq_ignore_ascii_case(&g.name))) {
                    policies.extend(g.policies.iter().chain(&g.managed_policies));
                }
                policies.extend(level_policies(&a.scps));
                nodes.push(Node::new(u.arn.clone(), u.arn.clone(), &policies));
            }
        }
        let mut roles = Vec::new();
        for a in &scenario.accounts {
            for r in &a.roles {
                let caller =
                    runner.plain_session(&r.arn, SESSION_NAME, &template).unwrap_or_else(|| crate::arn::build::session(&a.id, &r.name, SESSION_NAME));
                let policies: Vec<&LoadedPolicy> =
                    r.policies.iter().chain(&r.managed_policies).chain(&r.permissions_boundary).chain(level_policies(&a.scps)).collect();
                roles.push(nodes.len());
                nodes.push(Node::new(r.arn.clone(), caller, &policies));
            }
        }
        let role_nodes = roles.iter().filter_map(|&r| Some((nodes.get(r).map(|n: &Node| n.arn.clone())?, r))).collect();
        let mut mapper =
            Mapper { runner, options, actions: Vec::new(), resources: Vec::new(), nodes, roles, role_nodes, edges: HashMap::new(), evaluations: 0 };
        mapper.collect_resources(scenario, catalogue);
        mapper
    }

    fn node(&self, i: usize) -> Option<&Node> {
        self.nodes.get(i)
    }

    /// The resources, their actions and classes.
    fn collect_resources(&mut self, scenario: &'s Scenario, catalogue: &Catalogue) {
        let all = all_policies(scenario);
        let mut seen: HashSet<String> = HashSet::new();
        let mut list: Vec<(String, Vec<&LoadedPolicy>)> = Vec::new();
        for a in &scenario.accounts {
            let rcps: Vec<&LoadedPolicy> = level_policies(&a.rcps).collect();
            let with = |own: Option<&'s LoadedPolicy>| own.into_iter().chain(rcps.iter().copied()).collect::<Vec<_>>();
            for b in &a.buckets {
                let bucket = crate::arn::build::s3(&b.name, None);
                list.push((bucket, with(b.policy.as_ref())));
                for key in object_keys(&b.name, &all) {
                    list.push((crate::arn::build::s3(&b.name, Some(&key)), with(b.policy.as_ref())));
                }
            }
            for r in &a.roles {
                list.push((r.arn.clone(), with(Some(&r.trust_policy))));
            }
            for r in &a.resources {
                list.push((r.arn.clone(), with(r.policy.as_ref())));
            }
        }
        for (arn, _) in &list {
            seen.insert(arn.clone());
        }
        for p in &all {
            for s in &p.statements {
                let Some(res) = s.resource.as_ref().filter(|r| !r.negated) else { continue };
                for v in &res.values {
                    let text: &str = &v.value;
                    let Ok(arn) = Arn::parse(text) else { continue };
                    if arn.service == "s3" || text.contains(['*', '?', '$']) || seen.contains(text) {
                        continue;
                    }
                    seen.insert(text.to_string());
                    let rcps: Vec<&LoadedPolicy> =
                        scenario.accounts.iter().filter(|a| a.id == arn.account).flat_map(|a| level_policies(&a.rcps)).collect();
                    list.push((text.to_string(), rcps));
                }
            }
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut services: HashMap<String, u32> = HashMap::new();
        let mut shapes: HashMap<String, Vec<(String, AccessLevel)>> = HashMap::new();
        for (arn, policies) in list {
            let shape = shape_of(&arn);
            let candidates = shapes.entry(shape).or_insert_with(|| candidate_actions(catalogue, &arn));
            if candidates.is_empty() {
                continue;
            }
            let mut actions = Vec::with_capacity(candidates.len());
            for (name, level) in candidates.iter() {
                let i = *index.entry(name.clone()).or_insert_with(|| {
                    let singular = SINGULAR.iter().any(|s| s.eq_ignore_ascii_case(name));
                    let service = name.split(':').next().unwrap_or_default().to_ascii_lowercase();
                    let next = u32::try_from(services.len()).unwrap_or(u32::MAX);
                    let service = *services.entry(service).or_insert(next);
                    let base = if singular { 0x8000_0000 | u32::try_from(self.actions.len()).unwrap_or(u32::MAX) } else { service };
                    self.actions.push(ActionInfo { name: name.clone(), level: *level, singular, base });
                    self.actions.len() - 1
                });
                actions.push(i);
            }
            let (classes, one_kind) = self.resource_classes(&arn, &policies, &actions);
            let selected = self
                .options
                .resource
                .is_none_or(|f| arn == f || arn.strip_prefix(f).is_some_and(|rest| rest.starts_with('/') && f.starts_with("arn:aws:s3:::")));
            self.resources.push(Res { arn, actions, classes, selected, one_kind });
        }
    }

    /// The class of each of a resource's actions under its own policies
    /// (only the statements that can match the resource tell them apart,
    /// see `NodeStatement::may_match`), and its first action when all are
    /// of one kind for the runner (see [`Runner::kind_of`]).
    fn resource_classes(&self, arn: &str, policies: &[&LoadedPolicy], actions: &[usize]) -> (Vec<u32>, Option<String>) {
        let (target, empty) = (RequestArn::new(arn), RequestContext::new());
        let patterns: Vec<Arc<str>> = node_statements(policies, &patterns_of(policies))
            .iter()
            .zip(policies.iter().flat_map(|p| p.policy.statements.iter()))
            .filter(|(n, _)| n.may_match(&target, &empty, None))
            .flat_map(|(_, st)| st.action.values.iter().map(|v| v.value.clone()))
            .fold(Vec::new(), |mut out: Vec<Arc<str>>, v| {
                if !out.contains(&v) {
                    out.push(v);
                }
                out
            });
        let mut classes = Classes::default();
        let classes = actions.iter().map(|&i| classes.of(&self.actions, i, &patterns)).collect();
        let kinds: Vec<(bool, bool)> = actions.iter().filter_map(|&i| self.actions.get(i)).map(|a| Runner::kind_of(&a.name)).collect();
        let one_kind =
            actions.first().and_then(|&i| self.actions.get(i)).filter(|_| kinds.windows(2).all(|w| w.first() == w.last())).map(|a| a.name.clone());
        (classes, one_kind)
    }

    /// A node's own row, then the rows of the roles it reaches, in order.
    fn parts_of(&mut self, start: usize, out: &mut Vec<Part>) {
        let Some(arn) = self.node(start).map(|n| n.arn.clone()) else { return };
        self.direct(start);
        out.push(Part { row: start, principal: arn.clone(), via: Vec::new(), reached: false, conditions: Vec::new() });
        let mut visited: HashSet<usize> = HashSet::from([start]);
        let mut queue: VecDeque<(usize, Vec<String>, Vec<String>)> = VecDeque::from([(start, Vec::new(), Vec::new())]);
        while let Some((node, path, conditions)) = queue.pop_front() {
            for ri in 0..self.roles.len() {
                let Some(&role) = self.roles.get(ri) else { continue };
                if visited.contains(&role) {
                    continue;
                }
                let edge = self.edge(node, role);
                if edge.decision != Outcome::Allowed {
                    continue;
                }
                visited.insert(role);
                let mut via = path.clone();
                via.extend(self.node(role).map(|n| n.arn.clone()));
                let mut conds = conditions.clone();
                merge(&mut conds, &edge.conditions);
                self.direct(role);
                out.push(Part { row: role, principal: arn.clone(), via: via.clone(), reached: true, conditions: conds.clone() });
                queue.push_back((role, via, conds));
            }
        }
    }

    /// Whether `node` may assume the role of `role` (cached).
    fn edge(&mut self, node: usize, role: usize) -> Rc<Probe> {
        if let Some(p) = self.edges.get(&(node, role)) {
            return Rc::clone(p);
        }
        let (Some(caller), Some(role_arn)) = (self.node(node).map(|n| n.caller.clone()), self.node(role).map(|n| n.arn.clone())) else {
            return Rc::new(Probe { decision: Outcome::Skipped, conditions: Vec::new(), statements: Vec::new() });
        };
        let p = self.probe(&caller, "sts:AssumeRole", &role_arn);
        self.edges.insert((node, role), Rc::clone(&p));
        p
    }

    fn probe(&mut self, caller: &str, action: &str, resource: &str) -> Rc<Probe> {
        self.evaluations += 1;
        let result = self.runner.probe_shared(&probe_step(caller, action, resource));
        Rc::new(Probe {
            decision: result.decision,
            conditions: open_keys(&result),
            statements: result.decisive.iter().map(Responsible::of).collect(),
        })
    }

    /// Computes a node's own cells (filtered) once.
    fn direct(&mut self, node: usize) {
        if self.nodes.get(node).is_none_or(|n| n.direct.is_some()) {
            return;
        }
        let classes = self.node_classes(node);
        let Some((arn, caller)) = self.node(node).map(|n| (n.arn.clone(), n.caller.clone())) else { return };
        let mut cells = Vec::new();
        for ri in 0..self.resources.len() {
            let Some(res) = self.resources.get(ri).filter(|r| r.selected) else { continue };
            let res_arn = res.arn.clone();
            let role = self.role_nodes.get(&res_arn).copied();
            let members: Vec<(usize, u32)> = res.actions.iter().copied().zip(res.classes.iter().copied()).collect();
            // A resource's actions fall in a handful of classes: a list
            // searched in order is cheaper than hashing every action's.
            let mut decided: Vec<((u32, u64, u32), Rc<Probe>)> = Vec::new();
            let live = self.live_patterns(node, &caller, ri);
            for (ai, rclass) in members {
                let Some(action) = self.actions.get(ai) else { continue };
                let level = action.level;
                // Actions that every pattern able to matter here matches
                // alike (and the resource's policies too) are decided once.
                let pclass = match live {
                    Some(live) => (action.base, classes.1.get(ai).copied().unwrap_or(u64::MAX) & live),
                    None => (classes.0.get(ai).copied().unwrap_or(u32::MAX), 0),
                };
                let probe = match role {
                    Some(role) if action.name.eq_ignore_ascii_case("sts:AssumeRole") => self.edge(node, role),
                    _ => match decided.iter().find(|(k, _)| *k == (pclass.0, pclass.1, rclass)) {
                        Some((_, p)) => Rc::clone(p),
                        None => {
                            let name = action.name.clone();
                            let p = self.probe(&caller, &name, &res_arn);
                            decided.push(((pclass.0, pclass.1, rclass), Rc::clone(&p)));
                            p
                        }
                    },
                };
                let keep = self.options.all || probe.decision != Outcome::ImplicitDeny || !probe.conditions.is_empty();
                let Some(action) = self.actions.get(ai).filter(|_| keep) else { continue };
                cells.push(Cell {
                    principal: arn.clone(),
                    action: action.name.clone(),
                    resource: res_arn.clone(),
                    access_level: level.as_str().to_string(),
                    decision: probe.decision,
                    via: Vec::new(),
                    conditions: probe.conditions.clone(),
                    statements: probe.statements.clone(),
                });
            }
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.direct = Some(cells);
        }
    }

    /// The class of every action under the node's policies, and the
    /// patterns each matches.
    fn node_classes(&mut self, node: usize) -> Rc<(Vec<u32>, Vec<u64>)> {
        if let Some(c) = self.nodes.get(node).and_then(|n| n.classes.as_ref()) {
            return Rc::clone(c);
        }
        let Some(n) = self.nodes.get(node) else { return Rc::default() };
        let mut classes = Classes::default();
        let ids: Vec<u32> = (0..self.actions.len()).map(|i| classes.of(&self.actions, i, &n.patterns)).collect();
        let masks: Vec<u64> = self
            .actions
            .iter()
            .map(|a| n.patterns.iter().take(64).enumerate().filter(|(_, p)| action_matches(p, &a.name)).fold(0u64, |m, (i, _)| m | (1u64 << i)))
            .collect();
        let out = Rc::new((ids, masks));
        if let Some(n) = self.nodes.get_mut(node) {
            n.classes = Some(Rc::clone(&out));
        }
        out
    }

    /// The patterns of the node (as bits) that can tell actions apart on
    /// `resource`; `None` when the node has too many patterns to say.
    ///
    /// When every action of the resource is of one kind (see
    /// [`Runner::shared_context`]), the request context of its probes
    /// tells which values with variables can match.
    fn live_patterns(&mut self, node: usize, caller: &str, ri: usize) -> Option<u64> {
        let res = self.resources.get(ri)?;
        let step = res.one_kind.as_ref().map(|name| probe_step(caller, name, &res.arn));
        let arn = res.arn.clone();
        let context = match &step {
            Some(step) => self.runner.shared_context(step),
            None => None,
        };
        let statements = self.nodes.get(node)?.statements.as_ref()?;
        let (target, empty) = (RequestArn::new(&arn), RequestContext::new());
        Some(statements.iter().filter(|s| s.may_match(&target, &empty, context)).fold(0u64, |m, s| m | s.patterns))
    }
}

impl Node {
    fn new(arn: String, caller: String, policies: &[&LoadedPolicy]) -> Self {
        let patterns = patterns_of(policies);
        let statements = (patterns.len() <= 64).then(|| node_statements(policies, &patterns));
        Node { arn, caller, patterns, statements, classes: None, direct: None }
    }
}

/// The statements of the policies, their patterns as bits of `patterns`.
fn node_statements(policies: &[&LoadedPolicy], patterns: &[Arc<str>]) -> Vec<NodeStatement> {
    let mut out = Vec::new();
    for p in policies {
        let variables = p.policy.version.variables_enabled();
        for s in &p.policy.statements {
            let bits = s
                .action
                .values
                .iter()
                .filter_map(|v| patterns.iter().position(|x| *x == v.value))
                .fold(0u64, |m, i| m | 1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX)).unwrap_or(0));
            let resources = s
                .resource
                .as_ref()
                .filter(|r| !r.negated)
                .map(|r| r.values.iter().map(|v| (v.value.clone(), variables && crate::variables::has_variables(&v.value))).collect());
            out.push(NodeStatement { patterns: bits, resources });
        }
    }
    out
}

/// Numbers the classes of actions: two actions share a class when every
/// pattern matches both or neither (and neither is singular).
#[derive(Default)]
struct Classes {
    ids: HashMap<Vec<u32>, u32>,
}

impl Classes {
    fn of(&mut self, actions: &[ActionInfo], i: usize, patterns: &[Arc<str>]) -> u32 {
        let Some(action) = actions.get(i) else { return u32::MAX };
        let mut sig: Vec<u32> = Vec::new();
        if action.singular {
            sig.extend([u32::MAX, u32::try_from(i).unwrap_or(u32::MAX)]);
        }
        // The service goes into the signature: patterns of another service
        // match none of its actions, which would otherwise share a class.
        let service = action.name.split(':').next().unwrap_or_default();
        sig.extend(service.bytes().map(|b| u32::from(b) | 0x8000_0000));
        for (pi, p) in patterns.iter().enumerate() {
            if action_matches(p, &action.name) {
                sig.push(u32::try_from(pi).unwrap_or(u32::MAX));
            }
        }
        let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        *self.ids.entry(sig).or_insert(next)
    }
}

/// Every Action and NotAction value of the policies, once each.
fn patterns_of(policies: &[&LoadedPolicy]) -> Vec<Arc<str>> {
    let mut seen: HashSet<Arc<str>> = HashSet::new();
    let mut out = Vec::new();
    for p in policies {
        for s in &p.policy.statements {
            for v in &s.action.values {
                if seen.insert(v.value.clone()) {
                    out.push(v.value.clone());
                }
            }
        }
    }
    out
}

fn level_policies(levels: &Option<Vec<PolicyLevel>>) -> impl Iterator<Item = &LoadedPolicy> {
    levels.iter().flatten().flat_map(|l| l.policies.iter())
}

/// Every policy of the document, attached AWS managed ones included.
fn all_policies(scenario: &Scenario) -> Vec<&Policy> {
    let mut out: Vec<&Policy> = Vec::new();
    for a in &scenario.accounts {
        out.extend(a.managed_policies.iter().map(|m| &m.policy.policy));
        out.extend(level_policies(&a.scps).chain(level_policies(&a.rcps)).map(|p| &p.policy));
        for u in &a.users {
            out.extend(u.policies.iter().chain(&u.managed_policies).chain(&u.permissions_boundary).map(|p| &p.policy));
        }
        for g in &a.groups {
            out.extend(g.policies.iter().chain(&g.managed_policies).map(|p| &p.policy));
        }
        for r in &a.roles {
            out.extend(
                std::iter::once(&r.trust_policy).chain(&r.policies).chain(&r.managed_policies).chain(&r.permissions_boundary).map(|p| &p.policy),
            );
        }
        out.extend(a.buckets.iter().filter_map(|b| b.policy.as_ref()).map(|p| &p.policy));
        out.extend(a.resources.iter().filter_map(|r| r.policy.as_ref()).map(|p| &p.policy));
    }
    out
}

/// The object keys that stand for a bucket's objects: `…` (an object no
/// prefix names), then for every `Resource`/`NotResource` of the policies
/// that can name the bucket's objects, the named object, or `PREFIX…` for
/// a prefix before a wildcard or variable.
fn object_keys(bucket: &str, policies: &[&Policy]) -> Vec<String> {
    let mut out = vec!["…".to_string()];
    for p in policies {
        for s in &p.statements {
            let Some(res) = &s.resource else { continue };
            for v in &res.values {
                let Ok(arn) = Arn::parse(&v.value) else { continue };
                if !arn.service.eq_ignore_ascii_case("s3") || !arn.account.is_empty() || !arn.region.is_empty() {
                    continue;
                }
                let Some((bpat, kpat)) = arn.resource.split_once('/') else { continue };
                if !glob_match(bpat, bucket) {
                    continue;
                }
                let key = match kpat.find(['*', '?', '$']) {
                    Some(i) => format!("{}…", kpat.get(..i).unwrap_or_default()),
                    None => kpat.to_string(),
                };
                if !key.is_empty() && !out.contains(&key) {
                    out.push(key);
                }
            }
        }
    }
    out
}

/// A key under which resources have the same candidate actions.
fn shape_of(arn: &str) -> String {
    match Arn::parse(arn) {
        Ok(a) if a.service == "s3" && a.account.is_empty() && a.region.is_empty() => format!("s3 {}", a.resource.contains('/')),
        Ok(a) => {
            let kind = a.resource.split(['/', ':']).next().unwrap_or_default();
            let whole = !a.resource.contains(['/', ':']);
            format!("{} {} {} {} {}", a.service, a.region.is_empty(), a.account.is_empty(), whole, if whole { "" } else { kind })
        }
        Err(_) => arn.to_string(),
    }
}

/// The catalogue's actions of the resource's service (and STS's for a
/// role) whose resource types the ARN can be, by access level then name.
fn candidate_actions(catalogue: &Catalogue, arn: &str) -> Vec<(String, AccessLevel)> {
    let Ok(parsed) = Arn::parse(arn) else { return Vec::new() };
    let mut services = vec![parsed.service];
    if parsed.service == "iam" && parsed.resource.starts_with("role/") {
        services.push("sts");
    }
    let mut out = Vec::new();
    for s in services {
        let Some(service) = catalogue.service(s) else { continue };
        for a in service.actions() {
            if !a.resource_types_matching(arn).is_empty() {
                out.push((a.full_name(), a.access_level()));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Condition keys (and policy variables) that the statements whose
/// principal, action and resource matched test and the request lacks.
fn open_keys(result: &StepResult) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let evaluations = result.evaluation.iter().chain(result.extra_checks.iter().map(|c| &c.evaluation));
    for ev in evaluations {
        collect_open_keys(ev, &mut out);
    }
    out.sort_by_key(|k| k.to_ascii_lowercase());
    out.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    out
}

fn collect_open_keys(ev: &Evaluation, out: &mut Vec<String>) {
    for gate in &ev.gates {
        for p in &gate.policies {
            for s in &p.statements {
                if !s.action.matched || s.principal.as_ref().is_some_and(|p| !p.matched) {
                    continue;
                }
                if let Some(r) = &s.resource {
                    out.extend(r.missing_variables.iter().map(|k| k.to_string()));
                    if !r.matched {
                        continue;
                    }
                }
                for c in &s.conditions {
                    if c.request_values.is_none() {
                        out.push(c.key.to_string());
                    }
                    out.extend(c.unresolved.iter().map(|(_, k)| k.to_string()));
                }
            }
        }
    }
}

fn merge(into: &mut Vec<String>, more: &[String]) {
    for k in more {
        if !into.iter().any(|x| x.eq_ignore_ascii_case(k)) {
            into.push(k.clone());
        }
    }
    into.sort_by_key(|k| k.to_ascii_lowercase());
}
