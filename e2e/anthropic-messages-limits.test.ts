/**
 * /v1/messages under the router's and the key's limits, through real HTTP against the shared mock providers:
 * a 429 cools its deployment down, a cooled-down group answers the gateway's own 429, per-deployment rpm
 * queues, count_tokens (routed, never billed), budgets, the spend row and metrics of a fallback, and the
 * client leaving before the first byte. Each test starts its own gateway and mock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { admin } from './support/admin.ts';
import { anthropicEntry, anthropicHeaders, hi, MASTER_KEY, openaiEntry, sendMessage } from './support/anthropic-client.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGatewayOptions } from './support/gateway.ts';
import { countPromptTokens } from '../server/spend/tokenizer.ts';

const running: GatewayOnMocks[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((r) => r.close()));
});

async function start(models: (mockUrl: string) => string, settings = '', options: TestGatewayOptions = {}): Promise<GatewayOnMocks & { url: string }> {
  const started = await startGatewayOnMocks((u) => `model_list:${models(u)}\n${settings}\ngeneral_settings:\n  master_key: ${MASTER_KEY}\n`, {}, options);
  running.push(started);
  return { ...started, url: started.gw.url };
}

const statusesOf = (mock: MockProviders, upstream: string) => mock.requests.filter((r) => r.model === upstream).map((r) => r.status);

describe('cooldowns', () => {
  it('a 429 from Anthropic cools its deployment down at once, for its Retry-After', async () => {
    // claude-error-429-2s answers 429 with Retry-After for its first 2 s; allowed_fails stays at its default (3).
    const { gw, mock, url } = await start(
      (u) => anthropicEntry(u, 'claude', 'claude-a') + anthropicEntry(u, 'claude', 'claude-error-429-2s'),
      'router_settings:\n  num_retries: 2\n  cooldown_time: 60',
    );
    const limited = 'claude-error-429-2s';
    for (let i = 0; i < 40 && statusesOf(mock, limited).length === 0; i++) {
      const answer = await sendMessage(url, { model: 'claude', ...hi });
      expect([answer.status, answer.modelId]).toEqual([200, 'claude-a']);
    }
    expect(statusesOf(mock, limited)).toEqual([429]);
    const { runtime } = gw.gateway;
    const snapshot = runtime.health.snapshot(runtime.state.router.deployments).find((d) => d.id === limited);
    expect(snapshot?.state).toBe('cooling');
    expect(snapshot?.cooldown_remaining_s).toBeGreaterThan(0);
    expect(snapshot?.cooldown_remaining_s).toBeLessThanOrEqual(2);
    // Skipped while it cools: any later call reaching it inside its 429 window would show as a second 429.
    for (let i = 0; i < 10; i++) expect((await sendMessage(url, { model: 'claude', ...hi })).status).toBe(200);
    expect(
      statusesOf(mock, limited)
        .slice(1)
        .filter((status) => status !== 200),
    ).toEqual([]);
  });

  it('a group whose every deployment cools answers the gateway’s own 429, in Anthropic’s shape, without an upstream call', async () => {
    const { mock, url } = await start((u) => anthropicEntry(u, 'claude', 'claude-error-429'), 'router_settings:\n  num_retries: 0');
    const relayed = await sendMessage(url, { model: 'claude', ...hi });
    expect([relayed.status, relayed.body.error.message]).toEqual([429, 'Number of requests has exceeded your per-minute rate limit.']);
    expect(relayed.headers.get('retry-after')).toBe('7');
    // Cooling for 7 s; the request's own timeout (1 s, a per-request override) will not wait that long.
    const refused = await sendMessage(url, { model: 'claude', ...hi, timeout: 1 });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('cooling down') } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(mock.requests).toHaveLength(1);
  });
});

it('per-deployment rpm: served at once up to rpm, queued until the bucket refills, refused past the queue', async () => {
  const { mock, url } = await start((u) => anthropicEntry(u, 'claude', 'claude-a', 'rpm: 30, max_queue_size: 1, max_queue_wait: 5'));
  const send = async () => {
    const started = Date.now();
    const answer = await sendMessage(url, { model: 'claude', ...hi });
    return { ...answer, ms: Date.now() - started };
  };
  // rpm 30 refills a token every 2 s: far longer than the burst takes to arrive.
  const results = await Promise.all(Array.from({ length: 32 }, send));
  const ok = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status === 429);
  expect([ok.length, refused.length]).toEqual([31, 1]);
  expect(refused[0]?.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } });
  expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // 30 tokens at once, then one every 2 s: the queued request waited for the refill.
  expect(Math.max(...ok.map((r) => r.ms))).toBeGreaterThanOrEqual(1000);
  expect(mock.requests).toHaveLength(31);
});

describe('count_tokens', () => {
  it('is routed like a message (a failing Anthropic deployment falls back to an estimate) and never billed', async () => {
    const { mock, url } = await start(
      (u) => anthropicEntry(u, 'claude', 'claude-error-500') + openaiEntry(u, 'gpt-4o', 'gpt-4o'),
      'router_settings:\n  num_retries: 0\n  fallbacks: [{"claude": ["gpt-4o"]}]',
    );
    const request = { model: 'claude', messages: [{ role: 'user', content: 'x'.repeat(40) }] };
    const counted = await sendMessage(url, request, { path: '/v1/messages/count_tokens' });
    // The gateway tokenizer's estimate: the Anthropic deployment's count failed.
    expect([counted.status, counted.modelId, counted.body]).toEqual([200, 'gpt-4o', { input_tokens: countPromptTokens('messages', request) }]);
    expect(mock.requests.map((r) => r.path)).toEqual(['/v1/messages/count_tokens']);
    expect(counted.headers.get('x-litellm-response-cost')).toBeNull();
    // A message is billed; the count before it was not.
    const billed = await sendMessage(url, { model: 'claude', ...hi });
    const { rows } = await admin(url, MASTER_KEY).spendLogs();
    expect(rows.map((r) => r.request_id)).toEqual([billed.headers.get('x-litellm-call-id')]);
  });
});

describe('metering and metrics', () => {
  it('a fallback is billed to the deployment that answered: spend row, response cost header, key spend, metrics', async () => {
    const { url } = await start(
      (u) => anthropicEntry(u, 'claude', 'claude-error-500') + openaiEntry(u, 'gpt-4o', 'gpt-4o'),
      'router_settings:\n  num_retries: 0\n  fallbacks: [{"claude": ["gpt-4o"]}]',
    );
    const api = admin(url, MASTER_KEY);
    const { key } = await api.generateKey({});
    const answer = await sendMessage(url, { model: 'claude', ...hi }, { key });
    expect([answer.status, answer.modelId]).toEqual([200, 'gpt-4o']);
    // The mock counts words: prompt "hi" = 1 token, completion "echo: hi" = 2, at gpt-4o's $2.50 / $10 per million.
    const costNanos = 1 * 2_500 + 2 * 10_000;
    expect(answer.headers.get('x-litellm-response-cost')).toBe(String(costNanos / 1e9));
    const { rows } = await api.spendLogs({ request_id: String(answer.headers.get('x-litellm-call-id')) });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model_group: 'gpt-4o', status: 'success', prompt_tokens: 1, completion_tokens: 2 });
    expect(rows[0]?.metadata).toMatchObject({ spend_nanos: costNanos, usage_source: 'provider', http_status: 200 });
    expect((await api.keyInfo(key)).spend).toBe(costNanos / 1e9);
    const metrics = (await api.get('/metrics')).text;
    expect(metrics).toContain('llm_gateway_requests_total{model_group="gpt-4o",deployment="gpt-4o",status="200"} 1');
  });

  it('a key over its budget is refused before any upstream call, in Anthropic’s shape', async () => {
    // A priced model and a budget smaller than one call: the first call runs alone on what is left (the budget
    // rule admits a call while spend is under the budget), and spends past it; the next is refused up front.
    const { mock, url } = await start((u) => anthropicEntry(u, 'claude', 'claude-3-haiku-20240307'));
    const { key } = await admin(url, MASTER_KEY).generateKey({ max_budget: 0.000001 });
    expect((await sendMessage(url, { model: 'claude', ...hi }, { key })).status).toBe(200);
    const refused = await sendMessage(url, { model: 'claude', ...hi }, { key });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Budget has been exceeded') } });
    expect(mock.requests).toHaveLength(1);
  });
});

it('the client going away before the first byte aborts the upstream attempt and logs 499, on both paths', async () => {
  const { gw, mock, url } = await start((u) => anthropicEntry(u, 'claude-hang', 'claude-hang') + openaiEntry(u, 'gpt-hang', 'gpt-hang'), '', {
    logLevel: 'debug',
  });
  for (const model of ['claude-hang', 'gpt-hang']) {
    const controller = new AbortController();
    const sent = fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: anthropicHeaders(),
      body: JSON.stringify({ model, ...hi }),
      signal: controller.signal,
    });
    await mock.waitFor((r) => r.model === model);
    controller.abort();
    await expect(sent).rejects.toThrow();
    await expect(mock.waitFor((r) => r.model === model && r.aborted)).resolves.toMatchObject({ aborted: true });
    const requestLine = () =>
      gw.ring
        .tail()
        .map((line) => JSON.parse(line) as { msg: string; deployment?: string; status?: number; path?: string })
        .find((line) => line.msg === 'request' && line.deployment?.endsWith(`/${model}`));
    await expect.poll(requestLine).toMatchObject({ status: 499, path: '/v1/messages' });
  }
});
