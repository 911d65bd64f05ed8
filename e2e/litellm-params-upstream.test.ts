/**
 * A litellm_params key the provider does not take as a request parameter never reaches the upstream: real calls
 * through the gateway to the mock providers, which record every body they receive. Credentials meant for another
 * provider (aws_secret_access_key, vertex_credentials) and unknown keys stay home, with a load-time warning naming
 * their path; accepted parameters are defaults of every request, and extra_body is sent as it is.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from './mock-providers/index.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const AWS_SECRET = 'aws-SECRET-wJalrXUtnFEMI0123';
const VERTEX_SECRET = 'vertex-SECRET-private-key-4567';

const config = (mockUrl: string) => `
model_list:
  - model_name: gpt
    litellm_params:
      model: openai/gpt-4o
      api_base: ${mockUrl}/v1
      api_key: sk-openai-test-5678
      temperature: 0.3
      aws_secret_access_key: ${AWS_SECRET}
      vertex_credentials: ${VERTEX_SECRET}
      some_unknown: z
      extra_body: { top_k: 7 }
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-haiku-20240307
      api_base: ${mockUrl}
      api_key: sk-ant-test-9012
      max_tokens: 2048
      thinking: { type: enabled, budget_tokens: 1024 }
      aws_secret_access_key: ${AWS_SECRET}
      vertex_credentials: ${VERTEX_SECRET}
      some_unknown: z
general_settings:
  master_key: sk-1234
`;

let run: GatewayOnMocks;

beforeAll(async () => {
  run = await startGatewayOnMocks(config, {}, { logLevel: 'warn' });
});
afterAll(async () => run?.close());
beforeEach(() => run.mock.reset());

const hello = [{ role: 'user' as const, content: 'hello there' }];

/** The one request the mock received, and its body as sent. */
function onlyUpstreamRequest(): RecordedRequest & { body: Record<string, unknown> } {
  expect(run.mock.requests).toHaveLength(1);
  const request = run.mock.requests[0]!;
  expect(typeof request.body).toBe('object');
  return request as RecordedRequest & { body: Record<string, unknown> };
}

describe('litellm_params upstream', () => {
  it("OpenAI gets its accepted defaults and extra_body, never another provider's credentials or an unknown key", async () => {
    await run.gw.client().chat.completions.create({ model: 'gpt', messages: hello });
    const { path, body, headers } = onlyUpstreamRequest();
    expect(path).toBe('/v1/chat/completions');
    expect(body).toEqual({ model: 'gpt-4o', messages: hello, temperature: 0.3, top_k: 7 });
    const sent = JSON.stringify({ body, headers });
    expect(sent).not.toContain('SECRET');
    expect(sent).not.toContain('some_unknown');
  });

  it('the same holds for a streamed call', async () => {
    const stream = await run.gw.client().chat.completions.create({ model: 'gpt', messages: hello, stream: true });
    for await (const _chunk of stream) {
      // drained: the request is recorded when it arrives
    }
    const { body } = onlyUpstreamRequest();
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream', 'stream_options', 'temperature', 'top_k']);
  });

  it('Anthropic gets the parameters it takes (translated or native), and nothing else', async () => {
    await run.gw.client().chat.completions.create({ model: 'claude', messages: hello });
    const { path, body, headers } = onlyUpstreamRequest();
    expect(path).toBe('/v1/messages');
    expect(body).toEqual({
      model: 'claude-3-haiku-20240307',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(JSON.stringify({ body, headers })).not.toContain('SECRET');
  });

  it('each ignored key was a warning at load, naming its path and never its value', () => {
    const warnings = run.gw.ring
      .tail()
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
      .filter((msg) => msg.includes('not sent upstream'));
    expect(warnings.map((msg) => msg.slice(0, msg.indexOf(':')))).toEqual([
      'model_list[0].litellm_params.aws_secret_access_key',
      'model_list[0].litellm_params.vertex_credentials',
      'model_list[0].litellm_params.some_unknown',
      'model_list[1].litellm_params.aws_secret_access_key',
      'model_list[1].litellm_params.vertex_credentials',
      'model_list[1].litellm_params.some_unknown',
    ]);
    expect(warnings.join('\n')).not.toContain('SECRET');
  });
});
