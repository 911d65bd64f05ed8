/**
 * Estimates on the Responses API count the whole conversation: a turn that continues another with
 * previous_response_id sends the upstream every earlier item, so when the provider reports no usage the
 * gateway's estimate (the spend row, and the budget reservation before it) counts those items too, not
 * just the new turn's input. Also: max_output_tokens bounds the reservation like max_tokens does on chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTextTokens } from '../server/spend/tokenizer.ts';
import { admin, type Admin } from './support/admin.ts';
import { startGatewayOnMocks, type GatewayOnMocks } from './support/gateway.ts';

const config = (mockUrl: string) => `
model_list:
  - model_name: quiet
    litellm_params: { model: openai/gpt-4o-no-usage, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
    model_info: { base_model: gpt-4o }
  - model_name: slow
    litellm_params: { model: openai/gpt-4o-slow-1000, api_base: "${mockUrl}/v1", api_key: sk-openai-up }
    model_info: { base_model: gpt-4o }
general_settings:
  master_key: sk-1234
`;

let running: GatewayOnMocks;
let api: Admin;
beforeAll(async () => {
  running = await startGatewayOnMocks(config);
  api = admin(running.gw.url);
});
afterAll(() => running?.close());

const LONG = 'the first turn talks at length about rivers, mountains, harbours and the weather of every season';

async function rowOf(id: string) {
  const { rows } = await api.spendLogs({ request_id: id });
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function create(body: Record<string, unknown>) {
  const res = await fetch(`${running.gw.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-1234', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return { id: ((await res.json()) as { id: string }).id, callId: res.headers.get('x-litellm-call-id') ?? '' };
}

describe('a continued conversation with no usage from the provider', () => {
  it('is estimated with the earlier turns in its prompt', async () => {
    const first = await create({ model: 'quiet', input: LONG });
    const second = await create({ model: 'quiet', input: 'and now?', previous_response_id: first.id });
    const row = await rowOf(second.callId);
    expect(row.metadata.usage_source).toBe('estimated');
    // The earlier turn's question alone is more tokens than this turn's input: it must be in the count.
    expect(row.prompt_tokens).toBeGreaterThan(countTextTokens(LONG) + countTextTokens('and now?'));
  });
});

describe('the budget reservation of a Responses call', () => {
  it('is bounded by max_output_tokens, as max_tokens bounds a chat call', async () => {
    // gpt-4o may write 16,384 tokens ($0.16 at its output price): more than this key may spend. Such a call runs
    // only alone; one that caps its output with max_output_tokens fits beside another call.
    const { key } = await api.generateKey({ max_budget: 0.01 });
    const call = (model: string, body: Record<string, unknown>) =>
      fetch(`${running.gw.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, input: 'hello', ...body }),
      });
    const inFlight = call('slow', { max_output_tokens: 16 });
    await running.mock.waitFor((r) => r.model === 'gpt-4o-slow-1000');
    const uncapped = await call('quiet', {});
    expect(uncapped.status).toBe(429);
    expect((await call('quiet', { max_output_tokens: 16 })).status).toBe(200);
    expect((await inFlight).status).toBe(200);
  });
});
