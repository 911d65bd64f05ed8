/**
 * Vertex AI through a real gateway, driven by the official openai SDK: Gemini (generateContent, stream with usage,
 * system, tools round trip, parameters under Gemini's names), Claude on Vertex (rawPredict / streamRawPredict with
 * the Vertex Messages body), text embeddings (:predict), error mapping, priced spend rows — every call with an
 * access token the mock's token endpoint issued for a service-account JWT whose signature it verified.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MockProviders, type RecordedRequest, countTokens, mockEmbedding } from './mock-providers/index.ts';
import { testServiceAccount, type TestServiceAccount, vertexTokenGrants } from './mock-providers/vertex-token.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;
let account: TestServiceAccount;
let stranger: TestServiceAccount;

const GOOGLE = '/v1/projects/mock-project/locations/us-central1/publishers/google/models';
const ANTHROPIC = '/v1/projects/mock-project/locations/us-east5/publishers/anthropic/models';

const config = (mockUrl: string) => {
  account = testServiceAccount(mockUrl);
  // Signed with a key Google never saw: the token endpoint refuses it.
  stranger = testServiceAccount(mockUrl, { trusted: false });
  const dir = mkdtempSync(join(tmpdir(), 'vertex-e2e-'));
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify(account.keyFile));
  const gemini = (model: string, name = model) =>
    `  - model_name: ${name}\n    litellm_params: { model: vertex_ai/${model}, api_base: "${mockUrl}${GOOGLE}/${model}", vertex_credentials: "${keyFile}" }`;
  return `
model_list:
${gemini('gemini-2.0-flash')}
${gemini('gemini-2.0-flash-error-429', 'gemini-busy')}
${gemini('gemini-2.0-flash-error-500', 'gemini-broken')}
${gemini('gemini-2.0-flash-context-overflow', 'gemini-overflow')}
${gemini('gemini-2.0-flash-content-policy', 'gemini-blocked')}
${gemini('text-embedding-004')}
  - model_name: claude
    litellm_params:
      model: vertex_ai/claude-sonnet-4-5
      api_base: "${mockUrl}${ANTHROPIC}/claude-sonnet-4-5"
      vertex_credentials: '${JSON.stringify(account.keyFile)}'
  - model_name: claude-overflow
    litellm_params: { model: vertex_ai/claude-sonnet-4-5-context-overflow, api_base: "${mockUrl}${ANTHROPIC}/claude-sonnet-4-5-context-overflow", vertex_credentials: "${keyFile}" }
  - model_name: stranger
    litellm_params:
      model: vertex_ai/gemini-2.0-flash
      api_base: "${mockUrl}${GOOGLE}/gemini-2.0-flash"
      vertex_credentials: '${JSON.stringify(stranger.keyFile)}'
general_settings:
  master_key: sk-1234
`;
};

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const calls = (path: string): RecordedRequest[] => mock.requests.filter((r) => r.path === path);
const lastBody = (path: string) => calls(path).at(-1)?.body as Record<string, any>;
const client = () => gw.client('sk-1234');

describe('Gemini on Vertex', () => {
  it('answers with the system instruction, a service-account token, usage and a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'gemini-2.0-flash',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello vertex' },
        ],
      },
      { content: 'echo: hello vertex', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const sent = calls(`${GOOGLE}/gemini-2.0-flash:generateContent`)[0] as RecordedRequest;
    const grant = vertexTokenGrants.filter((g) => g.subject === account.clientEmail).at(-1);
    expect(grant?.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(sent.headers.authorization).toBe(`Bearer ${grant?.token}`);
    expect(sent.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [{ role: 'user', parts: [{ text: 'hello vertex' }] }] });
    await contract.expectPricedSpendRow(api, requestId, 4 * 1e-7 + 3 * 4e-7, { prompt_tokens: 4, completion_tokens: 3 });
  });

  it('streams at streamGenerateContent?alt=sse chunk by chunk, the usage chunk last', async () => {
    await contract.expectStream(
      client(),
      { model: 'gemini-2.0-flash', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] },
      { text: 'echo: stream me please', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    const sent = calls(`${GOOGLE}/gemini-2.0-flash:streamGenerateContent`)[0] as RecordedRequest;
    expect(sent.query).toEqual({ alt: 'sse' });
  });

  it('sends parameters under Gemini’s names', async () => {
    await client().chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [{ role: 'user', content: 'params' }],
      temperature: 0.3,
      top_p: 0.8,
      max_tokens: 20,
      stop: ['END'],
    });
    const body = lastBody(`${GOOGLE}/gemini-2.0-flash:generateContent`);
    expect(body.generationConfig).toEqual({ temperature: 0.3, topP: 0.8, maxOutputTokens: 20, stopSequences: ['END'] });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('model');
  });

  it('round-trips a tool call: finish_reason tool_calls, the id kept, the function response answered', async () => {
    await contract.expectToolRoundTrip(client(), { model: 'gemini-2.0-flash', question: 'Paris weather', result: 'sunny 21C' });
    const sent = lastBody(`${GOOGLE}/gemini-2.0-flash:generateContent`);
    expect(sent.tools[0].functionDeclarations[0].name).toBe('get_weather');
    expect(sent.contents[1].parts[0].functionCall).toMatchObject({ name: 'get_weather', args: { echo: 'Paris weather' } });
    expect(sent.contents[2].parts[0].functionResponse).toMatchObject({ name: 'get_weather' });
  });
});

describe('Claude on Vertex', () => {
  it('posts the Vertex Messages body (anthropic_version, no model) to rawPredict and bills the Claude price', async () => {
    const { data, requestId } = await contract.expectChat(
      client(),
      {
        model: 'claude',
        max_tokens: 50,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello claude' },
        ],
      },
      { content: 'echo: hello claude' },
    );
    const sent = calls(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`)[0] as RecordedRequest;
    expect(sent.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', system: 'Be brief.', max_tokens: 50 });
    expect(sent.body).not.toHaveProperty('model');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.headers.authorization).toMatch(/^Bearer ya29\.mock-/);
    const row = await contract.expectPricedSpendRow(api, requestId, (data.usage?.prompt_tokens ?? 0) * 3e-6 + (data.usage?.completion_tokens ?? 0) * 1.5e-5);
    expect(row.spend).toBeGreaterThan(0);
  });

  it('streams through streamRawPredict with the usage chunk last, and round-trips a tool call', async () => {
    const { chunks } = await contract.expectStream(
      client(),
      { model: 'claude', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream from claude' }] },
      { text: 'echo: stream from claude', usage: {} },
    );
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(lastBody(`${ANTHROPIC}/claude-sonnet-4-5:streamRawPredict`)).toMatchObject({ stream: true, anthropic_version: 'vertex-2023-10-16' });

    const { call } = await contract.expectToolRoundTrip(client(), { model: 'claude', question: 'Oslo', result: 'snow' });
    expect(lastBody(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`).messages[1].content[0]).toMatchObject({ type: 'tool_use', id: call.id });
  });
});

describe('Vertex tokens and errors', () => {
  const ask = (model: string) => client().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });

  it('concurrent calls share one token exchange per service account', async () => {
    const before = vertexTokenGrants.filter((g) => g.subject === account.clientEmail).length;
    await Promise.all([1, 2, 3, 4].map(() => ask('gemini-2.0-flash')));
    // The first test already holds a token for this account: no new exchange at all.
    expect(vertexTokenGrants.filter((g) => g.subject === account.clientEmail).length - before).toBeLessThanOrEqual(1);
    expect(new Set(calls(`${GOOGLE}/gemini-2.0-flash:generateContent`).map((r) => r.headers.authorization)).size).toBe(1);
  });

  it('credentials Google refuses are a 401 and nothing reaches the model', async () => {
    await expect(ask('stranger')).rejects.toMatchObject({ status: 401 });
    expect(calls(`${GOOGLE}/gemini-2.0-flash:generateContent`)).toHaveLength(0);
  });

  it('429 with Retry-After from Google’s RetryInfo, 5xx as an upstream error, context overflow and safety with their codes', async () => {
    await contract.expectRateLimited(gw.url, 'gemini-busy', { retryAfter: '7' });
    await contract.expectChatErrors(client(), [
      ['gemini-broken', contract.UPSTREAM_FAILED],
      ['gemini-overflow', contract.CONTEXT_OVERFLOW],
      ['claude-overflow', contract.CONTEXT_OVERFLOW],
      ['gemini-blocked', contract.CONTENT_POLICY],
    ]);
  });
});

describe('Vertex embeddings', () => {
  it('embeds through :predict, base64 for the SDK, usage from Vertex’s token counts, priced', async () => {
    const { data, response } = await client()
      .embeddings.create({ model: 'text-embedding-004', input: ['first text', 'second one here'] })
      .withResponse();
    expectValid('CreateEmbeddingResponse', data);
    expect(data.data.map((d) => d.embedding)).toEqual([mockEmbedding('first text'), mockEmbedding('second one here')].map((v) => v.map((x) => Math.fround(x))));
    expect(lastBody(`${GOOGLE}/text-embedding-004:predict`)).toEqual({ instances: [{ content: 'first text' }, { content: 'second one here' }] });
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBe(countTokens('first text second one here'));
    expect(row.spend).toBeCloseTo(5 * 1e-7, 12);
  });
});

describe('Vertex health', () => {
  it('/health probes Gemini with the free countTokens, Claude with one token, embeddings with one word; refused credentials are unhealthy', async () => {
    const answer = await api.get<{ healthy_endpoints: { model_name: string }[]; unhealthy_endpoints: { model_name: string; error?: string }[] }>('/health');
    expect(answer.status).toBe(200);
    const healthy = answer.json.healthy_endpoints.map((e) => e.model_name);
    expect(healthy).toEqual(expect.arrayContaining(['gemini-2.0-flash', 'claude', 'text-embedding-004']));
    const unhealthy = Object.fromEntries(answer.json.unhealthy_endpoints.map((e) => [e.model_name, e.error ?? '']));
    expect(unhealthy.stranger).toMatch(/token endpoint refused the credentials \(invalid_grant/);
    expect(answer.text).not.toContain('PRIVATE KEY');
    expect(calls(`${GOOGLE}/gemini-2.0-flash:countTokens`).length).toBeGreaterThan(0);
    expect(calls(`${GOOGLE}/gemini-2.0-flash:generateContent`)).toHaveLength(0);
    expect(lastBody(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`)).toMatchObject({ anthropic_version: 'vertex-2023-10-16', max_tokens: 1 });
    expect(lastBody(`${GOOGLE}/text-embedding-004:predict`)).toEqual({ instances: [{ content: 'ping' }] });
  });
});
