/** A cached answer and the interface every cache backend (local, Redis) implements. */

export interface CachedAnswer {
  /** The complete OpenAI JSON answer (chat.completion, text_completion or an embedding list). */
  body: Record<string, unknown>;
  /** ms epoch when it was stored. */
  storedAt: number;
}

export interface ResponseCache {
  readonly type: 'local' | 'redis';
  /** The entry under `key`, or undefined (missing, expired, or the backend failed). Never rejects. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores `answer` for `ttlSeconds`. Never rejects. */
  set(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void>;
  /** Releases the backend (Redis connection); later gets are misses. */
  close(): Promise<void>;
}
