import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import type { CallContext, Endpoint, LocalResult, OpenAIChunk } from '../types.ts';
import { mockProvider } from './index.ts';

interface Options {
  endpoint?: Endpoint;
  stream?: boolean;
  params?: Record<string, unknown>;
  mockResponse?: string;
}

function ctx(body: Record<string, unknown>, o: Options = {}): CallContext {
  const deployment = {
    id: 'dep-mock',
    modelName: 'mock',
    provider: 'mock',
    upstreamModel: 'echo',
    apiBase: 'mock://local',
    apiKey: undefined,
    params: { model: 'mock/echo', ...o.params },
  };
  return {
    ...testCallContext(body, { endpoint: o.endpoint, stream: o.stream, deployment }),
    requestId: 'req-1',
    ...(o.mockResponse !== undefined ? { mockResponse: o.mockResponse } : {}),
  };
}

const respond = (c: CallContext, signal: AbortSignal = new AbortController().signal) => mockProvider.local!.respond(c, signal);

function json(result: LocalResult): Record<string, any> {
  if (result.kind !== 'json') throw new Error('expected a JSON answer');
  return result.body;
}

async function chunks(result: LocalResult): Promise<Record<string, any>[]> {
  if (result.kind !== 'stream') throw new Error('expected a stream');
  const out: OpenAIChunk[] = [];
  for await (const chunk of result.chunks) out.push(chunk);
  return out;
}

const messages = [
  { role: 'system', content: 'be brief' },
  { role: 'user', content: 'first' },
  { role: 'assistant', content: 'ok' },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'hello' },
      { type: 'image_url', image_url: { url: 'x' } },
      { type: 'text', text: 'world' },
    ],
  },
];

describe('mock provider: chat', () => {
  it('echoes the last user message as a chat.completion', async () => {
    const body = json(await respond(ctx({ model: 'mock', messages })));
    expect(body).toMatchObject({ id: 'chatcmpl-mock-req-1', object: 'chat.completion', model: 'echo' });
    expect(body.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Echo: hello world', refusal: null }, logprobs: null, finish_reason: 'stop' },
    ]);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
    expect(body.usage.completion_tokens).toBe(Math.ceil('Echo: hello world'.length / 4));
  });

  it('answers litellm_params.mock_response instead of the echo', async () => {
    const body = json(await respond(ctx({ messages }, { params: { mock_response: 'Fixed answer.' } })));
    expect(body.choices[0].message.content).toBe('Fixed answer.');
  });

  it('answers the per-request mock_response before anything else', async () => {
    const body = json(await respond(ctx({ messages }, { params: { mock_response: 'Fixed answer.' }, mockResponse: 'Per request.' })));
    expect(body.choices[0].message.content).toBe('Per request.');
  });

  it('streams role, word pieces, finish and a final usage-only chunk', async () => {
    const all = await chunks(await respond(ctx({ messages: [{ role: 'user', content: 'a b' }], stream: true }, { stream: true })));
    expect(all.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-mock-req-1')).toBe(true);
    expect(all[0]!.choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const text = all
      .slice(1, -2)
      .map((c) => c.choices[0].delta.content)
      .join('');
    expect(text).toBe('Echo: a b');
    expect(all.slice(1, -2).map((c) => c.choices[0].delta.content)).toEqual(['Echo: ', 'a ', 'b']);
    expect(all.at(-2)!.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(all.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 } });
  });

  it('answers a forced tool choice with a call to that tool', async () => {
    const tools = [
      { type: 'function', function: { name: 'get_weather', parameters: {} } },
      { type: 'function', function: { name: 'get_time', parameters: {} } },
    ];
    const named = json(await respond(ctx({ messages, tools, tool_choice: { type: 'function', function: { name: 'get_time' } } })));
    expect(named.choices[0].finish_reason).toBe('tool_calls');
    expect(named.choices[0].message.content).toBeNull();
    expect(named.choices[0].message.tool_calls).toEqual([{ id: 'call_mock_req-1', type: 'function', function: { name: 'get_time', arguments: '{}' } }]);

    const required = json(await respond(ctx({ messages, tools, tool_choice: 'required' })));
    expect(required.choices[0].message.tool_calls[0].function.name).toBe('get_weather');

    const auto = json(await respond(ctx({ messages, tools, tool_choice: 'auto' })));
    expect(auto.choices[0].message.tool_calls).toBeUndefined();
  });

  it('streams a forced tool call as one tool_calls delta', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup' } }];
    const all = await chunks(await respond(ctx({ messages, tools, tool_choice: 'required' }, { stream: true })));
    expect(all[1]!.choices[0].delta.tool_calls).toEqual([{ index: 0, id: 'call_mock_req-1', type: 'function', function: { name: 'lookup', arguments: '{}' } }]);
    expect(all.at(-2)!.choices[0].finish_reason).toBe('tool_calls');
  });
});

describe('mock provider: completions', () => {
  it('echoes the prompt as a text_completion', async () => {
    const body = json(await respond(ctx({ prompt: 'Say hi' }, { endpoint: 'completions' })));
    expect(body).toMatchObject({
      object: 'text_completion',
      model: 'echo',
      choices: [{ text: 'Echo: Say hi', index: 0, logprobs: null, finish_reason: 'stop' }],
    });
    expect(body.usage.prompt_tokens).toBe(2);
  });

  it('streams text pieces and a final usage chunk', async () => {
    const all = await chunks(await respond(ctx({ prompt: 'x' }, { endpoint: 'completions', stream: true })));
    expect(all.map((c) => c.choices[0]?.text ?? 'usage')).toEqual(['Echo: ', 'x', '', 'usage']);
    expect(all.at(-1)!.usage).toBeDefined();
  });
});

describe('mock provider: embeddings', () => {
  it('answers deterministic unit vectors, one per input', async () => {
    const body = json(await respond(ctx({ input: ['alpha', 'beta', 'alpha'] }, { endpoint: 'embeddings' })));
    expect(body).toMatchObject({ object: 'list', model: 'echo' });
    expect(body.data.map((d: { index: number }) => d.index)).toEqual([0, 1, 2]);
    const [a, b, a2] = body.data.map((d: { embedding: number[] }) => d.embedding) as number[][];
    expect(a).toHaveLength(8);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 10);
    expect(a2).toEqual(a);
    expect(b).not.toEqual(a);
    expect(body.usage).toEqual({ prompt_tokens: 2 + 1 + 2, total_tokens: 5 });
  });

  it('honours dimensions', async () => {
    const body = json(await respond(ctx({ input: 'x', dimensions: 3 }, { endpoint: 'embeddings' })));
    expect(body.data[0].embedding).toHaveLength(3);
  });

  it('encodes base64 as little-endian float32, matching the float answer', async () => {
    const floats = json(await respond(ctx({ input: 'same' }, { endpoint: 'embeddings' }))).data[0].embedding as number[];
    const encoded = json(await respond(ctx({ input: 'same', encoding_format: 'base64' }, { endpoint: 'embeddings' }))).data[0].embedding as string;
    expect(typeof encoded).toBe('string');
    const buffer = Buffer.from(encoded, 'base64');
    const decoded = Array.from(new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4));
    expect(decoded).toHaveLength(floats.length);
    decoded.forEach((v, i) => expect(v).toBeCloseTo(floats[i]!, 6));
  });
});

describe('mock provider: latency', () => {
  it('waits mock_latency milliseconds', async () => {
    const started = performance.now();
    await respond(ctx({ messages }, { params: { mock_latency: 60 } }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const outcome = respond(ctx({ messages }, { params: { mock_latency: 600_000 } }), controller.signal).then(
      () => 'answered',
      (error: unknown) => error,
    );
    // Whatever has settled once the event loop comes round (timers and I/O included), else 'still waiting'.
    const afterATurn = () => Promise.race([outcome, new Promise((resolve) => setImmediate(() => resolve('still waiting')))]);
    expect(await afterATurn()).toBe('still waiting'); // ten minutes of latency to go
    controller.abort('client-gone');
    // Rejected by the abort itself, not when the latency is up.
    expect(await afterATurn()).toMatchObject({ name: 'AbortError' });
  });

  it('has no HTTP request to build', () => {
    expect(() => mockProvider.endpoints.chat!.buildRequest(ctx({ messages }))).toThrow(/in-process/);
  });
});
