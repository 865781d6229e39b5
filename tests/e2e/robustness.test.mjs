// A bug in the app must never leave a dead page without a word: a panic
// in the WebAssembly code shows a banner. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser } from './helpers.mjs';
import { clearStorage, openApp } from './app.mjs';

describe('robustness', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  test('a panic shows a visible banner with the message', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const thrown = await page.evaluate(() => {
      try {
        window.wasmBindings.trustwalkTestPanic();
        return 'returned';
      } catch (e) {
        return String(e);
      }
    });
    assert.notEqual(thrown, 'returned', 'the panic stops the call');
    const banner = page.getByTestId('panic-banner');
    await banner.waitFor();
    assert.match(await banner.textContent(), /stopped because of a bug: a test of the panic banner.*reload the page/i);
    assert.equal(await banner.getAttribute('role'), 'alert');
    await screenshot(page, 'panic-banner');
    await page.close();
  });
});
