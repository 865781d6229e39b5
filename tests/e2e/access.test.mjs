// Browser tests of issue 15's access map and "Compare with…" in the
// playground: the map of the example says who reaches the bucket and how,
// a cell opens its explanation; a 100-principal, 50-bucket scenario maps
// in the worker while the page draws its progress bar; the
// comparison with the version opened, a saved one and a pasted one names
// the new access and the steps whose outcome changed.
// Run: node --test tests/e2e/access.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, screenshot, useBrowser } from './helpers.mjs';
import { EXAMPLE_TITLE, clearStorage, getEditorText, openApp, outcomes, setEditor } from './app.mjs';

const ROLE_POLICY = 'accounts[1].roles[0].policies[0].document';
const ADMIN = 'arn:aws:iam::111111111111:user/StageAdmin';
const ROLE = 'arn:aws:iam::222222222222:role/StageRole';

async function openMap(page) {
  await page.getByTestId('access-button').click();
  const dialog = page.getByTestId('access-dialog');
  await dialog.getByTestId('access-summary').waitFor();
  return dialog;
}

function group(dialog, arn) {
  return dialog.locator(`[data-testid="access-group"][data-principal="${arn}"]`);
}

/** Waits until the steps' verdicts differ from `before`. */
async function changedFrom(page, before) {
  await page.waitForFunction((before) => {
    const got = [...document.querySelectorAll('[data-testid="step"] [data-testid="outcome"]')].map((e) => e.textContent.trim());
    return JSON.stringify(got) !== JSON.stringify(before);
  }, before);
}

describe('the access map and Compare with… in the playground', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  test('the example: who can become StageRole, who reaches the bucket and how, and why', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server, '/');
    const dialog = await openMap(page);
    assert.match(await dialog.getByTestId('access-summary').textContent(), /^2 of 2 principals, 3 resources, 5 cells/);
    assert.equal(await group(dialog, ADMIN).getByTestId('access-reaches').textContent(), 'Can become: role/StageRole');
    assert.equal(await group(dialog, ROLE).getByTestId('access-reached-by').textContent(), 'Who can become it: user/StageAdmin');
    // Its own calls only: the AssumeRole.
    assert.deepEqual(
      (await group(dialog, ADMIN).getByTestId('access-line').locator('summary').allTextContents()).map((t) => t.trim()),
      ['arn:aws:iam::222222222222:role/StageRole Write: 1 allowed'],
    );

    // Who reaches the bucket: StageAdmin through StageRole, and StageRole.
    await dialog.getByTestId('access-resource').fill('production-test-bucket-101');
    await dialog.getByTestId('access-resource').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="access-line"] .via').length > 0);
    const lines = await group(dialog, ADMIN).getByTestId('access-line').locator('summary').allTextContents();
    assert.deepEqual(lines.map((t) => t.trim()), [
      'via role/StageRole: arn:aws:s3:::production-test-bucket-101 List: 1 allowed',
      'via role/StageRole: arn:aws:s3:::production-test-bucket-101/… Read: 1 allowed',
    ]);

    // A cell opens its explanation, run like a step.
    const objects = group(dialog, ADMIN).getByTestId('access-line').nth(1);
    await objects.locator('summary').click();
    assert.match(await objects.getByTestId('access-cell').textContent(), /^s3:GetObject allowed — production-test-bucket-101\/bucketPolicy statement 1 \(Sid StageRoleReads\) Why\?$/);
    await objects.getByTestId('access-why').click();
    const why = dialog.getByTestId('access-explanation');
    await why.waitFor();
    assert.match(await why.locator('h3').first().textContent(), /Why: user\/StageAdmin via role\/StageRole/);
    assert.match(await why.getByTestId('access-why-summary').textContent(), /allowed/i);
    assert.ok((await why.getByTestId('gate').count()) >= 2, 'the gates of the request');
    assert.match(await why.locator('.request').textContent(), /assumed-role\/StageRole\/trustwalk-access calls s3:GetObject/);
    await screenshot(page, 'access-map-example');
    await why.getByRole('button', { name: 'Back to the map' }).click();
    await why.waitFor({ state: 'detached' });

    // Allowed only, and a principal that matches nothing.
    await dialog.getByTestId('access-principal').fill('nobody');
    await dialog.getByTestId('access-principal').press('Enter');
    await dialog.getByTestId('access-empty').waitFor();
    await page.close();
  });

  test('a 100-principal, 50-bucket scenario maps in the worker, the page drawing its progress meanwhile', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server, '/');
    const text = execFileSync('node', [path.join(REPO_ROOT, 'scripts/gen-review-scenario.mjs'), '100', '50'], { encoding: 'utf8' });
    await page.getByTestId('import-file').setInputFiles({ name: 'review-100x50.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]')?.value.startsWith('Review benchmark'));
    // Every value the progress bar shows is recorded: the page draws it
    // while the worker maps, so it is not frozen meanwhile.
    await page.evaluate(() => {
      window.__progress = [];
      new MutationObserver(() => {
        const p = document.querySelector('[data-testid="review-progress"] progress');
        if (p) window.__progress.push([Number(p.value), Number(p.max), p.nextElementSibling?.textContent ?? '']);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByTestId('access-button').click();
    const dialog = page.getByTestId('access-dialog');
    await dialog.getByTestId('access-summary').waitFor({ timeout: 60_000 });
    assert.match(await dialog.getByTestId('access-summary').textContent(), /^100 of 100 principals, \d+ resources/);
    const seen = await page.evaluate(() => window.__progress);
    const midway = seen.filter(([v, max]) => max === 100 && v > 0 && v < 100);
    assert.ok(midway.length > 0, `the progress bar moved: ${JSON.stringify(seen.slice(0, 5))}`);
    assert.match(midway[0][2], /^Mapping… \d+ of 100 principals$/);
    assert.equal(await dialog.getByTestId('access-group').count(), 20, 'twenty principals at a time');
    await dialog.getByTestId('access-more').click();
    assert.equal(await dialog.getByTestId('access-group').count(), 40);
    await page.close();
  });

  test('Compare with… the version opened, a pasted scenario and a saved one', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server, '/');
    const original = await getEditorText(page, ROLE_POLICY);
    const verdicts = await outcomes(page);
    const compare = async (source) => {
      await page.getByTestId('compare-button').click();
      const dialog = page.getByTestId('compare-dialog');
      if (source) await dialog.getByTestId('compare-source').selectOption(source);
      await dialog.getByTestId('compare-run').click();
      await dialog.locator('[data-testid="compare-result"], [data-testid="review-error"]').first().waitFor();
      return dialog;
    };
    const close = async (dialog) => {
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    };

    // Nothing changed yet.
    let dialog = await compare();
    assert.equal(await dialog.getByTestId('compare-verdict').textContent(), 'Nothing changed from the scenario as it was opened: the same access, the same step outcomes.');
    await close(dialog);

    // Edits go to a copy; the example stays saved as it was.
    await page.getByTestId('saved-menu').click();
    await page.getByTestId('save-as-name').fill('draft');
    await page.getByTestId('save-as').click();
    await page.getByTestId('save-as').waitFor({ state: 'detached' });

    // The role may now write too: new access, named with its statement,
    // and the step that expected the write denied is now allowed.
    await setEditor(page, ROLE_POLICY, original.replace('"s3:GetObject"', '"s3:GetObject", "s3:PutObject"'));
    await changedFrom(page, verdicts);
    dialog = await compare();
    assert.equal(await dialog.getByTestId('compare-verdict').textContent(), 'The scenario shown grants access that the scenario as it was opened did not.');
    const changes = await dialog.getByTestId('compare-change').allTextContents();
    assert.ok(
      changes.some((c) => /^\+ user\/StageAdmin via role\/StageRole: s3:PutObject on production-test-bucket-101\/… \(Write\): implicitDeny → allowed/.test(c)),
      changes.join('\n'),
    );
    assert.ok(changes.every((c) => c.startsWith('+ ')), 'only new access');
    assert.match(changes[0], /after: StageRole\/ReadTestBucket statement 1 \(Sid ReadObjects\)/);
    assert.deepEqual(await dialog.getByTestId('compare-step').allTextContents(), ['write-denied: implicitDeny → allowed']);
    await screenshot(page, 'compare-dialog');

    // A pasted text that does not read is said; the example pasted as it
    // was gives the same answer as the version opened.
    await dialog.getByTestId('compare-source').selectOption('pasted');
    await dialog.getByTestId('compare-paste').fill('{ not json');
    await dialog.getByTestId('compare-run').click();
    assert.match(await dialog.getByTestId('review-error').textContent(), /^the other version does not read: /);
    await dialog.getByTestId('compare-paste').fill(fs.readFileSync(path.join(REPO_ROOT, 'examples/staging-reads-production.json'), 'utf8'));
    await dialog.getByTestId('compare-run').click();
    await dialog.getByTestId('compare-verdict').waitFor();
    assert.equal(await dialog.getByTestId('compare-verdict').textContent(), 'The scenario shown grants access that the pasted scenario did not.');
    assert.deepEqual(await dialog.getByTestId('compare-change').allTextContents(), changes);

    // The example as saved in this browser, picked by name.
    const saved = await dialog.getByTestId('compare-source').locator('option[value^="saved:"]').evaluateAll((os) => os.map((o) => o.value));
    assert.equal(saved.length, 1, 'every saved scenario but the one shown');
    const name = saved[0].slice('saved:'.length);
    assert.ok(EXAMPLE_TITLE.startsWith(name.replace(/…$/, '')), name);
    await close(dialog);
    dialog = await compare(saved[0]);
    assert.equal(await dialog.getByTestId('compare-verdict').textContent(), `The scenario shown grants access that the saved scenario “${name}” did not.`);
    await close(dialog);

    // The role's own policy names another bucket: removed access only (the
    // bucket policy still lets the role read, so no step changes).
    const writing = await outcomes(page);
    await setEditor(page, ROLE_POLICY, original.replaceAll('production-test-bucket-101', 'another-bucket'));
    await changedFrom(page, writing);
    dialog = await compare('initial');
    assert.equal(await dialog.getByTestId('compare-verdict').textContent(), 'No new access compared with the scenario as it was opened.');
    const removed = await dialog.getByTestId('compare-change').allTextContents();
    assert.ok(removed.length > 0 && removed.every((c) => c.startsWith('− ')), removed.join('\n'));
    assert.ok(removed.some((c) => /^− role\/StageRole: s3:ListBucket on production-test-bucket-101 \(List\): allowed → implicitDeny/.test(c)), removed.join('\n'));
    assert.equal(await dialog.getByTestId('compare-step').count(), 0);
    await page.close();
  });
});
