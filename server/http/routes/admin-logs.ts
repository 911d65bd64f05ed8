/**
 * The dashboard's log views (master key), from the in-memory ring (observe/log-ring.ts):
 *  - GET /admin/logs?limit=N     → `{ lines: LogLine[] }`, the newest N lines (default 200), oldest first.
 *  - GET /admin/logs/stream?tail=N → Server-Sent Events: the newest N lines (default 200), then each new
 *    line as it is written, each as `event: log` + `data: <LogLine JSON>`; a `: ping` comment every 15 s.
 *
 * While a stream is open the ring receives debug lines — one per request — without the console showing
 * them (observe/live-tail.ts); the last stream to close restores the logger's level. A slow client never
 * slows the logger: the ring's listener only queues the line (bounded; the oldest are dropped, and the
 * client is told how many in a comment), and the socket is written to later, respecting back-pressure.
 * Every line is masked again on its way out (observe/log-lines.ts).
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { LogTail } from '../../core/admin-api.ts';
import { knownSecrets, toLogLine, type LogLine } from '../../observe/log-lines.ts';
import type { LogRing } from '../../observe/log-ring.ts';
import { watchLiveTail } from '../../observe/live-tail.ts';
import { badRequest } from '../../core/errors.ts';
import type { Runtime } from '../runtime.ts';

export const DEFAULT_LOG_LINES = 200;
export const PING_INTERVAL_MS = 15_000;
/** New lines a client may fall behind by before the oldest of them are dropped. */
export const MAX_PENDING_LINES = 1000;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

export function logFrame(line: LogLine): string {
  return `event: log\ndata: ${JSON.stringify(line)}\n\n`;
}

export interface LogStreamOptions {
  /** Ring lines sent first. */
  tail: number;
  /** The secrets to mask, looked up when lines are sent (they change with the config). */
  secrets: () => readonly string[];
  pingIntervalMs?: number;
  maxPendingLines?: number;
}

/**
 * One client's live tail on an open response (headers already sent or not: they are written here).
 * Returns the function that ends it; it also ends when the client goes away.
 */
export function openLogStream(res: ServerResponse, ring: LogRing, options: LogStreamOptions): () => void {
  const maxPending = options.maxPendingLines ?? MAX_PENDING_LINES;
  let pending: string[] = [];
  let dropped = 0;
  let scheduled = false;
  let waitingForDrain = false;
  let ended = false;

  const frameOf = (line: string) => logFrame(toLogLine(line, options.secrets()));
  const writable = () => !ended && !res.destroyed && !res.writableEnded;

  const flush = () => {
    scheduled = false;
    if (!writable() || waitingForDrain) return;
    let out = '';
    if (dropped > 0) {
      out += `: dropped ${dropped} log lines (this client fell behind)\n\n`;
      dropped = 0;
    }
    const lines = pending;
    pending = [];
    for (const line of lines) out += frameOf(line);
    if (out && !res.write(out)) {
      waitingForDrain = true;
      res.once('drain', () => {
        waitingForDrain = false;
        if (pending.length || dropped) flush();
      });
    }
  };

  // Runs inside the logger's write: queue only, never touch the socket here.
  const onLine = (line: string) => {
    if (ended) return;
    pending.push(line);
    if (pending.length > maxPending) {
      const excess = pending.length - maxPending;
      pending.splice(0, excess);
      dropped += excess;
    }
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  if (!res.headersSent) res.writeHead(200, SSE_HEADERS);
  // The tail and the subscription in one tick: no line falls between them.
  const tail = options.tail > 0 ? ring.tail(options.tail) : [];
  const unwatch = watchLiveTail(ring, onLine);
  res.write(tail.map(frameOf).join('') || ': connected\n\n');

  const ping = setInterval(() => {
    if (writable() && !waitingForDrain) res.write(': ping\n\n');
  }, options.pingIntervalMs ?? PING_INTERVAL_MS);
  ping.unref();

  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(ping);
    unwatch();
    pending = [];
    res.off('close', end);
    if (!res.writableEnded && !res.destroyed) res.end();
  };
  res.on('close', end);
  return end;
}

function countParam(query: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = query[name];
  if (value === undefined || value === '') return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badRequest(`\`${name}\` must be a whole number from ${min} to ${max}.`, name, 'invalid_request');
  return n;
}

export function registerLogRoutes(app: FastifyInstance, runtime: Runtime): void {
  const { ring } = runtime;
  const secrets = () => knownSecrets(runtime.state);
  const open = new Set<() => void>();

  app.get('/admin/logs', async (request): Promise<LogTail> => {
    const limit = countParam(request.query as Record<string, unknown>, 'limit', DEFAULT_LOG_LINES, 1, ring.capacity);
    const current = secrets();
    return { lines: ring.tail(limit).map((line) => toLogLine(line, current)) };
  });

  app.get('/admin/logs/stream', async (request, reply) => {
    const tail = countParam(request.query as Record<string, unknown>, 'tail', DEFAULT_LOG_LINES, 0, ring.capacity);
    reply.hijack();
    const end = openLogStream(reply.raw, ring, { tail, secrets });
    open.add(end);
    reply.raw.once('close', () => open.delete(end));
  });

  // Open streams never finish on their own: end them so closing the gateway does not wait for them.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
    open.clear();
  });
}
