/** The dashboard at /ui/, served from a temporary build folder, through createGateway and Fastify inject. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../core/config-types.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import { ASSET_CACHE_CONTROL, DEFAULT_UI_DIR, UI_SECURITY_HEADERS } from './dashboard-ui.ts';

const MASTER_KEY = 'sk-master-ui-0123456789';
const INDEX_HTML = '<!doctype html><html><head><script type="module" src="/ui/assets/app-abc.js"></script></head><body><div id="root"></div></body></html>\n';
const APP_JS = 'console.log("dashboard");\n';
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const { logger } = createLogger({ level: 'silent', destination: null });

let built: string;
let empty: string;
const gateways: Gateway[] = [];

beforeAll(() => {
  built = mkdtempSync(join(tmpdir(), 'llm-gateway-ui-'));
  mkdirSync(join(built, 'assets'));
  writeFileSync(join(built, 'index.html'), INDEX_HTML);
  writeFileSync(join(built, 'assets', 'app-abc.js'), APP_JS);
  writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(built, '.env'), 'SECRET=1');
  empty = mkdtempSync(join(tmpdir(), 'llm-gateway-ui-empty-'));
});
afterAll(() => {
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function gateway(uiDir: string): Promise<Gateway> {
  const config = emptyConfig();
  config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
  config.general_settings.master_key = MASTER_KEY;
  const g = await createGateway({ config, logger, env: {}, uiDir });
  gateways.push(g);
  return g;
}

const get = (g: Gateway, url: string, headers: Record<string, string> = {}) => g.app.inject({ method: 'GET', url, headers });

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(CSP);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('/ui/', () => {
  it('serves index.html without a key, never cached without revalidation, with the security headers', async () => {
    const g = await gateway(built);
    for (const url of ['/ui/', '/ui/index.html']) {
      const res = await get(g, url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(INDEX_HTML);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(res.headers);
    }
    expect(UI_SECURITY_HEADERS['content-security-policy']).toBe(CSP);
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    const g = await gateway(built);
    for (const url of ['/ui/models', '/ui/keys/abc-123', '/ui/logs?level=debug', '/ui/assets']) {
      const res = await get(g, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX_HTML);
      expect(res.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(res.headers);
    }
  });

  it('serves hashed assets as immutable, other files revalidated', async () => {
    const g = await gateway(built);
    const js = await get(g, '/ui/assets/app-abc.js');
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe(APP_JS);
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(js.headers['cache-control']).toBe(ASSET_CACHE_CONTROL);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expectSecurityHeaders(js.headers);
    const icon = await get(g, '/ui/favicon.svg');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    // Conditional requests work (ETag from @fastify/send).
    const again = await get(g, '/ui/assets/app-abc.js', { 'if-none-match': String(js.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('answers a missing asset with 404 (not the app, not cached)', async () => {
    const g = await gateway(built);
    for (const url of ['/ui/assets/nope.js', '/ui/nope.css', '/ui/.env']) {
      const res = await get(g, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('<div id="root">');
      expect(res.headers['cache-control']).toBeUndefined();
      expectSecurityHeaders(res.headers);
    }
  });

  it('never leaves the build folder', async () => {
    const g = await gateway(join(built, 'assets'));
    for (const url of ['/ui/../index.html', '/ui/%2e%2e/index.html', '/ui/..%2findex.html', '/ui/assets/..%2f..%2fetc%2fpasswd.js']) {
      const res = await get(g, url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('<div id="root">');
    }
  });

  it('redirects /ui to /ui/ (301) and / to /ui/ (302)', async () => {
    const g = await gateway(built);
    const ui = await get(g, '/ui');
    expect(ui.statusCode).toBe(301);
    expect(ui.headers.location).toBe('/ui/');
    expectSecurityHeaders(ui.headers);
    expect((await get(g, '/ui?x=1')).headers.location).toBe('/ui/?x=1');
    const root = await get(g, '/');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/ui/');
  });

  it('answers 503 with a page saying how to build it when there is no build', async () => {
    const g = await gateway(empty);
    for (const url of ['/ui/', '/ui/models']) {
      const res = await get(g, url);
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('npm run build:ui');
      expect(res.body).not.toContain(empty);
      expectSecurityHeaders(res.headers);
    }
    expect((await get(g, '/ui/assets/app-abc.js')).statusCode).toBe(404);
    // A folder that does not exist at all is the same.
    const missing = await gateway(join(empty, 'not-there'));
    expect((await get(missing, '/ui/')).statusCode).toBe(503);
  });

  it('keeps the Host check', async () => {
    const g = await gateway(built);
    const res = await get(g, '/ui/', { host: 'evil.example:4000' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('host_not_allowed');
  });

  it('leaves the API routes and their 404/405 answers alone', async () => {
    const g = await gateway(built);
    const unknown = await g.app.inject({ method: 'POST', url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { message: 'Unknown path: POST /v1/nothing-here.', type: 'not_found_error', param: null, code: 'unknown_url' } });
    expect((await get(g, '/nothing-here')).statusCode).toBe(404);
    expect((await get(g, '/v1/chat/completions')).statusCode).toBe(405);
    const models = await get(g, '/v1/models', { authorization: `Bearer ${MASTER_KEY}` });
    expect(models.statusCode).toBe(200);
    expect(models.headers['content-security-policy']).toBeUndefined();
  });

  it('defaults to renderer/dist of this repository', () => {
    expect(DEFAULT_UI_DIR.replace(/\\/g, '/')).toMatch(/\/renderer\/dist$/);
  });
});
