import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database.ts';
import { KeyLimiter } from './key-limits.ts';
import { KeyStore } from './key-store.ts';

/** The limiter's memory per key must not outlive the key's use: keys come and go, the gateway stays up. */
const T0 = Date.UTC(2025, 5, 1);
const WINDOW_MS = 60_000;
let now = T0;
const dbs: Db[] = [];

function setup() {
  const db = openDatabase(':memory:');
  dbs.push(db);
  const keys = new KeyStore(db, () => now);
  return { keys, limiter: new KeyLimiter(keys) };
}

const call = { worstCaseNanos: 0, estimatedTokens: 10 };

afterEach(() => {
  now = T0;
  for (const db of dbs.splice(0)) db.close();
});

describe('KeyLimiter memory under key churn', () => {
  it('drops the windows of keys idle for a whole window', () => {
    const { keys, limiter } = setup();
    const churned = Array.from({ length: 50 }, () => keys.generate({ rpmLimit: 100 }).key);
    for (const key of churned) limiter.admit(key, call, now).settle({ costNanos: 0, tokens: 10 });
    expect(limiter.trackedKeys).toBe(50);

    now += WINDOW_MS;
    const active = keys.generate({}).key;
    limiter.admit(active, call, now).release();
    expect(limiter.trackedKeys).toBe(1);
    expect(limiter.snapshot(churned[0]!.id, now)).toEqual({ reservedNanos: 0, inFlight: 0, requestsLastMinute: 0, tokensLastMinute: 0 });
  });

  it('drops a deleted or expired key at the next sweep even while its window still holds entries', () => {
    const { keys, limiter } = setup();
    const survivor = keys.generate({}).key;
    limiter.admit(survivor, call, now).release(); // the limiter's sweep clock starts here
    now += WINDOW_MS / 2;
    const deleted = keys.generate({}).key;
    const expiring = keys.generate({ duration: '1s' }).key;
    limiter.admit(deleted, call, now).release();
    limiter.admit(expiring, call, now).release();
    keys.delete([deleted.id]);
    limiter.admit(survivor, call, now).release();
    expect(limiter.trackedKeys).toBe(3);

    now = T0 + WINDOW_MS; // the deleted and expired keys' entries are 30 s old: still inside the window
    limiter.admit(survivor, call, now).release();
    expect(limiter.trackedKeys).toBe(1);
    expect(limiter.snapshot(survivor.id, now).requestsLastMinute).toBe(2);
  });

  it('keeps a key whose call is still in flight, so the call settles against the same counters', () => {
    const { keys, limiter } = setup();
    const slow = keys.generate({ maxParallelRequests: 1 }).key;
    const other = keys.generate({}).key;
    const running = limiter.admit(slow, call, now);
    now += 3 * WINDOW_MS;
    limiter.admit(other, call, now).release();
    expect(limiter.trackedKeys).toBe(2);
    expect(limiter.snapshot(slow.id, now).inFlight).toBe(1);
    running.settle({ costNanos: 0, tokens: 10 });
    expect(limiter.snapshot(slow.id, now).inFlight).toBe(0);
  });
});
