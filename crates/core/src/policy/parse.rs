//! Policy text → validated [`Policy`], with every problem reported as a
//! [`Diagnostic`] carrying its JSON path and position (docs/evaluation.md §1).

use std::sync::Arc;

use crate::arn::{ArnErrorKind, Principal};
use crate::diag::{DiagCode, Diagnostic, JsonPath, PathRef};
use crate::json::{self, Json, JsonKind, Member, Span};
use crate::keys::Seen;
use crate::policy::model::*;
use crate::variables;

/// A parsed policy and the warnings found while validating it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub policy: Policy,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and validates policy text for the given policy type.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> Result<Parsed, Vec<Diagnostic>> {
    let json = json::parse(text).map_err(|e| vec![e])?;
    policy_from_json(&json, policy_type)
}

/// Validates an already parsed JSON value as a policy of `policy_type`.
pub fn policy_from_json(json: &Json, policy_type: PolicyType) -> Result<Parsed, Vec<Diagnostic>> {
    let mut cx = Cx { policy_type, errors: Vec::new(), warnings: Vec::new(), variables: true };
    let policy = cx.policy(json);
    match policy {
        Some(policy) if cx.errors.is_empty() => Ok(Parsed { policy, warnings: cx.warnings }),
        _ => {
            let mut errors = cx.errors;
            errors.extend(cx.warnings);
            Err(errors)
        }
    }
}

struct Cx {
    policy_type: PolicyType,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Version 2012-10-17: `${…}` is a variable.
    variables: bool,
}

const TOP_KEYS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_KEYS: &[&str] = &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

fn is_iam_policy(t: PolicyType) -> bool {
    matches!(t, PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::SessionPolicy | PolicyType::Trust)
}

impl Cx {
    fn error(&mut self, code: DiagCode, message: impl Into<String>, path: &PathRef<'_>, span: Span) {
        self.errors.push(Diagnostic::new(code, message, path.to_path()).at(span));
    }

    /// An error with advice of its own instead of the code's usual help.
    fn error_help(&mut self, code: DiagCode, message: impl Into<String>, help: impl Into<String>, path: &PathRef<'_>, span: Span) {
        self.errors.push(Diagnostic::new(code, message, path.to_path()).help(help).at(span));
    }

    /// A problem found by one of the checks below, placed at `path`.
    fn report(&mut self, d: Diagnostic, path: &PathRef<'_>, span: Span) {
        self.errors.push(d.at_path(path.to_path()).at(span));
    }

    fn warn(&mut self, code: DiagCode, message: impl Into<String>, path: &PathRef<'_>, span: Span) {
        self.warnings.push(Diagnostic::warning(code, message, path.to_path()).at(span));
    }

    /// Checks an object's keys: duplicates and unknown names are errors.
    fn check_keys(&mut self, members: &[Member], allowed: &[&str], path: &PathRef<'_>, what: &str) {
        let mut seen = Seen::exact();
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.error(DiagCode::DuplicateKeys, format!("duplicate key `{}`", m.key), &path.key(&m.key), m.key_span);
            } else if !allowed.contains(&m.key.as_str()) {
                let help = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&m.key))
                    .map(|a| format!("write `{a}`: element names are case-sensitive"))
                    .unwrap_or_else(|| format!("use one of {}", quote_list(allowed)));
                let code = if what == "principal" { DiagCode::InvalidPrincipalKey } else { DiagCode::InvalidPolicyElement };
                self.error_help(code, format!("unknown {what} element `{}`", m.key), help, &path.key(&m.key), m.key_span);
            }
        }
    }

    fn policy(&mut self, json: &Json) -> Option<Policy> {
        let root = PathRef::Root;
        let Some(members) = json.as_object() else {
            self.error(DiagCode::DataTypeMismatch, format!("a policy must be an object, not {}", json.type_name()), &root, json.span);
            return None;
        };
        self.check_keys(members, TOP_KEYS, &root, "policy");
        let (version, version_missing) = self.version(json, &root);
        self.variables = version.variables_enabled();
        if self.policy_type == PolicyType::Rcp && version != Version::V2012 {
            self.error(
                DiagCode::InvalidVersion,
                "a resource control policy must have `\"Version\": \"2012-10-17\"`",
                &root.key("Version"),
                json.span,
            );
        }
        let id = self.id(json, &root);
        let path = root.key("Statement");
        let statements = self.statements(json, &path);
        self.check_sids(&statements, &path);
        let statements_in_list = json.get("Statement").is_some_and(|s| matches!(s.kind, JsonKind::Array(_)));
        Some(Policy { policy_type: self.policy_type, version, version_missing, id, statements, statements_in_list, span: json.span })
    }

    /// The policy's `Version`, and whether it was missing.
    fn version(&mut self, json: &Json, root: &PathRef<'_>) -> (Version, bool) {
        let Some(v) = json.get("Version") else {
            self.warn(
                DiagCode::MissingVersion,
                "the policy has no `Version`: it is read as `2008-10-17`, so `${…}` policy variables are literal text",
                root,
                json.span,
            );
            return (Version::V2008, true);
        };
        match v.as_str() {
            Some("2012-10-17") => (Version::V2012, false),
            Some("2008-10-17") => (Version::V2008, false),
            Some(other) => {
                self.error_help(
                    DiagCode::InvalidVersion,
                    format!("unknown `Version` `{other}`"),
                    "use `\"2012-10-17\"`",
                    &root.key("Version"),
                    v.span,
                );
                (Version::V2012, false)
            }
            None => {
                self.error(DiagCode::DataTypeMismatch, format!("`Version` must be a string, not {}", v.type_name()), &root.key("Version"), v.span);
                (Version::V2012, false)
            }
        }
    }

    fn id(&mut self, json: &Json, root: &PathRef<'_>) -> Option<String> {
        let v = json.get("Id")?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(DiagCode::DataTypeMismatch, format!("`Id` must be a string, not {}", v.type_name()), &root.key("Id"), v.span);
                None
            }
        }
    }

    /// The valid statements of the policy's `Statement`, at `path`.
    fn statements(&mut self, json: &Json, path: &PathRef<'_>) -> Vec<Statement> {
        let Some(s) = json.get("Statement") else {
            self.error(DiagCode::MissingStatement, "the policy has no `Statement`", &PathRef::Root, json.span);
            return Vec::new();
        };
        match &s.kind {
            JsonKind::Object(_) => self.statement(s, 0, path).into_iter().collect(),
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.error(DiagCode::EmptyArrayStatement, "`Statement` is an empty list", path, s.span);
                }
                items.iter().enumerate().filter_map(|(i, item)| self.statement(item, i, &path.index(i))).collect()
            }
            _ => {
                self.error(
                    DiagCode::DataTypeMismatch,
                    format!("`Statement` must be an object or a list of objects, not {}", s.type_name()),
                    path,
                    s.span,
                );
                Vec::new()
            }
        }
    }

    fn check_sids(&mut self, statements: &[Statement], path: &PathRef<'_>) {
        let mut seen = Seen::exact();
        for s in statements {
            let Some(sid) = &s.sid else { continue };
            if !seen.insert(sid) {
                let msg = format!("duplicate `Sid` `{sid}`: another statement has it");
                if is_iam_policy(self.policy_type) {
                    self.error(DiagCode::UniqueSidsRequired, msg, &path.index(s.index).key("Sid"), s.span);
                } else {
                    self.warn(DiagCode::UniqueSidsRecommended, msg, &path.index(s.index).key("Sid"), s.span);
                }
            }
        }
    }

    fn string_list(&mut self, v: &Json, path: &PathRef<'_>, what: &str, empty: DiagCode) -> Vec<Spanned<Arc<str>>> {
        match &v.kind {
            JsonKind::String(s) => vec![Spanned { value: Arc::from(s.as_str()), span: v.span }],
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.error(empty, format!("`{what}` is an empty list: it would match nothing"), path, v.span);
                }
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item.as_str() {
                        Some(s) => Some(Spanned { value: Arc::from(s), span: item.span }),
                        None => {
                            self.error(
                                DiagCode::DataTypeMismatch,
                                format!("each entry of `{what}` must be a string, not {}", item.type_name()),
                                &path.index(i),
                                item.span,
                            );
                            None
                        }
                    })
                    .collect()
            }
            _ => {
                self.error(
                    DiagCode::DataTypeMismatch,
                    format!("`{what}` must be a string or a list of strings, not {}", v.type_name()),
                    path,
                    v.span,
                );
                Vec::new()
            }
        }
    }

    /// Returns the member named `positive` or `negative`, reporting both.
    fn exclusive<'j>(&mut self, members: &'j [Member], positive: &str, negative: &str, path: &PathRef<'_>) -> Option<(&'j Member, bool)> {
        let p = members.iter().find(|m| m.key == positive);
        let n = members.iter().find(|m| m.key == negative);
        match (p, n) {
            (Some(p), Some(n)) => {
                self.error(
                    DiagCode::UnsupportedElementCombination,
                    format!("the statement has both `{positive}` and `{negative}`"),
                    &path.key(negative),
                    n.key_span,
                );
                Some((p, false))
            }
            (Some(p), None) => Some((p, false)),
            (None, Some(n)) => Some((n, true)),
            (None, None) => None,
        }
    }

    fn statement(&mut self, json: &Json, index: usize, path: &PathRef<'_>) -> Option<Statement> {
        let Some(members) = json.as_object() else {
            self.error(DiagCode::DataTypeMismatch, format!("a statement must be an object, not {}", json.type_name()), path, json.span);
            return None;
        };
        let before = self.errors.len();
        self.check_keys(members, STATEMENT_KEYS, path, "statement");
        let sid = self.sid(json, path);
        let effect = self.effect(json, path);
        let principal = self.principal_element(json, members, path);
        self.principal_rules(principal.as_ref(), effect, path);
        let action = self.action_element(json, members, path);
        let resource = self.resource_element(json, members, path);
        let conditions = match members.iter().find(|m| m.key == "Condition") {
            None => Vec::new(),
            Some(m) => self.conditions(&m.value, &path.key("Condition")),
        };
        if self.policy_type == PolicyType::Rcp {
            self.rcp_statement_rules(json, path, effect, action.as_ref(), resource.as_ref(), &conditions);
        }

        if self.errors.len() > before {
            return None;
        }
        Some(Statement { index, sid, effect: effect?, principal, action: action?, resource, conditions, span: json.span })
    }

    fn sid(&mut self, json: &Json, path: &PathRef<'_>) -> Option<Arc<str>> {
        let v = json.get("Sid")?;
        let Some(s) = v.as_str() else {
            self.error(DiagCode::DataTypeMismatch, format!("`Sid` must be a string, not {}", v.type_name()), &path.key("Sid"), v.span);
            return None;
        };
        let t = self.policy_type;
        if is_iam_policy(t) && !s.chars().all(|c| c.is_ascii_alphanumeric()) {
            self.error(
                DiagCode::UnsupportedSid,
                format!("the `Sid` `{s}` holds characters other than letters and digits, which an IAM {} does not accept", t.label()),
                &path.key("Sid"),
                v.span,
            );
        }
        Some(Arc::from(s))
    }

    fn effect(&mut self, json: &Json, path: &PathRef<'_>) -> Option<Effect> {
        let Some(v) = json.get("Effect") else {
            self.error(DiagCode::MissingEffect, "the statement has no `Effect`", path, json.span);
            return None;
        };
        match v.as_str() {
            Some("Allow") => Some(Effect::Allow),
            Some("Deny") => Some(Effect::Deny),
            Some(other) => {
                let help = if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                    "write `\"Allow\"` or `\"Deny\"` with that capitalization: `Effect` is case-sensitive"
                } else {
                    DiagCode::InvalidEffect.default_help()
                };
                self.error_help(
                    DiagCode::InvalidEffect,
                    format!("`Effect` must be `Allow` or `Deny`, not `{other}`"),
                    help,
                    &path.key("Effect"),
                    v.span,
                );
                None
            }
            None => {
                self.error(DiagCode::DataTypeMismatch, format!("`Effect` must be a string, not {}", v.type_name()), &path.key("Effect"), v.span);
                None
            }
        }
    }

    /// `Principal` or `NotPrincipal`, where the policy type allows one.
    fn principal_element(&mut self, json: &Json, members: &[Member], path: &PathRef<'_>) -> Option<PrincipalElement> {
        let t = self.policy_type;
        let Some((m, negated)) = self.exclusive(members, "Principal", "NotPrincipal", path) else {
            if matches!(t, PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp) {
                self.error(
                    DiagCode::MissingPrincipal,
                    format!("the statement has no `Principal`, which {} needs", t.label_with_article()),
                    path,
                    json.span,
                );
            }
            return None;
        };
        let p = path.key(&m.key);
        match t {
            PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::SessionPolicy | PolicyType::Scp => {
                self.error(DiagCode::UnsupportedPrincipal, format!("`{}` is not allowed in {}", m.key, t.label_with_article()), &p, m.key_span);
                None
            }
            PolicyType::Trust if negated => {
                self.error(DiagCode::RoleTrustPolicySyntaxErrorNotprincipal, "`NotPrincipal` is not allowed in a trust policy", &p, m.key_span);
                None
            }
            PolicyType::Rcp if negated => {
                self.error(DiagCode::RcpSyntaxErrorPrincipal, "`NotPrincipal` is not allowed in a resource control policy", &p, m.key_span);
                None
            }
            _ => self.principal(&m.value, negated, &p),
        }
    }

    /// A resource control policy's `Principal` must be `"*"`; `NotPrincipal`
    /// with Allow is a warning.
    fn principal_rules(&mut self, principal: Option<&PrincipalElement>, effect: Option<Effect>, path: &PathRef<'_>) {
        let Some(p) = principal else { return };
        if self.policy_type == PolicyType::Rcp && !(p.entries.len() == 1 && p.entries.iter().all(|e| e.kind == PrincipalKind::Aws && e.value == "*"))
        {
            self.error(
                DiagCode::RcpSyntaxErrorPrincipal,
                "the `Principal` of a resource control policy must be `\"*\"`",
                &path.key("Principal"),
                p.span,
            );
        }
        if p.negated && effect == Some(Effect::Allow) {
            self.warn(
                DiagCode::AllowWithNotPrincipal,
                "`NotPrincipal` with Allow grants access to everyone not listed, anonymous callers included",
                &path.key("NotPrincipal"),
                p.span,
            );
        }
    }

    /// `Action` or `NotAction`.
    fn action_element(&mut self, json: &Json, members: &[Member], path: &PathRef<'_>) -> Option<ListElement> {
        let Some((m, negated)) = self.exclusive(members, "Action", "NotAction", path) else {
            self.error(DiagCode::MissingAction, "the statement has no `Action` or `NotAction`", path, json.span);
            return None;
        };
        let p = path.key(&m.key);
        if negated && self.policy_type == PolicyType::Rcp {
            self.error(DiagCode::RcpSyntaxErrorNotAction, "`NotAction` is not allowed in a resource control policy", &p, m.key_span);
        }
        Some(self.list_element(m, negated, &p, DiagCode::EmptyArrayAction, validate_action))
    }

    /// `Resource` or `NotResource`, which some policy types may leave out.
    fn resource_element(&mut self, json: &Json, members: &[Member], path: &PathRef<'_>) -> Option<ListElement> {
        let t = self.policy_type;
        let Some((m, negated)) = self.exclusive(members, "Resource", "NotResource", path) else {
            match t {
                PolicyType::Trust | PolicyType::Resource => {}
                _ => self.error(DiagCode::MissingResource, "the statement has no `Resource` or `NotResource`", path, json.span),
            }
            if t == PolicyType::Resource {
                self.warn(
                    DiagCode::MissingResource,
                    "the statement has no `Resource`: it applies to the resource the policy is attached to",
                    path,
                    json.span,
                );
            }
            return None;
        };
        let p = path.key(&m.key);
        if t == PolicyType::Trust {
            self.error(DiagCode::RoleTrustPolicySyntaxErrorResource, format!("`{}` is not allowed in a trust policy", m.key), &p, m.key_span);
        }
        let variables = self.variables;
        Some(self.list_element(m, negated, &p, DiagCode::EmptyArrayResource, |r| validate_resource(r, variables)))
    }

    /// The strings of member `m` at `p`, each checked by `validate`.
    fn list_element(
        &mut self,
        m: &Member,
        negated: bool,
        p: &PathRef<'_>,
        empty: DiagCode,
        validate: impl Fn(&str) -> Result<(), Diagnostic>,
    ) -> ListElement {
        let values = self.string_list(&m.value, p, &m.key, empty);
        for (i, v) in values.iter().enumerate() {
            let vp = if matches!(m.value.kind, JsonKind::Array(_)) { p.index(i) } else { *p };
            if let Err(d) = validate(&v.value) {
                self.report(d, &vp, v.span);
            }
        }
        ListElement { negated, values, span: m.value.span }
    }

    /// A resource control policy may only Deny, apart from the full-access
    /// Allow, and its Deny may not use the action `*`.
    fn rcp_statement_rules(
        &mut self,
        json: &Json,
        path: &PathRef<'_>,
        effect: Option<Effect>,
        action: Option<&ListElement>,
        resource: Option<&ListElement>,
        conditions: &[Condition],
    ) {
        if effect == Some(Effect::Allow) {
            let full_access = action.is_some_and(|a| !a.negated && a.values.iter().all(|v| &*v.value == "*"))
                && resource.is_some_and(|r| !r.negated && r.values.iter().all(|v| &*v.value == "*"))
                && conditions.is_empty();
            if !full_access {
                self.error(
                    DiagCode::RcpSyntaxErrorAllow,
                    "a resource control policy may only Deny, apart from the full-access Allow (`*` on `*`)",
                    &path.key("Effect"),
                    json.span,
                );
            }
        } else if let Some(star) = action.and_then(|a| a.values.iter().find(|v| &*v.value == "*")) {
            self.error(
                DiagCode::RcpSyntaxErrorActionWildcard,
                "a Deny in a resource control policy may not use the action `*`",
                &path.key("Action"),
                star.span,
            );
        }
    }

    fn principal(&mut self, v: &Json, negated: bool, path: &PathRef<'_>) -> Option<PrincipalElement> {
        let mut entries = Vec::new();
        match &v.kind {
            JsonKind::String(s) if s == "*" => {
                entries.push(PrincipalEntry { kind: PrincipalKind::Aws, value: "*".into(), span: v.span });
            }
            JsonKind::String(s) => {
                self.error_help(
                    DiagCode::InvalidPrincipalFormat,
                    format!("a `Principal` written as a string must be `\"*\"`, not `{s}`"),
                    format!("write `{{\"AWS\": \"{s}\"}}`"),
                    path,
                    v.span,
                );
                return None;
            }
            JsonKind::Object(members) => {
                self.check_keys(members, &["AWS", "Service", "Federated", "CanonicalUser"], path, "principal");
                if members.is_empty() {
                    self.error(DiagCode::EmptyObjectPrincipal, "the `Principal` object is empty: it names nobody", path, v.span);
                }
                for m in members {
                    let Some(kind) = PrincipalKind::parse(&m.key) else { continue };
                    let p = path.key(&m.key);
                    if kind == PrincipalKind::CanonicalUser && self.policy_type != PolicyType::Resource {
                        self.error(
                            DiagCode::UnsupportedPrincipal,
                            format!(
                                "`CanonicalUser` is not allowed in {}: it exists only in S3 bucket policies",
                                self.policy_type.label_with_article()
                            ),
                            &p,
                            m.key_span,
                        );
                    }
                    let values = self.string_list(&m.value, &p, &m.key, DiagCode::EmptyArrayPrincipal);
                    for (i, val) in values.into_iter().enumerate() {
                        let vp = if matches!(m.value.kind, JsonKind::Array(_)) { p.index(i) } else { p };
                        if let Err(d) = validate_principal(kind, &val.value) {
                            self.report(d, &vp, val.span);
                        }
                        entries.push(PrincipalEntry { kind, value: val.value.to_string(), span: val.span });
                    }
                }
            }
            _ => {
                self.error(DiagCode::DataTypeMismatch, format!("`Principal` must be `\"*\"` or an object, not {}", v.type_name()), path, v.span);
                return None;
            }
        }
        Some(PrincipalElement { negated, entries, span: v.span })
    }

    fn conditions(&mut self, v: &Json, path: &PathRef<'_>) -> Vec<Condition> {
        let Some(ops) = v.as_object() else {
            self.error(DiagCode::DataTypeMismatch, format!("`Condition` must be an object of operators, not {}", v.type_name()), path, v.span);
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen_ops = Seen::exact();
        for op in ops {
            let op_path = path.key(&op.key);
            if !seen_ops.insert(op.key.as_str()) {
                self.error(DiagCode::DuplicateKeys, format!("duplicate condition operator `{}`", op.key), &op_path, op.key_span);
                continue;
            }
            match parse_operator(&op.key) {
                Ok(operator) => self.condition_block(op, operator, &op_path, &mut out),
                Err(d) => self.report(d, &op_path, op.key_span),
            }
        }
        out
    }

    /// The conditions of one operator's block `op`, at `op_path`, added to `out`.
    fn condition_block(&mut self, op: &Member, operator: Operator, op_path: &PathRef<'_>, out: &mut Vec<Condition>) {
        let Some(keys) = op.value.as_object() else {
            self.error(
                DiagCode::DataTypeMismatch,
                format!("the `{}` block must be an object of condition keys, not {}", op.key, op.value.type_name()),
                op_path,
                op.value.span,
            );
            return;
        };
        if keys.is_empty() {
            self.error(DiagCode::EmptyObjectCondition, format!("the `{}` block names no condition key", op.key), op_path, op.value.span);
        }
        let mut seen_keys = Seen::caseless();
        for (ki, key) in keys.iter().enumerate() {
            let key_path = op_path.key(&key.key);
            if !seen_keys.insert(&key.key) {
                self.duplicate_condition_key(keys.iter().take(ki), key, &op.key, &key_path);
                continue;
            }
            if !self.condition_key_valid(key, &key_path) {
                continue;
            }
            let values = self.condition_values(&key.value, &key_path, operator, &key.key);
            out.push(Condition::new(
                operator,
                op.key_span,
                Spanned { value: Arc::from(key.key.as_str()), span: key.key_span },
                values,
                Span { start: key.key_span.start, end: key.value.span.end, line: key.key_span.line, column: key.key_span.column },
            ));
        }
    }

    /// Reports `key`, which repeats one of `earlier` under operator `op`.
    fn duplicate_condition_key<'m>(&mut self, mut earlier: impl Iterator<Item = &'m Member>, key: &Member, op: &str, key_path: &PathRef<'_>) {
        // Case does not count in condition keys: an exact repeat is a
        // plain duplicate, another spelling AWS's own check.
        let first = earlier.find(|k| k.key.eq_ignore_ascii_case(&key.key)).map_or("", |k| k.key.as_str());
        let message = format!("duplicate condition key `{}` under `{op}`", key.key);
        if first == key.key {
            self.error(DiagCode::DuplicateKeys, message, key_path, key.key_span);
        } else {
            self.error_help(
                DiagCode::DuplicateKeysWithDifferentCase,
                message,
                format!("keep one of `{first}` and `{}`: case does not count in condition keys", key.key),
                key_path,
                key.key_span,
            );
        }
    }

    /// Whether the name of condition key `key` is usable, reporting why not.
    fn condition_key_valid(&mut self, key: &Member, key_path: &PathRef<'_>) -> bool {
        if variables::has_variables(&key.key) {
            self.error(
                DiagCode::VariableUnsupportedInElement,
                format!("the condition key `{}` holds a policy variable", key.key),
                key_path,
                key.key_span,
            );
            return false;
        }
        if !key.key.contains(':') {
            self.error(DiagCode::InvalidConditionKeyFormat, format!("`{}` is not a condition key", key.key), key_path, key.key_span);
            return false;
        }
        true
    }

    fn condition_values(&mut self, v: &Json, path: &PathRef<'_>, op: Operator, key: &str) -> Vec<Spanned<Arc<str>>> {
        let scalar = |j: &Json| -> Option<String> {
            match &j.kind {
                JsonKind::String(s) => Some(s.clone()),
                JsonKind::Number(n) => Some(n.clone()),
                JsonKind::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        };
        let items: Vec<(PathRef<'_>, &Json)> = match &v.kind {
            JsonKind::Array(a) => {
                if a.is_empty() {
                    self.error(DiagCode::EmptyArrayCondition, format!("the values of `{key}` are an empty list"), path, v.span);
                }
                a.iter().enumerate().map(|(i, j)| (path.index(i), j)).collect()
            }
            _ => vec![(*path, v)],
        };
        let mut out = Vec::new();
        for (p, j) in items {
            let Some(s) = scalar(j) else {
                self.error(
                    DiagCode::DataTypeMismatch,
                    format!("a condition value must be a string, number or boolean, not {}", j.type_name()),
                    &p,
                    j.span,
                );
                continue;
            };
            if self.variables && variables::has_variables(&s) {
                if !op.base.allows_variables() {
                    self.error(
                        DiagCode::InvalidVariableForOperator,
                        format!("policy variables are not allowed in `{}` conditions", op.base.name()),
                        &p,
                        j.span,
                    );
                    continue;
                }
                if let Err(d) = variables::parse_template(&s) {
                    self.report(d, &p, j.span);
                    continue;
                }
            } else if let Err(msg) = crate::policy::prepared::validate_policy_value(op.base, &s) {
                self.error(type_mismatch_code(op.base), msg, &p, j.span);
                continue;
            }
            out.push(Spanned { value: Arc::from(s), span: j.span });
        }
        out
    }
}

/// The code for a value that does not fit an operator of `base`'s family.
fn type_mismatch_code(base: OperatorBase) -> DiagCode {
    match base.family() {
        OperatorFamily::Numeric => DiagCode::TypeMismatchNumber,
        OperatorFamily::Date => DiagCode::TypeMismatchDate,
        OperatorFamily::Bool | OperatorFamily::Null => DiagCode::TypeMismatchBoolean,
        OperatorFamily::Ip => DiagCode::TypeMismatchIpRange,
        _ => DiagCode::TypeMismatch,
    }
}

/// A problem found by a check that does not know where its input is: the
/// caller places it.
fn problem(code: DiagCode, message: String) -> Diagnostic {
    Diagnostic::new(code, message, JsonPath::root())
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Parses `ForAnyValue:StringLikeIfExists` and friends. `Err` is a
/// diagnostic at the document's root: the caller places it.
pub fn parse_operator(text: &str) -> Result<Operator, Diagnostic> {
    let (qualifier, rest) = match text.split_once(':') {
        None => (None, text),
        Some((q, rest)) => {
            let qualifier = if q.eq_ignore_ascii_case("ForAllValues") {
                SetQualifier::ForAllValues
            } else if q.eq_ignore_ascii_case("ForAnyValue") {
                SetQualifier::ForAnyValue
            } else {
                return Err(problem(DiagCode::InvalidConditionOperator, format!("unknown set qualifier `{q}` in `{text}`"))
                    .help("write `ForAllValues:`, `ForAnyValue:` or no qualifier"));
            };
            (Some(qualifier), rest)
        }
    };
    let (base_text, if_exists) = match rest.len().checked_sub("IfExists".len()) {
        Some(cut) if rest.get(cut..).is_some_and(|s| s.eq_ignore_ascii_case("IfExists")) => (rest.get(..cut).unwrap_or_default(), true),
        _ => (rest, false),
    };
    let base =
        OperatorBase::parse(base_text).ok_or_else(|| problem(DiagCode::InvalidConditionOperator, format!("unknown condition operator `{text}`")))?;
    if base == OperatorBase::Null && if_exists {
        return Err(problem(DiagCode::NullWithIfExists, format!("`{text}`: the `Null` operator takes no `IfExists`")));
    }
    if base == OperatorBase::Null && qualifier.is_some() {
        return Err(problem(DiagCode::NullWithQualifier, format!("`{text}`: the `Null` operator takes no set qualifier")));
    }
    Ok(Operator { qualifier, base, if_exists })
}

/// `*` or `service:ActionName` with one colon (docs/evaluation.md §1.5, §2.1).
/// `Err` is a diagnostic at the document's root: the caller places it.
pub fn validate_action(a: &str) -> Result<(), Diagnostic> {
    if a == "*" {
        return Ok(());
    }
    if a.contains("${") {
        return Err(problem(DiagCode::VariableUnsupportedInElement, format!("the action `{a}` holds a policy variable")));
    }
    if a.chars().any(char::is_whitespace) {
        return Err(problem(DiagCode::InvalidAction, format!("the action `{a}` holds white space")));
    }
    let Some((service, name)) = a.split_once(':') else {
        return Err(problem(DiagCode::InvalidAction, format!("`{a}` is not an action: it has no `:`")));
    };
    if name.contains(':') {
        return Err(problem(DiagCode::InvalidAction, format!("the action `{a}` has more than one `:`")));
    }
    if service.is_empty() || name.is_empty() {
        return Err(problem(DiagCode::InvalidAction, format!("the action `{a}` lacks its service or its name")));
    }
    if !service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(problem(DiagCode::InvalidServiceInAction, format!("the service prefix `{service}` of `{a}` holds wildcards or punctuation")));
    }
    Ok(())
}

/// `*` or an ARN with at least six `:`-separated parts; variables only in
/// the resource part (docs/evaluation.md §2.2). `Err` is a diagnostic at the
/// document's root: the caller places it.
pub fn validate_resource(r: &str, variables: bool) -> Result<(), Diagnostic> {
    if r == "*" {
        return Ok(());
    }
    // A pattern, not an ARN: wildcards may stand in any part but the
    // service, and the prefix is compared without regard to case.
    if !r.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("arn:")) {
        return Err(problem(DiagCode::InvalidArnPrefix, format!("`{r}` is not an ARN: it does not start with `arn:`")));
    }
    let Some(parts) = crate::arn::split(r) else {
        return Err(problem(DiagCode::MissingArnField, format!("the ARN `{r}` lacks some of its 6 parts")));
    };
    if let Some(service) = parts.get(2) {
        if service.contains('*') || service.contains('?') {
            return Err(problem(DiagCode::InvalidService, format!("the service part of the ARN `{r}` holds a wildcard")));
        }
        if service.is_empty() {
            return Err(problem(DiagCode::MissingArnField, format!("the service part of the ARN `{r}` is empty")));
        }
    }
    if variables && parts.iter().take(5).any(|p| p.contains("${")) {
        return Err(problem(DiagCode::VariableUnsupportedInElement, format!("the ARN `{r}` holds a policy variable outside its resource part")));
    }
    if variables {
        if let Some(res) = parts.get(5) {
            variables::parse_template(res)?;
        }
    }
    Ok(())
}

/// Validates one value of a Principal map (docs/evaluation.md §2.3). `Err` is
/// a diagnostic at the document's root: the caller places it.
pub fn validate_principal(kind: PrincipalKind, v: &str) -> Result<(), Diagnostic> {
    let invalid = |message: String| Err(problem(DiagCode::InvalidPrincipalFormat, message));
    if v.contains("${") {
        return Err(problem(DiagCode::VariableUnsupportedInElement, format!("the principal `{v}` holds a policy variable")));
    }
    match kind {
        PrincipalKind::Aws => {
            if v != "*" && (v.contains('*') || v.contains('?')) {
                return Err(problem(
                    DiagCode::UnsupportedWildcardInPrincipal,
                    format!("the principal `{v}` holds a partial wildcard, which `Principal` does not accept"),
                ));
            }
            Principal::parse_aws_value(v).map(|_| ()).map_err(|e| {
                let code = if e.kind == ArnErrorKind::Account { DiagCode::InvalidArnAccount } else { DiagCode::InvalidPrincipalFormat };
                problem(code, e.message().to_string())
            })
        }
        PrincipalKind::Service => {
            if v == "*" || (v.contains('.') && !v.contains(char::is_whitespace)) {
                Ok(())
            } else {
                Err(problem(DiagCode::InvalidServicePrincipalFormat, format!("`{v}` is not a service principal")))
            }
        }
        PrincipalKind::Federated | PrincipalKind::CanonicalUser => {
            if v.is_empty() {
                invalid("an empty principal names nobody".to_string())
            } else {
                Ok(())
            }
        }
    }
}
