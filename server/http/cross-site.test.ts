/** The Origin / Sec-Fetch-Site check in front of every route but the dashboard's files, through the real app. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';

const { logger } = createLogger({ level: 'silent', destination: null });
const gateways: Gateway[] = [];
let uiDir: string;

beforeAll(() => {
  uiDir = mkdtempSync(join(tmpdir(), 'cross-site-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Dashboard</title>');
});
afterAll(() => rmSync(uiDir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

/** No master key: the case where a cross-site call would be served and billed. */
async function gateway(allowedOrigins?: string[]): Promise<Gateway> {
  const config = emptyConfig();
  config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
  if (allowedOrigins) config.general_settings.allowed_origins = allowedOrigins;
  const g = await createGateway({ config, logger, env: {}, uiDir });
  gateways.push(g);
  return g;
}

const chat = (headers: Record<string, string>) => ({
  method: 'POST' as const,
  url: '/v1/chat/completions',
  headers: { host: 'localhost:4000', 'content-type': 'application/json', ...headers },
  payload: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'spend my credits' }] }),
});

const refusedCrossSite = (res: { statusCode: number; json(): unknown }, says: string) => {
  expect(res.statusCode).toBe(403);
  expect(res.json()).toEqual({
    error: { message: expect.stringContaining(says), type: 'permission_error', param: null, code: 'cross_site_request' },
  });
};

describe('cross-site requests', () => {
  it('refuses an Origin that is not the gateway’s own, before the body is read', async () => {
    const g = await gateway();
    refusedCrossSite(await g.app.inject(chat({ origin: 'https://evil.example' })), 'Origin `https://evil.example` is not this gateway');
    // Another port on localhost is another origin.
    refusedCrossSite(await g.app.inject(chat({ origin: 'http://localhost:8080' })), 'general_settings.allowed_origins');
    refusedCrossSite(await g.app.inject(chat({ origin: 'null' })), 'Origin `null`');
    // Refused before the body: a text/plain body is not even a 415.
    refusedCrossSite(await g.app.inject(chat({ origin: 'https://evil.example', 'content-type': 'text/plain' })), 'Cross-site request refused');
  });

  it('refuses Sec-Fetch-Site cross-site and same-site without an Origin (a GET a page embeds)', async () => {
    const g = await gateway();
    refusedCrossSite(await g.app.inject(chat({ 'sec-fetch-site': 'cross-site' })), 'Sec-Fetch-Site: cross-site');
    refusedCrossSite(await g.app.inject(chat({ 'sec-fetch-site': 'same-site' })), 'Sec-Fetch-Site: same-site');
    const models = await g.app.inject({ method: 'GET', url: '/v1/models', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(models.statusCode).toBe(403);
  });

  it('serves the gateway’s own origin (the Host it was called by), a typed URL and clients that are not browsers', async () => {
    const g = await gateway();
    const callers: Record<string, string>[] = [
      { origin: 'http://localhost:4000', 'sec-fetch-site': 'same-origin' },
      { origin: 'http://LOCALHOST:4000' },
      { 'sec-fetch-site': 'none' },
      {},
    ];
    for (const headers of callers) {
      const res = await g.app.inject(chat(headers));
      expect(res.statusCode, JSON.stringify(headers)).toBe(200);
    }
    const defaultPort = await g.app.inject(chat({ host: 'localhost', origin: 'http://localhost:80' }));
    expect(defaultPort.statusCode).toBe(200);
  });

  it('serves an origin in general_settings.allowed_origins, even marked cross-site', async () => {
    const g = await gateway(['http://localhost:3000/', 'not an origin']);
    const res = await g.app.inject(chat({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' }));
    expect(res.statusCode).toBe(200);
    expect(res.json().choices[0].message.content).toBe('Echo: spend my credits');
    refusedCrossSite(await g.app.inject(chat({ origin: 'http://localhost:3001' })), 'Origin `http://localhost:3001`');
  });

  it('refuses cross-site calls to the admin API too', async () => {
    const g = await gateway();
    refusedCrossSite(
      await g.app.inject({ method: 'POST', url: '/key/generate', headers: { host: 'localhost:4000', origin: 'https://evil.example' } }),
      'Cross-site request refused',
    );
  });

  it('still serves the dashboard’s files to a cross-site link', async () => {
    const g = await gateway();
    const headers = { host: 'localhost:4000', 'sec-fetch-site': 'cross-site' };
    const page = await g.app.inject({ method: 'GET', url: '/ui/', headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Dashboard</title>');
    expect((await g.app.inject({ method: 'GET', url: '/', headers })).statusCode).toBe(302);
    expect((await g.app.inject({ method: 'GET', url: '/ui', headers })).statusCode).toBe(301);
    // Only reading files: anything else under /ui/ is checked like every route.
    expect((await g.app.inject({ method: 'POST', url: '/ui/', headers })).statusCode).toBe(403);
  });
});
