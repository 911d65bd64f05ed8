/**
 * AI21 Studio (Jamba) through a real gateway, driven by the official openai SDK: chat, stream + usage chunk,
 * system, tools round trip, AI21's parameters, error mapping and priced spend rows.
 */
import { describe, expect, it } from 'vitest';
import { AI21_PATH, type MockProviders } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import * as contract from './support/provider-contract.ts';

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: jamba
    litellm_params: { model: ai21/jamba-mini-1.7, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: jamba-large
    litellm_params: { model: ai21_chat/jamba-large-1.7, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key, documents: [{ content: "house rules" }] }
  - model_name: busy
    litellm_params: { model: ai21/jamba-error-429, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: broken
    litellm_params: { model: ai21/jamba-error-500, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: overflow
    litellm_params: { model: ai21/jamba-context-overflow, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
  - model_name: blocked
    litellm_params: { model: ai21/jamba-content-policy, api_base: "${mockUrl}/studio/v1", api_key: ai21-upstream-key }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const sentBodies = () => mock.requests.filter((r) => r.path === AI21_PATH).map((r) => r.body as Record<string, any>);
const client = () => gw.client('sk-1234');

describe('AI21 chat', () => {
  it('answers with system prompt in OpenAI’s shape, usage as reported, a priced spend row', async () => {
    const { requestId } = await contract.expectChat(
      client(),
      {
        model: 'jamba',
        max_completion_tokens: 50,
        user: 'someone',
        messages: [
          { role: 'system', content: 'Be kind.' },
          { role: 'user', content: 'hello jamba' },
        ],
      },
      { content: 'echo: hello jamba', usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } },
    );
    const [sent] = sentBodies();
    expect(sent).toEqual({
      model: 'jamba-mini-1.7',
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'Be kind.' },
        { role: 'user', content: 'hello jamba' },
      ],
    });
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer ai21-upstream-key');
    await contract.expectPricedSpendRow(api, requestId, 4 * 2e-7 + 3 * 4e-7);
  });

  it('streams chunk by chunk with the usage chunk last, through ai21_chat/ with its documents default', async () => {
    await contract.expectStream(
      client(),
      { model: 'jamba-large', stream_options: { include_usage: true }, n: 1, messages: [{ role: 'user', content: 'stream it now' }] },
      { text: 'echo: stream it now', usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
    );
    expect(sentBodies()[0]).toMatchObject({ model: 'jamba-large-1.7', stream: true, n: 1, documents: [{ content: 'house rules' }] });
  });

  it('round-trips a tool call with its id and finish_reason tool_calls', async () => {
    const { call } = await contract.expectToolRoundTrip(client(), { model: 'jamba', question: 'Oslo weather', result: 'snow' });
    expect(sentBodies()[1]?.messages[1].tool_calls[0].id).toBe(call.id);
  });

  it('refuses parameters Jamba cannot take', async () => {
    await contract.expectParamRefused(client(), { model: 'jamba', presence_penalty: 0.5, messages: [{ role: 'user', content: 'x' }] }, 'presence_penalty');
    expect(sentBodies()).toHaveLength(0);
  });
});

describe('AI21 errors', () => {
  it('429 with Retry-After, 5xx as upstream error, context overflow and safety with their codes', async () => {
    await contract.expectRateLimited(gw.url, 'busy');
    await contract.expectChatErrors(client(), [
      ['broken', contract.UPSTREAM_FAILED],
      ['overflow', contract.CONTEXT_OVERFLOW],
      ['blocked', contract.CONTENT_POLICY],
    ]);
  });
});
