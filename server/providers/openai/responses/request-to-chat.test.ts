import { describe, expect, it } from 'vitest';
import { gatewayErrorFrom as refusal } from '../../../test-support/fixtures.ts';
import { conversationFrom, inputItemsOf } from './items.ts';
import { responsesRequestToChat } from './request-to-chat.ts';
import { functionTool as fnTool } from './test-tools.ts';

/** What Codex sends on a follow-up turn: its instructions, a developer message, history with a reasoning item and a call. */
const codexRequest = {
  model: 'claude-sonnet-4-5',
  instructions: 'You are Codex, a coding agent.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>sandboxed</permissions instructions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd=/repo</environment_context>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files.' }] },
    { type: 'reasoning', summary: [{ type: 'summary_text', text: 'I should run ls.' }], content: null, encrypted_content: 'gAAAAB-opaque' },
    { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_A' },
    { type: 'function_call_output', call_id: 'call_A', output: 'README.md\nsrc' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Two entries.' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Now read the README.' }] },
  ],
  tools: ['shell', 'apply_patch', 'update_plan', 'view_image', 'read_file', 'list_dir', 'grep', 'write_file', 'web_fetch', 'todo'].map(fnTool),
  tool_choice: 'auto',
  parallel_tool_calls: true,
  reasoning: { effort: 'high', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: '7f1c2a7e-0b5e-4a8e-9d51-3f5b8c1e2d40',
  text: { verbosity: 'low' },
};

describe('Responses request → chat completions body', () => {
  it('translates a Codex turn: instructions first, developer as system, the call and its output, settings', () => {
    const chat = responsesRequestToChat(codexRequest);
    expect(chat.messages).toEqual([
      { role: 'system', content: 'You are Codex, a coding agent.' },
      { role: 'system', content: '<permissions instructions>sandboxed</permissions instructions>' },
      { role: 'user', content: '<environment_context>cwd=/repo</environment_context>' },
      { role: 'user', content: 'List the files.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_A', type: 'function', function: { name: 'shell', arguments: '{"command":["ls"]}' } }] },
      { role: 'tool', tool_call_id: 'call_A', content: 'README.md\nsrc' },
      { role: 'assistant', content: 'Two entries.' },
      { role: 'user', content: 'Now read the README.' },
    ]);
    expect(chat.tools).toHaveLength(10);
    expect((chat.tools as unknown[])[0]).toEqual({
      type: 'function',
      function: { name: 'shell', description: 'The shell tool.', parameters: fnTool('shell').parameters, strict: false },
    });
    const { messages: _m, tools: _t, ...settings } = chat;
    expect(settings).toEqual({
      model: 'claude-sonnet-4-5',
      tool_choice: 'auto',
      parallel_tool_calls: true,
      reasoning_effort: 'high',
      prompt_cache_key: '7f1c2a7e-0b5e-4a8e-9d51-3f5b8c1e2d40',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("translates the AI SDK's default request: system message, image part, json_schema format, function tool choice", () => {
    const chat = responsesRequestToChat({
      model: 'gemini-2.5-pro',
      input: [
        { role: 'system', content: 'You extract data.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this picture?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' },
          ],
        },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"arg":"cat"}' },
        { type: 'function_call', call_id: 'call_2', name: 'lookup', arguments: '{"arg":"dog"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a cat' },
        { type: 'function_call_output', call_id: 'call_2', output: 'a dog' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 512,
      text: { format: { type: 'json_schema', strict: true, name: 'response', description: 'The answer', schema: { type: 'object' } } },
      tools: [fnTool('lookup')],
      tool_choice: { type: 'function', name: 'lookup' },
      user: 'user-42',
      metadata: { team: 'a' },
      store: true,
    });
    expect(chat).toEqual({
      model: 'gemini-2.5-pro',
      messages: [
        { role: 'system', content: 'You extract data.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"arg":"cat"}' } },
            { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"arg":"dog"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'a cat' },
        { role: 'tool', tool_call_id: 'call_2', content: 'a dog' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'The lookup tool.', parameters: fnTool('lookup').parameters, strict: false } }],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 512,
      user: 'user-42',
      response_format: { type: 'json_schema', json_schema: { name: 'response', description: 'The answer', schema: { type: 'object' }, strict: true } },
    });
  });

  it("puts the previous chain first and leaves the previous response's instructions out", () => {
    const firstInput = inputItemsOf({ input: 'Hi' });
    const firstOutput = [
      { id: 'msg_out', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] },
    ];
    const history = conversationFrom([{ inputItems: firstInput, output: firstOutput }], []);
    const chat = responsesRequestToChat({ model: 'm', instructions: 'Now be terse.', previous_response_id: 'resp_1', input: 'And now?' }, history);
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Now be terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'And now?' },
    ]);
  });

  it('translates the input items it is given (the ones the caller stores) and resolves references from the store', () => {
    const body = {
      model: 'm',
      input: [
        { type: 'item_reference', id: 'msg_stored' },
        { role: 'user', content: 'More?' },
      ],
    };
    const inputItems = inputItemsOf(body);
    const stored = new Map([
      ['msg_stored', { id: 'msg_stored', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Earlier answer.' }] }],
    ]);
    expect(responsesRequestToChat(body, [], stored, inputItems).messages).toEqual([
      { role: 'assistant', content: 'Earlier answer.' },
      { role: 'user', content: 'More?' },
    ]);
    expect(refusal(() => responsesRequestToChat(body)).message).toBe("Item with id 'msg_stored' not found.");
  });

  it('maps json_object and text formats, and required / none tool choices', () => {
    expect(responsesRequestToChat({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).response_format).toEqual({ type: 'json_object' });
    expect(responsesRequestToChat({ model: 'm', input: 'x', text: { format: { type: 'text' } } })).not.toHaveProperty('response_format');
    expect(responsesRequestToChat({ model: 'm', input: 'x', tools: [fnTool('a')], tool_choice: 'required' }).tool_choice).toBe('required');
    expect(responsesRequestToChat({ model: 'm', input: 'x', tools: [fnTool('a')], tool_choice: 'none' }).tool_choice).toBe('none');
  });

  it('narrows the tools to an allowed_tools choice and takes its mode', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: 'x',
      tools: [fnTool('a'), fnTool('b'), fnTool('c')],
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'b' }] },
    });
    expect((chat.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['b']);
    expect(chat.tool_choice).toBe('required');
  });

  it('sends no tool settings without tools, and a function tool without parameters takes an empty object schema', () => {
    const without = responsesRequestToChat({ model: 'm', input: 'x', tools: [], tool_choice: 'auto', parallel_tool_calls: false });
    expect(without).not.toHaveProperty('tools');
    expect(without).not.toHaveProperty('tool_choice');
    expect(without).not.toHaveProperty('parallel_tool_calls');
    const bare = responsesRequestToChat({ model: 'm', input: 'x', tools: [{ type: 'function', name: 'now' }] });
    expect(bare.tools).toEqual([{ type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } }]);
  });

  it('drops reasoning items and keeps images from a function output as a user message after the tool messages', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'hmm' }] },
        { type: 'function_call', call_id: 'c1', name: 'view_image', arguments: '{}' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'the screenshot' },
            { type: 'input_image', image_url: 'https://example.com/s.png' },
          ],
        },
        { role: 'user', content: 'What do you see?' },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'view_image', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'the screenshot' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/s.png' } }] },
      { role: 'user', content: 'What do you see?' },
    ]);
  });

  it('keeps a refusal in the history as assistant text and a base64 file as a chat file part', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: [
        { role: 'user', content: [{ type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' }] },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }] },
      { role: 'assistant', content: 'I cannot help with that.' },
    ]);
  });

  it('leaves out metadata, store, include, truncation and unknown fields', () => {
    const chat = responsesRequestToChat({
      model: 'm',
      input: 'x',
      metadata: { a: 'b' },
      store: true,
      include: [],
      truncation: 'auto',
      service_tier: 'flex',
      frobnicate: 1,
    });
    expect(Object.keys(chat).sort()).toEqual(['messages', 'model']);
  });
});
