//! What runs in the app's Web Worker, apart from the page: the policy
//! checks with their codes' messages and help, AWS's catalogue (read
//! there), the AWS managed policies they need and what each Allow statement
//! grants, plus the editor's completion and hover. None of it is needed
//! for the first verdicts, so none of it is in the page's WebAssembly.
//!
//! The page and the worker exchange [`Request`]s and [`Response`]s,
//! encoded with [`encode`] (bincode). A check carries a sequence number:
//! the page keeps only the answer to the latest one it sent, so a finding
//! shown never belongs to an older text. [`Checker`] is the worker's whole
//! logic, tested here natively; `web/src/policy_worker.rs` only moves
//! bytes.

use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use trustwalk_core::catalogue::Catalogue;
use trustwalk_core::checks::grants::StatementGrants;
use trustwalk_core::checks::Finding;
use trustwalk_core::json::Span;
use trustwalk_core::scenario::{self, LoadOptions};
use trustwalk_core::{json as tjson, PolicyType};

use crate::assist::{self, Completion, Entity, Hover, Sources};
use crate::workspace::{Evaluated, Workspace};

/// From the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Check this scenario (compact JSON, policies as text, as
    /// [`Workspace::to_compact_text`] gives it); answered by
    /// [`Response::Checked`] with the same `seq`.
    Check { seq: u64, doc: String, now: i64 },
    /// The text of an AWS managed policy the scenario attaches (the page
    /// fetched it for its own evaluation).
    Managed { arn: String, text: String },
    /// Completion at byte `pos` of a policy's text.
    Complete { id: u64, text: String, pos: usize, policy_type: PolicyType },
    /// What the pointer is over at byte `pos` of a policy's text.
    Hover { id: u64, text: String, pos: usize },
    /// The scenario's ARNs and IDs (of the last checked scenario).
    Entities { id: u64 },
    /// The access map of this scenario (compact text): answered by
    /// [`Response::Progress`] after each principal, then [`Response::Access`].
    /// Waits for AWS's catalogue when it has not been read yet.
    Access { seq: u64, doc: String, now: i64 },
    /// What `new` (the scenario shown) changes from `old`: answered by
    /// [`Response::Diff`]. Also waits for the catalogue.
    Diff { seq: u64, old: String, new: String, now: i64 },
    /// The Tighten proposal for the policy editor at `path` of this
    /// scenario: answered by [`Response::Tightened`].
    Tighten { seq: u64, doc: String, path: String, now: i64 },
    /// Import an account's AWS export (Open or Paste of one, which the page
    /// recognised with [`Workspace::open_local`]): answered by
    /// [`Response::Imported`].
    Import { seq: u64, text: String, source: String },
}

/// Which AWS catalogue the worker read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueInfo {
    pub date: String,
    pub source_package: String,
    pub source_version: String,
}

/// A finding as the app shows it: its wording (message, code and help)
/// is made here, so that the page holds none of the checks' texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownFinding {
    /// `error`, `securityWarning`, `warning` or `suggestion`.
    pub severity: String,
    /// [`crate::problem::finding`]: `line 3, column 15: security warning: … [CODE] — help: …`.
    pub text: String,
    /// Where in the document (`accounts[0].users[0]…`).
    pub path: String,
    /// The editor of the policy given as text, when so.
    pub embedded_in: Option<String>,
    /// In that policy's text.
    pub span: Option<Span>,
    /// The one obvious fix: the text to put in place of the string at `span`.
    pub fix: Option<String>,
    /// Its code (`MISSING_VERSION`…), for the editor's quick fixes.
    pub code: String,
}

impl ShownFinding {
    pub fn of(f: &Finding) -> Self {
        Self {
            severity: f.severity.as_str().to_string(),
            text: crate::problem::finding(f),
            path: f.path.to_string(),
            embedded_in: f.embedded_in.as_ref().map(|p| p.as_str().to_string()),
            span: f.span,
            fix: f.fix.clone(),
            code: f.code.as_str().to_string(),
        }
    }
}

/// The actions one wildcard entry of `Action` matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownPattern {
    /// As written: `s3:Get*`.
    pub pattern: String,
    /// `63 actions: Read 61, List 2`.
    pub levels: String,
    /// Every action it matches, sorted.
    pub actions: Vec<String>,
}

/// What an Allow statement grants, as the explanation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownGrants {
    /// The statement uses `NotAction`.
    pub not_action: bool,
    /// `64 actions: Read 62, List 2`.
    pub levels: String,
    /// The entries with a wildcard (none for `NotAction`).
    pub wildcards: Vec<ShownPattern>,
}

impl ShownGrants {
    pub fn of(g: &StatementGrants) -> Self {
        let wildcards = if g.not_action {
            Vec::new()
        } else {
            g.patterns
                .iter()
                .filter(|p| p.pattern.contains(['*', '?']))
                .map(|p| ShownPattern { pattern: p.pattern.clone(), levels: p.levels.to_string(), actions: p.actions.clone() })
                .collect()
        };
        Self { not_action: g.not_action, levels: g.levels.to_string(), wildcards }
    }
}

/// What the statements of a check grant: each different grant once (a
/// policy with hundreds of statements that all say `s3:Get*` sends its
/// list of actions once), and for each Allow statement (the policy as
/// traces name it, the statement's index) the index of its grant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantsOf {
    pub grants: Vec<ShownGrants>,
    pub statements: Vec<(String, usize, usize)>,
}

impl GrantsOf {
    /// Each statement with what it grants.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize, &ShownGrants)> + '_ {
        self.statements.iter().filter_map(|(p, i, g)| Some((p.as_str(), *i, self.grants.get(*g)?)))
    }
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker is listening: requests sent before this are queued by the page.
    Ready,
    /// AWS's catalogue was read (in `ms`), or could not be.
    Catalogue {
        info: Result<CatalogueInfo, String>,
        ms: f64,
    },
    /// The checks of [`Request::Check`] `seq`.
    Checked {
        seq: u64,
        findings: Vec<ShownFinding>,
        grants: GrantsOf,
    },
    Completion {
        id: u64,
        completion: Option<Completion>,
    },
    Hover {
        id: u64,
        hover: Option<Hover>,
    },
    Entities {
        id: u64,
        entities: Vec<Entity>,
    },
    /// How far the access map of [`Request::Access`] `seq` is: `done` of
    /// `total` principals (for a [`Request::Diff`], both versions' maps).
    Progress {
        seq: u64,
        done: usize,
        total: usize,
    },
    Access {
        seq: u64,
        result: Result<crate::review::ShownAccess, String>,
    },
    Diff {
        seq: u64,
        result: Result<crate::review::ShownDiff, String>,
    },
    Tightened {
        seq: u64,
        result: Result<crate::tighten::TightenView, String>,
    },
    /// The imported scenario (compact text) and the sentence that says what
    /// was imported, or why it could not be.
    Imported {
        seq: u64,
        result: Result<(String, String), String>,
    },
    /// A request that could not be read (never sent by this app's page).
    Refused(String),
}

/// Encodes a request or response for `postMessage`.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serialize(value).unwrap_or_default()
}

/// Decodes what [`encode`] made; an error for anything else.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    bincode::deserialize(bytes).map_err(|e| format!("an unreadable message from the other side of the worker: {e}"))
}

/// The last scenario checked, for re-checking when the catalogue arrives
/// and for the editor's entities.
struct Last {
    seq: u64,
    ws: Workspace,
    now: i64,
    entities: Option<Rc<Vec<Entity>>>,
}

/// The worker's state and logic.
#[derive(Default)]
pub struct Checker {
    catalogue: Option<Catalogue>,
    /// Why AWS's catalogue could not be read, if so.
    catalogue_failed: Option<String>,
    managed: HashMap<String, String>,
    last: Option<Last>,
    /// Maps and diffs asked for before the catalogue was read.
    waiting: Vec<Request>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    /// AWS's catalogue file arrived (or could not be fetched): its note for
    /// the page, then the last scenario checked again with it.
    pub fn catalogue_arrived(&mut self, bytes: Result<Vec<u8>, String>, now_ms: &dyn Fn() -> f64) -> Vec<Response> {
        let t0 = now_ms();
        let read = bytes.and_then(|b| Catalogue::from_bytes(&b).map_err(|e| e.to_string()));
        let ms = now_ms() - t0;
        let info = read.map(|c| {
            let info = CatalogueInfo {
                date: c.date().to_string(),
                source_package: c.source_package().to_string(),
                source_version: c.source_version().to_string(),
            };
            self.catalogue = Some(c);
            info
        });
        let ok = info.is_ok();
        self.catalogue_failed = info.as_ref().err().cloned();
        let mut out = vec![Response::Catalogue { info, ms }];
        if ok {
            if let Some(last) = &self.last {
                out.push(self.check(last.seq, &last.ws, last.now));
            }
        }
        for request in std::mem::take(&mut self.waiting) {
            self.handle_with(request, &mut |r| out.push(r));
        }
        out
    }

    /// Answers one request (a managed policy needs no answer); a map's
    /// progress is left out (see [`Checker::handle_with`]).
    pub fn handle(&mut self, request: Request) -> Option<Response> {
        let mut last = None;
        self.handle_with(request, &mut |r| {
            if !matches!(r, Response::Progress { .. }) {
                last = Some(r)
            }
        });
        last
    }

    /// Answers one request through `post`, which a long request (a map,
    /// a diff) calls several times: its progress, then its answer.
    pub fn handle_with(&mut self, request: Request, post: &mut dyn FnMut(Response)) {
        if let Request::Access { .. } | Request::Diff { .. } = &request {
            self.review(request, post);
            return;
        }
        if let Some(r) = self.answer(request) {
            post(r);
        }
    }

    /// A map or a diff: with the catalogue, or once it is read.
    fn review(&mut self, request: Request, post: &mut dyn FnMut(Response)) {
        let Some(catalogue) = &self.catalogue else {
            match &self.catalogue_failed {
                None => self.waiting.push(request),
                Some(why) => {
                    let why = format!("AWS's catalogue of actions could not be read ({why}), so there is no list of actions to map");
                    match request {
                        Request::Diff { seq, .. } => post(Response::Diff { seq, result: Err(why) }),
                        Request::Access { seq, .. } => post(Response::Access { seq, result: Err(why) }),
                        _ => {}
                    }
                }
            }
            return;
        };
        match request {
            Request::Access { seq, doc, now } => {
                let result = crate::review::load(&doc, &self.managed)
                    .map(|s| crate::review::access(&s, catalogue, now, &mut |done, total| post(Response::Progress { seq, done, total })));
                post(Response::Access { seq, result });
            }
            Request::Diff { seq, old, new, now } => {
                let result = crate::review::load(&old, &self.managed)
                    .map_err(|e| format!("the other version: {e}"))
                    .and_then(|o| Ok((o, crate::review::load(&new, &self.managed).map_err(|e| format!("the scenario shown: {e}"))?)))
                    .map(|(o, n)| crate::review::diff(&o, &n, catalogue, now, &mut |done, total| post(Response::Progress { seq, done, total })));
                post(Response::Diff { seq, result });
            }
            _ => {}
        }
    }

    fn answer(&mut self, request: Request) -> Option<Response> {
        Some(match request {
            Request::Check { seq, doc, now } => match Workspace::from_text(&doc) {
                Ok(ws) => {
                    let out = self.check(seq, &ws, now);
                    self.last = Some(Last { seq, ws, now, entities: None });
                    out
                }
                // The page sends what it holds, which always reads: nothing to show.
                Err(_) => Response::Checked { seq, findings: Vec::new(), grants: GrantsOf::default() },
            },
            Request::Managed { arn, text } => {
                self.managed.insert(arn, text);
                return None;
            }
            Request::Complete { id, text, pos, policy_type } => {
                let entities = self.entities();
                let completion = assist::complete(&text, pos, policy_type, Sources { catalogue: self.catalogue.as_ref(), entities: &entities });
                Response::Completion { id, completion }
            }
            Request::Hover { id, text, pos } => {
                let entities = self.entities();
                let hover = assist::hover(&text, pos, Sources { catalogue: self.catalogue.as_ref(), entities: &entities });
                Response::Hover { id, hover }
            }
            Request::Entities { id } => Response::Entities { id, entities: (*self.entities()).clone() },
            Request::Tighten { seq, doc, path, now } => {
                let result = Workspace::from_text(&doc)
                    .map_err(|_| "the scenario does not read".to_string())
                    .and_then(|ws| crate::tighten::propose(&ws, &path, now, &self.managed));
                Response::Tightened { seq, result }
            }
            Request::Import { seq, text, source } => {
                let result = Workspace::import_export(&text, &source)
                    .map(|(w, note)| (w.to_compact_text(), note))
                    .map_err(|e| e.first().map_or_else(|| "the export could not be read".to_string(), crate::problem::one_line));
                Response::Imported { seq, result }
            }
            Request::Access { .. } | Request::Diff { .. } => return None,
        })
    }

    /// The policy checks and the grants of `ws`.
    fn check(&self, seq: u64, ws: &Workspace, now: i64) -> Response {
        let mut eval = Evaluated::default();
        ws.lint(&mut eval, now, self.catalogue.as_ref(), &self.managed);
        let findings = eval.findings.iter().map(ShownFinding::of).collect();
        let mut statements: Vec<_> = eval.grants.iter().collect();
        statements.sort_by(|a, b| a.0.cmp(b.0));
        // Statements with the same `Action` share one computed grant.
        let mut index: HashMap<*const StatementGrants, usize> = HashMap::new();
        let mut grants = GrantsOf::default();
        for ((policy, i), g) in statements {
            let gi = *index.entry(Rc::as_ptr(g)).or_insert_with(|| {
                grants.grants.push(ShownGrants::of(g));
                grants.grants.len() - 1
            });
            grants.statements.push((policy.clone(), *i, gi));
        }
        Response::Checked { seq, findings, grants }
    }

    /// The entities of the last scenario checked (loaded once per check).
    fn entities(&mut self) -> Rc<Vec<Entity>> {
        let Some(last) = &mut self.last else { return Rc::default() };
        if let Some(e) = &last.entities {
            return e.clone();
        }
        let tree = tjson::from_value(&last.ws.doc);
        let entities = match scenario::load_json_with_options(&tree, &LoadOptions::with_managed_policies(&self.managed)) {
            Ok((s, _)) => Rc::new(assist::entities(&s)),
            Err(_) => Rc::default(),
        };
        last.entities = Some(entities.clone());
        entities
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::EXAMPLE;

    fn catalogue_bytes() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/data/catalogue.json")).unwrap()
    }

    fn ask(c: &mut Checker, r: Request) -> Response {
        c.handle(r).unwrap()
    }

    fn zero() -> f64 {
        0.0
    }

    /// The example with a typo in an action and PassRole on every role in
    /// StageAdmin's policy.
    fn with_typo() -> String {
        let mut ws = Workspace::example();
        let slot = ws.policy_slots().into_iter().find(|s| s.policy_type == PolicyType::Identity).unwrap();
        let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::222222222222:role/StageRole"},
  {"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "*"},
  {"Effect": "Allow", "Action": ["iam:PassRole", "s3:Get*"], "Resource": "*"}]}"#;
        ws.set_policy_text(&slot.ptr, text).unwrap();
        ws.to_compact_text()
    }

    fn checked(r: Response) -> (u64, Vec<ShownFinding>, GrantsOf) {
        match r {
            Response::Checked { seq, findings, grants } => (seq, findings, grants),
            other => panic!("not checked: {other:?}"),
        }
    }

    /// What crosses to the page and back is what was sent.
    fn round_trip(r: Response) -> Response {
        let back: Response = decode(&encode(&r)).unwrap();
        assert_eq!(back, r);
        back
    }

    #[test]
    fn checks_answer_with_the_sequence_number_and_worded_findings() {
        let mut c = Checker::new();
        let (seq, findings, grants) = checked(round_trip(ask(&mut c, Request::Check { seq: 7, doc: with_typo(), now: 0 })));
        assert_eq!(seq, 7);
        // Without the catalogue: PassRole on every role, no did-you-mean, no grants.
        let pass = findings.iter().find(|f| f.text.contains("iam:PassRole")).unwrap();
        assert_eq!(pass.severity, "securityWarning");
        assert!(pass.text.contains("— help: "), "{}", pass.text);
        assert!(pass.embedded_in.as_deref().unwrap().ends_with(".document"), "{pass:?}");
        assert!(pass.span.is_some());
        assert!(!findings.iter().any(|f| f.text.contains("s3:GetObjects")), "{findings:?}");
        assert_eq!(grants, GrantsOf::default());
    }

    #[test]
    fn the_catalogue_brings_its_note_and_checks_the_last_scenario_again() {
        let mut c = Checker::new();
        ask(&mut c, Request::Check { seq: 3, doc: with_typo(), now: 0 });
        let out: Vec<Response> = c.catalogue_arrived(Ok(catalogue_bytes()), &zero).into_iter().map(round_trip).collect();
        let [Response::Catalogue { info: Ok(info), .. }, again] = &out[..] else { panic!("{out:?}") };
        assert!(info.date.len() == 10 && info.source_package.contains("iam-data"), "{info:?}");
        let (seq, findings, grants) = checked(again.clone());
        assert_eq!(seq, 3, "the same scenario, the same number");
        let typo = findings.iter().find(|f| f.text.contains("s3:GetObjects")).unwrap();
        assert_eq!(typo.severity, "error");
        assert_eq!(typo.fix.as_deref(), Some("s3:GetObject"));
        // What `s3:Get*` grants, listed.
        let (_, _, g) = grants.iter().find(|(_, _, g)| g.wildcards.iter().any(|w| w.pattern == "s3:Get*")).unwrap();
        // Every Allow statement of the scenario; the two that say only
        // `sts:AssumeRole` (StageAdmin's and the trust policy's) share one grant.
        assert_eq!((grants.statements.len(), grants.grants.len()), (6, 5), "{:?}", grants.statements);
        let assume: Vec<_> =
            grants.iter().filter(|(p, i, _)| (*p, *i) == ("StageAdmin/AllowAssume", 0) || (*p, *i) == ("StageRole/trustPolicy", 0)).collect();
        assert!(assume.len() == 2 && std::ptr::eq(assume[0].2, assume[1].2), "{assume:?}");
        let w = g.wildcards.iter().find(|w| w.pattern == "s3:Get*").unwrap();
        assert!(w.actions.contains(&"s3:GetObject".to_string()));
        assert!(w.levels.contains("actions: Read"), "{}", w.levels);
        assert!(g.levels.starts_with(&format!("{} actions", w.actions.len() + 1)), "{}", g.levels);
    }

    #[test]
    fn a_catalogue_that_cannot_be_read_is_said_and_checks_go_on_without_it() {
        let mut c = Checker::new();
        let out = c.catalogue_arrived(Ok(b"{not json".to_vec()), &zero);
        assert!(matches!(&out[..], [Response::Catalogue { info: Err(_), .. }]), "{out:?}");
        let out = c.catalogue_arrived(Err("HTTP 404".into()), &zero);
        assert!(matches!(&out[..], [Response::Catalogue { info: Err(e), .. }] if e == "HTTP 404"), "{out:?}");
        let (_, findings, _) = checked(ask(&mut c, Request::Check { seq: 1, doc: with_typo(), now: 0 }));
        assert!(findings.iter().any(|f| f.text.contains("iam:PassRole")));
    }

    #[test]
    fn managed_policies_given_to_the_worker_are_loaded_with_the_scenario() {
        let mut c = Checker::new();
        let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        let mut ws = Workspace::from_text(&with_typo()).unwrap();
        let user = crate::Ptr::root().key("accounts").index(0).key("users").index(0).key("managedPolicies");
        ws.set(&user, Some(serde_json::json!([arn]))).unwrap();
        let doc = ws.to_compact_text();
        // Unknown to the worker: the scenario does not load, no findings.
        let (_, before, _) = checked(ask(&mut c, Request::Check { seq: 1, doc: doc.clone(), now: 0 }));
        assert!(before.is_empty(), "{before:?}");
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}"#;
        assert!(c.handle(Request::Managed { arn: arn.into(), text: text.into() }).is_none(), "no answer needed");
        let (_, after, _) = checked(ask(&mut c, Request::Check { seq: 2, doc, now: 0 }));
        assert!(after.iter().any(|f| f.text.contains("iam:PassRole")), "{after:?}");
    }

    #[test]
    fn completion_hover_and_entities_use_the_worker_catalogue_and_the_last_scenario() {
        let mut c = Checker::new();
        ask(&mut c, Request::Check { seq: 1, doc: EXAMPLE_COMPACT.with(|d| d.clone()), now: 0 });
        c.catalogue_arrived(Ok(catalogue_bytes()), &zero);
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObj", "Resource": "arn"}]}"#;
        let pos = text.find("GetObj").unwrap() + 6;
        let Response::Completion { id, completion: Some(comp) } =
            round_trip(ask(&mut c, Request::Complete { id: 9, text: text.into(), pos, policy_type: PolicyType::Identity }))
        else {
            panic!("no completion")
        };
        assert_eq!(id, 9);
        assert!(comp.options.iter().any(|o| o.label == "s3:GetObject"), "{:?}", comp.options.iter().map(|o| &o.label).collect::<Vec<_>>());
        let pos = text.find("arn\"").unwrap() + 1;
        let Response::Completion { completion: Some(comp), .. } =
            ask(&mut c, Request::Complete { id: 10, text: text.into(), pos, policy_type: PolicyType::Identity })
        else {
            panic!("no resource completion")
        };
        assert!(
            comp.options.iter().any(|o| o.label.contains("production-test-bucket-101")),
            "{:?}",
            comp.options.iter().map(|o| &o.label).collect::<Vec<_>>()
        );
        let pos = text.find("s3:GetObj").unwrap() + 2;
        let Response::Hover { id: 11, hover } = round_trip(ask(&mut c, Request::Hover { id: 11, text: text.into(), pos })) else {
            panic!("no hover")
        };
        // `s3:GetObj` is no action: the hover, if any, is about the text there.
        if let Some(h) = hover {
            assert!(h.from <= pos && pos <= h.to);
        }
        let Response::Entities { id: 12, entities } = round_trip(ask(&mut c, Request::Entities { id: 12 })) else { panic!("no entities") };
        assert!(entities.iter().any(|e| e.id == "arn:aws:iam::222222222222:role/StageRole"), "{entities:?}");
    }

    #[test]
    fn a_message_that_is_not_a_request_is_an_error_not_a_panic() {
        assert!(decode::<Request>(&[0xff, 0xff, 0xff, 0xff, 1, 2]).is_err());
        assert!(decode::<Request>(&[]).is_err());
    }

    #[test]
    fn a_document_that_does_not_read_gets_no_findings() {
        let mut c = Checker::new();
        let (seq, findings, grants) = checked(ask(&mut c, Request::Check { seq: 5, doc: "{".into(), now: 0 }));
        assert_eq!((seq, findings.len(), grants.statements.len()), (5, 0, 0));
    }

    fn posted(c: &mut Checker, r: Request) -> Vec<Response> {
        let mut out = Vec::new();
        c.handle_with(r, &mut |x| out.push(round_trip(x)));
        out
    }

    #[test]
    fn a_map_asked_before_the_catalogue_waits_for_it_and_reports_progress() {
        let mut c = Checker::new();
        let doc = EXAMPLE_COMPACT.with(|d| d.clone());
        assert!(posted(&mut c, Request::Access { seq: 4, doc: doc.clone(), now: 0 }).is_empty(), "waits for the catalogue");
        let out = c.catalogue_arrived(Ok(catalogue_bytes()), &zero);
        let progress: Vec<(usize, usize)> =
            out.iter().filter_map(|r| if let Response::Progress { seq: 4, done, total } = r { Some((*done, *total)) } else { None }).collect();
        assert_eq!(progress, vec![(1, 2), (2, 2)], "after each of the example's two principals");
        let Some(Response::Access { seq: 4, result: Ok(map) }) = out.last() else { panic!("{out:?}") };
        assert_eq!(map.principals.len(), 2);
        assert!(map.cells >= 5, "{}", map.cells);
        // Once read, a map is answered at once, progress first.
        let out = posted(&mut c, Request::Access { seq: 5, doc: doc.clone(), now: 0 });
        assert!(
            matches!(out.first(), Some(Response::Progress { seq: 5, .. })) && matches!(out.last(), Some(Response::Access { seq: 5, result: Ok(_) }))
        );
        // A diff of the example with itself: nothing changed; both maps' progress.
        let out = posted(&mut c, Request::Diff { seq: 6, old: doc.clone(), new: doc, now: 0 });
        let (progress, last) = out.split_at(out.len() - 1);
        assert!(matches!(progress.last(), Some(Response::Progress { seq: 6, done: 4, total: 4 })), "{progress:?}");
        let [Response::Diff { seq: 6, result: Ok(d) }] = last else { panic!("{out:?}") };
        assert!(!d.new_access && d.changes.is_empty() && d.steps.is_empty());
        // A version that does not load is said, about the right side.
        let out = posted(&mut c, Request::Diff { seq: 7, old: "{".into(), new: with_typo(), now: 0 });
        // (Nothing is mapped: no progress.)
        let [Response::Diff { seq: 7, result: Err(e) }] = &out[..] else { panic!("{out:?}") };
        assert!(e.starts_with("the other version: "), "{e}");
    }

    #[test]
    fn tighten_answers_with_the_proposal_or_why_not() {
        let mut c = Checker::new();
        let doc = EXAMPLE_COMPACT.with(|d| d.clone());
        let path = "accounts[1].roles[0].policies[0].document".to_string();
        let sent = ask(&mut c, Request::Tighten { seq: 3, doc: doc.clone(), path: path.clone(), now: 0 });
        // The editor's place does not cross (the page sets it from the path).
        let Response::Tightened { seq: 3, result: Ok(view) } = decode::<Response>(&encode(&sent)).unwrap() else { panic!("no proposal") };
        assert!(view.changed && view.text.contains("Sunset.jpg"), "{view:?}");
        let ws = Workspace::from_text(&doc).unwrap();
        let placed = view.placed(&ws).unwrap();
        assert_eq!(placed.ptr.to_string(), path);
        let trust = "accounts[1].roles[0].trustPolicy".to_string();
        let Response::Tightened { result: Err(e), .. } = ask(&mut c, Request::Tighten { seq: 4, doc, path: trust, now: 0 }) else {
            panic!("tightened a trust policy")
        };
        assert!(e.starts_with("only identity and session policies"), "{e}");
    }

    #[test]
    fn an_export_is_imported_in_the_worker() {
        let mut c = Checker::new();
        let export =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/exports/staging-authorization-details.json")).unwrap();
        assert!(matches!(Workspace::open_local(&export), Ok(crate::workspace::Opened::Export)));
        let Response::Imported { seq: 2, result: Ok((doc, note)) } =
            round_trip(ask(&mut c, Request::Import { seq: 2, text: export, source: "staging.json".into() }))
        else {
            panic!("not imported")
        };
        assert!(note.starts_with("Imported the AWS export of account 111111111111"), "{note}");
        assert_eq!(Workspace::from_text(&doc).unwrap().doc["accounts"][0]["id"], "111111111111");
        let bad = r#"{"RoleDetailList": [{"RoleName": "R"}]}"#;
        assert!(matches!(Workspace::open_local(bad), Ok(crate::workspace::Opened::Export)));
        let Response::Imported { result: Err(e), .. } = ask(&mut c, Request::Import { seq: 3, text: bad.into(), source: "r.json".into() }) else {
            panic!("imported a role without a trust policy")
        };
        assert!(e.contains("r.json: at $.RoleDetailList[0].AssumeRolePolicyDocument: missing policy document"), "{e}");
        // A scenario is read on the page, an unreadable text refused there.
        assert!(matches!(Workspace::open_local(crate::EXAMPLE), Ok(crate::workspace::Opened::Scenario(_))));
        assert!(Workspace::open_local(r#"{"Policy": "{}"}"#).is_err());
    }

    #[test]
    fn without_a_catalogue_a_map_says_why() {
        let mut c = Checker::new();
        let doc = EXAMPLE_COMPACT.with(|d| d.clone());
        assert!(posted(&mut c, Request::Access { seq: 1, doc: doc.clone(), now: 0 }).is_empty());
        let out = c.catalogue_arrived(Err("HTTP 404".into()), &zero);
        let Some(Response::Access { seq: 1, result: Err(e) }) = out.last() else { panic!("{out:?}") };
        assert!(e.contains("HTTP 404"), "{e}");
        let out = posted(&mut c, Request::Diff { seq: 2, old: doc.clone(), new: doc, now: 0 });
        assert!(matches!(&out[..], [Response::Diff { seq: 2, result: Err(_) }]), "{out:?}");
    }

    thread_local! {
        static EXAMPLE_COMPACT: String = Workspace::from_text(EXAMPLE).unwrap().to_compact_text();
    }
}
