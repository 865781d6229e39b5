// Browser tests of issue #14's last items: the embedded view in a 600×500
// frame, the Embed dialog's options and live preview, the embed's own
// theme, the title at a phone's width (and jumps centred there), and the
// explanation's one-click "set this key" buttons.
// Run: node --test tests/e2e/embed.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, useBrowser } from './helpers.mjs';
import { BUCKET, clearStorage, editor, openApp, outcomes, setStorage, waitForApp, waitForOutcomes } from './app.mjs';

const EXAMPLES = {
  mfa: 'A security auditor reads production through an MFA-protected role',
  externalId: 'A third-party vendor assumes a role only with the agreed external ID',
};

describe('the embedded view and the last items of issue 14', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  /** The embed link (path and fragment) the Embed dialog gives, with the dialog's defaults. */
  async function embedLink() {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('embed-button').click();
    const snippet = await page.getByTestId('embed-snippet').inputValue();
    await page.close();
    const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    return src.slice(server.origin.length);
  }

  async function openEmbed(path, viewport = { width: 600, height: 500 }) {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    await page.goto(server.url(path));
    await page.getByTestId('embed-view').waitFor();
    await page.locator('[data-testid="step"] [data-testid="outcome"]').first().waitFor();
    return page;
  }

  /** How the page scrolls, and where each step's verdict is. */
  const geometry = (page) =>
    page.evaluate(() => {
      const story = document.querySelector('[data-testid="embed-story"]').getBoundingClientRect();
      return {
        scrollHeight: document.documentElement.scrollHeight,
        bodyScrollHeight: document.body.scrollHeight,
        story: { top: story.top, bottom: story.bottom },
        // Each step's verdict, with what is shown of it (the story scrolls
        // on its own: a verdict cut by its edge is not visible).
        verdicts: [...document.querySelectorAll('[data-testid="step"] [data-testid="outcome"]')].map((e) => {
          const r = e.getBoundingClientRect();
          return { text: e.textContent.trim(), top: r.top, bottom: r.bottom, visible: r.height > 0 };
        }),
      };
    });

  function assertFits(g, height) {
    assert.ok(g.scrollHeight <= height + 8, `the page is ${g.scrollHeight} px high in a ${height} px frame`);
    assert.ok(g.bodyScrollHeight <= height + 8, `the body is ${g.bodyScrollHeight} px high`);
    assert.equal(g.verdicts.length, 3);
    for (const v of g.verdicts) {
      assert.ok(v.visible && v.top >= Math.max(0, g.story.top) && v.bottom <= Math.min(height, g.story.bottom),
        `the verdict ${v.text} at ${v.top}–${v.bottom} is not all shown (steps at ${g.story.top}–${g.story.bottom})`);
    }
  }

  test('the embed fits a 600×500 frame: steps and verdicts first, the explanation and the policies in tabs, each scrolling on its own', async () => {
    const link = await embedLink();
    const page = await openEmbed(link);
    assertFits(await geometry(page), 500);
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    // The explanation is the first tab; it scrolls inside its pane.
    const why = page.getByTestId('embed-why');
    assert.ok(await page.locator('#explain-heading').isVisible());
    const pane = await why.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight, overflow: getComputedStyle(el).overflowY }));
    assert.equal(pane.overflow, 'auto');
    assert.ok(pane.scroll > pane.client, 'the explanation is longer than its pane and scrolls there');
    await why.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    assert.equal(await page.evaluate(() => window.scrollY), 0, 'the page itself does not scroll');
    assert.equal(await page.getByTestId('embed-policies').isVisible(), false, 'one pane at a time at this width');
    await screenshot(page, 'embed-600x500-why');
    // The policies are one click away.
    await page.getByTestId('embed-tab-policies').click();
    await page.getByTestId('embed-policies').locator('[data-testid="editor"]').first().waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('embed-tab-policies').getAttribute('aria-selected'), 'true');
    assertFits(await geometry(page), 500);
    await screenshot(page, 'embed-600x500-policies');
    // Clicking a statement in the explanation turns to its policy.
    await page.getByTestId('embed-tab-why').click();
    await page.getByTestId('decisive').first().click();
    await page.getByTestId('embed-policies').locator('.m-focus').first().waitFor({ state: 'visible' });
    await page.close();

    // Wider: side by side, both visible at once.
    const wide = await openEmbed(link, { width: 1000, height: 500 });
    assertFits(await geometry(wide), 500);
    assert.ok(await wide.getByTestId('embed-why').isVisible());
    assert.ok(await wide.getByTestId('embed-policies').isVisible());
    assert.equal(await wide.getByTestId('embed-tab-why').isVisible(), false, 'no tabs when both fit');
    await screenshot(wide, 'embed-1000x500');
    await wide.close();

    // Inside a real 600×500 iframe of a documentation page.
    server.route('/docs-600.html', `<!doctype html><meta charset="utf-8"><title>Docs</title><link rel="icon" href="data:,"><body style="margin:0"><iframe src="${link}" width="600" height="500" style="border:0"></iframe>`);
    const docs = await browser.context.newPage();
    await docs.goto(server.url('/docs-600.html'));
    const frame = docs.frames().find((f) => f !== docs.mainFrame()) ?? (await (await docs.waitForSelector('iframe')).contentFrame());
    await frame.waitForSelector('[data-testid="step"] [data-testid="outcome"]');
    assertFits(await geometry(frame), 500);
    await docs.close();
  });

  test('the Embed dialog: step, theme and height go into the snippet and its live preview; old and odd links still open', async () => {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('embed-button').click();
    const snippet = page.getByTestId('embed-snippet');
    assert.match(await snippet.inputValue(), /height="500"/);
    await page.getByTestId('embed-step').selectOption('2');
    await page.getByTestId('embed-theme').selectOption('dark');
    await page.getByTestId('embed-height').fill('420');
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="embed-snippet"]').value;
      return s.includes('#embed&amp;step=3&amp;theme=dark&amp;s=') && s.includes('height="420"');
    });
    const src = (await snippet.inputValue()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    // The live preview is the same link, same origin, at the same height.
    const preview = page.getByTestId('embed-preview');
    await page.waitForFunction((s) => document.querySelector('[data-testid="embed-preview"]').getAttribute('src') === s, src);
    assert.equal(await preview.getAttribute('height'), '420');
    const frame = page.frameLocator('[data-testid="embed-preview"]');
    await frame.locator('[data-testid="step"][aria-current="step"]').waitFor();
    assert.equal(await frame.locator('[data-testid="step"][aria-current="step"]').getAttribute('data-index'), '2');
    assert.equal(await frame.locator('html').getAttribute('data-theme'), 'dark');
    await screenshot(page, 'embed-dialog-options');
    // A height that is not a number is said, and the snippet keeps the default.
    await page.getByTestId('embed-height').fill('tall');
    await page.getByTestId('embed-height-error').waitFor();
    assert.match(await snippet.inputValue(), /height="500"/);
    await page.close();

    // An old link (no options) still opens; unknown or bad options are ignored.
    const data = src.split('&s=')[1];
    for (const [fragment, step] of [
      [`#embed&s=${data}`, '0'],
      [`#embed&step=99&theme=purple&zoom=2&s=${data}`, '0'],
      [`#embed&step=2&s=${data}`, '1'],
    ]) {
      const embed = await openEmbed(`/${fragment}`);
      assert.deepEqual(await outcomes(embed), ['Allowed', 'Allowed', 'Implicit deny'], fragment);
      // The payload's own step is the dialog's choice when made (3); an
      // option overrides it only when the scenario has that step.
      const shown = await embed.locator('[data-testid="step"][aria-current="step"]').getAttribute('data-index');
      assert.equal(shown, step === '0' ? '2' : step, fragment);
      assert.equal(await embed.getByTestId('notice').count(), 0, `${fragment}: no error`);
      assert.equal(await embed.locator('html').getAttribute('data-theme'), null, `${fragment}: auto`);
      await embed.close();
    }
  });

  test('the embed follows the theme of its link, not the reader\'s system or playground choice, unless auto', async () => {
    const link = await embedLink();
    const data = link.split('&s=')[1];
    await setStorage(browser.context, server, 'trustwalk.theme', 'dark');
    const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const open = async (theme, scheme) => {
      const page = await browser.context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 600, height: 500 });
      await page.goto(server.url(`/#embed${theme ? `&theme=${theme}` : ''}&s=${data}`));
      await page.getByTestId('embed-view').waitFor();
      return page;
    };
    const LIGHT = 'rgb(246, 247, 248)';
    const DARK = 'rgb(19, 21, 24)';
    for (const [theme, scheme, want] of [
      ['light', 'dark', LIGHT],
      ['dark', 'light', DARK],
      ['auto', 'dark', DARK],
      ['auto', 'light', LIGHT],
      ['', 'dark', DARK],
    ]) {
      const page = await open(theme, scheme);
      assert.equal(await background(page), want, `theme=${theme} with a ${scheme} system`);
      await page.close();
    }
    // An open embed whose fragment changes takes the new link's theme.
    const page = await open('light', 'light');
    await page.evaluate((d) => { location.hash = `#embed&theme=dark&s=${d}`; }, data);
    await page.waitForFunction((dark) => getComputedStyle(document.body).backgroundColor === dark, DARK);
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await page.close();
    await clearStorage(browser.context, server);
  });

  test('at a phone\'s width the title wraps instead of being cut, and a jump puts the statement mid-screen', async () => {
    await clearStorage(browser.context, server);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 375, height: 700 });
    await page.goto(server.url('/'));
    await waitForApp(page);
    const long = 'Staging admin reads a production bucket through StageRole, then writes the quarterly report back';
    const title = page.getByTestId('scenario-title');
    await title.fill(long);
    await title.press('Enter');
    assert.equal(await title.inputValue(), long, 'Enter adds no line break');
    const box = await title.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      scrollHeight: el.scrollHeight,
      clientHeight: el.clientHeight,
      lineHeight: parseFloat(getComputedStyle(el).lineHeight),
      right: el.getBoundingClientRect().right,
    }));
    assert.ok(box.scrollWidth <= box.clientWidth, `cut sideways: ${box.scrollWidth} > ${box.clientWidth}`);
    assert.ok(box.scrollHeight <= box.clientHeight + 1, `cut at the bottom: ${box.scrollHeight} > ${box.clientHeight}`);
    assert.ok(box.clientHeight > 1.5 * box.lineHeight, `one line only (${box.clientHeight} px for lines of ${box.lineHeight} px)`);
    assert.ok(box.right <= 375, 'within the screen');
    await screenshot(page, 'phone-title');

    // A statement of the explanation, brought into view mid-screen.
    await page.getByTestId('step').nth(1).click();
    const link = page.locator(`[data-testid="trace-statement"][data-policy="production-test-bucket-101/bucketPolicy"][data-index="1"] [data-testid="statement-link"]`);
    await link.click();
    const focus = editor(page, BUCKET).locator('.m-focus').first();
    await focus.waitFor();
    await page.waitForFunction(
      (p) => {
        const el = document.querySelector(`[data-testid="editor"][data-path="${p}"] .m-focus`);
        if (!el) return false;
        const r = el.getBoundingClientRect();
        const middle = (r.top + r.bottom) / 2;
        return middle > window.innerHeight * 0.25 && middle < window.innerHeight * 0.75;
      },
      BUCKET,
      { timeout: 5000 },
    ).catch(async () => {
      const r = await focus.boundingBox();
      throw new Error(`the statement is at ${JSON.stringify(r)} in a 700 px screen, not in its middle`);
    });
    await page.close();
  });

  async function openExample(label) {
    await clearStorage(browser.context, server);
    const page = await openApp(browser.context, server);
    await page.getByTestId('examples').selectOption({ label });
    await page.getByTestId('step').nth(3).waitFor();
    return page;
  }

  test('"tick MFA": the AssumeRole step that lacks MFA gets it in one click, undone with Ctrl+Z', async () => {
    const page = await openExample(EXAMPLES.mfa);
    await page.getByTestId('step').first().click();
    assert.equal((await outcomes(page))[0], 'Implicit deny');
    const form = page.getByTestId('step-form');
    assert.equal(await form.getByTestId('mfa').isChecked(), false);
    const buttons = page.getByTestId('to-pass').getByTestId('set-key');
    assert.equal(await buttons.count(), 1, 'one button for the one edit (present and age want the same)');
    assert.equal((await buttons.textContent()).trim(), 'Tick MFA on this step');
    await buttons.click();
    await waitForOutcomes(page, ['Allowed'], { prefix: true });
    assert.equal(await form.getByTestId('mfa').isChecked(), true);
    // Undone like any other edit.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    await page.keyboard.press('Control+z');
    await waitForOutcomes(page, ['Implicit deny'], { prefix: true });
    assert.equal(await form.getByTestId('mfa').isChecked(), false);
    await page.close();
  });

  test('"set External ID": the expected value goes into the step\'s field, and the link focuses it', async () => {
    const page = await openExample(EXAMPLES.externalId);
    await page.getByTestId('step').first().click();
    assert.equal((await outcomes(page))[0], 'Implicit deny');
    const tip = page.getByTestId('to-pass').locator('p', { has: page.getByTestId('set-key') });
    assert.match(await tip.textContent(), /sts:ExternalId/);
    await tip.getByTestId('set-key-field').click();
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'external-id');
    await tip.getByTestId('set-key').click();
    await waitForOutcomes(page, ['Allowed'], { prefix: true });
    assert.equal(await page.getByTestId('step-form').getByTestId('external-id').inputValue(), 'cust-7f3a9c21');
    assert.equal(await page.getByTestId('to-pass').count(), 0, 'nothing left to do');
    await page.close();
  });

  test('the embed tests ask no host but this one and log no errors', async () => {
    assert.deepEqual(traffic.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
    assert.deepEqual(traffic.problems, [], 'no page or console errors');
  });
});
