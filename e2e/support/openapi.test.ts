import { describe, expect, it } from 'vitest';
import { expectValid, noteSchemaChecksSkipped, schemaChecksSkipped, schemaErrors } from './openapi.ts';

// These test the validator itself, so without the spec (and CI unset) there is nothing to test; with CI set they fail.
if (schemaChecksSkipped) noteSchemaChecksSkipped();

const chatCompletion = {
  id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
  object: 'chat.completion',
  created: 1741570283,
  model: 'gpt-4o-2024-08-06',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Hello there.', refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage: {
    prompt_tokens: 9,
    completion_tokens: 3,
    total_tokens: 12,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  },
  service_tier: 'default',
  system_fingerprint: 'fp_fc9f1d7035',
};

describe.skipIf(schemaChecksSkipped)('OpenAPI validation', () => {
  it('accepts a real-looking chat completion', () => {
    expect(schemaErrors('CreateChatCompletionResponse', chatCompletion)).toEqual([]);
  });

  it('rejects a broken one and lists where', () => {
    const broken = { ...chatCompletion, object: 'chat.completions', choices: [{ index: 0, message: { role: 'assistant', content: 'x' } }] };
    const errors = schemaErrors('CreateChatCompletionResponse', broken);
    expect(errors.map((error) => error.instancePath)).toEqual(expect.arrayContaining(['/object', '/choices/0']));
    expect(() => expectValid('CreateChatCompletionResponse', broken)).toThrow(/\/choices\/0 must have required property 'finish_reason'/);
  });

  it('handles nullable (usage: null on stream chunks) and tool calls (discriminated oneOf)', () => {
    const chunk = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1694268190,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] },
          logprobs: null,
          finish_reason: null,
        },
      ],
      usage: null,
    };
    expectValid('CreateChatCompletionStreamResponse', chunk);
    expectValid('CreateChatCompletionStreamResponse', { ...chunk, choices: [], usage: chatCompletion.usage });
    expect(schemaErrors('CreateChatCompletionStreamResponse', { ...chunk, usage: { prompt_tokens: 'x' } })).not.toEqual([]);

    const toolCall = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };
    const withTool = structuredClone(chatCompletion);
    Object.assign(withTool.choices[0]!, { finish_reason: 'tool_calls', message: { role: 'assistant', content: null, refusal: null, tool_calls: [toolCall] } });
    expectValid('CreateChatCompletionResponse', withTool);
  });

  it('knows the other schemas the gateway answers with', () => {
    expectValid('ErrorResponse', { error: { message: 'Nope', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(schemaErrors('ErrorResponse', { error: { message: 'Nope' } })).not.toEqual([]);
    expectValid('ListModelsResponse', { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' }] });
    expectValid('Model', { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'system' });
    expectValid('CreateEmbeddingResponse', {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }],
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    expectValid('CreateCompletionResponse', {
      id: 'cmpl-1',
      object: 'text_completion',
      created: 1589478378,
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: 'hi', index: 0, logprobs: null, finish_reason: 'stop' }],
    });
    expect(() => expectValid('NoSuchSchema', {})).toThrow(/no schema named/);
  });
});
