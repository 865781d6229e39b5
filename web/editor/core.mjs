// The playground's policy editor: CodeMirror 6 behind a small API (see
// editor.mjs, which loads this module once the page is up). Bundled by
// scripts/build-editor.mjs (esbuild) into chunks beside
// web/editor/dist/editor.js.
//
// Positions given to and from this module are UTF-16 offsets (CodeMirror's);
// the Rust side converts from and to its byte offsets.

import { EditorState, StateEffect, StateField, Compartment, EditorSelection, RangeSet, Annotation } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection, dropCursor,
  rectangularSelection, crosshairCursor, highlightActiveLine, Decoration, hoverTooltip, GutterMarker, gutter,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { foldGutter, foldKeymap, syntaxHighlighting, HighlightStyle, bracketMatching, indentOnInput, indentUnit } from '@codemirror/language';
import { json } from '@codemirror/lang-json';
import { lintGutter, lintKeymap, setDiagnostics as cmSetDiagnostics, forEachDiagnostic } from '@codemirror/lint';
import { tags } from '@lezer/highlight';

// Token colours: the app's CSS variables, so that the light and dark themes
// (style.css, <html data-theme>, prefers-color-scheme) apply without a
// reconfiguration.
const highlightStyle = HighlightStyle.define([
  { tag: tags.propertyName, class: 't-key' },
  { tag: tags.string, class: 't-str' },
  { tag: tags.number, class: 't-num' },
  { tag: [tags.bool, tags.null], class: 't-kw' },
  { tag: [tags.brace, tags.squareBracket, tags.separator, tags.punctuation], class: 't-punct' },
  { tag: tags.invalid, class: 't-bad' },
]);

// ---- deciding statements (green Allow, red Deny, amber nearest miss) ----

const setMarksEffect = StateEffect.define();
const marksField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setMarksEffect)) marks = e.value;
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

class LineMarker extends GutterMarker {
  constructor(cls) { super(); this.elementClass = cls; }
  eq(other) { return other.elementClass === this.elementClass; }
}
const gutterMarkers = { 'm-decisive': new LineMarker('g-dec'), 'm-deny': new LineMarker('g-deny'), 'm-near': new LineMarker('g-near'), 'm-focus': new LineMarker('g-focus') };

function lineMarks(state) {
  const out = [];
  const add = (deco) => {
    deco.between(0, state.doc.length, (from, to, v) => {
      const m = gutterMarkers[v.spec.class];
      if (!m) return;
      const first = state.doc.lineAt(from).number;
      const last = state.doc.lineAt(Math.max(from, to - 1)).number;
      for (let n = first; n <= last; n += 1) out.push(m.range(state.doc.line(n).from));
    });
  };
  add(state.field(marksField));
  add(state.field(focusField));
  return RangeSet.of(out, true);
}
const markGutter = gutter({ class: 'cm-markGutter', markers: (view) => lineMarks(view.state) });

// ---- the statement clicked in the explanation: selected, flashed ----

const setFocusEffect = StateEffect.define();
const focusField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setFocusEffect)) deco = e.value;
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// Changes made by the app (setDoc) are not reported back as edits.
const appEdit = Annotation.define();
const isFromApp = (tr) => tr.annotation(appEdit) === true;

// ---- the 256 KB limit: an edit that would pass it is refused ----

function utf8Length(doc, limit) {
  // Each UTF-16 unit is 1 to 3 bytes: only long texts need counting.
  if (doc.length * 3 <= limit) return doc.length;
  let n = 0;
  for (const iter = doc.iter(); !iter.next().done;) {
    const s = iter.value;
    for (let i = 0; i < s.length; i += 1) {
      const c = s.charCodeAt(i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i += 1; } else n += 3;
    }
  }
  return n;
}

function sizeLimit(options) {
  return EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || !options.maxBytes || isFromApp(tr)) return tr;
    if (utf8Length(tr.newDoc, options.maxBytes) <= options.maxBytes) return tr;
    // Refused: the text stays as it was; the app says why (with the place).
    const text = tr.newDoc.toString();
    queueMicrotask(() => options.onRefused?.(text));
    return [];
  });
}


// ---- loaded on first use: completion, closing brackets, search ----

let lazyModule = null;
const loadLazy = () => (lazyModule ??= import('./lazy.mjs'));

// ---- completion and hover, answered by the app (asynchronously) ----

function completionSource(options) {
  return async (ctx) => {
    if (!options.complete) return null;
    const r = await options.complete(ctx.state.doc.toString(), ctx.pos, ctx.explicit);
    if (!r || ctx.aborted) return null;
    return {
      from: r.from,
      to: r.to,
      options: r.options.map((o) => ({ label: o.label, detail: o.detail ?? undefined, info: o.info ?? undefined, type: o.type, apply: o.apply })),
    };
  };
}

function hoverSource(options) {
  return hoverTooltip(async (view, pos) => {
    if (!options.hover) return null;
    const r = await options.hover(view.state.doc.toString(), pos);
    if (!r) return null;
    return {
      pos: r.from,
      end: r.to,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-hover';
        dom.dataset.testid = 'hover';
        const title = dom.appendChild(document.createElement('strong'));
        title.textContent = r.title;
        for (const line of r.lines) dom.appendChild(document.createElement('div')).textContent = line;
        return { dom };
      },
    };
  }, { hoverTime: 300 });
}

const severityOf = { error: 'error', securityWarning: 'error', warning: 'warning', suggestion: 'info' };

/**
 * Makes a CodeMirror editor in `parent` (editor.mjs decides when).
 * options: { doc, label, describedBy, readOnly, maxBytes, onChange(text), onRefused(text), complete(text, pos, explicit) → Promise,
 *            hover(text, pos) → Promise }
 */
export function mount(parent, options) {
  const extras = new Compartment();
  let installed = null;
  // Loads the first-use extensions (once per page) and installs them here.
  const ready = () => (installed ??= loadLazy().then((m) => {
    if (!view.destroyed) view.dispatch({ effects: extras.reconfigure(m.extras(completionSource(options))) });
    return m;
  }));
  const readOnly = new Compartment();
  const readOnlyExt = (ro) => [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
  const state = EditorState.create({
    doc: options.doc ?? '',
    extensions: [
      lineNumbers(),
      markGutter,
      foldGutter(),
      lintGutter(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      indentUnit.of('  '),
      syntaxHighlighting(highlightStyle),
      bracketMatching(),
      extras.of([]),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      json(),
      EditorView.lineWrapping,
      marksField,
      focusField,
      hoverSource(options),
      sizeLimit(options),
      readOnly.of(readOnlyExt(!!options.readOnly)),
      EditorView.contentAttributes.of({
        'aria-label': options.label ?? 'policy',
        'data-testid': 'editor-text',
        // The problems listed under the editor (when there are any).
        ...(options.describedBy ? { 'aria-describedby': options.describedBy } : {}),
      }),
      keymap.of([
        ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap,
        indentWithTab,
        // Until search has loaded (it then answers Mod-f itself).
        { key: 'Mod-f', run: (v) => { ready().then((m) => m.openSearchPanel(v)); return true; }, scope: 'editor search-panel' },
      ]),
      EditorView.domEventHandlers({ focus: () => { ready(); } }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.every(isFromApp)) options.onChange?.(u.state.doc.toString());
      }),
    ],
  });
  const view = new EditorView({ state, parent });

  const handle = {
    view,
    getDoc: () => view.state.doc.toString(),
    /** Puts `text` in place of the editor's, changing only what differs (the selection and history survive). */
    setDoc(text) {
      const old = view.state.doc.toString();
      if (old === text) return;
      let a = 0;
      const max = Math.min(old.length, text.length);
      while (a < max && old.charCodeAt(a) === text.charCodeAt(a)) a += 1;
      let b = 0;
      while (b < max - a && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b += 1;
      view.dispatch({ changes: { from: a, to: old.length - b, insert: text.slice(a, text.length - b) }, annotations: appEdit.of(true) });
    },
    /** marks: [{from, to, class, title}] (class m-decisive, m-deny or m-near). */
    setMarks(marks) {
      const len = view.state.doc.length;
      const ranges = [];
      for (const m of marks) {
        const from = Math.min(m.from, len);
        const to = Math.min(Math.max(m.to, from), len);
        if (to > from) ranges.push(Decoration.mark({ class: m.class, attributes: m.title ? { title: m.title } : undefined }).range(from, to));
      }
      const next = Decoration.set(ranges, true);
      // Typing maps the marks already shown: most keystrokes change none.
      if (RangeSet.eq([view.state.field(marksField)], [next])) return;
      view.dispatch({ effects: setMarksEffect.of(next) });
    },
    /**
     * list: [{from, to, severity, message, fromChecks, fixes: [{name, from, to, insert}]}].
     * keepChecks: the list has only the app's own diagnostics of the current
     * text; the policy checks' findings shown stay, where CodeMirror has
     * moved them with each edit since (the checks of this text run later).
     */
    setDiagnostics(list, keepChecks) {
      const len = view.state.doc.length;
      const diags = list.map((d) => {
        const from = Math.min(d.from, len);
        return {
          from,
          to: Math.min(Math.max(d.to, from), len),
          severity: severityOf[d.severity] ?? 'info',
          markClass: `cm-sev-${d.severity}`,
          source: d.severity === 'securityWarning' ? 'security warning' : undefined,
          message: d.message,
          fromChecks: !!d.fromChecks,
          // Relative to the diagnostic, which CodeMirror maps through later
          // edits (the apply gets its current place).
          actions: (d.fixes ?? []).map((f) => ({
            name: f.name,
            apply(v, at) {
              const a = at + (f.from - from);
              const b = at + (f.to - from);
              if (a < 0 || b > v.state.doc.length || b < a) return;
              v.dispatch({ changes: { from: a, to: b, insert: f.insert }, userEvent: 'input.fix' });
            },
          })),
        };
      });
      const key = (from, to, d) => `${from}:${to}:${d.severity}:${d.markClass}:${d.message}:${d.actions.map((a) => a.name).join('|')}`;
      const shown = [];
      forEachDiagnostic(view.state, (d, from, to) => {
        shown.push(key(from, to, d));
        if (keepChecks && d.fromChecks) diags.push({ ...d, from, to });
      });
      // Typing maps the diagnostics shown: most keystrokes change none.
      const wanted = diags.map((d) => key(d.from, d.to, d));
      shown.sort();
      wanted.sort();
      if (shown.length === wanted.length && shown.every((k, i) => k === wanted[i])) {
        return;
      }
      view.dispatch(cmSetDiagnostics(view.state, diags));
    },
    setReadOnly(ro) { view.dispatch({ effects: readOnly.reconfigure(readOnlyExt(!!ro)) }); },
    /** Selects from..to, scrolls it into view and flashes it. */
    reveal(from, to) {
      const len = view.state.doc.length;
      from = Math.min(from, len);
      to = Math.min(Math.max(to, from), len);
      const deco = to > from ? Decoration.set([Decoration.mark({ class: 'm-focus' }).range(from, to)]) : Decoration.none;
      view.dispatch({
        selection: EditorSelection.single(from, to),
        // In the middle of the screen, on a phone too.
        effects: [setFocusEffect.of(deco), EditorView.scrollIntoView(from, { y: 'center', yMargin: 40 })],
      });
      // CodeMirror centres it in the editor's own scroller; the page (or the
      // embed's pane) is brought to it too, once drawn, so that it lands in
      // the middle of the screen rather than at its edge (a phone's width).
      requestAnimationFrame(() => requestAnimationFrame(() => {
        const mark = view.dom.querySelector('.m-focus') ?? view.dom.querySelector('.cm-activeLine');
        mark?.scrollIntoView({ block: 'center', inline: 'nearest' });
      }));
    },
    scrollTo(line) {
      const n = Math.max(1, Math.min(line, view.state.doc.lines));
      view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(n).from, { y: 'start' }) });
    },
    focus: () => view.focus(),
    /** Resolves once completion and search are installed (they load on first focus). */
    whenReady: () => ready().then(() => undefined),
    destroy() { view.destroy(); },
  };
  parent.trustwalkEditor = handle;
  return handle;
}
