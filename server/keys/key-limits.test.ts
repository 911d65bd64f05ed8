import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { KeyLimiter } from './key-limits.ts';
import { KeyStore, type NewKeyInput } from './key-store.ts';
import { usdToNanos } from '../spend/cost.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';

const T0 = Date.UTC(2025, 5, 1);
let now = T0;
const dbs: Db[] = [];

function setup(input: NewKeyInput) {
  const db = openDatabase(':memory:');
  dbs.push(db);
  const keys = new KeyStore(db, () => now);
  const limiter = new KeyLimiter(keys);
  const { key } = keys.generate(input);
  const spendRow = () => db.prepare('SELECT spend_nanos AS spend FROM keys WHERE id = ?').get(key.id) as { spend: number };
  return { db, keys, limiter, key, spendRow };
}

afterEach(() => {
  now = T0;
  for (const db of dbs.splice(0)) db.close();
});

const refusal = gatewayErrorFrom;

const call = (worstCaseNanos: number, estimatedTokens = 0) => ({ worstCaseNanos, estimatedTokens });

describe('budget: reserve before, settle after', () => {
  it('reserves the worst case, settles to the real cost, and release frees without spending', () => {
    const { limiter, key, spendRow } = setup({ maxBudgetNanos: 1000 });
    const a = limiter.admit(key, call(600), now);
    expect(limiter.snapshot(key.id, now)).toMatchObject({ reservedNanos: 600, inFlight: 1 });
    // 600 reserved + 600 more would pass 1000.
    expect(refusal(() => limiter.admit(key, call(600), now)).code).toBe('insufficient_quota');
    a.settle({ costNanos: 250, tokens: 10 });
    a.settle({ costNanos: 250, tokens: 10 }); // once only
    expect(key.spendNanos).toBe(250);
    expect(spendRow().spend).toBe(250);
    const b = limiter.admit(key, call(600), now);
    b.release();
    b.release();
    b.settle({ costNanos: 600, tokens: 1 }); // after release: nothing
    expect(limiter.snapshot(key.id, now)).toMatchObject({ reservedNanos: 0, inFlight: 0 });
    expect(key.spendNanos).toBe(250);
  });

  it('refuses with 429 insufficient_quota, x-should-retry: false and the amounts in dollars', () => {
    const { keys, limiter, key } = setup({ maxBudgetNanos: usdToNanos(1) });
    keys.commitSpend(key.id, usdToNanos(1));
    const error = refusal(() => limiter.admit(key, call(0), now));
    expect(error.status).toBe(429);
    expect(error.toBody().error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(error.headers['x-should-retry']).toBe('false');
    expect(error.headers['retry-after']).toBeUndefined(); // no budget_duration: it never comes back
    expect(error.message).toContain('Current cost: $1.0000, Max budget: $1.0000');
  });

  // admit and settle are synchronous (the gateway is one Node process and never awaits between the check and the
  // reservation), so "concurrent" calls are calls in flight together: admitted, not yet settled. This walks such an
  // interleaving step by step instead of racing sleeps around synchronous calls, which proved nothing more.
  it('calls in flight hold their reservations: a nearly spent key admits only what fits, and spend never passes the budget', () => {
    const budget = 1_000_000_000; // $1
    const worstCase = 10_000_000; // $0.01
    const { db, keys, limiter, key, spendRow } = setup({ maxBudgetNanos: budget });
    keys.commitSpend(key.id, 955_000_000); // room for four worst cases, not five
    const logged = () => (db.prepare('SELECT COALESCE(SUM(cost_nanos), 0) AS total FROM spend_logs').get() as { total: number }).total;
    const settle = (admission: ReturnType<KeyLimiter['admit']>, id: string, cost: number) =>
      admission.settle({
        costNanos: cost,
        tokens: 100,
        inTransaction: () =>
          db
            .prepare(
              "INSERT INTO spend_logs (request_id, key_id, endpoint, start_time, end_time, duration_ms, status, http_status, usage_source, cost_nanos) VALUES (?, ?, 'chat', 0, 1, 1, 'success', 200, 'provider', ?)",
            )
            .run(id, key.id, cost),
      });
    const tryAdmit = () => {
      try {
        return limiter.admit(key, call(worstCase), now);
      } catch (err) {
        expect((err as GatewayError).code).toBe('insufficient_quota');
        return err as GatewayError;
      }
    };

    // Fifty calls arrive before any has finished: four fit, the other 46 are refused, naming what is reserved.
    const outcomes = Array.from({ length: 50 }, tryAdmit);
    const inFlight = outcomes.filter((o) => !(o instanceof GatewayError)) as ReturnType<KeyLimiter['admit']>[];
    expect(inFlight).toHaveLength(4);
    expect((outcomes[4] as GatewayError).message).toContain('Calls in flight have reserved $0.0400 more.');
    expect(limiter.snapshot(key.id, now)).toMatchObject({ reservedNanos: 4 * worstCase, inFlight: 4 });

    // They finish out of order, each costing less than it reserved; one more call arrives after each.
    // spent + reserved after each settle: 963 + 30, 973 + 20, 980 + 10 (room for one more), 989 + 10.
    const steps: [number, number, boolean][] = [
      [2, 8_000_000, false],
      [0, 10_000_000, false],
      [3, 7_000_000, true],
      [1, 9_000_000, false],
    ];
    for (const [index, cost, admitsAnother] of steps) {
      settle(inFlight[index]!, `r${index}`, cost);
      expect(key.spendNanos).toBeLessThanOrEqual(budget);
      expect(spendRow().spend).toBe(key.spendNanos); // the key's row and its spend logs in one transaction
      expect(955_000_000 + logged()).toBe(key.spendNanos);
      const next = tryAdmit();
      expect(next instanceof GatewayError).toBe(!admitsAnother);
      if (!(next instanceof GatewayError)) inFlight.push(next);
    }
    expect(limiter.snapshot(key.id, now)).toMatchObject({ reservedNanos: worstCase, inFlight: 1 });
    // The last one costs its whole reservation: spend ends at $0.999, under the budget.
    settle(inFlight[4]!, 'r4', worstCase);
    expect(key.spendNanos).toBe(999_000_000);
    expect(spendRow().spend).toBe(999_000_000);
    expect(955_000_000 + logged()).toBe(999_000_000);
    expect(limiter.snapshot(key.id, now)).toMatchObject({ reservedNanos: 0, inFlight: 0 });
  });

  it('starts a new budget period when budget_reset_at has passed, and schedules the next', () => {
    const { keys, limiter, key, spendRow } = setup({ maxBudgetNanos: 100, budgetDuration: '30m' });
    keys.commitSpend(key.id, 100);
    now = T0 + 10 * 60_000;
    const error = refusal(() => limiter.admit(key, call(10), now));
    expect(error.headers['retry-after']).toBe(String(20 * 60)); // until the period ends
    now = T0 + 30 * 60_000;
    limiter.admit(key, call(10), now).settle({ costNanos: 7, tokens: 1 });
    expect(key).toMatchObject({ spendNanos: 7, totalSpendNanos: 107, budgetResetAt: now + 30 * 60_000 });
    expect(spendRow().spend).toBe(7);
  });
});

describe('rate limits', () => {
  it('rpm_limit: a sliding minute, with Retry-After until the oldest request leaves it', () => {
    const { limiter, key } = setup({ rpmLimit: 3 });
    for (const at of [0, 10_000, 20_000]) limiter.admit(key, call(0), T0 + at).settle({ costNanos: 0, tokens: 0 });
    const error = refusal(() => limiter.admit(key, call(0), T0 + 30_000));
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(error.type).toBe('rate_limit_error');
    expect(error.headers['retry-after']).toBe('30');
    expect(() => limiter.admit(key, call(0), T0 + 60_000)).not.toThrow();
  });

  it('tpm_limit: counts reserved estimates, settles them to the real count', () => {
    const { limiter, key } = setup({ tpmLimit: 1000 });
    const first = limiter.admit(key, call(0, 600), T0);
    const error = refusal(() => limiter.admit(key, call(0, 600), T0 + 5_000));
    expect(error.headers['retry-after']).toBe('55');
    first.settle({ costNanos: 0, tokens: 100 });
    expect(() => limiter.admit(key, call(0, 600), T0 + 5_000)).not.toThrow(); // 100 + 600 fits
    expect(limiter.snapshot(key.id, T0 + 5_000).tokensLastMinute).toBe(700);
  });

  it('tpm_limit: a call larger than the whole limit runs when the window is empty', () => {
    const { limiter, key } = setup({ tpmLimit: 100 });
    limiter.admit(key, call(0, 500), T0).settle({ costNanos: 0, tokens: 450 });
    expect(refusal(() => limiter.admit(key, call(0, 500), T0 + 1000)).headers['retry-after']).toBe('59');
    expect(() => limiter.admit(key, call(0, 500), T0 + 60_000)).not.toThrow();
  });

  it('max_parallel_requests: counts calls in flight', () => {
    const { limiter, key } = setup({ maxParallelRequests: 2 });
    const a = limiter.admit(key, call(0), T0);
    limiter.admit(key, call(0), T0);
    const error = refusal(() => limiter.admit(key, call(0), T0));
    expect(error.headers['retry-after']).toBe('1');
    expect(error.message).toContain('max_parallel_requests 2');
    a.release();
    expect(() => limiter.admit(key, call(0), T0)).not.toThrow();
  });

  it('a refused call reserves nothing', () => {
    const { limiter, key } = setup({ rpmLimit: 1, maxBudgetNanos: 1000 });
    limiter.admit(key, call(100), T0);
    refusal(() => limiter.admit(key, call(100), T0));
    expect(limiter.snapshot(key.id, T0)).toMatchObject({ reservedNanos: 100, inFlight: 1, requestsLastMinute: 1 });
  });
});
