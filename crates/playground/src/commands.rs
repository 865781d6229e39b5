//! The real AWS commands of a scenario and of each of its steps: the AWS
//! CLI v2 commands that build the scenario's accounts (each policy written
//! to a file first), and per step the call itself, the `~/.aws/config`
//! profile of an AssumeRole, the console's switch-role link and the
//! simulated temporary credentials an allowed AssumeRole returns.
//!
//! Text only: nothing here runs a command or fetches a link. Every shell
//! argument taken from the document is quoted ([`shell_quote`]); the
//! credentials are derived from the step (never random) and labelled as
//! not real.

use std::collections::HashSet;
use std::fmt::Write;

use trustwalk_core::arn::Arn;
use trustwalk_core::scenario::{self, Account, LoadOptions, LoadedPolicy, Outcome, Scenario, Step, StepResult};
use trustwalk_core::time;

use crate::Workspace;

/// The label every simulated credential carries.
pub const NOT_REAL: &str = "simulated — not real credentials";

/// The session duration AWS gives when the call names none.
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// One copyable block of text (a script, a config block, a link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What the block is, for people: "customer (555555555555)", "~/.aws/config".
    pub title: String,
    pub text: String,
}

/// Simulated temporary credentials of an allowed AssumeRole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// ISO-8601, the step's time plus the session's duration; `None` when
    /// the step's time is not known.
    pub expiration: Option<String>,
    pub duration_seconds: u32,
}

impl Credentials {
    /// The credentials as the AWS CLI prints them, labelled as simulated.
    pub fn text(&self) -> String {
        format!(
            "# {NOT_REAL}\nAccessKeyId:     {}\nSecretAccessKey: {}\nSessionToken:    {}\nExpiration:      {}\n",
            self.access_key_id,
            self.secret_access_key,
            self.session_token,
            self.expiration.as_deref().unwrap_or("(unknown: the step has no aws:CurrentTime)")
        )
    }
}

/// What one step is in real AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCommands {
    /// The call, with the exports of an allowed AssumeRole.
    pub call: Block,
    /// The `~/.aws/config` profile of an AssumeRole.
    pub profile: Option<Block>,
    /// The console's switch-role link of an AssumeRole by a person (never fetched).
    pub switch_role_url: Option<String>,
    /// Why the console's switch-role page does not make the same call, if so.
    pub switch_role_note: Option<String>,
    pub credentials: Option<Credentials>,
}

impl StepCommands {
    /// Every part as text, for the CLI and the report.
    pub fn text(&self) -> String {
        let mut out = self.call.text.clone();
        if let Some(c) = &self.credentials {
            let _ = write!(out, "\n# The Credentials the call returns:\n{}", prefix_lines(&c.text(), "# "));
        }
        if let Some(p) = &self.profile {
            let _ = write!(out, "\n# {}:\n{}", p.title, prefix_lines(&p.text, "#   "));
        }
        if let Some(u) = &self.switch_role_url {
            let _ = writeln!(out, "\n# Console switch-role link: {u}");
            if let Some(n) = &self.switch_role_note {
                let _ = writeln!(out, "# {n}");
            }
        }
        out
    }
}

fn prefix_lines(text: &str, prefix: &str) -> String {
    text.lines().map(|l| if l.starts_with('#') { format!("{l}\n") } else { format!("{prefix}{l}\n") }).collect()
}

/// `text` with every control character but the line feed shown as an
/// escape (`\u{1b}`): for a terminal or a report, where a document's
/// string must not move the cursor or recolour the screen.
pub fn visible(text: &str) -> String {
    text.split('\n').map(|l| trustwalk_core::text::escape_controls(l).into_owned()).collect::<Vec<_>>().join("\n")
}

/// `s` as one shell word: unchanged when it has only characters no shell
/// treats specially, otherwise in single quotes (a `'` inside becomes
/// `'\''`). Inside single quotes nothing is special, so the word is
/// exactly `s`.
pub fn shell_quote(s: &str) -> String {
    let safe = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if safe {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Percent-encodes a URL query value (RFC 3986 unreserved characters stay).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A name usable as a file name or profile name: other characters become `-`.
fn slug(s: &str) -> String {
    let out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect();
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

/// A config-file value on one line: control characters shown as escapes.
fn one_line(s: &str) -> String {
    trustwalk_core::text::escape_controls(s).into_owned()
}

/// The profile the commands of `account` run with.
fn account_profile(a: &Account) -> String {
    match &a.name {
        Some(n) => slug(n),
        None => format!("account-{}", slug(&a.id)),
    }
}

/// Loads the workspace's scenario for its commands (errors inside a policy
/// contained, as the evaluation does); `None` when it does not load.
pub fn load(ws: &Workspace) -> Option<Scenario> {
    let tree = trustwalk_core::json::from_value(&ws.doc);
    scenario::load_json_contained(&tree, &LoadOptions::default()).scenario
}

/// Where the policies' text comes from when a policy was given as a JSON
/// object (a policy given as text carries it): the scenario document's
/// text (spans point into it) or its value (found by the policy's path).
#[derive(Debug, Clone, Copy)]
pub enum Doc<'a> {
    Text(&'a str),
    Value(&'a serde_json::Value),
}

/// The value at a JSON path such as `accounts[1].roles[0].trustPolicy`
/// (keys that are not identifiers written `["…"]`).
fn value_at<'v>(root: &'v serde_json::Value, path: &str) -> Option<&'v serde_json::Value> {
    let mut v = root;
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(inner) = rest.strip_prefix('[') {
            if inner.starts_with('"') {
                // A quoted key: the JSON string up to its closing quote,
                // read with the core's parser (the app's only JSON parser).
                let mut escaped = false;
                let close = inner.char_indices().skip(1).find_map(|(i, c)| {
                    let end = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    end.then_some(i)
                })?;
                let key = crate::parse_value(inner.get(..=close)?).ok()?;
                v = v.get(key.as_str()?)?;
                rest = inner.get(close + 1..)?.strip_prefix(']')?;
            } else {
                let (n, after) = inner.split_once(']')?;
                v = v.get(n.parse::<usize>().ok()?)?;
                rest = after;
            }
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            v = v.get(rest.get(..end)?)?;
            rest = rest.get(end..)?;
        }
    }
    Some(v)
}

/// JSON text, pretty-printed when it reads.
fn pretty(raw: &str) -> String {
    match crate::parse_value(raw).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()) {
        Some(p) => p,
        None => raw.to_string(),
    }
}

/// Pretty JSON of a policy: its text when it was given as text, else its
/// span of the document's text or its value in the document; `None` when
/// none of these is there.
fn policy_json(p: &LoadedPolicy, doc: Doc<'_>) -> Option<String> {
    if let Some(t) = &p.text {
        return Some(pretty(t));
    }
    match doc {
        Doc::Text(d) => d.get(p.source_span.start..p.source_span.end).filter(|t| !t.is_empty()).map(pretty),
        Doc::Value(root) => {
            let v = value_at(root, p.path.as_str())?;
            let v = if v.get("Statement").is_none() { v.get("document").unwrap_or(v) } else { v };
            match v {
                serde_json::Value::String(t) => Some(pretty(t)),
                v => serde_json::to_string_pretty(v).ok(),
            }
        }
    }
}

/// A here-document that writes `content` to `file`, with a delimiter no
/// line of `content` equals; without content, a comment that says so.
fn write_file(out: &mut String, file: &str, content: Option<String>) {
    let Some(content) = content else {
        let _ = writeln!(out, "# The text of the policy for {} is not available here: write that file first", shell_quote(file));
        return;
    };
    let mut delim = "JSON".to_string();
    while content.lines().any(|l| l == delim) {
        delim.push('_');
    }
    let _ = writeln!(out, "cat > {} <<'{delim}'\n{content}\n{delim}", shell_quote(file));
}

/// File names, each once across the whole output.
#[derive(Default)]
struct Files(HashSet<String>);

impl Files {
    fn name(&mut self, base: &str) -> String {
        let base = slug(base);
        let mut name = format!("{base}.json");
        let mut n = 2;
        while !self.0.insert(name.clone()) {
            name = format!("{base}-{n}.json");
            n += 1;
        }
        name
    }
}

/// `--tags` arguments: shorthand when keys and values are plain, JSON otherwise.
fn tags_arg(tags: &[(String, String)]) -> String {
    let plain = tags.iter().all(|(k, v)| k.chars().chain(v.chars()).all(|c| c.is_ascii_alphanumeric() || "._-:/@+ ".contains(c)));
    if plain {
        tags.iter().map(|(k, v)| shell_quote(&format!("Key={k},Value={v}"))).collect::<Vec<_>>().join(" ")
    } else {
        let list: Vec<serde_json::Value> = tags.iter().map(|(k, v)| serde_json::json!({"Key": k, "Value": v})).collect();
        shell_quote(&serde_json::Value::Array(list).to_string())
    }
}

/// Appends ` \` line continuations: `parts` joined one per line.
fn command(out: &mut String, parts: &[String]) {
    let mut line = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            line.push_str(p);
        } else {
            line.push_str(" \\\n  ");
            line.push_str(p);
        }
    }
    let _ = writeln!(out, "{line}");
}

fn q(s: &str) -> String {
    shell_quote(s)
}

/// The commands that build the scenario in real accounts: one block per
/// account, in document order; within it customer managed policies,
/// groups, users, roles, buckets, then other resource policies and the
/// organization's policies. `doc` gives the text of the policies written
/// as JSON objects (a policy given as text carries its own).
pub fn scenario_commands(s: &Scenario, doc: Doc<'_>) -> Vec<Block> {
    let mut files = Files::default();
    s.accounts.iter().map(|a| Block { title: a.label(), text: account_commands(a, doc, &mut files) }).collect()
}

fn account_commands(a: &Account, doc: Doc<'_>, files: &mut Files) -> String {
    let profile = account_profile(a);
    let p = || format!("--profile {}", q(&profile));
    let mut out = String::new();
    let _ = writeln!(out, "# Account {}: run with a profile {} that may administer it.", one_line(&a.label()), q(&profile));
    let managed_arn = |name: &str| format!("arn:aws:iam::{}:policy/{}", a.id, name);
    for m in &a.managed_policies {
        let file = files.name(&format!("policy-{}", m.name));
        let _ = writeln!(out, "\n# Customer managed policy {}", one_line(&m.arn));
        write_file(&mut out, &file, policy_json(&m.policy, doc));
        command(
            &mut out,
            &[
                "aws iam create-policy".into(),
                format!("--policy-name {}", q(&m.name)),
                format!("--path {}", q(&m.path)),
                format!("--policy-document file://{file}"),
                p(),
            ],
        );
    }
    // An inline permissions boundary: AWS takes only a managed policy.
    let boundary = |out: &mut String, files: &mut Files, owner: &str, b: &LoadedPolicy| -> String {
        if let Some(arn) = &b.managed_arn {
            return arn.clone();
        }
        let name = if b.name.is_empty() { format!("{}-boundary", slug(owner)) } else { b.name.clone() };
        let file = files.name(&format!("{owner}-boundary-{name}"));
        let _ = writeln!(out, "# The permissions boundary, as a customer managed policy (AWS takes no inline boundary)");
        write_file(out, &file, policy_json(b, doc));
        command(out, &["aws iam create-policy".into(), format!("--policy-name {}", q(&name)), format!("--policy-document file://{file}"), p()]);
        managed_arn(&name)
    };
    for g in &a.groups {
        let _ = writeln!(out, "\n# Group {}", one_line(&g.name));
        command(&mut out, &["aws iam create-group".into(), format!("--group-name {}", q(&g.name)), format!("--path {}", q(&g.path)), p()]);
        for pol in &g.policies {
            let file = files.name(&format!("group-{}-{}", g.name, pol.name));
            write_file(&mut out, &file, policy_json(pol, doc));
            command(
                &mut out,
                &[
                    "aws iam put-group-policy".into(),
                    format!("--group-name {}", q(&g.name)),
                    format!("--policy-name {}", q(&pol.name)),
                    format!("--policy-document file://{file}"),
                    p(),
                ],
            );
        }
        for m in g.managed_policies.iter().filter_map(|m| m.managed_arn.as_ref()) {
            command(&mut out, &["aws iam attach-group-policy".into(), format!("--group-name {}", q(&g.name)), format!("--policy-arn {}", q(m)), p()]);
        }
    }
    for u in &a.users {
        let _ = writeln!(out, "\n# User {}", one_line(&u.arn));
        let mut c = vec!["aws iam create-user".into(), format!("--user-name {}", q(&u.name)), format!("--path {}", q(&u.path))];
        if !u.tags.is_empty() {
            c.push(format!("--tags {}", tags_arg(&u.tags)));
        }
        c.push(p());
        command(&mut out, &c);
        for pol in &u.policies {
            let file = files.name(&format!("user-{}-{}", u.name, pol.name));
            write_file(&mut out, &file, policy_json(pol, doc));
            command(
                &mut out,
                &[
                    "aws iam put-user-policy".into(),
                    format!("--user-name {}", q(&u.name)),
                    format!("--policy-name {}", q(&pol.name)),
                    format!("--policy-document file://{file}"),
                    p(),
                ],
            );
        }
        for m in u.managed_policies.iter().filter_map(|m| m.managed_arn.as_ref()) {
            command(&mut out, &["aws iam attach-user-policy".into(), format!("--user-name {}", q(&u.name)), format!("--policy-arn {}", q(m)), p()]);
        }
        for g in &u.groups {
            command(&mut out, &["aws iam add-user-to-group".into(), format!("--user-name {}", q(&u.name)), format!("--group-name {}", q(g)), p()]);
        }
        if let Some(b) = &u.permissions_boundary {
            let arn = boundary(&mut out, files, &u.name, b);
            command(
                &mut out,
                &[
                    "aws iam put-user-permissions-boundary".into(),
                    format!("--user-name {}", q(&u.name)),
                    format!("--permissions-boundary {}", q(&arn)),
                    p(),
                ],
            );
        }
    }
    for r in &a.roles {
        let _ = writeln!(out, "\n# Role {}", one_line(&r.arn));
        let trust = files.name(&format!("{}-trust", r.name));
        write_file(&mut out, &trust, policy_json(&r.trust_policy, doc));
        let mut c = vec![
            "aws iam create-role".into(),
            format!("--role-name {}", q(&r.name)),
            format!("--path {}", q(&r.path)),
            format!("--assume-role-policy-document file://{trust}"),
        ];
        if r.max_session_duration != DEFAULT_DURATION_SECONDS {
            c.push(format!("--max-session-duration {}", r.max_session_duration));
        }
        if !r.tags.is_empty() {
            c.push(format!("--tags {}", tags_arg(&r.tags)));
        }
        c.push(p());
        command(&mut out, &c);
        for pol in &r.policies {
            let file = files.name(&format!("{}-{}", r.name, pol.name));
            write_file(&mut out, &file, policy_json(pol, doc));
            command(
                &mut out,
                &[
                    "aws iam put-role-policy".into(),
                    format!("--role-name {}", q(&r.name)),
                    format!("--policy-name {}", q(&pol.name)),
                    format!("--policy-document file://{file}"),
                    p(),
                ],
            );
        }
        for m in r.managed_policies.iter().filter_map(|m| m.managed_arn.as_ref()) {
            command(&mut out, &["aws iam attach-role-policy".into(), format!("--role-name {}", q(&r.name)), format!("--policy-arn {}", q(m)), p()]);
        }
        if let Some(b) = &r.permissions_boundary {
            let arn = boundary(&mut out, files, &r.name, b);
            command(
                &mut out,
                &[
                    "aws iam put-role-permissions-boundary".into(),
                    format!("--role-name {}", q(&r.name)),
                    format!("--permissions-boundary {}", q(&arn)),
                    p(),
                ],
            );
        }
        if let Some(ip) = &r.instance_profile {
            command(&mut out, &["aws iam create-instance-profile".into(), format!("--instance-profile-name {}", q(ip)), p()]);
            command(
                &mut out,
                &[
                    "aws iam add-role-to-instance-profile".into(),
                    format!("--instance-profile-name {}", q(ip)),
                    format!("--role-name {}", q(&r.name)),
                    p(),
                ],
            );
        }
    }
    for b in &a.buckets {
        let _ = writeln!(out, "\n# Bucket {} ({})", one_line(&b.name), one_line(&b.region));
        let mut c = vec!["aws s3api create-bucket".into(), format!("--bucket {}", q(&b.name)), format!("--region {}", q(&b.region))];
        if b.region != "us-east-1" {
            c.push(format!("--create-bucket-configuration LocationConstraint={}", q(&b.region)));
        }
        c.push(p());
        command(&mut out, &c);
        if !b.block_public_access {
            let _ = writeln!(out, "# The scenario turns Block Public Access off for this bucket");
            command(&mut out, &["aws s3api delete-public-access-block".into(), format!("--bucket {}", q(&b.name)), p()]);
        }
        if !b.tags.is_empty() {
            let set: Vec<String> = b.tags.iter().map(|(k, v)| format!("{{Key={k},Value={v}}}")).collect();
            command(
                &mut out,
                &[
                    "aws s3api put-bucket-tagging".into(),
                    format!("--bucket {}", q(&b.name)),
                    format!("--tagging {}", q(&format!("TagSet=[{}]", set.join(",")))),
                    p(),
                ],
            );
        }
        if let Some(pol) = &b.policy {
            let file = files.name(&format!("bucket-{}-policy", b.name));
            write_file(&mut out, &file, policy_json(pol, doc));
            command(&mut out, &["aws s3api put-bucket-policy".into(), format!("--bucket {}", q(&b.name)), format!("--policy file://{file}"), p()]);
        }
    }
    for r in &a.resources {
        if let Some(pol) = &r.policy {
            let service = Arn::parse(&r.arn).map(|x| x.service.to_string()).unwrap_or_default();
            let _ = writeln!(
                out,
                "\n# Resource {}: its resource policy, set with the {} API",
                one_line(&r.arn),
                if service.is_empty() { "service's" } else { &service }
            );
            let file = files.name(&format!("resource-{}-policy", r.arn.rsplit([':', '/']).next().unwrap_or("resource")));
            write_file(&mut out, &file, policy_json(pol, doc));
        }
    }
    for (kind, label, levels) in [("SERVICE_CONTROL_POLICY", "SCP", &a.scps), ("RESOURCE_CONTROL_POLICY", "RCP", &a.rcps)] {
        for level in levels.iter().flatten() {
            for pol in &level.policies {
                let _ = writeln!(
                    out,
                    "\n# {label} {} at the level {}: run in the organization's management account",
                    one_line(&pol.name),
                    one_line(&level.name)
                );
                let file = files.name(&format!("{}-{}", label.to_lowercase(), pol.name));
                write_file(&mut out, &file, policy_json(pol, doc));
                command(
                    &mut out,
                    &[
                        "aws organizations create-policy".into(),
                        format!("--type {kind}"),
                        format!("--name {}", q(&pol.name)),
                        format!("--description {}", q(&format!("{label} of {}", level.name))),
                        format!("--content file://{file}"),
                    ],
                );
                let _ =
                    writeln!(out, "# then: aws organizations attach-policy --policy-id <the new policy's Id> --target-id <the root, OU or {}>", a.id);
            }
        }
    }
    out
}

/// FNV-1a, then splitmix64 per output word: stable across platforms and runs.
struct Digits(u64);

impl Digits {
    fn new(seed: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Self(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        let len = alphabet.len().max(1) as u64;
        (0..n)
            .map(|_| {
                let i = usize::try_from(self.next() % len).unwrap_or(0);
                alphabet.get(i).map_or('A', |b| char::from(*b))
            })
            .collect()
    }
}

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The simulated credentials of an AssumeRole step that starts at `epoch`
/// (seconds) for `duration` seconds: the same step gives the same values.
pub fn credentials(step: &Step, session: &str, epoch: Option<i64>, duration: u32) -> Credentials {
    let mut d = Digits::new(&format!("{}\u{0}{}\u{0}{}", step.id, session, epoch.unwrap_or(0)));
    // `FAKE` in the key ID: plainly not one AWS issued.
    let access_key_id = format!("ASIAFAKE{}", d.chars(BASE32, 12));
    let secret_access_key = d.chars(BASE64, 40);
    // Real session tokens start with this (base64 of "\x21\n\torigin_ec").
    let session_token = format!("IQoJb3JpZ2luX2VjSIMULATED{}", d.chars(BASE64, 300));
    let expiration = epoch.map(|e| time::format_iso8601(e.saturating_add(i64::from(duration))));
    Credentials { access_key_id, secret_access_key, session_token, expiration, duration_seconds: duration }
}

/// The step's time: its `aws:CurrentTime`, else `aws:EpochTime`.
fn step_epoch(r: &StepResult) -> Option<i64> {
    r.context.get_single("aws:CurrentTime").or_else(|| r.context.get_single("aws:EpochTime")).and_then(time::parse_epoch)
}

/// Who a principal is on the command line: the `--profile` (or
/// `--no-sign-request`) argument and a comment line.
fn caller(principal: &str, s: &Scenario) -> (Option<String>, String) {
    if principal == "anonymous" {
        return (Some("--no-sign-request".into()), "# Anonymous: an unsigned request".into());
    }
    if let Some(service) = principal.strip_prefix("service:") {
        return (None, format!("# The AWS service {} makes this call itself; no command of yours makes it", one_line(service)));
    }
    let Ok(arn) = Arn::parse(principal) else {
        return (None, format!("# {}: not a principal ARN", one_line(principal)));
    };
    let resource = arn.resource.to_string();
    let account = arn.account.to_string();
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        let role = rest.split('/').next().unwrap_or(rest);
        let profile = slug(role);
        return (
            Some(format!("--profile {}", q(&profile))),
            format!("# As the role session {}: the profile {} of the AssumeRole that created it", one_line(principal), q(&profile)),
        );
    }
    if resource.starts_with("user/") {
        let name = resource.rsplit('/').next().unwrap_or(&resource);
        let profile = slug(name);
        return (
            Some(format!("--profile {}", q(&profile))),
            format!("# As the IAM user {}: a profile {} with the user's access keys", one_line(principal), q(&profile)),
        );
    }
    let profile = s.accounts.iter().find(|a| a.id == account).map_or_else(|| format!("account-{}", slug(&account)), account_profile);
    (Some(format!("--profile {}", q(&profile))), format!("# As {}: a profile {} with its credentials", one_line(principal), q(&profile)))
}

/// The `aws s3api` command of an S3 action on `resource`, if there is one.
fn s3_command(action: &str, resource: &str) -> Option<Vec<String>> {
    let path = resource.strip_prefix("arn:aws:s3:::").unwrap_or("");
    let (bucket, key) = match path.split_once('/') {
        Some((b, k)) => (b, Some(k)),
        None => (path, None),
    };
    let b = format!("--bucket {}", q(bucket));
    let k = key.map(|k| format!("--key {}", q(k)));
    let out_file = key.and_then(|k| k.rsplit('/').next()).filter(|f| !f.is_empty()).unwrap_or("object");
    let with_key = |cmd: &str, extra: &[String]| -> Option<Vec<String>> {
        let mut v = vec![format!("aws s3api {cmd}"), b.clone(), k.clone()?];
        v.extend_from_slice(extra);
        Some(v)
    };
    let bucket_only = |cmd: &str, extra: &[String]| -> Option<Vec<String>> {
        if bucket.is_empty() {
            return None;
        }
        let mut v = vec![format!("aws s3api {cmd}"), b.clone()];
        v.extend_from_slice(extra);
        Some(v)
    };
    match action.to_ascii_lowercase().as_str() {
        "s3:getobject" => with_key("get-object", &[q(out_file)]),
        "s3:getobjectversion" => with_key("get-object", &["--version-id VERSION_ID".into(), q(out_file)]),
        "s3:putobject" => with_key("put-object", &[format!("--body {}", q(out_file))]),
        "s3:deleteobject" => with_key("delete-object", &[]),
        "s3:deleteobjectversion" => with_key("delete-object", &["--version-id VERSION_ID".into()]),
        "s3:getobjecttagging" => with_key("get-object-tagging", &[]),
        "s3:putobjecttagging" => with_key("put-object-tagging", &["--tagging 'TagSet=[{Key=k,Value=v}]'".into()]),
        "s3:getobjectacl" => with_key("get-object-acl", &[]),
        "s3:getobjectattributes" => with_key("get-object-attributes", &["--object-attributes ETag ObjectSize".into()]),
        "s3:restoreobject" => with_key("restore-object", &["--restore-request Days=1".into()]),
        "s3:listbucket" => bucket_only("list-objects-v2", &[]),
        "s3:listbucketversions" => bucket_only("list-object-versions", &[]),
        "s3:listbucketmultipartuploads" => bucket_only("list-multipart-uploads", &[]),
        "s3:getbucketpolicy" => bucket_only("get-bucket-policy", &[]),
        "s3:putbucketpolicy" => bucket_only("put-bucket-policy", &["--policy file://bucket-policy.json".into()]),
        "s3:deletebucketpolicy" => bucket_only("delete-bucket-policy", &[]),
        "s3:getbucketlocation" => bucket_only("get-bucket-location", &[]),
        "s3:getbuckettagging" => bucket_only("get-bucket-tagging", &[]),
        "s3:getbucketacl" => bucket_only("get-bucket-acl", &[]),
        "s3:getbucketversioning" => bucket_only("get-bucket-versioning", &[]),
        "s3:getbucketpublicaccessblock" => bucket_only("get-public-access-block", &[]),
        "s3:createbucket" => bucket_only("create-bucket", &[]),
        "s3:deletebucket" => bucket_only("delete-bucket", &[]),
        "s3:listallmybuckets" => Some(vec!["aws s3api list-buckets".into()]),
        _ => None,
    }
}

/// `GetCallerIdentity` → `get-caller-identity`.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let prev_lower = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
        let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        let prev_upper = i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_uppercase);
        if c.is_ascii_uppercase() && i > 0 && (prev_lower || (prev_upper && next_lower)) {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The commands of step `i` of `s`, run as `r`; `doc` as for
/// [`scenario_commands`].
pub fn step_commands(s: &Scenario, i: usize, r: &StepResult, doc: Doc<'_>) -> Option<StepCommands> {
    let step = s.steps.get(i).filter(|st| st.id == r.id)?;
    let (who, who_line) = caller(&step.principal, s);
    let mut text = String::new();
    let _ = writeln!(text, "{who_line}");
    let profile_arg = who.clone();
    let Some(ar) = &step.assume_role else {
        let service = step.action.split(':').next().unwrap_or("");
        let api = step.action.split(':').nth(1).unwrap_or("");
        let by_service = step.principal.starts_with("service:");
        if let (true, Some(c)) = (by_service, s3_command(&step.action, &step.resource)) {
            // Not for the user to run: as a comment, every line of it.
            let mut request = String::new();
            command(&mut request, &c);
            let _ = writeln!(text, "# The request it makes, as the AWS CLI would write it:");
            for line in request.lines() {
                let _ = writeln!(text, "#   {line}");
            }
        } else if let Some(mut c) = s3_command(&step.action, &step.resource) {
            c.extend(profile_arg);
            command(&mut text, &c);
            if step.action.eq_ignore_ascii_case("s3:ListBucket") {
                let prefix = step.resource.strip_prefix("arn:aws:s3:::").unwrap_or("");
                let mut ls = vec![format!("aws s3 ls {}", q(&format!("s3://{prefix}/")))];
                ls.extend(who);
                let _ = writeln!(text, "# or");
                command(&mut text, &ls);
            } else if step.action.eq_ignore_ascii_case("s3:GetObject") {
                let path = step.resource.strip_prefix("arn:aws:s3:::").unwrap_or("");
                let mut cp = vec![format!("aws s3 cp {} .", q(&format!("s3://{path}")))];
                cp.extend(who);
                let _ = writeln!(text, "# or");
                command(&mut text, &cp);
            }
        } else if service.is_empty() || api.is_empty() || api.contains('*') {
            let _ = writeln!(text, "# {} names no single API call", one_line(&step.action));
        } else {
            let _ = writeln!(
                text,
                "# {} authorises the {} API call {} on {}; its CLI command is probably `aws {} {}` with that resource's parameters (not generated)",
                one_line(&step.action),
                one_line(service),
                one_line(api),
                one_line(&step.resource),
                one_line(&service.to_ascii_lowercase()),
                one_line(&kebab(api))
            );
        }
        return Some(StepCommands {
            call: Block { title: "Command".into(), text },
            profile: None,
            switch_role_url: None,
            switch_role_note: None,
            credentials: None,
        });
    };
    if step.principal.starts_with("service:") {
        let allowed = r.decision == Outcome::Allowed;
        let duration = ar.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
        let credentials = allowed.then(|| credentials(step, r.session.as_deref().unwrap_or(&ar.role_arn), step_epoch(r), duration));
        let _ = writeln!(
            text,
            "# It assumes {} (session {}) and hands the temporary credentials to the workload{}",
            one_line(&ar.role_arn),
            one_line(&ar.session_name),
            if allowed { "" } else { ": here AWS refuses (AccessDenied), so there are none" }
        );
        return Some(StepCommands {
            call: Block { title: "Command".into(), text },
            profile: None,
            switch_role_url: None,
            switch_role_note: None,
            credentials,
        });
    }
    let mut files = Files::default();
    let policy_file = ar.session_policy.as_ref().map(|p| {
        let file = files.name(&format!("{}-session-policy", step.id));
        write_file(&mut text, &file, policy_json(p, doc));
        file
    });
    let mut c = vec!["aws sts assume-role".into(), format!("--role-arn {}", q(&ar.role_arn)), format!("--role-session-name {}", q(&ar.session_name))];
    if let Some(x) = &ar.external_id {
        c.push(format!("--external-id {}", q(x)));
    }
    let mfa_serial = ar.mfa.as_ref().map(|m| m.serial_number.clone().unwrap_or_else(|| "MFA_DEVICE_ARN".into()));
    if let Some(serial) = &mfa_serial {
        c.push(format!("--serial-number {}", q(serial)));
        c.push("--token-code 123456".into());
    }
    let duration = ar.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
    if let Some(d) = ar.duration_seconds {
        c.push(format!("--duration-seconds {d}"));
    }
    if let Some(f) = &policy_file {
        c.push(format!("--policy file://{f}"));
    }
    if !ar.session_tags.is_empty() {
        c.push(format!("--tags {}", tags_arg(&ar.session_tags)));
    }
    if !ar.transitive_tag_keys.is_empty() {
        c.push(format!("--transitive-tag-keys {}", ar.transitive_tag_keys.iter().map(|k| q(k)).collect::<Vec<_>>().join(" ")));
    }
    if let Some(si) = &ar.source_identity {
        c.push(format!("--source-identity {}", q(si)));
    }
    c.extend(profile_arg);
    if mfa_serial.is_some() {
        let _ = writeln!(text, "# 123456 stands for the code the MFA device shows at the time");
    }
    command(&mut text, &c);
    let role = Arn::parse(&ar.role_arn).ok();
    let role_path = role.as_ref().map(|a| a.resource.to_string()).and_then(|r| r.strip_prefix("role/").map(str::to_string)).unwrap_or_default();
    let role_name = role_path.rsplit('/').next().unwrap_or(&role_path).to_string();
    let role_account = role.as_ref().map(|a| a.account.to_string()).unwrap_or_default();
    let epoch = step_epoch(r);
    let allowed = r.decision == Outcome::Allowed;
    let credentials = allowed.then(|| credentials(step, r.session.as_deref().unwrap_or(&ar.role_arn), epoch, duration));
    match &credentials {
        Some(cr) => {
            let _ = writeln!(
                text,
                "# Then, with what the call returns (the real values are in its Credentials):\nexport AWS_ACCESS_KEY_ID={}  # {NOT_REAL}\nexport AWS_SECRET_ACCESS_KEY={}  # {NOT_REAL}\nexport AWS_SESSION_TOKEN={}  # {NOT_REAL}",
                cr.access_key_id, cr.secret_access_key, cr.session_token
            );
        }
        None => {
            let _ = writeln!(text, "# AWS refuses this call ({}): AccessDenied, no credentials", r.decision.label());
        }
    }
    let mut cfg = format!("[profile {}]\nrole_arn = {}\n", slug(&role_name), one_line(&ar.role_arn));
    match who.as_deref().and_then(|w| w.strip_prefix("--profile ")) {
        Some(src) => {
            let _ = writeln!(cfg, "source_profile = {}", src.trim_matches('\''));
        }
        None => {
            let _ = writeln!(cfg, "# source_profile = (the caller's profile)");
        }
    }
    let _ = writeln!(cfg, "role_session_name = {}", one_line(&ar.session_name));
    if let Some(x) = &ar.external_id {
        let _ = writeln!(cfg, "external_id = {}", one_line(x));
    }
    if let Some(serial) = &mfa_serial {
        let _ = writeln!(cfg, "mfa_serial = {}", one_line(serial));
    }
    if let Some(d) = ar.duration_seconds {
        let _ = writeln!(cfg, "duration_seconds = {d}");
    }
    let person = step.principal.contains(":user/") || step.principal.contains(":assumed-role/") || step.principal.ends_with(":root");
    let switch_role_url = (person && !role_name.is_empty()).then(|| {
        let account_name = s.accounts.iter().find(|a| a.id == role_account).and_then(|a| a.name.clone()).unwrap_or_else(|| role_account.clone());
        format!(
            "https://signin.aws.amazon.com/switchrole?roleName={}&account={}&displayName={}",
            url_encode(&role_path),
            url_encode(&role_account),
            url_encode(&format!("{role_name} @ {account_name}"))
        )
    });
    let mut missing = Vec::new();
    if ar.external_id.is_some() {
        missing.push("an external ID");
    }
    if ar.session_policy.is_some() {
        missing.push("a session policy");
    }
    if !ar.session_tags.is_empty() {
        missing.push("session tags");
    }
    if ar.source_identity.is_some() {
        missing.push("a source identity");
    }
    let switch_role_note = (switch_role_url.is_some() && !missing.is_empty())
        .then(|| format!("The console's switch-role page cannot pass {}: there the role would be assumed without it.", missing.join(", ")));
    Some(StepCommands {
        call: Block { title: "Command".into(), text },
        profile: Some(Block { title: "~/.aws/config profile".into(), text: cfg }),
        switch_role_url,
        switch_role_note,
        credentials,
    })
}

/// Every step's commands, in order, with the step's result (steps whose
/// result does not match the scenario are left out).
pub fn all_step_commands(s: &Scenario, results: &[StepResult], doc: Doc<'_>) -> Vec<(usize, StepCommands)> {
    results.iter().enumerate().filter_map(|(i, r)| step_commands(s, i, r, doc).map(|c| (i, c))).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The examples' policies are all text in the workspace.
    const NONE: Doc<'static> = Doc::Value(&serde_json::Value::Null);

    /// What `sh` makes of a word made of plain characters and
    /// single-quoted parts (all `shell_quote` writes): the words, split at
    /// unquoted spaces.
    fn sh_words(s: &str) -> Option<Vec<String>> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut in_quote = false;
        let mut started = false;
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            match (in_quote, c) {
                (true, '\'') => in_quote = false,
                (true, c) => word.push(c),
                (false, '\'') => {
                    in_quote = true;
                    started = true;
                }
                (false, '\\') => {
                    word.push(chars.next()?);
                    started = true;
                }
                (false, ' ') => {
                    if started {
                        words.push(std::mem::take(&mut word));
                        started = false;
                    }
                }
                (false, c) if "$`\"|&;<>()*?[]#~{}!\n\t".contains(c) => return None,
                (false, c) => {
                    word.push(c);
                    started = true;
                }
            }
        }
        if in_quote {
            return None;
        }
        if started {
            words.push(word);
        }
        Some(words)
    }

    proptest! {
        #[test]
        fn a_quoted_word_is_one_word_and_exactly_the_string(s in "\\PC*|[ '\"$`\\\\!*a-z\n]*") {
            let quoted = shell_quote(&s);
            let words = sh_words(&format!("x {quoted} y"));
            prop_assert_eq!(words, Some(vec!["x".to_string(), s.clone(), "y".to_string()]));
        }
    }

    /// The real shell agrees: `sh -c 'printf %s WORD'` prints the string.
    #[test]
    fn sh_prints_the_quoted_string() {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
        runner
            .run(&"[^\u{0}]{0,20}|[ '\"$`\\\\!*;&|()a\n]{0,12}", |s| {
                let out = std::process::Command::new("sh").arg("-c").arg(format!("printf %s {}", shell_quote(&s))).output().unwrap();
                prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), s);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn plain_words_stay_unquoted_and_others_are_quoted() {
        assert_eq!(shell_quote("arn:aws:iam::1:role/R"), "arn:aws:iam::1:role/R");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }

    #[test]
    fn a_json_path_finds_its_value() {
        let v = serde_json::json!({ "a": [{ "b.c": { "d\"]": [1, { "e": 2 }] } }] });
        assert_eq!(value_at(&v, r#"a[0]["b.c"]["d\"]"][1].e"#), Some(&serde_json::json!(2)));
        assert_eq!(value_at(&v, ""), Some(&v));
        assert_eq!(value_at(&v, "a[1]"), None);
        assert_eq!(value_at(&v, "a[0][\"b.c"), None);
    }

    #[test]
    fn url_encoding_and_names() {
        assert_eq!(url_encode("Audit @ prod/x"), "Audit%20%40%20prod%2Fx");
        assert_eq!(kebab("GetCallerIdentity"), "get-caller-identity");
        assert_eq!(kebab("ListSAMLProviders"), "list-saml-providers");
        assert_eq!(slug("a b/c"), "a-b-c");
    }

    fn example(name: &str) -> (Scenario, Vec<StepResult>) {
        let text = crate::EXAMPLES.iter().find(|(n, _)| *n == name).unwrap().1;
        let ws = Workspace::from_text(text).unwrap();
        let s = load(&ws).unwrap();
        let r = scenario::run(&s, scenario::RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() });
        (s, r.steps)
    }

    #[test]
    fn an_assume_role_with_an_external_id() {
        let (s, r) = example("vendor-external-id");
        let c = step_commands(&s, 2, &r[2], NONE).unwrap();
        let t = c.text();
        assert!(t.contains("aws sts assume-role \\\n  --role-arn arn:aws:iam::555555555555:role/VendorAccess \\\n  --role-session-name vendor-sync \\\n  --external-id cust-7f3a9c21"), "{t}");
        assert!(t.contains("--profile IntegrationBot"), "{t}");
        let cr = c.credentials.as_ref().unwrap();
        assert!(cr.access_key_id.starts_with("ASIAFAKE") && cr.access_key_id.len() == 20);
        assert_eq!(cr.secret_access_key.len(), 40);
        assert_eq!(cr.expiration.as_deref(), Some("2026-01-15T13:00:00Z"));
        assert!(t.contains(&format!("export AWS_ACCESS_KEY_ID={}", cr.access_key_id)));
        assert!(t.contains(NOT_REAL));
        let cfg = &c.profile.as_ref().unwrap().text;
        assert!(
            cfg.contains("[profile VendorAccess]\nrole_arn = arn:aws:iam::555555555555:role/VendorAccess\nsource_profile = IntegrationBot\n"),
            "{cfg}"
        );
        assert!(cfg.contains("external_id = cust-7f3a9c21"));
        assert_eq!(
            c.switch_role_url.as_deref(),
            Some("https://signin.aws.amazon.com/switchrole?roleName=VendorAccess&account=555555555555&displayName=VendorAccess%20%40%20customer")
        );
        assert!(c.switch_role_note.unwrap().contains("external ID"));
        // The same step gives the same credentials; another step others.
        assert_eq!(step_commands(&s, 2, &r[2], NONE).unwrap().credentials, c.credentials);
        // A denied call has no credentials.
        let denied = step_commands(&s, 1, &r[1], NONE).unwrap();
        assert!(denied.credentials.is_none() && denied.text().contains("AccessDenied"));
        // The S3 step runs with the role's profile.
        let get = step_commands(&s, 3, &r[3], NONE).unwrap().text();
        assert!(
            get.contains(
                "aws s3api get-object \\\n  --bucket customer-billing-reports \\\n  --key 2025-12.csv \\\n  2025-12.csv \\\n  --profile VendorAccess"
            ),
            "{get}"
        );
    }

    #[test]
    fn an_assume_role_with_mfa() {
        let (s, r) = example("security-auditor-mfa");
        let c = step_commands(&s, 2, &r[2], NONE).unwrap();
        let t = c.text();
        assert!(t.contains("--serial-number arn:aws:iam::333333333333:mfa/Auditor \\\n  --token-code 123456"), "{t}");
        assert!(c.profile.unwrap().text.contains("mfa_serial = arn:aws:iam::333333333333:mfa/Auditor"));
        assert_eq!(c.credentials.unwrap().expiration.as_deref(), Some("2026-01-15T10:00:00Z"));
    }

    /// EC2 assumes the role itself: no command of the user's, but the
    /// credentials it hands to the instance.
    #[test]
    fn a_service_assumes_the_role_itself() {
        let (s, r) = example("ec2-instance-profile-reads-production");
        let c = step_commands(&s, 0, &r[0], NONE).unwrap();
        assert!(c.call.text.starts_with("# The AWS service ec2.amazonaws.com makes this call itself"), "{}", c.call.text);
        assert!(!c.call.text.contains("aws sts assume-role") && !c.call.text.contains("export "));
        assert!(c.profile.is_none() && c.switch_role_url.is_none());
        assert!(c.credentials.unwrap().access_key_id.starts_with("ASIAFAKE"));
        // A service's S3 request is shown as a comment, every line of it,
        // even when the key holds a line break.
        let (mut trail, tr) = example("cloudtrail-writes-logging-bucket");
        let put = step_commands(&trail, 1, &tr[1], NONE).unwrap().call.text;
        assert!(
            put.contains("# The request it makes, as the AWS CLI would write it:\n#   aws s3api put-object \\\n#     --bucket production-trail-logs"),
            "{put}"
        );
        trail.steps[1].resource = "arn:aws:s3:::production-trail-logs/a\ntouch /tmp/pwned".into();
        let put = step_commands(&trail, 1, &tr[1], NONE).unwrap().call.text;
        assert!(put.lines().all(|l| l.starts_with('#')), "{put}");
        let build = scenario_commands(&s, NONE).concat_text();
        assert!(build.contains("aws iam add-role-to-instance-profile"));
    }

    trait Concat {
        fn concat_text(&self) -> String;
    }
    impl Concat for Vec<Block> {
        fn concat_text(&self) -> String {
            self.iter().map(|b| b.text.as_str()).collect()
        }
    }

    #[test]
    fn the_scenario_is_built_per_account() {
        let (s, _) = example("security-auditor-mfa");
        let blocks = scenario_commands(&s, NONE);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].title, "production (222222222222)");
        let t = &blocks[1].text;
        assert!(t.contains("cat > AuditReadOnly-trust.json <<'JSON'\n{\n  \"Version\": \"2012-10-17\""), "{t}");
        assert!(t.contains("aws iam create-role \\\n  --role-name AuditReadOnly \\\n  --path / \\\n  --assume-role-policy-document file://AuditReadOnly-trust.json \\\n  --profile production"), "{t}");
        assert!(t.contains("aws iam put-role-policy"));
        assert!(t.contains("--create-bucket-configuration LocationConstraint=eu-west-1"), "{t}");
        assert!(blocks[0].text.contains("aws iam put-user-policy"));
    }

    /// `sh -n`: the text is valid shell (nothing left open by a quote).
    fn assert_shell_syntax(text: &str) {
        let out = std::process::Command::new("sh").arg("-n").arg("-c").arg(text).output().unwrap();
        assert!(out.status.success(), "{}\n{text}", String::from_utf8_lossy(&out.stderr));
    }

    /// Every AssumeRole option, and strings that would break out of a
    /// quote or a config line if they were not quoted.
    #[test]
    fn every_option_and_hostile_strings_stay_arguments() {
        let hostile = "x'; touch /tmp/pwned #\n$(id)";
        let doc = serde_json::json!({
            "format": "trustwalk/scenario@1",
            "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
            "accounts": [{
                "id": "111111111111", "name": "dev team",
                "users": [{ "name": "Ann", "tags": { "team": "data" }, "policies": [{ "name": "p", "document": {
                    "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"], "Resource": "*" }] } }] }],
                "roles": [{ "name": "Deploy", "path": "/ci/", "maxSessionDuration": 7200, "tags": { "env": "prod" }, "instanceProfile": "DeployProfile",
                    "trustPolicy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "111111111111" },
                        "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] }] },
                    "permissionsBoundary": { "name": "Limit", "document": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] } } }],
                "buckets": [{ "name": "bkt-one", "region": "eu-central-1", "blockPublicAccess": false, "tags": { "k": "v" },
                    "policy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::bkt-one" }] } }]
            }],
            "steps": [
                { "id": "assume", "principal": "arn:aws:iam::111111111111:user/Ann", "action": "sts:AssumeRole",
                  "roleArn": "arn:aws:iam::111111111111:role/ci/Deploy", "sessionName": "ann", "externalId": hostile,
                  "sessionTags": { "team": "data" }, "transitiveTagKeys": ["team"], "sourceIdentity": "ann@example.com",
                  "durationSeconds": 900,
                  "sessionPolicy": { "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*" }] } },
                { "id": "list", "principal": "arn:aws:sts::111111111111:assumed-role/Deploy/ann", "action": "s3:ListBucket", "resource": "arn:aws:s3:::bkt-one" },
                { "id": "who", "principal": "arn:aws:sts::111111111111:assumed-role/Deploy/ann", "action": "iam:ListRoles", "resource": "*" }
            ]
        });
        let (s, _) = scenario::load_json(&trustwalk_core::json::from_value(&doc)).unwrap();
        let r = scenario::run(&s, scenario::RunOptions { now_epoch_seconds: 1_768_478_400, ..Default::default() }).steps;
        assert_eq!(r[0].decision, Outcome::Allowed, "{}", r[0].summary);
        let c = step_commands(&s, 0, &r[0], Doc::Value(&doc)).unwrap();
        let t = &c.call.text;
        assert_shell_syntax(t);
        for part in [
            "--role-arn arn:aws:iam::111111111111:role/ci/Deploy",
            "--external-id 'x'\\''; touch /tmp/pwned #\n$(id)'",
            "--duration-seconds 900",
            "--policy file://assume-session-policy.json",
            "--tags Key=team,Value=data",
            "--transitive-tag-keys team",
            "--source-identity ann@example.com",
            "cat > assume-session-policy.json <<'JSON'\n{\n  \"Version\": \"2012-10-17\"",
        ] {
            assert!(t.contains(part), "{part} not in\n{t}");
        }
        assert_eq!(c.credentials.as_ref().unwrap().expiration.as_deref(), Some("2026-01-15T12:15:00Z"));
        // The config file keeps the value on its line.
        let cfg = &c.profile.as_ref().unwrap().text;
        assert!(cfg.contains("external_id = x'; touch /tmp/pwned #\\n$(id)\nduration_seconds = 900\n"), "{cfg}");
        assert!(cfg.starts_with("[profile Deploy]\n"));
        let url = c.switch_role_url.unwrap();
        assert!(url.contains("roleName=ci%2FDeploy&account=111111111111&displayName=Deploy%20%40%20dev%20team"), "{url}");
        let note = c.switch_role_note.unwrap();
        assert!(note.contains("an external ID, a session policy, session tags, a source identity"), "{note}");
        // ListBucket: s3api and s3 ls, with the session's profile.
        let list = step_commands(&s, 1, &r[1], Doc::Value(&doc)).unwrap().call.text;
        assert_shell_syntax(&list);
        assert!(
            list.contains("aws s3api list-objects-v2 \\\n  --bucket bkt-one \\\n  --profile Deploy") && list.contains("aws s3 ls s3://bkt-one/"),
            "{list}"
        );
        // Another service: which API the action authorises, not a guess run as a command.
        let who = step_commands(&s, 2, &r[2], Doc::Value(&doc)).unwrap().call.text;
        assert!(
            who.contains("# iam:ListRoles authorises the iam API call ListRoles on *; its CLI command is probably `aws iam list-roles`"),
            "{who}"
        );
        // The build script: every part, valid shell.
        let build = scenario_commands(&s, Doc::Value(&doc));
        let b = &build[0].text;
        assert_shell_syntax(b);
        for part in [
            "--profile dev-team",
            "--tags Key=team,Value=data",
            "--role-name Deploy \\\n  --path /ci/ \\\n  --assume-role-policy-document file://Deploy-trust.json \\\n  --max-session-duration 7200 \\\n  --tags Key=env,Value=prod",
            "aws iam create-policy \\\n  --policy-name Limit \\\n  --policy-document file://Deploy-boundary-Limit.json",
            "aws iam put-role-permissions-boundary \\\n  --role-name Deploy \\\n  --permissions-boundary arn:aws:iam::111111111111:policy/Limit",
            "aws iam create-instance-profile \\\n  --instance-profile-name DeployProfile",
            "aws iam add-role-to-instance-profile \\\n  --instance-profile-name DeployProfile \\\n  --role-name Deploy",
            "--create-bucket-configuration LocationConstraint=eu-central-1",
            "aws s3api delete-public-access-block",
            "--tagging 'TagSet=[{Key=k,Value=v}]'",
            "aws s3api put-bucket-policy \\\n  --bucket bkt-one \\\n  --policy file://bucket-bkt-one-policy.json",
        ] {
            assert!(b.contains(part), "{part} not in\n{b}");
        }
        // Without the document, a policy written as an object has no text
        // here: the script says so instead of writing an empty file.
        let without = &scenario_commands(&s, NONE)[0].text;
        assert!(without.contains("# The text of the policy for Deploy-trust.json is not available here: write that file first"), "{without}");
        assert!(!without.contains("cat > Deploy-trust.json"));
    }

    #[test]
    fn every_example_gives_commands_for_every_step() {
        for (name, _) in crate::EXAMPLES {
            let (s, r) = example(name);
            let steps = all_step_commands(&s, &r, NONE);
            assert_eq!(steps.len(), r.len(), "{name}");
            for (_, c) in steps {
                assert_shell_syntax(&c.call.text);
            }
            for b in scenario_commands(&s, NONE) {
                assert_shell_syntax(&b.text);
            }
        }
    }
}
