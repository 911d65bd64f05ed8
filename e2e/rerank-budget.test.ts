/**
 * A rerank call against a key's max_budget: a model priced per query (cohere/rerank-v3.5, the price table's
 * input_cost_per_query $0.002) costs at least one query's price whatever its tokens, so the reservation holds that
 * much and a key with less left is refused before any upstream call; a key with enough is served and its spend row
 * holds exactly the query's price. Through a real gateway on the shared Cohere mock (1 search unit per 100 documents).
 */
import { describe, expect, it } from 'vitest';
import type { MockProviders } from './mock-providers/index.ts';
import type { Admin } from './support/admin.ts';
import type { TestGateway } from './support/gateway.ts';
import { withGatewayOnMocks } from './support/gateway-per-file.ts';
import { expectValid } from './support/openapi.ts';
import { spendRowOf } from './support/provider-contract.ts';

/** cohere/rerank-v3.5's input_cost_per_query in the bundled price table. */
const QUERY_PRICE = 0.002;

let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

const config = (mockUrl: string) => `
model_list:
  - model_name: rerank
    litellm_params: { model: cohere/rerank-v3.5, api_base: "${mockUrl}", api_key: co-upstream-key }
general_settings:
  master_key: sk-1234
`;

withGatewayOnMocks(config, { dataDir: true }, (started) => {
  ({ mock, gw, api } = started);
});

const rerank = (key: string) =>
  fetch(`${gw.url}/v1/rerank`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rerank', query: 'capital France', documents: ['Paris is the capital of France.', 'Berlin'] }),
  });

const upstreamReranks = () => mock.requests.filter((r) => r.path === '/v2/rerank').length;

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expectValid('ErrorResponse', body);
  expect(body.error.code).toBe('insufficient_quota');
  expect(body.error.message).toMatch(/^Budget has been exceeded!/);
}

describe('rerank against a key’s budget', () => {
  it('refuses a key whose budget is below one query’s price, before calling upstream', async () => {
    const { key } = await api.generateKey({ max_budget: QUERY_PRICE / 2 });
    await expectRefused(await rerank(key));
    expect(upstreamReranks()).toBe(0);
    expect((await api.keyInfo(key)).spend).toBe(0);
  });

  it('serves a key with enough for one query, records exactly its price, then refuses the rest it cannot pay', async () => {
    const { key } = await api.generateKey({ max_budget: QUERY_PRICE * 1.5 });
    const res = await rerank(key);
    expect(res.status).toBe(200);
    const row = await spendRowOf(api, res.headers.get('x-litellm-call-id'));
    expect(row.call_type).toBe('arerank');
    expect(row.spend).toBe(QUERY_PRICE);
    expect((await api.keyInfo(key)).spend).toBe(QUERY_PRICE);
    // Half a query's price is left: not enough for another.
    await expectRefused(await rerank(key));
    expect(upstreamReranks()).toBe(1);
  });
});
