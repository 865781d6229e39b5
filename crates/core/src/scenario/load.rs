//! Scenario text → [`Scenario`], checking every rule of
//! scenario-format.md and naming each error by its JSON path.

use std::collections::{HashMap, HashSet};

use crate::arn::{AccountId, Arn, ArnErrorKind, Entity, PolicyArn, PolicyOwner, Principal};
use crate::context::ContextValue;
use crate::diag::{DiagCode, Diagnostic, JsonPath};
use crate::json::{self, Json, JsonKind, Member};
use crate::keys::Seen;
use crate::policy::{self, Policy, PolicyType, Version};
use crate::scenario::directory::Directory;
use crate::scenario::managed::{self, ManagedPolicySource, NoManagedPolicies};
use crate::scenario::model::*;
use crate::time;

/// How to load a document: its size limit and where AWS managed policies
/// come from.
#[derive(Clone, Copy)]
pub struct LoadOptions<'m> {
    /// The largest document accepted, in bytes (each policy is still
    /// limited to [`json::MAX_TEXT_BYTES`]). Not used by
    /// [`load_json_with_options`].
    pub max_bytes: usize,
    /// The text of the AWS managed policies the document attaches; see
    /// [`managed::managed_policy_arns`] for the ones it names.
    pub managed_policies: &'m dyn ManagedPolicySource,
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions { max_bytes: json::MAX_TEXT_BYTES, managed_policies: &NoManagedPolicies }
    }
}

impl<'m> LoadOptions<'m> {
    /// The default options with `source` for AWS managed policies.
    pub fn with_managed_policies(source: &'m dyn ManagedPolicySource) -> Self {
        LoadOptions { managed_policies: source, ..LoadOptions::default() }
    }
}

/// Parses and validates a scenario document. Warnings (for instance a
/// policy without `Version`) come back beside the scenario. An AWS managed
/// policy it attaches is an error: use [`load_with_options`] to supply them.
pub fn load(text: &str) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with_options(text, &LoadOptions::default())
}

/// Like [`load`], for documents up to `max_bytes` (the command-line tool
/// accepts large generated scenarios; each policy is still limited to
/// [`json::MAX_TEXT_BYTES`]).
pub fn load_with_limit(text: &str, max_bytes: usize) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with_options(text, &LoadOptions { max_bytes, ..LoadOptions::default() })
}

/// Like [`load`], with a size limit and the AWS managed policies.
pub fn load_with_options(text: &str, options: &LoadOptions<'_>) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let json = json::parse_with_limit(text, options.max_bytes).map_err(|e| vec![e])?;
    load_with_source(&json, Some(text), options.managed_policies)
}

/// Validates an already parsed document.
pub fn load_json(json: &Json) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with_source(json, None, &NoManagedPolicies)
}

/// Validates an already parsed document, with the AWS managed policies.
pub fn load_json_with_options(json: &Json, options: &LoadOptions<'_>) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    load_with_source(json, None, options.managed_policies)
}

fn load_with_source(json: &Json, source: Option<&str>, managed: &dyn ManagedPolicySource) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut cx = Loader::new(source, managed);
    let scenario = cx.document(json);
    if cx.errors.is_empty() {
        if let Some(s) = scenario {
            return Ok((s, cx.warnings));
        }
    }
    Err(cx.errors)
}

/// A document loaded with its errors contained (see
/// [`load_json_contained`]).
#[derive(Debug)]
pub struct Contained {
    /// The scenario, when every error is inside a policy: such a policy is
    /// kept without statements (its [`LoadedPolicy::error`] says why), and
    /// the steps that need it are not evaluated. `None` when an error is
    /// elsewhere (an account, a step, the document's structure).
    pub scenario: Option<Scenario>,
    /// The errors, then the warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Validates an already parsed document as [`load_json_with_options`]
/// does, and gives the scenario even when policies have errors, so that
/// the steps that do not depend on them can still run (the playground
/// does this while the user types). Each error is reported once, where it
/// is: a broken trust policy does not also make its role unknown.
pub fn load_json_contained(json: &Json, options: &LoadOptions<'_>) -> Contained {
    let mut cx = Loader::new(None, options.managed_policies);
    let scenario = cx.document(json).filter(|_| cx.errors.len() == cx.contained);
    let mut diagnostics = cx.errors;
    diagnostics.append(&mut cx.warnings);
    Contained { scenario, diagnostics }
}

struct Loader<'t> {
    errors: Vec<Diagnostic>,
    /// How many of `errors` are inside a policy (see [`Contained`]).
    contained: usize,
    warnings: Vec<Diagnostic>,
    /// The document's text, to place errors inside policies given as
    /// strings at their position in the file.
    source: Option<&'t str>,
    /// Line starts of `source`, found once, when the first such error is
    /// placed (a document with thousands of policy warnings is read once).
    line_index: Option<json::LineIndex<'t>>,
    /// Where AWS managed policies come from.
    managed: &'t dyn ManagedPolicySource,
    /// The AWS managed policies read so far, by ARN: each is read once
    /// however often it is attached; `Err` holds why it cannot be used.
    aws_managed: HashMap<String, Result<LoadedPolicy, (DiagCode, String)>>,
    /// The ARNs of customer managed policies whose definition has errors
    /// (reported there): attaching one adds no second error.
    broken_managed: HashSet<String>,
    /// Step principals already found in the document: a long scenario
    /// names the same few callers step after step (at most
    /// [`KNOWN_PRINCIPALS`] are kept).
    known_principals: HashSet<String>,
}

/// See [`Loader::known_principals`].
const KNOWN_PRINCIPALS: usize = 1024;

/// Reads the members of one object, remembering which were used, so that
/// unknown fields (other than `x-…`) and duplicates are reported.
struct Obj<'j> {
    json: &'j Json,
    members: &'j [Member],
    path: JsonPath,
}

impl<'j> Obj<'j> {
    fn get(&self, key: &str) -> Option<&'j Json> {
        self.members.iter().find(|m| m.key == key).map(|m| &m.value)
    }
}

/// AWS's limits on tags, checked when a document is loaded.
///
/// - IAM users and roles: at most 50 tags each; tag keys of 1 to 128
///   characters, values of at most 256 ("IAM and AWS STS quotas", IAM object
///   quotas and character limits,
///   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html;
///   "Tagging IAM resources",
///   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html).
/// - Session tags: at most 50 per AssumeRole call, keys of at most 128
///   characters and values of at most 256 ("Pass session tags in AWS STS",
///   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html;
///   AssumeRole `Tags` and the `Tag` type,
///   https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html,
///   https://docs.aws.amazon.com/STS/latest/APIReference/API_Tag.html).
/// - S3 buckets: at most 50 tags ("Using cost allocation S3 bucket tags",
///   https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html).
/// - Other AWS resources: at most 50 tags per resource, the same key and
///   value lengths ("Tagging AWS resources", tag naming limits and
///   requirements, https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
#[derive(Debug, Clone, Copy)]
struct TagLimits {
    max: usize,
    /// The rule in words, for the message.
    rule: &'static str,
}

const MAX_TAG_KEY_CHARS: usize = 128;
const MAX_TAG_VALUE_CHARS: usize = 256;
const USER_TAGS: TagLimits = TagLimits { max: 50, rule: "an IAM user has at most 50 tags" };
const ROLE_TAGS: TagLimits = TagLimits { max: 50, rule: "an IAM role has at most 50 tags" };
const BUCKET_TAGS: TagLimits = TagLimits { max: 50, rule: "an S3 bucket has at most 50 tags" };
const RESOURCE_TAGS: TagLimits = TagLimits { max: 50, rule: "an AWS resource has at most 50 tags" };
const SESSION_TAGS: TagLimits = TagLimits { max: 50, rule: "AssumeRole accepts at most 50 session tags" };
/// AssumeRole's `TransitiveTagKeys`: at most 50 items (API_AssumeRole,
/// link above); each must also be one of the call's session tags.
const MAX_TRANSITIVE_TAG_KEYS: usize = 50;
/// An IAM user is in at most 10 groups (IAM object quotas, link above; a
/// quota that cannot be raised).
const MAX_GROUPS_PER_USER: usize = 10;

/// A key as quoted in a message: up to 40 characters, then `…`.
fn shorten(key: &str) -> String {
    let mut short: String = key.chars().take(40).collect();
    if short.len() < key.len() {
        short.push('…');
    }
    short
}

fn valid_session_name(s: &str) -> bool {
    (2..=64).contains(&s.chars().count()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// The session name AWS gives the session a service creates for the
/// resource `arn`: an EC2 instance's ID (`i-0abc…`), a Lambda function's
/// name.
pub fn session_name_of_source(arn: &str) -> Option<String> {
    let a = Arn::parse(arn).ok()?;
    let name = match a.service {
        "ec2" => a.resource.strip_prefix("instance/")?,
        "lambda" => a.resource.strip_prefix("function:")?.split(':').next()?,
        _ => return None,
    };
    valid_session_name(name).then(|| name.to_string())
}

fn valid_entity_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// A made-up, stable unique ID derived from the ARN (FNV-1a, base-32-ish).
pub fn derived_unique_id(prefix: &str, arn: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in arn.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::from(prefix);
    let mut x = h;
    for _ in 0..17 {
        let i = usize::try_from(x % 32).unwrap_or(0);
        out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
        x /= 32;
        if x == 0 {
            x = h.rotate_left(29) | 1;
        }
    }
    out
}

impl<'t> Loader<'t> {
    fn new(source: Option<&'t str>, managed: &'t dyn ManagedPolicySource) -> Self {
        Loader {
            errors: Vec::new(),
            contained: 0,
            warnings: Vec::new(),
            source,
            line_index: None,
            managed,
            aws_managed: HashMap::new(),
            broken_managed: HashSet::new(),
            known_principals: HashSet::new(),
        }
    }

    fn err(&mut self, code: DiagCode, msg: impl Into<String>, path: &JsonPath, j: &Json) {
        self.errors.push(Diagnostic::new(code, msg, path.clone()).at(j.span));
    }

    /// An error with advice of its own instead of the code's usual help.
    fn err_help(&mut self, code: DiagCode, msg: impl Into<String>, help: impl Into<String>, path: &JsonPath, j: &Json) {
        self.errors.push(Diagnostic::new(code, msg, path.clone()).help(help).at(j.span));
    }

    fn obj<'j>(&mut self, json: &'j Json, path: &JsonPath, allowed: &'static [&'static str], what: &str) -> Option<Obj<'j>> {
        let Some(members) = json.as_object() else {
            self.err(DiagCode::DataTypeMismatch, format!("{what} must be an object, not {}", json.type_name()), path, json);
            return None;
        };
        let mut seen = Seen::exact();
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.errors.push(Diagnostic::new(DiagCode::DuplicateKeys, format!("duplicate field `{}`", m.key), path.key(&m.key)).at(m.key_span));
            } else if !allowed.contains(&m.key.as_str()) && !m.key.starts_with("x-") {
                let help = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&m.key))
                    .map(|a| format!("write `{a}`: field names are case-sensitive"))
                    .unwrap_or_else(|| {
                        format!(
                            "use one of {}; a custom field's name starts with `x-`",
                            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                        )
                    });
                self.errors.push(
                    Diagnostic::new(DiagCode::UnknownField, format!("unknown field `{}` in {what}", m.key), path.key(&m.key))
                        .help(help)
                        .at(m.key_span),
                );
            }
        }
        Some(Obj { json, members, path: path.clone() })
    }

    fn string(&mut self, o: &Obj<'_>, key: &str, required: bool) -> Option<String> {
        match o.get(key) {
            None => {
                if required {
                    self.err(DiagCode::MissingField, format!("missing required field `{key}`"), &o.path, o.json);
                }
                None
            }
            Some(v) => match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    self.err(DiagCode::DataTypeMismatch, format!("`{key}` must be a string, not {}", v.type_name()), &o.path.key(key), v);
                    None
                }
            },
        }
    }

    fn array<'j>(&mut self, o: &Obj<'j>, key: &str, required: bool, non_empty: bool) -> Vec<(JsonPath, &'j Json)> {
        match o.get(key) {
            None => {
                if required {
                    self.err(DiagCode::MissingField, format!("missing required field `{key}`"), &o.path, o.json);
                }
                Vec::new()
            }
            Some(v) => match v.as_array() {
                Some(items) => {
                    if non_empty && items.is_empty() {
                        self.err(DiagCode::EmptyList, format!("`{key}` is an empty list"), &o.path.key(key), v);
                    }
                    items.iter().enumerate().map(|(i, j)| (o.path.key(key).index(i), j)).collect()
                }
                None => {
                    self.err(DiagCode::DataTypeMismatch, format!("`{key}` must be a list, not {}", v.type_name()), &o.path.key(key), v);
                    Vec::new()
                }
            },
        }
    }

    /// A tag list (`{key: value}`), within AWS's limits for its owner.
    fn tags(&mut self, o: &Obj<'_>, key: &str, limits: TagLimits) -> Tags {
        let Some(v) = o.get(key) else { return Vec::new() };
        let path = o.path.key(key);
        let Some(members) = v.as_object() else {
            self.err(DiagCode::DataTypeMismatch, format!("`{key}` must be an object of tag keys to string values, not {}", v.type_name()), &path, v);
            return Vec::new();
        };
        if members.len() > limits.max {
            self.err(DiagCode::TooManyTags, format!("`{key}` has {} tags: {}", members.len(), limits.rule), &path, v);
        }
        let mut out: Tags = Vec::new();
        let mut seen = Seen::caseless();
        for m in members {
            if !seen.insert(&m.key) {
                self.errors.push(
                    Diagnostic::new(DiagCode::DuplicateKeysWithDifferentCase, format!("duplicate tag key `{}`", m.key), path.key(&m.key))
                        .help("keep one: case does not count in tag keys")
                        .at(m.key_span),
                );
                continue;
            }
            let key_chars = m.key.chars().count();
            if !(1..=MAX_TAG_KEY_CHARS).contains(&key_chars) {
                self.errors.push(
                    Diagnostic::new(
                        DiagCode::InvalidTag,
                        format!(
                            "the tag key `{}` is {key_chars} characters long: AWS accepts tag keys of 1 to {MAX_TAG_KEY_CHARS} characters",
                            shorten(&m.key)
                        ),
                        path.key(&m.key),
                    )
                    .at(m.key_span),
                );
            }
            match m.value.as_str() {
                Some(s) => {
                    let value_chars = s.chars().count();
                    if value_chars > MAX_TAG_VALUE_CHARS {
                        self.err(
                            DiagCode::InvalidTag,
                            format!(
                                "the value of the tag `{}` is {value_chars} characters long: AWS accepts tag values of at most {MAX_TAG_VALUE_CHARS} characters",
                                shorten(&m.key)
                            ),
                            &path.key(&m.key),
                            &m.value,
                        );
                    }
                    out.push((m.key.clone(), s.to_string()));
                }
                None => self.err(
                    DiagCode::DataTypeMismatch,
                    format!("a tag value must be a string, not {}", m.value.type_name()),
                    &path.key(&m.key),
                    &m.value,
                ),
            }
        }
        out
    }

    fn context(&mut self, o: &Obj<'_>, key: &str) -> Vec<(String, Option<ContextValue>)> {
        let Some(v) = o.get(key) else { return Vec::new() };
        let path = o.path.key(key);
        let Some(members) = v.as_object() else {
            self.err(DiagCode::DataTypeMismatch, format!("`context` must be an object of condition keys to values, not {}", v.type_name()), &path, v);
            return Vec::new();
        };
        let mut out: Vec<(String, Option<ContextValue>)> = Vec::new();
        let mut seen = Seen::caseless();
        for m in members {
            let kp = path.key(&m.key);
            if !seen.insert(&m.key) {
                self.errors.push(
                    Diagnostic::new(DiagCode::DuplicateKeysWithDifferentCase, format!("duplicate context key `{}`", m.key), kp)
                        .help("keep one: case does not count in condition keys")
                        .at(m.key_span),
                );
                continue;
            }
            if !m.key.contains(':') {
                self.errors
                    .push(Diagnostic::new(DiagCode::InvalidConditionKeyFormat, format!("`{}` is not a condition key", m.key), kp).at(m.key_span));
                continue;
            }
            if matches!(m.value.kind, JsonKind::Null) {
                out.push((m.key.clone(), None));
                continue;
            }
            if let Some(msg) = time_value_problem(&m.key, &m.value) {
                self.err(DiagCode::InvalidTime, msg, &kp, &m.value);
                continue;
            }
            match ContextValue::from_json(&m.value.to_value()) {
                Some(v) => out.push((m.key.clone(), Some(v))),
                None => self.err(
                    DiagCode::DataTypeMismatch,
                    format!("a context value must be a string, number, boolean, a list of them, or null, not {}", m.value.type_name()),
                    &kp,
                    &m.value,
                ),
            }
        }
        out
    }

    /// A `Policy`: a JSON object, or a string holding the policy text.
    fn policy(&mut self, v: &Json, path: &JsonPath, policy_type: PolicyType, name: &str, display: String) -> Option<LoadedPolicy> {
        let (result, text) = match &v.kind {
            JsonKind::String(text) => {
                let parsed = json::parse(text).map_err(|e| vec![e]).and_then(|j| policy::policy_from_json(&j, policy_type));
                (parsed, Some(text.clone()))
            }
            JsonKind::Object(_) => {
                // The same bound as a policy given as text: its length in
                // the document, or compactly written when it has no text.
                let size = if v.span.end > v.span.start { v.span.end - v.span.start } else { json::compact_len(v, json::MAX_TEXT_BYTES) };
                if size > json::MAX_TEXT_BYTES {
                    self.err(
                        DiagCode::TooLarge,
                        format!("the policy is {size} bytes long; at most {} bytes are accepted", json::MAX_TEXT_BYTES),
                        path,
                        v,
                    );
                    return None;
                }
                (policy::policy_from_json(v, policy_type), None)
            }
            _ => {
                self.err(
                    DiagCode::DataTypeMismatch,
                    format!("a policy must be an object or a string holding policy text, not {}", v.type_name()),
                    path,
                    v,
                );
                return None;
            }
        };
        let embedded = text.is_some();
        let (diagnostics, policy) = match result {
            Ok(parsed) => (parsed.warnings, Some(parsed.policy)),
            Err(errors) => (errors, None),
        };
        // Escapes of the string literal, read once for all its diagnostics.
        let mut literal_map = None;
        let mut error = None;
        for d in diagnostics {
            let d = self.relocate(d, path, v.span, embedded, &mut literal_map);
            if d.is_error() {
                if error.is_none() {
                    error = Some(match d.text_location.or(d.location) {
                        Some(at) => format!("{} (line {}, column {})", d.message, at.line, at.column),
                        None => d.message.clone(),
                    });
                }
                // An error inside a policy stays there: the policy is kept,
                // without statements, so that what refers to it still
                // finds it and the steps that do not need it can run.
                self.contained += 1;
                self.errors.push(d);
            } else {
                self.warnings.push(d);
            }
        }
        let policy = policy.unwrap_or_else(|| Policy {
            policy_type,
            version: Version::V2012,
            version_missing: false,
            id: None,
            statements: Vec::new(),
            statements_in_list: true,
            span: v.span,
        });
        Some(LoadedPolicy { name: name.to_string(), display, policy, path: path.clone(), text, source_span: v.span, managed_arn: None, error })
    }

    /// A diagnostic of the policy at `path` (whose JSON value spans
    /// `literal` in the document), as the document's: its path prefixed and,
    /// for a policy given as a string (`embedded`), its position inside the
    /// string literal in the file, the position in the policy text kept in
    /// `text_location`.
    fn relocate(
        &mut self,
        mut d: Diagnostic,
        path: &JsonPath,
        literal: json::Span,
        embedded: bool,
        literal_map: &mut Option<json::LiteralMap>,
    ) -> Diagnostic {
        d.path = d.path.within(path);
        if embedded {
            d.embedded_in = Some(path.clone());
            d.text_location = d.location;
            d.location = match (self.source, d.location) {
                (Some(src), Some(inner)) => {
                    let map = literal_map
                        .get_or_insert_with(|| json::LiteralMap::new(src.get(literal.start + 1..literal.end.saturating_sub(1)).unwrap_or_default()));
                    let start = literal.start + 1 + map.raw_offset(inner.start);
                    let end = literal.start + 1 + map.raw_offset(inner.end);
                    let index = self.line_index.get_or_insert_with(|| json::LineIndex::new(src));
                    Some(index.span(start, end))
                }
                _ => Some(literal),
            };
        }
        d
    }

    /// `NamedPolicy` = `{ "name", "document" }`.
    fn named_policy(&mut self, v: &Json, path: &JsonPath, policy_type: PolicyType, owner: &str) -> Option<LoadedPolicy> {
        let o = self.obj(v, path, &["name", "document"], "a named policy")?;
        let name = self.string(&o, "name", true);
        let doc = o.get("document");
        if doc.is_none() {
            self.err(DiagCode::MissingField, "missing required field `document`", path, v);
        }
        let name = name?;
        self.policy(doc?, &path.key("document"), policy_type, &name, format!("{owner}/{name}"))
    }

    fn named_policies(&mut self, o: &Obj<'_>, key: &str, policy_type: PolicyType, owner: &str) -> Vec<LoadedPolicy> {
        let items = self.array(o, key, false, false);
        let mut out: Vec<LoadedPolicy> = Vec::new();
        let mut names = HashSet::new();
        for (p, j) in items {
            if let Some(lp) = self.named_policy(j, &p, policy_type, owner) {
                if !names.insert(lp.name.clone()) {
                    self.err(DiagCode::DuplicateName, format!("duplicate policy name `{}`", lp.name), &p.key("name"), j);
                }
                out.push(lp);
            }
        }
        out
    }

    fn levels(&mut self, o: &Obj<'_>, key: &str, policy_type: PolicyType) -> Option<Vec<PolicyLevel>> {
        o.get(key)?;
        let items = self.array(o, key, false, false);
        let mut out = Vec::new();
        for (p, j) in items {
            let Some(lo) = self.obj(j, &p, &["name", "policies"], "a policy level") else { continue };
            let name = self.string(&lo, "name", true).unwrap_or_default();
            let policies = self.named_policies(&lo, "policies", policy_type, &name);
            out.push(PolicyLevel { name, policies });
        }
        Some(out)
    }

    fn path_field(&mut self, o: &Obj<'_>) -> String {
        let path = self.string(o, "path", false).unwrap_or_else(|| "/".to_string());
        if !path.starts_with('/') || !path.ends_with('/') {
            if let Some(v) = o.get("path") {
                self.err(DiagCode::InvalidPath, format!("the path `{path}` does not begin and end with `/`"), &o.path.key("path"), v);
            }
        }
        path
    }

    fn name_field(&mut self, o: &Obj<'_>, what: &str) -> Option<String> {
        self.entity_name(o, "name", true, what)
    }

    /// A name IAM gives a user, group, role, policy or instance profile:
    /// 1 to 128 letters, digits and `_+=,.@-` (an error at `key` otherwise).
    fn entity_name(&mut self, o: &Obj<'_>, key: &str, required: bool, what: &str) -> Option<String> {
        let name = self.string(o, key, required)?;
        if !valid_entity_name(&name) {
            if let Some(v) = o.get(key) {
                self.err_help(
                    DiagCode::InvalidName,
                    format!("`{name}` is not a valid {what} name"),
                    "use 1 to 128 letters, digits and `_+=,.@-`",
                    &o.path.key(key),
                    v,
                );
            }
        }
        Some(name)
    }

    fn unique_id(&mut self, o: &Obj<'_>, prefix: &str, arn: &str) -> String {
        match self.string(o, "uniqueId", false) {
            Some(id) => {
                if !crate::arn::is_unique_id(&id) || !id.starts_with(prefix) {
                    if let Some(v) = o.get("uniqueId") {
                        self.err(
                            DiagCode::InvalidUniqueId,
                            format!("`{id}` is not a unique ID starting with `{prefix}`"),
                            &o.path.key("uniqueId"),
                            v,
                        );
                    }
                }
                id
            }
            None => derived_unique_id(prefix, arn),
        }
    }

    fn account(&mut self, v: &Json, path: &JsonPath) -> Option<Account> {
        let o = self.obj(
            v,
            path,
            &["id", "name", "orgId", "scps", "rcps", "managedPolicies", "users", "groups", "roles", "buckets", "resources"],
            "an account",
        )?;
        let id = self.account_id(&o);
        let name = self.string(&o, "name", false);
        let org_id = self.org_id(&o);
        let scps = self.levels(&o, "scps", PolicyType::Scp);
        let rcps = self.levels(&o, "rcps", PolicyType::Rcp);
        let managed_policies = self.customer_managed_policies(&o, &id);
        let owner = Owner { id: &id, label: name.as_ref().map_or_else(|| id.clone(), |n| format!("{n} ({id})")), policies: &managed_policies };
        let users = self.users(&o, &owner);
        let groups = self.groups(&o, &owner);
        self.check_user_groups(&users, &groups, &id);
        let roles = self.roles(&o, &owner);
        let buckets = self.buckets(&o);
        let resources = self.resources(&o);
        Some(Account {
            id,
            name,
            org_id,
            scps,
            rcps,
            managed_policies,
            users: users.into_iter().map(|(_, u)| u).collect(),
            groups,
            roles,
            buckets,
            resources,
        })
    }

    /// An account's `managedPolicies`: its customer managed policies, each
    /// `{name, path?, document}`, names unique in the account whatever
    /// their case and path (IAM's rule for policy names).
    fn customer_managed_policies(&mut self, o: &Obj<'_>, account_id: &str) -> Vec<ManagedPolicy> {
        let items = self.array(o, "managedPolicies", false, false);
        let mut out: Vec<ManagedPolicy> = Vec::new();
        let mut names: HashSet<String> = HashSet::new();
        for (p, j) in items {
            let Some(mo) = self.obj(j, &p, &["name", "path", "document"], "a managed policy") else { continue };
            let name = self.name_field(&mo, "policy");
            let mpath = self.path_field(&mo);
            let doc = mo.get("document");
            if doc.is_none() {
                self.err(DiagCode::MissingField, "missing required field `document`", &p, j);
            }
            let (Some(name), Some(doc)) = (name, doc) else { continue };
            if !names.insert(name.to_lowercase()) {
                self.err_help(
                    DiagCode::DuplicateName,
                    format!("duplicate managed policy name `{name}`"),
                    "rename one: policy names are unique in an account, whatever their case and path",
                    &p.key("name"),
                    mo.get("name").unwrap_or(j),
                );
                continue;
            }
            let arn = crate::arn::build::policy(account_id, &mpath, &name);
            match self.policy(doc, &p.key("document"), PolicyType::Identity, &name, arn.clone()) {
                Some(mut policy) => {
                    policy.managed_arn = Some(arn.clone());
                    out.push(ManagedPolicy { name, path: mpath, arn, policy });
                }
                None => {
                    self.broken_managed.insert(arn);
                }
            }
        }
        out
    }

    /// A user's, group's or role's `managedPolicies`: ARNs of AWS managed
    /// policies and of its account's customer managed policies.
    fn attached_policies(&mut self, o: &Obj<'_>, owner: &Owner<'_>) -> Vec<LoadedPolicy> {
        let items = self.array(o, "managedPolicies", false, false);
        let mut out: Vec<LoadedPolicy> = Vec::new();
        let mut seen = Seen::exact();
        for (p, j) in items {
            if let Some(arn) = j.as_str() {
                if !seen.insert(arn) {
                    self.err_help(DiagCode::DuplicateName, format!("`{arn}` is attached twice"), "attach each managed policy once", &p, j);
                    continue;
                }
            }
            out.extend(self.managed_policy(j, &p, owner, PolicyType::Identity));
        }
        out
    }

    /// The managed policy whose ARN is `j`, as a policy of `policy_type`.
    fn managed_policy(&mut self, j: &Json, p: &JsonPath, owner: &Owner<'_>, policy_type: PolicyType) -> Option<LoadedPolicy> {
        let Some(arn) = j.as_str() else {
            self.err(DiagCode::DataTypeMismatch, format!("a managed policy must be named by its ARN, a string, not {}", j.type_name()), p, j);
            return None;
        };
        let parsed = match PolicyArn::parse(arn) {
            Ok(a) => a,
            Err(e) => {
                let code = if e.kind == ArnErrorKind::Account { DiagCode::InvalidArnAccount } else { DiagCode::InvalidArn };
                self.err(code, e.to_string(), p, j);
                return None;
            }
        };
        let mut policy = match parsed.owner {
            PolicyOwner::Aws => self.aws_managed_policy(arn, p, j)?,
            PolicyOwner::Account(a) if a.as_str() != owner.id => {
                self.err(
                    DiagCode::ManagedPolicyOfAnotherAccount,
                    format!(
                        "`{arn}` belongs to account {a}, not to {}: IAM attaches a customer managed policy only within its own account",
                        owner.label
                    ),
                    p,
                    j,
                );
                return None;
            }
            PolicyOwner::Account(_) => match owner.policies.iter().find(|m| m.arn == arn) {
                Some(m) => m.policy.clone(),
                None if self.broken_managed.contains(arn) => return None,
                None => {
                    let message = format!("no managed policy `{arn}` in account {}", owner.label);
                    match managed::closest(arn, owner.policies.iter().map(|m| m.arn.as_str())) {
                        Some(near) => self.err_help(DiagCode::UnknownManagedPolicy, message, format!("did you mean `{near}`?"), p, j),
                        None => self.err_help(
                            DiagCode::UnknownManagedPolicy,
                            message,
                            "define it under the account's `managedPolicies`, or correct the ARN",
                            p,
                            j,
                        ),
                    }
                    return None;
                }
            },
        };
        policy.policy.policy_type = policy_type;
        Some(policy)
    }

    /// The AWS managed policy `arn`, read from the caller's source once;
    /// `path` and `j` are where the document names it.
    fn aws_managed_policy(&mut self, arn: &str, path: &JsonPath, j: &Json) -> Option<LoadedPolicy> {
        if !self.aws_managed.contains_key(arn) {
            let read = read_aws_managed(self.managed, arn);
            self.aws_managed.insert(arn.to_string(), read);
        }
        match self.aws_managed.get(arn) {
            Some(Ok(policy)) => {
                let mut policy = policy.clone();
                policy.path = path.clone();
                policy.source_span = j.span;
                Some(policy)
            }
            Some(Err((code, message))) => {
                let (code, message) = (*code, message.clone());
                if code == DiagCode::UnknownManagedPolicy {
                    match managed::closest(arn, self.managed.arns()) {
                        Some(near) => self.err_help(code, message, format!("did you mean `{near}`?"), path, j),
                        None => self.err_help(code, message, "check the policy's name and path against AWS's list of managed policies", path, j),
                    }
                } else {
                    // The text is AWS's (or the caller's), not the author's:
                    // the code's usual help would ask them to edit it.
                    self.err_help(
                        code,
                        message,
                        "give its document as an inline policy under `policies` and correct it there, or attach another policy",
                        path,
                        j,
                    );
                }
                None
            }
            None => None,
        }
    }

    /// An account's `id`: 12 digits.
    fn account_id(&mut self, o: &Obj<'_>) -> String {
        let id = self.string(o, "id", true).unwrap_or_default();
        if !AccountId::is_valid(&id) {
            if let Some(j) = o.get("id") {
                self.err(DiagCode::InvalidAccountId, format!("`{id}` is not an account ID: it is not 12 digits"), &o.path.key("id"), j);
            }
        }
        id
    }

    /// An account's `orgId`, if any: `o-…`.
    fn org_id(&mut self, o: &Obj<'_>) -> Option<String> {
        let org_id = self.string(o, "orgId", false);
        if let (Some(org), Some(j)) = (&org_id, o.get("orgId")) {
            if !org.starts_with("o-") {
                self.err(DiagCode::InvalidOrgId, format!("`{org}` is not an organization ID"), &o.path.key("orgId"), j);
            }
        }
        org_id
    }

    /// An account's users, each beside its path in the document.
    fn users(&mut self, o: &Obj<'_>, owner: &Owner<'_>) -> Vec<(JsonPath, User)> {
        let items = self.array(o, "users", false, false);
        items.into_iter().filter_map(|(p, j)| self.user(j, &p, owner).map(|u| (p, u))).collect()
    }

    fn user(&mut self, j: &Json, p: &JsonPath, owner: &Owner<'_>) -> Option<User> {
        let u = self.obj(j, p, &["name", "path", "policies", "managedPolicies", "groups", "permissionsBoundary", "tags", "uniqueId"], "a user")?;
        let name = self.name_field(&u, "user")?;
        let upath = self.path_field(&u);
        let arn = crate::arn::build::user(owner.id, &upath, &name);
        let unique_id = self.unique_id(&u, "AIDA", &arn);
        let policies = self.named_policies(&u, "policies", PolicyType::Identity, &name);
        let managed_policies = self.attached_policies(&u, owner);
        let groups = self.user_groups(&u);
        let permissions_boundary = self.permissions_boundary(&u, &name, owner);
        let tags = self.tags(&u, "tags", USER_TAGS);
        Some(User { name, path: upath, arn, unique_id, policies, managed_policies, groups, permissions_boundary, tags })
    }

    /// The names of the groups a user is in: at most [`MAX_GROUPS_PER_USER`].
    fn user_groups(&mut self, u: &Obj<'_>) -> Vec<String> {
        let mut groups = Vec::new();
        let group_items = self.array(u, "groups", false, false);
        if let (true, Some(v)) = (group_items.len() > MAX_GROUPS_PER_USER, u.get("groups")) {
            self.err(
                DiagCode::TooManyGroups,
                format!("the user is in {} groups: an IAM user can be in at most {MAX_GROUPS_PER_USER} groups", group_items.len()),
                &u.path.key("groups"),
                v,
            );
        }
        for (gp, gj) in group_items {
            match gj.as_str() {
                Some(g) => groups.push(g.to_string()),
                None => self.err(DiagCode::DataTypeMismatch, format!("a group name must be a string, not {}", gj.type_name()), &gp, gj),
            }
        }
        groups
    }

    /// The `permissionsBoundary` of a user or role named `name`, if any: a
    /// named policy, or a managed policy's ARN.
    fn permissions_boundary(&mut self, o: &Obj<'_>, name: &str, owner: &Owner<'_>) -> Option<LoadedPolicy> {
        let b = o.get("permissionsBoundary")?;
        let path = o.path.key("permissionsBoundary");
        if b.as_str().is_some() {
            return self.managed_policy(b, &path, owner, PolicyType::PermissionsBoundary);
        }
        self.named_policy(b, &path, PolicyType::PermissionsBoundary, name)
    }

    fn groups(&mut self, o: &Obj<'_>, owner: &Owner<'_>) -> Vec<Group> {
        let items = self.array(o, "groups", false, false);
        items.into_iter().filter_map(|(p, j)| self.group(j, &p, owner)).collect()
    }

    fn group(&mut self, j: &Json, p: &JsonPath, owner: &Owner<'_>) -> Option<Group> {
        let g = self.obj(j, p, &["name", "path", "policies", "managedPolicies"], "a group")?;
        let name = self.name_field(&g, "group")?;
        let gpath = self.path_field(&g);
        let policies = self.named_policies(&g, "policies", PolicyType::Identity, &name);
        let managed_policies = self.attached_policies(&g, owner);
        Some(Group { name, path: gpath, policies, managed_policies })
    }

    /// Every group a user is in must be one of its account's groups.
    fn check_user_groups(&mut self, users: &[(JsonPath, User)], groups: &[Group], account_id: &str) {
        let mut group_names = Seen::exact();
        groups.iter().for_each(|g| {
            group_names.insert(&g.name);
        });
        for (p, u) in users {
            for (gi, g) in u.groups.iter().enumerate() {
                if !group_names.contains(g) {
                    self.errors.push(Diagnostic::new(
                        DiagCode::UnknownGroup,
                        format!("the user `{}` is in the group `{g}`, but account {account_id} has no such group", u.name),
                        p.key("groups").index(gi),
                    ));
                }
            }
        }
    }

    fn roles(&mut self, o: &Obj<'_>, owner: &Owner<'_>) -> Vec<Role> {
        let items = self.array(o, "roles", false, false);
        items.into_iter().filter_map(|(p, j)| self.role(j, &p, owner)).collect()
    }

    /// A role; `None` when it has no usable name or trust policy.
    fn role(&mut self, j: &Json, p: &JsonPath, owner: &Owner<'_>) -> Option<Role> {
        let r = self.obj(
            j,
            p,
            &[
                "name",
                "path",
                "trustPolicy",
                "policies",
                "managedPolicies",
                "permissionsBoundary",
                "tags",
                "maxSessionDuration",
                "uniqueId",
                "instanceProfile",
            ],
            "a role",
        )?;
        let name = self.name_field(&r, "role")?;
        let rpath = self.path_field(&r);
        let arn = crate::arn::build::role(owner.id, &rpath, &name);
        let unique_id = self.unique_id(&r, "AROA", &arn);
        let trust_policy = match r.get("trustPolicy") {
            Some(t) => self.policy(t, &p.key("trustPolicy"), PolicyType::Trust, "trustPolicy", format!("{name}/trustPolicy")),
            None => {
                self.err(DiagCode::MissingField, "missing required field `trustPolicy`", p, j);
                None
            }
        };
        let policies = self.named_policies(&r, "policies", PolicyType::Identity, &name);
        let managed_policies = self.attached_policies(&r, owner);
        let permissions_boundary = self.permissions_boundary(&r, &name, owner);
        let tags = self.tags(&r, "tags", ROLE_TAGS);
        let max_session_duration = self.max_session_duration(&r);
        let instance_profile = self.entity_name(&r, "instanceProfile", false, "instance profile");
        let trust_policy = trust_policy?;
        Some(Role {
            name,
            path: rpath,
            arn,
            unique_id,
            trust_policy,
            policies,
            managed_policies,
            permissions_boundary,
            tags,
            max_session_duration,
            instance_profile,
        })
    }

    /// A role's `maxSessionDuration`: 3600 to 43200 seconds, 3600 when absent.
    fn max_session_duration(&mut self, r: &Obj<'_>) -> u32 {
        match r.get("maxSessionDuration") {
            None => 3600,
            Some(v) => match number(v).filter(|n| n.fract() == 0.0 && (3600.0..=43200.0).contains(n)) {
                Some(n) => n as u32,
                None => {
                    self.err(
                        DiagCode::InvalidNumber,
                        "`maxSessionDuration` must be a whole number of seconds from 3600 to 43200",
                        &r.path.key("maxSessionDuration"),
                        v,
                    );
                    3600
                }
            },
        }
    }

    fn buckets(&mut self, o: &Obj<'_>) -> Vec<Bucket> {
        let items = self.array(o, "buckets", false, false);
        items.into_iter().filter_map(|(p, j)| self.bucket(j, &p)).collect()
    }

    fn bucket(&mut self, j: &Json, p: &JsonPath) -> Option<Bucket> {
        let b = self.obj(j, p, &["name", "region", "policy", "blockPublicAccess", "tags"], "a bucket")?;
        let name = self.bucket_name(&b)?;
        let region = self.string(&b, "region", false).unwrap_or_else(|| "us-east-1".to_string());
        let policy =
            b.get("policy").and_then(|v| self.policy(v, &p.key("policy"), PolicyType::Resource, "bucketPolicy", format!("{name}/bucketPolicy")));
        let block_public_access = self.block_public_access(&b);
        let tags = self.tags(&b, "tags", BUCKET_TAGS);
        Some(Bucket { name, region, policy, block_public_access, tags })
    }

    /// A bucket's `name`: 3 to 63 lowercase letters, digits, `-` and `.`.
    fn bucket_name(&mut self, b: &Obj<'_>) -> Option<String> {
        let name = self.string(b, "name", true)?;
        if name.len() < 3 || name.len() > 63 || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.') {
            if let Some(v) = b.get("name") {
                self.err_help(
                    DiagCode::InvalidName,
                    format!("`{name}` is not a valid bucket name"),
                    "use 3 to 63 lowercase letters, digits, `-` and `.`",
                    &b.path.key("name"),
                    v,
                );
            }
        }
        Some(name)
    }

    /// A bucket's `blockPublicAccess`: `true` when absent.
    fn block_public_access(&mut self, b: &Obj<'_>) -> bool {
        match b.get("blockPublicAccess") {
            None => true,
            Some(Json { kind: JsonKind::Bool(x), .. }) => *x,
            Some(v) => {
                self.err(
                    DiagCode::DataTypeMismatch,
                    format!("`blockPublicAccess` must be `true` or `false`, not {}", v.type_name()),
                    &b.path.key("blockPublicAccess"),
                    v,
                );
                true
            }
        }
    }

    fn resources(&mut self, o: &Obj<'_>) -> Vec<Resource> {
        let items = self.array(o, "resources", false, false);
        items.into_iter().filter_map(|(p, j)| self.resource(j, &p)).collect()
    }

    fn resource(&mut self, j: &Json, p: &JsonPath) -> Option<Resource> {
        let r = self.obj(j, p, &["arn", "policy", "tags"], "a resource")?;
        let arn = self.string(&r, "arn", true)?;
        if let (Err(e), Some(v)) = (Arn::parse(&arn), r.get("arn")) {
            let code = if e.kind == ArnErrorKind::Account { DiagCode::InvalidArnAccount } else { DiagCode::InvalidArn };
            self.err(code, e.message(), &p.key("arn"), v);
        }
        let policy = r.get("policy").and_then(|v| self.policy(v, &p.key("policy"), PolicyType::Resource, "policy", format!("{arn}/policy")));
        let tags = self.tags(&r, "tags", RESOURCE_TAGS);
        Some(Resource { arn, policy, tags })
    }

    fn document(&mut self, json: &Json) -> Option<Scenario> {
        let root = JsonPath::root();
        let o = self.obj(json, &root, &["format", "title", "description", "context", "accounts", "steps"], "the scenario document")?;
        match self.string(&o, "format", true) {
            Some(f) if f == FORMAT => {}
            Some(f) => {
                if let Some(v) = o.get("format") {
                    self.err(DiagCode::UnsupportedFormat, format!("unsupported format `{f}`"), &root.key("format"), v);
                }
            }
            None => {}
        }
        let title = self.string(&o, "title", false);
        let description = self.string(&o, "description", false);
        let context = self.context(&o, "context");
        let mut accounts: Vec<Account> = Vec::new();
        let mut ids = HashSet::new();
        for (p, j) in self.array(&o, "accounts", true, true) {
            if let Some(a) = self.account(j, &p) {
                if !ids.insert(a.id.clone()) {
                    self.err(DiagCode::DuplicateId, format!("duplicate account ID `{}`", a.id), &p.key("id"), j);
                }
                accounts.push(a);
            }
        }
        self.check_unique_names(&accounts);
        let step_items = self.array(&o, "steps", true, true);
        let mut steps = Vec::with_capacity(step_items.len());
        let directory = Directory::new(&accounts);
        for (i, (p, j)) in step_items.into_iter().enumerate() {
            if let Some(s) = self.step(j, &p, i, &directory) {
                steps.push(s);
            }
        }
        let mut ids = HashSet::with_capacity(steps.len());
        for s in &steps {
            if !ids.insert(s.id.as_str()) {
                self.errors.push(Diagnostic::new(DiagCode::DuplicateId, format!("duplicate step ID `{}`", s.id), s.path.key("id")));
            }
        }
        Some(Scenario { title, description, context, accounts, steps })
    }

    fn check_unique_names(&mut self, accounts: &[Account]) {
        let mut buckets = HashSet::new();
        for (ai, a) in accounts.iter().enumerate() {
            let ap = JsonPath::root().key("accounts").index(ai);
            for (i, b) in a.buckets.iter().enumerate() {
                if !buckets.insert(b.name.clone()) {
                    self.errors.push(Diagnostic::new(
                        DiagCode::DuplicateName,
                        format!("duplicate bucket name `{}`: bucket names are global", b.name),
                        ap.key("buckets").index(i).key("name"),
                    ));
                }
            }
            for (kind, names) in [
                ("user", a.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>()),
                ("group", a.groups.iter().map(|g| g.name.as_str()).collect()),
                ("role", a.roles.iter().map(|r| r.name.as_str()).collect()),
            ] {
                let mut seen = Seen::caseless();
                for (i, n) in names.iter().enumerate() {
                    if !seen.insert(n) {
                        self.errors.push(Diagnostic::new(
                            DiagCode::DuplicateName,
                            format!("duplicate {kind} name `{n}` in account {}: IAM names are case-insensitive", a.id),
                            ap.key(&format!("{kind}s")).index(i).key("name"),
                        ));
                    }
                }
            }
        }
    }

    fn step(&mut self, json: &Json, path: &JsonPath, index: usize, accounts: &Directory<'_>) -> Option<Step> {
        let o = self.obj(
            json,
            path,
            &[
                "id",
                "principal",
                "action",
                "resource",
                "context",
                "expect",
                "roleArn",
                "sessionName",
                "externalId",
                "mfa",
                "sessionPolicy",
                "sessionTags",
                "transitiveTagKeys",
                "sourceIdentity",
                "durationSeconds",
                "sourceArn",
                "sourceAccount",
            ],
            "a step",
        )?;
        let before = self.errors.len();
        let id = self.string(&o, "id", false).unwrap_or_else(|| format!("step-{}", index + 1));
        let principal = self.string(&o, "principal", true);
        let action = self.action(&o);
        let is_assume = action.as_deref().is_some_and(|a| a.eq_ignore_ascii_case("sts:AssumeRole"));
        let context = self.context(&o, "context");
        let expect = self.expect(&o);

        // The principal must exist in the document.
        if let (Some(p), Some(v)) = (&principal, o.get("principal")) {
            if !self.known_principals.contains(p.as_str()) {
                match check_principal(p, accounts) {
                    Err((code, msg)) => self.err(code, msg, &path.key("principal"), v),
                    Ok(()) if self.known_principals.len() < KNOWN_PRINCIPALS => {
                        self.known_principals.insert(p.clone());
                    }
                    Ok(()) => {}
                }
            }
        }

        let service = principal.as_deref().and_then(|p| p.strip_prefix(crate::arn::SERVICE_CALLER_PREFIX));
        let source = self.service_source(&o, service.is_some(), accounts);
        let (resource, assume_role) = if is_assume {
            let (role_arn, assume_role) = self.assume_role(&o, accounts, source.as_ref());
            (role_arn, Some(Box::new(assume_role)))
        } else {
            (self.resource_of_step(&o, action.as_deref(), principal.as_deref(), accounts), None)
        };
        if self.errors.len() > before {
            return None;
        }
        Some(Step { id, principal: principal?, source, action: action?, resource: resource?, assume_role, context, expect, path: path.clone() })
    }

    /// A service principal's `sourceArn` and `sourceAccount`: the resource
    /// the service calls for (`aws:SourceArn`) and its account
    /// (`aws:SourceAccount`: given, or the ARN's, or for a bucket its
    /// owner's in the document). Only a service principal has them.
    fn service_source(&mut self, o: &Obj<'_>, is_service: bool, accounts: &Directory<'_>) -> Option<ServiceSource> {
        if !is_service {
            for k in ["sourceArn", "sourceAccount"] {
                if let Some(v) = o.get(k) {
                    self.err_help(
                        DiagCode::MisplacedField,
                        format!("`{k}` belongs only to a step whose principal is an AWS service"),
                        "make the principal a service, such as `service:cloudtrail.amazonaws.com`, or remove the field",
                        &o.path.key(k),
                        v,
                    );
                }
            }
            return None;
        }
        let arn = self.string(o, "sourceArn", false);
        if let (Some(a), Some(v)) = (&arn, o.get("sourceArn")) {
            if let Err(e) = Arn::parse(a) {
                self.err(DiagCode::InvalidArn, format!("`sourceArn`: {}", e.message()), &o.path.key("sourceArn"), v);
            }
        }
        let given = self.string(o, "sourceAccount", false);
        if let (Some(a), Some(v)) = (&given, o.get("sourceAccount")) {
            if !AccountId::is_valid(a) {
                self.err(DiagCode::InvalidAccountId, format!("`sourceAccount` `{a}` is not a 12-digit account ID"), &o.path.key("sourceAccount"), v);
            }
        }
        let from_arn = arn.as_deref().and_then(|a| Arn::parse(a).ok()).and_then(|a| match a.account_id() {
            Some(id) => Some(id.as_str().to_string()),
            None => a.s3_bucket().and_then(|b| accounts.bucket(b)).map(|(acct, _)| acct.id.clone()),
        });
        let account = given.or(from_arn);
        (arn.is_some() || account.is_some()).then_some(ServiceSource { arn, account })
    }

    /// A step's `action`: one action, without wildcards.
    fn action(&mut self, o: &Obj<'_>) -> Option<String> {
        let action = self.string(o, "action", true);
        if let (Some(a), Some(v)) = (&action, o.get("action")) {
            if a == "*" || policy::parse::validate_action(a).is_err() || a.contains('*') || a.contains('?') {
                self.err_help(
                    DiagCode::InvalidAction,
                    format!("`{a}` is not a request action"),
                    "write one action without wildcards, such as `s3:GetObject`",
                    &o.path.key("action"),
                    v,
                );
            }
        }
        action
    }

    /// A step's `expect`, if any.
    fn expect(&mut self, o: &Obj<'_>) -> Option<Outcome> {
        let v = o.get("expect")?;
        let expect = v.as_str().and_then(Outcome::parse);
        if expect.is_none() {
            self.err(
                DiagCode::InvalidValue,
                "`expect` must be one of `allowed`, `explicitDeny`, `implicitDeny`, `denied`, `skipped`, `invalid`",
                &o.path.key("expect"),
                v,
            );
        }
        expect
    }

    /// The `resource` of a step other than `sts:AssumeRole`, with the
    /// warnings about it; such a step has none of AssumeRole's fields.
    fn resource_of_step(&mut self, o: &Obj<'_>, action: Option<&str>, principal: Option<&str>, accounts: &Directory<'_>) -> Option<String> {
        const ASSUME_ONLY: [&str; 9] =
            ["roleArn", "sessionName", "externalId", "mfa", "sessionPolicy", "sessionTags", "transitiveTagKeys", "sourceIdentity", "durationSeconds"];
        for k in ASSUME_ONLY {
            if let Some(v) = o.get(k) {
                self.err(DiagCode::MisplacedField, format!("`{k}` belongs only to `sts:AssumeRole` steps"), &o.path.key(k), v);
            }
        }
        let resource = self.string(o, "resource", true);
        if let (Some(r), Some(v)) = (&resource, o.get("resource")) {
            match check_resource(r, accounts) {
                Err((code, msg)) => self.err(code, msg, &o.path.key("resource"), v),
                Ok(Some(account)) => self.warnings.push(
                    Diagnostic::warning(
                        DiagCode::UnlistedAccount,
                        format!(
                            "the account {account} of `{r}` is not in the document: the request crosses accounts and nothing \
                             in the document can grant it, so it is implicitly denied"
                        ),
                        o.path.key("resource"),
                    )
                    .at(v.span),
                ),
                Ok(None) => {}
            }
            if let Some(a) = action {
                for warning in resource_rule_warnings(r, a, principal, accounts) {
                    self.warnings.push(warning.at_path(o.path.key("resource")).at(v.span));
                }
            }
        }
        resource
    }

    /// The fields of an `sts:AssumeRole` step, and its resource: the role's
    /// ARN, `None` when missing.
    fn assume_role(&mut self, o: &Obj<'_>, accounts: &Directory<'_>, source: Option<&ServiceSource>) -> (Option<String>, AssumeRole) {
        if let Some(v) = o.get("resource") {
            self.err_help(
                DiagCode::MisplacedField,
                "an `sts:AssumeRole` step has a `resource`",
                "name the role in `roleArn` instead",
                &o.path.key("resource"),
                v,
            );
        }
        let role_arn = self.role_arn(o, accounts);
        let session_name = match o.get("sessionName") {
            // EC2 names an instance profile's session after the instance,
            // Lambda after the function.
            None => source.and_then(|s| s.arn.as_deref()).and_then(session_name_of_source).or_else(|| self.session_name(o)),
            Some(_) => self.session_name(o),
        };
        let external_id = self.external_id(o);
        let mfa = self.mfa(o);
        let owner =
            format!("{}/{}", role_arn.as_deref().and_then(|r| r.rsplit('/').next()).unwrap_or("role"), session_name.as_deref().unwrap_or("session"));
        let session_policy = o
            .get("sessionPolicy")
            .and_then(|v| self.policy(v, &o.path.key("sessionPolicy"), PolicyType::SessionPolicy, "sessionPolicy", format!("{owner}/sessionPolicy")));
        let session_tags = self.tags(o, "sessionTags", SESSION_TAGS);
        let transitive_tag_keys = self.transitive_tag_keys(o, &session_tags);
        let source_identity = self.string(o, "sourceIdentity", false);
        let duration_seconds = self.duration_seconds(o);
        let assume_role = AssumeRole {
            role_arn: role_arn.clone().unwrap_or_default(),
            session_name: session_name.unwrap_or_default(),
            external_id,
            mfa,
            session_policy,
            session_tags,
            transitive_tag_keys,
            source_identity,
            duration_seconds,
        };
        (role_arn, assume_role)
    }

    /// An AssumeRole step's `roleArn`: a role of the document.
    fn role_arn(&mut self, o: &Obj<'_>, accounts: &Directory<'_>) -> Option<String> {
        let role_arn = self.string(o, "roleArn", true);
        if let (Some(r), Some(v)) = (&role_arn, o.get("roleArn")) {
            if accounts.role(r).is_none() {
                self.err(DiagCode::UnknownRole, format!("no role `{r}` in the document"), &o.path.key("roleArn"), v);
            }
        }
        role_arn
    }

    fn session_name(&mut self, o: &Obj<'_>) -> Option<String> {
        let session_name = self.string(o, "sessionName", true);
        if let (Some(s), Some(v)) = (&session_name, o.get("sessionName")) {
            if !valid_session_name(s) {
                self.err_help(
                    DiagCode::InvalidName,
                    format!("`{s}` is not a valid session name"),
                    "use 2 to 64 letters, digits and `_+=,.@-`",
                    &o.path.key("sessionName"),
                    v,
                );
            }
        }
        session_name
    }

    fn external_id(&mut self, o: &Obj<'_>) -> Option<String> {
        let external_id = self.string(o, "externalId", false);
        if let (Some(e), Some(v)) = (&external_id, o.get("externalId")) {
            if !(2..=1224).contains(&e.chars().count()) {
                self.err(DiagCode::InvalidValue, "`externalId` must be 2 to 1224 characters long", &o.path.key("externalId"), v);
            }
        }
        external_id
    }

    /// An AssumeRole step's `mfa`, if any; `ageSeconds` is 0 when absent.
    fn mfa(&mut self, o: &Obj<'_>) -> Option<Mfa> {
        let m = o.get("mfa")?;
        let mp = o.path.key("mfa");
        let mo = self.obj(m, &mp, &["serialNumber", "ageSeconds"], "`mfa`")?;
        let serial_number = self.string(&mo, "serialNumber", false);
        let age_seconds = match mo.get("ageSeconds") {
            None => 0,
            Some(v) => match whole_number(v, time::MAX_EPOCH) {
                Some(n) => n,
                None => {
                    self.err(
                        DiagCode::InvalidNumber,
                        format!("`ageSeconds` must be a whole number of seconds from 0 to {}", time::MAX_EPOCH),
                        &mp.key("ageSeconds"),
                        v,
                    );
                    0
                }
            },
        };
        Some(Mfa { serial_number, age_seconds })
    }

    /// An AssumeRole step's `transitiveTagKeys`: at most
    /// [`MAX_TRANSITIVE_TAG_KEYS`], each one of its `session_tags`.
    fn transitive_tag_keys(&mut self, o: &Obj<'_>, session_tags: &Tags) -> Vec<String> {
        let mut transitive_tag_keys = Vec::new();
        let tag_keys = Seen::caseless_of(session_tags.iter().map(|(k, _)| k.as_str()));
        let transitive_items = self.array(o, "transitiveTagKeys", false, false);
        if let (true, Some(v)) = (transitive_items.len() > MAX_TRANSITIVE_TAG_KEYS, o.get("transitiveTagKeys")) {
            self.err(
                DiagCode::TooManyTags,
                format!("`transitiveTagKeys` has {} keys: AssumeRole accepts at most {MAX_TRANSITIVE_TAG_KEYS}", transitive_items.len()),
                &o.path.key("transitiveTagKeys"),
                v,
            );
        }
        for (tp, tj) in transitive_items {
            match tj.as_str() {
                Some(k) => {
                    if !tag_keys.contains(k) {
                        self.err(DiagCode::UnknownTagKey, format!("the transitive tag key `{k}` is not one of this step's `sessionTags`"), &tp, tj);
                    }
                    transitive_tag_keys.push(k.to_string());
                }
                None => self.err(DiagCode::DataTypeMismatch, format!("a tag key must be a string, not {}", tj.type_name()), &tp, tj),
            }
        }
        transitive_tag_keys
    }

    fn duration_seconds(&mut self, o: &Obj<'_>) -> Option<u32> {
        let v = o.get("durationSeconds")?;
        let seconds = number(v).filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX)).map(|n| n as u32);
        if seconds.is_none() {
            self.err(DiagCode::InvalidNumber, "`durationSeconds` must be a whole number of seconds", &o.path.key("durationSeconds"), v);
        }
        seconds
    }
}

/// The account whose users, groups and roles are being read: its ID, its
/// label for messages and its customer managed policies.
struct Owner<'a> {
    id: &'a str,
    label: String,
    policies: &'a [ManagedPolicy],
}

/// Reads the AWS managed policy `arn` from `source`: the text is the
/// policy document or a file of `data/aws-managed-policies/` holding it
/// under `document`. `Err` holds the code and message of the error to
/// report where the document names it. The policy's own warnings are not
/// kept: its author is AWS, not the reader of the scenario.
fn read_aws_managed(source: &dyn ManagedPolicySource, arn: &str) -> Result<LoadedPolicy, (DiagCode, String)> {
    let text = source.get(arn).ok_or_else(|| (DiagCode::UnknownManagedPolicy, format!("the AWS managed policy `{arn}` is not known")))?;
    let unreadable = |d: Diagnostic| (d.code, format!("the AWS managed policy `{arn}` cannot be read: {}", d.message));
    let tree = json::parse(text).map_err(unreadable)?;
    let document = match (tree.get("document"), tree.get("arn")) {
        (Some(document), Some(named)) => {
            if named.as_str() != Some(arn) {
                let named = named.as_str().unwrap_or_default();
                return Err((DiagCode::InvalidValue, format!("the text given for the AWS managed policy `{arn}` is that of `{named}`")));
            }
            document
        }
        _ => &tree,
    };
    let parsed = policy::policy_from_json(document, PolicyType::Identity)
        // The errors come first, then the warnings.
        .map_err(|errors| {
            errors.into_iter().next().map_or((DiagCode::InternalError, format!("the AWS managed policy `{arn}` cannot be read")), unreadable)
        })?;
    let name = PolicyArn::parse(arn).map(|a| a.name.to_string()).unwrap_or_default();
    Ok(LoadedPolicy {
        name,
        display: arn.to_string(),
        policy: parsed.policy,
        path: JsonPath::root(),
        text: Some(text.to_string()),
        // Set where the document names it (`aws_managed_policy`).
        source_span: crate::span::Span::default(),
        managed_arn: Some(arn.to_string()),
        error: None,
    })
}

fn number(v: &Json) -> Option<f64> {
    match &v.kind {
        JsonKind::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// A JSON number that is a whole number from 0 to `max` (at most 2^53, so
/// that `f64` holds every such number exactly): `3600`, `3.6e3` and
/// `3600.0` alike.
fn whole_number(v: &Json, max: i64) -> Option<i64> {
    let n = number(v)?;
    if n.fract() != 0.0 || !(0.0..=max as f64).contains(&n) {
        return None;
    }
    Some(n as i64)
}

/// Condition keys whose value is a time: pinned, they must be readable
/// and within [`time::MIN_EPOCH`]..=[`time::MAX_EPOCH`] (a value the engine
/// could not read would otherwise be silently replaced by the clock).
const TIME_KEYS: [&str; 3] = ["aws:CurrentTime", "aws:EpochTime", "aws:TokenIssueTime"];

/// What is wrong with the value of a time key in a `context`, if anything.
fn time_value_problem(key: &str, v: &Json) -> Option<String> {
    let key = TIME_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key))?;
    let text = match &v.kind {
        JsonKind::String(s) => s.as_str(),
        // The literal as written: `1.7e9`, not `1700000000.0`.
        JsonKind::Number(n) => n.as_str(),
        JsonKind::Array(_) => return Some(format!("`{key}` takes one time, not a list")),
        _ => return Some(format!("`{key}` must be a time such as `2026-01-15T12:00:00Z`, not {}", v.type_name())),
    };
    time::parse_time(text).err().map(|e| format!("`{key}`: {e}"))
}

/// A step's principal must be `anonymous`, a user or root of a listed
/// account, or a session of a listed role.
/// A step's principal: `Err` holds the code and the message.
fn check_principal(p: &str, accounts: &Directory<'_>) -> Result<(), (DiagCode, String)> {
    let invalid = |m: String| (DiagCode::InvalidPrincipalFormat, m);
    let unknown = |m: String| (DiagCode::UnknownPrincipal, m);
    let not_a_principal = || invalid(format!("`{p}` is not a user ARN, an assumed-role session ARN or `anonymous`"));
    let not_a_session = || invalid(format!("`{p}` is not an assumed-role session ARN such as `arn:aws:sts::111122223333:assumed-role/ROLE/SESSION`"));
    let principal = match Principal::parse_caller(p) {
        Ok(Principal::Arn(principal)) => principal,
        Ok(_) => return Ok(()),
        Err(e) if e.kind == ArnErrorKind::Account => {
            let account = crate::arn::split(p).map(|[_, _, _, _, a, _]| a).unwrap_or_default();
            return Err(unknown(format!("`{p}`: no account {account} in the document")));
        }
        Err(_) => {
            // An assumed-role ARN of the wrong shape gets the shape to follow.
            return match Arn::parse(p) {
                Ok(a) if a.service == "sts" => Err(not_a_session()),
                Ok(a) if a.service == "iam" && a.resource.starts_with("user/") => Err(unknown(user_not_found(p, a.account, accounts))),
                _ => Err(not_a_principal()),
            };
        }
    };
    let Some(acct) = accounts.account(principal.account.as_str()) else {
        return Err(unknown(format!("`{p}`: no account {} in the document", principal.account)));
    };
    match (principal.arn.service, principal.entity) {
        ("iam", Entity::Root) => Ok(()),
        ("iam", Entity::User { .. }) => match accounts.user(p) {
            Some(_) => Ok(()),
            None => Err(unknown(user_not_found(p, &acct.id, accounts))),
        },
        ("sts", Entity::RoleSession { role, .. }) => match accounts.role_named(&acct.id, role) {
            Some(_) => Ok(()),
            None => Err(unknown(format!("`{p}`: no role `{role}` in account {}", acct.label()))),
        },
        ("sts", _) => Err(not_a_session()),
        _ => Err(not_a_principal()),
    }
}

fn user_not_found(p: &str, account: &str, accounts: &Directory<'_>) -> String {
    let label = accounts.account(account).map_or_else(|| account.to_string(), Account::label);
    format!("no user `{p}` in account {label}")
}

/// Warnings for a step's request whose resource-side rules the engine
/// decides in a way the author should know about: a KMS key with no key
/// policy in the document, and a service whose own resource-policy rules are
/// not modelled when a resource policy or another account takes part.
fn resource_rule_warnings(r: &str, action: &str, principal: Option<&str>, accounts: &Directory<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Ok(arn) = Arn::parse(r) else {
        return out;
    };
    let listed = accounts.resource(r);
    if arn.is_kms_key() && accounts.account(arn.account).is_some() && listed.is_none_or(|(_, x)| x.policy.is_none()) {
        out.push(Diagnostic::warning(
            DiagCode::KmsKeyWithoutPolicy,
            format!(
                "the KMS key `{r}` has no key policy in the document: a key without one grants nothing, so every request on it is implicitly denied"
            ),
            JsonPath::root(),
        ));
    }
    let has_policy = listed.is_some_and(|(_, x)| x.policy.is_some()) || arn.s3_bucket().is_some();
    // The caller's account only matters for a resource without a policy.
    let other_account = || {
        let principal_account = principal.and_then(|p| Principal::parse_caller(p).ok()).and_then(|p| p.account());
        !arn.account.is_empty() && principal_account.is_some_and(|p| p.as_str() != arn.account)
    };
    if has_policy || other_account() {
        if let Some(why) = crate::eval::resource_rules_not_modelled(action) {
            out.push(Diagnostic::warning(DiagCode::ResourceRulesNotModelled, why, JsonPath::root()));
        }
    }
    out
}

/// A step's resource: `*`, a bucket or object of a listed bucket, a
/// listed resource, or any other ARN that names its account.
/// `Ok(Some(account))` when it is in an account the document does not
/// list; `Err` holds the code and the message.
fn check_resource<'r>(r: &'r str, accounts: &Directory<'_>) -> Result<Option<&'r str>, (DiagCode, String)> {
    if r == "*" {
        return Ok(None);
    }
    let arn = Arn::parse(r).map_err(|e| match e.kind {
        ArnErrorKind::NotAnArn if crate::arn::split(r).is_none() => (DiagCode::InvalidArn, format!("`{r}` is neither an ARN nor `*`")),
        ArnErrorKind::Account => (DiagCode::InvalidArnAccount, e.to_string()),
        _ => (DiagCode::InvalidArn, e.to_string()),
    })?;
    if let Some(bucket) = arn.s3_bucket() {
        if accounts.bucket(bucket).is_none() {
            return Err((DiagCode::UnknownBucket, format!("no bucket `{bucket}` in the document: its owner is not known")));
        }
        return Ok(None);
    }
    if accounts.resource(r).is_some() {
        return Ok(None);
    }
    if !arn.account.is_empty() && arn.account_id().is_none() {
        return Err((DiagCode::InvalidArnAccount, format!("the account part `{}` of `{r}` is not a 12-digit account ID", arn.account)));
    }
    Ok((!arn.account.is_empty() && accounts.account(arn.account).is_none()).then_some(arn.account))
}
