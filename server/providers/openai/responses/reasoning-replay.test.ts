import { describe, expect, it } from 'vitest';
import { decodeThinkingBlocks, encodeThinkingBlocks, isChatReasoning, ThinkingBlocks } from './reasoning-replay.ts';
import { responsesRequestToChat } from './request-to-chat.ts';

const signed = { type: 'thinking', thinking: 'Step one.', signature: 'sig-1' };
const redacted = { type: 'redacted_thinking', data: 'EmwKAhgBEgy-opaque' };

describe('thinking blocks in encrypted_content', () => {
  it('round-trips the blocks a provider accepts back and leaves out unsigned thinking', () => {
    const encoded = encodeThinkingBlocks([signed, { type: 'thinking', thinking: 'cut off, no signature' }, redacted]);
    expect(encoded).toMatch(/^llm-gateway\.thinking_blocks\.v1:/);
    expect(decodeThinkingBlocks(encoded)).toEqual([signed, redacted]);
    expect(encodeThinkingBlocks([{ type: 'thinking', thinking: 'unsigned' }])).toBeUndefined();
    expect(encodeThinkingBlocks(undefined)).toBeUndefined();
  });

  it("reads nothing from OpenAI's encrypted content or a damaged value", () => {
    expect(decodeThinkingBlocks('gAAAAABoOpenAIFernetToken')).toEqual([]);
    expect(decodeThinkingBlocks('llm-gateway.thinking_blocks.v1:!!not-base64-json')).toEqual([]);
    expect(decodeThinkingBlocks(null)).toEqual([]);
  });

  it("tells the gateway's reasoning items from OpenAI's", () => {
    expect(isChatReasoning({ type: 'reasoning', summary: [], encrypted_content: encodeThinkingBlocks([signed]) })).toBe(true);
    expect(isChatReasoning({ type: 'reasoning', summary: [], encrypted_content: 'gAAAAAB' })).toBe(false);
    expect(isChatReasoning({ type: 'reasoning', summary: [] })).toBe(false);
  });

  it("puts the Anthropic adapter's streamed deltas back together: pieces, then the signature, then the next block", () => {
    const blocks = new ThinkingBlocks();
    blocks.push([{ type: 'thinking', thinking: 'Step ' }]);
    blocks.push([{ type: 'thinking', thinking: 'one.' }]);
    blocks.push([{ type: 'thinking', thinking: '', signature: 'sig-1' }]);
    blocks.push([redacted]);
    blocks.push([{ type: 'thinking', thinking: 'Step two.' }]);
    blocks.push([{ type: 'thinking', thinking: '', signature: 'sig-2' }]);
    expect(decodeThinkingBlocks(blocks.encoded())).toEqual([signed, redacted, { type: 'thinking', thinking: 'Step two.', signature: 'sig-2' }]);
  });
});

describe('thinking blocks back into the chat request', () => {
  it('gives interleaved thinking its own assistant message, so a merging provider keeps the answer order', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: [
        { role: 'user', content: 'Go.' },
        { type: 'reasoning', summary: [], encrypted_content: encodeThinkingBlocks([signed]) },
        { role: 'assistant', content: 'Looking.' },
        { type: 'reasoning', summary: [], encrypted_content: encodeThinkingBlocks([redacted]) },
        { type: 'function_call', call_id: 'c1', name: 'ls', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'a' },
        { type: 'reasoning', summary: [], encrypted_content: encodeThinkingBlocks([signed]) },
        { role: 'user', content: 'A reasoning item before a user message is dropped.' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Go.' },
      { role: 'assistant', content: 'Looking.', thinking_blocks: [signed] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
        thinking_blocks: [redacted],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a' },
      { role: 'user', content: 'A reasoning item before a user message is dropped.' },
    ]);
  });
});
