// Browser tests of issue 13 (part B): the policy checks run in the app's Web
// Worker. Its files are not part of the initial load; an answer about an
// older text is never shown; a worker that cannot load leaves a working
// app that says the checks are unavailable; the editor's completion, hover
// and entities are answered there.
// Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { DIST_DIR, foreignRequests, useBrowser } from './helpers.mjs';
import { IDENTITY, clearStorage, getEditorText, openApp, outcomes, pasteInto, setEditor, waitForOutcomes } from './app.mjs';

const problemTexts = (page) => page.locator('[data-testid="problem"]').allTextContents();
const catalogueNote = (page) => page.getByTestId('catalogue').textContent();

/** StageAdmin's policy with a typo `s3:GetObjectz<n>` (an error finding naming it). */
const withTypo = (n) =>
  JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AssumeStageRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/StageRole' },
        { Sid: 'Typo', Effect: 'Allow', Action: `s3:GetObjectz${n}`, Resource: 'arn:aws:s3:::production-test-bucket-101/*' },
      ],
    },
    null,
    2,
  );

describe('the policy checks in a Web Worker', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  const open = async () => {
    await clearStorage(browser.context, server);
    return openApp(browser.context, server, '/');
  };

  test('the worker is loaded after the first verdicts, then reads the catalogue', async () => {
    const before = server.requests.length;
    const page = await open();
    await page.waitForFunction(() => /AWS catalogue of \d{4}-\d\d-\d\d/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
    const asked = server.requests.slice(before).map((p) => p.replace(/\?.*/, ''));
    const at = (name) => asked.findIndex((p) => p.endsWith(name));
    // The page's own files come first; the worker's after them.
    const mainWasm = asked.findIndex((p) => /\/trustwalk-web-[0-9a-f]+_bg\.wasm$/.test(p));
    assert.ok(mainWasm >= 0, JSON.stringify(asked));
    for (const name of ['/policy-worker.js', '/trustwalk-worker.js', '/trustwalk-worker_bg.wasm', '/catalogue.json']) {
      assert.ok(at(name) > mainWasm, `${name} after the page's wasm: ${JSON.stringify(asked)}`);
    }
    // The page's performance mark of the first verdicts precedes the worker's requests.
    const [verdicts, workerStart] = await page.evaluate(() => [
      performance.getEntriesByName('trustwalk:verdicts')[0]?.startTime,
      performance.getEntriesByType('resource').find((e) => e.name.endsWith('/policy-worker.js'))?.startTime,
    ]);
    assert.ok(verdicts !== undefined && workerStart !== undefined && workerStart >= verdicts, `${verdicts} ${workerStart}`);
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });

  test('completion, hover and entities are answered by the worker with its catalogue', async () => {
    const page = await open();
    await page.waitForFunction(() => /AWS catalogue of \d{4}-/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
    // The entities are the last checked scenario's: wait for a check with the
    // catalogue (the explanation then says what the Allow statements grant).
    await page.getByTestId('grants').first().waitFor();
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObj", "Resource": "arn"}]}';
    const completion = JSON.parse(await page.evaluate(([t, p]) => window.wasmBindings.trustwalkComplete(t, p, 'identity'), [text, text.indexOf('GetObj') + 6]));
    assert.ok(completion.options.some((o) => o.label === 's3:GetObject'), JSON.stringify(completion).slice(0, 400));
    const hover = JSON.parse(await page.evaluate(([t, p]) => window.wasmBindings.trustwalkHover(t, p), [text.replace('s3:GetObj', 's3:GetObject'), text.indexOf('s3:') + 4]));
    assert.ok(hover && /GetObject/.test(JSON.stringify(hover)), JSON.stringify(hover));
    const entities = JSON.parse(await page.evaluate(() => window.wasmBindings.trustwalkEntities()));
    assert.ok(entities.some((e) => e.id === 'arn:aws:iam::222222222222:role/StageRole'), JSON.stringify(entities).slice(0, 400));
    await page.close();
  });
});

/** A copy of dist/ with `change(dir)` applied: a worker that cannot run. */
function brokenDist(change) {
  const dir = mkdtempSync(path.join(tmpdir(), 'trustwalk-dist-'));
  cpSync(DIST_DIR, dir, { recursive: true });
  change(dir);
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('typing faster than the worker answers', () => {
  let server;
  let browser;
  // Every message reaches this worker 300 ms late (in order): each answer
  // arrives after the next edit, so every answer but the last is about an
  // older text.
  useBrowser(
    (env) => ({ server, browser } = env),
    brokenDist((dir) => {
      const loader = readFileSync(path.join(dir, 'policy-worker.js'), 'utf8');
      const delay = `let handler = null;
Object.defineProperty(self, 'onmessage', { configurable: true, get: () => handler, set: (h) => { handler = h; } });
self.addEventListener('message', (e) => setTimeout(() => handler && handler(e), 300));
`;
      writeFileSync(path.join(dir, 'policy-worker.js'), delay + loader);
    }),
  );

  test('a finding shown always belongs to the text on screen, and the last ones to the last text', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server, '/');
    await page.waitForFunction(() => /AWS catalogue of \d{4}-/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
    // Every change of the problems list is recorded with the editor's text at that moment.
    await page.evaluate((editorPath) => {
      window.__seen = [];
      const typos = () =>
        [...new Set([...document.querySelectorAll('[data-testid="problem"]')].flatMap((r) => [...r.textContent.matchAll(/s3:GetObjectz(\d+)/g)].map((m) => m[1])))].sort();
      let last = '';
      new MutationObserver(() => {
        const now = typos();
        if (JSON.stringify(now) === last) return;
        last = JSON.stringify(now);
        const text = document.querySelector(`[data-testid="editor"][data-path="${editorPath}"] .ed-body`).trustwalkEditor.getDoc();
        window.__seen.push({ typos: now, editor: text.match(/s3:GetObjectz(\d+)/)?.[1] ?? null });
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    }, IDENTITY);
    // An edit every 200 ms: each check is sent 150 ms after its edit, and
    // its answer comes after the next edit.
    const N = 12;
    for (let i = 1; i <= N; i += 1) {
      await pasteInto(page, IDENTITY, withTypo(i));
      await page.waitForTimeout(200);
    }
    await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="problem"]')].some((r) => r.textContent.includes(`s3:GetObjectz${n}`)), N);
    await page.waitForTimeout(1000);
    const rows = await problemTexts(page);
    const shown = [...new Set(rows.flatMap((t) => [...t.matchAll(/s3:GetObjectz(\d+)/g)].map((m) => m[1])))];
    assert.deepEqual(shown, [String(N)], `only the last text's typo: ${JSON.stringify(rows)}`);
    const seen = await page.evaluate(() => window.__seen);
    assert.ok(seen.some((s) => s.typos.length > 0), JSON.stringify(seen));
    for (const s of seen) {
      assert.ok(s.typos.every((t) => t === s.editor), `findings of another text were shown: ${JSON.stringify(s)} in ${JSON.stringify(seen)}`);
    }
    assert.equal(await getEditorText(page, IDENTITY), withTypo(N));
    await page.close();
  });
});

for (const [what, change] of [
  ['whose script is missing', (dir) => rmSync(path.join(dir, 'policy-worker.js'))],
  ['whose WebAssembly is broken', (dir) => writeFileSync(path.join(dir, 'trustwalk-worker_bg.wasm'), 'not wasm')],
]) {
  describe(`a worker ${what}`, () => {
    let server;
    let browser;
    useBrowser((env) => ({ server, browser } = env), brokenDist(change));

    test('the app still evaluates and says that the checks are unavailable', async () => {
      await clearStorage(browser.context, server);
      const page = await openApp(browser.context, server, '/');
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.waitForFunction(() => /policy checks are unavailable/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
      assert.match(await catalogueNote(page), /verdicts do not need them/);
      // Typing still re-evaluates at once (no freeze), and no finding appears.
      const first = await outcomes(page);
      const original = await getEditorText(page, IDENTITY);
      await setEditor(page, IDENTITY, withTypo(1).replace('sts:AssumeRole', 'sts:AssumeRoleX'));
      await page.waitForFunction((was) => JSON.stringify([...document.querySelectorAll('[data-testid="step"] [data-testid="outcome"]')].map((e) => e.textContent.trim())) !== was, JSON.stringify(first));
      await page.waitForTimeout(400);
      assert.ok(!(await problemTexts(page)).some((t) => t.includes('s3:GetObjectz1')));
      // The editor's questions get no answer rather than hanging.
      assert.equal(await page.evaluate(() => window.wasmBindings.trustwalkComplete('{"Action": "s3:Get"}', 16, 'identity')), 'null');
      assert.deepEqual(errors, [], 'no panic in the page');
      assert.equal(await page.getByTestId('panic-banner').count(), 0);
      await setEditor(page, IDENTITY, original);
      await waitForOutcomes(page, first);
      await page.close();
    });
  });
}
