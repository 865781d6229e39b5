// Browser tests of the policy-evaluation flowchart (issue #16): the
// diagram of the selected step, each gate shaded by its verdict (and said in
// words), the path taken, its text alternative, and a click or Enter on a
// gate bringing that gate's statements into view. Run: node --test tests/e2e/

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { REPO_ROOT, useBrowser } from './helpers.mjs';
import { clearStorage, openApp, waitForOutcomes } from './app.mjs';

/** Each gate node of the diagram: its gate, verdict class and whether it is on the path. */
async function nodes(page) {
  return page.locator('[data-testid="flowchart"] svg .fc-node').evaluateAll((els) =>
    els.map((e) => ({
      gate: e.getAttribute('data-gate'),
      verdict: e.getAttribute('data-verdict'),
      path: e.classList.contains('fc-path'),
      text: [...e.querySelectorAll('text')].map((t) => t.textContent).join(' | '),
    })),
  );
}

/** The node of `gate` (the last one: the Deny check may name the same gate). */
const node = (all, gate) => all.filter((n) => n.gate === gate).at(-1);

/** The terminal the request reached (the only one drawn on the path). */
async function reached(page) {
  return page.locator('[data-testid="flowchart"] svg .fc-term.fc-path').evaluateAll((els) => els.map((e) => e.getAttribute('data-terminal')));
}

async function textAlternative(page) {
  return (await page.getByTestId('flowchart-text').locator('li').allTextContents()).map((t) => t.trim());
}

async function selectStep(page, i) {
  await page.getByTestId('step').nth(i).click();
  await page.getByTestId('explanation').locator('h2', { hasText: `Why: step ${i + 1}` }).waitFor();
}

/** The colour the theme gives a node's box (its computed fill). */
async function fill(page, selector) {
  return page.locator(selector).first().locator('rect').evaluate((r) => getComputedStyle(r).fill);
}

describe('the flowchart of the selected step', () => {
  let server;
  let browser;
  useBrowser((env) => ({ server, browser } = env));

  test('an allowed step: every gate allows, the path runs down to the final allow', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    const svg = page.getByTestId('flowchart').locator('svg[role="group"]');
    await svg.waitFor();
    assert.equal(await svg.locator('title').first().textContent(), 'AWS policy evaluation logic for this request');
    // A group, not an image: its gates are buttons that assistive technology reaches.
    assert.equal(await page.getByRole('group', { name: /AWS policy evaluation logic/ }).getByRole('button', { name: /^Trust policy: allows\. Show its statements/ }).count(), 1);
    assert.match(await svg.locator('desc').textContent(), /^Path: no explicit Deny → Trust policy: allows → Identity policy: allows → Final allow\./);
    const all = await nodes(page);
    assert.deepEqual(all.map((n) => n.text.split(' | ')[0]), [
      'Explicit Deny in any policy?', 'Service control policies', 'Resource control policies',
      'Trust policy', 'Identity policy', 'Permissions boundary', 'Session policy',
    ]);
    assert.deepEqual(all[0], { gate: null, verdict: 'allow', path: true, text: 'Explicit Deny in any policy? | no explicit Deny' });
    assert.deepEqual(node(all, 'trust'), { gate: 'trust', verdict: 'allow', path: true, text: 'Trust policy | allows' });
    assert.deepEqual(node(all, 'identity'), { gate: 'identity', verdict: 'allow', path: true, text: 'Identity policy | allows' });
    // Gates that took no part are muted, and say so.
    assert.equal(all[1].verdict, 'na');
    assert.equal(all[1].text, 'Service control policies | not applicable');
    assert.deepEqual(await reached(page), ['allow']);
    // Green from the theme, not black: the CSS applies to the inline SVG.
    const green = await fill(page, '[data-testid="flowchart"] [data-gate="trust"]');
    const muted = await fill(page, '[data-testid="flowchart"] .fc-na');
    assert.notEqual(green, muted);
    assert.notEqual(green, 'rgb(0, 0, 0)');
    // Across accounts, both accounts must allow.
    assert.equal(await svg.locator('.fc-cross text').textContent(), 'Cross-account: both accounts must allow');
    const text = await textAlternative(page);
    assert.ok(text.includes('Trust policy — allows'), text.join('\n'));
    assert.ok(text.includes('Identity policy — allows'), text.join('\n'));
    assert.equal(text.at(-1), 'Result: Final allow: every gate on the way allowed.');
    await page.close();
  });

  test('an implicit deny: the request leaves at the identity policy, coloured amber, and the rest is not reached', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await selectStep(page, 2);
    await page.getByTestId('flowchart').locator('svg[data-outcome="implicitDeny"]').waitFor();
    const all = await nodes(page);
    assert.deepEqual(node(all, 'identity'), { gate: 'identity', verdict: 'none', path: true, text: 'Identity policy | no matching Allow' });
    // Within one account the bucket policy's missing Allow was not required.
    assert.deepEqual(node(all, 'resource'), { gate: 'resource', verdict: 'none', path: true, text: 'Resource policy | no matching Allow · not required' });
    assert.equal(all.at(-1).path, false, 'the session policy is not reached');
    assert.deepEqual(await reached(page), ['none']);
    const amber = await fill(page, '[data-testid="flowchart"] [data-gate="identity"]');
    assert.notEqual(amber, await fill(page, '[data-testid="flowchart"] .fc-na'));
    const text = await textAlternative(page);
    assert.ok(text.includes('Identity policy — no matching Allow — the request leaves here: Implicit deny'), text.join('\n'));
    assert.ok(text.includes('Session policy — not applicable — not reached'), text.join('\n'));
    assert.match(text.at(-1), /^Result: Implicit deny at the Identity policy/);
    await page.close();
  });

  test('an explicit deny (from the examples menu): the Deny check is red and leads to the final deny', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('examples').selectOption({ label: 'An explicit Deny in the bucket policy beats the role\'s Allow' });
    await page.waitForFunction(() => document.querySelector('[data-testid="scenario-title"]').value.startsWith('An explicit Deny'));
    await selectStep(page, 2);
    await page.getByTestId('flowchart').locator('svg[data-outcome="explicitDeny"]').waitFor();
    const all = await nodes(page);
    assert.deepEqual(all[0], { gate: 'resource', verdict: 'deny', path: true, text: 'Explicit Deny in any policy? | yes: Resource policy denies' });
    assert.deepEqual(node(all, 'resource'), { gate: 'resource', verdict: 'deny', path: false, text: 'Resource policy | denies' });
    assert.ok(all.slice(1).every((n) => !n.path), 'nothing after the Deny check is on the path');
    assert.deepEqual(await reached(page), ['deny']);
    const red = await fill(page, '[data-testid="flowchart"] .fc-node.fc-deny');
    assert.notEqual(red, await fill(page, '[data-testid="flowchart"] .fc-node.fc-allow'));
    const text = await textAlternative(page);
    assert.equal(text[0], 'Explicit Deny in any policy? — yes: Resource policy denies — the request leaves here: Final deny (explicit)');
    assert.equal(text.at(-1), 'Result: Final deny: an explicit Deny.');
    await page.close();
  });

  test('clicking a gate, or Enter on it, brings its statements into view and focuses them', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.setViewportSize({ width: 1280, height: 600 });
    await selectStep(page, 2);
    const chart = page.getByTestId('flowchart');
    await chart.locator('svg[data-outcome="implicitDeny"]').waitFor();
    const inView = (gate) =>
      page.evaluate((gate) => {
        const s = [...document.querySelectorAll('section[data-testid="gate"]')].find((e) => e.dataset.gate === gate);
        const r = s.getBoundingClientRect();
        return { focused: document.activeElement === s, top: Math.round(r.top), height: innerHeight };
      }, gate);
    // The identity policies' statements are below the fold at first.
    await chart.scrollIntoViewIfNeeded();
    const before = await inView('identity');
    assert.ok(before.top > before.height, JSON.stringify(before));
    await chart.locator('[data-gate="identity"]').click();
    const after = await inView('identity');
    assert.ok(after.focused && after.top >= 0 && after.top < after.height, JSON.stringify(after));
    assert.match(await page.locator('section[data-gate="identity"]').textContent(), /Identity policy/);
    // With the keyboard: a node is focusable (tabindex 0), and Enter follows it.
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('[data-gate="resource"]').focus();
    await page.keyboard.press('Enter');
    const resource = await inView('resource');
    assert.ok(resource.focused && resource.top >= 0 && resource.top < resource.height, JSON.stringify(resource));
    // The text alternative's lines lead there too.
    await chart.scrollIntoViewIfNeeded();
    await chart.locator('.flowchart-text > summary').click();
    await page.getByTestId('flowchart-text').getByRole('button', { name: /^Identity policy — no matching Allow/ }).click();
    const again = await inView('identity');
    assert.ok(again.focused && again.top >= 0 && again.top < again.height, JSON.stringify(again));
    await page.close();
  });

  test('the embedded view shows the diagram of its step', async () => {
    const doc = JSON.parse(await readFile(path.join(REPO_ROOT, 'examples', 'explicit-deny-wins.json'), 'utf8'));
    const s = deflateRawSync(Buffer.from(JSON.stringify({ v: 1, step: 2, view: 'embed', doc }))).toString('base64url');
    await clearStorage(browser.context, server);
    const page = await browser.context.newPage();
    await page.goto(server.url(`/#embed&s=${s}`));
    await page.getByTestId('embed-view').waitFor();
    const svg = page.getByTestId('flowchart').locator('svg[role="group"][data-outcome="explicitDeny"]');
    await svg.waitFor();
    assert.equal(await svg.locator('.fc-node').first().getAttribute('data-verdict'), 'deny');
    assert.deepEqual(await reached(page), ['deny']);
    assert.equal((await textAlternative(page)).at(-1), 'Result: Final deny: an explicit Deny.');
    await page.close();
  });
});
