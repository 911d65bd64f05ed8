import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom } from '../../../test-support/fixtures.ts';
import { translateGenerateContent } from './response.ts';
import { geminiContext } from './test-fixtures.ts';
import { parseToolCallId } from './tool-ids.ts';

const ctx = geminiContext({ messages: [] });

describe('translateGenerateContent', () => {
  it('turns text and thoughts into content and reasoning_content, and usageMetadata into usage', () => {
    const out = translateGenerateContent(
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'Let me think', thought: true }, { text: 'Hello ' }, { text: 'there' }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 6, cachedContentTokenCount: 3, totalTokenCount: 20 },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'abc',
      },
      ctx,
    );
    expect(out).toMatchObject({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there', reasoning_content: 'Let me think', refusal: null }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 10,
        total_tokens: 20,
        prompt_tokens_details: { cached_tokens: 3 },
        completion_tokens_details: { reasoning_tokens: 6 },
      },
    });
  });

  it('gives function calls stable synthesised ids (thought signature inside) and finish_reason tool_calls', () => {
    const answer = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'sig' },
              { functionCall: { name: 'get_time', args: {} } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
    };
    const first = translateGenerateContent(answer, ctx);
    const again = translateGenerateContent(answer, ctx);
    const calls = (first.choices as { message: { tool_calls: { id: string; function: unknown }[] } }[])[0]!.message.tool_calls;
    expect(calls.map((c) => c.function)).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{}' },
    ]);
    expect(parseToolCallId(calls[0]!.id).signature).toBe('sig');
    expect(calls[0]!.id).not.toBe(calls[1]!.id);
    expect(again.choices).toEqual(first.choices);
    expect((first.choices as { finish_reason: string }[])[0]!.finish_reason).toBe('tool_calls');
    expect(first).not.toHaveProperty('usage');
  });

  it('finishes a candidate the safety filters stopped with content_filter and maps MAX_TOKENS to length', () => {
    const filtered = translateGenerateContent({ candidates: [{ finishReason: 'SAFETY', safetyRatings: [] }] }, ctx);
    expect(filtered.choices).toMatchObject([{ message: { content: null }, finish_reason: 'content_filter' }]);
    const cut = translateGenerateContent({ candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'MAX_TOKENS' }] }, ctx);
    expect(cut.choices).toMatchObject([{ finish_reason: 'length' }]);
  });

  it('answers a blocked prompt with a content-policy error', () => {
    const err = gatewayErrorFrom(() => translateGenerateContent({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5 } }, ctx));
    expect(err.status).toBe(400);
    expect(err.code).toBe('content_policy_violation');
  });
});
