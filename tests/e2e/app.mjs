// Page helpers for the playground's browser tests: open the app, read the
// steps' outcomes, edit a policy editor, wait for verdicts. Selectors are
// the app's data-testid attributes.

export const TRUST = 'accounts[1].roles[0].trustPolicy';
export const BUCKET = 'accounts[1].buckets[0].policy';
export const IDENTITY = 'accounts[0].users[0].policies[0].document';
export const EXAMPLE_TITLE = 'Staging admin reads a production bucket through StageRole';
export const STORAGE_KEY = 'trustwalk.saved.v1';
export const LEGACY_CORRUPT_KEY = 'trustwalk.saved.corrupt';
export const SET_ASIDE_PREFIX = 'trustwalk.setaside.';

/** Forgets the saved work of the test server's origin. */
export async function clearStorage(context, server) {
  server.route('/blank.html', '<!doctype html><title>blank</title><link rel="icon" href="data:,">');
  const page = await context.newPage();
  await page.goto(server.url('/blank.html'));
  await page.evaluate(() => localStorage.clear());
  await page.close();
}

/** Sets a local-storage item of the test server's origin, outside the app. */
export async function setStorage(context, server, key, value) {
  server.route('/blank.html', '<!doctype html><title>blank</title><link rel="icon" href="data:,">');
  const page = await context.newPage();
  await page.goto(server.url('/blank.html'));
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, value]);
  await page.close();
}

/** Opens the app at `path` (e.g. '/' or '/#s=…') and waits for verdicts. */
export async function openApp(context, server, path = '/') {
  const page = await context.newPage();
  await page.goto(server.url(path));
  await waitForApp(page);
  return page;
}

export async function waitForApp(page) {
  await page.locator('[data-testid="step"] [data-testid="outcome"]').first().waitFor({ state: 'visible' });
  // The editors' CodeMirror loads right after the first verdicts.
  await page.waitForFunction(() => !document.querySelector('[data-testid="editor"]') || document.querySelector('[data-testid="editor"] .cm-content'));
}

/** The outcome badge of every step, in order. */
export async function outcomes(page) {
  return page.locator('[data-testid="step"] [data-testid="outcome"]').allTextContents().then((a) => a.map((t) => t.trim()));
}

/** Waits until the steps show exactly `expected` (a prefix when `prefix`),
 * and the explanation is up to date (while typing it follows after a pause). */
export async function waitForOutcomes(page, expected, { prefix = false } = {}) {
  await page.waitForFunction(
    ([want, prefix]) => {
      const got = [...document.querySelectorAll('[data-testid="step"] [data-testid="outcome"]')].map((e) => e.textContent.trim());
      const cut = prefix ? got.slice(0, want.length) : got;
      const explained = document.querySelector('aside.sidebar')?.dataset.explained !== 'false';
      return explained && JSON.stringify(cut) === JSON.stringify(want);
    },
    [expected, prefix],
  ).catch(async (e) => {
    throw new Error(`outcomes ${JSON.stringify(await outcomes(page))}, wanted ${JSON.stringify(expected)}: ${e.message}`);
  });
}

export function editor(page, path) {
  return page.locator(`[data-testid="editor"][data-path="${path}"]`);
}

/** The editable text of an editor (CodeMirror's content element). */
export function editorText(page, path) {
  return editor(page, path).getByTestId('editor-text');
}

/** The text an editor holds (CodeMirror's document). */
export async function getEditorText(page, path) {
  return editor(page, path).locator('.ed-body').evaluate((el) => el.trustwalkEditor.getDoc());
}

/** Replaces an editor's whole text as one user edit (as a paste does). */
export async function setEditor(page, path, text) {
  await replaceText(page, path, text);
}

/** Waits until an editor's CodeMirror is there (it loads after the page's first verdicts). */
export async function editorReady(page, path) {
  await editor(page, path).locator('.cm-content').waitFor({ state: 'attached' });
}

async function replaceText(page, path, text) {
  await editorReady(page, path);
  await editor(page, path).locator('.ed-body').evaluate((el, value) => {
    const { view } = el.trustwalkEditor;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value }, userEvent: 'input.paste' });
  }, text);
}

/** Puts the caret at UTF-16 offset `at` of an editor and focuses it; waits
 * for what the editor loads on first focus (completion, search). */
export async function setCaret(page, path, at) {
  await editorReady(page, path);
  await editor(page, path).locator('.ed-body').evaluate(async (el, pos) => {
    const { view } = el.trustwalkEditor;
    view.focus();
    view.dispatch({ selection: { anchor: pos } });
    await el.trustwalkEditor.whenReady();
  }, at);
}

export async function selectedStep(page) {
  return page.locator('[data-testid="step"][aria-current="step"]').getAttribute('data-index').then(Number);
}

export async function title(page) {
  return page.getByTestId('scenario-title').inputValue();
}

/** Replaces an editor's text in one edit, as a paste does. */
export async function pasteInto(page, path, text) {
  await replaceText(page, path, text);
}
