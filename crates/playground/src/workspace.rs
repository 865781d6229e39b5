//! The editable scenario behind the playground: a JSON document whose
//! policies are kept as the author's text, plus the view state. Every
//! user action is a method here; the Yew layer only maps events to them.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{json, Map, Value};
use trustwalk_core::arn::{build, is_service_principal, PrincipalArn, SERVICE_CALLER_PREFIX};
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::grants::StatementGrants;
use trustwalk_core::checks::{self, Finding, ScenarioLintOptions, Vocabulary};
use trustwalk_core::diag::DiagCode;
use trustwalk_core::keys::{Compare, HashIndex};
use trustwalk_core::policy::Effect;
use trustwalk_core::policy::PolicyType;
use trustwalk_core::scenario::{self, LoadOptions, ManagedPolicySource, NoManagedPolicies, RunOptions, ScenarioResult};
use trustwalk_core::{json as tjson, Diagnostic, JsonPath};

use crate::path::Ptr;

/// The built-in example: StageAdmin in staging reads a production bucket
/// through StageRole.
pub const EXAMPLE: &str = include_str!("../../../examples/staging-reads-production.json");

/// The example scenarios offered in the menu: (file name, text).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("staging-reads-production", EXAMPLE),
    ("bucket-grants-account-directly", include_str!("../../../examples/bucket-grants-account-directly.json")),
    ("explicit-deny-wins", include_str!("../../../examples/explicit-deny-wins.json")),
    ("permissions-boundary-blocks", include_str!("../../../examples/permissions-boundary-blocks.json")),
    ("role-chaining", include_str!("../../../examples/role-chaining.json")),
    ("security-auditor-mfa", include_str!("../../../examples/security-auditor-mfa.json")),
    ("vendor-external-id", include_str!("../../../examples/vendor-external-id.json")),
    ("ec2-instance-profile-reads-production", include_str!("../../../examples/ec2-instance-profile-reads-production.json")),
    ("cloudtrail-writes-logging-bucket", include_str!("../../../examples/cloudtrail-writes-logging-bucket.json")),
    ("confused-deputy-denied", include_str!("../../../examples/confused-deputy-denied.json")),
];

/// Largest scenario the playground holds, measured as it is kept: compact
/// JSON with every policy as its text. The same limit applies when saved
/// work is written and when it is read back, so whatever was opened can be
/// saved and whatever was saved opens again.
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Largest document text read (pasted, imported, saved by an older
/// version): whitespace counts here, so a pretty-printed export of a
/// scenario at [`MAX_DOCUMENT_BYTES`] still imports.
pub const MAX_DOCUMENT_TEXT_BYTES: usize = 2 * MAX_DOCUMENT_BYTES;

/// Largest text one policy editor accepts; more is refused with a
/// message rather than slowing every keystroke.
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// One policy editor.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySlot {
    pub ptr: Ptr,
    /// `accounts[1].roles[0].trustPolicy`: matches `Diagnostic::embedded_in`.
    pub json_path: String,
    pub policy_type: PolicyType,
    /// Index into `accounts`, or `None` for step session policies.
    pub account: Option<usize>,
    /// `StageRole`, `production-test-bucket-101`, `Root`, …
    pub owner: String,
    /// `trust policy`, `AllowAssume`, …
    pub title: String,
    /// The name the trace uses for this policy (`StageRole/trustPolicy`).
    pub display: String,
    pub text: String,
}

/// What [`Workspace::open_local`] read.
#[derive(Debug)]
pub enum Opened {
    Scenario(Workspace),
    /// An account's AWS export, to import with [`Workspace::import_export`].
    Export,
}

/// The outcome of evaluating the workspace.
#[derive(Debug, Clone, Default)]
pub struct Evaluated {
    pub result: Option<ScenarioResult>,
    /// Errors (and warnings) with JSON paths; `embedded_in` names the
    /// editor of a policy given as text.
    pub diagnostics: Vec<Diagnostic>,
    /// The policy checks' findings (IAM Access Analyzer's kinds: error,
    /// security warning, warning, suggestion) when the scenario loads,
    /// less those that repeat a diagnostic; `embedded_in` names the editor.
    pub findings: Vec<Finding>,
    /// What each Allow statement the author wrote grants, by AWS's
    /// catalogue (when it is there): by policy name as traces give it and
    /// statement index.
    pub grants: HashMap<(String, usize), Rc<StatementGrants>>,
    /// The AWS managed policies the document attaches, once each: the app
    /// fetches the files it does not have.
    pub aws_managed_arns: Vec<String>,
}

impl Evaluated {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Diagnostics that belong to the editor at `json_path`.
    pub fn for_editor<'a>(&'a self, json_path: &'a str) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.diagnostics.iter().filter(move |d| {
            d.embedded_in.as_ref().map(JsonPath::as_str) == Some(json_path) || (d.embedded_in.is_none() && d.path.as_str().starts_with(json_path))
        })
    }

    /// Which diagnostics belong to which of the editors `slots` (by
    /// [`Evaluated::for_editor`]'s rule). The editors' paths are found by
    /// hash: thousands of policies with a warning each cost thousands of
    /// lookups, not millions of comparisons.
    pub fn by_editor(&self, slots: &[PolicySlot]) -> ByEditor {
        let mut index = HashIndex::new(Compare::Exact);
        for s in slots {
            index.push(index.hash(&s.json_path));
        }
        // Editor paths are compared with the prefixes of a diagnostic's path
        // that are as long as some editor's path.
        let mut lengths: Vec<usize> = slots.iter().map(|s| s.json_path.len()).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let mut out = ByEditor { diagnostics: slots.iter().map(|_| Vec::new()).collect(), first_editor: Vec::new() };
        let mut found = Vec::new();
        for (di, d) in self.diagnostics.iter().enumerate() {
            found.clear();
            let mut add = |path: &str| {
                found.extend(index.candidates(index.hash(path)).filter(|&i| slots.get(i).is_some_and(|s| s.json_path == path)));
            };
            match &d.embedded_in {
                Some(p) => add(p.as_str()),
                None => lengths.iter().filter_map(|&n| d.path.as_str().get(..n)).for_each(add),
            }
            found.sort_unstable();
            for &i in &found {
                if let Some(list) = out.diagnostics.get_mut(i) {
                    list.push(di);
                }
            }
            out.first_editor.push(found.first().copied());
        }
        out
    }
}

/// See [`Evaluated::by_editor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByEditor {
    /// For each editor, the indices of its diagnostics, in order.
    pub diagnostics: Vec<Vec<usize>>,
    /// For each diagnostic, the first editor it belongs to.
    pub first_editor: Vec<Option<usize>>,
}

/// The whole editable state.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    pub doc: Value,
    pub selected_step: usize,
}

impl Default for Workspace {
    fn default() -> Self {
        Self::example()
    }
}

fn err(code: DiagCode, message: impl Into<String>) -> Vec<Diagnostic> {
    vec![Diagnostic::new(code, message, JsonPath::root())]
}

impl Workspace {
    pub fn example() -> Self {
        Self::from_text(EXAMPLE).unwrap_or_else(|_| Self { doc: json!({"format": scenario::FORMAT, "accounts": [], "steps": []}), selected_step: 0 })
    }

    /// Reads a scenario document. Only the JSON and its overall shape are
    /// checked here; everything else is reported by [`Workspace::evaluate`]
    /// so that a half-finished document can still be edited.
    pub fn from_text(text: &str) -> Result<Self, Vec<Diagnostic>> {
        if text.len() > MAX_DOCUMENT_TEXT_BYTES {
            return Err(err(
                DiagCode::TooLarge,
                format!("the document is {} KB; the playground reads up to {} KB", text.len().div_ceil(1024), MAX_DOCUMENT_TEXT_BYTES / 1024),
            ));
        }
        // The core's parser reports line and column and forbids duplicates'
        // silent loss; serde_json then gives the editable value.
        let tree = tjson::parse_with_limit(text, MAX_DOCUMENT_TEXT_BYTES).map_err(|e| vec![e])?;
        if tree.as_object().is_none() {
            return Err(err(DiagCode::DataTypeMismatch, format!("a scenario document must be an object, not {}", tree.type_name())));
        }
        let mut doc = tree.to_value();
        if doc.get("format").and_then(Value::as_str) != Some(scenario::FORMAT) {
            return Err(err(DiagCode::UnsupportedFormat, format!("this is not a Trustwalk scenario: `format` must be `{}`", scenario::FORMAT)));
        }
        normalize_policies(&mut doc);
        let w = Self { doc, selected_step: 0 };
        Self::check_size(&w.to_compact_text()).map_err(|m| err(DiagCode::TooLarge, m))?;
        Ok(w)
    }

    /// What the playground's Open and Paste read: a scenario document, or
    /// an account's `aws iam get-account-authorization-details` output,
    /// imported as `trustwalk import` does (then with a sentence saying so
    /// and how many of its fields were left out).
    pub fn open(text: &str, source: &str) -> Result<(Self, Option<String>), Vec<Diagnostic>> {
        match Self::open_local(text)? {
            Opened::Scenario(w) => Ok((w, None)),
            Opened::Export => Self::import_export(text, source).map(|(w, note)| (w, Some(note))),
        }
    }

    /// [`Workspace::open`] without the import: the scenario, or
    /// [`Opened::Export`] when the text is an account's AWS export. The app
    /// imports exports in its worker ([`crate::worker::Request::Import`]),
    /// so that the importer is not part of the page's WebAssembly.
    pub fn open_local(text: &str) -> Result<Opened, Vec<Diagnostic>> {
        let errors = match Self::from_text(text) {
            Ok(w) => return Ok(Opened::Scenario(w)),
            Err(e) => e,
        };
        // Not a scenario: an export (any size: the scenario it makes is
        // what the playground's limit applies to)?
        let export = errors.iter().all(|d| matches!(d.code, DiagCode::UnsupportedFormat | DiagCode::TooLarge))
            && tjson::parse_with_limit(text, usize::MAX).is_ok_and(|tree| {
                tree.as_object().is_some_and(|_| tree.get("format").is_none()) && scenario::import::is_authorization_details(&tree.to_value())
            });
        if export {
            Ok(Opened::Export)
        } else {
            Err(errors)
        }
    }

    /// Imports an account's AWS export (`source` names it in messages):
    /// the scenario and the sentence that says what was imported.
    pub fn import_export(text: &str, source: &str) -> Result<(Self, String), Vec<Diagnostic>> {
        let input =
            scenario::import::ImportInput { exports: vec![scenario::import::ExportFile { source: source.to_string(), text }], ..Default::default() };
        let imported = scenario::import::import(&input).map_err(|errors| {
            errors.into_iter().map(|e| Diagnostic::new(DiagCode::InvalidValue, e.to_string(), JsonPath::root())).collect::<Vec<_>>()
        })?;
        let account = imported.document.pointer("/accounts/0/id").and_then(Value::as_str).unwrap_or_default().to_string();
        let w = Self::from_text(&serde_json::to_string(&imported.document).unwrap_or_default())?;
        let n = imported.ignored.len();
        let note = format!(
            "Imported the AWS export of account {account} ({n} field{} left out: dates and other descriptive ones). Its one step is a starting point: write the requests to check.",
            if n == 1 { "" } else { "s" }
        );
        Ok((w, note))
    }

    /// The document as pretty JSON, policies as their text (exports).
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(&self.doc).unwrap_or_default()
    }

    /// The document as compact JSON, policies as their text: how saved
    /// work keeps it, and what [`MAX_DOCUMENT_BYTES`] measures.
    pub fn to_compact_text(&self) -> String {
        serde_json::to_string(&self.doc).unwrap_or_default()
    }

    /// `Err` with a message when `compact` (a workspace's
    /// [`Workspace::to_compact_text`]) is over [`MAX_DOCUMENT_BYTES`].
    pub fn check_size(compact: &str) -> Result<(), String> {
        if compact.len() > MAX_DOCUMENT_BYTES {
            return Err(format!(
                "the scenario is {} KB (compact JSON, policies as text); the playground holds up to {} KB",
                compact.len().div_ceil(1024),
                MAX_DOCUMENT_BYTES / 1024
            ));
        }
        Ok(())
    }

    pub fn title(&self) -> Option<&str> {
        self.doc.get("title").and_then(Value::as_str)
    }

    pub fn accounts(&self) -> &[Value] {
        self.doc.get("accounts").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }

    pub fn steps(&self) -> &[Value] {
        self.doc.get("steps").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }

    /// Every policy editor, in document order.
    pub fn policy_slots(&self) -> Vec<PolicySlot> {
        policy_locations(&self.doc)
            .into_iter()
            .filter_map(|l| {
                let text = l.ptr.get(&self.doc).and_then(Value::as_str)?.to_string();
                Some(PolicySlot {
                    json_path: l.ptr.to_json_path(),
                    ptr: l.ptr,
                    policy_type: l.policy_type,
                    account: l.account,
                    owner: l.owner,
                    title: l.title,
                    display: l.display,
                    text,
                })
            })
            .collect()
    }

    /// Sets the value at `ptr` (a policy's text, a step field, an account
    /// name…). `None` removes the field.
    pub fn set(&mut self, ptr: &Ptr, value: Option<Value>) -> Result<(), String> {
        match value {
            Some(v) => {
                let slot = ptr.get_mut(&mut self.doc).ok_or_else(|| format!("nothing at {ptr}"))?;
                *slot = v;
                Ok(())
            }
            None => {
                let (parent, last) = ptr.parent().ok_or("the document itself cannot be removed")?;
                let parent_value = parent.get_mut(&mut self.doc).ok_or_else(|| format!("nothing at {parent}"))?;
                match (parent_value, last) {
                    (Value::Object(m), crate::path::Seg::Key(k)) => {
                        m.shift_remove(k);
                        Ok(())
                    }
                    (Value::Array(a), crate::path::Seg::Index(i)) if *i < a.len() => {
                        a.remove(*i);
                        Ok(())
                    }
                    _ => Err(format!("nothing to remove at {ptr}")),
                }
            }
        }
    }

    /// Sets the text of the policy editor at `ptr`, refusing text over
    /// [`MAX_POLICY_BYTES`] (the editor keeps its previous text).
    pub fn set_policy_text(&mut self, ptr: &Ptr, text: &str) -> Result<(), String> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(format!(
                "that policy text is {} KB; an editor holds at most {} KB, so the change was not applied",
                text.len().div_ceil(1024),
                MAX_POLICY_BYTES / 1024
            ));
        }
        self.set(ptr, Some(Value::String(text.to_string())))
    }

    /// Gives account `index` the ID `id` and, when it had a valid ID before
    /// and `id` is one too, updates what refers to the old one: the ARNs
    /// and IDs in the steps (principal, resource, role ARN) and in the
    /// policies' texts (`arn:aws:iam::OLD:…`, `"OLD"`). Returns how many
    /// steps and policies changed.
    pub fn rename_account_id(&mut self, index: usize, id: &str) -> Renamed {
        let ptr = Ptr::root().key("accounts").index(index).key("id");
        let old = ptr.get(&self.doc).and_then(Value::as_str).unwrap_or_default().to_string();
        let _ = self.set(&ptr, Some(Value::String(id.to_string())));
        let valid = |s: &str| trustwalk_core::arn::AccountId::is_valid(s);
        let having = |x: &str| self.accounts().iter().filter(|a| a.get("id").and_then(Value::as_str) == Some(x)).count();
        // Another account with the old ID or the new one: what refers to
        // either is ambiguous, and is left alone.
        if old == id || !valid(&old) || !valid(id) || having(&old) > 0 || having(id) > 1 {
            return Renamed::default();
        }
        let (in_arn, new_in_arn) = (format!(":{old}:"), format!(":{id}:"));
        let (quoted, new_quoted) = (format!("\"{old}\""), format!("\"{id}\""));
        let replace = |text: &str| text.replace(&in_arn, &new_in_arn).replace(&quoted, &new_quoted);
        let mut renamed = Renamed::default();
        if let Some(steps) = self.doc.get_mut("steps").and_then(Value::as_array_mut) {
            for step in steps.iter_mut().filter_map(Value::as_object_mut) {
                let mut changed = false;
                for field in ["principal", "resource", "roleArn"] {
                    if let Some(Value::String(v)) = step.get_mut(field) {
                        let new = if *v == old { id.to_string() } else { v.replace(&in_arn, &new_in_arn) };
                        changed |= new != *v;
                        *v = new;
                    }
                }
                renamed.steps += usize::from(changed);
            }
        }
        for slot in self.policy_slots() {
            let new = replace(&slot.text);
            if new != slot.text && self.set(&slot.ptr, Some(Value::String(new))).is_ok() {
                renamed.policies += 1;
            }
        }
        renamed
    }

    /// Sets a step field from a text input: an empty text removes it.
    pub fn set_step_text(&mut self, step: usize, field: &str, text: &str) {
        let ptr = Ptr::root().key("steps").index(step).key(field);
        let value = (!text.is_empty()).then(|| Value::String(text.to_string()));
        let _ = self.set(&ptr, value);
    }

    /// Sets (or with an empty text removes) a context key of a step.
    /// `true`/`false` and numbers are stored as JSON booleans and numbers.
    pub fn set_step_context(&mut self, step: usize, key: &str, text: &str) {
        let Some(s) = self.doc.get_mut("steps").and_then(|v| v.get_mut(step)).and_then(Value::as_object_mut) else { return };
        let ctx = s.entry("context").or_insert_with(|| Value::Object(Map::new()));
        let Some(ctx) = ctx.as_object_mut() else { return };
        if text.is_empty() {
            ctx.shift_remove(key);
        } else {
            let v = match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                t => Value::String(t.to_string()),
            };
            ctx.insert(key.to_string(), v);
        }
        if ctx.is_empty() {
            s.shift_remove("context");
        }
    }

    /// Sets or clears the MFA of an AssumeRole step.
    pub fn set_step_mfa(&mut self, step: usize, on: bool) {
        let ptr = Ptr::root().key("steps").index(step).key("mfa");
        let _ = self.set(&ptr, on.then(|| json!({})));
    }

    /// Appends a step like the last one of its kind and selects it.
    pub fn add_step(&mut self, assume_role: bool) {
        self.add_step_as(assume_role, None);
    }

    /// [`Workspace::add_step`], where a new S3 request is made by `session`
    /// (the session of the latest allowed AssumeRole, which the caller knows
    /// from the results), or else by the latest session an AssumeRole step
    /// names, or else by the first user; `anonymous` only when there is
    /// none of these.
    pub fn add_step_as(&mut self, assume_role: bool, session: Option<String>) {
        let choices = self.principal_choices(self.steps().len());
        let latest_session = choices.iter().rev().find(|p| p.contains(":assumed-role/")).cloned();
        let first_user = choices.iter().find(|p| p.contains(":user/")).cloned();
        let principal = session.or(latest_session).or_else(|| first_user.clone()).unwrap_or_else(|| "anonymous".into());
        let step = if assume_role {
            let role = self.role_arns().into_iter().next().unwrap_or_default();
            let first_user = first_user.unwrap_or(principal);
            json!({"principal": first_user, "action": "sts:AssumeRole", "roleArn": role, "sessionName": format!("session{}", self.steps().len() + 1)})
        } else {
            let resource = self.bucket_names().into_iter().next().map_or_else(|| "*".to_string(), |b| build::s3(&b, Some("example.txt")));
            json!({"principal": principal, "action": "s3:GetObject", "resource": resource})
        };
        if let Some(steps) = self.doc.get_mut("steps").and_then(Value::as_array_mut) {
            steps.push(step);
            self.selected_step = steps.len().saturating_sub(1);
        }
    }

    pub fn remove_step(&mut self, i: usize) {
        if let Some(steps) = self.doc.get_mut("steps").and_then(Value::as_array_mut) {
            if steps.len() > 1 && i < steps.len() {
                steps.remove(i);
            }
            self.selected_step = self.selected_step.min(steps.len().saturating_sub(1));
        }
    }

    /// Inserts a copy of step `i` after it (its `id`, if any, made unique
    /// with `-copy`, `-copy2`, …) and selects the copy.
    pub fn duplicate_step(&mut self, i: usize) {
        let ids: Vec<String> = self.steps().iter().filter_map(|s| s.get("id").and_then(Value::as_str)).map(str::to_string).collect();
        let Some(steps) = self.doc.get_mut("steps").and_then(Value::as_array_mut) else { return };
        let Some(mut copy) = steps.get(i).cloned() else { return };
        if let Some(id) = copy.get("id").and_then(Value::as_str).map(str::to_string) {
            let unique = (1..).map(|n| if n == 1 { format!("{id}-copy") } else { format!("{id}-copy{n}") }).find(|c| !ids.contains(c));
            if let (Some(obj), Some(u)) = (copy.as_object_mut(), unique) {
                obj.insert("id".into(), Value::String(u));
            }
        }
        steps.insert(i + 1, copy);
        self.selected_step = i + 1;
    }

    /// Moves step `i` one place up (`up`) or down, keeping it selected.
    /// Steps run in order: a session is used only after the step that
    /// establishes it, so moving can change outcomes.
    pub fn move_step(&mut self, i: usize, up: bool) {
        let Some(steps) = self.doc.get_mut("steps").and_then(Value::as_array_mut) else { return };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = j.filter(|&j| j < steps.len() && i < steps.len()) {
            steps.swap(i, j);
            self.selected_step = j;
        }
    }

    pub fn select_step(&mut self, i: usize) {
        self.selected_step = i.min(self.steps().len().saturating_sub(1));
    }

    pub fn next_step(&mut self) {
        self.select_step(self.selected_step.saturating_add(1));
    }

    pub fn previous_step(&mut self) {
        self.select_step(self.selected_step.saturating_sub(1));
    }

    /// User ARNs, root ARNs and the sessions that steps before `step`
    /// would establish: what a step may name as its principal.
    pub fn principal_choices(&self, step: usize) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.accounts() {
            let id = a.get("id").and_then(Value::as_str).unwrap_or_default();
            for u in a.get("users").and_then(Value::as_array).into_iter().flatten() {
                let name = u.get("name").and_then(Value::as_str).unwrap_or_default();
                let path = u.get("path").and_then(Value::as_str).unwrap_or("/");
                out.push(build::user(id, path, name));
            }
        }
        for s in self.steps().iter().take(step) {
            // A service names the session after the instance or function it
            // runs for when the step gives no name.
            let session = s
                .get("sessionName")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| s.get("sourceArn").and_then(Value::as_str).and_then(scenario::session_name_of_source));
            if let (Some(role), Some(session)) = (s.get("roleArn").and_then(Value::as_str), session) {
                if let Some((_, acct, name)) = PrincipalArn::parse(role).ok().and_then(|r| r.role_identity()) {
                    let arn = build::session(acct.as_str(), name, &session);
                    if !out.contains(&arn) {
                        out.push(arn);
                    }
                }
            }
        }
        out.extend(self.service_choices().into_iter().map(|n| format!("{SERVICE_CALLER_PREFIX}{n}")));
        out.push("anonymous".into());
        out
    }

    /// The AWS service principals the scenario's trust and resource
    /// policies name, then EC2, Lambda and ECS tasks (the services that run
    /// code under a role): the services a step may choose as its caller.
    pub fn service_choices(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let slots = self.policy_slots();
        let named = slots.iter().filter(|s| matches!(s.policy_type, PolicyType::Trust | PolicyType::Resource) && s.text.contains("Service"));
        for slot in named {
            let Ok(policy) = serde_json::from_str::<Value>(&slot.text) else { continue };
            let statements = match policy.get("Statement") {
                Some(Value::Array(items)) => items.iter().collect(),
                Some(one) => vec![one],
                None => Vec::new(),
            };
            for service in statements.into_iter().filter_map(|s| s.get("Principal")?.get("Service")) {
                let names = match service {
                    Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                    other => other.as_str().into_iter().collect::<Vec<_>>(),
                };
                for n in names.into_iter().filter(|n| is_service_principal(n)) {
                    if !out.iter().any(|o| o == n) {
                        out.push(n.to_string());
                    }
                }
            }
        }
        for n in ["ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com"] {
            if !out.iter().any(|o| o == n) {
                out.push(n.to_string());
            }
        }
        out
    }

    pub fn role_arns(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in self.accounts() {
            let id = a.get("id").and_then(Value::as_str).unwrap_or_default();
            for r in a.get("roles").and_then(Value::as_array).into_iter().flatten() {
                let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
                let path = r.get("path").and_then(Value::as_str).unwrap_or("/");
                out.push(build::role(id, path, name));
            }
        }
        out
    }

    pub fn bucket_names(&self) -> Vec<String> {
        self.accounts()
            .iter()
            .flat_map(|a| a.get("buckets").and_then(Value::as_array).into_iter().flatten())
            .filter_map(|b| b.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    }

    /// Loads and runs the scenario. `now` is epoch seconds (the default
    /// `aws:CurrentTime`).
    pub fn evaluate(&self, now: i64) -> Evaluated {
        self.evaluate_with(now, &NoManagedPolicies)
    }

    /// [`Workspace::evaluate`] with the AWS managed policies the document
    /// names (listed in [`Evaluated::aws_managed_arns`]). The policy checks
    /// are [`Workspace::lint`]'s.
    pub fn evaluate_with(&self, now: i64, managed: &dyn ManagedPolicySource) -> Evaluated {
        let tree = tjson::from_value(&self.doc);
        let aws_managed_arns = scenario::managed_policy_arns_json(&tree);
        // Errors inside a policy stay there: the steps that do not need
        // that policy still run, the others say why they were not evaluated.
        let loaded = scenario::load_json_contained(&tree, &LoadOptions::with_managed_policies(managed));
        Evaluated {
            result: loaded.scenario.map(|s| scenario::run(&s, RunOptions { now_epoch_seconds: now, ..Default::default() })),
            diagnostics: loaded.diagnostics,
            aws_managed_arns,
            ..Evaluated::default()
        }
    }

    /// The policy checks' findings (with those that need AWS's catalogue
    /// when it is given) less those that repeat a load diagnostic, and what
    /// each Allow statement grants: into `eval`, which the app shows. Run
    /// when the user pauses, not on every keystroke.
    pub fn lint(&self, eval: &mut Evaluated, now: i64, catalogue: Option<&Catalogue>, managed: &dyn ManagedPolicySource) {
        let tree = tjson::from_value(&self.doc);
        let Ok((s, warnings)) = scenario::load_json_with_options(&tree, &LoadOptions::with_managed_policies(managed)) else {
            eval.findings.clear();
            eval.grants.clear();
            return;
        };
        let run = RunOptions { now_epoch_seconds: now, ..Default::default() };
        let vocabulary = catalogue.map(|c| c as &dyn Vocabulary);
        let mut findings = checks::lint_scenario_with(&s, &ScenarioLintOptions { vocabulary, run, managed_policies: None });
        findings.retain(|f| !warnings.iter().any(|w| w.code == f.code && w.path == f.path));
        eval.findings = findings;
        eval.grants = catalogue.map(|c| grants_of(c, &s)).unwrap_or_default();
    }

    /// Maps the trace's policy names (`StageRole/trustPolicy`) to editors.
    pub fn editors_by_display(&self) -> crate::Keyed<String> {
        self.policy_slots().into_iter().map(|s| (s.display, s.json_path)).collect()
    }
}

/// What [`Workspace::rename_account_id`] changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Renamed {
    pub steps: usize,
    pub policies: usize,
}

/// Where a policy can stand in a scenario document, and how it is named.
struct PolicyLocation {
    ptr: Ptr,
    policy_type: PolicyType,
    account: Option<usize>,
    owner: String,
    title: String,
    display: String,
}

/// The array at `key` of `v`, or nothing.
fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// Every place of the document that holds (or may hold) a policy, in
/// document order, whatever form the policy has there.
fn policy_locations(doc: &Value) -> Vec<PolicyLocation> {
    let mut out = Vec::new();
    let root = Ptr::root();
    let name_of = |v: &Value| v.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
    let mut push = |ptr: Ptr, policy_type: PolicyType, account: Option<usize>, owner: String, title: String, display: String| {
        if ptr.get(doc).is_some() {
            out.push(PolicyLocation { ptr, policy_type, account, owner, title, display });
        }
    };
    for (ai, a) in list(doc, "accounts").iter().enumerate() {
        let ap = root.key("accounts").index(ai);
        for (kind, key) in [(PolicyType::Scp, "scps"), (PolicyType::Rcp, "rcps")] {
            for (li, level) in list(a, key).iter().enumerate() {
                let level_name = name_of(level);
                for (pi, p) in list(level, "policies").iter().enumerate() {
                    let pname = name_of(p);
                    push(
                        ap.key(key).index(li).key("policies").index(pi).key("document"),
                        kind,
                        Some(ai),
                        level_name.clone(),
                        pname.clone(),
                        format!("{level_name}/{pname}"),
                    );
                }
            }
        }
        for collection in ["users", "groups", "roles"] {
            for (ei, e) in list(a, collection).iter().enumerate() {
                let ep = ap.key(collection).index(ei);
                let ename = name_of(e);
                if collection == "roles" {
                    push(ep.key("trustPolicy"), PolicyType::Trust, Some(ai), ename.clone(), "trust policy".into(), format!("{ename}/trustPolicy"));
                }
                for (pi, p) in list(e, "policies").iter().enumerate() {
                    let pname = name_of(p);
                    push(
                        ep.key("policies").index(pi).key("document"),
                        PolicyType::Identity,
                        Some(ai),
                        ename.clone(),
                        pname.clone(),
                        format!("{ename}/{pname}"),
                    );
                }
                if let Some(b) = e.get("permissionsBoundary") {
                    let bname = name_of(b);
                    push(
                        ep.key("permissionsBoundary").key("document"),
                        PolicyType::PermissionsBoundary,
                        Some(ai),
                        ename.clone(),
                        format!("boundary {bname}"),
                        format!("{ename}/{bname}"),
                    );
                }
            }
        }
        for (bi, b) in list(a, "buckets").iter().enumerate() {
            let bname = name_of(b);
            push(
                ap.key("buckets").index(bi).key("policy"),
                PolicyType::Resource,
                Some(ai),
                bname.clone(),
                "bucket policy".into(),
                format!("{bname}/bucketPolicy"),
            );
        }
        for (ri, r) in list(a, "resources").iter().enumerate() {
            let arn = r.get("arn").and_then(Value::as_str).unwrap_or("?").to_string();
            push(
                ap.key("resources").index(ri).key("policy"),
                PolicyType::Resource,
                Some(ai),
                arn.clone(),
                "resource policy".into(),
                format!("{arn}/policy"),
            );
        }
    }
    for (si, s) in list(doc, "steps").iter().enumerate() {
        let role = s.get("roleArn").and_then(Value::as_str).and_then(|r| r.rsplit('/').next()).unwrap_or("role");
        let session = s.get("sessionName").and_then(Value::as_str).unwrap_or("session");
        push(
            root.key("steps").index(si).key("sessionPolicy"),
            PolicyType::SessionPolicy,
            None,
            format!("{role}/{session}"),
            "session policy".into(),
            format!("{role}/{session}/sessionPolicy"),
        );
    }
    out
}

/// Replaces every policy given as a JSON object by its pretty-printed text,
/// so that each policy has an editor and trace positions point into it.
pub fn normalize_policies(doc: &mut Value) {
    for location in policy_locations(doc) {
        if let Some(v) = location.ptr.get_mut(doc) {
            if v.is_object() {
                *v = Value::String(serde_json::to_string_pretty(v).unwrap_or_default());
            }
        }
    }
}

/// A statement's `Action` entries (and whether it is `NotAction`) → what they grant.
type GrantsCache = HashMap<(bool, Vec<String>), Rc<StatementGrants>>;

thread_local! {
    /// What a statement's `Action` grants, by its entries: typing in a
    /// policy re-evaluates on every keystroke, and `"Action": "*"` expands
    /// to every action of the catalogue.
    static GRANTS: std::cell::RefCell<GrantsCache> = std::cell::RefCell::new(HashMap::new());
}

/// What each Allow statement of the policies the author wrote grants.
fn grants_of(catalogue: &Catalogue, s: &scenario::Scenario) -> HashMap<(String, usize), Rc<StatementGrants>> {
    let mut out = HashMap::new();
    GRANTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 4096 {
            cache.clear();
        }
        for p in s.written_policies() {
            for st in p.policy.statements.iter().filter(|st| st.effect == Effect::Allow) {
                let key = (st.action.negated, st.action.values.iter().map(|v| v.value.to_string()).collect::<Vec<_>>());
                let g = match cache.get(&key) {
                    Some(g) => g.clone(),
                    None => match checks::grants::statement_grants(catalogue, st) {
                        Some(g) => {
                            let g = Rc::new(g);
                            cache.insert(key, g.clone());
                            g
                        }
                        None => continue,
                    },
                };
                out.insert((p.display.clone(), st.index), g);
            }
        }
    });
    out
}
