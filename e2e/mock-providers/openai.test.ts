import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectValid } from '../support/openapi.ts';
import { sseJson } from '../support/sse.ts';
import type { MockProviders } from './index.ts';
import { mockEmbedding, startMockProviders } from './index.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

function post(path: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test' }) {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'hello world' }] },
];

describe('mock OpenAI', () => {
  it('answers a chat completion that validates, and records the request', async () => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: { prompt_tokens: number } };
    expectValid('CreateChatCompletionResponse', body);
    expect(body.choices[0]?.message.content).toBe('echo: hello world');
    expect(body.usage.prompt_tokens).toBe(4);
    expect(mock.requests).toMatchObject([
      { method: 'POST', path: '/v1/chat/completions', protocol: 'openai', model: 'gpt-4o-mini', aborted: false, status: 200 },
    ]);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('reasons first when the request carries reasoning_effort, billing the reasoning as completion tokens', async () => {
    const json = (await (await post('/v1/chat/completions', { model: 'm', messages, reasoning_effort: 'low' })).json()) as {
      choices: { message: { content: string; reasoning_content?: string } }[];
      usage: { completion_tokens: number; completion_tokens_details: { reasoning_tokens: number } };
    };
    expectValid('CreateChatCompletionResponse', json);
    expect(json.choices[0]?.message).toMatchObject({ content: 'echo: hello world', reasoning_content: 'thinking about: hello world' });
    expect(json.usage).toMatchObject({ completion_tokens: 3 + 4, completion_tokens_details: { reasoning_tokens: 4 } });

    const chunks = sseJson(await (await post('/v1/chat/completions', { model: 'm', messages, reasoning_effort: 'high', stream: true })).text()) as {
      choices: { delta: { content?: string; reasoning_content?: string } }[];
    }[];
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta ?? {});
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('thinking about: hello world');
    const firstContent = deltas.findIndex((d) => (d.content ?? '') !== '');
    const lastReasoning = deltas.findLastIndex((d) => d.reasoning_content !== undefined);
    expect(lastReasoning).toBeLessThan(firstContent);

    const plain = (await (await post('/v1/chat/completions', { model: 'm', messages })).json()) as { choices: { message: object }[] };
    expect(plain.choices[0]?.message).not.toHaveProperty('reasoning_content');
  });

  it('streams chunks with usage only when include_usage is set', async () => {
    const withUsage = await (await post('/v1/chat/completions', { model: 'm', messages, stream: true, stream_options: { include_usage: true } })).text();
    expect(withUsage.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseJson(withUsage) as { choices: { delta: { content?: string } }[]; usage: unknown }[];
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('echo: hello world');
    expect(chunks.length).toBeGreaterThanOrEqual(5);

    const plain = sseJson(await (await post('/v1/chat/completions', { model: 'm', messages, stream: true })).text());
    expect(plain.every((chunk) => !('usage' in (chunk as object)))).toBe(true);
  });

  it('calls the first or the forced tool, and answers in text after a tool result', async () => {
    const tools = ['a', 'b'].map((name) => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.openaiBaseUrl });
    const auto = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: tools as never });
    expectValid('CreateChatCompletionResponse', auto);
    expect(auto.choices[0]?.finish_reason).toBe('tool_calls');
    expect(auto.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'a', arguments: '{"echo":"hi"}' } });

    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: tools as never,
      tool_choice: { type: 'function', function: { name: 'b' } },
      stream: true,
    });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(args).toBe('{"echo":"hi"}');

    const after = await client.chat.completions.create({
      model: 'm',
      tools: tools as never,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'a', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
    });
    expect(after.choices[0]?.message.content).toBe('echo: sunny');
  });

  it('serves embeddings (float and base64 via the SDK), legacy completions and models', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.openaiBaseUrl });
    const viaSdk = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a b', 'c'] });
    expect(viaSdk.data[1]?.embedding).toEqual(mockEmbedding('c'));
    const floats = await (await post('/v1/embeddings', { model: 'e', input: 'a b', dimensions: 4, encoding_format: 'float' })).json();
    expectValid('CreateEmbeddingResponse', floats);
    expect(floats).toMatchObject({ data: [{ embedding: mockEmbedding('a b', 4) }], usage: { prompt_tokens: 2, total_tokens: 2 } });

    const completion = await (await post('/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'say this' })).json();
    expectValid('CreateCompletionResponse', completion);
    expect(completion).toMatchObject({ object: 'text_completion', choices: [{ text: 'echo: say this', finish_reason: 'stop' }] });
    const streamed = sseJson(await (await post('/v1/completions', { model: 'i', prompt: 'say this', stream: true })).text()) as {
      choices: { text: string; finish_reason: string | null }[];
    }[];
    // Like the real API, streamed legacy chunks carry finish_reason: null until the last one, which the
    // spec's CreateCompletionResponse (shared by both modes) does not allow: validate the last one only.
    expectValid('CreateCompletionResponse', streamed.at(-1));
    expect(streamed.map((chunk) => chunk.choices[0]?.text).join('')).toBe('echo: say this');

    const models = await fetch(`${mock.url}/v1/models`, { headers: { authorization: 'Bearer x' } });
    expectValid('ListModelsResponse', await models.json());
  });

  it('answers 401 in the OpenAI error shape without a bearer token', async () => {
    const res = await post('/v1/chat/completions', { model: 'm', messages }, {});
    expect(res.status).toBe(401);
    expectValid('ErrorResponse', await res.json());
  });
});

describe('mock Azure OpenAI', () => {
  const path = '/openai/deployments/my-gpt/chat/completions';
  it('answers with the deployment as model given api-key (or a bearer token) and api-version', async () => {
    const res = await post(`${path}?api-version=2024-10-21`, { messages }, { 'api-key': 'k' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expectValid('CreateChatCompletionResponse', body);
    expect(body).toMatchObject({ model: 'my-gpt' });
    expect(mock.requests[0]).toMatchObject({ protocol: 'azure', model: 'my-gpt', query: { 'api-version': '2024-10-21' } });
    expect((await post(`${path}?api-version=2024-10-21`, { messages }, { authorization: 'Bearer entra' })).status).toBe(200);
  });

  it('rejects a missing key (401) and a missing api-version (404)', async () => {
    expect((await post(`${path}?api-version=2024-10-21`, { messages }, {})).status).toBe(401);
    expect((await post(path, { messages }, { 'api-key': 'k' })).status).toBe(404);
  });

  it("lists the resource's models (Models - List, the gateway's health probe) with a key and api-version", async () => {
    const list = (key: Record<string, string>, query = '?api-version=2024-10-21') => fetch(`${mock.url}/openai/models${query}`, { headers: key });
    const res = await list({ 'api-key': 'k' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: { id: string; object: string; capabilities: object }[] };
    expect(body.object).toBe('list');
    expect(body.data.length).toBeGreaterThan(0);
    for (const model of body.data) expect(model).toMatchObject({ id: expect.any(String), object: 'model', capabilities: expect.any(Object) });
    expect(mock.requests[0]).toMatchObject({ method: 'GET', path: '/openai/models', protocol: 'azure', status: 200 });
    expect((await list({ authorization: 'Bearer entra' })).status).toBe(200);
    expect((await list({})).status).toBe(401);
    const unversioned = await list({ 'api-key': 'k' }, '');
    expect(unversioned.status).toBe(404);
    expect(await unversioned.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });
});
