/**
 * Cohere through a real gateway, driven by the official openai SDK: v2 Chat (plain, stream with usage, system,
 * tools round trip, parameters under Cohere's names), Embed v2, error mapping, priced spend rows; and the
 * Cohere-compatible rerank route (/v1/rerank, /rerank, /v2/rerank) on the same pipeline.
 */
import { describe, expect, it } from 'vitest';
import { COHERE_TEMPLATE_TOKENS } from './mock-providers/cohere.ts';
import { RETRY_AFTER_SECONDS, type MockProviders, type RecordedRequest, countTokens, mockEmbedding } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: command-r
    litellm_params: { model: cohere/command-r, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: command-plus
    litellm_params: { model: cohere_chat/command-r-plus, api_base: "${mockUrl}", api_key: co-upstream-key, temperature: 0.4 }
  - model_name: command-drop
    litellm_params: { model: cohere/command-r, api_base: "${mockUrl}", api_key: co-upstream-key, drop_params: true }
  - model_name: embed
    litellm_params: { model: cohere/embed-english-v3.0, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: rerank
    litellm_params: { model: cohere/rerank-v3.5, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: rerank-busy
    litellm_params: { model: cohere/rerank-error-429, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: gpt
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai }
  - model_name: busy
    litellm_params: { model: cohere/command-error-429, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: broken
    litellm_params: { model: cohere/command-error-500, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: overflow
    litellm_params: { model: cohere/command-context-overflow, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: blocked
    litellm_params: { model: cohere/command-content-policy, api_base: "${mockUrl}", api_key: co-upstream-key }
  - model_name: rerank-falls-back
    litellm_params: { model: cohere/rerank-error-500, api_base: "${mockUrl}", api_key: co-upstream-key }
router_settings:
  num_retries: 0
  fallbacks: [{ rerank-falls-back: [rerank] }]
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const cohereCalls = (path: string): RecordedRequest[] => mock.requests.filter((r) => r.path === path);
const lastBody = (path: string) => cohereCalls(path).at(-1)?.body as Record<string, any>;

const client = () => gw.client('sk-1234');

describe('Cohere chat', () => {
  it('answers a chat with system prompt, billed usage and a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'command-r',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello cohere' },
        ],
      },
      // Billed units (4 words), not the template-inflated token count.
      { content: 'echo: hello cohere', finishReason: 'stop', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const sent = cohereCalls('/v2/chat')[0]!;
    expect(sent.headers.authorization).toBe('Bearer co-upstream-key');
    expect(sent.body).toEqual({
      model: 'command-r',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello cohere' },
      ],
    });
    await contract.expectPricedSpendRow(api, requestId, 4 * 1.5e-7 + 3 * 6e-7, { prompt_tokens: 4, completion_tokens: 3, call_type: 'acompletion' });
  });

  it('streams chunk by chunk with a usage chunk last, through the cohere_chat/ prefix', async () => {
    await contract.expectStream(
      client(),
      { model: 'command-plus', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] },
      { text: 'echo: stream me please', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    const body = lastBody('/v2/chat');
    expect(body).toMatchObject({ model: 'command-r-plus', stream: true, temperature: 0.4 });
    expect(body).not.toHaveProperty('stream_options');
  });

  it('sends parameters under Cohere’s names and refuses what Cohere cannot take', async () => {
    await client().chat.completions.create({
      model: 'command-r',
      messages: [{ role: 'user', content: 'params' }],
      top_p: 0.8,
      max_tokens: 20,
      stop: ['END'],
      seed: 3,
      response_format: { type: 'json_object' },
    });
    expect(lastBody('/v2/chat')).toMatchObject({ p: 0.8, max_tokens: 20, stop_sequences: ['END'], seed: 3, response_format: { type: 'json_object' } });
    expect(lastBody('/v2/chat')).not.toHaveProperty('top_p');
    await client().chat.completions.create({
      model: 'command-r',
      messages: contract.IMAGE_QUESTION,
    });
    expect(lastBody('/v2/chat').messages).toEqual(contract.IMAGE_QUESTION); // Cohere v2 takes OpenAI's content parts as they are.
    await contract.expectParamRefused(client(), { model: 'command-r', n: 2, messages: [{ role: 'user', content: 'x' }] }, 'n');
  });

  it('drops what Cohere cannot take on a drop_params deployment', async () => {
    const answer = await client().chat.completions.create({
      model: 'command-drop',
      n: 2,
      logit_bias: { '50256': -100 },
      messages: [{ role: 'user', content: 'drop' }],
    });
    expect(answer.choices[0]?.message.content).toBe('echo: drop');
    expect(lastBody('/v2/chat')).toEqual({ model: 'command-r', messages: [{ role: 'user', content: 'drop' }] });
  });

  it('round-trips a tool call: ids kept, finish_reason tool_calls, the tool result answered', async () => {
    const { call } = await contract.expectToolRoundTrip(client(), { model: 'command-r', question: 'Paris weather', result: 'sunny 21C' });
    const sent = lastBody('/v2/chat');
    expect(sent.tools).toEqual([contract.WEATHER_TOOL]);
    expect(sent.messages[1].tool_calls[0].id).toBe(call.id);
    expect(sent.messages[2]).toEqual({ role: 'tool', tool_call_id: call.id, content: 'sunny 21C' });
  });

  it('streams a tool call with its id and finish_reason tool_calls', async () => {
    await contract.expectStreamedToolCall(client(), { model: 'command-r', question: 'Rome', callId: /^get_weather_/ });
  });
});

describe('Cohere errors', () => {
  it('429 with Retry-After, 5xx as an upstream error, context overflow and safety with their codes', async () => {
    await contract.expectRateLimited(gw.url, 'busy');
    await contract.expectChatErrors(client(), [
      ['broken', contract.UPSTREAM_FAILED],
      ['overflow', contract.CONTEXT_OVERFLOW],
      ['blocked', contract.CONTENT_POLICY],
    ]);
    expect(RETRY_AFTER_SECONDS).toBeGreaterThan(0);
  });
});

describe('Cohere embeddings', () => {
  it('embeds through Embed v2 as search documents, base64 for the SDK, priced', async () => {
    const { data, response } = await client()
      .embeddings.create({ model: 'embed', input: ['first text', 'second one here'] })
      .withResponse();
    expectValid('CreateEmbeddingResponse', data);
    expect(data.data.map((d) => d.embedding)).toEqual([mockEmbedding('first text'), mockEmbedding('second one here')].map((v) => v.map((x) => Math.fround(x))));
    expect(lastBody('/v2/embed')).toEqual({
      model: 'embed-english-v3.0',
      texts: ['first text', 'second one here'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBe(countTokens('first text second one here'));
    expect(row.spend).toBeGreaterThan(0);
    expect(COHERE_TEMPLATE_TOKENS).toBeGreaterThan(0);
  });
});

describe('Cohere rerank', () => {
  const documents = ['The capital of France is Paris.', { text: 'Berlin is the capital of Germany.' }, 'Paris capital France'];
  const rerank = (path: string, body: Record<string, unknown>, key = 'sk-1234') =>
    fetch(gw.url + path, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('ranks through Rerank v2 in Cohere’s shape, documents back when asked, priced by search units', async () => {
    const res = await rerank('/v1/rerank', {
      model: 'rerank',
      query: 'capital France Paris',
      documents,
      top_n: 2,
      return_documents: true,
      max_tokens_per_doc: 256,
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      id: string;
      results: { index: number; relevance_score: number; document?: { text: string } }[];
      meta: Record<string, any>;
    };
    expect(answer.results).toEqual([
      { index: 0, relevance_score: 1, document: { text: 'The capital of France is Paris.' } },
      { index: 2, relevance_score: 1, document: { text: 'Paris capital France' } },
    ]);
    expect(answer.meta.billed_units).toEqual({ search_units: 1 });
    // v2 takes string documents only: the {text} form was flattened on the way.
    expect(lastBody('/v2/rerank')).toEqual({
      model: 'rerank-v3.5',
      query: 'capital France Paris',
      documents: ['The capital of France is Paris.', 'Berlin is the capital of Germany.', 'Paris capital France'],
      top_n: 2,
      max_tokens_per_doc: 256,
    });
    expect(cohereCalls('/v2/rerank')[0]?.headers.authorization).toBe('Bearer co-upstream-key');
    const row = await contract.spendRowOf(api, res.headers.get('x-litellm-call-id'));
    expect(row.call_type).toBe('arerank');
    expect(row.spend).toBe(0.002);
    expect(row.prompt_tokens).toBeGreaterThan(0);
  });

  it('serves /rerank and /v2/rerank too, leaves documents out unless asked, and checks the key', async () => {
    for (const path of ['/rerank', '/v2/rerank']) {
      const res = await rerank(path, { model: 'rerank', query: 'Germany', documents });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { results: Record<string, unknown>[] };
      expect(answer.results[0]).toEqual({ index: 1, relevance_score: 1 });
    }
    expect((await rerank('/v1/rerank', { model: 'rerank', query: 'x', documents }, 'sk-wrong')).status).toBe(401);
    expect((await rerank('/v1/rerank', { model: 'rerank', query: 'x', documents: [] })).status).toBe(400);
  });

  it('falls back to another group like any call, and keeps a virtual key to its models', async () => {
    const fellBack = await rerank('/v1/rerank', { model: 'rerank-falls-back', query: 'Germany', documents });
    expect(fellBack.status).toBe(200);
    expect(cohereCalls('/v2/rerank').map((r) => r.model)).toEqual(['rerank-error-500', 'rerank-v3.5']);
    const { key } = await api.generateKey({ models: ['command-r'] });
    const refused = await rerank('/v1/rerank', { model: 'rerank', query: 'x', documents }, key);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('key_model_access_denied');
    expect(cohereCalls('/v2/rerank')).toHaveLength(2);
  });

  it('maps a rate limit to 429 with Retry-After, and refuses a model that cannot rerank', async () => {
    const busy = await rerank('/v1/rerank', { model: 'rerank-busy', query: 'x', documents });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    const openai = await rerank('/v1/rerank', { model: 'gpt', query: 'x', documents });
    expect(openai.status).toBe(400);
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe('unsupported_endpoint');
    expect(cohereCalls('/v2/rerank')).toHaveLength(1);
    expect((await rerank('/v1/rerank', { model: 'nonexistent-model', query: 'x', documents })).status).toBe(404);
  });
});
