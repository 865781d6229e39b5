// Shared helpers for the browser tests (node:test + playwright-core).
//
// - serveDist(): a static file server (Node's http module) for dist/, built by
//   `trunk build --release`, on 127.0.0.1 at a free port.
// - launchChromium(): Debian's /usr/bin/chromium, headless, in a fresh profile,
//   with the flags every browser test must use (CHROMIUM_ARGS): no background
//   networking, and every host name but localhost/127.0.0.1 made unresolvable.
//
// Never `playwright install`: no browser can be downloaded here.

import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, stat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const SCREENSHOT_DIR = path.join(here, 'screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
]);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` (default: dist/) on 127.0.0.1 at a free port.
 * Resolves to { origin, url(path), requests, route(path, html), close() };
 * `requests` lists every path the server was asked for; `route` adds an
 * HTML page served at `path` (test pages, e.g. one that iframes the app).
 */
export async function serveDist(root = DIST_DIR) {
  const extra = new Map();
  const index = path.join(root, 'index.html');
  try {
    await stat(index);
  } catch {
    throw new Error(`${index} is missing: build it first with scripts/build-web.sh (trunk build --release)`);
  }
  const requests = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url);
    try {
      const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (extra.has(pathname)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(extra.get(pathname));
        return;
      }
      let rel = decodeURIComponent(pathname);
      if (rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, '.' + rel);
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    requests,
    url: (p = '/') => origin + p,
    route: (p, html) => extra.set(p, html),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Launches headless Debian Chromium in a fresh, throw-away profile.
 * Resolves to { context, close() }; close() also deletes the profile.
 */
export async function launchChromium() {
  const profile = await mkdtemp(path.join(tmpdir(), 'trustwalk-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(20_000);
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records every request the browser context makes, and every page error and
 * console error. Returns { requests: string[], problems: string[] }.
 */
export function recordTraffic(context) {
  const requests = [];
  const problems = [];
  context.on('request', (req) => requests.push(req.url()));
  const watchPage = (page) => {
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  return { requests, problems };
}

/** The requests whose origin is not `origin` (data: and blob: URLs are local). */
export function foreignRequests(requests, origin) {
  return requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    return url.origin !== origin;
  });
}

/** Saves a full-page PNG under tests/e2e/screenshots/ (gitignored); returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Registers a suite's `before` and `after`: serves `root` (default: dist/),
 * launches Chromium and records its traffic, then hands
 * { server, browser, traffic } to `set`; closes both afterwards. Use:
 *
 *   let server; let browser; let traffic;
 *   useBrowser((env) => ({ server, browser, traffic } = env));
 */
export function useBrowser(set, root = DIST_DIR) {
  let env = {};
  before(async () => {
    const server = await serveDist(root);
    const browser = await launchChromium();
    env = { server, browser, traffic: recordTraffic(browser.context) };
    set(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
}
