// Browser test of issue 15's "Tighten": the button on a role's policy
// editor opens a dialog with the diff to the smallest policy the steps
// need; Apply replaces the editor's text, every step keeps its verdict,
// and Ctrl+Z brings the old text back.
// Run: node --test tests/e2e/tighten.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser } from './helpers.mjs';
import { TRUST, clearStorage, editor, getEditorText, openApp, outcomes, waitForOutcomes } from './app.mjs';

const ROLE_POLICY = 'accounts[1].roles[0].policies[0].document';

describe('tightening a policy in the playground', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  test('apply on the example: the policy text changes and every step keeps its verdict', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server, '/');
    const verdicts = await outcomes(page);
    const before = await getEditorText(page, ROLE_POLICY);
    assert.match(before, /s3:ListBucket/);

    // Identity and session policies have the button; a trust policy has not.
    assert.equal(await editor(page, TRUST).getByTestId('tighten').count(), 0);
    await editor(page, ROLE_POLICY).getByTestId('tighten').click();
    const dialog = page.getByTestId('tighten-dialog');
    await dialog.waitFor();
    assert.match(await dialog.getByTestId('tighten-summary').textContent(), /1 statement narrowed .* all 3 steps keep their outcome/);
    const diff = dialog.getByTestId('tighten-diff');
    assert.match(await diff.locator('.removed').allTextContents().then((l) => l.join('\n')), /s3:ListBucket/);
    assert.match(await diff.locator('.added').allTextContents().then((l) => l.join('\n')), /production-test-bucket-101\/Sunset\.jpg/);
    await screenshot(page, 'tighten-dialog');

    await dialog.getByTestId('tighten-apply').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(
      (path) => !document.querySelector(`[data-testid="editor"][data-path="${path}"] .ed-body`).trustwalkEditor.getDoc().includes('ListBucket'),
      ROLE_POLICY,
    );
    const after = JSON.parse(await getEditorText(page, ROLE_POLICY));
    assert.deepEqual(after.Statement, [
      { Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::production-test-bucket-101/Sunset.jpg' },
    ]);
    await waitForOutcomes(page, verdicts);

    // Once tightened, there is nothing more to apply.
    await editor(page, ROLE_POLICY).getByTestId('tighten').click();
    await dialog.waitFor();
    assert.match(await dialog.getByTestId('tighten-summary').textContent(), /nothing to tighten/);
    assert.equal(await dialog.getByTestId('tighten-apply').count(), 0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Undone like any other edit.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Control+z');
    await page.waitForFunction(
      (path) => document.querySelector(`[data-testid="editor"][data-path="${path}"] .ed-body`).trustwalkEditor.getDoc().includes('ListBucket'),
      ROLE_POLICY,
    );
    await waitForOutcomes(page, verdicts);
    await page.close();
  });
});
