import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { expectValid } from '../../../../e2e/support/openapi.ts';
import { type ResponseEvent, ResponseEventsFromChat, sseFrame } from './stream-from-chat.ts';

const request = { model: 'claude-sonnet-4-5', input: 'Hi', stream: true };
const ctx = { id: 'resp_stream1', createdAt: 1764750000, request, model: 'claude-sonnet-4-5' };

function chunk(delta: Record<string, unknown>, finish_reason: string | null = null): Record<string, unknown> {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1764750001, model: 'x', choices: [{ index: 0, delta, finish_reason }] };
}

const usageChunk = {
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1764750001,
  model: 'x',
  choices: [],
  usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59, prompt_tokens_details: { cached_tokens: 0 } },
};

/** Runs a whole stream through the translator; every event must be a valid ResponseStreamEvent, numbered 0, 1, 2, … */
function run(chunks: Record<string, unknown>[], end: (stream: ResponseEventsFromChat) => ResponseEvent[] = (s) => s.finish()) {
  const stream = new ResponseEventsFromChat(ctx);
  const events = [...stream.start(), ...chunks.flatMap((c) => stream.push(c)), ...end(stream)];
  for (const event of events) expectValid('ResponseStreamEvent', event);
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
  return { stream, events, types: events.map((event) => event.type) };
}

/** The official openai SDK, answered with the events as an SSE body. */
function sdkClient(events: ResponseEvent[]): OpenAI {
  const body = events.map(sseFrame).join('');
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://gateway.test/v1',
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

/** The SDK's streaming helper reading the frames: the events it saw and its accumulated final response. */
async function sdkFinalResponse(events: ResponseEvent[]) {
  const client = sdkClient(events);
  const seen: string[] = [];
  const stream = client.responses.stream({ model: 'claude-sonnet-4-5', input: 'Hi' });
  for await (const event of stream) seen.push(event.type);
  return { seen, final: await stream.finalResponse() };
}

describe('chat stream → Responses events', () => {
  it('streams a text answer: created, in_progress, the message item, deltas, done events, completed with usage', async () => {
    const { stream, events, types } = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo!' }),
      chunk({}, 'stop'),
      usageChunk,
    ]);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[0]).toMatchObject({ response: { id: 'resp_stream1', status: 'in_progress', output: [] } });
    expect(events[2]).toMatchObject({ output_index: 0, item: { type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
    const itemId = (events[2] as unknown as { item: { id: string } }).item.id;
    expect(events[4]).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0, delta: 'Hel', logprobs: [] });
    expect(events[6]).toMatchObject({ item_id: itemId, text: 'Hello!' });
    const completed = events.at(-1) as unknown as { response: Record<string, unknown> };
    expect(completed.response).toMatchObject({
      status: 'completed',
      output: [{ id: itemId, type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }] }],
      usage: { input_tokens: 50, output_tokens: 9, total_tokens: 59 },
    });
    expect(stream.response()).toEqual(completed.response);

    const { seen, final } = await sdkFinalResponse(events);
    expect(seen).toEqual(types);
    expect(final.output_text).toBe('Hello!');
    expect(final.status).toBe('completed');
  });

  it('streams two parallel tool calls as two function_call items with their argument deltas', async () => {
    const { events, types } = run([
      chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_P', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_R', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2]).toMatchObject({
      output_index: 0,
      item: { type: 'function_call', status: 'in_progress', call_id: 'call_P', name: 'weather', arguments: '' },
    });
    expect(events[5]).toMatchObject({ output_index: 1, item: { call_id: 'call_R' } });
    expect(events[7]).toMatchObject({ output_index: 0, name: 'weather', arguments: '{"city":"Paris"}' });
    expect(events[9]).toMatchObject({ output_index: 1, arguments: '{"city":"Rome"}' });
    const output = (events.at(-1) as unknown as { response: { output: unknown[] } }).response.output;
    expect(output).toEqual([
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: 'call_P', name: 'weather', arguments: '{"city":"Paris"}' },
      { id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: 'call_R', name: 'weather', arguments: '{"city":"Rome"}' },
    ]);

    const { final } = await sdkFinalResponse(events);
    // The SDK adds parsed_arguments to function calls; the rest is what the gateway sent.
    expect(final.output).toMatchObject(output);
  });

  it('streams reasoning as a summary before the text, closing it when the text starts', async () => {
    const { events, types } = run([
      chunk({ reasoning_content: 'Think' }),
      chunk({ reasoning_content: 'ing.' }),
      chunk({ content: 'Answer.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'now', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[6]).toMatchObject({ output_index: 0, summary_index: 0, text: 'Thinking.' });
    const response = (events.at(-1) as unknown as { response: { output: { type: string }[] } }).response;
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }] });

    const { final } = await sdkFinalResponse(events);
    expect(final.output_text).toBe('Answer.');
    expect(final.output[0]).toEqual(response.output[0]);
  });

  it('ends with response.incomplete (max_output_tokens) and incomplete items when cut by length', () => {
    const { events, types } = run([chunk({ content: 'Once upon a' }), chunk({}, 'length')]);
    expect(types.at(-1)).toBe('response.incomplete');
    expect(events.at(-2)).toMatchObject({ type: 'response.output_item.done', item: { status: 'incomplete' } });
    expect(events.at(-1)).toMatchObject({ response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null } });
  });

  it('uses the usage it is given over the stream usage chunk', () => {
    const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
    const { events } = run([chunk({ content: 'x' }), chunk({}, 'stop'), usageChunk], (s) => s.finish(usage));
    expect(events.at(-1)).toMatchObject({ response: { usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 } } });
  });

  it('streams an empty answer as one empty message, like the JSON answer', () => {
    const { types, events } = run([chunk({}, 'stop')]);
    expect(types.slice(2)).toEqual([
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.at(-1)).toMatchObject({ response: { output: [{ content: [{ type: 'output_text', text: '' }] }] } });
  });

  it('streams a refusal as a refusal part', () => {
    const { types, events } = run([chunk({ refusal: 'I cannot ' }), chunk({ refusal: 'help.' }), chunk({}, 'stop')]);
    expect(types).toContain('response.refusal.delta');
    expect(events.find((event) => event.type === 'response.refusal.done')).toMatchObject({ refusal: 'I cannot help.' });
    expect(events.at(-1)).toMatchObject({ response: { output: [{ content: [{ type: 'refusal', refusal: 'I cannot help.' }] }] } });
  });

  it('fails with an error event and response.failed carrying the output so far', async () => {
    const { stream, events, types } = run([chunk({ content: 'Partial' })], (s) =>
      s.fail({ message: 'The upstream provider closed the connection.', code: 'upstream_error', status: 502 }),
    );
    expect(types.slice(-2)).toEqual(['error', 'response.failed']);
    expect(events.at(-2)).toMatchObject({ code: 'upstream_error', message: 'The upstream provider closed the connection.', param: null });
    const failed = (events.at(-1) as unknown as { response: Record<string, unknown> }).response;
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'server_error', message: 'The upstream provider closed the connection.' },
      output: [{ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'Partial' }] }],
    });
    expect(stream.response()).toEqual(failed);
    expect(stream.finish()).toEqual([]);

    // The SDK's plain stream yields both events; its streaming helper rejects with the message.
    const seen: string[] = [];
    for await (const event of await sdkClient(events).responses.create({ model: 'm', input: 'Hi', stream: true })) seen.push(event.type);
    expect(seen.slice(-2)).toEqual(['error', 'response.failed']);
    await expect(sdkFinalResponse(events)).rejects.toThrow('The upstream provider closed the connection.');
  });

  it('reports a rate limit as rate_limit_exceeded', () => {
    const { events } = run([], (s) => s.fail({ message: 'Slow down.', status: 429 }));
    expect(events.at(-1)).toMatchObject({ response: { error: { code: 'rate_limit_exceeded' } } });
    expect(events.at(-2)).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('frames an event as SSE with its type as the event name', () => {
    expect(sseFrame({ type: 'response.output_text.delta', sequence_number: 4, delta: 'a' })).toBe(
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":4,"delta":"a"}\n\n',
    );
  });
});
