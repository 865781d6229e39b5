//! The access map (`review::access`): hand-written scenarios for what a
//! reviewer reads from it, and generated scenarios whose every cell must
//! agree with running the equivalent steps through `scenario::run`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::borrow::Cow;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{json, Value};
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::diag::JsonPath;
use trustwalk_core::review::access::{access_map, equivalent_steps, explain_cell, AccessMap, AccessOptions, Cell, SESSION_NAME};
use trustwalk_core::review::diff::{diff, DiffOptions};
use trustwalk_core::scenario::{self, AssumeRole, Outcome, RunOptions, Scenario, Step};

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::from_bytes(&std::fs::read(common::root().join("crates/core/data/catalogue.json")).unwrap()).unwrap())
}

fn load(doc: &Value) -> Scenario {
    match common::load(&doc.to_string()) {
        Ok((s, _)) => s,
        Err(e) => panic!("does not load: {e:#?}\n{doc:#}"),
    }
}

fn map(doc: &Value) -> AccessMap {
    access_map(&load(doc), catalogue(), &AccessOptions::default())
}

fn find(m: &AccessMap, principal: &str, via: &[&str], action: &str, resource: &str) -> Option<Cell> {
    m.cells().find(|c| c.principal == principal && c.via == via && c.action == action && c.resource == resource).map(Cow::into_owned)
}

fn policy(statements: Value) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

const ALICE: &str = "arn:aws:iam::111111111111:user/Alice";
const HOP: &str = "arn:aws:iam::111111111111:role/Hop";
const PROD: &str = "arn:aws:iam::222222222222:role/ProdReader";

/// Alice (staging) → Hop (staging) → ProdReader (production), which reads
/// `prod-data/reports/…`.
fn chain_doc() -> Value {
    json!({
        "format": "trustwalk/scenario@1",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [
            {
                "id": "111111111111",
                "users": [{ "name": "Alice", "policies": [{ "name": "Hop", "document": policy(json!([
                    { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": HOP }
                ])) }] }],
                "roles": [{
                    "name": "Hop",
                    "trustPolicy": policy(json!([{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "sts:AssumeRole" }])),
                    "policies": [{ "name": "Prod", "document": policy(json!([{ "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": PROD }])) }]
                }]
            },
            {
                "id": "222222222222",
                "roles": [{
                    "name": "ProdReader",
                    "trustPolicy": policy(json!([{ "Effect": "Allow", "Principal": { "AWS": HOP }, "Action": "sts:AssumeRole" }])),
                    "policies": [{ "name": "Read", "document": policy(json!([
                        { "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::prod-data", "arn:aws:s3:::prod-data/reports/*"] }
                    ])) }]
                }],
                "buckets": [{ "name": "prod-data" }]
            }
        ],
        "steps": [{ "principal": ALICE, "action": "sts:AssumeRole", "roleArn": HOP, "sessionName": "s1" }]
    })
}

#[test]
fn a_user_reaches_a_bucket_of_another_account_through_a_role_chain() {
    let m = map(&chain_doc());
    let cell = find(&m, ALICE, &[HOP, PROD], "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").expect("Alice reads through the chain");
    assert_eq!(cell.decision, Outcome::Allowed);
    assert_eq!(cell.access_level, "Read");
    // The prefix the policy names is a resource of its own; an object
    // elsewhere in the bucket is not readable.
    assert!(find(&m, ALICE, &[HOP, PROD], "s3:GetObject", "arn:aws:s3:::prod-data/…").is_none());
    assert_eq!(find(&m, ALICE, &[HOP, PROD], "s3:ListBucket", "arn:aws:s3:::prod-data").unwrap().decision, Outcome::Allowed);
    // Directly, Alice cannot read; her AssumeRole of Hop is a cell too.
    assert!(find(&m, ALICE, &[], "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").is_none());
    assert_eq!(find(&m, ALICE, &[], "sts:AssumeRole", HOP).unwrap().decision, Outcome::Allowed);
    // What a ProdReader session can do, on its own row.
    assert_eq!(find(&m, PROD, &[], "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").unwrap().decision, Outcome::Allowed);
    // Hop reaches ProdReader in one step.
    assert!(find(&m, HOP, &[PROD], "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").is_some());
    // Only allowed and explicitly denied cells are listed by default.
    assert!(m.cells().all(|c| c.decision != Outcome::ImplicitDeny || !c.conditions.is_empty()));
}

#[test]
fn actions_no_statement_tells_apart_are_decided_once() {
    let m = map(&chain_doc());
    let all = access_map(&load(&chain_doc()), catalogue(), &AccessOptions { all: true, ..Default::default() });
    let direct = all.cells().filter(|c| c.via.is_empty()).count();
    assert!(all.evaluations * 5 < direct, "{} evaluations for {direct} direct cells", all.evaluations);
    assert_eq!(m.evaluations, all.evaluations);
}

#[test]
fn filters_select_one_principal_or_one_bucket_and_its_objects() {
    let s = load(&chain_doc());
    let m = access_map(&s, catalogue(), &AccessOptions { principal: Some(ALICE), ..Default::default() });
    assert!(!m.is_empty());
    assert!(m.cells().all(|c| c.principal == ALICE));
    let m = access_map(&s, catalogue(), &AccessOptions { resource: Some("arn:aws:s3:::prod-data"), ..Default::default() });
    assert!(m.cells().all(|c| c.resource.starts_with("arn:aws:s3:::prod-data")));
    assert!(m.cells().any(|c| c.resource == "arn:aws:s3:::prod-data/reports/…"));
    assert!(m.cells().any(|c| c.resource == "arn:aws:s3:::prod-data"));
}

#[test]
fn an_explicit_deny_is_listed_with_its_statement() {
    let doc = json!({
        "format": "trustwalk/scenario@1",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [{
            "id": "111111111111",
            "users": [{ "name": "Alice", "policies": [{ "name": "S3", "document": policy(json!([
                { "Effect": "Allow", "Action": "s3:*", "Resource": "*" },
                { "Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::logs/*" }
            ])) }] }],
            "buckets": [{ "name": "logs" }]
        }],
        "steps": [{ "principal": ALICE, "action": "s3:GetObject", "resource": "arn:aws:s3:::logs/a" }]
    });
    let m = map(&doc);
    let deny = find(&m, ALICE, &[], "s3:DeleteObject", "arn:aws:s3:::logs/…").unwrap();
    assert_eq!(deny.decision, Outcome::ExplicitDeny);
    assert_eq!(deny.access_level, "Write");
    assert_eq!(deny.statements[0].sid.as_deref(), Some("NoDelete"));
    assert_eq!(find(&m, ALICE, &[], "s3:PutObject", "arn:aws:s3:::logs/…").unwrap().decision, Outcome::Allowed);
    assert_eq!(find(&m, ALICE, &[], "s3:PutBucketPolicy", "arn:aws:s3:::logs").unwrap().access_level, "Permissions management");
}

#[test]
fn an_mfa_condition_the_context_does_not_give_is_listed_and_the_chain_is_not_followed() {
    let doc = json!({
        "format": "trustwalk/scenario@1",
        "context": { "aws:CurrentTime": "2026-01-15T12:00:00Z" },
        "accounts": [{
            "id": "111111111111",
            "users": [{ "name": "Alice", "policies": [{ "name": "Assume", "document": policy(json!([
                { "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*" },
                { "Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "*", "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" } } }
            ])) }] }],
            "roles": [{
                "name": "Admin",
                "trustPolicy": policy(json!([{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111111111111:root" }, "Action": "sts:AssumeRole",
                    "Condition": { "Bool": { "aws:MultiFactorAuthPresent": "true" }, "StringEquals": { "sts:ExternalId": "x-123" } } }])),
                "policies": [{ "name": "All", "document": policy(json!([{ "Effect": "Allow", "Action": "*", "Resource": "*" }])) }]
            }],
            "buckets": [{ "name": "logs" }]
        }],
        "steps": [{ "principal": ALICE, "action": "s3:GetObject", "resource": "arn:aws:s3:::logs/a" }]
    });
    let m = map(&doc);
    let assume = find(&m, ALICE, &[], "sts:AssumeRole", "arn:aws:iam::111111111111:role/Admin").unwrap();
    assert_eq!(assume.decision, Outcome::ImplicitDeny);
    assert_eq!(assume.conditions, ["aws:MultiFactorAuthPresent", "sts:ExternalId"]);
    let delete = find(&m, ALICE, &[], "s3:DeleteObject", "arn:aws:s3:::logs/…").unwrap();
    assert_eq!((delete.decision, delete.conditions.as_slice()), (Outcome::ImplicitDeny, ["aws:MultiFactorAuthPresent".to_string()].as_slice()));
    assert!(m.cells().all(|c| c.via.is_empty()), "no chain through a denied AssumeRole");
    // The role's own row says what a session of it could do.
    assert_eq!(find(&m, "arn:aws:iam::111111111111:role/Admin", &[], "s3:DeleteObject", "arn:aws:s3:::logs/…").unwrap().decision, Outcome::Allowed);
}

#[test]
fn the_map_serialises_in_the_documented_shape() {
    let m = map(&chain_doc());
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(v["format"], "trustwalk/access@1");
    let cell = v["cells"].as_array().unwrap().iter().find(|c| c["via"].as_array().unwrap().len() == 2).unwrap();
    let keys: Vec<&str> = cell.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["principal", "action", "resource", "accessLevel", "decision", "via"]);
    assert_eq!(cell["decision"], "allowed");
}

#[test]
fn a_diff_names_new_access_and_changed_steps() {
    let old = chain_doc();
    let mut new = chain_doc();
    new["accounts"][1]["roles"][0]["policies"][0]["document"]["Statement"][0]["Action"] = json!(["s3:GetObject", "s3:ListBucket", "s3:PutObject"]);
    let d = diff(&load(&old), &load(&new), catalogue(), &DiffOptions::default());
    assert!(d.new_access);
    let put =
        d.access.iter().find(|c| c.principal == ALICE && c.action == "s3:PutObject" && c.resource == "arn:aws:s3:::prod-data/reports/…").unwrap();
    assert_eq!((put.before, put.after), (Outcome::ImplicitDeny, Outcome::Allowed));
    assert_eq!(put.via, [HOP, PROD]);
    assert!(put.statements_before.is_empty());
    assert_eq!(put.statements_after[0].policy, "ProdReader/Read");
    // Reversed: access removed, no new access.
    let d = diff(&load(&new), &load(&old), catalogue(), &DiffOptions::default());
    assert!(!d.new_access);
    assert!(d.access.iter().all(|c| c.before == Outcome::Allowed && c.after == Outcome::ImplicitDeny));
    // The same document: nothing changed.
    let d = diff(&load(&old), &load(&old), catalogue(), &DiffOptions::default());
    assert!(d.access.is_empty() && d.steps.is_empty() && !d.new_access);
    // A step's outcome changes when Alice may no longer assume Hop.
    let mut cut = chain_doc();
    cut["accounts"][0]["users"][0]["policies"][0]["document"]["Statement"][0]["Effect"] = json!("Deny");
    let d = diff(&load(&old), &load(&cut), catalogue(), &DiffOptions::default());
    assert_eq!(d.steps.len(), 1);
    assert_eq!((d.steps[0].before, d.steps[0].after), (Some(Outcome::Allowed), Some(Outcome::ExplicitDeny)));
}

/// Chain_doc with a second hop, Hop2, that ProdReader trusts too and
/// Alice may assume: roles in the order given.
fn two_hops_doc(hop2_first: bool) -> Value {
    const HOP2: &str = "arn:aws:iam::111111111111:role/Hop2";
    let mut doc = chain_doc();
    doc["accounts"][0]["users"][0]["policies"][0]["document"]["Statement"][0]["Resource"] = json!([HOP, HOP2]);
    let mut hop2 = doc["accounts"][0]["roles"][0].clone();
    hop2["name"] = json!("Hop2");
    let roles = doc["accounts"][0]["roles"].as_array_mut().unwrap();
    if hop2_first {
        roles.insert(0, hop2);
    } else {
        roles.push(hop2);
    }
    doc["accounts"][1]["roles"][0]["trustPolicy"]["Statement"][0]["Principal"]["AWS"] = json!([HOP, HOP2]);
    doc
}

#[test]
fn a_diff_reports_the_same_access_by_another_path_as_a_path_change() {
    const HOP2: &str = "arn:aws:iam::111111111111:role/Hop2";
    // Only the order of the roles changes: Alice now reaches ProdReader
    // through Hop2 first (the map keeps the first shortest path).
    let (old, new) = (load(&two_hops_doc(false)), load(&two_hops_doc(true)));
    let reports = "arn:aws:s3:::prod-data/reports/…";
    let m = access_map(&new, catalogue(), &AccessOptions::default());
    assert!(find(&m, ALICE, &[HOP2, PROD], "s3:GetObject", reports).is_some());
    let d = diff(&old, &new, catalogue(), &DiffOptions::default());
    assert!(d.access.is_empty(), "no access changed: {:?}", d.access);
    assert!(!d.new_access);
    let get = d.paths.iter().find(|p| p.principal == ALICE && p.action == "s3:GetObject" && p.resource == reports).unwrap();
    assert_eq!(get.decision, Outcome::Allowed);
    assert_eq!(
        (get.via_before.clone(), get.via_after.clone()),
        (vec![vec![HOP.to_string(), PROD.to_string()]], vec![vec![HOP2.to_string(), PROD.to_string()]])
    );
    // The JSON has the paths beside the (empty) access changes.
    let v: Value = serde_json::to_value(&d).unwrap();
    assert_eq!(v["paths"][0]["viaAfter"][0][0], HOP2);
    assert_eq!(v["access"], json!([]));
    // Taking every path away is a change of access.
    let mut cut = two_hops_doc(true);
    cut["accounts"][1]["roles"][0]["trustPolicy"]["Statement"][0]["Principal"]["AWS"] = json!("arn:aws:iam::222222222222:root");
    let d = diff(&old, &load(&cut), catalogue(), &DiffOptions::default());
    let get = d.access.iter().find(|c| c.principal == ALICE && c.action == "s3:GetObject" && c.resource == reports).unwrap();
    assert_eq!((get.before, get.after), (Outcome::Allowed, Outcome::ImplicitDeny));
    assert_eq!(get.via, [HOP, PROD]);
    assert!(d.paths.is_empty());
}

#[test]
fn every_cell_explains_itself_with_the_same_decision() {
    let s = load(&chain_doc());
    let m = access_map(&s, catalogue(), &AccessOptions { all: true, ..Default::default() });
    for c in m.cells() {
        let r = explain_cell(&s, &c.principal, &c.via, &c.action, &c.resource, RunOptions::default()).unwrap();
        assert_eq!(r.decision, c.decision, "{c:?}: {}", r.summary);
        assert_eq!((r.action.as_str(), r.resource.as_str()), (c.action.as_str(), c.resource.as_str()));
    }
    assert!(explain_cell(&s, "arn:aws:iam::111111111111:user/Nobody", &[], "s3:GetObject", "*", RunOptions::default()).is_none());
    // A user's cell as steps for `trustwalk simulate`.
    let via = [HOP.to_string(), PROD.to_string()];
    let steps = equivalent_steps(&s, ALICE, &via, "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[2].principal, format!("arn:aws:sts::222222222222:assumed-role/ProdReader/{SESSION_NAME}"));
    let mut run = s.clone();
    run.steps = steps;
    assert_eq!(scenario::run(&run, RunOptions::default()).steps[2].decision, Outcome::Allowed);
    assert!(equivalent_steps(&s, PROD, &[], "s3:GetObject", "arn:aws:s3:::prod-data/reports/…").is_none());
    // The JSON reads back (without the statements, which it leaves out).
    let back: AccessMap = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(back.len(), m.len());
    assert_eq!(back.to_cells()[0].principal, m.to_cells()[0].principal);
}

// ---- Agreement with `scenario::run` over generated scenarios ----

const ACCOUNTS: [&str; 2] = ["111111111111", "222222222222"];

fn user_arn(a: usize, i: usize) -> String {
    format!("arn:aws:iam::{}:user/u{i}", ACCOUNTS[a])
}
fn role_arn(a: usize, i: usize) -> String {
    format!("arn:aws:iam::{}:role/r{i}", ACCOUNTS[a])
}

fn arb_statement(roles: Vec<String>) -> impl Strategy<Value = Value> {
    let actions =
        prop::sample::select(vec!["s3:Get*", "s3:GetObject", "s3:PutObject", "s3:List*", "s3:*", "sts:AssumeRole", "*", "iam:Get*", "s3:Delete*"]);
    let mut resources = vec![
        "*".to_string(),
        "arn:aws:s3:::bkt0/*".into(),
        "arn:aws:s3:::bkt1".into(),
        "arn:aws:s3:::bkt0/reports/*".into(),
        "arn:aws:s3:::bkt*".into(),
        "arn:aws:iam::*:role/*".into(),
    ];
    resources.extend(roles);
    let resources = prop::sample::select(resources);
    let condition = prop_oneof![
        6 => Just(Value::Null),
        1 => Just(json!({ "Bool": { "aws:MultiFactorAuthPresent": "true" } })),
        1 => Just(json!({ "IpAddress": { "aws:SourceIp": "203.0.113.0/24" } })),
        1 => Just(json!({ "StringEquals": { "aws:PrincipalAccount": "111111111111" } })),
    ];
    (any::<bool>(), prop::bool::weighted(0.15), prop::collection::vec(actions, 1..3), resources, condition).prop_map(
        |(allow, not, actions, resource, condition)| {
            let mut s = json!({ "Effect": if allow { "Allow" } else { "Deny" }, "Resource": resource });
            s[if not { "NotAction" } else { "Action" }] = json!(actions);
            if !condition.is_null() {
                s["Condition"] = condition;
            }
            s
        },
    )
}

fn arb_policy(roles: Vec<String>) -> impl Strategy<Value = Value> {
    prop::collection::vec(arb_statement(roles), 1..4).prop_map(|s| policy(json!(s)))
}

fn arb_trust(callers: Vec<String>) -> impl Strategy<Value = Value> {
    let mut principals: Vec<String> = ACCOUNTS.iter().map(|a| format!("arn:aws:iam::{a}:root")).collect();
    principals.extend(callers);
    (prop::sample::select(principals), prop::bool::weighted(0.2)).prop_map(|(p, mfa)| {
        let mut s = json!({ "Effect": "Allow", "Principal": { "AWS": p }, "Action": "sts:AssumeRole" });
        if mfa {
            s["Condition"] = json!({ "Bool": { "aws:MultiFactorAuthPresent": "true" } });
        }
        policy(json!([s]))
    })
}

fn arb_bucket_policy() -> impl Strategy<Value = Option<Value>> {
    prop::option::weighted(
        0.4,
        (any::<bool>(), prop::sample::select(vec!["s3:GetObject", "s3:*", "s3:PutObject"]), prop::sample::select(ACCOUNTS.to_vec())).prop_map(
            |(allow, action, account)| {
                policy(json!([{ "Effect": if allow { "Allow" } else { "Deny" }, "Principal": { "AWS": format!("arn:aws:iam::{account}:root") },
                "Action": action, "Resource": ["arn:aws:s3:::bkt0/*", "arn:aws:s3:::bkt0"] }]))
            },
        ),
    )
}

/// Two accounts, one or two users and roles each (account 2 may have
/// none), buckets bkt0 (account 1) and bkt1 (account 2).
fn arb_scenario() -> impl Strategy<Value = Value> {
    (1usize..3, 0usize..3, 1usize..3, 0usize..2).prop_flat_map(|(users0, users1, roles0, roles1)| {
        let users: Vec<(usize, usize)> = (0..users0).map(|i| (0, i)).chain((0..users1).map(|i| (1, i))).collect();
        let roles: Vec<(usize, usize)> = (0..roles0).map(|i| (0, i)).chain((0..roles1).map(|i| (1, i))).collect();
        let role_arns: Vec<String> = roles.iter().map(|&(a, i)| role_arn(a, i)).collect();
        let callers: Vec<String> = users.iter().map(|&(a, i)| user_arn(a, i)).chain(role_arns.clone()).collect();
        let user_policies = prop::collection::vec(arb_policy(role_arns.clone()), users.len());
        let role_policies = prop::collection::vec(arb_policy(role_arns.clone()), roles.len());
        let trusts = prop::collection::vec(arb_trust(callers), roles.len());
        (Just(users), Just(roles), user_policies, role_policies, trusts, arb_bucket_policy(), prop::option::of(Just(json!("203.0.113.9")))).prop_map(
            |(users, roles, up, rp, tp, bucket_policy, source_ip)| {
                let mut accounts = vec![
                    json!({ "id": ACCOUNTS[0], "users": [], "roles": [], "buckets": [{ "name": "bkt0" }] }),
                    json!({ "id": ACCOUNTS[1], "users": [], "roles": [], "buckets": [{ "name": "bkt1" }] }),
                ];
                if let Some(p) = bucket_policy {
                    accounts[0]["buckets"][0]["policy"] = p;
                }
                for (&(a, i), p) in users.iter().zip(up) {
                    accounts[a]["users"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({ "name": format!("u{i}"), "policies": [{ "name": "p", "document": p }] }));
                }
                for ((&(a, i), p), t) in roles.iter().zip(rp).zip(tp) {
                    accounts[a]["roles"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({ "name": format!("r{i}"), "trustPolicy": t, "policies": [{ "name": "p", "document": p }] }));
                }
                let mut context = json!({ "aws:CurrentTime": "2026-01-15T12:00:00Z" });
                if let Some(ip) = source_ip {
                    context["aws:SourceIp"] = ip;
                }
                json!({ "format": "trustwalk/scenario@1", "context": context, "accounts": accounts,
                    "steps": [{ "principal": user_arn(0, 0), "action": "s3:GetObject", "resource": "arn:aws:s3:::bkt0/x" }] })
            },
        )
    })
}

fn session_of(role: &str) -> String {
    let (account, name) = role.trim_start_matches("arn:aws:iam::").split_once(":role/").unwrap();
    format!("arn:aws:sts::{account}:assumed-role/{name}/{SESSION_NAME}")
}

fn step(principal: &str, action: &str, resource: &str) -> Step {
    let assume = action == "sts:AssumeRole";
    Step {
        id: String::new(),
        principal: principal.to_string(),
        source: None,
        action: action.to_string(),
        resource: resource.to_string(),
        assume_role: assume
            .then(|| Box::new(AssumeRole { role_arn: resource.to_string(), session_name: SESSION_NAME.to_string(), ..Default::default() })),
        context: Vec::new(),
        expect: None,
        path: JsonPath::root(),
    }
}

/// The steps that make `cell`'s request: the AssumeRole steps of `via`
/// (from `origin`), then the call. `None` for a role's own cell no user
/// reaches (no steps can establish its session).
fn equivalent(cell: &Cell, reach: &std::collections::HashMap<String, Vec<String>>, users: &[String]) -> Option<Vec<Step>> {
    let (origin, mut via) = if users.contains(&cell.principal) {
        (cell.principal.clone(), cell.via.clone())
    } else {
        // A role's cell: reach the role from a user first.
        let path = reach.get(&cell.principal)?;
        let mut via = path[1..].to_vec();
        via.extend(cell.via.iter().cloned());
        (path[0].clone(), via)
    };
    let mut steps = Vec::new();
    let mut caller = origin;
    for role in via.drain(..) {
        steps.push(step(&caller, "sts:AssumeRole", &role));
        caller = session_of(&role);
    }
    steps.push(step(&caller, &cell.action, &cell.resource));
    Some(steps)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_cell_agrees_with_the_equivalent_steps(doc in arb_scenario()) {
        let s = load(&doc);
        let m = access_map(&s, catalogue(), &AccessOptions { all: true, ..Default::default() }).to_cells();
        let users: Vec<String> = s.accounts.iter().flat_map(|a| a.users.iter().map(|u| u.arn.clone())).collect();
        // For each role a user reaches: [user, roles…].
        let mut reach: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        for c in m.iter().filter(|c| users.contains(&c.principal) && !c.via.is_empty()) {
            let last = c.via.last().unwrap().clone();
            reach.entry(last).or_insert_with(|| std::iter::once(c.principal.clone()).chain(c.via.iter().cloned()).collect());
        }
        let mut checked = Vec::new();
        let mut steps = Vec::new();
        for (i, cell) in m.iter().enumerate() {
            if let Some(mut chain) = equivalent(cell, &reach, &users) {
                for (j, st) in chain.iter_mut().enumerate() {
                    st.id = format!("c{i}-{j}");
                }
                steps.extend(chain);
                checked.push((steps.len() - 1, cell));
            }
        }
        prop_assert!(!checked.is_empty());
        let mut run_scenario = s.clone();
        run_scenario.steps = steps;
        let result = scenario::run(&run_scenario, RunOptions::default());
        for (at, cell) in checked {
            let r = &result.steps[at];
            prop_assert_eq!(r.decision, cell.decision, "cell {:?}\nstep {:?}: {}", cell, r.id, r.summary);
        }
    }
}
