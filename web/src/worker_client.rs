//! The page's side of the app's Web Worker (`trustwalk_playground::worker`,
//! web/src/policy_worker.rs): started once the first verdicts are on
//! screen, it reads AWS's catalogue and runs the policy checks, so that the
//! page's WebAssembly holds neither and a keystroke only evaluates.
//!
//! Checks are sent with a sequence number (the state's `lint_wanted`); the
//! state keeps only the answer to the latest. Requests sent before the
//! worker listens wait in a queue. When the worker cannot be loaded or
//! crashes, [`Event::Failed`] says so, every pending question is answered
//! with nothing, and later requests are dropped: the page goes on
//! evaluating without the checks.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::Uint8Array;
use trustwalk_core::PolicyType;
use trustwalk_playground::assist::{Completion, Entity, Hover};
use trustwalk_playground::review::{ShownAccess, ShownDiff};
use trustwalk_playground::tighten::TightenView;
use trustwalk_playground::worker::{decode, encode, CatalogueInfo, GrantsOf, Request, Response, ShownFinding};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's loader, beside the app (index.html copies it).
const WORKER_SCRIPT: &str = "policy-worker.js";

/// What the worker tells the app.
#[derive(Clone)]
pub enum Event {
    Catalogue {
        info: Result<CatalogueInfo, String>,
        ms: f64,
    },
    Checked {
        seq: u64,
        findings: Vec<ShownFinding>,
        grants: GrantsOf,
    },
    /// How far the access map or the diff `seq` is (the worker's
    /// [`Response`]s, with the answers shared by `Rc`).
    Progress {
        seq: u64,
        done: usize,
        total: usize,
    },
    Access {
        seq: u64,
        result: Result<Rc<ShownAccess>, String>,
    },
    Diff {
        seq: u64,
        result: Result<Rc<ShownDiff>, String>,
    },
    Tightened {
        seq: u64,
        result: Result<Rc<TightenView>, String>,
    },
    /// An AWS export imported: the scenario (compact text) and the note.
    Imported {
        seq: u64,
        result: Result<(String, String), String>,
    },
    /// The worker could not be loaded, or crashed: why.
    Failed(String),
}

enum Phase {
    /// Not started (the embedded view, native tests): requests are dropped.
    Off,
    /// Loading: requests wait here.
    Starting(Vec<Vec<u8>>),
    Ready,
    Failed,
}

struct Client {
    worker: Option<Worker>,
    phase: Phase,
    on_event: Option<Rc<dyn Fn(Event)>>,
    next_id: u64,
    /// Questions waiting for their answer: the promise's `resolve`.
    pending: HashMap<u64, js_sys::Function>,
    answers: HashMap<u64, Response>,
    /// Kept alive as long as the worker.
    _listeners: Vec<Closure<dyn Fn(JsValue)>>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client {
        worker: None,
        phase: Phase::Off,
        on_event: None,
        next_id: 0,
        pending: HashMap::new(),
        answers: HashMap::new(),
        _listeners: Vec::new(),
    });
}

/// Starts the worker (once); `on_event` receives what it tells the app.
pub fn start(on_event: impl Fn(Event) + 'static) {
    if CLIENT.with(|c| c.borrow().worker.is_some()) {
        return;
    }
    let on_event: Rc<dyn Fn(Event)> = Rc::new(on_event);
    let worker = match Worker::new(WORKER_SCRIPT) {
        Ok(w) => w,
        Err(e) => {
            on_event(Event::Failed(e.as_string().unwrap_or_else(|| "the browser refused to start it".into())));
            CLIENT.with(|c| c.borrow_mut().phase = Phase::Failed);
            return;
        }
    };
    let on_message = Closure::<dyn Fn(JsValue)>::new(|e: JsValue| {
        let Some(e) = e.dyn_ref::<MessageEvent>() else { return };
        let bytes = Uint8Array::new(&e.data()).to_vec();
        match decode::<Response>(&bytes) {
            Ok(r) => received(r),
            Err(e) => failed(e),
        }
    });
    let on_error = Closure::<dyn Fn(JsValue)>::new(|e: JsValue| {
        // The event of a script that failed to load has no message.
        let message = e.dyn_ref::<ErrorEvent>().map(ErrorEvent::message).filter(|m| !m.is_empty());
        failed(message.unwrap_or_else(|| "its script could not be loaded".into()));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.worker = Some(worker);
        c.phase = Phase::Starting(Vec::new());
        c.on_event = Some(on_event);
        c._listeners = vec![on_message, on_error];
    });
}

fn emit(event: Event) {
    if let Some(f) = CLIENT.with(|c| c.borrow().on_event.clone()) {
        f(event);
    }
}

fn received(r: Response) {
    match r {
        Response::Ready => CLIENT.with(|c| {
            let mut c = c.borrow_mut();
            if let Phase::Starting(queue) = std::mem::replace(&mut c.phase, Phase::Ready) {
                if let Some(w) = &c.worker {
                    for bytes in queue {
                        let _ = w.post_message(&Uint8Array::from(bytes.as_slice()));
                    }
                }
            }
        }),
        Response::Catalogue { info, ms } => emit(Event::Catalogue { info, ms }),
        Response::Checked { seq, findings, grants } => emit(Event::Checked { seq, findings, grants }),
        Response::Progress { seq, done, total } => emit(Event::Progress { seq, done, total }),
        Response::Access { seq, result } => emit(Event::Access { seq, result: result.map(Rc::new) }),
        Response::Diff { seq, result } => emit(Event::Diff { seq, result: result.map(Rc::new) }),
        Response::Tightened { seq, result } => emit(Event::Tightened { seq, result: result.map(Rc::new) }),
        Response::Imported { seq, result } => emit(Event::Imported { seq, result }),
        Response::Completion { id, .. } | Response::Hover { id, .. } | Response::Entities { id, .. } => {
            let resolve = CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                c.answers.insert(id, r);
                c.pending.remove(&id)
            });
            if let Some(f) = resolve {
                let _ = f.call0(&JsValue::NULL);
            }
        }
        // Never sent to this page's requests.
        Response::Refused(_) => {}
    }
}

/// The worker is gone: say so, answer every pending question with nothing.
fn failed(why: String) {
    let (pending, was_failed) = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let was_failed = matches!(c.phase, Phase::Failed);
        c.phase = Phase::Failed;
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        (std::mem::take(&mut c.pending), was_failed)
    });
    for f in pending.into_values() {
        let _ = f.call0(&JsValue::NULL);
    }
    if !was_failed {
        emit(Event::Failed(why));
    }
}

/// Sends a request, or queues it until the worker listens; `false` when
/// there is no worker to send it to.
fn send(request: &Request) -> bool {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let c = &mut *c;
        match (&mut c.phase, &c.worker) {
            (Phase::Starting(queue), _) => {
                // Only the latest check is worth running.
                if matches!(request, Request::Check { .. }) {
                    queue.retain(|b| !matches!(decode::<Request>(b), Ok(Request::Check { .. })));
                }
                queue.push(encode(request));
                true
            }
            (Phase::Ready, Some(w)) => w.post_message(&Uint8Array::from(encode(request).as_slice())).is_ok(),
            _ => false,
        }
    })
}

/// Runs the policy checks on `doc` (the workspace's compact text); the
/// answer comes as [`Event::Checked`] with `seq`.
pub fn check(seq: u64, doc: String, now: i64) {
    send(&Request::Check { seq, doc, now });
}

/// Maps the access of `doc` (the workspace's compact text): the answer
/// comes as [`Event::Progress`] and [`Event::Access`] with `seq`; `false`
/// when there is no worker to do it.
pub fn access(seq: u64, doc: String, now: i64) -> bool {
    send(&Request::Access { seq, doc, now })
}

/// What `new` changes from `old`: [`Event::Diff`] with `seq`.
pub fn diff(seq: u64, old: String, new: String, now: i64) -> bool {
    send(&Request::Diff { seq, old, new, now })
}

/// The Tighten proposal for the editor at `path`: [`Event::Tightened`].
pub fn tighten(seq: u64, doc: String, path: String, now: i64) -> bool {
    send(&Request::Tighten { seq, doc, path, now })
}

/// Imports an account's AWS export: [`Event::Imported`].
pub fn import(seq: u64, text: String, source: String) -> bool {
    send(&Request::Import { seq, text, source })
}

/// Gives the worker an AWS managed policy's text (the page fetched it).
pub fn managed(arn: String, text: String) {
    send(&Request::Managed { arn, text });
}

/// Sends a question and waits for its answer; `None` without a worker.
async fn ask(make: impl FnOnce(u64) -> Request) -> Option<Response> {
    let id = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.next_id += 1;
        c.next_id
    });
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        CLIENT.with(|c| c.borrow_mut().pending.insert(id, resolve));
    });
    if !send(&make(id)) {
        CLIENT.with(|c| c.borrow_mut().pending.remove(&id));
        return None;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    CLIENT.with(|c| c.borrow_mut().answers.remove(&id))
}

/// The completion at byte `pos` of a policy's text (with AWS's catalogue
/// once the worker has it, and the last checked scenario's ARNs).
pub async fn complete(text: String, pos: usize, policy_type: PolicyType) -> Option<Completion> {
    match ask(|id| Request::Complete { id, text, pos, policy_type }).await? {
        Response::Completion { completion, .. } => completion,
        _ => None,
    }
}

/// What the pointer is over at byte `pos` of a policy's text.
pub async fn hover(text: String, pos: usize) -> Option<Hover> {
    match ask(|id| Request::Hover { id, text, pos }).await? {
        Response::Hover { hover, .. } => hover,
        _ => None,
    }
}

/// The last checked scenario's ARNs and IDs.
pub async fn entities() -> Vec<Entity> {
    match ask(|id| Request::Entities { id }).await {
        Some(Response::Entities { entities, .. }) => entities,
        _ => Vec::new(),
    }
}

/// For the browser tests (and the console): [`complete`] as JSON,
/// `wasmBindings.trustwalkComplete(text, pos, "identity")`.
#[wasm_bindgen(js_name = trustwalkComplete)]
pub async fn complete_json(text: String, pos: usize, policy_type: String) -> String {
    let Some(policy_type) = PolicyType::parse(&policy_type) else { return "null".into() };
    serde_json::to_string(&complete(text, pos, policy_type).await).unwrap_or_default()
}

/// For the browser tests: [`hover`] as JSON.
#[wasm_bindgen(js_name = trustwalkHover)]
pub async fn hover_json(text: String, pos: usize) -> String {
    serde_json::to_string(&hover(text, pos).await).unwrap_or_default()
}

/// For the browser tests: [`entities`] as JSON.
#[wasm_bindgen(js_name = trustwalkEntities)]
pub async fn entities_json() -> String {
    serde_json::to_string(&entities().await).unwrap_or_default()
}
