/**
 * Seed configs of 2023 name models bare (`claude-2`, `command-nightly`, `j2-light`, `chat-bison`): each finds its
 * provider (price table, then the name's shape), is sent upstream under that name, and a model retired upstream
 * answers for itself — the upstream's 404 reaches the client as a 404 naming the model.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { AI21_PATH, type MockProviders } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;

const config = (mockUrl: string) => `
model_list:
  - model_name: claude-instant-1
    litellm_params: { model: claude-instant-1, api_base: "${mockUrl}", api_key: sk-ant-upstream }
  - model_name: claude-2
    litellm_params: { model: claude-2, api_base: "${mockUrl}", api_key: sk-ant-upstream }
  - model_name: claude-new
    litellm_params: { model: claude-sonnet-4-5-20990101, api_base: "${mockUrl}", api_key: sk-ant-upstream }
  - model_name: command-nightly
    litellm_params: { model: command-nightly, api_base: "${mockUrl}", api_key: co-upstream }
  - model_name: j2-light
    litellm_params: { model: j2-light, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream }
  - model_name: chat-bison
    litellm_params: { model: chat-bison, api_base: "${mockUrl}/v1beta", api_key: AIza-upstream }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { logLevel: 'warn' }, (started) => {
  ({ mock, gw } = started);
});

const ask = (model: string) => gw.client('sk-1234').chat.completions.create({ model, messages: [{ role: 'user', content: 'hello seed' }] });

async function refusal(model: string): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await ask(model).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

describe('bare model names reach the provider their name implies', () => {
  it('claude-* → Anthropic Messages, under the bare name', async () => {
    const answer = await ask('claude-new');
    expect(answer.choices[0]?.message.content).toBe('echo: hello seed');
    expect(mock.requests.map((r) => [r.path, r.model, r.headers['x-api-key']])).toEqual([['/v1/messages', 'claude-sonnet-4-5-20990101', 'sk-ant-upstream']]);
  });

  it('command-nightly → Cohere v2 chat', async () => {
    const answer = await ask('command-nightly');
    expect(answer.choices[0]?.message.content).toBe('echo: hello seed');
    expect(mock.requests.map((r) => [r.path, (r.body as { model: string }).model])).toEqual([['/v2/chat', 'command-nightly']]);
  });

  it('j2-light → AI21 Studio', async () => {
    const answer = await ask('j2-light');
    expect(answer.choices[0]?.message.content).toBe('echo: hello seed');
    expect(mock.requests.map((r) => [r.path, (r.body as { model: string }).model])).toEqual([[AI21_PATH, 'j2-light']]);
  });
});

describe('a model retired upstream is served by name and the upstream answers', () => {
  it.each(['claude-instant-1', 'claude-2'])('%s: Anthropic’s 404 not_found_error reaches the client', async (model) => {
    const err = await refusal(model);
    expect(err.status).toBe(404);
    expect(err.message).toContain(`model: ${model}`);
    expect(mock.requests.map((r) => [r.path, r.model, r.status])).toEqual([['/v1/messages', model, 404]]);
  });

  it('chat-bison goes to the Gemini API (the palm/ mapping), whose 404 reaches the client', async () => {
    const err = await refusal('chat-bison');
    expect(err.status).toBe(404);
    expect(err.message).toContain('models/chat-bison is not found');
    expect(mock.requests.map((r) => [r.path, r.status])).toEqual([['/v1beta/models/chat-bison:generateContent', 404]]);
  });

  it('the load warned that chat-bison is a retired PaLM name, and suggested no openai/ prefix anywhere', () => {
    const lines = gw.ring.tail().join('\n');
    expect(lines).toContain('`chat-bison` is a palm/ name. PaLM is retired');
    expect(lines).not.toMatch(/openai\/(claude|command|j2|chat-bison)/);
  });
});
