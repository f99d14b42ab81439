// Helpers shared by the browser tests (tests/browser/*.test.mjs).
//
// `cargo xtask test` builds the site, serves www/ on 127.0.0.1 and runs
// `node --test` with two environment variables:
//   EMLAB_URL        base URL of the served page, e.g. http://127.0.0.1:41234/
//   EMLAB_ARTIFACTS  directory for screenshots (target/browser-artifacts)
// To run the tests by hand: `cargo xtask serve` in one terminal, then
//   EMLAB_URL=http://127.0.0.1:8080/ node --test --test-concurrency=1 tests/browser/*.test.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Chromium from Debian's `chromium` package (installed by `cargo xtask test`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, hermetic headless Chromium. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Default timeout (ms) for Playwright actions and navigations. */
export const TIMEOUT_MS = 20_000;

/** Base URL of the page under test, always ending in `/`. */
export function baseUrl() {
  const url = process.env.EMLAB_URL;
  if (!url) {
    throw new Error(
      'EMLAB_URL is not set: run `cargo xtask test`, or start `cargo xtask serve` and set ' +
        'EMLAB_URL=http://127.0.0.1:8080/',
    );
  }
  return url.endsWith('/') ? url : `${url}/`;
}

/** Directory for screenshots: $EMLAB_ARTIFACTS, else target/browser-artifacts. */
export function artifactsDir() {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return process.env.EMLAB_ARTIFACTS || path.join(repoRoot, 'target', 'browser-artifacts');
}

/**
 * Starts headless Chromium with a fresh, temporary user-data-dir and returns its
 * BrowserContext; `await context.close()` stops Chromium and deletes the directory.
 */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'emlab-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  } catch (err) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(TIMEOUT_MS);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try {
      await close(...args);
    } finally {
      fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  return context;
}

/**
 * Opens a new page at EMLAB_URL + `urlPath` (waiting for `load`) and returns
 * `{ page, problems }`. `problems` is a live array of strings, one per console
 * error (except Chromium's own /favicon.ico fetch), uncaught page error, failed or
 * >= 400 request, and request to an origin other than EMLAB_URL's; a clean page
 * leaves it empty. `urlPath` is resolved against EMLAB_URL (a data: URL works too).
 */
export async function openPage(context, urlPath = '') {
  const base = baseUrl();
  const origin = new URL(base).origin;
  const problems = [];
  const page = await context.newPage();
  page.on('console', (msg) => {
    const where = msg.location()?.url ?? '';
    // Chromium fetches /favicon.ico on its own; a missing one is not the page's fault.
    if (msg.type() === 'error' && !where.endsWith('/favicon.ico')) {
      problems.push(`console.error: ${msg.text()}${where ? ` (${where})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack || err.message || err}`));
  page.on('request', (req) => {
    const url = new URL(req.url());
    const local = ['data:', 'blob:', 'about:'].includes(url.protocol);
    if (!local && url.origin !== origin) problems.push(`request to another origin: ${req.url()}`);
  });
  page.on('requestfailed', (req) => {
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown error'})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(new URL(urlPath, base).href, { waitUntil: 'load' });
  return { page, problems };
}

/** Saves a PNG as <EMLAB_ARTIFACTS>/<name>.png and returns its path: the whole page, or with
 * `{ fullPage: false }` what the screen shows (what a class sees on a projector). A full-page capture
 * resizes the viewport, so every figure is laid out and redrawn first: on a loaded 2-core machine that
 * took over 20 s (Playwright's default timeout), hence the longer one. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  const dir = artifactsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage, timeout: 90_000 });
  return file;
}
