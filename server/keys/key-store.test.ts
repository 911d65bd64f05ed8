import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { KeyStore } from './key-store.ts';
import { usdToNanos } from '../spend/cost.ts';
import { hashKey } from './virtual-key.ts';

const T0 = Date.UTC(2025, 5, 1);
let now = T0;
const clock = () => now;
const dbs: Db[] = [];
const dirs: string[] = [];

function store(db: Db = openDatabase(':memory:')): KeyStore {
  dbs.push(db);
  return new KeyStore(db, clock);
}

afterEach(() => {
  now = T0;
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('KeyStore: issuing and verifying', () => {
  it('issues sk- keys of crypto-random base62 and verifies them from memory', () => {
    const keys = store();
    const { rawKey, key } = keys.generate({ keyAlias: 'ci' });
    expect(rawKey).toMatch(/^sk-[0-9A-Za-z]{24}$/);
    expect(key.keyHash).toBe(hashKey(rawKey));
    expect(key.keyName).toBe(`sk-…${rawKey.slice(-4)}`);
    expect(keys.verify(rawKey)).toBe(key);
    expect(keys.generate().rawKey).not.toBe(rawKey);
  });

  it('accepts a caller-chosen key only when it starts with "sk-" and is new', () => {
    const keys = store();
    expect(keys.generate({ key: 'sk-my-own-key-1' }).rawKey).toBe('sk-my-own-key-1');
    expect(errorOf(() => keys.generate({ key: 'my-own-key-2' }))).toMatchObject({ status: 400, param: 'key' });
    expect(errorOf(() => keys.generate({ key: 'sk-my-own-key-1' }))).toMatchObject({ status: 400, param: 'key', code: 'key_exists' });
  });

  it('answers 401 for unknown, blocked and expired keys', () => {
    const keys = store();
    expect(errorOf(() => keys.verify('sk-nope'))).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const blocked = keys.generate({ blocked: true });
    expect(errorOf(() => keys.verify(blocked.rawKey))).toMatchObject({ status: 401, code: 'key_blocked' });
    const shortLived = keys.generate({ duration: '30s' });
    expect(shortLived.key.expiresAt).toBe(T0 + 30_000);
    now = T0 + 29_999;
    expect(keys.verify(shortLived.rawKey).id).toBe(shortLived.key.id);
    now = T0 + 30_000;
    expect(errorOf(() => keys.verify(shortLived.rawKey))).toMatchObject({ status: 401, code: 'key_expired' });
    expect(keys.generate({ duration: null }).key.expiresAt).toBeNull();
  });

  it('finds a key by raw key, token hash or id', () => {
    const keys = store();
    const { rawKey, key } = keys.generate();
    expect(keys.find(rawKey)).toBe(key);
    expect(keys.find(key.keyHash)).toBe(key);
    expect(keys.find(key.id)).toBe(key);
    expect(keys.find('sk-unknown')).toBeUndefined();
  });

  it('never stores the raw key: the database file holds only its hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-at-rest-'));
    dirs.push(dir);
    const db = openDatabase(join(dir, 'gateway.db'));
    const keys = store(db);
    const issued = [keys.generate({ keyAlias: 'a' }), keys.generate({ key: 'sk-chosen-by-caller' })];
    const rotated = keys.regenerate(issued[0]!.key.id);
    const raws = [...issued.map((i) => i.rawKey), rotated.rawKey];
    const rows = JSON.stringify(db.prepare('SELECT * FROM keys').all());
    db.close();
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1'));
    for (const raw of raws) {
      expect(rows).not.toContain(raw);
      expect(rows).not.toContain(raw.slice(3)); // nor its random part
      for (const bytes of files) expect(bytes).not.toContain(raw.slice(3));
    }
    expect(rows).toContain(hashKey(rotated.rawKey));
    expect(files.join('')).toContain(hashKey(issued[1]!.rawKey));
  });
});

describe('KeyStore: changes', () => {
  it('stores models, aliases, metadata and limits, and loads them back on start', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const { rawKey, key } = keys.generate({
      keyAlias: 'team-a',
      models: ['gpt-4o', 'claude-*'],
      aliases: { 'gpt-4': 'gpt-4o' },
      metadata: { team: 'core', n: 1 },
      maxBudgetNanos: usdToNanos(10),
      budgetDuration: '30d',
      rpmLimit: 60,
      tpmLimit: 10_000,
      maxParallelRequests: 4,
      userId: 'u1',
      teamId: 't1',
    });
    expect(key.budgetResetAt).toBe(T0 + 30 * 86_400_000);
    const reloaded = new KeyStore(db, clock).verify(rawKey);
    expect(reloaded).toEqual(key);
  });

  it('updates in place, persists, and refuses a duplicate alias', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const a = keys.generate({ keyAlias: 'a', duration: '1d' });
    keys.generate({ keyAlias: 'b' });
    now = T0 + 1000;
    const updated = keys.update(a.rawKey, { models: ['m1'], maxBudgetNanos: 5, rpmLimit: null, duration: '-1', spendNanos: 3 });
    expect(updated).toBe(a.key);
    expect(updated).toMatchObject({ models: ['m1'], maxBudgetNanos: 5, expiresAt: null, spendNanos: 3, updatedAt: T0 + 1000, keyAlias: 'a' });
    expect(errorOf(() => keys.update(a.key.id, { keyAlias: 'b' }))).toMatchObject({ status: 400, param: 'key_alias' });
    expect(errorOf(() => keys.update(a.key.id, { budgetDuration: 'soon' }))).toMatchObject({ status: 400, param: 'budget_duration' });
    expect(a.key.keyAlias).toBe('a'); // a refused change leaves the key as it was
    expect(keys.update(a.key.id, { keyAlias: 'a' }).keyAlias).toBe('a'); // its own alias is not a duplicate
    expect(new KeyStore(db, clock).find(a.key.id)).toEqual(a.key);
    expect(errorOf(() => keys.update('sk-missing', {}))).toMatchObject({ status: 404, param: 'key' });
  });

  it('deletes: the key stops working at once and is gone from the table', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const a = keys.generate();
    const b = keys.generate();
    expect(keys.delete([a.rawKey, b.key.keyHash, 'sk-not-a-key'])).toEqual([a.rawKey, b.key.keyHash]);
    expect(errorOf(() => keys.verify(a.rawKey)).status).toBe(401);
    expect(errorOf(() => keys.verify(b.rawKey)).status).toBe(401);
    expect(db.prepare('SELECT COUNT(*) AS n FROM keys').get()).toEqual({ n: 0 });
  });

  it('lists newest first with filters and pages', () => {
    const keys = store();
    for (let i = 0; i < 5; i++) {
      now = T0 + i;
      keys.generate({ keyAlias: `k${i}`, teamId: i % 2 === 0 ? 'even' : 'odd' });
    }
    const page1 = keys.list({}, { page: 1, size: 2 });
    expect(page1.total).toBe(5);
    expect(page1.keys.map((k) => k.keyAlias)).toEqual(['k4', 'k3']);
    expect(keys.list({}, { page: 3, size: 2 }).keys.map((k) => k.keyAlias)).toEqual(['k0']);
    expect(keys.list({ teamId: 'even' }, { page: 1, size: 10 }).keys.map((k) => k.keyAlias)).toEqual(['k4', 'k2', 'k0']);
    expect(keys.list({ keyAlias: 'k1' }).keys).toHaveLength(1);
  });

  it('regenerates: same id, alias, budget and spend; the old raw key stops working', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const old = keys.generate({ keyAlias: 'svc', maxBudgetNanos: 1000 });
    keys.commitSpend(old.key.id, 250);
    const fresh = keys.regenerate(old.rawKey);
    expect(fresh.rawKey).not.toBe(old.rawKey);
    expect(fresh.key).toBe(old.key);
    expect(fresh.key).toMatchObject({ id: old.key.id, keyAlias: 'svc', maxBudgetNanos: 1000, spendNanos: 250, totalSpendNanos: 250 });
    expect(errorOf(() => keys.verify(old.rawKey)).code).toBe('invalid_api_key');
    expect(keys.verify(fresh.rawKey).id).toBe(old.key.id);
    const reloaded = new KeyStore(db, clock);
    expect(reloaded.verify(fresh.rawKey)).toEqual(fresh.key);
    expect(() => reloaded.verify(old.rawKey)).toThrow(GatewayError);
    expect(keys.regenerate(old.key.id, { newKey: 'sk-rotated-by-me' }).rawKey).toBe('sk-rotated-by-me');
  });
});

describe('KeyStore: spend and use', () => {
  it("commits spend to the row and to memory together, with the caller's row in the same transaction", () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const { key } = keys.generate();
    keys.commitSpend(key.id, 1200, () =>
      db
        .prepare(
          "INSERT INTO spend_logs (request_id, key_id, endpoint, start_time, end_time, duration_ms, status, http_status, usage_source, cost_nanos) VALUES ('r1', ?, 'chat', 0, 1, 1, 'success', 200, 'provider', 1200)",
        )
        .run(key.id),
    );
    expect(key).toMatchObject({ spendNanos: 1200, totalSpendNanos: 1200 });
    expect(db.prepare('SELECT spend_nanos, total_spend_nanos FROM keys').get()).toEqual({ spend_nanos: 1200, total_spend_nanos: 1200 });
    // A failing spend row rolls the key's spend back too, and memory does not move.
    expect(() => keys.commitSpend(key.id, 100, () => db.prepare("INSERT INTO spend_logs (request_id) VALUES ('r1')").run())).toThrow();
    expect(key.spendNanos).toBe(1200);
    expect(db.prepare('SELECT spend_nanos FROM keys').get()).toEqual({ spend_nanos: 1200 });
  });

  it('resets a budget period and schedules the next one', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const { key } = keys.generate({ maxBudgetNanos: 100, budgetDuration: '1h' });
    keys.commitSpend(key.id, 100);
    expect(keys.resetBudgetIfDue(key, T0 + 3_599_999)).toBe(false);
    now = T0 + 3_600_000 + 5;
    expect(keys.resetBudgetIfDue(key)).toBe(true);
    expect(key).toMatchObject({ spendNanos: 0, totalSpendNanos: 100, budgetResetAt: now + 3_600_000 });
    expect(db.prepare('SELECT spend_nanos, total_spend_nanos, budget_reset_at FROM keys').get()).toEqual({
      spend_nanos: 0,
      total_spend_nanos: 100,
      budget_reset_at: now + 3_600_000,
    });
  });

  it('records last use in memory at once and in the row at most once a minute', () => {
    const db = openDatabase(':memory:');
    const keys = store(db);
    const { key } = keys.generate();
    const row = () => (db.prepare('SELECT last_used_at FROM keys').get() as { last_used_at: number | null }).last_used_at;
    keys.touch(key.id, T0);
    keys.touch(key.id, T0 + 30_000);
    expect(key.lastUsedAt).toBe(T0 + 30_000);
    expect(row()).toBe(T0);
    keys.touch(key.id, T0 + 60_000);
    expect(row()).toBe(T0 + 60_000);
  });
});
