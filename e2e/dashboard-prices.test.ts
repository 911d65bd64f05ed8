/**
 * No silent $0 in the dashboard, in real Chromium against a real gateway on the mock providers (the way a person
 * sees it at 900×600): a call to a model with no price shows an "unpriced" badge in Usage, the model is flagged
 * "no price" on Models, and Settings → Price table updates the table from a URL (a refused one shows why,
 * inline, and changes nothing), from an uploaded file, and reverts to the bundled table. This machine has no
 * internet: the "URL" is a local node:http server.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PriceTableStatus } from '../server/core/admin-api.ts';
import { BUNDLED_PRICE_TABLE_PATH } from '../server/prices/price-table.ts';
import { chat, request } from './support/admin.ts';
import { closePages, launchBrowser, openPage, screenshot, signIn, skipBrowserTests, snapshotUi, until, untilText, type OpenedPage } from './support/browser.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const MASTER = 'sk-e2e-prices-5d1e';

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream }
  - model_name: brand-new
    litellm_params: { model: openai/gpt-brand-new, api_base: "${mockUrl}/v1", api_key: sk-upstream }
general_settings:
  master_key: ${MASTER}
`;

const withBrandNew = (input: number) => ({
  ...(JSON.parse(readFileSync(BUNDLED_PRICE_TABLE_PATH, 'utf8')) as Record<string, unknown>),
  'gpt-brand-new': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: input, output_cost_per_token: input * 2 },
});

let running: GatewayOnMocks;
let ui: { dir: string; remove(): void } | undefined;
let browser: Browser;
let server: Server;
let tableUrl: string;
let files: string;
const opened: OpenedPage[] = [];

const pricesNow = async () => (await request<PriceTableStatus>(running.gw.url, 'GET', '/admin/prices', MASTER)).json;

async function signedIn(path: string): Promise<Page> {
  const context = await openPage(browser);
  opened.push(context);
  await signIn(context.page, running.gw.url, MASTER, path);
  return context.page;
}

async function go(page: Page, name: 'Models' | 'Usage' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

const card = (page: Page): Locator => page.getByRole('region', { name: 'Price table' });
/** The card's definition list: each <dt> → the text of the <dd> after it. */
async function definitions(page: Page): Promise<Record<string, string>> {
  const terms = await card(page).locator('dl dt').allTextContents();
  const values = await card(page).locator('dl dd').allTextContents();
  return Object.fromEntries(terms.map((term, i) => [term, values[i] ?? '']));
}

describe.skipIf(skipBrowserTests())('price table and unpriced flags in real Chromium', () => {
  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'dashboard-prices-'));
    server = createServer((req, res) => {
      if (req.url === '/good.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(withBrandNew(0.000002)));
      else if (req.url === '/negative.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(withBrandNew(-0.000002)));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tableUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    ui = await snapshotUi();
    [running, browser] = await Promise.all([startGatewayOnMocks(config, {}, { dataDir: true, uiDir: ui.dir }), launchBrowser()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    ui?.remove();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(files, { recursive: true, force: true });
  });

  afterEach(() => closePages(opened.splice(0)));

  it('flags an unpriced call in Usage and the unpriced model on Models', async () => {
    expect((await chat(running.gw.url, MASTER, { model: 'brand-new', messages: [{ role: 'user', content: 'hello there' }] })).status).toBe(200);
    expect((await chat(running.gw.url, MASTER, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] })).status).toBe(200);
    const page = await signedIn('/usage');
    const table = page.getByRole('table', { name: 'Requests' });
    const unpricedRow = table.getByRole('row').filter({ hasText: 'brand-new' });
    await untilText(unpricedRow, 'unpriced');
    expect(await unpricedRow.locator('.badge-warning').textContent()).toBe('unpriced');
    expect(await table.getByRole('row').filter({ hasText: 'gpt-4o' }).getByText('unpriced').count()).toBe(0);

    await go(page, 'Models');
    const flag = page.getByRole('row', { name: 'brand-new openai/gpt-brand-new' }).getByRole('note', { name: 'No price' });
    expect(await untilText(flag, 'input_cost_per_token')).toContain('no price');
    expect(await page.getByRole('row', { name: 'gpt-4o openai/gpt-4o' }).getByRole('note', { name: 'No price' }).count()).toBe(0);
  }, 30_000);

  it('Settings: a refused URL shows why and changes nothing; a good one reprices and clears the flag; upload and revert', async () => {
    const page = await signedIn('/settings');
    await until(
      () => definitions(page),
      (d) => expect(d).toMatchObject({ Source: 'Bundled', Updated: '—' }),
    );
    expect(await card(page).getByRole('note', { name: 'Unpriced deployments' }).textContent()).toContain('brand-new');

    const url = card(page).getByLabel('Price table URL');
    await url.fill(`${tableUrl}/negative.json`);
    await card(page).getByRole('button', { name: 'Update from URL' }).click();
    expect(await untilText(card(page).getByRole('alert'), 'Price table rejected')).toContain('"gpt-brand-new".input_cost_per_token is -0.000002');
    expect((await pricesNow()).source).toBe('bundled');

    await url.fill(`${tableUrl}/good.json`);
    await card(page).getByRole('button', { name: 'Update from URL' }).click();
    await until(
      () => definitions(page),
      (d) => expect(d).toMatchObject({ Source: 'Updated', From: `${tableUrl}/good.json` }),
    );
    expect(await card(page).getByRole('alert').count()).toBe(0);
    expect(await card(page).getByRole('note', { name: 'Unpriced deployments' }).count()).toBe(0);
    expect(await pricesNow()).toMatchObject({ source: 'updated', unpriced_deployments: [] });
    await screenshot(page, 'settings-price-table-updated');

    await go(page, 'Models');
    await page.getByRole('row', { name: 'brand-new openai/gpt-brand-new' }).waitFor();
    await until(
      () => page.getByRole('row', { name: 'brand-new openai/gpt-brand-new' }).getByRole('note', { name: 'No price' }).count(),
      (n) => expect(n).toBe(0),
    );

    await go(page, 'Settings');
    const bad = join(files, 'not-a-table.json');
    writeFileSync(bad, '<html>oops</html>');
    await card(page).locator('input[type="file"]').setInputFiles(bad);
    expect(await untilText(card(page).getByRole('alert'), 'not a JSON price table')).toContain('not-a-table.json');

    const good = join(files, 'prices.json');
    writeFileSync(good, JSON.stringify(withBrandNew(0.000003)));
    await card(page).locator('input[type="file"]').setInputFiles(good);
    await until(
      () => definitions(page),
      (d) => expect(d).toMatchObject({ Source: 'Updated', From: 'upload' }),
    );

    await card(page).getByRole('button', { name: 'Revert to bundled' }).click();
    await until(
      () => definitions(page),
      (d) => expect(d).toMatchObject({ Source: 'Bundled', Updated: '—' }),
    );
    await card(page).getByRole('note', { name: 'Unpriced deployments' }).waitFor();
    expect((await pricesNow()).source).toBe('bundled');
  }, 60_000);
});
