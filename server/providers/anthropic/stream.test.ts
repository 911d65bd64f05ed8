import { describe, it, expect } from 'vitest';
import { anthropicStreamEvents } from '../../../e2e/mock-providers/index.ts';
import { GatewayError } from '../../core/errors.ts';
import { sseFrameBatches } from '../../proxy/framing/sse.ts';
import { cutAt, everyCut, utf8 } from '../../proxy/framing/test-chunks.ts';
import { gatewayErrorFrom } from '../../test-support/fixtures.ts';
import type { OpenAIChunk } from '../types.ts';
import { createAnthropicStreamTranslator } from './stream.ts';
import { chatContext } from './test-fixtures.ts';

type Event = { event: string; data: Record<string, unknown> };

const ev = (event: string, data: Record<string, unknown> = {}): Event => ({ event, data: { type: event, ...data } });

const messageStart = ev('message_start', {
  message: {
    id: 'msg_01XYZ',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 25, output_tokens: 1, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
  },
});

function run(events: Event[]): { chunks: OpenAIChunk[]; translator: ReturnType<typeof createAnthropicStreamTranslator> } {
  const translator = createAnthropicStreamTranslator(chatContext({ messages: [] }, { stream: true }));
  const chunks = events.flatMap((e) => translator.push({ event: e.event, data: JSON.stringify(e.data) }));
  return { chunks, translator };
}

const deltas = (chunks: OpenAIChunk[]) => chunks.filter((c) => (c.choices as unknown[]).length > 0).map((c) => (c.choices as any)[0].delta);

describe('anthropic stream translation', () => {
  it('translates a text stream into chunks, a finish chunk and one usage chunk', () => {
    const { chunks, translator } = run([
      messageStart,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('ping'),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: '!' } }),
      ev('content_block_stop', { index: 0 }),
      ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }),
      ev('message_stop'),
    ]);
    expect(translator.end()).toEqual([]);

    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'msg_01XYZ', object: 'chat.completion.chunk', model: 'claude-sonnet-4-5-20250929' });
      expect(chunk.created).toBe(chunks[0]!.created);
    }
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hello' }, { content: '!' }, {}]);
    const finish = chunks[3]!.choices as any[];
    expect(finish[0]).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect((chunks[1]!.choices as any[])[0].finish_reason).toBeNull();

    expect(chunks).toHaveLength(5);
    expect(chunks[4]).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 125,
        completion_tokens: 15,
        total_tokens: 140,
        prompt_tokens_details: { cached_tokens: 100 },
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 0,
      },
    });
  });

  it('streams tool calls with OpenAI indexes and partial JSON arguments', () => {
    const { chunks } = run([
      messageStart,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Checking.' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_A', name: 'weather', input: {} } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: 'ris"}' } }),
      ev('content_block_stop', { index: 1 }),
      ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_B', name: 'now', input: {} } }),
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } }),
      ev('content_block_stop', { index: 2 }),
      ev('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 40 } }),
      ev('message_stop'),
    ]);
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking.' },
      { tool_calls: [{ index: 0, id: 'toolu_A', type: 'function', function: { name: 'weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Pa' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ris"}' } }] },
      { tool_calls: [{ index: 1, id: 'toolu_B', type: 'function', function: { name: 'now', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      {},
    ]);
    const finishChunk = chunks[chunks.length - 2]!;
    expect((finishChunk.choices as any[])[0].finish_reason).toBe('tool_calls');
    expect(chunks[chunks.length - 1]).toMatchObject({ choices: [], usage: { completion_tokens: 40 } });
  });

  it('surfaces thinking deltas as reasoning_content, and the blocks with their signature as LiteLLM thinking_blocks', () => {
    const { chunks } = run([
      messageStart,
      ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'abc' } }),
      ev('content_block_start', { index: 1, content_block: { type: 'redacted_thinking', data: 'enc' } }),
    ]);
    expect(deltas(chunks)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Let me think', thinking_blocks: [{ type: 'thinking', thinking: 'Let me think' }] },
      { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'abc' }] },
      { thinking_blocks: [{ type: 'redacted_thinking', data: 'enc' }] },
    ]);
  });

  it('maps max_tokens to length', () => {
    const { chunks } = run([messageStart, ev('message_delta', { delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 8 } })]);
    expect((chunks[1]!.choices as any[])[0].finish_reason).toBe('length');
  });

  it('throws a GatewayError with the right status on an error event', () => {
    const statusOf = (type: string) => {
      const error = gatewayErrorFrom(() => run([messageStart, ev('error', { error: { type, message: 'Overloaded' } })]));
      expect(error.message).toContain('Overloaded');
      return error.status;
    };
    expect(statusOf('overloaded_error')).toBe(503);
    expect(statusOf('rate_limit_error')).toBe(429);
    expect(statusOf('api_error')).toBe(502);
  });

  it('throws 502 when the stream ends without message_stop', () => {
    const { translator } = run([
      messageStart,
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    ]);
    const caught = gatewayErrorFrom(() => translator.end());
    expect(caught.status).toBe(502);
    expect(caught.message).toMatch(/ended early/);
  });

  it('translates the frames the SSE framing reads from a real event stream, however the bytes arrive', async () => {
    const answer = anthropicStreamEvents({
      model: 'claude-sonnet-4-5-20250929',
      block: { type: 'text', text: 'Grüße ✓ 🦊' },
      stopReason: 'end_turn',
      usage: { input_tokens: 5, output_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    const stream = utf8(answer.frames.join(''));
    for (const { name, cuts } of [{ name: 'one read', cuts: [] }, ...everyCut(stream)]) {
      const translator = createAnthropicStreamTranslator(chatContext({ messages: [] }, { stream: true }));
      const chunks: OpenAIChunk[] = [];
      for await (const frames of sseFrameBatches(cutAt(stream, cuts))) for (const frame of frames) chunks.push(...translator.push(frame));
      chunks.push(...translator.end());
      const text = deltas(chunks)
        .map((delta) => delta.content ?? '')
        .join('');
      expect(text, name).toBe('Grüße ✓ 🦊');
      expect(chunks.at(-1), name).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3 } });
    }
  });

  it('throws 502 on an event that is not JSON', () => {
    const translator = createAnthropicStreamTranslator(chatContext({ messages: [] }, { stream: true }));
    expect(() => translator.push({ event: 'content_block_delta', data: '{not json' })).toThrow(GatewayError);
  });
});
