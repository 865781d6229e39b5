//! A small map from text keys (editor paths, policy names) to values, in
//! insertion order.
//!
//! The playground keeps a handful of these, each with at most a few dozen
//! entries; a list searched in order is as fast as a tree at that size and
//! keeps each map type from adding its own copy of `BTreeMap`'s code to the
//! web app (about 7 KB gzipped for the five types it replaced).

/// Keys are unique; [`Keyed::insert`] replaces the value of a present key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Self { entries: Vec::new() }
    }
}

impl<V> Keyed<V> {
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key)
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.get_mut(&key) {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.position(key).map(|i| self.entries.remove(i).1)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
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
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
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
    fn reads_and_writes_a_json_object() {
        let m: Keyed<String> = serde_json::from_str(r#"{"z": "1", "a": "2", "z": "3"}"#).unwrap();
        assert_eq!(m.iter().collect::<Vec<_>>(), [("z", &"3".to_string()), ("a", &"2".to_string())]);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"z":"3","a":"2"}"#);
        assert!(serde_json::from_str::<Keyed<String>>("[1]").unwrap_err().to_string().contains("an object"));
    }
}
