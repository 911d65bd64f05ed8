/**
 * Replicate through a real gateway and the official openai SDK: predictions created with `Prefer: wait`, polled
 * until they finish, streamed from their stream URL; flat prompts from built-in and custom templates (the exact
 * prompt the upstream received); parameter names; failures and error mapping; priced spend rows.
 */
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import { countTokens } from './mock-providers/index.ts';
import { chat, expectOpenAIError, type Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const VERSION = 'polling-5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa';

const config = (mockUrl: string) => `
model_list:
  - model_name: llama3
    litellm_params: { model: replicate/meta/llama-3-70b-instruct, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
  - model_name: llama3-drop
    litellm_params: { model: replicate/meta/llama-3-70b-instruct, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001, drop_params: true }
  - model_name: slow-llama
    litellm_params: { model: replicate/meta/llama-2-70b-chat-polling, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
  - model_name: versioned
    litellm_params: { model: "replicate/acme/my-llm:${VERSION}", api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
  - model_name: templated
    litellm_params:
      model: replicate/acme/base-model
      api_base: "${mockUrl}/replicate/v1"
      api_key: r8-secret
      replicate_poll_interval: 0.001
      input_cost_per_token: 0.000001
      output_cost_per_token: 0.000002
      roles:
        system: { pre_message: "### System:\\n", post_message: "\\n\\n" }
        user: { pre_message: "### User:\\n", post_message: "\\n\\n" }
        assistant: { pre_message: "### Assistant:\\n", post_message: "\\n\\n" }
      final_prompt_value: "### Assistant:\\n"
  - model_name: unpriced-llm
    litellm_params: { model: replicate/acme/unknown-llm, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
  - model_name: r-429
    litellm_params: { model: replicate/acme/llm-error-429, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret }
  - model_name: r-500
    litellm_params: { model: replicate/acme/llm-error-500, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret }
  - model_name: r-fails
    litellm_params: { model: replicate/acme/llm-fails, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
  - model_name: r-overflow
    litellm_params: { model: replicate/acme/llm-context-overflow, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
  - model_name: r-stuck
    litellm_params: { model: replicate/acme/llm-stuck, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
  - model_name: r-nsfw
    litellm_params: { model: replicate/acme/llm-content-policy, api_base: "${mockUrl}/replicate/v1", api_key: r8-secret, replicate_poll_interval: 0.001 }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const client = (): OpenAI => gw.client();

const requestsTo = (pattern: RegExp): RecordedRequest[] => mock.requests.filter((r) => pattern.test(r.path));

describe('Replicate predictions', () => {
  it('an official model: Prefer: wait, system_prompt and the input names, output joined, usage from metrics, priced', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'llama3',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello replicate' },
        ],
        max_tokens: 30,
        temperature: 0.6,
        top_p: 0.9,
        stop: ['END', 'STOP'],
      },
      { content: 'echo: hello replicate', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const created = requestsTo(/^\/replicate\/v1\/models\/meta\/llama-3-70b-instruct\/predictions$/);
    expect(created).toHaveLength(1);
    expect(created[0]?.headers.authorization).toBe('Bearer r8-secret');
    expect(created[0]?.headers.prefer).toBe('wait');
    expect(created[0]?.body).toEqual({
      input: { prompt: 'hello replicate', system_prompt: 'Be brief.', max_new_tokens: 30, temperature: 0.6, top_p: 0.9, stop_sequences: 'END,STOP' },
    });
    // Finished within the wait: no poll.
    expect(requestsTo(/^\/replicate\/v1\/predictions\//)).toHaveLength(0);
    await contract.expectPricedSpendRow(api, requestId, 'positive', { metadata: { usage_source: 'provider' } });
  });

  it('polls a prediction that is still starting: starting → processing → succeeded', async () => {
    const answer = await client().chat.completions.create({ model: 'slow-llama', messages: [{ role: 'user', content: 'take your time' }] });
    expectValid('CreateChatCompletionResponse', answer);
    expect(answer.choices[0]?.message.content).toBe('echo: take your time');
    const polls = requestsTo(/^\/replicate\/v1\/predictions\/[^/]+$/);
    expect(polls.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(polls.every((r) => r.headers.authorization === 'Bearer r8-secret')).toBe(true);
  });

  it('a version id: POST /predictions with {"version"}; a conversation in the built-in template of the model name', async () => {
    const answer = await client().chat.completions.create({
      model: 'versioned',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
    const created = requestsTo(/^\/replicate\/v1\/predictions$/);
    expect(created).toHaveLength(1);
    const prompt = 'User: Hi\n\nAssistant: Hello!\n\nUser: Bye\n\nAssistant:';
    expect(created[0]?.body).toEqual({ version: VERSION, input: { prompt } });
    expect(answer.choices[0]?.message.content).toBe(`echo: ${prompt}`);
    expect(requestsTo(/^\/replicate\/v1\/predictions\/[^/]+$/)).toHaveLength(2);
  });

  it('a custom prompt template: the exact prompt string Replicate received', async () => {
    const answer = await client().chat.completions.create({
      model: 'templated',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
    const sent = requestsTo(/^\/replicate\/v1\/models\/acme\/base-model\/predictions$/)[0]?.body as { input: Record<string, unknown> };
    const prompt = '### System:\nYou are terse.\n\n### User:\nHi\n\n### Assistant:\nHello!\n\n### User:\nBye\n\n### Assistant:\n';
    expect(sent.input).toEqual({ prompt });
    expect(answer.choices[0]?.message.content).toBe(`echo: ${prompt}`);
    expect(answer.usage?.prompt_tokens).toBe(countTokens(prompt));
  });

  it("streams from the prediction's stream URL, then reads its metrics for the usage chunk", async () => {
    const { requestId } = await contract.expectStream(
      client(),
      { model: 'llama3', messages: [{ role: 'user', content: 'stream three words' }], stream_options: { include_usage: true } },
      { text: 'echo: stream three words', usage: { prompt_tokens: 3, completion_tokens: 4 } },
    );
    const created = requestsTo(/\/predictions$/)[0];
    expect(created?.body).toMatchObject({ stream: true });
    expect(created?.headers.prefer).toBeUndefined();
    const streamed = requestsTo(/\/stream$/)[0];
    expect(streamed?.headers.accept).toBe('text/event-stream');
    const row = await contract.spendRowOf(api, requestId);
    expect([row.prompt_tokens, row.completion_tokens, row.metadata.usage_source]).toEqual([3, 4, 'provider']);
  });

  it('legacy completions: the prompt as it is, a text_completion back, streamed too', async () => {
    const res = await client().completions.create({ model: 'llama3', prompt: 'Once upon a time', max_tokens: 40 });
    expectValid('CreateCompletionResponse', res);
    expect(res.choices[0]?.text).toBe('echo: Once upon a time');
    expect(res.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 5 });
    expect(requestsTo(/\/predictions$/)[0]?.body).toEqual({ input: { prompt: 'Once upon a time', max_new_tokens: 40 } });
    const stream = await client().completions.create({ model: 'llama3', prompt: 'tell me', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('echo: tell me');
  });

  it('is a remote provider: a model with no price is flagged unpriced (never free), its row names the api_base, /health probes it', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'unpriced-llm', messages: [{ role: 'user', content: 'hello' }] });
    expect(answer.status, answer.text).toBe(200);
    const row = await contract.spendRowOf(api, answer.headers.get('x-litellm-call-id'));
    expect(row.spend).toBe(0);
    expect(row.metadata.cost_source).toBe('unpriced');
    expect(row.api_base).toContain('/replicate/v1');
    mock.reset();
    const health = await api.get<{ healthy_endpoints: { model: string }[] }>('/health?model=unpriced-llm');
    expect(health.status).toBe(200);
    expect(mock.requests.some((r) => r.path.startsWith('/replicate/v1/account'))).toBe(true);
  });

  it('tools are refused: flat-prompt models cannot call them; drop_params leaves them out', async () => {
    const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
    const refused = await chat(gw.url, 'sk-1234', { model: 'llama3', messages: [{ role: 'user', content: 'x' }], tools });
    const error = expectOpenAIError(refused, 400, 'unsupported_parameter');
    expect([error.param, error.message]).toEqual(['tools', expect.stringMatching(/^Replicate does not support/)]);
    expect(requestsTo(/\/predictions$/)).toHaveLength(0);
    const dropped = await chat(gw.url, 'sk-1234', { model: 'llama3-drop', messages: [{ role: 'user', content: 'x' }], tools, tool_choice: 'required' });
    expect(dropped.status, dropped.text).toBe(200);
    expect(requestsTo(/\/predictions$/)[0]?.body).toEqual({ input: { prompt: 'x' } });
  });

  it('an image has no place in a flat prompt: 400 naming the part and Replicate, or left out with drop_params', async () => {
    const error = expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'llama3', messages: contract.IMAGE_QUESTION }), 400, 'unsupported_parameter');
    expect([error.param, error.message]).toEqual(['messages[0].content[1].image_url', expect.stringMatching(/^Replicate does not support/)]);
    expect(requestsTo(/\/predictions$/)).toHaveLength(0);
    const dropped = await chat(gw.url, 'sk-1234', { model: 'llama3-drop', messages: contract.IMAGE_QUESTION });
    expect(dropped.status, dropped.text).toBe(200);
    expect(requestsTo(/\/predictions$/)[0]?.body).toEqual({ input: { prompt: 'what is this' } });
  });
});

describe('errors', () => {
  it('a stream whose prediction fails at once is an HTTP error (context-window fallbacks see it)', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'r-overflow', messages: [{ role: 'user', content: 'x' }], stream: true });
    expectOpenAIError(answer, 400, 'context_length_exceeded');
  });

  it('a client that goes away cancels its running prediction', async () => {
    const controller = new AbortController();
    const pending = client()
      .chat.completions.create({ model: 'r-stuck', messages: [{ role: 'user', content: 'never ends' }] }, { signal: controller.signal })
      .catch((err: unknown) => err);
    await mock.waitFor((r) => r.method === 'GET' && /\/predictions\/[^/]+$/.test(r.path));
    controller.abort();
    await pending;
    const cancel = await mock.waitFor((r) => r.method === 'POST' && r.path.endsWith('/cancel'), 5000);
    expect(cancel.headers.authorization).toBe('Bearer r8-secret');
  });

  it('429 throttled → 429 with the Retry-After Replicate sent', async () => {
    const answer = await chat(gw.url, 'sk-1234', { model: 'r-429', messages: [{ role: 'user', content: 'x' }] });
    expectOpenAIError(answer, 429, 'rate_limit_exceeded');
    expect(answer.headers.get('retry-after')).toBe('7');
  });

  it('5xx → 502', async () => {
    expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'r-500', messages: [{ role: 'user', content: 'x' }] }), 502);
  });

  it('a failed prediction → 502 with the model error; context and safety failures keep their codes', async () => {
    const failed = expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'r-fails', messages: [{ role: 'user', content: 'x' }] }), 502);
    expect(failed.message).toContain('CUDA out of memory');
    expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'r-overflow', messages: [{ role: 'user', content: 'x' }] }), 400, 'context_length_exceeded');
    expectOpenAIError(await chat(gw.url, 'sk-1234', { model: 'r-nsfw', messages: [{ role: 'user', content: 'x' }] }), 400, 'content_policy_violation');
  });
});
