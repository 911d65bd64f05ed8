import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPriceTableSource } from './price-source.ts';
import { storedPriceTablePath } from './price-store.ts';
import { BUNDLED_PRICE_TABLE_PATH, bundledPriceTableAsOf, LivePriceTable, modelCount } from './price-table.ts';
import { acceptPriceTable, acceptPriceTableFrom, applyStoredPriceTable, loadStoredPriceTableAtStart, revertToBundled } from './price-updates.ts';
import { minimumModels, parsePriceTableText, PriceTableRejected, validatePriceTable } from './validate-table.ts';

const bundledJson = () => JSON.parse(readFileSync(BUNDLED_PRICE_TABLE_PATH, 'utf8')) as Record<string, Record<string, unknown>>;

/** The bundled table with one new model in it. */
function tableWith(name: string, entry: Record<string, unknown>): Record<string, unknown> {
  return { ...bundledJson(), [name]: entry };
}

const rejection = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PriceTableRejected);
    return (err as Error).message;
  }
  throw new Error('expected a rejection');
};

describe('validatePriceTable', () => {
  it('accepts the bundled table', () => {
    const entries = validatePriceTable(bundledJson());
    expect(modelCount(entries)).toBeGreaterThan(minimumModels());
  });

  it('refuses what is not an object of entries', () => {
    expect(rejection(() => validatePriceTable([]))).toMatch(/JSON object.*an array/);
    expect(rejection(() => validatePriceTable(null))).toMatch(/null/);
    expect(rejection(() => parsePriceTableText('<html>404</html>'))).toMatch(/not JSON/);
  });

  it('refuses a table pricing too few models', () => {
    const few = Object.fromEntries(Object.entries(bundledJson()).slice(0, 50));
    expect(rejection(() => validatePriceTable(few))).toMatch(/at least \d+ are needed/);
  });

  it('refuses negative, non-finite and non-numeric prices, naming the field', () => {
    expect(rejection(() => validatePriceTable(tableWith('bad', { litellm_provider: 'openai', input_cost_per_token: -1e-6 })))).toContain(
      '"bad".input_cost_per_token is -0.000001',
    );
    expect(rejection(() => validatePriceTable(tableWith('bad', { litellm_provider: 'openai', output_cost_per_token: '1e-6' })))).toContain(
      '"bad".output_cost_per_token',
    );
    expect(
      rejection(() =>
        parsePriceTableText(JSON.stringify(tableWith('bad', { litellm_provider: 'openai' })).replace('"openai"}', '"openai","input_cost_per_token":1e999}')),
      ),
    ).toContain('input_cost_per_token');
  });

  it('refuses a provider that is not a string, and prices without a provider', () => {
    expect(rejection(() => validatePriceTable(tableWith('bad', { litellm_provider: 7, input_cost_per_token: 1e-6 })))).toContain(
      'litellm_provider is not a string',
    );
    expect(rejection(() => validatePriceTable(tableWith('bad', { input_cost_per_token: 1e-6 })))).toContain('has prices but no litellm_provider');
  });
});

describe('updating the stored table', () => {
  let dataDir: string;
  let server: Server;
  let base: string;
  const pages = new Map<string, { status: number; body: string }>();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'prices-'));
    server = createServer((req, res) => {
      const page = pages.get(req.url ?? '') ?? { status: 404, body: 'not found' };
      res.writeHead(page.status, { 'content-type': 'application/json' }).end(page.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches a URL, stores it atomically with its origin, and a live table takes it; revert removes it', async () => {
    pages.set('/prices.json', { status: 200, body: JSON.stringify(tableWith('brand-new-model', { litellm_provider: 'openai', input_cost_per_token: 7e-6 })) });
    const accepted = await acceptPriceTableFrom(`${base}/prices.json`, dataDir);
    expect(accepted.origin).toMatchObject({ source: 'updated', from: `${base}/prices.json` });
    expect(existsSync(storedPriceTablePath(dataDir))).toBe(true);

    const live = new LivePriceTable();
    expect(live.get('brand-new-model')).toBeUndefined();
    applyStoredPriceTable(live, dataDir, (m) => {
      throw new Error(m);
    });
    expect(live.get('brand-new-model')?.input_cost_per_token).toBe(7e-6);
    expect(live.origin).toEqual(accepted.origin);

    revertToBundled(live, dataDir);
    expect(existsSync(storedPriceTablePath(dataDir))).toBe(false);
    expect(live.get('brand-new-model')).toBeUndefined();
    expect(live.origin.source).toBe('bundled');
  });

  it('leaves the stored table alone when the new one is refused', async () => {
    acceptPriceTable(tableWith('kept-model', { litellm_provider: 'openai', input_cost_per_token: 1e-6 }), 'upload', dataDir);
    const before = readFileSync(storedPriceTablePath(dataDir), 'utf8');
    pages.set('/bad.json', { status: 200, body: JSON.stringify(tableWith('bad', { litellm_provider: 'openai', input_cost_per_token: -1 })) });
    await expect(acceptPriceTableFrom(`${base}/bad.json`, dataDir)).rejects.toThrow(/input_cost_per_token/);
    await expect(acceptPriceTableFrom(`${base}/missing.json`, dataDir)).rejects.toThrow(/HTTP 404/);
    await expect(acceptPriceTableFrom(join(dataDir, 'no-such-file.json'), dataDir)).rejects.toThrow(/cannot read/);
    expect(readFileSync(storedPriceTablePath(dataDir), 'utf8')).toBe(before);
  });

  it('reads a local file', async () => {
    const file = join(dataDir, 'local.json');
    writeFileSync(file, '{"a": 1}');
    expect(await readPriceTableSource(file)).toBe('{"a": 1}');
  });

  it('keeps the table in force when the stored file went bad, and says so', () => {
    acceptPriceTable(tableWith('good-model', { litellm_provider: 'openai', input_cost_per_token: 1e-6 }), 'upload', dataDir);
    const live = new LivePriceTable();
    applyStoredPriceTable(live, dataDir, () => undefined);
    writeFileSync(storedPriceTablePath(dataDir), '{"table": []}');
    const warnings: string[] = [];
    applyStoredPriceTable(live, dataDir, (m) => warnings.push(m));
    expect(warnings[0]).toMatch(/cannot be used/);
    expect(live.get('good-model')).toBeDefined();
  });

  it('at startup, keeps the bundled table when it is newer than the stored one (a release after the update)', () => {
    const bundledAsOf = bundledPriceTableAsOf();
    expect(bundledAsOf).not.toBeNull();
    const messages: string[] = [];
    const log = { warn: (m: string) => messages.push(`warn: ${m}`), info: (m: string) => messages.push(`info: ${m}`) };

    acceptPriceTable(
      { ...tableWith('old-model', { litellm_provider: 'openai', input_cost_per_token: 1e-6 }), last_updated: '2020-01-01T00:00:00Z' },
      'old',
      dataDir,
    );
    const older = new LivePriceTable();
    loadStoredPriceTableAtStart(older, dataDir, log);
    expect(older.origin.source).toBe('bundled');
    expect(older.get('old-model')).toBeUndefined();
    expect(messages).toEqual([expect.stringMatching(/^info: The bundled price table .* is newer than the updated one/)]);
    expect(existsSync(storedPriceTablePath(dataDir))).toBe(true);

    const later = new Date(Date.parse(bundledAsOf!) + 86_400_000).toISOString();
    acceptPriceTable({ ...tableWith('new-model', { litellm_provider: 'openai', input_cost_per_token: 1e-6 }), last_updated: later }, 'new', dataDir);
    const newer = new LivePriceTable();
    loadStoredPriceTableAtStart(newer, dataDir, log);
    expect(newer.origin).toMatchObject({ source: 'updated', from: 'new' });
    expect(newer.get('new-model')).toBeDefined();
    expect(messages).toHaveLength(1);
  });
});
