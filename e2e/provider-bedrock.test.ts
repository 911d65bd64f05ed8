/**
 * AWS Bedrock through a real gateway, driven by the official openai SDK, against the framed mock (Converse JSON,
 * ConverseStream event-stream, InvokeModel embeddings) which checks every request's SigV4 signature by
 * recomputing it: chat, stream with usage, system, tools round trip, images, parameters under Converse's names,
 * embeddings, error mapping, priced spend rows; credentials from litellm_params, the environment, or a Bedrock
 * API key.
 */
import { describe, expect, it } from 'vitest';
import { withGatewayOnFramedMocks } from './support/gateway-per-file.ts';
import { AWS_TEST_CREDENTIALS, AWS_TEST_SESSION_CREDENTIALS, BEDROCK_TEST_API_KEY } from './mock-providers/bedrock-sigv4.ts';
import type { FramedMockProviders, FramedRequest } from './mock-providers/framed-server.ts';
import { mockEmbedding } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const signed = `aws_access_key_id: ${accessKeyId}, aws_secret_access_key: "${secretAccessKey}", aws_region_name: us-east-1`;

const config = (url: string) => `
model_list:
  - model_name: claude
    litellm_params: { model: bedrock/${HAIKU}, aws_bedrock_runtime_endpoint: "${url}", ${signed} }
  - model_name: claude-env
    litellm_params: { model: bedrock/us.${HAIKU}, api_base: "${url}" }
  - model_name: claude-session
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", aws_access_key_id: ${AWS_TEST_SESSION_CREDENTIALS.accessKeyId}, aws_secret_access_key: "${AWS_TEST_SESSION_CREDENTIALS.secretAccessKey}", aws_session_token: "${AWS_TEST_SESSION_CREDENTIALS.sessionToken}" }
  - model_name: claude-key
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", api_key: ${BEDROCK_TEST_API_KEY} }
  - model_name: claude-wrong-secret
    litellm_params: { model: bedrock/${HAIKU}, api_base: "${url}", aws_access_key_id: ${accessKeyId}, aws_secret_access_key: not-the-secret }
  - model_name: nova
    litellm_params: { model: bedrock/converse/us.amazon.nova-micro-v1:0, api_base: "${url}", ${signed}, top_k: 20 }
  - model_name: titan-embed
    litellm_params: { model: bedrock/amazon.titan-embed-text-v2:0, api_base: "${url}", ${signed} }
  - model_name: cohere-embed
    litellm_params: { model: bedrock/cohere.embed-english-v3, api_base: "${url}", ${signed} }
  - model_name: busy
    litellm_params: { model: bedrock/anthropic.claude-error-429, api_base: "${url}", ${signed} }
  - model_name: broken
    litellm_params: { model: bedrock/anthropic.claude-error-500, api_base: "${url}", ${signed} }
  - model_name: overflow
    litellm_params: { model: bedrock/anthropic.claude-context-overflow, api_base: "${url}", ${signed} }
  - model_name: blocked
    litellm_params: { model: bedrock/anthropic.claude-content-policy, api_base: "${url}", ${signed} }
  - model_name: denied
    litellm_params: { model: bedrock/anthropic.claude-error-403, api_base: "${url}", ${signed} }
  - model_name: missing
    litellm_params: { model: bedrock/anthropic.claude-error-404, api_base: "${url}", ${signed} }
  - model_name: unavailable
    litellm_params: { model: bedrock/anthropic.claude-error-503, api_base: "${url}", ${signed} }
  - model_name: throttled-stream
    litellm_params: { model: bedrock/anthropic.claude-exception, api_base: "${url}", ${signed} }
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

let mock: FramedMockProviders;
let gw: TestGateway;
let api: Admin;

withGatewayOnFramedMocks(
  config,
  { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: 'eu-west-1' },
  { dataDir: true },
  (started) => {
    ({ mock, gw, api } = started);
  },
);

const client = () => gw.client('sk-1234');
const last = (): FramedRequest => mock.requests.at(-1)!;

describe('Bedrock chat', () => {
  it('answers through Converse, signed (SigV4 over host:port), with system apart, usage and a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello bedrock' },
        ],
        max_tokens: 100,
        temperature: 0.3,
      },
      { content: 'echo: hello bedrock', finishReason: 'stop', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const sent = last();
    expect(sent.status).toBe(200);
    expect(sent.path).toBe(`/model/${encodeURIComponent(HAIKU)}/converse`);
    expect(sent.headers.host).toBe(new URL(mock.url).host);
    expect(sent.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request`));
    expect(sent.body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'hello bedrock' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3 },
    });
    await contract.expectPricedSpendRow(api, requestId, 4 * 2.5e-7 + 3 * 1.25e-6, { prompt_tokens: 4, completion_tokens: 3 });
  });

  it('streams ConverseStream chunk by chunk with the usage chunk last, priced', async () => {
    const { requestId } = await contract.expectStream(
      client(),
      { model: 'claude', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] },
      { text: 'echo: stream me please', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    expect(last().path).toBe(`/model/${encodeURIComponent(HAIKU)}/converse-stream`);
    await contract.expectPricedSpendRow(api, requestId, 3 * 2.5e-7 + 4 * 1.25e-6);
  });

  it('round-trips a tool call: toolUse id kept, finish_reason tool_calls, the toolResult answered', async () => {
    const { call } = await contract.expectToolRoundTrip(client(), { model: 'claude', question: 'Paris weather', result: 'sunny 21C', callId: /^tooluse_/ });
    expect(mock.requests[0]?.body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather in a city', inputSchema: { json: contract.WEATHER_TOOL.function.parameters } } }],
      toolChoice: { auto: {} },
    });
    expect(last().body.messages).toEqual([
      { role: 'user', content: [{ text: 'Paris weather' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: call.id, name: 'get_weather', input: { echo: 'Paris weather' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: call.id, content: [{ text: 'sunny 21C' }] } }] },
    ]);
  });

  it('streams a tool call with its id, input in pieces and finish_reason tool_calls', async () => {
    await contract.expectStreamedToolCall(client(), { model: 'claude', question: 'Rome', callId: /^tooluse_/ });
  });

  it('sends an image as bytes and model-specific parameters in additionalModelRequestFields (cross-region profile, converse/ route)', async () => {
    const data = await client().chat.completions.create({
      model: 'nova',
      messages: contract.IMAGE_QUESTION,
      top_p: 0.5,
      stop: ['END'],
    });
    expect(data.choices[0]?.message.content).toBe('echo: what is this');
    expect(last().path).toBe(`/model/${encodeURIComponent('us.amazon.nova-micro-v1:0')}/converse`);
    expect(last().body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'what is this' }, { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } }] }],
      inferenceConfig: { topP: 0.5, stopSequences: ['END'] },
      additionalModelRequestFields: { top_k: 20 },
    });
  });

  it('refuses a parameter Converse cannot take before calling it', async () => {
    await contract.expectParamRefused(client(), { model: 'claude', n: 2, messages: [{ role: 'user', content: 'x' }] }, 'n');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('Bedrock credentials', () => {
  const ask = (model: string) => client().chat.completions.create({ model, messages: [{ role: 'user', content: 'who am I' }] });

  it('signs with the environment’s keys and region when litellm_params has none', async () => {
    expect((await ask('claude-env')).choices[0]?.message.content).toBe('echo: who am I');
    expect(last().path).toBe(`/model/${encodeURIComponent(`us.${HAIKU}`)}/converse`);
    expect(last().headers.authorization).toMatch(/\/eu-west-1\/bedrock\/aws4_request/);
  });

  it('signs the session token of temporary credentials', async () => {
    expect((await ask('claude-session')).choices[0]?.message.content).toBe('echo: who am I');
    expect(last().headers['x-amz-security-token']).toBe(AWS_TEST_SESSION_CREDENTIALS.sessionToken);
  });

  it('sends a Bedrock API key as a Bearer token, unsigned', async () => {
    expect((await ask('claude-key')).choices[0]?.message.content).toBe('echo: who am I');
    expect(last().headers.authorization).toBe(`Bearer ${BEDROCK_TEST_API_KEY}`);
  });

  it('is refused as AWS refuses a wrong signature: 401 for the client', async () => {
    await expect(ask('claude-wrong-secret')).rejects.toMatchObject({ status: 401, message: expect.stringContaining('InvalidSignatureException') });
    expect(last().status).toBe(403);
  });
});

describe('Bedrock errors', () => {
  it('throttling is a 429 with Retry-After', async () => {
    expect((await contract.expectRateLimited(gw.url, 'busy')).message).toContain('ThrottlingException');
  });

  it('maps 5xx, context overflow, content filter, access, missing model and unavailability', async () => {
    await contract.expectChatErrors(client(), [
      ['broken', contract.UPSTREAM_FAILED],
      ['overflow', contract.CONTEXT_OVERFLOW],
      ['blocked', contract.CONTENT_POLICY],
      ['denied', { status: 403 }],
      ['missing', { status: 404 }],
      ['unavailable', { status: 503 }],
    ]);
  });

  it('a throttlingException inside the stream ends it with an in-band 429 error', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'throttled-stream', stream: true, messages: [{ role: 'user', content: 'one two three four' }] }),
    });
    const text = await res.text();
    expect(text).toContain('echo:');
    expect(text).toContain('throttlingException');
    expect(text).not.toContain('[DONE]');
  });
});

describe('Bedrock embeddings', () => {
  it('embeds with Titan through InvokeModel, its token count billed', async () => {
    const { data, response } = await client().embeddings.create({ model: 'titan-embed', input: 'embed this text', encoding_format: 'float' }).withResponse();
    expectValid('CreateEmbeddingResponse', data);
    expect(data.data[0]?.embedding).toEqual(mockEmbedding('embed this text'));
    expect(last().path).toBe(`/model/${encodeURIComponent('amazon.titan-embed-text-v2:0')}/invoke`);
    expect(last().body).toEqual({ inputText: 'embed this text' });
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBe(3);
    expect(row.spend).toBeGreaterThan(0);
  });

  it('embeds several texts with Cohere, base64 as the SDK asks by default', async () => {
    const { data, response } = await client()
      .embeddings.create({ model: 'cohere-embed', input: ['first text', 'second one here'] })
      .withResponse();
    expectValid('CreateEmbeddingResponse', data);
    const round = (v: number[]) => v.map((x) => Math.fround(x));
    expect(data.data.map((d) => d.embedding)).toEqual([round(mockEmbedding('first text')), round(mockEmbedding('second one here'))]);
    expect(last().body).toEqual({ texts: ['first text', 'second one here'], input_type: 'search_document' });
    // Cohere on Bedrock reports no token count: the gateway's estimate, the same in the answer and the spend row.
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBe(data.usage.prompt_tokens);
    expect(row.spend).toBeGreaterThan(0);
  });
});

describe('Bedrock health', () => {
  it('/health probes each deployment with a signed one-token Converse call', async () => {
    type Entry = { model_name: string; error?: string };
    const report = (await api.get<{ healthy_endpoints: Entry[]; unhealthy_endpoints: Entry[] }>('/health')).json;
    expect(report.healthy_endpoints.map((e) => e.model_name)).toEqual(expect.arrayContaining(['claude', 'claude-env', 'claude-session', 'claude-key', 'nova']));
    const wrong = report.unhealthy_endpoints.find((e) => e.model_name === 'claude-wrong-secret');
    expect(wrong?.error).toContain('InvalidSignatureException');
    const signedProbes = mock.requests.filter(
      (r) => r.path === `/model/${encodeURIComponent(HAIKU)}/converse` && r.headers.authorization?.startsWith('AWS4-HMAC-SHA256 '),
    );
    expect(signedProbes.filter((r) => r.status === 200).length).toBeGreaterThan(0);
    for (const probe of signedProbes)
      expect(probe.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'ping' }] }], inferenceConfig: { maxTokens: 1 } });
  });
});
