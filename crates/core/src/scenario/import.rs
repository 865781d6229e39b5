//! Turns what AWS's command line prints about real accounts into a scenario
//! document: `aws iam get-account-authorization-details` (users, groups,
//! roles, their inline and attached policies, permissions boundaries, tags,
//! paths, instance profiles, and the account's customer managed policies),
//! `aws s3api get-bucket-policy` for buckets, and `aws organizations
//! describe-policy` for SCPs and RCPs.
//!
//! Nothing is dropped silently: every field of the input is either mapped
//! or listed in [`Imported::ignored`] with its file and JSON path. Policy
//! documents are taken in both of AWS's forms — decoded JSON (the AWS
//! CLI's) and URL-encoded text (the API's) — and kept as text when they
//! came as text.

use serde_json::{json, Map, Value};

use crate::arn::{AccountId, Arn};

/// One export of `aws iam get-account-authorization-details`.
#[derive(Debug, Clone)]
pub struct ExportFile<'a> {
    /// Its name, for messages (a file name).
    pub source: String,
    pub text: &'a str,
}

/// `aws s3api get-bucket-policy --bucket NAME` output (`{"Policy": "…"}`)
/// for the bucket `name` of `account` (`None`: the only account imported).
#[derive(Debug, Clone)]
pub struct BucketPolicyFile<'a> {
    pub account: Option<String>,
    pub name: String,
    pub source: String,
    pub text: &'a str,
}

/// `aws organizations describe-policy` output for one SCP or RCP, attached
/// at the level `level` (levels are ordered as first named: the
/// organization's root first) of every imported account.
#[derive(Debug, Clone)]
pub struct OrgPolicyFile<'a> {
    pub level: String,
    pub source: String,
    pub text: &'a str,
}

#[derive(Debug, Clone, Default)]
pub struct ImportInput<'a> {
    pub exports: Vec<ExportFile<'a>>,
    pub buckets: Vec<BucketPolicyFile<'a>>,
    pub scps: Vec<OrgPolicyFile<'a>>,
    pub rcps: Vec<OrgPolicyFile<'a>>,
}

/// The scenario document, and every input field it does not use.
#[derive(Debug, Clone)]
pub struct Imported {
    pub document: Value,
    /// `FILE: PATH` of each field left out, with why.
    pub ignored: Vec<String>,
}

/// Why an input could not be imported: its file, the JSON path, and what is
/// wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub source: String,
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.path.is_empty() {
            true => write!(f, "{}: {}", self.source, self.message),
            false => write!(f, "{}: at {}: {}", self.source, self.path, self.message),
        }
    }
}

/// Whether `v` looks like `get-account-authorization-details` output (any
/// of its lists at the top level).
pub fn is_authorization_details(v: &Value) -> bool {
    v.as_object().is_some_and(|o| ["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"].iter().any(|k| o.contains_key(*k)))
}

/// Fields of AWS's output that describe, not decide: left out, and listed.
const DESCRIPTIVE: &[&str] = &[
    "CreateDate",
    "UpdateDate",
    "RoleLastUsed",
    "PolicyId",
    "AttachmentCount",
    "PermissionsBoundaryUsageCount",
    "IsAttachable",
    "Description",
    "Marker",
    "IsTruncated",
    "GroupId",
];

struct Cx<'s> {
    source: &'s str,
    ignored: Vec<String>,
    errors: Vec<ImportError>,
}

impl Cx<'_> {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(ImportError { source: self.source.to_string(), path: path.to_string(), message: message.into() });
    }

    fn ignore(&mut self, path: &str, why: &str) {
        self.ignored.push(format!("{}: {path} ({why})", self.source));
    }

    /// The object at `path`, with every key not in `known` listed as ignored.
    fn fields<'v>(&mut self, v: &'v Value, path: &str, known: &[&str]) -> Option<&'v Map<String, Value>> {
        let Some(o) = v.as_object() else {
            self.error(path, format!("expected an object, found {}", type_name(v)));
            return None;
        };
        for k in o.keys().filter(|k| !known.contains(&k.as_str())) {
            let why = if DESCRIPTIVE.contains(&k.as_str()) { "descriptive: does not take part in decisions" } else { "not used by Trustwalk" };
            self.ignore(&format!("{path}.{k}"), why);
        }
        Some(o)
    }

    fn string<'v>(&mut self, o: &'v Map<String, Value>, key: &str, path: &str) -> Option<&'v str> {
        match o.get(key) {
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.error(&format!("{path}.{key}"), format!("expected a string, found {}", type_name(other)));
                None
            }
            None => {
                self.error(path, format!("missing `{key}`"));
                None
            }
        }
    }

    fn list<'v>(&mut self, o: &'v Map<String, Value>, key: &str, path: &str) -> Vec<(String, &'v Value)> {
        match o.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().enumerate().map(|(i, v)| (format!("{path}.{key}[{i}]"), v)).collect(),
            Some(other) => {
                self.error(&format!("{path}.{key}"), format!("expected a list, found {}", type_name(other)));
                Vec::new()
            }
        }
    }

    /// A policy document as AWS prints it: decoded JSON, or URL-encoded
    /// text (the API's form), kept as text.
    fn document(&mut self, v: Option<&Value>, path: &str) -> Option<Value> {
        match v {
            Some(Value::Object(_)) => v.cloned(),
            Some(Value::String(s)) => match url_decode(s) {
                Some(text) => Some(Value::String(text)),
                None => {
                    self.error(path, "the policy document is neither JSON nor URL-encoded JSON text");
                    None
                }
            },
            Some(other) => {
                self.error(path, format!("a policy document must be an object or text, found {}", type_name(other)));
                None
            }
            None => {
                self.error(path, "missing policy document");
                None
            }
        }
    }

    /// `[{PolicyName, PolicyDocument}]` → named policies.
    fn inline_policies(&mut self, o: &Map<String, Value>, key: &str, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (p, v) in self.list(o, key, path) {
            let Some(po) = self.fields(v, &p, &["PolicyName", "PolicyDocument"]) else { continue };
            let name = self.string(po, "PolicyName", &p).map(str::to_string);
            let doc = self.document(po.get("PolicyDocument"), &format!("{p}.PolicyDocument"));
            if let (Some(name), Some(doc)) = (name, doc) {
                out.push(json!({ "name": name, "document": doc }));
            }
        }
        out
    }

    /// `[{PolicyName, PolicyArn}]` → ARNs.
    fn attached(&mut self, o: &Map<String, Value>, path: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for (p, v) in self.list(o, "AttachedManagedPolicies", path) {
            let Some(po) = self.fields(v, &p, &["PolicyName", "PolicyArn"]) else { continue };
            if let Some(arn) = self.string(po, "PolicyArn", &p) {
                out.push(Value::String(arn.to_string()));
            }
        }
        out
    }

    fn boundary(&mut self, o: &Map<String, Value>, path: &str) -> Option<Value> {
        let v = o.get("PermissionsBoundary")?;
        let p = format!("{path}.PermissionsBoundary");
        let b = self.fields(v, &p, &["PermissionsBoundaryType", "PermissionsBoundaryArn"])?;
        self.string(b, "PermissionsBoundaryArn", &p).map(|s| Value::String(s.to_string()))
    }

    fn tags(&mut self, o: &Map<String, Value>, path: &str) -> Option<Value> {
        let items = self.list(o, "Tags", path);
        if items.is_empty() {
            return None;
        }
        let mut tags = Map::new();
        for (p, v) in items {
            let Some(t) = self.fields(v, &p, &["Key", "Value"]) else { continue };
            if let (Some(k), Some(val)) = (self.string(t, "Key", &p), self.string(t, "Value", &p)) {
                tags.insert(k.to_string(), Value::String(val.to_string()));
            }
        }
        Some(Value::Object(tags))
    }

    /// The account an entity's `Arn` names; all of one export must agree.
    fn account_of(&mut self, o: &Map<String, Value>, path: &str, account: &mut Option<String>) {
        let Some(arn) = o.get("Arn").and_then(Value::as_str) else { return };
        let Some(id) = Arn::parse(arn).ok().and_then(|a| a.account_id()).map(|a| a.as_str().to_string()) else {
            self.error(&format!("{path}.Arn"), format!("`{arn}` is not an ARN with an account"));
            return;
        };
        match account {
            None => *account = Some(id),
            Some(a) if *a == id => {}
            Some(a) => {
                let msg = format!("`{arn}` is in account {id}, but this export is of account {a}: give each account's export as a file of its own");
                self.error(&format!("{path}.Arn"), msg);
            }
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `%7B%22Version…` → `{"Version…`; text that is already JSON is kept.
fn url_decode(s: &str) -> Option<String> {
    let t = s.trim_start();
    if t.starts_with('{') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    let text = String::from_utf8(out).ok()?;
    text.trim_start().starts_with('{').then_some(text)
}

/// One account's export → an account object of the scenario.
fn account(file: &ExportFile<'_>, ignored: &mut Vec<String>, errors: &mut Vec<ImportError>) -> Option<(String, Map<String, Value>)> {
    let mut cx = Cx { source: &file.source, ignored: Vec::new(), errors: Vec::new() };
    let root: Value = match serde_json::from_str(file.text) {
        Ok(v) => v,
        Err(e) => {
            cx.error("", format!("not JSON: {e} (line {}, column {})", e.line(), e.column()));
            errors.append(&mut cx.errors);
            return None;
        }
    };
    let Some(top) = cx.fields(&root, "$", &["UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"]) else {
        errors.append(&mut cx.errors);
        return None;
    };
    if !is_authorization_details(&root) {
        cx.error(
            "$",
            "this is not `aws iam get-account-authorization-details` output (no `UserDetailList`, `GroupDetailList`, `RoleDetailList` or `Policies`)",
        );
    }
    let mut acct_id: Option<String> = None;

    // Customer managed policies: the default version of each.
    let mut managed = Vec::new();
    for (p, v) in cx.list(top, "Policies", "$") {
        let Some(po) = cx.fields(v, &p, &["PolicyName", "Arn", "Path", "DefaultVersionId", "PolicyVersionList"]) else {
            continue;
        };
        let arn = po.get("Arn").and_then(Value::as_str).unwrap_or_default();
        if arn.starts_with("arn:aws:iam::aws:policy") {
            cx.ignore(&p, "an AWS managed policy: Trustwalk knows its default version");
            continue;
        }
        cx.account_of(po, &p, &mut acct_id);
        let name = cx.string(po, "PolicyName", &p).map(str::to_string);
        let default = po.get("DefaultVersionId").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut doc = None;
        for (vp, version) in cx.list(po, "PolicyVersionList", &p) {
            let Some(vo) = cx.fields(version, &vp, &["Document", "VersionId", "IsDefaultVersion"]) else { continue };
            let is_default = vo.get("IsDefaultVersion").and_then(Value::as_bool).unwrap_or(false)
                || vo.get("VersionId").and_then(Value::as_str).is_some_and(|v| v == default);
            if is_default && doc.is_none() {
                doc = cx.document(vo.get("Document"), &format!("{vp}.Document"));
            } else {
                cx.ignore(&vp, "not the policy's default version");
            }
        }
        if doc.is_none() {
            cx.error(&p, "no default version in `PolicyVersionList`");
        }
        if let (Some(name), Some(doc)) = (name, doc) {
            let mut m = Map::new();
            m.insert("name".into(), Value::String(name));
            if let Some(path) = po.get("Path").and_then(Value::as_str).filter(|p| *p != "/") {
                m.insert("path".into(), Value::String(path.to_string()));
            }
            m.insert("document".into(), doc);
            managed.push(Value::Object(m));
        }
    }

    let mut users = Vec::new();
    for (p, v) in cx.list(top, "UserDetailList", "$") {
        let known = ["UserName", "UserId", "Arn", "Path", "GroupList", "AttachedManagedPolicies", "UserPolicyList", "PermissionsBoundary", "Tags"];
        let Some(u) = cx.fields(v, &p, &known) else { continue };
        cx.account_of(u, &p, &mut acct_id);
        let Some(name) = cx.string(u, "UserName", &p).map(str::to_string) else { continue };
        let mut m = Map::new();
        m.insert("name".into(), Value::String(name));
        entity_common(&mut cx, u, &p, "UserId", "UserPolicyList", &mut m);
        let groups: Vec<Value> =
            cx.list(u, "GroupList", &p).into_iter().filter_map(|(_, g)| g.as_str().map(|s| Value::String(s.to_string()))).collect();
        if !groups.is_empty() {
            m.insert("groups".into(), Value::Array(groups));
        }
        users.push(Value::Object(m));
    }

    let mut groups = Vec::new();
    for (p, v) in cx.list(top, "GroupDetailList", "$") {
        let Some(g) = cx.fields(v, &p, &["GroupName", "Arn", "Path", "GroupPolicyList", "AttachedManagedPolicies"]) else { continue };
        cx.account_of(g, &p, &mut acct_id);
        let Some(name) = cx.string(g, "GroupName", &p).map(str::to_string) else { continue };
        let mut m = Map::new();
        m.insert("name".into(), Value::String(name));
        if let Some(path) = g.get("Path").and_then(Value::as_str).filter(|p| *p != "/") {
            m.insert("path".into(), Value::String(path.to_string()));
        }
        let policies = cx.inline_policies(g, "GroupPolicyList", &p);
        if !policies.is_empty() {
            m.insert("policies".into(), Value::Array(policies));
        }
        let attached = cx.attached(g, &p);
        if !attached.is_empty() {
            m.insert("managedPolicies".into(), Value::Array(attached));
        }
        groups.push(Value::Object(m));
    }

    let mut roles = Vec::new();
    for (p, v) in cx.list(top, "RoleDetailList", "$") {
        let known = [
            "RoleName",
            "RoleId",
            "Arn",
            "Path",
            "AssumeRolePolicyDocument",
            "InstanceProfileList",
            "RolePolicyList",
            "AttachedManagedPolicies",
            "PermissionsBoundary",
            "Tags",
            "MaxSessionDuration",
        ];
        let Some(r) = cx.fields(v, &p, &known) else { continue };
        cx.account_of(r, &p, &mut acct_id);
        let Some(name) = cx.string(r, "RoleName", &p).map(str::to_string) else { continue };
        let mut m = Map::new();
        m.insert("name".into(), Value::String(name));
        if let Some(trust) = cx.document(r.get("AssumeRolePolicyDocument"), &format!("{p}.AssumeRolePolicyDocument")) {
            m.insert("trustPolicy".into(), trust);
        }
        entity_common(&mut cx, r, &p, "RoleId", "RolePolicyList", &mut m);
        if let Some(n) = r.get("MaxSessionDuration").and_then(Value::as_u64) {
            m.insert("maxSessionDuration".into(), json!(n));
        }
        for (ip, profile) in cx.list(r, "InstanceProfileList", &p) {
            let Some(io) = cx.fields(profile, &ip, &["InstanceProfileName"]) else { continue };
            match (m.contains_key("instanceProfile"), io.get("InstanceProfileName").and_then(Value::as_str)) {
                (false, Some(n)) => {
                    m.insert("instanceProfile".into(), Value::String(n.to_string()));
                }
                (true, Some(_)) => cx.ignore(&ip, "a role is in one instance profile in a scenario: the first is kept"),
                (_, None) => cx.error(&ip, "missing `InstanceProfileName`"),
            }
        }
        roles.push(Value::Object(m));
    }

    ignored.append(&mut cx.ignored);
    errors.append(&mut cx.errors);
    let Some(id) = acct_id else {
        errors.push(ImportError { source: file.source.clone(), path: "$".into(), message: "no entity with an `Arn` names the account".into() });
        return None;
    };
    let mut a = Map::new();
    a.insert("id".into(), Value::String(id.clone()));
    for (key, list) in [("managedPolicies", managed), ("users", users), ("groups", groups), ("roles", roles)] {
        if !list.is_empty() {
            a.insert(key.into(), Value::Array(list));
        }
    }
    Some((id, a))
}

/// The fields users and roles share: path, unique ID, inline and attached
/// policies, boundary, tags.
fn entity_common(cx: &mut Cx<'_>, o: &Map<String, Value>, path: &str, id_key: &str, policies_key: &str, m: &mut Map<String, Value>) {
    if let Some(p) = o.get("Path").and_then(Value::as_str).filter(|p| *p != "/") {
        m.insert("path".into(), Value::String(p.to_string()));
    }
    if let Some(id) = o.get(id_key).and_then(Value::as_str) {
        m.insert("uniqueId".into(), Value::String(id.to_string()));
    }
    let policies = cx.inline_policies(o, policies_key, path);
    if !policies.is_empty() {
        m.insert("policies".into(), Value::Array(policies));
    }
    let attached = cx.attached(o, path);
    if !attached.is_empty() {
        m.insert("managedPolicies".into(), Value::Array(attached));
    }
    if let Some(b) = cx.boundary(o, path) {
        m.insert("permissionsBoundary".into(), b);
    }
    if let Some(t) = cx.tags(o, path) {
        m.insert("tags".into(), t);
    }
}

/// `{"Policy": "<text>"}` → the policy's text.
fn bucket_policy(file: &BucketPolicyFile<'_>, ignored: &mut Vec<String>, errors: &mut Vec<ImportError>) -> Option<String> {
    let mut cx = Cx { source: &file.source, ignored: Vec::new(), errors: Vec::new() };
    let out = match serde_json::from_str::<Value>(file.text) {
        Ok(v) => cx.fields(&v, "$", &["Policy"]).and_then(|o| cx.string(o, "Policy", "$").map(str::to_string)),
        Err(e) => {
            cx.error("", format!("not JSON: {e}"));
            None
        }
    };
    ignored.append(&mut cx.ignored);
    errors.append(&mut cx.errors);
    out
}

/// `{"Policy": {"PolicySummary": {…}, "Content": "<text>"}}` → (name, text).
fn org_policy(file: &OrgPolicyFile<'_>, want: &str, ignored: &mut Vec<String>, errors: &mut Vec<ImportError>) -> Option<(String, String)> {
    let mut cx = Cx { source: &file.source, ignored: Vec::new(), errors: Vec::new() };
    let out = (|| {
        let v: Value = match serde_json::from_str(file.text) {
            Ok(v) => v,
            Err(e) => {
                cx.error("", format!("not JSON: {e}"));
                return None;
            }
        };
        let top = cx.fields(&v, "$", &["Policy"])?;
        let p = cx.fields(top.get("Policy")?, "$.Policy", &["PolicySummary", "Content"])?;
        let s = cx.fields(p.get("PolicySummary")?, "$.Policy.PolicySummary", &["Name", "Type"])?;
        let kind = s.get("Type").and_then(Value::as_str).unwrap_or_default();
        if kind != want {
            cx.error("$.Policy.PolicySummary.Type", format!("`{kind}` given where a `{want}` was expected"));
            return None;
        }
        let name = cx.string(s, "Name", "$.Policy.PolicySummary")?.to_string();
        let content = cx.string(p, "Content", "$.Policy")?.to_string();
        Some((name, content))
    })();
    if out.is_none() && cx.errors.is_empty() {
        cx.error("$.Policy", "missing `Policy`, `PolicySummary` or `Content`");
    }
    ignored.append(&mut cx.ignored);
    errors.append(&mut cx.errors);
    out
}

/// SCP or RCP files → levels in the order first named.
fn levels(files: &[OrgPolicyFile<'_>], want: &str, ignored: &mut Vec<String>, errors: &mut Vec<ImportError>) -> Vec<Value> {
    let mut levels: Vec<(String, Vec<Value>)> = Vec::new();
    for f in files {
        let Some((name, text)) = org_policy(f, want, ignored, errors) else { continue };
        let policy = json!({ "name": name, "document": text });
        match levels.iter_mut().find(|(l, _)| *l == f.level) {
            Some((_, list)) => list.push(policy),
            None => levels.push((f.level.clone(), vec![policy])),
        }
    }
    levels.into_iter().map(|(name, policies)| json!({ "name": name, "policies": policies })).collect()
}

/// Imports `input` into one scenario document.
pub fn import(input: &ImportInput<'_>) -> Result<Imported, Vec<ImportError>> {
    let mut ignored = Vec::new();
    let mut errors = Vec::new();
    let mut accounts: Vec<(String, Map<String, Value>)> = Vec::new();
    for f in &input.exports {
        if let Some((id, a)) = account(f, &mut ignored, &mut errors) {
            if accounts.iter().any(|(x, _)| *x == id) {
                errors.push(ImportError {
                    source: f.source.clone(),
                    path: "$".into(),
                    message: format!("account {id} was already imported from another file"),
                });
                continue;
            }
            accounts.push((id, a));
        }
    }
    for b in &input.buckets {
        let Some(text) = bucket_policy(b, &mut ignored, &mut errors) else { continue };
        let owner = match (&b.account, accounts.len()) {
            (Some(id), _) => accounts.iter_mut().find(|(x, _)| x == id),
            (None, 1) => accounts.first_mut(),
            (None, _) => None,
        };
        let Some((_, a)) = owner else {
            let message = match &b.account {
                Some(id) if !AccountId::is_valid(id) => format!("`{id}` is not a 12-digit account ID"),
                Some(id) => format!("no export of account {id} was given"),
                None => format!("{} accounts were imported: name the bucket's as `ACCOUNT_ID:{}`", accounts.len(), b.name),
            };
            errors.push(ImportError { source: b.source.clone(), path: String::new(), message });
            continue;
        };
        let list = a.entry("buckets").or_insert_with(|| Value::Array(Vec::new()));
        if let Some(items) = list.as_array_mut() {
            items.push(json!({ "name": b.name, "policy": text }));
        }
    }
    let scps = levels(&input.scps, "SERVICE_CONTROL_POLICY", &mut ignored, &mut errors);
    let rcps = levels(&input.rcps, "RESOURCE_CONTROL_POLICY", &mut ignored, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    if accounts.is_empty() {
        return Err(vec![ImportError {
            source: String::new(),
            path: String::new(),
            message: "no account to import: give at least one export".into(),
        }]);
    }
    for (_, a) in &mut accounts {
        if !scps.is_empty() {
            a.insert("scps".into(), Value::Array(scps.clone()));
        }
        if !rcps.is_empty() {
            a.insert("rcps".into(), Value::Array(rcps.clone()));
        }
    }
    let step = starting_step(&accounts);
    let sources: Vec<&str> = input.exports.iter().map(|f| f.source.as_str()).collect();
    let document = json!({
        "format": crate::scenario::FORMAT,
        "title": format!("Imported accounts {}", accounts.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")),
        "description": format!("Imported by `trustwalk import` from {}. The step is a starting point: write the requests to check.", sources.join(", ")),
        "accounts": accounts.into_iter().map(|(_, a)| Value::Object(a)).collect::<Vec<_>>(),
        "steps": [step],
    });
    Ok(Imported { document, ignored })
}

/// A first step to edit: the first user lists its buckets (or an anonymous
/// caller, when there is no user).
fn starting_step(accounts: &[(String, Map<String, Value>)]) -> Value {
    let user = accounts.iter().find_map(|(id, a)| {
        let u = a.get("users")?.as_array()?.first()?;
        let name = u.get("name")?.as_str()?;
        let path = u.get("path").and_then(Value::as_str).unwrap_or("/");
        Some(crate::arn::build::user(id, path, name))
    });
    json!({ "id": "start-here", "principal": user.unwrap_or_else(|| "anonymous".into()), "action": "s3:ListAllMyBuckets", "resource": "*" })
}

#[cfg(test)]
mod tests;
