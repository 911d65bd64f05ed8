import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigFile } from '../../config/config-file.ts';
import { parseConfig } from '../../config/load.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import { EncryptedFileSecretStore } from '../../secrets/encrypted-file-store.ts';
import { MemorySecretStore } from '../../secrets/memory-store.ts';
import { secretResolvers } from '../../secrets/secret-resolvers.ts';
import type { SecretStore } from '../../secrets/secret-store.ts';

const MASTER = 'sk-master-0123456789';
const RAW_KEY = 'sk-proj-Zq8vN3kR7tLw2XyB5mHc9JdFgT4pQs6uA1eVoKi0';
const REDIS_PASSWORD = 'redis-pass-Hq2Wm9Lx4';
const auth = { authorization: `Bearer ${MASTER}` };

const CONFIG = `# team gateway — kept by every edit
model_list:
  - model_name: echo          # smoke tests
    litellm_params:
      model: mock/echo
    model_info: { id: echo-1 }
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
  - model_name: claude
    litellm_params: { model: mock/claude, mock_response: "from claude" }

litellm_settings:
  drop_params: true        # keep this comment
  num_retries: 1           # retries live here in this file
  # request_timeout: 600   (commented out)

general_settings:
  master_key: ${MASTER}   # the admin key
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Options {
  secrets?: SecretStore;
  /** false: the gateway gets no SecretStore (its config cannot refer to one). */
  wireSecrets?: boolean;
}

async function gatewayOnFile(text = CONFIG, options: Options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'admin-config-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  const secrets = options.secrets ?? new MemorySecretStore();
  const wired = options.wireSecrets !== false;
  const env = { OPENAI_API_KEY: 'sk-env-openai-value-5678' };
  const configFile = new ConfigFile(path, { env, ...(wired ? { resolvers: secretResolvers(secrets), secrets } : {}) });
  const loaded = configFile.load();
  const { logger } = createLogger({ level: 'silent', destination: null });
  const gateway = await createGateway({ config: loaded.resolved, env: loaded.env, port: 0, logger, configFile, ...(wired ? { secrets } : {}) });
  cleanups.push(() => gateway.close());
  return { gateway, path, secrets, configFile, dir };
}

const send = (gateway: Gateway, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, headers: Record<string, string> = auth) =>
  gateway.app.inject({
    method,
    url,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
const chat = (gateway: Gateway, model: string, key = MASTER) =>
  gateway.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: { model, messages: [{ role: 'user', content: 'hi' }] },
  });

describe('admin config routes', () => {
  it('all need the master key, checked before the body is read', async () => {
    const { gateway } = await gatewayOnFile();
    for (const [method, url] of [
      ['GET', '/admin/config/export'],
      ['POST', '/admin/config/import'],
      ['GET', '/admin/routing'],
      ['PUT', '/admin/routing'],
      ['POST', '/admin/master-key/rotate'],
    ] as const) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
        const res = await send(gateway, method, url, method === 'GET' ? undefined : '{not json', headers);
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json().error.type).toBe('authentication_error');
      }
    }
  });
});

describe('GET /admin/config/export', () => {
  const WITH_SECRETS = `# exported with care
model_list:
  - model_name: echo   # first
    litellm_params: { model: mock/echo }
    model_info: { id: echo-1 }
  - model_name: openai-direct
    litellm_params:
      model: openai/gpt-4o
      api_key: ${RAW_KEY}      # pasted by hand
      headers: { Authorization: "Bearer ${RAW_KEY}x", X-Team: research }
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
litellm_settings:
  cache: true
  cache_params: { type: redis, host: localhost, password: ${REDIS_PASSWORD} }
general_settings:
  master_key: ${MASTER}   # the admin key
environment_variables:
  OPENAI_API_KEY: sk-env-in-file-ABCDEFGH12345
`;

  it('is the running file as a YAML attachment, comments kept, secrets as keychain references, never values', async () => {
    const { gateway, path, secrets } = await gatewayOnFile(WITH_SECRETS);
    const res = await send(gateway, 'GET', '/admin/config/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="config.yaml"');
    const text = res.body;
    for (const secret of [RAW_KEY, REDIS_PASSWORD, MASTER, 'sk-env-in-file-ABCDEFGH12345', RAW_KEY.slice(10, 30)]) expect(text).not.toContain(secret);
    expect(text).toContain('# exported with care');
    expect(text).toContain('  - model_name: echo   # first');
    expect(text).toContain('      api_key: os.environ/OPENAI_API_KEY');
    expect(text).toContain('  master_key: keychain/LLM_GATEWAY_MASTER_KEY   # the admin key');
    const tree = parse(text, { version: '1.1' }) as {
      model_list: { litellm_params: Record<string, unknown>; model_info: { id: string } }[];
      litellm_settings: { cache_params: Record<string, string> };
      environment_variables: Record<string, string>;
    };
    const direct = tree.model_list[1]!;
    expect(direct.model_info.id).toEqual(expect.any(String));
    expect(direct.litellm_params.api_key).toBe('keychain/openai-gpt-4o-key');
    expect(direct.litellm_params.headers).toEqual({ Authorization: 'keychain/openai-gpt-4o-authorization-header', 'X-Team': 'research' });
    expect(tree.litellm_settings.cache_params.password).toBe('keychain/config-litellm_settings-cache_params-password');
    expect(tree.environment_variables.OPENAI_API_KEY).toBe('keychain/config-environment_variables-OPENAI_API_KEY');
    // The values went to the secret store, so the export works as it is on this machine.
    expect(secrets.get('openai-gpt-4o-key')).toBe(RAW_KEY);
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe(MASTER);
    expect(secrets.get('config-litellm_settings-cache_params-password')).toBe(REDIS_PASSWORD);
    const reloaded = parseConfig(text, 'export.yaml', { env: {}, resolvers: secretResolvers(secrets) });
    expect(reloaded.resolved.general_settings.master_key).toBe(MASTER);
    expect(reloaded.resolved.model_list[1]?.litellm_params.api_key).toBe(RAW_KEY);
    // The running file is not changed by an export.
    expect(readFileSync(path, 'utf8')).toBe(WITH_SECRETS);
    // Exporting again uses the same names.
    expect((await send(gateway, 'GET', '/admin/config/export')).body).toBe(text);
  });

  it('never takes over a secret name that holds another value', async () => {
    const secrets = new MemorySecretStore({ LLM_GATEWAY_MASTER_KEY: 'sk-another-gateways-key-1' });
    const { gateway } = await gatewayOnFile(CONFIG, { secrets });
    const text = (await send(gateway, 'GET', '/admin/config/export')).body;
    expect(text).toContain('master_key: keychain/LLM_GATEWAY_MASTER_KEY-2');
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe('sk-another-gateways-key-1');
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY-2')).toBe(MASTER);
  });

  it('writes os.environ placeholders when the gateway has no secret store its config can read', async () => {
    const { gateway } = await gatewayOnFile(CONFIG, { wireSecrets: false });
    const text = (await send(gateway, 'GET', '/admin/config/export')).body;
    expect(text).not.toContain(MASTER);
    expect(text).toMatch(/master_key: os\.environ\/LITELLM_MASTER_KEY {3}# the admin key\n/);
  });

  it('a file without secret values is exported byte for byte', async () => {
    const plain = CONFIG.replace(`master_key: ${MASTER}`, 'master_key: os.environ/LITELLM_MASTER_KEY');
    const { gateway } = await gatewayOnFile(plain);
    gateway.runtime.state.masterKey = MASTER;
    expect((await send(gateway, 'GET', '/admin/config/export')).body).toBe(plain);
  });
});

describe('POST /admin/config/import', () => {
  const IMPORTED = CONFIG.replace('  - model_name: claude\n    litellm_params: { model: mock/claude, mock_response: "from claude" }\n', '')
    .replace('  drop_params: true        # keep this comment\n', '  drop_params: false       # changed\n')
    .replace(
      'litellm_settings:',
      `  - model_name: fresh   # new in the import
    litellm_params:
      model: mock/fresh
      mock_response: "fresh answer"
      api_key: ${RAW_KEY}

litellm_settings:`,
    )
    .replace('model: mock/echo\n', 'model: mock/echo\n      mock_response: "changed"\n');

  it('dry run: a unified diff (secret values masked) and the list of changes; nothing is written', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await send(gateway, 'POST', '/admin/config/import', { yaml: IMPORTED });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ valid: true, applied: false });
    expect(body.issues).toBeUndefined();
    expect(body.changes).toEqual({
      models_added: ['fresh'],
      models_removed: ['claude'],
      models_changed: ['echo'],
      settings_changed: ['litellm_settings.drop_params'],
    });
    expect(body.diff).toContain('--- config.yaml (running)');
    expect(body.diff).toContain('+++ config.yaml (imported)');
    expect(body.diff).toContain('+  - model_name: fresh   # new in the import');
    expect(body.diff).toContain('-  - model_name: claude');
    expect(body.diff).toContain('+      api_key: "sk-…oKi0"');
    expect(body.diff).not.toContain(RAW_KEY);
    expect(body.diff).not.toContain(MASTER);
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo', 'gpt-4o', 'claude']);
  });

  it('apply: the file is replaced (comments kept, the secret value moved to the store) and served at once', async () => {
    const { gateway, path, secrets, configFile } = await gatewayOnFile();
    const res = await send(gateway, 'POST', '/admin/config/import', { yaml: IMPORTED, apply: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ valid: true, applied: true, changes: { models_added: ['fresh'] } });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(RAW_KEY);
    expect(text).toContain('  - model_name: fresh   # new in the import');
    expect(text).toContain('  drop_params: false       # changed');
    expect(text).toContain('# team gateway — kept by every edit');
    const fresh = (
      parse(text, { version: '1.1' }) as { model_list: { model_name: string; litellm_params: Record<string, string>; model_info?: { id: string } }[] }
    ).model_list.find((m) => m.model_name === 'fresh')!;
    expect(fresh.litellm_params.api_key).toBe('keychain/mock-fresh-key');
    expect(fresh.model_info?.id).toEqual(expect.any(String));
    expect(secrets.get('mock-fresh-key')).toBe(RAW_KEY);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    // In service at once, and the watcher will not load the gateway's own write again.
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo', 'gpt-4o', 'fresh']);
    expect((await chat(gateway, 'fresh')).json().choices[0].message.content).toBe('fresh answer');
    expect((await chat(gateway, 'echo')).json().choices[0].message.content).toBe('changed');
    expect((await chat(gateway, 'claude')).statusCode).toBe(404);
    expect(configFile.reloadIfChanged(() => expect.unreachable('reloaded twice'))).toBeUndefined();
  });

  it('takes the YAML itself as text/yaml, with ?apply=true', async () => {
    const { gateway, path } = await gatewayOnFile();
    const yaml = CONFIG.replace('# team gateway', '# renamed gateway');
    const dry = await gateway.app.inject({ method: 'POST', url: '/admin/config/import', headers: { ...auth, 'content-type': 'text/yaml' }, payload: yaml });
    expect(dry.json()).toMatchObject({
      valid: true,
      applied: false,
      changes: { models_added: [], models_removed: [], models_changed: [], settings_changed: [] },
    });
    const applied = await gateway.app.inject({
      method: 'POST',
      url: '/admin/config/import?apply=true',
      headers: { ...auth, 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(applied.json()).toMatchObject({ valid: true, applied: true });
    // The master key written as a value went to the secret store on the way.
    expect(readFileSync(path, 'utf8')).toBe(yaml.replace(`master_key: ${MASTER}`, 'master_key: keychain/LLM_GATEWAY_MASTER_KEY'));
  });

  it('invalid YAML: 400 naming the first problem with its line, the issues listed, the file untouched', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await send(gateway, 'POST', '/admin/config/import', { yaml: 'model_list:\n  - model_name: a\n   litellm_params: [\n', apply: true });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'yaml', code: 'invalid_config' });
    expect(body.error.message).toMatch(/^The imported config.yaml is not valid, so nothing was changed: \(line \d+\): YAML syntax error/);
    expect(body.error.issues.length).toBeGreaterThan(0);
    expect(body.error.issues[0]).toMatchObject({ path: '', line: expect.any(Number), message: expect.stringContaining('YAML syntax error') });
    expect(body).toMatchObject({ valid: false, applied: false, issues: body.error.issues });
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
  });

  it('an invalid or unrunnable config: 400 with each path (and line), secret values never quoted', async () => {
    const { gateway, path } = await gatewayOnFile();
    const invalid = await send(gateway, 'POST', '/admin/config/import', {
      yaml: `model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n      rpm: many\n      api_key: ${RAW_KEY}\ngeneral_settings:\n  master_key: ${MASTER}\n`,
      apply: true,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.issues).toEqual([{ path: 'model_list[0].litellm_params.rpm', line: 5, message: expect.stringContaining('number') }]);
    expect(invalid.json().error.message).toContain('model_list[0].litellm_params.rpm (line 5)');
    expect(invalid.body).not.toContain(RAW_KEY);
    const unknown = await send(gateway, 'POST', '/admin/config/import', {
      yaml: `model_list:\n  - model_name: a\n    litellm_params:\n      model: nosuch/model\ngeneral_settings:\n  master_key: ${MASTER}\n`,
      apply: true,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues).toEqual([
      { path: 'model_list[0].litellm_params.model', line: 4, message: expect.stringContaining('provider `nosuch` is not supported') },
    ]);
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
    expect(gateway.runtime.state.router.modelNames()).toEqual(['echo', 'gpt-4o', 'claude']);
  });

  it('refuses a config that would leave the gateway without its master key', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await send(gateway, 'POST', '/admin/config/import', {
      yaml: CONFIG.replace(`master_key: ${MASTER}`, 'master_key: os.environ/NOT_SET_ANYWHERE'),
      apply: true,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ path: 'general_settings.master_key', message: expect.stringContaining('os.environ/NOT_SET_ANYWHERE') });
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
  });

  it('empty and huge bodies get clear 400 and 413 answers', async () => {
    const { gateway } = await gatewayOnFile();
    const none = await gateway.app.inject({ method: 'POST', url: '/admin/config/import', headers: auth });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/body is empty.*"yaml"/);
    const blank = await send(gateway, 'POST', '/admin/config/import', { yaml: '  \n' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.code).toBe('empty_config');
    const noYaml = await send(gateway, 'POST', '/admin/config/import', { apply: true });
    expect(noYaml.statusCode).toBe(400);
    expect(noYaml.json().error.param).toBe('yaml');
    const huge = await send(gateway, 'POST', '/admin/config/import', { yaml: `# ${'x'.repeat(3 * 1024 * 1024)}\nmodel_list: []\n` });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toMatch(/larger than 2 MB/);
  });

  it('answers 409 without a config file (--model)', async () => {
    const { logger } = createLogger({ level: 'silent', destination: null });
    const loaded = parseConfig(
      'model_list: [{model_name: m, litellm_params: {model: mock/echo}}]\ngeneral_settings: {master_key: sk-m-123456789}\n',
      '--model',
      { env: {} },
    );
    const gateway = await createGateway({ config: loaded.resolved, env: {}, port: 0, logger, catchAllModel: 'm' });
    cleanups.push(() => gateway.close());
    const headers = { authorization: 'Bearer sk-m-123456789' };
    const imported = await send(gateway, 'POST', '/admin/config/import', { yaml: CONFIG }, headers);
    expect(imported.statusCode).toBe(409);
    expect(imported.json().error.code).toBe('no_config_file');
    expect((await send(gateway, 'PUT', '/admin/routing', { num_retries: 1 }, headers)).statusCode).toBe(409);
    expect((await send(gateway, 'POST', '/admin/master-key/rotate', undefined, headers)).statusCode).toBe(409);
    // Export and the routing view still work: the config is written out, its master key as a reference.
    const exported = await send(gateway, 'GET', '/admin/config/export', undefined, headers);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain('model: mock/echo');
    expect(exported.body).not.toContain('sk-m-123456789');
    expect((await send(gateway, 'GET', '/admin/routing', undefined, headers)).json().model_groups).toEqual(['m']);
  });
});

describe('GET and PUT /admin/routing', () => {
  it('GET: the settings in force, LiteLLM defaults for what is not set, and the model groups', async () => {
    const { gateway } = await gatewayOnFile(CONFIG.replace('  num_retries: 1           # retries live here in this file\n', ''));
    const res = await send(gateway, 'GET', '/admin/routing');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      routing_strategy: 'simple-shuffle',
      num_retries: 0,
      retry_after: 0,
      allowed_fails: 3,
      cooldown_time: 5,
      request_timeout: 600,
      stream_timeout: null,
      fallbacks: [],
      context_window_fallbacks: [],
      content_policy_fallbacks: [],
      default_fallbacks: [],
      cache: { enabled: false, type: 'local', ttl: null, host: null, port: null },
      model_groups: ['echo', 'gpt-4o', 'claude'],
    });
  });

  it('GET reads router_settings first, then litellm_settings, and the cache in either shape', async () => {
    const text = `model_list:
  - { model_name: a, litellm_params: { model: mock/a } }
  - { model_name: b, litellm_params: { model: mock/b } }
  - { model_name: "openai/*", litellm_params: { model: "openai/*" } }
router_settings:
  num_retries: 4
  routing_strategy: least-busy
litellm_settings:
  num_retries: 9
  cooldown_time: 12
  request_timeout: 30
  stream_timeout: 5
  fallbacks: [{ a: [b] }]
  cache: { type: redis, host: cache.internal, port: 6380, ttl: 60 }
general_settings: { master_key: ${MASTER} }
`;
    const { gateway } = await gatewayOnFile(text);
    expect((await send(gateway, 'GET', '/admin/routing')).json()).toMatchObject({
      routing_strategy: 'least-busy',
      num_retries: 4,
      cooldown_time: 12,
      request_timeout: 30,
      stream_timeout: 5,
      fallbacks: [{ a: ['b'] }],
      cache: { enabled: true, type: 'redis', ttl: 60, host: 'cache.internal', port: 6380 },
      model_groups: ['a', 'b'],
    });
  });

  it('PUT writes each key where it takes effect, comments kept, and the router uses it at once', async () => {
    const { gateway, path } = await gatewayOnFile();
    const res = await send(gateway, 'PUT', '/admin/routing', {
      num_retries: 3,
      cooldown_time: 10,
      routing_strategy: 'least-busy',
      fallbacks: [{ echo: ['claude', 'gpt-4o'] }],
      default_fallbacks: ['claude'],
      request_timeout: 45,
      stream_timeout: 8,
      model_groups: ['ignored: read-only'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      num_retries: 3,
      cooldown_time: 10,
      routing_strategy: 'least-busy',
      fallbacks: [{ echo: ['claude', 'gpt-4o'] }],
      default_fallbacks: ['claude'],
      request_timeout: 45,
      stream_timeout: 8,
      model_groups: ['echo', 'gpt-4o', 'claude'],
    });
    const text = readFileSync(path, 'utf8');
    // num_retries was in litellm_settings: changed there, its comment kept; the rest where LiteLLM documents it.
    expect(text).toContain('  num_retries: 3           # retries live here in this file\n');
    expect(text).toContain('  drop_params: true        # keep this comment\n');
    expect(text).toContain('# team gateway — kept by every edit\n');
    const tree = parse(text, { version: '1.1' }) as Record<string, Record<string, unknown>>;
    expect(tree.litellm_settings).toEqual({ drop_params: true, num_retries: 3, request_timeout: 45, stream_timeout: 8 });
    expect(tree.router_settings).toEqual({
      cooldown_time: 10,
      routing_strategy: 'least-busy',
      fallbacks: [{ echo: ['claude', 'gpt-4o'] }],
      default_fallbacks: ['claude'],
    });
    expect(text).toContain('  fallbacks: [ { echo: [ claude, gpt-4o ] } ]\n');
    expect(gateway.runtime.state.routing).toMatchObject({ numRetries: 3, cooldownS: 10, strategy: 'least-busy', requestTimeoutS: 45 });
    expect(gateway.runtime.state.routing.fallbacks.get('echo')).toEqual(['claude', 'gpt-4o']);
    expect((await send(gateway, 'GET', '/admin/routing')).json()).toEqual(res.json());
  });

  it('PUT changes router_settings where both sections have the key, and drops the shadowed copy', async () => {
    const text = `model_list:
  - { model_name: a, litellm_params: { model: mock/a } }
  - { model_name: b, litellm_params: { model: mock/b } }
router_settings:
  allowed_fails: 2   # router copy
  fallbacks: [{ a: [b] }]
litellm_settings:
  allowed_fails: 7   # stale copy
  fallbacks: [{ b: [a] }]
general_settings: { master_key: ${MASTER} }
`;
    const { gateway, path } = await gatewayOnFile(text);
    expect((await send(gateway, 'PUT', '/admin/routing', { allowed_fails: 5 })).statusCode).toBe(200);
    let written = readFileSync(path, 'utf8');
    expect(written).toContain('  allowed_fails: 5   # router copy\n');
    expect(written).not.toContain('stale copy');
    // An empty chain removes the key — from both sections, so the other copy cannot come back into force.
    const cleared = await send(gateway, 'PUT', '/admin/routing', { fallbacks: [] });
    expect(cleared.json().fallbacks).toEqual([]);
    written = readFileSync(path, 'utf8');
    expect(written).not.toContain('fallbacks');
    expect(gateway.runtime.state.routing.fallbacks.size).toBe(0);
    expect(parse(written)).toEqual({
      model_list: [
        { model_name: 'a', litellm_params: { model: 'mock/a' } },
        { model_name: 'b', litellm_params: { model: 'mock/b' } },
      ],
      router_settings: { allowed_fails: 5 },
      litellm_settings: {},
      general_settings: { master_key: MASTER },
    });
  });

  it('PUT the cache: on, local, with a ttl; then off, its settings kept for next time', async () => {
    const { gateway, path } = await gatewayOnFile();
    const on = await send(gateway, 'PUT', '/admin/routing', { cache: { enabled: true, type: 'local', ttl: 120 } });
    expect(on.json().cache).toEqual({ enabled: true, type: 'local', ttl: 120, host: null, port: null });
    expect(gateway.runtime.cache.enabled).toBe(true);
    expect((parse(readFileSync(path, 'utf8')) as { litellm_settings: Record<string, unknown> }).litellm_settings).toMatchObject({
      cache: true,
      cache_params: { ttl: 120 },
    });
    const off = await send(gateway, 'PUT', '/admin/routing', { cache: { enabled: false } });
    expect(off.json().cache).toEqual({ enabled: false, type: 'local', ttl: 120, host: null, port: null });
    expect(gateway.runtime.cache.enabled).toBe(false);
    expect((parse(readFileSync(path, 'utf8')) as { litellm_settings: Record<string, unknown> }).litellm_settings).toMatchObject({
      cache: false,
      cache_params: { ttl: 120 },
    });
    // A Redis cache: its host and port go with it.
    const redis = await send(gateway, 'PUT', '/admin/routing', { cache: { enabled: true, type: 'redis', host: 'localhost', port: 6390 } });
    expect(redis.json().cache).toEqual({ enabled: true, type: 'redis', ttl: 120, host: 'localhost', port: 6390 });
    expect((parse(readFileSync(path, 'utf8')) as { litellm_settings: Record<string, unknown> }).litellm_settings).toMatchObject({
      cache: true,
      cache_params: { ttl: 120, type: 'redis', host: 'localhost', port: 6390 },
    });
  });

  it('PUT with what is already in force writes nothing', async () => {
    const { gateway, path, configFile } = await gatewayOnFile();
    const current = (await send(gateway, 'GET', '/admin/routing')).json();
    const res = await send(gateway, 'PUT', '/admin/routing', current);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(current);
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
    expect(configFile.current).toBeDefined();
  });

  it.each([
    [{ fallbacks: [{ echo: ['claude', 'nope'] }] }, 'fallbacks[0].echo[1]', /no model group `nope`.*echo, gpt-4o, claude/],
    [{ fallbacks: [{ ghost: ['claude'] }] }, 'fallbacks[0].ghost', /no model group `ghost`/],
    [{ context_window_fallbacks: [{ echo: ['echo'] }] }, 'context_window_fallbacks[0].echo[0]', /cannot fall back to itself/],
    [{ fallbacks: [{ echo: ['claude', 'claude'] }] }, 'fallbacks[0].echo[1]', /already in this chain/],
    [{ default_fallbacks: ['missing'] }, 'default_fallbacks[0]', /no model group `missing`/],
    [{ routing_strategy: 'round-robin' }, 'routing_strategy', /must be one of: simple-shuffle, least-busy/],
    [{ num_retries: -1 }, 'num_retries', /must be >= 0/],
    [{ cooldown_time: -5 }, 'cooldown_time', /must be >= 0/],
    [{ num_retries: 1.5 }, 'num_retries', /integer/],
    [{ request_timeout: 0 }, 'request_timeout', /must be > 0/],
    [{ cache: { ttl: -1 } }, 'cache.ttl', /must be > 0/],
    [{ retries: 2 }, 'retries', /not a routing setting/],
  ])('PUT %j is refused (400, param %s), the file untouched', async (body, param, message) => {
    const { gateway, path } = await gatewayOnFile();
    const res = await send(gateway, 'PUT', '/admin/routing', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.param).toBe(param);
    expect(res.json().error.message).toMatch(message);
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
  });

  it('PUT accepts names served by a wildcard group', async () => {
    const text = `model_list:
  - { model_name: a, litellm_params: { model: mock/a } }
  - { model_name: "mock/*", litellm_params: { model: "mock/*" } }
general_settings: { master_key: ${MASTER} }
`;
    const { gateway } = await gatewayOnFile(text);
    const res = await send(gateway, 'PUT', '/admin/routing', { fallbacks: [{ a: ['mock/backup'] }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().fallbacks).toEqual([{ a: ['mock/backup'] }]);
  });
});

describe('POST /admin/master-key/rotate', () => {
  async function rotating(options: Options = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'rotate-store-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const secrets = options.secrets ?? new EncryptedFileSecretStore({ dir, env: {} });
    return gatewayOnFile(CONFIG, { ...options, secrets });
  }

  it('the old key stops working at once, the new one works at once; config.yaml refers to the keychain', async () => {
    const { gateway, path, secrets } = await rotating();
    const res = await send(gateway, 'POST', '/admin/master-key/rotate');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { master_key: key, masked } = res.json() as { master_key: string; masked: string };
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(masked).toBe(`sk-…${key.slice(-4)}`);
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe(key);
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(CONFIG.replace(`master_key: ${MASTER}`, 'master_key: keychain/LLM_GATEWAY_MASTER_KEY'));
    expect(text).not.toContain(key);
    expect((await chat(gateway, 'echo', MASTER)).statusCode).toBe(401);
    expect((await send(gateway, 'GET', '/admin/routing')).statusCode).toBe(401);
    expect((await chat(gateway, 'echo', key)).statusCode).toBe(200);
    expect((await send(gateway, 'GET', '/admin/routing', undefined, { authorization: `Bearer ${key}` })).statusCode).toBe(200);
    // Again: the new key replaces the one in the store; the file stays as it is.
    const again = await send(gateway, 'POST', '/admin/master-key/rotate', undefined, { authorization: `Bearer ${key}` });
    const second = again.json().master_key as string;
    expect(second).not.toBe(key);
    expect((await chat(gateway, 'echo', key)).statusCode).toBe(401);
    expect((await chat(gateway, 'echo', second)).statusCode).toBe(200);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('works with an in-memory store too (the key is then lost on restart, which the log says)', async () => {
    const { gateway, secrets } = await gatewayOnFile();
    const res = await send(gateway, 'POST', '/admin/master-key/rotate');
    expect(res.statusCode).toBe(200);
    expect(secrets.get('LLM_GATEWAY_MASTER_KEY')).toBe(res.json().master_key);
  });

  it('409 when the config cannot refer to a secret store; nothing changes', async () => {
    const { gateway, path } = await gatewayOnFile(CONFIG, { wireSecrets: false });
    const res = await send(gateway, 'POST', '/admin/master-key/rotate');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_secret_store');
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
    expect((await chat(gateway, 'echo', MASTER)).statusCode).toBe(200);
  });
});
