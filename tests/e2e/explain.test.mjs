// Browser tests of the explanation's hints (issue #14): a mismatch shows
// the policy's values beside the request's and the nearest one, and a
// one-edit fix is a button. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, useBrowser } from './helpers.mjs';
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

  test("the AssumeRole form has every field: the role-chaining lesson 7200 → 3600 can be explored", async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    const chaining = await readFile(path.join(REPO_ROOT, 'examples', 'role-chaining.json'));
    await page.getByTestId('import-file').setInputFiles({ name: 'role-chaining.json', mimeType: 'application/json', buffer: chaining });
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Invalid', 'Allowed', 'Skipped']);
    await page.getByTestId('step').nth(2).click();
    const form = page.getByTestId('step-form');
    const duration = form.getByTestId('duration-seconds');
    assert.equal(await duration.inputValue(), '7200');
    await duration.fill('3600');
    await duration.press('Enter');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Allowed', 'Allowed', 'Allowed']);
    // Session tags, transitive keys and a source identity are in the form too.
    await form.getByTestId('session-tags').fill('team=red, project=x');
    await form.getByTestId('session-tags').press('Enter');
    await form.getByTestId('transitive-tag-keys').fill('team');
    await form.getByTestId('transitive-tag-keys').press('Enter');
    await form.getByTestId('source-identity').fill('alice');
    await page.waitForFunction(() => document.querySelector('[data-testid="step-form"] [data-testid="session-tags"]').value === 'team=red, project=x');
    assert.equal(await form.getByTestId('transitive-tag-keys').inputValue(), 'team');
    await page.close();
  });

  test('steps are duplicated, moved (buttons and Alt+Shift+arrows), removed, and Ctrl+Z brings them back', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('step').nth(1).click();
    await page.getByTestId('duplicate-step').click();
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Allowed', 'Implicit deny']);
    assert.equal(await page.getByTestId('step-form').getByTestId('step-id').inputValue(), 'read-sunset-copy');
    // Before the AssumeRole, the session does not exist yet.
    await page.getByTestId('move-step-up').click();
    await page.getByTestId('move-step-up').click();
    await waitForOutcomes(page, ['Skipped', 'Allowed', 'Allowed', 'Implicit deny']);
    await page.locator('body').focus();
    await page.keyboard.press('Alt+Shift+ArrowDown');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Allowed', 'Implicit deny']);
    // The focus follows the moved step, and j/k move it with the selection.
    await page.waitForFunction(() => document.activeElement?.dataset?.index === '1');
    await page.keyboard.press('j');
    await page.waitForFunction(() => document.activeElement?.dataset?.index === '2' && document.activeElement.getAttribute('aria-current') === 'step');
    await page.getByTestId('remove-step').click();
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    await page.locator('body').focus();
    await page.keyboard.press('Control+z');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Allowed', 'Implicit deny']);
    assert.match(await page.getByTestId('notice').last().textContent(), /Undone/);
    await page.close();
  });
});

