import { describe, expect, it } from 'vitest';
import { LocalResponseCache } from './local-cache.ts';

const answer = (text: string, storedAt = 1) => ({ body: { object: 'chat.completion', text }, storedAt });

describe('LocalResponseCache', () => {
  it('round-trips a copy: mutating what came back never changes the entry', async () => {
    const cache = new LocalResponseCache();
    await cache.set('k', answer('a', 42), 60);
    const got = await cache.get('k');
    expect(got).toEqual(answer('a', 42));
    got!.body.text = 'changed';
    expect((await cache.get('k'))!.body.text).toBe('a');
    expect(await cache.get('other')).toBeUndefined();
  });

  it('expires entries after their ttl', async () => {
    let now = 1_000;
    const cache = new LocalResponseCache({}, () => now);
    await cache.set('k', answer('a'), 2);
    now += 1_999;
    expect(await cache.get('k')).toBeDefined();
    now += 1;
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used past maxEntries', async () => {
    const cache = new LocalResponseCache({ maxEntries: 2 });
    await cache.set('a', answer('a'), 60);
    await cache.set('b', answer('b'), 60);
    await cache.get('a'); // a is now the most recent
    await cache.set('c', answer('c'), 60);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
  });

  it('evicts past maxBytes, and never keeps an entry larger than the bound', async () => {
    const size = Buffer.byteLength(JSON.stringify(answer('x'.repeat(100)).body));
    const cache = new LocalResponseCache({ maxBytes: size * 2 });
    await cache.set('a', answer('x'.repeat(100)), 60);
    await cache.set('b', answer('y'.repeat(100)), 60);
    expect(cache.totalBytes).toBe(size * 2);
    await cache.set('c', answer('z'.repeat(100)), 60);
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(2);
    await cache.set('huge', answer('h'.repeat(size * 3)), 60);
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.totalBytes).toBeLessThanOrEqual(size * 2);
  });

  it('replacing an entry keeps the byte count right; a ttl of 0 stores nothing', async () => {
    const cache = new LocalResponseCache();
    await cache.set('a', answer('one'), 60);
    const before = cache.totalBytes;
    await cache.set('a', answer('one'), 60);
    expect(cache.totalBytes).toBe(before);
    await cache.set('z', answer('z'), 0);
    expect(await cache.get('z')).toBeUndefined();
    await cache.close();
    expect(cache.size).toBe(0);
    expect(cache.totalBytes).toBe(0);
  });
});
