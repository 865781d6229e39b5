// Browser tests of the explanation's hints (issue #14): a mismatch shows
// the policy's values beside the request's and the nearest one, and a
// one-edit fix is a button. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './helpers.mjs';
import { IDENTITY, TRUST, clearStorage, editorText, openApp, outcomes, setEditor, waitForOutcomes } from './app.mjs';

describe('explanations that point at the fix', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  test('a mistyped account asks "did you mean staging", and its button fixes it', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    const text = await editorText(page, TRUST).inputValue();
    await setEditor(page, TRUST, text.replace('arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111117:root'));
    await waitForOutcomes(page, ['Implicit deny', 'Skipped', 'Skipped']);
    const why = page.getByTestId('explanation');
    const hint = why.getByTestId('to-pass').getByTestId('hint').first();
    assert.equal(
      (await hint.textContent()).replace(/\s+/g, ' ').trim(),
      'The policy lists arn:aws:iam::111111111117:root, and the scenario has no account 111111111117: did you mean staging (111111111111)? Use 111111111111',
    );
    await hint.getByTestId('hint-fix').click();
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    assert.equal(await editorText(page, TRUST).inputValue(), text, 'the one edit back, nothing else');
    await page.close();
  });

  test('a new account ID carries over to the steps and policies that named the old one', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    const production = page.getByTestId('account').nth(1).getByTestId('account-id');
    await production.fill('333333333333');
    await production.press('Tab');
    await page.getByTestId('notice').filter({ hasText: 'Account ID changed to 333333333333: updated 3 steps and 2 policies' }).waitFor();
    assert.match(await editorText(page, IDENTITY).inputValue(), /arn:aws:iam::333333333333:role\/StageRole/);
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    await page.close();
  });

  test("a step's problem is named in plain words, and a click marks and focuses the field", async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('step').nth(1).click();
    await page.getByTestId('step-form').getByTestId('principal').fill('nobody');
    const problem = page.getByTestId('problems').getByTestId('problem-step').first();
    assert.match(await problem.textContent(), /^Step 2's principal — /);
    // Elsewhere first, then back through the Problems list.
    await page.getByTestId('step').nth(0).click();
    await problem.click();
    const field = page.getByTestId('step-form').getByTestId('principal');
    await page.waitForFunction(() => document.activeElement?.dataset?.testid === 'principal');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.inputValue(), 'nobody');
    await page.close();
  });
});

