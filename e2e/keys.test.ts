/**
 * Virtual keys end to end, through real HTTP against a gateway with a real SQLite file: LiteLLM's seed flow
 * exactly as its docs do it with curl, keys hashed at rest, expiry, aliases, model restrictions, /v1/models
 * per key, and rotation keeping the key's id, budget and spend history.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { chat, costNanos, expectBundledPrices, expectOpenAIError, mockTokens, request, usd, type Admin, type KeyJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import type { IssuedKey } from '../server/core/admin-api.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-3.5-turbo
    litellm_params: { model: openai/gpt-3.5-turbo, api_base: "${mockUrl}/v1", api_key: sk-upstream-openai }
  - model_name: gpt-4
    litellm_params: { model: openai/gpt-4, api_base: "${mockUrl}/v1", api_key: sk-upstream-openai }
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream-openai }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const say = (text: string) => [{ role: 'user', content: text }];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe("LiteLLM's seed flow, as curl does it", () => {
  it('generate → allowed model 200 → other model 403 → /key/info shows spend → delete → 401', async () => {
    expectBundledPrices();
    // curl -X POST http://0.0.0.0:4000/key/generate -H 'Authorization: Bearer sk-1234' -H 'Content-Type: application/json'
    //   -d '{"models": ["gpt-3.5-turbo", "gpt-4"], "metadata": {"user": "ishaan@berri.ai"}}'
    const generated = await fetch(`${gw.url}/key/generate`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk-1234', 'Content-Type': 'application/json' },
      body: JSON.stringify({ models: ['gpt-3.5-turbo', 'gpt-4'], metadata: { user: 'ishaan@berri.ai' } }),
    });
    expect(generated.status).toBe(200);
    const issued = (await generated.json()) as IssuedKey;
    expect(issued.key).toMatch(/^sk-[0-9A-Za-z]{24}$/);
    expect(issued).toHaveProperty('expires', null);
    expect(issued.models).toEqual(['gpt-3.5-turbo', 'gpt-4']);
    expect(issued.token_id).toBe(sha256(issued.key));
    const key = issued.key;

    const text = 'what is the capital of France';
    const allowed = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-3.5-turbo', messages: say(text) }),
    });
    expect(allowed.status).toBe(200);
    const answer = await allowed.json();
    expectValid('CreateChatCompletionResponse', answer);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-openai');

    const refused = await chat(gw.url, key, { model: 'gpt-4o', messages: say(text) });
    const error = expectOpenAIError(refused, 403, 'key_model_access_denied', 'permission_error');
    expect(error.param).toBe('model');
    expect(error.message).toContain('gpt-4o');
    expect(error.message).not.toContain(key);
    expect(mock.requests).toHaveLength(1);
    await expect(gw.client(key).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: text }] })).rejects.toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    );

    // curl 'http://0.0.0.0:4000/key/info?key=sk-…' -H 'Authorization: Bearer sk-1234'
    const info = await request<{ key: string; info: KeyJson }>(gw.url, 'GET', `/key/info?key=${key}`, 'sk-1234');
    expect(info.status).toBe(200);
    const tokens = mockTokens(text);
    expect(info.json.info.spend).toBe(usd(costNanos('gpt-3.5-turbo', tokens.prompt, tokens.completion)));
    expect(info.json.info.spend).toBeGreaterThan(0);
    expect(info.json.info).toMatchObject({ models: ['gpt-3.5-turbo', 'gpt-4'], metadata: { user: 'ishaan@berri.ai' }, token: sha256(key) });

    // A virtual key may read its own info, and nobody else's.
    const own = await request<{ info: KeyJson }>(gw.url, 'GET', '/key/info', key);
    expect(own.status).toBe(200);
    expect(own.json.info.key_id).toBe(info.json.info.key_id);

    // curl -X POST http://0.0.0.0:4000/key/delete -H 'Authorization: Bearer sk-1234' -d '{"keys": ["sk-…"]}'
    const deleted = await request<{ deleted_keys: string[] }>(gw.url, 'POST', '/key/delete', 'sk-1234', { keys: [key] });
    expect(deleted.status).toBe(200);
    expect(deleted.json.deleted_keys).toEqual([key]);

    expectOpenAIError(await chat(gw.url, key, { model: 'gpt-3.5-turbo', messages: say(text) }), 401, 'invalid_api_key', 'authentication_error');
    await expect(gw.client(key).models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(mock.requests).toHaveLength(1);
    expectOpenAIError(await request(gw.url, 'GET', `/key/info?key=${key}`, 'sk-1234'), 404, 'key_not_found');
  });
});

describe('keys are hashed at rest', () => {
  it('the raw key is nowhere in the SQLite file, its WAL, /key/list or /spend/logs', async () => {
    const issued = [
      await api.generateKey({ key_alias: 'hash-check-1', models: ['gpt-4o'] }),
      await api.generateKey({ key: 'sk-my-own-custom-key-0123456789', key_alias: 'hash-check-2' }),
    ];
    const raws = issued.map((k) => k.key);
    expect(raws[1]).toBe('sk-my-own-custom-key-0123456789');
    for (const raw of raws) expect((await chat(gw.url, raw, { model: 'gpt-4o', messages: say('hashed at rest') })).status).toBe(200);
    // A rotation writes a new hash over the old one.
    const rotated = await api.post<{ key: string }>('/key/regenerate', { key: raws[0] });
    expect(rotated.status).toBe(200);
    raws.push(rotated.json.key);

    const dbFile = join(gw.dataDir!, 'gateway.db');
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['keys', 'spend_logs']));
      const everything = tables.map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all())).join('\n');
      const hashes = (db.prepare('SELECT key_hash FROM keys').all() as { key_hash: string }[]).map((r) => r.key_hash);
      expect(hashes).toEqual(expect.arrayContaining([sha256(raws[1]!), sha256(raws[2]!)]));
      expect(hashes).not.toContain(sha256(raws[0]!));
      for (const raw of raws) {
        expect(everything).not.toContain(raw);
        // The tail is what a key mask shows; the random middle must not be stored in any form.
        expect(everything).not.toContain(raw.slice(3, -4));
      }
    } finally {
      db.close();
    }
    const files = ['gateway.db', 'gateway.db-wal', 'gateway.db-shm'].map((f) => join(gw.dataDir!, f)).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const raw of raws) {
        expect(bytes.includes(Buffer.from(raw, 'utf8')), `${file} holds a raw key`).toBe(false);
        expect(bytes.includes(Buffer.from(raw, 'utf16le')), `${file} holds a raw key (UTF-16)`).toBe(false);
      }
    }

    for (const path of ['/key/list', '/key/list?return_full_object=true&size=100', '/key/list?key_alias=hash-check-2&return_full_object=true', '/spend/logs']) {
      const listed = await api.get(path);
      expect(listed.status).toBe(200);
      for (const raw of raws) expect(listed.text).not.toContain(raw);
    }
    const list = await api.get<{ keys: string[]; total_count: number }>('/key/list?size=100');
    expect(list.json.keys).toEqual(expect.arrayContaining([sha256(raws[1]!), sha256(raws[2]!)]));
  });
});

describe('key settings on calls', () => {
  it('a key with duration "1s" works, then expires (401)', async () => {
    const { key, expires } = await api.generateKey({ duration: '1s' });
    expect(Date.parse(expires!)).toBeGreaterThan(Date.now() - 1000);
    expect((await chat(gw.url, key, { model: 'gpt-4o', messages: say('still fresh') })).status).toBe(200);
    await expect
      .poll(async () => (await chat(gw.url, key, { model: 'gpt-4o', messages: say('expired yet?') })).status, { timeout: 4000, interval: 100 })
      .toBe(401);
    const upstreamCalls = mock.requests.length;
    const refused = await chat(gw.url, key, { model: 'gpt-4o', messages: say('expired') });
    expectOpenAIError(refused, 401, 'key_expired', 'authentication_error');
    await expect(gw.client(key).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    expect(mock.requests).toHaveLength(upstreamCalls);
  });

  it('aliases: my-gpt calls gpt-4o and is billed as gpt-4o; other models are refused; /v1/models lists only its own', async () => {
    const { key } = await api.generateKey({ models: ['gpt-4o'], aliases: { 'my-gpt': 'gpt-4o' }, key_alias: 'alias-key' });
    const client = gw.client(key);
    const text = 'alias me to four oh';
    const res = await client.chat.completions.create({ model: 'my-gpt', messages: [{ role: 'user', content: text }] });
    expectValid('CreateChatCompletionResponse', res);
    expect(res.choices[0]?.message.content).toBe(`echo: ${text}`);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.model).toBe('gpt-4o');

    const { rows } = await api.spendLogs({ api_key: key });
    expect(rows).toHaveLength(1);
    const tokens = mockTokens(text);
    expect(rows[0]).toMatchObject({ model_group: 'gpt-4o', model: 'gpt-4o', status: 'success', key_alias: 'alias-key' });
    expect(rows[0]?.metadata.spend_nanos).toBe(costNanos('gpt-4o', tokens.prompt, tokens.completion));
    expect((await api.keyInfo(key)).spend).toBe(usd(costNanos('gpt-4o', tokens.prompt, tokens.completion)));

    for (const model of ['gpt-4', 'gpt-3.5-turbo']) {
      const err = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'no' }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('key_model_access_denied');
    }
    expect(mock.requests).toHaveLength(1);

    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['gpt-4o', 'my-gpt']);
    for (const model of models.data) expectValid('Model', model);
    await expect(client.models.retrieve('gpt-4')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await client.models.retrieve('my-gpt')).id).toBe('my-gpt');
    // The master key still sees every model.
    expect((await gw.client().models.list()).data.map((m) => m.id).sort()).toEqual(['gpt-3.5-turbo', 'gpt-4', 'gpt-4o']);
  });

  it('/v1/models with the seed key lists only its models; a key without models may call any', async () => {
    const seed = await api.generateKey({ models: ['gpt-3.5-turbo', 'gpt-4'] });
    const listed = await request<{ data: { id: string }[] }>(gw.url, 'GET', '/v1/models', seed.key);
    expectValid('ListModelsResponse', listed.json);
    expect(listed.json.data.map((m) => m.id).sort()).toEqual(['gpt-3.5-turbo', 'gpt-4']);
    const open = await api.generateKey({});
    expect((await chat(gw.url, open.key, { model: 'gpt-4', messages: say('any model') })).status).toBe(200);
    expect((await request<{ data: unknown[] }>(gw.url, 'GET', '/models', open.key)).json.data).toHaveLength(3);
  });
});

describe('rotation', () => {
  it('/key/regenerate: new raw key, old one refused at once, same id/alias/budget, spend and logs carried over', async () => {
    const first = await api.generateKey({ key_alias: 'rotating', max_budget: 10, models: ['gpt-4o'], metadata: { team: 'blue' } });
    const before = ['rotate one', 'rotate number two'];
    for (const text of before) expect((await chat(gw.url, first.key, { model: 'gpt-4o', messages: say(text) })).status).toBe(200);
    const spentBefore = before.map(mockTokens).reduce((sum, t) => sum + costNanos('gpt-4o', t.prompt, t.completion), 0);
    expect((await api.keyInfo(first.key)).spend).toBe(usd(spentBefore));

    const rotated = await api.post<IssuedKey>('/key/regenerate', { key: first.key });
    expect(rotated.status).toBe(200);
    const next = rotated.json.key;
    expect(next).toMatch(/^sk-/);
    expect(next).not.toBe(first.key);
    expect(rotated.json.key_id).toBe(first.key_id);

    expectOpenAIError(await chat(gw.url, first.key, { model: 'gpt-4o', messages: say('old key') }), 401, 'invalid_api_key');
    const after = 'after the rotation';
    expect((await chat(gw.url, next, { model: 'gpt-4o', messages: say(after) })).status).toBe(200);

    const info = await api.keyInfo(next);
    const afterTokens = mockTokens(after);
    const total = spentBefore + costNanos('gpt-4o', afterTokens.prompt, afterTokens.completion);
    expect(info).toMatchObject({
      key_id: first.key_id,
      key_alias: 'rotating',
      max_budget: 10,
      models: ['gpt-4o'],
      metadata: { team: 'blue' },
      token: sha256(next),
    });
    expect(info.spend).toBe(usd(total));
    expect(info.total_spend).toBe(usd(total));

    // Logs before and after the rotation all belong to the key, whichever of its current names asks.
    for (const ref of [next, sha256(next), first.key_id]) {
      const { rows, total: count } = await api.spendLogs({ api_key: ref });
      expect(count).toBe(3);
      expect(rows.map((r) => r.metadata.key_id)).toEqual([first.key_id, first.key_id, first.key_id]);
      expect(rows.reduce((sum, r) => sum + r.metadata.spend_nanos, 0)).toBe(total);
      // Newest first: the row after the rotation carries the new hash, the two before it the old one.
      expect(rows.map((r) => r.api_key)).toEqual([sha256(next), sha256(first.key), sha256(first.key)]);
    }
    // The retired raw key still finds its own rows (by hash), as LiteLLM's do.
    expect((await api.spendLogs({ api_key: first.key })).total).toBe(2);
    // The old key cannot be rotated again; a virtual key cannot rotate anything.
    expectOpenAIError(await api.post('/key/regenerate', { key: first.key }), 404, 'key_not_found');
    expectOpenAIError(await request(gw.url, 'POST', '/key/regenerate', next, { key: next }), 403, 'admin_only');
  });
});
