/**
 * Amazon SageMaker through a real gateway, driven by the official openai SDK, against the framed mock's
 * SageMaker runtime (which recomputes every request's SigV4 signature): a TGI endpoint's chat with the exact
 * prompt its template made, a stream read from PayloadPart bytes, parameters under TGI's names, embeddings,
 * error mapping and priced spend rows (per-deployment prices: the table prices SageMaker at 0).
 */
import { describe, expect, it } from 'vitest';
import { withGatewayOnFramedMocks } from './support/gateway-per-file.ts';
import { AWS_TEST_CREDENTIALS } from './mock-providers/bedrock-sigv4.ts';
import type { FramedMockProviders, FramedRequest } from './mock-providers/framed-server.ts';
import { mockEmbedding } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

const { accessKeyId, secretAccessKey } = AWS_TEST_CREDENTIALS;
const signed = `aws_access_key_id: ${accessKeyId}, aws_secret_access_key: "${secretAccessKey}", aws_region_name: us-east-1`;
const priced = 'input_cost_per_token: 0.000001, output_cost_per_token: 0.000002';

const config = (url: string) => `
model_list:
  - model_name: mistral
    litellm_params: { model: sagemaker/jumpstart-dft-hf-llm-mistral-7b-instruct, api_base: "${url}", ${signed}, ${priced} }
  - model_name: custom
    litellm_params:
      model: sagemaker/my-tgi-endpoint
      api_base: "${url}"
      aws_access_key_id: ${accessKeyId}
      aws_secret_access_key: "${secretAccessKey}"
      roles: { system: { pre_message: "SYS: ", post_message: "\\n" }, user: { pre_message: "USER: ", post_message: "\\n" }, assistant: { pre_message: "BOT: ", post_message: "\\n" } }
      final_prompt_value: "BOT:"
      input_cost_per_token: 0.000001
      output_cost_per_token: 0.000002
  - model_name: messages-api
    litellm_params: { model: sagemaker_chat/my-tgi-messages-endpoint, api_base: "${url}", ${signed}, ${priced} }
  - model_name: embed
    litellm_params: { model: sagemaker/jumpstart-embed-endpoint, api_base: "${url}", ${signed}, input_cost_per_token: 0.0000001 }
  - model_name: wrong-secret
    litellm_params: { model: sagemaker/my-tgi-endpoint, api_base: "${url}", aws_access_key_id: ${accessKeyId}, aws_secret_access_key: nope }
  - model_name: busy
    litellm_params: { model: sagemaker/tgi-error-429, api_base: "${url}", ${signed} }
  - model_name: broken
    litellm_params: { model: sagemaker/tgi-error-500, api_base: "${url}", ${signed} }
  - model_name: overflow
    litellm_params: { model: sagemaker/tgi-context-overflow, api_base: "${url}", ${signed} }
litellm_settings:
  num_retries: 0
general_settings:
  master_key: sk-1234
`;

let mock: FramedMockProviders;
let gw: TestGateway;
let api: Admin;

withGatewayOnFramedMocks(config, {}, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const client = () => gw.client('sk-1234');
const last = (): FramedRequest => mock.requests.at(-1)!;

describe('SageMaker chat', () => {
  it('invokes a TGI endpoint, signed for sagemaker, with the built-in template’s prompt; usage from TGI’s details, priced', async () => {
    const prompt = '<s>[INST] hello sagemaker [/INST]';
    const promptTokens = prompt.split(/\s+/).length;
    const completionTokens = `echo: ${prompt}`.split(/\s+/).length;
    const { requestId } = await contract.expectChat(
      client(),
      { model: 'mistral', messages: [{ role: 'user', content: 'hello sagemaker' }], max_tokens: 50, temperature: 0.5 },
      { content: `echo: ${prompt}`, finishReason: 'stop', usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens } },
    );
    const sent = last();
    expect(sent.status).toBe(200);
    expect(sent.path).toBe('/endpoints/jumpstart-dft-hf-llm-mistral-7b-instruct/invocations');
    expect(sent.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/sagemaker/aws4_request`));
    expect(sent.body).toEqual({
      inputs: prompt,
      parameters: { max_new_tokens: 50, temperature: 0.5, details: true, return_full_text: false, decoder_input_details: true },
    });
    await contract.expectPricedSpendRow(api, requestId, promptTokens * 1e-6 + completionTokens * 2e-6);
  });

  it('sends the exact prompt a custom template makes (roles, final_prompt_value)', async () => {
    const data = await client().chat.completions.create({
      model: 'custom',
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(last().body.inputs).toBe('SYS: Be kind.\nUSER: Hi\nBOT:');
    expect(data.choices[0]?.message.content).toBe('echo: SYS: Be kind.\nUSER: Hi\nBOT:');
  });

  it('streams from PayloadPart bytes chunk by chunk, billed', async () => {
    const { requestId } = await contract.expectStream(
      client(),
      { model: 'mistral', messages: [{ role: 'user', content: 'stream me please' }] },
      { text: 'echo: <s>[INST] stream me please [/INST]' },
    );
    expect(last().path).toBe('/endpoints/jumpstart-dft-hf-llm-mistral-7b-instruct/invocations-response-stream');
    await contract.expectPricedSpendRow(api, requestId, 'positive');
  });

  it('refuses tools and images, which a flat prompt cannot carry, naming SageMaker, before calling the endpoint', async () => {
    await contract.expectParamRefused(
      client(),
      { model: 'mistral', messages: [{ role: 'user', content: 'x' }], tools: [contract.WEATHER_TOOL] },
      'tools',
      'SageMaker',
    );
    await contract.expectParamRefused(client(), { model: 'mistral', messages: contract.IMAGE_QUESTION }, 'messages[0].content[1].image_url', 'SageMaker');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('SageMaker Messages API (sagemaker_chat/)', () => {
  it('sends the OpenAI body to the endpoint, signed, and answers with the container’s answer and usage, priced', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      { model: 'messages-api', messages: [{ role: 'user', content: 'hello messages' }], temperature: 0.2 },
      { content: 'echo: hello messages' },
    );
    expect(last().path).toBe('/endpoints/my-tgi-messages-endpoint/invocations');
    expect(last().headers.authorization).toMatch(/\/sagemaker\/aws4_request/);
    expect(last().body).toEqual({
      model: 'my-tgi-messages-endpoint',
      messages: [{ role: 'user', content: 'hello messages' }],
      temperature: 0.2,
      stream: false,
    });
    await contract.expectPricedSpendRow(api, requestId, 2 * 1e-6 + 3 * 2e-6, { prompt_tokens: 2, completion_tokens: 3 });
  });

  it('streams OpenAI chunks out of PayloadPart bytes, usage last', async () => {
    await contract.expectStream(
      client(),
      { model: 'messages-api', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream these words' }] },
      { text: 'echo: stream these words', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    expect(last().path).toBe('/endpoints/my-tgi-messages-endpoint/invocations-response-stream');
    expect(last().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});

describe('SageMaker embeddings', () => {
  it('embeds through a JumpStart embedding endpoint, base64 for the SDK, priced', async () => {
    const { data, response } = await client()
      .embeddings.create({ model: 'embed', input: ['first text', 'second one'] })
      .withResponse();
    expectValid('CreateEmbeddingResponse', data);
    const round = (v: number[]) => v.map((x) => Math.fround(x));
    expect(data.data.map((d) => d.embedding)).toEqual([round(mockEmbedding('first text')), round(mockEmbedding('second one'))]);
    expect(last().body).toEqual({ text_inputs: ['first text', 'second one'] });
    // The container reports no token count: the gateway's estimate, the same in the answer and the spend row.
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
    const row = await contract.spendRowOf(api, response.headers.get('x-litellm-call-id'));
    expect(row.prompt_tokens).toBe(data.usage.prompt_tokens);
    expect(row.spend).toBeGreaterThan(0);
  });
});

describe('SageMaker errors', () => {
  const ask = (model: string) => client().chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] });

  it('a wrong secret is refused by the signature check: 401', async () => {
    await expect(ask('wrong-secret')).rejects.toMatchObject({ status: 401, message: expect.stringContaining('InvalidSignatureException') });
    expect(last().status).toBe(403);
  });

  it('throttling is a 429 with Retry-After; 5xx, and the container’s context overflow inside a ModelError', async () => {
    await contract.expectRateLimited(gw.url, 'busy');
    await contract.expectChatErrors(client(), [
      ['broken', contract.UPSTREAM_FAILED],
      ['overflow', contract.CONTEXT_OVERFLOW],
    ]);
    expect(last().status).toBe(424);
  });
});
