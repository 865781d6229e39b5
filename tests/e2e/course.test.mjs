// Browser tests of the guided course (issue #16): a lesson's task is
// checked against the steps' outcomes as the learner edits, acknowledged,
// kept across a reload, and the course works from the keyboard alone.
// Run: node --test tests/e2e/course.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser } from './helpers.mjs';
import { TRUST, clearStorage, getEditorText, openApp, setEditor, waitForApp, waitForOutcomes } from './app.mjs';

describe('the guided course', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  const taskStates = (page) => page.getByTestId('course-task').evaluateAll((els) => els.map((e) => e.dataset.state));

  test('a task turns done when the steps show it, is acknowledged, and progress survives a reload', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('course-button').click();
    const course = page.getByTestId('course');
    assert.match(await course.getByTestId('course-lesson').textContent(), /Cross-account access/);
    // The default scenario is this lesson's example: nothing to open.
    assert.equal(await course.getByTestId('course-start').count(), 0);
    assert.deepEqual(await taskStates(page), ['current', 'todo', 'todo']);
    assert.match(await course.getByTestId('course-instruction').textContent(), /change the trusted account 111111111111/);
    // Break the trust: the first task is done, the second becomes current.
    const trust = await getEditorText(page, TRUST);
    await setEditor(page, TRUST, trust.replace('arn:aws:iam::111111111111:root', 'arn:aws:iam::333333333333:root'));
    await waitForOutcomes(page, ['Implicit deny', 'Skipped', 'Skipped']);
    await page.waitForFunction(() => document.querySelector('[data-testid="course-task"]')?.dataset.state === 'done');
    assert.deepEqual(await taskStates(page), ['done', 'current', 'todo']);
    assert.match(await page.locator('.notice').last().textContent(), /✓ Done: Break the trust — on to the next task/);
    // "Fix it" was met before, but counts only now, once it is fixed again.
    await setEditor(page, TRUST, trust);
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="course-task"][data-state="done"]').length === 2);
    assert.equal(await course.getByTestId('course-progress').textContent(), '2 of 12 tasks done');
    await screenshot(page, 'course');
    // Kept in this browser: after a reload the course opens where it was left.
    await page.reload();
    await waitForApp(page);
    await page.getByTestId('course-button').click();
    assert.deepEqual(await taskStates(page), ['done', 'done', 'current']);
    await page.close();
  });

  test('the course is usable from the keyboard: next lesson, open its example, do a task', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    const button = page.getByTestId('course-button');
    await button.focus();
    await page.keyboard.press('Enter');
    const course = page.getByTestId('course');
    await course.waitFor();
    // Tab to "Next lesson" and press it, as a keyboard user would.
    const next = course.getByTestId('course-next');
    for (let i = 0; i < 40 && !(await next.evaluate((el) => el === document.activeElement)); i += 1) {
      await page.keyboard.press('Tab');
    }
    assert.ok(await next.evaluate((el) => el === document.activeElement), 'Tab reaches "Next lesson"');
    await page.keyboard.press('Enter');
    assert.match(await course.getByTestId('course-lesson').textContent(), /An explicit Deny beats every Allow/);
    // Another scenario is open: the lesson offers its example.
    const start = course.getByTestId('course-start');
    await start.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('An explicit Deny'));
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Explicit deny', 'Explicit deny']);
    assert.equal(await course.getByTestId('course-start').count(), 0);
    // Step 4 from the office network: the second task, once the first is done.
    await page.getByTestId('step').nth(3).click();
    await page.getByTestId('step-form').getByTestId('source-ip').fill('198.51.100.20');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Explicit deny', 'Allowed']);
    assert.deepEqual(await taskStates(page), ['current', 'todo'], 'the second task waits for the first');
    await page.close();
  });
});
