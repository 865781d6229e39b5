//! A policy editor: CodeMirror 6 (web/editor/editor.mjs, bundled by
//! scripts/build-editor.mjs into a wasm-bindgen snippet) in one Yew
//! component. CodeMirror owns the text while the user types; the component
//! hands it the app's text only when it differs from the editor's (a Format,
//! a fix from the problems list, another scenario), and the deciding
//! statements, the findings (as lint underlines with their quick fixes), the
//! statement clicked in the explanation and completion and hover answers
//! from `trustwalk_playground::assist`.
//!
//! Rust positions are byte offsets, CodeMirror's UTF-16 offsets: every
//! position crosses through [`Offsets`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use trustwalk_core::policy::PolicyType;
use trustwalk_playground::assist::{Completion, Hover};
use trustwalk_playground::explain::Mark;
use trustwalk_playground::hints::Fix;
use trustwalk_playground::tokens::{byte_to_utf16, utf16_to_byte};
use trustwalk_playground::{Ptr, MAX_POLICY_BYTES};
use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::prelude::*;

use crate::services;
use crate::state::{Action, Focus, State};
use crate::worker_client;

#[wasm_bindgen(module = "/editor/dist/editor.js")]
extern "C" {
    type EditorHandle;
    #[wasm_bindgen(js_name = create)]
    fn cm_create(parent: &Element, options: &Object) -> EditorHandle;
    #[wasm_bindgen(method, js_name = setDoc)]
    fn set_doc(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method, js_name = setMarks)]
    fn set_marks(this: &EditorHandle, marks: &Array);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, list: &Array, keep_checks: bool);
    #[wasm_bindgen(method, js_name = setReadOnly)]
    fn set_read_only(this: &EditorHandle, read_only: bool);
    #[wasm_bindgen(method)]
    fn reveal(this: &EditorHandle, from: u32, to: u32);
    #[wasm_bindgen(method)]
    fn destroy(this: &EditorHandle);
}

/// A problem inside the editor's text.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorProblem {
    /// "line 3, column 15: message [CODE] — help: …".
    pub text: String,
    /// The underline's tooltip text (the same).
    pub message: String,
    /// Byte range in the policy text, when known.
    pub range: Option<(usize, usize)>,
    pub line: Option<usize>,
    /// `error`, `securityWarning`, `warning` or `suggestion`.
    pub severity: &'static str,
    pub fixes: Vec<Fix>,
    /// A finding of the policy checks (the worker's), as opposed to one of
    /// the app's own diagnostics of the current text.
    pub from_checks: bool,
}

/// What completion and hover read besides the text: the app's latest state
/// (AWS's catalogue, the scenario's entities). One cell for the whole app,
/// refreshed on every render; equal to itself only, so that refreshing it
/// re-renders nothing.
#[derive(Clone, Default)]
pub struct AssistCell(pub Rc<RefCell<AssistData>>);

impl PartialEq for AssistCell {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Default)]
pub struct AssistData {
    pub state: Option<UseReducerHandle<State>>,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub path: AttrValue,
    pub ptr: Ptr,
    /// Accessible name: "trust policy of StageRole".
    pub label: AttrValue,
    /// Visible heading.
    pub title: AttrValue,
    pub text: AttrValue,
    pub policy_type: PolicyType,
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    #[prop_or_default]
    pub problems: Rc<Vec<EditorProblem>>,
    /// Whether the checks' findings in `problems` are of the current text.
    /// While they are not (the user is typing; the checks run when they
    /// pause), the editor keeps the findings it shows, which CodeMirror
    /// moves along with each edit, instead of placing them where they were
    /// in the older text.
    #[prop_or(true)]
    pub checks_current: bool,
    #[prop_or_default]
    pub focus: Option<Focus>,
    #[prop_or_default]
    pub message: Option<AttrValue>,
    #[prop_or_default]
    pub readonly: bool,
    #[prop_or_default]
    pub assist: AssistCell,
    pub dispatch: UseReducerDispatcher<State>,
    /// Extra buttons for the header (remove, …).
    #[prop_or_default]
    pub children: Html,
}

/// An id usable in HTML for an editor path.
pub fn dom_id(path: &str) -> String {
    let mut id = String::from("ed-");
    id.extend(path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }));
    id
}

/// Byte offsets of a text to CodeMirror's UTF-16 offsets and back (the
/// identity for ASCII text, the usual case).
struct Offsets<'a> {
    text: &'a str,
    ascii: bool,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, ascii: text.is_ascii() }
    }

    fn to_js(&self, byte: usize) -> u32 {
        let u = if self.ascii { byte.min(self.text.len()) } else { byte_to_utf16(self.text, byte) };
        u32::try_from(u).unwrap_or(u32::MAX)
    }

    fn to_byte(&self, utf16: u32) -> usize {
        let u = usize::try_from(utf16).unwrap_or(usize::MAX);
        if self.ascii {
            u.min(self.text.len())
        } else {
            utf16_to_byte(self.text, u)
        }
    }
}

/// A plain JS object of these fields.
fn object(fields: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn opt_str(s: &Option<String>) -> JsValue {
    s.as_deref().map_or(JsValue::NULL, JsValue::from_str)
}

/// A completion as CodeMirror wants it (UTF-16 positions in `text`).
fn completion_js(text: &str, c: Option<Completion>) -> JsValue {
    let Some(c) = c else { return JsValue::NULL };
    let at = Offsets::new(text);
    let options: Array = c
        .options
        .iter()
        .map(|o| {
            JsValue::from(object(&[
                ("label", JsValue::from_str(&o.label)),
                ("detail", opt_str(&o.detail)),
                ("info", opt_str(&o.info)),
                ("type", JsValue::from_str(o.kind.as_str())),
                ("apply", JsValue::from_str(&o.apply)),
            ]))
        })
        .collect();
    object(&[("from", at.to_js(c.from).into()), ("to", at.to_js(c.to).into()), ("options", options.into())]).into()
}

/// A hover as CodeMirror wants it.
fn hover_js(text: &str, h: Option<Hover>) -> JsValue {
    let Some(h) = h else { return JsValue::NULL };
    let at = Offsets::new(text);
    let lines: Array = h.lines.iter().map(|l| JsValue::from_str(l)).collect();
    object(&[("from", at.to_js(h.from).into()), ("to", at.to_js(h.to).into()), ("title", JsValue::from_str(&h.title)), ("lines", lines.into())])
        .into()
}

/// What the editor's callbacks need of the latest props.
struct Current {
    ptr: Ptr,
    path: String,
    policy_type: PolicyType,
    dispatch: UseReducerDispatcher<State>,
    assist: AssistCell,
}

type TextFn = Closure<dyn Fn(String)>;
type CompleteFn = Closure<dyn Fn(String, u32, bool) -> Promise>;
type HoverFn = Closure<dyn Fn(String, u32) -> Promise>;

/// A live CodeMirror editor and the closures it calls.
struct Live {
    handle: EditorHandle,
    _closures: (TextFn, TextFn, CompleteFn, HoverFn),
}

fn create(parent: &Element, p: &EditorProps, current: Rc<RefCell<Current>>, shown: Rc<RefCell<String>>) -> Live {
    let on_change = {
        let (current, shown) = (current.clone(), shown.clone());
        Closure::<dyn Fn(String)>::new(move |text: String| {
            services::mark_input();
            shown.replace(text.clone());
            let c = current.borrow();
            c.dispatch.dispatch(Action::EditPolicy { ptr: c.ptr.clone(), path: c.path.clone(), text });
        })
    };
    // An edit past the size limit: the reducer refuses it and says why
    // (the editor kept its text).
    let on_refused = {
        let current = current.clone();
        Closure::<dyn Fn(String)>::new(move |text: String| {
            let c = current.borrow();
            c.dispatch.dispatch(Action::EditPolicy { ptr: c.ptr.clone(), path: c.path.clone(), text });
        })
    };
    // Completion and hover are answered by the app's worker (which has
    // AWS's catalogue and the last checked scenario's ARNs).
    let complete = {
        let current = current.clone();
        Closure::<dyn Fn(String, u32, bool) -> Promise>::new(move |text: String, pos: u32, _explicit: bool| {
            let policy_type = current.borrow().policy_type;
            let byte = Offsets::new(&text).to_byte(pos);
            wasm_bindgen_futures::future_to_promise(async move {
                let c = worker_client::complete(text.clone(), byte, policy_type).await;
                Ok(completion_js(&text, c))
            })
        })
    };
    let hover = Closure::<dyn Fn(String, u32) -> Promise>::new(move |text: String, pos: u32| {
        let byte = Offsets::new(&text).to_byte(pos);
        wasm_bindgen_futures::future_to_promise(async move {
            let h = worker_client::hover(text.clone(), byte).await;
            Ok(hover_js(&text, h))
        })
    });
    let options = object(&[
        ("doc", JsValue::from_str(&p.text)),
        ("label", JsValue::from_str(&p.label)),
        ("describedBy", JsValue::from_str(&format!("{}-problems", dom_id(&p.path)))),
        ("readOnly", JsValue::from_bool(p.readonly)),
        ("maxBytes", JsValue::from(u32::try_from(MAX_POLICY_BYTES).unwrap_or(u32::MAX))),
        ("onChange", on_change.as_ref().clone()),
        ("onRefused", on_refused.as_ref().clone()),
        ("complete", complete.as_ref().clone()),
        ("hover", hover.as_ref().clone()),
    ]);
    shown.replace(p.text.to_string());
    let handle = cm_create(parent, &options);
    Live { handle, _closures: (on_change, on_refused, complete, hover) }
}

fn marks_js(text: &str, marks: &[Mark]) -> Array {
    let at = Offsets::new(text);
    marks
        .iter()
        .map(|m| {
            JsValue::from(object(&[
                ("from", at.to_js(m.start).into()),
                ("to", at.to_js(m.end).into()),
                ("class", JsValue::from_str(m.class)),
                ("title", opt_str(&m.title)),
            ]))
        })
        .collect()
}

fn problems_js<'a>(text: &str, problems: impl Iterator<Item = &'a EditorProblem>) -> Array {
    let at = Offsets::new(text);
    problems
        .filter_map(|pr| {
            let (s, e) = pr.range?;
            let fixes: Array = pr
                .fixes
                .iter()
                .map(|f| {
                    JsValue::from(object(&[
                        ("name", JsValue::from_str(&f.label)),
                        ("from", at.to_js(f.from).into()),
                        ("to", at.to_js(f.to).into()),
                        ("insert", JsValue::from_str(&f.insert)),
                    ]))
                })
                .collect();
            Some(JsValue::from(object(&[
                ("from", at.to_js(s).into()),
                ("to", at.to_js(e).into()),
                ("severity", JsValue::from_str(pr.severity)),
                ("message", JsValue::from_str(&pr.message)),
                ("fixes", fixes.into()),
                ("fromChecks", JsValue::from_bool(pr.from_checks)),
            ])))
        })
        .collect()
}

#[function_component(CodeEditor)]
pub fn code_editor(p: &EditorProps) -> Html {
    let host = use_node_ref();
    let root = use_node_ref();
    let live = use_mut_ref(|| None::<Live>);
    // The text the editor holds (as far as the app knows).
    let shown = use_mut_ref(String::new);
    let current = use_mut_ref(|| Current {
        ptr: p.ptr.clone(),
        path: p.path.to_string(),
        policy_type: p.policy_type,
        dispatch: p.dispatch.clone(),
        assist: p.assist.clone(),
    });
    {
        let mut c = current.borrow_mut();
        c.ptr = p.ptr.clone();
        c.path = p.path.to_string();
        c.policy_type = p.policy_type;
        c.assist = p.assist.clone();
    }

    // Created once; destroyed with the component.
    {
        let (host, live, current, shown) = (host.clone(), live.clone(), current.clone(), shown.clone());
        let props_text = p.text.clone();
        let snapshot = EditorProps {
            path: p.path.clone(),
            ptr: p.ptr.clone(),
            label: p.label.clone(),
            title: p.title.clone(),
            text: props_text,
            policy_type: p.policy_type,
            marks: Rc::default(),
            problems: Rc::default(),
            checks_current: true,
            focus: None,
            message: None,
            readonly: p.readonly,
            assist: p.assist.clone(),
            dispatch: p.dispatch.clone(),
            children: Html::default(),
        };
        use_effect_with((), move |_| {
            if let Some(parent) = host.cast::<Element>() {
                *live.borrow_mut() = Some(create(&parent, &snapshot, current, shown));
            }
            move || {
                if let Some(l) = live.borrow_mut().take() {
                    l.handle.destroy();
                }
            }
        });
    }
    // The app's text, when it is not the editor's already (typing changes
    // both: nothing to do then).
    {
        let (live, shown) = (live.clone(), shown.clone());
        use_effect_with(p.text.clone(), move |text| {
            if *shown.borrow() != text.as_str() {
                shown.replace(text.to_string());
                if let Some(l) = live.borrow().as_ref() {
                    l.handle.set_doc(text);
                }
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with((p.marks.clone(), p.text.clone()), move |(marks, text)| {
            if let Some(l) = live.borrow().as_ref() {
                l.handle.set_marks(&marks_js(text, marks));
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with((p.problems.clone(), p.text.clone(), p.checks_current), move |(problems, text, current)| {
            if let Some(l) = live.borrow().as_ref() {
                if *current {
                    l.handle.set_diagnostics(&problems_js(text, problems.iter()), false);
                } else {
                    l.handle.set_diagnostics(&problems_js(text, problems.iter().filter(|p| !p.from_checks)), true);
                }
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(p.readonly, move |ro| {
            if let Some(l) = live.borrow().as_ref() {
                l.handle.set_read_only(*ro);
            }
        });
    }
    // The statement clicked in the explanation: opened, selected, scrolled
    // to and flashed.
    {
        let (live, root, text) = (live.clone(), root.clone(), p.text.clone());
        use_effect_with(p.focus, move |focus| {
            let Some(f) = focus else { return };
            if let Some(root) = root.cast::<Element>() {
                if let Ok(Some(details)) = root.closest("details") {
                    let _ = details.set_attribute("open", "");
                }
                // CodeMirror's reveal scrolls the page too, the statement in
                // the middle: a smooth scroll of the editor here would end
                // after it and leave the statement at the screen's edge.
                if live.borrow().is_none() {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    options.set_behavior(web_sys::ScrollBehavior::Smooth);
                    root.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
            if let Some(l) = live.borrow().as_ref() {
                let at = Offsets::new(&text);
                l.handle.reveal(at.to_js(f.start), at.to_js(f.end));
            }
        });
    }

    let on_format = {
        let (ptr, path, dispatch) = (p.ptr.clone(), p.path.to_string(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::FormatPolicy { ptr: ptr.clone(), path: path.clone() }))
    };

    let on_tighten = {
        let (path, dispatch) = (p.path.to_string(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Tighten { path: path.clone() }))
    };
    let tightenable = !p.readonly && trustwalk_playground::tighten::can_tighten(p.policy_type);

    let id = dom_id(&p.path);
    let problems_id = format!("{id}-problems");
    let has_problems = !p.problems.is_empty();
    let has_errors = p.problems.iter().any(|x| x.severity == "error");
    let classes = crate::cls(&["editor", if has_errors { "has-problems" } else { "" }, if p.readonly { "readonly" } else { "" }]);

    html! {
        <div class={classes} ref={root} data-testid="editor" data-path={p.path.clone()}>
            <div class="ed-head">
                <span class="ed-title" id={format!("{id}-title")}>{ p.title.clone() }</span>
                <span class="ed-actions">
                    { p.children.clone() }
                    if tightenable {
                        <button type="button" class="small" onclick={on_tighten} data-testid="tighten"
                            title="Propose the smallest form of this policy that the steps need"
                            aria-label={format!("Tighten {}", p.label)}>{ "Tighten" }</button>
                    }
                    if !p.readonly {
                        <button type="button" class="small" onclick={on_format} data-testid="format"
                            aria-label={format!("Format {}", p.label)}>{ "Format" }</button>
                    }
                </span>
            </div>
            <div class="ed-body" id={id} ref={host}></div>
            if let Some(m) = &p.message {
                <p class="ed-message" role="status" data-testid="editor-message">{ m.clone() }</p>
            }
            if has_problems {
                <ul class="ed-problems" id={problems_id} data-testid="editor-problems">
                    { for p.problems.iter().map(|x| html! { <li class={x.severity}>{ x.text.clone() }</li> }) }
                </ul>
            }
        </div>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::Offsets;

    #[test]
    fn offsets_cross_between_bytes_and_utf16_exactly() {
        // é: 2 bytes, 1 unit; ✓: 3 bytes, 1 unit; 😀: 4 bytes, 2 units.
        let text = "{\"Sid\": \"é✓😀\", \"Action\": \"s3:GetOb\"}";
        let at = Offsets::new(text);
        let byte = text.find("s3:").unwrap();
        let utf16 = text[..byte].encode_utf16().count() as u32;
        assert_eq!(byte - utf16 as usize, 1 + 2 + 2, "the Sid's characters are 5 bytes longer than their UTF-16 units");
        assert_eq!(at.to_js(byte), utf16);
        assert_eq!(at.to_byte(utf16), byte);
        assert_eq!(at.to_byte(u32::MAX), text.len(), "clamped to the text");
        let ascii = Offsets::new("{\"a\": 1}");
        assert_eq!((ascii.to_js(3), ascii.to_byte(3), ascii.to_js(99)), (3, 3, 8));
    }
}
