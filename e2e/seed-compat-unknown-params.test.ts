/**
 * Seed configs carry litellm_params that are neither the gateway's settings nor request parameters the provider
 * takes: `initial_prompt_value` and `roles` (prompt-template settings of flat-prompt providers, meaningless to
 * OpenAI and Anthropic), LLProxy's `maxQueueSize`, anything unknown. Each is a load warning naming its path and
 * never reaches the upstream — on every surface that calls it (chat, legacy completions, Anthropic Messages).
 */
import { describe, expect, it } from 'vitest';
import type { MockProviders, RecordedRequest } from './mock-providers/index.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';

let mock: MockProviders;
let gw: TestGateway;

const SEED_KEYS = `
      initial_prompt_value: "You are a good bot"
      roles: { system: { pre_message: "<|im_start|>system", post_message: "<|im_end|>" } }
      maxQueueSize: 100
      made_up_setting: 42
      temperature: 0.2`;

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt
    litellm_params:
      model: openai/gpt-4o
      api_base: ${mockUrl}/v1
      api_key: sk-openai-upstream${SEED_KEYS}
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-haiku-20240307
      api_base: ${mockUrl}
      api_key: sk-ant-upstream${SEED_KEYS}
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { logLevel: 'warn' }, (started) => {
  ({ mock, gw } = started);
});

const SEED_KEY_NAMES = ['initial_prompt_value', 'roles', 'maxQueueSize', 'made_up_setting'];
const hello = [{ role: 'user' as const, content: 'hello there' }];

function onlyUpstreamBody(): Record<string, unknown> {
  expect(mock.requests).toHaveLength(1);
  const request = mock.requests[0] as RecordedRequest;
  return request.body as Record<string, unknown>;
}

function expectNoSeedKeys(body: Record<string, unknown>): void {
  for (const key of SEED_KEY_NAMES) expect(body).not.toHaveProperty(key);
  expect(JSON.stringify(body)).not.toContain('You are a good bot');
  expect(JSON.stringify(body)).not.toContain('im_start');
}

describe('seed litellm_params that are not request parameters', () => {
  it('openai/ chat: the mock gets the request default (temperature) and none of the seed keys', async () => {
    await gw.client('sk-1234').chat.completions.create({ model: 'gpt', messages: hello });
    const body = onlyUpstreamBody();
    expect(body).toEqual({ model: 'gpt-4o', messages: hello, temperature: 0.2 });
  });

  it('openai/ legacy completions: the prompt is not wrapped in the template and no seed key is sent', async () => {
    await gw.client('sk-1234').completions.create({ model: 'gpt', prompt: 'Say hi' });
    const body = onlyUpstreamBody();
    expect(mock.requests[0]?.path).toBe('/v1/completions');
    expectNoSeedKeys(body);
    expect(body).toEqual({ model: 'gpt-4o', prompt: 'Say hi', temperature: 0.2 });
  });

  it('anthropic/ chat: none of the seed keys, no template text in system or messages', async () => {
    await gw.client('sk-1234').chat.completions.create({ model: 'claude', messages: hello });
    const body = onlyUpstreamBody();
    expectNoSeedKeys(body);
    expect(body).toEqual({
      model: 'claude-3-haiku-20240307',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
      max_tokens: expect.any(Number),
      temperature: 0.2,
    });
  });

  it('anthropic/ through the Anthropic Messages surface: none of the seed keys', async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-1234', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'hello there' }] }),
    });
    expect(res.status).toBe(200);
    const body = onlyUpstreamBody();
    expectNoSeedKeys(body);
    expect(body).toMatchObject({ model: 'claude-3-haiku-20240307', max_tokens: 50, temperature: 0.2 });
  });

  it('each seed key was one load warning per deployment, naming its path', () => {
    const warned = gw.ring
      .tail()
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
      .filter((msg) => msg.includes('not sent upstream'))
      .map((msg) => msg.slice(0, msg.indexOf(':')));
    expect(warned).toEqual([0, 1].flatMap((i) => SEED_KEY_NAMES.map((key) => `model_list[${i}].litellm_params.${key}`)));
  });
});
