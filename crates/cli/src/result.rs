//! The result document of `trustwalk simulate --format json`
//! (`trustwalk/result@1`), run and written by several threads.

use std::cell::RefCell;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};
use trustwalk_core::context::RequestContext;
use trustwalk_core::scenario::{self, RunOptions, Scenario, StepResult};
use trustwalk_core::trace::{GateTrace, SameJson};

use crate::{json_out, write_failed, Status, Trace};

/// The result document (`trustwalk/result@1`), serialized by serde as the
/// steps arrive: the same bytes `serde_json` gives for the whole
/// [`ScenarioResult`](trustwalk_core::scenario::ScenarioResult), without
/// holding every step's trace.
#[derive(serde::Serialize)]
struct ResultDocument<'r> {
    format: &'static str,
    steps: ReceivedSteps<'r>,
}

/// The steps of a run as the threads that run them write them (see
/// [`write_result_json`]): each batch is JSON already, a stretch of steps
/// separated by commas, taken from its thread's channel in turn.
struct ReceivedSteps<'r> {
    batches: &'r [Receiver<Vec<u8>>],
    /// Where each thread's buffers go back to be filled again.
    recycle: &'r [mpsc::Sender<Vec<u8>>],
    count: usize,
}

impl Serialize for ReceivedSteps<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let threads = self.batches.len().max(1);
        for b in 0..self.count {
            let Some(Ok(batch)) = self.batches.get(b % threads).map(Receiver::recv) else {
                // A thread stopped early: its own result says why.
                break;
            };
            seq.serialize_element(&json_out::Raw(&batch))?;
            if let Some(back) = self.recycle.get(b % threads) {
                // The thread may have finished: the buffer is then freed.
                let _ = back.send(batch);
            }
        }
        seq.end()
    }
}

/// A step as the result document writes it: the fields of
/// [`StepResult`] in the same order and with the same rules (tests compare
/// the two byte for byte); with `--trace decisive`, less `context`, `gates`
/// and `extraChecks`. The gates and the context come from the thread's
/// [`WrittenBefore`].
struct StepJson<'r> {
    step: &'r StepResult,
    trace: Trace,
    cache: &'r RefCell<WrittenBefore>,
}

impl Serialize for StepJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.step;
        let mut st = s.serialize_struct("StepResult", 18)?;
        st.serialize_field("id", &r.id)?;
        st.serialize_field("principal", &r.principal)?;
        st.serialize_field("action", &r.action)?;
        st.serialize_field("resource", &r.resource)?;
        st.serialize_field("crossAccount", &r.cross_account)?;
        st.serialize_field("decision", &r.decision)?;
        if let Some(e) = &r.expect {
            st.serialize_field("expect", e)?;
        }
        if let Some(m) = &r.expectation_met {
            st.serialize_field("expectationMet", m)?;
        }
        st.serialize_field("decisive", &r.decisive)?;
        if !r.missing_allow.is_empty() {
            st.serialize_field("missingAllow", &r.missing_allow)?;
        }
        if let Some(v) = &r.session {
            st.serialize_field("session", v)?;
        }
        st.serialize_field("summary", &r.summary)?;
        if let Some(v) = &r.principal_account {
            st.serialize_field("principalAccount", v)?;
        }
        if let Some(v) = &r.resource_account {
            st.serialize_field("resourceAccount", v)?;
        }
        if let Some(v) = &r.near_miss {
            st.serialize_field("nearMiss", v)?;
        }
        if self.trace == Trace::Full {
            st.serialize_field("context", &Context { context: &r.context, cache: self.cache })?;
            if let Some(e) = &r.evaluation {
                st.serialize_field("gates", &Gates { gates: &e.gates, cache: self.cache })?;
            }
            if !r.extra_checks.is_empty() {
                st.serialize_field("extraChecks", &r.extra_checks)?;
            }
        }
        st.end()
    }
}

/// What a thread wrote last, to copy: a run meets the same gates step
/// after step (the same statements answering the same way, whatever object
/// is read), and the same request context for every step of one caller on
/// one account's resources. A value written alike ([`SameJson`]) is copied
/// rather than written again. At most `SIZE` values, the oldest dropped
/// first.
struct Copies<T, const SIZE: usize> {
    entries: Vec<(T, Vec<u8>)>,
}

impl<T, const SIZE: usize> Default for Copies<T, SIZE> {
    fn default() -> Self {
        Copies { entries: Vec::with_capacity(SIZE) }
    }
}

impl<T: SameJson + Clone + Serialize, const SIZE: usize> Copies<T, SIZE> {
    /// The JSON of `value`, written now or before.
    fn json(&mut self, value: &T) -> io::Result<&[u8]> {
        let at = match self.entries.iter().position(|(v, _)| v.same_json(value)) {
            Some(at) => at,
            None => {
                let mut json = Vec::new();
                json_out::append(&mut json, value)?;
                if self.entries.len() == SIZE {
                    self.entries.remove(0);
                }
                self.entries.push((value.clone(), json));
                self.entries.len() - 1
            }
        };
        Ok(self.entries.get(at).map(|(_, json)| json.as_slice()).unwrap_or_default())
    }
}

/// A thread's copies of gates and contexts.
#[derive(Default)]
struct WrittenBefore {
    gates: Copies<GateTrace, 16>,
    contexts: Copies<RequestContext, 4>,
}

/// A step's request context, from the [`WrittenBefore`].
struct Context<'r> {
    context: &'r RequestContext,
    cache: &'r RefCell<WrittenBefore>,
}

impl Serialize for Context<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut cache = self.cache.borrow_mut();
        let json = cache.contexts.json(self.context).map_err(serde::ser::Error::custom)?;
        json_out::Raw(json).serialize(s)
    }
}

/// A step's gates, each from the [`WrittenBefore`].
struct Gates<'r> {
    gates: &'r [GateTrace],
    cache: &'r RefCell<WrittenBefore>,
}

impl Serialize for Gates<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.gates.len()))?;
        let mut cache = self.cache.borrow_mut();
        for gate in self.gates {
            let json = cache.gates.json(gate).map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&json_out::Raw(json))?;
        }
        seq.end()
    }
}

/// Writes the result document and a newline. When a write fails, nothing
/// more is written and the run stops, except after a closed pipe (`|
/// head`), where the steps left still run so that the exit status counts
/// every expectation. Returns whether every expectation was met, and the
/// write's error if any.
///
/// The steps are run and written as JSON by as many threads as the
/// machine has cores (at most [`MAX_THREADS`]), in batches of [`BATCH`]
/// taken in turn; this thread writes the batches out in order. A step
/// depends on the steps before it only through the sessions they
/// establish, so the AssumeRole steps are decided first, alone
/// ([`scenario::Timeline`]), and each thread starts its batches with the
/// sessions established before them ([`scenario::Resume`]): every step
/// gets the result of a run from the start.
pub(crate) fn write_result_json(out: &mut (impl Write + Send), scenario: &Scenario, options: RunOptions, trace: Trace) -> (bool, Result<(), Status>) {
    let steps = scenario.steps.len();
    let count = steps.div_ceil(BATCH);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_THREADS).min(count.max(1));
    let timeline = if threads > 1 { scenario::Timeline::new(scenario, options) } else { scenario::Timeline::default() };
    // Set once the output is closed (`| head`): the steps still run, their
    // JSON is no longer made.
    let closed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let mut batches = Vec::with_capacity(threads);
        let mut recycle = Vec::with_capacity(threads);
        let mut workers = Vec::with_capacity(threads);
        for t in 0..threads {
            let (sender, receiver) = mpsc::sync_channel::<Vec<u8>>(2);
            let (back, spare) = mpsc::channel::<Vec<u8>>();
            batches.push(receiver);
            recycle.push(back);
            let (timeline, closed) = (&timeline, &closed);
            workers.push(scope.spawn(move || {
                let mut resume = scenario::Resume::new(scenario, options, timeline);
                let cache = RefCell::new(WrittenBefore::default());
                let mut met = true;
                let mut made = 0;
                for b in (t..count).step_by(threads) {
                    // A few buffers go round between this thread and the
                    // writer: memory written once is written again, where a
                    // new buffer would be new pages for the kernel to clear.
                    let mut buf = if made < BUFFERS {
                        made += 1;
                        Vec::with_capacity(BUFFER_BYTES)
                    } else {
                        match spare.recv() {
                            Ok(buf) => buf,
                            // The writer stopped: its result says why.
                            Err(_) => break,
                        }
                    };
                    buf.clear();
                    let mut written = Ok(());
                    let range = b * BATCH..((b + 1) * BATCH).min(steps);
                    let skip = closed.load(Ordering::Relaxed);
                    resume.run(range, |step| {
                        met &= step.expectation_met != Some(false);
                        if written.is_ok() && !skip {
                            if !buf.is_empty() {
                                buf.push(b',');
                            }
                            written = json_out::append(&mut buf, &StepJson { step: &step, trace, cache: &cache });
                        }
                    });
                    if let Err(e) = written {
                        return (met, Err(e));
                    }
                    if sender.send(buf).is_err() {
                        // The writer stopped: its result says why.
                        break;
                    }
                }
                (met, Ok(()))
            }));
        }
        let doc = ResultDocument { format: scenario::RESULT_FORMAT, steps: ReceivedSteps { batches: &batches, recycle: &recycle, count } };
        let mut written = json_out::to_writer(&mut *out, &doc).and_then(|()| out.write_all(b"\n")).map_err(|e| write_failed(&e));
        if written == Err(Status::Ok) {
            // A closed pipe: nothing more is written, the steps still run.
            closed.store(true, Ordering::Relaxed);
            for (r, back) in batches.iter().zip(&recycle) {
                for buf in r {
                    // The thread may have finished: the buffer is then freed.
                    let _ = back.send(buf);
                }
            }
        }
        // Otherwise the channels are closed here, which stops the run.
        drop(batches);
        drop(recycle);
        let mut met = true;
        for worker in workers {
            match worker.join() {
                Ok((m, w)) => {
                    met &= m;
                    if let Err(e) = w {
                        eprintln!("trustwalk: cannot write the result: {e}");
                        written = written.and(Err(Status::BadInput));
                    }
                }
                Err(_) => {
                    eprintln!("trustwalk: a thread running the steps stopped unexpectedly");
                    written = written.and(Err(Status::BadInput));
                }
            }
        }
        (met, written)
    })
}

/// Steps run and written as one batch (see [`write_result_json`]).
const BATCH: usize = 64;
/// Buffers each thread fills in turn (one being filled, two waiting to be
/// written), and the room each starts with (a batch of full traces takes
/// about 250 KB).
const BUFFERS: usize = 3;
const BUFFER_BYTES: usize = 512 * 1024;
/// Threads that run the steps of a JSON result, at most.
const MAX_THREADS: usize = 8;
