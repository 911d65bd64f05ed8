import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import { mapReplicateError, predictionFailure } from './errors.ts';
import { chatCompletionOf, outputText, usageOf } from './output.ts';

const ctx = (body: Record<string, unknown> = {}) =>
  testCallContext({ messages: [], ...body }, { deployment: { provider: 'replicate', upstreamModel: 'meta/llama-3-8b' } });

describe('prediction output', () => {
  it('an array of pieces is joined; a string is itself', () => {
    expect(outputText(['Hel', 'lo', ' there'])).toBe('Hello there');
    expect(outputText('whole')).toBe('whole');
    expect(outputText(null)).toBe('');
  });

  it('usage from metrics; none without token counts', () => {
    expect(usageOf({ metrics: { input_token_count: 5, output_token_count: 2 } })).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(usageOf({ metrics: { predict_time: 1 } as never })).toBeUndefined();
  });

  it('a chat.completion; length when the output used every allowed token', () => {
    const body = chatCompletionOf({ id: 'p1', output: ['a', ' b'], metrics: { input_token_count: 1, output_token_count: 2 } }, ctx({ max_tokens: 2 }));
    expect(body).toMatchObject({
      id: 'chatcmpl-p1',
      object: 'chat.completion',
      model: 'meta/llama-3-8b',
      choices: [{ index: 0, message: { role: 'assistant', content: 'a b' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    expect(chatCompletionOf({ output: [] }, ctx()).usage).toBeUndefined();
  });
});

describe('Replicate errors', () => {
  const detail = (status: number, text: string) => JSON.stringify({ title: 't', detail: text, status });
  it.each([
    [401, 401, 'authentication_error'],
    [402, 403, 'permission_error'],
    [404, 404, 'not_found_error'],
    [422, 400, 'invalid_request_error'],
    [500, 502, 'upstream_error'],
    [504, 504, 'timeout_error'],
  ])('%i → %i %s', (status, out, type) => {
    const error = mapReplicateError(status, detail(status, 'why'), {});
    expect([error.status, error.type, error.message]).toEqual([out, type, 'Replicate: why']);
  });

  it('429: the Retry-After header, else the seconds in the detail, else 1', () => {
    expect(mapReplicateError(429, detail(429, 'x'), { 'retry-after': '4' }).headers['retry-after']).toBe('4');
    expect(mapReplicateError(429, detail(429, 'Request was throttled. Expected available in 12 seconds.'), {}).headers['retry-after']).toBe('12');
    expect(mapReplicateError(429, '', {}).headers['retry-after']).toBe('1');
  });

  it('a failed prediction: context overflow, safety, or an upstream failure', () => {
    expect(predictionFailure('Prompt length exceeds the maximum context length').code).toBe('context_length_exceeded');
    expect(predictionFailure('NSFW content detected').code).toBe('content_policy_violation');
    const failed = predictionFailure('CUDA out of memory');
    expect([failed.status, failed.code]).toEqual([502, 'prediction_failed']);
    expect(predictionFailure(null, 'canceled').code).toBe('prediction_canceled');
  });
});
