// Browser tests of the web page in dist/ (trunk build --release), driven in
// Debian's headless Chromium by playwright-core. Run: node --test tests/e2e/

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  foreignRequests,
  launchChromium,
  recordTraffic,
  screenshot,
  serveDist,
} from './helpers.mjs';

describe('the single-policy page', () => {
  let server;
  let browser;
  let traffic;

  before(async () => {
    server = await serveDist();
    browser = await launchChromium();
    traffic = recordTraffic(browser.context);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the page and waits until the app has computed a decision. */
  async function openPage() {
    const page = await browser.context.newPage();
    await page.goto(server.url('/'));
    await page.getByTestId('decision').waitFor({ state: 'visible' });
    return page;
  }

  const policyBox = (page) => page.getByLabel('Identity policy', { exact: true });
  const requestBox = (page) => page.getByLabel('Request', { exact: true });
  const decision = (page) => page.getByTestId('decision');
  const errors = (page) => page.getByTestId('errors').locator('li');

  test('loads the built-in example and shows its decision: Allowed', async () => {
    const page = await openPage();
    assert.equal((await decision(page).textContent())?.trim(), 'Allowed');
    assert.equal(await errors(page).count(), 0, 'the example has no problems');
    // Both textareas are reachable by their labels and hold the example.
    assert.match(await policyBox(page).inputValue(), /"Statement"/);
    assert.match(await requestBox(page).inputValue(), /"action"/);
    assert.notEqual((await page.getByTestId('summary').textContent())?.trim(), '');
    const shot = await screenshot(page, 'example-allowed');
    console.log(`screenshot: ${shot}`);
    await page.close();
  });

  test('a policy edited to Deny gives Explicit deny', async () => {
    const page = await openPage();
    const original = await policyBox(page).inputValue();
    const denied = original.replace(/"Allow"/g, '"Deny"');
    assert.notEqual(denied, original, 'the example policy has an Allow statement');
    await policyBox(page).fill(denied);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="decision"]')?.textContent?.trim() === 'Explicit deny',
    );
    await screenshot(page, 'explicit-deny');
    // And back: the decision follows the text.
    await policyBox(page).fill(original);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="decision"]')?.textContent?.trim() === 'Allowed',
    );
    await page.close();
  });

  test('invalid JSON typed key by key shows an error with line and column', async () => {
    const page = await openPage();
    const box = policyBox(page);
    await box.fill('');
    await box.pressSequentially('{\n"Version": "2012-10-17",\n"Statement": [}');
    const first = errors(page).first();
    await first.waitFor({ state: 'visible' });
    const text = (await first.textContent()) ?? '';
    // The stray `}` is the 15th character of line 3.
    assert.match(text, /\b3:15: /, `an error at line 3, column 15, got: ${text}`);
    assert.equal((await decision(page).textContent())?.trim(), 'No decision');
    await screenshot(page, 'invalid-json');
    await page.close();
  });

  test('the page asks no host but its own, and logs no errors', async () => {
    const page = await openPage();
    // Exercise the page once more so that any lazy load would show.
    await requestBox(page).fill(`${await requestBox(page).inputValue()} `);
    await page.waitForLoadState('networkidle');
    await page.close();

    assert.ok(traffic.requests.length > 0, 'requests were recorded');
    assert.ok(
      traffic.requests.some((u) => u.endsWith('.wasm')),
      `the WebAssembly module was loaded: ${traffic.requests.join(', ')}`,
    );
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    assert.ok(
      !server.requests.some((p) => p.includes('favicon')),
      'no favicon request',
    );
    assert.deepEqual(traffic.problems, [], 'no page or console errors');
  });
});
