import { describe, expect, it } from 'vitest';
import type { AwsEventStreamFrame, OpenAIChunk } from '../types.ts';
import { buildConverseRequest } from './request.ts';
import { translateConverseResponse } from './response.ts';
import { createConverseStreamTranslator } from './stream.ts';
import { bedrockCall } from './test-fixtures.ts';

const frame = (type: string, payload: unknown): AwsEventStreamFrame => ({
  headers: { ':message-type': 'event', ':event-type': type, ':content-type': 'application/json' },
  payload: Buffer.from(JSON.stringify(payload)),
});
const deltasOf = (chunks: OpenAIChunk[]) => chunks.map((c) => (c.choices as { delta: Record<string, unknown> }[])[0]?.delta);

describe('Bedrock reasoning blocks (extended thinking) with their signatures', () => {
  it('keeps the signed and the redacted reasoning of an answer as LiteLLM thinking_blocks', () => {
    const out = translateConverseResponse(
      {
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'Think', signature: 'sig-1' } } },
              { reasoningContent: { redactedContent: 'ZW5jcnlwdGVk' } },
              { text: 'Answer' },
            ],
          },
        },
        stopReason: 'end_turn',
        usage: { inputTokens: 1, outputTokens: 2 },
      },
      bedrockCall({}),
    );
    const message = (out.choices as { message: Record<string, unknown> }[])[0]!.message;
    expect(message.content).toBe('Answer');
    expect(message.reasoning_content).toBe('Think');
    expect(message.thinking_blocks).toEqual([
      { type: 'thinking', thinking: 'Think', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
    ]);
  });

  it('streams reasoning text, then the signature that closes it, and redacted reasoning, as thinking_blocks deltas', () => {
    const t = createConverseStreamTranslator(bedrockCall({}, { stream: true }));
    const chunks = [
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Hmm' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig-2' } } }),
      frame('contentBlockStop', { contentBlockIndex: 0 }),
      frame('contentBlockDelta', { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: 'c2VjcmV0' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 2, delta: { text: 'Hi' } }),
      frame('messageStop', { stopReason: 'end_turn' }),
    ].flatMap((f) => t.push(f));
    expect(deltasOf(chunks).slice(1, -1)).toEqual([
      { reasoning_content: 'Hmm', thinking_blocks: [{ type: 'thinking', thinking: 'Hmm' }] },
      { thinking_blocks: [{ type: 'thinking', thinking: '', signature: 'sig-2' }] },
      { thinking_blocks: [{ type: 'redacted_thinking', data: 'c2VjcmV0' }] },
      { content: 'Hi' },
    ]);
  });

  it('sends thinking_blocks of an earlier answer back first in the assistant turn; unsigned reasoning is left out', () => {
    const req = buildConverseRequest(
      bedrockCall({
        messages: [
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            thinking_blocks: [
              { type: 'thinking', thinking: 'Call the tool', signature: 'sig-3' },
              { type: 'redacted_thinking', data: 'b3BhcXVl' },
              { type: 'thinking', thinking: 'from another provider' },
            ],
            tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } }],
          },
          { role: 'tool', tool_call_id: 'tooluse_1', content: 'Sunny' },
        ],
      }),
    );
    const sent = JSON.parse(req.body ?? '{}') as { messages: { role: string; content: unknown[] }[] };
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: 'Call the tool', signature: 'sig-3' } } },
        { reasoningContent: { redactedContent: 'b3BhcXVl' } },
        { toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Rome' } } },
      ],
    });
  });
});
