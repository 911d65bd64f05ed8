/**
 * Codex's tool shapes on a chat-served deployment: the "responses-lite" request (tools in an additional_tools input
 * item, a namespace of custom and function tools, no top-level tools) and the classic one (top-level tools with a
 * namespace and web_search). Custom tools travel as function tools with one `input` string and come back as
 * custom_tool_call items.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { expectValid } from '../../../../e2e/support/openapi.ts';
import { inputItemsOf } from './items.ts';
import { responsesRequestToChat } from './request-to-chat.ts';
import { responseFromChat } from './response-from-chat.ts';
import { ResponseEventsFromChat, sseFrame } from './stream-from-chat.ts';
import { functionTool } from './test-tools.ts';

const exec = { type: 'custom', name: 'exec', description: 'Run JavaScript code.', format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } };
const namespace = { type: 'namespace', name: 'functions', description: '', tools: [exec, functionTool('read_file')] };

const liteRequest = {
  model: 'gpt-6.2-sol',
  stream: true,
  input: [
    { type: 'additional_tools', id: 'at_1', role: 'developer', tools: [namespace] },
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'You are Codex.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context/>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Print 1.' }] },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'low', context: 'all_turns' },
  store: false,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'thread-1',
  text: { verbosity: 'low' },
  client_metadata: { originator: 'codex_exec' },
};
const ctx = { id: 'resp_codex', createdAt: 1764750000, request: liteRequest, model: 'gpt-6.2-sol' };

const execChatTool = {
  type: 'function',
  function: {
    name: 'exec',
    description: 'Run JavaScript code.\n\nThe input must follow this lark grammar:\nstart: /.+/',
    parameters: {
      type: 'object',
      properties: { input: { type: 'string', description: 'The raw input for the tool, as free-form text (not JSON-encoded).' } },
      required: ['input'],
      additionalProperties: false,
    },
  },
};

function chatAnswer(toolCalls: unknown[]): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: toolCalls }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

describe("Codex's tools through chat", () => {
  it('offers the tools of an additional_tools item, custom ones as a function with one input string', () => {
    expect(inputItemsOf(liteRequest).map((item) => item.type)).toEqual(['additional_tools', 'message', 'message', 'message']);
    const chat = responsesRequestToChat(liteRequest);
    expect(chat.tools).toEqual([
      execChatTool,
      {
        type: 'function',
        function: { name: 'read_file', description: 'The read_file tool.', parameters: functionTool('read_file').parameters, strict: false },
      },
    ]);
    expect(chat.messages).toEqual([
      { role: 'system', content: 'You are Codex.' },
      { role: 'user', content: '<environment_context/>' },
      { role: 'user', content: 'Print 1.' },
    ]);
    expect(chat).toMatchObject({ tool_choice: 'auto', parallel_tool_calls: false, reasoning_effort: 'low', prompt_cache_key: 'thread-1' });
    expect(chat).not.toHaveProperty('client_metadata');
  });

  it('flattens a top-level namespace and leaves out web_search (the classic shape)', () => {
    const request = { model: 'gpt-4o', input: 'hi', tools: [functionTool('shell'), namespace, { type: 'web_search', external_web_access: false }] };
    const chat = responsesRequestToChat(request);
    expect((chat.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['shell', 'exec', 'read_file']);
    // The Response echoes the tools as the client sent them.
    const response = responseFromChat(chatAnswer([{ id: 'c', type: 'function', function: { name: 'shell', arguments: '{}' } }]), { ...ctx, request });
    expectValid('Response', response);
    expect(response.tools).toEqual([functionTool('shell'), namespace, request.tools[2]]);
  });

  it('answers a call of a custom tool as a custom_tool_call with its namespace, and of a function as a function_call', () => {
    const response = responseFromChat(
      chatAnswer([
        { id: 'call_1', type: 'function', function: { name: 'exec', arguments: '{"input":"console.log(1)"}' } },
        { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{"arg":"a.txt"}' } },
      ]),
      ctx,
    );
    expectValid('Response', response);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^ctc_/),
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'call_1',
        name: 'exec',
        namespace: 'functions',
        input: 'console.log(1)',
      },
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        call_id: 'call_2',
        name: 'read_file',
        namespace: 'functions',
        arguments: '{"arg":"a.txt"}',
      },
    ]);
  });

  it('streams a custom tool call, its input told whole when it closes', async () => {
    const stream = new ResponseEventsFromChat(ctx);
    const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason }],
    });
    const events = [
      ...stream.start(),
      ...stream.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'exec', arguments: '' } }] })),
      ...stream.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"input":"console' } }] })),
      ...stream.push(chunk({ tool_calls: [{ index: 0, function: { arguments: '.log(1)"}' } }] })),
      ...stream.push(chunk({}, 'tool_calls')),
      ...stream.finish(),
    ];
    for (const event of events) expectValid('ResponseStreamEvent', event);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2]).toMatchObject({ item: { type: 'custom_tool_call', status: 'in_progress', name: 'exec', input: '' } });
    expect(events[4]).toMatchObject({ input: 'console.log(1)' });
    const output = stream.response().output;
    expect(output).toEqual([
      expect.objectContaining({ type: 'custom_tool_call', call_id: 'call_1', name: 'exec', namespace: 'functions', input: 'console.log(1)' }),
    ]);

    const body = events.map(sseFrame).join('');
    const client = new OpenAI({
      apiKey: 'k',
      baseURL: 'http://gateway.test/v1',
      fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    });
    const final = await client.responses.stream({ model: 'gpt-6.2-sol', input: 'x' }).finalResponse();
    expect(final.output).toEqual(output);
  });

  it('sends a custom call and its output back as a chat tool call with its input and a tool message', () => {
    const chat = responsesRequestToChat({
      ...liteRequest,
      input: [
        ...liteRequest.input,
        { type: 'custom_tool_call', call_id: 'call_1', name: 'exec', namespace: 'functions', input: 'console.log(1)' },
        { type: 'custom_tool_call_output', call_id: 'call_1', output: '1' },
      ],
    });
    expect((chat.messages as unknown[]).slice(-2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'exec', arguments: '{"input":"console.log(1)"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '1' },
    ]);
  });

  it('names same-named tools of two namespaces apart and maps their calls back', () => {
    const request = {
      model: 'm',
      input: 'x',
      tools: [
        { type: 'namespace', name: 'fs', description: '', tools: [functionTool('read')] },
        { type: 'namespace', name: 'web', description: '', tools: [functionTool('read')] },
      ],
    };
    expect((responsesRequestToChat(request).tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['fs__read', 'web__read']);
    const response = responseFromChat(chatAnswer([{ id: 'c', type: 'function', function: { name: 'web__read', arguments: '{}' } }]), { ...ctx, request });
    expect(response.output).toEqual([expect.objectContaining({ type: 'function_call', name: 'read', namespace: 'web' })]);
    const next = responsesRequestToChat({ ...request, input: [{ type: 'function_call', call_id: 'c', name: 'read', namespace: 'web', arguments: '{}' }] });
    expect(next.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'web__read', arguments: '{}' } }] },
    ]);
  });
});
