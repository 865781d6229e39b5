//! A map from text keys (editor paths, policy names) to values, in
//! insertion order.
//!
//! The playground keeps a handful of these, most with a few dozen entries;
//! a list searched in order is as fast as a tree at that size and keeps
//! each map type from adding its own copy of `BTreeMap`'s code to the web
//! app (about 7 KB gzipped for the five types it replaced). A map of
//! thousands of entries (the editors of a scenario with thousands of
//! policies) finds its keys through the core's `HashIndex`, whose code the
//! app already has.

use trustwalk_core::keys::{Compare, HashIndex};

/// Maps with more entries than this find keys by hash.
const INDEX_FROM: usize = 32;

/// Keys are unique; [`Keyed::insert`] replaces the value of a present key.
/// (Keys and values are kept apart so that the code finding keys is the
/// same for every value type: one copy of it in the web app.)
#[derive(Debug, Clone)]
pub struct Keyed<V> {
    keys: Vec<String>,
    values: Vec<V>,
    /// Positions of the keys, for large maps.
    index: Option<HashIndex>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Self { keys: Vec::new(), values: Vec::new(), index: None }
    }
}

/// Equal when they hold the same keys and values in the same order.
impl<V: PartialEq> PartialEq for Keyed<V> {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys && self.values == other.values
    }
}

impl<V: Eq> Eq for Keyed<V> {}

/// The position of `key` in `keys`.
fn find(keys: &[String], index: Option<&HashIndex>, key: &str) -> Option<usize> {
    match index {
        Some(index) => index.find(key, |i| keys.get(i).map(String::as_str)),
        None => keys.iter().position(|k| k == key),
    }
}

/// An index of `keys` and then `next`, when there are enough of them to
/// need one.
fn index_of(keys: &[String], next: Option<&str>) -> Option<HashIndex> {
    (keys.len() + usize::from(next.is_some()) > INDEX_FROM).then(|| {
        let mut index = HashIndex::new(Compare::Exact);
        for k in keys.iter().map(String::as_str).chain(next) {
            index.push(index.hash(k));
        }
        index
    })
}

/// Records `key`, about to be added as the last of `keys`.
fn record(keys: &[String], index: &mut Option<HashIndex>, key: &str) {
    match index {
        Some(index) => index.push(index.hash(key)),
        None => *index = index_of(keys, Some(key)),
    }
}

impl<V> Keyed<V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        find(&self.keys, self.index.as_ref(), key)
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).and_then(|i| self.values.get(i))
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.position(key).and_then(|i| self.values.get_mut(i))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        if let Some(old) = self.get_mut(&key) {
            return Some(std::mem::replace(old, value));
        }
        record(&self.keys, &mut self.index, &key);
        self.keys.push(key);
        self.values.push(value);
        None
    }

    /// Removes `key` (the index of a large map is rebuilt: removals are rare).
    pub fn remove(&mut self, key: &str) -> Option<V> {
        let i = self.position(key)?;
        self.keys.remove(i);
        let v = self.values.remove(i);
        if self.index.is_some() {
            self.index = index_of(&self.keys, None);
        }
        Some(v)
    }

    pub fn clear(&mut self) {
        self.keys.clear();
        self.values.clear();
        self.index = None;
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.keys.iter().map(String::as_str).zip(&self.values)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(String::as_str)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.values.iter()
    }
}

impl<V> FromIterator<(String, V)> for Keyed<V> {
    /// Later entries replace earlier ones with the same key.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V> IntoIterator for Keyed<V> {
    type Item = (String, V);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<String>, std::vec::IntoIter<V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.keys.into_iter().zip(self.values)
    }
}

/// Written as a JSON object, in order.
impl<V: serde::Serialize> serde::Serialize for Keyed<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// Read from a JSON object (a repeated key keeps its last value).
impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for Keyed<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<V> {
            type Value = Keyed<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = Keyed::new();
                while let Some((k, v)) = access.next_entry::<String, V>()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Keyed;

    #[test]
    fn behaves_like_a_map_in_insertion_order() {
        let mut m: Keyed<u32> = [("b".to_string(), 1), ("a".to_string(), 2), ("b".to_string(), 3)].into_iter().collect();
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("b"), Some(&3));
        assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(m.insert("a".into(), 4), Some(2));
        assert_eq!(m.insert("c".into(), 5), None);
        *m.get_mut("c").unwrap() += 1;
        assert_eq!(m.iter().collect::<Vec<_>>(), [("b", &3), ("a", &4), ("c", &6)]);
        assert_eq!(m.remove("a"), Some(4));
        assert_eq!(m.remove("a"), None);
        assert!(m.contains_key("c") && !m.contains_key("a"));
        assert_eq!(m.values().sum::<u32>(), 9);
        m.clear();
        assert!(m.is_empty());
    }

    #[test]
    fn large_maps_behave_like_small_ones() {
        let mut m: Keyed<usize> = (0..1000).map(|i| (format!("k{}", i % 700), i)).collect();
        assert_eq!(m.len(), 700);
        assert_eq!(m.get("k5"), Some(&705), "a later entry replaces the value");
        assert_eq!(m.keys().take(2).collect::<Vec<_>>(), ["k0", "k1"], "in first-insertion order");
        for i in (0..700).step_by(2) {
            assert!(m.remove(&format!("k{i}")).is_some());
        }
        assert_eq!(m.len(), 350);
        assert_eq!(m.get("k3"), Some(&703));
        assert!(!m.contains_key("k4"));
        assert_eq!(m.insert("k4".into(), 1), None);
        assert_eq!(m.keys().last(), Some("k4"));
        let small: Keyed<usize> = m.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(small, m);
        m.clear();
        assert!(m.get("k3").is_none() && m.is_empty());
    }

    #[test]
    fn reads_and_writes_a_json_object() {
        let m: Keyed<String> = serde_json::from_str(r#"{"z": "1", "a": "2", "z": "3"}"#).unwrap();
        assert_eq!(m.iter().collect::<Vec<_>>(), [("z", &"3".to_string()), ("a", &"2".to_string())]);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"z":"3","a":"2"}"#);
        assert!(serde_json::from_str::<Keyed<String>>("[1]").unwrap_err().to_string().contains("an object"));
    }
}
