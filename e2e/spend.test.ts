/**
 * Spend metering end to end: every call leaves one spend row in SQLite with the provider's usage (or an
 * estimate, marked so, when the provider sent none), the exact cost in the x-litellm-response-cost header,
 * failure rows for failed calls; and the read side: /spend/logs filters and pagination, /admin/usage/daily,
 * admin-only access.
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { countPromptTokens, countTextTokens } from '../server/spend/tokenizer.ts';
import type { MockProviders } from './mock-providers/index.ts';
import { chat, costNanos, expectOpenAIError, mockTokens, request, sleep, usd, type Admin, type SpendLogJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import type { UsageDaily, UsageDay } from '../server/core/admin-api.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

// claude-3-haiku: $0.25 / $1.25 per million tokens.
const HAIKU = { input: 250, output: 1_250 };

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream }
  - model_name: gpt-3.5-turbo
    litellm_params: { model: openai/gpt-3.5-turbo, api_base: "${mockUrl}/v1", api_key: sk-upstream }
  - model_name: quiet-gpt
    litellm_params: { model: openai/gpt-4o-no-usage, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
  - model_name: quiet-claude
    litellm_params: { model: anthropic/claude-3-haiku-no-usage, api_base: "${mockUrl}", api_key: sk-ant-upstream }
    model_info: { base_model: claude-3-haiku-20240307 }
  - model_name: broken
    litellm_params: { model: openai/gpt-4o-error-500, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
  - model_name: limited
    litellm_params: { model: openai/gpt-4o-error-429, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
  - model_name: breaks-mid-stream
    litellm_params: { model: openai/gpt-4o-stream-break, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { base_model: gpt-4o }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const user = (content: string) => [{ role: 'user' as const, content }];

async function rowOf(requestId: string | null): Promise<SpendLogJson> {
  expect(requestId).toBeTruthy();
  const { rows } = await api.spendLogs({ request_id: requestId! });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function drain<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('spend rows', () => {
  it('non-streamed: x-litellm-response-cost equals the row, the key and the exact price of the mock’s tokens', async () => {
    const { key } = await api.generateKey({ key_alias: 'cost-header' });
    const text = 'price this call exactly please';
    const answer = await chat(gw.url, key, { model: 'gpt-4o', messages: user(text) });
    expect(answer.status).toBe(200);
    expectValid('CreateChatCompletionResponse', answer.json);
    const tokens = mockTokens(text);
    const nanos = costNanos('gpt-4o', tokens.prompt, tokens.completion);
    expect(nanos).toBe(5 * 2_500 + 6 * 10_000);
    expect(answer.headers.get('x-litellm-response-cost')).toBe(String(usd(nanos)));

    const row = await rowOf(answer.headers.get('x-litellm-call-id'));
    expect(Number(answer.headers.get('x-litellm-response-cost'))).toBe(row.spend);
    expect(row).toMatchObject({
      call_type: 'acompletion',
      api_key: sha256(key),
      key_alias: 'cost-header',
      model: 'gpt-4o',
      model_group: 'gpt-4o',
      status: 'success',
      prompt_tokens: tokens.prompt,
      completion_tokens: tokens.completion,
      total_tokens: tokens.prompt + tokens.completion,
      metadata: { usage_source: 'provider', spend_nanos: nanos, stream: false, http_status: 200, error_type: null },
    });
    expect(row.request_id).toBe(answer.headers.get('x-litellm-call-id'));
    expect((await api.keyInfo(key)).spend).toBe(row.spend);
  });

  it('streamed with and without include_usage: both rows carry the provider’s usage and the same cost', async () => {
    const { key } = await api.generateKey({});
    const client = gw.client(key);
    const text = 'stream the same words twice';
    const plain = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: user(text) }).withResponse();
    const plainChunks = await drain(plain.data);
    expect(plainChunks.some((c) => c.usage)).toBe(false);
    const counted = await client.chat.completions
      .create({ model: 'gpt-4o', stream: true, stream_options: { include_usage: true }, messages: user(text) })
      .withResponse();
    const countedChunks = await drain(counted.data);
    for (const chunk of [...plainChunks, ...countedChunks]) expectValid('CreateChatCompletionStreamResponse', chunk);
    const tokens = mockTokens(text);
    expect(countedChunks.at(-1)?.usage).toMatchObject({ prompt_tokens: tokens.prompt, completion_tokens: tokens.completion });
    // Upstream was asked for usage both times.
    expect(mock.requests.map((r) => (r.body as { stream_options?: unknown }).stream_options)).toEqual([{ include_usage: true }, { include_usage: true }]);

    const nanos = costNanos('gpt-4o', tokens.prompt, tokens.completion);
    const rows = [await rowOf(plain.response.headers.get('x-litellm-call-id')), await rowOf(counted.response.headers.get('x-litellm-call-id'))];
    for (const row of rows) {
      expect(row).toMatchObject({
        prompt_tokens: tokens.prompt,
        completion_tokens: tokens.completion,
        status: 'success',
        metadata: { usage_source: 'provider', spend_nanos: nanos, stream: true },
      });
    }
    expect(rows[0]!.spend).toBe(rows[1]!.spend);
    expect((await api.keyInfo(key)).spend).toBe(usd(2 * nanos));
  });

  describe('a provider that reports no usage: estimated with the tokenizer, marked estimated, never free', () => {
    const text = 'count these words for me';
    const body = { messages: user(text) };
    // What the gateway's tokenizer (o200k) makes of the request and of the answer the client received.
    const prompt = countPromptTokens('chat', body);
    const completion = countTextTokens(`echo: ${text}`);

    it.each([
      ['quiet-gpt', false],
      ['quiet-gpt', true],
      ['quiet-claude', false],
      ['quiet-claude', true],
    ] as const)('%s, stream %s', async (model, stream) => {
      const { key } = await api.generateKey({});
      let requestId: string | null;
      if (stream) {
        const res = await gw
          .client(key)
          .chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, ...body })
          .withResponse();
        const chunks = await drain(res.data);
        expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(`echo: ${text}`);
        requestId = res.response.headers.get('x-litellm-call-id');
      } else {
        const res = await chat(gw.url, key, { model, ...body });
        expect(res.status).toBe(200);
        requestId = res.headers.get('x-litellm-call-id');
        expect(Number(res.headers.get('x-litellm-response-cost'))).toBeGreaterThan(0);
      }
      expect(mock.requests).toHaveLength(1);
      expect(JSON.stringify(mock.requests[0]?.body)).toContain(text);

      const row = await rowOf(requestId);
      expect(row.metadata.usage_source).toBe('estimated');
      expect(row.prompt_tokens).toBe(prompt);
      expect(row.completion_tokens).toBe(completion);
      expect(prompt).toBeGreaterThan(0);
      expect(completion).toBeGreaterThan(0);
      const price = model === 'quiet-gpt' ? { input: 2_500, output: 10_000 } : HAIKU;
      expect(row.metadata.spend_nanos).toBe(prompt * price.input + completion * price.output);
      expect((await api.keyInfo(key)).spend).toBe(row.spend);
    });

    it('on the Anthropic Messages API too, answer text included', async () => {
      const { key } = await api.generateKey({});
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'quiet-claude', max_tokens: 50, messages: user(text) }),
      });
      expect(res.status).toBe(200);
      const row = await rowOf(res.headers.get('x-litellm-call-id'));
      expect(row.metadata.usage_source).toBe('estimated');
      expect(row.completion_tokens).toBe(completion);
    });
  });

  it('failed calls leave a failure row with the error the client was told', async () => {
    const { key } = await api.generateKey({ key_alias: 'failures' });
    const client = gw.client(key);

    const upstream500 = await chat(gw.url, key, { model: 'broken', messages: user('fail') });
    const e500 = expectOpenAIError(upstream500, 502);
    const limited = await chat(gw.url, key, { model: 'limited', messages: user('fail') });
    const e429 = expectOpenAIError(limited, 429, 'rate_limit_exceeded');
    const unknown = await chat(gw.url, key, { model: 'no-such-model', messages: user('fail') });
    expectOpenAIError(unknown, 404, 'model_not_found');

    const broken = await client.chat.completions
      .create({ model: 'breaks-mid-stream', stream: true, messages: user('break this stream for me') })
      .withResponse();
    await expect(drain(broken.data)).rejects.toBeInstanceOf(OpenAI.APIError);

    const { rows, total } = await api.spendLogs({ api_key: key, status: 'failure' });
    expect(total).toBe(4);
    expect(rows.every((r) => r.status === 'failure' && r.key_alias === 'failures')).toBe(true);
    const rowFor = (group: string) => rows.find((r) => r.model_group === group);
    expect(rowFor('broken')?.metadata).toMatchObject({ http_status: 502, error_type: e500.code ?? e500.type, spend_nanos: 0, usage_source: 'none' });
    expect(rowFor('limited')?.metadata).toMatchObject({ http_status: 429, error_type: e429.code, spend_nanos: 0, usage_source: 'none' });
    expect(rowFor('no-such-model')?.metadata).toMatchObject({ http_status: 404, error_type: 'model_not_found', spend_nanos: 0, usage_source: 'none' });
    // The stream broke after two content chunks: the failure row still bills what was generated, estimated.
    const midStream = rowFor('breaks-mid-stream');
    expect(midStream?.request_id).toBe(broken.response.headers.get('x-litellm-call-id'));
    // The upstream hung up mid-stream: logged as the 502 the client was told in-band.
    expect(midStream?.metadata).toMatchObject({ stream: true, usage_source: 'estimated', http_status: 502, error_type: 'upstream_unreachable' });
    expect(midStream?.completion_tokens).toBeGreaterThan(0);
    expect(midStream?.metadata.spend_nanos).toBeGreaterThan(0);
    expect((await api.keyInfo(key)).spend).toBe(usd(midStream!.metadata.spend_nanos));
  });
});

describe('/spend/logs and /admin/usage', () => {
  it('filters by api_key (raw or hash), model, start_date/end_date; paginates with x-total-count', async () => {
    const alpha = await api.generateKey({ key_alias: 'filter-alpha' });
    const beta = await api.generateKey({ key_alias: 'filter-beta' });
    // Batch 1: alpha ×2 on gpt-4o, beta ×1 on gpt-3.5-turbo.
    for (const text of ['alpha one', 'alpha two']) expect((await chat(gw.url, alpha.key, { model: 'gpt-4o', messages: user(text) })).status).toBe(200);
    expect((await chat(gw.url, beta.key, { model: 'gpt-3.5-turbo', messages: user('beta one') })).status).toBe(200);
    await sleep(5);
    const mid = Date.now();
    await sleep(5);
    // Batch 2: alpha ×1 on gpt-3.5-turbo, beta ×2 on gpt-4o.
    expect((await chat(gw.url, alpha.key, { model: 'gpt-3.5-turbo', messages: user('alpha three') })).status).toBe(200);
    for (const text of ['beta two', 'beta three']) expect((await chat(gw.url, beta.key, { model: 'gpt-4o', messages: user(text) })).status).toBe(200);

    const alphaRows = await api.spendLogs({ api_key: alpha.key });
    expect(alphaRows.total).toBe(3);
    expect(alphaRows.rows.every((r) => r.api_key === sha256(alpha.key))).toBe(true);
    expect((await api.spendLogs({ api_key: sha256(alpha.key) })).rows.map((r) => r.request_id)).toEqual(alphaRows.rows.map((r) => r.request_id));
    // Newest first.
    const times = alphaRows.rows.map((r) => Date.parse(r.startTime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const betaOn4o = await api.spendLogs({ api_key: beta.key, model: 'gpt-4o' });
    expect(betaOn4o.total).toBe(2);
    expect(betaOn4o.rows.every((r) => r.model_group === 'gpt-4o' && r.key_alias === 'filter-beta')).toBe(true);
    const expected4o = ['beta two', 'beta three'].map(mockTokens).reduce((sum, t) => sum + costNanos('gpt-4o', t.prompt, t.completion), 0);
    expect(betaOn4o.rows.reduce((sum, r) => sum + r.metadata.spend_nanos, 0)).toBe(expected4o);

    const midIso = new Date(mid).toISOString();
    const later = await api.spendLogs({ api_key: alpha.key, start_date: midIso });
    expect(later.rows.map((r) => r.model_group)).toEqual(['gpt-3.5-turbo']);
    const earlier = await api.spendLogs({ api_key: alpha.key, end_date: midIso });
    expect(earlier.rows.map((r) => r.model_group)).toEqual(['gpt-4o', 'gpt-4o']);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect((await api.spendLogs({ api_key: beta.key, start_date: new Date(mid - 60_000).toISOString().slice(0, 10), end_date: tomorrow })).total).toBe(3);
    expect((await api.spendLogs({ api_key: beta.key, start_date: tomorrow, end_date: inTwoDays })).total).toBe(0);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expectOpenAIError(await api.get(`/spend/logs?start_date=${tomorrow}&end_date=${today}`), 400, 'invalid_request');

    // Pagination over both keys' six rows, two at a time.
    const pages: SpendLogJson[][] = [];
    for (const page of ['1', '2', '3', '4']) {
      const got = await api.spendLogs({ start_date: new Date(mid - 60_000).toISOString(), model: 'gpt-4o', page, page_size: '1' });
      expect(got.total).toBeGreaterThanOrEqual(4);
      pages.push(got.rows);
    }
    const all = await api.spendLogs({ start_date: new Date(mid - 60_000).toISOString(), model: 'gpt-4o', page_size: '1000' });
    const paged = await Promise.all(
      ['1', '2'].map((page) => api.spendLogs({ model: 'gpt-4o', start_date: new Date(mid - 60_000).toISOString(), page, page_size: '2' })),
    );
    expect(paged[0]!.total).toBe(all.total);
    expect(paged[0]!.headers.get('x-total-pages')).toBe(String(Math.ceil(all.total / 2)));
    expect(paged[0]!.rows).toHaveLength(2);
    expect([...paged[0]!.rows, ...paged[1]!.rows].map((r) => r.request_id)).toEqual(all.rows.slice(0, 4).map((r) => r.request_id));
    expect(pages.flat().map((r) => r.request_id)).toEqual(all.rows.slice(0, 4).map((r) => r.request_id));
    const beyond = await api.spendLogs({ model: 'gpt-4o', page: '999', page_size: '2' });
    expect(beyond.rows).toEqual([]);
    expect(beyond.total).toBe(all.total);
    expectOpenAIError(await api.get('/spend/logs?page_size=0'), 400, 'invalid_request');
  });

  it('/admin/usage/daily groups by key and by model; totals match the rows', async () => {
    const gamma = await api.generateKey({ key_alias: 'daily-gamma' });
    const texts = ['daily one', 'daily two words'];
    for (const text of texts) expect((await chat(gw.url, gamma.key, { model: 'gpt-3.5-turbo', messages: user(text) })).status).toBe(200);
    const expectedNanos = texts.map(mockTokens).reduce((sum, t) => sum + costNanos('gpt-3.5-turbo', t.prompt, t.completion), 0);

    const byKey = await api.get<UsageDaily>('/admin/usage/daily?group_by=key');
    expect(byKey.status).toBe(200);
    expect(byKey.json.group_by).toBe('key');
    const today = new Date().toISOString().slice(0, 10);
    expect(byKey.json.dates.at(-1)).toBe(today);
    const gammaDays = byKey.json.days.filter((d) => d.group === gamma.key_id);
    expect(gammaDays).toHaveLength(1);
    expect(gammaDays[0]).toMatchObject({
      label: 'daily-gamma',
      requests: 2,
      failed_requests: 0,
      prompt_tokens: texts.map(mockTokens).reduce((s, t) => s + t.prompt, 0),
      completion_tokens: texts.map(mockTokens).reduce((s, t) => s + t.completion, 0),
      spend: usd(expectedNanos),
    });

    const byModel = await api.get<{ group_by: string; days: UsageDay[] }>('/admin/usage/daily?group_by=model');
    expect(byModel.json.group_by).toBe('model');
    const allRows = await api.spendLogs({ page_size: '1000' });
    for (const model of ['gpt-4o', 'gpt-3.5-turbo']) {
      const rows = allRows.rows.filter((r) => r.model_group === model);
      const days = byModel.json.days.filter((d) => d.group === model);
      expect(days.reduce((s, d) => s + d.requests, 0)).toBe(rows.length);
      expect(Math.round(days.reduce((s, d) => s + d.spend, 0) * 1e9)).toBe(rows.reduce((s, r) => s + r.metadata.spend_nanos, 0));
    }
    expectOpenAIError(await api.get('/admin/usage/daily?group_by=team'), 400);
  });

  it('admin routes refuse virtual keys (403) and missing or wrong keys (401)', async () => {
    const { key } = await api.generateKey({});
    const paths = [
      '/spend/logs',
      '/admin/usage/daily?group_by=key',
      '/admin/usage/daily?group_by=model',
      '/admin/usage/summary',
      '/key/list',
      '/admin/secrets',
    ];
    for (const path of paths) {
      expectOpenAIError(await request(gw.url, 'GET', path, key), 403, 'admin_only', 'permission_error');
      expectOpenAIError(await request(gw.url, 'GET', path, null), 401, 'missing_api_key', 'authentication_error');
      expectOpenAIError(await request(gw.url, 'GET', path, 'sk-not-a-key-at-all'), 401, 'invalid_api_key', 'authentication_error');
    }
    for (const [path, body] of [
      ['/key/generate', {}],
      ['/key/update', { key, max_budget: 100 }],
      ['/key/delete', { keys: [key] }],
      ['/key/regenerate', { key }],
    ] as const) {
      expectOpenAIError(await request(gw.url, 'POST', path, key, body), 403, 'admin_only');
      expectOpenAIError(await request(gw.url, 'POST', path, null, body), 401);
    }
    // Nothing changed: the key still works and has no budget.
    expect((await api.keyInfo(key)).max_budget).toBeNull();
    expect((await chat(gw.url, key, { model: 'gpt-4o', messages: user('still here') })).status).toBe(200);
  });
});
