/**
 * The official `openai` SDK against a running gateway with LiteLLM's quick-start config (seed 000),
 * every provider behind it played by the shared mock providers. Every body is checked against
 * OpenAI's published OpenAPI schemas.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type OpenAI from 'openai';
import type { MockProviders } from './mock-providers/index.ts';
import { expectValid } from './support/openapi.ts';
import { SEED_ENV, seedConfig, startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';

let mock: MockProviders;
let gw: TestGateway;
let running: GatewayOnMocks | undefined;
let client: OpenAI;

beforeAll(async () => {
  running = await startGatewayOnMocks(seedConfig, SEED_ENV);
  ({ mock, gw } = running);
  client = gw.client();
});
afterAll(() => running?.close());
beforeEach(() => mock.reset());

const CHAT_MODELS = [
  ['gpt-4o', 'openai'],
  ['gpt-3.5-turbo', 'azure'],
  ['claude-3', 'anthropic'],
  ['llama3', 'openai'],
] as const;

/**
 * OpenAI's spec has no schema of its own for legacy completion stream chunks: they are
 * CreateCompletionResponse objects, except that OpenAI itself sends `finish_reason: null` before the
 * last one and `usage: null` when usage is on. Those two fields are checked separately.
 */
function expectValidCompletionChunk(chunk: OpenAI.Completions.Completion): void {
  const { usage, ...rest } = chunk as OpenAI.Completions.Completion & { usage?: unknown };
  expect(usage === undefined || usage === null || typeof usage === 'object').toBe(true);
  const choices = rest.choices.map((c) => ({ ...c, finish_reason: c.finish_reason ?? 'stop' }));
  expectValid('CreateCompletionResponse', { ...rest, choices, ...(usage ? { usage } : {}) });
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe.each(CHAT_MODELS)('chat with %s (%s upstream)', (model, protocol) => {
  it('answers a chat completion', async () => {
    const res = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello gateway' },
      ],
    });
    expectValid('CreateChatCompletionResponse', res);
    expect(res.choices[0]?.message.content).toBe('echo: hello gateway');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
    expect(mock.requests[0]?.protocol).toBe(protocol);
  });

  it('streams without usage when the client did not ask, while asking upstream for it', async () => {
    const chunks = await collect(await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'stream me please' }] }));
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: stream me please');
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    if (protocol !== 'anthropic') expect((mock.requests[0]!.body as { stream_options?: unknown }).stream_options).toEqual({ include_usage: true });
  });

  it('streams a final usage chunk when the client asked for it', async () => {
    const chunks = await collect(
      await client.chat.completions.create({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'count me' }] }),
    );
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(last.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('calls tools, streamed and not', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ];
    const res = await client.chat.completions.create({ model, tools, tool_choice: 'required', messages: [{ role: 'user', content: 'weather in Paris' }] });
    expectValid('CreateChatCompletionResponse', res);
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ echo: 'weather in Paris' });

    const chunks = await collect(
      await client.chat.completions.create({ model, tools, stream: true, messages: [{ role: 'user', content: 'weather in Rome' }] }),
    );
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    const args = chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((t) => t.function?.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ echo: 'weather in Rome' });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
  });
});

describe('other endpoints', () => {
  it('embeds through Azure, with the SDK default base64 encoding and with floats', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-ada-002', input: ['one', 'two'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding.every((n) => typeof n === 'number')).toBe(true);
    const raw = await fetch(`${gw.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-ada-002', input: 'three', encoding_format: 'float' }),
    });
    const body = await raw.json();
    expectValid('CreateEmbeddingResponse', body);
    expect(mock.requests.at(-1)?.path).toBe('/openai/deployments/azure-embedding-model/embeddings');
    expect(mock.requests.at(-1)?.headers['api-key']).toBe(SEED_ENV.AZURE_API_KEY);
  });

  it('answers legacy completions natively and through the chat bridge', async () => {
    for (const model of ['gpt-3.5-turbo-instruct', 'claude-3']) {
      const res = await client.completions.create({ model, prompt: 'Say this is a test' });
      expectValid('CreateCompletionResponse', res);
      expect(res.choices[0]?.text).toContain('Say this is a test');
      const chunks = await collect(await client.completions.create({ model, prompt: 'stream this', stream: true }));
      for (const chunk of chunks) expectValidCompletionChunk(chunk);
      expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toContain('stream this');
    }
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expectValid('ListModelsResponse', { object: 'list', data: page.data });
    expect(page.data.map((m) => m.id)).toEqual(['gpt-3.5-turbo', 'gpt-4o', 'claude-3', 'gpt-3.5-turbo-instruct', 'text-embedding-ada-002', 'llama3']);
    const one = await client.models.retrieve('claude-3');
    expectValid('Model', one);
  });

  it('sends each provider its own credentials and URL shape', async () => {
    await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'claude-3', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const [azure, anthropic, openai] = mock.requests;
    expect(azure?.path).toBe('/openai/deployments/chatgpt-v-2/chat/completions');
    expect(azure?.query['api-version']).toBe('2023-05-15');
    expect(anthropic?.headers['x-api-key']).toBe(SEED_ENV.ANTHROPIC_API_KEY);
    expect(anthropic?.headers['anthropic-version']).toBe('2023-06-01');
    expect(openai?.headers.authorization).toBe(`Bearer ${SEED_ENV.OPENAI_API_KEY}`);
    expect((openai!.body as { model?: string }).model).toBe('gpt-4o');
  });

  it('answers mock_response without calling the provider', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], mock_response: 'canned' } as never);
    expect((res as OpenAI.Chat.Completions.ChatCompletion).choices[0]?.message.content).toBe('canned');
    expect(mock.requests).toHaveLength(0);
  });
});
