import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../store/database.ts';
import { HOUR_MS, parseRetention, pruneExpired, startRetention } from './retention.ts';
import { SpendLog } from './spend-log.ts';
import { DAY_MS, spendRow } from './test-rows.ts';

describe('parseRetention', () => {
  it('reads LiteLLM durations', () => {
    expect(parseRetention('3600s')).toBe(3_600_000);
    expect(parseRetention('60m')).toBe(3_600_000);
    expect(parseRetention('12h')).toBe(12 * HOUR_MS);
    expect(parseRetention('30d')).toBe(30 * DAY_MS);
    expect(parseRetention('1w')).toBe(7 * DAY_MS);
    expect(parseRetention('2mo')).toBe(60 * DAY_MS);
    expect(parseRetention(' 7D ')).toBe(7 * DAY_MS);
  });

  it('treats an unset value as no retention', () => {
    expect(parseRetention(undefined)).toBeUndefined();
    expect(parseRetention(null)).toBeUndefined();
    expect(parseRetention('')).toBeUndefined();
  });

  it('rejects anything else with the accepted forms', () => {
    for (const bad of ['30', 30, '0d', '1.5d', 'd', '30 days', '-1d', {}]) {
      expect(() => parseRetention(bad), String(bad)).toThrow(/"30d"/);
    }
  });
});

describe('retention', () => {
  let db: Db;
  let log: SpendLog;
  beforeEach(() => {
    db = openDatabase(':memory:');
    log = new SpendLog(db);
  });
  afterEach(() => db.close());

  const count = () => log.query({}, { page: 1, pageSize: 1 }).total;

  it('prunes everything older than the period, across batches', async () => {
    const now = Date.UTC(2025, 5, 1);
    db.transaction(() => {
      for (let i = 0; i < 11_000; i++) log.insert(spendRow({ startTime: now - 40 * DAY_MS + i }));
      log.insert(spendRow({ startTime: now - DAY_MS }));
    })();
    expect(await pruneExpired(log, 30 * DAY_MS, now)).toBe(11_000);
    expect(count()).toBe(1);
  });

  describe('on a fake clock (its setImmediate and setInterval)', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('prunes at start, then on every interval, until stopped', async () => {
      const logged: unknown[] = [];
      const logger = { info: (obj: object) => logged.push(obj), error: (obj: object) => logged.push(obj) };
      log.insert(spendRow({ startTime: Date.now() - 2 * DAY_MS }));
      log.insert(spendRow({ startTime: Date.now() }));
      const stop = startRetention(log, DAY_MS, logger, 20);
      expect(count()).toBe(2); // not inside the caller's turn…
      await vi.advanceTimersByTimeAsync(0);
      expect(count()).toBe(1); // …but on the next one
      expect(logged).toEqual([{ deleted: 1, retention_ms: DAY_MS }]);

      log.insert(spendRow({ startTime: Date.now() - 3 * DAY_MS }));
      await vi.advanceTimersByTimeAsync(19);
      expect(count()).toBe(2);
      await vi.advanceTimersByTimeAsync(1); // the first interval
      expect(count()).toBe(1);

      stop();
      log.insert(spendRow({ startTime: Date.now() - 3 * DAY_MS }));
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(10 * 20); // ten intervals: none runs
      expect(count()).toBe(2);
      expect(logged).toHaveLength(2);
    });

    it('logs a failure instead of throwing', async () => {
      const errors: unknown[] = [];
      const stop = startRetention(log, DAY_MS, { info: () => {}, error: (obj) => errors.push(obj) });
      db.close();
      await vi.advanceTimersByTimeAsync(0);
      stop();
      expect(errors).toHaveLength(1);
      db = openDatabase(':memory:');
    });
  });
});
