//! A policy editor: a transparent textarea over a `<pre>` that shows the
//! same text highlighted (tokens, the deciding statements, the statement
//! clicked in the explanation, the bracket pair at the caret, errors),
//! beside a line-number gutter. The three scroll together.

use std::rc::Rc;

use trustwalk_playground::highlight::{self, gutter_html, LineMark, Mark, Window};
use trustwalk_playground::tokens::{brackets, line_count, line_of, tokenize, utf16_to_byte};
use trustwalk_playground::{Ptr, MAX_POLICY_BYTES};
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

use crate::services;
use crate::state::{Action, Focus, State};

/// Must equal the editor's line height in style.css (`--ed-line`).
const LINE_PX: i32 = 20;
/// Most lines shown before the editor scrolls.
const MAX_ROWS: usize = 24;
/// Lines highlighted around what is on screen (the rest is plain text, so
/// that a large policy stays cheap to lay out on every keystroke).
const WINDOW_LINES: usize = 120;
/// The window moves in steps of this many lines as the editor scrolls.
const WINDOW_STEP: usize = 20;

/// A problem inside the editor's text.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorProblem {
    /// "line 3, column 15: message [CODE] — help: …".
    pub text: String,
    /// The underline's hover text (the same).
    pub message: String,
    /// Byte range in the policy text, when known.
    pub range: Option<(usize, usize)>,
    pub line: Option<usize>,
    /// `error`, `securityWarning`, `warning` or `suggestion`.
    pub severity: &'static str,
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
    #[prop_or_default]
    pub marks: Rc<Vec<Mark>>,
    #[prop_or_default]
    pub problems: Rc<Vec<EditorProblem>>,
    #[prop_or_default]
    pub focus: Option<Focus>,
    #[prop_or_default]
    pub message: Option<AttrValue>,
    #[prop_or_default]
    pub readonly: bool,
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

fn lines_of(text: &str, start: usize, end: usize) -> std::ops::RangeInclusive<usize> {
    line_of(text, start)..=line_of(text, end.max(start))
}

#[function_component(CodeEditor)]
pub fn code_editor(p: &EditorProps) -> Html {
    let caret = use_state_eq(|| None::<usize>);
    // First line (0-based) of the highlighted window.
    let window = use_state_eq(|| 0usize);
    let textarea = use_node_ref();
    let pre = use_node_ref();
    let gutter = use_node_ref();
    let root = use_node_ref();

    let lexed = use_memo(p.text.clone(), |t| {
        let toks = tokenize(t);
        let br = brackets(t, &toks);
        (toks, br)
    });
    let pair = (*caret).and_then(|c| lexed.1.around_caret(c));
    let rendered = {
        let lexed = lexed.clone();
        use_memo(
            (p.text.clone(), p.marks.clone(), p.problems.clone(), p.focus, pair, *window),
            move |(text, marks, problems, focus, pair, window)| {
                let mut all: Vec<Mark> = marks.as_ref().clone();
                let mut line_marks = Vec::new();
                for m in marks.iter() {
                    for line in lines_of(text, m.start, m.end.saturating_sub(1)) {
                        line_marks.push(LineMark { line, class: if m.class == "m-deny" { "g-deny" } else { "g-dec" }, title: None });
                    }
                }
                if let Some(f) = focus {
                    all.push(Mark::new(f.start, f.end, "m-focus"));
                    for line in lines_of(text, f.start, f.end.saturating_sub(1)) {
                        line_marks.push(LineMark { line, class: "g-focus", title: None });
                    }
                }
                for &u in &lexed.1.unmatched {
                    all.push(Mark::new(u, u + 1, "m-unmatched").titled("this bracket has no partner"));
                }
                if let Some((a, b)) = pair {
                    all.push(Mark::new(*a, a + 1, "m-bracket"));
                    all.push(Mark::new(*b, b + 1, "m-bracket"));
                }
                for pr in problems.iter() {
                    let (mark, gutter) = match pr.severity {
                        "error" | "securityWarning" => ("m-error", "g-err"),
                        "warning" => ("m-warn", "g-warn"),
                        _ => ("m-note", "g-note"),
                    };
                    if let Some((s, e)) = pr.range {
                        all.push(Mark::new(s, e, mark).titled(pr.message.clone()));
                    }
                    if let Some(line) = pr.line {
                        line_marks.push(LineMark { line, class: gutter, title: Some(pr.text.clone()) });
                    }
                }
                let code = highlight::window(text, &lexed.0, &all, *window, WINDOW_LINES, LINE_PX as usize);
                let gutter = gutter_html(line_count(text), &line_marks);
                (Rc::new(code), AttrValue::from(gutter))
            },
        )
    };

    // Keep the highlight and the gutter where the textarea has scrolled,
    // and the highlighted window around what is on screen. Called from
    // scroll events (when layout is fresh), never after every render:
    // reading scrollTop then would force a layout of the whole editor.
    let sync = {
        let (textarea, pre, gutter, window) = (textarea.clone(), pre.clone(), gutter.clone(), window.clone());
        move || {
            let Some(ta) = textarea.cast::<HtmlTextAreaElement>() else { return };
            let top = ta.scroll_top();
            if let Some(pre) = pre.cast::<Element>() {
                pre.set_scroll_top(top);
                pre.set_scroll_left(ta.scroll_left());
            }
            if let Some(g) = gutter.cast::<Element>() {
                g.set_scroll_top(top);
            }
            let top_line = usize::try_from(top / LINE_PX).unwrap_or(0);
            window.set(top_line.saturating_sub(2 * WINDOW_STEP) / WINDOW_STEP * WINDOW_STEP);
        }
    };
    // The highlighted text and the gutter are set as innerHTML: Yew would
    // insert a large policy's thousands of spans one DOM call at a time.
    // Yew leaves these two elements' children alone (it renders none).
    // While the window keeps its place and its number of lines (typing
    // within a line), only the lines that changed are replaced.
    let shown = use_mut_ref(|| None::<Rc<Window>>);
    {
        let pre = pre.clone();
        use_effect_with(rendered.0.clone(), move |w| {
            let Some(el) = pre.cast::<Element>() else { return };
            let mut shown = shown.borrow_mut();
            let changed = shown.as_deref().and_then(|old| w.changed_lines(old));
            let patched = match (changed, el.first_element_child()) {
                (Some(changed), Some(block)) => {
                    let rows = block.children();
                    changed.into_iter().all(|i| {
                        let row = u32::try_from(i).ok().and_then(|i| rows.item(i));
                        row.zip(w.lines.get(i)).map(|(row, line)| row.set_inner_html(line)).is_some()
                    })
                }
                _ => false,
            };
            if !patched {
                el.set_inner_html(&w.to_html());
            }
            *shown = Some(w.clone());
        });
        // The gutter changes only with the line count and the marks.
        let gutter = gutter.clone();
        use_effect_with(rendered.1.clone(), move |html| {
            if let Some(el) = gutter.cast::<Element>() {
                el.set_inner_html(html);
            }
        });
    }
    let onscroll = {
        let sync = sync.clone();
        Callback::from(move |_: Event| sync())
    };

    // Bring the focused statement into view.
    {
        let (textarea, root, text) = (textarea.clone(), root.clone(), p.text.clone());
        let sync = sync.clone();
        use_effect_with(p.focus, move |focus| {
            if let (Some(f), Some(ta), Some(root)) = (focus, textarea.cast::<HtmlTextAreaElement>(), root.cast::<Element>()) {
                if let Ok(Some(details)) = root.closest("details") {
                    let _ = details.set_attribute("open", "");
                }
                let line = i32::try_from(line_of(&text, f.start)).unwrap_or(i32::MAX / LINE_PX);
                ta.set_scroll_top(line.saturating_sub(3).max(0).saturating_mul(LINE_PX));
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                options.set_behavior(web_sys::ScrollBehavior::Smooth);
                root.scroll_into_view_with_scroll_into_view_options(&options);
                sync();
            }
        });
    }

    let update_caret = {
        let caret = caret.clone();
        move |ta: &HtmlTextAreaElement| {
            let at = ta.selection_start().ok().flatten().unwrap_or(0) as usize;
            caret.set(Some(utf16_to_byte(&ta.value(), at)));
        }
    };
    let oninput = {
        let (ptr, path, dispatch, text) = (p.ptr.clone(), p.path.to_string(), p.dispatch.clone(), p.text.clone());
        let caret = caret.clone();
        Callback::from(move |e: InputEvent| {
            services::mark_input();
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let value = ta.value();
            if value.len() > MAX_POLICY_BYTES {
                // Refused: put the previous text back (the reducer says why).
                ta.set_value(&text);
            } else if let Some(at) = *caret {
                // Reading `selectionStart` here would force the browser to
                // lay out the edited text in the middle of the keystroke
                // (a large policy: milliseconds). The caret moved by what
                // the text grew or shrank; `keyup` and `click` read the
                // exact position once layout is done anyway.
                let moved = at.saturating_add(value.len()).saturating_sub(text.len()).min(value.len());
                caret.set(Some(moved).filter(|&c| value.is_char_boundary(c)));
            }
            dispatch.dispatch(Action::EditPolicy { ptr: ptr.clone(), path: path.clone(), text: value });
        })
    };
    let on_caret_key = {
        let update_caret = update_caret.clone();
        Callback::from(move |e: KeyboardEvent| update_caret(&e.target_unchecked_into()))
    };
    let on_caret_click = Callback::from(move |e: MouseEvent| update_caret(&e.target_unchecked_into()));
    let on_blur = {
        let caret = caret.clone();
        Callback::from(move |_: FocusEvent| caret.set(None))
    };
    let on_format = {
        let (ptr, path, dispatch) = (p.ptr.clone(), p.path.to_string(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::FormatPolicy { ptr: ptr.clone(), path: path.clone() }))
    };

    let rows = line_count(&p.text).clamp(3, MAX_ROWS);
    // Rows, the padding (8 px above and below) and room for a scrollbar.
    let height = format!("height: {}px", rows * LINE_PX as usize + 16 + 14);
    let id = dom_id(&p.path);
    let problems_id = format!("{id}-problems");
    let has_problems = !p.problems.is_empty();
    let has_errors = p.problems.iter().any(|x| x.severity == "error");
    let title_attr = has_problems.then(|| p.problems.iter().map(|x| x.text.clone()).collect::<Vec<_>>().join("\n"));
    let classes = crate::cls(&["editor", if has_errors { "has-problems" } else { "" }, if p.readonly { "readonly" } else { "" }]);

    html! {
        <div class={classes} ref={root} data-testid="editor" data-path={p.path.clone()}>
            <div class="ed-head">
                <label class="ed-title" for={id.clone()}>{ p.title.clone() }</label>
                <span class="ed-actions">
                    { p.children.clone() }
                    if !p.readonly {
                        <button type="button" class="small" onclick={on_format} data-testid="format"
                            aria-label={format!("Format {}", p.label)}>{ "Format" }</button>
                    }
                </span>
            </div>
            <div class="ed-body" style={height.clone()}>
                <pre class="ed-gutter" ref={gutter} aria-hidden="true"></pre>
                <div class="ed-code">
                    <pre class="ed-hl" ref={pre} aria-hidden="true" data-testid="editor-highlight"></pre>
                    <textarea
                        id={id}
                        ref={textarea}
                        class="ed-input"
                        data-testid="editor-text"
                        aria-label={p.label.clone()}
                        aria-describedby={has_problems.then(|| problems_id.clone())}
                        aria-invalid={has_errors.then_some("true")}
                        title={title_attr}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        readonly={p.readonly}
                        value={p.text.clone()}
                        {oninput}
                        {onscroll}
                        onkeyup={on_caret_key}
                        onclick={on_caret_click}
                        onblur={on_blur}
                    />
                </div>
            </div>
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
