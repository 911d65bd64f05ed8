/**
 * RedisResponseCache against a real redis-server (e2e/support/redis.ts starts a private one). Without the
 * program the tests are skipped with a loud reason, except with CI set, where that is a failure.
 */
import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, inCI, redisUnavailableReason, startRedis, type StartedRedis } from '../../e2e/support/redis.ts';
import { createLogger } from '../observe/logger.ts';
import type { RedisSettings } from './cache-settings.ts';
import { REDIS_KEY_PREFIX, RedisResponseCache } from './redis-cache.ts';

const reason = redisUnavailableReason();
if (reason && !inCI) console.warn(`\n*** Redis cache tests SKIPPED: ${reason}\n`);

function settingsFor(port: number, overrides: Partial<RedisSettings> = {}): RedisSettings {
  return { host: '127.0.0.1', port, db: 0, tls: false, connectTimeoutMs: 500, commandTimeoutMs: 500, ...overrides };
}

function quietLogger() {
  const { logger, ring } = createLogger({ level: 'info', destination: null });
  return { logger, lines: () => ring.tail() };
}

const answer = { body: { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [] }, storedAt: 1_700_000_000_000 };

/** Whether `promise` settles within a few microtask turns: before any socket I/O or timer could have answered it. */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.finally(() => (settled = true));
  for (let turn = 0; turn < 10; turn++) await null;
  return settled;
}

describe('RedisResponseCache (real redis-server)', () => {
  it.runIf(reason !== undefined && inCI)('has redis-server to test against (required when CI is set)', () => {
    throw new Error(reason);
  });

  describe.skipIf(reason !== undefined)('with a private redis-server', () => {
    let redis: StartedRedis;
    let probe: Redis;

    beforeAll(async () => {
      redis = await startRedis();
      probe = new Redis(redis.port, '127.0.0.1');
    });

    afterAll(async () => {
      probe?.disconnect();
      await redis?.stop();
    });

    it('round-trips an answer under llm-gateway:cache:, with an expiry', async () => {
      const cache = new RedisResponseCache(settingsFor(redis.port), quietLogger().logger);
      try {
        expect(await cache.get('ns:abc')).toBeUndefined();
        await cache.set('ns:abc', answer, 60);
        expect(await cache.get('ns:abc')).toEqual(answer);
        const raw = await probe.get(`${REDIS_KEY_PREFIX}ns:abc`);
        expect(JSON.parse(raw!)).toEqual({ storedAt: answer.storedAt, body: answer.body });
        const pttl = await probe.pttl(`${REDIS_KEY_PREFIX}ns:abc`);
        expect(pttl).toBeGreaterThan(55_000);
        expect(pttl).toBeLessThanOrEqual(60_000);
      } finally {
        await cache.close();
      }
    });

    it('lets Redis expire an entry after its ttl (1 s)', async () => {
      const cache = new RedisResponseCache(settingsFor(redis.port), quietLogger().logger);
      try {
        await cache.set('short', answer, 1);
        expect(await cache.get('short')).toBeDefined();
        await sleep(1_200);
        expect(await cache.get('short')).toBeUndefined();
      } finally {
        await cache.close();
      }
    });

    it('connects with a URL too, and treats a garbled entry as a miss', async () => {
      const cache = new RedisResponseCache(settingsFor(0, { url: redis.url }), quietLogger().logger);
      try {
        await probe.set(`${REDIS_KEY_PREFIX}garbled`, 'not json');
        expect(await cache.get('garbled')).toBeUndefined();
        await cache.set('via-url', answer, 60);
        expect(await cache.get('via-url')).toEqual(answer);
      } finally {
        await cache.close();
      }
    });

    it('authenticates; a wrong password is a logged miss, never an error, and never logged', async () => {
      const secured = await startRedis({ password: 'right-password' });
      const { logger, lines } = quietLogger();
      const good = new RedisResponseCache(settingsFor(secured.port, { password: 'right-password' }), logger);
      const bad = new RedisResponseCache(settingsFor(secured.port, { password: 'wrong-password' }), logger);
      try {
        await good.set('x', answer, 60);
        expect(await good.get('x')).toEqual(answer);
        await expect(bad.get('x')).resolves.toBeUndefined();
        await expect(bad.set('y', answer, 60)).resolves.toBeUndefined();
        expect(await good.get('y')).toBeUndefined();
        const logged = lines().join('\n');
        expect(logged).toMatch(/unreachable|failed/);
        expect(logged).not.toMatch(/right-password|wrong-password/);
      } finally {
        await good.close();
        await bad.close();
        await secured.stop();
      }
    });
  });
});

describe('RedisResponseCache with no Redis listening', () => {
  it('answers misses at once and never throws; one warning per outage', async () => {
    const port = await freePort();
    const { logger, lines } = quietLogger();
    const cache = new RedisResponseCache(settingsFor(port), logger);
    try {
      // The first lookup finds the outage (connection refused)…
      await expect(cache.get('k')).resolves.toBeUndefined();
      // …and from then on, while it reconnects in the background, nothing waits for Redis.
      for (let i = 0; i < 5; i++) {
        const get = cache.get(`k${i}`);
        expect(await settlesAtOnce(get)).toBe(true);
        await expect(get).resolves.toBeUndefined();
        const set = cache.set(`k${i}`, answer, 60);
        expect(await settlesAtOnce(set)).toBe(true);
        await expect(set).resolves.toBeUndefined();
      }
      expect(lines().filter((line) => line.includes('unreachable'))).toHaveLength(1);
    } finally {
      await cache.close();
    }
    // After close, still a miss.
    await expect(cache.get('k')).resolves.toBeUndefined();
  });

  it.skipIf(reason !== undefined)('comes back by itself when Redis does', async () => {
    const port = await freePort();
    const { logger, lines } = quietLogger();
    const cache = new RedisResponseCache(settingsFor(port), logger);
    expect(await cache.get('k')).toBeUndefined();
    const redis = await startRedis({ port });
    try {
      const deadline = Date.now() + 8_000;
      for (;;) {
        await cache.set('k', answer, 60);
        if (await cache.get('k')) break;
        if (Date.now() > deadline) throw new Error('the cache did not reconnect');
        await sleep(100);
      }
      expect(lines().some((line) => line.includes('reachable again'))).toBe(true);
    } finally {
      await cache.close();
      await redis.stop();
    }
  });

  it('an unresponsive Redis is a miss when commandTimeout passes, however long the connection hangs', async () => {
    // A server that takes the connection and never answers: no ready check, no reply, ever.
    const sockets: Socket[] = [];
    let heard!: () => void;
    const clientWrote = new Promise<void>((resolve) => (heard = resolve));
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => heard());
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    // ioredis times commands with setTimeout: a fake clock runs it exactly to the timeout (sockets stay real).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cache = new RedisResponseCache(settingsFor(port, { connectTimeoutMs: 60_000, commandTimeoutMs: 300 }), quietLogger().logger);
    try {
      let outcome: unknown = 'waiting';
      void cache.get('k').then(
        (value) => (outcome = value),
        (error: unknown) => (outcome = error),
      );
      await clientWrote;
      await vi.advanceTimersByTimeAsync(299);
      expect(outcome).toBe('waiting');
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBeUndefined(); // a miss, not an error
    } finally {
      vi.useRealTimers();
      await cache.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
