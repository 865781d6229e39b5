//! How the workspace is laid out on screen: one card per account, each
//! listing its users, groups, roles, buckets and other resources with
//! their policy editors, and its SCP and RCP levels apart. Every account
//! of the document gets a card, however many there are.

use serde_json::Value;
use trustwalk_core::arn::{build, Arn};

use crate::path::Ptr;
use crate::workspace::{PolicySlot, Workspace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
    Bucket,
    Resource,
}

impl EntityKind {
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
            EntityKind::Bucket => "bucket",
            EntityKind::Resource => "resource",
        }
    }
}

/// A user, group, role, bucket or resource with its policy editors.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    pub ptr: Ptr,
    /// Its ARN (a bucket's `arn:aws:s3:::NAME`).
    pub arn: String,
    /// Facts worth a line: group membership, a missing bucket policy, …
    pub notes: Vec<String>,
    pub slots: Vec<PolicySlot>,
}

/// The part an account plays in the scenario's cross-account calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountPart {
    /// Its principals call into another account.
    Trusted,
    /// It owns a role or resource that another account's principals use.
    Trusting,
    Both,
    /// No cross-account step involves it.
    Other,
}

impl AccountPart {
    pub fn label(self) -> &'static str {
        match self {
            AccountPart::Trusted => "trusted account: its principals call",
            AccountPart::Trusting => "trusting account: owns what is called",
            AccountPart::Both => "trusted and trusting",
            AccountPart::Other => "account",
        }
    }

    /// A short word for a badge.
    pub fn badge(self) -> &'static str {
        match self {
            AccountPart::Trusted => "trusted",
            AccountPart::Trusting => "trusting",
            AccountPart::Both => "trusted · trusting",
            AccountPart::Other => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountCard {
    pub index: usize,
    pub ptr: Ptr,
    pub id: String,
    pub name: String,
    /// The account's `orgId`, when it has one.
    pub org_id: Option<String>,
    pub part: AccountPart,
    pub entities: Vec<Entity>,
    /// SCP editors (every level), shown behind "more".
    pub scps: Vec<PolicySlot>,
    pub rcps: Vec<PolicySlot>,
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The account that owns what a step acts on: the role's account, or the
/// account listing the bucket or resource.
fn target_account(w: &Workspace, step: &Value) -> Option<String> {
    if let Some(role) = step.get("roleArn").and_then(Value::as_str) {
        return Arn::parse(role).ok().map(|a| a.account.to_string());
    }
    let resource = step.get("resource").and_then(Value::as_str)?;
    if let Some(bucket) = Arn::parse(resource).ok().and_then(|a| a.s3_bucket()) {
        return w
            .accounts()
            .iter()
            .find(|a| a.get("buckets").and_then(Value::as_array).into_iter().flatten().any(|b| str_of(b, "name") == bucket))
            .map(|a| str_of(a, "id").to_string());
    }
    w.accounts()
        .iter()
        .find(|a| a.get("resources").and_then(Value::as_array).into_iter().flatten().any(|r| str_of(r, "arn") == resource))
        .map(|a| str_of(a, "id").to_string())
        .or_else(|| Arn::parse(resource).ok().map(|a| a.account.to_string()).filter(|a| !a.is_empty()))
}

/// Which accounts call across and which are called into.
pub fn account_parts(w: &Workspace) -> Vec<AccountPart> {
    let mut calls = Vec::new();
    let mut called = Vec::new();
    for s in w.steps() {
        let principal_account = Arn::parse(str_of(s, "principal")).ok().map(|a| a.account.to_string());
        let target = target_account(w, s);
        if let (Some(p), Some(t)) = (principal_account, target) {
            if p != t {
                calls.push(p);
                called.push(t);
            }
        }
    }
    w.accounts()
        .iter()
        .map(|a| {
            let id = str_of(a, "id").to_string();
            match (calls.contains(&id), called.contains(&id)) {
                (true, true) => AccountPart::Both,
                (true, false) => AccountPart::Trusted,
                (false, true) => AccountPart::Trusting,
                (false, false) => AccountPart::Other,
            }
        })
        .collect()
}

fn starts_with(ptr: &Ptr, prefix: &Ptr) -> bool {
    ptr.0.starts_with(&prefix.0)
}

/// One card per account, in document order.
pub fn account_cards(w: &Workspace) -> Vec<AccountCard> {
    let slots = w.policy_slots();
    let parts = account_parts(w);
    let root = Ptr::root();
    let mut cards = Vec::new();
    for (ai, a) in w.accounts().iter().enumerate() {
        let ap = root.key("accounts").index(ai);
        let id = str_of(a, "id").to_string();
        let mut entities = Vec::new();
        for (collection, kind) in [
            ("users", EntityKind::User),
            ("groups", EntityKind::Group),
            ("roles", EntityKind::Role),
            ("buckets", EntityKind::Bucket),
            ("resources", EntityKind::Resource),
        ] {
            for (ei, e) in a.get(collection).and_then(Value::as_array).into_iter().flatten().enumerate() {
                let ptr = ap.key(collection).index(ei);
                let path = e.get("path").and_then(Value::as_str).unwrap_or("/");
                let name = match kind {
                    EntityKind::Resource => str_of(e, "arn").to_string(),
                    _ => str_of(e, "name").to_string(),
                };
                let arn = match kind {
                    EntityKind::User => build::user(&id, path, &name),
                    EntityKind::Group => build::group(&id, path, &name),
                    EntityKind::Role => build::role(&id, path, &name),
                    EntityKind::Bucket => build::s3(&name, None),
                    EntityKind::Resource => name.clone(),
                };
                let mut notes = Vec::new();
                let groups: Vec<&str> = e.get("groups").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
                if !groups.is_empty() {
                    notes.push(format!("member of {}", groups.join(", ")));
                }
                if kind == EntityKind::Bucket && e.get("policy").is_none() {
                    notes.push("no bucket policy".into());
                }
                let entity_slots: Vec<PolicySlot> = slots.iter().filter(|s| starts_with(&s.ptr, &ptr)).cloned().collect();
                if entity_slots.is_empty() && matches!(kind, EntityKind::User | EntityKind::Group | EntityKind::Role) {
                    notes.push("no policies".into());
                }
                entities.push(Entity { kind, name, ptr, arn, notes, slots: entity_slots });
            }
        }
        let level_slots = |key: &str| -> Vec<PolicySlot> {
            let p = ap.key(key);
            slots.iter().filter(|s| starts_with(&s.ptr, &p)).cloned().collect()
        };
        cards.push(AccountCard {
            index: ai,
            ptr: ap.clone(),
            id,
            name: str_of(a, "name").to_string(),
            org_id: a.get("orgId").map(crate::steps::value_text),
            part: parts.get(ai).copied().unwrap_or(AccountPart::Other),
            entities,
            scps: level_slots("scps"),
            rcps: level_slots("rcps"),
        });
    }
    cards
}

/// The session-policy editor of a step, when it has one.
pub fn session_policy_slot(w: &Workspace, step: usize) -> Option<PolicySlot> {
    let ptr = Ptr::root().key("steps").index(step).key("sessionPolicy");
    w.policy_slots().into_iter().find(|s| s.ptr == ptr)
}

/// Words that name an editor for people and screen readers:
/// "trust policy of role StageRole".
pub fn editor_label(slot: &PolicySlot) -> String {
    use trustwalk_core::policy::PolicyType;
    match slot.policy_type {
        PolicyType::Trust => format!("trust policy of {}", slot.owner),
        PolicyType::Resource => format!("{} of {}", slot.title, slot.owner),
        PolicyType::PermissionsBoundary => format!("permissions boundary of {} ({})", slot.owner, slot.title.trim_start_matches("boundary ")),
        PolicyType::Scp => format!("SCP {} at level {}", slot.title, slot.owner),
        PolicyType::Rcp => format!("RCP {} at level {}", slot.title, slot.owner),
        PolicyType::SessionPolicy => format!("session policy of {}", slot.owner),
        PolicyType::Identity => format!("policy {} of {}", slot.title, slot.owner),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_example_has_a_trusted_and_a_trusting_account() {
        let w = Workspace::example();
        let cards = account_cards(&w);
        assert_eq!(cards.len(), 2);
        assert_eq!((cards[0].name.as_str(), cards[0].part), ("staging", AccountPart::Trusted));
        assert_eq!((cards[1].name.as_str(), cards[1].part), ("production", AccountPart::Trusting));
        let user = &cards[0].entities[0];
        assert_eq!((user.kind, user.arn.as_str()), (EntityKind::User, "arn:aws:iam::111111111111:user/StageAdmin"));
        assert_eq!(user.slots.len(), 1);
        let kinds: Vec<_> = cards[1].entities.iter().map(|e| (e.kind, e.slots.len())).collect();
        assert_eq!(kinds, vec![(EntityKind::Role, 2), (EntityKind::Bucket, 1)]);
        assert_eq!(editor_label(&cards[1].entities[0].slots[0]), "trust policy of StageRole");
    }

    #[test]
    fn every_account_gets_a_card_with_its_scps_and_groups() {
        let text = include_str!("../../../tests/scenarios/scp-levels.json");
        let w = Workspace::from_text(text).unwrap();
        let cards = account_cards(&w);
        assert_eq!(cards.len(), w.accounts().len());
        assert!(cards.iter().any(|c| !c.scps.is_empty()));
        let groups = Workspace::from_text(include_str!("../../../tests/scenarios/user-group-policies.json")).unwrap();
        let cards = account_cards(&groups);
        let carol = cards[0].entities.iter().find(|e| e.name == "Carol").unwrap();
        assert!(carol.notes.iter().any(|n| n.contains("member of Readers")), "{:?}", carol.notes);
    }
}
