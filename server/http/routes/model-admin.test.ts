import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../config/config-file.ts';
import { parseConfig } from '../../config/load.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import { MemorySecretStore } from '../../secrets/memory-store.ts';
import { secretResolvers } from '../../secrets/secret-resolvers.ts';

const MASTER = 'sk-master-0123456789';
const RAW_KEY = 'sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdFgT4pQs6uA1eVoKi0';
const auth = { authorization: `Bearer ${MASTER}` };

const CONFIG = `# team gateway
model_list:
  - model_name: echo          # smoke tests
    litellm_params:
      model: mock/echo
    model_info: { id: echo-1 }
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
general_settings:
  master_key: ${MASTER}
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function gatewayOnFile(text = CONFIG) {
  const dir = mkdtempSync(join(tmpdir(), 'model-admin-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  const secrets = new MemorySecretStore();
  const env = { OPENAI_API_KEY: 'sk-env-openai-value-5678' };
  const configFile = new ConfigFile(path, { env, resolvers: secretResolvers(secrets), secrets });
  const loaded = configFile.load();
  const { logger } = createLogger({ level: 'silent', destination: null });
  const gateway = await createGateway({ config: loaded.resolved, env: loaded.env, port: 0, logger, secrets, configFile });
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => gateway.close(),
  );
  return { gateway, path, secrets, configFile };
}

const post = (gateway: Gateway, url: string, body: unknown, headers: Record<string, string> = auth) =>
  gateway.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (gateway: Gateway, url: string) => gateway.app.inject({ method: 'GET', url, headers: auth });
const chat = (gateway: Gateway, model: string) => post(gateway, '/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] });

interface InfoRow {
  model_name: string;
  litellm_params: Record<string, unknown>;
  model_info: Record<string, unknown> & { id: string };
}

describe('model admin routes', () => {
  it('need the master key', async () => {
    const { gateway } = await gatewayOnFile();
    for (const [method, url] of [
      ['GET', '/model/info'],
      ['GET', '/v1/model/info'],
      ['POST', '/model/new'],
      ['POST', '/model/update'],
      ['POST', '/model/delete'],
    ] as const) {
      const res = await gateway.app.inject({ method, url, headers: { authorization: 'Bearer wrong' }, payload: method === 'POST' ? '{not json' : undefined });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.type).toBe('authentication_error');
    }
  });

  it('GET /model/info lists each deployment with its id and references as written, never a value', async () => {
    const { gateway } = await gatewayOnFile();
    for (const url of ['/model/info', '/v1/model/info']) {
      const res = await get(gateway, url);
      expect(res.statusCode).toBe(200);
      const data = res.json().data as InfoRow[];
      expect(data.map((row) => row.model_name)).toEqual(['echo', 'gpt-4o']);
      expect(data[0]).toEqual({
        model_name: 'echo',
        litellm_params: { model: 'mock/echo' },
        model_info: { id: 'echo-1', db_model: false, cost_source: 'deployment', price_table_entry: null },
      });
      expect(data[1]?.litellm_params).toEqual({ model: 'openai/gpt-4o', api_key: 'os.environ/OPENAI_API_KEY' });
      expect(data[1]?.model_info.id).toMatch(/^[0-9a-f]{64}$/);
      expect(res.body).not.toContain('sk-env-openai');
    }
    const one = await get(gateway, '/model/info?litellm_model_id=echo-1');
    expect((one.json().data as InfoRow[]).map((row) => row.model_info.id)).toEqual(['echo-1']);
    const none = await get(gateway, '/model/info?litellm_model_id=nope');
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('model_not_found');
  });

  it('POST /model/new serves the model at once and writes it to config.yaml, comments kept', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await post(gateway, '/model/new', {
      model_name: 'fast',
      litellm_params: { model: 'mock/fast', mock_response: 'quick', api_key: 'os.environ/FAST_KEY' },
      model_info: { team: 'a' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json() as { model_id: string; model_name: string; litellm_params: Record<string, unknown>; model_info: Record<string, unknown> };
    expect(created).toEqual({
      model_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      model_name: 'fast',
      litellm_params: { model: 'mock/fast', mock_response: 'quick', api_key: 'os.environ/FAST_KEY' },
      model_info: { team: 'a', id: created.model_id, db_model: false },
    });
    const answer = await chat(gateway, 'fast');
    expect(answer.statusCode).toBe(200);
    expect(answer.json().choices[0].message.content).toBe('quick');
    expect(answer.headers['x-litellm-model-id']).toBe(created.model_id);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('# team gateway');
    expect(text).toContain('  - model_name: echo          # smoke tests');
    expect(text).toContain(`      api_key: os.environ/FAST_KEY\n    model_info:\n      team: a\n      id: ${created.model_id}\n`);
    const info = (await get(gateway, `/model/info?litellm_model_id=${created.model_id}`)).json().data as InfoRow[];
    expect(info[0]?.model_info).toEqual({ team: 'a', id: created.model_id, db_model: false, cost_source: 'deployment', price_table_entry: null });
  });

  it('POST /model/new with a literal api_key keeps the key in the secret store, a reference in the file and none in the answer', async () => {
    const { gateway, path, secrets } = await gatewayOnFile();
    const res = await post(gateway, '/model/new', { model_name: 'openai-2', litellm_params: { model: 'openai/gpt-4o-mini', api_key: RAW_KEY } });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().model_id as string;
    expect(res.json().litellm_params.api_key).toBe('keychain/openai-gpt-4o-mini-key');
    expect(res.body).not.toContain(RAW_KEY.slice(8, 24));
    expect(readFileSync(path, 'utf8')).not.toContain(RAW_KEY.slice(8, 24));
    expect(secrets.get('openai-gpt-4o-mini-key')).toBe(RAW_KEY);
    const info = await get(gateway, '/model/info');
    expect(info.body).not.toContain(RAW_KEY.slice(8, 24));
    // The running deployment has the value.
    expect(gateway.runtime.state.router.deployments.find((d) => d.id === id)?.apiKey).toBe(RAW_KEY);
  });

  it('refuses an invalid model with a 400 naming the problem, leaving config.yaml and the router as they were', async () => {
    const { gateway, path } = await gatewayOnFile();
    const before = readFileSync(path, 'utf8');
    const bad = await post(gateway, '/model/new', { model_name: 'x', litellm_params: { model: 'mock/echo', rpm: 'many' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/model_list\[2\]\.litellm_params\.rpm/);
    const unknown = await post(gateway, '/model/new', { model_name: 'x', litellm_params: { model: 'nosuch/model' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/provider `nosuch` is not supported/);
    const missing = await post(gateway, '/model/new', { model_name: 'x', litellm_params: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.param).toBe('litellm_params.model');
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo', 'gpt-4o']);
  });

  it('POST /model/update changes the entry in place; PATCH /model/{id}/update too; nulls mean "not given"', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await post(gateway, '/model/update', {
      model_info: { id: 'echo-1' },
      model_name: null,
      litellm_params: { mock_response: 'updated', api_key: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ model_id: 'echo-1', model_name: 'echo', litellm_params: { model: 'mock/echo', mock_response: 'updated' } });
    expect((await chat(gateway, 'echo')).json().choices[0].message.content).toBe('updated');
    const patched = await gateway.app.inject({
      method: 'PATCH',
      url: '/model/echo-1/update',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: { model_name: 'echo-renamed' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo-renamed', 'gpt-4o']);
    expect(readFileSync(path, 'utf8')).toMatch(/- model_name: echo-renamed +# smoke tests/);
    const missing = await post(gateway, '/model/update', { model_info: { id: 'nope' }, model_name: 'x' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('model_not_found');
  });

  it('POST /model/delete removes the entry from the router and the file', async () => {
    const { gateway, path, configFile } = await gatewayOnFile();
    const gptId = configFile.current?.raw.model_list[1]?.model_info?.id as string;
    const res = await post(gateway, '/model/delete', { id: gptId });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: `Model: ${gptId} deleted successfully` });
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo']);
    expect(readFileSync(path, 'utf8')).not.toContain('gpt-4o');
    expect((await post(gateway, '/model/delete', { id: gptId })).statusCode).toBe(404);
  });

  it('serializes concurrent edits: every one lands in the file', async () => {
    const { gateway, configFile } = await gatewayOnFile();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post(gateway, '/model/new', { model_name: `m${i}`, litellm_params: { model: 'mock/echo' } })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(200));
    const onDisk = parseConfig(readFileSync(configFile.path, 'utf8'), 'config.yaml');
    expect(onDisk.raw.model_list).toHaveLength(14);
    expect(gateway.runtime.state.router.modelNames()).toHaveLength(14);
  });

  it('never quotes a malformed body back (it may hold a key)', async () => {
    const { gateway } = await gatewayOnFile();
    const res = await post(gateway, '/model/new', `{"model_name": "x", "litellm_params": {"api_key": "${RAW_KEY}"`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
    expect(res.body).not.toContain(RAW_KEY.slice(8, 24));
  });
});

describe('model admin routes without a config file (--model)', () => {
  it('/model/info shows the running deployments, masked; edits answer 409', async () => {
    const loaded = parseConfig(
      `model_list:\n  - model_name: gpt\n    litellm_params: { model: openai/gpt-4o, api_key: ${RAW_KEY} }\ngeneral_settings: { master_key: ${MASTER} }\n`,
      '--model',
    );
    const { logger } = createLogger({ level: 'silent', destination: null });
    const gateway = await createGateway({ config: loaded.resolved, env: {}, port: 0, logger });
    cleanups.push(() => gateway.close());
    const info = await get(gateway, '/model/info');
    expect(info.statusCode).toBe(200);
    expect((info.json().data as InfoRow[])[0]?.litellm_params.api_key).toBe('sk-…oKi0');
    expect(info.body).not.toContain(RAW_KEY.slice(8, 24));
    for (const [url, body] of [
      ['/model/new', { model_name: 'x', litellm_params: { model: 'mock/echo' } }],
      ['/model/update', { model_info: { id: 'x' } }],
      ['/model/delete', { id: 'x' }],
    ] as const) {
      const res = await post(gateway, url, body);
      expect(res.statusCode, url).toBe(409);
      expect(res.json().error.code).toBe('no_config_file');
      expect(res.json().error.message).toMatch(/--config FILE/);
    }
  });
});
