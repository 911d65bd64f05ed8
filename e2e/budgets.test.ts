/**
 * Money and rate limits per virtual key, through real HTTP: a spent key is refused with OpenAI's
 * insufficient_quota (which the SDK does not retry), 50 concurrent calls (falling back to a pricier group or
 * not) overspend a nearly spent key by at most one call, a budget period resets, and rpm / parallel limits
 * answer 429 with Retry-After.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import { chat, costNanos, expectOpenAIError, mockTokens, usd, type Admin, type HttpAnswer } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

// Marker models keep gpt-4o's price through model_info.base_model.
const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream }
  - model_name: gpt-4o-slow
    litellm_params: { model: openai/gpt-4o-slow-50, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
  - model_name: gpt-4o-slower
    litellm_params: { model: openai/gpt-4o-slow-400, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
  - model_name: cheap-failing
    litellm_params: { model: openai/cheap-error-500, api_base: "${mockUrl}/v1", api_key: sk-upstream, input_cost_per_token: 0.0000001, output_cost_per_token: 0.0000002 }
router_settings:
  num_retries: 0
  fallbacks: [{ cheap-failing: [gpt-4o-slow] }]
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

/**
 * The call every budget test makes: "hello world" with max_tokens 3. The gateway reserves its worst case
 * before calling (9 prompt tokens by o200k with chat overhead × $2.50/M + 3 output tokens × $10/M = 52,500
 * nano-dollars); the mock then bills 2 prompt + 3 completion tokens = 35,000 nano-dollars.
 */
const TEXT = 'hello world';
const CALL = { messages: [{ role: 'user', content: TEXT }], max_tokens: 3 };
const CALL_NANOS = costNanos('gpt-4o', mockTokens(TEXT).prompt, mockTokens(TEXT).completion);
const WORST_CASE_NANOS = 9 * 2_500 + 3 * 10_000;

it('the numbers these tests are built on', () => {
  expect(CALL_NANOS).toBe(35_000);
  expect(WORST_CASE_NANOS).toBe(52_500);
});

function expectBudgetRefusal(answer: HttpAnswer): void {
  expectOpenAIError(answer, 429, 'insufficient_quota', 'insufficient_quota');
  expect(answer.headers.get('x-should-retry')).toBe('false');
  expect((answer.json as { error: { message: string } }).error.message).toMatch(/^Budget has been exceeded!/);
}

describe('max_budget', () => {
  it('sequential: calls until spent, then 429 insufficient_quota that the SDK does not retry', async () => {
    // $0.0001: calls run while spend is under it (0, 35,000, 70,000 — the third alone, on the 30,000 left);
    // the fourth, at 105,000, is refused.
    const { key } = await api.generateKey({ max_budget: 0.0001 });
    for (let i = 0; i < 3; i++) expect((await chat(gw.url, key, { model: 'gpt-4o', ...CALL })).status).toBe(200);
    expect(mock.requests).toHaveLength(3);
    expect((await api.keyInfo(key)).spend).toBe(usd(3 * CALL_NANOS));

    expectBudgetRefusal(await chat(gw.url, key, { model: 'gpt-4o', ...CALL }));
    expect(mock.requests).toHaveLength(3);

    // The official SDK with retries on: a RateLimitError after one attempt, because x-should-retry: false.
    let attempts = 0;
    const counted: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const client = new OpenAI({ apiKey: key, baseURL: `${gw.url}/v1`, maxRetries: 2, timeout: 10_000, fetch: counted });
    const err = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: TEXT }], max_tokens: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('insufficient_quota');
    expect((err as InstanceType<typeof OpenAI.APIError>).type).toBe('insufficient_quota');
    expect(attempts).toBe(1); // maxRetries: 2, yet no retry
    expect(mock.requests).toHaveLength(3);
    const refusals = await api.spendLogs({ api_key: key, status: 'failure' });
    // One refused curl call, one refused SDK call: no retry reached the gateway.
    expect(refusals.total).toBe(2);
    expect(refusals.rows.every((r) => r.metadata.error_type === 'insufficient_quota' && r.metadata.http_status === 429 && r.spend === 0)).toBe(true);
    expect((await api.keyInfo(key)).spend).toBe(usd(3 * CALL_NANOS));
  });

  it('a budget of a few calls without max_tokens: calls run until it is reached, though each could cost far more', async () => {
    // Without max_tokens the worst case is gpt-4o's whole output window (over $0.16), far above the budget
    // of exactly three calls; each call runs alone on what is left.
    const { key } = await api.generateKey({ max_budget: usd(3 * CALL_NANOS) });
    const call = { model: 'gpt-4o', messages: CALL.messages };
    for (let i = 0; i < 3; i++) expect((await chat(gw.url, key, call)).status).toBe(200);
    expect((await api.keyInfo(key)).spend).toBe(usd(3 * CALL_NANOS));
    expectBudgetRefusal(await chat(gw.url, key, call));
    expect(mock.requests).toHaveLength(3);
  });

  it('50 concurrent calls against a nearly spent key: spend passes max_budget by less than one call; the rest get insufficient_quota', async () => {
    // $0.001 with $0.0008 already spent leaves 200,000 nano-dollars: 3 calls reserved at once (a fourth worst
    // case no longer fits beside them), at most 6 paid (calls start while spend is under the budget).
    const maxNanos = 1_000_000;
    const { key } = await api.generateKey({ max_budget: usd(maxNanos), spend: 0.0008 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => chat(gw.url, key, { model: 'gpt-4o-slow', ...CALL })));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    for (const answer of refused) expectBudgetRefusal(answer);
    expect(ok.length).toBeGreaterThanOrEqual(3);
    expect(ok.length).toBeLessThanOrEqual(6);
    expect(mock.requests).toHaveLength(ok.length);

    const info = await api.keyInfo(key);
    const { rows, total } = await api.spendLogs({ api_key: key, page_size: '100' });
    expect(total).toBe(50);
    const paid = rows.filter((r) => r.status === 'success');
    expect(paid).toHaveLength(ok.length);
    const rowNanos = rows.reduce((sum, r) => sum + r.metadata.spend_nanos, 0);
    expect(rowNanos).toBe(ok.length * CALL_NANOS);
    const spentNanos = 800_000 + rowNanos;
    expect(info.spend).toBe(usd(spentNanos));
    // The promise: never more than one call's cost over the budget.
    expect(spentNanos).toBeLessThanOrEqual(maxNanos + CALL_NANOS);
    expect(rows.filter((r) => r.status === 'failure').every((r) => r.metadata.error_type === 'insufficient_quota')).toBe(true);
  });

  it('a fallback to a pricier group reserves its worst case again: refused when it no longer fits beside a call in flight', async () => {
    // $0.0001: the call in flight holds 52,500; this one fits at cheap-failing (9 × 100 + 3 × 200 = 1,500) but not
    // at gpt-4o-slow, where it falls back (52,500 more would pass the budget).
    const { key } = await api.generateKey({ max_budget: 0.0001 });
    const inFlight = chat(gw.url, key, { model: 'gpt-4o-slower', ...CALL });
    await mock.waitFor((r) => r.model === 'gpt-4o-slow-400');
    expectBudgetRefusal(await chat(gw.url, key, { model: 'cheap-failing', ...CALL }));
    expect((await inFlight).status).toBe(200);
    expect(mock.requests.map((r) => r.model)).toEqual(['gpt-4o-slow-400', 'cheap-error-500']);
    expect((await api.keyInfo(key)).spend).toBe(usd(CALL_NANOS));
  });

  it('50 concurrent calls that fall back to a pricier group: spend stays within one call of max_budget', async () => {
    const maxNanos = 1_000_000;
    const { key } = await api.generateKey({ max_budget: usd(maxNanos), spend: 0.0008 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => chat(gw.url, key, { model: 'cheap-failing', ...CALL })));
    const ok = answers.filter((a) => a.status === 200);
    for (const answer of answers.filter((a) => a.status !== 200)) expectBudgetRefusal(answer);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(mock.requests.filter((r) => r.model === 'gpt-4o-slow-50')).toHaveLength(ok.length);
    const spentNanos = 800_000 + ok.length * CALL_NANOS;
    expect((await api.keyInfo(key)).spend).toBe(usd(spentNanos));
    expect(spentNanos).toBeLessThanOrEqual(maxNanos + CALL_NANOS);
  });

  it('budget_duration "2s": a spent key works again once the period is over', async () => {
    // $0.00006: the second call runs alone on the 25,000 left after the first; at 70,000 the third is refused.
    const { key, budget_reset_at } = await api.generateKey({ max_budget: 0.00006, budget_duration: '2s' });
    expect(Date.parse(budget_reset_at!)).toBeGreaterThan(Date.now());
    for (let i = 0; i < 2; i++) expect((await chat(gw.url, key, { model: 'gpt-4o', ...CALL })).status).toBe(200);
    const refused = await chat(gw.url, key, { model: 'gpt-4o', ...CALL });
    expectBudgetRefusal(refused);
    // With a reset ahead, the refusal says when to come back.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(2);

    await expect.poll(async () => (await chat(gw.url, key, { model: 'gpt-4o', ...CALL })).status, { timeout: 5000, interval: 200 }).toBe(200);
    const info = await api.keyInfo(key);
    expect(info.spend).toBe(usd(CALL_NANOS));
    expect(info.total_spend).toBe(usd(3 * CALL_NANOS));
    expect(Date.parse(info.budget_reset_at!)).toBeGreaterThan(Date.now());
  });
});

describe('rate limits', () => {
  it('rpm_limit: the call over the limit gets 429 rate_limit_exceeded with Retry-After', async () => {
    const { key } = await api.generateKey({ rpm_limit: 2 });
    for (let i = 0; i < 2; i++) expect((await chat(gw.url, key, { model: 'gpt-4o', ...CALL })).status).toBe(200);
    const limited = await chat(gw.url, key, { model: 'gpt-4o', ...CALL });
    expectOpenAIError(limited, 429, 'rate_limit_exceeded', 'rate_limit_error');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(58);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-should-retry')).toBeNull();
    expect(mock.requests).toHaveLength(2);
    await expect(gw.client(key).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: TEXT }] })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    // Another key is not affected.
    const other = await api.generateKey({ rpm_limit: 2 });
    expect((await chat(gw.url, other.key, { model: 'gpt-4o', ...CALL })).status).toBe(200);
  });

  it('max_parallel_requests: a second call while one is in flight gets 429 with Retry-After; afterwards calls run again', async () => {
    const { key } = await api.generateKey({ max_parallel_requests: 1 });
    const slow = chat(gw.url, key, { model: 'gpt-4o-slower', ...CALL });
    await mock.waitFor((r) => r.model === 'gpt-4o-slow-400');
    const second = await chat(gw.url, key, { model: 'gpt-4o', ...CALL });
    expectOpenAIError(second, 429, 'rate_limit_exceeded', 'rate_limit_error');
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await slow).status).toBe(200);
    expect((await chat(gw.url, key, { model: 'gpt-4o', ...CALL })).status).toBe(200);
    expect(mock.requests.map((r) => r.model)).toEqual(['gpt-4o-slow-400', 'gpt-4o']);
  });
});
