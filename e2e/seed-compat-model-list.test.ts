/**
 * One bad model_list entry no longer stops everything: an entry whose provider the gateway does not know is
 * skipped with a loud warning naming it (index, model_name, provider) and the rest of the config serves — at start
 * and on hot reload — as LiteLLM does. What stays strict: YAML syntax and types refuse the file; a model sent to
 * /model/new or /model/update with an unknown provider is a 400 and config.yaml is not touched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../server/config/index.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const MASTER = 'sk-1234';
const entry = (name: string, model: string) => `  - model_name: ${name}\n    litellm_params:\n      model: ${model}\n`;
const config = (entries: string) => `model_list:\n${entries}general_settings:\n  master_key: ${MASTER}\n`;

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const warnings = (running: TestGateway) =>
  running.ring
    .tail()
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.level === 40)
    .map((line) => line.msg);

async function modelIds(running: TestGateway): Promise<string[]> {
  const res = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${MASTER}` } });
  return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
}

/** Polls `read` until `done` holds (the watcher reloads asynchronously); the last value either way. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

describe('a model_list entry whose provider is unknown', () => {
  it('is skipped at start with a warning naming it; the other models serve', async () => {
    gw = await startTestGateway(
      config(entry('gpt-3.5-turbo', 'mock/echo') + entry('claude-x', 'nosuchprovider/claude-x') + entry('second', 'mock/echo')),
      {},
      { dataDir: true, configFile: true, logLevel: 'warn' },
    );
    expect(await modelIds(gw)).toEqual(['gpt-3.5-turbo', 'second']);
    const skipped = warnings(gw).filter((w) => w.includes('SKIPPED'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain('model_list[1]');
    expect(skipped[0]).toContain('`claude-x`');
    expect(skipped[0]).toContain('provider `nosuchprovider`');
    const answer = await gw.client(MASTER).chat.completions.create({ model: 'second', messages: [{ role: 'user', content: 'still here' }] });
    expect(answer.choices[0]?.message.content).toBe('Echo: still here');
  });

  it('is skipped on hot reload too: the reload serves the rest', async () => {
    gw = await startTestGateway(config(entry('first', 'mock/echo')), {}, { dataDir: true, configFile: true, logLevel: 'warn' });
    writeFileSync(gw.configPath!, config(entry('first', 'mock/echo') + entry('retired', 'nosuchprovider/x') + entry('added', 'mock/echo')));
    const running = gw;
    expect(
      await until(
        () => modelIds(running),
        (ids) => ids.includes('added'),
      ),
    ).toEqual(['first', 'added']);
    expect(warnings(gw).filter((w) => w.includes('SKIPPED') && w.includes('`retired`'))).toHaveLength(1);
  });

  it('sent to /model/new or /model/update is refused with 400, config.yaml untouched', async () => {
    gw = await startTestGateway(config(entry('first', 'mock/echo')), {}, { dataDir: true, configFile: true });
    const before = readFileSync(gw.configPath!, 'utf8');
    const post = (path: string, body: unknown) =>
      fetch(`${gw!.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const added = await post('/model/new', { model_name: 'x', litellm_params: { model: 'nosuchprovider/model' } });
    expect(added.status).toBe(400);
    expect(((await added.json()) as { error: { message: string } }).error.message).toMatch(/provider `nosuchprovider` is not supported/);
    const id = (await (await fetch(`${gw.url}/model/info`, { headers: { authorization: `Bearer ${MASTER}` } })).json()) as {
      data: { model_info: { id: string } }[];
    };
    const updated = await post('/model/update', { model_info: { id: id.data[0]?.model_info.id }, litellm_params: { model: 'nosuchprovider/model' } });
    expect(updated.status).toBe(400);
    expect(readFileSync(gw.configPath!, 'utf8')).toBe(before);
    expect(await modelIds(gw)).toEqual(['first']);
  });

  it('does not loosen the rest: broken YAML and wrong types still refuse the file', async () => {
    await expect(startTestGateway(`${config(entry('first', 'mock/echo'))}  broken: [\n`, {}, { dataDir: true, configFile: true })).rejects.toThrow(ConfigError);
    await expect(
      startTestGateway(config(`${entry('first', 'mock/echo')}      rpm: many\n${entry('bad', 'nosuchprovider/x')}`), {}, { dataDir: true, configFile: true }),
    ).rejects.toThrow(/model_list\[0\]\.litellm_params\.rpm/);
  });
});
