import { describe, it, expect } from 'vitest';
import { translateMessageResponse } from './response.ts';
import { chatContext } from './test-fixtures.ts';

const ctx = chatContext({ messages: [{ role: 'user', content: 'Hi' }] });

function anthropicMessage(overrides: Record<string, unknown> = {}) {
  return {
    id: 'msg_01ABC',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: 'Hello!' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5 },
    ...overrides,
  };
}

describe('anthropic response translation', () => {
  it('turns a text answer into a chat.completion', () => {
    const result = translateMessageResponse(anthropicMessage(), ctx);
    expect(result).toMatchObject({
      id: 'msg_01ABC',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(Number.isInteger(result.created)).toBe(true);
    expect((result.choices as any)[0].message).not.toHaveProperty('tool_calls');
  });

  it('joins text blocks and turns tool_use blocks into tool_calls', () => {
    const result = translateMessageResponse(
      anthropicMessage({
        content: [
          { type: 'text', text: 'Let me check. ' },
          { type: 'text', text: 'One moment.' },
          { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'now', input: {} },
        ],
        stop_reason: 'tool_use',
      }),
      ctx,
    );
    const choice = (result.choices as any)[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Let me check. One moment.');
    expect(choice.message.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_2', type: 'function', function: { name: 'now', arguments: '{}' } },
    ]);
  });

  it('gives null content when there is no text, and surfaces thinking as reasoning_content', () => {
    const result = translateMessageResponse(
      anthropicMessage({
        content: [
          { type: 'thinking', thinking: 'The user wants…', signature: 'sig' },
          { type: 'redacted_thinking', data: 'enc' },
          { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
        ],
        stop_reason: 'tool_use',
      }),
      ctx,
    );
    const message = (result.choices as any)[0].message;
    expect(message.content).toBeNull();
    expect(message.reasoning_content).toBe('The user wants…');
    // LiteLLM's thinking_blocks: what a client sends back so the next turn keeps Anthropic's signed reasoning.
    expect(message.thinking_blocks).toEqual([
      { type: 'thinking', thinking: 'The user wants…', signature: 'sig' },
      { type: 'redacted_thinking', data: 'enc' },
    ]);
  });

  it('maps every stop reason', () => {
    const finish = (stop_reason: string | null) => (translateMessageResponse(anthropicMessage({ stop_reason }), ctx).choices as any)[0].finish_reason;
    expect(finish('end_turn')).toBe('stop');
    expect(finish('stop_sequence')).toBe('stop');
    expect(finish('pause_turn')).toBe('stop');
    expect(finish('max_tokens')).toBe('length');
    expect(finish('tool_use')).toBe('tool_calls');
    expect(finish('refusal')).toBe('content_filter');
    expect(finish(null)).toBe('stop');
  });

  it('counts prompt-cache reads and writes in prompt_tokens and keeps them apart for pricing', () => {
    const result = translateMessageResponse(
      anthropicMessage({
        usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 300 },
      }),
      ctx,
    );
    expect(result.usage).toEqual({
      prompt_tokens: 1310,
      completion_tokens: 20,
      total_tokens: 1330,
      prompt_tokens_details: { cached_tokens: 1000 },
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 1000,
    });
  });

  it('answers 502 for a body that is not a message', () => {
    expect(() => translateMessageResponse({ hello: 'world' }, ctx)).toThrow(/not a Messages API message/);
  });
});
