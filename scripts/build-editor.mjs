// Bundles the policy editor (web/editor/editor.mjs: CodeMirror 6 and its
// API for the app) into web/editor/dist/editor.js, minified, with esbuild
// (package-lock.json). The Rust side imports that file as a wasm-bindgen
// snippet, so Trunk ships it from the app's own origin. What editor.mjs
// imports dynamically (web/editor/lazy.mjs: completion, search) becomes
// chunks (chunk-*.js: the code both share, imported by editor.js at start, and the first-use part) beside it, which scripts/copy-editor-chunks.mjs
// (Trunk post_build) puts beside the snippet in dist/. Run by web/build.rs
// (cargo builds of the web crate, Trunk's included) when its sources change.
// Needs `npm ci` first. Writes only files whose content changed (no rebuild
// loop) and removes stale chunks.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'web/editor/dist');
const result = await build({
  entryPoints: [path.join(root, 'web/editor/editor.mjs')],
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  write: false,
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
const names = new Set();
for (const f of result.outputFiles) {
  const name = path.basename(f.path);
  names.add(name);
  if (!existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.text) writeFileSync(f.path, f.text);
  console.log(`editor bundle: web/editor/dist/${name}, ${f.text.length} bytes`);
}
for (const name of readdirSync(outdir)) if (!names.has(name)) rmSync(path.join(outdir, name));
