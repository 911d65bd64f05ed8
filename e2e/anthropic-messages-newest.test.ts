/**
 * What the newest Claude Code sends, driven with the official Anthropic SDK (`client.beta.messages`, so
 * `POST /v1/messages?beta=true` with `anthropic-beta`): a streamed request with tools, `role: "system"`
 * entries inside `messages[]`, extended thinking with signed thinking blocks in the history, cache_control
 * and context_management. To an Anthropic deployment it is relayed as it was sent; to an OpenAI deployment
 * it is translated into a chat call and the answer back into Anthropic events. Both are metered.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { BetaMessageParam, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import type { Admin, SpendLogJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: claude-sonnet-4-5
    litellm_params: { model: anthropic/claude-sonnet-4-5-20250929, api_base: "${mockUrl}", api_key: sk-ant-up }
  - model_name: claude-defaults
    litellm_params: { model: anthropic/claude-sonnet-4-5-20250929, api_base: "${mockUrl}", api_key: sk-ant-up, temperature: 0.3, top_k: 7, extra_body: { service_tier: standard_only } }
  - model_name: gpt-5
    litellm_params: { model: openai/gpt-5, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
  - model_name: gpt-4o-dropping
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-openai-up, drop_params: true }
  - model_name: llama
    litellm_params: { model: hosted_vllm/llama-3.1-8b, api_base: "${mockUrl}", api_key: sk-vllm-up }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

type Json = Record<string, any>;

/** Claude Code's own betas: they reach an Anthropic deployment as the anthropic-beta header. */
const BETAS = ['claude-code-20250219', 'interleaved-thinking-2025-05-14', 'context-management-2025-06-27'];

const client = () => new Anthropic({ apiKey: 'sk-1234', baseURL: gw.url, maxRetries: 0 });

const bashTool = {
  name: 'Bash',
  description: 'Run a shell command',
  input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] },
};

/** A conversation as Claude Code keeps it: signed thinking before a tool call, its result, then a system reminder mid-conversation. */
const conversation: BetaMessageParam[] = [
  { role: 'user', content: [{ type: 'text', text: 'list the files', cache_control: { type: 'ephemeral' } }] },
  {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'I should run ls.', signature: 'sig-from-anthropic-1' },
      { type: 'redacted_thinking', data: 'opaque-redacted-data' },
      { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } },
    ],
  },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.txt b.txt' }] },
  { role: 'assistant', content: 'There are two files.' },
  { role: 'system', content: 'The user switched to plan mode.' },
  { role: 'user', content: 'now show a.txt' },
];

function claudeCodeRequest(model: string): MessageCreateParamsStreaming {
  return {
    model,
    max_tokens: 32000,
    stream: true,
    betas: BETAS,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages: conversation,
    tools: [bashTool],
    thinking: { type: 'enabled', budget_tokens: 10000 },
    // What Claude Code sends with thinking on; an OpenAI reasoning model takes only its default, so it is left out there.
    temperature: 1,
    metadata: { user_id: 'user_abc_session_1' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  } as MessageCreateParamsStreaming;
}

/** Sends the request as the SDK streams it; returns the final message, every event, and the call id. */
async function streamWithSdk(body: MessageCreateParamsStreaming) {
  const { data: stream, response } = await client().beta.messages.create(body).withResponse();
  const events: Json[] = [];
  for await (const event of stream) events.push(event as Json);
  return { events, callId: response.headers.get('x-litellm-call-id') };
}

async function spendRow(callId: string | null): Promise<SpendLogJson> {
  expect(callId).toBeTruthy();
  const { rows } = await api.spendLogs({ request_id: callId! });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

function expectMetered(row: SpendLogJson, model: string): void {
  expect(row).toMatchObject({ call_type: 'anthropic_messages', model, status: 'success' });
  expect(row.prompt_tokens).toBeGreaterThan(0);
  expect(row.completion_tokens).toBeGreaterThan(0);
  expect(row.spend).toBeGreaterThan(0);
}

describe('Claude Code to an Anthropic deployment: relayed as sent', () => {
  it('accepts ?beta=true; keeps system-role messages, thinking blocks and their signatures, and the betas; answers thinking first', async () => {
    const body = claudeCodeRequest('claude-sonnet-4-5');
    const { events, callId } = await streamWithSdk(body);

    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe('/v1/messages');
    const { betas: _betas, ...sent } = body;
    expect(upstream.body).toEqual({ ...sent, model: 'claude-sonnet-4-5-20250929' });
    expect(upstream.headers['anthropic-beta']).toBe(BETAS.join(','));
    expect(upstream.headers['x-api-key']).toBe('sk-ant-up');

    // Thinking was on, so the answer opens with a signed thinking block, then the tool call.
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block.type);
    expect(starts).toEqual(['thinking', 'tool_use']);
    const deltas = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.type);
    expect(deltas).toContain('thinking_delta');
    expect(deltas).toContain('signature_delta');

    expectMetered(await spendRow(callId), 'claude-sonnet-4-5-20250929');
  });

  it('non-streamed: the thinking block comes back with its signature', async () => {
    const { stream: _stream, betas, ...rest } = claudeCodeRequest('claude-sonnet-4-5');
    // Under the SDK's limit for a non-streamed call (it refuses ones that may run past ten minutes).
    const message = await client().beta.messages.create({ ...rest, betas, max_tokens: 12000, stream: false });
    expect(message.content[0]).toEqual({ type: 'thinking', thinking: 'thinking about: now show a.txt', signature: expect.stringMatching(/^sig_./) });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'Bash' });
  });

  it('passes server tools and document blocks as they are', async () => {
    const tools = [
      { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      { type: 'bash_20250124', name: 'bash' },
      { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
      bashTool,
    ];
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, cache_control: { type: 'ephemeral' } };
    const body = { model: 'claude-sonnet-4-5', max_tokens: 100, tools, messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'summarise' }] }] };
    await client().messages.create(body as MessageCreateParamsNonStreaming);
    expect(mock.requests[0]!.body).toEqual({ ...body, model: 'claude-sonnet-4-5-20250929' });
  });

  it("merges the deployment's litellm_params defaults under the request's own values", async () => {
    // temperature is still in Anthropic's API reference, though this SDK version's types no longer list it.
    const request = {
      model: 'claude-defaults',
      max_tokens: 50,
      temperature: 0.9,
      messages: [{ role: 'user', content: 'hi' }],
    } as MessageCreateParamsNonStreaming;
    const message = await client().messages.create(request);
    expect(message.type).toBe('message');
    expect(mock.requests[0]!.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 50,
      temperature: 0.9,
      top_k: 7,
      service_tier: 'standard_only',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });
});

describe('Claude Code to an OpenAI deployment: translated', () => {
  it('sends a chat call with the system messages in place and thinking as reasoning_effort; streams Anthropic events back', async () => {
    const { events, callId } = await streamWithSdk(claudeCodeRequest('gpt-5'));

    const upstream = mock.requests[0]!;
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'system', content: 'You are Claude Code.' },
        { role: 'user', content: 'list the files' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_01', content: 'a.txt b.txt' },
        { role: 'assistant', content: 'There are two files.' },
        { role: 'system', content: 'The user switched to plan mode.' },
        { role: 'user', content: 'now show a.txt' },
      ],
      // gpt-5 is a reasoning model: OpenAI takes its limit as max_completion_tokens.
      max_completion_tokens: 32000,
      user: 'user_abc_session_1',
      reasoning_effort: 'medium',
      tools: [{ type: 'function', function: { name: 'Bash', description: 'Run a shell command', parameters: bashTool.input_schema } }],
      stream: true,
      stream_options: { include_usage: true },
    });

    expect(events[0]).toMatchObject({ type: 'message_start', message: { role: 'assistant', model: 'gpt-5' } });
    // The chat answer's reasoning_content comes back as a thinking block first (unsigned: OpenAI signs nothing), then the tool call.
    const starts = events.filter((e) => e.type === 'content_block_start');
    expect(starts.map((e) => e.content_block)).toEqual([
      { type: 'thinking', thinking: '', signature: '' },
      { type: 'tool_use', id: expect.any(String), name: 'Bash', input: {} },
    ]);
    const deltasOf = (index: number) => events.filter((e) => e.type === 'content_block_delta' && e.index === index).map((e) => e.delta);
    expect(deltasOf(0).every((d) => d.type === 'thinking_delta')).toBe(true);
    expect(
      deltasOf(0)
        .map((d) => d.thinking)
        .join(''),
    ).toBe('thinking about: now show a.txt');
    const json = deltasOf(1)
      .map((d) => d.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ echo: 'now show a.txt' });
    expect(events.find((e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: expect.any(Number) } });
    expect(events.at(-1)).toEqual({ type: 'message_stop' });

    expectMetered(await spendRow(callId), 'gpt-5');
  });

  it('a model that cannot reason: thinking is refused naming the parameter, or dropped with drop_params', async () => {
    const refused = client().beta.messages.create(claudeCodeRequest('gpt-4o'));
    await expect(refused).rejects.toMatchObject({
      status: 400,
      error: { type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('`thinking`') } },
    });
    expect(mock.requests).toHaveLength(0);

    const { callId } = await streamWithSdk(claudeCodeRequest('gpt-4o-dropping'));
    const sent = mock.requests[0]!.body as Json;
    expect(sent.reasoning_effort).toBeUndefined();
    expect(sent.messages.filter((m: Json) => m.role === 'system')).toHaveLength(2);
    expectMetered(await spendRow(callId), 'gpt-4o');
  });

  it('a server tool (web search) is refused with a 400 naming its type', async () => {
    const body = {
      ...claudeCodeRequest('gpt-5'),
      tools: [bashTool, { type: 'web_search_20250305', name: 'web_search', max_uses: 3 }],
    } as MessageCreateParamsStreaming;
    await expect(client().beta.messages.create(body)).rejects.toMatchObject({
      status: 400,
      error: { error: { type: 'invalid_request_error', message: expect.stringContaining('web_search_20250305') } },
    });
    expect(mock.requests).toHaveLength(0);
  });

  it('keeps what each provider can express: a PDF as a file part and top_k where taken, else a 400 naming it', async () => {
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'a.pdf' };
    const withPdf = (model: string) =>
      ({ model, max_tokens: 100, messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'summarise' }] }] }) as MessageCreateParamsNonStreaming;

    await client().messages.create(withPdf('gpt-4o'));
    expect((mock.requests[0]!.body as Json).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'a.pdf' } },
          { type: 'text', text: 'summarise' },
        ],
      },
    ]);
    await expect(client().messages.create(withPdf('llama'))).rejects.toMatchObject({
      status: 400,
      error: { error: { type: 'invalid_request_error', message: expect.stringMatching(/^messages\.0\.content\.0: a `document` block/) } },
    });

    mock.reset();
    const topK = (model: string) => ({ model, max_tokens: 100, top_k: 5, messages: [{ role: 'user', content: 'hi' }] }) as MessageCreateParamsNonStreaming;
    await client().messages.create(topK('llama'));
    expect((mock.requests[0]!.body as Json).top_k).toBe(5);
    await expect(client().messages.create(topK('gpt-4o'))).rejects.toMatchObject({
      status: 400,
      error: { error: { message: expect.stringContaining('`top_k`') } },
    });
    expect(mock.requests).toHaveLength(1);
  });

  it('count_tokens is estimated with system messages and tools counted', async () => {
    const base = { model: 'gpt-5', messages: [{ role: 'user' as const, content: 'count me' }] };
    const plain = await client().messages.countTokens(base);
    const withSystem = await client().messages.countTokens({ ...base, messages: [{ role: 'system', content: 'a long reminder text here' }, ...base.messages] });
    const withTools = await client().messages.countTokens({ ...base, tools: [bashTool] });
    expect(plain.input_tokens).toBeGreaterThan(0);
    expect(withSystem.input_tokens).toBeGreaterThan(plain.input_tokens);
    expect(withTools.input_tokens).toBeGreaterThan(plain.input_tokens);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('what Anthropic rejects is rejected, in its words, before any upstream call', () => {
  async function refused(body: Json): Promise<string> {
    const res = await fetch(`${gw.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-1234', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as Json;
    expect(answer).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.any(String) } });
    expect(mock.requests).toHaveLength(0);
    return answer.error.message as string;
  }
  const hi = { model: 'claude-sonnet-4-5', max_tokens: 2048, messages: [{ role: 'user', content: 'hi' }] };

  it('a role other than user, assistant or system', async () => {
    expect(await refused({ ...hi, messages: [{ role: 'tool', content: 'x' }] })).toBe('messages.0.role: must be one of: user, assistant, system');
  });

  it('a system message holding anything but text', async () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } };
    expect(await refused({ ...hi, messages: [{ role: 'system', content: [image] }, ...hi.messages] })).toBe(
      'messages.0.content.0.type: Input should be "text"',
    );
  });

  it('a thinking budget under 1024, or not under max_tokens', async () => {
    expect(await refused({ ...hi, thinking: { type: 'enabled', budget_tokens: 500 } })).toBe(
      'thinking.budget_tokens: Input should be greater than or equal to 1024',
    );
    expect(await refused({ ...hi, thinking: { type: 'enabled', budget_tokens: 4096 } })).toBe('`max_tokens` must be greater than `thinking.budget_tokens`.');
  });

  it('an unknown service tier', async () => {
    expect(await refused({ ...hi, service_tier: 'priority' })).toBe('service_tier: must be one of: auto, standard_only');
  });
});
