/**
 * The router's settings, read the way LiteLLM reads them: router_settings first, then litellm_settings,
 * then LiteLLM's defaults; a request may override retries, fallbacks and its timeout in its body. Which
 * models a caller may reach is not the router's to know: the pipeline passes the rules (pipeline/access-step.ts).
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

/** How a caller's body may override the settings. */
export interface OverrideRules {
  /** The body may lower `num_retries` and its timeout, never raise them past the settings' own (a virtual key's request). */
  capToSettings?: boolean;
  /**
   * The group a model named in a body fallback chain stands for (a virtual key's aliases); it throws for a model
   * the caller may not use, so the request is refused before anything is called. `field` is the body field naming it.
   */
  bodyModel?: (name: string, field: string) => string;
}

/** The same settings with the request body's overrides (LiteLLM's per-request fields). */
export function withRequestOverrides(settings: RouterSettings, body: Record<string, unknown>, modelName: string, rules: OverrideRules = {}): RouterSettings {
  const out = { ...settings };
  const retries = num(body.num_retries);
  if (retries !== undefined) {
    const asked = Math.max(0, Math.floor(retries));
    out.numRetries = rules.capToSettings ? Math.min(asked, settings.numRetries) : asked;
  }
  const timeout = num(body.request_timeout) ?? num(body.timeout);
  if (timeout !== undefined && timeout > 0) out.requestTimeoutS = rules.capToSettings ? Math.min(timeout, settings.requestTimeoutS) : timeout;
  // In a body, `fallbacks: ["a", "b"]` is the chain for the requested model; LiteLLM's rule objects work too.
  const bodyChain = (field: string): Map<string, string[]> | undefined => {
    const value = body[field];
    if (!Array.isArray(value)) return undefined;
    const parsed = value.every((v) => typeof v === 'string') ? new Map([[modelName, value as string[]]]) : chains(value);
    const { bodyModel } = rules;
    if (!bodyModel) return parsed;
    return new Map([...parsed].map(([from, targets]) => [from, targets.map((target) => bodyModel(target, field))]));
  };
  out.fallbacks = bodyChain('fallbacks') ?? out.fallbacks;
  out.contextWindowFallbacks = bodyChain('context_window_fallbacks') ?? out.contextWindowFallbacks;
  out.contentPolicyFallbacks = bodyChain('content_policy_fallbacks') ?? out.contentPolicyFallbacks;
  return out;
}

/**
 * The same settings with every fallback chain (and default_fallbacks) keeping only the groups `mayUse` allows.
 * A chain left empty stays: its group still has a chain (so default_fallbacks do not stand in for it), with nowhere to go.
 */
export function onlyGroups(settings: RouterSettings, mayUse: (group: string) => boolean): RouterSettings {
  const keep = (rules: Map<string, string[]>) => new Map([...rules].map(([from, targets]) => [from, targets.filter(mayUse)]));
  return {
    ...settings,
    fallbacks: keep(settings.fallbacks),
    contextWindowFallbacks: keep(settings.contextWindowFallbacks),
    contentPolicyFallbacks: keep(settings.contentPolicyFallbacks),
    defaultFallbacks: settings.defaultFallbacks.filter(mayUse),
  };
}
