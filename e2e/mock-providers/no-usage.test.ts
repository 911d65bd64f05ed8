/** The mock's `no-usage` marker: OpenAI and Anthropic answers, JSON and streamed, with no usage anywhere. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSse, sseJson } from '../support/sse.ts';
import { startMockProviders, type MockProviders } from './index.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const messages = [{ role: 'user', content: 'hello world' }];

function post(path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
const openai = (path: string, body: unknown) => post(path, body, { authorization: 'Bearer sk-test' });
const anthropic = (body: unknown) => post('/v1/messages', body, { 'x-api-key': 'sk-ant', 'anthropic-version': '2023-06-01' });

describe('no-usage marker, OpenAI wire format', () => {
  it('answers chat, completions and embeddings without a usage field', async () => {
    const chat = (await (await openai('/v1/chat/completions', { model: 'gpt-4o-no-usage', messages })).json()) as Record<string, unknown>;
    expect(chat).not.toHaveProperty('usage');
    expect(chat).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'echo: hello world' } }] });
    const legacy = (await (await openai('/v1/completions', { model: 'instruct-no-usage', prompt: 'say hi' })).json()) as Record<string, unknown>;
    expect(legacy).not.toHaveProperty('usage');
    expect(legacy).toMatchObject({ object: 'text_completion', choices: [{ text: 'echo: say hi' }] });
    const embedding = (await (await openai('/v1/embeddings', { model: 'embed-no-usage', input: 'hi' })).json()) as Record<string, unknown>;
    expect(embedding).not.toHaveProperty('usage');
    expect(embedding.data).toHaveLength(1);
  });

  it('streams no usage chunk and no usage field even when include_usage asks for it', async () => {
    const text = await (
      await openai('/v1/chat/completions', { model: 'gpt-4o-no-usage', messages, stream: true, stream_options: { include_usage: true } })
    ).text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseJson(text) as { choices: { delta: { content?: string }; finish_reason: string | null }[] }[];
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o-no-usage' });
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk.choices.length).toBe(1);
    }
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: hello world');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('keeps the other markers working alongside it', async () => {
    const res = await openai('/v1/chat/completions', { model: 'gpt-no-usage-error-429', messages });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });
});

describe('no-usage marker, Anthropic wire format', () => {
  it('answers a message without usage', async () => {
    const res = await anthropic({ model: 'claude-no-usage', max_tokens: 100, messages });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.status).toBe(200);
    expect(body).not.toHaveProperty('usage');
    expect(body).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'echo: hello world' }], stop_reason: 'end_turn' });
  });

  it('streams every event without usage', async () => {
    const events = parseSse(await (await anthropic({ model: 'claude-no-usage', max_tokens: 100, messages, stream: true })).text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    for (const event of events) expect(event.data).not.toContain('"usage"');
    const start = JSON.parse(events[0]!.data) as { message: Record<string, unknown> };
    expect(start.message).toMatchObject({ role: 'assistant', model: 'claude-no-usage' });
    const delta = JSON.parse(events.at(-2)!.data) as Record<string, unknown>;
    expect(delta).toEqual({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null } });
  });

  it('without the marker, usage is still there', async () => {
    const body = (await (await anthropic({ model: 'claude-3', max_tokens: 100, messages })).json()) as { usage: { input_tokens: number } };
    expect(body.usage.input_tokens).toBe(2);
  });
});
