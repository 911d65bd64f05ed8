/**
 * Hot reload and runtime model management end to end, on a real listening gateway started the way `npm start`
 * starts it (createGateway + ConfigFile + the config watcher) with a temporary config.yaml and the built-in
 * mock provider (`mock_latency` keeps requests in flight):
 * - editing config.yaml adds a model without a restart; an invalid edit is rejected with an error line in the
 *   log ring and the old models keep answering;
 * - a reload while 30 requests are in flight fails none of them: they finish on the config they started with;
 * - /model/new writes config.yaml (references intact, comments kept), /model/delete takes the entry out, and
 *   the watcher does not reload the gateway's own writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../server/config/config-file.ts';
import { watchConfigFile } from '../server/config/watch.ts';
import { createGateway, type Gateway } from '../server/gateway.ts';
import { createLogger } from '../server/observe/logger.ts';
import type { LogRing } from '../server/observe/log-ring.ts';
import { chat, request, sleep } from './support/admin.ts';
import { recordConfigChecks, type ConfigChecks } from './support/config-checks.ts';

const MASTER = 'sk-1234';

const config = (models: string) => `# Hot reload test config — this comment must survive API edits
model_list:
${models}
general_settings:
  master_key: ${MASTER}   # admin key for the tests
`;

const echo = (name: string, extra = '') => `  - model_name: ${name}   # ${name} model
    litellm_params:
      model: mock/echo
      mock_latency: 300${extra}
`;

interface Running {
  gateway: Gateway;
  url: string;
  path: string;
  ring: LogRing;
  /** Each check the watcher made of config.yaml. */
  checks: ConfigChecks;
  stop(): Promise<void>;
}

let running: Running;

async function start(text: string): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'hot-reload-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  const { logger, ring } = createLogger({ level: 'info', destination: null });
  const configFile = new ConfigFile(path, { env: { MOCK_KEY: 'mock-key-value-1234' } }, logger);
  const loaded = configFile.load();
  const checks = recordConfigChecks(configFile);
  const gateway = await createGateway({ config: loaded.resolved, env: loaded.env, port: 0, logger, ring, configFile });
  const url = await gateway.listen();
  const stopWatching = watchConfigFile({ configFile, apply: (next) => gateway.reload(next.resolved, next.env), logger });
  return {
    gateway,
    url,
    path,
    ring,
    checks,
    stop: async () => {
      stopWatching();
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

beforeEach(async () => {
  running = await start(config(echo('echo')));
});
afterEach(() => running.stop());

const modelIds = async () => ((await request<{ data: { id: string }[] }>(running.url, 'GET', '/v1/models', MASTER)).json.data ?? []).map((m) => m.id);
const ask = (model: string, content = 'hi') => chat(running.url, MASTER, { model, messages: [{ role: 'user', content }] });
const logLines = () => running.ring.tail().map((line) => JSON.parse(line) as { level: number; msg: string });

async function until<T>(probe: () => Promise<T> | T, ok: (value: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

describe('editing config.yaml', () => {
  it('a model added to the file is served without a restart', async () => {
    const text = config(echo('echo') + echo('second'));
    writeFileSync(running.path, text);
    expect((await running.checks.seen(text)).outcome).toBe('reloaded'); // the watcher's first look at it puts it in service
    expect(await modelIds()).toEqual(['echo', 'second']);
    const answer = await ask('second', 'hello again');
    expect(answer.status).toBe(200);
    expect((answer.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('Echo: hello again');
    expect(logLines().some((l) => l.level === 30 && l.msg === 'config.yaml reloaded: 2 models')).toBe(true);
  });

  it('an invalid edit is rejected with an error line naming the problem; the old models keep answering', async () => {
    writeFileSync(running.path, config(`  - model_name: broken\n    litellm_params:\n      rpm: 10\n`));
    const errors = await until(
      () => logLines().filter((l) => l.level === 50),
      (lines) => lines.length > 0,
      2000,
    );
    expect(errors[0]?.msg).toContain(`Invalid config file ${running.path}`);
    expect(errors[0]?.msg).toMatch(/model_list\[0\]\.litellm_params\.model \(line 5, column 7\): missing/);
    expect(errors[0]?.msg).toContain('the running config is kept');
    expect(await modelIds()).toEqual(['echo']);
    expect((await ask('echo')).status).toBe(200);
    // A provider the gateway does not know is not an invalid file: that entry is skipped with a warning, the rest
    // is served (e2e/seed-compat-model-list.test.ts).
    writeFileSync(running.path, config(`  - model_name: other\n    litellm_params: { model: nosuch/x }\n${echo('echo')}`));
    await until(
      () => logLines().filter((l) => l.level === 40 && l.msg.includes('SKIPPED')),
      (lines) => lines.length > 0,
      2000,
    );
    expect(logLines().find((l) => l.level === 40 && l.msg.includes('SKIPPED'))?.msg).toMatch(/model_list\[0\] \(model_name `other`, provider `nosuch`\)/);
    expect(await modelIds()).toEqual(['echo']);
  });

  it('a reload while 30 requests are in flight fails none of them: they finish on the old config', async () => {
    const inFlight = Array.from({ length: 30 }, (_, i) => ask('echo', `request ${i}`));
    await sleep(100);
    // The new config answers differently and adds a model; the requests already running keep the old one.
    writeFileSync(running.path, config(echo('echo', '\n      mock_response: from the new config') + echo('added')));
    await until(modelIds, (ids) => ids.includes('added'), 1000);
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
    answers.forEach((answer, i) => {
      expect((answer.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(`Echo: request ${i}`);
    });
    const after = await ask('echo');
    expect((after.json as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('from the new config');
  });

  it('requests in flight on a model the new config removes still finish', async () => {
    const inFlight = Array.from({ length: 10 }, () => ask('echo'));
    await sleep(100);
    writeFileSync(running.path, config(echo('replacement')));
    await until(modelIds, (ids) => ids.includes('replacement'), 1000);
    expect((await Promise.all(inFlight)).map((a) => a.status)).toEqual(Array(10).fill(200));
    expect((await ask('echo')).status).toBe(404);
  });
});

describe('/model/new and /model/delete', () => {
  it('write config.yaml with references intact and comments kept, without a reload echo from the watcher', async () => {
    const created = await request<{ model_id: string; litellm_params: Record<string, unknown> }>(running.url, 'POST', '/model/new', MASTER, {
      model_name: 'api-added',
      litellm_params: { model: 'mock/echo', api_key: 'os.environ/MOCK_KEY', mock_response: 'added by the API' },
    });
    expect(created.status, created.text).toBe(200);
    const id = created.json.model_id;
    expect(created.json.litellm_params.api_key).toBe('os.environ/MOCK_KEY');
    expect(created.text).not.toContain('mock-key-value-1234');
    expect(await modelIds()).toEqual(['echo', 'api-added']);
    expect((await ask('api-added')).status).toBe(200);

    const text = readFileSync(running.path, 'utf8');
    expect(text).toContain('# Hot reload test config — this comment must survive API edits');
    expect(text).toContain('  - model_name: echo   # echo model');
    expect(text).toContain('  master_key: sk-1234   # admin key for the tests');
    expect(text).toContain(
      `  - model_name: api-added\n    litellm_params:\n      model: mock/echo\n      api_key: os.environ/MOCK_KEY\n      mock_response: added by the API\n    model_info:\n      id: ${id}\n`,
    );
    expect(text).not.toContain('mock-key-value-1234');

    const info = await request<{ data: { model_name: string; litellm_params: Record<string, unknown>; model_info: { id: string } }[] }>(
      running.url,
      'GET',
      '/model/info',
      MASTER,
    );
    expect(info.json.data.find((row) => row.model_info.id === id)?.litellm_params.api_key).toBe('os.environ/MOCK_KEY');

    const deleted = await request(running.url, 'POST', '/model/delete', MASTER, { id });
    expect(deleted.status, deleted.text).toBe(200);
    expect(await modelIds()).toEqual(['echo']);
    expect(readFileSync(running.path, 'utf8')).toBe(config(echo('echo')));

    // The watcher saw the writes and recognised them as the gateway's own: wait for its check of the file as it
    // is now, where a reload would happen.
    await running.checks.seen(readFileSync(running.path, 'utf8'));
    expect(running.checks.reloads()).toBe(0);
    expect(logLines().filter((l) => l.msg.includes('reloaded'))).toEqual([]);
    expect(logLines().filter((l) => l.level >= 50)).toEqual([]);
  });
});
