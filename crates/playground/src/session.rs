//! What the playground opens with, and how new scenarios join the saved
//! work. Precedence on load: a share link in the URL fragment, then the
//! work saved in this browser, then the built-in example. Nothing here
//! touches the browser: the web app passes the fragment and the stored
//! text in and writes back what it is told.

use crate::share::{self, View};
use crate::storage::SavedWork;
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
    /// Stored text that could not be read: keep it under
    /// [`crate::storage::CORRUPT_KEY`].
    pub set_aside: Option<String>,
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
pub fn adopt(saved: &mut SavedWork, w: &Workspace) -> String {
    let name = scenario_name(w);
    let text = w.to_text();
    if saved.scenarios.get(&name) == Some(&text) {
        saved.current = name.clone();
        saved.selected_step = w.selected_step;
        return name;
    }
    if saved.scenarios.get(&saved.current) == Some(&text) {
        saved.selected_step = w.selected_step;
        return saved.current.clone();
    }
    saved.save_as(w, &name)
}

/// Decides what to open. `fragment` is `location.hash` (may be empty);
/// `stored` the saved-work text in local storage, if any.
pub fn startup(fragment: &str, stored: Option<&str>) -> Startup {
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
        let (workspace, source) = match linked {
            Some(w) => (w, Source::Link),
            None => (Workspace::example(), Source::Example),
        };
        return Startup { workspace, view, source, saved: None, notices, set_aside: None };
    }

    let mut set_aside = None;
    let mut saved = None;
    if let Some(text) = stored {
        match SavedWork::from_storage(text) {
            Ok(s) => match s.current_workspace() {
                Ok(_) => saved = Some(s),
                Err(e) => {
                    notices.push(format!("{e}; the saved work was set aside and the example is shown"));
                    set_aside = Some(text.to_string());
                }
            },
            Err(e) => {
                notices.push(e);
                set_aside = Some(text.to_string());
            }
        }
    }

    match (linked, saved) {
        (Some(w), Some(mut s)) => {
            adopt(&mut s, &w);
            Startup { workspace: w, view, source: Source::Link, saved: Some(s), notices, set_aside }
        }
        (Some(w), None) => {
            let s = SavedWork::new(&scenario_name(&w), &w);
            Startup { workspace: w, view, source: Source::Link, saved: Some(s), notices, set_aside }
        }
        (None, Some(mut s)) if link_failed => {
            let w = Workspace::example();
            adopt(&mut s, &w);
            Startup { workspace: w, view, source: Source::Example, saved: Some(s), notices, set_aside }
        }
        (None, Some(s)) => match s.current_workspace() {
            Ok(w) => Startup { workspace: w, view, source: Source::Saved, saved: Some(s), notices, set_aside },
            Err(e) => {
                notices.push(e);
                let w = Workspace::example();
                let s = SavedWork::new(&scenario_name(&w), &w);
                Startup { workspace: w, view, source: Source::Example, saved: Some(s), notices, set_aside }
            }
        },
        (None, None) => {
            let w = Workspace::example();
            let s = SavedWork::new(&scenario_name(&w), &w);
            Startup { workspace: w, view, source: Source::Example, saved: Some(s), notices, set_aside }
        }
    }
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
        let s = startup("", None);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.workspace, Workspace::example());
        assert_eq!(s.saved.unwrap().names(), vec![scenario_name(&Workspace::example())]);
        assert!(s.notices.is_empty());
    }

    #[test]
    fn saved_work_comes_back_with_its_step() {
        let w = edited();
        let stored = SavedWork::new("mine", &w).to_storage();
        let s = startup("", Some(&stored));
        assert_eq!(s.source, Source::Saved);
        assert_eq!(s.workspace, w);
    }

    #[test]
    fn a_link_wins_over_saved_work_and_joins_it() {
        let stored = SavedWork::new("mine", &Workspace::example()).to_storage();
        let linked = edited();
        let s = startup(&share::fragment(&linked, View::Playground), Some(&stored));
        assert_eq!(s.source, Source::Link);
        assert_eq!(s.workspace, linked);
        let saved = s.saved.unwrap();
        assert_eq!(saved.names(), vec!["Edited", "mine"]);
        assert_eq!(saved.current, "Edited");
        // Opening the same link again reuses the entry.
        let again = startup(&share::fragment(&linked, View::Playground), Some(&saved.to_storage()));
        assert_eq!(again.saved.unwrap().names(), vec!["Edited", "mine"]);
    }

    #[test]
    fn a_damaged_link_says_so_and_opens_the_example() {
        let mut f = share::fragment(&edited(), View::Playground);
        f.truncate(f.len() / 2);
        let s = startup(&f, None);
        assert_eq!(s.source, Source::Example);
        assert_eq!(s.workspace, Workspace::example());
        assert!(s.notices[0].contains("could not be opened"), "{:?}", s.notices);
        let s = startup("#s=", None);
        assert_eq!(s.notices.len(), 1);
    }

    #[test]
    fn the_embed_view_never_touches_saved_work() {
        let w = edited();
        let s = startup(&share::fragment(&w, View::Embed), Some("{corrupt"));
        assert_eq!(s.view, View::Embed);
        assert!(s.saved.is_none() && s.set_aside.is_none());
        assert_eq!(s.workspace, w);
        assert_eq!(s.workspace.selected_step, 2);
    }

    #[test]
    fn corrupt_saved_work_is_set_aside_and_reported() {
        let s = startup("", Some("{corrupt"));
        assert_eq!(s.set_aside.as_deref(), Some("{corrupt"));
        assert!(s.notices[0].contains("damaged"));
        assert_eq!(s.source, Source::Example);
        let bad_scenario = r#"{"current":"a","scenarios":{"a":"{not a scenario"}}"#;
        let s = startup("", Some(bad_scenario));
        assert_eq!(s.set_aside.as_deref(), Some(bad_scenario));
        assert!(s.saved.is_some());
    }

    #[test]
    fn adopting_keeps_every_scenario() {
        let mut saved = SavedWork::new("mine", &edited());
        let name = adopt(&mut saved, &Workspace::example());
        assert_eq!(saved.current, name);
        assert_eq!(saved.names().len(), 2);
        assert_eq!(adopt(&mut saved, &Workspace::example()), name, "same text: reused");
        assert_eq!(saved.names().len(), 2);
    }
}
