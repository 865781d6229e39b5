// The JavaScript API in headless Chromium: the plain HTML example page
// (examples/js-api/index.html) loads pkg/trustwalk and computes the verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT, foreignRequests, screenshot, useBrowser } from '../e2e/helpers.mjs';

let server;
let browser;
let traffic;
useBrowser((env) => ({ server, browser, traffic } = env), REPO_ROOT);

test('the plain HTML page computes the example verdicts with the JS API', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url('/examples/js-api/index.html'));
  const rows = page.locator('#results tbody tr');
  await rows.first().waitFor();
  assert.deepEqual(await page.locator('#results tbody tr td:nth-child(3)').allTextContents(), ['allowed', 'allowed', 'implicitDeny']);

  // Break the scenario: the API answers with errors, the page shows them.
  await page.fill('#scenario', '{"format": "trustwalk/scenario@1",\n  "accounts": [}');
  await page.click('#run');
  assert.match(await page.locator('#errors').textContent(), /^2:\d+: error\[JSON_SYNTAX_ERROR\]: invalid JSON/);

  // validatePolicy: a trust policy needs a Principal.
  await page.selectOption('#policy-type', 'trust');
  await page.fill('#policy', '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}');
  await page.click('#validate');
  assert.match(await page.locator('#validation').textContent(), /error\[MISSING_PRINCIPAL\]: the statement has no `Principal`/);
  await screenshot(page, 'js-api-page');
  assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
  assert.deepEqual(traffic.problems, []);
});
