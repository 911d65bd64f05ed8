/**
 * The response cache's settings, read from `litellm_settings` in either shape:
 *
 * - LiteLLM's: `cache: true` + `cache_params: { type: local | redis, ttl, namespace, mode, host, port, password,
 *   supported_call_types, … }` (`cache: true` alone is a cache too);
 * - the short one: `cache: { type: local | redis, ttl, … }` (the same keys as cache_params, which it overrides).
 *
 * Redis connection fields that are not set fall back to the environment as LiteLLM does: REDIS_URL,
 * REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_USERNAME, REDIS_SSL, REDIS_DB. (`os.environ/…` references in
 * the config are already resolved by the config loader.)
 */
import type { GatewayConfig } from '../core/config-types.ts';
import type { Endpoint } from '../providers/types.ts';

export type CacheType = 'local' | 'redis';
/** LiteLLM's modes: `default_on` caches every request; `default_off` only requests that opt in. */
export type CacheMode = 'default_on' | 'default_off';

export const DEFAULT_TTL_SECONDS = 600;
export const DEFAULT_LOCAL_MAX_ENTRIES = 1_000;
export const DEFAULT_LOCAL_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 1_000;
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1_000;

export interface RedisSettings {
  /** `redis://…` or `rediss://…`; when set, the fields below that it carries are taken from it. */
  url?: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
  connectTimeoutMs: number;
  /** Bound on each GET/SET: a slow Redis becomes a miss, never a slow request. */
  commandTimeoutMs: number;
}

export interface LocalSettings {
  maxEntries: number;
  /** Bound on the serialized JSON kept (UTF-8 bytes). */
  maxBytes: number;
}

export interface CacheSettings {
  type: CacheType;
  mode: CacheMode;
  /** How long an answer is kept unless the request says otherwise (`cache: {ttl}`). */
  ttlSeconds: number;
  /** Prefix of every key (LiteLLM's cache_params.namespace); a request may name its own. */
  namespace?: string;
  /** The endpoints whose answers are cached (cache_params.supported_call_types). */
  endpoints: ReadonlySet<Endpoint>;
  local: LocalSettings;
  /** Present when `type` is redis. */
  redis?: RedisSettings;
}

type Env = Record<string, string | undefined>;
type Warn = (message: string) => void;

const ALL_ENDPOINTS: readonly Endpoint[] = ['chat', 'completions', 'embeddings'];

/** LiteLLM's call type names → the endpoint they stand for. */
const CALL_TYPES: Readonly<Record<string, Endpoint>> = {
  completion: 'chat',
  acompletion: 'chat',
  text_completion: 'completions',
  atext_completion: 'completions',
  embedding: 'embeddings',
  aembedding: 'embeddings',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|1|yes|on)$/i.test(value.trim())) return true;
  if (typeof value === 'string' && /^(false|0|no|off)$/i.test(value.trim())) return false;
  return undefined;
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The merged cache parameters, or undefined when caching is off. */
function cacheParams(config: GatewayConfig, warn: Warn): Record<string, unknown> | undefined {
  const settings = config.litellm_settings;
  const cache: unknown = settings.cache;
  const params = isRecord(settings.cache_params) ? settings.cache_params : {};
  if (isRecord(cache)) return { ...params, ...cache };
  const on = asBool(cache);
  if (on === undefined && cache !== undefined && cache !== null) {
    warn(`litellm_settings.cache must be true, false or a mapping such as { type: local, ttl: 600 }; caching is off.`);
    return undefined;
  }
  if (on !== true) {
    if (on === undefined && isRecord(settings.cache_params)) warn('litellm_settings.cache_params is set but caching is off: add `cache: true` to turn it on.');
    return undefined;
  }
  return params;
}

function endpointsOf(value: unknown, warn: Warn): ReadonlySet<Endpoint> {
  if (value === undefined || value === null) return new Set(ALL_ENDPOINTS);
  const names = Array.isArray(value) ? value : [value];
  const out = new Set<Endpoint>();
  for (const name of names) {
    const endpoint = typeof name === 'string' ? CALL_TYPES[name] : undefined;
    if (endpoint) out.add(endpoint);
    else warn(`cache_params.supported_call_types: ${JSON.stringify(name)} is not cached by LLM Gateway (it caches ${Object.keys(CALL_TYPES).join(', ')}).`);
  }
  return out;
}

function positive(value: unknown, name: string, warn: Warn): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = asNumber(value);
  if (n !== undefined && n > 0) return n;
  warn(`cache_params.${name} must be a positive number of seconds, got ${JSON.stringify(value)}; the default is used.`);
  return undefined;
}

function redisSettings(params: Record<string, unknown>, env: Env): RedisSettings {
  const url = asString(params.url) ?? asString(params.redis_url) ?? (asString(params.host) ? undefined : asString(env.REDIS_URL));
  const password = asString(params.password) ?? asString(env.REDIS_PASSWORD);
  const username = asString(params.username) ?? asString(env.REDIS_USERNAME);
  const connectSeconds = asNumber(params.socket_connect_timeout);
  const commandSeconds = asNumber(params.socket_timeout);
  return {
    ...(url ? { url } : {}),
    host: asString(params.host) ?? asString(env.REDIS_HOST) ?? '127.0.0.1',
    port: asNumber(params.port) ?? asNumber(env.REDIS_PORT) ?? 6379,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    db: asNumber(params.db) ?? asNumber(env.REDIS_DB) ?? 0,
    tls: asBool(params.ssl) ?? asBool(env.REDIS_SSL) ?? url?.startsWith('rediss://') ?? false,
    connectTimeoutMs: connectSeconds && connectSeconds > 0 ? connectSeconds * 1000 : DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
    commandTimeoutMs: commandSeconds && commandSeconds > 0 ? commandSeconds * 1000 : DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  };
}

function cacheType(params: Record<string, unknown>, env: Env, warn: Warn): CacheType {
  const type = asString(params.type);
  if (type === 'local' || type === 'redis') return type;
  if (type !== undefined) {
    warn(`cache_params.type ${JSON.stringify(type)} is not supported by LLM Gateway (local or redis); an in-memory cache is used instead.`);
    return 'local';
  }
  // LiteLLM's proxy defaults to Redis; here that needs a Redis to be named, else the cache is in memory.
  const namesRedis = [params.host, params.url, params.redis_url, env.REDIS_HOST, env.REDIS_URL].some((v) => asString(v) !== undefined);
  return namesRedis ? 'redis' : 'local';
}

/**
 * The cache settings of a config, or undefined when caching is off (no `cache`, or `cache: false`).
 * `env` is the environment the config was resolved with (for the REDIS_* fallbacks); `warn` hears
 * about settings that are ignored or replaced by a default.
 */
export function cacheSettingsOf(config: GatewayConfig, env: Env = process.env, warn: Warn = () => undefined): CacheSettings | undefined {
  const params = cacheParams(config, warn);
  if (!params) return undefined;
  const type = cacheType(params, env, warn);
  const mode = asString(params.mode);
  if (mode !== undefined && mode !== 'default_on' && mode !== 'default_off')
    warn(`cache_params.mode must be default_on or default_off, got ${JSON.stringify(mode)}; default_on is used.`);
  const typeTtl = positive(
    type === 'local' ? params.default_in_memory_ttl : params.default_in_redis_ttl,
    type === 'local' ? 'default_in_memory_ttl' : 'default_in_redis_ttl',
    warn,
  );
  const ttlSeconds = typeTtl ?? positive(params.ttl, 'ttl', warn) ?? DEFAULT_TTL_SECONDS;
  const namespace = asString(params.namespace);
  const maxEntries = asNumber(params.max_size_in_memory);
  return {
    type,
    mode: mode === 'default_off' ? 'default_off' : 'default_on',
    ttlSeconds,
    ...(namespace ? { namespace } : {}),
    endpoints: endpointsOf(params.supported_call_types, warn),
    local: { maxEntries: maxEntries && maxEntries >= 1 ? Math.floor(maxEntries) : DEFAULT_LOCAL_MAX_ENTRIES, maxBytes: DEFAULT_LOCAL_MAX_BYTES },
    ...(type === 'redis' ? { redis: redisSettings(params, env) } : {}),
  };
}

/** Two settings open the same cache (so a config reload may keep the open one). */
export function sameCacheBackend(a: CacheSettings | undefined, b: CacheSettings | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && JSON.stringify([a.local, a.redis]) === JSON.stringify([b.local, b.redis]);
}
