/**
 * The gateway's HTTP server against slow and oversized clients, over raw sockets: a client dripping its
 * headers is cut after client_headers_timeout, an idle keep-alive connection after client_keep_alive_timeout,
 * connections past max_client_connections are refused — and none of it cuts a long answer. Node's own refusals
 * (408, 431) come in OpenAI's error shape. The timeouts are tiny here so each test waits for the socket's
 * 'close' event instead of a clock.
 */
import { connect, type Socket } from 'node:net';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

let running: GatewayOnMocks;
let port: number;
let client: OpenAI;

const config = (mockUrl: string) => `
model_list:
  - model_name: slow-stream
    litellm_params: { model: openai/gpt-chunk-gap-400, api_base: "${mockUrl}/v1", api_key: sk-up }
  - model_name: slow-answer
    litellm_params: { model: openai/gpt-slow-800, api_base: "${mockUrl}/v1", api_key: sk-up }
general_settings:
  master_key: sk-master
  client_headers_timeout: 0.2
  client_request_timeout: 0.3
  client_keep_alive_timeout: 0.3
`;

beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  port = Number(new URL(running.gw.url).port);
  client = running.gw.client('sk-master');
});
afterAll(() => running?.close());

interface RawExchange {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

function open(to = port): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(to, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    const closed = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.on('error', () => undefined); // a reset shows as 'close' too
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

function parseResponse(raw: string): { status: number; body: unknown } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: body ? JSON.parse(body) : undefined };
}

const openAiError = (code: string, type: string) => ({ error: { message: expect.any(String), type, param: null, code } });

describe('connection policy', () => {
  it('cuts a client that sends its headers too slowly, with a 408 in OpenAI shape', async () => {
    const { socket, closed } = await open();
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // A header byte every 50 ms keeps the connection busy but never finishes the headers.
    const drip = setInterval(() => socket.writable && socket.write('x'), 50);
    const raw = await closed;
    clearInterval(drip);
    const response = parseResponse(raw);
    expect(response.status).toBe(408);
    expect(response.body).toEqual(openAiError('request_timeout', 'timeout_error'));
  });

  it('closes an idle keep-alive connection after client_keep_alive_timeout', async () => {
    const { socket, closed } = await open();
    socket.write('GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const raw = await closed;
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toContain('keep-alive');
  });

  it('answers headers over the size limit with a 431 in OpenAI shape', async () => {
    const { socket, closed } = await open();
    socket.write(`GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    const response = parseResponse(await closed);
    expect(response.status).toBe(431);
    expect(response.body).toEqual(openAiError('request_headers_too_large', 'invalid_request_error'));
  });

  it('lets a streamed answer run longer than every timeout', async () => {
    const stream = await client.chat.completions.create({ model: 'slow-stream', messages: [{ role: 'user', content: 'a long answer please' }], stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
    }
    // 400 ms between chunks: two gaps already outlast the 0.3 s request and keep-alive timeouts.
    expect(chunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(0);
  });

  it('lets a non-streamed call whose answer takes longer than every timeout complete', async () => {
    const completion = await client.chat.completions.create({ model: 'slow-answer', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toEqual(expect.any(String));
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });
});

describe('connection cap', () => {
  // Its own gateway with the default timeouts, so the connections it holds are not cut while the test runs.
  const capped = { port: 0, running: undefined as GatewayOnMocks | undefined };
  beforeAll(async () => {
    capped.running = await startGatewayOnMocks((mockUrl) => `${config(mockUrl).split('general_settings:')[0]}general_settings:\n  max_client_connections: 2\n`);
    capped.port = Number(new URL(capped.running.gw.url).port);
  });
  afterAll(() => capped.running?.close());

  it('refuses connections past max_client_connections and keeps serving the ones it holds', async () => {
    const held = await Promise.all([open(capped.port), open(capped.port)]);
    const extra = await open(capped.port);
    expect(await extra.closed).toBe('');
    const [first] = held;
    first!.socket.write('GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(await first!.closed).toMatch(/^HTTP\/1\.1 200 /);
    for (const { socket } of held) socket.destroy();
  });
});
