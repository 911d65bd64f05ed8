/**
 * No silent $0, through real HTTP: prices a deployment states itself (model_info or litellm_params, a wildcard's
 * too) are what its spend rows cost; a dated snapshot the table does not know is priced as its undated alias; a
 * model with no price anywhere is served, recorded at $0 and flagged `unpriced` (spend rows, /model/info, the log)
 * — and refused, 400 model_unpriced, to a key with a budget unless general_settings.allow_unpriced_models is set.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelInfoAnswer, UsageSummary } from '../server/core/admin-api.ts';
import { loadPriceTable } from '../server/prices/price-table.ts';
import type { MockProviders } from './mock-providers/index.ts';
import { admin, chat, expectOpenAIError, mockTokens, usd, type Admin } from './support/admin.ts';
import { sendMessage } from './support/anthropic-client.ts';
import { startGatewayOnMocks, type GatewayOnMocks, type TestGateway } from './support/gateway.ts';

const config = (mockUrl: string, general = '') => `
model_list:
  - model_name: priced-by-info
    litellm_params: { model: openai/house-model-a, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: house-a, input_cost_per_token: 0.000001, output_cost_per_token: 0.000003 }
  - model_name: priced-by-params
    litellm_params: { model: openai/house-model-b, api_base: "${mockUrl}/v1", api_key: sk-upstream, input_cost_per_token: 0.000002, output_cost_per_token: 0.000004 }
    model_info: { id: house-b }
  - model_name: "house-*"
    litellm_params: { model: "openai/house-*", api_base: "${mockUrl}/v1", api_key: sk-upstream, input_cost_per_token: 0.0000005 }
    model_info: { id: house-wildcard, output_cost_per_token: 0.0000015 }
  - model_name: gpt-5.5-2026-09-01
    litellm_params: { model: openai/gpt-5.5-2026-09-01, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: dated }
  - model_name: brand-new
    litellm_params: { model: openai/gpt-brand-new, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: brand-new-1 }
  - model_name: "claude-*"
    litellm_params: { model: "anthropic/claude-*", api_base: "${mockUrl}", api_key: sk-ant-upstream }
    model_info: { id: claude-any }
  - model_name: local-free
    litellm_params: { model: openai/my-local-llama, api_base: "${mockUrl}/v1", api_key: sk-upstream, input_cost_per_token: 0, output_cost_per_token: 0 }
    model_info: { id: local-free-1 }
  - model_name: mixed
    litellm_params: { model: openai/gpt-brand-new-2, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: mixed-unpriced }
  - model_name: mixed
    litellm_params: { model: openai/gpt-4o, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: mixed-priced }
  - model_name: new-with-fallback
    litellm_params: { model: openai/gpt-brand-new-3, api_base: "${mockUrl}/v1", api_key: sk-upstream }
    model_info: { id: new-with-fallback-1 }
router_settings:
  num_retries: 0
  fallbacks: [{ new-with-fallback: [priced-by-info] }]
general_settings:
  master_key: sk-1234
${general}
`;

const TEXT = 'price this call exactly';
const TOKENS = mockTokens(TEXT);
const CALL = { messages: [{ role: 'user', content: TEXT }], max_tokens: 20 };
/** Nano-dollars for the call at these per-token prices (given in nano-dollars per token). */
const nanos = (input: number, output: number) => TOKENS.prompt * input + TOKENS.completion * output;

let running: GatewayOnMocks | undefined;
let mock: MockProviders;
let gw: TestGateway;
let api: Admin;

beforeAll(async () => {
  running = await startGatewayOnMocks(config, {}, { dataDir: true, logLevel: 'warn' });
  ({ mock, gw } = running);
  api = admin(gw.url);
});
afterAll(() => running?.close());
beforeEach(() => mock.reset());

/** Calls `model` with `key` and returns its one spend row. */
async function billed(model: string, key = 'sk-1234') {
  const answer = await chat(gw.url, key, { model, ...CALL });
  expect(answer.status, answer.text).toBe(200);
  const requestId = answer.headers.get('x-litellm-call-id') ?? '';
  const { rows } = await api.spendLogs({ request_id: requestId });
  expect(rows).toHaveLength(1);
  return { answer, row: rows[0]! };
}

describe('prices a deployment states itself', () => {
  it('model_info prices are what the call costs', async () => {
    const { answer, row } = await billed('priced-by-info');
    const cost = usd(nanos(1_000, 3_000));
    expect(Number(answer.headers.get('x-litellm-response-cost'))).toBe(cost);
    expect(row.spend).toBe(cost);
    expect(row.metadata).toMatchObject({ cost_source: 'deployment', spend_nanos: nanos(1_000, 3_000) });
  });

  it('litellm_params prices are what the call costs', async () => {
    const { row } = await billed('priced-by-params');
    expect(row.spend).toBe(usd(nanos(2_000, 4_000)));
    expect(row.metadata.cost_source).toBe('deployment');
  });

  it("a wildcard's prices (split between litellm_params and model_info) price every model it serves", async () => {
    const { row } = await billed('house-anything-7');
    expect(row.model_id).toBe('house-wildcard:house-anything-7');
    expect(row.spend).toBe(usd(nanos(500, 1_500)));
    expect(row.metadata.cost_source).toBe('deployment');
  });
});

describe('a price of 0 written on the deployment (a free, local model)', () => {
  it('is a price: a key with a budget may call it, and its row says deployment, not unpriced', async () => {
    const { key } = await api.generateKey({ max_budget: 1 });
    const { row } = await billed('local-free', key);
    expect(row.spend).toBe(0);
    expect(row.metadata.cost_source).toBe('deployment');
  });
});

describe('a dated snapshot the table does not know', () => {
  it('is priced as its undated alias', async () => {
    const table = loadPriceTable();
    expect(table.has('gpt-5.5-2026-09-01')).toBe(false);
    const alias = table.get('gpt-5.5')!;
    const { row } = await billed('gpt-5.5-2026-09-01');
    const expected = nanos(Math.round(alias.input_cost_per_token! * 1e9), Math.round(alias.output_cost_per_token! * 1e9));
    expect(expected).toBeGreaterThan(0);
    expect(row.metadata).toMatchObject({ cost_source: 'price_table', spend_nanos: expected });
  });
});

describe('a model with no price', () => {
  it('is served to a key without a budget, recorded at $0 and flagged unpriced', async () => {
    const { key } = await api.generateKey({});
    const before = (await api.get<UsageSummary>('/admin/usage/summary')).json.unpriced_requests;
    const { row } = await billed('brand-new', key);
    expect(row.spend).toBe(0);
    expect(row.metadata.cost_source).toBe('unpriced');
    // The dashboard's totals count what they leave out.
    expect((await api.get<UsageSummary>('/admin/usage/summary')).json.unpriced_requests).toBe(before + 1);
  });

  it('/model/info says which deployments are unpriced and where the others are priced from', async () => {
    const info = await api.get<ModelInfoAnswer>('/model/info');
    const byId = new Map(info.json.data.map((d) => [d.model_info.id, d.model_info]));
    expect(byId.get('brand-new-1')).toMatchObject({ cost_source: 'unpriced', price_table_entry: null });
    expect(byId.get('dated')).toMatchObject({ cost_source: 'price_table', price_table_entry: 'gpt-5.5' });
    expect(byId.get('house-a')).toMatchObject({ cost_source: 'deployment', input_cost_per_token: 0.000001 });
    expect(byId.get('house-wildcard')?.cost_source).toBe('per_model');
  });

  it('is warned about once in the log, at startup', async () => {
    await billed('brand-new');
    const warnings = gw.ring.tail().filter((line) => line.includes('has no price') && line.includes('brand-new-1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('general_settings.allow_unpriced_models');
    // Priced deployments are never named.
    expect(gw.ring.tail().some((line) => line.includes('has no price') && line.includes('house-a'))).toBe(false);
  });

  it('is refused to a key with a budget, before any upstream call, naming the way out', async () => {
    const { key } = await api.generateKey({ max_budget: 10 });
    const answer = await chat(gw.url, key, { model: 'brand-new', ...CALL });
    const error = expectOpenAIError(answer, 400, 'model_unpriced', 'invalid_request_error');
    expect(error.param).toBe('model');
    expect(error.message).toContain('brand-new');
    expect(error.message).toContain('brand-new-1');
    expect(error.message).toContain('input_cost_per_token');
    expect(error.message).toContain('--update-prices');
    expect(error.message).toContain('general_settings.allow_unpriced_models: true');
    expect(mock.requests).toHaveLength(0);
    // Priced models still work for the same key.
    expect((await chat(gw.url, key, { model: 'priced-by-info', ...CALL })).status).toBe(200);
    expect((await api.keyInfo(key)).spend).toBe(usd(nanos(1_000, 3_000)));
  });

  it('a key with a budget is served by the priced deployment of a group that mixes both, every time', async () => {
    const { key } = await api.generateKey({ max_budget: 10 });
    for (let i = 0; i < 8; i++) {
      const answer = await chat(gw.url, key, { model: 'mixed', ...CALL });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.headers.get('x-litellm-model-id')).toBe('mixed-priced');
    }
    expect(mock.requests.map((r) => r.model)).toEqual(Array(8).fill('gpt-4o'));
  });

  it('an unpriced group falls back to a priced one for a key with a budget', async () => {
    const { key } = await api.generateKey({ max_budget: 10 });
    const answer = await chat(gw.url, key, { model: 'new-with-fallback', ...CALL });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('x-litellm-model-id')).toBe('house-a');
    expect(mock.requests.map((r) => r.model)).toEqual(['house-model-a']);
  });
});

describe("Claude Code's newest models through /v1/messages (a claude-* wildcard)", () => {
  const message = { max_tokens: 20, messages: [{ role: 'user', content: TEXT }] };

  it('a dated snapshot of a model in the table is billed at its alias price', async () => {
    const alias = loadPriceTable().get('claude-opus-5')!;
    const answer = await sendMessage(gw.url, { ...message, model: 'claude-opus-5-20270115' }, { key: 'sk-1234' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const { rows } = await api.spendLogs({ request_id: answer.headers.get('x-litellm-call-id') ?? '' });
    expect(rows[0]?.metadata.cost_source).toBe('price_table');
    const nanosPer = (perToken: number | undefined) => Math.round((perToken ?? 0) * 1e9);
    const { prompt_tokens, completion_tokens } = rows[0]!;
    expect(rows[0]?.metadata.spend_nanos).toBe(
      prompt_tokens * nanosPer(alias.input_cost_per_token) + completion_tokens * nanosPer(alias.output_cost_per_token),
    );
    expect(rows[0]?.spend).toBeGreaterThan(0);
  });

  it('a model the table does not know is flagged for the master key and refused, in Anthropic’s error shape, to a budgeted key', async () => {
    const served = await sendMessage(gw.url, { ...message, model: 'claude-nextgen-9' }, { key: 'sk-1234' });
    expect(served.status).toBe(200);
    const { rows } = await api.spendLogs({ request_id: served.headers.get('x-litellm-call-id') ?? '' });
    expect(rows[0]?.metadata).toMatchObject({ cost_source: 'unpriced', spend_nanos: 0 });

    const { key } = await api.generateKey({ max_budget: 10 });
    mock.reset();
    const refused = await sendMessage(gw.url, { ...message, model: 'claude-nextgen-9' }, { key });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(refused.body.error.message).toContain('claude-any:claude-nextgen-9');
    expect(refused.body.error.message).toContain('general_settings.allow_unpriced_models: true');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('general_settings.allow_unpriced_models: true', () => {
  let allowing: GatewayOnMocks | undefined;
  afterAll(() => allowing?.close());

  it('lets a key with a budget call an unpriced model; the row is flagged and costs $0', async () => {
    allowing = await startGatewayOnMocks((url) => config(url, '  allow_unpriced_models: true'));
    const other = admin(allowing.gw.url);
    const { key } = await other.generateKey({ max_budget: 10 });
    const answer = await chat(allowing.gw.url, key, { model: 'brand-new', ...CALL });
    expect(answer.status, answer.text).toBe(200);
    const { rows } = await other.spendLogs({ request_id: answer.headers.get('x-litellm-call-id') ?? '' });
    expect(rows[0]?.metadata).toMatchObject({ cost_source: 'unpriced', spend_nanos: 0 });
    expect((await other.keyInfo(key)).spend).toBe(0);
  });
});
