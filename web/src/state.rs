//! The app's state in one place: the workspace, its latest evaluation, the
//! saved work and what the screen shows (dialogs, messages, the statement
//! to bring into view). Every user action is an `Action`; the reducer
//! calls the UI-free playground crate and re-evaluates synchronously after
//! each change to the document; the policy checks run in the app's Web
//! Worker (`worker_client`), their answers arrive as actions.

use std::rc::Rc;

use serde_json::Value;
use trustwalk_core::json::Span;
use trustwalk_core::scenario::ScenarioResult;
use trustwalk_playground::course::{Progress, COURSE, PROGRESS_KEY};
use trustwalk_playground::share::View;
use trustwalk_playground::storage::{Merged, SavedWork, STORAGE_KEY};
use trustwalk_playground::worker::{CatalogueInfo, ShownFinding, ShownGrants};
use trustwalk_playground::{session, tokens, Evaluated, Keyed, Ptr, Workspace};
use yew::Reducible;

use crate::services;
use crate::worker_client::{self, Event};

/// A message at the top of the page.
#[derive(Clone, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub error: bool,
    pub text: String,
}

/// The statement to bring into view in its editor.
#[derive(Clone, Copy, PartialEq)]
pub struct Focus {
    pub start: usize,
    pub end: usize,
    /// Changes on every click, so that clicking the same statement again
    /// scrolls again.
    pub seq: u64,
}

/// The open dialog, if any.
#[derive(Clone, PartialEq)]
pub enum Modal {
    Help,
    Share {
        url: String,
        copied: Option<bool>,
    },
    Embed,
    Paste {
        text: String,
        error: Option<String>,
    },
    Saved {
        name: String,
        error: Option<String>,
    },
    Tighten(Rc<trustwalk_playground::tighten::TightenView>),
    /// The access map (web/src/review.rs).
    Access,
    /// "Compare with…".
    Compare,
}

#[derive(Clone)]
pub enum Action {
    EditPolicy {
        ptr: Ptr,
        path: String,
        text: String,
    },
    FormatPolicy {
        ptr: Ptr,
        path: String,
    },
    SetValue {
        ptr: Ptr,
        value: Option<Value>,
    },
    SetStepText {
        step: usize,
        field: &'static str,
        text: String,
    },
    /// An AssumeRole field written in a form of its own (see [`StepEdit`]).
    EditStep {
        step: usize,
        edit: StepEdit,
        text: String,
    },
    SetStepContext {
        step: usize,
        key: String,
        text: String,
    },
    RenameContextKey {
        step: usize,
        old: String,
        new: String,
    },
    AddContextKey {
        step: usize,
        key: String,
    },
    SetStepMfa {
        step: usize,
        on: bool,
    },
    AddStep {
        assume_role: bool,
    },
    RemoveStep(usize),
    /// A copy of the step after it.
    DuplicateStep(usize),
    /// The selected step one place up or down.
    MoveStep {
        up: bool,
    },
    /// The last change to the document, undone (Ctrl+Z).
    Undo,
    SelectStep(usize),
    NextStep,
    PreviousStep,
    AddSessionPolicy(usize),
    AddBucketPolicy {
        account: usize,
        bucket: usize,
    },
    AddPolicyLevel {
        account: usize,
        key: &'static str,
    },
    RemovePolicyLevel {
        account: usize,
        key: &'static str,
    },
    /// Bring a statement of a policy (trace name) into view.
    FocusStatement {
        policy: String,
        span: Span,
    },
    /// Bring an editor's text range into view (a problem in the list).
    FocusEditor {
        path: String,
        span: Span,
    },
    /// Replace the workspace (an example, an import, a paste, a link);
    /// it joins the saved work under its title.
    Load {
        workspace: Box<Workspace>,
        message: Option<String>,
    },
    /// The guided course's panel.
    Course(CourseAction),
    SwitchSaved(String),
    SaveAs(String),
    DeleteSaved(String),
    /// Write the saved work (the current scenario included) to storage,
    /// merged with what other tabs wrote there.
    Persist,
    /// Another tab wrote the saved work: merge it (the new stored text).
    StorageChanged(String),
    /// A set-aside copy was downloaded or deleted: redraw the dialog.
    SetAsideChanged,
    Open(Modal),
    CloseModal,
    /// The access map and "Compare with…" (web/src/review.rs).
    Review(crate::review::ReviewAction),
    /// Import an account's AWS export (opened or pasted) in the worker.
    ImportExport {
        text: String,
        from: ImportFrom,
    },
    /// Propose the tightened form of the policy of the editor at `path`
    /// (opens the Tighten dialog, or says why not).
    Tighten {
        path: String,
    },
    Notify {
        error: bool,
        text: String,
    },
    Dismiss(u64),
    /// What the checks' worker told the app: AWS's catalogue was read, a
    /// check's findings and grants, or the worker could not run.
    Worker(Event),
    /// A finding's one obvious fix: `text` in place of the string value at
    /// `span` of the policy at `ptr` (its editor at `path`).
    ApplyFix {
        ptr: Ptr,
        path: String,
        span: Span,
        text: String,
    },
    /// An explanation's one-edit fix (a did-you-mean, the bucket ARN for
    /// ListBucket): `insert` in place of `from..to` of the policy at `ptr`,
    /// whose text was `expected` when the fix was offered.
    ApplyEdit {
        ptr: Ptr,
        path: String,
        expected_len: usize,
        from: usize,
        to: usize,
        insert: String,
    },
    /// An explanation's offer to set a key the request lacks (MFA, an
    /// External ID, an organization, a context key).
    SetKey(Box<trustwalk_playground::hints::set_key::KeyOffer>),
    /// Account `index` gets the ID `id` (committed: Enter or leaving the
    /// field), and what referred to its old ID follows.
    RenameAccountId {
        index: usize,
        id: String,
    },
    /// Run the policy checks in the worker (the user paused).
    Lint,
    /// These AWS managed policies are being fetched.
    Requested(Vec<String>),
    /// The file of an AWS managed policy arrived (or could not be read).
    ManagedPolicy {
        arn: String,
        text: Result<String, String>,
    },
}

/// Where an AWS export being imported came from: a file (its name) or
/// the Paste dialog.
#[derive(Clone, PartialEq)]
pub enum ImportFrom {
    File(String),
    Paste,
}

/// How the notices about an opened share link begin (app.rs): a link's
/// notice replaces the one of the link before.
pub const LINK_NOTICES: [&str; 2] = ["Opened the shared scenario", "This link could not be opened"];

/// How many changes Ctrl+Z can take back.
const UNDO_DEPTH: usize = 100;

/// One change back in the document's history: the document before it.
/// A list shared between the states the reducer makes (each holds the
/// documents by `Rc`, never copies them).
#[derive(Debug, PartialEq)]
pub struct Undo {
    doc: Rc<Value>,
    selected: usize,
    prev: Option<Rc<Undo>>,
    depth: usize,
}

impl Undo {
    /// This entry and the `UNDO_DEPTH / 2` before it: the oldest are
    /// forgotten.
    fn trimmed(self) -> Undo {
        let mut kept = vec![(self.doc.clone(), self.selected)];
        let mut at = self.prev.clone();
        while let Some(u) = at.filter(|_| kept.len() < UNDO_DEPTH / 2) {
            kept.push((u.doc.clone(), u.selected));
            at = u.prev.clone();
        }
        let mut list: Option<Rc<Undo>> = None;
        for (depth, (doc, selected)) in kept.into_iter().rev().enumerate() {
            list = Some(Rc::new(Undo { doc, selected, prev: list, depth: depth + 1 }));
        }
        list.and_then(|l| Rc::try_unwrap(l).ok()).unwrap_or(Undo { doc: self.doc, selected: self.selected, prev: None, depth: 1 })
    }
}

/// The document's history for Ctrl+Z.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: Option<Rc<Undo>>,
    /// The document after the last change.
    last_doc: Rc<Value>,
    last_selected: usize,
    /// What the action being applied edits (a field, an editor), for
    /// runs of edits; empty for a change of its own.
    key: String,
    last_key: String,
}

/// The AssumeRole fields the request form writes in a form of their own.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StepEdit {
    /// `durationSeconds`: a whole number of seconds.
    Duration,
    /// `sessionTags`: `key=value, …`.
    Tags,
    /// `transitiveTagKeys`: `key, …`.
    TransitiveKeys,
}

/// AWS's catalogue of services, actions, resource types and condition keys
/// (`catalogue.json`, served with the app): read by the worker, which is
/// started after the first verdicts are on screen, so that neither is part
/// of the initial load.
#[derive(Clone, PartialEq)]
pub enum CatalogueState {
    Loading,
    Ready(CatalogueInfo),
    Failed(String),
    /// The worker could not be loaded or crashed: no checks at all.
    ChecksUnavailable(String),
}

/// The policy checks' findings (as the app shows them) and what each
/// Allow statement grants, by policy name as traces give it and statement
/// index: the worker's latest answer.
#[derive(Clone, Default)]
pub struct Checks {
    /// The `lint_wanted` they answer: the text they are about.
    pub seq: u64,
    pub findings: Vec<ShownFinding>,
    pub grants: std::collections::HashMap<(String, usize), Rc<ShownGrants>>,
}

/// The latest evaluation, shared; two are equal when they are the same one.
#[derive(Clone, Default)]
pub struct Shared<T>(pub Rc<T>);

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

#[derive(Clone, PartialEq)]
pub struct State {
    pub ws: Workspace,
    pub eval: Shared<Evaluated>,
    /// The worker's findings and grants for the latest text it checked.
    pub checks: Shared<Checks>,
    /// The latest result that could be computed; shown (marked stale)
    /// while the document has errors.
    pub result: Option<Rc<ScenarioResult>>,
    pub stale: bool,
    /// Trace policy name → editor path.
    pub editors: Rc<Keyed<String>>,
    pub focus: Keyed<Focus>,
    pub view: View,
    /// `None` in the embedded view (it never writes to storage).
    pub saved: Option<SavedWork>,
    pub notices: Vec<Notice>,
    pub modal: Option<Modal>,
    /// Messages of one editor (a refused paste, a failed Format).
    pub editor_messages: Keyed<String>,
    /// Bumped on every change worth saving.
    pub version: u64,
    /// Why this tab does not write saved work (a damaged store could not
    /// be set aside first), if so.
    pub saving_blocked: Option<String>,
    /// The messages of the last write (a scenario too large to save),
    /// shown once rather than on every save.
    write_messages: Vec<String>,
    /// Whether the user was told that the browser refused to save.
    store_warned: bool,
    /// Bumped when the set-aside copies change.
    pub set_aside_version: u64,
    pub catalogue: CatalogueState,
    /// The AWS managed policies fetched so far (ARN → the file's text), and
    /// those being fetched or not to be had (a missing file: the loader
    /// then reports the ARN as unknown).
    pub managed: Shared<std::collections::HashMap<String, String>>,
    pub managed_requested: Rc<std::collections::HashSet<String>>,
    /// Bumped on every evaluation: the policy checks run a moment after
    /// the last one (the app's timer), so that typing stays fast. Also the
    /// number of the check sent to the worker: an answer to any other (an
    /// older text) is dropped.
    pub lint_wanted: u64,
    seq: u64,
    /// The document's history, for Ctrl+Z.
    pub history: History,
    /// `version` when a scenario was last opened: a share link stays in the
    /// address bar until the document changes after that.
    pub opened_version: u64,
    /// How many times another scenario replaced the one shown (the
    /// editors are made anew then, without the old one's undo history).
    pub scenario: u64,
    /// Whether the last action was typing in a policy editor: the
    /// explanation then follows after a pause (app.rs), the verdicts at once.
    pub typing: bool,
    /// The lesson of the guided course shown, if the course is open.
    pub course: Option<usize>,
    /// The course's tasks done, as kept in this browser.
    pub course_progress: Rc<Progress>,
    /// The access map and the comparison (web/src/review.rs).
    pub review: Shared<crate::review::Review>,
    /// The scenario as it was opened in this tab (compact text), for
    /// "Compare with…".
    pub initial_doc: Rc<String>,
    /// The latest Tighten asked of the worker, and `version` then.
    tighten_seq: u64,
    tighten_version: u64,
    /// The latest import asked of the worker, and where its text came from.
    import_seq: u64,
    importing: Option<ImportFrom>,
}

/// What the guided course's panel asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum CourseAction {
    /// Shows lesson `n`.
    Open(usize),
    Close,
    /// Opens lesson `n`'s example in place of the scenario shown (which
    /// stays in the saved scenarios).
    Start(usize),
    /// Forgets lesson `n`'s progress.
    Reset(usize),
}

impl State {
    pub fn new(startup: session::Startup) -> Self {
        let mut s = Self {
            ws: startup.workspace,
            eval: Shared::default(),
            checks: Shared::default(),
            result: None,
            stale: false,
            editors: Rc::default(),
            focus: Keyed::new(),
            view: startup.view,
            saved: startup.saved,
            notices: Vec::new(),
            modal: None,
            editor_messages: Keyed::new(),
            version: 0,
            saving_blocked: None,
            write_messages: Vec::new(),
            store_warned: false,
            set_aside_version: 0,
            catalogue: CatalogueState::Loading,
            managed: Shared::default(),
            managed_requested: Rc::default(),
            lint_wanted: 0,
            seq: 0,
            history: History::default(),
            opened_version: 0,
            scenario: 0,
            typing: false,
            course: None,
            course_progress: Rc::default(),
            review: Shared::default(),
            initial_doc: Rc::default(),
            tighten_seq: 0,
            tighten_version: 0,
            import_seq: 0,
            importing: None,
        };
        s.initial_doc = Rc::new(s.ws.to_compact_text());
        s.history.last_doc = Rc::new(s.ws.doc.clone());
        for n in startup.notices {
            s.notify(true, n);
        }
        s.evaluate();
        s
    }

    /// Whether the checks' findings are of the current text: they are from
    /// before the last change while the user types (the checks run when
    /// they pause). None at all (the scenario broke) counts as current.
    pub fn checks_current(&self) -> bool {
        self.checks.seq == self.lint_wanted || self.checks.findings.is_empty()
    }

    pub fn embedded(&self) -> bool {
        self.view == View::Embed
    }

    fn notify(&mut self, error: bool, text: String) {
        self.seq += 1;
        // What an opened link says replaces what the previous link said.
        let about_link = |t: &str| LINK_NOTICES.iter().any(|p| t.starts_with(p));
        if about_link(&text) {
            self.notices.retain(|n| !about_link(&n.text));
        }
        self.notices.retain(|n| n.text != text);
        self.notices.push(Notice { id: self.seq, error, text });
    }

    /// Re-runs the scenario (synchronously: it is fast) and remembers how
    /// long it took for the page's timing figures.
    fn evaluate(&mut self) {
        let t0 = services::now_ms();
        let eval = self.ws.evaluate_with(services::now_seconds(), &*self.managed.0);
        // The last findings (`checks`) stay until the checks run again,
        // when the user pauses (`lint_wanted`, Action::Lint).
        self.lint_wanted += 1;
        // A scenario that does not load has no findings nor grants (what the
        // worker would answer): none are kept from before it broke.
        if eval.result.is_none() {
            self.checks = Shared::default();
        }
        services::record_eval_ms(services::now_ms() - t0);
        match &eval.result {
            Some(r) => {
                self.result = Some(Rc::new(r.clone()));
                self.stale = false;
            }
            None => self.stale = self.result.is_some(),
        }
        self.eval = Shared(Rc::new(eval));
        self.editors = Rc::new(self.ws.editors_by_display());
    }

    /// The AWS managed policies the document names that were never asked
    /// for: the caller fetches them (and marks them asked for).
    pub fn missing_managed_policies(&self) -> Vec<String> {
        self.eval.aws_managed_arns.iter().filter(|a| !self.managed.contains_key(*a) && !self.managed_requested.contains(*a)).cloned().collect()
    }

    /// Marks AWS managed policies as being fetched.
    pub fn requested(&mut self, arns: &[String]) {
        let mut all = (*self.managed_requested).clone();
        all.extend(arns.iter().cloned());
        self.managed_requested = Rc::new(all);
    }

    /// Puts `text` in the policy at `ptr` (its editor at `path`), or says
    /// in that editor why not.
    fn set_policy(&mut self, ptr: &Ptr, path: String, text: &str) {
        match self.ws.set_policy_text(ptr, text) {
            Ok(()) => {
                self.editor_messages.remove(&path);
                self.changed();
            }
            Err(e) => {
                self.editor_messages.insert(path, e);
            }
        }
    }

    fn changed(&mut self) {
        self.remember();
        self.version += 1;
        self.evaluate();
    }

    /// Keeps the document as it was before this change for Ctrl+Z. A run
    /// of edits to one field or editor is one step back; every other
    /// change (a removal, a new step, a fix) is one of its own.
    fn remember(&mut self) {
        if *self.history.last_doc == self.ws.doc {
            return;
        }
        let key = std::mem::take(&mut self.history.key);
        let burst = !key.is_empty() && key == self.history.last_key && self.history.undo.is_some();
        if !burst {
            let prev = self.history.undo.take();
            let depth = prev.as_ref().map_or(0, |u| u.depth) + 1;
            let entry = Undo { doc: self.history.last_doc.clone(), selected: self.history.last_selected, prev, depth };
            self.history.undo = Some(Rc::new(if depth > UNDO_DEPTH { entry.trimmed() } else { entry }));
        }
        self.history.last_key = key;
        self.history.last_doc = Rc::new(self.ws.doc.clone());
        self.history.last_selected = self.ws.selected_step;
    }

    fn undo(&mut self) {
        let Some(u) = self.history.undo.take() else {
            self.notify(false, "Nothing to undo.".into());
            return;
        };
        self.ws.doc = (*u.doc).clone();
        self.ws.selected_step = u.selected.min(self.ws.steps().len().saturating_sub(1));
        self.history = History { undo: u.prev.clone(), last_doc: u.doc.clone(), last_selected: self.ws.selected_step, ..History::default() };
        self.version += 1;
        self.evaluate();
        self.notify(false, "Undone: the document is as it was before its last change (Ctrl+Z again goes further back).".into());
    }

    fn focus_on(&mut self, path: String, span: Span) {
        self.seq += 1;
        self.focus.clear();
        self.focus.insert(path, Focus { start: span.start, end: span.end, seq: self.seq });
    }

    /// Opens another scenario. The one being left is saved first, so its
    /// edits are never dropped; when it cannot be saved (too large), the
    /// other one is not opened.
    fn load(&mut self, w: Workspace) -> Result<(), String> {
        if let Some(saved) = &mut self.saved {
            saved.save_current(&self.ws)?;
            session::adopt(saved, &w)?;
        }
        self.replace_workspace(w);
        self.changed();
        Ok(())
    }

    fn replace_workspace(&mut self, w: Workspace) {
        self.ws = w;
        self.scenario += 1;
        // Ctrl+Z goes back within this scenario only.
        self.history = History { last_doc: Rc::new(self.ws.doc.clone()), ..History::default() };
        // The findings of the scenario left behind are not carried over.
        self.eval = Shared::default();
        self.checks = Shared::default();
        self.focus.clear();
        self.editor_messages.clear();
        self.result = None;
        // A map or a comparison is of the scenario left behind.
        self.review = Shared::default();
        self.initial_doc = Rc::new(self.ws.to_compact_text());
        if matches!(self.modal, Some(Modal::Access | Modal::Compare)) {
            self.modal = None;
        }
    }

    /// Says why an export could not be imported: in the Paste dialog if it
    /// came from there (and is still open), else as a notice.
    fn import_failed(&mut self, from: &ImportFrom, why: String) {
        match (from, &mut self.modal) {
            (ImportFrom::Paste, Some(Modal::Paste { error, .. })) => *error = Some(why),
            (ImportFrom::File(name), _) => self.notify(true, format!("{name} could not be opened: {why}")),
            _ => self.notify(true, format!("The pasted export could not be imported: {why}")),
        }
    }

    /// Blocks writing saved work, with the reason shown.
    pub fn block_saving(&mut self, why: String) {
        self.notify(true, why.clone());
        self.saving_blocked = Some(why);
    }

    /// Writes the saved work: re-reads the store, merges what other tabs
    /// wrote, sets aside a store they left unreadable, then writes.
    fn persist(&mut self) {
        if self.saving_blocked.is_some() {
            return;
        }
        let stored = services::load(STORAGE_KEY);
        let Some(write) = self.saved.as_mut().map(|saved| saved.prepare_write(&self.ws, stored.as_deref(), services::now_seconds())) else {
            return;
        };
        if let Some(copy) = &write.set_aside {
            match services::keep_set_aside(copy) {
                Ok(_) => {
                    self.set_aside_version += 1;
                    self.notify(true, format!("{}: Save as… lists it to download or delete", copy.reason));
                }
                Err(e) => {
                    self.block_saving(format!(
                        "The saved work in this browser was damaged by another tab and could not be set aside ({e}), so this tab does not save over it. Export your scenario to keep it."
                    ));
                    return;
                }
            }
        }
        match services::store(STORAGE_KEY, &write.text) {
            Ok(()) => {
                if let Some(saved) = &mut self.saved {
                    saved.written();
                }
                self.store_warned = false;
            }
            Err(e) if !self.store_warned && cfg!(target_arch = "wasm32") => {
                self.store_warned = true;
                self.notify(true, e);
            }
            Err(_) => {}
        }
        let fresh: Vec<String> = write.messages.iter().filter(|m| !self.write_messages.contains(m)).cloned().collect();
        for m in fresh {
            self.notify(true, m);
        }
        self.write_messages = write.messages;
        self.apply_merged(write.merged);
    }

    /// Another tab wrote the saved work.
    fn absorb(&mut self, stored: &str) {
        let Some(saved) = &mut self.saved else { return };
        if let Ok(merged) = saved.absorb(stored, &self.ws) {
            self.apply_merged(merged);
        }
    }

    fn apply_merged(&mut self, merged: Merged) {
        if let Some(text) = merged.reload {
            if let Ok(mut w) = Workspace::from_text(&text) {
                w.select_step(self.ws.selected_step);
                let name = self.saved.as_ref().map(|s| s.current.clone()).unwrap_or_default();
                // The same scenario, another tab's edit: "as it was opened" stays.
                let initial = self.initial_doc.clone();
                self.replace_workspace(w);
                self.initial_doc = initial;
                self.evaluate();
                self.notify(false, format!("“{name}” was changed in another tab; this tab now shows that version."));
            }
        }
        for kept in merged.kept_both {
            self.notify(false, format!("A scenario was changed in this tab and in another at once: the other tab's version is kept as “{kept}”."));
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // A worker's answer about an older text changes nothing: the same
        // state, so nothing is drawn again (a redraw resets the fields that
        // commit on change, such as an account's ID being typed).
        if matches!(&action, Action::Worker(Event::Checked { seq, .. }) if *seq != self.lint_wanted) {
            return self;
        }
        let mut s = (*self).clone();
        s.apply(action);
        Rc::new(s)
    }
}

impl State {
    pub fn apply(&mut self, action: Action) {
        self.typing = matches!(action, Action::EditPolicy { .. });
        self.history.key = match &action {
            Action::EditPolicy { path, .. } => format!("policy {path}"),
            Action::SetValue { ptr, .. } => format!("value {ptr}"),
            Action::SetStepText { step, field, .. } => format!("step {step} {field}"),
            Action::SetStepContext { step, key, .. } => format!("context {step} {key}"),
            _ => String::new(),
        };
        match action {
            Action::Worker(Event::Catalogue { info, ms }) => {
                services::record_catalogue_ms(ms);
                // The worker checks its last text again with it.
                self.catalogue = match info {
                    Ok(c) => CatalogueState::Ready(c),
                    Err(e) => CatalogueState::Failed(e),
                };
            }
            Action::Worker(Event::Checked { seq, findings, grants }) => {
                // An answer about an older text is dropped: the check of the
                // current one is on its way (or will be, when the user pauses).
                if seq == self.lint_wanted {
                    // One `Rc` per different grant, as the worker sent them.
                    let shared: Vec<Rc<ShownGrants>> = grants.grants.into_iter().map(Rc::new).collect();
                    let grants =
                        grants.statements.into_iter().filter_map(|(policy, index, g)| Some(((policy, index), shared.get(g)?.clone()))).collect();
                    self.checks = Shared(Rc::new(Checks { seq, findings, grants }));
                }
            }
            Action::Worker(e @ (Event::Progress { .. } | Event::Access { .. } | Event::Diff { .. })) => self.review_event(e),
            Action::Review(a) => self.review_action(a),
            Action::Worker(Event::Failed(why)) => {
                self.checks = Shared::default();
                self.catalogue = CatalogueState::ChecksUnavailable(why);
            }
            Action::Requested(arns) => self.requested(&arns),
            Action::Lint => {
                if !self.embedded() && !matches!(self.catalogue, CatalogueState::ChecksUnavailable(_)) {
                    worker_client::check(self.lint_wanted, self.ws.to_compact_text(), services::now_seconds());
                }
            }
            Action::ApplyFix { ptr, path, span, text } => {
                let policy = ptr.get(&self.ws.doc).and_then(Value::as_str).unwrap_or_default().to_string();
                // The span is the JSON string, quotes included; a text changed
                // since the checks ran is left alone.
                if policy.get(span.start..span.end).filter(|o| o.len() >= 2 && o.starts_with('"') && o.ends_with('"')).is_none() {
                    self.editor_messages.insert(path, "the policy changed since it was checked: try again in a moment".into());
                    return;
                }
                let new = serde_json::to_string(&text).unwrap_or_default();
                let fixed = format!("{}{new}{}", policy.get(..span.start).unwrap_or_default(), policy.get(span.end..).unwrap_or_default());
                self.set_policy(&ptr, path, &fixed);
            }
            Action::ApplyEdit { ptr, path, expected_len, from, to, insert } => {
                let policy = ptr.get(&self.ws.doc).and_then(Value::as_str).unwrap_or_default().to_string();
                match (policy.len() == expected_len, policy.get(..from), policy.get(to..)) {
                    (true, Some(head), Some(tail)) => {
                        let fixed = format!("{head}{insert}{tail}");
                        self.set_policy(&ptr, path, &fixed);
                    }
                    _ => {
                        self.editor_messages.insert(path, "the policy changed since this fix was offered: try again".into());
                    }
                }
            }
            Action::SetKey(offer) => match self.ws.apply_key_offer(&offer) {
                Ok(()) => self.changed(),
                Err(e) => self.notify(true, e),
            },
            Action::ManagedPolicy { arn, text } => {
                match text {
                    Ok(t) => {
                        worker_client::managed(arn.clone(), t.clone());
                        let mut all = (*self.managed.0).clone();
                        all.insert(arn, t);
                        self.managed = Shared(Rc::new(all));
                    }
                    Err(e) if !e.contains("HTTP 404") => self.notify(true, e),
                    Err(_) => {}
                }
                self.evaluate();
            }
            Action::EditPolicy { ptr, path, text } => self.set_policy(&ptr, path, &text),
            Action::FormatPolicy { ptr, path } => {
                let text = ptr.get(&self.ws.doc).and_then(Value::as_str).unwrap_or_default().to_string();
                match tokens::format_json(&text) {
                    Ok(pretty) if pretty == text => {
                        self.editor_messages.insert(path, "already formatted".into());
                    }
                    Ok(pretty) => {
                        self.editor_messages.remove(&path);
                        if self.ws.set_policy_text(&ptr, &pretty).is_ok() {
                            self.changed();
                        }
                    }
                    Err(e) => {
                        self.editor_messages.insert(path, e);
                    }
                }
            }
            Action::SetValue { ptr, value } => {
                if self.ws.set(&ptr, value).is_ok() {
                    self.changed();
                }
            }
            Action::RenameAccountId { index, id } => {
                let r = self.ws.rename_account_id(index, &id);
                if r.steps + r.policies > 0 {
                    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                    let (steps, policies) = (count(r.steps, "step", "steps"), count(r.policies, "policy", "policies"));
                    self.notify(false, format!("Account ID changed to {id}: updated {steps} and {policies} that referred to the old one."));
                }
                self.changed();
            }
            Action::EditStep { step, edit, text } => {
                match edit {
                    StepEdit::Duration => self.ws.set_step_duration(step, &text),
                    StepEdit::Tags => self.ws.set_step_tags(step, &text),
                    StepEdit::TransitiveKeys => self.ws.set_step_list(step, "transitiveTagKeys", &text),
                }
                self.changed();
            }
            Action::SetStepText { step, field, text } => {
                self.ws.set_step_text(step, field, &text);
                self.changed();
            }
            Action::SetStepContext { step, key, text } => {
                self.ws.set_step_context_value(step, &key, &text);
                self.changed();
            }
            Action::RenameContextKey { step, old, new } => match self.ws.rename_step_context_key(step, &old, &new) {
                Ok(()) => self.changed(),
                Err(e) => self.notify(true, e),
            },
            Action::AddContextKey { step, key } => match self.ws.add_step_context_key(step, &key) {
                Ok(()) => self.changed(),
                Err(e) => self.notify(true, e),
            },
            Action::SetStepMfa { step, on } => {
                self.ws.set_step_mfa(step, on);
                self.changed();
            }
            Action::AddStep { assume_role } => {
                // A new request is made by the latest session an allowed
                // AssumeRole established.
                let session = self.result.as_ref().and_then(|r| r.steps.iter().rev().find_map(|s| s.session.clone()));
                self.ws.add_step_as(assume_role, session);
                self.changed();
            }
            Action::DuplicateStep(i) => {
                self.ws.duplicate_step(i);
                self.changed();
            }
            Action::MoveStep { up } => {
                self.ws.move_step(self.ws.selected_step, up);
                self.changed();
            }
            Action::Undo => self.undo(),
            Action::RemoveStep(i) => {
                self.ws.remove_step(i);
                self.changed();
            }
            Action::SelectStep(i) => {
                self.ws.select_step(i);
                self.focus.clear();
                self.version += 1;
            }
            Action::NextStep => {
                self.ws.next_step();
                self.focus.clear();
                self.version += 1;
            }
            Action::PreviousStep => {
                self.ws.previous_step();
                self.focus.clear();
                self.version += 1;
            }
            Action::AddSessionPolicy(step) => {
                self.ws.add_session_policy(step);
                self.changed();
            }
            Action::AddBucketPolicy { account, bucket } => {
                self.ws.add_bucket_policy(account, bucket);
                self.changed();
            }
            Action::AddPolicyLevel { account, key } => {
                self.ws.add_policy_level(account, key);
                self.changed();
            }
            Action::RemovePolicyLevel { account, key } => {
                self.ws.remove_policy_level(account, key);
                self.changed();
            }
            Action::FocusStatement { policy, span } => {
                if let Some(path) = self.editors.get(&policy).cloned() {
                    self.focus_on(path, span);
                }
            }
            Action::FocusEditor { path, span } => self.focus_on(path, span),
            Action::Load { workspace, message } => match self.load(*workspace) {
                Ok(()) => {
                    self.opened_version = self.version;
                    if let Some(m) = message {
                        self.notify(false, m);
                    }
                }
                Err(e) => self.notify(true, format!("{e}. The other scenario was not opened, so that nothing is lost.")),
            },
            Action::SwitchSaved(name) => {
                let Some(saved) = &mut self.saved else { return };
                match saved.switch(&self.ws, &name) {
                    Ok(w) => {
                        self.replace_workspace(w);
                        self.changed();
                    }
                    Err(e) => self.notify(true, e),
                }
            }
            Action::SaveAs(name) => {
                let Some(saved) = &mut self.saved else { return };
                match saved.save_as(&self.ws, &name) {
                    Ok(name) => {
                        self.modal = None;
                        self.version += 1;
                        self.notify(false, format!("Saved as “{name}”."));
                    }
                    Err(e) => {
                        if let Some(Modal::Saved { error, .. }) = &mut self.modal {
                            *error = Some(e);
                        }
                    }
                }
            }
            Action::DeleteSaved(name) => {
                let Some(saved) = &mut self.saved else { return };
                match saved.delete(&name) {
                    Ok(()) => {
                        self.version += 1;
                        if let Some(Modal::Saved { error, .. }) = &mut self.modal {
                            *error = None;
                        }
                    }
                    Err(e) => {
                        if let Some(Modal::Saved { error, .. }) = &mut self.modal {
                            *error = Some(e);
                        }
                    }
                }
            }
            Action::Persist => self.persist(),
            Action::StorageChanged(text) => self.absorb(&text),
            Action::SetAsideChanged => self.set_aside_version += 1,
            Action::Open(Modal::Access) => {
                self.modal = Some(Modal::Access);
                // Mapped again unless the map shown is of this text (or on its way).
                if !self.review.access.is_for(self.lint_wanted) {
                    self.review_action(crate::review::ReviewAction::Map);
                }
            }
            Action::Open(m) => self.modal = Some(m),
            Action::CloseModal => self.modal = None,
            // Worked out in the worker (a long scenario takes a while).
            Action::Tighten { path } => {
                self.tighten_seq += 1;
                self.tighten_version = self.version;
                if !worker_client::tighten(self.tighten_seq, self.ws.to_compact_text(), path, services::now_seconds()) {
                    self.notify(true, "Tighten needs the app's worker, which is not running here.".into());
                }
            }
            Action::ImportExport { text, from } => {
                self.import_seq += 1;
                let source = match &from {
                    ImportFrom::File(name) => name.clone(),
                    ImportFrom::Paste => "the pasted export".into(),
                };
                if worker_client::import(self.import_seq, text, source) {
                    self.importing = Some(from);
                } else {
                    self.import_failed(&from, "importing an AWS export needs the app's worker, which is not running here".into());
                }
            }
            Action::Worker(Event::Imported { seq, result }) => {
                // Only the latest import's answer (an older one leaves it waiting).
                if seq != self.import_seq {
                    return;
                }
                let Some(from) = self.importing.take() else { return };
                match result.map(|(doc, note)| (Workspace::from_text(&doc), note)) {
                    Ok((Ok(w), note)) => {
                        if from == ImportFrom::Paste {
                            self.modal = None;
                        }
                        self.apply(Action::Load { workspace: Box::new(w), message: Some(note) });
                    }
                    Ok((Err(e), _)) => self.import_failed(&from, crate::toolbar::import_error(&e)),
                    Err(e) => self.import_failed(&from, e),
                }
            }
            Action::Worker(Event::Tightened { seq, result }) => {
                if seq == self.tighten_seq {
                    // A proposal for a text edited since would undo the edit on Apply.
                    if self.version != self.tighten_version {
                        self.notify(false, "The scenario changed while the policy was being tightened: press Tighten again.".into());
                        return;
                    }
                    match result.map(|v| (*v).clone().placed(&self.ws)) {
                        Ok(Some(view)) => self.modal = Some(Modal::Tighten(Rc::new(view))),
                        Ok(None) => {}
                        Err(e) => self.notify(true, e),
                    }
                }
            }
            Action::Notify { error, text } => self.notify(error, text),
            Action::Dismiss(id) => self.notices.retain(|n| n.id != id),
            Action::Course(a) => self.course_action(a),
        }
        self.check_course();
    }

    fn course_action(&mut self, a: CourseAction) {
        let last = COURSE.len().saturating_sub(1);
        match a {
            CourseAction::Open(n) => self.course = Some(n.min(last)),
            CourseAction::Close => self.course = None,
            CourseAction::Start(n) => {
                let n = n.min(last);
                let Some(lesson) = COURSE.get(n) else { return };
                match lesson.example_text().map(Workspace::from_text) {
                    Some(Ok(w)) => self.apply(Action::Load {
                        workspace: Box::new(w),
                        message: Some(format!("Opened the example of lesson {}: {}.", n + 1, lesson.title)),
                    }),
                    _ => self.notify(true, format!("The example of lesson {} could not be opened.", n + 1)),
                }
                self.course = Some(n);
            }
            CourseAction::Reset(n) => {
                let Some(lesson) = COURSE.get(n) else { return };
                let mut p = (*self.course_progress).clone();
                p.reset(lesson);
                self.save_course(p);
            }
        }
    }

    /// Marks the open lesson's current task done when the latest result
    /// meets it, and says so.
    fn check_course(&mut self) {
        let (Some(n), Some(result), false) = (self.course, self.result.clone(), self.stale) else { return };
        let mut p = (*self.course_progress).clone();
        let Some(done) = p.check(n, &result) else { return };
        self.notify(false, done);
        self.save_course(p);
    }

    fn save_course(&mut self, p: Progress) {
        if !self.embedded() {
            let _ = services::store(PROGRESS_KEY, &p.to_storage());
        }
        self.course_progress = Rc::new(p);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use trustwalk_core::scenario::Outcome;

    fn state() -> State {
        State::new(session::startup("", None, 0))
    }

    fn decisions(s: &State) -> Vec<Outcome> {
        s.result.as_ref().unwrap().steps.iter().map(|r| r.decision).collect()
    }

    #[test]
    fn edits_re_evaluate_policy_errors_stay_contained_and_other_errors_keep_the_last_result_as_stale() {
        let mut s = state();
        assert_eq!(decisions(&s), vec![Outcome::Allowed, Outcome::Allowed, Outcome::ImplicitDeny]);
        let slot = s.ws.policy_slots().into_iter().find(|p| p.display == "StageRole/trustPolicy").unwrap();
        s.apply(Action::EditPolicy { ptr: slot.ptr.clone(), path: slot.json_path.clone(), text: slot.text.replace("111111111111", "333333333333") });
        assert_eq!(decisions(&s)[..2], [Outcome::ImplicitDeny, Outcome::Skipped]);
        assert!(!s.stale);
        s.apply(Action::EditPolicy { ptr: slot.ptr.clone(), path: slot.json_path.clone(), text: "{".into() });
        // An error inside a policy stays there: fresh results, the steps
        // that need the policy not evaluated.
        assert!(!s.stale);
        assert!(s.eval.has_errors());
        assert_eq!(decisions(&s), vec![Outcome::Invalid, Outcome::Skipped, Outcome::Skipped]);
        // An error in a step keeps the last result, marked stale.
        s.apply(Action::SetStepText { step: 0, field: "principal", text: "nobody".into() });
        assert!(s.stale, "the last result stays, marked stale");
        s.apply(Action::SetStepText { step: 0, field: "principal", text: "arn:aws:iam::111111111111:user/StageAdmin".into() });
        s.apply(Action::FormatPolicy { ptr: slot.ptr.clone(), path: slot.json_path.clone() });
        assert!(s.editor_messages.get(&slot.json_path).unwrap().starts_with("not formatted"));
        s.apply(Action::EditPolicy { ptr: slot.ptr.clone(), path: slot.json_path.clone(), text: slot.text.replace("\n", "") });
        s.apply(Action::FormatPolicy { ptr: slot.ptr.clone(), path: slot.json_path.clone() });
        assert_eq!(s.ws.policy_slots().into_iter().find(|p| p.display == "StageRole/trustPolicy").unwrap().text, slot.text);
        assert!(!s.stale);
    }

    #[test]
    fn ctrl_z_brings_back_a_removed_step_and_a_run_of_edits_is_one_step_back() {
        let mut s = state();
        let original = s.ws.doc.clone();
        // Typing in one field: one step back for the whole run.
        for text in ["s3:G", "s3:Get", "s3:GetObjectAcl"] {
            s.apply(Action::SetStepText { step: 1, field: "action", text: text.into() });
        }
        s.apply(Action::RemoveStep(2));
        assert_eq!(s.ws.steps().len(), 2);
        s.apply(Action::Undo);
        assert_eq!(s.ws.steps().len(), 3, "the removal is undone");
        assert_eq!(s.ws.step_field(1, "action"), "s3:GetObjectAcl", "the edits before it stay");
        s.apply(Action::Undo);
        assert_eq!(s.ws.doc, original, "the run of edits is undone at once");
        assert_eq!(decisions(&s), vec![Outcome::Allowed, Outcome::Allowed, Outcome::ImplicitDeny]);
        s.apply(Action::Undo);
        assert_eq!(s.ws.doc, original, "nothing further back");
        // Duplicating and moving are changes of their own too.
        s.apply(Action::DuplicateStep(1));
        s.apply(Action::MoveStep { up: true });
        assert_eq!(s.ws.selected_step, 1);
        s.apply(Action::Undo);
        s.apply(Action::Undo);
        assert_eq!(s.ws.doc, original);
    }

    #[test]
    fn a_damaged_link_after_a_good_one_replaces_its_notice() {
        let mut s = state();
        s.apply(Action::Load { workspace: Box::new(Workspace::example()), message: Some("Opened the shared scenario.".into()) });
        s.apply(Action::Notify { error: true, text: "This link could not be opened: it is damaged.".into() });
        let texts: Vec<&str> = s.notices.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["This link could not be opened: it is damaged."]);
    }

    #[test]
    fn clicking_a_statement_focuses_its_editor() {
        let mut s = state();
        let step = s.result.as_ref().unwrap().steps[0].clone();
        let d = &step.decisive[1];
        s.apply(Action::FocusStatement { policy: d.policy.clone(), span: d.span });
        let f = *s.focus.get("accounts[1].roles[0].trustPolicy").unwrap();
        assert_eq!((f.start, f.end), (d.span.start, d.span.end));
    }

    #[test]
    fn loading_keeps_the_previous_scenario_in_saved_work() {
        let mut s = state();
        let (_, text) = trustwalk_playground::EXAMPLES[2];
        s.apply(Action::Load { workspace: Box::new(Workspace::from_text(text).unwrap()), message: None });
        assert_eq!(s.saved.as_ref().unwrap().names().len(), 2);
        s.apply(Action::SaveAs("copy".into()));
        assert_eq!(s.saved.as_ref().unwrap().current, "copy");
        s.apply(Action::DeleteSaved("copy".into()));
        assert_eq!(s.saved.as_ref().unwrap().names().len(), 3, "the current one cannot be deleted");
    }

    /// Edits made since the page loaded are saved before another scenario
    /// is opened (an example, a file, a paste or a link).
    #[test]
    fn loading_another_scenario_keeps_the_edits_of_the_one_left() {
        let mut s = state();
        let first = s.saved.as_ref().unwrap().current.clone();
        s.apply(Action::SetValue { ptr: Ptr::root().key("title"), value: Some(Value::String("Edited before loading".into())) });
        let (_, text) = trustwalk_playground::EXAMPLES[2];
        s.apply(Action::Load { workspace: Box::new(Workspace::from_text(text).unwrap()), message: None });
        let saved = s.saved.as_ref().unwrap();
        let kept = Workspace::from_text(saved.scenarios.get(&first).unwrap()).unwrap();
        assert_eq!(kept.title(), Some("Edited before loading"));
        // Switching back shows the edit.
        s.apply(Action::SwitchSaved(first));
        assert_eq!(s.ws.title(), Some("Edited before loading"));
    }

    /// A scenario too large to save is not dropped for another one.
    #[test]
    fn a_scenario_too_large_to_save_is_not_dropped_by_loading_another() {
        let mut s = state();
        let pad = "a".repeat(trustwalk_playground::MAX_DOCUMENT_BYTES);
        s.ws.set(&Ptr::root().key("x-pad"), Some(Value::String(pad))).unwrap();
        let (_, text) = trustwalk_playground::EXAMPLES[2];
        s.apply(Action::Load { workspace: Box::new(Workspace::from_text(text).unwrap()), message: None });
        assert!(s.ws.doc.get("x-pad").is_some(), "still the large scenario");
        assert!(
            s.notices.iter().any(|n| n.error && n.text.contains("was not opened")),
            "{:?}",
            s.notices.iter().map(|n| &n.text).collect::<Vec<_>>()
        );
    }

    /// Another tab's write reaches this tab's saved work.
    #[test]
    fn another_tabs_scenario_joins_the_menu() {
        let mut s = state();
        let mut other = SavedWork::from_storage(&s.saved.as_ref().unwrap().to_storage()).unwrap();
        other.save_as(&Workspace::example(), "alpha").unwrap();
        s.apply(Action::StorageChanged(other.to_storage()));
        assert!(s.saved.as_ref().unwrap().names().contains(&"alpha".to_string()));
    }
}
