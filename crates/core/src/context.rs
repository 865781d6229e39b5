//! The request context: condition keys and their values, looked up without
//! regard to case (iam-semantics §3.6, §7).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A context value: one string or a set of strings (multivalued keys such
/// as `aws:TagKeys`). Booleans and numbers are kept as their text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    pub fn values(&self) -> Vec<&str> {
        match self {
            ContextValue::Single(s) => vec![s.as_str()],
            ContextValue::Multi(v) => v.iter().map(String::as_str).collect(),
        }
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
        fn scalar(v: &serde_json::Value) -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        }
        match v {
            serde_json::Value::Array(a) => a.iter().map(scalar).collect::<Option<Vec<_>>>().map(ContextValue::Multi),
            other => scalar(other).map(ContextValue::Single),
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(s.to_string())
    }
}

impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(s)
    }
}

impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Single(b.to_string())
    }
}

/// Condition keys → values; keys compare without regard to case but keep
/// the spelling they were set with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    entries: BTreeMap<String, (String, ContextValue)>,
}

impl RequestContext {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, key: &str, value: impl Into<ContextValue>) {
        self.entries.insert(key.to_ascii_lowercase(), (key.to_string(), value.into()));
    }

    pub fn remove(&mut self, key: &str) {
        self.entries.remove(&key.to_ascii_lowercase());
    }

    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries.get(&key.to_ascii_lowercase()).map(|(_, v)| v)
    }

    pub fn get_single(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(ContextValue::single)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.entries.contains_key(&key.to_ascii_lowercase())
    }

    /// Keys in their original spelling with their values, sorted.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.values().map(|(k, v)| (k.as_str(), v))
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
