/**
 * Hugging Face through a real gateway and the official openai SDK: the Messages API of a TGI endpoint (chat,
 * stream with usage, tools, system), TGI's legacy /generate and /generate_stream with built-in and custom prompt
 * templates (the exact prompt the endpoint received), TEI embeddings, error mapping, and priced spend rows.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import { HF_LOADING_SECONDS } from './mock-providers/huggingface.ts';
import { countTokens, mockEmbedding } from './mock-providers/index.ts';
import { chat, expectOpenAIError, type Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const prices = 'input_cost_per_token: 0.000001, output_cost_per_token: 0.000002';
const endpoint = (mockUrl: string, name: string) => `"${mockUrl}/huggingface/${name}"`;

const config = (mockUrl: string) => `
model_list:
  - model_name: hf-chat
    litellm_params: { model: huggingface/meta-llama/Llama-3.1-8B-Instruct, api_base: ${endpoint(mockUrl, 'llama-endpoint')}, api_key: hf-secret, ${prices} }
  - model_name: hf-zephyr
    litellm_params: { model: huggingface/text-generation-inference/HuggingFaceH4/zephyr-7b-beta, api_base: ${endpoint(mockUrl, 'zephyr-endpoint')}, api_key: hf-secret, ${prices} }
  - model_name: hf-zephyr-drop
    litellm_params: { model: huggingface/text-generation-inference/HuggingFaceH4/zephyr-7b-beta, api_base: ${endpoint(mockUrl, 'zephyr-endpoint')}, api_key: hf-secret, drop_params: true, ${prices} }
  - model_name: hf-custom
    litellm_params:
      model: huggingface/my-org/my-model
      api_base: ${endpoint(mockUrl, 'custom-endpoint')}
      api_key: hf-secret
      input_cost_per_token: 0.000001
      output_cost_per_token: 0.000002
      initial_prompt_value: "### Conversation\\n"
      roles:
        system: { pre_message: "<<SYS>> ", post_message: " <</SYS>>\\n" }
        user: { pre_message: "[USER] ", post_message: "\\n" }
        assistant: { pre_message: "[BOT] ", post_message: "\\n" }
      final_prompt_value: "[BOT]"
      bos_token: "<s>"
      eos_token: "</s>"
  - model_name: hf-embed
    litellm_params: { model: huggingface/BAAI/bge-small-en-v1.5, api_base: ${endpoint(mockUrl, 'bge-endpoint')}, api_key: hf-secret, ${prices} }
  - model_name: hf-429
    litellm_params: { model: huggingface/text-generation-inference/x, api_base: ${endpoint(mockUrl, 'tgi-error-429')}, api_key: hf-secret, ${prices} }
  - model_name: hf-500
    litellm_params: { model: huggingface/text-generation-inference/x, api_base: ${endpoint(mockUrl, 'tgi-error-500')}, api_key: hf-secret, ${prices} }
  - model_name: hf-loading
    litellm_params: { model: huggingface/text-generation-inference/x, api_base: ${endpoint(mockUrl, 'tgi-loading')}, api_key: hf-secret, ${prices} }
  - model_name: hf-overflow
    litellm_params: { model: huggingface/text-generation-inference/x, api_base: ${endpoint(mockUrl, 'tgi-context-overflow')}, api_key: hf-secret, ${prices} }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const client = (): OpenAI => gw.client();

const lastRequest = (path: string): RecordedRequest => {
  const found = mock.requests.filter((r) => r.path === path);
  expect(found.length).toBeGreaterThan(0);
  return found[found.length - 1] as RecordedRequest;
};

describe('Hugging Face Messages API (TGI /v1/chat/completions)', () => {
  it('chat with a system message: the Hub model id and Bearer key upstream, a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'hf-chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello there' },
        ],
        temperature: 0.3,
        max_tokens: 50,
      },
      { content: 'echo: hello there' },
    );
    const sent = lastRequest('/huggingface/llama-endpoint/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer hf-secret');
    expect(sent.body).toMatchObject({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      temperature: 0.3,
      max_tokens: 50,
      messages: [{ role: 'system' }, { role: 'user' }],
    });
    await contract.expectPricedSpendRow(api, requestId, 4 * 0.000001 + 3 * 0.000002, {
      prompt_tokens: 4,
      completion_tokens: 3,
      metadata: { usage_source: 'provider' },
    });
  });

  it('streams chunk by chunk with a usage chunk last', async () => {
    await contract.expectStream(
      client(),
      { model: 'hf-chat', messages: [{ role: 'user', content: 'stream these words' }], stream_options: { include_usage: true } },
      { text: 'echo: stream these words', usage: { prompt_tokens: 3, completion_tokens: 4 } },
    );
    expect(lastRequest('/huggingface/llama-endpoint/v1/chat/completions').body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('a tool round trip keeps the tool call id and finish_reason tool_calls', async () => {
    const { call } = await contract.expectToolRoundTrip(client(), { model: 'hf-chat', question: 'weather in Paris', result: '18C and sunny' });
    const sent = lastRequest('/huggingface/llama-endpoint/v1/chat/completions').body as {
      messages: { tool_call_id?: string; tool_calls?: { id: string }[] }[];
    };
    expect(sent.messages[1]?.tool_calls?.[0]?.id).toBe(call?.id);
    expect(sent.messages[2]?.tool_call_id).toBe(call?.id);
  });
});

describe('TGI legacy /generate with prompt templates', () => {
  it("the built-in template of the model name (Zephyr), TGI's parameter names, usage from details", async () => {
    const answer = await chat(gw.url, 'sk-1234', {
      model: 'hf-zephyr',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 20,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      repetition_penalty: 1.1,
      stop: 'END',
    });
    expect(answer.status, answer.text).toBe(200);
    expectValid('CreateChatCompletionResponse', answer.json);
    const prompt = '<|system|>\nBe brief.</s>\n<|user|>\nHi</s>\n<|assistant|>\n';
    const sent = lastRequest('/huggingface/zephyr-endpoint/generate');
    expect(sent.headers.authorization).toBe('Bearer hf-secret');
    expect(sent.body).toEqual({
      inputs: prompt,
      parameters: {
        max_new_tokens: 20,
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        repetition_penalty: 1.1,
        stop: ['END'],
        details: true,
        return_full_text: false,
        decoder_input_details: true,
      },
    });
    const content = `echo: ${prompt}`;
    const body = answer.json as { choices: { message: { content: string }; finish_reason: string }[]; usage: Record<string, number> };
    expect(body.choices[0]?.message.content).toBe(content);
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.usage).toMatchObject({ prompt_tokens: countTokens(prompt), completion_tokens: countTokens(content) });
    await contract.expectPricedSpendRow(api, answer.headers.get('x-litellm-call-id'), 'positive', { metadata: { usage_source: 'provider' } });
  });

  it('a custom template from litellm_params: the exact prompt string the endpoint received', async () => {
    const answer = await client().chat.completions.create({
      model: 'hf-custom',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
    expectValid('CreateChatCompletionResponse', answer);
    const sent = lastRequest('/huggingface/custom-endpoint/generate').body as { inputs: string };
    expect(sent.inputs).toBe('<s>### Conversation\n<<SYS>> You are terse. <</SYS>>\n[USER] Hi\n[BOT] Hello!\n</s><s>[USER] Bye\n[BOT]');
    // The template's settings are the gateway's: none reaches the upstream.
    expect(JSON.stringify(sent)).not.toMatch(/pre_message|bos_token|initial_prompt_value|input_cost_per_token/);
  });

  it('/generate_stream: tokens become chunks, the end token is left out; without a prompt count the call is estimated', async () => {
    const prompt = '<|user|>\nstream me</s>\n<|assistant|>\n';
    const { requestId } = await contract.expectStream(
      client(),
      { model: 'hf-zephyr', messages: [{ role: 'user', content: 'stream me' }], stream_options: { include_usage: true } },
      { text: `echo: ${prompt}`, finishReason: 'stop' },
    );
    expect(lastRequest('/huggingface/zephyr-endpoint/generate_stream').body).toMatchObject({ inputs: prompt, parameters: { details: true } });
    const row = await contract.expectPricedSpendRow(api, requestId, 'positive', { metadata: { usage_source: 'estimated' } });
    expect(row.completion_tokens).toBeGreaterThan(0);
  });

  it('legacy completions go through the template too', async () => {
    const res = await client().completions.create({ model: 'hf-zephyr', prompt: 'Once upon' });
    expectValid('CreateCompletionResponse', res);
    const prompt = '<|user|>\nOnce upon</s>\n<|assistant|>\n';
    expect(res.choices[0]?.text).toBe(`echo: ${prompt}`);
    expect(lastRequest('/huggingface/zephyr-endpoint/generate').body).toMatchObject({ inputs: prompt });
  });

  it('max_tokens cuts the answer: finish_reason length', async () => {
    const answer = await client().chat.completions.create({ model: 'hf-zephyr', messages: [{ role: 'user', content: 'a b c d e f' }], max_tokens: 2 });
    expect(answer.choices[0]?.finish_reason).toBe('length');
    expect(answer.usage?.completion_tokens).toBe(2);
  });

  it('tools need the Messages API: 400 naming the parameter, or left out with drop_params', async () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const refused = await chat(gw.url, 'sk-1234', { model: 'hf-zephyr', messages: [{ role: 'user', content: 'x' }], tools });
    expect(expectOpenAIError(refused, 400, 'unsupported_parameter').param).toBe('tools');
    const dropped = await chat(gw.url, 'sk-1234', { model: 'hf-zephyr-drop', messages: [{ role: 'user', content: 'x' }], tools });
    expect(dropped.status, dropped.text).toBe(200);
    expect(JSON.stringify(lastRequest('/huggingface/zephyr-endpoint/generate').body)).not.toContain('tools');
  });

  it('an image has no place in a flat prompt: 400 naming the part and Hugging Face, or left out with drop_params', async () => {
    const refused = expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'hf-zephyr', messages: contract.IMAGE_QUESTION }), 400, 'unsupported_parameter');
    expect([refused.param, refused.message]).toEqual(['messages[0].content[1].image_url', expect.stringMatching(/^Hugging Face does not support/)]);
    expect(mock.requests.filter((r) => r.path.startsWith('/huggingface/'))).toHaveLength(0);
    const dropped = await chat(gw.url, 'sk-1234', { model: 'hf-zephyr-drop', messages: contract.IMAGE_QUESTION });
    expect(dropped.status, dropped.text).toBe(200);
    expect(lastRequest('/huggingface/zephyr-endpoint/generate').body).toMatchObject({ inputs: '<|user|>\nwhat is this</s>\n<|assistant|>\n' });
  });
});

describe('TEI embeddings', () => {
  it('/embed answers as an OpenAI embeddings list (floats and base64)', async () => {
    const res = await client().embeddings.create({ model: 'hf-embed', input: ['first text', 'second text'] });
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[0]?.embedding).toEqual(mockEmbedding('first text'));
    expect(res.data[1]?.embedding).toEqual(mockEmbedding('second text'));
    expect(lastRequest('/huggingface/bge-endpoint/embed').body).toEqual({ inputs: ['first text', 'second text'] });
    const floats = await client().embeddings.create({ model: 'hf-embed', input: 'one', encoding_format: 'float' });
    expect(floats.data[0]?.embedding).toEqual(mockEmbedding('one'));
  });
});

describe('/health', () => {
  it("probes each endpoint's free GET /health: no generation is billed", async () => {
    const answer = await api.get<{ healthy_endpoints: { model_name: string }[] }>('/health');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.healthy_endpoints.map((e) => e.model_name)).toEqual(expect.arrayContaining(['hf-chat', 'hf-zephyr', 'hf-embed']));
    const probes = mock.requests.filter((r) => r.path.startsWith('/huggingface/'));
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((r) => r.method === 'GET' && r.path.endsWith('/health'))).toBe(true);
    expect(probes.find((r) => r.path === '/huggingface/llama-endpoint/health')?.headers.authorization).toBe('Bearer hf-secret');
  });
});

describe('errors', () => {
  it('429 overloaded → 429 with Retry-After', async () => {
    await contract.expectRateLimited(gw.url, 'hf-429', { code: 'overloaded' });
  });

  it('a failed generation (5xx) → 502', async () => {
    expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'hf-500', messages: [{ role: 'user', content: 'x' }] }), 502);
  });

  it('"Model is loading" → 503 with Retry-After from estimated_time', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'hf-loading', messages: [{ role: 'user', content: 'x' }] });
    expectOpenAIError(answer, 503);
    expect(answer.headers.get('retry-after')).toBe(String(HF_LOADING_SECONDS));
  });

  it("TGI's token-limit validation error → context_length_exceeded", async () => {
    expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'hf-overflow', messages: [{ role: 'user', content: 'x' }] }), 400, 'context_length_exceeded');
  });
});
