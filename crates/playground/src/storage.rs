//! Saved work: several named scenarios kept in the browser's local storage
//! as one JSON value, shared by every tab of the playground.
//!
//! Three rules keep it from losing anything:
//! - **Same limit on write as on read.** A scenario is stored as compact
//!   JSON and only when it is within [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES), the limit it is
//!   read back with; a larger one is refused with a message and the rest is
//!   kept.
//! - **Tabs merge, per scenario.** Each tab remembers what the store held
//!   when it last read or wrote it (`seen`) and merges another tab's write
//!   three ways: a scenario changed in one tab only takes that change, one
//!   added anywhere is kept, and one deleted in a tab goes only if no other
//!   tab changed it since. No tab's scenario is ever deleted by another.
//! - **Nothing is set aside that is fine, and nothing set aside is
//!   overwritten.** A store that cannot be read at all, or a single
//!   scenario in it that cannot, is kept under a dated key of its own
//!   ([`SET_ASIDE_PREFIX`]); the rest goes on being used.

use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;
use crate::Keyed;

/// The local-storage key of the saved work.
pub const STORAGE_KEY: &str = "trustwalk.saved.v1";
/// The largest saved work read back: more than any browser lets a page
/// keep in local storage (5 to 10 MB).
pub const MAX_STORAGE_BYTES: usize = 64 * 1024 * 1024;
/// Where earlier versions moved damaged saved data (one slot, overwritten
/// each time). Still listed with the set-aside copies.
pub const LEGACY_CORRUPT_KEY: &str = "trustwalk.saved.corrupt";
/// Set-aside copies are kept under this prefix and a date:
/// `trustwalk.setaside.2026-12-01T05:04:39Z` (`…Z.2`, `…Z.3` when taken).
pub const SET_ASIDE_PREFIX: &str = "trustwalk.setaside.";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedWork {
    /// The name of the scenario being edited.
    pub current: String,
    /// Name → scenario document text (compact JSON).
    pub scenarios: Keyed<String>,
    /// Selected step of the current scenario.
    #[serde(default)]
    pub selected_step: usize,
    /// What the store held when this tab last read or wrote it: the base
    /// of the three-way merge with other tabs' writes.
    #[serde(skip)]
    seen: Keyed<String>,
}

impl PartialEq for SavedWork {
    fn eq(&self, other: &Self) -> bool {
        self.current == other.current && self.scenarios == other.scenarios && self.selected_step == other.selected_step
    }
}

/// A copy of saved data that could not be used, kept so that it can be
/// exported or deleted by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetAside {
    /// When it was set aside (ISO 8601, UTC).
    pub at: String,
    /// Why, in plain words.
    pub reason: String,
    /// The saved scenario's name, when one scenario was set aside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The text exactly as it was stored.
    pub text: String,
}

impl SetAside {
    pub fn new(now_epoch_seconds: i64, reason: impl Into<String>, name: Option<String>, text: impl Into<String>) -> Self {
        Self { at: trustwalk_core::time::format_iso8601(now_epoch_seconds), reason: reason.into(), name, text: text.into() }
    }

    /// The value stored under a [`set_aside_key`].
    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a stored copy; a value that is not one (the legacy slot held
    /// the raw text) is shown as it is.
    pub fn from_storage(key: &str, value: &str) -> Self {
        if let Ok(v) = crate::parse_value_with_limit(value, MAX_STORAGE_BYTES) {
            if let Ok(s) = serde_json::from_value::<SetAside>(v) {
                return s;
            }
        }
        let at = key.strip_prefix(SET_ASIDE_PREFIX).unwrap_or("unknown date").to_string();
        Self { at, reason: "damaged saved work set aside by an earlier version".into(), name: None, text: value.to_string() }
    }

    /// A file name for downloading the copy.
    pub fn file_name(&self) -> String {
        let stamp: String = self.at.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        format!("trustwalk-set-aside-{stamp}.json")
    }
}

/// A key for a new set-aside copy that `taken` does not hold yet: copies
/// are never overwritten.
pub fn set_aside_key(copy: &SetAside, taken: impl Fn(&str) -> bool) -> String {
    let base = format!("{SET_ASIDE_PREFIX}{}", copy.at);
    if !taken(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}.{n}")).find(|k| !taken(k)).unwrap_or(base)
}

/// What a merge with another tab's write changed here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Another tab changed the scenario being edited here, which had no
    /// change of its own: the text to show now.
    pub reload: Option<String>,
    /// Scenarios both tabs changed: the other tab's text was kept beside
    /// this tab's, under these names.
    pub kept_both: Vec<String>,
}
/// What [`SavedWork::prepare_write`] asks the caller to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Write {
    /// The text to store under [`STORAGE_KEY`].
    pub text: String,
    /// Messages for the user (a scenario too large to save).
    pub messages: Vec<String>,
    /// A store another tab left unreadable: keep it under a
    /// [`set_aside_key`] before writing over it.
    pub set_aside: Option<SetAside>,
    /// What the merge with the store changed here.
    pub merged: Merged,
}

impl SavedWork {
    /// A fresh store holding the workspace under `name`. A workspace over
    /// the size limit is held all the same (it is only ever refused when
    /// written).
    pub fn new(name: &str, w: &Workspace) -> Self {
        let mut scenarios = Keyed::new();
        scenarios.insert(name.to_string(), w.to_compact_text());
        Self { current: name.to_string(), scenarios, selected_step: w.selected_step, seen: Keyed::new() }
    }

    /// Reads stored text. `Err` says what is wrong; the caller sets the
    /// text aside and starts afresh. Scenarios are not read here (see
    /// [`SavedWork::take_unreadable`]).
    pub fn from_storage(text: &str) -> Result<Self, String> {
        let damaged = |e: &dyn std::fmt::Display| format!("the saved work in this browser is damaged ({e}); it was set aside");
        // Several saved scenarios may well exceed the 1 MB the core's parser
        // accepts by default: the limit here is the browser's own quota.
        let value = crate::parse_value_with_limit(text, MAX_STORAGE_BYTES).map_err(|e| damaged(&e))?;
        let mut s: SavedWork = serde_json::from_value(value).map_err(|e| damaged(&e))?;
        if !s.scenarios.contains_key(&s.current) {
            // The pointer is wrong, not the scenarios: keep them all.
            s.current = s.scenarios.keys().next().map(str::to_string).ok_or("the saved work in this browser holds no scenario")?;
            s.selected_step = 0;
        }
        s.seen = s.scenarios.clone();
        Ok(s)
    }

    /// Compact JSON of the whole store.
    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Removes every scenario that cannot be opened and returns them as
    /// set-aside copies; the others stay. When the current one goes, the
    /// first remaining becomes current; `false` when none remains.
    pub fn take_unreadable(&mut self, now_epoch_seconds: i64) -> (Vec<SetAside>, bool) {
        let bad: Vec<(String, String, String)> = self
            .scenarios
            .iter()
            .filter_map(|(name, text)| {
                Workspace::from_text(text).err().map(|e| {
                    let why = e.first().map(|d| d.render()).unwrap_or_default();
                    (name.to_string(), text.clone(), why)
                })
            })
            .collect();
        let mut copies = Vec::new();
        for (name, text, why) in bad {
            self.scenarios.remove(&name);
            let reason = format!("the saved scenario “{name}” could not be read: {why}");
            copies.push(SetAside::new(now_epoch_seconds, reason, Some(name), text));
        }
        if !self.scenarios.contains_key(&self.current) {
            match self.scenarios.keys().next() {
                Some(first) => {
                    self.current = first.to_string();
                    self.selected_step = 0;
                }
                None => return (copies, false),
            }
        }
        (copies, true)
    }

    /// The current scenario as a workspace.
    pub fn current_workspace(&self) -> Result<Workspace, String> {
        let text = self.scenarios.get(&self.current).ok_or("no current scenario")?;
        let mut w = Workspace::from_text(text)
            .map_err(|e| format!("the saved scenario “{}” could not be read: {}", self.current, e.first().map(|d| d.render()).unwrap_or_default()))?;
        w.select_step(self.selected_step);
        Ok(w)
    }

    /// Stores the workspace as the current scenario. A scenario over
    /// [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES) is refused with a message, and its last
    /// saved text stays.
    pub fn save_current(&mut self, w: &Workspace) -> Result<(), String> {
        self.save_current_text(w.to_compact_text(), w.selected_step)
    }

    /// [`SavedWork::save_current`] for a workspace already serialized.
    fn save_current_text(&mut self, text: String, selected_step: usize) -> Result<(), String> {
        Workspace::check_size(&text).map_err(|e| format!("{e}, so it is not saved in this browser: export it to keep it"))?;
        self.scenarios.insert(self.current.clone(), text);
        self.selected_step = selected_step;
        Ok(())
    }

    /// Switches to `name` after saving `w` as the current one (refused,
    /// when `w` cannot be saved, so that nothing is lost).
    pub fn switch(&mut self, w: &Workspace, name: &str) -> Result<Workspace, String> {
        if !self.scenarios.contains_key(name) {
            return Err(format!("no saved scenario named “{name}”"));
        }
        self.save_current(w)?;
        let target = self.current_workspace_named(name)?;
        self.current = name.to_string();
        self.selected_step = 0;
        Ok(target)
    }

    fn current_workspace_named(&self, name: &str) -> Result<Workspace, String> {
        let text = self.scenarios.get(name).ok_or_else(|| format!("no saved scenario named “{name}”"))?;
        Workspace::from_text(text)
            .map_err(|e| format!("the saved scenario “{name}” could not be read: {}", e.first().map(|d| d.render()).unwrap_or_default()))
    }

    /// A name not in use: `base`, or `base (2)`, `base (3)`…
    pub fn unique_name(&self, base: &str) -> String {
        let base = if base.trim().is_empty() { "untitled" } else { base.trim() };
        let mut unique = base.to_string();
        let mut n = 2;
        while self.scenarios.contains_key(&unique) {
            unique = format!("{base} ({n})");
            n += 1;
        }
        unique
    }

    /// Saves `w` under a new name and makes it current; a name in use gets
    /// a number (`name (2)`).
    pub fn save_as(&mut self, w: &Workspace, name: &str) -> Result<String, String> {
        let text = w.to_compact_text();
        Workspace::check_size(&text).map_err(|e| format!("{e}, so it cannot be saved in this browser: export it to keep it"))?;
        let unique = self.unique_name(name);
        self.scenarios.insert(unique.clone(), text);
        self.current = unique.clone();
        self.selected_step = w.selected_step;
        Ok(unique)
    }

    /// Deletes a scenario other than the current one.
    pub fn delete(&mut self, name: &str) -> Result<(), String> {
        if name == self.current {
            return Err("the scenario being edited cannot be deleted; switch to another first".into());
        }
        self.scenarios.remove(name).map(|_| ()).ok_or_else(|| format!("no saved scenario named “{name}”"))
    }

    /// The saved scenarios' names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.scenarios.keys().map(str::to_string).collect();
        names.sort_unstable();
        names
    }

    /// Merges what another tab (or this one) wrote to the store into this
    /// tab's copy, per scenario, three ways against what this tab saw last:
    ///
    /// | here since `seen` | there | result |
    /// |---|---|---|
    /// | unchanged | changed or added | theirs |
    /// | unchanged | deleted | deleted, unless it is being edited here |
    /// | changed or added | unchanged or deleted | ours (written with the next save) |
    /// | changed | changed | both: theirs is kept as `name (from another tab)` |
    /// | deleted | unchanged | deleted |
    /// | deleted | changed | theirs: a change outlives a delete |
    ///
    /// `live` is the compact text being edited here: the current scenario
    /// counts as changed here when it differs from its saved text.
    pub fn merge(&mut self, theirs: &SavedWork, live: &str) -> Merged {
        let mut out = Keyed::new();
        let mut merged = Merged::default();
        let mut conflicts = Vec::new();
        for (name, mine) in self.scenarios.iter() {
            let base = self.seen.get(name);
            let is_current = name == self.current;
            let changed_here = base != Some(mine) || (is_current && live != mine);
            let text = match theirs.scenarios.get(name) {
                None if base.is_some() && !changed_here && !is_current => continue, // deleted there
                None => mine.clone(),
                Some(t) if t == mine || Some(t) == base => mine.clone(),
                Some(t) if !changed_here => {
                    if is_current {
                        merged.reload = Some(t.clone());
                    }
                    t.clone()
                }
                Some(t) => {
                    conflicts.push((name.to_string(), t.clone()));
                    mine.clone()
                }
            };
            out.insert(name.to_string(), text);
        }
        for (name, t) in theirs.scenarios.iter() {
            if self.scenarios.contains_key(name) {
                continue;
            }
            match self.seen.get(name) {
                Some(b) if b == t => {} // deleted here, untouched there
                _ => {
                    out.insert(name.to_string(), t.clone());
                }
            }
        }
        self.scenarios = out;
        for (name, t) in conflicts {
            let kept = self.unique_name(&format!("{name} (from another tab)"));
            self.scenarios.insert(kept.clone(), t);
            merged.kept_both.push(kept);
        }
        self.seen = theirs.scenarios.clone();
        merged
    }

    /// Merges a store read from local storage (another tab wrote it).
    /// `Err` when it cannot be read: this tab's copy is unchanged.
    pub fn absorb(&mut self, stored: &str, live: &Workspace) -> Result<Merged, String> {
        let theirs = SavedWork::from_storage(stored)?;
        Ok(self.merge(&theirs, &live.to_compact_text()))
    }

    /// The write path: saves `w` as the current scenario, merges what the
    /// store holds now (`stored`, re-read just before writing), and returns
    /// the text to write with the messages for the user (a scenario too
    /// large to save, a store another tab damaged). Call
    /// [`SavedWork::written`] once the text is stored.
    pub fn prepare_write(&mut self, w: &Workspace, stored: Option<&str>, now_epoch_seconds: i64) -> Write {
        let mut write = Write::default();
        // Serialized once: saved, and compared with the store's text.
        let live = w.to_compact_text();
        if let Err(e) = self.save_current_text(live.clone(), w.selected_step) {
            write.messages.push(e);
        }
        if let Some(stored) = stored {
            match SavedWork::from_storage(stored) {
                Ok(theirs) => {
                    write.merged = self.merge(&theirs, &live);
                }
                Err(e) => write.set_aside = Some(SetAside::new(now_epoch_seconds, e, None, stored)),
            }
        }
        write.text = self.to_storage();
        write
    }

    /// Records that the store now holds exactly this tab's scenarios.
    pub fn written(&mut self) {
        self.seen = self.scenarios.clone();
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::Ptr;

    fn titled(title: &str) -> Workspace {
        let mut w = Workspace::example();
        w.set(&Ptr::root().key("title"), Some(title.into())).unwrap();
        w
    }

    #[test]
    fn saves_switches_and_restores() {
        let mut w = Workspace::example();
        let mut s = SavedWork::new("example", &w);
        w.set(&Ptr::root().key("title").clone(), Some("edited".into())).unwrap();
        s.save_current(&w).unwrap();
        let name = s.save_as(&Workspace::example(), "example").unwrap();
        assert_eq!(name, "example (2)");
        let back = s.switch(&Workspace::example(), "example").unwrap();
        assert_eq!(back.title(), Some("edited"));
        let restored = SavedWork::from_storage(&s.to_storage()).unwrap();
        assert_eq!(restored, s);
        assert!(s.delete("example").is_err());
        s.delete("example (2)").unwrap();
        assert_eq!(s.names(), vec!["example"]);
    }

    #[test]
    fn scenarios_are_stored_compactly() {
        let s = SavedWork::new("example", &Workspace::example());
        let stored = s.to_storage();
        assert!(!stored.contains("\n  \"accounts\""), "no pretty-printing of the document");
        assert_eq!(SavedWork::from_storage(&stored).unwrap().current_workspace().unwrap(), Workspace::example());
    }

    #[test]
    fn saved_work_larger_than_a_megabyte_reads_back() {
        let w = Workspace::example();
        let mut s = SavedWork::new("example", &w);
        for i in 0..600 {
            s.save_as(&w, &format!("copy {i}")).unwrap();
        }
        let stored = s.to_storage();
        assert!(stored.len() > 1024 * 1024, "{}", stored.len());
        assert_eq!(SavedWork::from_storage(&stored).unwrap(), s);
    }

    /// A scenario over the limit is refused on write, with a message, and
    /// the store keeps its last saved text and every other scenario.
    #[test]
    fn the_write_limit_is_the_read_limit() {
        let mut s = SavedWork::new("mine", &titled("small"));
        s.save_as(&titled("other"), "other").unwrap();
        s.switch(&titled("other"), "mine").unwrap();
        let mut big = titled("big");
        let pad = "a".repeat(crate::MAX_DOCUMENT_BYTES);
        big.set(&Ptr::root().key("x-pad"), Some(pad.into())).unwrap();
        let e = s.save_current(&big).unwrap_err();
        assert!(e.contains("KB") && e.contains("not saved") && e.contains("export"), "{e}");
        assert_eq!(s.current_workspace().unwrap().title(), Some("small"));
        assert!(s.save_as(&big, "big").is_err());
        assert_eq!(s.names(), vec!["mine", "other"]);
        // What is written reads back, scenario by scenario.
        let mut back = SavedWork::from_storage(&s.to_storage()).unwrap();
        assert_eq!(back.take_unreadable(0), (vec![], true));
        assert_eq!(back.names(), vec!["mine", "other"]);
    }

    #[test]
    fn one_unreadable_scenario_is_set_aside_alone() {
        let mut s = SavedWork::new("good", &titled("good"));
        s.scenarios.insert("bad".into(), "{not a scenario".into());
        s.current = "bad".into();
        let mut back = SavedWork::from_storage(&s.to_storage()).unwrap();
        let (copies, any_left) = back.take_unreadable(1_795_410_279);
        assert!(any_left);
        assert_eq!(back.names(), vec!["good"]);
        assert_eq!(back.current, "good");
        assert_eq!(copies.len(), 1);
        assert_eq!(copies[0].name.as_deref(), Some("bad"));
        assert_eq!(copies[0].text, "{not a scenario");
        assert_eq!(copies[0].at, "2026-11-23T05:04:39Z");
        assert!(copies[0].reason.contains("could not be read"), "{}", copies[0].reason);
    }

    #[test]
    fn a_wrong_current_pointer_keeps_the_scenarios() {
        let s = SavedWork::from_storage(r#"{"current":"gone","scenarios":{"a":"x","b":"y"}}"#).unwrap();
        assert_eq!(s.current, "a");
        assert_eq!(s.names(), vec!["a", "b"]);
    }

    #[test]
    fn corrupt_storage_is_reported() {
        assert!(SavedWork::from_storage("{not json").unwrap_err().contains("damaged"));
        assert!(SavedWork::from_storage(r#"{"current":"a","scenarios":{}}"#).is_err());
    }

    #[test]
    fn set_aside_copies_get_keys_of_their_own() {
        let copy = SetAside::new(0, "why", None, "text");
        let taken = ["trustwalk.setaside.1970-01-01T00:00:00Z", "trustwalk.setaside.1970-01-01T00:00:00Z.2"];
        assert_eq!(set_aside_key(&copy, |k| taken.contains(&k)), "trustwalk.setaside.1970-01-01T00:00:00Z.3");
        assert_eq!(set_aside_key(&copy, |_| false), "trustwalk.setaside.1970-01-01T00:00:00Z");
        let back = SetAside::from_storage("k", &copy.to_storage());
        assert_eq!(back, copy);
        let legacy = SetAside::from_storage(LEGACY_CORRUPT_KEY, "{\"current\": ");
        assert_eq!(legacy.text, "{\"current\": ");
        assert_eq!(copy.file_name(), "trustwalk-set-aside-1970-01-01T00-00-00Z.json");
    }

    /// Two tabs, each with the store as it was when it opened.
    fn two_tabs() -> (SavedWork, SavedWork, String) {
        let first = SavedWork::new("shared", &titled("shared"));
        let stored = first.to_storage();
        (SavedWork::from_storage(&stored).unwrap(), SavedWork::from_storage(&stored).unwrap(), stored)
    }

    fn write(tab: &mut SavedWork, w: &Workspace, stored: &str) -> String {
        let write = tab.prepare_write(w, Some(stored), 0);
        assert!(write.messages.is_empty() && write.set_aside.is_none());
        tab.written();
        write.text
    }

    fn write_merged(tab: &mut SavedWork, w: &Workspace, stored: &str) -> Merged {
        let write = tab.prepare_write(w, Some(stored), 0);
        tab.written();
        write.merged
    }

    #[test]
    fn a_scenario_saved_in_one_tab_survives_another_tabs_save() {
        let (mut a, mut b, stored) = two_tabs();
        a.save_as(&titled("alpha"), "alpha").unwrap();
        let stored = write(&mut a, &titled("alpha"), &stored);
        // Tab b never heard of alpha; it saves its own edit.
        let stored = write(&mut b, &titled("shared, edited in b"), &stored);
        let now = SavedWork::from_storage(&stored).unwrap();
        assert_eq!(now.names(), vec!["alpha", "shared"]);
        assert_eq!(now.current_workspace().unwrap().title(), Some("shared, edited in b"));
        // Tab b now lists alpha too.
        assert_eq!(b.names(), vec!["alpha", "shared"]);
    }

    #[test]
    fn deletes_and_changes_merge_per_scenario() {
        let (mut a, mut b, stored) = two_tabs();
        a.save_as(&titled("x"), "x").unwrap();
        a.save_as(&titled("y"), "y").unwrap();
        let stored = write(&mut a, &titled("y"), &stored);
        let stored = write(&mut b, &titled("shared"), &stored);
        assert_eq!(b.names(), vec!["shared", "x", "y"]);
        // a deletes x; b, which has seen x, saves: x stays deleted.
        a.switch(&titled("y"), "shared").unwrap();
        a.delete("x").unwrap();
        let stored = write(&mut a, &titled("shared"), &stored);
        let stored = write(&mut b, &titled("shared"), &stored);
        assert_eq!(SavedWork::from_storage(&stored).unwrap().names(), vec!["shared", "y"]);
        // b deletes y while a edits it: the edit outlives the delete.
        b.delete("y").unwrap();
        a.switch(&titled("shared"), "y").unwrap();
        let stored = write(&mut a, &titled("y, edited"), &stored);
        let stored = write(&mut b, &titled("shared"), &stored);
        let now = SavedWork::from_storage(&stored).unwrap();
        assert_eq!(now.names(), vec!["shared", "y"]);
    }

    #[test]
    fn the_scenario_being_edited_follows_the_other_tab_or_keeps_both() {
        let (mut a, mut b, stored) = two_tabs();
        let live_b = titled("shared").to_compact_text();
        let stored = write(&mut a, &titled("shared, edited in a"), &stored);
        // b has no unsaved edit: it shows a's text.
        let theirs = SavedWork::from_storage(&stored).unwrap();
        let merged = b.merge(&theirs, &live_b);
        assert_eq!(Workspace::from_text(&merged.reload.unwrap()).unwrap().title(), Some("shared, edited in a"));
        assert!(merged.kept_both.is_empty());
        // Both edit it: b's text stays current, a's is kept beside it.
        let stored = write(&mut a, &titled("a again"), &stored);
        let merged = write_merged(&mut b, &titled("b's own edit"), &stored);
        assert_eq!(merged, Merged { reload: None, kept_both: vec!["shared (from another tab)".into()] });
        assert_eq!(b.names(), vec!["shared", "shared (from another tab)"]);
        assert_eq!(b.current_workspace().unwrap().title(), Some("b's own edit"));
        let kept = Workspace::from_text(b.scenarios.get("shared (from another tab)").unwrap()).unwrap();
        assert_eq!(kept.title(), Some("a again"));
    }

    #[test]
    fn a_store_damaged_by_another_tab_is_set_aside_before_it_is_written_over() {
        let (mut a, _, _) = two_tabs();
        let write = a.prepare_write(&titled("shared"), Some("{damaged"), 0);
        assert_eq!(write.set_aside.unwrap().text, "{damaged");
        assert!(SavedWork::from_storage(&write.text).is_ok());
    }
}
