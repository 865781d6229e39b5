// The playground's policy editor, as the Yew component (web/src/editor.rs)
// sees it through wasm-bindgen: a small API over CodeMirror 6 (core.mjs).
// Bundled by scripts/build-editor.mjs (esbuild) into web/editor/dist/editor.js,
// which the app ships from its own origin as a wasm-bindgen snippet.
//
// This module holds no CodeMirror: it shows each policy's text at once (a
// plain copy) and loads CodeMirror (core.mjs, a chunk of its own) right away,
// without holding up the page's first verdicts; each editor then replaces its
// copy. Past the first editors of a page, each is made only when it comes
// near the screen, so a scenario of hundreds of policies opens as fast as a
// small one. Until its editor is there, a handle keeps what it is given.
//
// Positions given to and from this module are UTF-16 offsets (CodeMirror's);
// the Rust side converts from and to its byte offsets.

let core = null;
const loadCore = () => (core ??= import('./core.mjs'));

/** Editors made as soon as CodeMirror is loaded; past this many, each waits until it is near the screen. */
const EAGER = 30;
let made = 0;

/**
 * Creates an editor in `parent`.
 * options: { doc, label, describedBy, readOnly, maxBytes, onChange(text), onRefused(text), complete(text, pos, explicit) → Promise,
 *            hover(text, pos) → Promise }
 */
export function create(parent, options) {
  let doc = options.doc ?? '';
  let marks = [];
  let diagnostics = [];
  let readOnly = !!options.readOnly;
  let editor = null;
  let starting = null;
  let destroyed = false;
  let observer = null;
  const pre = parent.appendChild(document.createElement('pre'));
  pre.className = 'ed-placeholder';
  pre.textContent = doc;
  const start = () => (starting ??= loadCore().then((m) => {
    if (destroyed) return null;
    observer?.disconnect();
    pre.remove();
    editor = m.mount(parent, { ...options, doc, readOnly });
    editor.setMarks(marks);
    editor.setDiagnostics(diagnostics, false);
    parent.trustwalkEditor = handle;
    return editor;
  }));
  const eager = made < EAGER || typeof IntersectionObserver === 'undefined';
  made += 1;
  if (eager) {
    start();
  } else {
    observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) start(); }, { rootMargin: '400px' });
    observer.observe(parent);
  }
  const then = (f) => { start().then((e) => (e ? f(e) : undefined)); };
  const handle = {
    /** CodeMirror's view, once it is there (asking for it starts loading). */
    get view() { if (!editor) start(); return editor?.view; },
    getDoc: () => (editor ? editor.getDoc() : doc),
    setDoc(text) { if (editor) editor.setDoc(text); else { doc = text; pre.textContent = text; } },
    setMarks(m) { if (editor) editor.setMarks(m); else marks = m; },
    setDiagnostics(d, keep) {
      if (editor) {
        editor.setDiagnostics(d, keep);
      } else {
        // Not mounted yet (the text was not typed here): the checks'
        // findings of an older text are dropped until the checks run again.
        diagnostics = d;
      }
    },
    setReadOnly(ro) { if (editor) editor.setReadOnly(ro); else readOnly = !!ro; },
    reveal: (from, to) => then((e) => e.reveal(from, to)),
    scrollTo: (line) => then((e) => e.scrollTo(line)),
    focus: () => then((e) => e.focus()),
    /** Resolves once the editor is there with completion and search installed (they load on first focus). */
    whenReady: () => start().then((e) => e?.whenReady()),
    destroy() {
      destroyed = true;
      made -= 1;
      observer?.disconnect();
      if (editor) editor.destroy(); else pre.remove();
    },
  };
  parent.trustwalkEditor = handle;
  return handle;
}
