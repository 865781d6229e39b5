//! The document's accounts, principals and resources by name and ARN, built
//! once per load or run: each step then finds its caller, role, bucket or
//! resource by hash instead of searching every account's lists (thousands
//! of steps over thousands of users cost steps + users, not their product).

use crate::keys::{Compare, HashIndex};
use crate::scenario::model::{Account, Bucket, Group, Resource, Role, User};

/// Positions (account, item) by a key of one or two strings; the first
/// position given a key wins. Not generic: one copy of its code.
struct Lookup<'s> {
    keys: Vec<(&'s str, &'s str)>,
    items: Vec<(usize, usize)>,
    index: HashIndex,
}

impl<'s> Lookup<'s> {
    fn new() -> Self {
        Lookup { keys: Vec::new(), items: Vec::new(), index: HashIndex::new(Compare::Exact) }
    }

    fn hash(&self, a: &str, b: &str) -> u64 {
        if a.is_empty() {
            return self.index.hash(b);
        }
        self.index.hash(a).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ self.index.hash(b)
    }

    fn position(&self, a: &str, b: &str, h: u64) -> Option<usize> {
        self.index.candidates(h).find(|&i| self.keys.get(i).is_some_and(|&(x, y)| x == a && y == b))
    }

    /// Adds `item` under (`a`, `b`) unless an earlier item has that key.
    fn add(&mut self, a: &'s str, b: &'s str, item: (usize, usize)) {
        let h = self.hash(a, b);
        if self.position(a, b, h).is_none() {
            self.keys.push((a, b));
            self.items.push(item);
            self.index.push(h);
        }
    }

    fn get(&self, a: &str, b: &str) -> Option<(usize, usize)> {
        self.position(a, b, self.hash(a, b)).and_then(|i| self.items.get(i).copied())
    }
}

/// Lookups over `accounts`, giving what a search of the lists in document
/// order would find first.
pub(crate) struct Directory<'s> {
    accounts: &'s [Account],
    /// Accounts by ID (the first with each ID).
    ids: Lookup<'s>,
    /// Users by ARN, in the first account with their account's ID.
    users: Lookup<'s>,
    /// Roles by (account ID, name), in the first account with that ID.
    roles_by_name: Lookup<'s>,
    /// Groups by (account ID, name), in the first account with that ID.
    groups: Lookup<'s>,
    /// Roles by ARN, in any account (the first that lists it).
    roles_by_arn: Lookup<'s>,
    buckets: Lookup<'s>,
    resources: Lookup<'s>,
}

impl<'s> Directory<'s> {
    pub(crate) fn new(accounts: &'s [Account]) -> Self {
        let mut d = Directory {
            accounts,
            ids: Lookup::new(),
            users: Lookup::new(),
            roles_by_name: Lookup::new(),
            groups: Lookup::new(),
            roles_by_arn: Lookup::new(),
            buckets: Lookup::new(),
            resources: Lookup::new(),
        };
        for (ai, a) in accounts.iter().enumerate() {
            if d.ids.get("", &a.id).is_none() {
                d.ids.add("", &a.id, (ai, 0));
                for (i, u) in a.users.iter().enumerate() {
                    d.users.add("", &u.arn, (ai, i));
                }
                for (i, r) in a.roles.iter().enumerate() {
                    d.roles_by_name.add(&a.id, &r.name, (ai, i));
                }
                for (i, g) in a.groups.iter().enumerate() {
                    d.groups.add(&a.id, &g.name, (ai, i));
                }
            }
            for (i, r) in a.roles.iter().enumerate() {
                d.roles_by_arn.add("", &r.arn, (ai, i));
            }
            for (i, b) in a.buckets.iter().enumerate() {
                d.buckets.add("", &b.name, (ai, i));
            }
            for (i, r) in a.resources.iter().enumerate() {
                d.resources.add("", &r.arn, (ai, i));
            }
        }
        d
    }

    fn account_at(&self, (a, _): (usize, usize)) -> Option<&'s Account> {
        self.accounts.get(a)
    }

    /// The first account with this ID.
    pub(crate) fn account(&self, id: &str) -> Option<&'s Account> {
        self.account_at(self.ids.get("", id)?)
    }

    /// The user with this ARN, in the first account with the ID its ARN
    /// names (a user's ARN holds its account's ID).
    pub(crate) fn user(&self, arn: &str) -> Option<&'s User> {
        let at = self.users.get("", arn)?;
        self.account_at(at)?.users.get(at.1)
    }

    /// The role named `name` (exactly) in the first account with ID `account`.
    pub(crate) fn role_named(&self, account: &str, name: &str) -> Option<&'s Role> {
        let at = self.roles_by_name.get(account, name)?;
        self.account_at(at)?.roles.get(at.1)
    }

    /// The group named `name` (exactly) in the first account with ID `account`.
    pub(crate) fn group(&self, account: &str, name: &str) -> Option<&'s Group> {
        let at = self.groups.get(account, name)?;
        self.account_at(at)?.groups.get(at.1)
    }

    /// The first role with this ARN and its account.
    pub(crate) fn role(&self, arn: &str) -> Option<(&'s Account, &'s Role)> {
        let at = self.roles_by_arn.get("", arn)?;
        let a = self.account_at(at)?;
        Some((a, a.roles.get(at.1)?))
    }

    /// The first bucket with this name and its account.
    pub(crate) fn bucket(&self, name: &str) -> Option<(&'s Account, &'s Bucket)> {
        let at = self.buckets.get("", name)?;
        let a = self.account_at(at)?;
        Some((a, a.buckets.get(at.1)?))
    }

    /// The first resource with this ARN and its account.
    pub(crate) fn resource(&self, arn: &str) -> Option<(&'s Account, &'s Resource)> {
        let at = self.resources.get("", arn)?;
        let a = self.account_at(at)?;
        Some((a, a.resources.get(at.1)?))
    }
}
