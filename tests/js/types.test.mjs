// The package's TypeScript declarations (pkg/trustwalk/trustwalk.d.ts,
// generated from the Rust types: crates/js/tests/types.rs) type-check a
// consumer: tsc --noEmit on tests/js/types/consumer.ts, whose
// `@ts-expect-error` lines check they are precise. Needs the built
// package (scripts/build-js.sh) and npm's typescript (package-lock.json).
// Run: node --test tests/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

test('a TypeScript consumer of the package type-checks with tsc --noEmit', () => {
  assert.ok(existsSync(tsc), 'typescript is missing: run scripts/setup.sh (npm ci)');
  assert.ok(existsSync(path.join(root, 'pkg/trustwalk/trustwalk.d.ts')), 'build the package first: scripts/build-js.sh');
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', path.join(root, 'tests/js/types/tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.stdout}${e.stderr}`);
  }
});
