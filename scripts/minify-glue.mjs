// Trunk post_build hook (Trunk.toml): minifies wasm-bindgen's JavaScript glue
// in Trunk's staging folder with esbuild (about 2 KB less gzipped), and the
// stylesheet (its comments and spaces: about 1.5 KB less gzipped). Trunk's
// own minifier cannot parse the glue's `export default`, so it is off
// (Trunk.toml `minify = "never"`) for both. The stylesheet is linked without
// integrity too (index.html), for the same reason. The glue is loaded
// without subresource integrity (index.html: data-integrity="none"), since
// the hash Trunk computed would no longer match; it is same-origin and the
// Content-Security-Policy allows scripts from this origin only.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { transform } from 'esbuild';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');
  process.exit(1);
}
for (const name of await readdir(dir)) {
  if (name.endsWith('.css')) {
    const file = path.join(dir, name);
    const source = await readFile(file, 'utf8');
    // No target: every property and selector is kept as written.
    const { code } = await transform(source, { loader: 'css', minify: true, legalComments: 'none' });
    await writeFile(file, code);
    console.error(`minify-glue: ${name}: ${source.length} -> ${code.length} bytes`);
    continue;
  }
  // boot.js is ours; the worker's glue (no-modules: a script whose global
  // `wasm_bindgen` web/policy-worker.js calls) and its loader are not part
  // of the initial load.
  if (!name.endsWith('.js') || name === 'boot.js' || name === 'policy-worker.js' || name.startsWith('trustwalk-worker')) continue;
  const file = path.join(dir, name);
  const source = await readFile(file, 'utf8');
  const { code } = await transform(source, { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
  await writeFile(file, code);
  console.error(`minify-glue: ${name}: ${source.length} -> ${code.length} bytes`);
}
