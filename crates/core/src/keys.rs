//! Finding keys again without searching lists: object members, tag keys,
//! condition keys and names are checked for duplicates and looked up by
//! hash, so that a document with many of them costs time in proportion to
//! its size, not to its square.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash, Hasher};

/// A key compared without regard to ASCII case, as IAM compares tag keys,
/// condition keys and entity names: `Caseless("Team") == Caseless("team")`,
/// with a hash that agrees.
#[derive(Debug, Clone, Copy)]
pub struct Caseless<'a>(pub &'a str);

impl PartialEq for Caseless<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Caseless<'_> {}

impl Hash for Caseless<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_caseless(self.0, state);
    }
}

/// Feeds `key` to `state` with ASCII letters in lower case, a few bytes at
/// a time (the same bytes give the same hash however they are split).
pub(crate) fn hash_caseless<H: Hasher>(key: &str, state: &mut H) {
    const CHUNK: usize = 32;
    let mut buf = [0u8; CHUNK];
    for chunk in key.as_bytes().chunks(CHUNK) {
        for (d, s) in buf.iter_mut().zip(chunk) {
            *d = s.to_ascii_lowercase();
        }
        state.write(buf.get(..chunk.len()).unwrap_or_default());
    }
    state.write_u8(0xff);
}

/// The caseless hash of `key` under `state`'s keys.
pub(crate) fn caseless_hash(state: &impl BuildHasher, key: &str) -> u64 {
    let mut h = state.build_hasher();
    hash_caseless(key, &mut h);
    h.finish()
}

/// Up to this many keys, a set is a list searched in order (cheaper than
/// hashing for the few members most objects have).
const FEW: usize = 16;

/// The keys seen so far, to tell the first occurrence of a key from its
/// repetitions. A list while small, a hash set beyond [`FEW`] keys.
#[derive(Debug, Clone)]
pub struct Seen<K> {
    few: Vec<K>,
    many: Option<HashSet<K>>,
}

impl<K> Default for Seen<K> {
    fn default() -> Self {
        Self { few: Vec::new(), many: None }
    }
}

impl<K: Hash + Eq + Copy> Seen<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key`; true when it was not seen before.
    pub fn insert(&mut self, key: K) -> bool {
        if let Some(set) = &mut self.many {
            return set.insert(key);
        }
        if self.few.contains(&key) {
            return false;
        }
        self.few.push(key);
        if self.few.len() > FEW {
            self.many = Some(self.few.drain(..).collect());
        }
        true
    }

    pub fn contains(&self, key: &K) -> bool {
        match &self.many {
            Some(set) => set.contains(key),
            None => self.few.contains(key),
        }
    }

    pub fn len(&self) -> usize {
        self.many.as_ref().map_or(self.few.len(), HashSet::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq + Copy> FromIterator<K> for Seen<K> {
    fn from_iter<I: IntoIterator<Item = K>>(iter: I) -> Self {
        let mut s = Seen::new();
        for k in iter {
            s.insert(k);
        }
        s
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::collections::hash_map::RandomState;

    #[test]
    fn caseless_keys_are_equal_and_hash_alike() {
        let s = RandomState::new();
        let long = "Aws:PrincipalTag/".repeat(5);
        assert_eq!(caseless_hash(&s, &long), caseless_hash(&s, &long.to_ascii_uppercase()));
        assert_ne!(caseless_hash(&s, "ab"), caseless_hash(&s, "abc"));
        assert_eq!(Caseless("Team"), Caseless("tEAM"));
        assert_ne!(Caseless("é"), Caseless("É"), "only ASCII letters fold, as `eq_ignore_ascii_case`");
    }

    #[test]
    fn seen_tells_repetitions_from_first_occurrences_small_and_large() {
        for n in [3usize, 100] {
            let keys: Vec<String> = (0..n).map(|i| format!("Key{i}")).collect();
            let mut seen = Seen::new();
            for k in &keys {
                assert!(seen.insert(Caseless(k)));
            }
            let upper: Vec<String> = keys.iter().map(|k| k.to_ascii_uppercase()).collect();
            for k in &upper {
                assert!(!seen.insert(Caseless(k)), "{k} is a repetition");
                assert!(seen.contains(&Caseless(k)));
            }
            assert!(!seen.contains(&Caseless("other")));
            assert_eq!(seen.len(), n);
        }
    }
}
