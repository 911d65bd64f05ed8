import { describe, expect, it } from 'vitest';
import { translateConverseResponse } from './response.ts';
import { bedrockCall } from './test-fixtures.ts';

const ctx = bedrockCall({ messages: [] });

describe('translateConverseResponse', () => {
  it('turns text and usage (cache reads and writes included in prompt_tokens) into a chat.completion', () => {
    const out = translateConverseResponse(
      {
        output: { message: { role: 'assistant', content: [{ text: 'Hello' }, { text: ' there' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12, cacheReadInputTokens: 4, cacheWriteInputTokens: 1 },
      },
      ctx,
    );
    expect(out).toMatchObject({
      object: 'chat.completion',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 15,
        completion_tokens: 2,
        total_tokens: 17,
        prompt_tokens_details: { cached_tokens: 4 },
        cache_read_input_tokens: 4,
        cache_creation_input_tokens: 1,
      },
    });
  });

  it('turns toolUse blocks into tool calls with their ids, and reasoning into reasoning_content', () => {
    const out = translateConverseResponse(
      {
        output: {
          message: {
            role: 'assistant',
            content: [
              { reasoningContent: { reasoningText: { text: 'hmm', signature: 's' } } },
              { toolUse: { toolUseId: 'tooluse_9', name: 'weather', input: { city: 'Oslo' } } },
            ],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      ctx,
    );
    expect(out.choices).toEqual([
      {
        index: 0,
        logprobs: null,
        finish_reason: 'tool_calls',
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          reasoning_content: 'hmm',
          thinking_blocks: [{ type: 'thinking', thinking: 'hmm', signature: 's' }],
          tool_calls: [{ id: 'tooluse_9', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
        },
      },
    ]);
  });

  it('reads max_tokens as length and a guardrail intervention as content_filter', () => {
    const finish = (stopReason: string) =>
      (
        translateConverseResponse({ output: { message: { role: 'assistant', content: [{ text: 'x' }] } }, stopReason }, ctx).choices as {
          finish_reason: string;
        }[]
      )[0]!.finish_reason;
    expect(finish('max_tokens')).toBe('length');
    expect(finish('guardrail_intervened')).toBe('content_filter');
  });
});
