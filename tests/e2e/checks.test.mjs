// Browser tests of issue 12 in the playground: AWS's catalogue arrives after
// the first verdicts and its date is shown; the policy checks' findings
// appear in the Problems list and the editors by severity as the user
// types; AWS managed policies are fetched from the app's own folder.
// Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, foreignRequests, screenshot, useBrowser } from './helpers.mjs';
import { IDENTITY, clearStorage, editor, getEditorText, openApp, setEditor, waitForOutcomes } from './app.mjs';

describe('policy checks and AWS vocabulary in the playground', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  const open = async () => {
    await clearStorage(browser.context, server);
    return openApp(browser.context, server, '/');
  };

  /** The Problems list's rows as [severity, text]. */
  const problemRows = (page) =>
    page.locator('[data-testid="problem"]').evaluateAll((rows) => rows.map((r) => [r.dataset.severity, r.textContent]));

  test('the catalogue arrives after the verdicts and its date is shown', async () => {
    const before = server.requests.length;
    const page = await open();
    // The verdicts do not wait for it: it is fetched once they are on screen.
    const note = page.getByTestId('catalogue');
    await page.waitForFunction(() => /AWS catalogue of \d{4}-\d\d-\d\d/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
    assert.match(await note.textContent(), /@cloud-copilot\/iam-data \d+\.\d+\.\d+/);
    const asked = server.requests.slice(before);
    assert.ok(asked.some((p) => p.endsWith('/catalogue.json')), JSON.stringify(asked));
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });

  test('a typo in an action and PassRole on every role show up as the user types, by severity', async () => {
    const page = await open();
    await page.waitForFunction(() => /AWS catalogue of/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
    const original = await getEditorText(page, IDENTITY);
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'AssumeStageRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::222222222222:role/StageRole' },
        { Sid: 'Typo', Effect: 'Allow', Action: 's3:GetObjects', Resource: 'arn:aws:s3:::production-test-bucket-101/*' },
        { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
      ],
    };
    await setEditor(page, IDENTITY, JSON.stringify(policy, null, 2));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="problem"]')].some((r) => r.dataset.severity === 'securityWarning'));
    const rows = await problemRows(page);
    const typo = rows.find(([, text]) => text.includes('s3:GetObjects'));
    assert.ok(typo, JSON.stringify(rows));
    assert.equal(typo[0], 'error');
    assert.match(typo[1], /s3:GetObject\b/, 'a did-you-mean');
    assert.match(typo[1], /line 13, column \d+/, 'at its line in the editor');
    const passRole = rows.find(([sev]) => sev === 'securityWarning');
    assert.match(passRole[1], /PASS_ROLE_WITH_STAR_IN_RESOURCE/);
    assert.match(await page.getByTestId('problems').locator('h2').textContent(), /1 error.*1 security warning/);
    // In the editor: the findings listed under it, the typo underlined as an error.
    const inEditor = editor(page, IDENTITY).getByTestId('editor-problems');
    assert.match(await inEditor.textContent(), /s3:GetObjects/);
    assert.ok((await editor(page, IDENTITY).locator('.cm-lintRange-error').count()) >= 1);
    await screenshot(page, 'policy-checks');
    // The did-you-mean is one click: the typo is replaced in the policy's text.
    const fix = page.locator('[data-testid="problem"]', { hasText: 's3:GetObjects' }).getByTestId('fix');
    assert.equal((await fix.textContent()).trim(), 'Use s3:GetObject');
    await fix.click();
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="problem"]')].some((r) => r.textContent.includes('s3:GetObjects')));
    const fixedText = await getEditorText(page, IDENTITY);
    assert.ok(fixedText.includes('"Action": "s3:GetObject",') && !fixedText.includes('s3:GetObjects'), fixedText);
    policy.Statement[1].Action = 's3:GetObject';
    assert.equal(fixedText, JSON.stringify(policy, null, 2), 'nothing else changed');
    // The explanation of step 1 (the user's AssumeRole) says what each Allow grants.
    await setEditor(page, IDENTITY, JSON.stringify({ ...policy, Statement: [...policy.Statement, { Sid: 'Reads', Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] }, null, 2));
    const wildcard = page.locator('[data-testid="trace-statement"]', { hasText: 'Reads' }).getByTestId('wildcard');
    await wildcard.waitFor();
    assert.match(await wildcard.textContent(), /s3:Get\* — \d+ actions: Read \d+/);
    assert.equal(await wildcard.getByTestId('wildcard-actions').count(), 0, 'listed only on demand');
    await wildcard.getByTestId('wildcard-toggle').click();
    const listed = await wildcard.getByTestId('wildcard-actions').locator('li').allTextContents();
    assert.ok(listed.includes('s3:GetObject') && listed.every((a) => a.startsWith('s3:Get')), listed.join(' '));
    const assume = page.locator('[data-testid="trace-statement"]', { hasText: 'AssumeStageRole' }).getByTestId('grants');
    assert.equal((await assume.textContent()).trim(), 'Grants 1 action: Write 1');
    // Fixing the policy clears them.
    await setEditor(page, IDENTITY, original);
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid="problem"]')].some((r) => ['error', 'securityWarning'].includes(r.dataset.severity)));
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });

  test('AWS managed policies attached to a user and a role are fetched, only those, and decide', async () => {
    const page = await open();
    // A user with AmazonS3ReadOnlyAccess; a role with ReadOnlyAccess, assumed.
    const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests/scenarios/aws-managed-policy-on-a-role.json'), 'utf8'));
    const before = server.requests.length;
    await page.getByTestId('paste-button').click();
    await page.getByTestId('paste-text').fill(JSON.stringify(doc));
    await page.getByTestId('paste-load').click();
    await waitForOutcomes(page, ['Allowed', 'Implicit deny', 'Allowed', 'Allowed', 'Allowed', 'Implicit deny']);
    const asked = server.requests.slice(before).filter((p) => p.includes('aws-managed-policies/'));
    assert.deepEqual(asked.map((p) => p.replace(/.*aws-managed-policies\//, '')).sort(), ['AmazonS3ReadOnlyAccess.json', 'ReadOnlyAccess.json'], 'only the policies the scenario names, once each');
    await page.locator('[data-testid="step"][data-index="3"]').click();
    assert.match(await page.getByTestId('explanation').textContent(), /arn:aws:iam::aws:policy\/ReadOnlyAccess/);
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });
});
