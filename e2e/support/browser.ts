/**
 * Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the dashboard's end-to-end tests:
 * one browser per test file, a fresh context per test at the tray window's size (900×600), downloads on, and
 * a colour scheme so one screenshot set can be dark. Uncaught page errors are collected per page so a test can
 * fail on a crash the UI itself hides.
 *
 * playwright-core has no auto-retrying `expect`; `until` polls with vitest's `expect.poll` instead, and
 * locator actions (click, fill, waitFor) wait on their own.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { inCI } from './redis.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The desktop app's tray window: what the dashboard must be usable in. */
export const TRAY_VIEWPORT = { width: 900, height: 600 } as const;

/** The built dashboard (renderer/dist) the gateway serves at /ui/; vitest's globalSetup builds it when stale. */
export const UI_DIR = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

/**
 * A private copy of the built dashboard for one test file, so a rebuild of renderer/dist while the tests run
 * (`npm run build:ui` in another terminal empties it first) cannot pull the pages out from under them. Waits
 * (up to 60 s) for a complete build: index.html and every asset it names.
 */
export async function snapshotUi(from = UI_DIR): Promise<{ dir: string; remove(): void }> {
  const complete = (dir: string) => {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) return false;
    const assets = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\/ui\/([^"]+)"/g)].map((m) => m[1]!);
    return assets.length > 0 && assets.every((asset) => existsSync(join(dir, asset)));
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (complete(from)) {
      const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-ui-'));
      try {
        cpSync(from, dir, { recursive: true });
      } catch {
        // A rebuild started while copying: try again.
      }
      if (complete(dir)) return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
      rmSync(dir, { recursive: true, force: true });
    }
    if (Date.now() > deadline) throw new Error(`No complete dashboard build in ${from}: run \`npm run build:ui\`.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export const SCREENSHOT_DIR = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

/** Why the browser tests cannot run here (skipped with this notice; a failure with CI set), or undefined. */
export function browserUnavailableReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  return `${CHROMIUM_PATH} not found (Debian/Ubuntu package: chromium)`;
}

/** Skip the browser tests (with a notice) when Chromium is missing on a developer machine; never in CI. */
export function skipBrowserTests(): boolean {
  const reason = browserUnavailableReason();
  if (reason && !inCI) console.warn(`[browser tests] skipped: ${reason}`);
  return reason !== undefined && !inCI;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page so far (`pageerror`): a rendering crash or an unhandled rejection. */
  errors: string[];
  close(): Promise<void>;
}

/** A new context (cookies, storage and downloads of its own) with one page at the tray window's size. */
export async function openPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: TRAY_VIEWPORT, acceptDownloads: true, colorScheme: options.colorScheme ?? 'light' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return { context, page, errors, close: () => context.close() };
}

/** Opens the dashboard at `path` and signs in through its login page with `masterKey`; resolves once the main navigation shows. */
export async function signIn(page: Page, gatewayUrl: string, masterKey: string, path = '/'): Promise<void> {
  await page.goto(`${gatewayUrl}/ui${path}`);
  await page.getByLabel('Master key').fill(masterKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Closes the pages a test opened (its file's afterEach), then fails the test if any of them threw an uncaught error. */
export async function closePages(pages: OpenedPage[]): Promise<void> {
  await Promise.all(pages.map((opened) => opened.close()));
  expect(
    pages.flatMap((opened) => opened.errors),
    'uncaught errors in the page',
  ).toEqual([]);
}

/** Polls `probe` until `check` passes (vitest's expect.poll), so a test can wait for what a page refetches. */
export async function until<T>(probe: () => Promise<T>, check: (value: T) => void, timeout = 10_000): Promise<T> {
  let last: T | undefined;
  await expect
    .poll(
      async () => {
        last = await probe();
        try {
          check(last);
          return true;
        } catch {
          return false;
        }
      },
      { timeout, interval: 100 },
    )
    .toBe(true);
  // Run the check once more outside the poll, so a failure reports the real mismatch, not "false !== true".
  check(last as T);
  return last as T;
}

/** Waits until the locator's text matches. */
export async function untilText(locator: Locator, pattern: RegExp | string, timeout = 10_000): Promise<string> {
  return until(
    async () => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : ''),
    (text) => (typeof pattern === 'string' ? expect(text).toContain(pattern) : expect(text).toMatch(pattern)),
    timeout,
  );
}

/**
 * Saves a PNG as e2e/artifacts/screenshots/<name>.png: the window (what a user at 900×600 sees), or with
 * `fullPage` the whole scrolled page at the window's width.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', fullPage: options.fullPage ?? false });
  return path;
}

/**
 * How wide the document is against the window: wider means the whole page scrolls sideways at 900×600 (a
 * table scrolling inside its own wrapper does not count).
 */
export async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  // A string, because this project's Node typings have no DOM.
  return page.evaluate<{ scrollWidth: number; clientWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  );
}
