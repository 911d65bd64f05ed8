/**
 * Where cached answers live: in this process (LocalResponseCache) or in Redis (RedisResponseCache). A cache
 * never fails a request: a backend error is logged and behaves as a miss (get) or as nothing (set).
 */
import type { Logger } from '../observe/logger.ts';
import type { CacheSettings } from './cache-settings.ts';
import { LocalResponseCache } from './local-cache.ts';
import { RedisResponseCache } from './redis-cache.ts';

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

export function openResponseCache(settings: CacheSettings, logger: Logger): ResponseCache {
  if (settings.type === 'redis' && settings.redis) return new RedisResponseCache(settings.redis, logger);
  return new LocalResponseCache(settings.local);
}
