import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom } from '../../../test-support/fixtures.ts';
import type { OpenAIChunk } from '../../types.ts';
import { createGeminiStreamTranslator } from './stream.ts';
import { geminiContext } from './test-fixtures.ts';

const ctx = geminiContext({ messages: [] }, { stream: true });
const frame = (event: unknown) => ({ data: JSON.stringify(event) });

function run(events: unknown[]): OpenAIChunk[] {
  const translator = createGeminiStreamTranslator(ctx);
  return [...events.flatMap((e) => translator.push(frame(e))), ...translator.end()];
}

const deltas = (chunks: OpenAIChunk[]) => chunks.flatMap((c) => (c.choices as { delta: unknown }[]).map((ch) => ch.delta));

describe('createGeminiStreamTranslator', () => {
  it('streams text as content deltas and sends the last (cumulative) usage once, never a sum', () => {
    const chunks = run([
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 },
        responseId: 'r',
      },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2 } },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 },
      },
    ]);
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { content: 'Hel' }, { content: 'lo' }, {}]);
    expect(chunks.every((c) => c.id === 'chatcmpl-r' && c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2)!.choices).toMatchObject([{ finish_reason: 'stop' }]);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
  });

  it('streams function calls whole with indexes and ids, finishing with tool_calls', () => {
    const chunks = run([
      { candidates: [{ content: { parts: [{ functionCall: { name: 'a', args: { x: 1 } } }] } }] },
      {
        candidates: [{ content: { parts: [{ functionCall: { name: 'b', args: {} } }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 4 },
      },
    ]);
    const calls = deltas(chunks).flatMap(
      (d) => ((d as { tool_calls?: unknown[] }).tool_calls ?? []) as { index: number; id: string; function: { name: string } }[],
    );
    expect(calls.map((c) => [c.index, c.function.name])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(calls[0]!.id).toMatch(/^call_/);
    expect(chunks.at(-2)!.choices).toMatchObject([{ finish_reason: 'tool_calls' }]);
  });

  it('streams thoughts as reasoning_content', () => {
    const chunks = run([{ candidates: [{ content: { parts: [{ text: 'hmm', thought: true }, { text: 'ok' }] }, finishReason: 'STOP' }] }]);
    expect(deltas(chunks)).toEqual([{ role: 'assistant', content: '' }, { reasoning_content: 'hmm' }, { content: 'ok' }, {}]);
  });

  it('fails a stream that ends without a finishReason, and a blocked prompt as a content-policy error', () => {
    const translator = createGeminiStreamTranslator(ctx);
    translator.push(frame({ candidates: [{ content: { parts: [{ text: 'a' }] } }] }));
    expect(gatewayErrorFrom(() => translator.end()).status).toBe(502);
    const blocked = createGeminiStreamTranslator(ctx);
    expect(gatewayErrorFrom(() => blocked.push(frame({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }))).code).toBe('content_policy_violation');
  });

  it('maps an in-band error event', () => {
    const translator = createGeminiStreamTranslator(ctx);
    const err = gatewayErrorFrom(() => translator.push(frame({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })));
    expect(err.status).toBe(503);
  });
});
