//! Saved work: several named scenarios kept in the browser's local storage
//! as one JSON value. Corrupt stored data is reported and set aside, never
//! trusted blindly.


use serde::{Deserialize, Serialize};

use crate::workspace::Workspace;
use crate::Keyed;

/// The local-storage key of the saved work.
pub const STORAGE_KEY: &str = "trustwalk.saved.v1";
/// The largest saved work read back: more than any browser lets a page
/// keep in local storage (5 to 10 MB).
pub const MAX_STORAGE_BYTES: usize = 64 * 1024 * 1024;
/// Where corrupt saved data is moved, so that nothing is lost.
pub const CORRUPT_KEY: &str = "trustwalk.saved.corrupt";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedWork {
    /// The name of the scenario being edited.
    pub current: String,
    /// Name → scenario document text.
    pub scenarios: Keyed<String>,
    /// Selected step of the current scenario.
    #[serde(default)]
    pub selected_step: usize,
}

impl SavedWork {
    /// A fresh store holding the workspace under `name`.
    pub fn new(name: &str, w: &Workspace) -> Self {
        let mut scenarios = Keyed::new();
        scenarios.insert(name.to_string(), w.to_text());
        Self { current: name.to_string(), scenarios, selected_step: w.selected_step }
    }

    /// Reads stored text. `Err` says what is wrong; the caller keeps the
    /// text under [`CORRUPT_KEY`] and starts afresh.
    pub fn from_storage(text: &str) -> Result<Self, String> {
        let damaged = |e: &dyn std::fmt::Display| format!("the saved work in this browser is damaged ({e}); it was set aside");
        // Several saved scenarios may well exceed the 1 MB the core's parser
        // accepts by default: the limit here is the browser's own quota.
        let value = trustwalk_core::json::parse_with_limit(text, MAX_STORAGE_BYTES).map_err(|e| damaged(&e))?.to_value();
        let s: SavedWork = serde_json::from_value(value).map_err(|e| damaged(&e))?;
        if !s.scenarios.contains_key(&s.current) {
            return Err("the saved work in this browser names a scenario it does not hold; it was set aside".into());
        }
        Ok(s)
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The current scenario as a workspace.
    pub fn current_workspace(&self) -> Result<Workspace, String> {
        let text = self.scenarios.get(&self.current).ok_or("no current scenario")?;
        let mut w = Workspace::from_text(text).map_err(|e| {
            format!("the saved scenario `{}` could not be read: {}", self.current, e.first().map(|d| d.render()).unwrap_or_default())
        })?;
        w.select_step(self.selected_step);
        Ok(w)
    }

    /// Stores the workspace as the current scenario.
    pub fn save_current(&mut self, w: &Workspace) {
        self.scenarios.insert(self.current.clone(), w.to_text());
        self.selected_step = w.selected_step;
    }

    /// Switches to `name` (after saving `w` as the current one).
    pub fn switch(&mut self, w: &Workspace, name: &str) -> Result<Workspace, String> {
        self.save_current(w);
        if !self.scenarios.contains_key(name) {
            return Err(format!("no saved scenario named `{name}`"));
        }
        self.current = name.to_string();
        self.selected_step = 0;
        self.current_workspace()
    }

    /// Saves `w` under a new name and makes it current; a name in use gets
    /// a number (`name (2)`).
    pub fn save_as(&mut self, w: &Workspace, name: &str) -> String {
        let base = if name.trim().is_empty() { "untitled" } else { name.trim() };
        let mut unique = base.to_string();
        let mut n = 2;
        while self.scenarios.contains_key(&unique) {
            unique = format!("{base} ({n})");
            n += 1;
        }
        self.current = unique.clone();
        self.save_current(w);
        unique
    }

    /// Deletes a scenario other than the current one.
    pub fn delete(&mut self, name: &str) -> Result<(), String> {
        if name == self.current {
            return Err("the scenario being edited cannot be deleted; switch to another first".into());
        }
        self.scenarios.remove(name).map(|_| ()).ok_or_else(|| format!("no saved scenario named `{name}`"))
    }

    /// The saved scenarios' names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.scenarios.keys().map(str::to_string).collect();
        names.sort_unstable();
        names
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::Ptr;

    #[test]
    fn saves_switches_and_restores() {
        let mut w = Workspace::example();
        let mut s = SavedWork::new("example", &w);
        w.set(&Ptr::root().key("title").clone(), Some("edited".into())).unwrap();
        s.save_current(&w);
        let name = s.save_as(&Workspace::example(), "example");
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
    fn saved_work_larger_than_a_megabyte_reads_back() {
        let w = Workspace::example();
        let mut s = SavedWork::new("example", &w);
        for i in 0..400 {
            s.save_as(&w, &format!("copy {i}"));
        }
        let stored = s.to_storage();
        assert!(stored.len() > 1024 * 1024, "{}", stored.len());
        assert_eq!(SavedWork::from_storage(&stored).unwrap(), s);
    }

    #[test]
    fn corrupt_storage_is_reported() {
        assert!(SavedWork::from_storage("{not json").unwrap_err().contains("damaged"));
        assert!(SavedWork::from_storage(r#"{"current":"a","scenarios":{}}"#).is_err());
    }
}
