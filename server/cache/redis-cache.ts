/**
 * The shared cache: answers in Redis under `llm-gateway:cache:<namespace:>sha256`, each a JSON string
 * `{"storedAt":…,"body":{…}}` written with SET … PX (the ttl in ms), so Redis expires them itself.
 *
 * Redis is an optimisation, never a dependency of a request: the client connects on first use, every command
 * is bounded (connect timeout, command timeout, no retries per command), and while the connection is down
 * (reconnecting in the background with backoff) a lookup is a miss at once, without waiting. Errors are
 * logged once per outage, never thrown.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../observe/logger.ts';
import type { RedisSettings } from './cache-settings.ts';
import type { CachedAnswer, ResponseCache } from './cached-answer.ts';

export const REDIS_KEY_PREFIX = 'llm-gateway:cache:';

const COMMAND_WARNING_INTERVAL_MS = 10_000;

/** Background reconnects: 200 ms doubling to at most 5 s. */
const reconnectDelay = (attempt: number): number => Math.min(200 * 2 ** Math.min(attempt - 1, 5), 5_000);

function redisOptions(settings: RedisSettings): RedisOptions {
  return {
    lazyConnect: true,
    connectTimeout: settings.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
    keyPrefix: REDIS_KEY_PREFIX,
    connectionName: 'llm-gateway-cache',
    db: settings.db,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    ...(settings.tls ? { tls: {} } : {}),
  };
}

/** Where the cache connects, for logs: never the password. */
export function redisTarget(settings: RedisSettings): string {
  if (!settings.url) return `${settings.host}:${settings.port}`;
  try {
    const url = new URL(settings.url);
    return `${url.hostname}:${url.port || 6379}`;
  } catch {
    return 'the configured Redis URL';
  }
}

export class RedisResponseCache implements ResponseCache {
  readonly type = 'redis';
  private readonly client: Redis;
  private readonly target: string;
  /** undefined until the first connection attempt ends. */
  private reachable: boolean | undefined;
  private lastCommandWarning = -Infinity;

  constructor(
    settings: RedisSettings,
    private readonly logger: Logger,
  ) {
    const options = redisOptions(settings);
    this.client = settings.url ? new Redis(settings.url, options) : new Redis(settings.port, settings.host, options);
    this.target = redisTarget(settings);
    this.client.on('error', (err: Error) => this.unreachable(err));
    this.client.on('ready', () => {
      if (this.reachable === false) this.logger.info(`Redis response cache at ${this.target} is reachable again.`);
      this.reachable = true;
    });
  }

  /** The connection is known to be down or closed: skip Redis instead of waiting for it (even mid-reconnect). */
  private get unavailable(): boolean {
    const status = this.client.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') return true;
    return this.reachable === false && status !== 'ready';
  }

  private unreachable(err: Error): void {
    if (this.reachable !== false) {
      this.logger.warn(`Redis response cache at ${this.target} is unreachable (${err.message}); requests are answered without the cache until it is back.`);
    }
    this.reachable = false;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    if (this.unavailable) return undefined;
    let text: string | null;
    try {
      text = await this.client.get(key);
    } catch (err) {
      this.commandFailed('read', err);
      return undefined;
    }
    if (text === null) return undefined;
    try {
      const parsed = JSON.parse(text) as Partial<CachedAnswer>;
      if (typeof parsed.storedAt !== 'number' || typeof parsed.body !== 'object' || parsed.body === null) return undefined;
      return { body: parsed.body, storedAt: parsed.storedAt };
    } catch {
      return undefined;
    }
  }

  async set(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
    const ms = Math.round(ttlSeconds * 1000);
    if (!(ms > 0) || this.unavailable) return;
    try {
      await this.client.set(key, JSON.stringify({ storedAt: answer.storedAt, body: answer.body }), 'PX', ms);
    } catch (err) {
      this.commandFailed('write', err);
    }
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
        return;
      } catch {
        // Fall through: cut the connection.
      }
    }
    this.client.disconnect();
  }

  /** A failure while connected (timeout, a Redis error): at most a line every 10 s; an outage is logged once. */
  private commandFailed(what: 'read' | 'write', err: unknown): void {
    const now = Date.now();
    if (this.reachable === false || now - this.lastCommandWarning < COMMAND_WARNING_INTERVAL_MS) return;
    this.lastCommandWarning = now;
    this.logger.warn(`Redis response cache at ${this.target}: ${what} failed (${(err as Error).message}); treated as a miss.`);
  }
}
