//! The request context: condition keys and their values, looked up without
//! regard to case (iam-semantics §3.6, §7).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

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
/// the spelling they were set with. A request has a few dozen keys at most,
/// so a vector searched with `eq_ignore_ascii_case` beats a map whose
/// lookups would have to allocate a lower-cased key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: Vec<(String, ContextValue)>,
}

/// Serializes as a JSON object, keys in the order they were set.
impl Serialize for RequestContext {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.entries.iter().map(|(k, v)| (k, v)))
    }
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k.eq_ignore_ascii_case(key))
    }

    /// Sets a key; an existing key of any case is replaced (and takes the
    /// new spelling).
    pub fn set(&mut self, key: &str, value: impl Into<ContextValue>) {
        let value = value.into();
        match self.position(key) {
            Some(i) => {
                if let Some(e) = self.entries.get_mut(i) {
                    *e = (key.to_string(), value);
                }
            }
            None => self.entries.push((key.to_string(), value)),
        }
    }

    pub fn remove(&mut self, key: &str) {
        if let Some(i) = self.position(key) {
            self.entries.remove(i);
        }
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        // Keys are unique without regard to case (`set` replaces), and most
        // are looked up as they were set: an exact search first is cheaper.
        let exact = self.entries.iter().find(|(k, _)| k == key);
        exact.or_else(|| self.entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))).map(|(_, v)| v)
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
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
}
