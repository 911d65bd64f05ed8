import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectValid } from '../support/openapi.ts';
import { parseSse } from '../support/sse.ts';
import type { MockProviders } from './index.ts';
import { ANTHROPIC_CONTENT_POLICY_MESSAGE, MOCK_CACHE_READ_TOKENS, NOT_JSON_BODY, OPENAI_CONTENT_POLICY_MESSAGE, startMockProviders } from './index.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const anthropicHeaders = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };
function post(path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
}
const messages = [{ role: 'user', content: 'hello world' }];

describe('mock Anthropic', () => {
  it('answers a message with usage, and cache reads when cache_control is present', async () => {
    const res = await post('/v1/messages', { model: 'claude-x', max_tokens: 100, messages }, anthropicHeaders);
    expect(await res.json()).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'echo: hello world' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 2, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    const system = [{ type: 'text', text: 'long rules', cache_control: { type: 'ephemeral' } }];
    const cached = (await (await post('/v1/messages', { model: 'c', max_tokens: 100, system, messages }, anthropicHeaders)).json()) as { usage: unknown };
    expect(cached.usage).toMatchObject({ input_tokens: 4, cache_read_input_tokens: MOCK_CACHE_READ_TOKENS });
  });

  it('streams the real event sequence, with tool_use as input_json_delta pieces', async () => {
    const text = await (await post('/v1/messages', { model: 'c', max_tokens: 100, messages, stream: true }, anthropicHeaders)).text();
    const events = parseSse(text);
    expect([...new Set(events.map((event) => event.event))]).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) expect(JSON.parse(event.data)).toMatchObject({ type: event.event });
    expect(JSON.parse(events.at(-2)?.data ?? '')).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } });

    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }];
    const toolText = await (await post('/v1/messages', { model: 'c', max_tokens: 99, messages, tools, stream: true }, anthropicHeaders)).text();
    const deltas = parseSse(toolText)
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => JSON.parse(event.data).delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((delta: { partial_json: string }) => delta.partial_json).join('')).toBe('{"echo":"hello world"}');
  });

  it('requires x-api-key, anthropic-version and max_tokens', async () => {
    const noKey = await post('/v1/messages', { model: 'c', max_tokens: 1, messages }, { 'anthropic-version': '2023-06-01' });
    expect([noKey.status, await noKey.json()]).toMatchObject([401, { type: 'error', error: { type: 'authentication_error' } }]);
    expect((await post('/v1/messages', { model: 'c', max_tokens: 1, messages }, { 'x-api-key': 'k' })).status).toBe(400);
    const noMax = await post('/v1/messages', { model: 'c', messages }, anthropicHeaders);
    expect([noMax.status, await noMax.json()]).toMatchObject([400, { error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } }]);
  });
});

describe('scripted failures', () => {
  const openai = (model: string, extra: object = {}, signal?: AbortSignal) =>
    post('/v1/chat/completions', { model, messages, ...extra }, { authorization: 'Bearer sk-test' }, signal);

  it('error-429 / error-500 / context-overflow in each provider shape', async () => {
    const limited = await openai('gpt-error-429');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expectValid('ErrorResponse', await limited.json());
    expect((await openai('x-error-500')).status).toBe(500);
    const overflow = (await (await openai('gpt-context-overflow')).json()) as { error: unknown };
    expect(overflow.error).toMatchObject({ code: 'context_length_exceeded', type: 'invalid_request_error' });
    const anthropicOverflow = await post('/v1/messages', { model: 'claude-context-overflow', max_tokens: 5, messages }, anthropicHeaders);
    expect(await anthropicOverflow.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
    });
    const azure = await post('/openai/deployments/dep-error-401/chat/completions?api-version=2024-10-21', { messages }, { 'api-key': 'k' });
    expect(azure.status).toBe(401);
  });

  it("echo-key quotes the request's own credential in the error; echo-key-mid-stream in an in-band error event", async () => {
    const openaiError = (await (await openai('gpt-echo-key')).json()) as { error: { message: string } };
    expect(openaiError.error.message).toContain('while serving Bearer sk-test');
    const unauthorized = await openai('gpt-echo-key-401');
    expect(unauthorized.status).toBe(401);
    expect(((await unauthorized.json()) as { error: { message: string } }).error.message).toContain('Incorrect API key provided: sk-test');
    const anthropicReply = await post('/v1/messages', { model: 'claude-echo-key', max_tokens: 5, messages }, anthropicHeaders);
    expect([anthropicReply.status, await anthropicReply.json()]).toMatchObject([
      500,
      { error: { type: 'api_error', message: expect.stringContaining('x-api-key sk-ant-test') } },
    ]);
    const events = parseSse(await (await openai('gpt-echo-key-mid-stream', { stream: true })).text());
    expect(events.map((event) => JSON.parse(event.data).choices?.[0]?.delta.content)).toEqual(['', 'echo:', ' hello', undefined]);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').error.message).toContain('while serving Bearer sk-test mid-stream');
  });

  it('content-policy answers the content-filter 400 of each provider', async () => {
    const openaiReply = await openai('gpt-content-policy');
    const body = (await openaiReply.json()) as { error: unknown };
    expect(openaiReply.status).toBe(400);
    expectValid('ErrorResponse', body);
    expect(body.error).toEqual({ message: OPENAI_CONTENT_POLICY_MESSAGE, type: 'invalid_request_error', param: null, code: 'content_policy_violation' });
    const anthropic = await post('/v1/messages', { model: 'claude-content-policy', max_tokens: 5, messages }, anthropicHeaders);
    expect([anthropic.status, await anthropic.json()]).toMatchObject([
      400,
      { type: 'error', error: { type: 'invalid_request_error', message: ANTHROPIC_CONTENT_POLICY_MESSAGE } },
    ]);
  });

  it('error-429-<n>s is a rate limit that lifts after n seconds, counting Retry-After down', async () => {
    const first = await openai('gpt-error-429-1s');
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '1']);
    expect(((await first.json()) as { error: { message: string } }).error.message).toContain('try again in 1s');
    expect((await openai('gpt-error-429-1s')).status).toBe(429);
    expect((await openai('other-error-429-1s')).status).toBe(429); // each model name has its own window
    await new Promise((resolve) => setTimeout(resolve, 950));
    const after = await openai('gpt-error-429-1s');
    expect(after.status).toBe(200);
    expect(((await after.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('echo: hello world');
    mock.reset();
    expect((await openai('gpt-error-429-1s')).status).toBe(429); // reset() restarts the window
    expect((await openai('gpt-error-429')).headers.get('retry-after')).toBe('7'); // plain error-429 never lifts
  });

  it('slow-<ms> delays, not-json answers HTML', async () => {
    const started = performance.now();
    expect((await openai('m-slow-150')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const html = await openai('m-not-json');
    expect([html.status, await html.text()]).toEqual([200, NOT_JSON_BODY]);
  });

  it('hang never answers and records the client abort', async () => {
    const controller = new AbortController();
    const pending = openai('m-hang', {}, controller.signal);
    await mock.waitFor((request) => request.model === 'm-hang');
    controller.abort();
    await expect(pending).rejects.toThrow();
    const request = await mock.waitFor((candidate) => candidate.aborted);
    expect(request.model).toBe('m-hang');
    expect(request.status).toBeUndefined();
  });

  it('records a client abort in the middle of a stream (chunk-gap-<ms> paces the events)', async () => {
    const controller = new AbortController();
    const res = await openai('m-chunk-gap-50', { stream: true }, controller.signal);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"role":"assistant"');
    controller.abort();
    const request = await mock.waitFor((candidate) => candidate.aborted);
    expect(request).toMatchObject({ model: 'm-chunk-gap-50', status: 200, brokenByMock: false });
  });

  it('stream-break sends two content chunks then resets the connection', async () => {
    const res = await openai('m-stream-break', { stream: true });
    let received = '';
    const reader = res.body!.getReader();
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += new TextDecoder().decode(value);
        }
      })(),
    ).rejects.toThrow();
    const contents = parseSse(received).map((event) => JSON.parse(event.data).choices[0].delta.content);
    expect(contents).toEqual(['', 'echo:', ' hello']);
    expect(mock.requests[0]).toMatchObject({ brokenByMock: true, aborted: false });
  });
});
