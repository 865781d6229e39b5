//! Finding keys again without searching lists: object members, tag keys,
//! condition keys, names and ARNs are checked for duplicates and looked up
//! by hash, so that a document with many of them costs time in proportion
//! to its size, not to its square.
//!
//! Every index is a [`HashIndex`]: positions in a list the caller keeps,
//! found by hash. One hash table type for all of them keeps a single copy
//! of its code in the web app.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// How keys compare: exactly, or without regard to ASCII case (as IAM
/// compares tag keys, condition keys and entity names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compare {
    #[default]
    Exact,
    Caseless,
}

impl Compare {
    pub fn eq(self, a: &str, b: &str) -> bool {
        match self {
            Compare::Exact => a == b,
            Compare::Caseless => a.eq_ignore_ascii_case(b),
        }
    }
}

/// Positions 0, 1, 2… of a list of distinct keys, found by the hash of
/// their key (SipHash with this index's random keys, of the key's bytes,
/// ASCII letters folded for [`Compare::Caseless`]). The list and its keys
/// stay with the caller, which tells a true match from a hash collision.
///
/// A small open-addressing table of positions (linear probing, at most
/// half full) rather than a `HashMap`: its code is a few hundred bytes of
/// the web app, shared by every index.
#[derive(Debug, Clone, Default)]
pub struct HashIndex {
    compare: Compare,
    state: RandomState,
    /// The hash of each position's key; `None` for a position without one.
    hashes: Vec<Option<u64>>,
    /// Position + 1 in each slot, 0 for an empty slot; a power of two long.
    slots: Vec<usize>,
}

impl HashIndex {
    pub fn new(compare: Compare) -> Self {
        Self { compare, ..Self::default() }
    }

    /// The hash of `key` (as this index compares keys).
    pub fn hash(&self, key: &str) -> u64 {
        const CHUNK: usize = 64;
        let mut h = self.state.build_hasher();
        h.write_usize(key.len());
        match self.compare {
            Compare::Exact => h.write(key.as_bytes()),
            Compare::Caseless => {
                let mut buf = [0u8; CHUNK];
                for chunk in key.as_bytes().chunks(CHUNK) {
                    for (d, s) in buf.iter_mut().zip(chunk) {
                        *d = s.to_ascii_lowercase();
                    }
                    h.write(buf.get(..chunk.len()).unwrap_or_default());
                }
            }
        }
        h.finish()
    }

    fn mask(&self) -> usize {
        self.slots.len().wrapping_sub(1)
    }

    /// Puts position `i` (of hash `h`) in the first free slot from `h`'s.
    fn place(&mut self, h: u64, i: usize) {
        let mask = self.mask();
        // Truncating the hash to the table's size is the point.
        let mut s = (h as usize) & mask;
        while let Some(slot) = self.slots.get_mut(s) {
            if *slot == 0 {
                *slot = i + 1;
                return;
            }
            s = (s + 1) & mask;
        }
    }

    /// Records the next position (`len()`), whose key has hash `h`.
    pub fn push(&mut self, h: u64) {
        let i = self.hashes.len();
        self.hashes.push(Some(h));
        if 2 * (i + 1) > self.slots.len() {
            // Grow to keep the table at most half full: place every key again.
            self.slots = vec![0; (4 * (i + 1)).next_power_of_two()];
            for j in 0..self.hashes.len() {
                if let Some(hj) = self.hashes.get(j).copied().flatten() {
                    self.place(hj, j);
                }
            }
        } else {
            self.place(h, i);
        }
    }

    /// Records the next position as holding no key.
    pub fn push_none(&mut self) {
        self.hashes.push(None);
    }

    /// How many positions are recorded.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The positions recorded with hash `h`, in no particular order (a
    /// superset of those whose key matches).
    pub fn candidates(&self, h: u64) -> Candidates<'_> {
        Candidates { index: self, h, slot: (h as usize) & self.mask() }
    }

    /// The position whose key (as `key_at` gives it; `None` for a position
    /// without one) matches `key`.
    pub fn find<'k>(&self, key: &str, key_at: impl Fn(usize) -> Option<&'k str>) -> Option<usize> {
        self.find_hashed(key, self.hash(key), key_at)
    }

    /// [`HashIndex::find`] with the key's hash already known.
    pub fn find_hashed<'k>(&self, key: &str, h: u64, key_at: impl Fn(usize) -> Option<&'k str>) -> Option<usize> {
        let compare = self.compare;
        self.candidates(h).find(|&i| key_at(i).is_some_and(|k| compare.eq(k, key)))
    }
}

/// See [`HashIndex::candidates`].
pub struct Candidates<'a> {
    index: &'a HashIndex,
    h: u64,
    slot: usize,
}

impl Iterator for Candidates<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            // An empty slot (or an empty table) ends the probe sequence.
            let i = self.index.slots.get(self.slot).copied().filter(|&p| p != 0)? - 1;
            self.slot = (self.slot + 1) & self.index.mask();
            if self.index.hashes.get(i).copied().flatten() == Some(self.h) {
                return Some(i);
            }
        }
    }
}

/// Up to this many keys, a set is a list searched in order (cheaper than
/// hashing for the few members most objects have).
const FEW: usize = 16;

/// The keys seen so far, to tell the first occurrence of a key from its
/// repetitions. A list while small, indexed by hash beyond [`FEW`] keys.
#[derive(Debug, Clone)]
pub struct Seen<'a> {
    compare: Compare,
    keys: Vec<&'a str>,
    index: Option<HashIndex>,
}

impl<'a> Seen<'a> {
    /// Keys compared exactly (object members, Sids, names).
    pub fn exact() -> Self {
        Self { compare: Compare::Exact, keys: Vec::new(), index: None }
    }

    /// Keys compared without regard to ASCII case (tag and condition keys).
    pub fn caseless() -> Self {
        Self { compare: Compare::Caseless, ..Self::exact() }
    }

    /// A caseless set of `keys`.
    pub fn caseless_of(keys: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = Self::caseless();
        for k in keys {
            s.insert(k);
        }
        s
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.find(key, |i| self.keys.get(i).copied()),
            None => self.keys.iter().position(|k| self.compare.eq(k, key)),
        }
    }

    /// Adds `key`; true when it was not seen before.
    pub fn insert(&mut self, key: &'a str) -> bool {
        let hash = self.index.as_ref().map(|index| index.hash(key));
        let seen = match (&self.index, hash) {
            (Some(index), Some(h)) => index.find_hashed(key, h, |i| self.keys.get(i).copied()).is_some(),
            _ => self.position(key).is_some(),
        };
        if seen {
            return false;
        }
        self.keys.push(key);
        match (&mut self.index, hash) {
            (Some(index), Some(h)) => index.push(h),
            _ if self.keys.len() > FEW => {
                let mut index = HashIndex::new(self.compare);
                for k in &self.keys {
                    index.push(index.hash(k));
                }
                self.index = Some(index);
            }
            _ => {}
        }
        true
    }

    pub fn contains(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn caseless_hashes_agree_for_keys_equal_without_regard_to_case() {
        let index = HashIndex::new(Compare::Caseless);
        let long = "Aws:PrincipalTag/".repeat(9);
        assert_eq!(index.hash(&long), index.hash(&long.to_ascii_uppercase()));
        assert_ne!(index.hash("ab"), index.hash("abc"));
        let exact = HashIndex::new(Compare::Exact);
        assert_ne!(exact.hash("Team"), exact.hash("team"));
        assert!(Compare::Caseless.eq("Team", "tEAM") && !Compare::Caseless.eq("é", "É"), "only ASCII letters fold");
    }

    #[test]
    fn an_index_finds_positions_despite_collisions_and_growth() {
        let keys: Vec<String> = (0..1000).map(|i| format!("key{i}")).collect();
        let key_at = |i: usize| keys.get(i).map(String::as_str);
        let mut index = HashIndex::new(Compare::Exact);
        for k in &keys {
            index.push(index.hash(k));
        }
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.find(k, key_at), Some(i));
        }
        assert_eq!(index.find("other", key_at), None);
        // As if every hash collided: the keys still tell the positions apart.
        let mut colliding = HashIndex::new(Compare::Exact);
        keys.iter().take(40).for_each(|_| colliding.push(7));
        colliding.push_none();
        let mut all: Vec<usize> = colliding.candidates(7).collect();
        all.sort_unstable();
        assert_eq!(all, (0..40).collect::<Vec<_>>());
        assert_eq!(colliding.find_hashed("key17", 7, key_at), Some(17));
        assert_eq!(colliding.find_hashed("key40", 7, key_at), None, "position 40 holds no key");
        assert_eq!(HashIndex::new(Compare::Exact).candidates(7).count(), 0, "an empty index");
    }

    #[test]
    fn seen_tells_repetitions_from_first_occurrences_small_and_large() {
        for n in [3usize, 100] {
            let keys: Vec<String> = (0..n).map(|i| format!("Key{i}")).collect();
            let upper: Vec<String> = keys.iter().map(|k| k.to_ascii_uppercase()).collect();
            let mut seen = Seen::caseless();
            let mut exact = Seen::exact();
            for k in &keys {
                assert!(seen.insert(k) && exact.insert(k));
            }
            for k in &upper {
                assert!(!seen.insert(k), "{k} is a repetition");
                assert!(seen.contains(k));
                assert!(exact.insert(k), "{k} is another key when compared exactly");
            }
            assert!(!seen.contains("other"));
            assert_eq!((seen.len(), exact.len()), (n, 2 * n));
        }
    }
}
