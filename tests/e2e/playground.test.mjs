// Browser tests of the playground (issue 5) in dist/ (trunk build
// --release), driven in Debian's headless Chromium by playwright-core with
// the offline flags of helpers.mjs. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignRequests, screenshot, useBrowser } from './helpers.mjs';
import {
  BUCKET, EXAMPLE_TITLE, IDENTITY, TRUST,
  clearStorage, editor, pasteInto, editorText, getEditorText, openApp, outcomes, selectedStep, setEditor, title, waitForOutcomes,
} from './app.mjs';

describe('the playground', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  // Every test starts from a first visit: no saved work.
  const open = async (path = '/') => {
    await clearStorage(browser.context, server);
    return openApp(browser.context, server, path);
  };

  test('the example loads with both accounts, its steps and their verdicts', async () => {
    const page = await open();
    assert.equal(await title(page), EXAMPLE_TITLE);
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    const accounts = page.getByTestId('account');
    assert.equal(await accounts.count(), 2);
    assert.match(await accounts.nth(0).textContent(), /staging.*trusted/);
    assert.match(await accounts.nth(1).textContent(), /production.*trusting/);
    assert.equal(await page.getByTestId('editor').count(), 4, 'an editor per policy');
    // Step 1 is explained: cross-account, the session it creates, gates.
    const why = page.getByTestId('explanation');
    assert.match(await why.getByTestId('summary').textContent(), /allowed/i);
    assert.equal((await why.getByTestId('cross-account').textContent()).trim(), 'cross-account');
    assert.match(await why.getByTestId('session').textContent(), /assumed-role\/StageRole\/test/);
    assert.ok((await why.getByTestId('gate').count()) >= 2);
    // The deciding statements are highlighted without any click.
    const trustMark = editor(page, TRUST).locator('.m-decisive');
    assert.match((await trustMark.allTextContents()).join(''), /TrustStaging/);
    assert.match((await editor(page, IDENTITY).locator('.m-decisive').allTextContents()).join(''), /AllowAssumeStageRole/);
    // Syntax highlighting and line numbers.
    assert.ok((await editor(page, TRUST).locator('.t-key').count()) > 3);
    const numbers = await editor(page, TRUST).locator('.cm-lineNumbers .cm-gutterElement:not([style*="hidden"])').allTextContents();
    assert.deepEqual(numbers.slice(0, 3), ['1', '2', '3']);
    await screenshot(page, 'example');
    await page.close();
  });

  test('trusting another account denies the AssumeRole and skips the read', async () => {
    const page = await open();
    const text = await getEditorText(page, TRUST);
    await setEditor(page, TRUST, text.replace('111111111111', '333333333333'));
    await waitForOutcomes(page, ['Implicit deny', 'Skipped'], { prefix: true });
    const why = page.getByTestId('explanation');
    const toPass = why.getByTestId('to-pass');
    assert.match(await toPass.textContent(), /Nothing allows it in: trust policy/);
    assert.match(await toPass.textContent(), /would allow this if/);
    assert.match(await toPass.textContent(), /Principal/);
    // The nearest miss's failing element is marked in the trust policy:
    // its Principal, not the whole statement.
    const near = (await editor(page, TRUST).locator('.m-near').allTextContents()).join('');
    assert.match(near, /333333333333:root/);
    assert.doesNotMatch(near, /TrustStaging/);
    await screenshot(page, 'trust-other-account');
    await page.getByTestId('step').nth(1).click();
    assert.match(await why.getByTestId('summary').textContent(), /session/i);
    await page.close();
  });

  test('a Deny added to the bucket policy shows Explicit deny with that statement highlighted', async () => {
    const page = await open();
    const policy = JSON.parse(await getEditorText(page, BUCKET));
    policy.Statement.push({
      Sid: 'NoReadsToday',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::production-test-bucket-101/*',
    });
    await setEditor(page, BUCKET, JSON.stringify(policy, null, 2));
    await waitForOutcomes(page, ['Allowed', 'Explicit deny', 'Implicit deny']);
    await page.getByTestId('step').nth(1).click();
    const deny = editor(page, BUCKET).locator('.m-deny');
    assert.match((await deny.allTextContents()).join(''), /"Sid": "NoReadsToday"/);
    assert.doesNotMatch((await deny.allTextContents()).join(''), /StageRoleReads/);
    const why = page.getByTestId('explanation');
    assert.equal((await why.getByTestId('outcome').first().textContent()).trim(), 'Explicit deny');
    assert.match(await why.getByTestId('to-pass').textContent(), /NoReadsToday.*denies it/);
    await screenshot(page, 'bucket-explicit-deny');
    await page.close();
  });

  test('a syntax error is shown at its line and column, and the rest keeps working', async () => {
    const page = await open();
    const text = await getEditorText(page, TRUST);
    // Drop the comma after "Effect": "Allow" (line 6, column 24).
    const broken = text.replace('"Effect": "Allow",', '"Effect": "Allow"');
    await setEditor(page, TRUST, broken);
    const problems = editor(page, TRUST).getByTestId('editor-problems');
    await problems.waitFor();
    assert.match(await problems.textContent(), /line 6, column 24: invalid JSON: expected comma/);
    // Marked at its place (a point: the comma is missing at the line's end)
    // and in the gutter; Ctrl-Shift-M lists it in the lint panel.
    await editor(page, TRUST).locator('.cm-lintPoint-error').first().waitFor({ state: 'attached' });
    assert.equal(await editor(page, TRUST).locator('.cm-lint-marker-error').count(), 1);
    await editorText(page, TRUST).focus();
    await page.keyboard.press('Control+Shift+M');
    const listed = editor(page, TRUST).locator('.cm-panel-lint .cm-diagnostic-error');
    await listed.first().waitFor();
    assert.match(await listed.first().textContent(), /^line 6, column 24: invalid JSON: expected comma/);
    await page.keyboard.press('Escape');
    assert.match(await page.getByTestId('problems').textContent(), /trust policy of StageRole — line 6, column 24/);
    // It is the only error (no follow-on ones elsewhere). It stays in its
    // policy: the AssumeRole that needs it is not evaluated and says why,
    // the session's steps have no session; nothing is shown as out of date.
    assert.equal(await page.getByTestId('problems').locator('[data-testid="problem"][data-severity="error"]').count(), 1);
    await waitForOutcomes(page, ['Invalid', 'Skipped', 'Skipped']);
    assert.equal(await page.getByTestId('stale-note').count(), 0);
    assert.match(await page.getByTestId('summary').textContent(), /not evaluated, StageRole\/trustPolicy has an error: invalid JSON: expected comma \(line 6, column 24\)/);
    // Format refuses invalid JSON and says why, leaving the text alone.
    await editor(page, TRUST).getByTestId('format').click();
    assert.match(await editor(page, TRUST).getByTestId('editor-message').textContent(), /^not formatted: line 6, column 24 has an error \(listed under the editor\); fix it first$/);
    assert.equal(await getEditorText(page, TRUST), broken);
    await screenshot(page, 'syntax-error');
    // Fixing it brings the verdicts back.
    await setEditor(page, TRUST, text);
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    await page.close();
  });

  test('Format pretty-prints a policy; brackets are matched at the caret', async () => {
    const page = await open();
    const compact = JSON.stringify(JSON.parse(await getEditorText(page, IDENTITY)));
    await setEditor(page, IDENTITY, compact);
    await editor(page, IDENTITY).getByTestId('format').click();
    const pretty = await getEditorText(page, IDENTITY);
    assert.equal(pretty, JSON.stringify(JSON.parse(compact), null, 2));
    // Caret right after the first `{`: it is marked (and its partner, off screen).
    await editorText(page, IDENTITY).click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((p) => document.querySelector(`[data-path="${p}"] .cm-matchingBracket`)?.textContent === '{', IDENTITY);
    // Typing moves the caret: the pair just typed is the one marked (closing
    // brackets and quotes are typed for you, and typed over).
    await page.keyboard.press('Enter');
    await page.keyboard.type('"x": [],');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (p) => [...document.querySelectorAll(`[data-path="${p}"] .cm-matchingBracket`)].map((e) => e.textContent).join('') === '[]',
      IDENTITY,
    );
    assert.match(await getEditorText(page, IDENTITY), /^\{\n\s*"x": \[\],\n/);
    await page.close();
  });

  test('clicking a statement in the explanation brings it into view, highlighted', async () => {
    const page = await open();
    await page.getByTestId('step').nth(1).click();
    const link = page.locator(`[data-testid="trace-statement"][data-policy="production-test-bucket-101/bucketPolicy"][data-index="1"] [data-testid="statement-link"]`);
    await link.click();
    const focus = editor(page, BUCKET).locator('.m-focus');
    await focus.first().waitFor();
    assert.match((await focus.allTextContents()).join(''), /DenyInsecureTransport/);
    await page.waitForFunction((p) => {
      const r = document.querySelector(`[data-testid="editor"][data-path="${p}"]`).getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    }, BUCKET);
    await page.close();
  });

  test('steps are stepped through with the keyboard alone', async () => {
    const page = await open();
    assert.equal(await selectedStep(page), 0);
    // From the page itself, not a text field (where j types).
    await page.evaluate(() => document.activeElement?.blur());
    const selected = (n) => page.waitForFunction((i) => document.querySelector('[data-testid="step"][aria-current="step"]')?.dataset.index === String(i), n)
      .then(() => selectedStep(page));
    await page.keyboard.press('j');
    assert.equal(await selected(1), 1);
    assert.match(await page.locator('#explain-heading').textContent(), /step 2/);
    await page.keyboard.press('Alt+ArrowDown');
    assert.equal(await selected(2), 2);
    await page.keyboard.press('j');
    assert.equal(await selectedStep(page), 2, 'stays on the last step');
    await page.keyboard.press('k');
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal(await selected(0), 0);
    // Typing j in an editor types, it does not step.
    await editorText(page, TRUST).focus();
    await page.keyboard.press('End');
    await page.keyboard.press('j');
    assert.equal(await selectedStep(page), 0);
    await page.keyboard.press('Backspace');
    // Tab to the Next button and press Enter.
    await page.locator('body').focus();
    await page.getByTestId('next-step').focus();
    await page.keyboard.press('Enter');
    assert.equal(await selectedStep(page), 1);
    // Every step button is reachable by Tab: focus moves forward through them.
    await page.getByTestId('step').nth(0).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.index), '1');
    await page.keyboard.press('Enter');
    assert.equal(await selectedStep(page), 1);
    // ? opens the help, Escape closes it.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    await page.getByTestId('help').waitFor();
    assert.match(await page.getByTestId('help').textContent(), /Keyboard shortcuts/);
    await screenshot(page, 'help');
    await page.keyboard.press('Escape');
    await page.getByTestId('help').waitFor({ state: 'detached' });
    await page.close();
  });

  test('steps can be added, edited and removed', async () => {
    const page = await open();
    await page.getByTestId('add-s3-request').click();
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny'], { prefix: true });
    assert.equal(await page.getByTestId('step').count(), 4);
    assert.equal(await selectedStep(page), 3);
    const form = page.getByTestId('step-form');
    // Made by the session of the latest allowed AssumeRole, not anonymously.
    assert.equal(await form.getByTestId('principal').inputValue(), 'arn:aws:sts::222222222222:assumed-role/StageRole/test');
    await form.getByTestId('action').fill('s3:ListBucket');
    await form.getByTestId('resource').fill('arn:aws:s3:::production-test-bucket-101');
    // Same account: the role's own policy allows the listing.
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny', 'Allowed']);
    // A context key: aws:SecureTransport false triggers the bucket's Deny.
    await form.getByTestId('new-context-key').fill('aws:SecureTransport');
    await form.getByTestId('new-context-key').press('Enter');
    await form.getByTestId('context-row').locator('input').nth(1).fill('false');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny', 'Explicit deny']);
    // Source IP and time fields go to the step's context.
    await form.getByTestId('source-ip').fill('198.51.100.1');
    await form.getByTestId('current-time').fill('2026-02-01T00:00:00Z');
    const ctx = await page.getByTestId('explanation').locator('details.context').textContent();
    assert.match(ctx, /198\.51\.100\.1/);
    await form.getByTestId('remove-step').click();
    assert.equal(await page.getByTestId('step').count(), 3);
    // A new AssumeRole step with an external ID and MFA.
    await page.getByTestId('add-assume-role').click();
    await form.getByTestId('external-id').fill('abc');
    await form.getByTestId('mfa').check();
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny', 'Allowed']);
    await page.close();
  });

  test('an AWS service can be a step\'s caller: EC2 through an instance profile', async () => {
    const page = await open();
    await page.getByTestId('examples').selectOption({ label: 'A staging EC2 instance reads a production bucket through its instance profile' });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('A staging EC2'));
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny', 'Implicit deny']);
    const form = page.getByTestId('step-form');
    await page.getByTestId('step').nth(0).click();
    assert.equal(await form.getByTestId('principal').inputValue(), 'service:ec2.amazonaws.com');
    assert.equal(await form.getByTestId('source-arn').inputValue(), 'arn:aws:ec2:us-east-1:111111111111:instance/i-0abc1234def567890');
    assert.match(await page.getByTestId('summary').textContent(), /the trust policy grants it, which is all a service principal needs/);
    // The session EC2 made is named after the instance and carries its ARN.
    await page.getByTestId('step').nth(1).click();
    const ctx = await page.getByTestId('explanation').locator('details.context').textContent();
    assert.match(ctx, /ec2:SourceInstanceARN/);
    // Lambda is not trusted; EC2, chosen from the list, is.
    await page.getByTestId('step').nth(2).click();
    const services = await form.getByTestId('principal-select').locator('option').allTextContents();
    for (const s of ['service:ec2.amazonaws.com', 'service:lambda.amazonaws.com', 'service:ecs-tasks.amazonaws.com']) assert.ok(services.includes(s), services.join(' '));
    await form.getByTestId('principal-select').selectOption('service:ec2.amazonaws.com');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Allowed', 'Implicit deny']);
    // A user cannot have a source: the field is refused where it is.
    await form.getByTestId('principal').fill('arn:aws:iam::111111111111:user/StageAdmin');
    await page.getByTestId('problem').filter({ hasText: 'sourceArn' }).first().waitFor();
    await page.close();
  });

  test('oversized text is refused with a message instead of freezing the page', async () => {
    const page = await open();
    const before = await getEditorText(page, TRUST);
    const huge = before + ' '.repeat(300 * 1024);
    await pasteInto(page, TRUST, huge);
    const msg = editor(page, TRUST).getByTestId('editor-message');
    await msg.waitFor();
    assert.match(await msg.textContent(), /at most 256 KB/);
    assert.equal(await getEditorText(page, TRUST), before, 'the previous text is kept');
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    // A document over 1 MB (compact) is refused too.
    await page.getByTestId('paste-button').click();
    await page.getByTestId('paste-text').fill(`{"format": "trustwalk/scenario@1", "x-pad": "${'a'.repeat(1024 * 1024)}"}`);
    await page.getByTestId('paste-load').click();
    assert.match(await page.getByTestId('paste-error').textContent(), /holds up to 1024 KB/);
    await page.close();
  });

  test('the examples menu offers every example, and any number of accounts is shown', async () => {
    const page = await open();
    const options = await page.getByTestId('examples').locator('option').allTextContents();
    assert.equal(options.length, 11, `Examples… and ten examples: ${options}`);
    await page.getByTestId('examples').selectOption({ label: 'An explicit Deny in the bucket policy beats the role\'s Allow' });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('An explicit Deny'));
    assert.ok((await outcomes(page)).includes('Explicit deny'));
    // A scenario with three accounts, SCP levels and more.
    await page.getByTestId('examples').selectOption({ index: 6 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="account"]').length >= 2);
    const doc = {
      format: 'trustwalk/scenario@1',
      title: 'Three accounts',
      accounts: ['111111111111', '222222222222', '333333333333'].map((id, i) => ({
        id, name: `acct${i + 1}`,
        users: [{ name: `U${i + 1}`, policies: [{ name: 'All', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] }],
        buckets: [{ name: `bucket-${i + 1}` }],
        scps: [{ name: 'Root', policies: [{ name: 'FullAWSAccess', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] }],
      })),
      steps: [{ principal: 'arn:aws:iam::111111111111:user/U1', action: 's3:GetObject', resource: 'arn:aws:s3:::bucket-3/x' }],
    };
    await page.getByTestId('paste-button').click();
    await page.getByTestId('paste-text').fill(JSON.stringify(doc));
    await page.getByTestId('paste-load').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="account"]').length === 3);
    assert.deepEqual(await outcomes(page), ['Implicit deny']);
    await page.getByTestId('account').nth(2).locator('details.more > summary').click();
    assert.equal(await page.getByTestId('account').nth(2).locator('[data-testid="editor"]').count(), 2);
    // A bucket without a policy gets one; granting the caller's account allows the read.
    await page.getByTestId('account').nth(2).getByTestId('add-bucket-policy').click();
    const bucket3 = 'accounts[2].buckets[0].policy';
    await editor(page, bucket3).waitFor();
    await setEditor(page, bucket3, (await getEditorText(page, bucket3)).replace('333333333333', '111111111111'));
    await waitForOutcomes(page, ['Allowed']);
    await screenshot(page, 'three-accounts');
    await page.close();
  });

  test('phone width: everything stacks, nothing overflows sideways', async () => {
    const page = await open();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await screenshot(page, 'phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.close();
  });

  test('dark theme, focus styles and an accessible name for every control', async () => {
    const page = await open();
    await page.getByTestId('theme-toggle').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await screenshot(page, 'dark');
    const unnamed = await page.evaluate(() => {
      const named = (el) => {
        if (el.getAttribute('aria-label')?.trim()) return true;
        const by = el.getAttribute('aria-labelledby');
        if (by && by.split(' ').every((id) => document.getElementById(id)?.textContent.trim())) return true;
        if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return true;
        if ((el.tagName === 'BUTTON' || el.tagName === 'SUMMARY') && el.textContent.trim()) return true;
        return false;
      };
      return [...document.querySelectorAll('button, input, select, textarea, summary')]
        .filter((el) => !named(el))
        .map((el) => el.outerHTML.slice(0, 120));
    });
    assert.deepEqual(unnamed, []);
    // A visible focus ring for keyboard focus.
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.getByTestId('theme-toggle').click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.close();
  });

  test('the page asks no host but its own, and logs no errors', async () => {
    const page = await open();
    await setEditor(page, TRUST, `${await getEditorText(page, TRUST)} `);
    await page.waitForLoadState('networkidle');
    await page.close();
    assert.ok(traffic.requests.some((u) => u.endsWith('.wasm')), 'the WebAssembly module was loaded');
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    assert.ok(!server.requests.some((p) => p.includes('favicon')), 'no favicon request');
    assert.deepEqual(traffic.problems, [], 'no page or console errors');
  });
});
