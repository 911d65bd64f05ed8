/**
 * The Anthropic Messages API (/v1/messages, count_tokens) to Claude on Vertex AI, driven by the official Anthropic SDK
 * as Claude Code drives it: relayed natively — the Vertex body (`anthropic_version: "vertex-2023-10-16"`, no `model`)
 * at `:rawPredict` / `:streamRawPredict` with a service-account access token, anthropic-beta passed through — so
 * signed thinking blocks, cache_control and context_management survive both ways, and the answer comes back as
 * Anthropic's own bytes. count_tokens is Vertex's `count-tokens:rawPredict`. Every call is metered and priced.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { BetaMessageParam, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/beta/messages/messages';
import type { MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import { anthropicInputTokens } from './mock-providers/anthropic.ts';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import { testServiceAccount, type TestServiceAccount, vertexTokenGrants } from './mock-providers/vertex-token.ts';
import type { Admin, SpendLogJson } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;
let account: TestServiceAccount;

const ANTHROPIC = '/v1/projects/mock-project/locations/us-east5/publishers/anthropic/models';
const GOOGLE = '/v1/projects/mock-project/locations/us-central1/publishers/google/models';

const config = (mockUrl: string) => {
  account = testServiceAccount(mockUrl);
  const dir = mkdtempSync(join(tmpdir(), 'vertex-messages-e2e-'));
  const keyFile = join(dir, 'service-account.json');
  writeFileSync(keyFile, JSON.stringify(account.keyFile));
  return `
model_list:
  - model_name: claude-vertex
    litellm_params: { model: vertex_ai/claude-sonnet-4-5, api_base: "${mockUrl}${ANTHROPIC}/claude-sonnet-4-5", vertex_credentials: "${keyFile}" }
  - model_name: claude-vertex-overflow
    litellm_params: { model: vertex_ai/claude-sonnet-4-5-context-overflow, api_base: "${mockUrl}${ANTHROPIC}/claude-sonnet-4-5-context-overflow", vertex_credentials: "${keyFile}" }
  - model_name: claude-vertex-busy
    litellm_params: { model: vertex_ai/claude-sonnet-4-5-error-429, api_base: "${mockUrl}${ANTHROPIC}/claude-sonnet-4-5-error-429", vertex_credentials: "${keyFile}" }
  - model_name: gemini-vertex
    litellm_params: { model: vertex_ai/gemini-2.0-flash, api_base: "${mockUrl}${GOOGLE}/gemini-2.0-flash", vertex_credentials: "${keyFile}" }
general_settings:
  master_key: sk-1234
`;
};

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

type Json = Record<string, any>;

const BETAS = ['claude-code-20250219', 'interleaved-thinking-2025-05-14', 'context-management-2025-06-27'];
const client = () => new Anthropic({ apiKey: 'sk-1234', baseURL: gw.url, maxRetries: 0 });
const calls = (path: string): RecordedRequest[] => mock.requests.filter((r) => r.path === path);
const only = (path: string): RecordedRequest => {
  const found = calls(path);
  expect(found).toHaveLength(1);
  return found[0] as RecordedRequest;
};

const bashTool = {
  name: 'Bash',
  description: 'Run a shell command',
  input_schema: { type: 'object' as const, properties: { command: { type: 'string' } }, required: ['command'] },
};

/** Claude Code's history: a signed thinking block (and a redacted one) before a tool call, whose signature Claude checks when it comes back. */
const history: BetaMessageParam[] = [
  { role: 'user', content: [{ type: 'text', text: 'list the files' }] },
  {
    role: 'assistant',
    content: [
      { type: 'thinking', thinking: 'I should run ls.', signature: 'EqQBCkYIARgCKkD+/=sig-from-vertex-1' },
      { type: 'redacted_thinking', data: 'opaque-redacted-data' },
      { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } },
    ],
  },
  { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.txt b.txt' }] },
  { role: 'user', content: 'now show a.txt' },
];

function claudeCodeRequest(): MessageCreateParamsStreaming {
  return {
    model: 'claude-vertex',
    max_tokens: 32000,
    stream: true,
    betas: BETAS,
    system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
    messages: history,
    tools: [bashTool],
    thinking: { type: 'enabled', budget_tokens: 10000 },
    metadata: { user_id: 'user_abc_session_1' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  } as MessageCreateParamsStreaming;
}

/** What Vertex must receive for a Messages body: the same body, its version in it, the model only in the URL. */
function vertexBody(body: Json): Json {
  const { model: _model, betas: _betas, ...rest } = body;
  return { anthropic_version: 'vertex-2023-10-16', ...rest };
}

/** The access token the mock's token endpoint last issued to the test service account. */
function issuedBearer(): string {
  const grant = vertexTokenGrants.filter((g) => g.subject === account.clientEmail).at(-1);
  expect(grant?.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
  return `Bearer ${grant?.token}`;
}

function expectVertexHeaders(sent: RecordedRequest, betas?: string[]): void {
  expect(sent.headers.authorization).toBe(issuedBearer());
  // Vertex versions in the body and authenticates with the token: Anthropic's own headers would be refused or leak the gateway's key.
  expect(sent.headers['anthropic-version']).toBeUndefined();
  expect(sent.headers['x-api-key']).toBeUndefined();
  if (betas) expect(sent.headers['anthropic-beta']).toBe(betas.join(','));
}

async function spendRow(callId: string | null): Promise<SpendLogJson> {
  expect(callId).toMatch(/./);
  const { rows } = await api.spendLogs({ request_id: callId ?? '' });
  expect(rows).toHaveLength(1);
  return rows[0] as SpendLogJson;
}

/** claude-sonnet-4-5 on Vertex: $3 / $15 per million tokens (vertex_ai/claude-sonnet-4-5 in the price table). */
function expectPriced(row: SpendLogJson): void {
  expect(row).toMatchObject({ call_type: 'anthropic_messages', model: 'claude-sonnet-4-5', status: 'success' });
  expect(row.prompt_tokens).toBeGreaterThan(0);
  expect(row.completion_tokens).toBeGreaterThan(0);
  expect(row.spend).toBeCloseTo(row.prompt_tokens * 3e-6 + row.completion_tokens * 15e-6, 12);
}

describe('Claude Code to Claude on Vertex: relayed natively', () => {
  it('streams from :streamRawPredict with the Vertex body, the betas and a service-account token; thinking signatures pass byte for byte both ways', async () => {
    const body = claudeCodeRequest();
    const { data: stream, response } = await client().beta.messages.create(body).withResponse();
    const events: Json[] = [];
    for await (const event of stream) events.push(event as Json);

    const sent = only(`${ANTHROPIC}/claude-sonnet-4-5:streamRawPredict`);
    expect(sent.body).toEqual(vertexBody(body as Json));
    expect(JSON.stringify(sent.body)).toContain('"signature":"EqQBCkYIARgCKkD+/=sig-from-vertex-1"');
    expectVertexHeaders(sent, BETAS);
    expect(calls(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`)).toHaveLength(0);

    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block.type);
    expect(starts).toEqual(['thinking', 'tool_use']);
    const signature = events.find((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta')?.delta.signature;
    expect(signature).toBe(`sig_${Buffer.from('thinking about: now show a.txt').toString('base64')}`);
    expect(events.at(-1)).toEqual({ type: 'message_stop' });

    const row = await spendRow(response.headers.get('x-litellm-call-id'));
    expect(row).toMatchObject({ call_type: 'anthropic_messages', model: 'claude-sonnet-4-5', status: 'success' });
    expect(row.completion_tokens).toBeGreaterThan(0);
  });

  it("relays the stream's bytes as Vertex sent them (Anthropic's SSE events, no re-serialising)", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-1234', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-vertex',
        max_tokens: 2000,
        stream: true,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: 'sign this' }],
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const signature = `sig_${Buffer.from('thinking about: sign this').toString('base64')}`;
    expect(text).toContain(
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"${signature}"}}`,
    );
    expect(text.indexOf('event: message_start')).toBe(0);
  });

  it('non-streamed: :rawPredict, the signed thinking block and the tool call come back as Vertex answered; priced', async () => {
    const { stream: _stream, ...rest } = claudeCodeRequest();
    const body = { ...rest, max_tokens: 12000, stream: false as const, system: 'You are Claude Code.' };
    const { data: message, response } = await client().beta.messages.create(body).withResponse();

    const sent = only(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`);
    expect(sent.body).toEqual(vertexBody(body as Json));
    expectVertexHeaders(sent, BETAS);
    expect(message.content[0]).toEqual({
      type: 'thinking',
      thinking: 'thinking about: now show a.txt',
      signature: `sig_${Buffer.from('thinking about: now show a.txt').toString('base64')}`,
    });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'Bash', input: { echo: 'now show a.txt' } });
    expect(message.model).toBe('claude-sonnet-4-5');
    expectPriced(await spendRow(response.headers.get('x-litellm-call-id')));
  });

  it('round-trips a tool call: tool_use out, the tool_result in, a text answer', async () => {
    const ask: MessageParam = { role: 'user', content: 'what is in a.txt?' };
    const first = await client().messages.create({ model: 'claude-vertex', max_tokens: 200, tools: [bashTool], messages: [ask] });
    expect(first.stop_reason).toBe('tool_use');
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'Bash', id: expect.stringMatching(/^toolu_/) });
    if (toolUse?.type !== 'tool_use') throw new Error('no tool_use block');

    const followUp: MessageCreateParamsNonStreaming = {
      model: 'claude-vertex',
      max_tokens: 200,
      tools: [bashTool],
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'hello from a.txt' }] },
      ],
    };
    const second = await client().messages.create(followUp);
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content).toEqual([{ type: 'text', text: expect.any(String) }]);
    const sent = calls(`${ANTHROPIC}/claude-sonnet-4-5:rawPredict`).at(-1) as RecordedRequest;
    expect(sent.body).toEqual(vertexBody(followUp as Json));
  });

  it("relays Vertex Claude's own error (context overflow) in Anthropic's shape with its status", async () => {
    const failed = client().messages.create({ model: 'claude-vertex-overflow', max_tokens: 10, messages: [{ role: 'user', content: 'too long' }] });
    await expect(failed).rejects.toMatchObject({ status: 400, error: { type: 'error', error: { type: 'invalid_request_error' } } });
    expect(calls(`${ANTHROPIC}/claude-sonnet-4-5-context-overflow:rawPredict`)).toHaveLength(1);
  });

  it("Vertex's own quota error (Google's shape) becomes Anthropic's rate_limit_error, with Retry-After from its RetryInfo", async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-1234', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-vertex-busy', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Quota exceeded') } });
    expect(calls(`${ANTHROPIC}/claude-sonnet-4-5-error-429:rawPredict`).length).toBeGreaterThan(0);
  });

  it('a Gemini deployment on Vertex still answers through the chat translation', async () => {
    const message = await client().messages.create({ model: 'gemini-vertex', max_tokens: 50, messages: [{ role: 'user', content: 'hello gemini' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'echo: hello gemini' }]);
    expect(calls(`${GOOGLE}/gemini-2.0-flash:generateContent`)).toHaveLength(1);
  });
});

describe('count_tokens on Vertex', () => {
  it("Claude: Vertex's count-tokens:rawPredict with the model in the body; its count relayed", async () => {
    const request = {
      model: 'claude-vertex',
      system: 'You are Claude Code.',
      messages: [{ role: 'user' as const, content: 'count these few words' }],
      tools: [bashTool],
    };
    const counted = await client().messages.countTokens(request);

    const sent = only(`${ANTHROPIC}/count-tokens:rawPredict`);
    expect(sent.body).toEqual({ ...request, model: 'claude-sonnet-4-5' });
    expectVertexHeaders(sent);
    expect(counted.input_tokens).toBe(anthropicInputTokens(sent.body as Json));
  });

  it('Gemini: estimated by the gateway, nothing sent upstream', async () => {
    const counted = await client().messages.countTokens({ model: 'gemini-vertex', messages: [{ role: 'user', content: 'count these few words' }] });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(mock.requests.filter((r) => r.path.includes('/publishers/'))).toHaveLength(0);
  });
});
