import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database.ts';
import { SpendLog } from './spend-log.ts';
import { DAY_MS, MAR_10, spendRow } from './test-rows.ts';

let db: Db;
let log: SpendLog;

beforeEach(() => {
  db = openDatabase(':memory:');
  log = new SpendLog(db);
});
afterEach(() => db.close());

const everything = { startTime: 0, endTime: Number.MAX_SAFE_INTEGER };

describe('SpendLog.insert / query', () => {
  it('round-trips every field', () => {
    const row = spendRow({
      endpoint: 'messages',
      stream: true,
      ttftMs: 42.5,
      cacheHit: true,
      status: 'failure',
      httpStatus: 502,
      errorType: 'upstream_error',
      endUser: 'u-1',
      usageSource: 'estimated',
      cachedTokens: 3,
      cacheCreationTokens: 2,
      costSource: 'unpriced',
      requestedModel: 'gpt-4o-primary',
      errorMessage: 'Upstream said: overloaded',
    });
    log.insert(row);
    expect(log.query({}, { page: 1, pageSize: 10 })).toEqual({ rows: [row], total: 1 });
  });

  it('keeps the requested model beside the serving group; an entry from before either existed reads as null', () => {
    log.insert(spendRow({ requestId: 'fell-back', requestedModel: 'primary', modelGroup: 'backup' }));
    const { requestedModel: _r, errorMessage: _e, ...older } = spendRow({ requestId: 'older-journal-entry' });
    log.insert(older);
    const read = (requestId: string) => log.query({ requestId }, { page: 1, pageSize: 1 }).rows[0];
    expect(read('fell-back')).toMatchObject({ requestedModel: 'primary', modelGroup: 'backup' });
    expect(read('older-journal-entry')).toMatchObject({ requestedModel: null, errorMessage: null, modelGroup: 'gpt-4o' });
  });

  it('stores where the cost came from; a row from before cost_source existed reads as price_table', () => {
    log.insert(spendRow({ requestId: 'from-deployment', costSource: 'deployment' }));
    const { costSource: _, ...older } = spendRow({ requestId: 'older-journal-entry' });
    log.insert(older);
    expect(log.query({ requestId: 'from-deployment' }, { page: 1, pageSize: 1 }).rows[0]?.costSource).toBe('deployment');
    expect(log.query({ requestId: 'older-journal-entry' }, { page: 1, pageSize: 1 }).rows[0]?.costSource).toBe('price_table');
  });

  it('keeps nulls for requests without a key or deployment', () => {
    const row = spendRow({ keyId: null, keyHash: null, keyAlias: null, deploymentId: null, provider: null, apiBase: null, model: null, modelGroup: null });
    log.insert(row);
    expect(log.query({ requestId: row.requestId }, { page: 1, pageSize: 1 }).rows[0]).toEqual(row);
  });

  it('refuses a second row for the same request', () => {
    const row = spendRow();
    log.insert(row);
    expect(() => log.insert(row)).toThrow(/UNIQUE|PRIMARY/);
  });

  it('filters by key, key hash, model, end user, request id, status and time range', () => {
    const a = spendRow({ startTime: MAR_10 + 1000 });
    const b = spendRow({ keyId: 'key-b', keyHash: 'b'.repeat(64), keyAlias: 'bob', startTime: MAR_10 + 2000, endUser: 'u-1' });
    const c = spendRow({ modelGroup: 'claude', startTime: MAR_10 + DAY_MS, status: 'failure', httpStatus: 500 });
    for (const row of [a, b, c]) log.insert(row);
    const ids = (filter: Parameters<SpendLog['query']>[0]) => log.query(filter, { page: 1, pageSize: 100 }).rows.map((r) => r.requestId);

    expect(ids({})).toEqual([c.requestId, b.requestId, a.requestId]); // newest first
    expect(ids({ keyId: 'key-a' })).toEqual([c.requestId, a.requestId]);
    expect(ids({ keyHash: 'b'.repeat(64) })).toEqual([b.requestId]);
    expect(ids({ model: 'claude' })).toEqual([c.requestId]);
    expect(ids({ endUser: 'u-1' })).toEqual([b.requestId]);
    expect(ids({ requestId: a.requestId })).toEqual([a.requestId]);
    expect(ids({ status: 'failure' })).toEqual([c.requestId]);
    expect(ids({ startTime: MAR_10 + 2000 })).toEqual([c.requestId, b.requestId]);
    expect(ids({ endTime: MAR_10 + 2000 })).toEqual([a.requestId]); // end is exclusive
    expect(ids({ keyId: 'key-a', startTime: MAR_10, endTime: MAR_10 + DAY_MS })).toEqual([a.requestId]);
    expect(ids({ keyId: 'nobody' })).toEqual([]);
  });

  it('pages newest first and counts every match', () => {
    for (let i = 0; i < 25; i++) log.insert(spendRow({ startTime: MAR_10 + i * 1000 }));
    const first = log.query({}, { page: 1, pageSize: 10 });
    const third = log.query({}, { page: 3, pageSize: 10 });
    expect(first.total).toBe(25);
    expect(first.rows).toHaveLength(10);
    expect(first.rows[0]!.startTime).toBe(MAR_10 + 24_000);
    expect(third.rows.map((r) => r.startTime)).toEqual([4, 3, 2, 1, 0].map((i) => MAR_10 + i * 1000));
    expect(log.query({}, { page: 4, pageSize: 10 }).rows).toEqual([]);
  });
});

describe('SpendLog aggregates', () => {
  it('sums a thousand tiny costs exactly', () => {
    const insertAll = db.transaction(() => {
      for (let i = 0; i < 1000; i++) log.insert(spendRow({ costNanos: 150, startTime: MAR_10 + i }));
    });
    insertAll();
    const totals = log.totals(everything);
    expect(totals.spend_nanos).toBe(150_000);
    expect(totals.spend).toBe(0.00015);
    expect(log.dailyTotals('model', everything)[0]!.spend).toBe(0.00015);
  });

  it('totals per UTC day by key and by model', () => {
    log.insert(spendRow({ startTime: MAR_10 + 1000, costNanos: 1_000_000_000 }));
    log.insert(spendRow({ startTime: MAR_10 + DAY_MS - 1, costNanos: 500_000_000, modelGroup: 'claude', status: 'failure' }));
    log.insert(spendRow({ startTime: MAR_10 + DAY_MS, keyId: 'key-b', keyAlias: 'bob', costNanos: 250_000_000 }));
    log.insert(spendRow({ startTime: MAR_10 + DAY_MS + 5, keyId: null, keyHash: null, keyAlias: null, costNanos: 1 }));
    log.insert(spendRow({ startTime: MAR_10 + 5 * DAY_MS })); // outside the range

    const range = { startTime: MAR_10, endTime: MAR_10 + 2 * DAY_MS };
    expect(log.dailyTotals('key', range)).toEqual([
      { date: '2025-03-10', group: 'key-a', label: 'alice', requests: 2, failed_requests: 1, prompt_tokens: 20, completion_tokens: 10, spend: 1.5 },
      { date: '2025-03-11', group: null, label: null, requests: 1, failed_requests: 0, prompt_tokens: 10, completion_tokens: 5, spend: 1e-9 },
      { date: '2025-03-11', group: 'key-b', label: 'bob', requests: 1, failed_requests: 0, prompt_tokens: 10, completion_tokens: 5, spend: 0.25 },
    ]);
    expect(log.dailyTotals('model', range).map((d) => [d.date, d.group, d.requests, d.spend])).toEqual([
      ['2025-03-10', 'claude', 1, 0.5],
      ['2025-03-10', 'gpt-4o', 1, 1],
      ['2025-03-11', 'gpt-4o', 2, 0.250000001],
    ]);
  });

  it('totals a range for the dashboard, error rate included', () => {
    log.insert(spendRow({ costNanos: 100, durationMs: 100, ttftMs: 10, cachedTokens: 4 }));
    log.insert(spendRow({ costNanos: 200, durationMs: 300, status: 'failure', usageSource: 'estimated' }));
    log.insert(spendRow({ costNanos: 0, durationMs: 200, ttftMs: 10, promptTokens: 0, completionTokens: 0, totalTokens: 0, costSource: 'unpriced' }));
    expect(log.totals(everything)).toEqual({
      requests: 3,
      successful_requests: 2,
      failed_requests: 1,
      error_rate: 1 / 3,
      prompt_tokens: 20,
      completion_tokens: 10,
      total_tokens: 30,
      cached_tokens: 4,
      spend: 3e-7,
      spend_nanos: 300,
      estimated_requests: 1,
      unpriced_requests: 1,
      avg_duration_ms: 200,
      avg_ttft_ms: 10,
    });
    expect(log.totals({ startTime: 0, endTime: 1 })).toMatchObject({ requests: 0, error_rate: 0, spend: 0, avg_duration_ms: null });
  });

  it('splits spend per day, key hash, end user and model (LiteLLM’s summarized view)', () => {
    log.insert(spendRow({ costNanos: 10, endUser: 'u-1' }));
    log.insert(spendRow({ costNanos: 20, endUser: 'u-1' }));
    log.insert(spendRow({ costNanos: 5, endUser: 'u-2', startTime: MAR_10 + DAY_MS }));
    expect(log.dailySpendCells({ endUser: 'u-1' })).toEqual([{ date: '2025-03-10', keyHash: 'a'.repeat(64), endUser: 'u-1', model: 'gpt-4o', spendNanos: 30 }]);
    expect(log.dailySpendCells({})).toHaveLength(2);
  });
});

describe('SpendLog.prune', () => {
  it('deletes rows that started before the cutoff, in batches, and returns how many', () => {
    const insertAll = db.transaction(() => {
      for (let i = 0; i < 12_000; i++) log.insert(spendRow({ startTime: MAR_10 - DAY_MS + i }));
      log.insert(spendRow({ startTime: MAR_10 }));
    });
    insertAll();
    expect(log.pruneBatch(MAR_10, 100)).toBe(100);
    expect(log.prune(MAR_10)).toBe(11_900);
    expect(log.query({}, { page: 1, pageSize: 10 }).total).toBe(1);
    expect(log.prune(MAR_10)).toBe(0);
  });
});
