/**
 * Vertex AI Model Garden partner models through a real gateway, driven by the official openai SDK, with LiteLLM's
 * model names: Llama as a service (`vertex_ai/meta/llama-3.1-405b-instruct-maas`) on the OpenAI-compatible
 * `endpoints/openapi/chat/completions`, Mistral (`vertex_ai/mistral-large@2407`) at its publisher model's
 * `:rawPredict` / `:streamRawPredict`, and a model the user deployed to an endpoint (`vertex_ai/openai/<endpoint id>`) —
 * chat, streams with usage, a tool round trip, priced spend rows, every call with a service-account access token.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import { testServiceAccount, type TestServiceAccount, vertexTokenGrants } from './mock-providers/vertex-token.ts';
import type { Admin, SpendLogJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;
let account: TestServiceAccount;

const LOCATION = '/projects/mock-project/locations/us-east5';
const OPENAPI = `/v1beta1${LOCATION}/endpoints/openapi/chat/completions`;
const MISTRAL = `/v1${LOCATION}/publishers/mistralai/models/mistral-large@2407`;
const ENDPOINT_ID = '5464397967697903616';
const DEPLOYED = `/v1${LOCATION}/endpoints/${ENDPOINT_ID}/chat/completions`;

const config = (mockUrl: string) => {
  account = testServiceAccount(mockUrl);
  const dir = mkdtempSync(join(tmpdir(), 'vertex-partners-e2e-'));
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify(account.keyFile));
  // api_base in LiteLLM's meaning: the endpoint (or model resource) URL the method is appended to.
  return `
model_list:
  - model_name: llama
    litellm_params: { model: vertex_ai/meta/llama-3.1-405b-instruct-maas, api_base: "${mockUrl}/v1beta1${LOCATION}/endpoints/openapi", vertex_credentials: "${keyFile}" }
  - model_name: mistral
    litellm_params: { model: vertex_ai/mistral-large@2407, api_base: "${mockUrl}${MISTRAL}", vertex_credentials: "${keyFile}" }
  - model_name: my-endpoint
    litellm_params: { model: vertex_ai/openai/${ENDPOINT_ID}, api_base: "${mockUrl}/v1${LOCATION}/endpoints/${ENDPOINT_ID}", vertex_credentials: "${keyFile}" }
general_settings:
  master_key: sk-1234
`;
};

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const client = () => gw.client('sk-1234');
const calls = (path: string): RecordedRequest[] => mock.requests.filter((r) => r.path === path);
const only = (path: string): RecordedRequest => {
  const found = calls(path);
  expect(found).toHaveLength(1);
  return found[0] as RecordedRequest;
};

function expectIssuedBearer(sent: RecordedRequest): void {
  const grant = vertexTokenGrants.filter((g) => g.subject === account.clientEmail).at(-1);
  expect(grant?.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  expect(sent.headers.authorization).toBe(`Bearer ${grant?.token}`);
}

async function spendRow(requestId: string | null): Promise<SpendLogJson> {
  expect(requestId).toMatch(/./);
  const { rows } = await api.spendLogs({ request_id: requestId ?? '' });
  expect(rows).toHaveLength(1);
  return rows[0] as SpendLogJson;
}

async function collect(stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>): Promise<OpenAI.Chat.ChatCompletionChunk[]> {
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
  return chunks;
}

const text = (chunks: OpenAI.Chat.ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

const weather: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('Llama as a service on Vertex (the OpenAI-compatible endpoint)', () => {
  it('answers with the publisher/model name in the body and a service-account token; priced as vertex_ai/meta/llama-3.1-405b-instruct-maas', async () => {
    const { data, response } = await client()
      .chat.completions.create({ model: 'llama', messages: [{ role: 'user', content: 'hello llama' }], temperature: 0.2 })
      .withResponse();
    expectValid('CreateChatCompletionResponse', data);
    expect(data.choices[0]?.message.content).toBe('echo: hello llama');
    const sent = only(OPENAPI);
    expect(sent.body).toEqual({ model: 'meta/llama-3.1-405b-instruct-maas', messages: [{ role: 'user', content: 'hello llama' }], temperature: 0.2 });
    expectIssuedBearer(sent);

    const row = await spendRow(response.headers.get('x-litellm-call-id'));
    expect(row).toMatchObject({
      model: 'meta/llama-3.1-405b-instruct-maas',
      prompt_tokens: data.usage?.prompt_tokens,
      completion_tokens: data.usage?.completion_tokens,
    });
    expect(row.spend).toBeCloseTo(row.prompt_tokens * 5e-6 + row.completion_tokens * 16e-6, 12);
  });

  it('streams chunk by chunk with the usage chunk last; the stream asks upstream for usage', async () => {
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'llama',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'stream me please' }],
      }),
    );
    expect(text(chunks)).toBe('echo: stream me please');
    expect(chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } });
    expect(only(OPENAPI).body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('round-trips a tool call: tool_calls out, the tool result in, an answer from it', async () => {
    const ask: OpenAI.Chat.ChatCompletionMessageParam = { role: 'user', content: 'weather in Paris?' };
    const first = await client().chat.completions.create({ model: 'llama', messages: [ask], tools: [weather] });
    expectValid('CreateChatCompletionResponse', first);
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    if (call?.type !== 'function') throw new Error('no function call');
    expect(JSON.parse(call.function.arguments)).toEqual({ echo: 'weather in Paris?' });

    const second = await client().chat.completions.create({
      model: 'llama',
      tools: [weather],
      messages: [ask, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' }],
    });
    expect(second.choices[0]?.message.content).toBe('echo: sunny, 21C');
    const sent = calls(OPENAPI).at(-1) as RecordedRequest;
    expect((sent.body as { messages: unknown[] }).messages.at(-1)).toEqual({ role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' });
    expect((sent.body as { tools: unknown }).tools).toEqual([weather]);
  });
});

describe('Mistral on Vertex (rawPredict)', () => {
  it('answers at :rawPredict with the model named without its @version; priced as vertex_ai/mistral-large@2407', async () => {
    const { data, response } = await client()
      .chat.completions.create({ model: 'mistral', messages: [{ role: 'user', content: 'bonjour mistral' }], max_completion_tokens: 50 })
      .withResponse();
    expectValid('CreateChatCompletionResponse', data);
    expect(data.choices[0]?.message.content).toBe('echo: bonjour mistral');
    const sent = only(`${MISTRAL}:rawPredict`);
    expect(sent.body).toEqual({ model: 'mistral-large', messages: [{ role: 'user', content: 'bonjour mistral' }], max_tokens: 50 });
    expectIssuedBearer(sent);

    const row = await spendRow(response.headers.get('x-litellm-call-id'));
    expect(row).toMatchObject({ model: 'mistral-large@2407', prompt_tokens: data.usage?.prompt_tokens, completion_tokens: data.usage?.completion_tokens });
    expect(row.spend).toBeCloseTo(row.prompt_tokens * 2e-6 + row.completion_tokens * 6e-6, 12);
  });

  it('streams at :streamRawPredict ("stream": true, no stream_options); the usage Mistral always sends is metered, and shown only when asked', async () => {
    const { data: stream, response } = await client()
      .chat.completions.create({ model: 'mistral', stream: true, messages: [{ role: 'user', content: 'stream en francais' }] })
      .withResponse();
    const chunks = await collect(stream);
    expect(text(chunks)).toBe('echo: stream en francais');
    expect(chunks.some((c) => c.usage)).toBe(false);
    const sent = only(`${MISTRAL}:streamRawPredict`);
    expect(sent.body).toEqual({ model: 'mistral-large', messages: [{ role: 'user', content: 'stream en francais' }], stream: true });
    const row = await spendRow(response.headers.get('x-litellm-call-id'));
    expect(row.completion_tokens).toBeGreaterThan(0);
    expect(row.spend).toBeCloseTo(row.prompt_tokens * 2e-6 + row.completion_tokens * 6e-6, 12);

    const withUsage = await collect(
      await client().chat.completions.create({
        model: 'mistral',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'again' }],
      }),
    );
    expect(withUsage.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: expect.any(Number) } });
  });
});

describe('A model deployed to a Vertex endpoint (vertex_ai/openai/<endpoint id>)', () => {
  it("answers at the endpoint's chat/completions, with no model in the body", async () => {
    const data = await client().chat.completions.create({ model: 'my-endpoint', messages: [{ role: 'user', content: 'hello endpoint' }] });
    expectValid('CreateChatCompletionResponse', data);
    expect(data.choices[0]?.message.content).toBe('echo: hello endpoint');
    const sent = only(DEPLOYED);
    expect(sent.body).toEqual({ messages: [{ role: 'user', content: 'hello endpoint' }] });
    expectIssuedBearer(sent);
  });
});
