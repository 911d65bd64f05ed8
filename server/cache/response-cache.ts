/**
 * Where cached answers live: in this process (LocalResponseCache) or in Redis (RedisResponseCache). A cache
 * never fails a request: a backend error is logged and behaves as a miss (get) or as nothing (set).
 */
import type { Logger } from '../observe/logger.ts';
import type { CacheSettings } from './cache-settings.ts';
import { LocalResponseCache } from './local-cache.ts';
import { RedisResponseCache } from './redis-cache.ts';
import type { CachedAnswer, ResponseCache } from './cached-answer.ts';

export type { CachedAnswer, ResponseCache };

export function openResponseCache(settings: CacheSettings, logger: Logger): ResponseCache {
  if (settings.type === 'redis' && settings.redis) return new RedisResponseCache(settings.redis, logger);
  return new LocalResponseCache(settings.local);
}
