//! Addresses of values inside the scenario document.

use std::fmt;

/// One step of a path: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into the document, e.g. `accounts[1].roles[0].trustPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Ptr(pub Vec<Seg>);

impl Ptr {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        Self(v)
    }

    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        Self(v)
    }

    /// The same text as the core's `JsonPath` gives for this place, so
    /// that diagnostics can be matched to editors.
    pub fn to_json_path(&self) -> String {
        let mut p = trustwalk_core::JsonPath::root();
        for s in &self.0 {
            p = match s {
                Seg::Key(k) => p.key(k),
                Seg::Index(i) => p.index(*i),
            };
        }
        p.as_str().to_string()
    }

    pub fn get<'v>(&self, root: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        let mut cur = root;
        for s in &self.0 {
            cur = match s {
                Seg::Key(k) => cur.get(k.as_str())?,
                Seg::Index(i) => cur.get(*i)?,
            };
        }
        Some(cur)
    }

    /// The value at this path, creating objects for missing keys on the way.
    pub fn get_mut<'v>(&self, root: &'v mut serde_json::Value) -> Option<&'v mut serde_json::Value> {
        let mut cur = root;
        for s in &self.0 {
            cur = match s {
                Seg::Key(k) => {
                    let obj = cur.as_object_mut()?;
                    obj.entry(k.clone()).or_insert(serde_json::Value::Null)
                }
                Seg::Index(i) => cur.get_mut(*i)?,
            };
        }
        Some(cur)
    }

    pub fn parent(&self) -> Option<(Ptr, &Seg)> {
        let (last, rest) = self.0.split_last()?;
        Some((Ptr(rest.to_vec()), last))
    }
}

impl fmt::Display for Ptr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json_path())
    }
}
