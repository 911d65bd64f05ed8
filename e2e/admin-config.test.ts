/**
 * The dashboard's config.yaml endpoints over real HTTP, on a gateway run from a real config.yaml (ConfigFile and
 * the hot-reload watcher, as `npm start` runs it) against the shared mock providers, with secrets in the
 * encrypted file store of the test's data folder:
 * - PUT /admin/routing: new fallbacks are used by the very next request (a failing deployment falls back);
 * - POST /admin/config/import with apply: the new model answers at once, and the watcher does not load the
 *   gateway's own write a second time;
 * - POST /admin/master-key/rotate: old key 401, new key 200, and a restart finds the key in the store;
 * - GET /admin/config/export: an attachment with references, never values.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../server/config/config-file.ts';
import { EncryptedFileSecretStore } from '../server/secrets/encrypted-file-store.ts';
import { secretResolvers } from '../server/secrets/secret-resolvers.ts';
import { chat, request } from './support/admin.ts';
import { recordConfigChecks } from './support/config-checks.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const MASTER = 'sk-1234';
const RAW_KEY = 'sk-upstream-Zq8vN3kR7tLw2XyB5mHc';

const running: (GatewayOnMocks & { dir: string })[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    await run.close();
    rmSync(run.dir, { recursive: true, force: true });
  }
});

/** A model_list entry on the mock's OpenAI API; `model_info.id` names the upstream model, so x-litellm-model-id tells who answered. */
const openai = (mockUrl: string, group: string, upstream: string) => `
  - model_name: ${group}   # ${group} on the mock
    litellm_params: { model: openai/${upstream}, api_base: "${mockUrl}/v1", api_key: os.environ/MOCK_KEY }
    model_info: { id: ${upstream} }`;

const config = (mockUrl: string) => `# e2e config — comments survive every edit
model_list:${openai(mockUrl, 'primary', 'primary-error-500')}${openai(mockUrl, 'backup', 'backup-model')}

router_settings:
  num_retries: 0   # one attempt per group

general_settings:
  master_key: ${MASTER}
`;

async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'admin-config-e2e-'));
  const secrets = new EncryptedFileSecretStore({ dir, env: {} });
  const started = await startGatewayOnMocks(config, { MOCK_KEY: 'sk-mock-key-5678' }, { dataDir: dir, configFile: true, secrets, logLevel: 'info' });
  const run = { ...started, dir };
  running.push(run);
  const path = join(dir, 'config.yaml');
  const reloads = () => run.gw.ring.tail().filter((line) => line.includes('config.yaml reloaded')).length;
  // The watcher's checks of config.yaml: "it left the gateway's own write alone" is known once it has looked.
  const configFile = run.gw.gateway.runtime.about.configFile;
  if (!configFile) throw new Error('the gateway runs without config.yaml');
  const checks = recordConfigChecks(configFile);
  return { ...run, path, secrets, url: run.gw.url, reloads, checks };
}

const ask = (url: string, model: string, key = MASTER) => chat(url, key, { model, messages: [{ role: 'user', content: 'hi' }] });

describe('admin config endpoints end to end', () => {
  it('PUT /admin/routing: the next request uses the new fallbacks; config.yaml is edited in place', async () => {
    const { url, path, mock, reloads, checks } = await start();
    const before = await ask(url, 'primary');
    expect(before.status).toBe(502);

    const put = await request(url, 'PUT', '/admin/routing', MASTER, { fallbacks: [{ primary: ['backup'] }] });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toMatchObject({ fallbacks: [{ primary: ['backup'] }], num_retries: 0, model_groups: ['primary', 'backup'] });

    const after = await ask(url, 'primary');
    expect(after.status, after.text).toBe(200);
    expect(after.headers.get('x-litellm-model-id')).toBe('backup-model');
    expect(mock.requests.map((r) => r.model)).toEqual(['primary-error-500', 'primary-error-500', 'backup-model']);

    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# e2e config — comments survive every edit\n');
    expect(text).toContain('router_settings:\n  num_retries: 0   # one attempt per group\n  fallbacks: [ { primary: [ backup ] } ]\n');
    // The watcher sees the write, and leaves it alone: it is already in service.
    expect((await checks.seen(text)).outcome).toBe('unchanged');
    expect(reloads()).toBe(0);
    expect((await request(url, 'GET', '/admin/routing', MASTER)).json).toMatchObject({ fallbacks: [{ primary: ['backup'] }] });
    // (A change made by hand is loaded: the watcher is there.)
    writeFileSync(path, `${text}# edited by hand\n`);
    await expect.poll(reloads, { timeout: 3000 }).toBe(1);
  });

  it('POST /admin/config/import: dry run, then apply; the new model answers at once and its key is kept out of the file', async () => {
    const { url, path, secrets, reloads, mock, checks } = await start();
    const imported = config(mock.url).replace(
      'model_list:',
      `model_list:\n  - model_name: extra   # imported\n    litellm_params: { model: openai/extra-model, api_base: "${mock.url}/v1", api_key: ${RAW_KEY} }`,
    );
    const dry = await request<{ valid: boolean; applied: boolean; diff: string; changes: Record<string, string[]> }>(
      url,
      'POST',
      '/admin/config/import',
      MASTER,
      { yaml: imported },
    );
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json.changes.models_added).toEqual(['extra']);
    expect(dry.text).not.toContain(RAW_KEY);
    expect((await ask(url, 'extra')).status).toBe(404);

    const applied = await request(url, 'POST', '/admin/config/import', MASTER, { yaml: imported, apply: true });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json).toMatchObject({ valid: true, applied: true });
    const answer = await ask(url, 'extra');
    expect(answer.status, answer.text).toBe(200);
    expect(mock.requests.at(-1)).toMatchObject({ model: 'extra-model' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(RAW_KEY);
    expect(text).toContain('  - model_name: extra   # imported\n');
    expect(secrets.list().some((name) => secrets.get(name) === RAW_KEY)).toBe(true);
    // The watcher looks at the gateway's own write, and does not load it a second time.
    expect((await checks.seen(text)).outcome).toBe('unchanged');
    expect(reloads()).toBe(0);
  });

  it('POST /admin/master-key/rotate: the old key stops working, the new one works, and survives a restart', async () => {
    const { url, path, dir } = await start();
    const rotated = await request<{ master_key: string; masked: string }>(url, 'POST', '/admin/master-key/rotate', MASTER);
    expect(rotated.status, rotated.text).toBe(200);
    const key = rotated.json.master_key;
    expect(rotated.json.masked).toBe(`sk-…${key.slice(-4)}`);
    expect((await ask(url, 'backup', MASTER)).status).toBe(401);
    expect((await request(url, 'GET', '/admin/routing', MASTER)).status).toBe(401);
    expect((await ask(url, 'backup', key)).status).toBe(200);
    expect((await request(url, 'GET', '/admin/routing', key)).status).toBe(200);
    expect(readFileSync(path, 'utf8')).toContain('  master_key: keychain/LLM_GATEWAY_MASTER_KEY\n');
    // What the next start reads: the file's reference, resolved through the store on disk.
    const store = new EncryptedFileSecretStore({ dir, env: {} });
    expect(store.get('LLM_GATEWAY_MASTER_KEY')).toBe(key);
    const next = new ConfigFile(path, { env: { MOCK_KEY: 'x' }, resolvers: secretResolvers(store) }).load();
    expect(next.resolved.general_settings.master_key).toBe(key);
  });

  it('GET /admin/config/export: an attachment with references, never values', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/admin/config/export`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/yaml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="config.yaml"');
    const text = await res.text();
    expect(text).toContain('# e2e config — comments survive every edit');
    expect(text).toContain('master_key: keychain/LLM_GATEWAY_MASTER_KEY');
    expect(text).not.toContain(MASTER);
    expect((await fetch(`${url}/admin/config/export`)).status).toBe(401);
  });
});
