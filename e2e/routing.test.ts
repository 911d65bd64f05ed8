/**
 * LiteLLM's router semantics, driven only through config.yaml and real HTTP against the shared mock providers:
 * retries, cooldowns, every kind of fallback, timeouts, load balancing, waiting for a cooled-down group, and
 * streams. Each test starts its own gateway and mock, so cooldowns and counters never leak between tests.
 *
 * The config keys are LiteLLM's, in the places its docs put them:
 * - docs.litellm.ai/docs/proxy/reliability: `fallbacks: [{"a": ["b"]}]`, `context_window_fallbacks`,
 *   `content_policy_fallbacks` (same shape), `default_fallbacks: ["b"]`, `num_retries`, `allowed_fails`,
 *   `cooldown_time`, under `litellm_settings` or `router_settings`; `fallbacks: ["b"]` in the request body
 *   (client-side fallbacks); `x-litellm-model-id` names the deployment that answered.
 * - docs.litellm.ai/docs/routing: `routing_strategy: simple-shuffle`, `rpm` / `weight` in `litellm_params`,
 *   cooldowns (a 429 cools a deployment down at once; its `Retry-After` sets how long), `disable_cooldowns`.
 * - docs.litellm.ai/docs/proxy/timeout: `timeout` and `stream_timeout` in `litellm_params` (seconds), and a
 *   per-request `timeout` in the body.
 *
 * Upstreams are told apart by the model name the mock records (`model_info.id` is set to that name, so the
 * `x-litellm-model-id` header names it too).
 */
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';

interface Running extends GatewayOnMocks {
  client: OpenAI;
}

const running: Running[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((r) => r.close()));
});

/** A gateway on its own mock providers, closed after the test. */
async function start(config: (mockUrl: string) => string): Promise<Running> {
  const started = await startGatewayOnMocks(config);
  const handle = { ...started, client: started.gw.client() };
  running.push(handle);
  return handle;
}

/** A model_list entry on the mock's OpenAI API. `params`: more litellm_params, as YAML flow-mapping items. */
function openai(mockUrl: string, group: string, upstream: string, params = ''): string {
  return `
  - model_name: ${group}
    litellm_params: { model: openai/${upstream}, api_base: "${mockUrl}/v1", api_key: sk-up${params ? `, ${params}` : ''} }
    model_info: { id: ${upstream} }`;
}

/** A model_list entry on the mock's Anthropic Messages API. */
function anthropic(mockUrl: string, group: string, upstream: string): string {
  return `
  - model_name: ${group}
    litellm_params: { model: anthropic/${upstream}, api_base: "${mockUrl}", api_key: sk-ant-up }
    model_info: { id: ${upstream} }`;
}

const hi = [{ role: 'user' as const, content: 'hi' }];

/** How many requests the upstream model `upstream` received. */
function callsTo(mock: MockProviders, upstream: string): number {
  return mock.requests.filter((r) => r.model === upstream).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The gateway's own view of a deployment (what GET /admin/deployments/health shows): its state and cooldown. */
function deploymentSnapshot(r: Running, id: string) {
  const { runtime } = r.gw.gateway;
  return runtime.health.snapshot(runtime.state.router.deployments).find((d) => d.id === id);
}

/** A chat completion; `extra` are LiteLLM's own body fields (fallbacks, num_retries, timeout, …). */
async function ask(client: OpenAI, model: string, extra: Record<string, unknown> = {}) {
  const params = { model, messages: hi, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming;
  const { data, response } = await client.chat.completions.create(params).withResponse();
  expectValid('CreateChatCompletionResponse', data);
  return { text: data.choices[0]?.message.content, modelId: response.headers.get('x-litellm-model-id') };
}

/** A streamed chat completion, drained: the text and which deployment answered. */
async function askStream(client: OpenAI, model: string, extra: Record<string, unknown> = {}) {
  const params = { model, messages: hi, stream: true, ...extra } as OpenAI.ChatCompletionCreateParamsStreaming;
  const { data: stream, response } = await client.chat.completions.create(params).withResponse();
  let text = '';
  for await (const chunk of stream) {
    expectValid('CreateChatCompletionStreamResponse', chunk);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return { text, modelId: response.headers.get('x-litellm-model-id') };
}

/** The APIError a request ends with (fails the test if it succeeded). */
async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

/**
 * `count` requests, `concurrency` at a time; each must succeed. A batch settles completely before anything
 * is asserted, so a failure never leaves requests in flight when the gateway closes.
 */
async function askMany(client: OpenAI, model: string, count: number, concurrency: number): Promise<void> {
  for (let sent = 0; sent < count; sent += concurrency) {
    const batch = await Promise.allSettled(Array.from({ length: Math.min(concurrency, count - sent) }, () => ask(client, model)));
    for (const result of batch) {
      if (result.status === 'rejected') throw result.reason;
      expect(result.value.text).toBe('echo: hi');
    }
  }
}

describe('retries and cooldowns', () => {
  it.each(['router_settings', 'litellm_settings'])(
    'num_retries + allowed_fails + cooldown_time (in %s) hide a failing deployment of a group',
    async (section) => {
      const { mock, client } = await start(
        (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o')}${openai(u, 'gpt-4o', 'gpt-4o-error-500')}
${section}:
  num_retries: 2
  allowed_fails: 1
  cooldown_time: 30
`,
      );
      for (let i = 0; i < 20; i++) {
        const answer = await ask(client, 'gpt-4o');
        expect(answer).toEqual({ text: 'echo: hi', modelId: 'gpt-4o' });
      }
      expect(callsTo(mock, 'gpt-4o')).toBe(20);
      // Tried (the shuffle picks it half the time), retried away from, then cooled down after its allowed fails.
      expect(callsTo(mock, 'gpt-4o-error-500')).toBeGreaterThanOrEqual(1);
      expect(callsTo(mock, 'gpt-4o-error-500')).toBeLessThanOrEqual(3);
    },
  );

  it('a retry goes to another ready deployment of the group, even when the pick would land on the failed one again', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o')}${openai(u, 'gpt-4o', 'gpt-4o-error-500')}
router_settings:
  num_retries: 2
  allowed_fails: 100
`,
    );
    // The shuffle always lands on the last deployment: the failing one, until it is no longer a candidate.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      expect(await ask(client, 'gpt-4o')).toEqual({ text: 'echo: hi', modelId: 'gpt-4o' });
    } finally {
      random.mockRestore();
    }
    expect(mock.requests.map((r) => r.model)).toEqual(['gpt-4o-error-500', 'gpt-4o']);
  });

  it('a 429 cools its deployment down at once, for its Retry-After seconds (not cooldown_time)', async () => {
    // gpt-4o-error-429-2s answers 429 with Retry-After: 2 (then lifts); allowed_fails stays at its default (3).
    const running = await start(
      (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o-a')}${openai(u, 'gpt-4o', 'gpt-4o-error-429-2s')}
router_settings:
  num_retries: 2
  cooldown_time: 60
`,
    );
    const { mock, client } = running;
    const limited = 'gpt-4o-error-429-2s';
    for (let i = 0; i < 40 && callsTo(mock, limited) === 0; i++) {
      expect(await ask(client, 'gpt-4o')).toEqual({ text: 'echo: hi', modelId: 'gpt-4o-a' });
    }
    expect(callsTo(mock, limited)).toBe(1);
    const limitedAt = performance.now();
    // The gateway's own record: cooling for the Retry-After (2 s), not cooldown_time (60 s) nor LiteLLM's default (5 s).
    const snapshot = deploymentSnapshot(running, limited);
    expect(snapshot?.state).toBe('cooling');
    expect(snapshot?.cooldown_remaining_s).toBeGreaterThan(0);
    expect(snapshot?.cooldown_remaining_s).toBeLessThanOrEqual(2);

    // At once, and still 1.2 s later, requests skip it, though allowed_fails would allow more failures. The
    // mock answers it 429 for its 2 s: a call that reached it too early would show as a second 429.
    const limitedStatuses = () => mock.requests.filter((r) => r.model === limited).map((r) => r.status);
    await askMany(client, 'gpt-4o', 10, 1);
    await sleep(limitedAt + 1200 - performance.now());
    await askMany(client, 'gpt-4o', 10, 1);
    expect(
      limitedStatuses()
        .slice(1)
        .filter((status) => status !== 200),
    ).toEqual([]);
    expect(limitedStatuses()[0]).toBe(429);

    // Back once Retry-After (2 s) is over.
    await sleep(limitedAt + 2300 - performance.now());
    await expect
      .poll(
        async () => {
          expect((await ask(client, 'gpt-4o')).text).toBe('echo: hi');
          return callsTo(mock, limited);
        },
        { timeout: 10_000, interval: 1 },
      )
      .toBeGreaterThanOrEqual(2);
    expect(
      limitedStatuses()
        .slice(1)
        .every((status) => status === 200),
    ).toBe(true);
  });
});

describe('fallbacks', () => {
  it('fallbacks: a failing group is answered by the groups of its chain, tried in order', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-error-500')}${openai(u, 'second', 'second-error-500')}${openai(u, 'backup', 'backup-model')}
litellm_settings:
  num_retries: 0
  fallbacks: [{"primary": ["second", "backup"]}]
`,
    );
    expect(await ask(client, 'primary')).toEqual({ text: 'echo: hi', modelId: 'backup-model' });
    expect(mock.requests.map((r) => r.model)).toEqual(['primary-error-500', 'second-error-500', 'backup-model']);
  });

  it('default_fallbacks answer for a failing group without a chain of its own; a chain of its own wins', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'broken', 'broken-error-500')}${openai(u, 'chained', 'chained-error-500')}${openai(u, 'own-backup', 'own-backup-model')}${openai(u, 'backup', 'backup-model')}
litellm_settings:
  num_retries: 0
  default_fallbacks: ["backup"]
  fallbacks: [{"chained": ["own-backup"]}]
`,
    );
    expect(await ask(client, 'broken')).toEqual({ text: 'echo: hi', modelId: 'backup-model' });
    expect(await ask(client, 'chained')).toEqual({ text: 'echo: hi', modelId: 'own-backup-model' });
    expect(callsTo(mock, 'backup-model')).toBe(1);
    expect(callsTo(mock, 'own-backup-model')).toBe(1);
  });

  it('context_window_fallbacks: a context overflow (OpenAI or Anthropic) goes to its own chain, not retried', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'small', 'small-context-overflow')}${anthropic(u, 'claude-small', 'claude-context-overflow')}${openai(u, 'large', 'large-model')}${openai(u, 'generic', 'generic-model')}
litellm_settings:
  num_retries: 2
  context_window_fallbacks: [{"small": ["large"]}, {"claude-small": ["large"]}]
  fallbacks: [{"small": ["generic"]}, {"claude-small": ["generic"]}]
`,
    );
    expect(await ask(client, 'small')).toEqual({ text: 'echo: hi', modelId: 'large-model' });
    expect(await ask(client, 'claude-small')).toEqual({ text: 'echo: hi', modelId: 'large-model' });
    // A bigger prompt will not fit the same model on a second try: no retries, straight to the context chain.
    expect(callsTo(mock, 'small-context-overflow')).toBe(1);
    expect(callsTo(mock, 'claude-context-overflow')).toBe(1);
    expect(callsTo(mock, 'generic-model')).toBe(0);
  });

  it('content_policy_fallbacks: a content-policy refusal (OpenAI or Anthropic) goes to its own chain, not retried', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'guarded', 'guarded-content-policy')}${anthropic(u, 'claude-guarded', 'claude-content-policy')}${openai(u, 'relaxed', 'relaxed-model')}${openai(u, 'generic', 'generic-model')}
router_settings:
  num_retries: 2
  content_policy_fallbacks: [{"guarded": ["relaxed"]}, {"claude-guarded": ["relaxed"]}]
  fallbacks: [{"guarded": ["generic"]}, {"claude-guarded": ["generic"]}]
`,
    );
    expect(await ask(client, 'guarded')).toEqual({ text: 'echo: hi', modelId: 'relaxed-model' });
    expect(await ask(client, 'claude-guarded')).toEqual({ text: 'echo: hi', modelId: 'relaxed-model' });
    expect(callsTo(mock, 'guarded-content-policy')).toBe(1);
    expect(callsTo(mock, 'claude-content-policy')).toBe(1);
    expect(callsTo(mock, 'generic-model')).toBe(0);
  });

  it('fallbacks, num_retries and context_window_fallbacks in the request body override the config', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-error-500')}${openai(u, 'config-backup', 'config-backup-model')}${openai(u, 'body-backup', 'body-backup-model')}${openai(u, 'flaky', 'flaky-a-error-500')}${openai(u, 'flaky', 'flaky-b-error-500')}${openai(u, 'flaky', 'flaky-c-error-500')}${openai(u, 'small', 'small-context-overflow')}${openai(u, 'large', 'large-model')}
router_settings:
  num_retries: 0
  allowed_fails: 100
  disable_cooldowns: true
  fallbacks: [{"primary": ["config-backup"]}]
`,
    );
    // Client-side fallbacks replace the configured chain.
    expect(await ask(client, 'primary')).toEqual({ text: 'echo: hi', modelId: 'config-backup-model' });
    expect(await ask(client, 'primary', { fallbacks: ['body-backup'] })).toEqual({ text: 'echo: hi', modelId: 'body-backup-model' });
    expect(callsTo(mock, 'config-backup-model')).toBe(1);
    expect(callsTo(mock, 'body-backup-model')).toBe(1);

    // num_retries: one attempt by the config, three with the body's 2 retries.
    const flakyCalls = () => mock.requests.filter((r) => r.model.startsWith('flaky-')).length;
    expect((await failure(ask(client, 'flaky'))).status).toBeGreaterThanOrEqual(500);
    expect(flakyCalls()).toBe(1);
    expect((await failure(ask(client, 'flaky', { num_retries: 2 }))).status).toBeGreaterThanOrEqual(500);
    expect(flakyCalls()).toBe(4);

    // context_window_fallbacks: none configured for `small`, so the overflow reaches the client, unless the body has one.
    const overflow = await failure(ask(client, 'small'));
    expect([overflow.status, overflow.code]).toEqual([400, 'context_length_exceeded']);
    expect(await ask(client, 'small', { context_window_fallbacks: [{ small: ['large'] }] })).toEqual({ text: 'echo: hi', modelId: 'large-model' });
  });

  it('any other 400 is neither retried nor fallen back from: one upstream call, the 400 to the client', async () => {
    // An embeddings `input` of the wrong type: the upstream's own 400 (the gateway's schema lets an array through).
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'emb', 'emb-model')}${openai(u, 'emb-broken', 'emb-broken-error-500')}${openai(u, 'emb-backup', 'emb-backup-model')}
litellm_settings:
  num_retries: 2
  fallbacks: [{"emb": ["emb-backup"]}, {"emb-broken": ["emb-backup"]}]
`,
    );
    // The chain works for embeddings (so what follows is not vacuous)…
    const { response } = await client.embeddings.create({ model: 'emb-broken', input: 'hello' }).withResponse();
    expect(response.headers.get('x-litellm-model-id')).toBe('emb-backup-model');
    mock.reset();
    // …but a plain bad request is the caller's mistake: another deployment or group would refuse it too.
    const err = await failure(client.embeddings.create({ model: 'emb', input: [true] as unknown as string[] }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe('input');
    expect(mock.requests.map((r) => r.model)).toEqual(['emb-model']);
  });
});

describe('timeouts', () => {
  it('litellm_params.timeout: a slow deployment is abandoned for the fallback long before it would answer', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-slow-5000', 'timeout: 0.5')}${openai(u, 'backup', 'backup-model')}
litellm_settings:
  num_retries: 0
  fallbacks: [{"primary": ["backup"]}]
`,
    );
    const started = performance.now();
    expect(await ask(client, 'primary')).toEqual({ text: 'echo: hi', modelId: 'backup-model' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    // Abandoned, not waited out: the gateway hung up on it and asked the backup.
    expect(mock.requests.map((r) => r.model)).toEqual(['primary-slow-5000', 'backup-model']);
    await expect.poll(() => mock.requests[0]?.aborted, { timeout: 3000 }).toBe(true);
  });

  it('a deployment its timeouts cooled down is left for the fallback at once, not waited for and called again', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-slow-5000', 'timeout: 0.5')}${openai(u, 'backup', 'backup-model')}
router_settings:
  num_retries: 2
  allowed_fails: 1
  cooldown_time: 5
  fallbacks: [{"primary": ["backup"]}]
`,
    );
    expect(await ask(client, 'primary')).toEqual({ text: 'echo: hi', modelId: 'backup-model' });
    // The second timeout cooled primary down; the last retry went to the fallback instead of outwaiting the cooldown.
    expect(mock.requests.map((r) => r.model)).toEqual(['primary-slow-5000', 'primary-slow-5000', 'backup-model']);
  });

  it('stream_timeout: a stream whose first byte is late falls back; a call that does not stream ignores it', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-slow-5000', 'stream_timeout: 0.5')}${openai(u, 'patient', 'patient-slow-800', 'stream_timeout: 0.3')}${openai(u, 'backup', 'backup-model')}
litellm_settings:
  num_retries: 0
  fallbacks: [{"primary": ["backup"]}, {"patient": ["backup"]}]
`,
    );
    const streamed = await askStream(client, 'primary');
    expect(streamed).toMatchObject({ text: 'echo: hi', modelId: 'backup-model' });
    // The first chunk came from the backup, after the gateway hung up on the late primary.
    expect(mock.requests.map((r) => r.model)).toEqual(['primary-slow-5000', 'backup-model']);
    await expect.poll(() => mock.requests[0]?.aborted, { timeout: 3000 }).toBe(true);

    mock.reset();
    expect(await ask(client, 'patient')).toEqual({ text: 'echo: hi', modelId: 'patient-slow-800' });
    expect(callsTo(mock, 'backup-model')).toBe(0);
  });
});

describe('load balancing', () => {
  it('simple-shuffle shares a group fairly between its deployments', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o-a')}${openai(u, 'gpt-4o', 'gpt-4o-b')}
router_settings:
  routing_strategy: simple-shuffle
`,
    );
    await askMany(client, 'gpt-4o', 100, 10);
    expect(callsTo(mock, 'gpt-4o-a') + callsTo(mock, 'gpt-4o-b')).toBe(100);
    // A fair coin: each side under 25 of 100 is a 5-sigma event.
    expect(callsTo(mock, 'gpt-4o-a')).toBeGreaterThanOrEqual(25);
    expect(callsTo(mock, 'gpt-4o-b')).toBeGreaterThanOrEqual(25);
  });

  it('rpm and weight skew the pick in proportion (3:1)', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'by-rpm', 'rpm-heavy', 'rpm: 3000')}${openai(u, 'by-rpm', 'rpm-light', 'rpm: 1000')}${openai(u, 'by-weight', 'weight-heavy', 'weight: 3')}${openai(u, 'by-weight', 'weight-light', 'weight: 1')}
router_settings:
  routing_strategy: simple-shuffle
`,
    );
    for (const group of ['rpm', 'weight']) {
      await askMany(client, `by-${group}`, 200, 20);
      const heavy = callsTo(mock, `${group}-heavy`);
      expect(heavy + callsTo(mock, `${group}-light`)).toBe(200);
      // 150 expected; 120..180 is ±5 sigma.
      expect(heavy).toBeGreaterThanOrEqual(120);
      expect(heavy).toBeLessThanOrEqual(180);
    }
  });
});

describe('every deployment of a group cooling down', () => {
  it('a request waits for the first deployment to recover instead of failing at once', async () => {
    // Both answer 429 with Retry-After: 1 for their first second, then answer normally.
    const running = await start(
      (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o-a-error-429-1s')}${openai(u, 'gpt-4o', 'gpt-4o-b-error-429-1s')}
router_settings:
  num_retries: 0
  cooldown_time: 30
`,
    );
    const { mock, client } = running;
    // One attempt each: the first request cools one deployment, so the second goes to (and cools) the other.
    expect(await failure(ask(client, 'gpt-4o'))).toBeInstanceOf(OpenAI.RateLimitError);
    expect(await failure(ask(client, 'gpt-4o'))).toBeInstanceOf(OpenAI.RateLimitError);
    expect([callsTo(mock, 'gpt-4o-a-error-429-1s'), callsTo(mock, 'gpt-4o-b-error-429-1s')]).toEqual([1, 1]);
    // Each cools for its Retry-After (1 s), not cooldown_time (30 s): that is all the next request has to wait.
    for (const id of ['gpt-4o-a-error-429-1s', 'gpt-4o-b-error-429-1s'])
      expect(deploymentSnapshot(running, id)).toMatchObject({ state: 'cooling', cooldown_remaining_s: 1 });

    const started = performance.now();
    expect((await ask(client, 'gpt-4o')).text).toBe('echo: hi');
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
    // It waited rather than knocking on a cooling deployment: one more upstream call, and it succeeded.
    expect(mock.requests).toHaveLength(3);
    expect(mock.requests[2]?.status).toBe(200);
  });

  it('but not past the request timeout', async () => {
    // Both answer 429 with Retry-After: 7, so the group cools for 7 s.
    const running = await start(
      (u) => `
model_list:${openai(u, 'gpt-4o', 'gpt-4o-a-error-429')}${openai(u, 'gpt-4o', 'gpt-4o-b-error-429')}
router_settings:
  num_retries: 0
`,
    );
    const { mock, client } = running;
    expect(await failure(ask(client, 'gpt-4o'))).toBeInstanceOf(OpenAI.RateLimitError);
    expect(await failure(ask(client, 'gpt-4o'))).toBeInstanceOf(OpenAI.RateLimitError);
    expect(mock.requests).toHaveLength(2);
    // Both cool for longer (7 s) than the next request may take (1 s)…
    for (const id of ['gpt-4o-a-error-429', 'gpt-4o-b-error-429']) expect(deploymentSnapshot(running, id)?.cooldown_remaining_s).toBeGreaterThan(1);

    // …so it is refused without waiting for them, and without calling them.
    const err = await failure(ask(client, 'gpt-4o', { timeout: 1 }));
    expect(err.status).toBe(429);
    expect(err.code).toBe('all_deployments_cooling');
    expect(mock.requests).toHaveLength(2);
  });
});

describe('streams', () => {
  it('a stream falls back when its deployment fails before the first byte (500, 429, context overflow)', async () => {
    const { mock, client } = await start(
      (u) => `
model_list:${openai(u, 'primary', 'primary-error-500')}${openai(u, 'limited', 'limited-error-429')}${openai(u, 'small', 'small-context-overflow')}${openai(u, 'backup', 'backup-model')}
litellm_settings:
  num_retries: 0
  fallbacks: [{"primary": ["backup"]}, {"limited": ["backup"]}]
  context_window_fallbacks: [{"small": ["backup"]}]
`,
    );
    for (const model of ['primary', 'limited', 'small']) {
      expect(await askStream(client, model)).toMatchObject({ text: 'echo: hi', modelId: 'backup-model' });
    }
    expect(mock.requests.map((r) => r.model)).toEqual([
      'primary-error-500',
      'backup-model',
      'limited-error-429',
      'backup-model',
      'small-context-overflow',
      'backup-model',
    ]);
    for (const request of mock.requests) expect((request.body as { stream?: unknown }).stream).toBe(true);
  });
});
