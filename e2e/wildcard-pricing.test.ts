/**
 * One wildcard deployment serving many models, as the README sets up Claude Code (`model_name: "claude-*"` →
 * `anthropic/claude-*`): each concrete model is its own deployment to the router and the price book, so it is
 * billed at its own price from the bundled price table and a 429 on one model never cools another. The
 * concrete copy's id is the configured id with the upstream model after a colon.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentHealthAnswer } from '../server/core/admin-api.ts';
import { admin, mockTokens, usd } from './support/admin.ts';
import { hi, MASTER_KEY, sendMessage } from './support/anthropic-client.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const running: GatewayOnMocks[] = [];
afterEach(async () => {
  await Promise.allSettled(running.splice(0).map((r) => r.close()));
});

/** Nano-dollars per token in the bundled table: Haiku 3 $0.25 / $1.25, Opus 3 $15 / $75 per million. */
const HAIKU = { model: 'claude-3-haiku-20240307', input: 250, output: 1_250 };
const OPUS = { model: 'claude-3-opus-20240229', input: 15_000, output: 75_000 };

// request_timeout 3 s: shorter than the mock's Retry-After (7 s), so a request for a cooling group is refused
// at once instead of waiting the cooldown out.
const config = (mockUrl: string) => `
model_list:
  - model_name: "claude-*"
    litellm_params: { model: "anthropic/claude-*", api_base: "${mockUrl}", api_key: sk-ant-up }
    model_info: { id: claude-wildcard }
litellm_settings:
  num_retries: 0
  request_timeout: 3
general_settings:
  master_key: ${MASTER_KEY}
`;

async function start() {
  const started = await startGatewayOnMocks(config, {}, { dataDir: true });
  running.push(started);
  return { url: started.gw.url, api: admin(started.gw.url, MASTER_KEY) };
}

const text = 'price this call at the model’s own rate';

describe('a claude-* wildcard deployment', () => {
  it('bills each Claude model at its own price, whichever is asked first', async () => {
    const { url, api } = await start();
    const tokens = mockTokens(text);
    for (const priced of [HAIKU, OPUS, HAIKU]) {
      const answer = await sendMessage(url, { ...hi, model: priced.model, messages: [{ role: 'user', content: text }] });
      expect(answer.status).toBe(200);
      expect(answer.modelId).toBe(`claude-wildcard:${priced.model}`);
      const cost = usd(tokens.prompt * priced.input + tokens.completion * priced.output);
      expect(Number(answer.headers.get('x-litellm-response-cost'))).toBe(cost);

      const { rows } = await api.spendLogs({ request_id: answer.headers.get('x-litellm-call-id') ?? '' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ spend: cost, model: priced.model, model_id: `claude-wildcard:${priced.model}`, model_group: priced.model });
    }
  });

  it('a 429 on one model cools only that model; the dashboard lists each model under the configured deployment', async () => {
    const { url, api } = await start();
    const limited = await sendMessage(url, { ...hi, model: 'claude-3-opus-error-429' });
    expect(limited.status).toBe(429);

    const other = await sendMessage(url, { ...hi, model: HAIKU.model });
    expect([other.status, other.modelId]).toEqual([200, `claude-wildcard:${HAIKU.model}`]);
    // The limited model itself is still cooling: refused by the gateway without another upstream call.
    const again = await sendMessage(url, { ...hi, model: 'claude-3-opus-error-429' });
    expect([again.status, again.body.error?.type]).toEqual([429, 'rate_limit_error']);

    const health = await api.get<DeploymentHealthAnswer>('/admin/deployments/health');
    const rows = health.json.deployments.map((d) => ({ id: d.id, model_name: d.model_name, model: d.model, state: d.state }));
    expect(rows).toEqual([
      { id: 'claude-wildcard', model_name: 'claude-*', model: 'anthropic/claude-*', state: 'unknown' },
      { id: 'claude-wildcard:claude-3-haiku-20240307', model_name: 'claude-*', model: 'anthropic/claude-3-haiku-20240307', state: 'healthy' },
      { id: 'claude-wildcard:claude-3-opus-error-429', model_name: 'claude-*', model: 'anthropic/claude-3-opus-error-429', state: 'cooling' },
    ]);
  });
});
