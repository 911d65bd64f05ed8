import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpendLog } from '../../spend/spend-log.ts';
import { DAY_MS, MAR_10, spendRow } from '../../spend/test-rows.ts';
import { adminTestApp, TEST_MASTER_KEY as MASTER, type AdminTestApp } from '../test-admin-app.ts';
import { registerSpendRoutes } from './spend.ts';

const ALICE_RAW = 'sk-alice-raw-key';
const ALICE_HASH = createHash('sha256').update(ALICE_RAW).digest('hex');
const GONE_RAW = 'sk-deleted-key';
const GONE_HASH = createHash('sha256').update(GONE_RAW).digest('hex');
/** A secret with no key shape, configured after a row quoting it was written. */
const LATER_SECRET = 'plain-credential-nobody-guesses';

let gateway: AdminTestApp;

beforeEach(async () => {
  const keyIds = new Map([
    [ALICE_RAW, 'key-a'],
    [ALICE_HASH, 'key-a'],
    ['key-a', 'key-a'],
  ]);
  gateway = adminTestApp((scope, { db }) => {
    const spendLog = new SpendLog(db);
    registerSpendRoutes(scope, { spendLog: () => spendLog, resolveKeyId: (ref) => keyIds.get(ref), secrets: () => [LATER_SECRET] });
  });
  await gateway.app.ready();
  const spendLog = new SpendLog(gateway.db);

  spendLog.insert(spendRow({ requestId: 'r1', keyHash: ALICE_HASH, startTime: MAR_10 + 1000, costNanos: 7_250_000, endUser: 'u-1' }));
  spendLog.insert(
    spendRow({
      requestId: 'r2',
      keyHash: ALICE_HASH,
      startTime: MAR_10 + DAY_MS + 1000,
      modelGroup: 'claude',
      requestedModel: 'claude-primary',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      stream: true,
      ttftMs: 120.4,
      status: 'failure',
      httpStatus: 502,
      errorType: 'upstream_error',
      usageSource: 'estimated',
      // Written before LATER_SECRET was configured: masked on its way out.
      errorMessage: `Overloaded while serving ${LATER_SECRET}`,
    }),
  );
  spendLog.insert(spendRow({ requestId: 'r3', keyId: null, keyHash: GONE_HASH, keyAlias: null, startTime: MAR_10 + 2 * DAY_MS + 1000, costNanos: 1 }));
});

afterEach(async () => {
  await gateway.close();
});

const get = (url: string, key: string | null = MASTER) => gateway.app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });
const ids = (body: string) => (JSON.parse(body) as { request_id: string }[]).map((r) => r.request_id);

describe('GET /spend/logs', () => {
  it('needs the master key', async () => {
    const res = await get('/spend/logs', null);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('missing_api_key');
    expect((await get('/spend/logs', 'sk-wrong')).statusCode).toBe(401);
  });

  it('answers rows in LiteLLM’s SpendLogs shape, newest first, with pagination headers', async () => {
    const res = await get('/spend/logs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers['x-total-pages']).toBe('1');
    expect(ids(res.body)).toEqual(['r3', 'r2', 'r1']);
    const r2 = res.json()[1];
    expect(r2).toEqual({
      request_id: 'r2',
      call_type: 'acompletion',
      api_key: ALICE_HASH,
      key_alias: 'alice',
      spend: 0.000075,
      total_tokens: 15,
      prompt_tokens: 10,
      completion_tokens: 5,
      startTime: '2025-03-11T00:00:01.000Z',
      endTime: '2025-03-11T00:00:01.250Z',
      request_duration_ms: 251,
      completionStartTime: '2025-03-11T00:00:01.120Z',
      model: 'claude-sonnet-4-5',
      model_id: 'dep-1',
      model_group: 'claude',
      requested_model: 'claude-primary',
      custom_llm_provider: 'anthropic',
      api_base: 'https://api.openai.com/v1',
      user: '',
      end_user: null,
      cache_hit: 'False',
      cache_key: '',
      request_tags: [],
      team_id: null,
      status: 'failure',
      metadata: {
        user_api_key: ALICE_HASH,
        user_api_key_alias: 'alice',
        key_id: 'key-a',
        endpoint: 'chat',
        stream: true,
        http_status: 502,
        error_type: 'upstream_error',
        error_information: { error_code: '502', error_class: 'upstream_error', llm_provider: 'anthropic', error_message: 'Overloaded while serving pla…sses' },
        error_message: 'Overloaded while serving pla…sses',
        fallback: true,
        usage_source: 'estimated',
        cached_tokens: 0,
        cache_creation_tokens: 0,
        ttft_ms: 120.4,
        spend_nanos: 75_000,
        cost_source: 'price_table',
      },
    });
    expect(res.json()[2].spend).toBe(0.00725);
  });

  it('filters by api_key (raw key, hash or id; a deleted key by its hash), user_id, request_id and model', async () => {
    expect(ids((await get(`/spend/logs?api_key=${ALICE_RAW}`)).body)).toEqual(['r2', 'r1']);
    expect(ids((await get(`/spend/logs?api_key=${ALICE_HASH}`)).body)).toEqual(['r2', 'r1']);
    expect(ids((await get('/spend/logs?api_key=key-a')).body)).toEqual(['r2', 'r1']);
    expect(ids((await get(`/spend/logs?api_key=${GONE_RAW}`)).body)).toEqual(['r3']);
    expect(ids((await get(`/spend/logs?api_key=${GONE_HASH.toUpperCase()}`)).body)).toEqual(['r3']);
    expect(ids((await get('/spend/logs?user_id=u-1')).body)).toEqual(['r1']);
    expect(ids((await get('/spend/logs?request_id=r2')).body)).toEqual(['r2']);
    expect(ids((await get('/spend/logs?model=claude')).body)).toEqual(['r2']);
    expect(ids((await get('/spend/logs?status=success')).body)).toEqual(['r3', 'r1']);
    expect(ids((await get('/spend/logs?request_id=nope')).body)).toEqual([]);
  });

  it('filters by date (whole UTC days, end included) or ISO date-time', async () => {
    expect(ids((await get('/spend/logs?start_date=2025-03-11')).body)).toEqual(['r3', 'r2']);
    expect(ids((await get('/spend/logs?start_date=2025-03-10&end_date=2025-03-11')).body)).toEqual(['r2', 'r1']);
    expect(ids((await get('/spend/logs?end_date=2025-03-10T00:00:01Z')).body)).toEqual(['r1']);
    expect(ids((await get('/spend/logs?start_date=2025-03-10%2000:00:02')).body)).toEqual(['r3', 'r2']);
    expect(ids((await get('/spend/logs?start_date=2025-03-11T02:00:00%2B02:00')).body)).toEqual(['r3', 'r2']);
  });

  it('pages with page and page_size, and links the neighbours', async () => {
    const res = await get('/spend/logs?page=2&page_size=1&model=gpt-4o');
    expect(ids(res.body)).toEqual(['r1']);
    expect(res.headers).toMatchObject({ 'x-total-count': '2', 'x-page': '2', 'x-page-size': '1', 'x-total-pages': '2' });
    expect(res.headers.link).toContain('</spend/logs?page=1&page_size=1&model=gpt-4o>; rel="prev"');
    expect(res.headers.link).not.toContain('rel="next"');
    expect(ids((await get('/spend/logs?page=9')).body)).toEqual([]);
  });

  it('answers 400 with the parameter for bad values', async () => {
    for (const [query, param] of [
      ['page=0', 'page'],
      ['page=abc', 'page'],
      ['page_size=1001', 'page_size'],
      ['start_date=2025-02-30', 'start_date'],
      ['end_date=yesterday', 'end_date'],
      ['start_date=2025-03-12&end_date=2025-03-10', 'end_date'],
      ['status=maybe', 'status'],
      ['api_key=a&api_key=b', 'api_key'],
      ['summarize=perhaps', 'summarize'],
      ['summarize=true&start_date=2025-03-10', 'end_date'],
    ] as const) {
      const res = await get(`/spend/logs?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error, query).toMatchObject({ type: 'invalid_request_error', param });
    }
  });

  it('summarizes by day like LiteLLM when asked to', async () => {
    const res = await get('/spend/logs?summarize=true&start_date=2025-03-10&end_date=2025-03-13');
    expect(res.json()).toEqual([
      { startTime: '2025-03-10', spend: 0.00725, [ALICE_HASH]: 0.00725, users: { 'u-1': 0.00725 }, models: { 'gpt-4o': 0.00725 } },
      { startTime: '2025-03-11', spend: 0.000075, [ALICE_HASH]: 0.000075, users: { '': 0.000075 }, models: { 'claude-sonnet-4-5': 0.000075 } },
      { startTime: '2025-03-12', spend: 1e-9, [GONE_HASH]: 1e-9, users: { '': 1e-9 }, models: { 'gpt-4o': 1e-9 } },
      { startTime: '2025-03-13', spend: 0, users: {}, models: {} },
    ]);
  });
});

describe('GET /admin/usage/daily', () => {
  it('totals per day and model by default, listing every day of the range', async () => {
    const res = await get('/admin/usage/daily?start_date=2025-03-10&end_date=2025-03-11');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      group_by: 'model',
      start_date: '2025-03-10T00:00:00.000Z',
      end_date: '2025-03-12T00:00:00.000Z',
      dates: ['2025-03-10', '2025-03-11'],
      days: [
        { date: '2025-03-10', group: 'gpt-4o', label: 'gpt-4o', requests: 1, failed_requests: 0, prompt_tokens: 10, completion_tokens: 5, spend: 0.00725 },
        { date: '2025-03-11', group: 'claude', label: 'claude', requests: 1, failed_requests: 1, prompt_tokens: 10, completion_tokens: 5, spend: 0.000075 },
      ],
    });
  });

  it('groups by key', async () => {
    const res = await get('/admin/usage/daily?group_by=key&start_date=2025-03-10&end_date=2025-03-12');
    expect(res.json().days.map((d: { date: string; group: string | null; label: string | null }) => [d.date, d.group, d.label])).toEqual([
      ['2025-03-10', 'key-a', 'alice'],
      ['2025-03-11', 'key-a', 'alice'],
      ['2025-03-12', null, null],
    ]);
  });

  it('defaults to the last 30 days and rejects bad values', async () => {
    const res = await get('/admin/usage/daily');
    expect(res.statusCode).toBe(200);
    expect(res.json().dates).toHaveLength(30);
    expect((await get('/admin/usage/daily?group_by=team')).json().error.param).toBe('group_by');
    expect((await get('/admin/usage/daily?start_date=1900-01-01&end_date=2025-01-01')).json().error.param).toBe('start_date');
    expect((await get('/admin/usage/daily', null)).statusCode).toBe(401);
  });
});

describe('GET /admin/usage/summary', () => {
  it('totals a range', async () => {
    const res = await get('/admin/usage/summary?start_date=2025-03-10&end_date=2025-03-12');
    expect(res.json()).toMatchObject({
      start_date: '2025-03-10T00:00:00.000Z',
      end_date: '2025-03-13T00:00:00.000Z',
      requests: 3,
      failed_requests: 1,
      error_rate: 1 / 3,
      prompt_tokens: 30,
      spend_nanos: 7_325_001,
      spend: 0.007325001,
      estimated_requests: 1,
    });
    expect((await get('/admin/usage/summary?end_date=2025-13-01')).json().error.param).toBe('end_date');
  });
});
