// Bundles the policy editor (web/editor/editor.mjs: CodeMirror 6 and its
// API for the app) into web/editor/dist/editor.js, minified, with esbuild
// (package-lock.json). The Rust side imports that file as a wasm-bindgen
// snippet, so Trunk ships it from the app's own origin. Run by web/build.rs
// (every cargo build of the web crate) and by Trunk's pre_build hook.
// Needs `npm ci` first. Writes only when the output changes (no rebuild loop).
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'web/editor/dist/editor.js');
const result = await build({
  entryPoints: [path.join(root, 'web/editor/editor.mjs')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  write: false,
  logLevel: 'warning',
});
const text = result.outputFiles[0].text;
mkdirSync(path.dirname(out), { recursive: true });
if (!existsSync(out) || readFileSync(out, 'utf8') !== text) writeFileSync(out, text);
console.log(`editor bundle: ${path.relative(root, out)}, ${text.length} bytes`);
