import { describe, it, expect } from 'vitest';
import { gatewayErrorFrom } from '../../test-support/fixtures.ts';
import { anthropicProvider } from './index.ts';
import { buildMessagesRequest, messagesUrl } from './request.ts';
import { chatContext } from './test-fixtures.ts';

type Body = Record<string, any>;

function sent(body: Record<string, unknown>, options: Parameters<typeof chatContext>[1] = {}): Body {
  return JSON.parse(buildMessagesRequest(chatContext(body, options)).body ?? '{}');
}

const hello = [{ role: 'user', content: 'Hello' }];

describe('anthropic request: URL and headers', () => {
  it('posts to /v1/messages with Anthropic headers and the deployment headers', () => {
    const request = buildMessagesRequest(chatContext({ messages: hello }, { deployment: { headers: { 'Anthropic-Beta': 'prompt-caching' } } }));
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.anthropic.com/v1/messages');
    expect(request.headers).toMatchObject({
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'anthropic-beta': 'prompt-caching',
    });
  });

  it('builds the URL from any api_base form without doubling /v1', () => {
    expect(messagesUrl('')).toBe('https://api.anthropic.com/v1/messages');
    expect(messagesUrl('https://proxy.local/anthropic/')).toBe('https://proxy.local/anthropic/v1/messages');
    expect(messagesUrl('https://proxy.local/v1')).toBe('https://proxy.local/v1/messages');
    expect(messagesUrl('https://proxy.local/v1/')).toBe('https://proxy.local/v1/messages');
  });

  it('offers chat only, and a one-token health probe', () => {
    expect(Object.keys(anthropicProvider.endpoints)).toEqual(['chat']);
    const probe = anthropicProvider.healthProbe!(chatContext({}).deployment);
    expect(probe.url).toBe('https://api.anthropic.com/v1/messages');
    expect(JSON.parse(probe.body!)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'ping' }],
    });
  });
});

describe('anthropic request: body', () => {
  it('uses the upstream model, a default max_tokens and passes sampling params', () => {
    const body = sent({ messages: hello, temperature: 0.2, top_p: 0.9, top_k: 40, user: 'u-1', stream_options: { include_usage: true } });
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      max_tokens: 4096,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'u-1' },
    });
  });

  it('takes max_tokens, else max_completion_tokens, and sets stream from the call', () => {
    expect(sent({ messages: hello, max_tokens: 10, max_completion_tokens: 20 }).max_tokens).toBe(10);
    expect(sent({ messages: hello, max_completion_tokens: 20 }).max_tokens).toBe(20);
    expect(sent({ messages: hello, stream: true }, { stream: true }).stream).toBe(true);
    expect(sent({ messages: hello }).stream).toBeUndefined();
  });

  it('moves system and developer messages to top-level system', () => {
    expect(sent({ messages: [{ role: 'system', content: 'Be brief.' }, ...hello] }).system).toBe('Be brief.');
    const body = sent({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use French.', cache_control: { type: 'ephemeral' } }] },
        ...hello,
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use French.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toHaveLength(1);
  });

  it('translates data: and http(s) image URLs', () => {
    const body = sent({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
          ],
        },
      ],
    });
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
    const bad = gatewayErrorFrom(() => sent({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }));
    expect(bad.status).toBe(400);
    expect(bad.param).toBe('messages[0].content[0].image_url.url');
  });

  it('translates tools, tool calls and merged tool results', () => {
    const body = sent({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'rainy' }] },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'Get weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
        { type: 'function', function: { name: 'now' } },
      ],
    });
    expect(body.tools).toEqual([
      { name: 'weather', description: 'Get weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'rainy' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('answers 400 with the param when tool call arguments are not JSON', () => {
    const error = gatewayErrorFrom(() =>
      sent({
        messages: [...hello, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[1].tool_calls[0].function.arguments');
  });

  it('maps tool_choice and parallel_tool_calls', () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const choice = (extra: Record<string, unknown>) => sent({ messages: hello, tools, ...extra }).tool_choice;
    expect(choice({ tool_choice: 'auto' })).toEqual({ type: 'auto' });
    expect(choice({ tool_choice: 'required' })).toEqual({ type: 'any' });
    expect(choice({ tool_choice: 'none' })).toEqual({ type: 'none' });
    expect(choice({ tool_choice: { type: 'function', function: { name: 'f' } } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice({})).toBeUndefined();
    expect(choice({ parallel_tool_calls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice({ tool_choice: 'required', parallel_tool_calls: false })).toEqual({ type: 'any', disable_parallel_tool_use: true });
    // No tools: no tool_choice either, since Anthropic rejects one without the other.
    expect(sent({ messages: hello, tools: [], tool_choice: 'auto' }).tool_choice).toBeUndefined();
  });

  it('maps stop to stop_sequences', () => {
    expect(sent({ messages: hello, stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(sent({ messages: hello, stop: ['A', 'B', '\n'] }).stop_sequences).toEqual(['A', 'B']);
    expect(sent({ messages: hello, stop: null }).stop_sequences).toBeUndefined();
  });
});

describe('anthropic request: parameters Anthropic cannot take', () => {
  it('answers 400 naming the parameter and drop_params', () => {
    for (const [param, value] of [
      ['seed', 1],
      ['n', 2],
      ['presence_penalty', 0.5],
      ['logprobs', true],
      ['response_format', { type: 'json_object' }],
    ] as const) {
      const error = gatewayErrorFrom(() => sent({ messages: hello, [param]: value }));
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe(param);
      expect(error.message).toContain('Anthropic');
      expect(error.message).toContain('drop_params: true');
    }
  });

  it('drops them when drop_params is set', () => {
    const body = sent(
      { messages: hello, seed: 1, n: 3, frequency_penalty: 1, logit_bias: { '1': 2 }, top_logprobs: 2, response_format: { type: 'json_object' } },
      { deployment: { dropParams: true } },
    );
    for (const param of ['seed', 'n', 'frequency_penalty', 'logit_bias', 'top_logprobs', 'response_format']) {
      expect(body).not.toHaveProperty(param);
    }
  });

  it('turns reasoning_effort into a thinking budget, growing a default max_tokens and fitting under a given one', () => {
    expect(sent({ messages: hello, reasoning_effort: 'low' })).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 2048 }, max_tokens: 2048 + 4096 });
    expect(sent({ messages: hello, reasoning_effort: 'high', max_tokens: 64000 })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 24576 },
      max_tokens: 64000,
    });
    expect(sent({ messages: hello, reasoning_effort: 'medium', max_tokens: 3000 })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2999 },
      max_tokens: 3000,
    });
    expect(sent({ messages: hello, reasoning_effort: 'none' })).not.toHaveProperty('thinking');
    expect(sent({ messages: hello, reasoning_effort: 'high' })).not.toHaveProperty('reasoning_effort');
    // Anthropic's own parameter wins.
    expect(sent({ messages: hello, reasoning_effort: 'high', thinking: { type: 'enabled', budget_tokens: 1500 } }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 1500,
    });
    const tooSmall = gatewayErrorFrom(() => sent({ messages: hello, reasoning_effort: 'low', max_tokens: 500 }));
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.param).toBe('reasoning_effort');
    expect(sent({ messages: hello, reasoning_effort: 'low', max_tokens: 500 }, { deployment: { dropParams: true } })).not.toHaveProperty('thinking');
  });

  it('with reasoning_effort, temperature 1 is left out and another temperature or top_k refused unless drop_params', () => {
    expect(sent({ messages: hello, reasoning_effort: 'low', temperature: 1 })).not.toHaveProperty('temperature');
    for (const param of ['temperature', 'top_k']) {
      const error = gatewayErrorFrom(() => sent({ messages: hello, reasoning_effort: 'low', [param]: 0.5 }));
      expect([error.status, error.param]).toEqual([400, param]);
      expect(sent({ messages: hello, reasoning_effort: 'low', [param]: 0.5 }, { deployment: { dropParams: true } })).not.toHaveProperty(param);
    }
    // Without thinking, sampling goes as it is.
    expect(sent({ messages: hello, temperature: 0.5, top_k: 3 })).toMatchObject({ temperature: 0.5, top_k: 3 });
  });

  it('sends signed thinking_blocks of an assistant turn back first, and leaves unsigned reasoning out', () => {
    const assistant = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      thinking_blocks: [
        { type: 'thinking', thinking: 'plan', signature: 'sig' },
        { type: 'thinking', thinking: 'from elsewhere', signature: '' },
        { type: 'redacted_thinking', data: 'enc' },
      ],
    };
    const body = sent({ messages: [...hello, assistant, { role: 'tool', tool_call_id: 'toolu_1', content: 'ok' }] });
    expect(body.messages[1].content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: 'sig' },
      { type: 'redacted_thinking', data: 'enc' },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
    ]);
  });

  it('accepts neutral values and passes Anthropic-native extras through', () => {
    const body = sent({ messages: hello, n: 1, presence_penalty: 0, logprobs: false, seed: null, thinking: { type: 'enabled', budget_tokens: 2048 } });
    expect(body).not.toHaveProperty('n');
    expect(body).not.toHaveProperty('presence_penalty');
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });
});
