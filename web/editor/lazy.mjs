// What the policy editor loads on first use (the first focus of any editor,
// or Ctrl-F): completion with closing brackets, and search. Split from
// editor.mjs by esbuild (scripts/build-editor.mjs) into a chunk beside it,
// so that the page's initial load does not carry them.

import { Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { searchKeymap, highlightSelectionMatches, openSearchPanel, search } from '@codemirror/search';

export { openSearchPanel };

/** The extensions, with `source` as the only completion source. */
export function extras(source) {
  return [
    search({ top: true }),
    closeBrackets(),
    autocompletion({ override: [source], icons: false }),
    highlightSelectionMatches(),
    Prec.high(keymap.of([...closeBracketsKeymap, ...completionKeymap, ...searchKeymap])),
  ];
}
