/**
 * Issue #14's dashboard polish, in real Chromium against a real gateway on the mock providers (900×600, the
 * tray window), checked by geometry and text rather than screenshots:
 *  - Usage: every Y-axis label of the spend chart lies inside the chart's SVG (a sub-cent "$0.000035" is not
 *    cut at the card's edge);
 *  - Keys: a paid call with a key shows as spend and last use on the open Keys page, without a reload;
 *  - Settings: the cards fill every row of the grid (no empty cell), at the tray's size and on a wide screen;
 *  - Routing: each "Add … chain" button is found by role and the name it shows;
 *  - Add model: the key hint names the secret store the gateway says it uses;
 *  - Usage details: a fallback shows the model asked for and the group that served; a failed request shows the
 *    upstream's error message with the key masked.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySettings } from '../server/core/admin-api.ts';
import { secretStoreNote } from '../renderer/src/components/secret-store.ts';
import { chat, type KeyJson, request } from './support/admin.ts';
import { closePages, launchBrowser, openPage, signIn, skipBrowserTests, snapshotUi, until, untilText, type OpenedPage } from './support/browser.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const MASTER = 'sk-e2e-polish-8b2f';
const UPSTREAM_KEY = 'sk-upstream-polish-5e9d7c1a';

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
  - model_name: failing   # every call answers 500; the fallback below serves it
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
    model_info: { base_model: gpt-4o }
  - model_name: leaky     # a 401 whose message quotes the upstream key whole (the mock's echo-key-401)
    litellm_params: { model: openai/gpt-4o-echo-key-401, api_base: "${mockUrl}/v1", api_key: ${UPSTREAM_KEY} }
    model_info: { base_model: gpt-4o }
router_settings:
  num_retries: 0
  fallbacks: [{ failing: [gpt-4o] }]
general_settings:
  master_key: ${MASTER}
`;

let running: GatewayOnMocks;
let ui: { dir: string; remove(): void } | undefined;
let browser: Browser;
const opened: OpenedPage[] = [];

async function signedIn(path: string): Promise<Page> {
  const context = await openPage(browser);
  opened.push(context);
  await signIn(context.page, running.gw.url, MASTER, path);
  return context.page;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** The little of the DOM these checks read (this project's Node typings have no DOM lib). */
interface DomNode {
  getBoundingClientRect(): Box;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): ArrayLike<DomNode>;
  readonly children: ArrayLike<DomNode>;
  readonly textContent: string | null;
}

describe.skipIf(skipBrowserTests())('dashboard polish (#14) in real Chromium', () => {
  beforeAll(async () => {
    ui = await snapshotUi();
    [running, browser] = await Promise.all([startGatewayOnMocks(config, {}, { dataDir: true, uiDir: ui.dir }), launchBrowser()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    ui?.remove();
  });

  afterEach(() => closePages(opened.splice(0)));

  it('Keys: a paid call shows as spend and last use on the open page, without a reload', async () => {
    const issued = await request<KeyJson & { key: string }>(running.gw.url, 'POST', '/key/generate', MASTER, { key_alias: 'polish-key' });
    expect(issued.status, issued.text).toBe(200);
    const page = await signedIn('/keys');
    const row = page.getByRole('row', { name: /polish-key/ });
    await row.waitFor();
    const headers = (await page.getByRole('table').first().locator('thead th').allTextContents()).map((h) => h.trim());
    const cell = async (column: string) => (await row.getByRole('cell').nth(headers.indexOf(column)).textContent())?.trim();
    expect(headers).toEqual(expect.arrayContaining(['Spend', 'Last used']));
    expect([await cell('Spend'), await cell('Last used')]).toEqual(['$0.00', 'Never']);

    expect((await chat(running.gw.url, issued.json.key, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] })).status).toBe(200);
    const [spend, lastUsed] = await until(
      async () => [await cell('Spend'), await cell('Last used')],
      ([spendText, lastUsedText]) => {
        expect(spendText).not.toBe('$0.00');
        expect(lastUsedText).not.toBe('Never');
      },
    );
    expect(spend).toMatch(/^\$0\.0\d+$/);
    expect(lastUsed).toMatch(/just now|\d+ s ago/);
  }, 30_000);

  it('Usage: every Y-axis label of the spend chart is inside the chart', async () => {
    expect((await chat(running.gw.url, MASTER, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(200);
    const page = await signedIn('/usage');
    const chart = page.getByRole('img', { name: 'Spend per day by model' });
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    const measured = await until(
      () =>
        chart.evaluate((element) => {
          const el = element as unknown as DomNode;
          const box = (node: DomNode): Box => {
            const r = node.getBoundingClientRect();
            return { x: r.x, y: r.y, width: r.width, height: r.height };
          };
          const svg = el.querySelector('svg.recharts-surface');
          const ticks = Array.from(el.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'));
          return { svg: svg ? box(svg) : null, ticks: ticks.map((t) => ({ text: t.textContent ?? '', box: box(t) })) };
        }),
      (m) => expect(m.ticks.length).toBeGreaterThan(1),
    );
    const svg = measured.svg!;
    // A sub-cent tick, the kind that was cut: its full text is drawn inside the SVG.
    expect(
      measured.ticks.some((t) => /^\$0\.0000\d+$/.test(t.text)),
      JSON.stringify(measured.ticks.map((t) => t.text)),
    ).toBe(true);
    for (const tick of measured.ticks) {
      expect(tick.text).toMatch(/^\$/);
      expect(tick.box.x, `"${tick.text}" starts left of the chart`).toBeGreaterThanOrEqual(svg.x);
      expect(tick.box.x + tick.box.width, `"${tick.text}" ends right of the chart`).toBeLessThanOrEqual(svg.x + svg.width);
    }
  }, 30_000);

  it('Settings: the cards leave no empty cell in the grid, at the tray size and on a wide screen', async () => {
    const page = await signedIn('/settings');
    await page.getByRole('region', { name: 'Price table' }).locator('dl dt').first().waitFor();
    for (const viewport of [
      { width: 900, height: 600 },
      { width: 1600, height: 900 },
    ]) {
      await page.setViewportSize(viewport);
      const layout = await page.locator('.settings-grid').evaluate((element) => {
        const grid = element as unknown as DomNode;
        const box = (node: DomNode): Box => {
          const r = node.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        return { grid: box(grid), cards: Array.from(grid.children).map((c) => ({ name: c.querySelector('h2')?.textContent ?? '', box: box(c) })) };
      });
      expect(layout.cards.length).toBeGreaterThanOrEqual(5);
      // Cards that start at the same height share a row; every row reaches the grid's right edge.
      const rows = new Map<number, typeof layout.cards>();
      for (const card of layout.cards) rows.set(Math.round(card.box.y), [...(rows.get(Math.round(card.box.y)) ?? []), card]);
      for (const cards of rows.values()) {
        const right = Math.max(...cards.map((c) => c.box.x + c.box.width));
        expect(Math.abs(layout.grid.x + layout.grid.width - right), `row ${cards.map((c) => c.name).join(' + ')} at ${viewport.width}px`).toBeLessThan(2);
      }
    }
  }, 30_000);

  it('Routing: each Add chain button is found by role and the name it shows', async () => {
    const page = await signedIn('/routing');
    for (const [section, name] of [
      ['Fallbacks', 'Add fallback chain'],
      ['Context-window fallbacks', 'Add context-window fallback chain'],
      ['Content-policy fallbacks', 'Add content-policy fallback chain'],
    ] as const) {
      const button = page.getByRole('region', { name: section, exact: true }).getByRole('button', { name, exact: true });
      expect((await button.textContent())?.trim()).toBe(name);
    }
  }, 30_000);

  it('Add model: the key hint names the secret store in use', async () => {
    const settings = await request<GatewaySettings>(running.gw.url, 'GET', '/admin/settings', MASTER);
    const page = await signedIn('/models');
    await page.getByRole('button', { name: 'Add model' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add model' });
    const key = dialog.getByLabel('API key', { exact: true });
    await key.waitFor();
    const hintId = `${await key.getAttribute('id')}-hint`;
    expect(await untilText(dialog.locator(`[id="${hintId}"]`), secretStoreNote(settings.json.secret_store.kind))).toContain(
      secretStoreNote(settings.json.secret_store.kind),
    );
  }, 30_000);

  it('Usage details: a fallback shows both models; a failed request shows the upstream message, masked', async () => {
    expect((await chat(running.gw.url, MASTER, { model: 'failing', messages: [{ role: 'user', content: 'fall back please' }] })).status).toBe(200);
    expect((await chat(running.gw.url, MASTER, { model: 'leaky', messages: [{ role: 'user', content: 'leak it' }] })).status).toBe(401);
    const page = await signedIn('/usage');
    const table = page.getByRole('table', { name: 'Requests' });

    const fallbackRow = table.getByRole('row').filter({ hasText: 'failing → gpt-4o' });
    await untilText(fallbackRow, 'fallback');
    await fallbackRow.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Request details' });
    expect(await untilText(dialog, 'served by')).toContain('failing → served by gpt-4o');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const failedRow = table.getByRole('row').filter({ hasText: 'leaky' }).filter({ hasText: 'failure' });
    await failedRow.first().getByRole('button', { name: 'Details' }).click();
    const message = await untilText(dialog.locator('.error-message'), 'Incorrect API key provided');
    expect(message).not.toContain(UPSTREAM_KEY);
    expect(message).toContain(`…${UPSTREAM_KEY.slice(-4)}`);
  }, 30_000);
});
