/**
 * The response cache as the request path uses it: one per gateway, kept across config reloads (the backend is
 * reopened only when its settings change). Three calls per request: `plan` (is the cache involved, under which
 * key), `lookup` (an acceptable entry, or undefined), `store` (a complete answer, fire and forget).
 */
import type { GatewayConfig } from '../core/config-types.ts';
import type { Logger } from '../observe/logger.ts';
import type { Endpoint } from '../providers/types.ts';
import { freshEnough, cacheDecisionOf, type CacheDecision } from './cache-control.ts';
import { cacheKeyOf } from './cache-key.ts';
import { cacheSettingsOf, sameCacheBackend, type CacheSettings } from './cache-settings.ts';
import { isCacheableAnswer } from './cacheable.ts';
import { openResponseCache, type CachedAnswer, type ResponseCache } from './response-cache.ts';

export interface CachePlan {
  endpoint: Endpoint;
  /** `<namespace>:<sha256>` or `<sha256>` (the Redis backend adds `llm-gateway:cache:`). */
  key: string;
  decision: CacheDecision;
  /** The backend the plan was made against (a reload may replace the service's). */
  backend: ResponseCache;
}

export class ResponseCacheService {
  private settings: CacheSettings | undefined;
  private backend: ResponseCache | undefined;

  constructor(private readonly logger: Logger) {}

  /** Reads the cache settings of `config` (at start and on every reload). */
  configure(config: GatewayConfig, env: Record<string, string | undefined> = process.env): void {
    const next = cacheSettingsOf(config, env, (message) => this.logger.warn(message));
    if (!sameCacheBackend(this.settings, next)) {
      const old = this.backend;
      this.backend = next ? openResponseCache(next, this.logger) : undefined;
      // In-flight requests holding the old backend see misses from here on.
      void old?.close();
      if (next)
        this.logger.info(
          `Response cache: ${next.type}${next.mode === 'default_off' ? ' (only for requests with caching: true)' : ''}, ttl ${next.ttlSeconds} s.`,
        );
    }
    this.settings = next;
  }

  get enabled(): boolean {
    return this.backend !== undefined;
  }

  get currentSettings(): CacheSettings | undefined {
    return this.settings;
  }

  /** Whether and how this request uses the cache; undefined: it does not (off, opted out, not cached endpoint). */
  plan(endpoint: Endpoint, body: Record<string, unknown>, modelGroup: string): CachePlan | undefined {
    if (!this.settings || !this.backend) return undefined;
    const decision = cacheDecisionOf(this.settings, endpoint, body);
    if (!decision) return undefined;
    const hash = cacheKeyOf(endpoint, body, modelGroup);
    return { endpoint, key: decision.namespace ? `${decision.namespace}:${hash}` : hash, decision, backend: this.backend };
  }

  /** The cached answer to serve, or undefined (no-cache, missing, too old for s-maxage, backend down). Never rejects. */
  async lookup(plan: CachePlan, now: number = Date.now()): Promise<CachedAnswer | undefined> {
    if (!plan.decision.read) return undefined;
    const hit = await plan.backend.get(plan.key).catch(() => undefined);
    if (!hit || !freshEnough(plan.decision, hit.storedAt, now) || !isCacheableAnswer(plan.endpoint, hit.body)) return undefined;
    return hit;
  }

  /** Stores a complete answer unless the request said no-store; anything else is ignored. Never rejects. */
  async store(plan: CachePlan, body: unknown): Promise<void> {
    if (!plan.decision.write || !isCacheableAnswer(plan.endpoint, body)) return;
    try {
      await plan.backend.set(plan.key, { body, storedAt: Date.now() }, plan.decision.ttlSeconds);
    } catch (err) {
      this.logger.warn(`Could not store an answer in the response cache: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    const backend = this.backend;
    this.backend = undefined;
    this.settings = undefined;
    await backend?.close();
  }
}
