/**
 * The router's settings, read the way LiteLLM reads them: router_settings first, then litellm_settings,
 * then LiteLLM's defaults; a request may override retries, fallbacks and its timeout in its body.
 */
import type { RoutingStrategy } from '../core/admin-api.ts';
import type { FallbackRule, GatewayConfig } from '../core/config-types.ts';
import { DEFAULT_REQUEST_TIMEOUT_S } from './deployments.ts';
import { queueSettings, type QueueDefaults } from './deployment-limits.ts';

/** The strategies, as GET/PUT /admin/routing name them too (core/admin-api.ts). */
export type { RoutingStrategy };

export interface RouterSettings {
  strategy: RoutingStrategy;
  numRetries: number;
  /** Smallest wait between retries, seconds (LiteLLM's `retry_after`). */
  retryAfterS: number;
  /** Failures a deployment may have within a minute before it cools down. */
  allowedFails: number;
  cooldownS: number;
  fallbacks: Map<string, string[]>;
  contextWindowFallbacks: Map<string, string[]>;
  contentPolicyFallbacks: Map<string, string[]>;
  defaultFallbacks: string[];
  /** The whole request, retries and waits for cooling deployments included. */
  requestTimeoutS: number;
  /** Defaults of the per-deployment rpm/tpm admission queue. */
  queue: QueueDefaults;
}

const STRATEGIES: readonly RoutingStrategy[] = ['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing'];

function chains(rules: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!Array.isArray(rules)) return out;
  for (const rule of rules as FallbackRule[]) {
    if (!rule || typeof rule !== 'object') continue;
    for (const [model, targets] of Object.entries(rule)) {
      const list = (Array.isArray(targets) ? targets : [targets]).filter((t): t is string => typeof t === 'string' && t !== '');
      if (list.length) out.set(model, list);
    }
  }
  return out;
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? value
    : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
      ? Number(value)
      : undefined;

export function routerSettings(config: GatewayConfig): RouterSettings {
  const router = config.router_settings as Record<string, unknown>;
  const litellm = config.litellm_settings as Record<string, unknown>;
  const pick = (key: string): unknown => router[key] ?? litellm[key];
  const strategy = pick('routing_strategy');
  return {
    strategy: STRATEGIES.includes(strategy as RoutingStrategy) ? (strategy as RoutingStrategy) : 'simple-shuffle',
    numRetries: Math.max(0, Math.floor(num(pick('num_retries')) ?? 0)),
    retryAfterS: Math.max(0, num(pick('retry_after')) ?? 0),
    allowedFails: Math.max(0, Math.floor(num(pick('allowed_fails')) ?? 3)),
    cooldownS: Math.max(0, num(pick('cooldown_time')) ?? 5),
    fallbacks: chains(pick('fallbacks')),
    contextWindowFallbacks: chains(pick('context_window_fallbacks')),
    contentPolicyFallbacks: chains(pick('content_policy_fallbacks')),
    defaultFallbacks: ((pick('default_fallbacks') as unknown[] | undefined) ?? []).filter((m): m is string => typeof m === 'string'),
    requestTimeoutS: num(litellm.request_timeout) ?? num(router.timeout) ?? DEFAULT_REQUEST_TIMEOUT_S,
    queue: queueSettings(router),
  };
}

/** The same settings with the request body's overrides (LiteLLM's per-request fields). */
export function withRequestOverrides(settings: RouterSettings, body: Record<string, unknown>, modelName: string): RouterSettings {
  const out = { ...settings };
  const retries = num(body.num_retries);
  if (retries !== undefined) out.numRetries = Math.max(0, Math.floor(retries));
  const timeout = num(body.request_timeout) ?? num(body.timeout);
  if (timeout !== undefined && timeout > 0) out.requestTimeoutS = timeout;
  // In a body, `fallbacks: ["a", "b"]` is the chain for the requested model; LiteLLM's rule objects work too.
  const bodyChain = (value: unknown): Map<string, string[]> | undefined => {
    if (!Array.isArray(value)) return undefined;
    if (value.every((v) => typeof v === 'string')) return new Map([[modelName, value as string[]]]);
    return chains(value);
  };
  out.fallbacks = bodyChain(body.fallbacks) ?? out.fallbacks;
  out.contextWindowFallbacks = bodyChain(body.context_window_fallbacks) ?? out.contextWindowFallbacks;
  out.contentPolicyFallbacks = bodyChain(body.content_policy_fallbacks) ?? out.contentPolicyFallbacks;
  return out;
}
