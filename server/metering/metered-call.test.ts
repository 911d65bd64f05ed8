/**
 * The unpriced-model refusal at admission: a key with a budget is refused a deployment with no price before
 * anything about the call changes, so the router may still admit it to a priced deployment (a retry or a
 * fallback) and the reservation is made there; keys without a budget are served and their row is flagged.
 * Also: a failed call’s error message is stored masked and capped, beside the model name the client asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/index.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { createLogger } from '../observe/logger.ts';
import { MAX_ERROR_MESSAGE_CHARS, MeteredCall } from './metered-call.ts';
import { gatewayErrorFrom } from '../test-support/fixtures.ts';

const CONFIG = `
model_list:
  - model_name: unpriced
    litellm_params: { model: openai/gpt-brand-new, api_base: "http://127.0.0.1:9/v1", api_key: sk-x }
  - model_name: priced
    litellm_params: { model: openai/gpt-brand-new-2, api_base: "http://127.0.0.1:9/v1", api_key: sk-x, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }
  - model_name: gpt-4o
    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: sk-x }
general_settings: { master_key: sk-master }
`;

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function setup(maxBudgetNanos: number | null) {
  const { logger } = createLogger({ level: 'silent', destination: null });
  const gateway = await createGateway({ config: parseConfig(CONFIG, 'config.yaml', { env: {} }).resolved, env: {}, port: 0, logger });
  gateways.push(gateway);
  const { services, state } = gateway.runtime;
  const { rawKey } = services.keys.generate(maxBudgetNanos === null ? {} : { maxBudgetNanos });
  const verified = services.keys.verify(rawKey);
  const meter = new MeteredCall(
    { services, prices: state.prices, logger },
    { kind: 'virtual', key: verified },
    'req-1',
    'chat',
    { messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 },
    false,
  );
  const deployment = (group: string) => state.router.resolve(group).deployments[0]!;
  return { gateway, meter, deployment, keyId: verified.id, budgets: services.budgets };
}

describe('admitting a call of a key with a budget', () => {
  it('refuses an unpriced deployment with nothing changed, then admits and reserves at a priced one', async () => {
    const { meter, deployment, keyId, budgets } = await setup(1_000_000_000);
    const error = gatewayErrorFrom(() => meter.admit(deployment('unpriced'), 'unpriced'));
    expect([error.status, error.code, error.param]).toEqual([400, 'model_unpriced', 'model']);
    expect(meter.admitted).toBe(false);
    expect(budgets.snapshot(keyId)).toEqual({ reservedNanos: 0, calls: 0 });

    meter.admit(deployment('priced'), 'priced');
    expect(meter.admitted).toBe(true);
    const held = budgets.snapshot(keyId);
    expect(held.calls).toBe(1);
    expect(held.reservedNanos).toBeGreaterThan(0);

    // A fallback to an unpriced group is refused too; the reservation stays where it was.
    expect(gatewayErrorFrom(() => meter.servedBy(deployment('unpriced'), 'unpriced')).code).toBe('model_unpriced');
    expect(budgets.snapshot(keyId)).toEqual(held);
    // One to a priced group moves it.
    meter.servedBy(deployment('gpt-4o'), 'gpt-4o');
    expect(budgets.snapshot(keyId).reservedNanos).not.toBe(held.reservedNanos);

    meter.finish({ httpStatus: 200, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    expect(budgets.snapshot(keyId)).toEqual({ reservedNanos: 0, calls: 0 });
    expect(meter.costNanos).toBe(10 * 2_500 + 5 * 10_000);
  });

  it('admits an unpriced deployment when general_settings.allow_unpriced_models is set', async () => {
    const { meter, deployment, budgets } = await setup(1_000_000_000);
    budgets.allowUnpriced = () => true;
    meter.admit(deployment('unpriced'), 'unpriced');
    expect(meter.admitted).toBe(true);
  });
});

describe('a key without a budget', () => {
  it('is served by an unpriced deployment; the row costs 0 and says unpriced', async () => {
    const { gateway, meter, deployment } = await setup(null);
    meter.admit(deployment('unpriced'), 'unpriced');
    meter.finish({ httpStatus: 200, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    gateway.runtime.services.journal.flush();
    const [row] = gateway.runtime.services.spendLog.query({ requestId: 'req-1' }, { page: 1, pageSize: 1 }).rows;
    expect(row).toMatchObject({ costNanos: 0, costSource: 'unpriced', deploymentId: deployment('unpriced').id });
  });
});

describe('a failed call’s error message in its spend row', () => {
  const SECRET = 'plain-credential-nobody-guesses';

  async function failedRow(message: string) {
    const { logger } = createLogger({ level: 'silent', destination: null });
    const gateway = await createGateway({ config: parseConfig(CONFIG, 'config.yaml', { env: {} }).resolved, env: {}, port: 0, logger });
    gateways.push(gateway);
    const { services, state } = gateway.runtime;
    const body = { model: 'asked-for', messages: [{ role: 'user', content: 'hi' }] };
    const meter = new MeteredCall({ services, prices: state.prices, logger, secrets: () => [SECRET] }, { kind: 'master' }, 'req-failed', 'chat', body, false);
    meter.finish({ httpStatus: 502, error: { type: 'upstream_error', code: null, message } });
    services.journal.flush();
    return services.spendLog.query({ requestId: 'req-failed' }, { page: 1, pageSize: 1 }).rows[0]!;
  }

  it('is stored with known secrets and key-shaped tokens masked, beside the requested model', async () => {
    const row = await failedRow(`Bad credential ${SECRET}; also sk-proj-abcdefghijklmnop0123`);
    expect(row.errorMessage).toBe('Bad credential pla…sses; also sk-…0123');
    expect(row.requestedModel).toBe('asked-for');
  });

  it('is cut to MAX_ERROR_MESSAGE_CHARS (an upstream may answer a whole HTML page)', async () => {
    const row = await failedRow(`<html>${'x'.repeat(MAX_ERROR_MESSAGE_CHARS * 2)}</html>`);
    expect(row.errorMessage).toHaveLength(MAX_ERROR_MESSAGE_CHARS);
    expect(row.errorMessage?.endsWith('…')).toBe(true);
  });
});
