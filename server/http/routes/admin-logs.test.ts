/**
 * GET /admin/logs and the live tail GET /admin/logs/stream over real HTTP (a listening gateway): the tail
 * first, then new lines as they are written — a request's debug line included while someone watches, without
 * it reaching the console — masked; and on disconnect the listener is gone and the logger's level restored.
 */
import { EventEmitter } from 'node:events';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSse, type SseEvent } from '../../../e2e/support/sse.ts';
import { emptyConfig, type GatewayConfig } from '../../core/config-types.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { liveTailWatchers } from '../../observe/live-tail.ts';
import type { LogLine } from '../../observe/log-lines.ts';
import { LogRing } from '../../observe/log-ring.ts';
import { createLogger } from '../../observe/logger.ts';
import { openLogStream } from './admin-logs.ts';

const MASTER_KEY = 'sk-master-logs-0123456789';
const UPSTREAM_KEY = 'sk-proj-LogsUpstreamKey0123456789abcdefXYZ';
const PROVIDER_TOKEN = 'sk-ant-api03-LoggedByMistake0123456789';

let consoleText = '';
const consoleOut = new Writable({
  write(chunk, _encoding, done) {
    consoleText += String(chunk);
    done();
  },
});
const { logger, ring } = createLogger({ level: 'info', destination: consoleOut, pretty: false });

let g: Gateway;
let url: string;

beforeAll(async () => {
  const config: GatewayConfig = emptyConfig();
  config.model_list.push(
    { model_name: 'echo', litellm_params: { model: 'mock/echo' }, model_info: { id: 'echo-id' } },
    { model_name: 'keyed', litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:1/v1', api_key: UPSTREAM_KEY } },
  );
  config.general_settings.master_key = MASTER_KEY;
  g = await createGateway({ config, logger, ring, env: {}, port: 0 });
  url = await g.listen();
});
afterAll(async () => {
  await g?.close();
});

const auth = { authorization: `Bearer ${MASTER_KEY}` };

async function chat(content: string): Promise<number> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content }] }),
  });
  await res.text();
  return res.status;
}

/** An open SSE connection (node:http, its own socket), read incrementally. */
async function connect(query = '') {
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    get(`${url}/admin/logs/stream${query}`, { headers: auth, agent: false }, resolve).on('error', reject);
  });
  res.setEncoding('utf8');
  let text = '';
  let ended = false;
  const waiters = new Set<() => void>();
  res.on('data', (chunk: string) => {
    text += chunk;
    for (const wake of waiters) wake();
  });
  res.on('close', () => {
    ended = true;
    for (const wake of waiters) wake();
  });
  const events = () => parseSse(text);
  const lines = () =>
    events()
      .filter((e) => e.event === 'log')
      .map((e) => JSON.parse(e.data) as LogLine);
  async function until(predicate: (lines: LogLine[], events: SseEvent[]) => boolean, timeoutMs = 3000): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(lines(), events())) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received so far:\n${text}`);
      if (ended) throw new Error(`stream ended; received:\n${text}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
    return lines();
  }
  return { res, until, lines, text: () => text, close: () => res.destroy() };
}

async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('GET /admin/logs', () => {
  it('takes the master key only', async () => {
    expect((await fetch(`${url}/admin/logs`)).status).toBe(401);
    const stream = await fetch(`${url}/admin/logs/stream`);
    expect(stream.status).toBe(401);
    expect(stream.headers.get('content-type')).toContain('application/json');
    expect(liveTailWatchers(ring)).toBe(0);
  });

  it('answers the newest lines, parsed, oldest first', async () => {
    logger.info('tail one');
    logger.info({ n: 2 }, 'tail two');
    const res = await fetch(`${url}/admin/logs?limit=2`, { headers: auth });
    expect(res.status).toBe(200);
    const { lines } = (await res.json()) as { lines: LogLine[] };
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'tail one' });
    expect(lines[1]).toMatchObject({ level: 30, msg: 'tail two', n: 2 });
    expect(typeof lines[1]!.time).toBe('number');
  });

  it('refuses a limit that is not a whole number in range', async () => {
    for (const limit of ['0', 'abc', '-1', String(ring.capacity + 1)]) {
      const res = await fetch(`${url}/admin/logs?limit=${limit}`, { headers: auth });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { param: string } }).error.param).toBe('limit');
    }
  });

  it("masks secrets: the gateway's own keys anywhere, key-shaped values, secret-named fields", async () => {
    logger.info(
      { note: `configured with ${UPSTREAM_KEY}`, upstream: { token: 'opaque-value-123', header: `Bearer ${PROVIDER_TOKEN}` } },
      `master is ${MASTER_KEY}`,
    );
    const res = await fetch(`${url}/admin/logs?limit=1`, { headers: auth });
    const text = await res.text();
    for (const secret of [UPSTREAM_KEY, PROVIDER_TOKEN, MASTER_KEY, 'opaque-value-123']) expect(text).not.toContain(secret);
    const [line] = (JSON.parse(text) as { lines: LogLine[] }).lines;
    expect(line).toMatchObject({ msg: 'master is sk-…6789', note: 'configured with sk-…fXYZ', upstream: { token: 'opa…-123' } });
  });
});

describe('GET /admin/logs/stream', () => {
  it('sends the tail, then new lines (request debug lines included), masked; on disconnect stops and restores the level', async () => {
    logger.info('before the stream');
    expect(logger.level).toBe('info');
    const stream = await connect('?tail=5');
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toBe('text/event-stream');
    expect(stream.res.headers['cache-control']).toBe('no-cache');
    expect(stream.res.headers['x-accel-buffering']).toBe('no');

    const tail = await stream.until((lines) => lines.some((l) => l.msg === 'before the stream'));
    expect(tail.length).toBeLessThanOrEqual(5);
    expect(liveTailWatchers(ring)).toBe(1);
    // The ring gets debug lines now; the console keeps info.
    expect(logger.level).toBe('debug');

    consoleText = '';
    expect(await chat('watched request')).toBe(200);
    const lines = await stream.until((ls) => ls.some((l) => l.msg === 'request'));
    const request = lines.find((l) => l.msg === 'request')!;
    expect(request).toMatchObject({ level: 20, path: '/v1/chat/completions', model: 'echo', status: 200, deployment: 'mock/echo', deploymentId: 'echo-id' });
    expect(consoleText).not.toContain('"msg":"request"');

    logger.info({ auth: { api_key: UPSTREAM_KEY }, token: PROVIDER_TOKEN }, `live secret ${MASTER_KEY}`);
    const live = (await stream.until((ls) => ls.some((l) => typeof l.msg === 'string' && l.msg.startsWith('live secret')))).at(-1)!;
    expect(live.msg).toBe('live secret sk-…6789');
    for (const secret of [UPSTREAM_KEY, PROVIDER_TOKEN, MASTER_KEY]) expect(stream.text()).not.toContain(secret);
    // The console still gets info lines, masked by the logger's own redaction.
    expect(consoleText).toContain('live secret');
    expect(consoleText).not.toContain(UPSTREAM_KEY);

    stream.close();
    await eventually(() => liveTailWatchers(ring) === 0);
    expect(logger.level).toBe('info');
    const before = ring.tail().length;
    expect(await chat('unwatched request')).toBe(200);
    expect(
      ring
        .tail()
        .slice(before)
        .some((l) => l.includes('"msg":"request"')),
    ).toBe(false);
  });

  it('keeps debug while any client watches and restores the level after the last one', async () => {
    const a = await connect('?tail=0');
    const b = await connect('?tail=0');
    await a.until(() => a.text().includes(': connected'));
    await b.until(() => b.text().includes(': connected'));
    expect(liveTailWatchers(ring)).toBe(2);
    a.close();
    await eventually(() => liveTailWatchers(ring) === 1);
    expect(logger.level).toBe('debug');
    b.close();
    await eventually(() => liveTailWatchers(ring) === 0);
    expect(logger.level).toBe('info');
  });

  it('refuses a bad tail', async () => {
    const res = await fetch(`${url}/admin/logs/stream?tail=x`, { headers: auth });
    expect(res.status).toBe(400);
    expect(liveTailWatchers(ring)).toBe(0);
  });
});

describe('closing the gateway with a stream open', () => {
  it('ends the stream instead of waiting for it', async () => {
    const config: GatewayConfig = emptyConfig();
    config.model_list.push({ model_name: 'echo', litellm_params: { model: 'mock/echo' } });
    config.general_settings.master_key = MASTER_KEY;
    const own = createLogger({ level: 'info', destination: null });
    const other = await createGateway({ config, logger: own.logger, ring: own.ring, env: {}, port: 0 });
    const otherUrl = await other.listen();
    const res = await fetch(`${otherUrl}/admin/logs/stream?tail=0`, { headers: auth });
    expect(res.status).toBe(200);
    const reading = res.text();
    // Without its preClose hook ending the stream, close() would wait for the client for ever (the test times out).
    await other.close();
    expect(await reading).toBe(': connected\n\n');
    expect(liveTailWatchers(own.ring)).toBe(0);
    expect(own.logger.level).toBe('info');
  });
});

/** A ServerResponse stand-in whose write() reports back-pressure on demand. */
class FakeResponse extends EventEmitter {
  written: string[] = [];
  full = false;
  headersSent = false;
  destroyed = false;
  writableEnded = false;
  status = 0;
  writeHead(status: number) {
    this.status = status;
    this.headersSent = true;
    return this;
  }
  write(chunk: string) {
    this.written.push(chunk);
    return !this.full;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
}

describe('openLogStream', () => {
  it('pings every interval and stops on end', async () => {
    vi.useFakeTimers();
    try {
      const ring = new LogRing(10);
      const res = new FakeResponse();
      const end = openLogStream(res as unknown as ServerResponse, ring, { tail: 0, secrets: () => [], pingIntervalMs: 15_000 });
      expect(res.status).toBe(200);
      vi.advanceTimersByTime(15_000);
      expect(res.written.filter((w) => w === ': ping\n\n')).toHaveLength(1);
      vi.advanceTimersByTime(30_000);
      expect(res.written.filter((w) => w === ': ping\n\n')).toHaveLength(3);
      end();
      vi.advanceTimersByTime(60_000);
      expect(res.written.filter((w) => w === ': ping\n\n')).toHaveLength(3);
      expect(liveTailWatchers(ring)).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never blocks the logger: a client that does not read gets a bounded queue, the oldest lines dropped', async () => {
    const ring = new LogRing(10_000);
    const res = new FakeResponse();
    openLogStream(res as unknown as ServerResponse, ring, { tail: 0, secrets: () => [], maxPendingLines: 100 });
    res.full = true;
    ring.write('{"level":30,"time":1,"msg":"first"}\n');
    // Lines are written on the next turn of the event loop (setImmediate), never inside the logger's write.
    expect(res.written.join('')).not.toContain('"first"');
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.written.at(-1)).toContain('"msg":"first"'); // …and that write found the socket full
    // The socket is full: nothing more is written until it drains, however much is logged.
    const writesBefore = res.written.length;
    for (let i = 0; i < 5000; i++) ring.write(`{"level":30,"time":1,"msg":"line ${i}"}\n`);
    expect(res.written.length).toBe(writesBefore);
    await new Promise((resolve) => setImmediate(resolve)); // the flush those lines scheduled has run
    expect(res.written.length).toBe(writesBefore);
    res.full = false;
    res.emit('drain');
    const after = res.written.slice(writesBefore).join('');
    expect(after).toContain(': dropped 4900 log lines');
    const events = parseSse(after);
    expect(events).toHaveLength(100);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ msg: 'line 4900' });
    expect(JSON.parse(events[99]!.data)).toMatchObject({ msg: 'line 4999' });
    res.end();
    expect(liveTailWatchers(ring)).toBe(0);
  });
});
