//! The checks that need AWS's catalogue: [`Vocabulary`] for
//! [`Catalogue`]. Actions, resource ARNs and service condition keys are
//! looked up in it: unknown services, actions and keys (with "did you
//! mean"), wildcards that match no action, resources that fit none of the
//! statement's actions and actions that fit none of its resources, ARN
//! fields a service forbids or requires, service keys that none of the
//! statement's actions supports, and operators that do not fit a service
//! key's type.
//!
//! Nothing is reported that the catalogue cannot settle: a statement with
//! an unknown action or `"Action": "*"` gets no resource or key-support
//! findings, `NotAction` and `NotResource` list what a statement leaves
//! out (only their names are checked), and policy variables (`${…}`) and
//! wildcards in an ARN match any text.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::catalogue::{Action, ArnFields, Catalogue, ResourceArn, ResourceType, ValueType};
use crate::checks::global_keys::KeyType;
use crate::checks::policy::{condition_path, operator_mismatch, value_path};
use crate::checks::{Finding, Vocabulary};
use crate::diag::{DiagCode, JsonPath};
use crate::policy::{Condition, OperatorFamily, Policy, Statement};

impl Vocabulary for Catalogue {
    fn check_policy(&self, policy: &Policy, out: &mut Vec<Finding>) {
        let mut memo = Memo::default();
        for s in &policy.statements {
            let path = OnceCell::new();
            StatementCheck { cat: self, s, in_list: policy.statements_in_list, path, out: &mut *out, memo: &mut memo }.run();
        }
    }
}

/// A resource type (by the address of its ARN patterns), a resource (by
/// its position in the statement) and whether the type fits it, once
/// worked out.
type Fit = (*const String, usize, bool);

/// The actions one `Action` value names.
#[derive(Clone)]
enum Named<'c> {
    /// `*`: every action.
    All,
    /// Actions of the catalogue (one for a name, any number for a pattern).
    Actions(Rc<Group<'c>>),
    /// An unknown service or action, or a pattern that matches none.
    Unknown,
}

/// The actions one `Action` value names, and what the resource checks
/// need of them: their resource types, once each (a pattern's actions
/// share a few), and the services of those that have none (they act on
/// `*`).
struct Group<'c> {
    actions: Vec<Action<'c>>,
    types: Vec<ResourceType<'c>>,
    typeless: Vec<&'c str>,
}

impl<'c> Group<'c> {
    fn new(actions: Vec<Action<'c>>) -> Rc<Self> {
        let (mut types, mut typeless): (Vec<ResourceType<'c>>, Vec<&'c str>) = (Vec::new(), Vec::new());
        for a in &actions {
            let mut any = false;
            for t in a.resource_types() {
                any = true;
                let t = t.resource_type();
                if !types.iter().any(|k| k.arn_patterns().as_ptr() == t.arn_patterns().as_ptr()) {
                    types.push(t);
                }
            }
            let prefix = a.service().prefix();
            if !any && !typeless.contains(&prefix) {
                typeless.push(prefix);
            }
        }
        Rc::new(Group { actions, types, typeless })
    }
}

/// What a policy's statements share, worked out once a policy (policies
/// repeat their actions and ARN services from statement to statement).
#[derive(Default)]
struct Memo<'c, 'p> {
    /// The actions each known `Action` value names, by its text.
    actions: HashMap<&'p str, Rc<Group<'c>>>,
    /// The resource types whose ARNs have a service field, by that field.
    types: HashMap<&'p str, Rc<[ResourceType<'c>]>>,
}

struct StatementCheck<'c, 'p, 'o> {
    cat: &'c Catalogue,
    s: &'p Statement,
    in_list: bool,
    /// `Statement[i]`, made when a finding needs it.
    path: OnceCell<JsonPath>,
    out: &'o mut Vec<Finding>,
    memo: &'o mut Memo<'c, 'p>,
}

/// "did you mean `a` or `b`?"
fn did_you_mean(names: &[String]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// Whether text has a wildcard or a policy variable, which match any text.
fn open(text: &str) -> bool {
    text.contains(['*', '?']) || text.contains("${")
}

/// The kind of value a condition key of the catalogue holds, in the terms
/// of the global keys' checks (`Binary` keys are not checked).
fn key_type(t: ValueType) -> Option<KeyType> {
    Some(match t {
        ValueType::String => KeyType::String,
        ValueType::Numeric => KeyType::Numeric,
        ValueType::Date => KeyType::Date,
        ValueType::Bool => KeyType::Bool,
        ValueType::Arn => KeyType::Arn,
        ValueType::IpAddress => KeyType::Ip,
        ValueType::Binary => return None,
    })
}

impl<'c, 'p> StatementCheck<'c, 'p, '_> {
    fn path(&self) -> &JsonPath {
        self.path.get_or_init(|| {
            let path = JsonPath::root().key("Statement");
            if self.in_list {
                path.index(self.s.index)
            } else {
                path
            }
        })
    }

    fn run(mut self) {
        let named = self.actions();
        let every_action_known = !named.iter().any(|n| matches!(n, Named::Unknown));
        let all = named.iter().any(|n| matches!(n, Named::All));
        // The statement's actions, when the catalogue knows them all and
        // they are listed (not `NotAction`, not `*`).
        let listed = (every_action_known && !all && !self.s.action.negated).then_some(&named);
        let arns: Vec<ResourceArn> = self.s.resource.iter().flat_map(|r| r.values.iter()).map(|v| ResourceArn::new(&v.value)).collect();
        let field_problems = self.arn_fields(&arns);
        if let Some(named) = listed {
            self.resources(named, &arns, &field_problems);
        }
        for c in &self.s.conditions {
            self.condition(c, listed);
        }
    }

    fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    /// Looks up every value of `Action`/`NotAction`.
    fn actions(&mut self) -> Vec<Named<'c>> {
        let a = &self.s.action;
        let element = a.name("Action", "NotAction");
        let mut named = Vec::with_capacity(a.values.len());
        for (i, v) in a.values.iter().enumerate() {
            let text: &'p str = &v.value;
            let vpath = || value_path(&self.path().key(element), a, i);
            if let Some(found) = self.memo.actions.get(text) {
                named.push(Named::Actions(found.clone()));
                continue;
            }
            if text.chars().all(|c| c == '*') {
                named.push(Named::All);
                continue;
            }
            let Some((prefix, name)) = text.split_once(':') else {
                named.push(Named::Unknown); // refused by validation
                continue;
            };
            let Some(service) = self.cat.service(prefix) else {
                let close: Vec<String> = self.cat.suggest_service(prefix).iter().map(|p| format!("{p}:{name}")).collect();
                let help = did_you_mean(&close).unwrap_or_else(|| self.reference_help("service prefix"));
                let f = Finding::new(
                    DiagCode::InvalidServiceInAction,
                    format!("`{prefix}` in `{text}` is not an AWS service prefix"),
                    vpath(),
                    Some(v.span),
                )
                .help(help)
                .fix_if_one(&close);
                self.push(f);
                named.push(Named::Unknown);
                continue;
            };
            if name.contains(['*', '?']) {
                let found: Vec<Action<'c>> = service.matching_actions(name);
                if found.is_empty() {
                    let f = Finding::new(
                        DiagCode::WildcardMatchesNoAction,
                        format!("`{text}` matches no action of `{}`", service.prefix()),
                        vpath(),
                        Some(v.span),
                    );
                    self.push(f);
                    named.push(Named::Unknown);
                } else {
                    let found = Group::new(found);
                    self.memo.actions.insert(text, found.clone());
                    named.push(Named::Actions(found));
                }
                continue;
            }
            match service.action(name) {
                Some(x) => {
                    let found = Group::new(vec![x]);
                    self.memo.actions.insert(text, found.clone());
                    named.push(Named::Actions(found));
                }
                None => {
                    let close = self.cat.suggest_action(text);
                    let help = did_you_mean(&close).unwrap_or_else(|| self.reference_help("action"));
                    let f =
                        Finding::new(DiagCode::InvalidAction, format!("`{text}` is not an action of `{}`", service.prefix()), vpath(), Some(v.span))
                            .help(help)
                            .fix_if_one(&close);
                    self.push(f);
                    named.push(Named::Unknown);
                }
            }
        }
        named
    }

    fn reference_help(&self, what: &str) -> String {
        format!("check the {what} in AWS's Service Authorization Reference (Trustwalk's catalogue is of {})", self.cat.date())
    }

    /// The fields of each resource ARN against its service's ARN patterns;
    /// returns, by value, whether a finding was given for it.
    fn arn_fields(&mut self, arns: &[ResourceArn]) -> Vec<bool> {
        let Some(r) = &self.s.resource else { return Vec::new() };
        let element = r.name("Resource", "NotResource");
        let mut flagged = vec![false; r.values.len()];
        for (i, v) in r.values.iter().enumerate() {
            let value: &'p str = &v.value;
            let mut parts = value.splitn(6, ':');
            let (Some(_), Some(_), Some(service), Some(region), Some(account), Some(_)) =
                (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if open(service) {
                continue;
            }
            let Some(arn) = arns.get(i) else { continue };
            let types = self.types_with_arn_service(service);
            if types.is_empty() {
                if self.cat.service(service).is_none() {
                    let close: Vec<String> = self.cat.suggest_service(service).iter().map(|p| format!("`{p}`")).collect();
                    let help = match close.as_slice() {
                        [] => self.reference_help("service"),
                        _ => format!("did you mean {}?", close.join(" or ")),
                    };
                    self.push(
                        Finding::new(
                            DiagCode::InvalidService,
                            format!("`{service}` in `{}` is not an AWS service", v.value),
                            value_path(&self.path().key(element), r, i),
                            Some(v.span),
                        )
                        .help(help),
                    );
                    if let Some(f) = flagged.get_mut(i) {
                        *f = true;
                    }
                }
                continue;
            }
            // The patterns the ARN's resource part can match, until one
            // shows that no finding applies.
            let settled = |f: &ArnFields| {
                let region_ok = region.is_empty() || open(region) || f.region;
                let account_ok = account.is_empty() || open(account) || f.account;
                region_ok && account_ok && (!region.is_empty() || !f.region) && (!account.is_empty() || !f.account || f.region)
            };
            let mut fields: Vec<ArnFields> = Vec::new();
            for t in types.iter() {
                let before = fields.len();
                fields.extend(t.fields_matching(service, arn));
                if fields.get(before..).is_some_and(|new| new.iter().any(settled)) {
                    break;
                }
            }
            if fields.is_empty() || fields.iter().any(settled) {
                continue;
            }
            let problem = if !region.is_empty() && !open(region) && fields.iter().all(|f| !f.region) {
                Some((DiagCode::ArnRegionNotAllowed, format!("`{service}` ARNs have no region, but `{}` names `{region}`", v.value)))
            } else if !account.is_empty() && !open(account) && fields.iter().all(|f| !f.account) {
                Some((DiagCode::ArnAccountNotAllowed, format!("`{service}` ARNs have no account, but `{}` names `{account}`", v.value)))
            } else if region.is_empty() && fields.iter().all(|f| f.region) {
                Some((DiagCode::MissingArnRegion, format!("`{}` has no region, which `{service}` ARNs of this kind need", v.value)))
            } else if account.is_empty() && fields.iter().all(|f| f.account && !f.region) {
                // (A regional resource without an account is AWS's own, as
                // in `arn:aws:ec2:*::image/*` or `arn:aws:ssm:*::document/AWS-*`.)
                Some((DiagCode::MissingArnAccount, format!("`{}` has no account, which `{service}` ARNs of this kind need", v.value)))
            } else {
                None
            };
            if let Some((code, message)) = problem {
                self.push(Finding::new(code, message, value_path(&self.path().key(element), r, i), Some(v.span)));
                if let Some(f) = flagged.get_mut(i) {
                    *f = true;
                }
            }
        }
        flagged
    }

    /// The resource types whose ARNs have `service` in their service field.
    fn types_with_arn_service(&mut self, service: &'p str) -> Rc<[ResourceType<'c>]> {
        let cat = self.cat;
        self.memo.types.entry(service).or_insert_with(|| cat.resource_types_with_arn_service(service).into()).clone()
    }

    /// Resources that fit none of the statement's actions, and actions
    /// that fit none of its resources.
    fn resources(&mut self, named: &[Named<'c>], arns: &[ResourceArn], field_problems: &[bool]) {
        let Some(r) = self.s.resource.as_ref().filter(|r| !r.negated) else { return };
        if r.values.iter().any(|v| &*v.value == "*") {
            return;
        }
        let groups: Vec<&Group<'c>> = named.iter().filter_map(|n| if let Named::Actions(g) = n { Some(&**g) } else { None }).collect();
        let actions: Vec<&Action<'c>> = groups.iter().flat_map(|g| &g.actions).collect();
        // The service field of each resource.
        let services: Vec<&str> = r.values.iter().map(|v| v.value.split(':').nth(2).unwrap_or_default()).collect();
        // Whether `action` can act on resource `j`: one of its types fits,
        // or it has none (it acts on `*`) and the ARN is of its service.
        // Whether a resource type fits resource `j`, worked out once a
        // type and resource (the actions of a pattern share their types).
        let cache: RefCell<Vec<Fit>> = RefCell::new(Vec::new());
        let type_fits = |t: ResourceType<'c>, j: usize| -> bool {
            let Some(arn) = arns.get(j) else { return true };
            let id = t.arn_patterns().as_ptr();
            let mut cache = cache.borrow_mut();
            if let Some((_, _, fits)) = cache.iter().find(|(k, at, _)| *k == id && *at == j) {
                return *fits;
            }
            let fits = t.matches(arn);
            cache.push((id, j, fits));
            fits
        };
        // Whether one of a group's actions can act on resource `j`: one of
        // its types fits, or it has none (it acts on `*`) and the ARN is of
        // its service.
        let fits = |group: &Group<'c>, j: usize| -> bool {
            let Some(&service) = services.get(j) else { return true };
            group.typeless.iter().any(|&prefix| open(service) || service == prefix) || group.types.iter().any(|t| type_fits(*t, j))
        };
        let fitting: Vec<bool> = (0..r.values.len()).map(|j| groups.iter().any(|g| fits(g, j))).collect();
        for (j, v) in r.values.iter().enumerate() {
            // An ARN with a field finding fits nothing either: that finding says why.
            if fitting.get(j).copied().unwrap_or(true) || field_problems.get(j).copied().unwrap_or(false) {
                continue;
            }
            let values = &self.s.action.values;
            let names: Vec<String> = values.iter().take(3).map(|a| format!("`{}`", a.value)).collect();
            let (more, verb) = match values.len() {
                1 => ("", "works"),
                2 | 3 => ("", "work"),
                _ => (", …", "work"),
            };
            let help = self.expected_help(&actions);
            self.push(
                Finding::new(
                    DiagCode::ResourceMatchesNoAction,
                    format!("`{}` is of none of the resource types that {}{more} {verb} on", v.value, names.join(", ")),
                    value_path(&self.path().key("Resource"), r, j),
                    Some(v.span),
                )
                .help(help),
            );
        }
        // An action that fits no resource, when some resource fits some
        // action (else the findings above already say what is wrong).
        if !fitting.iter().any(|f| *f) {
            return;
        }
        let a = &self.s.action;
        for (i, (n, v)) in named.iter().zip(&a.values).enumerate() {
            let Named::Actions(group) = n else { continue };
            if (0..r.values.len()).any(|j| fits(group, j)) {
                continue;
            }
            let help = self.expected_help(&group.actions.iter().collect::<Vec<_>>());
            self.push(
                Finding::new(
                    DiagCode::ActionMatchesNoResource,
                    format!("`{}` works on none of the statement's resources", v.value),
                    value_path(&self.path().key("Action"), a, i),
                    Some(v.span),
                )
                .help(help),
            );
        }
    }

    /// "name a resource such as `arn:${Partition}:s3:::${BucketName}`
    /// (bucket)": the ARN patterns of the first actions' types.
    fn expected_help(&self, actions: &[&Action<'c>]) -> String {
        let mut shown: Vec<String> = Vec::new();
        for a in actions {
            let mut any = false;
            for t in a.resource_types() {
                any = true;
                let rt = t.resource_type();
                if let Some(p) = rt.arn_patterns().first() {
                    let entry = format!("`{p}` ({})", rt.name());
                    if !shown.contains(&entry) {
                        shown.push(entry);
                    }
                }
            }
            if !any {
                let entry = format!("`*` (`{}` has no resource types)", a.full_name());
                if !shown.contains(&entry) {
                    shown.push(entry);
                }
            }
            if shown.len() >= 3 {
                break;
            }
        }
        shown.truncate(3);
        format!("the actions work on {}", shown.join(", "))
    }

    fn condition(&mut self, c: &Condition, listed: Option<&Vec<Named<'c>>>) {
        let key = &*c.key.value;
        let Some((prefix, _)) = key.split_once(':') else { return };
        if prefix.eq_ignore_ascii_case("aws") {
            return; // the global keys' checks
        }
        let cpath = condition_path(self.path(), c);
        // A key the reference writes with a literal tag name
        // (`secretsmanager:ResourceTag/tag-key`) stands for any tag.
        let found = self.cat.condition_key(key).or_else(|| {
            let (head, _) = key.split_once('/')?;
            self.cat.condition_keys().find(|k| k.name().get(..=head.len()).is_some_and(|h| h.eq_ignore_ascii_case(&format!("{head}/"))))
        });
        let Some(found) = found else {
            if self.cat.service(prefix).is_some() {
                let close: Vec<String> = self.cat.suggest_condition_key(key).iter().map(|k| k.to_string()).collect();
                let help = did_you_mean(&close).unwrap_or_else(|| self.reference_help("condition key"));
                self.push(
                    Finding::new(
                        DiagCode::InvalidServiceConditionKey,
                        format!("`{key}` is not a condition key of `{}`", prefix.to_ascii_lowercase()),
                        cpath,
                        Some(c.key.span),
                    )
                    .help(help)
                    .fix_if_one(&close),
                );
            }
            return;
        };
        if found.is_global() {
            return;
        }
        if let Some(t) = key_type(found.key_type().value) {
            let arn_values = c.values.iter().all(|v| v.value.starts_with("arn:") || &*v.value == "*");
            // An ARN operator on a text key that holds ARNs works.
            let arn_text = c.operator.base.family() == OperatorFamily::Arn && t == KeyType::String && arn_values;
            if !arn_text {
                if let Some(f) = operator_mismatch(c, t, self.path()) {
                    self.push(f);
                }
            }
        }
        let Some(named) = listed else { return };
        let supports = |a: &Action<'_>| {
            a.condition_keys().any(|k| k == found || k.matches(key))
                || a.resource_types().any(|r| {
                    r.condition_keys().any(|k| k == found || k.matches(key))
                        || r.resource_type().condition_keys().any(|k| k == found || k.matches(key))
                })
        };
        let any = named.iter().any(|n| matches!(n, Named::Actions(group) if group.actions.iter().any(supports)));
        if !any {
            let values = &self.s.action.values;
            let message = match values.as_slice() {
                [one] => format!("`{}` does not support `{key}`: its requests never have the key", one.value),
                _ => {
                    let names: Vec<String> = values.iter().take(3).map(|a| format!("`{}`", a.value)).collect();
                    let more = if values.len() > 3 { ", …" } else { "" };
                    format!("none of {}{more} supports `{key}`: their requests never have the key", names.join(", "))
                }
            };
            self.push(Finding::new(DiagCode::UnsupportedActionForConditionKey, message, cpath, Some(c.key.span)));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::catalogue::Catalogue;
    use crate::checks::{lint_policy_with, Finding, LintOptions};
    use crate::policy::PolicyType;

    fn lint(statement: &str) -> Vec<Finding> {
        let cat = Catalogue::from_bytes(include_bytes!("../../data/catalogue.json")).unwrap();
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#);
        lint_policy_with(&text, PolicyType::Identity, &LintOptions { vocabulary: Some(&cat), ..Default::default() })
    }

    fn one(statement: &str) -> (String, String) {
        let found = lint(statement);
        assert_eq!(found.len(), 1, "{found:#?}");
        (found[0].render(), found[0].help.clone())
    }

    #[test]
    fn unknown_names_come_with_the_closest_known_ones() {
        assert_eq!(
            one(r#"{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"}"#),
            (
                "1:71: error INVALID_ACTION: `s3:GetObjects` is not an action of `s3` (at Statement[0].Action)".to_string(),
                "did you mean `s3:GetObject`?".to_string()
            )
        );
        let (message, help) = one(r#"{"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}"#);
        assert!(message.contains("INVALID_SERVICE_IN_ACTION: `s4` in `s4:GetObject` is not an AWS service prefix"), "{message}");
        assert!(help.starts_with("did you mean `s3:GetObject`"), "{help}");
        let (message, help) = one(
            r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"StringLike": {"s3:prefixes": "a/*"}}}"#,
        );
        assert!(message.contains("INVALID_SERVICE_CONDITION_KEY: `s3:prefixes` is not a condition key of `s3`"), "{message}");
        assert_eq!(help, "did you mean `s3:prefix`?");
    }

    #[test]
    fn a_mismatched_resource_is_told_with_the_types_the_actions_work_on() {
        let (message, help) = one(r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bkt/*"}"#);
        assert!(
            message.ends_with(
                "warning RESOURCE_MATCHES_NO_ACTION: `arn:aws:s3:::bkt/*` is of none of the resource types that `s3:ListBucket` works on (at Statement[0].Resource)"
            ),
            "{message}"
        );
        assert_eq!(
            help,
            "the actions work on `arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}` (accesspoint), \
             `arn:${Partition}:s3:::${BucketName}` (bucket)"
        );
    }

    #[test]
    fn an_unknown_action_names_the_catalogue_date_when_nothing_is_close() {
        let (_, help) = one(r#"{"Effect": "Allow", "Action": "s3:Zzzzzzzzzzzz", "Resource": "*"}"#);
        assert!(help.starts_with("check the action in AWS's Service Authorization Reference (Trustwalk's catalogue is of 20"), "{help}");
    }

    #[test]
    fn without_the_catalogue_nothing_is_looked_up() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3::1:b"}]}"#;
        assert!(lint_policy_with(text, PolicyType::Identity, &LintOptions::default()).is_empty());
    }
}
