//! Stepping through a scenario: resolving each step's caller, resource and
//! policies, filling in the request context, evaluating, and establishing
//! role sessions (scenario-format.md; docs/evaluation.md §5, §7).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::arn::{Arn, Entity, Principal};
use crate::context::{ContextValue, RequestContext};
use crate::eval::{self, Caller, CallerKind, NamedPolicy, Options, Policies, PolicyLevel as EvalLevel, Request};
use crate::keys::Seen;
use crate::matching::PrincipalFacts;
use crate::policy::PolicyType;
use crate::scenario::directory::Directory;
use crate::scenario::model::*;
use crate::time;
use crate::trace::{Decision, Evaluation, NearMiss, StatementRef};

/// A role session established by an allowed AssumeRole step.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub arn: String,
    pub role_arn: String,
    pub account: String,
    pub session_name: String,
    /// The role's tags that neither an inherited nor a session tag overrides.
    role_tags: Vec<(String, String)>,
    /// Transitive tags inherited from the calling session's chain.
    inherited: Option<Arc<Link>>,
    /// The session tags of the AssumeRole.
    session_tags: Vec<(String, String)>,
    /// `inherited` and this AssumeRole's transitive tags: what a session
    /// chained from this one inherits.
    transitive: Option<Arc<Link>>,
    /// Whole seconds, at the moment the session was issued.
    pub mfa_age_seconds: Option<i64>,
    pub source_identity: Option<String>,
    /// Epoch seconds.
    pub issued_at: i64,
    /// The session is valid from `issued_at` until (not including)
    /// `issued_at + duration_seconds`; a step after that is `invalid`.
    pub duration_seconds: u32,
    /// Created from another role session (role chaining).
    pub chained: bool,
    /// The id of the step that created it.
    pub created_by: String,
    session_policy: Option<LoadedPolicy>,
    /// The keys AWS adds to every request of a session that a service
    /// created for a resource: `ec2:SourceInstanceARN` for an EC2
    /// instance's role, `lambda:SourceFunctionArn` for a function's.
    pub service_keys: Vec<(String, String)>,
}

impl Session {
    /// Principal tags: the role's tags, then inherited transitive tags,
    /// then session tags (later wins, keys compared without regard to case).
    pub fn tags(&self) -> impl Iterator<Item = (&str, &str)> {
        let inherited = Link::chain(self.inherited.as_ref()).into_iter().flat_map(|l| l.tags.iter());
        self.role_tags.iter().chain(inherited).chain(&self.session_tags).map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The transitive tags a chained session inherits, oldest first.
    pub fn transitive_tags(&self) -> impl Iterator<Item = (&str, &str)> {
        Link::chain(self.transitive.as_ref()).into_iter().flat_map(|l| l.tags.iter()).map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The keys of the transitive tags a chained session inherits, in the
    /// order they were made transitive along the chain.
    pub fn transitive_tag_keys(&self) -> impl Iterator<Item = &str> {
        Link::chain(self.transitive.as_ref()).into_iter().flat_map(|l| l.keys.iter()).map(String::as_str)
    }
}

/// The transitive tags one AssumeRole of a role chain passed on, linked to
/// those of the earlier ones. Every later session of the chain shares them
/// (and transitive tags can be neither overridden nor dropped along a
/// chain), so a chain of n sessions holds n links, not n² tags.
#[derive(Clone)]
struct Link {
    /// The tags it made transitive, in the order of its session tags.
    tags: Vec<(String, String)>,
    /// The keys it made transitive, in the order given, each once.
    keys: Vec<String>,
    parent: Option<Arc<Link>>,
}

impl Link {
    /// The links of a chain, oldest first.
    fn chain(last: Option<&Arc<Link>>) -> Vec<&Link> {
        let mut out = Vec::new();
        let mut next = last;
        while let Some(link) = next {
            out.push(&**link);
            next = link.parent.as_ref();
        }
        out.reverse();
        out
    }
}

/// Unlinks a chain one link at a time: dropping (or comparing, or
/// printing) a chain of thousands of links by recursion would overflow the
/// stack.
impl Drop for Link {
    fn drop(&mut self) {
        let mut next = self.parent.take();
        while let Some(link) = next {
            next = match Arc::try_unwrap(link) {
                Ok(mut only) => only.parent.take(),
                Err(_) => None,
            };
        }
    }
}

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        let (mut a, mut b) = (Some(self), Some(other));
        while let (Some(x), Some(y)) = (a, b) {
            if x.tags != y.tags || x.keys != y.keys {
                return false;
            }
            (a, b) = (x.parent.as_deref(), y.parent.as_deref());
        }
        a.is_none() && b.is_none()
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let earlier = Link::chain(self.parent.as_ref()).len();
        f.debug_struct("Link").field("tags", &self.tags).field("keys", &self.keys).field("earlier_links", &earlier).finish()
    }
}

/// A step's result before it is decided: `skipped`, nothing filled in.
fn blank_result(step: &Step) -> StepResult {
    StepResult {
        id: step.id.clone(),
        principal: step.principal.clone(),
        action: step.action.clone(),
        resource: step.resource.clone(),
        cross_account: false,
        decision: Outcome::Skipped,
        expect: step.expect,
        expectation_met: None,
        decisive: Vec::new(),
        missing_allow: Vec::new(),
        session: None,
        summary: String::new(),
        principal_account: None,
        resource_account: None,
        near_miss: None,
        context: RequestContext::new(),
        evaluation: None,
        extra_checks: Vec::new(),
    }
}

/// The outcome of one step, with its full trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub struct StepResult {
    pub id: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub cross_account: bool,
    pub decision: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expectation_met: Option<bool>,
    pub decisive: Vec<StatementRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<PolicyType>>", optional))]
    pub missing_allow: Vec<PolicyType>,
    /// The session an allowed AssumeRole established.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// One sentence on why; for `skipped` and `invalid`, the reason.
    pub summary: String,
    /// The caller's and the resource's accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_miss: Option<NearMiss>,
    /// The request context the step was evaluated with (a JSON object, in
    /// the order the keys were set).
    #[cfg_attr(feature = "ts", ts(type = "Record<string, string | string[]>"))]
    pub context: RequestContext,
    /// Every gate, policy, statement and condition (see `trace`). In the
    /// result document only its `gates` appear (as `gates`): the decision,
    /// decisive statements, summary and near miss are already on the step.
    #[serde(rename = "gates", serialize_with = "serialize_gates", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "Array<Record<string, unknown>>"))]
    pub evaluation: Option<Evaluation>,
    /// For AssumeRole with session tags or a source identity: the extra
    /// authorisations (`sts:TagSession`, `sts:SetSourceIdentity`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<ExtraCheck>>", optional))]
    pub extra_checks: Vec<ExtraCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExtraCheck {
    pub action: String,
    pub decision: Decision,
    #[cfg_attr(feature = "ts", ts(type = "Record<string, unknown>"))]
    pub evaluation: Evaluation,
}

fn serialize_gates<S: serde::Serializer>(e: &Option<Evaluation>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => e.gates.serialize(s),
        None => s.serialize_none(),
    }
}

/// The result document (`trustwalk/result@1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ScenarioResult {
    #[cfg_attr(feature = "ts", ts(type = "\"trustwalk/result@1\""))]
    pub format: &'static str,
    pub steps: Vec<StepResult>,
}

impl ScenarioResult {
    /// True when every step with an `expect` met it.
    pub fn expectations_met(&self) -> bool {
        self.steps.iter().all(|s| s.expectation_met != Some(false))
    }
}

/// How to run a scenario.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// "Now" in epoch seconds: the default `aws:CurrentTime`. Pin
    /// `aws:CurrentTime` in the document's context for repeatable results.
    /// It must lie in [`time::MIN_EPOCH`]..=[`time::MAX_EPOCH`] (check it
    /// with [`time::check_epoch`]); otherwise every step that does not pin
    /// its time is `invalid`.
    pub now_epoch_seconds: i64,
    pub eval: Options,
}

/// The resource's owner account, resource policy, bucket, tags and region.
/// The resource of a step as the document describes it.
struct ResourceSide<'s> {
    /// The owner, when the document lists it.
    account: Option<&'s Account>,
    policy: Option<&'s LoadedPolicy>,
    bucket: Option<&'s Bucket>,
    tags: &'s [(String, String)],
    region: Option<String>,
}

impl<'s> ResourceSide<'s> {
    fn new(
        account: Option<&'s Account>,
        policy: Option<&'s LoadedPolicy>,
        bucket: Option<&'s Bucket>,
        tags: &'s [(String, String)],
        region: Option<String>,
    ) -> Self {
        ResourceSide { account, policy, bucket, tags, region }
    }

    fn unknown() -> Self {
        ResourceSide { account: None, policy: None, bucket: None, tags: &[], region: None }
    }
}

/// Where a principal lives in the document.
enum Who<'s> {
    User(&'s Account, &'s User),
    Session(&'s Account, &'s Role, Arc<Session>),
    Root(&'s Account),
    /// An AWS service principal: `ec2.amazonaws.com`.
    Service(String),
    Anonymous,
}

/// A step ready to be decided: see [`Runner::prepare`].
struct Setup<'s> {
    who: Who<'s>,
    side: ResourceSide<'s>,
    unlisted: Option<String>,
    now: i64,
    ctx: RequestContext,
    policies: Policies<'s>,
    caller: Caller,
}

pub(crate) struct Runner<'s> {
    scenario: &'s Scenario,
    directory: Directory<'s>,
    /// Sessions by ARN (shared with the steps that use them, not copied).
    sessions: HashMap<String, Arc<Session>>,
    options: RunOptions,
    /// Whether results carry the whole explanation (gate notes, near
    /// miss); see [`eval::evaluate_detail`].
    explain: bool,
    /// The setups of the last steps prepared, by what they were made from
    /// (see [`SetupKey`]), the most recently used last; emptied whenever a
    /// session is established.
    recent: Vec<(SetupKey<'s>, Setup<'s>)>,
}

/// Setups a runner keeps (a run alternates between a few callers; the
/// access map decides every class of a resource's actions in a row).
const RECENT_SETUPS: usize = 4;

/// What a [`Setup`] is made from, for a step with no AssumeRole, source or
/// context of its own: its principal, its resource's side (the owner
/// account, resource policy, bucket, tags and region the document gives
/// it, by identity: every object of one bucket has the same), the account
/// of a resource in an account the document does not list, and of the
/// action only whether its service is global (`aws:RequestedRegion`) and
/// whether it is an IAM action that sees a role's or user's tags
/// ([`Runner::kind_of`]). A step's time is then the document's, so two
/// steps made from the same are prepared alike.
struct SetupKey<'s> {
    principal: String,
    account: Option<&'s Account>,
    policy: Option<&'s LoadedPolicy>,
    bucket: Option<&'s Bucket>,
    tags: &'s [(String, String)],
    region: Option<String>,
    unlisted: Option<String>,
    global: bool,
    resource_tags: bool,
}

impl<'s> SetupKey<'s> {
    fn matches(&self, step: &Step, side: &ResourceSide<'s>, unlisted: Option<&str>, (global, resource_tags): (bool, bool)) -> bool {
        fn same<T>(a: Option<&T>, b: Option<&T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
        }
        self.principal == step.principal
            && same(self.account, side.account)
            && same(self.policy, side.policy)
            && same(self.bucket, side.bucket)
            && std::ptr::eq(self.tags, side.tags)
            && self.region == side.region
            && self.unlisted.as_deref() == unlisted
            && self.global == global
            && self.resource_tags == resource_tags
    }
}

/// Runs every step in order.
pub fn run(scenario: &Scenario, options: RunOptions) -> ScenarioResult {
    let mut steps = Vec::with_capacity(scenario.steps.len());
    run_each(scenario, options, |step| steps.push(step));
    ScenarioResult { format: RESULT_FORMAT, steps }
}

/// Runs every step in order, handing each result to `f` as soon as it is
/// known (for streaming large scenarios without keeping every trace).
pub fn run_each(scenario: &Scenario, options: RunOptions, f: impl FnMut(StepResult)) {
    run_iter(scenario, options).for_each(f);
}

/// The results of the steps, in order, each computed when it is asked for:
/// a consumer that writes each result out and drops it holds one step's
/// trace at a time, and may stop early (sessions established by the steps
/// run so far are kept inside the iterator).
pub fn run_iter(scenario: &Scenario, options: RunOptions) -> RunIter<'_> {
    RunIter { runner: Runner::new(scenario, options), steps: scenario.steps.iter() }
}

/// See [`run_iter`].
pub struct RunIter<'s> {
    runner: Runner<'s>,
    steps: std::slice::Iter<'s, Step>,
}

impl Iterator for RunIter<'_> {
    type Item = StepResult;

    fn next(&mut self) -> Option<StepResult> {
        let step = self.steps.next()?;
        Some(self.runner.step(step))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.steps.size_hint()
    }
}

impl ExactSizeIterator for RunIter<'_> {}

/// The sessions a run establishes, in the order it establishes them, each
/// with the index of the step that did: the only thing a step takes from
/// the steps before it. With it, [`Resume`] runs any stretch of steps
/// apart from the others, with exactly the results of a run from the
/// start (so that several threads can share a long run).
///
/// Made by deciding the AssumeRole steps alone, in order (an AssumeRole
/// may use a session an earlier one established); no other step
/// establishes a session.
#[derive(Debug, Default)]
pub struct Timeline {
    established: Vec<(usize, Arc<Session>)>,
}

impl Timeline {
    pub fn new(scenario: &Scenario, options: RunOptions) -> Self {
        let mut runner = Runner::lean(scenario, options);
        let mut established = Vec::new();
        for (i, step) in scenario.steps.iter().enumerate().filter(|(_, s)| s.assume_role.is_some()) {
            let made = runner.step(step).session;
            if let Some(session) = made.and_then(|arn| runner.sessions.get(&arn)) {
                established.push((i, Arc::clone(session)));
            }
        }
        Timeline { established }
    }

    /// How many sessions the run establishes.
    pub fn len(&self) -> usize {
        self.established.len()
    }

    pub fn is_empty(&self) -> bool {
        self.established.is_empty()
    }
}

/// Runs stretches of a scenario's steps, each in order and each after the
/// ones it ran before, with the sessions of a [`Timeline`]: a step's
/// result is the one [`run_iter`] gives it.
pub struct Resume<'s, 't> {
    runner: Runner<'s>,
    timeline: &'t Timeline,
    /// How many of the timeline's sessions are in `runner`.
    applied: usize,
}

impl<'s, 't> Resume<'s, 't> {
    pub fn new(scenario: &'s Scenario, options: RunOptions, timeline: &'t Timeline) -> Self {
        Resume { runner: Runner::new(scenario, options), timeline, applied: 0 }
    }

    /// Runs the steps in `steps` (which start at or after the end of the
    /// stretch run before), handing each result to `f`.
    pub fn run(&mut self, steps: Range<usize>, mut f: impl FnMut(StepResult)) {
        // The sessions established before this stretch, in order (an ARN
        // established again is replaced, as in a run from the start).
        let later = self.timeline.established.get(self.applied..).unwrap_or_default();
        let before = later.partition_point(|(i, _)| *i < steps.start);
        for (_, session) in later.get(..before).unwrap_or_default() {
            self.runner.sessions.insert(session.arn.clone(), Arc::clone(session));
        }
        if before > 0 {
            self.applied += before;
            self.runner.recent.clear();
        }
        for step in self.runner.scenario.steps.get(steps).unwrap_or_default() {
            f(self.runner.step(step));
        }
    }
}

fn set_tags<'t>(ctx: &mut RequestContext, prefix: &str, tags: impl IntoIterator<Item = (&'t str, &'t str)>) {
    for (k, v) in tags {
        ctx.set(&format!("{prefix}/{k}"), v);
    }
}

fn pairs(tags: &[(String, String)]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

fn levels(levels: &Option<Vec<PolicyLevel>>) -> Vec<EvalLevel<'_>> {
    levels.iter().flatten().map(|l| EvalLevel { name: &l.name, policies: l.policies.iter().map(named).collect() }).collect()
}

fn named(p: &LoadedPolicy) -> NamedPolicy<'_> {
    NamedPolicy { name: &p.display, policy: &p.policy, error: p.error.as_deref() }
}

impl<'s> Runner<'s> {
    /// A runner with no sessions: for a run, and for requests built by
    /// other modules (the access map) that must be decided exactly as
    /// steps are.
    pub(crate) fn new(scenario: &'s Scenario, options: RunOptions) -> Self {
        Runner { scenario, directory: Directory::new(&scenario.accounts), sessions: HashMap::new(), options, explain: true, recent: Vec::new() }
    }

    /// [`Runner::new`] whose results leave out what only an explanation
    /// reads (gate notes and `required`, near misses): the decision, its
    /// decisive statements, the summary and the statement traces are those
    /// of a full run.
    pub(crate) fn lean(scenario: &'s Scenario, options: RunOptions) -> Self {
        Runner { explain: false, ..Runner::new(scenario, options) }
    }

    /// Decides one step (establishing the session of an allowed AssumeRole).
    pub(crate) fn probe(&mut self, step: &Step) -> StepResult {
        self.step(step)
    }

    /// What of an action a prepared step depends on (see [`SetupKey`]):
    /// whether its service is global, and whether it is an IAM action that
    /// sees a role's or user's tags.
    pub(crate) fn kind_of(action: &str) -> (bool, bool) {
        let service = action.split(':').next().unwrap_or_default();
        (service.eq_ignore_ascii_case("sts") || service.eq_ignore_ascii_case("iam"), iam_action_sees_resource_tags(action))
    }

    /// The request context [`Runner::probe_shared`] decides `step` with
    /// (and so every step made from the same, see [`SetupKey`]), prepared
    /// and kept for it; `None` for a step it does not share, or that is
    /// skipped or invalid before its context is made.
    pub(crate) fn shared_context(&mut self, step: &Step) -> Option<&RequestContext> {
        if !shareable(step) {
            return None;
        }
        self.recent_setup(step).ok()?;
        self.recent.last().map(|(_, setup)| &setup.ctx)
    }

    /// [`Runner::probe`], reusing the setup of a recent step made from the
    /// same ([`SetupKey`]) for a step with no AssumeRole, source or context
    /// of its own. Its result has no `context`.
    pub(crate) fn probe_shared(&mut self, step: &Step) -> StepResult {
        if !shareable(step) {
            return self.step(step);
        }
        let mut out = blank_result(step);
        match self.recent_setup(step) {
            Ok(()) => self.decide_recent(step, &mut out),
            Err((outcome, summary)) => out.finish(outcome, summary),
        }
        out.expectation_met = step.expect.map(|e| out.decision.meets(e));
        out
    }

    /// Establishes the session `session_name` of the role `role_arn` as an
    /// allowed AssumeRole step at `template`'s time would (no MFA, tags,
    /// source identity or session policy), whoever may assume it. Returns
    /// the session's ARN, or `None` when the role is not in the document or
    /// the step's time cannot be read.
    pub(crate) fn plain_session(&mut self, role_arn: &str, session_name: &str, template: &Step) -> Option<String> {
        let (account, _) = self.directory.role(role_arn)?;
        let now = self.step_time(template).ok()?;
        let ar = AssumeRole { role_arn: role_arn.to_string(), session_name: session_name.to_string(), ..Default::default() };
        self.establish_session(template, &ar, &Who::Anonymous, account, now)
    }

    fn account(&self, id: &str) -> Option<&'s Account> {
        self.directory.account(id)
    }

    fn resolve(&self, principal: &str) -> Result<Who<'s>, String> {
        let p = match Principal::parse_caller(principal) {
            Ok(Principal::Arn(p)) => p,
            Ok(Principal::Service(name)) => return Ok(Who::Service(name.to_string())),
            Ok(_) => return Ok(Who::Anonymous),
            Err(_) => return Err(format!("`{principal}` is not a principal ARN")),
        };
        let account = self.account(p.account.as_str()).ok_or_else(|| format!("no account {} in the document", p.account))?;
        let (role_name, session_name) = match p.entity {
            Entity::Root if p.arn.service == "iam" => return Ok(Who::Root(account)),
            Entity::User { .. } if p.arn.service == "iam" => {
                let user = self.directory.user(principal).ok_or_else(|| format!("no user `{principal}`"))?;
                return Ok(Who::User(account, user));
            }
            Entity::RoleSession { role, session } => (role, session),
            _ => return Err(format!("`{principal}` is not a user, root or assumed-role session ARN")),
        };
        let role = self.directory.role_named(&account.id, role_name).ok_or_else(|| format!("no role `{role_name}`"))?;
        match self.sessions.get(principal) {
            Some(s) => Ok(Who::Session(account, role, Arc::clone(s))),
            None => Err(format!(
                "the session `{principal}` was never established: no earlier AssumeRole step of role `{role_name}` with session name `{session_name}` was allowed"
            )),
        }
    }

    /// The resource's owner and its resource policy.
    fn resource_owner(&self, step: &Step) -> ResourceSide<'s> {
        if let Some(ar) = &step.assume_role {
            return match self.directory.role(&ar.role_arn) {
                Some((a, r)) => ResourceSide::new(Some(a), Some(&r.trust_policy), None, &r.tags, None),
                None => ResourceSide::unknown(),
            };
        }
        let r = step.resource.as_str();
        let arn = Arn::parse(r).ok();
        let region = arn.and_then(|a| a.region()).map(str::to_string);
        if let Some((a, x)) = self.directory.resource(r) {
            return ResourceSide::new(Some(a), x.policy.as_ref(), None, &x.tags, region);
        }
        let Some(arn) = arn else {
            return ResourceSide::unknown();
        };
        // An IAM role or user that an IAM action acts on: its tags are
        // `aws:ResourceTag/…`, except for `iam:PassRole`, which does not
        // support that key (IAM User Guide, "Controlling access to and
        // for IAM users and roles using tags").
        if arn.service == "iam" && iam_action_sees_resource_tags(&step.action) {
            if let Some((a, role)) = self.directory.role(r) {
                return ResourceSide::new(Some(a), None, None, &role.tags, region);
            }
            if let (Some(user), Some(a)) = (self.directory.user(r), self.account(arn.account)) {
                return ResourceSide::new(Some(a), None, None, &user.tags, region);
            }
        }
        if let Some((a, b)) = arn.s3_bucket().and_then(|name| self.directory.bucket(name)) {
            return ResourceSide::new(Some(a), b.policy.as_ref(), Some(b), &b.tags, Some(b.region.clone()));
        }
        if !arn.account.is_empty() {
            return ResourceSide::new(self.account(arn.account), None, None, &[], region);
        }
        ResourceSide::unknown()
    }

    fn step(&mut self, step: &Step) -> StepResult {
        let mut result = blank_result(step);
        self.evaluate_step(step, &mut result);
        result.expectation_met = step.expect.map(|e| result.decision.meets(e));
        result
    }

    /// One step, in phases: who calls and what it acts on → the request
    /// context and the policies that apply ([`Runner::prepare`]) → the
    /// checks AWS makes before authorising → the decision (with
    /// AssumeRole's extra checks) → the session an allowed AssumeRole
    /// establishes ([`Runner::decide`]).
    fn evaluate_step(&mut self, step: &Step, out: &mut StepResult) {
        if shareable(step) {
            match self.recent_setup(step) {
                Ok(()) => {
                    self.decide_recent(step, out);
                    out.context = self.recent.last().map(|(_, setup)| setup.ctx.clone()).unwrap_or_default();
                }
                Err((outcome, summary)) => out.finish(outcome, summary),
            }
            return;
        }
        match self.prepare(step) {
            Ok(p) => {
                self.decide(step, &p, out);
                out.context = p.ctx;
            }
            Err((outcome, summary)) => out.finish(outcome, summary),
        }
    }

    /// Makes the setup of a step with no AssumeRole, source or context of
    /// its own the last of `recent`: that of a recent step made from the
    /// same ([`SetupKey`]), as for each object read from one bucket by one
    /// caller, or else a new one (the least recently used dropped). `Err`
    /// for a step that is skipped or invalid before its setup.
    fn recent_setup(&mut self, step: &Step) -> Result<(), (Outcome, String)> {
        let side = self.resource_owner(step);
        let unlisted = match side.account {
            None => unlisted_account(&step.resource, &self.directory),
            Some(_) => None,
        };
        let kind = Runner::kind_of(&step.action);
        if let Some(i) = self.recent.iter().position(|(k, _)| k.matches(step, &side, unlisted, kind)) {
            let used = self.recent.remove(i);
            self.recent.push(used);
            return Ok(());
        }
        let setup = self.prepare(step)?;
        let key = SetupKey {
            principal: step.principal.clone(),
            account: side.account,
            policy: side.policy,
            bucket: side.bucket,
            tags: side.tags,
            region: side.region,
            unlisted: unlisted.map(str::to_string),
            global: kind.0,
            resource_tags: kind.1,
        };
        if self.recent.len() == RECENT_SETUPS {
            self.recent.remove(0);
        }
        self.recent.push((key, setup));
        Ok(())
    }

    /// Decides a step with the last setup of `recent` (see
    /// [`Runner::recent_setup`]).
    fn decide_recent(&mut self, step: &Step, out: &mut StepResult) {
        if let Some(recent) = self.recent.pop() {
            self.decide(step, &recent.1, out);
            self.recent.push(recent);
        }
    }

    /// Who calls, what it acts on, the request context and the policies
    /// that apply; `Err` for a step that is skipped or invalid before that.
    fn prepare(&self, step: &Step) -> Result<Setup<'s>, (Outcome, String)> {
        let who = self.resolve(&step.principal).map_err(|reason| (Outcome::Skipped, format!("skipped: {reason}")))?;
        let side = self.resource_owner(step);
        // A resource in an account the document does not list is still
        // owned by that account: the request crosses accounts and needs a
        // grant from it, which the document cannot give.
        let unlisted = match side.account {
            None => unlisted_account(&step.resource, &self.directory),
            Some(_) => None,
        };
        // The moment of this request. Session ages and expiry are measured
        // from it; a time that cannot be read is never replaced by the clock.
        let now = self.step_time(step).map_err(|reason| (Outcome::Invalid, format!("invalid: {reason}")))?;

        let mut ctx = RequestContext::with_capacity(16);
        let mut policies = Policies::default();
        let caller = self.principal_side(&who, now, &mut ctx, &mut policies);
        resource_side(&side, unlisted, step, &mut ctx, &mut policies);
        if let Some(ar) = &step.assume_role {
            assume_role_keys(ar, &who, &mut ctx);
        }
        // The resource a service calls for (the confused-deputy guard's keys).
        if let Some(src) = &step.source {
            if let Some(arn) = &src.arn {
                ctx.set("aws:SourceArn", arn.as_str());
            }
            if let Some(account) = &src.account {
                ctx.set("aws:SourceAccount", account.as_str());
            }
        }
        self.context_overrides(step, now, &mut ctx);
        Ok(Setup { who, side, unlisted: unlisted.map(str::to_string), now, ctx, policies, caller })
    }

    /// Decides a prepared step (everything of its result but `context`).
    fn decide(&mut self, step: &Step, p: &Setup<'s>, out: &mut StepResult) {
        let (who, side, caller, ctx) = (&p.who, &p.side, &p.caller, &p.ctx);
        // The session's own policy lives in the session (the setup's
        // policies, without it, are shared between steps).
        let with_session_policy;
        let policies = match who {
            Who::Session(_, _, s) if s.session_policy.is_some() => {
                with_session_policy = Policies { session_policy: s.session_policy.as_ref().map(named), ..p.policies.clone() };
                &with_session_policy
            }
            _ => &p.policies,
        };
        let unlisted = p.unlisted.as_deref();
        let res_account_id = side.account.map(|a| a.id.as_str()).or(unlisted);
        out.principal_account = caller.facts.account.clone();
        out.resource_account = res_account_id.map(str::to_string);
        if let Some(bad) = policies.unreadable() {
            out.cross_account = caller.facts.account.as_deref() != res_account_id;
            let error = bad.error.unwrap_or_default();
            return out.finish(Outcome::Invalid, format!("invalid: not evaluated, `{}` has an error: {error}", bad.name));
        }
        if let Some(reason) = self.rejected_before_authorising(step, who, p.now) {
            out.cross_account = caller.facts.account.as_deref() != res_account_id;
            return out.finish(Outcome::Invalid, format!("invalid: {reason}"));
        }

        let mut options = self.options.eval;
        options.restrict_public_buckets = side.bucket.is_some_and(|b| b.block_public_access);
        let request = Request { caller, action: &step.action, resource: &step.resource, resource_account: res_account_id, context: ctx };
        let evaluation = eval::evaluate_detail(&request, policies, &options, self.explain);
        out.cross_account = evaluation.cross_account;
        out.summary = match (unlisted, evaluation.decision) {
            (Some(id), Decision::ImplicitDeny) => format!(
                "implicitly denied: the resource is in account {id}, which the document does not list; a request across accounts \
                 needs a grant from the resource's account as well as from the caller's, and nothing in the document can give it"
            ),
            _ => evaluation.summary.clone(),
        };
        out.decisive = evaluation.decisive.clone();
        out.missing_allow = evaluation.missing_allow.clone();
        out.near_miss = evaluation.near_miss.clone();
        let mut decision = evaluation.decision;
        if let Some(ar) = &step.assume_role {
            decision = extra_checks(ar, who, &request, policies, &options, decision, out);
        }
        out.decision = match decision {
            Decision::Allowed => Outcome::Allowed,
            Decision::ExplicitDeny => Outcome::ExplicitDeny,
            Decision::ImplicitDeny => Outcome::ImplicitDeny,
        };
        out.evaluation = Some(evaluation);

        if let (Some(ar), Outcome::Allowed, Some(account)) = (&step.assume_role, out.decision, side.account) {
            out.session = self.establish_session(step, ar, who, account, p.now);
        }
    }

    /// The caller, its identity-side policies, and the principal's context
    /// keys.
    fn principal_side(&self, who: &Who<'s>, now: i64, ctx: &mut RequestContext, policies: &mut Policies<'s>) -> Caller {
        let (caller, account) = match who {
            Who::Anonymous => {
                ctx.set("aws:PrincipalType", "Anonymous");
                let facts = PrincipalFacts { anonymous: true, ..Default::default() };
                (Caller { kind: CallerKind::Anonymous, facts, has_boundary: false }, None)
            }
            Who::Root(a) => {
                let arn = crate::arn::build::root(&a.id);
                ctx.set("aws:PrincipalArn", arn.as_str());
                ctx.set("aws:PrincipalType", "Account");
                ctx.set("aws:userid", a.id.as_str());
                let facts = PrincipalFacts { arn, account: Some(a.id.clone()), unique_id: Some(a.id.clone()), ..Default::default() };
                (Caller { kind: CallerKind::Root, facts, has_boundary: false }, Some(*a))
            }
            Who::User(a, u) => (self.user_side(a, u, ctx, policies), Some(*a)),
            Who::Session(a, r, s) => (session_side(a, r, s, now, ctx, policies), Some(*a)),
            Who::Service(name) => {
                // A service principal belongs to no account: no identity
                // policies, no SCPs (IAM User Guide, "AWS service principals";
                // global condition keys `aws:PrincipalServiceName`,
                // `aws:PrincipalServiceNamesList`, `aws:PrincipalIsAWSService`).
                ctx.set("aws:PrincipalServiceName", name.as_str());
                ctx.set("aws:PrincipalServiceNamesList", ContextValue::multi([name.as_str()]));
                ctx.set("aws:PrincipalIsAWSService", true);
                return Caller::service(name);
            }
        };
        if let Some(a) = account {
            ctx.set("aws:PrincipalAccount", a.id.as_str());
            if let Some(org) = &a.org_id {
                ctx.set("aws:PrincipalOrgID", org.as_str());
            }
            policies.scps = levels(&a.scps);
        }
        ctx.set("aws:PrincipalIsAWSService", false);
        caller
    }

    fn user_side(&self, a: &'s Account, u: &'s User, ctx: &mut RequestContext, policies: &mut Policies<'s>) -> Caller {
        policies.identity.extend(u.policies.iter().chain(&u.managed_policies).map(named));
        for g in &u.groups {
            if let Some(group) = self.directory.group(&a.id, g) {
                policies.identity.extend(group.policies.iter().chain(&group.managed_policies).map(named));
            }
        }
        policies.permissions_boundary = u.permissions_boundary.as_ref().map(named);
        ctx.set("aws:PrincipalArn", u.arn.as_str());
        ctx.set("aws:PrincipalType", "User");
        ctx.set("aws:userid", u.unique_id.as_str());
        ctx.set("aws:username", u.name.as_str());
        set_tags(ctx, "aws:PrincipalTag", pairs(&u.tags));
        Caller {
            kind: CallerKind::User,
            facts: PrincipalFacts { arn: u.arn.clone(), account: Some(a.id.clone()), unique_id: Some(u.unique_id.clone()), ..Default::default() },
            has_boundary: u.permissions_boundary.is_some(),
        }
    }

    /// Defaults, then the document's and the step's context.
    fn context_overrides(&self, step: &Step, now: i64, ctx: &mut RequestContext) {
        ctx.set("aws:SecureTransport", true);
        ctx.set("aws:ViaAWSService", false);
        ctx.set("aws:CurrentTime", time::format_iso8601(now));
        for (k, v) in self.scenario.context.iter().chain(step.context.iter()) {
            match v {
                Some(v) => ctx.set(k, v.clone()),
                None => ctx.remove(k),
            }
        }
        if !ctx.contains("aws:EpochTime") {
            if let Some(t) = ctx.get_single("aws:CurrentTime").and_then(time::parse_epoch) {
                ctx.set("aws:EpochTime", t.to_string());
            }
        }
    }

    /// Requests that AWS rejects before authorising: an expired session, an
    /// AssumeRole that breaks STS's rules.
    fn rejected_before_authorising(&self, step: &Step, who: &Who<'_>, now: i64) -> Option<String> {
        if let Who::Session(_, _, s) = who {
            if let Some(reason) = session_time_problem(s, now) {
                return Some(reason);
            }
        }
        let ar = step.assume_role.as_ref()?;
        // The role is in the resource's account: the first account that lists its ARN.
        let role = self.directory.role(&ar.role_arn).map(|(_, r)| r);
        self.invalid_assume_role(who, ar, role, matches!(who, Who::Session(..)))
    }

    /// The session an allowed AssumeRole establishes, by its ARN.
    fn establish_session(&mut self, step: &Step, ar: &AssumeRole, who: &Who<'_>, account: &'s Account, now: i64) -> Option<String> {
        self.recent.clear();
        let (_, role) = self.directory.role(&ar.role_arn).filter(|(a, _)| std::ptr::eq(*a, account))?;
        let (inherited, inherited_si, chained) = match who {
            Who::Session(_, _, s) => (s.transitive.clone(), s.source_identity.clone(), true),
            _ => (None, None, false),
        };
        let chain = Link::chain(inherited.as_ref());
        // Inherited and session tags override the role's (a session tag
        // cannot override an inherited one: such a step is invalid).
        let overriding = Seen::caseless_of(chain.iter().flat_map(|l| l.tags.iter()).chain(&ar.session_tags).map(|(k, _)| k.as_str()));
        let role_tags = role.tags.iter().filter(|(k, _)| !overriding.contains(k)).cloned().collect();
        // This AssumeRole's transitive keys that are new to the chain, and
        // their session tags: the chain's next link.
        let mut known = Seen::caseless_of(chain.iter().flat_map(|l| l.keys.iter()).map(String::as_str));
        let keys: Vec<String> = ar.transitive_tag_keys.iter().filter(|k| known.insert(k)).cloned().collect();
        let transitive = if keys.is_empty() {
            inherited.clone()
        } else {
            let own = Seen::caseless_of(keys.iter().map(String::as_str));
            let tags = ar.session_tags.iter().filter(|(k, _)| own.contains(k)).cloned().collect();
            Some(Arc::new(Link { tags, keys, parent: inherited.clone() }))
        };
        let arn = crate::arn::build::session(&account.id, &role.name, &ar.session_name);
        let session = Session {
            arn: arn.clone(),
            role_arn: role.arn.clone(),
            account: account.id.clone(),
            session_name: ar.session_name.clone(),
            role_tags,
            inherited,
            session_tags: ar.session_tags.clone(),
            transitive,
            mfa_age_seconds: ar.mfa.as_ref().map(|m| m.age_seconds),
            source_identity: ar.source_identity.clone().or(inherited_si),
            issued_at: now,
            duration_seconds: ar.duration_seconds.unwrap_or(3600),
            chained,
            created_by: step.id.clone(),
            session_policy: ar.session_policy.clone(),
            service_keys: service_session_keys(who, step.source.as_ref()),
        };
        self.sessions.insert(arn.clone(), Arc::new(session));
        Some(arn)
    }

    /// The moment of a step: its pinned `aws:CurrentTime` (the step's over
    /// the document's; `null` unpins it), else "now".
    fn step_time(&self, step: &Step) -> Result<i64, String> {
        let pinned = step
            .context
            .iter()
            .chain(self.scenario.context.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case("aws:CurrentTime"))
            .and_then(|(_, v)| v.as_ref());
        match pinned {
            Some(v) => match v.single() {
                Some(text) => time::parse_time(text).map_err(|e| format!("`aws:CurrentTime`: {e}")),
                None => Err("`aws:CurrentTime` takes one time, not a list".into()),
            },
            None => time::check_epoch(self.options.now_epoch_seconds).map_err(|e| format!("\"now\" is {e}")),
        }
    }

    /// Checks that AWS makes before authorising an AssumeRole call.
    fn invalid_assume_role(&self, who: &Who<'_>, ar: &AssumeRole, role: Option<&Role>, chained: bool) -> Option<String> {
        if matches!(who, Who::Root(_)) {
            return Some("the root user cannot call AssumeRole".into());
        }
        if matches!(who, Who::Anonymous) {
            return Some("AssumeRole must be signed: anonymous callers cannot assume roles".into());
        }
        let role = role?;
        if let (Who::Service(name), None) = (who, &role.instance_profile) {
            if name == "ec2.amazonaws.com" {
                return Some(format!("EC2 assumes a role only through an instance profile, and the role `{}` has no `instanceProfile`", role.name));
            }
        }
        if let Some(d) = ar.duration_seconds {
            if chained && d > 3600 {
                return Some(format!("role chaining is limited to one hour: DurationSeconds {d} is more than 3600"));
            }
            if d < 900 || d > role.max_session_duration {
                return Some(format!("DurationSeconds {d} is outside 900 to {} (the role's maxSessionDuration)", role.max_session_duration));
            }
        }
        if let (Who::Session(_, _, s), Some(new)) = (who, &ar.source_identity) {
            if let Some(old) = &s.source_identity {
                if old != new {
                    return Some(format!("the source identity `{old}` was set earlier in this role chain and cannot be changed to `{new}`"));
                }
            }
        }
        if let (Who::Session(_, _, s), false) = (who, ar.session_tags.is_empty()) {
            let transitive = Seen::caseless_of(s.transitive_tag_keys());
            for (k, _) in &ar.session_tags {
                if transitive.contains(k) {
                    return Some(format!("the session tag `{k}` was passed as transitive earlier in the chain and cannot be overridden"));
                }
            }
        }
        None
    }
}

/// Why a session cannot make a request at `now`: it has expired, or it
/// was issued later (the steps' pinned times go backwards).
fn session_time_problem(s: &Session, now: i64) -> Option<String> {
    if now < s.issued_at {
        return Some(format!(
            "the session `{}` was issued at {} (step `{}`), after this step's time {}",
            s.arn,
            time::format_iso8601(s.issued_at),
            s.created_by,
            time::format_iso8601(now)
        ));
    }
    let expires = s.issued_at.checked_add(i64::from(s.duration_seconds))?;
    (now >= expires).then(|| {
        format!(
            "the session expired at {} ({} seconds after step `{}` issued it at {}); this step's time is {}",
            time::format_iso8601(expires),
            s.duration_seconds,
            s.created_by,
            time::format_iso8601(s.issued_at),
            time::format_iso8601(now)
        )
    })
}

/// Whether an action is an IAM action whose role or user resource's tags
/// are `aws:ResourceTag/…`: every IAM action but `iam:PassRole`.
fn iam_action_sees_resource_tags(action: &str) -> bool {
    match action.split_once(':') {
        Some((service, name)) => service.eq_ignore_ascii_case("iam") && !name.eq_ignore_ascii_case("PassRole"),
        None => false,
    }
}

/// The account a resource ARN names when the document does not list it
/// (`None` for `*`, for ARNs without an account, such as S3 buckets', and
/// for listed accounts).
impl StepResult {
    /// Ends a step that was not evaluated.
    fn finish(&mut self, decision: Outcome, summary: String) {
        self.decision = decision;
        self.summary = summary;
    }
}

/// The keys AWS adds to the requests of a session that the service `who`
/// created for the resource `source` (IAM User Guide, global condition
/// keys `ec2:SourceInstanceARN` and `lambda:SourceFunctionArn`).
fn service_session_keys(who: &Who<'_>, source: Option<&ServiceSource>) -> Vec<(String, String)> {
    let (Who::Service(name), Some(arn)) = (who, source.and_then(|s| s.arn.as_ref())) else {
        return Vec::new();
    };
    let key = match name.as_str() {
        "ec2.amazonaws.com" => "ec2:SourceInstanceARN",
        "lambda.amazonaws.com" => "lambda:SourceFunctionArn",
        _ => return Vec::new(),
    };
    vec![(key.to_string(), arn.clone())]
}

/// A role session's identity side and context keys.
fn session_side<'s>(a: &'s Account, r: &'s Role, s: &Session, now: i64, ctx: &mut RequestContext, policies: &mut Policies<'s>) -> Caller {
    policies.identity.extend(r.policies.iter().chain(&r.managed_policies).map(named));
    policies.permissions_boundary = r.permissions_boundary.as_ref().map(named);
    ctx.set("aws:PrincipalArn", r.arn.as_str());
    ctx.set("aws:PrincipalType", "AssumedRole");
    ctx.set("aws:userid", format!("{}:{}", r.unique_id, s.session_name));
    set_tags(ctx, "aws:PrincipalTag", s.tags());
    ctx.set("aws:TokenIssueTime", time::format_iso8601(s.issued_at));
    match s.mfa_age_seconds {
        Some(age) => {
            ctx.set("aws:MultiFactorAuthPresent", true);
            // `None` only for a step before the session was issued, which
            // `session_time_problem` makes invalid.
            if let Some(age) = now.checked_sub(s.issued_at).filter(|e| *e >= 0).and_then(|e| age.checked_add(e)) {
                ctx.set("aws:MultiFactorAuthAge", age.to_string());
            }
        }
        None => ctx.set("aws:MultiFactorAuthPresent", false),
    }
    if let Some(si) = &s.source_identity {
        ctx.set("aws:SourceIdentity", si.as_str());
    }
    for (k, v) in &s.service_keys {
        ctx.set(k.as_str(), v.as_str());
    }
    Caller {
        kind: CallerKind::RoleSession,
        facts: PrincipalFacts {
            arn: s.arn.clone(),
            account: Some(a.id.clone()),
            role_arn: Some(r.arn.clone()),
            unique_id: Some(r.unique_id.clone()),
            ..Default::default()
        },
        has_boundary: r.permissions_boundary.is_some(),
    }
}

/// The resource's account, tags, region and policy.
fn resource_side<'s>(side: &ResourceSide<'s>, unlisted: Option<&str>, step: &Step, ctx: &mut RequestContext, policies: &mut Policies<'s>) {
    if let Some(id) = unlisted {
        ctx.set("aws:ResourceAccount", id);
    }
    if let Some(a) = side.account {
        ctx.set("aws:ResourceAccount", a.id.as_str());
        if let Some(org) = &a.org_id {
            ctx.set("aws:ResourceOrgID", org.as_str());
        }
        policies.rcps = levels(&a.rcps);
    }
    set_tags(ctx, "aws:ResourceTag", pairs(side.tags));
    policies.resource = side.policy.map(named);
    let service = step.action.split(':').next().unwrap_or_default();
    let global = service.eq_ignore_ascii_case("sts") || service.eq_ignore_ascii_case("iam");
    let region = if global { None } else { side.region.as_deref() };
    ctx.set("aws:RequestedRegion", region.unwrap_or("us-east-1"));
}

/// The request keys of an AssumeRole. In a role chain the calling
/// session's transitive tags pass to the new session as its session tags,
/// and stay transitive (IAM User Guide, "Pass session tags in AWS STS",
/// "Chaining roles with session tags"): the request carries them with the
/// step's own session tags, in `aws:RequestTag/…`, `aws:TagKeys` and
/// `sts:TransitiveTagKeys`.
fn assume_role_keys(ar: &AssumeRole, who: &Who<'_>, ctx: &mut RequestContext) {
    let incoming = match who {
        Who::Session(_, _, s) => Some(s),
        _ => None,
    };
    ctx.set("sts:RoleSessionName", ar.session_name.as_str());
    if let Some(e) = &ar.external_id {
        ctx.set("sts:ExternalId", e.as_str());
    }
    if let Some(m) = &ar.mfa {
        ctx.set("aws:MultiFactorAuthPresent", true);
        ctx.set("aws:MultiFactorAuthAge", m.age_seconds.to_string());
    }
    let request_tags: Vec<(&str, &str)> = incoming.iter().flat_map(|s| s.transitive_tags()).chain(pairs(&ar.session_tags)).collect();
    if !request_tags.is_empty() {
        set_tags(ctx, "aws:RequestTag", request_tags.iter().copied());
        ctx.set("aws:TagKeys", ContextValue::multi(request_tags.iter().map(|(k, _)| k)));
    }
    let transitive_keys: Vec<&str> =
        incoming.iter().flat_map(|s| s.transitive_tag_keys()).chain(ar.transitive_tag_keys.iter().map(String::as_str)).collect();
    if !transitive_keys.is_empty() {
        ctx.set("sts:TransitiveTagKeys", ContextValue::multi(&transitive_keys));
    }
    if let Some(si) = &ar.source_identity {
        ctx.set("sts:SourceIdentity", si.as_str());
    }
}

/// Session tags and source identity need their own permission, checked like
/// AssumeRole itself (docs/evaluation.md §5.2). AWS authorises the call once: an
/// explicit Deny in any of its checks denies it explicitly, whichever check
/// it is in and whatever their order; only then does a missing Allow decide
/// (IAM User Guide, "Policy evaluation logic"). So every check runs, even
/// when AssumeRole itself fails. Returns the step's decision.
fn extra_checks(
    ar: &AssumeRole,
    who: &Who<'_>,
    request: &Request<'_>,
    policies: &Policies<'_>,
    options: &eval::Options,
    decision: Decision,
    out: &mut StepResult,
) -> Decision {
    // In a role chain, transitive tags and the source identity are passed on
    // again, and need the same permissions (AWS STS docs).
    let (inherits_tags, inherits_source) = match who {
        Who::Session(_, _, s) => (s.transitive.is_some(), s.source_identity.is_some()),
        _ => (false, false),
    };
    let tag_session = (!ar.session_tags.is_empty() || inherits_tags).then_some("sts:TagSession");
    let set_source = (ar.source_identity.is_some() || inherits_source).then_some("sts:SetSourceIdentity");
    for action in [tag_session, set_source].into_iter().flatten() {
        let ev = eval::evaluate(&Request { action, ..request.clone() }, policies, options);
        out.extra_checks.push(ExtraCheck { action: action.to_string(), decision: ev.decision, evaluation: ev });
    }
    // The check that decides: AssumeRole's own outcome unless an extra check
    // is worse (explicit deny > implicit deny > allowed); among equals, the
    // first.
    let rank = |d: Decision| match d {
        Decision::ExplicitDeny => 2,
        Decision::ImplicitDeny => 1,
        Decision::Allowed => 0,
    };
    let mut worst = rank(decision);
    let mut decider: Option<&ExtraCheck> = None;
    for check in &out.extra_checks {
        if rank(check.decision) > worst {
            worst = rank(check.decision);
            decider = Some(check);
        }
    }
    let Some(check) = decider else {
        return decision;
    };
    let ev = &check.evaluation;
    let verb = if ev.decision == Decision::ExplicitDeny { "explicitly denied" } else { "not allowed" };
    let (summary, decisive, missing, near) = (
        format!("{} is needed too and is {verb}: {}", check.action, ev.summary),
        ev.decisive.clone(),
        ev.missing_allow.clone(),
        ev.near_miss.clone(),
    );
    let decided = ev.decision;
    out.summary = summary;
    out.decisive = decisive;
    out.missing_allow = missing;
    out.near_miss = near;
    decided
}

/// Whether a step's setup may be that of another step made from the same
/// (see [`SetupKey`]): it has no AssumeRole, source or context of its own.
fn shareable(step: &Step) -> bool {
    step.assume_role.is_none() && step.source.is_none() && step.context.is_empty()
}

fn unlisted_account<'r>(arn: &'r str, listed: &Directory<'_>) -> Option<&'r str> {
    let account = Arn::parse(arn).ok()?.account;
    (!account.is_empty() && listed.account(account).is_none()).then_some(account)
}

#[cfg(test)]
mod tests {
    use super::Link;
    use std::sync::Arc;

    /// A million-link role chain is dropped, compared and printed without
    /// recursion (the stack would overflow otherwise).
    #[test]
    fn very_long_chains_of_links_drop_compare_and_print_without_recursion() {
        let build = || {
            let mut last: Option<Arc<Link>> = None;
            for i in 0..1_000_000 {
                last = Some(Arc::new(Link { tags: vec![(format!("k{i}"), "v".into())], keys: vec![format!("k{i}")], parent: last }));
            }
            last
        };
        let (a, b) = (build(), build());
        assert_eq!(Link::chain(a.as_ref()).len(), 1_000_000);
        assert!(a == b);
        assert!(format!("{a:?}").contains("earlier_links: 999999"));
        drop(a);
        drop(b);
    }
}
