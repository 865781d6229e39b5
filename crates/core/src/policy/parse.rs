//! Policy text → validated [`Policy`], with every problem reported as a
//! [`Diagnostic`] carrying its JSON path and position (iam-semantics §1).

use std::sync::Arc;

use crate::arn::Principal;
use crate::diag::{Diagnostic, JsonPath};
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
const STATEMENT_KEYS: &[&str] = &[
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
    "Condition",
];

fn is_iam_policy(t: PolicyType) -> bool {
    matches!(
        t,
        PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::SessionPolicy | PolicyType::Trust
    )
}

impl Cx {
    fn error(&mut self, message: impl Into<String>, path: &JsonPath, span: Span) {
        self.errors.push(Diagnostic::new(message, path.clone()).at(span));
    }

    fn warn(&mut self, message: impl Into<String>, path: &JsonPath, span: Span) {
        self.warnings.push(Diagnostic::warning(message, path.clone()).at(span));
    }

    /// Checks an object's keys: duplicates and unknown names are errors.
    fn check_keys(&mut self, members: &[Member], allowed: &[&str], path: &JsonPath, what: &str) {
        let mut seen = Seen::exact();
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.error(
                    format!("duplicate key `{}`: JSON parsers keep only one of them, so one would be silently lost", m.key),
                    &path.key(&m.key),
                    m.key_span,
                );
            } else if !allowed.contains(&m.key.as_str()) {
                let hint = allowed
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&m.key))
                    .map(|a| format!(" (element names are case-sensitive: did you mean `{a}`?)"))
                    .unwrap_or_else(|| format!(" (expected one of {})", quote_list(allowed)));
                self.error(format!("unknown {what} element `{}`{hint}", m.key), &path.key(&m.key), m.key_span);
            }
        }
    }

    fn policy(&mut self, json: &Json) -> Option<Policy> {
        let root = JsonPath::root();
        let Some(members) = json.as_object() else {
            self.error(format!("a policy must be a JSON object, not {}", json.type_name()), &root, json.span);
            return None;
        };
        self.check_keys(members, TOP_KEYS, &root, "policy");

        let (version, version_missing) = match json.get("Version") {
            None => {
                self.warn(
                    "the policy has no `Version`: it is read as 2008-10-17, so `${…}` policy variables are literal text; add \"Version\": \"2012-10-17\"",
                    &root,
                    json.span,
                );
                (Version::V2008, true)
            }
            Some(v) => match v.as_str() {
                Some("2012-10-17") => (Version::V2012, false),
                Some("2008-10-17") => (Version::V2008, false),
                Some(other) => {
                    self.error(
                        format!("unknown Version `{other}`: expected \"2012-10-17\" (or the legacy \"2008-10-17\")"),
                        &root.key("Version"),
                        v.span,
                    );
                    (Version::V2012, false)
                }
                None => {
                    self.error(format!("`Version` must be a string, not {}", v.type_name()), &root.key("Version"), v.span);
                    (Version::V2012, false)
                }
            },
        };
        self.variables = version.variables_enabled();
        if self.policy_type == PolicyType::Rcp && version != Version::V2012 {
            self.error("a resource control policy must have \"Version\": \"2012-10-17\"", &root.key("Version"), json.span);
        }

        let id = match json.get("Id") {
            None => None,
            Some(v) => match v.as_str() {
                Some(s) => Some(s.to_string()),
                None => {
                    self.error(format!("`Id` must be a string, not {}", v.type_name()), &root.key("Id"), v.span);
                    None
                }
            },
        };

        let path = root.key("Statement");
        let statements = match json.get("Statement") {
            None => {
                self.error("the policy has no `Statement`", &root, json.span);
                Vec::new()
            }
            Some(s) => match &s.kind {
                JsonKind::Object(_) => self.statement(s, 0, &path).into_iter().collect(),
                JsonKind::Array(items) => {
                    if items.is_empty() {
                        self.error("`Statement` is an empty list: a policy needs at least one statement", &path, s.span);
                    }
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| self.statement(item, i, &path.index(i)))
                        .collect()
                }
                _ => {
                    self.error(
                        format!("`Statement` must be an object or a list of objects, not {}", s.type_name()),
                        &path,
                        s.span,
                    );
                    Vec::new()
                }
            },
        };
        self.check_sids(&statements, &path);
        Some(Policy { policy_type: self.policy_type, version, version_missing, id, statements, span: json.span })
    }

    fn check_sids(&mut self, statements: &[Statement], path: &JsonPath) {
        let mut seen = Seen::exact();
        for s in statements {
            let Some(sid) = &s.sid else { continue };
            if !seen.insert(sid) {
                let msg = format!("the Sid `{sid}` is used by more than one statement");
                if is_iam_policy(self.policy_type) {
                    self.error(format!("{msg}: Sids must be unique within a policy"), &path.index(s.index).key("Sid"), s.span);
                } else {
                    self.warn(msg, &path.index(s.index).key("Sid"), s.span);
                }
            }
        }
    }

    fn string_list(&mut self, v: &Json, path: &JsonPath, what: &str) -> Vec<Spanned<Arc<str>>> {
        match &v.kind {
            JsonKind::String(s) => vec![Spanned { value: Arc::from(s.as_str()), span: v.span }],
            JsonKind::Array(items) => {
                if items.is_empty() {
                    self.error(format!("`{what}` is an empty list: it would match nothing"), path, v.span);
                }
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item.as_str() {
                        Some(s) => Some(Spanned { value: Arc::from(s), span: item.span }),
                        None => {
                            self.error(
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
                self.error(format!("`{what}` must be a string or a list of strings, not {}", v.type_name()), path, v.span);
                Vec::new()
            }
        }
    }

    /// Returns the member named `positive` or `negative`, reporting both.
    fn exclusive<'j>(
        &mut self,
        members: &'j [Member],
        positive: &str,
        negative: &str,
        path: &JsonPath,
    ) -> Option<(&'j Member, bool)> {
        let p = members.iter().find(|m| m.key == positive);
        let n = members.iter().find(|m| m.key == negative);
        match (p, n) {
            (Some(p), Some(n)) => {
                self.error(
                    format!("a statement may have `{positive}` or `{negative}`, not both"),
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

    fn statement(&mut self, json: &Json, index: usize, path: &JsonPath) -> Option<Statement> {
        let Some(members) = json.as_object() else {
            self.error(format!("a statement must be a JSON object, not {}", json.type_name()), path, json.span);
            return None;
        };
        let before = self.errors.len();
        self.check_keys(members, STATEMENT_KEYS, path, "statement");
        let t = self.policy_type;

        let sid = match json.get("Sid") {
            None => None,
            Some(v) => match v.as_str() {
                Some(s) => {
                    if is_iam_policy(t) && !s.chars().all(|c| c.is_ascii_alphanumeric()) {
                        self.error(
                            format!("the Sid `{s}` may contain only letters and digits in an IAM {}", t.label()),
                            &path.key("Sid"),
                            v.span,
                        );
                    }
                    Some(Arc::from(s))
                }
                None => {
                    self.error(format!("`Sid` must be a string, not {}", v.type_name()), &path.key("Sid"), v.span);
                    None
                }
            },
        };

        let effect = match json.get("Effect") {
            None => {
                self.error("the statement has no `Effect`: add \"Effect\": \"Allow\" or \"Deny\"", path, json.span);
                None
            }
            Some(v) => match v.as_str() {
                Some("Allow") => Some(Effect::Allow),
                Some("Deny") => Some(Effect::Deny),
                Some(other) => {
                    let hint = if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                        " (Effect is case-sensitive)"
                    } else {
                        ""
                    };
                    self.error(
                        format!("`Effect` must be exactly \"Allow\" or \"Deny\", not \"{other}\"{hint}"),
                        &path.key("Effect"),
                        v.span,
                    );
                    None
                }
                None => {
                    self.error(format!("`Effect` must be a string, not {}", v.type_name()), &path.key("Effect"), v.span);
                    None
                }
            },
        };

        // Principal / NotPrincipal
        let principal = match self.exclusive(members, "Principal", "NotPrincipal", path) {
            None => {
                match t {
                    PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp => self.error(
                        format!("a statement in a {} needs a `Principal`", t.label()),
                        path,
                        json.span,
                    ),
                    _ => {}
                }
                None
            }
            Some((m, negated)) => {
                let p = path.key(&m.key);
                match t {
                    PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::SessionPolicy | PolicyType::Scp => {
                        self.error(
                            format!("`{}` is not allowed in a {}: it applies to whoever it is attached to", m.key, t.label()),
                            &p,
                            m.key_span,
                        );
                        None
                    }
                    PolicyType::Trust if negated => {
                        self.error("`NotPrincipal` is not allowed in a trust policy", &p, m.key_span);
                        None
                    }
                    PolicyType::Rcp if negated => {
                        self.error("`NotPrincipal` is not allowed in a resource control policy", &p, m.key_span);
                        None
                    }
                    _ => self.principal(&m.value, negated, &p),
                }
            }
        };
        if t == PolicyType::Rcp {
            if let Some(p) = &principal {
                if !(p.entries.len() == 1 && p.entries.iter().all(|e| e.kind == PrincipalKind::Aws && e.value == "*")) {
                    self.error("the `Principal` of a resource control policy must be \"*\"", &path.key("Principal"), p.span);
                }
            }
        }
        if let (Some(p), Some(Effect::Allow)) = (&principal, effect) {
            if p.negated {
                self.warn(
                    "`NotPrincipal` with Allow grants access to everyone not listed, anonymous callers included; most services reject it",
                    &path.key("NotPrincipal"),
                    p.span,
                );
            }
        }

        // Action / NotAction
        let action = match self.exclusive(members, "Action", "NotAction", path) {
            None => {
                self.error("the statement has no `Action` or `NotAction`", path, json.span);
                None
            }
            Some((m, negated)) => {
                let p = path.key(&m.key);
                if negated && t == PolicyType::Rcp {
                    self.error("`NotAction` is not allowed in a resource control policy", &p, m.key_span);
                }
                let values = self.string_list(&m.value, &p, &m.key);
                for (i, v) in values.iter().enumerate() {
                    let vp = if matches!(m.value.kind, JsonKind::Array(_)) { p.index(i) } else { p.clone() };
                    if let Err(msg) = validate_action(&v.value) {
                        self.error(msg, &vp, v.span);
                    }
                }
                Some(ListElement { negated, values, span: m.value.span })
            }
        };

        // Resource / NotResource
        let resource = match self.exclusive(members, "Resource", "NotResource", path) {
            None => {
                match t {
                    PolicyType::Trust | PolicyType::Resource => {}
                    _ => self.error("the statement has no `Resource` or `NotResource`", path, json.span),
                }
                if t == PolicyType::Resource {
                    self.warn(
                        "the statement has no `Resource`: it applies to every resource the policy is attached to (S3 requires a Resource)",
                        path,
                        json.span,
                    );
                }
                None
            }
            Some((m, negated)) => {
                let p = path.key(&m.key);
                if t == PolicyType::Trust {
                    self.error(
                        format!("`{}` is not allowed in a trust policy: its resource is always the role itself", m.key),
                        &p,
                        m.key_span,
                    );
                }
                let values = self.string_list(&m.value, &p, &m.key);
                for (i, v) in values.iter().enumerate() {
                    let vp = if matches!(m.value.kind, JsonKind::Array(_)) { p.index(i) } else { p.clone() };
                    if let Err(msg) = validate_resource(&v.value, self.variables) {
                        self.error(msg, &vp, v.span);
                    }
                }
                Some(ListElement { negated, values, span: m.value.span })
            }
        };

        let conditions = match members.iter().find(|m| m.key == "Condition") {
            None => Vec::new(),
            Some(m) => self.conditions(&m.value, &path.key("Condition")),
        };

        if t == PolicyType::Rcp && effect == Some(Effect::Allow) {
            let full_access = action.as_ref().is_some_and(|a| !a.negated && a.values.iter().all(|v| &*v.value == "*"))
                && resource.as_ref().is_some_and(|r| !r.negated && r.values.iter().all(|v| &*v.value == "*"))
                && conditions.is_empty();
            if !full_access {
                self.error(
                    "a resource control policy may only Deny; the one Allow allowed is the full-access statement (`*` on `*`, like RCPFullAWSAccess)",
                    &path.key("Effect"),
                    json.span,
                );
            }
        } else if t == PolicyType::Rcp {
            if let Some(a) = &action {
                if let Some(star) = a.values.iter().find(|v| &*v.value == "*") {
                    self.error(
                        "a Deny in a resource control policy may not use the action `*`: name the services' actions",
                        &path.key("Action"),
                        star.span,
                    );
                }
            }
        }

        if self.errors.len() > before {
            return None;
        }
        Some(Statement {
            index,
            sid,
            effect: effect?,
            principal,
            action: action?,
            resource,
            conditions,
            span: json.span,
        })
    }

    fn principal(&mut self, v: &Json, negated: bool, path: &JsonPath) -> Option<PrincipalElement> {
        let mut entries = Vec::new();
        match &v.kind {
            JsonKind::String(s) if s == "*" => {
                entries.push(PrincipalEntry { kind: PrincipalKind::Aws, value: "*".into(), span: v.span });
            }
            JsonKind::String(s) => {
                self.error(
                    format!("a `Principal` written as a string must be \"*\"; write {{\"AWS\": \"{s}\"}} to name an AWS principal"),
                    path,
                    v.span,
                );
                return None;
            }
            JsonKind::Object(members) => {
                self.check_keys(members, &["AWS", "Service", "Federated", "CanonicalUser"], path, "principal");
                if members.is_empty() {
                    self.error("the `Principal` object is empty: it names nobody", path, v.span);
                }
                for m in members {
                    let Some(kind) = PrincipalKind::parse(&m.key) else { continue };
                    let p = path.key(&m.key);
                    if kind == PrincipalKind::CanonicalUser && self.policy_type != PolicyType::Resource {
                        self.error("`CanonicalUser` principals exist only in S3 bucket policies", &p, m.key_span);
                    }
                    let values = self.string_list(&m.value, &p, &m.key);
                    for (i, val) in values.into_iter().enumerate() {
                        let vp = if matches!(m.value.kind, JsonKind::Array(_)) { p.index(i) } else { p.clone() };
                        if let Err(msg) = validate_principal(kind, &val.value) {
                            self.error(msg, &vp, val.span);
                        }
                        entries.push(PrincipalEntry { kind, value: val.value.to_string(), span: val.span });
                    }
                }
            }
            _ => {
                self.error(
                    format!("`Principal` must be \"*\" or an object such as {{\"AWS\": \"111122223333\"}}, not {}", v.type_name()),
                    path,
                    v.span,
                );
                return None;
            }
        }
        Some(PrincipalElement { negated, entries, span: v.span })
    }

    fn conditions(&mut self, v: &Json, path: &JsonPath) -> Vec<Condition> {
        let Some(ops) = v.as_object() else {
            self.error(
                format!("`Condition` must be an object of operators such as {{\"StringEquals\": {{…}}}}, not {}", v.type_name()),
                path,
                v.span,
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen_ops = Seen::exact();
        for op in ops {
            let op_path = path.key(&op.key);
            if !seen_ops.insert(op.key.as_str()) {
                self.error(format!("duplicate condition operator `{}`: one would be silently lost", op.key), &op_path, op.key_span);
                continue;
            }
            let operator = match parse_operator(&op.key) {
                Ok(o) => o,
                Err(msg) => {
                    self.error(msg, &op_path, op.key_span);
                    continue;
                }
            };
            let Some(keys) = op.value.as_object() else {
                self.error(
                    format!("the `{}` block must be an object of condition keys, not {}", op.key, op.value.type_name()),
                    &op_path,
                    op.value.span,
                );
                continue;
            };
            if keys.is_empty() {
                self.error(format!("the `{}` block names no condition key", op.key), &op_path, op.value.span);
            }
            let mut seen_keys = Seen::caseless();
            for key in keys {
                let key_path = op_path.key(&key.key);
                if !seen_keys.insert(&key.key) {
                    self.error(
                        format!("the condition key `{}` appears twice under `{}` (keys are case-insensitive): one would be silently lost", key.key, op.key),
                        &key_path,
                        key.key_span,
                    );
                    continue;
                }
                if variables::has_variables(&key.key) {
                    self.error("policy variables are not allowed in condition keys", &key_path, key.key_span);
                    continue;
                }
                if !key.key.contains(':') {
                    self.error(
                        format!("`{}` is not a condition key: keys look like `aws:SourceIp` or `s3:prefix`", key.key),
                        &key_path,
                        key.key_span,
                    );
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
        out
    }

    fn condition_values(&mut self, v: &Json, path: &JsonPath, op: Operator, key: &str) -> Vec<Spanned<Arc<str>>> {
        let scalar = |j: &Json| -> Option<String> {
            match &j.kind {
                JsonKind::String(s) => Some(s.clone()),
                JsonKind::Number(n) => Some(n.clone()),
                JsonKind::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        };
        let items: Vec<(JsonPath, &Json)> = match &v.kind {
            JsonKind::Array(a) => {
                if a.is_empty() {
                    self.error(format!("the values of `{key}` are an empty list"), path, v.span);
                }
                a.iter().enumerate().map(|(i, j)| (path.index(i), j)).collect()
            }
            _ => vec![(path.clone(), v)],
        };
        let mut out = Vec::new();
        for (p, j) in items {
            let Some(s) = scalar(j) else {
                self.error(
                    format!("a condition value must be a string, number or boolean, not {}", j.type_name()),
                    &p,
                    j.span,
                );
                continue;
            };
            if self.variables && variables::has_variables(&s) {
                if !op.base.allows_variables() {
                    self.error(
                        format!("policy variables are not allowed in {} conditions", op.base.name()),
                        &p,
                        j.span,
                    );
                    continue;
                }
                if let Err(msg) = variables::parse_template(&s) {
                    self.error(msg, &p, j.span);
                    continue;
                }
            } else if let Err(msg) = crate::policy::prepared::validate_policy_value(op.base, &s) {
                self.error(msg, &p, j.span);
                continue;
            }
            out.push(Spanned { value: Arc::from(s), span: j.span });
        }
        out
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// Parses `ForAnyValue:StringLikeIfExists` and friends.
pub fn parse_operator(text: &str) -> Result<Operator, String> {
    let (qualifier, rest) = match text.split_once(':') {
        None => (None, text),
        Some((q, rest)) => {
            let qualifier = if q.eq_ignore_ascii_case("ForAllValues") {
                SetQualifier::ForAllValues
            } else if q.eq_ignore_ascii_case("ForAnyValue") {
                SetQualifier::ForAnyValue
            } else {
                return Err(format!(
                    "unknown set qualifier `{q}` in `{text}`: expected `ForAllValues` or `ForAnyValue`"
                ));
            };
            (Some(qualifier), rest)
        }
    };
    let (base_text, if_exists) = match rest.len().checked_sub("IfExists".len()) {
        Some(cut) if rest.get(cut..).is_some_and(|s| s.eq_ignore_ascii_case("IfExists")) => {
            (rest.get(..cut).unwrap_or_default(), true)
        }
        _ => (rest, false),
    };
    let base = OperatorBase::parse(base_text)
        .ok_or_else(|| format!("unknown condition operator `{text}`"))?;
    if base == OperatorBase::Null && (if_exists || qualifier.is_some()) {
        return Err(format!("`{text}`: the Null operator takes no IfExists and no set qualifier"));
    }
    Ok(Operator { qualifier, base, if_exists })
}

/// `*` or `service:ActionName` with one colon (iam-semantics §1.5, §2.1).
pub fn validate_action(a: &str) -> Result<(), String> {
    if a == "*" {
        return Ok(());
    }
    if a.contains("${") {
        return Err(format!("`{a}`: policy variables are not allowed in actions"));
    }
    if a.chars().any(char::is_whitespace) {
        return Err(format!("`{a}` contains white space: an action looks like `s3:GetObject`"));
    }
    let Some((service, name)) = a.split_once(':') else {
        return Err(format!("`{a}` is not an action: expected `service:ActionName`, such as `s3:GetObject`"));
    };
    if name.contains(':') {
        return Err(format!("`{a}` has more than one `:`: an action looks like `s3:GetObject`"));
    }
    if service.is_empty() || name.is_empty() {
        return Err(format!("`{a}` is not an action: both the service and the action name are needed"));
    }
    if !service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("`{a}`: the service prefix `{service}` may not contain wildcards or punctuation"));
    }
    Ok(())
}

/// `*` or an ARN with at least six `:`-separated parts; variables only in
/// the resource part (iam-semantics §2.2).
pub fn validate_resource(r: &str, variables: bool) -> Result<(), String> {
    if r == "*" {
        return Ok(());
    }
    // A pattern, not an ARN: wildcards may stand in any part but the
    // service, and the prefix is compared without regard to case.
    let Some(parts) = crate::arn::split(r).filter(|[prefix, ..]| prefix.eq_ignore_ascii_case("arn")) else {
        return Err(format!(
            "`{r}` is not an ARN: expected `arn:partition:service:region:account:resource` or `*`"
        ));
    };
    if let Some(service) = parts.get(2) {
        if service.contains('*') || service.contains('?') {
            return Err(format!("`{r}`: wildcards are not allowed in the service part of an ARN"));
        }
        if service.is_empty() {
            return Err(format!("`{r}`: the service part of the ARN is empty"));
        }
    }
    if variables && parts.iter().take(5).any(|p| p.contains("${")) {
        return Err(format!("`{r}`: policy variables are allowed only in the resource part of an ARN"));
    }
    if variables {
        if let Some(res) = parts.get(5) {
            variables::parse_template(res).map_err(|m| format!("`{r}`: {m}"))?;
        }
    }
    Ok(())
}

/// Validates one value of a Principal map (iam-semantics §2.3).
pub fn validate_principal(kind: PrincipalKind, v: &str) -> Result<(), String> {
    if v.contains("${") {
        return Err(format!("`{v}`: policy variables are not allowed in Principal"));
    }
    match kind {
        PrincipalKind::Aws => {
            if v != "*" && (v.contains('*') || v.contains('?')) {
                return Err(format!(
                    "`{v}`: partial wildcards are not allowed in Principal; use \"*\" with an `ArnLike` condition on `aws:PrincipalArn`"
                ));
            }
            Principal::parse_aws_value(v).map(|_| ()).map_err(String::from)
        }
        PrincipalKind::Service => {
            if v == "*" || (v.contains('.') && !v.contains(char::is_whitespace)) {
                Ok(())
            } else {
                Err(format!("`{v}` is not a service principal such as `ec2.amazonaws.com`"))
            }
        }
        PrincipalKind::Federated | PrincipalKind::CanonicalUser => {
            if v.is_empty() {
                Err("an empty principal names nobody".to_string())
            } else {
                Ok(())
            }
        }
    }
}

