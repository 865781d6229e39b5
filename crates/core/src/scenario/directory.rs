//! The document's accounts, principals and resources by name and ARN, built
//! once per load or run: each step then finds its caller, role, bucket or
//! resource by hash instead of searching every account's lists (thousands
//! of steps over thousands of users cost steps + users, not their product).

use std::collections::HashMap;

use crate::scenario::model::{Account, Bucket, Group, Resource, Role, User};

/// Lookups over `accounts`, giving what a search of the lists in document
/// order would find first.
pub(crate) struct Directory<'s> {
    accounts: HashMap<&'s str, &'s Account>,
    /// Users by ARN, in the first account with their account's ID.
    users: HashMap<&'s str, &'s User>,
    /// Roles by (account ID, name), in the first account with that ID.
    roles_by_name: HashMap<(&'s str, &'s str), &'s Role>,
    /// Groups by (account ID, name), in the first account with that ID.
    groups: HashMap<(&'s str, &'s str), &'s Group>,
    /// Roles by ARN, in any account (the first that lists it).
    roles_by_arn: HashMap<&'s str, (&'s Account, &'s Role)>,
    buckets: HashMap<&'s str, (&'s Account, &'s Bucket)>,
    resources: HashMap<&'s str, (&'s Account, &'s Resource)>,
}

impl<'s> Directory<'s> {
    pub(crate) fn new(accounts: &'s [Account]) -> Self {
        let mut d = Directory {
            accounts: HashMap::new(),
            users: HashMap::new(),
            roles_by_name: HashMap::new(),
            groups: HashMap::new(),
            roles_by_arn: HashMap::new(),
            buckets: HashMap::new(),
            resources: HashMap::new(),
        };
        for a in accounts {
            let first_with_id = !d.accounts.contains_key(a.id.as_str());
            if first_with_id {
                d.accounts.insert(&a.id, a);
                for u in &a.users {
                    d.users.entry(&u.arn).or_insert(u);
                }
                for r in &a.roles {
                    d.roles_by_name.entry((&a.id, &r.name)).or_insert(r);
                }
                for g in &a.groups {
                    d.groups.entry((&a.id, &g.name)).or_insert(g);
                }
            }
            for r in &a.roles {
                d.roles_by_arn.entry(&r.arn).or_insert((a, r));
            }
            for b in &a.buckets {
                d.buckets.entry(&b.name).or_insert((a, b));
            }
            for r in &a.resources {
                d.resources.entry(&r.arn).or_insert((a, r));
            }
        }
        d
    }

    /// The first account with this ID.
    pub(crate) fn account(&self, id: &str) -> Option<&'s Account> {
        self.accounts.get(id).copied()
    }

    /// The user with this ARN, in the first account with the ID its ARN
    /// names (a user's ARN holds its account's ID).
    pub(crate) fn user(&self, arn: &str) -> Option<&'s User> {
        self.users.get(arn).copied()
    }

    /// The role named `name` (exactly) in the first account with ID `account`.
    pub(crate) fn role_named(&self, account: &str, name: &str) -> Option<&'s Role> {
        self.roles_by_name.get(&(account, name)).copied()
    }

    /// The group named `name` (exactly) in the first account with ID `account`.
    pub(crate) fn group(&self, account: &str, name: &str) -> Option<&'s Group> {
        self.groups.get(&(account, name)).copied()
    }

    /// The first role with this ARN and its account.
    pub(crate) fn role(&self, arn: &str) -> Option<(&'s Account, &'s Role)> {
        self.roles_by_arn.get(arn).copied()
    }

    /// The first bucket with this name and its account.
    pub(crate) fn bucket(&self, name: &str) -> Option<(&'s Account, &'s Bucket)> {
        self.buckets.get(name).copied()
    }

    /// The first resource with this ARN and its account.
    pub(crate) fn resource(&self, arn: &str) -> Option<(&'s Account, &'s Resource)> {
        self.resources.get(arn).copied()
    }
}
