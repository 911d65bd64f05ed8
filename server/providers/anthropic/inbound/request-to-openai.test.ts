import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../core/errors.ts';
import { toOpenAIChatBody } from './request-to-openai.ts';

const base = { model: 'claude-sonnet-4-5', max_tokens: 256 };

function translate(extra: Record<string, unknown>) {
  return toOpenAIChatBody({ ...base, messages: [{ role: 'user', content: 'hi' }], ...extra });
}

describe('Anthropic request → OpenAI chat body', () => {
  it('carries system, sampling parameters, stop sequences and the user id', () => {
    const body = translate({
      system: [
        { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be kind.' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['###'],
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'Be brief.\n\nBe kind.' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      stop: ['###'],
      user: 'user-7',
    });
  });

  it('asks for usage when streaming', () => {
    expect(translate({ stream: true })).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('turns images and documents into content parts', () => {
    const body = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'a.pdf' },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
          { type: 'text', text: 'plain words' },
        ],
      },
    ]);
  });

  it('turns tool_use blocks into tool_calls and tool_result blocks into tool messages before the rest of the turn', () => {
    const body = translate({
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: '18°C' },
                { type: 'image', source: { type: 'url', url: 'https://x/map.png' } },
              ],
            },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'no data', is_error: true }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'weather in Paris?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://x/map.png' } },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no data' },
    ]);
  });

  it('turns tools into function tools and maps every tool_choice', () => {
    const tools = [
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'noop' },
    ];
    const body = translate({ tools, tool_choice: { type: 'auto', disable_parallel_tool_use: true } });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: tools[0]!.input_schema } },
      { type: 'function', function: { name: 'noop', parameters: { type: 'object', properties: {} } } },
    ]);
    expect(body.tool_choice).toBe('auto');
    expect(body.parallel_tool_calls).toBe(false);
    expect(translate({ tools, tool_choice: { type: 'any' } }).tool_choice).toBe('required');
    expect(translate({ tools, tool_choice: { type: 'none' } }).tool_choice).toBe('none');
    expect(translate({ tools, tool_choice: { type: 'tool', name: 'noop' } }).tool_choice).toEqual({ type: 'function', function: { name: 'noop' } });
    expect(translate({ tools: [] })).not.toHaveProperty('tools');
  });

  it('refuses what only Anthropic can run, naming where it is', () => {
    const serverTool = () => translate({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] });
    expect(serverTool).toThrow(GatewayError);
    expect(serverTool).toThrow(/tools\.0\.type/);
    const block = () => translate({ messages: [{ role: 'user', content: [{ type: 'search_result', content: [] }] }] });
    expect(block).toThrow(/messages\.0\.content\.0\.type/);
    expect(() => translate({ tool_choice: { type: 'maybe' }, tools: [{ name: 'a' }] })).toThrow(/tool_choice\.type/);
  });
});
