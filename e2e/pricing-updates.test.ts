/**
 * Updating the price table without a release, through real HTTP and the real CLI: GET/POST/DELETE /admin/prices
 * (master key only) and `server/main.ts --update-prices`. A table is checked before it replaces anything; an
 * accepted one reprices the running gateway from its next call, is kept in the data dir across restarts, and a
 * CLI update next to a running gateway is picked up without a restart. This machine has no internet: "URLs" are
 * a local node:http server.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySettings, PriceTableStatus } from '../server/core/admin-api.ts';
import { BUNDLED_PRICE_TABLE_PATH } from '../server/prices/price-table.ts';
import { admin, chat, expectOpenAIError, mockTokens, request, usd } from './support/admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const ROOT = new URL('..', import.meta.url).pathname;

const config = (mockUrl: string) => `
model_list:
  - model_name: brand-new
    litellm_params: { model: openai/gpt-brand-new, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: brand-new-1 }
router_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

const bundled = () => JSON.parse(readFileSync(BUNDLED_PRICE_TABLE_PATH, 'utf8')) as Record<string, unknown>;
/** The bundled table plus a price for the model under test ($ per token). */
const withBrandNew = (input: number, output: number) => ({
  ...bundled(),
  'gpt-brand-new': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: input, output_cost_per_token: output },
});

const TEXT = 'what does this cost now';
const TOKENS = mockTokens(TEXT);
const CALL = { model: 'brand-new', messages: [{ role: 'user', content: TEXT }], max_tokens: 20 };

let server: Server;
let base: string;
const pages = new Map<string, string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    if (page === undefined) res.writeHead(404).end('not here');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function costOfOneCall(url: string, key = 'sk-1234') {
  const answer = await chat(url, key, CALL);
  expect(answer.status, answer.text).toBe(200);
  const { rows } = await admin(url).spendLogs({ request_id: answer.headers.get('x-litellm-call-id') ?? '' });
  return { spend: rows[0]!.spend, source: rows[0]!.metadata.cost_source };
}

describe('the admin API', () => {
  let running: GatewayOnMocks;
  let dataDir: string;
  beforeAll(async () => {
    running = await startGatewayOnMocks(config, {}, { dataDir: true });
    dataDir = running.gw.dataDir!;
  });
  afterAll(() => running.close());

  it('GET says the bundled table is in force and names the unpriced deployment', async () => {
    const status = (await admin(running.gw.url).get<PriceTableStatus>('/admin/prices')).json;
    expect(status).toMatchObject({ source: 'bundled', updated_at: null, updatable: true, persistent: true });
    expect(status.models).toBeGreaterThan(status.min_models);
    expect(status.default_url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/BerriAI\/litellm\//);
    expect(status.unpriced_deployments).toEqual([{ id: 'brand-new-1', model_name: 'brand-new', model: 'openai/gpt-brand-new' }]);
  });

  it('is for the master key only', async () => {
    const { key } = await admin(running.gw.url).generateKey({});
    expectOpenAIError(await request(running.gw.url, 'GET', '/admin/prices', key), 403);
    expectOpenAIError(await request(running.gw.url, 'POST', '/admin/prices', key, { url: `${base}/prices-v2.json` }), 403);
    expectOpenAIError(await request(running.gw.url, 'DELETE', '/admin/prices', null), 401);
    expect((await admin(running.gw.url).get<PriceTableStatus>('/admin/prices')).json.source).toBe('bundled');
  });

  it('POST { table } reprices the running gateway from the next call, and keeps it in the data dir', async () => {
    const api = admin(running.gw.url);
    expect(await costOfOneCall(running.gw.url)).toEqual({ spend: 0, source: 'unpriced' });
    // A key with a budget is refused the model while it has no price…
    const { key } = await api.generateKey({ max_budget: 5 });
    expectOpenAIError(await chat(running.gw.url, key, CALL), 400, 'model_unpriced');

    const posted = await api.post<PriceTableStatus>('/admin/prices', { table: withBrandNew(0.000004, 0.000008) });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.json).toMatchObject({ source: 'updated', from: 'upload', unpriced_deployments: [] });
    expect(Date.parse(posted.json.updated_at ?? '')).not.toBeNaN();
    expect(existsSync(join(dataDir, 'price-table.json'))).toBe(true);
    // /admin/settings names the file in force.
    expect((await api.get<GatewaySettings>('/admin/settings')).json.price_table.path).toBe(join(dataDir, 'price-table.json'));

    const cost = usd(TOKENS.prompt * 4_000 + TOKENS.completion * 8_000);
    expect(await costOfOneCall(running.gw.url)).toEqual({ spend: cost, source: 'price_table' });
    // …and served, and charged, once it has one.
    expect(await costOfOneCall(running.gw.url, key)).toEqual({ spend: cost, source: 'price_table' });
    expect((await api.keyInfo(key)).spend).toBe(cost);
  });

  it('POST { url } fetches, checks and applies a table', async () => {
    pages.set('/prices-v2.json', JSON.stringify(withBrandNew(0.000001, 0.000002)));
    const posted = await admin(running.gw.url).post<PriceTableStatus>('/admin/prices', { url: `${base}/prices-v2.json` });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.json).toMatchObject({ source: 'updated', from: `${base}/prices-v2.json` });
    expect(await costOfOneCall(running.gw.url)).toEqual({ spend: usd(TOKENS.prompt * 1_000 + TOKENS.completion * 2_000), source: 'price_table' });
  });

  it('refuses a bad table with a 400 saying why, and changes nothing', async () => {
    const api = admin(running.gw.url);
    const before = (await api.get<PriceTableStatus>('/admin/prices')).json;
    const stored = readFileSync(join(dataDir, 'price-table.json'), 'utf8');

    const negative = await api.post('/admin/prices', { table: withBrandNew(-0.000001, 0.000002) });
    expect(expectOpenAIError(negative, 400, 'price_table_rejected').message).toContain('"gpt-brand-new".input_cost_per_token is -0.000001');
    const tiny = await api.post('/admin/prices', { table: { 'gpt-brand-new': { litellm_provider: 'openai', input_cost_per_token: 1 } } });
    expect(expectOpenAIError(tiny, 400, 'price_table_rejected').message).toMatch(/at least \d+ are needed/);
    pages.set('/not-json', '<html>rate limited</html>');
    expect(expectOpenAIError(await api.post('/admin/prices', { url: `${base}/not-json` }), 400, 'price_table_rejected').message).toMatch(/not JSON/);
    expect(expectOpenAIError(await api.post('/admin/prices', { url: `${base}/missing` }), 400, 'price_table_rejected').message).toMatch(/HTTP 404/);
    expectOpenAIError(await api.post('/admin/prices', { url: 'file:///etc/passwd' }), 400, 'invalid_request');
    expectOpenAIError(await api.post('/admin/prices', {}), 400);

    expect((await api.get<PriceTableStatus>('/admin/prices')).json).toEqual(before);
    expect(readFileSync(join(dataDir, 'price-table.json'), 'utf8')).toBe(stored);
    expect((await costOfOneCall(running.gw.url)).source).toBe('price_table');
  });

  it('the update outlives a restart; DELETE goes back to the bundled table', async () => {
    // A bare model name only the updated table knows finds its provider there: the table is in force before the deployments are built.
    const withBareName = (mockUrl: string) =>
      config(mockUrl).replace(
        'router_settings:',
        `  - model_name: bare-new\n    litellm_params: { model: gpt-brand-new, api_base: "${mockUrl}/v1", api_key: sk-upstream }\nrouter_settings:`,
      );
    const again = await startGatewayOnMocks(withBareName, {}, { dataDir });
    try {
      const api = admin(again.gw.url);
      expect((await api.get<PriceTableStatus>('/admin/prices')).json).toMatchObject({ source: 'updated', from: `${base}/prices-v2.json` });
      expect((await costOfOneCall(again.gw.url)).source).toBe('price_table');
      const bare = await chat(again.gw.url, 'sk-1234', { ...CALL, model: 'bare-new' });
      expect(bare.status, bare.text).toBe(200);
      expect(again.mock.requests.at(-1)).toMatchObject({ protocol: 'openai', model: 'gpt-brand-new' });

      const reverted = await request<PriceTableStatus>(again.gw.url, 'DELETE', '/admin/prices', 'sk-1234');
      expect(reverted.status, reverted.text).toBe(200);
      expect(reverted.json).toMatchObject({ source: 'bundled', updated_at: null });
      expect(reverted.json.unpriced_deployments.map((d) => d.model_name)).toEqual(['brand-new', 'bare-new']);
      expect(existsSync(join(dataDir, 'price-table.json'))).toBe(false);
      expect((await api.get<GatewaySettings>('/admin/settings')).json.price_table.path).toBe(BUNDLED_PRICE_TABLE_PATH);
      expect(await costOfOneCall(again.gw.url)).toEqual({ spend: 0, source: 'unpriced' });
    } finally {
      await again.close();
    }
  });
});

/** `node --import tsx server/main.ts …`, as `npm start --` runs it; resolves to the exit code and output. */
function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LLM_GATEWAY_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('npm start -- --update-prices', () => {
  let dataDir: string;
  let running: GatewayOnMocks | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'prices-cli-'));
  });
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a checked table from a URL and exits 0; a running gateway on the data dir uses it without a restart', async () => {
    running = await startGatewayOnMocks(config, {}, { dataDir });
    expect((await costOfOneCall(running.gw.url)).source).toBe('unpriced');

    pages.set('/cli-prices.json', JSON.stringify(withBrandNew(0.000003, 0.000006)));
    const run = await runCli(['--update-prices', `${base}/cli-prices.json`, '--data-dir', dataDir]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('Price table updated');

    const api = admin(running.gw.url);
    await expect.poll(async () => (await api.get<PriceTableStatus>('/admin/prices')).json.source, { timeout: 10_000 }).toBe('updated');
    expect(await costOfOneCall(running.gw.url)).toEqual({ spend: usd(TOKENS.prompt * 3_000 + TOKENS.completion * 6_000), source: 'price_table' });
  });

  it('refuses a bad file with exit code 2 and the reason, leaving the stored table as it was', async () => {
    const stored = readFileSync(join(dataDir, 'price-table.json'), 'utf8');
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify(withBrandNew(0.000001, Number.MAX_VALUE * -1)));
    const run = await runCli(['--update-prices', bad, '--data-dir', dataDir]);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toContain('Price table rejected');
    expect(run.output).toContain('"gpt-brand-new".output_cost_per_token');
    expect(run.output).toContain('unchanged');
    expect(readFileSync(join(dataDir, 'price-table.json'), 'utf8')).toBe(stored);
  });
});
