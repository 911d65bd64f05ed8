import { afterEach, describe, expect, it } from 'vitest';
import { adminTestApp, TEST_MASTER_KEY as MASTER, type AdminTestApp } from '../test-admin-app.ts';
import { registerKeyRoutes } from './keys.ts';

const admin = { authorization: `Bearer ${MASTER}` };
const open: AdminTestApp[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** The key routes behind the real admin scope (which lets a virtual key into /key/info only). */
function setup() {
  let changes = 0;
  const gateway = adminTestApp((scope, { keys }) => registerKeyRoutes(scope, { keys: () => keys, onChange: () => changes++ }));
  const { app, keys } = gateway;
  open.push(gateway);
  const post = (url: string, body: unknown, headers: Record<string, string> = admin) => app.inject({ method: 'POST', url, headers, payload: body as object });
  const get = (url: string, headers: Record<string, string> = admin) => app.inject({ method: 'GET', url, headers });
  const generate = async (body: Record<string, unknown> = {}) =>
    (await post('/key/generate', body)).json() as { key: string; token_id: string; key_id: string };
  return { app, keys, post, get, generate, changes: () => changes };
}

describe('POST /key/generate', () => {
  it("issues a key with LiteLLM's fields, shown once, dollars in and out", async () => {
    const { post, keys, changes } = setup();
    const res = await post('/key/generate', {
      models: ['gpt-4o'],
      aliases: { 'gpt-4': 'gpt-4o' },
      duration: '30d',
      key_alias: 'ci',
      max_budget: 10.5,
      budget_duration: '1mo',
      rpm_limit: 60,
      tpm_limit: 10000,
      max_parallel_requests: 2,
      metadata: { team: 'core' },
      config: {},
      tags: ['ignored'],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.key).toMatch(/^sk-[0-9A-Za-z]{24}$/);
    expect(body).toMatchObject({
      key_name: `sk-…${body.key.slice(-4)}`,
      key_alias: 'ci',
      models: ['gpt-4o'],
      aliases: { 'gpt-4': 'gpt-4o' },
      max_budget: 10.5,
      spend: 0,
      budget_duration: '1mo',
      rpm_limit: 60,
      tpm_limit: 10000,
      max_parallel_requests: 2,
      metadata: { team: 'core' },
      duration: '30d',
    });
    expect(Date.parse(body.expires) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(body.token_id).toBe(keys.verify(body.key).keyHash);
    expect(keys.verify(body.key).maxBudgetNanos).toBe(10_500_000_000);
    expect(changes()).toBe(1);
  });

  it('takes an empty body: a key with no limits that never expires', async () => {
    const { post } = setup();
    const body = (await post('/key/generate', {})).json();
    expect(body).toMatchObject({ expires: null, models: [], max_budget: null, duration: null });
    expect((await post('/key/generate', undefined)).statusCode).toBe(200);
  });

  it('needs the master key: 401 without one, 403 for a virtual key', async () => {
    const { post, generate } = setup();
    expect((await post('/key/generate', {}, {})).json().error.code).toBe('missing_api_key');
    const virtual = await generate();
    const res = await post('/key/generate', { models: 'not even valid' }, { authorization: `Bearer ${virtual.key}` });
    expect(res.statusCode).toBe(403); // refused before the body is looked at
  });

  it.each([
    [{ models: 'gpt-4o' }, 'models'],
    [{ models: [1] }, 'models[0]'],
    [{ max_budget: -1 }, 'max_budget'],
    [{ max_budget: 1e12 }, 'max_budget'],
    [{ rpm_limit: 1.5 }, 'rpm_limit'],
    [{ duration: 'soon' }, 'duration'],
    [{ budget_duration: '30' }, 'budget_duration'],
    [{ key: 'no-prefix-key' }, 'key'],
    [{ aliases: { a: 3 } }, 'aliases.a'],
  ])('answers bad input %j with a 400 naming %s', async (body, param) => {
    const { post } = setup();
    const res = await post('/key/generate', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('refuses a duplicate key_alias, as LiteLLM does', async () => {
    const { post, generate } = setup();
    await generate({ key_alias: 'ci' });
    const res = await post('/key/generate', { key_alias: 'ci' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.param).toBe('key_alias');
  });
});

describe('GET /key/info', () => {
  it('shows the master key any key, by raw key, hash or id, without the raw key', async () => {
    const { get, generate } = setup();
    const issued = await generate({ key_alias: 'a', max_budget: 2 });
    const res = await get(`/key/info?key=${issued.key}`);
    expect(res.statusCode).toBe(200);
    const info = res.json().info;
    expect(info).toMatchObject({ token: issued.token_id, key_alias: 'a', spend: 0, max_budget: 2, expires: null, models: [], aliases: {}, metadata: {} });
    expect(JSON.stringify(info)).not.toContain(issued.key);
    expect((await get(`/key/info?key=${issued.token_id}`)).json().info.key_id).toBe(issued.key_id);
    expect((await get(`/key/info?key=${issued.key_id}`)).json().info.token).toBe(issued.token_id);
    expect((await get('/key/info?key=sk-unknown-key')).statusCode).toBe(404);
    expect((await get('/key/info')).json().error.param).toBe('key');
  });

  it("lets a virtual key read its own info and nobody else's", async () => {
    const { get, generate } = setup();
    const mine = await generate({ key_alias: 'mine' });
    const theirs = await generate({ key_alias: 'theirs' });
    const as = { authorization: `Bearer ${mine.key}` };
    const own = await get('/key/info', as);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ key: mine.token_id, info: { key_alias: 'mine' } });
    expect((await get(`/key/info?key=${mine.token_id}`, as)).statusCode).toBe(200);
    expect((await get(`/key/info?key=${theirs.key}`, as)).statusCode).toBe(403);
    expect((await get('/key/info', { authorization: 'Bearer sk-nobody' })).statusCode).toBe(401);
    expect((await get('/key/info', {})).statusCode).toBe(401);
  });
});

describe('POST /key/update, /key/delete', () => {
  it('updates LiteLLM fields and answers the key object', async () => {
    const { post, get, generate } = setup();
    const issued = await generate({ key_alias: 'a' });
    const res = await post('/key/update', { key: issued.key, models: ['m1'], max_budget: 0.25, spend: 0.1, rpm_limit: null, metadata: { x: 1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ key: issued.key, key_alias: 'a', models: ['m1'], max_budget: 0.25, spend: 0.1, metadata: { x: 1 } });
    expect((await get(`/key/info?key=${issued.key}`)).json().info).toMatchObject({ models: ['m1'], spend: 0.1 });
    expect((await post('/key/update', { models: [] })).json().error.param).toBe('key');
    expect((await post('/key/update', { key: 'sk-unknown-key' })).statusCode).toBe(404);
  });

  it('deletes by keys or by key_aliases; deleted keys answer 401 at once', async () => {
    const { post, get, generate } = setup();
    const a = await generate({ key_alias: 'a' });
    const b = await generate({ key_alias: 'b' });
    const res = await post('/key/delete', { keys: [a.key] });
    expect(res.json()).toEqual({ deleted_keys: [a.key] });
    expect((await get('/key/info', { authorization: `Bearer ${a.key}` })).statusCode).toBe(401);
    expect((await post('/key/delete', { key_aliases: ['b', 'zzz'] })).json()).toEqual({ deleted_keys: ['b'] });
    expect((await get(`/key/info?key=${b.key}`)).statusCode).toBe(404);
    expect((await post('/key/delete', { keys: [a.key] })).statusCode).toBe(404);
    expect((await post('/key/delete', {})).json().error.param).toBe('keys');
  });
});

describe('GET /key/list', () => {
  it('lists token hashes, or full objects, never raw keys, in pages', async () => {
    const { get, generate } = setup();
    const issued = [];
    for (let i = 0; i < 3; i++) issued.push(await generate({ key_alias: `k${i}`, team_id: i === 0 ? 't0' : 't1' }));
    const plain = (await get('/key/list?size=2')).json();
    expect(plain).toMatchObject({ total_count: 3, current_page: 1, total_pages: 2 });
    expect(plain.keys).toHaveLength(2);
    for (const token of plain.keys) expect(token).toMatch(/^[0-9a-f]{64}$/);
    const full = await get('/key/list?return_full_object=true&team_id=t1&page=1');
    expect(
      full
        .json()
        .keys.map((k: { key_alias: string }) => k.key_alias)
        .sort(),
    ).toEqual(['k1', 'k2']);
    const everything = (await get('/key/list?return_full_object=true&size=100')).body;
    for (const { key } of issued) expect(everything).not.toContain(key);
    expect((await get('/key/list?key_alias=k0')).json().keys).toEqual([issued[0]!.token_id]);
    expect((await get('/key/list?size=0')).json().error.param).toBe('size');
    expect((await get('/key/list?page=abc')).json().error.param).toBe('page');
    expect((await get('/key/list', { authorization: `Bearer ${issued[0]!.key}` })).statusCode).toBe(403);
  });
});

describe('POST /key/regenerate', () => {
  it('rotates the raw key and keeps id, alias, budget and spend (body and path forms)', async () => {
    const { post, get, keys, generate } = setup();
    const issued = await generate({ key_alias: 'svc', max_budget: 5 });
    keys.commitSpend(issued.key_id, 1_500_000_000);
    const res = await post('/key/regenerate', { key: issued.key });
    expect(res.statusCode).toBe(200);
    const rotated = res.json();
    expect(rotated.key).not.toBe(issued.key);
    expect(rotated).toMatchObject({ key_id: issued.key_id, key_alias: 'svc', max_budget: 5, spend: 1.5 });
    expect((await get('/key/info', { authorization: `Bearer ${issued.key}` })).statusCode).toBe(401);
    expect((await get('/key/info', { authorization: `Bearer ${rotated.key}` })).json().info.key_id).toBe(issued.key_id);
    const again = (await post(`/key/${rotated.key}/regenerate`, { max_budget: 6 })).json();
    expect(again).toMatchObject({ key_id: issued.key_id, max_budget: 6, spend: 1.5 });
    expect((await post(`/key/${again.token_id}/regenerate`, undefined)).statusCode).toBe(200);
    expect((await post('/key/regenerate', { key: 'sk-unknown-key' })).statusCode).toBe(404);
  });
});
