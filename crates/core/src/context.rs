//! The request context: condition keys and their values, looked up without
//! regard to case (docs/evaluation.md §3.6, §7).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::keys::{Compare, HashIndex};

/// A context value: one string or a set of strings (multivalued keys such
/// as `aws:TagKeys`). Booleans and numbers are kept as their text. Values
/// are shared (`Arc`), so traces can quote them without copying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    Single(Arc<str>),
    Multi(Arc<[Arc<str>]>),
}

impl ContextValue {
    /// A multivalued value from strings.
    pub fn multi<I: IntoIterator<Item = S>, S: AsRef<str>>(items: I) -> Self {
        ContextValue::Multi(items.into_iter().map(|s| Arc::from(s.as_ref())).collect())
    }

    /// The value(s) as a slice (one element for a single value).
    pub fn as_slice(&self) -> &[Arc<str>] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }

    pub fn values(&self) -> Vec<&str> {
        self.as_slice().iter().map(|s| &**s).collect()
    }

    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }

    pub fn single(&self) -> Option<&str> {
        match self {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }

    /// Converts a JSON scalar or array of scalars. `None` for `null`,
    /// objects and nested arrays.
    pub fn from_json(v: &serde_json::Value) -> Option<Self> {
        fn scalar(v: &serde_json::Value) -> Option<Arc<str>> {
            match v {
                serde_json::Value::String(s) => Some(Arc::from(s.as_str())),
                serde_json::Value::Bool(b) => Some(Arc::from(b.to_string())),
                serde_json::Value::Number(n) => Some(Arc::from(n.to_string())),
                _ => None,
            }
        }
        match v {
            serde_json::Value::Array(a) => a.iter().map(scalar).collect::<Option<Arc<[Arc<str>]>>>().map(ContextValue::Multi),
            other => scalar(other).map(ContextValue::Single),
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(Arc::from(s))
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(Arc::from(s))
    }
}

impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Single(Arc::from(if b { "true" } else { "false" }))
    }
}

/// Condition keys → values; keys compare without regard to case but keep
/// the spelling they were set with, and iterate in the order they were set.
///
/// A request usually has a few dozen keys: they are searched in order
/// (with `eq_ignore_ascii_case`, cheaper than hashing at that size). Past
/// [`INDEX_FROM`] keys (a document may give thousands) they are found
/// through a hash index of their lower-cased spelling, so that setting,
/// reading and removing a key costs the same however many there are.
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    /// In the order the keys were set; `None` where a key was removed
    /// (once the index exists; before, removed entries are taken out).
    entries: Vec<Option<(String, ContextValue)>>,
    live: usize,
    index: Option<HashIndex>,
}

/// Contexts with more keys than this get a hash index.
const INDEX_FROM: usize = 32;

/// The keys of a large context by their caseless hash.
fn build_index(entries: &[Option<(String, ContextValue)>]) -> HashIndex {
    let mut index = HashIndex::new(Compare::Caseless);
    for e in entries {
        match e {
            Some((k, _)) => index.push(index.hash(k)),
            None => index.push_none(),
        }
    }
    index
}

fn key_at(entries: &[Option<(String, ContextValue)>], i: usize) -> Option<&str> {
    entries.get(i).and_then(Option::as_ref).map(|(k, _)| k.as_str())
}

/// Equal when they hold the same keys (same spelling) with the same
/// values in the same order.
impl PartialEq for RequestContext {
    fn eq(&self, other: &Self) -> bool {
        self.live == other.live && self.iter().eq(other.iter())
    }
}

impl Eq for RequestContext {}

/// Serializes as a JSON object, keys in the order they were set.
impl Serialize for RequestContext {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty context with room for `keys` keys (a step's context holds
    /// about fifteen).
    pub fn with_capacity(keys: usize) -> Self {
        RequestContext { entries: Vec::with_capacity(keys), ..Self::default() }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.find(key, |i| key_at(&self.entries, i)),
            None => self.entries.iter().position(|e| matches!(e, Some((k, _)) if k.eq_ignore_ascii_case(key))),
        }
    }

    /// Sets a key; an existing key of any case is replaced (and takes the
    /// new spelling).
    pub fn set(&mut self, key: &str, value: impl Into<ContextValue>) {
        // One copy of the work whatever the value's type (smaller web app).
        self.set_value(key, value.into());
    }

    fn set_value(&mut self, key: &str, value: ContextValue) {
        // The key's hash, found once for the search and the insertion.
        let hash = self.index.as_ref().map(|index| index.hash(key));
        let found = match (&self.index, hash) {
            (Some(index), Some(h)) => index.find_hashed(key, h, |i| key_at(&self.entries, i)),
            _ => self.position(key),
        };
        match found {
            Some(i) => {
                if let Some(e) = self.entries.get_mut(i) {
                    *e = Some((key.to_string(), value));
                }
            }
            None => {
                self.entries.push(Some((key.to_string(), value)));
                self.live += 1;
                match (&mut self.index, hash) {
                    (Some(index), Some(h)) => index.push(h),
                    _ if self.entries.len() > INDEX_FROM => self.index = Some(build_index(&self.entries)),
                    _ => {}
                }
            }
        }
    }

    pub fn remove(&mut self, key: &str) {
        let Some(i) = self.position(key) else { return };
        self.live -= 1;
        if self.index.is_none() {
            self.entries.remove(i);
            return;
        }
        if let Some(e) = self.entries.get_mut(i) {
            *e = None;
        }
        // Once most entries are gone, drop them and index the rest again
        // (so each removal costs a constant amount on average).
        if self.entries.len() > 2 * self.live + INDEX_FROM {
            self.entries.retain(Option::is_some);
            self.index = Some(build_index(&self.entries));
        }
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        let found = match &self.index {
            Some(index) => index.find(key, |i| key_at(&self.entries, i)).and_then(|i| self.entries.get(i)),
            // Keys are unique without regard to case (`set` replaces), and
            // most are looked up as they were set: an exact search first is
            // cheaper.
            None => self
                .entries
                .iter()
                .find(|e| matches!(e, Some((k, _)) if k == key))
                .or_else(|| self.entries.iter().find(|e| matches!(e, Some((k, _)) if k.eq_ignore_ascii_case(key)))),
        };
        found.and_then(Option::as_ref).map(|(_, v)| v)
    }

    pub fn get_single(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(ContextValue::single)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Keys in their original spelling with their values, in the order
    /// they were first set (the scenario engine sets the principal's keys,
    /// then the resource's, the request's, the defaults, then the
    /// document's and the step's own).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().flatten().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case() {
        let mut c = RequestContext::new();
        c.set("aws:SourceIp", "1.2.3.4");
        assert_eq!(c.get_single("AWS:sourceip"), Some("1.2.3.4"));
        c.set("aws:PrincipalTag/Team", "a");
        assert!(c.contains("aws:principaltag/team"));
    }

    /// The same operations on a small and on a large (indexed) context give
    /// the same keys, values and order as a plain list would.
    #[test]
    fn large_contexts_behave_like_small_ones() {
        for n in [5usize, 40, 1000] {
            let mut c = RequestContext::new();
            let mut model: Vec<(String, String)> = Vec::new();
            let set = |c: &mut RequestContext, model: &mut Vec<(String, String)>, k: &str, v: &str| {
                c.set(k, v);
                match model.iter().position(|(m, _)| m.eq_ignore_ascii_case(k)) {
                    Some(i) => model[i] = (k.to_string(), v.to_string()),
                    None => model.push((k.to_string(), v.to_string())),
                }
            };
            for i in 0..n {
                set(&mut c, &mut model, &format!("x:Key{i}"), &format!("v{i}"));
            }
            // Replace every third key under another spelling, remove every
            // other key, then set some removed keys again (they go last).
            for i in (0..n).step_by(3) {
                set(&mut c, &mut model, &format!("X:KEY{i}"), "again");
            }
            for i in (0..n).step_by(2) {
                c.remove(&format!("x:key{i}"));
                model.retain(|(m, _)| !m.eq_ignore_ascii_case(&format!("x:key{i}")));
            }
            for i in (0..n).step_by(4) {
                set(&mut c, &mut model, &format!("x:key{i}"), "back");
            }
            c.remove("x:absent");
            assert_eq!(c.len(), model.len());
            let got: Vec<(String, String)> = c.iter().map(|(k, v)| (k.to_string(), v.single().unwrap().to_string())).collect();
            assert_eq!(got, model, "{n} keys");
            for (k, v) in &model {
                assert_eq!(c.get_single(&k.to_ascii_lowercase()), Some(v.as_str()), "{k}");
                assert!(c.contains(&k.to_ascii_uppercase()));
            }
            assert!(c.get("x:key1").is_some() == model.iter().any(|(m, _)| m.eq_ignore_ascii_case("x:key1")));
            let mut again = RequestContext::new();
            for (k, v) in &model {
                again.set(k, v.as_str());
            }
            assert_eq!(again, c, "equality ignores removed entries");
            assert_eq!(serde_json::to_string(&again).unwrap(), serde_json::to_string(&c).unwrap());
        }
    }

    #[test]
    fn removing_almost_everything_from_a_large_context_keeps_it_consistent() {
        let mut c = RequestContext::new();
        for i in 0..500 {
            c.set(&format!("k:{i}"), "v");
        }
        for i in 0..499 {
            c.remove(&format!("K:{i}"));
        }
        assert_eq!(c.len(), 1);
        assert_eq!(c.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["k:499"]);
        c.set("k:0", "w");
        assert_eq!(c.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["k:499", "k:0"]);
        assert_eq!(c.get_single("K:0"), Some("w"));
    }
}
