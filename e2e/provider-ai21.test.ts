/**
 * AI21 Studio (Jamba) through a real gateway, driven by the official openai SDK: chat, stream + usage chunk,
 * system, tools round trip, AI21's parameters, error mapping and priced spend rows.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { AI21_PATH, type MockProviders } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: jamba
    litellm_params: { model: ai21/jamba-mini-1.7, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: jamba-large
    litellm_params: { model: ai21_chat/jamba-large-1.7, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key, documents: [{ content: "house rules" }] }
  - model_name: busy
    litellm_params: { model: ai21/jamba-error-429, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: broken
    litellm_params: { model: ai21/jamba-error-500, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: overflow
    litellm_params: { model: ai21/jamba-context-overflow, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: blocked
    litellm_params: { model: ai21/jamba-content-policy, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const sentBodies = () => mock.requests.filter((r) => r.path === AI21_PATH).map((r) => r.body as Record<string, any>);
const weather: OpenAI.Chat.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('AI21 chat', () => {
  it('answers with system prompt in OpenAI’s shape, usage as reported, a priced spend row', async () => {
    const { data, response } = await gw
      .client('sk-1234')
      .chat.completions.create({
        model: 'jamba',
        max_completion_tokens: 50,
        user: 'someone',
        messages: [
          { role: 'system', content: 'Be kind.' },
          { role: 'user', content: 'hello jamba' },
        ],
      })
      .withResponse();
    expectValid('CreateChatCompletionResponse', data);
    expect(data.choices[0]?.message.content).toBe('echo: hello jamba');
    expect(data.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    const [sent] = sentBodies();
    expect(sent).toEqual({
      model: 'jamba-mini-1.7',
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'hello jamba' },
      ],
    });
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer ai21-upstream-key');
    const { rows } = await api.spendLogs({ request_id: response.headers.get('x-litellm-call-id')! });
    expect(rows[0]?.spend).toBeCloseTo(4 * 2e-7 + 3 * 4e-7, 12);
  });

  it('streams chunk by chunk with the usage chunk last, through ai21_chat/ with its documents default', async () => {
    const stream = await gw.client('sk-1234').chat.completions.create({
      model: 'jamba-large',
      stream: true,
      stream_options: { include_usage: true },
      n: 1,
      messages: [{ role: 'user', content: 'stream it now' }],
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('echo: stream it now');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
    expect(sentBodies()[0]).toMatchObject({ model: 'jamba-large-1.7', stream: true, n: 1, documents: [{ content: 'house rules' }] });
  });

  it('round-trips a tool call with its id and finish_reason tool_calls', async () => {
    const client = gw.client('sk-1234');
    const first = await client.chat.completions.create({ model: 'jamba', tools: [weather], messages: [{ role: 'user', content: 'Oslo weather' }] });
    expectValid('CreateChatCompletionResponse', first);
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"echo":"Oslo weather"}' } });
    const second = await client.chat.completions.create({
      model: 'jamba',
      tools: [weather],
      messages: [{ role: 'user', content: 'Oslo weather' }, first.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: 'snow' }],
    });
    expect(second.choices[0]?.message.content).toBe('echo: snow');
    expect(sentBodies()[1]?.messages[1].tool_calls[0].id).toBe(call!.id);
  });

  it('refuses parameters Jamba cannot take', async () => {
    await expect(
      gw.client('sk-1234').chat.completions.create({ model: 'jamba', presence_penalty: 0.5, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'presence_penalty',
    });
    expect(sentBodies()).toHaveLength(0);
  });
});

describe('AI21 errors', () => {
  const ask = (model: string) => gw.client('sk-1234').chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });

  it('429 with Retry-After, 5xx as upstream error, context overflow and safety with their codes', async () => {
    const busy = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'busy', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(busy.status).toBe(429);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    await expect(ask('broken')).rejects.toMatchObject({ status: 502 });
    await expect(ask('overflow')).rejects.toMatchObject({ status: 400, code: 'context_length_exceeded' });
    await expect(ask('blocked')).rejects.toMatchObject({ status: 400, code: 'content_policy_violation' });
  });
});
