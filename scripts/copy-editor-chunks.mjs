// Trunk post_build hook (Trunk.toml): wasm-bindgen copies the editor's
// snippet (web/editor/dist/editor.js) into dist/snippets/…/editor/dist/, but
// not the chunks it imports (scripts/build-editor.mjs: esbuild code
// splitting). This puts them beside it, where its relative imports look.
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('copy-editor-chunks: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');
  process.exit(1);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'web/editor/dist');
const chunks = (await readdir(from)).filter((n) => n.startsWith('chunk-') && n.endsWith('.js'));
const snippets = path.join(dir, 'snippets');
const targets = [];
for (const crate of await readdir(snippets).catch(() => [])) {
  const at = path.join(snippets, crate, 'editor/dist');
  if ((await readdir(at).catch(() => [])).includes('editor.js')) targets.push(at);
}
if (targets.length === 0) {
  console.error('copy-editor-chunks: no snippets/*/editor/dist/editor.js in the staging folder');
  process.exit(1);
}
for (const at of targets) for (const c of chunks) await copyFile(path.join(from, c), path.join(at, c));
console.error(`copy-editor-chunks: ${chunks.length} chunks beside ${targets.length} editor snippet(s)`);
