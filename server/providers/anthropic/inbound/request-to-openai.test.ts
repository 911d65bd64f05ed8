import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../core/errors.ts';
import { testDeployment } from '../../../test-support/fixtures.ts';
import { OPENAI_REQUEST_PARAMS } from '../../openai/params.ts';
import { toOpenAIChatBody, type ChatTarget } from './request-to-openai.ts';

const base = { model: 'claude-sonnet-4-5', max_tokens: 256 };

/** An OpenAI reasoning model (gpt-5-like) unless overridden. */
function target(overrides: Partial<ChatTarget> = {}, dropParams = false): ChatTarget {
  return {
    deployment: testDeployment({ provider: 'openai', upstreamModel: 'gpt-5', dropParams }),
    providerLabel: 'OpenAI',
    accepts: new Set(OPENAI_REQUEST_PARAMS),
    reasons: true,
    takesFiles: true,
    maxTokensField: 'max_tokens',
    defaultSamplingOnly: false,
    ...overrides,
  };
}

function translate(extra: Record<string, unknown>, to: ChatTarget = target()) {
  return toOpenAIChatBody({ ...base, messages: [{ role: 'user', content: 'hi' }], ...extra }, to);
}

describe('Anthropic request → OpenAI chat body', () => {
  it('carries system, sampling parameters, stop sequences and the user id', () => {
    const body = translate(
      {
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
        service_tier: 'standard_only',
      },
      target({ accepts: new Set([...OPENAI_REQUEST_PARAMS, 'top_k']) }),
    );
    expect(body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'Be brief.\n\nBe kind.' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 5,
      stop: ['###'],
      user: 'user-7',
      reasoning_effort: 'low',
      service_tier: 'default',
    });
  });

  it('puts role: "system" messages in place as chat system messages, cache_control left out', () => {
    const body = translate({
      system: 'Top.',
      messages: [
        { role: 'user', content: 'one' },
        { role: 'system', content: [{ type: 'text', text: 'Mid.', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'two' },
        { role: 'system', content: 'Late.' },
        { role: 'user', content: 'three' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Top.' },
      { role: 'user', content: 'one' },
      { role: 'system', content: 'Mid.' },
      { role: 'assistant', content: 'two' },
      { role: 'system', content: 'Late.' },
      { role: 'user', content: 'three' },
    ]);
    expect(() => translate({ messages: [{ role: 'system', content: [{ type: 'image', source: {} }] }] })).toThrow(/messages\.0\.content\.0/);
  });

  it('maps the thinking budget to a reasoning effort (below 4096 low, below 16384 medium, else high); adaptive is medium', () => {
    const effort = (thinking: unknown) => translate({ thinking, max_tokens: 64000 }).reasoning_effort;
    expect(effort({ type: 'enabled', budget_tokens: 4095 })).toBe('low');
    expect(effort({ type: 'enabled', budget_tokens: 4096 })).toBe('medium');
    expect(effort({ type: 'enabled', budget_tokens: 16383 })).toBe('medium');
    expect(effort({ type: 'enabled', budget_tokens: 31999 })).toBe('high');
    expect(effort({ type: 'adaptive' })).toBe('medium');
    expect(effort({ type: 'disabled' })).toBeUndefined();
    // output_config.effort is the explicit level and wins.
    expect(translate({ thinking: { type: 'enabled', budget_tokens: 2000 }, output_config: { effort: 'max' } }).reasoning_effort).toBe('high');
  });

  it('a model that cannot reason: enabled thinking is a 400 naming `thinking` unless drop_params; adaptive is just left out', () => {
    const plain = target({ reasons: false });
    const enabled = { thinking: { type: 'enabled', budget_tokens: 2000 } };
    expect(() => translate(enabled, plain)).toThrow(/`thinking`/);
    expect(translate(enabled, target({ reasons: false }, true))).not.toHaveProperty('reasoning_effort');
    expect(translate({ thinking: { type: 'adaptive' } }, plain)).not.toHaveProperty('reasoning_effort');
  });

  it('an OpenAI reasoning model: temperature and top_p 1 are left out, any other value refused unless drop_params', () => {
    const fixed = target({ defaultSamplingOnly: true });
    expect(translate({ temperature: 1, top_p: 1 }, fixed)).not.toHaveProperty('temperature');
    expect(() => translate({ temperature: 0.2 }, fixed)).toThrow(/`temperature`/);
    expect(translate({ temperature: 0.2 }, target({ defaultSamplingOnly: true }, true))).not.toHaveProperty('temperature');
  });

  it('uses max_completion_tokens where the target asks for it', () => {
    const body = translate({}, target({ maxTokensField: 'max_completion_tokens' }));
    expect(body.max_completion_tokens).toBe(256);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('leaves out hints, refuses what the target cannot express unless drop_params', () => {
    const hints = translate({
      cache_control: { type: 'ephemeral' },
      context_management: { edits: [] },
      speed: 'fast',
      diagnostics: { previous_message_id: null },
    });
    expect(Object.keys(hints).sort()).toEqual(['max_tokens', 'messages', 'model']);
    for (const extra of [{ top_k: 5 }, { container: 'c1' }, { mcp_servers: [{ name: 'x' }] }, { inference_geo: 'us' }, { output_config: { task_budget: 1 } }]) {
      const param = Object.keys(extra)[0]!;
      let thrown: unknown;
      try {
        translate(extra);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, param).toBeInstanceOf(GatewayError);
      expect((thrown as GatewayError).status).toBe(400);
      expect((thrown as GatewayError).message).toContain(`\`${param === 'output_config' ? 'output_config.task_budget' : param}\``);
      expect(Object.keys(translate(extra, target({}, true))).sort()).toEqual(['max_tokens', 'messages', 'model']);
    }
  });

  it('turns output_config.format into a strict json_schema response_format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(translate({ output_config: { format: { type: 'json_schema', schema } } }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema, strict: true },
    });
  });

  it('documents (PDF) need a target that takes file parts: else a 400 naming the block', () => {
    const pdf = { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' } }] };
    expect(() => translate({ messages: [pdf] }, target({ takesFiles: false }))).toThrow(/messages\.0\.content\.0: a `document` block/);
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
    for (const type of ['code_execution_20250825', 'bash_20250124', 'text_editor_20250728', 'computer_20250124']) {
      expect(() => translate({ tools: [{ type, name: 'x' }] })).toThrow(new RegExp(`\`${type}\``));
    }
    const block = () => translate({ messages: [{ role: 'user', content: [{ type: 'search_result', content: [] }] }] });
    expect(block).toThrow(/messages\.0\.content\.0\.type/);
    expect(() => translate({ tool_choice: { type: 'maybe' }, tools: [{ name: 'a' }] })).toThrow(/tool_choice\.type/);
  });
});
