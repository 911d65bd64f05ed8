/**
 * The in-process cache: a Map in least-recently-used order, bounded by entries (cache_params.max_size_in_memory,
 * default 1,000) and by 64 MiB of serialized JSON. Entries are kept as JSON text, so a caller can never change
 * a stored answer by mutating what it got back, and their size is known exactly.
 */
import { DEFAULT_LOCAL_MAX_BYTES, DEFAULT_LOCAL_MAX_ENTRIES, type LocalSettings } from './cache-settings.ts';
import type { CachedAnswer, ResponseCache } from './cached-answer.ts';

interface Entry {
  json: string;
  bytes: number;
  storedAt: number;
  expiresAt: number;
}

export class LocalResponseCache implements ResponseCache {
  readonly type = 'local';
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(
    limits: Partial<LocalSettings> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.maxEntries = limits.maxEntries ?? DEFAULT_LOCAL_MAX_ENTRIES;
    this.maxBytes = limits.maxBytes ?? DEFAULT_LOCAL_MAX_BYTES;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key, entry);
      return undefined;
    }
    // Most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return { body: JSON.parse(entry.json) as Record<string, unknown>, storedAt: entry.storedAt };
  }

  async set(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    if (!(ttlSeconds > 0)) return;
    const json = JSON.stringify(answer.body);
    const bytes = Buffer.byteLength(json);
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { json, bytes, storedAt: answer.storedAt, expiresAt: this.now() + ttlSeconds * 1000 });
    this.bytes += bytes;
    this.evict();
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** Expired entries first, then the least recently used, until both bounds hold. */
  private evict(): void {
    if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.remove(key, entry);
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(key, entry);
    }
  }
}
