//! What the playground opens with, and how new scenarios join the saved
//! work. Precedence on load: a share link in the URL fragment, then the
//! work saved in this browser, then the built-in example. Nothing here
//! touches the browser: the web app passes the fragment and the stored
//! text in and writes back what it is told.

use crate::share::{self, View};
use crate::storage::{SavedWork, SetAside};
use crate::workspace::Workspace;

/// Where the opening scenario came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Link,
    Saved,
    Example,
}

/// The opening state.
#[derive(Debug, Clone)]
pub struct Startup {
    pub workspace: Workspace,
    pub view: View,
    pub source: Source,
    /// The saved work to keep updating (`None` in the embedded view, which
    /// never writes to storage).
    pub saved: Option<SavedWork>,
    /// Messages for the user (a damaged link, corrupt saved work).
    pub notices: Vec<String>,
    /// Saved data that could not be read (the whole store, or single
    /// scenarios in it): keep each under a key of its own
    /// ([`crate::storage::set_aside_key`]) before the saved work is written.
    pub set_aside: Vec<SetAside>,
}

/// A name for a scenario in the saved-work menu: its title, shortened.
pub fn scenario_name(w: &Workspace) -> String {
    let title = w.title().map(str::trim).filter(|t| !t.is_empty()).unwrap_or("untitled");
    let mut name: String = title.chars().take(48).collect();
    if title.chars().count() > 48 {
        name.push('…');
    }
    name
}

/// Makes `w` the current scenario of the saved work without losing any
/// other: a saved scenario with the same name and text is reused, else it
/// is saved under a new name. Returns the name.
///
/// The caller saves the scenario being left first (with
/// [`SavedWork::save_current`]): adopting never drops its edits.
pub fn adopt(saved: &mut SavedWork, w: &Workspace) -> Result<String, String> {
    let name = scenario_name(w);
    let text = w.to_compact_text();
    if saved.scenarios.get(&name) == Some(&text) {
        saved.current = name.clone();
        saved.selected_step = w.selected_step;
        return Ok(name);
    }
    if saved.scenarios.get(&saved.current) == Some(&text) {
        saved.selected_step = w.selected_step;
        return Ok(saved.current.clone());
    }
    saved.save_as(w, &name)
}

/// A fresh store for `w`; a workspace too large to save is held all the
/// same (writing it is refused with a message).
fn fresh(w: &Workspace) -> SavedWork {
    SavedWork::new(&scenario_name(w), w)
}

/// Makes `w` current in `s`, reporting a refusal as a notice.
fn adopt_or_note(s: &mut SavedWork, w: &Workspace, notices: &mut Vec<String>) {
    if let Err(e) = adopt(s, w) {
        notices.push(e);
    }
}

/// Decides what to open. `fragment` is `location.hash` (may be empty);
/// `stored` the saved-work text in local storage, if any; `now` dates
/// what is set aside.
pub fn startup(fragment: &str, stored: Option<&str>, now_epoch_seconds: i64) -> Startup {
    let (encoded, embed_flag) = share::parse_fragment(fragment);
    let mut notices = Vec::new();
    let mut linked = None;
    let mut view = if embed_flag { View::Embed } else { View::Playground };
    if let Some(encoded) = encoded {
        match share::decode(encoded) {
            Ok((w, link_view)) => {
                if link_view == View::Embed {
                    view = View::Embed;
                }
                linked = Some(w);
            }
            Err(e) => notices.push(format!("This link could not be opened: {e}. The example scenario is shown instead.")),
        }
    }
    let link_failed = encoded.is_some() && linked.is_none();

    if view == View::Embed {
        let (mut workspace, source) = match linked {
            Some(w) => (w, Source::Link),
            None => (Workspace::example(), Source::Example),
        };
        // The link's `step=N` option, when the scenario has that step (a
        // step it does not have is ignored: the link's own step stays).
        if let Some(step) = share::embed_options(fragment).step.filter(|s| *s < workspace.steps().len()) {
            workspace.select_step(step);
        }
        return Startup { workspace, view, source, saved: None, notices, set_aside: Vec::new() };
    }

    // Saved work: only what cannot be read is set aside, a scenario at a
    // time; everything readable stays.
    let mut set_aside = Vec::new();
    let mut saved = None;
    let mut none_left = false;
    if let Some(text) = stored {
        match SavedWork::from_storage(text) {
            Ok(mut s) => {
                let (copies, any_left) = s.take_unreadable(now_epoch_seconds);
                for c in &copies {
                    notices.push(format!("{}. It was set aside: Save as… lists it to download or delete.", c.reason));
                }
                set_aside.extend(copies);
                none_left = !any_left;
                saved = Some(s);
            }
            Err(e) => {
                notices.push(format!("{e}: Save as… lists it to download or delete"));
                set_aside.push(SetAside::new(now_epoch_seconds, e, None, text));
            }
        }
    }

    let (workspace, source, saved) = match (linked, saved) {
        (Some(w), Some(mut s)) => {
            adopt_or_note(&mut s, &w, &mut notices);
            (w, Source::Link, s)
        }
        (Some(w), None) => {
            let s = fresh(&w);
            (w, Source::Link, s)
        }
        (None, Some(mut s)) if link_failed || none_left => {
            let w = Workspace::example();
            adopt_or_note(&mut s, &w, &mut notices);
            (w, Source::Example, s)
        }
        (None, Some(s)) => match s.current_workspace() {
            Ok(w) => (w, Source::Saved, s),
            Err(e) => {
                // take_unreadable left only readable scenarios: not reached.
                notices.push(e);
                let w = Workspace::example();
                let mut s = s;
                adopt_or_note(&mut s, &w, &mut notices);
                (w, Source::Example, s)
            }
        },
        (None, None) => {
            let w = Workspace::example();
            let s = fresh(&w);
            (w, Source::Example, s)
        }
    };
    Startup { workspace, view, source, saved: Some(saved), notices, set_aside }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::Ptr;

    fn edited() -> Workspace {
        let mut w = Workspace::example();
        w.set(&Ptr::root().key("title"), Some("Edited".into())).unwrap();
        w.select_step(2);
        w
    }

    #[test]
    fn first_visit_opens_the_example() {
        let s = startup("", None, 0);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.workspace, Workspace::example());
        assert_eq!(s.saved.unwrap().names(), vec![scenario_name(&Workspace::example())]);
        assert!(s.notices.is_empty());
    }

    #[test]
    fn saved_work_comes_back_with_its_step() {
        let w = edited();
        let stored = SavedWork::new("mine", &w).to_storage();
        let s = startup("", Some(&stored), 0);
        assert_eq!(s.source, Source::Saved);
        assert_eq!(s.workspace, w);
    }

    #[test]
    fn a_link_wins_over_saved_work_and_joins_it() {
        let stored = SavedWork::new("mine", &Workspace::example()).to_storage();
        let linked = edited();
        let s = startup(&share::fragment(&linked, View::Playground), Some(&stored), 0);
        assert_eq!(s.source, Source::Link);
        assert_eq!(s.workspace, linked);
        let saved = s.saved.unwrap();
        assert_eq!(saved.names(), vec!["Edited", "mine"]);
        assert_eq!(saved.current, "Edited");
        // Opening the same link again reuses the entry.
        let again = startup(&share::fragment(&linked, View::Playground), Some(&saved.to_storage()), 0);
        assert_eq!(again.saved.unwrap().names(), vec!["Edited", "mine"]);
    }

    #[test]
    fn a_damaged_link_says_so_and_opens_the_example() {
        let mut f = share::fragment(&edited(), View::Playground);
        f.truncate(f.len() / 2);
        let s = startup(&f, None, 0);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.workspace, Workspace::example());
        assert!(s.notices[0].contains("could not be opened"), "{:?}", s.notices);
        let s = startup("#s=", None, 0);
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn the_embed_view_never_touches_saved_work() {
        let w = edited();
        let s = startup(&share::fragment(&w, View::Embed), Some("{corrupt"), 0);
        assert_eq!(s.view, View::Embed);
        assert!(s.saved.is_none() && s.set_aside.is_empty());
        assert_eq!(s.workspace, w);
        assert_eq!(s.workspace.selected_step, 2);
    }

    #[test]
    fn corrupt_saved_work_is_set_aside_and_reported() {
        let s = startup("", Some("{corrupt"), 0);
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!(s.set_aside[0].text, "{corrupt");
        assert!(s.notices[0].contains("damaged"));
        assert_eq!(s.source, Source::Example);
        // One unreadable scenario goes aside alone; the readable ones stay.
        let mut stored = SavedWork::new("good", &edited());
        stored.scenarios.insert("a".into(), "{not a scenario".into());
        stored.current = "a".into();
        let s = startup("", Some(&stored.to_storage()), 0);
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!((s.set_aside[0].name.as_deref(), s.set_aside[0].text.as_str()), (Some("a"), "{not a scenario"));
        assert_eq!(s.source, Source::Saved);
        assert_eq!(s.workspace, {
            let mut w = edited();
            w.select_step(0);
            w
        });
        assert_eq!(s.saved.unwrap().names(), vec!["good"]);
        // None readable: the example joins what is left (nothing).
        let bad_scenario = r#"{"current":"a","scenarios":{"a":"{not a scenario"}}"#;
        let s = startup("", Some(bad_scenario), 0);
        assert_eq!(s.set_aside.len(), 1);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.saved.unwrap().names(), vec![scenario_name(&Workspace::example())]);
    }

    /// A link to a large scenario (policies given as JSON objects, which
    /// the playground keeps as pretty text) is saved so that it reads
    /// back: the whole saved work opens again on the next visit.
    #[test]
    fn a_large_linked_scenario_is_saved_so_that_it_reads_back() {
        let mut doc = Workspace::example().doc;
        let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "Pad", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b", "c"]}}}]});
        let mut n = 0;
        while serde_json::to_string(&doc).unwrap().len() < 338 * 1024 {
            for _ in 0..100 {
                doc["accounts"][1]["roles"][0]["policies"]
                    .as_array_mut()
                    .unwrap()
                    .push(serde_json::json!({"name": format!("Pad{n}"), "document": policy.clone()}));
                n += 1;
            }
        }
        let linked = Workspace::from_text(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert!(linked.to_text().len() > 512 * 1024, "pretty-printed, it is over the old 512 KB read limit");
        let first = startup(&share::fragment(&linked, View::Playground), Some(&SavedWork::new("mine", &edited()).to_storage()), 0);
        assert!(first.notices.is_empty(), "{:?}", first.notices);
        let stored = first.saved.unwrap().to_storage();
        let next = startup("", Some(&stored), 0);
        assert!(next.notices.is_empty() && next.set_aside.is_empty(), "{:?}", next.notices);
        assert_eq!(next.source, Source::Saved);
        assert_eq!(next.workspace.doc, linked.doc);
        assert_eq!(next.saved.unwrap().names().len(), 2);
    }

    #[test]
    fn adopting_keeps_every_scenario() {
        let mut saved = SavedWork::new("mine", &edited());
        let name = adopt(&mut saved, &Workspace::example()).unwrap();
        assert_eq!(saved.current, name);
        assert_eq!(saved.names().len(), 2);
        assert_eq!(adopt(&mut saved, &Workspace::example()).unwrap(), name, "same text: reused");
        assert_eq!(saved.names().len(), 2);
    }

    #[test]
    fn an_embed_link_opens_at_its_step_option_and_ignores_a_step_it_does_not_have() {
        let mut w = Workspace::example();
        w.select_step(0);
        let s = share::encode(&w, View::Embed);
        let at = |f: String| startup(&f, None, 0).workspace.selected_step;
        assert_eq!(at(format!("#embed&step=3&s={s}")), 2);
        assert_eq!(at(format!("#embed&step=9&s={s}")), 0, "no step 9: the link's own step");
        assert_eq!(at(format!("#embed&step=x&theme=y&s={s}")), 0);
        assert_eq!(at(format!("#embed&s={s}")), 0);
        let opened = startup(&format!("#embed&step=2&theme=dark&s={s}"), None, 0);
        assert_eq!(opened.view, View::Embed);
        assert!(opened.notices.is_empty(), "{:?}", opened.notices);
    }
}
