/** Per-deployment rpm through real HTTP: served at once, queued until the bucket refills, 429 past the queue's bound. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

let running: GatewayOnMocks;

beforeAll(async () => {
  running = await startGatewayOnMocks(
    (mockUrl) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-up, rpm: 30, max_queue_size: 1, max_queue_wait: 5 }
`,
  );
});
afterAll(() => running?.close());

it('serves up to rpm at once, queues the next until the bucket refills, refuses past the queue with Retry-After', async () => {
  const send = async () => {
    const started = Date.now();
    const res = await fetch(`${running.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
  };
  // rpm 30 refills a token every 2 s: far longer than the burst takes to arrive, even on a loaded machine
  // (with rpm 120 a token came back mid-burst and a 122nd request was served).
  const results = await Promise.all(Array.from({ length: 32 }, send));
  const ok = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 429);
  expect(ok).toHaveLength(31);
  expect(refused).toHaveLength(1);
  expect(refused[0]?.code).toBe('deployment_queue_full');
  expect(Number(refused[0]?.retryAfter)).toBeGreaterThanOrEqual(1);
  // 30 tokens at once, then one every 2 s: the queued request waited for the refill.
  const slowest = Math.max(...ok.map((r) => r.ms));
  expect(slowest).toBeGreaterThanOrEqual(1000);
  expect(running.mock.requests).toHaveLength(31);
});
