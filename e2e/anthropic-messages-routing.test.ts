/**
 * /v1/messages through the router, as chat completions go through it (e2e/routing.test.ts): retries, every
 * kind of fallback, per-request overrides and timeouts — driven through config.yaml and real HTTP against
 * the shared mock providers. The call is made per attempt for the deployment picked: natively to an
 * Anthropic deployment, translated via chat to any other, so a fallback may cross providers either way.
 * Each test starts its own gateway and mock, so cooldowns and counters never leak between tests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { anthropicEntry, hi, MASTER_KEY, openaiEntry, sendMessage, streamMessage } from './support/anthropic-client.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const running: GatewayOnMocks[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((r) => r.close()));
});

async function start(models: (mockUrl: string) => string, settings: string): Promise<{ mock: MockProviders; url: string }> {
  const started = await startGatewayOnMocks((u) => `model_list:${models(u)}\n${settings}\ngeneral_settings:\n  master_key: ${MASTER_KEY}\n`);
  running.push(started);
  return { mock: started.mock, url: started.gw.url };
}

const callsTo = (mock: MockProviders, upstream: string) => mock.requests.filter((r) => r.model === upstream).length;
const upstreamCalls = (mock: MockProviders) => mock.requests.map((r) => `${r.model} ${r.path}`);

describe('retries', () => {
  it('a 500 from one Anthropic deployment is retried on another of the group', async () => {
    const { mock, url } = await start(
      (u) => anthropicEntry(u, 'claude', 'claude-a') + anthropicEntry(u, 'claude', 'claude-b-error-500'),
      'router_settings:\n  num_retries: 2',
    );
    for (let i = 0; i < 40 && callsTo(mock, 'claude-b-error-500') === 0; i++) {
      const answer = await sendMessage(url, { model: 'claude', ...hi });
      expect([answer.status, answer.modelId, answer.body.content]).toEqual([200, 'claude-a', [{ type: 'text', text: 'echo: hi' }]]);
    }
    // The shuffle picked the failing one at least once, and the client never saw it.
    expect(callsTo(mock, 'claude-b-error-500')).toBeGreaterThanOrEqual(1);
  });

  it('a deployment failing every retry: num_retries + 1 attempts, then Anthropic’s own error and status relayed', async () => {
    const { mock, url } = await start((u) => anthropicEntry(u, 'claude', 'claude-error-500'), 'router_settings:\n  num_retries: 2\n  allowed_fails: 100');
    const answer = await sendMessage(url, { model: 'claude', ...hi });
    // The upstream's 500 and body as it sent them (the gateway's own rendering would be a 502 "Anthropic: …").
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } });
    expect(answer.modelId).toBe('claude-error-500');
    expect(answer.headers.get('x-litellm-call-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('request-id')).toMatch(/^req_/);
    expect(upstreamCalls(mock)).toEqual(Array(3).fill('claude-error-500 /v1/messages'));
  });
});

describe('fallbacks', () => {
  const crossProvider = (u: string) =>
    anthropicEntry(u, 'claude-primary', 'claude-primary-error-500') +
    openaiEntry(u, 'gpt-backup', 'gpt-backup') +
    openaiEntry(u, 'gpt-primary', 'gpt-primary-error-500') +
    anthropicEntry(u, 'claude-backup', 'claude-backup');
  const chains = 'litellm_settings:\n  num_retries: 0\n  fallbacks: [{"claude-primary": ["gpt-backup"]}, {"gpt-primary": ["claude-backup"]}]';

  it('from an Anthropic deployment to an OpenAI-compatible one: the chat answer translated into a message', async () => {
    const { mock, url } = await start(crossProvider, chains);
    const answer = await sendMessage(url, { model: 'claude-primary', ...hi });
    expect([answer.status, answer.modelId]).toEqual([200, 'gpt-backup']);
    expect(answer.body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-primary',
      content: [{ type: 'text', text: 'echo: hi' }],
      stop_reason: 'end_turn',
    });
    expect(upstreamCalls(mock)).toEqual(['claude-primary-error-500 /v1/messages', 'gpt-backup /v1/chat/completions']);
  });

  it('the same, streamed: the fallback happens before the first byte, the events are Anthropic’s', async () => {
    const { mock, url } = await start(crossProvider, chains);
    const answer = await streamMessage(url, { model: 'claude-primary', ...hi });
    expect([answer.modelId, answer.text]).toEqual(['gpt-backup', 'echo: hi']);
    expect(answer.events[0]).toMatchObject({ type: 'message_start', message: { model: 'claude-primary' } });
    expect(answer.events.at(-1)).toEqual({ type: 'message_stop' });
    expect(upstreamCalls(mock)).toEqual(['claude-primary-error-500 /v1/messages', 'gpt-backup /v1/chat/completions']);
    expect(mock.requests.map((r) => (r.body as { stream?: unknown }).stream)).toEqual([true, true]);
  });

  it('from an OpenAI-compatible deployment to an Anthropic one: relayed natively, streamed or not', async () => {
    const { mock, url } = await start(crossProvider, chains);
    const answer = await sendMessage(url, { model: 'gpt-primary', ...hi });
    expect([answer.status, answer.modelId]).toEqual([200, 'claude-backup']);
    // Anthropic's own message, relayed: it names the upstream model.
    expect(answer.body).toMatchObject({ type: 'message', model: 'claude-backup', content: [{ type: 'text', text: 'echo: hi' }] });
    const streamed = await streamMessage(url, { model: 'gpt-primary', ...hi });
    expect([streamed.modelId, streamed.text]).toEqual(['claude-backup', 'echo: hi']);
    expect(streamed.events.map((e) => e.type)).toContain('ping');
    expect(upstreamCalls(mock)).toEqual([
      'gpt-primary-error-500 /v1/chat/completions',
      'claude-backup /v1/messages',
      'gpt-primary-error-500 /v1/chat/completions',
      'claude-backup /v1/messages',
    ]);
  });

  it('context_window_fallbacks, content_policy_fallbacks and default_fallbacks, each for its kind of failure', async () => {
    const { mock, url } = await start(
      (u) =>
        anthropicEntry(u, 'claude-small', 'claude-context-overflow') +
        anthropicEntry(u, 'claude-guarded', 'claude-content-policy') +
        anthropicEntry(u, 'claude-broken', 'claude-broken-error-500') +
        openaiEntry(u, 'large', 'large-model') +
        openaiEntry(u, 'relaxed', 'relaxed-model') +
        openaiEntry(u, 'generic', 'generic-model') +
        anthropicEntry(u, 'backup', 'claude-backup'),
      `router_settings:
  num_retries: 1
  allowed_fails: 100
  context_window_fallbacks: [{"claude-small": ["large"]}]
  content_policy_fallbacks: [{"claude-guarded": ["relaxed"]}]
  fallbacks: [{"claude-small": ["generic"]}, {"claude-guarded": ["generic"]}]
  default_fallbacks: ["backup"]`,
    );
    expect((await sendMessage(url, { model: 'claude-small', ...hi })).modelId).toBe('large-model');
    expect((await sendMessage(url, { model: 'claude-guarded', ...hi })).modelId).toBe('relaxed-model');
    expect((await sendMessage(url, { model: 'claude-broken', ...hi })).modelId).toBe('claude-backup');
    // The prompt's failures are not retried; the deployment's is, once.
    expect(callsTo(mock, 'claude-context-overflow')).toBe(1);
    expect(callsTo(mock, 'claude-content-policy')).toBe(1);
    expect(callsTo(mock, 'claude-broken-error-500')).toBe(2);
    expect(callsTo(mock, 'generic-model')).toBe(0);
  });

  it('without a chain, a context overflow reaches the client as Anthropic said it', async () => {
    const { url } = await start((u) => anthropicEntry(u, 'claude-small', 'claude-context-overflow'), 'router_settings:\n  num_retries: 2');
    const answer = await sendMessage(url, { model: 'claude-small', ...hi });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } });
  });
});

describe('per-request overrides', () => {
  it('fallbacks and num_retries in the body steer the router and never reach Anthropic', async () => {
    const { mock, url } = await start(
      (u) => anthropicEntry(u, 'claude', 'claude-error-500') + openaiEntry(u, 'gpt-backup', 'gpt-backup'),
      'router_settings:\n  num_retries: 0\n  allowed_fails: 100',
    );
    expect((await sendMessage(url, { model: 'claude', ...hi })).status).toBe(500);
    expect(callsTo(mock, 'claude-error-500')).toBe(1);
    mock.reset();

    const answer = await sendMessage(url, { model: 'claude', ...hi, fallbacks: ['gpt-backup'], num_retries: 1 });
    expect([answer.status, answer.modelId]).toEqual([200, 'gpt-backup']);
    expect(upstreamCalls(mock)).toEqual(['claude-error-500 /v1/messages', 'claude-error-500 /v1/messages', 'gpt-backup /v1/chat/completions']);
    expect(mock.requests[0]?.body).toEqual({ model: 'claude-error-500', ...hi });
    expect(mock.requests[1]?.body).toEqual({ model: 'claude-error-500', ...hi });
    expect(mock.requests[2]?.body).not.toHaveProperty('fallbacks');
    expect(mock.requests[2]?.body).not.toHaveProperty('num_retries');
  });
});

describe('timeouts', () => {
  it('litellm_params.timeout and stream_timeout: a slow Anthropic deployment is abandoned for the fallback', async () => {
    const { mock, url } = await start(
      (u) =>
        anthropicEntry(u, 'claude-slow', 'claude-slow-5000', 'timeout: 0.5') +
        anthropicEntry(u, 'claude-late', 'claude-late-slow-5000', 'stream_timeout: 0.5') +
        openaiEntry(u, 'gpt-backup', 'gpt-backup'),
      'litellm_settings:\n  num_retries: 0\n  fallbacks: [{"claude-slow": ["gpt-backup"]}, {"claude-late": ["gpt-backup"]}]',
    );
    const started = performance.now();
    expect((await sendMessage(url, { model: 'claude-slow', ...hi })).modelId).toBe('gpt-backup');
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    const slow = await mock.waitFor((r) => r.model === 'claude-slow-5000');
    await expect.poll(() => slow.aborted).toBe(true);

    const streamed = await streamMessage(url, { model: 'claude-late', ...hi });
    expect([streamed.modelId, streamed.text]).toEqual(['gpt-backup', 'echo: hi']);
    const late = await mock.waitFor((r) => r.model === 'claude-late-slow-5000');
    await expect.poll(() => late.aborted).toBe(true);
  });
});
