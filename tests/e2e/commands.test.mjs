// Browser tests of the real AWS commands (issue 16, "Commands and
// credentials") in dist/: the "Commands" disclosure of the selected step
// (the sts assume-role call with its external ID or MFA, the exports, the
// simulated credentials and their Expiration, the ~/.aws/config profile and
// the switch-role link), "Build it in AWS" for the scenario, and the Copy
// buttons, read back from the clipboard. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { foreignRequests, useBrowser } from './helpers.mjs';
import { clearStorage, openApp, waitForOutcomes } from './app.mjs';

describe('the commands of a scenario and its steps', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  /** Opens the app, loads the example titled `label`, selects step `step`
   * (0-based) and opens its "Commands". */
  const stepCommands = async (label, outcomes, step) => {
    await clearStorage(browser.context, server);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const page = await openApp(browser.context, server);
    await page.getByTestId('examples').selectOption({ label });
    await page.waitForFunction((t) => document.querySelector('[data-testid="scenario-title"]').value === t, label);
    await waitForOutcomes(page, outcomes);
    await page.getByTestId('step').nth(step).click();
    const why = page.getByTestId('explanation');
    await why.getByTestId('step-commands').locator('summary').click();
    await why.getByTestId('commands-call').waitFor();
    return { page, why };
  };

  const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

  test('an AssumeRole with an external ID: the call, the exports, the credentials marked not real, the profile; Copy copies the call', async () => {
    const { page, why } = await stepCommands(
      'A third-party vendor assumes a role only with the agreed external ID',
      ['Implicit deny', 'Implicit deny', 'Allowed', 'Allowed'],
      2,
    );
    const call = await why.getByTestId('commands-call').locator('pre').textContent();
    assert.match(call, /aws sts assume-role \\\n {2}--role-arn arn:aws:iam::555555555555:role\/VendorAccess \\\n {2}--role-session-name vendor-sync \\\n {2}--external-id cust-7f3a9c21 \\\n {2}--profile IntegrationBot\n/);
    for (const v of ['AWS_ACCESS_KEY_ID=ASIAFAKE', 'AWS_SECRET_ACCESS_KEY=', 'AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj']) {
      assert.match(call, new RegExp(`\\nexport ${v}[^\\n]*# simulated — not real credentials\\n`), v);
    }
    // The credentials: labelled as not real, expiring an hour after the step's time (2026-01-15T12:00:00Z).
    const creds = why.getByTestId('commands-credentials');
    assert.match(await creds.textContent(), /simulated — not real credentials/);
    const credText = await creds.locator('pre').textContent();
    assert.match(credText, /AccessKeyId: +ASIAFAKE[A-Z2-7]{12}\n/);
    assert.match(credText, /SecretAccessKey: +[A-Za-z0-9+/]{40}\n/);
    assert.match(credText, /Expiration: +2026-01-15T13:00:00Z\n/);
    // The same key ID is in the exports.
    const keyId = credText.match(/AccessKeyId: +(\S+)/)[1];
    assert.ok(call.includes(`export AWS_ACCESS_KEY_ID=${keyId} `));
    const profile = await why.getByTestId('commands-profile').locator('pre').textContent();
    assert.equal(
      profile,
      '[profile VendorAccess]\nrole_arn = arn:aws:iam::555555555555:role/VendorAccess\nsource_profile = IntegrationBot\nrole_session_name = vendor-sync\nexternal_id = cust-7f3a9c21\n',
    );
    const link = why.getByTestId('commands-switch-role').locator('a');
    assert.equal(await link.getAttribute('href'), 'https://signin.aws.amazon.com/switchrole?roleName=VendorAccess&account=555555555555&displayName=VendorAccess%20%40%20customer');
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    assert.match(await why.getByTestId('commands-switch-role').textContent(), /cannot pass an external ID/);

    await why.getByTestId('copy-call').click();
    await assert.doesNotReject(why.getByTestId('copied-call').filter({ hasText: 'Copied' }).waitFor());
    assert.equal(await clipboard(page), call);
    await why.getByTestId('copy-profile').click();
    await why.getByTestId('copied-profile').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await clipboard(page), profile);

    // A denied AssumeRole has no credentials.
    await page.getByTestId('step').nth(1).click();
    await why.getByTestId('commands-call').filter({ hasText: 'cust-00000000' }).waitFor();
    assert.match(await why.getByTestId('commands-call').textContent(), /AccessDenied, no credentials/);
    assert.equal(await why.getByTestId('commands-credentials').count(), 0);
    // The S3 step reads with the role's profile.
    await page.getByTestId('step').nth(3).click();
    await why.getByTestId('commands-call').filter({ hasText: 'get-object' }).waitFor();
    assert.match(await why.getByTestId('commands-call').textContent(), /aws s3api get-object \\\n {2}--bucket customer-billing-reports \\\n {2}--key 2025-12.csv/);
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });

  test('an AssumeRole with MFA: --serial-number and a placeholder --token-code, mfa_serial; "Build it in AWS" per account with Copy', async () => {
    const { page, why } = await stepCommands(
      'A security auditor reads production through an MFA-protected role',
      ['Implicit deny', 'Implicit deny', 'Allowed', 'Allowed', 'Implicit deny'],
      2,
    );
    const call = await why.getByTestId('commands-call').locator('pre').textContent();
    assert.match(call, /--serial-number arn:aws:iam::333333333333:mfa\/Auditor \\\n {2}--token-code 123456 \\\n/);
    assert.match(call, /123456 stands for the code the MFA device shows/);
    assert.match(call, /\nexport AWS_SESSION_TOKEN=\S+ {2}# simulated — not real credentials/);
    assert.match(await why.getByTestId('commands-credentials').textContent(), /Expiration: +2026-01-15T10:00:00Z/);
    assert.match(await why.getByTestId('commands-profile').textContent(), /mfa_serial = arn:aws:iam::333333333333:mfa\/Auditor/);

    await why.getByTestId('build-commands').locator('summary').click();
    const production = why.getByTestId('commands-account-2');
    await production.waitFor();
    assert.match(await production.locator('h4').textContent(), /production \(222222222222\)/);
    const script = await production.locator('pre').textContent();
    assert.match(script, /cat > AuditReadOnly-trust.json <<'JSON'\n\{\n {2}"Version": "2012-10-17"/);
    assert.match(script, /aws iam create-role \\\n {2}--role-name AuditReadOnly \\\n {2}--path \/ \\\n {2}--assume-role-policy-document file:\/\/AuditReadOnly-trust.json \\\n {2}--profile production/);
    assert.match(script, /aws s3api create-bucket \\\n {2}--bucket prod-audit-logs \\\n {2}--region eu-west-1 \\\n {2}--create-bucket-configuration LocationConstraint=eu-west-1/);
    await production.getByTestId('copy-account-2').click();
    await production.getByTestId('copied-account-2').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await clipboard(page), script);
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
    await page.close();
  });

  test('the exported report ends with "Build it in AWS" and the commands of each step', async () => {
    const { page } = await stepCommands(
      'A third-party vendor assumes a role only with the agreed external ID',
      ['Implicit deny', 'Implicit deny', 'Allowed', 'Allowed'],
      2,
    );
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
    const md = await readFile(await download.path(), 'utf8');
    assert.match(md, /\n## Build it in AWS\n/);
    assert.match(md, /\n### customer \(555555555555\)\n\n```sh\n# Account customer \(555555555555\)/);
    assert.match(md, /aws iam create-role \\\n {2}--role-name VendorAccess/);
    assert.match(md, /\n## Commands of each step\n/);
    assert.match(md, /\n### 3\. assume-with-external-id\n\n```sh\n[^`]*--external-id cust-7f3a9c21[^`]*export AWS_ACCESS_KEY_ID=ASIAFAKE\w+ {2}# simulated — not real credentials/);
    assert.match(md, /# Expiration: +2026-01-15T13:00:00Z/);
    await page.close();
  });
});
