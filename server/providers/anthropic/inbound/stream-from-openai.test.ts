import { describe, expect, it } from 'vitest';
import { parseSse } from '../../../../e2e/support/sse.ts';
import { AnthropicEventStream } from './stream-from-openai.ts';

const ctx = { model: 'claude-sonnet-4-5', requestId: 'req-1', stopSequences: [] };

const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason }],
});
const usageChunk = { id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } };

/** Runs chunks through the translator and returns the events as [name, payload]. */
function translate(chunks: Record<string, unknown>[]): [string, Record<string, unknown>][] {
  const stream = new AnthropicEventStream(ctx);
  const text = stream.start() + chunks.map((c) => stream.push(c)).join('') + stream.end();
  return parseSse(text).map((e) => {
    const payload = JSON.parse(e.data) as Record<string, unknown>;
    expect(payload.type).toBe(e.event);
    return [e.event!, payload];
  });
}

describe('OpenAI chunks → Anthropic events', () => {
  it('streams text as one block between message_start and message_stop', () => {
    const events = translate([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk]);
    expect(events.map(([name]) => name)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const [, start] = events[0]!;
    expect(start.message).toMatchObject({ id: 'msg_req1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null });
    expect(events[2]![1]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[3]![1]).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } });
    expect(events[6]![1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 12, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('gives each tool call its own tool_use block, after the text block', () => {
    const events = translate([
      chunk({ content: 'Checking.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      usageChunk,
    ]);
    const blocks = events.filter(([name]) => name.startsWith('content_block')).map(([, payload]) => payload);
    expect(blocks).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 2 },
    ]);
    expect(events.at(-2)![1].delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('still sends one empty text block, and a stop reason, for an empty answer without usage', () => {
    const events = translate([chunk({}, 'length')]);
    expect(events.map(([name]) => name)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(events[4]![1]).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { input_tokens: 0, output_tokens: 0 } });
  });

  it('streams reasoning_content as a thinking block first, with an empty signature when the upstream gave none', () => {
    const events = translate([
      chunk({ role: 'assistant', reasoning_content: 'Let me ' }),
      chunk({ reasoning_content: 'think.' }),
      chunk({ content: 'Done.' }),
      chunk({}, 'stop'),
      usageChunk,
    ]);
    const payloads = events.map(([, p]) => p).filter((p) => String(p.type).startsWith('content_block'));
    expect(payloads).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Done.' } },
      { type: 'content_block_stop', index: 1 },
    ]);
  });

  it('passes a signature LiteLLM sends in thinking_blocks on as a signature_delta; reasoning alone still gets an (empty) text block; `reasoning` counts too', () => {
    const events = translate([
      chunk({ reasoning: 'Hmm.' }),
      chunk({ thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'sig-1' }] }),
      chunk({}, 'stop'),
      usageChunk,
    ]);
    const payloads = events.map(([, p]) => p).filter((p) => String(p.type).startsWith('content_block'));
    expect(payloads).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_stop', index: 1 },
    ]);
  });
});
