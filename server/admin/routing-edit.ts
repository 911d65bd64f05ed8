/**
 * The routing settings as the dashboard shows and edits them (GET/PUT /admin/routing): what is in force, read
 * as router/router-settings.ts reads it (router_settings first, then litellm_settings, then LiteLLM's defaults)
 * and as cache/cache-settings.ts reads the cache; and a change turned into edits of config.yaml, each key
 * written where it takes effect:
 *
 * - routing_strategy, num_retries, retry_after, allowed_fails, cooldown_time and the fallback chains: where the
 *   file already has the key (router_settings winning when both have it, the other copy then removed so a stale
 *   duplicate cannot come back into force), else router_settings, where LiteLLM documents them;
 * - request_timeout and stream_timeout: litellm_settings, the only place the gateway reads them from;
 * - the cache: litellm_settings `cache` (in its short `{type, ttl}` form when the file uses it) and
 *   `cache_params`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CacheSettings } from '../cache/cache-settings.ts';
import type { CacheView, RoutingAnswer, RoutingInput, RoutingSettingsView, RoutingStrategy } from '../core/admin-api.ts';
import { routerSettings } from '../router/router-settings.ts';
import type { LoadedConfig } from '../config/load.ts';
import { isPlainObject } from '../config/resolve.ts';
import type { FallbackRule, GatewayConfig } from '../core/config-types.ts';
import type { YamlEdit } from '../config/yaml-edit.ts';

export const ROUTING_STRATEGIES: readonly RoutingStrategy[] = ['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing'];

/** GET/PUT /admin/routing's wire shapes (core/admin-api.ts). */
export type { CacheView, RoutingAnswer, RoutingInput, RoutingSettingsView };

/** A change that cannot be made; `param` names the field (`fallbacks[0].gpt-4o[1]`). */
export class RoutingInputError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'RoutingInputError';
  }
}

type ChainKey = 'fallbacks' | 'context_window_fallbacks' | 'content_policy_fallbacks';
const CHAIN_KEYS: readonly ChainKey[] = ['fallbacks', 'context_window_fallbacks', 'content_policy_fallbacks'];
const NUMBER_KEYS = ['num_retries', 'retry_after', 'allowed_fails', 'cooldown_time'] as const;
export const ROUTING_KEYS = ['routing_strategy', ...NUMBER_KEYS, 'request_timeout', 'stream_timeout', ...CHAIN_KEYS, 'default_fallbacks', 'cache'] as const;

const rules = (chains: Map<string, string[]>): FallbackRule[] => [...chains].map(([model, targets]) => ({ [model]: [...targets] }));

/** The settings `config` puts in force; `cache`: the cache settings read from it (undefined: off). */
export function routingView(config: GatewayConfig, cache: CacheSettings | undefined): RoutingSettingsView {
  const s = routerSettings(config);
  const stream = config.litellm_settings.stream_timeout;
  return {
    routing_strategy: s.strategy,
    num_retries: s.numRetries,
    retry_after: s.retryAfterS,
    allowed_fails: s.allowedFails,
    cooldown_time: s.cooldownS,
    request_timeout: s.requestTimeoutS,
    stream_timeout: typeof stream === 'number' && Number.isFinite(stream) ? stream : null,
    fallbacks: rules(s.fallbacks),
    context_window_fallbacks: rules(s.contextWindowFallbacks),
    content_policy_fallbacks: rules(s.contentPolicyFallbacks),
    default_fallbacks: [...s.defaultFallbacks],
    cache: cacheView(config, cache),
  };
}

/** The model groups a chain may name: each model_name once, in config order (wildcard patterns left out). */
export function modelGroupsOf(config: GatewayConfig): string[] {
  return [...new Set(config.model_list.map((entry) => entry.model_name).filter((name) => !name.includes('*')))];
}

function cacheView(config: GatewayConfig, cache: CacheSettings | undefined): CacheView {
  if (cache) {
    const redis = cache.redis;
    const host = redis ? (redis.url ? (hostOfUrl(redis.url) ?? redis.host) : redis.host) : null;
    return {
      enabled: true,
      type: cache.type,
      ttl: cache.ttlSeconds,
      host,
      port: redis ? (redis.url ? (portOfUrl(redis.url) ?? redis.port) : redis.port) : null,
    };
  }
  // Off: what the file keeps for when it is turned on.
  const settings = config.litellm_settings;
  const params = { ...(isPlainObject(settings.cache_params) ? settings.cache_params : {}), ...(isPlainObject(settings.cache) ? settings.cache : {}) };
  const ttl = Number(params.ttl);
  const port = Number(params.port);
  return {
    enabled: false,
    type: params.type === 'redis' ? 'redis' : 'local',
    ttl: Number.isFinite(ttl) && ttl > 0 ? ttl : null,
    host: typeof params.host === 'string' && params.host ? params.host : null,
    port: Number.isInteger(port) && port > 0 ? port : null,
  };
}

function hostOfUrl(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function portOfUrl(url: string): number | undefined {
  try {
    const port = Number(new URL(url).port);
    return port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The config.yaml edits that put `input` in force, for the file loaded as `before` (references intact in
 * `before.raw`); values equal to what is already in force are left alone. Throws RoutingInputError.
 */
export function planRoutingEdit(before: LoadedConfig, cache: CacheSettings | undefined, input: RoutingInput): YamlEdit[] {
  for (const key of Object.keys(input)) {
    if (key !== 'model_groups' && !(ROUTING_KEYS as readonly string[]).includes(key)) {
      throw new RoutingInputError(key, `\`${key}\` is not a routing setting; the settings are ${ROUTING_KEYS.join(', ')}.`);
    }
  }
  const current = routingView(before.resolved, cache);
  const groups = groupMatcher(before.raw);
  const router = before.raw.router_settings;
  const litellm = before.raw.litellm_settings as Record<string, unknown>;
  const edits: YamlEdit[] = [];

  /** A router-first key: where the file has it, else router_settings; the shadowed copy goes. */
  const place = (key: string, value: unknown) => {
    const inRouter = Object.hasOwn(router, key);
    const inLitellm = Object.hasOwn(litellm, key);
    if (value === undefined) {
      if (inRouter) edits.push({ path: ['router_settings', key], remove: true });
      if (inLitellm) edits.push({ path: ['litellm_settings', key], remove: true });
      return;
    }
    edits.push({ path: [inRouter || !inLitellm ? 'router_settings' : 'litellm_settings', key], value });
    if (inRouter && inLitellm) edits.push({ path: ['litellm_settings', key], remove: true });
  };

  if (input.routing_strategy !== undefined) {
    if (!ROUTING_STRATEGIES.includes(input.routing_strategy)) {
      throw new RoutingInputError('routing_strategy', `\`routing_strategy\` must be one of: ${ROUTING_STRATEGIES.join(', ')}.`);
    }
    if (input.routing_strategy !== current.routing_strategy) place('routing_strategy', input.routing_strategy);
  }
  for (const key of NUMBER_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    const whole = key === 'num_retries' || key === 'allowed_fails';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
      throw new RoutingInputError(key, `\`${key}\` must be a ${whole ? 'whole number' : 'number of seconds'}, 0 or more.`);
    }
    if (value !== current[key]) place(key, value);
  }
  if (input.request_timeout !== undefined) {
    const value = input.request_timeout;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new RoutingInputError('request_timeout', '`request_timeout` must be a number of seconds above 0.');
    if (value !== current.request_timeout) edits.push({ path: ['litellm_settings', 'request_timeout'], value });
  }
  if (input.stream_timeout !== undefined) {
    const value = input.stream_timeout;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
      throw new RoutingInputError('stream_timeout', '`stream_timeout` must be a number of seconds above 0, or null for no separate limit.');
    }
    if (value !== current.stream_timeout)
      edits.push(value === null ? { path: ['litellm_settings', 'stream_timeout'], remove: true } : { path: ['litellm_settings', 'stream_timeout'], value });
  }
  for (const key of CHAIN_KEYS) {
    const value = input[key];
    if (value === undefined) continue;
    const checked = checkChains(key, value, groups);
    if (!isDeepStrictEqual(checked, current[key])) place(key, checked.length > 0 ? checked : undefined);
  }
  if (input.default_fallbacks !== undefined) {
    const checked = checkTargets('default_fallbacks', input.default_fallbacks, groups, undefined);
    if (!isDeepStrictEqual(checked, current.default_fallbacks)) place('default_fallbacks', checked.length > 0 ? checked : undefined);
  }
  if (input.cache !== undefined) edits.push(...cacheEdits(before.raw, current.cache, input.cache));
  return edits;
}

interface GroupMatcher {
  known(name: string): boolean;
  names: string[];
}

/** A name a chain may use: a model group, or a name one of the wildcard groups (`openai/*`, `*`) serves. */
function groupMatcher(config: GatewayConfig): GroupMatcher {
  const names = config.model_list.map((entry) => entry.model_name);
  const exact = new Set(names.filter((name) => !name.includes('*')));
  const patterns = names
    .filter((name) => name.includes('*'))
    .map(
      (name) =>
        new RegExp(
          `^${name
            .split('*')
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
  return { known: (name) => exact.has(name) || patterns.some((pattern) => pattern.test(name)), names: [...exact] };
}

function checkChains(key: ChainKey, value: unknown, groups: GroupMatcher): FallbackRule[] {
  if (!Array.isArray(value)) throw new RoutingInputError(key, `\`${key}\` must be a list of chains like [{"gpt-4o": ["claude-sonnet"]}].`);
  const out: FallbackRule[] = [];
  const seen = new Map<string, number>();
  value.forEach((rule: unknown, index) => {
    if (!isPlainObject(rule)) throw new RoutingInputError(`${key}[${index}]`, `\`${key}[${index}]\` must be a mapping like {"gpt-4o": ["claude-sonnet"]}.`);
    for (const [model, targets] of Object.entries(rule)) {
      const at = `${key}[${index}].${model}`;
      if (model === '*') throw new RoutingInputError(at, `\`${at}\`: a chain for every group is written as default_fallbacks, not as \`*\`.`);
      if (model === '' || !groups.known(model)) throw new RoutingInputError(at, `\`${at}\`: there is no model group \`${model}\`. ${available(groups)}`);
      if (seen.has(model))
        throw new RoutingInputError(at, `\`${at}\`: \`${model}\` already has a chain in ${key}[${seen.get(model)}]; give each group one chain.`);
      const checked = checkTargets(at, targets, groups, model);
      // An empty chain is no chain.
      if (checked.length === 0) continue;
      seen.set(model, index);
      out.push({ [model]: checked });
    }
  });
  return out;
}

function checkTargets(at: string, targets: unknown, groups: GroupMatcher, from: string | undefined): string[] {
  if (!Array.isArray(targets)) throw new RoutingInputError(at, `\`${at}\` must be a list of model groups.`);
  const out: string[] = [];
  targets.forEach((target: unknown, index) => {
    const where = `${at}[${index}]`;
    if (typeof target !== 'string' || target === '') throw new RoutingInputError(where, `\`${where}\` must be the name of a model group.`);
    if (target === from)
      throw new RoutingInputError(where, `\`${where}\`: \`${target}\` cannot fall back to itself; its own deployments are retried through num_retries.`);
    if (!groups.known(target)) throw new RoutingInputError(where, `\`${where}\`: there is no model group \`${target}\`. ${available(groups)}`);
    if (out.includes(target)) throw new RoutingInputError(where, `\`${where}\`: \`${target}\` is already in this chain.`);
    out.push(target);
  });
  return out;
}

function available(groups: GroupMatcher): string {
  return groups.names.length > 0 ? `The model groups are: ${groups.names.join(', ')}.` : 'config.yaml has no model groups yet.';
}

const TYPE_TTLS = ['default_in_memory_ttl', 'default_in_redis_ttl'];

/**
 * The cache's part. In the short form (`cache: {type, ttl}`) its mapping is edited, and turning the cache off
 * moves the mapping to cache_params (so it is there when turned on again); otherwise `cache: true|false` and
 * cache_params. A ttl replaces the per-type ttls, which would take precedence over it.
 */
function cacheEdits(raw: GatewayConfig, current: CacheView, input: Partial<CacheView>): YamlEdit[] {
  for (const key of Object.keys(input)) {
    if (!['enabled', 'type', 'ttl', 'host', 'port'].includes(key))
      throw new RoutingInputError(`cache.${key}`, `\`cache.${key}\` is not a cache setting; use enabled, type, ttl, host, port.`);
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') throw new RoutingInputError('cache.enabled', '`cache.enabled` must be true or false.');
  if (input.type !== undefined && input.type !== 'local' && input.type !== 'redis')
    throw new RoutingInputError('cache.type', '`cache.type` must be local or redis.');
  if (input.ttl !== undefined && input.ttl !== null && (typeof input.ttl !== 'number' || !Number.isFinite(input.ttl) || input.ttl <= 0)) {
    throw new RoutingInputError('cache.ttl', '`cache.ttl` must be a number of seconds above 0, or null for the default (600).');
  }
  if (input.host !== undefined && input.host !== null && (typeof input.host !== 'string' || input.host.trim() === ''))
    throw new RoutingInputError('cache.host', '`cache.host` must be a host name, or null.');
  if (
    input.port !== undefined &&
    input.port !== null &&
    (typeof input.port !== 'number' || !Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
  ) {
    throw new RoutingInputError('cache.port', '`cache.port` must be a port number (1-65535), or null.');
  }
  const settings = raw.litellm_settings as Record<string, unknown>;
  const shortForm = isPlainObject(settings.cache);
  const params = isPlainObject(settings.cache_params) ? settings.cache_params : {};
  const wantOn = input.enabled ?? current.enabled;
  const edits: YamlEdit[] = [];
  let target: 'cache' | 'cache_params' = 'cache_params';
  if (shortForm && wantOn) {
    target = 'cache';
  } else if (shortForm) {
    for (const [key, value] of Object.entries(settings.cache as Record<string, unknown>))
      edits.push({ path: ['litellm_settings', 'cache_params', key], value });
    edits.push({ path: ['litellm_settings', 'cache'], value: false });
  } else if (wantOn !== current.enabled) {
    edits.push({ path: ['litellm_settings', 'cache'], value: wantOn });
  }
  // Where a per-type ttl could sit that would take precedence over `ttl`.
  const cacheMapping = shortForm ? (settings.cache as Record<string, unknown>) : {};
  const ttlHomes: ['cache' | 'cache_params', Record<string, unknown>][] =
    target === 'cache'
      ? [
          ['cache', cacheMapping],
          ['cache_params', params],
        ]
      : [['cache_params', { ...params, ...cacheMapping }]];
  for (const field of ['type', 'ttl', 'host', 'port'] as const) {
    const value = input[field];
    if (value === undefined || value === current[field]) continue;
    if (value === null) edits.push({ path: ['litellm_settings', target, field], remove: true });
    else edits.push({ path: ['litellm_settings', target, field], value });
    if (field !== 'ttl') continue;
    for (const [where, mapping] of ttlHomes) {
      for (const typeTtl of TYPE_TTLS) if (Object.hasOwn(mapping, typeTtl)) edits.push({ path: ['litellm_settings', where, typeTtl], remove: true });
    }
  }
  return edits;
}
