// Browser tests of saved work that must never be lost (issue 10): edits
// kept when another scenario is opened, several tabs at once, large
// scenarios, set-aside copies; and the page's own protections: its
// Content-Security-Policy and its refusal to run editable inside another
// site's frame. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { foreignRequests, REPO_ROOT, screenshot, useBrowser } from './helpers.mjs';
import {
  EXAMPLE_TITLE, LEGACY_CORRUPT_KEY, SET_ASIDE_PREFIX, STORAGE_KEY,
  clearStorage as clearSaved, setStorage, openApp, outcomes, title, waitForApp,
} from './app.mjs';

/** The saved work as stored, parsed. */
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k)), STORAGE_KEY);

/** The set-aside copies in storage: [{ key, copy }]. */
const setAside = (page) =>
  page.evaluate(
    ([prefix, legacy]) =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith(prefix) || k === legacy)
        .sort()
        .map((k) => ({ key: k, value: localStorage.getItem(k) })),
    [SET_ASIDE_PREFIX, LEGACY_CORRUPT_KEY],
  );

/** Waits until the stored saved work satisfies `check(saved)`. */
async function waitForStored(page, check, what) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = await stored(page);
    if (s && check(s)) return s;
    if (Date.now() > deadline) throw new Error(`saved work never showed ${what}: ${JSON.stringify(s && Object.keys(s.scenarios))}`);
    await page.waitForTimeout(100);
  }
}

const savedNames = (page) => page.getByTestId('saved-select').locator('option').allTextContents();

/** A share-link fragment, encoded as the app does (raw deflate, base64url). */
function fragment(doc, step = 0) {
  const payload = Buffer.from(JSON.stringify({ v: 1, step, view: 'playground', doc }));
  return '#s=' + deflateRawSync(payload, { level: 9 }).toString('base64url');
}

describe('saved work', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  const open = (p = '/') => openApp(browser.context, server, p);
  const clearStorage = () => clearSaved(browser.context, server);

  test('edits are kept when an example, a file or a paste is opened next', async () => {
    await clearStorage();
    const page = await open();
    const first = await page.getByTestId('saved-select').inputValue();
    await page.getByTestId('scenario-title').fill('Edited, then left for an example');
    // Another scenario at once, before or after the save-as-you-type delay.
    await page.waitForTimeout(400);
    await page.getByTestId('scenario-title').fill('Edited again, left at once');
    await page.getByTestId('examples').selectOption({ index: 3 });
    await page.waitForFunction((t) => document.querySelector('[data-testid="scenario-title"]').value !== t, 'Edited again, left at once');
    const chaining = await readFile(path.join(REPO_ROOT, 'examples', 'role-chaining.json'));
    await page.getByTestId('import-file').setInputFiles({ name: 'role-chaining.json', mimeType: 'application/json', buffer: chaining });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('Role chaining'));
    await page.waitForTimeout(500);
    await page.reload();
    await waitForApp(page);
    await page.getByTestId('saved-select').selectOption(first);
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value === 'Edited again, left at once');
    assert.equal((await savedNames(page)).length, 3);
    await page.close();
  });

  test('two tabs: neither deletes the other\'s scenarios, and each sees the other\'s', async () => {
    await clearStorage();
    const a = await open();
    await a.waitForTimeout(400);
    const b = await open();
    // Tab a saves a copy as "alpha"; tab b, opened before, edits and saves.
    await a.getByTestId('saved-menu').click();
    await a.getByTestId('save-as-name').fill('alpha');
    await a.getByTestId('save-as').click();
    await a.getByTestId('notice').filter({ hasText: 'Saved as' }).waitFor();
    await waitForStored(a, (s) => 'alpha' in s.scenarios, 'alpha');
    await b.getByTestId('scenario-title').fill('Edited in tab b');
    await waitForStored(b, (s) => Object.values(s.scenarios).some((t) => t.includes('Edited in tab b')), "tab b's edit");
    const s = await stored(b);
    assert.ok('alpha' in s.scenarios, `alpha survived tab b's save: ${Object.keys(s.scenarios)}`);
    // Tab b lists alpha without a reload (the storage event).
    await b.waitForFunction(() => [...document.querySelectorAll('[data-testid="saved-select"] option')].some((o) => o.textContent === 'alpha'));
    // Tab a deletes nothing of b's either: b's edit is still there after a saves again.
    await a.getByTestId('scenario-title').fill('alpha, edited in tab a');
    await waitForStored(a, (x) => x.scenarios.alpha.includes('alpha, edited in tab a'), "tab a's edit");
    const after = await stored(a);
    assert.ok(Object.values(after.scenarios).some((t) => t.includes('Edited in tab b')), 'b\'s edit kept');
    await a.close();
    await b.close();
  });

  test('a large shared scenario is saved compactly and opens again with all the saved work', async () => {
    await clearStorage();
    const example = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', 'staging-reads-production.json'), 'utf8'));
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Pad', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { StringEquals: { 'aws:PrincipalTag/team': ['a', 'b', 'c'] } } }],
    };
    const doc = structuredClone(example);
    doc.title = 'A large linked scenario';
    const role = doc.accounts[1].roles[0];
    role.policies ??= [];
    for (let n = 0; JSON.stringify(doc).length < 338 * 1024; n += 1) role.policies.push({ name: `Pad${n}`, document: policy });
    const first = await open();
    await first.getByTestId('scenario-title').fill('Mine, before the link');
    await first.waitForTimeout(500);
    await first.close();
    const page = await open('/' + fragment(doc));
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value === 'A large linked scenario');
    const s = await waitForStored(page, (x) => Object.keys(x.scenarios).length === 2, 'both scenarios');
    const text = s.scenarios[s.current];
    assert.ok(!text.includes('\n  "accounts"'), 'stored compactly');
    await page.reload();
    await waitForApp(page);
    assert.equal(await title(page), 'A large linked scenario');
    assert.equal(await page.getByTestId('notice').count(), 0, 'nothing set aside, no message');
    assert.deepEqual(await setAside(page), []);
    assert.equal((await savedNames(page)).length, 2);
    assert.ok(Object.values((await stored(page)).scenarios).some((t) => t.includes('Mine, before the link')), 'the earlier scenario is kept');
    await page.close();
  });

  test('unreadable saved data is set aside under dated keys, never overwritten, and can be downloaded or deleted', async () => {
    await clearStorage();
    // An earlier version's single slot, and a first damaged store.
    await setStorage(browser.context, server, LEGACY_CORRUPT_KEY, '{"legacy": ');
    await setStorage(browser.context, server, STORAGE_KEY, '{"current": "a", "scenarios": {');
    let page = await open();
    assert.match(await page.getByTestId('notice').first().textContent(), /damaged.*set aside/);
    await page.close();
    // A second one: one readable scenario and one that is not.
    const good = await readFile(path.join(REPO_ROOT, 'examples', 'vendor-external-id.json'), 'utf8');
    await setStorage(browser.context, server, STORAGE_KEY, JSON.stringify({ current: 'broken', scenarios: { kept: good, broken: '{"format": ' } }));
    page = await open();
    assert.match(await page.getByTestId('notice').first().textContent(), /“broken” could not be read.*set aside/);
    // The readable scenario opens; nothing else was set aside.
    assert.match(await title(page), /vendor/i);
    const copies = await setAside(page);
    assert.equal(copies.length, 3, copies.map((c) => c.key).join(' '));
    assert.ok(copies.some((c) => c.value === '{"legacy": '), 'the legacy slot is untouched');
    const texts = copies.filter((c) => c.key !== LEGACY_CORRUPT_KEY).map((c) => JSON.parse(c.value));
    assert.deepEqual(texts.map((c) => c.text).sort(), ['{"current": "a", "scenarios": {', '{"format": '].sort());
    assert.equal(texts.find((c) => c.name === 'broken').text, '{"format": ');
    await page.waitForTimeout(500);
    assert.deepEqual(Object.keys((await stored(page)).scenarios), ['kept']);
    // Listed in the Saved dialog: download one, delete one.
    await page.getByTestId('saved-menu').click();
    const rows = page.getByTestId('set-aside-copy');
    assert.equal(await rows.count(), 3);
    await screenshot(page, 'set-aside-copies');
    const [download] = await Promise.all([page.waitForEvent('download'), rows.filter({ hasText: 'broken' }).getByTestId('download-set-aside').click()]);
    assert.match(download.suggestedFilename(), /^trustwalk-set-aside-\d{4}-.*\.json$/);
    assert.equal(await readFile(await download.path(), 'utf8'), '{"format": ');
    await rows.filter({ hasText: 'broken' }).getByTestId('delete-set-aside').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="set-aside-copy"]').length === 2);
    assert.equal((await setAside(page)).length, 2);
    await page.close();
  });

  test('a Content-Security-Policy forbids inline script; the app runs under it', async () => {
    await clearStorage();
    const page = await open();
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    }
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script in the page');
    const problemsBefore = traffic.problems.length;
    const ran = await page.evaluate(async () => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.body.append(s);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__injected = true');
      img.src = 'data:,x';
      document.body.append(img);
      await new Promise((r) => setTimeout(r, 200));
      return window.__injected === true;
    });
    assert.equal(ran, false, 'inline script and inline handlers do not run');
    // The browser reports both refusals; they are this test's own doing.
    const refusals = traffic.problems.splice(problemsBefore);
    assert.ok(refusals.length >= 1 && refusals.every((p) => /Content Security Policy/.test(p)), refusals.join('\n'));
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    await page.close();
  });

  test('inside another site\'s frame, the editable playground refuses to run; the embedded view works', async () => {
    await clearStorage();
    // Another origin: localhost rather than 127.0.0.1, same server.
    const other = server.origin.replace('127.0.0.1', 'localhost');
    const appUrl = server.url('/');
    server.route('/framer.html', `<!doctype html><meta charset="utf-8"><title>Another site</title><link rel="icon" href="data:,"><iframe src="${appUrl}" width="900" height="600"></iframe>`);
    const page = await browser.context.newPage();
    await page.goto(`${other}/framer.html`);
    const frame = page.frameLocator('iframe');
    await frame.getByTestId('framed-refusal').waitFor();
    assert.match(await frame.getByTestId('framed-refusal').textContent(), /does not run inside another site's page/);
    assert.equal(await frame.getByTestId('playground').count(), 0);
    assert.equal(await frame.locator('a[target="_blank"]').getAttribute('href'), appUrl);
    await screenshot(page, 'framed-refusal');
    // The embed snippet's view runs in the same frame.
    const embed = await open();
    await embed.getByTestId('embed-button').click();
    const src = (await embed.getByTestId('embed-snippet').inputValue()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    await embed.close();
    server.route('/framer-embed.html', `<!doctype html><meta charset="utf-8"><title>Docs</title><link rel="icon" href="data:,"><iframe src="${src}" width="900" height="600"></iframe>`);
    await page.goto(`${other}/framer-embed.html`);
    await page.frameLocator('iframe').getByTestId('embed-view').waitFor();
    assert.deepEqual(
      (await page.frameLocator('iframe').locator('[data-testid="step"] [data-testid="outcome"]').allTextContents()).map((t) => t.trim()),
      ['Allowed', 'Allowed', 'Implicit deny'],
    );
    // The same origin may frame the playground (its own pages).
    server.route('/own-framer.html', `<!doctype html><meta charset="utf-8"><title>Own</title><link rel="icon" href="data:,"><iframe src="${appUrl}" width="900" height="600"></iframe>`);
    await page.goto(server.url('/own-framer.html'));
    await page.frameLocator('iframe').getByTestId('playground').waitFor();
    await page.close();
  });

  test('saved work asks no host but this one and logs no errors', async () => {
    const others = foreignRequests(traffic.requests, server.origin).filter((u) => !u.startsWith(server.origin.replace('127.0.0.1', 'localhost')));
    assert.deepEqual(others, []);
    assert.deepEqual(traffic.problems, [], 'no page or console errors');
  });
});
