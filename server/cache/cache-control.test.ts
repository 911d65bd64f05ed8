import { describe, expect, it } from 'vitest';
import { cacheDecisionOf, freshEnough } from './cache-control.ts';
import type { CacheSettings } from './cache-settings.ts';

const settings: CacheSettings = {
  type: 'local',
  mode: 'default_on',
  ttlSeconds: 600,
  endpoints: new Set(['chat', 'completions', 'embeddings']),
  local: { maxEntries: 10, maxBytes: 1 << 20 },
};

describe('cacheDecisionOf', () => {
  it('reads and writes by default, with the configured ttl', () => {
    expect(cacheDecisionOf(settings, 'chat', {})).toEqual({ read: true, write: true, ttlSeconds: 600 });
  });

  it('caching: false bypasses the cache', () => {
    expect(cacheDecisionOf(settings, 'chat', { caching: false })).toBeUndefined();
  });

  it('no-cache skips the read but still stores; no-store skips the write; both bypass', () => {
    expect(cacheDecisionOf(settings, 'chat', { cache: { 'no-cache': true } })).toMatchObject({ read: false, write: true });
    expect(cacheDecisionOf(settings, 'chat', { cache: { 'no-store': true } })).toMatchObject({ read: true, write: false });
    expect(cacheDecisionOf(settings, 'chat', { cache: { 'no-cache': true, 'no-store': true } })).toBeUndefined();
  });

  it('ttl and s-maxage per request', () => {
    expect(cacheDecisionOf(settings, 'chat', { cache: { ttl: 5 } })).toMatchObject({ ttlSeconds: 5 });
    expect(cacheDecisionOf(settings, 'chat', { cache: { ttl: 0 } })).toMatchObject({ ttlSeconds: 600 });
    expect(cacheDecisionOf(settings, 'chat', { cache: { 's-maxage': 10 } })).toMatchObject({ maxAgeSeconds: 10 });
    expect(cacheDecisionOf(settings, 'chat', { cache: { 's-max-age': '0' } })).toMatchObject({ maxAgeSeconds: 0 });
  });

  it("namespace: the request's, else the configured one", () => {
    expect(cacheDecisionOf({ ...settings, namespace: 'cfg' }, 'chat', {})).toMatchObject({ namespace: 'cfg' });
    expect(cacheDecisionOf({ ...settings, namespace: 'cfg' }, 'chat', { cache: { namespace: 'mine' } })).toMatchObject({ namespace: 'mine' });
  });

  it('default_off: only requests that opt in', () => {
    const off = { ...settings, mode: 'default_off' as const };
    expect(cacheDecisionOf(off, 'chat', {})).toBeUndefined();
    expect(cacheDecisionOf(off, 'chat', { caching: true })).toMatchObject({ read: true, write: true });
    expect(cacheDecisionOf(off, 'chat', { cache: { 'use-cache': true } })).toMatchObject({ read: true });
  });

  it('endpoints left out of supported_call_types are never cached', () => {
    expect(cacheDecisionOf({ ...settings, endpoints: new Set(['chat']) }, 'embeddings', {})).toBeUndefined();
  });

  it('ignores a malformed cache field', () => {
    expect(cacheDecisionOf(settings, 'chat', { cache: 'yes' })).toEqual({ read: true, write: true, ttlSeconds: 600 });
  });
});

describe('freshEnough', () => {
  it('any age without s-maxage; at most s-maxage seconds with it', () => {
    expect(freshEnough({ read: true, write: true, ttlSeconds: 1 }, 0, 1e12)).toBe(true);
    expect(freshEnough({ read: true, write: true, ttlSeconds: 1, maxAgeSeconds: 10 }, 1_000, 11_000)).toBe(true);
    expect(freshEnough({ read: true, write: true, ttlSeconds: 1, maxAgeSeconds: 10 }, 1_000, 11_001)).toBe(false);
  });
});
