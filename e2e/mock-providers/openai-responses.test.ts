import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectValid } from '../support/openapi.ts';
import { parseSse } from '../support/sse.ts';
import type { MockProviders } from './index.ts';
import { startMockProviders } from './index.ts';

let mock: MockProviders;
let client: OpenAI;
beforeAll(async () => {
  mock = await startMockProviders();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.openaiBaseUrl, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function post(path: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test' }) {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const weather = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false };

describe('mock OpenAI Responses API', () => {
  it('answers a response object that validates, echoing the last user text', async () => {
    const res = await client.responses.create({ model: 'gpt-4o', instructions: 'Be brief.', input: 'hello responses' });
    expectValid('Response', res);
    expect(res.output_text).toBe('echo: hello responses');
    expect(res.status).toBe('completed');
    expect(res.usage).toMatchObject({ input_tokens: 4, output_tokens: 3, total_tokens: 7 });
    expect(mock.requests[0]).toMatchObject({ path: '/v1/responses', protocol: 'openai', model: 'gpt-4o', status: 200 });
  });

  it('calls the first function tool, then answers its output', async () => {
    const first = await client.responses.create({ model: 'gpt-4o', input: [{ role: 'user', content: 'weather in Paris' }], tools: [weather] });
    expectValid('Response', first);
    const call = first.output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"echo":"weather in Paris"}' });
    if (call?.type !== 'function_call') throw new Error('no function call');
    const second = await client.responses.create({
      model: 'gpt-4o',
      tools: [weather],
      input: [{ role: 'user', content: 'weather in Paris' }, call, { type: 'function_call_output', call_id: call.call_id, output: 'sunny' }],
    });
    expect(second.output_text).toBe('echo: sunny');
  });

  it('streams typed events with increasing sequence numbers that validate', async () => {
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'stream me please', stream: true });
    const events = [];
    for await (const event of stream) events.push(event);
    for (const event of events) expectValid('ResponseStreamEvent', event);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...events.filter((e) => e.type === 'response.output_text.delta').map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('echo: stream me please');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('not completed');
    expectValid('Response', completed.response);
    expect(completed.response.usage?.output_tokens).toBe(4);
  });

  it('streams a function call as argument deltas', async () => {
    const text = await (await post('/v1/responses', { model: 'm', input: 'call it', tools: [weather], stream: true })).text();
    const events = parseSse(text);
    expect(events.every((e) => e.event === (JSON.parse(e.data) as { type: string }).type)).toBe(true);
    const data = events.map((e) => JSON.parse(e.data) as { type: string; delta?: string; arguments?: string });
    for (const event of data) expectValid('ResponseStreamEvent', event);
    expect(
      data
        .filter((e) => e.type === 'response.function_call_arguments.delta')
        .map((e) => e.delta)
        .join(''),
    ).toBe('{"echo":"call it"}');
    expect(data.find((e) => e.type === 'response.function_call_arguments.done')?.arguments).toBe('{"echo":"call it"}');
  });

  it('refuses a previous_response_id: it keeps nothing', async () => {
    const res = await post('/v1/responses', { model: 'm', input: 'hi', previous_response_id: 'resp_abc' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'previous_response_not_found', param: 'previous_response_id' } });
  });

  it('serves Azure v1 and dated paths, and plays the failure markers', async () => {
    const azureHeaders = { 'api-key': 'az-key' };
    expect((await post('/openai/v1/responses', { model: 'my-deployment', input: 'hi' }, azureHeaders)).status).toBe(200);
    expect((await post('/openai/responses', { model: 'my-deployment', input: 'hi' }, azureHeaders)).status).toBe(404);
    expect((await post('/openai/responses?api-version=2025-04-01-preview', { model: 'my-deployment', input: 'hi' }, azureHeaders)).status).toBe(200);
    expect(mock.requests.map((r) => r.protocol)).toEqual(['azure', 'azure', 'azure']);
    const limited = await post('/v1/responses', { model: 'gpt-error-429', input: 'hi' });
    expect(limited.status).toBe(429);
    const bare = await (await post('/v1/responses', { model: 'gpt-no-usage', input: 'hi' })).json();
    expect(bare).not.toHaveProperty('usage');
  });

  it('fails mid-stream with an error event quoting the key (echo-key-mid-stream)', async () => {
    const text = await (await post('/v1/responses', { model: 'gpt-echo-key-mid-stream', input: 'one two three four', stream: true })).text();
    const events = parseSse(text);
    expect(events.at(-1)?.event).toBe('error');
    expect(events.at(-1)?.data).toContain('sk-test');
    expect(events.some((e) => e.event === 'response.completed')).toBe(false);
  });
});
