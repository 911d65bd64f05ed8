/** GET /admin/overview and GET /admin/settings through createGateway and Fastify inject. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../config/config-file.ts';
import { emptyConfig, type GatewayConfig } from '../../core/config-types.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import { BUNDLED_PRICE_TABLE_PATH } from '../../prices/price-table.ts';
import { MemorySecretStore, secretResolvers } from '../../secrets/index.ts';
import type { GatewaySettings, Overview } from '../../core/admin-api.ts';
import { clientBaseUrl, requestsLastMinute } from './admin-overview.ts';
import { PRICE_TABLE_SOURCE, secretStoreInfo, settingsOf } from './admin-settings.ts';

const MASTER_KEY = 'sk-master-overview-0123456789';
const UPSTREAM_KEY = 'sk-proj-OverviewUpstream0123456789abcdef';
const { logger } = createLogger({ level: 'silent', destination: null });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-admin-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(config: GatewayConfig, options: Partial<GatewayOptions> = {}): Promise<Gateway> {
  const g = await createGateway({ config, logger, env: {}, ...options });
  cleanups.push(() => g.close());
  return g;
}

function threeDeployments(): GatewayConfig {
  const config = emptyConfig();
  config.model_list.push(
    { model_name: 'echo', litellm_params: { model: 'mock/echo' }, model_info: { id: 'echo-id' } },
    {
      model_name: 'down',
      litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:1/v1', api_key: UPSTREAM_KEY, timeout: 2 },
      model_info: { id: 'down-id' },
    },
    { model_name: 'idle', litellm_params: { model: 'mock/idle' }, model_info: { id: 'idle-id' } },
  );
  config.litellm_settings = { num_retries: 0, allowed_fails: 5 };
  config.general_settings.master_key = MASTER_KEY;
  return config;
}

const auth = { authorization: `Bearer ${MASTER_KEY}` };
const chat = (g: Gateway, model: string) =>
  g.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', ...auth },
    payload: { model, messages: [{ role: 'user', content: 'hi' }] },
  });

describe('GET /admin/overview', () => {
  it('takes the master key only', async () => {
    const g = await start(threeDeployments());
    const res = await g.app.inject({ method: 'GET', url: '/admin/overview' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatchObject({ type: 'authentication_error', code: 'missing_api_key' });
    expect((await g.app.inject({ method: 'GET', url: '/admin/overview', headers: { authorization: 'Bearer sk-wrong' } })).statusCode).toBe(401);
  });

  it('counts requests of the last minute and of today, errors, deployment states and models', async () => {
    const g = await start(threeDeployments());
    const empty = (await g.app.inject({ method: 'GET', url: '/admin/overview', headers: auth })).json() as Overview;
    expect(empty).toMatchObject({ requests_per_minute: 0, today: { requests: 0, spend: 0, errors: 0, error_rate: null } });

    expect((await chat(g, 'echo')).statusCode).toBe(200);
    expect((await chat(g, 'echo')).statusCode).toBe(200);
    expect((await chat(g, 'down')).statusCode).toBe(502);

    const res = await g.app.inject({ method: 'GET', url: '/admin/overview', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(MASTER_KEY);
    expect(res.body).not.toContain(UPSTREAM_KEY);
    const body = res.json() as Overview;
    expect(body).toMatchObject({
      status: 'running',
      version: g.runtime.version,
      base_url: 'http://localhost:4000',
      requests_per_minute: 3,
      today: { requests: 3, errors: 1 },
      deployments: { total: 3, healthy: 1, unhealthy: 1, cooling: 0, unknown: 1 },
      models: ['echo', 'down', 'idle'],
    });
    expect(body.today.error_rate).toBeCloseTo(1 / 3);
    expect(body.today.spend).toBeGreaterThanOrEqual(0);
    expect(Date.parse(body.started_at)).toBeLessThanOrEqual(Date.now());
    expect(body.uptime_s).toBeGreaterThanOrEqual(0);
  });

  it('counts a cooling deployment as cooling', async () => {
    const config = threeDeployments();
    config.litellm_settings = { num_retries: 0, allowed_fails: 0, cooldown_time: 60 };
    const g = await start(config);
    await chat(g, 'down');
    const body = (await g.app.inject({ method: 'GET', url: '/admin/overview', headers: auth })).json() as Overview;
    expect(body.deployments).toEqual({ total: 3, healthy: 0, unhealthy: 0, cooling: 1, unknown: 2 });
  });

  it('requests_per_minute counts rows that ended in the last minute', async () => {
    const g = await start(threeDeployments());
    await chat(g, 'echo');
    g.runtime.services.journal.flush();
    const now = Date.now();
    expect(requestsLastMinute(g.runtime.services.db, now)).toBe(1);
    expect(requestsLastMinute(g.runtime.services.db, now + 61_000)).toBe(0);
  });

  it('shows the port bound once listening', async () => {
    const g = await start(threeDeployments(), { port: 0 });
    const url = await g.listen();
    const body = (await g.app.inject({ method: 'GET', url: '/admin/overview', headers: auth })).json() as Overview;
    expect(body.base_url).toBe(url.replace('127.0.0.1', 'localhost'));
    expect(body.base_url).not.toMatch(/:0$/);
  });
});

describe('clientBaseUrl', () => {
  it('is localhost for loopback and every-interface binds, else the bound name', () => {
    expect(clientBaseUrl({ host: '127.0.0.1', port: 4000 })).toBe('http://localhost:4000');
    expect(clientBaseUrl({ host: '::1', port: 4000 })).toBe('http://localhost:4000');
    expect(clientBaseUrl({ host: '0.0.0.0', port: 8080 })).toBe('http://localhost:8080');
    expect(clientBaseUrl({ host: '::', port: 8080 })).toBe('http://localhost:8080');
    expect(clientBaseUrl({ host: '192.168.1.5', port: 4000 })).toBe('http://192.168.1.5:4000');
    expect(clientBaseUrl({ host: 'fd00::5', port: 4000 })).toBe('http://[fd00::5]:4000');
    expect(clientBaseUrl({ host: 'gateway.internal', port: 4000 })).toBe('http://gateway.internal:4000');
  });
});

describe('GET /admin/settings', () => {
  const settings = async (g: Gateway) => {
    const res = await g.app.inject({ method: 'GET', url: '/admin/settings', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(MASTER_KEY);
    return res.json() as GatewaySettings;
  };

  it('takes the master key only', async () => {
    const g = await start(threeDeployments());
    expect((await g.app.inject({ method: 'GET', url: '/admin/settings' })).statusCode).toBe(401);
  });

  it('without a config file: host, port, no paths, a literal master key masked, the in-memory store, the price table', async () => {
    const g = await start(threeDeployments());
    const body = await settings(g);
    expect(body).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      base_url: 'http://localhost:4000',
      version: g.runtime.version,
      data_dir: null,
      config_path: null,
      master_key: { set: true, source: 'config', masked: 'sk-…6789', rotatable: false },
      secret_store: { kind: 'memory', weaker_protection: false },
      price_table: { path: BUNDLED_PRICE_TABLE_PATH, source: PRICE_TABLE_SOURCE },
    });
    expect(body.secret_store.description).toMatch(/memory/i);
    expect(body.price_table.models).toBeGreaterThan(100);
    expect(Date.parse(body.price_table.modified_at!)).toBeGreaterThan(0);
  });

  it('with config.yaml: its path, the data folder, the master key from the keychain and rotatable', async () => {
    const dir = tempDir();
    const path = join(dir, 'config.yaml');
    writeFileSync(path, 'model_list:\n  - model_name: echo\n    litellm_params: { model: mock/echo }\ngeneral_settings:\n  master_key: keychain/MASTER\n');
    const secrets = new MemorySecretStore();
    secrets.set('MASTER', MASTER_KEY);
    const configFile = new ConfigFile(path, { env: {}, resolvers: secretResolvers(secrets), secrets });
    const loaded = configFile.load();
    const g = await start(loaded.resolved, { configFile, secrets, dataDir: dir });
    const body = await settings(g);
    expect(body).toMatchObject({
      data_dir: dir,
      config_path: path,
      master_key: { set: true, source: 'keychain', masked: 'sk-…6789', rotatable: true },
    });
  });

  it.each([
    ['os.environ/GATEWAY_MASTER', { GATEWAY_MASTER: MASTER_KEY }, 'env'],
    [MASTER_KEY, {}, 'config'],
    [undefined, { LITELLM_MASTER_KEY: MASTER_KEY }, 'env'],
  ] as const)('master_key %s → source %s', async (written, env, source) => {
    const dir = tempDir();
    const path = join(dir, 'config.yaml');
    const general = written === undefined ? '' : `general_settings:\n  master_key: ${written}\n`;
    writeFileSync(path, `model_list:\n  - model_name: echo\n    litellm_params: { model: mock/echo }\n${general}`);
    const configFile = new ConfigFile(path, { env });
    const loaded = configFile.load();
    const g = await start(loaded.resolved, { configFile, env: loaded.env });
    const body = await settings(g);
    expect(body.master_key).toEqual({ set: true, source, masked: 'sk-…6789', rotatable: false });
  });

  it('without any master key: not set, source none (and no admin API at all)', async () => {
    const config = emptyConfig();
    config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
    const g = await start(config);
    const res = await g.app.inject({ method: 'GET', url: '/admin/settings' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('master_key_not_set');
    expect((await settingsOf(g.runtime)).master_key).toEqual({ set: false, source: 'none', masked: null, rotatable: false });
  });

  it('describes the encrypted-file store as weaker, never showing the key', () => {
    const store = { backend: 'encrypted-file', weakerProtection: true } as const;
    const info = secretStoreInfo(store as unknown as import('../../secrets/index.ts').SecretStore);
    expect(info).toMatchObject({ kind: 'file', weaker_protection: true });
    expect(info.description).toMatch(/secrets\.key/);
  });
});
