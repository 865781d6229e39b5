// Browser tests of working together without a server (issue 6): share
// links, saved work, import and export, the embedded view.
// Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { foreignRequests, REPO_ROOT, screenshot, useBrowser } from './helpers.mjs';
import {
  EXAMPLE_TITLE, SET_ASIDE_PREFIX, STORAGE_KEY, TRUST,
  clearStorage as clearSaved, setStorage,
  editorText, getEditorText, openApp, outcomes, selectedStep, setEditor, title, waitForApp, waitForOutcomes,
} from './app.mjs';

const readDownload = async (download) => {
  const file = await download.path();
  return readFile(file, 'utf8');
};

describe('working together', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  const open = (path = '/') => openApp(browser.context, server, path);

  const clearStorage = () => clearSaved(browser.context, server);

  async function shareLink(page) {
    await page.getByTestId('share-button').click();
    const url = await page.getByTestId('share-url').inputValue();
    await page.getByTestId('copy-status').waitFor();
    await page.getByTestId('dialog-close').click();
    return url;
  }

  test('a share link reproduces the same scenario and step', async () => {
    await clearStorage();
    const page = await open();
    const trust = (await getEditorText(page, TRUST)).replace('111111111111', '333333333333');
    await setEditor(page, TRUST, trust);
    await page.getByTestId('scenario-title').fill('Shared and edited');
    await page.getByTestId('step').nth(1).click();
    await page.getByTestId('share-button').click();
    const url = await page.getByTestId('share-url').inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+$/);
    // Copied, or else the link is shown to copy by hand.
    assert.match(await page.getByTestId('copy-status').textContent(), /Copied|select the link/i);
    await screenshot(page, 'share-dialog');
    await page.keyboard.press('Escape');
    await page.close();

    await clearStorage();
    const other = await open(url.slice(server.origin.length));
    assert.equal(await title(other), 'Shared and edited');
    assert.equal(await selectedStep(other), 1);
    assert.equal(await getEditorText(other, TRUST), trust);
    assert.deepEqual((await outcomes(other)).slice(0, 2), ['Implicit deny', 'Skipped']);
    // The link joined the saved work, and stays in the address bar (to
    // bookmark or pass on) until the document is changed.
    assert.equal(await other.evaluate(() => location.hash), url.slice(url.indexOf('#')));
    await other.waitForTimeout(600);
    assert.match(await other.evaluate((k) => localStorage.getItem(k) ?? '', STORAGE_KEY), /Shared and edited/);
    // A reload opens the same scenario again, without a second copy.
    await other.reload();
    await other.getByTestId('step').first().waitFor();
    assert.equal(await title(other), 'Shared and edited');
    await other.getByTestId('scenario-title').fill('Shared, edited again');
    await other.waitForFunction(() => location.hash === '');
    await other.close();
  });

  test('a damaged or tampered link says so and opens the example', async () => {
    await clearStorage();
    const page = await open();
    const url = await shareLink(page);
    await page.close();
    const fragment = url.slice(url.indexOf('#'));
    const cut = fragment.slice(0, Math.floor(fragment.length * 0.6));
    const flipped = fragment.slice(0, 40) + (fragment[40] === 'A' ? 'B' : 'A') + fragment.slice(41);
    for (const bad of [cut, flipped, '#s=%%%not-base64', `#s=${'A'.repeat(300 * 1024)}`]) {
      const p = await open(`/${bad}`);
      const notice = p.getByTestId('notice').first();
      await notice.waitFor();
      assert.match(await notice.textContent(), /This link could not be opened: .*(damaged|too long|base64).*example scenario is shown/i, bad.slice(0, 60));
      assert.equal(await title(p), EXAMPLE_TITLE);
      assert.deepEqual(await outcomes(p), ['Allowed', 'Allowed', 'Implicit deny']);
      if (bad === cut) await screenshot(p, 'damaged-link');
      await p.close();
    }
  });

  test('share-link lengths of every example', async () => {
    await clearStorage();
    const page = await open();
    const options = await page.getByTestId('examples').locator('option').allTextContents();
    const lengths = [];
    for (let i = 1; i < options.length; i += 1) {
      await page.getByTestId('examples').selectOption({ index: i });
      await page.waitForFunction((t) => document.querySelector('[data-testid="scenario-title"]').value === t, options[i]);
      const url = await shareLink(page);
      const fragment = url.slice(url.indexOf('#'));
      lengths.push([options[i], fragment.length]);
      assert.ok(fragment.length < 4000, `${options[i]}: ${fragment.length}`);
    }
    console.log('share-link fragment lengths (characters after the page address):');
    for (const [name, n] of lengths) console.log(`  ${n}\t${name}`);
    await page.close();
  });

  test('edits survive a reload; named scenarios can be saved, switched and deleted', async () => {
    await clearStorage();
    const page = await open();
    await page.getByTestId('scenario-title').fill('My edited scenario');
    const trust = (await getEditorText(page, TRUST)).replace('"TrustStaging"', '"TrustStagingEdited"');
    await setEditor(page, TRUST, trust);
    await page.getByTestId('step').nth(2).click();
    await page.waitForTimeout(500); // saved 300 ms after the last change
    await page.reload();
    await waitForApp(page);
    assert.equal(await title(page), 'My edited scenario');
    assert.equal(await getEditorText(page, TRUST), trust);
    assert.equal(await selectedStep(page), 2);
    // Saved under the name it was opened with (the example's title).
    const original = await page.getByTestId('saved-select').inputValue();
    assert.ok(EXAMPLE_TITLE.startsWith(original.replace('…', '')), original);

    // Save a copy under a name, edit the copy, switch back and forth.
    await page.getByTestId('saved-menu').click();
    await page.getByTestId('save-as-name').fill('copy for review');
    await page.getByTestId('save-as').click();
    await page.getByTestId('notice').filter({ hasText: 'Saved as' }).waitFor();
    assert.equal(await page.getByTestId('saved-select').inputValue(), 'copy for review');
    await page.getByTestId('scenario-title').fill('The copy');
    await page.getByTestId('saved-select').selectOption(original);
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value === 'My edited scenario');
    await page.getByTestId('saved-select').selectOption('copy for review');
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value === 'The copy');
    // Loading an example keeps both as saved scenarios.
    await page.getByTestId('examples').selectOption({ index: 2 });
    const names = await page.getByTestId('saved-select').locator('option').allTextContents();
    assert.ok(names.includes(original) && names.includes('copy for review'), names.join(' | '));
    // Delete one (not the open one).
    await page.getByTestId('saved-menu').click();
    const row = page.getByTestId('saved-list').locator('li', { hasText: 'copy for review' });
    await row.getByTestId('delete-saved').click();
    await page.getByTestId('saved-list').locator('li', { hasText: 'copy for review' }).waitFor({ state: 'detached' });
    await screenshot(page, 'saved-scenarios');
    await page.getByTestId('dialog-close').click();
    await page.waitForTimeout(500);
    await page.reload();
    await waitForApp(page);
    const after = await page.getByTestId('saved-select').locator('option').allTextContents();
    assert.ok(!after.includes('copy for review') && after.includes(original), after.join(' | '));
    await page.close();
  });

  test('corrupt saved work is reported and set aside, never crashing the app', async () => {
    await clearStorage();
    await setStorage(browser.context, server, STORAGE_KEY, '{"current": "a", "scenarios": {');
    const page = await open();
    const notice = page.getByTestId('notice').first();
    assert.match(await notice.textContent(), /saved work in this browser is damaged.*set aside/);
    const copies = await page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix)).map((k) => JSON.parse(localStorage.getItem(k))), SET_ASIDE_PREFIX);
    assert.deepEqual(copies.map((c) => c.text), ['{"current": "a", "scenarios": {']);
    assert.equal(await title(page), EXAMPLE_TITLE);
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    await screenshot(page, 'corrupt-saved-work');
    // The app saves afresh over the damaged data, which is kept aside.
    await page.waitForTimeout(500);
    const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), STORAGE_KEY);
    assert.ok(EXAMPLE_TITLE.startsWith(stored.current.replace('…', '')), stored.current);
    await page.close();
  });

  test('import a file, export the scenario, the result and a report, and import the export again', async () => {
    await clearStorage();
    const page = await open();
    const chaining = await readFile(path.join(REPO_ROOT, 'examples', 'role-chaining.json'));
    await page.getByTestId('import-file').setInputFiles({ name: 'role-chaining.json', mimeType: 'application/json', buffer: chaining });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('Role chaining'));
    assert.match(await page.getByTestId('notice').last().textContent(), /Opened role-chaining\.json/);
    const chainingOutcomes = await outcomes(page);
    assert.equal(chainingOutcomes.length, 5);

    // A broken file names the line and column.
    await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "format": "trustwalk/scenario@1",\n  "accounts": [,\n}') });
    const err = page.getByTestId('notice').filter({ hasText: 'broken.json' });
    await err.waitFor();
    assert.match(await err.textContent(), /broken\.json could not be opened: line 3, column \d+: /);

    // Export the scenario and read it back.
    await page.getByTestId('scenario-title').fill('Role chaining, edited');
    await page.getByTestId('export-menu').click();
    const [scenarioDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-scenario').click()]);
    assert.match(scenarioDownload.suggestedFilename(), /^role-chaining-edited\.scenario\.json$/);
    const exported = await readDownload(scenarioDownload);
    const doc = JSON.parse(exported);
    assert.equal(doc.format, 'trustwalk/scenario@1');
    assert.equal(doc.title, 'Role chaining, edited');

    await page.getByTestId('export-menu').click();
    const [resultDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-result').click()]);
    const result = JSON.parse(await readDownload(resultDownload));
    assert.equal(result.format, 'trustwalk/result@1');
    assert.deepEqual(result.steps.map((s) => s.decision).length, 5);

    await page.getByTestId('export-menu').click();
    const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    assert.match(reportDownload.suggestedFilename(), /\.report\.md$/);
    const md = await readDownload(reportDownload);
    assert.match(md, /^# Role chaining, edited\n/);
    assert.match(md, /\| # \| Step \|/);

    // Round trip: a fresh start, then the exported file.
    await page.getByTestId('examples').selectOption({ index: 1 });
    await page.getByTestId('import-file').setInputFiles({ name: 'exported.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value === 'Role chaining, edited');
    assert.deepEqual(await outcomes(page), chainingOutcomes);
    await page.close();
  });

  test('paste a document: loaded, or its error named by line and column', async () => {
    await clearStorage();
    const page = await open();
    await page.getByTestId('paste-button').click();
    await page.getByTestId('paste-text').fill('{\n  "format": "trustwalk/scenario@1"\n  "accounts": []\n}');
    await page.getByTestId('paste-load').click();
    assert.match(await page.getByTestId('paste-error').textContent(), /^line 2, column 35: invalid JSON: expected comma/);
    await screenshot(page, 'paste-error');
    const text = await readFile(path.join(REPO_ROOT, 'examples', 'vendor-external-id.json'), 'utf8');
    await page.getByTestId('paste-text').fill(text);
    await page.getByTestId('paste-load').click();
    await page.getByTestId('dialog').waitFor({ state: 'detached' });
    assert.match(await title(page), /vendor/i);
    await page.close();
  });

  test('an AWS export pasted is imported as a scenario, its managed policies fetched from this origin', async () => {
    await clearStorage();
    const page = await open();
    await page.getByTestId('paste-button').click();
    const text = await readFile(path.join(REPO_ROOT, 'examples', 'exports', 'staging-authorization-details.json'), 'utf8');
    await page.getByTestId('paste-text').fill(text);
    await page.getByTestId('paste-load').click();
    await page.getByTestId('dialog').waitFor({ state: 'detached' });
    assert.equal(await title(page), 'Imported accounts 111111111111');
    assert.match(await page.locator('.notice').last().textContent(), /Imported the AWS export of account 111111111111 \(\d+ fields left out/);
    // The group's AWS managed ReadOnlyAccess, fetched from the app's own
    // folder, lets the starting step list the buckets.
    await waitForOutcomes(page, ['Allowed']);
    assert.equal(await page.getByTestId('account').count(), 1);
    await page.close();
  });

  test('the embedded view renders inside an iframe, read-only, with a way back to the playground', async () => {
    await clearStorage();
    const page = await open();
    await page.getByTestId('step').nth(1).click();
    await page.getByTestId('embed-button').click();
    const snippet = await page.getByTestId('embed-snippet').inputValue();
    // The step shown first (the selected one) travels in the link.
    assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#embed&amp;step=2&amp;s=/);
    await screenshot(page, 'embed-dialog');
    await page.close();

    // A documentation page that pastes the snippet.
    server.route('/docs.html', `<!doctype html><html><head><meta charset="utf-8"><title>Docs</title><link rel="icon" href="data:,"></head><body><h1>Our AssumeRole setup</h1>${snippet}</body></html>`);
    await clearStorage();
    const docs = await browser.context.newPage();
    await docs.goto(server.url('/docs.html'));
    const frame = docs.frameLocator('iframe');
    await frame.getByTestId('embed-view').waitFor();
    await frame.locator('[data-testid="step"] [data-testid="outcome"]').first().waitFor();
    assert.deepEqual(
      (await frame.locator('[data-testid="step"] [data-testid="outcome"]').allTextContents()).map((t) => t.trim()),
      ['Allowed', 'Allowed', 'Implicit deny'],
    );
    assert.equal(await frame.locator('[data-testid="step"][aria-current="step"]').getAttribute('data-index'), '1');
    assert.equal(await frame.getByTestId('share-button').count(), 0, 'no playground tools');
    assert.equal(await frame.locator('[data-testid="editor-text"]').first().getAttribute('contenteditable'), 'false');
    assert.match(await frame.getByTestId('explanation').textContent(), /Why: step 2/);
    // Steps can still be stepped through.
    await frame.getByTestId('next-step').click();
    assert.equal(await frame.locator('[data-testid="step"][aria-current="step"]').getAttribute('data-index'), '2');
    // The link is compressed by the browser (asynchronously) for the step shown.
    await frame.locator('[data-testid="open-in-playground"][href]').waitFor();
    const href = await frame.getByTestId('open-in-playground').getAttribute('href');
    assert.match(href, /#s=/);
    assert.doesNotMatch(href, /embed/);
    await screenshot(docs, 'embed-in-iframe');
    // The embedded view never writes to the browser's storage.
    await docs.waitForTimeout(500);
    assert.equal(await docs.evaluate((k) => localStorage.getItem(k), STORAGE_KEY), null);
    await docs.close();

    // The link opens the same scenario, at the step shown, in the playground.
    const full = await open(href.slice(server.origin.length));
    assert.equal(await title(full), EXAMPLE_TITLE);
    assert.equal(await selectedStep(full), 2);
    assert.equal(await full.getByTestId('share-button').count(), 1);
    await full.close();
  });

  test('working together asks no host but this one and logs no errors', async () => {
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    assert.deepEqual(traffic.problems, [], 'no page or console errors');
  });
});
