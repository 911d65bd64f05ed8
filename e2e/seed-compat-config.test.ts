/**
 * Seed 000's config writes `llm_settings:` for `litellm_settings:`. Its fallbacks, retries and drop_params must
 * be in force (they were silently off), and the dashboard's config export must treat the section as it treats
 * litellm_settings (a literal password in it moves to the secret store, the export refers to it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { expectValid } from './support/openapi.ts';
import { startGatewayOnMocks, startTestGateway, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';

const MASTER = 'sk-1234';
let running: GatewayOnMocks | undefined;
let gw: TestGateway | undefined;
afterEach(async () => {
  await running?.close();
  await gw?.close();
  running = undefined;
  gw = undefined;
});

describe('llm_settings (seed 000)', () => {
  it('its fallbacks and drop_params are in force: a failing model is answered by its fallback', async () => {
    running = await startGatewayOnMocks(
      (mockUrl) => `
model_list:
  - model_name: gpt-3.5-turbo
    llm_params:
      model: openai/gpt-3.5-turbo-error-500
      api_base: ${mockUrl}/v1
      api_key: sk-upstream-seed
  - model_name: gpt-4
    llm_params:
      model: openai/gpt-4
      api_base: ${mockUrl}/v1
      api_key: sk-upstream-seed
llm_settings:
  num_retries: 0
  fallbacks: [{ "gpt-3.5-turbo": ["gpt-4"] }]
  drop_params: True
general_settings:
  master_key: ${MASTER}
`,
    );
    const completion = await running.gw.client(MASTER).chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hey' }] });
    expectValid('CreateChatCompletionResponse', completion);
    const upstream = running.mock.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => (r.body as { model: string }).model);
    expect(upstream).toEqual(['gpt-3.5-turbo-error-500', 'gpt-4']);
  });

  it('the config export moves a literal secret out of llm_settings as it does out of litellm_settings', async () => {
    gw = await startTestGateway(
      `model_list:
  - model_name: echo
    litellm_params: { model: mock/echo }
llm_settings:
  cache: true
  cache_params: { type: local, password: redis-pass-Hq2Wm9Lx4 }
general_settings:
  master_key: ${MASTER}
`,
      {},
      { dataDir: true, configFile: true },
    );
    const res = await fetch(`${gw.url}/admin/config/export`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('redis-pass-Hq2Wm9Lx4');
    const tree = parse(text, { version: '1.1' }) as { llm_settings: { cache_params: { password: string } } };
    expect(tree.llm_settings.cache_params.password).toMatch(/^keychain\//);
  });
});
