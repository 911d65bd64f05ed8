/** The response cache (LiteLLM's `litellm_settings.cache`): exact-match, in memory or in Redis. */
export { ResponseCacheService, type CachePlan } from './cache-service.ts';
export { cacheSettingsOf, sameCacheBackend, type CacheSettings, type CacheMode, type CacheType, type RedisSettings } from './cache-settings.ts';
export { cacheKeyOf, canonicalJson, KEY_EXCLUDED_FIELDS } from './cache-key.ts';
export { cacheDecisionOf, freshEnough, type CacheDecision } from './cache-control.ts';
export { openResponseCache, type CachedAnswer, type ResponseCache } from './response-cache.ts';
export { LocalResponseCache } from './local-cache.ts';
export { RedisResponseCache, REDIS_KEY_PREFIX } from './redis-cache.ts';
export { answerAsChunks, replayFrames, type StreamEndpoint } from './replay.ts';
export { assembleAnswer } from './assemble.ts';
export { AnswerCollector } from './answer-collector.ts';
export { isCacheableAnswer } from './cacheable.ts';
