import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallLifetime } from './call-lifetime.ts';
import { ABORT_CLIENT_GONE, startUpstream } from './upstream.ts';

let server: Server;
let base: string;
const closed: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) closed.push(req.url ?? '');
    });
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      let n = 0;
      const write = () => {
        while (n < 200) {
          n++;
          if (!res.write(`${'x'.repeat(1023)}\n`)) return res.once('drain', write);
        }
        res.end();
      };
      return write();
    }
    if (req.url === '/hang') return; // never answers
    if (req.url === '/drip') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      return; // keeps the stream open
    }
    res.writeHead(201, { 'x-echo': req.method ?? '' });
    req.pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('UpstreamExchange', () => {
  it('returns status, headers and the body as text', async () => {
    const res = await startUpstream({ url: `${base}/echo?x=1`, method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }).response;
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-echo']).toBe('POST');
    expect(await res.body.text()).toBe('hello');
  });

  it('reads a large body chunk by chunk with backpressure, losing nothing', async () => {
    const res = await startUpstream({ url: `${base}/big`, method: 'GET', headers: {} }).response;
    let bytes = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      await new Promise((r) => setImmediate(r)); // a slow consumer
    }
    expect(bytes).toBe(200 * 1024);
  });

  it('aborts before the answer, with the reason the lifetime was given', async () => {
    const lifetime = new CallLifetime();
    const exchange = lifetime.attach(startUpstream({ url: `${base}/hang`, method: 'GET', headers: {} }));
    setTimeout(() => lifetime.abort(ABORT_CLIENT_GONE), 50);
    await expect(exchange.response).rejects.toThrow(/client-gone/);
    expect(lifetime.reason).toBe(ABORT_CLIENT_GONE);
  });

  it('aborts a body that is streaming, and the upstream sees the connection close', async () => {
    const lifetime = new CallLifetime();
    const res = await lifetime.attach(startUpstream({ url: `${base}/drip`, method: 'GET', headers: {} })).response;
    const reading = (async () => {
      for await (const _chunk of res.body) lifetime.abort('gateway-timeout');
    })();
    await expect(reading).rejects.toThrow(/gateway-timeout/);
    await expect.poll(() => closed.includes('/drip')).toBe(true);
  });

  it('a lifetime aborted before the exchange started aborts it at once', async () => {
    const lifetime = new CallLifetime();
    lifetime.abort(ABORT_CLIENT_GONE);
    const exchange = lifetime.attach(startUpstream({ url: `${base}/hang`, method: 'GET', headers: {} }));
    await expect(exchange.response).rejects.toThrow(/client-gone/);
    expect(lifetime.signal.aborted).toBe(true);
  });
});
