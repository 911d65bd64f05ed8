import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { thrownBy } from '../../test-support/fixtures.ts';
import type { AwsEventStreamFrame, OpenAIChunk } from '../types.ts';
import { createConverseStreamTranslator } from './stream.ts';
import { bedrockCall } from './test-fixtures.ts';

const frame = (type: string, payload: unknown): AwsEventStreamFrame => ({
  headers: { ':message-type': 'event', ':event-type': type, ':content-type': 'application/json' },
  payload: Buffer.from(JSON.stringify(payload)),
});

const deltas = (chunks: OpenAIChunk[]) => chunks.map((c) => (c.choices as { delta: unknown; finish_reason: unknown }[])[0] ?? { usage: c.usage });

describe('createConverseStreamTranslator', () => {
  it('turns text deltas, the stop and the metadata event into chunks, usage last', () => {
    const t = createConverseStreamTranslator(bedrockCall({}, { stream: true }));
    const chunks = [
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }),
      frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'lo' } }),
      frame('contentBlockStop', { contentBlockIndex: 0 }),
      frame('messageStop', { stopReason: 'end_turn' }),
      frame('metadata', { usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 }, metrics: { latencyMs: 1 } }),
    ].flatMap((f) => t.push(f));
    expect(t.end()).toEqual([]);
    expect(deltas(chunks)).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'Hel' }, logprobs: null, finish_reason: null },
      { index: 0, delta: { content: 'lo' }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'stop' },
      { usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } },
    ]);
    expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [] });
  });

  it('streams a tool call: id and name first, then its input JSON in pieces, finish tool_calls', () => {
    const t = createConverseStreamTranslator(bedrockCall({}, { stream: true }));
    const chunks = [
      frame('messageStart', { role: 'assistant' }),
      frame('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_7', name: 'weather' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
      frame('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Rome"}' } } }),
      frame('messageStop', { stopReason: 'tool_use' }),
    ].flatMap((f) => t.push(f));
    expect(deltas(chunks).slice(1)).toEqual([
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: 'tooluse_7', type: 'function', function: { name: 'weather', arguments: '' } }] },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, logprobs: null, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Rome"}' } }] }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('fails a stream that ends before messageStop', () => {
    const t = createConverseStreamTranslator(bedrockCall({}, { stream: true }));
    t.push(frame('messageStart', { role: 'assistant' }));
    expect(thrownBy(() => t.end(), GatewayError).status).toBe(502);
  });
});
