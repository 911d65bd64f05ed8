/**
 * Google AI Studio (gemini/) through a real gateway, driven by the official openai SDK: generateContent (plain,
 * system, parameters under Gemini's names, json_schema, reasoning_effort), streamGenerateContent?alt=sse with the
 * cumulative usage taken once, the function-call round trip with synthesised ids, batchEmbedContents, Google's
 * errors (429 + Retry-After from RetryInfo, 5xx, context overflow, a blocked prompt → content_policy_fallbacks),
 * the free health probe, and priced spend rows.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { GEMINI_CACHED_CONTENT_TOKENS, GEMINI_THOUGHT_SIGNATURE } from './mock-providers/gemini.ts';
import { RETRY_AFTER_SECONDS, type MockProviders, type RecordedRequest, countTokens } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const KEY = 'AIza-upstream-key';
const config = (mockUrl: string) => `
model_list:
  - model_name: flash
    litellm_params: { model: gemini/gemini-2.5-flash, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: flash-defaults
    litellm_params: { model: gemini/gemini-2.5-flash, api_base: "${mockUrl}", api_key: ${KEY}, temperature: 0.3, safety_settings: [{ category: HARM_CATEGORY_HARASSMENT, threshold: BLOCK_NONE }] }
  - model_name: embed
    litellm_params: { model: gemini/gemini-embedding-001, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: busy
    litellm_params: { model: gemini/flash-error-429, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: broken
    litellm_params: { model: gemini/flash-error-500, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: overflow
    litellm_params: { model: gemini/flash-context-overflow, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: guarded
    litellm_params: { model: gemini/flash-content-policy, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
  - model_name: guarded-alone
    litellm_params: { model: gemini/flash-content-policy, api_base: "${mockUrl}/v1beta", api_key: ${KEY} }
litellm_settings:
  num_retries: 0
  content_policy_fallbacks: [{ guarded: [flash] }]
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const calls = (method: string): RecordedRequest[] => mock.requests.filter((r) => r.path.endsWith(`:${method}`));
const lastBody = (method: string) => calls(method).at(-1)?.body as Record<string, any>;

const client = () => gw.client('sk-1234');

const weather: OpenAI.Chat.ChatCompletionFunctionTool = {
  ...contract.WEATHER_TOOL,
  function: { ...contract.WEATHER_TOOL.function, parameters: { ...contract.WEATHER_TOOL.function.parameters, required: ['city'] } },
};

describe('Gemini chat', () => {
  it('answers with the system prompt as systemInstruction, Google’s usage, and a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'flash',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello gemini' },
        ],
      },
      { content: 'echo: hello gemini', finishReason: 'stop', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const sent = calls('generateContent')[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello gemini' }] }],
    });
    await contract.expectPricedSpendRow(api, requestId, 4 * 3e-7 + 3 * 2.5e-6, { prompt_tokens: 4, completion_tokens: 3, call_type: 'acompletion' });
  });

  it('names a context cache with cached_content and prices its tokens at the cache-read rate', async () => {
    const { data, response } = await client()
      .chat.completions.create({
        model: 'flash',
        messages: [{ role: 'user', content: 'from cache' }],
        cached_content: 'cachedContents/abc',
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(lastBody('generateContent').cachedContent).toBe('cachedContents/abc');
    const prompt = 2 + GEMINI_CACHED_CONTENT_TOKENS;
    expect(data.usage).toMatchObject({ prompt_tokens: prompt, completion_tokens: 3, prompt_tokens_details: { cached_tokens: GEMINI_CACHED_CONTENT_TOKENS } });
    await contract.expectPricedSpendRow(api, response.headers.get('x-litellm-call-id'), 2 * 3e-7 + GEMINI_CACHED_CONTENT_TOKENS * 3e-8 + 3 * 2.5e-6);
  });

  it('sends images as inlineData (data URLs) or fileData (other URLs)', async () => {
    const answer = await client().chat.completions.create({
      model: 'flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe('echo: what is this');
    expect(lastBody('generateContent').contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'what is this' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('streams chunk by chunk with one usage chunk last: the last cumulative usageMetadata, not their sum', async () => {
    const { chunks, requestId } = await contract.expectStream(
      client(),
      { model: 'flash', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] },
      { text: 'echo: stream me please', finishReason: 'stop', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    const sent = calls('streamGenerateContent')[0]!;
    expect(sent.query).toEqual({ alt: 'sse' });
    expect(sent.body).not.toHaveProperty('stream');
    expect(sent.body).not.toHaveProperty('stream_options');
    await contract.expectPricedSpendRow(api, requestId, 'positive', { prompt_tokens: 3, completion_tokens: 4 });
  });

  it('sends parameters under Gemini’s names (litellm_params defaults too) and refuses what Gemini cannot take', async () => {
    await client().chat.completions.create({
      model: 'flash-defaults',
      messages: [{ role: 'user', content: 'params' }],
      top_p: 0.8,
      max_tokens: 20,
      stop: ['END'],
      seed: 3,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } },
      },
    });
    const sent = lastBody('generateContent');
    expect(calls('generateContent').at(-1)?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.generationConfig).toEqual({
      temperature: 0.3,
      topP: 0.8,
      maxOutputTokens: 20,
      stopSequences: ['END'],
      seed: 3,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { a: { type: 'string' } } },
    });
    expect(sent.safetySettings).toEqual([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
    expect(Object.keys(sent).sort()).toEqual(['contents', 'generationConfig', 'safetySettings']);
    await contract.expectParamRefused(client(), { model: 'flash', logit_bias: { '1': 5 }, messages: [{ role: 'user', content: 'x' }] }, 'logit_bias');
  });

  it('thinks with reasoning_effort: a thinking budget upstream, reasoning_content and reasoning tokens back', async () => {
    const answer = await client().chat.completions.create({ model: 'flash', reasoning_effort: 'low', messages: [{ role: 'user', content: 'why sky' }] });
    expect(lastBody('generateContent').generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
    const message = answer.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
    expect(message.reasoning_content).toBe('thinking about: why sky');
    expect(message.content).toBe('echo: why sky');
    const thoughts = countTokens('thinking about: why sky');
    expect(answer.usage).toMatchObject({ completion_tokens: 3 + thoughts, completion_tokens_details: { reasoning_tokens: thoughts } });
  });

  it('round-trips a tool call: a synthesised id, finish_reason tool_calls, the result sent back as a functionResponse', async () => {
    const { second } = await contract.expectToolRoundTrip(client(), {
      model: 'flash',
      tool: weather,
      question: 'Paris weather',
      result: 'sunny 21C',
      firstExtra: { tool_choice: 'auto' },
      callId: /^call_/,
    });
    expect(calls('generateContent')[0]?.body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather in a city', parameters: weather.function.parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(lastBody('generateContent').contents).toEqual([
      { role: 'user', parts: [{ text: 'Paris weather' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { echo: 'Paris weather' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { content: 'sunny 21C' } } }] },
    ]);
  });

  it('keeps a thinking model’s thoughtSignature inside the tool call id, so the next turn carries it back', async () => {
    const sdk = client();
    const question: OpenAI.Chat.ChatCompletionMessageParam = { role: 'user', content: 'Oslo weather' };
    const first = await sdk.chat.completions.create({ model: 'flash', reasoning_effort: 'low', tools: [weather], messages: [question] });
    const call = first.choices[0]!.message.tool_calls![0]!;
    const second = await sdk.chat.completions.create({
      model: 'flash',
      reasoning_effort: 'low',
      tools: [weather],
      messages: [question, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'snow' }],
    });
    expect(second.choices[0]?.message.content).toBe('echo: snow');
    expect(lastBody('generateContent').contents[1]).toEqual({
      role: 'model',
      parts: [{ functionCall: { name: 'get_weather', args: { echo: 'Oslo weather' } }, thoughtSignature: GEMINI_THOUGHT_SIGNATURE }],
    });
    // Without the signature the mock refuses the turn, as Gemini 3 does.
    await expect(
      sdk.chat.completions.create({
        model: 'flash',
        reasoning_effort: 'low',
        tools: [weather],
        messages: [
          question,
          { ...first.choices[0]!.message, tool_calls: [{ ...call, id: 'call_plain' }] },
          { role: 'tool', tool_call_id: 'call_plain', content: 'snow' },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('streams a tool call whole, with its id and finish_reason tool_calls', async () => {
    const chunks = await contract.expectStreamedToolCall(client(), { model: 'flash', tool: weather, question: 'Rome', callId: /^call_/ });
    const toolCalls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(toolCalls).toEqual([
      { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{"echo":"Rome"}' } },
    ]);
  });
});

describe('Gemini legacy completions', () => {
  it('serves /v1/completions through generateContent', async () => {
    const completion = await client().completions.create({ model: 'flash', prompt: 'old style' });
    expectValid('CreateCompletionResponse', completion);
    expect(completion.choices[0]?.text).toBe('echo: old style');
    expect(lastBody('generateContent').contents).toEqual([{ role: 'user', parts: [{ text: 'old style' }] }]);
  });
});

describe('Gemini errors', () => {
  const ask = (model: string) => client().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });

  it('maps RESOURCE_EXHAUSTED to 429 with Retry-After from RetryInfo, and 5xx and context overflow to theirs', async () => {
    await contract.expectRateLimited(gw.url, 'busy', { retryAfter: String(RETRY_AFTER_SECONDS) });
    await contract.expectChatErrors(client(), [
      ['broken', contract.UPSTREAM_FAILED],
      ['overflow', contract.CONTEXT_OVERFLOW],
    ]);
  });

  it('answers a blocked prompt as a content-policy error, which content_policy_fallbacks route onwards', async () => {
    await contract.expectChatErrors(client(), [['guarded-alone', contract.CONTENT_POLICY]]);
    const rescued = await ask('guarded');
    expect(rescued.choices[0]?.message.content).toBe('echo: x');
    expect(calls('generateContent').map((r) => r.model)).toEqual(['flash-content-policy', 'flash-content-policy', 'gemini-2.5-flash']);
  });

  it('answers a stream whose first event says the prompt was blocked with an HTTP content-policy error, which content_policy_fallbacks route onwards', async () => {
    const ask = (model: string) => client().chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'y' }] });
    await expect(ask('guarded-alone')).rejects.toMatchObject({
      status: 400,
      code: 'content_policy_violation',
      message: expect.stringMatching(/content policy: the prompt was blocked \(SAFETY\)/),
    });
    let text = '';
    for await (const chunk of await ask('guarded')) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo: y');
  });
});

describe('Gemini embeddings and health', () => {
  it('embeds through batchEmbedContents, estimated and priced', async () => {
    const { data, response } = await client()
      .embeddings.create({ model: 'embed', input: ['first text', 'second one here'], dimensions: 8 })
      .withResponse();
    expect(data.data).toHaveLength(2);
    expect(data.data[0]!.embedding).toHaveLength(8);
    const sent = calls('batchEmbedContents')[0]!;
    expect(sent.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(sent.body).toEqual({
      requests: ['first text', 'second one here'].map((text) => ({
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text }] },
        outputDimensionality: 8,
      })),
    });
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.spend).toBeGreaterThan(0);
    // Gemini reports no token count: the answer carries the gateway's estimate (OpenAI's schema requires usage), the row's.
    expect(data.usage).toEqual({ prompt_tokens: row.prompt_tokens, total_tokens: row.prompt_tokens });
    expectValid('CreateEmbeddingResponse', data);
  });

  it('probes a deployment’s health by reading its model, without a billed call', async () => {
    const res = await fetch(`${gw.url}/health?model=flash`, { headers: { authorization: 'Bearer sk-1234' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ healthy_count: 1, unhealthy_count: 0 });
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1beta/models/gemini-2.5-flash']);
    expect(mock.requests[0]?.headers['x-goog-api-key']).toBe(KEY);
  });
});
