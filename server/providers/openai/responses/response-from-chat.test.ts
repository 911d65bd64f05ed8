import { describe, expect, it } from 'vitest';
import { expectValid } from '../../../../e2e/support/openapi.ts';
import { GatewayError } from '../../../core/errors.ts';
import { responseFromChat, responsesUsageFrom, usageFromResponses } from './response-from-chat.ts';

const request = { model: 'claude-sonnet-4-5', input: 'Hi' };
const ctx = { id: 'resp_abc', createdAt: 1764750000, request, model: 'claude-sonnet-4-5' };

function completion(message: Record<string, unknown>, finish_reason: string) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1764750001,
    model: 'claude-sonnet-4-5-20250929',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason }],
    usage: {
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 100 },
      completion_tokens_details: { reasoning_tokens: 12 },
    },
  };
}

describe('chat.completion → Response', () => {
  it('answers text as one completed message item, with usage and the API defaults echoed', () => {
    const response = responseFromChat(completion({ content: 'Hello!' }, 'stop'), ctx);
    expectValid('Response', response);
    expect(response).toMatchObject({
      id: 'resp_abc',
      object: 'response',
      created_at: 1764750000,
      status: 'completed',
      completed_at: expect.any(Number),
      error: null,
      incomplete_details: null,
      instructions: null,
      max_output_tokens: null,
      model: 'claude-sonnet-4-5',
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: { effort: null, summary: null },
      store: true,
      temperature: 1,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: 1,
      truncation: 'disabled',
      metadata: {},
      usage: {
        input_tokens: 120,
        input_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 12 },
        total_tokens: 150,
      },
    });
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }],
      },
    ]);
    expect(response).not.toHaveProperty('output_text');
  });

  it('echoes the request settings the way the API does', () => {
    const settings = {
      model: 'm',
      input: 'x',
      instructions: 'Be terse.',
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.5,
      max_output_tokens: 64,
      metadata: { team: 'a' },
      previous_response_id: 'resp_prev',
      reasoning: { effort: 'low', summary: 'auto' },
      text: { format: { type: 'json_schema', name: 'r', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
      store: false,
      truncation: 'auto',
      user: 'u-1',
      prompt_cache_key: 'k',
    };
    const response = responseFromChat(completion({ content: '{}' }, 'stop'), { ...ctx, request: settings });
    expectValid('Response', response);
    expect(response).toMatchObject({
      instructions: 'Be terse.',
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object', properties: {} }, description: null, strict: null }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.5,
      max_output_tokens: 64,
      metadata: { team: 'a' },
      previous_response_id: 'resp_prev',
      reasoning: { effort: 'low', summary: 'auto' },
      text: settings.text,
      store: false,
      truncation: 'auto',
      user: 'u-1',
      prompt_cache_key: 'k',
    });
  });

  it('puts reasoning first, then the text, then one function_call item per tool call', () => {
    const chat = completion(
      {
        content: 'Checking both.',
        reasoning_content: 'The user wants two cities.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      'tool_calls',
    );
    const response = responseFromChat(chat, ctx);
    expectValid('Response', response);
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      { id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: 'The user wants two cities.' }] },
      expect.objectContaining({ type: 'message', content: [expect.objectContaining({ text: 'Checking both.' })] }),
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
    ]);
  });

  it('reads reasoning named `reasoning` (vLLM, OpenRouter) like reasoning_content', () => {
    const response = responseFromChat(completion({ content: 'Yes.', reasoning: 'Quick check.' }, 'stop'), ctx);
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Quick check.' }] }),
      expect.objectContaining({ type: 'message' }),
    ]);
  });

  it('has no message item when the answer is only tool calls', () => {
    const chat = completion({ content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'now', arguments: '{}' } }] }, 'tool_calls');
    expect((responseFromChat(chat, ctx).output as { type: string }[]).map((item) => item.type)).toEqual(['function_call']);
  });

  it('ends incomplete with max_output_tokens when the answer was cut by length', () => {
    const response = responseFromChat(completion({ content: 'Once upon a' }, 'length'), ctx);
    expectValid('Response', response);
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null });
    expect(response.output).toEqual([expect.objectContaining({ type: 'message', status: 'incomplete' })]);
  });

  it('ends incomplete with content_filter, and answers a refusal as a refusal part', () => {
    const filtered = responseFromChat(completion({ content: null }, 'content_filter'), ctx);
    expectValid('Response', filtered);
    expect(filtered.incomplete_details).toEqual({ reason: 'content_filter' });
    const refused = responseFromChat(completion({ content: null, refusal: 'I cannot help with that.' }, 'stop'), ctx);
    expectValid('Response', refused);
    expect(refused.output).toEqual([expect.objectContaining({ content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] })]);
  });

  it('answers an empty completion as one empty output_text, and leaves usage out when the chat had none', () => {
    const { usage: _usage, ...chat } = completion({ content: '' }, 'stop');
    const response = responseFromChat(chat, ctx);
    expectValid('Response', response);
    expect(response.output).toEqual([expect.objectContaining({ content: [{ type: 'output_text', text: '', annotations: [], logprobs: [] }] })]);
    expect(response).not.toHaveProperty('usage');
  });

  it('refuses an answer without a choice as a 502', () => {
    let error: unknown;
    try {
      responseFromChat({ choices: [] }, ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(502);
  });
});

describe('usage between the two shapes', () => {
  it('reads a Responses usage into the gateway Usage, keeping cache writes for pricing', () => {
    expect(
      usageFromResponses({
        input_tokens: 200,
        input_tokens_details: { cached_tokens: 150, cache_write_tokens: 20 },
        output_tokens: 40,
        output_tokens_details: { reasoning_tokens: 25 },
        total_tokens: 240,
      }),
    ).toEqual({
      prompt_tokens: 200,
      completion_tokens: 40,
      total_tokens: 240,
      prompt_tokens_details: { cached_tokens: 150 },
      completion_tokens_details: { reasoning_tokens: 25 },
      cache_creation_input_tokens: 20,
    });
    expect(usageFromResponses(undefined)).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('writes the gateway Usage (an Anthropic one included) as a valid ResponseUsage', () => {
    const usage = responsesUsageFrom({
      prompt_tokens: 1000,
      completion_tokens: 50,
      total_tokens: 1050,
      prompt_tokens_details: { cached_tokens: 800 },
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 800,
    });
    expectValid('ResponseUsage', usage);
    expect(usage).toEqual({
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 800, cache_write_tokens: 100 },
      output_tokens: 50,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 1050,
    });
  });
});
