import { describe, expect, it } from 'vitest';
import { emptyConfig, type GatewayConfig, type LitellmSettings } from '../core/config-types.ts';
import { cacheSettingsOf, DEFAULT_LOCAL_MAX_ENTRIES, DEFAULT_TTL_SECONDS, sameCacheBackend } from './cache-settings.ts';

function config(settings: Record<string, unknown>): GatewayConfig {
  return { ...emptyConfig(), litellm_settings: settings as LitellmSettings };
}

function settingsOf(settings: Record<string, unknown>, env: Record<string, string> = {}) {
  const warnings: string[] = [];
  return { settings: cacheSettingsOf(config(settings), env, (m) => warnings.push(m)), warnings };
}

describe('cacheSettingsOf', () => {
  it('is off without `cache`, with `cache: false`, and with cache_params alone (warned)', () => {
    expect(settingsOf({}).settings).toBeUndefined();
    expect(settingsOf({ cache: false, cache_params: { type: 'redis' } }).settings).toBeUndefined();
    const alone = settingsOf({ cache_params: { type: 'local' } });
    expect(alone.settings).toBeUndefined();
    expect(alone.warnings.join()).toMatch(/cache: true/);
  });

  it("reads LiteLLM's shape: cache: true + cache_params", () => {
    const { settings } = settingsOf({
      cache: true,
      cache_params: {
        type: 'local',
        ttl: 30,
        namespace: 'team-a',
        mode: 'default_off',
        supported_call_types: ['acompletion', 'aembedding'],
        max_size_in_memory: 5,
      },
    });
    expect(settings).toMatchObject({ type: 'local', ttlSeconds: 30, namespace: 'team-a', mode: 'default_off', local: { maxEntries: 5 } });
    expect([...settings!.endpoints].sort()).toEqual(['chat', 'embeddings']);
    expect(settings!.redis).toBeUndefined();
  });

  it('reads the short shape: cache: {type, ttl}, over cache_params', () => {
    const { settings } = settingsOf({ cache: { type: 'local', ttl: 60 }, cache_params: { ttl: 5, namespace: 'n' } });
    expect(settings).toMatchObject({ type: 'local', ttlSeconds: 60, namespace: 'n', mode: 'default_on' });
  });

  it('defaults: in memory, 600 s, default_on, every endpoint, 1,000 entries', () => {
    const { settings } = settingsOf({ cache: true });
    expect(settings).toMatchObject({ type: 'local', ttlSeconds: DEFAULT_TTL_SECONDS, mode: 'default_on', local: { maxEntries: DEFAULT_LOCAL_MAX_ENTRIES } });
    expect([...settings!.endpoints].sort()).toEqual(['chat', 'completions', 'embeddings']);
  });

  it('accepts string values as os.environ references leave them', () => {
    const { settings } = settingsOf({ cache: 'true', cache_params: { type: 'redis', host: 'cache.lan', port: '6380', ttl: '90', ssl: 'true' } });
    expect(settings).toMatchObject({ type: 'redis', ttlSeconds: 90, redis: { host: 'cache.lan', port: 6380, tls: true } });
  });

  it('redis: explicit fields, else REDIS_* from the environment', () => {
    const explicit = settingsOf(
      { cache: true, cache_params: { type: 'redis', host: 'h', port: 1234, password: 'pw', username: 'u', db: 2 } },
      { REDIS_HOST: 'env-host', REDIS_PASSWORD: 'env-pw' },
    );
    expect(explicit.settings!.redis).toMatchObject({ host: 'h', port: 1234, password: 'pw', username: 'u', db: 2, tls: false });
    expect(explicit.settings!.redis!.url).toBeUndefined();
    const fromEnv = settingsOf({ cache: true, cache_params: { type: 'redis' } }, { REDIS_HOST: 'env-host', REDIS_PORT: '6390', REDIS_PASSWORD: 'env-pw' });
    expect(fromEnv.settings!.redis).toMatchObject({ host: 'env-host', port: 6390, password: 'env-pw' });
    const url = settingsOf({ cache: true, cache_params: { type: 'redis' } }, { REDIS_URL: 'rediss://:pw@r.example:6380/1' });
    expect(url.settings!.redis).toMatchObject({ url: 'rediss://:pw@r.example:6380/1', tls: true });
    const bare = settingsOf({ cache: true, cache_params: { type: 'redis' } });
    expect(bare.settings!.redis).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, connectTimeoutMs: 1000, commandTimeoutMs: 1000 });
  });

  it("without a type, Redis when one is named (as LiteLLM's proxy), else in memory", () => {
    expect(settingsOf({ cache: true }, { REDIS_HOST: 'r' }).settings!.type).toBe('redis');
    expect(settingsOf({ cache: true, cache_params: { host: 'r' } }).settings!.type).toBe('redis');
    expect(settingsOf({ cache: true }).settings!.type).toBe('local');
  });

  it('per-backend ttls win over ttl, as in LiteLLM', () => {
    expect(settingsOf({ cache: true, cache_params: { type: 'local', ttl: 10, default_in_memory_ttl: 20 } }).settings!.ttlSeconds).toBe(20);
    expect(settingsOf({ cache: true, cache_params: { type: 'redis', ttl: 10, default_in_redis_ttl: 30 } }).settings!.ttlSeconds).toBe(30);
  });

  it('warns and falls back on what it cannot honour', () => {
    const { settings, warnings } = settingsOf({
      cache: true,
      cache_params: { type: 's3', ttl: -1, mode: 'sometimes', supported_call_types: ['atranscription', 'acompletion'] },
    });
    expect(settings).toMatchObject({ type: 'local', ttlSeconds: DEFAULT_TTL_SECONDS, mode: 'default_on' });
    expect([...settings!.endpoints]).toEqual(['chat']);
    expect(warnings).toHaveLength(4);
    expect(settingsOf({ cache: 42 }).settings).toBeUndefined();
  });

  it('sameCacheBackend: a ttl change keeps the backend, a new host does not', () => {
    const a = settingsOf({ cache: true, cache_params: { type: 'redis', host: 'a', ttl: 1 } }).settings;
    const b = settingsOf({ cache: true, cache_params: { type: 'redis', host: 'a', ttl: 2 } }).settings;
    const c = settingsOf({ cache: true, cache_params: { type: 'redis', host: 'c' } }).settings;
    expect(sameCacheBackend(a, b)).toBe(true);
    expect(sameCacheBackend(a, c)).toBe(false);
    expect(sameCacheBackend(a, undefined)).toBe(false);
    expect(sameCacheBackend(undefined, undefined)).toBe(true);
  });
});
