/**
 * The Anthropic Messages API inbound (/v1/messages) through real HTTP, spoken with plain fetch in
 * Anthropic's wire format, as Claude Code does: natively relayed to an Anthropic deployment, translated
 * to and from an OpenAI deployment, and every error in Anthropic's shape.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_AFTER_SECONDS, type MockProviders } from './mock-providers/index.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';
import { parseSse } from './support/sse.ts';
import { countPromptTokens } from '../server/spend/tokenizer.ts';

let mock: MockProviders;
let gw: TestGateway;
let running: GatewayOnMocks | undefined;

const config = (mockUrl: string) => `
model_list:
  - model_name: claude-sonnet-4-5
    litellm_params: { model: anthropic/claude-sonnet-4-5-20250929, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: claude-busy
    litellm_params: { model: anthropic/claude-error-429, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: gpt-busy
    litellm_params: { model: openai/gpt-error-429, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: claude-breaks
    litellm_params: { model: anthropic/claude-stream-break, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: gpt-breaks
    litellm_params: { model: openai/gpt-stream-break, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: gpt-slow
    litellm_params: { model: openai/gpt-chunk-gap-300, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: claude-slow
    litellm_params: { model: anthropic/claude-chunk-gap-300, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: gpt-overflow
    litellm_params: { model: openai/gpt-context-overflow, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
general_settings:
  master_key: sk-master
  max_request_size_mb: 0.01
`;

beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  ({ mock, gw } = running);
});
afterAll(() => running?.close());
beforeEach(() => mock.reset());

type Json = Record<string, any>;

async function post(body: unknown, options: { path?: string; headers?: Record<string, string> } = {}) {
  const headers = options.headers ?? { 'x-api-key': 'sk-master', 'anthropic-version': '2023-06-01' };
  const res = await fetch(gw.url + (options.path ?? '/v1/messages'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { res, text: await res.text() };
}

async function json(body: unknown, options: Parameters<typeof post>[1] = {}) {
  const { res, text } = await post(body, options);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Json };
}

async function events(body: unknown) {
  const { res, text } = await post({ ...(body as Json), stream: true });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return parseSse(text).map((e) => {
    const data = JSON.parse(e.data) as Json;
    // Every Anthropic event names itself twice: the SSE event name and the payload's type.
    expect(data.type).toBe(e.event);
    return data;
  });
}

const hello = { max_tokens: 256, messages: [{ role: 'user', content: 'hello gateway' }] };
const weatherTool = { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

function expectError(result: { status: number; body: Json }, status: number, type: string): void {
  expect(result.status).toBe(status);
  expect(result.body).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
}

describe('to an Anthropic deployment: forwarded natively', () => {
  it('relays the message with only the model replaced, the deployment key, and the client version and betas', async () => {
    const { status, body } = await json(
      { model: 'claude-sonnet-4-5', system: 'Be brief.', ...hello, top_k: 3 },
      { headers: { 'x-api-key': 'sk-master', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31' } },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', stop_reason: 'end_turn' });
    expect(body.content).toEqual([{ type: 'text', text: 'echo: hello gateway' }]);
    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe('/v1/messages');
    expect(upstream.body).toEqual({ model: 'claude-sonnet-4-5-20250929', system: 'Be brief.', ...hello, top_k: 3 });
    expect(upstream.headers['x-api-key']).toBe('sk-ant-up');
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
    expect(upstream.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it('streams the upstream events through unchanged', async () => {
    const stream = await events({ model: 'claude-sonnet-4-5', ...hello });
    expect(stream.map((e) => e.type)).toContain('ping');
    expect(stream[0]).toMatchObject({ type: 'message_start', message: { model: 'claude-sonnet-4-5-20250929' } });
    const text = stream
      .filter((e) => e.type === 'content_block_delta')
      .map((e) => e.delta.text)
      .join('');
    expect(text).toBe('echo: hello gateway');
    expect(stream.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('accepts the key as a Bearer token, on the path without /v1', async () => {
    const { status } = await json({ model: 'claude-sonnet-4-5', ...hello }, { path: '/messages', headers: { authorization: 'Bearer sk-master' } });
    expect(status).toBe(200);
    expect(mock.requests[0]?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('forwards count_tokens', async () => {
    const { status, body } = await json({ model: 'claude-sonnet-4-5', messages: hello.messages }, { path: '/v1/messages/count_tokens' });
    expect(status).toBe(200);
    expect(body).toEqual({ input_tokens: 2 });
    expect(mock.requests[0]?.path).toBe('/v1/messages/count_tokens');
  });
});

describe('to an OpenAI deployment: translated', () => {
  it('answers an Anthropic message from an OpenAI chat completion', async () => {
    const { status, body } = await json({
      model: 'gpt-4o',
      system: [{ type: 'text', text: 'Be brief.' }],
      ...hello,
      stop_sequences: ['###'],
      metadata: { user_id: 'u1' },
    });
    expect(status).toBe(200);
    const usage = { input_tokens: 4, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    const content = [{ type: 'text', text: 'echo: hello gateway' }];
    expect(body).toEqual({
      id: expect.stringMatching(/^msg_/),
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content,
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    });
    expect(mock.requests[0]?.path).toBe('/v1/chat/completions');
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello gateway' },
    ];
    expect(mock.requests[0]?.body).toEqual({ model: 'gpt-4o', messages, max_tokens: 256, stop: ['###'], user: 'u1' });
  });

  it('streams Anthropic events: message_start, one block, message_delta with usage, message_stop', async () => {
    const stream = await events({ model: 'gpt-4o', ...hello });
    const deltas = ['content_block_delta', 'content_block_delta', 'content_block_delta'];
    expect(stream.map((e) => e.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      ...deltas,
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(stream[0]!.message).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-4o', content: [], stop_reason: null });
    expect(
      stream
        .filter((e) => e.type === 'content_block_delta')
        .map((e) => e.delta.text)
        .join(''),
    ).toBe('echo: hello gateway');
    expect(stream[7]).toMatchObject({ delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 2, output_tokens: 3 } });
    expect((mock.requests[0]!.body as Json).stream_options).toEqual({ include_usage: true });
  });

  it('runs a tool loop: tool_use out, tool_result back in', async () => {
    const first = await json({ model: 'gpt-4o', ...hello, tools: [weatherTool], tool_choice: { type: 'any' } });
    expect(first.body.stop_reason).toBe('tool_use');
    const toolUse = first.body.content.find((b: Json) => b.type === 'tool_use');
    expect(toolUse).toEqual({ type: 'tool_use', id: expect.any(String), name: 'get_weather', input: { echo: 'hello gateway' } });
    expect((mock.requests[0]!.body as Json).tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: weatherTool.input_schema } },
    ]);
    expect((mock.requests[0]!.body as Json).tool_choice).toBe('required');

    const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny, 21 degrees' }] };
    const messages = [...hello.messages, { role: 'assistant', content: first.body.content }, result];
    const second = await json({ model: 'gpt-4o', max_tokens: 256, messages, tools: [weatherTool] });
    expect(second.body).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'echo: sunny, 21 degrees' }] });
    const sent = (mock.requests[1]!.body as Json).messages as Json[];
    expect(sent.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ id: toolUse.id, function: { name: 'get_weather' } }] });
    expect(sent.at(-1)).toEqual({ role: 'tool', tool_call_id: toolUse.id, content: 'sunny, 21 degrees' });
  });

  it('streams a tool call as a tool_use block with input_json_delta pieces', async () => {
    const stream = await events({ model: 'gpt-4o', ...hello, tools: [weatherTool] });
    const start = stream.find((e) => e.type === 'content_block_start');
    expect(start?.content_block).toMatchObject({ type: 'tool_use', name: 'get_weather', input: {} });
    const partial = stream.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.partial_json as string);
    expect(JSON.parse(partial.join(''))).toEqual({ echo: 'hello gateway' });
    expect(stream.find((e) => e.type === 'message_delta')?.delta.stop_reason).toBe('tool_use');
  });

  it('estimates count_tokens with the gateway tokenizer', async () => {
    const request = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x'.repeat(40) }] };
    const { body } = await json(request, { path: '/v1/messages/count_tokens' });
    expect(body).toEqual({ input_tokens: countPromptTokens('messages', request) });
    expect(body.input_tokens).toBeGreaterThan(3);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('errors in Anthropic shape', () => {
  it('404 not_found_error for an unknown model', async () => {
    expectError(await json({ model: 'claude-nope', ...hello }), 404, 'not_found_error');
  });

  it('401 authentication_error without a key or with a wrong one', async () => {
    expectError(await json({ model: 'gpt-4o', ...hello }, { headers: {} }), 401, 'authentication_error');
    expectError(await json({ model: 'gpt-4o', ...hello }, { headers: { 'x-api-key': 'sk-wrong' } }), 401, 'authentication_error');
  });

  it('400 invalid_request_error for a body Anthropic would reject, naming the field', async () => {
    const missing = await json({ model: 'gpt-4o', messages: hello.messages });
    expectError(missing, 400, 'invalid_request_error');
    expect(missing.body.error.message).toBe('max_tokens: Field required');
    expectError(await json({ model: 'gpt-4o', max_tokens: 0, messages: hello.messages }), 400, 'invalid_request_error');
    expectError(await json({ model: 'gpt-4o', max_tokens: 10, messages: [] }), 400, 'invalid_request_error');
    expectError(await json('{"model": "gpt-4o",'), 400, 'invalid_request_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('413 request_too_large for a body over the gateway limit', async () => {
    expectError(await json({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }), 413, 'request_too_large');
  });

  it('429 rate_limit_error with Retry-After from either kind of upstream', async () => {
    for (const model of ['gpt-busy', 'claude-busy']) {
      const result = await json({ model, ...hello });
      expectError(result, 429, 'rate_limit_error');
      expect(result.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    }
  });

  it('400 "prompt is too long" for a context overflow, as Claude Code expects', async () => {
    const result = await json({ model: 'gpt-overflow', ...hello });
    expectError(result, 400, 'invalid_request_error');
    expect(result.body.error.message).toMatch(/^prompt is too long/);
  });

  it('an upstream failure after the stream started is an error event', async () => {
    for (const model of ['gpt-breaks', 'claude-breaks']) {
      const { res, text } = await post({ model, ...hello, stream: true });
      expect(res.status).toBe(200);
      const last = parseSse(text).at(-1)!;
      expect(last.event).toBe('error');
      expect(JSON.parse(last.data)).toEqual({ type: 'error', error: { type: 'api_error', message: expect.any(String) } });
    }
  });
});

describe('client going away', () => {
  it('aborts the upstream call, on both paths', async () => {
    for (const model of ['gpt-slow', 'claude-slow']) {
      mock.reset();
      const controller = new AbortController();
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'sk-master' },
        body: JSON.stringify({ model, ...hello, stream: true }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await expect(mock.waitFor((r) => r.aborted)).resolves.toMatchObject({ aborted: true });
    }
  });
});
