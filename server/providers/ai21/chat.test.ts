import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom, testCallContext } from '../../test-support/fixtures.ts';
import type { SseFrame } from '../types.ts';
import { buildAi21ChatRequest, createAi21StreamTranslator, translateAi21Chat } from './chat.ts';
import { mapAi21Error } from './errors.ts';

const deployment = { provider: 'ai21', upstreamModel: 'jamba-mini-1.7', apiBase: 'https://api.ai21.com/studio/v1', apiKey: 'ai21-key' };
const ctx = (body: Record<string, unknown>, options: { stream?: boolean; dropParams?: boolean } = {}) =>
  testCallContext(body, { stream: options.stream ?? false, deployment: { ...deployment, dropParams: options.dropParams ?? false } });

describe('AI21 chat request', () => {
  it('posts OpenAI-shaped to /chat/completions with its own params, max_completion_tokens as max_tokens', () => {
    const req = buildAi21ChatRequest(
      ctx(
        {
          model: 'jamba',
          messages: [{ role: 'user', content: 'hi' }],
          n: 2,
          max_completion_tokens: 9,
          documents: [{ content: 'doc' }],
          stream_options: { include_usage: true },
          user: 'u',
          presence_penalty: 0,
        },
        { stream: true },
      ),
    );
    expect(req.url).toBe('https://api.ai21.com/studio/v1/chat/completions');
    expect(req.headers.authorization).toBe('Bearer ai21-key');
    expect(JSON.parse(req.body ?? '')).toEqual({
      model: 'jamba-mini-1.7',
      messages: [{ role: 'user', content: 'hi' }],
      n: 2,
      max_tokens: 9,
      documents: [{ content: 'doc' }],
      stream: true,
    });
  });

  it('refuses OpenAI parameters Jamba cannot take unless drop_params', () => {
    expect(gatewayErrorFrom(() => buildAi21ChatRequest(ctx({ messages: [], frequency_penalty: 0.5 }))).param).toBe('frequency_penalty');
    expect(JSON.parse(buildAi21ChatRequest(ctx({ messages: [], frequency_penalty: 0.5 }, { dropParams: true })).body ?? '')).not.toHaveProperty(
      'frequency_penalty',
    );
  });
});

describe('AI21 answers', () => {
  it('completes the answer into OpenAI’s shape; tool calls finish with tool_calls', () => {
    const out = translateAi21Chat(
      {
        id: 'chat-1',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      },
      ctx({}),
    );
    expect(out).toMatchObject({
      id: 'chat-1',
      object: 'chat.completion',
      model: 'jamba-mini-1.7',
      choices: [{ finish_reason: 'tool_calls', message: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    expect(typeof out.created).toBe('number');
  });

  it('streams chunks with object and created, and the usage of the last chunk as a usage chunk at the end', () => {
    const t = createAi21StreamTranslator(ctx({}, { stream: true }));
    const f = (data: unknown): SseFrame => ({ data: typeof data === 'string' ? data : JSON.stringify(data) });
    const chunks = [
      f({ id: 'c', choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }], usage: null }),
      f({ id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }], usage: null }),
      f({
        id: 'c',
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      }),
      f('[DONE]'),
    ].flatMap((frame) => t.push(frame));
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toMatchObject({ id: 'c', object: 'chat.completion.chunk', choices: [{ delta: { content: 'hi' } }] });
    expect(chunks[2]).not.toHaveProperty('usage');
    expect(t.end()).toMatchObject([{ choices: [], usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } }]);
  });
});

describe('AI21 errors', () => {
  it('reads FastAPI detail bodies; 429 always has Retry-After; 422 is a 400; overflow and safety have their codes', () => {
    expect(mapAi21Error(401, '{"detail":"Forbidden: Bad or missing API token."}', {})).toMatchObject({ status: 401 });
    expect(mapAi21Error(429, '{"detail":"Too many requests"}', {}).headers['retry-after']).toBe('1');
    expect(mapAi21Error(429, '{"detail":"Too many requests"}', { 'retry-after': '4' }).headers['retry-after']).toBe('4');
    expect(mapAi21Error(422, '{"detail":"n must be at most 16"}', {}).status).toBe(400);
    expect(mapAi21Error(400, '{"detail":"This model\'s maximum context length is 256000 tokens"}', {}).code).toBe('context_length_exceeded');
    expect(mapAi21Error(400, '{"detail":"Request blocked by the safety filter"}', {}).code).toBe('content_policy_violation');
    expect(mapAi21Error(500, '{"detail":"Internal error"}', {}).status).toBe(502);
  });
});
