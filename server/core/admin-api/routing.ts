/** The admin API's wire types for GET /admin/routing and PUT /admin/routing. */
import type { FallbackRule } from '../config-types.ts';

export type { FallbackRule };

export type RoutingStrategy = 'simple-shuffle' | 'least-busy' | 'latency-based-routing' | 'usage-based-routing';

/** The response cache as the routing page shows it: on or off, and what the file keeps for when it is on. */
export interface CacheView {
  enabled: boolean;
  type: 'local' | 'redis';
  ttl: number | null;
  host?: string | null;
  port?: number | null;
}

/** The routing settings in force (router_settings first, then litellm_settings, then LiteLLM's defaults). */
export interface RoutingSettingsView {
  routing_strategy: RoutingStrategy;
  num_retries: number;
  retry_after: number;
  allowed_fails: number;
  cooldown_time: number;
  /** Seconds for a whole request (retries included). */
  request_timeout: number;
  /** Seconds until a stream's first chunk; null: no separate limit. */
  stream_timeout: number | null;
  /** Chains in LiteLLM's list-of-single-key-maps form: `[{ "gpt-4o": ["claude-sonnet", "mock-gpt"] }]`. */
  fallbacks: FallbackRule[];
  context_window_fallbacks: FallbackRule[];
  content_policy_fallbacks: FallbackRule[];
  default_fallbacks: string[];
  cache: CacheView;
}

/** GET answers this (what is in force, plus the groups a chain may name); PUT answers the same. */
export interface RoutingAnswer extends RoutingSettingsView {
  model_groups: string[];
}

/** PUT /admin/routing's body: only what changes (`model_groups` from a GET sent back is ignored). */
export type RoutingInput = Partial<Omit<RoutingSettingsView, 'cache'>> & { cache?: Partial<CacheView>; model_groups?: unknown };
