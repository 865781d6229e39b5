// Browser tests of the policy editor (CodeMirror 6, issue #13): completion,
// quick fixes, hover, search, the deciding-statement highlight, leaving the
// editor from the keyboard, the read-only embed and the size limit, in
// dist/ (trunk build --release) in headless Chromium. Run:
// node --test tests/e2e/editor.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foreignRequests, screenshot, useBrowser } from './helpers.mjs';
import {
  IDENTITY, TRUST,
  clearStorage, editor, editorReady, editorText, getEditorText, openApp, outcomes, setCaret, setEditor, waitForOutcomes,
} from './app.mjs';

describe('the policy editor', () => {
  let server;
  let browser;
  let traffic;
  useBrowser((env) => ({ server, browser, traffic } = env));

  const open = async (path = '/') => {
    await clearStorage(browser.context, server);
    return openApp(browser.context, server, path);
  };
  const withCatalogue = async (page) => {
    await page.waitForFunction(() => /AWS catalogue of/.test(document.querySelector('[data-testid="catalogue"]')?.textContent ?? ''));
  };

  test('typing an action offers the catalogue\'s actions; Enter inserts one (after non-ASCII text too)', async () => {
    const page = await open();
    await withCatalogue(page);
    // A Sid with characters of 2, 3 and 4 UTF-8 bytes (1, 1 and 2 UTF-16
    // units) before the place typed at: positions must convert exactly.
    const before = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "é✓😀",\n      "Effect": "Allow",\n      "Action": ';
    const after = ',\n      "Resource": "*"\n    }\n  ]\n}';
    await setEditor(page, IDENTITY, before + after);
    await setCaret(page, IDENTITY, before.length);
    await page.keyboard.type('"s3:GetOb');
    const options = editor(page, IDENTITY).locator('.cm-tooltip-autocomplete li');
    await options.first().waitFor();
    const labels = await options.locator('.cm-completionLabel').allTextContents();
    assert.ok(labels.includes('s3:GetObject'), labels.join(' '));
    assert.equal(await editor(page, IDENTITY).locator('.cm-tooltip-autocomplete li[aria-selected] .cm-completionLabel').textContent(), 's3:GetObject');
    await screenshot(page, 'editor-completion');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ([p, want]) => document.querySelector(`[data-path="${p}"] .ed-body`).trustwalkEditor.getDoc() === want,
      [IDENTITY, `${before}"s3:GetObject"${after}`],
    ).catch(async (e) => assert.fail(`${JSON.stringify(await getEditorText(page, IDENTITY))}: ${e.message}`));
    await page.close();
  });

  test('a quick fix is one click in the editor: it changes the text and the verdict', async () => {
    const page = await open();
    await withCatalogue(page);
    const original = await getEditorText(page, IDENTITY);
    assert.ok(original.includes('"sts:AssumeRole"'));
    await setEditor(page, IDENTITY, original.replace('"sts:AssumeRole"', '"sts:AssumeRoles"'));
    await waitForOutcomes(page, ['Implicit deny'], { prefix: true });
    const underline = editor(page, IDENTITY).locator('.cm-lintRange-error', { hasText: 'sts:AssumeRoles' });
    await underline.first().waitFor();
    const action = editor(page, IDENTITY).locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'Use sts:AssumeRole' });
    // CodeMirror closes a finding's tooltip whenever the findings change
    // (the worker's answer can land after the first hover), as a reader
    // would see it close: hover again, from elsewhere, until the click takes.
    let clicked = false;
    let shot = false;
    for (let i = 0; i < 6 && !clicked; i += 1) {
      await page.mouse.move(0, 0);
      await underline.first().hover();
      if (!(await action.waitFor({ timeout: 3000 }).then(() => true, () => false))) continue;
      if (!shot) shot = await screenshot(page, 'editor-quick-fix').then(() => true);
      clicked = await action.click({ timeout: 2000 }).then(() => true, () => false);
    }
    assert.ok(clicked, 'the quick fix was offered and clicked');
    assert.equal(await getEditorText(page, IDENTITY), original, 'the typo replaced, nothing else changed');
    await waitForOutcomes(page, ['Allowed', 'Allowed', 'Implicit deny']);
    // A policy without a Version: the fix adds one.
    const policy = JSON.parse(original);
    delete policy.Version;
    await setEditor(page, IDENTITY, JSON.stringify(policy, null, 2));
    await page.keyboard.press('Escape');
    const missing = editor(page, IDENTITY).locator('.cm-lintRange-warning, .cm-lintRange-info').first();
    await missing.waitFor();
    await editorText(page, IDENTITY).focus();
    await page.keyboard.press('Control+Shift+M');
    const add = editor(page, IDENTITY).locator('.cm-panel-lint button', { hasText: 'Add "Version"' });
    await add.waitFor();
    await add.click();
    assert.deepEqual(JSON.parse(await getEditorText(page, IDENTITY)), { ...policy, Version: '2012-10-17' });
    await page.close();
  });

  test('typing moves the findings with their text until the checks run again', async () => {
    const page = await open();
    await withCatalogue(page);
    const original = await getEditorText(page, IDENTITY);
    await setEditor(page, IDENTITY, original.replace('"sts:AssumeRole"', '"sts:AssumeRoles"'));
    const underline = editor(page, IDENTITY).locator('.cm-lintRange-error', { hasText: 'sts:AssumeRoles' });
    await underline.first().waitFor();
    // Keys typed before the finding, each followed at once (before the
    // checks run again, 150 ms after the last key) by a look at what the
    // underline covers: the finding's own text, not the text now where
    // it was in the older text.
    const seen = await editorText(page, IDENTITY).evaluate(async (el) => {
      const { view } = el.closest('.ed-body').trustwalkEditor;
      const out = [];
      for (let i = 0; i < 5; i += 1) {
        view.dispatch({ changes: { from: 1, insert: ' ' }, userEvent: 'input.type' });
        // The app's render and effects, then a frame.
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push([...el.querySelectorAll('.cm-lintRange-error')].map((e) => e.textContent).join('|'));
      }
      return out;
    });
    assert.deepEqual(seen, Array(5).fill('"sts:AssumeRoles"'), 'the underline stays on the typo while typing');
    await page.close();
  });

  test('hovering an action shows its access level and what it acts on', async () => {
    const page = await open();
    await withCatalogue(page);
    const action = editor(page, IDENTITY).locator('.t-str', { hasText: '"sts:AssumeRole"' }).first();
    await action.hover();
    const tip = editor(page, IDENTITY).getByTestId('hover');
    await tip.waitFor();
    const text = await tip.textContent();
    assert.match(text, /sts:AssumeRole/);
    assert.match(text, /access level: Write/);
    await screenshot(page, 'editor-hover');
    await page.close();
  });

  test('Ctrl-F searches the policy; search and completion load on first use', async () => {
    const before = server.requests.length;
    const page = await open();
    const chunks = () => server.requests.slice(before).filter((p) => /\/editor\/dist\/chunk-[^/]*\.js$/.test(p)).length;
    // CodeMirror loads right after the page's first verdicts (its chunks
    // are not part of the initial load); search and completion later still.
    await editorReady(page, TRUST);
    await page.waitForLoadState('networkidle');
    const atStart = chunks();
    assert.ok(atStart >= 1, 'CodeMirror\'s chunks load once the page is up (no-store: asked every time)');
    await editorText(page, TRUST).click();
    await page.keyboard.press('Control+F');
    const field = editor(page, TRUST).locator('.cm-search input[name="search"]');
    await field.waitFor();
    await page.keyboard.type('TrustStaging');
    await page.keyboard.press('Enter');
    const selected = await editor(page, TRUST).locator('.ed-body').evaluate((el) => {
      const { state } = el.trustwalkEditor.view;
      return state.sliceDoc(state.selection.main.from, state.selection.main.to);
    });
    assert.equal(selected, 'TrustStaging');
    assert.ok((await editor(page, TRUST).locator('.cm-searchMatch').count()) >= 1);
    assert.equal(chunks(), atStart + 1, 'one more chunk, on first use');
    await screenshot(page, 'editor-search');
    await page.close();
  });

  test('the deciding statements are highlighted, in the text and the gutter', async () => {
    const page = await open();
    assert.match((await editor(page, TRUST).locator('.m-decisive').allTextContents()).join(''), /TrustStaging/);
    assert.ok((await editor(page, TRUST).locator('.cm-markGutter .g-dec').count()) >= 3);
    await page.close();
  });

  test('Tab indents; Escape then Tab leaves the editor', async () => {
    const page = await open();
    const text = await getEditorText(page, TRUST);
    await setCaret(page, TRUST, 1);
    await page.keyboard.press('Tab');
    assert.notEqual(await getEditorText(page, TRUST), text, 'Tab indents');
    assert.ok(await editorText(page, TRUST).evaluate((el) => el.contains(document.activeElement)), 'focus stays');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await getEditorText(page, TRUST), text);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.ok(!(await editorText(page, TRUST).evaluate((el) => el.contains(document.activeElement))), 'focus moved on');
    assert.equal(await getEditorText(page, TRUST), text, 'nothing typed');
    await page.close();
  });

  test('the read-only embed cannot be edited', async () => {
    const page = await open();
    await page.getByTestId('embed-button').click();
    const src = (await page.getByTestId('embed-snippet').inputValue()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
    await page.close();
    const embed = await openApp(browser.context, server, src.replace(/^https?:\/\/[^/]+/, ''));
    await embed.getByTestId('embed-view').waitFor();
    const before = await getEditorText(embed, TRUST);
    assert.equal(await editorText(embed, TRUST).getAttribute('contenteditable'), 'false');
    await editorText(embed, TRUST).click();
    await embed.keyboard.type('xyz');
    await embed.keyboard.press('Backspace');
    assert.equal(await getEditorText(embed, TRUST), before);
    assert.equal(await editor(embed, TRUST).getByTestId('format').count(), 0);
    await embed.close();
  });

  test('a 300 KB paste is refused with the 256 KB error at the editor, and nothing is lost', async () => {
    const page = await open();
    const before = await getEditorText(page, TRUST);
    await setCaret(page, TRUST, before.length);
    // A real paste event, as the clipboard delivers it.
    await editorText(page, TRUST).evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, ' '.repeat(300 * 1024));
    const msg = editor(page, TRUST).getByTestId('editor-message');
    await msg.waitFor();
    assert.match(await msg.textContent(), /that policy text is \d+ KB; an editor holds at most 256 KB/);
    assert.equal(await getEditorText(page, TRUST), before, 'the previous text is kept');
    assert.deepEqual(await outcomes(page), ['Allowed', 'Allowed', 'Implicit deny']);
    // Typing still works afterwards.
    await page.keyboard.type(' ');
    await page.waitForFunction((p) => document.querySelector(`[data-path="${p}"] .ed-body`).trustwalkEditor.getDoc().endsWith('} '), TRUST);
    await page.close();
    assert.deepEqual(foreignRequests(traffic.requests, server.origin), []);
  });
});
