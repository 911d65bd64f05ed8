import { describe, expect, it } from 'vitest';
import { toAnthropicMessage } from './response-from-openai.ts';
import { parseToolInput, toAnthropicUsage, toStopInfo } from './usage.ts';

const ctx = { model: 'claude-sonnet-4-5', requestId: 'a1b2-c3', stopSequences: ['###'] };

function completion(message: Record<string, unknown>, finish_reason: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason, ...extra }],
    usage: { prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 100 } },
  };
}

describe('OpenAI chat.completion → Anthropic message', () => {
  it('answers text with the requested model, an msg_ id and Anthropic usage', () => {
    expect(toAnthropicMessage(completion({ content: 'Hello!' }, 'stop'), ctx)).toEqual({
      id: 'msg_a1b2c3',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello!' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it('puts reasoning_content (or reasoning) first as a thinking block, unsigned when the upstream gave no signature', () => {
    const message = toAnthropicMessage(completion({ content: 'Hi.', reasoning_content: 'The user greets.' }, 'stop'), ctx);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user greets.', signature: '' },
      { type: 'text', text: 'Hi.' },
    ]);
    expect(toAnthropicMessage(completion({ content: '', reasoning: 'Hmm.' }, 'stop'), ctx).content).toEqual([
      { type: 'thinking', thinking: 'Hmm.', signature: '' },
      { type: 'text', text: '' },
    ]);
  });

  it("keeps LiteLLM's thinking_blocks as they are, signatures included", () => {
    const blocks = [
      { type: 'thinking', thinking: 'Plan.', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'enc' },
    ];
    const message = toAnthropicMessage(completion({ content: 'Hi.', reasoning_content: 'Plan.', thinking_blocks: blocks }, 'stop'), ctx);
    expect(message.content).toEqual([...blocks, { type: 'text', text: 'Hi.' }]);
  });

  it('turns tool calls into tool_use blocks after the text', () => {
    const message = toAnthropicMessage(
      completion(
        { content: 'Let me check.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        'tool_calls',
      ),
      ctx,
    );
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('keeps an empty answer as one empty text block', () => {
    expect(toAnthropicMessage(completion({ content: null }, 'length'), ctx)).toMatchObject({
      content: [{ type: 'text', text: '' }],
      stop_reason: 'max_tokens',
    });
  });

  it('rejects an answer without choices as a 502', () => {
    expect(() => toAnthropicMessage({ choices: [] }, ctx)).toThrow(expect.objectContaining({ status: 502 }));
  });
});

describe('shared mappings', () => {
  it('maps every finish_reason, and a stop sequence the server names', () => {
    expect(toStopInfo('stop', undefined, [])).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect(toStopInfo('stop', '###', ['###'])).toEqual({ stop_reason: 'stop_sequence', stop_sequence: '###' });
    expect(toStopInfo('stop', 50256, ['###']).stop_reason).toBe('end_turn');
    expect(toStopInfo('length', null, []).stop_reason).toBe('max_tokens');
    expect(toStopInfo('tool_calls', null, []).stop_reason).toBe('tool_use');
    expect(toStopInfo('content_filter', null, []).stop_reason).toBe('refusal');
    expect(toStopInfo(null, null, []).stop_reason).toBe('end_turn');
  });

  it('takes cache reads and writes out of input_tokens', () => {
    expect(toAnthropicUsage({ prompt_tokens: 50, completion_tokens: 5, cache_read_input_tokens: 30, cache_creation_input_tokens: 10 })).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 10,
      cache_read_input_tokens: 30,
    });
    expect(toAnthropicUsage(undefined)).toEqual({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('parses tool arguments into an object whatever the model sent', () => {
    expect(parseToolInput('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolInput('')).toEqual({});
    expect(parseToolInput('[1]')).toEqual({ value: [1] });
    expect(parseToolInput('{broken')).toEqual({ raw_arguments: '{broken' });
  });
});
