/**
 * Virtual keys: SQLite is the record; an in-memory map (hash → key) answers every request, so verifying
 * a key is a hash and a lookup, never a query. Every write goes to SQLite first and then to the same
 * in-memory object, so the cache cannot drift from the table while this process is its only writer.
 * Objects are updated in place: whoever holds a key (an in-flight call, the limiter) sees its current state.
 */
import { GatewayError, badRequest } from '../core/errors.ts';
import type { Db } from '../store/database.ts';
import { endOfDuration } from './duration.ts';
import { blankKey, withSettings, type KeySettings } from './key-settings.ts';
import { hashKey, isKeyHash, keyToRow, maskKey, newRawKey, rowToKey, type KeyRow, type VirtualKey } from './virtual-key.ts';

export type { KeySettings } from './key-settings.ts';

export interface NewKeyInput extends KeySettings {
  /** A caller-chosen raw key (LiteLLM's `key`); must start with "sk-". */
  key?: string | null;
}

export interface KeyFilter {
  keyAlias?: string;
  userId?: string;
  teamId?: string;
}
export interface PageRequest {
  page: number;
  size: number;
}
export interface KeyPage {
  keys: VirtualKey[];
  total: number;
}
export interface RegenerateOptions {
  newKey?: string | null;
  settings?: KeySettings;
}
export interface IssuedKey {
  rawKey: string;
  key: VirtualKey;
}

const COLUMNS = Object.keys(keyToRow(blankKey('', 0))) as (keyof KeyRow)[];
/** Columns a settings change may touch; spend and usage have their own statements so a save never overwrites them. */
const SETTINGS_COLUMNS = COLUMNS.filter((c) => !['id', 'spend_nanos', 'total_spend_nanos', 'created_at', 'last_used_at'].includes(c));
/** last_used_at is written at most this often per key: an exact-to-the-minute column is not worth a write per call. */
const TOUCH_PERSIST_MS = 60_000;

export class KeyStore {
  private readonly byHash = new Map<string, VirtualKey>();
  private readonly byId = new Map<string, VirtualKey>();
  private readonly persistedUse = new Map<string, number>();
  private readonly sql;
  /**
   * Runs before a write that sets a key's spend outright (a budget reset, an update of spend): the
   * gateway imports its spend journal there, so costs recorded before the write land before it.
   */
  beforeSpendWrite: () => void = () => undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.sql = {
      insert: db.prepare(`INSERT INTO keys (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`),
      save: db.prepare(`UPDATE keys SET ${SETTINGS_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`),
      setSpend: db.prepare('UPDATE keys SET spend_nanos = ? WHERE id = ?'),
      addSpend: db.prepare('UPDATE keys SET spend_nanos = spend_nanos + @nanos, total_spend_nanos = total_spend_nanos + @nanos WHERE id = @id'),
      resetBudget: db.prepare('UPDATE keys SET spend_nanos = 0, budget_reset_at = ? WHERE id = ?'),
      spendOfAll: db.prepare('SELECT id, spend_nanos, total_spend_nanos FROM keys'),
      touch: db.prepare('UPDATE keys SET last_used_at = ? WHERE id = ?'),
      delete: db.prepare('DELETE FROM keys WHERE id = ?'),
    };
    for (const row of db.prepare('SELECT * FROM keys').all() as KeyRow[]) {
      const key = rowToKey(row);
      this.byHash.set(key.keyHash, key);
      this.byId.set(key.id, key);
      if (key.lastUsedAt !== null) this.persistedUse.set(key.id, key.lastUsedAt);
    }
  }

  now(): number {
    return this.clock();
  }

  generate(input: NewKeyInput = {}): IssuedKey {
    const now = this.clock();
    const rawKey = this.acceptRawKey(input.key, 'key');
    const key = withSettings(blankKey(rawKey, now), input, now);
    key.totalSpendNanos = key.spendNanos;
    this.checkAliasFree(key.keyAlias, key.id);
    this.sql.insert.run(keyToRow(key));
    this.byHash.set(key.keyHash, key);
    this.byId.set(key.id, key);
    return { rawKey, key };
  }

  /** The key a request presents, or a 401 (unknown, blocked or expired). */
  verify(rawKey: string, now = this.clock()): VirtualKey {
    const key = this.byHash.get(hashKey(rawKey));
    if (!key) throw new GatewayError(401, 'Invalid API key: it is not the master key or a current virtual key.', { code: 'invalid_api_key' });
    if (key.blocked) throw new GatewayError(401, `This key (${key.keyName}) is blocked.`, { code: 'key_blocked' });
    if (key.expiresAt !== null && key.expiresAt <= now) {
      throw new GatewayError(401, `This key (${key.keyName}) expired at ${new Date(key.expiresAt).toISOString()}.`, { code: 'key_expired' });
    }
    return key;
  }

  /** By raw key, its sha256 hash (LiteLLM's `token`), or its id. Expired and blocked keys are found too. */
  find(ref: string): VirtualKey | undefined {
    if (ref.startsWith('sk-')) return this.byHash.get(hashKey(ref));
    return (isKeyHash(ref) ? this.byHash.get(ref) : undefined) ?? this.byId.get(ref);
  }

  findByAlias(alias: string): VirtualKey[] {
    return [...this.byId.values()].filter((key) => key.keyAlias === alias);
  }

  update(ref: string, settings: KeySettings): VirtualKey {
    const key = this.require(ref);
    const next = withSettings(key, settings, this.clock());
    this.checkAliasFree(next.keyAlias, key.id);
    this.save(next, settings.spendNanos != null);
    Object.assign(key, next);
    return key;
  }

  /** Deletes what exists; returns the refs that named a key. The keys stop working at once. */
  delete(refs: string[]): string[] {
    const found = refs.flatMap((ref) => {
      const key = this.find(ref);
      return key ? [{ ref, key }] : [];
    });
    this.db.transaction(() => {
      for (const { key } of found) this.sql.delete.run(key.id);
    })();
    for (const { key } of found) {
      this.byHash.delete(key.keyHash);
      this.byId.delete(key.id);
      this.persistedUse.delete(key.id);
    }
    return found.map(({ ref }) => ref);
  }

  /** Newest first, like LiteLLM's /key/list. */
  list(filter: KeyFilter = {}, page: PageRequest = { page: 1, size: 10 }): KeyPage {
    const matching = [...this.byId.values()]
      .filter(
        (k) =>
          (filter.keyAlias === undefined || k.keyAlias === filter.keyAlias) &&
          (filter.userId === undefined || k.userId === filter.userId) &&
          (filter.teamId === undefined || k.teamId === filter.teamId),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const start = (page.page - 1) * page.size;
    return { keys: matching.slice(start, start + page.size), total: matching.length };
  }

  /** A new raw key for the same key: id, alias, budget and spend stay; the old raw key stops working at once. */
  regenerate(ref: string, opts: RegenerateOptions = {}): IssuedKey {
    const key = this.require(ref);
    const rawKey = this.acceptRawKey(opts.newKey, 'new_key');
    const next = { ...withSettings(key, opts.settings ?? {}, this.clock()), keyHash: hashKey(rawKey), keyName: maskKey(rawKey) };
    this.checkAliasFree(next.keyAlias, key.id);
    this.save(next, opts.settings?.spendNanos != null);
    this.byHash.delete(key.keyHash);
    Object.assign(key, next);
    this.byHash.set(key.keyHash, key);
    return { rawKey, key };
  }

  /** The SQL half of recording spend: call inside the transaction that writes the spend_logs row, then applySpend. */
  addSpend(keyId: string, nanos: number): void {
    this.sql.addSpend.run({ id: keyId, nanos });
  }

  /** The in-memory half of recording spend, once the transaction has committed. */
  applySpend(keyId: string, nanos: number): void {
    const key = this.byId.get(keyId);
    if (!key) return;
    key.spendNanos += nanos;
    key.totalSpendNanos += nanos;
  }

  /**
   * Reads every key's spend from SQLite again, for writes memory did not see: the spend journal's replay at
   * start charges keys in SQLite only (the calls it records ran in a process that is gone).
   */
  reloadSpend(): void {
    for (const row of this.sql.spendOfAll.all() as Pick<KeyRow, 'id' | 'spend_nanos' | 'total_spend_nanos'>[]) {
      const key = this.byId.get(row.id);
      if (!key) continue;
      key.spendNanos = row.spend_nanos;
      key.totalSpendNanos = row.total_spend_nanos;
    }
  }

  /** Both halves: `inTransaction` (insert the spend row there) and addSpend commit together, then memory follows. */
  commitSpend(keyId: string, nanos: number, inTransaction?: () => void): void {
    this.db.transaction(() => {
      inTransaction?.();
      if (nanos !== 0) this.addSpend(keyId, nanos);
    })();
    this.applySpend(keyId, nanos);
  }

  /** Starts a new budget period: spend to 0, next reset `budget_duration` after `now`. */
  resetBudget(keyId: string, now = this.clock()): void {
    const key = this.byId.get(keyId);
    if (!key) return;
    const nextReset = key.budgetDuration ? endOfDuration(now, key.budgetDuration, 'budget_duration') : null;
    this.beforeSpendWrite();
    this.sql.resetBudget.run(nextReset, keyId);
    key.spendNanos = 0;
    key.budgetResetAt = nextReset;
  }

  resetBudgetIfDue(key: VirtualKey, now = this.clock()): boolean {
    if (key.budgetResetAt === null || key.budgetResetAt > now) return false;
    this.resetBudget(key.id, now);
    return true;
  }

  /** Marks a key used: memory at once, the row at most once a minute per key. */
  touch(keyId: string, at = this.clock()): void {
    const key = this.byId.get(keyId);
    if (!key) return;
    key.lastUsedAt = at;
    if (at - (this.persistedUse.get(keyId) ?? -Infinity) < TOUCH_PERSIST_MS) return;
    this.sql.touch.run(at, keyId);
    this.persistedUse.set(keyId, at);
  }

  private require(ref: string): VirtualKey {
    const key = this.find(ref);
    if (!key) throw new GatewayError(404, `Key not found: ${ref.startsWith('sk-') ? maskKey(ref) : ref}.`, { param: 'key', code: 'key_not_found' });
    return key;
  }

  private save(next: VirtualKey, withSpend: boolean): void {
    const row = keyToRow(next);
    if (withSpend) this.beforeSpendWrite();
    this.db.transaction(() => {
      this.sql.save.run(Object.fromEntries(['id', ...SETTINGS_COLUMNS].map((c) => [c, row[c as keyof KeyRow]])));
      if (withSpend) this.sql.setSpend.run(next.spendNanos, next.id);
    })();
  }

  private acceptRawKey(custom: string | null | undefined, param: string): string {
    if (custom == null) {
      let raw = newRawKey();
      while (this.byHash.has(hashKey(raw))) raw = newRawKey();
      return raw;
    }
    if (!custom.startsWith('sk-') || custom.length < 8)
      throw badRequest(`\`${param}\` must start with "sk-" and be at least 8 characters long.`, param, 'invalid_key_format');
    if (this.byHash.has(hashKey(custom))) throw badRequest(`\`${param}\`: a key with this value already exists.`, param, 'key_exists');
    return custom;
  }

  /** LiteLLM requires unique aliases (so `key_aliases` in /key/delete names one key each). */
  private checkAliasFree(alias: string | null, ownId: string): void {
    if (alias === null) return;
    for (const key of this.byId.values()) {
      if (key.keyAlias === alias && key.id !== ownId) {
        throw badRequest(`Key with alias '${alias}' already exists. Unique key aliases across all keys are required.`, 'key_alias', 'key_alias_exists');
      }
    }
  }
}
