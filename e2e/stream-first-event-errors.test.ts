/**
 * A streamed call whose upstream opens a 200 stream and fails in its first event is a plain HTTP error, so the
 * router's retries and fallbacks apply to streams as to whole answers: Gemini's safety block
 * (promptFeedback.blockReason in streamGenerateContent's first event) goes to content_policy_fallbacks or is a 400
 * content_policy_violation; a ConverseStream whose first message is a throttlingException is a 429 with
 * Retry-After, retried on another deployment and fallen back from. Through a real gateway, with the openai SDK,
 * on the shared mocks (AI Studio) and the framed mock (Bedrock, SigV4 checked).
 */
import { APIError } from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import { EXCEPTION_MESSAGE, type FramedMockProviders, startFramedMockProviders } from './mock-providers/framed-server.ts';
import type { MockProviders } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { testServiceAccount } from './mock-providers/vertex-token.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';

let framed: FramedMockProviders;
beforeAll(async () => {
  framed = await startFramedMockProviders();
});
afterAll(() => framed?.close());
beforeEach(() => framed?.reset());

let mock: MockProviders;
let gw: TestGateway;

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const VERTEX_MODELS = '/v1/projects/mock-project/locations/us-central1/publishers/google/models';
const config = (mockUrl: string) => {
  const gemini = (model: string) => `{ model: gemini/${model}, api_base: "${mockUrl}/v1beta", api_key: AIza-upstream-key }`;
  // Vertex AI's Gemini: a service account the mock's token endpoint trusts.
  const vertex = (model: string) =>
    `{ model: vertex_ai/${model}, api_base: "${mockUrl}${VERTEX_MODELS}/${model}", vertex_credentials: '${JSON.stringify(testServiceAccount(mockUrl).keyFile)}' }`;
  const bedrock = (model: string, extra = '') =>
    `{ model: bedrock/${model}, api_base: "${framed.url}", aws_access_key_id: ${accessKeyId}, aws_secret_access_key: "${secretAccessKey}", aws_region_name: us-east-1${extra} }`;
  return `
model_list:
  - model_name: flash
    litellm_params: ${gemini('gemini-2.5-flash')}
  - model_name: guarded
    litellm_params: ${gemini('flash-content-policy')}
  - model_name: guarded-alone
    litellm_params: ${gemini('flash-content-policy')}
  - model_name: vertex-guarded
    litellm_params: ${vertex('gemini-2.0-flash-content-policy')}
  - model_name: vertex-flash
    litellm_params: ${vertex('gemini-2.0-flash')}
  - model_name: claude
    litellm_params: ${bedrock('anthropic.claude-3-haiku')}
  - model_name: throttled-alone
    litellm_params: ${bedrock('anthropic.claude-alone-first-exception')}
  - model_name: throttled
    litellm_params: ${bedrock('anthropic.claude-falls-first-exception')}
  # Picked first (a million to one): the retry goes to the group's other deployment.
  - model_name: shared
    litellm_params: ${bedrock('anthropic.claude-shared-first-exception', ', weight: 1000000')}
  - model_name: shared
    litellm_params: ${bedrock('anthropic.claude-shared-good', ', weight: 1')}
litellm_settings:
  num_retries: 0
  content_policy_fallbacks: [{ guarded: [flash] }, { vertex-guarded: [vertex-flash] }]
  fallbacks: [{ throttled: [claude] }]
general_settings:
  master_key: sk-1234
`;
};

withGatewayOnMocks(config, {}, (started) => {
  ({ mock, gw } = started);
});

/** `num_retries`: LiteLLM's per-request field (the SDK sends fields it does not know as they are). */
const streamOf = (model: string, numRetries?: number) => {
  const params: ChatCompletionCreateParamsStreaming = {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'one two' }],
  };
  return gw
    .client('sk-1234')
    .chat.completions.create(numRetries === undefined ? params : (Object.assign(params, { num_retries: numRetries }) as typeof params));
};

async function contentOf(model: string, numRetries?: number): Promise<string> {
  let text = '';
  for await (const chunk of await streamOf(model, numRetries)) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

const post = (path: string, body: Record<string, unknown>) =>
  fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' }, body: JSON.stringify(body) });

const geminiStreams = () => mock.requests.filter((r) => r.path.endsWith(':streamGenerateContent')).map((r) => r.model);

describe('Gemini: a prompt blocked in the first event of a stream', () => {
  it('goes to content_policy_fallbacks: the client streams the fallback’s answer', async () => {
    expect(await contentOf('guarded')).toBe('echo: one two');
    expect(geminiStreams()).toEqual(['flash-content-policy', 'gemini-2.5-flash']);
  });

  it('without a fallback is an HTTP 400 content_policy_violation, not a 200 with an error event', async () => {
    const res = await post('/v1/chat/completions', { model: 'guarded-alone', stream: true, messages: [{ role: 'user', content: 'one two' }] });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expectValid('ErrorResponse', body);
    expect(body.error.code).toBe('content_policy_violation');
    expect(body.error.message).toMatch(/the prompt was blocked \(SAFETY\)/);
    const error = await streamOf('guarded-alone').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, code: 'content_policy_violation' });
  });

  it('on Vertex AI goes to content_policy_fallbacks the same way', async () => {
    expect(await contentOf('vertex-guarded')).toBe('echo: one two');
    expect(geminiStreams()).toEqual(['gemini-2.0-flash-content-policy', 'gemini-2.0-flash']);
  });

  it('is an HTTP 400 on the Anthropic Messages and Responses surfaces too (their chat path)', async () => {
    const messages = await post('/v1/messages', { model: 'guarded-alone', stream: true, max_tokens: 50, messages: [{ role: 'user', content: 'one two' }] });
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const responses = await post('/v1/responses', { model: 'guarded-alone', stream: true, input: 'one two' });
    expect(responses.status).toBe(400);
    expect(await responses.json()).toMatchObject({ error: { code: 'content_policy_violation' } });
  });
});

describe('Bedrock: a ConverseStream whose first message is a throttlingException', () => {
  it('is an HTTP 429 with Retry-After when nothing else can serve it', async () => {
    const res = await post('/v1/chat/completions', { model: 'throttled-alone', stream: true, messages: [{ role: 'user', content: 'one two' }] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expectValid('ErrorResponse', body);
    expect(body.error.message).toContain(EXCEPTION_MESSAGE);
  });

  it('falls back: the client streams the fallback’s answer', async () => {
    expect(await contentOf('throttled')).toBe('echo: one two');
    expect(framed.requests.map((r) => r.target)).toEqual(['anthropic.claude-falls-first-exception', 'anthropic.claude-3-haiku']);
  });

  it('is retried on the group’s other deployment', async () => {
    expect(await contentOf('shared', 1)).toBe('echo: one two');
    expect(framed.requests.map((r) => r.target)).toEqual(['anthropic.claude-shared-first-exception', 'anthropic.claude-shared-good']);
  });
});
