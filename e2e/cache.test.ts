/**
 * The response cache through real HTTP: a repeat is answered without an upstream call (JSON and SSE
 * replay), the per-request controls bypass it, hits are billed at zero, and two gateways share answers
 * through a real redis-server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisUnavailableReason, startRedis, type StartedRedis } from './support/redis.ts';
import { startGatewayOnMocks, startTestGateway, type GatewayOnMocks } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';

const config = (cache: string) => (mockUrl: string) =>
  `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-up }
litellm_settings:
  cache: ${cache}
general_settings:
  master_key: sk-1234
`;

const headers = { authorization: 'Bearer sk-1234', 'content-type': 'application/json' };
const ask = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'cache me' }], ...body }),
  });

describe('local cache', () => {
  let running: GatewayOnMocks;
  beforeAll(async () => {
    running = await startGatewayOnMocks(config('{type: local, ttl: 60}'));
  });
  afterAll(() => running?.close());
  beforeEach(() => running.mock.reset());

  it('answers a repeat from the cache, without an upstream call, at zero cost', async () => {
    const first = await ask(running.gw.url, { temperature: 0.1 });
    expect(first.headers.get('x-litellm-cache-hit')).toBeNull();
    const firstBody = await first.json();
    const second = await ask(running.gw.url, { temperature: 0.1 });
    expect(second.headers.get('x-litellm-cache-hit')).toBe('true');
    expect(second.headers.get('x-litellm-response-cost')).toBe('0');
    const secondBody = await second.json();
    expectValid('CreateChatCompletionResponse', secondBody);
    expect(secondBody).toEqual(firstBody);
    expect(running.mock.requests).toHaveLength(1);
    const logs = (await (await fetch(`${running.gw.url}/spend/logs?request_id=${second.headers.get('x-litellm-call-id')}`, { headers })).json()) as {
      cache_hit: string;
      spend: number;
    }[];
    expect(logs[0]).toMatchObject({ cache_hit: 'True', spend: 0 });
  });

  it('replays a hit as SSE, usage only when asked', async () => {
    await (await ask(running.gw.url, { seed: 7 })).json();
    const res = await ask(running.gw.url, { seed: 7, stream: true });
    expect(res.headers.get('x-litellm-cache-hit')).toBe('true');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[]; usage?: unknown });
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: cache me');
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(running.mock.requests).toHaveLength(1);
  });

  it('fills the cache from a streamed miss', async () => {
    await (await ask(running.gw.url, { seed: 8, stream: true, stream_options: { include_usage: true } })).text();
    const again = await ask(running.gw.url, { seed: 8 });
    expect(again.headers.get('x-litellm-cache-hit')).toBe('true');
    expect(((await again.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('echo: cache me');
  });

  it('bypasses the cache for caching:false and does not read it for no-cache', async () => {
    await (await ask(running.gw.url, { seed: 9 })).json();
    const bypass = await ask(running.gw.url, { seed: 9, caching: false });
    expect(bypass.headers.get('x-litellm-cache-hit')).toBeNull();
    const noCache = await ask(running.gw.url, { seed: 9, cache: { 'no-cache': true } });
    expect(noCache.headers.get('x-litellm-cache-hit')).toBeNull();
    expect(running.mock.requests).toHaveLength(3);
  });
});

const noRedis = redisUnavailableReason();

describe.skipIf(noRedis !== undefined && !process.env.CI)('redis cache (real redis-server)', () => {
  let redis: StartedRedis;
  let running: GatewayOnMocks;
  beforeAll(async () => {
    redis = await startRedis();
    running = await startGatewayOnMocks(config(`{type: redis, host: 127.0.0.1, port: ${redis.port}, ttl: 60}`));
  });
  afterAll(async () => {
    await running?.close();
    await redis?.stop();
  });

  it('shares answers between two gateways', async () => {
    const other = await startTestGateway(config(`{type: redis, host: 127.0.0.1, port: ${redis.port}, ttl: 60}`)(running.mock.url));
    try {
      await (await ask(running.gw.url, { seed: 11 })).json();
      const fromOther = await ask(other.url, { seed: 11 });
      expect(fromOther.headers.get('x-litellm-cache-hit')).toBe('true');
      expect(running.mock.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
