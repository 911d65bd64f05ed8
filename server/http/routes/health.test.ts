/** /health with background checks, `?model=` and health_check_details, through createGateway and inject. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../../../e2e/mock-providers/index.ts';
import { emptyConfig, type GatewayConfig, type GeneralSettings } from '../../core/config-types.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import type { DeploymentHealthAnswer } from './deployment-health-route.ts';

const MASTER_KEY = 'sk-master-health-0123456789';
const { logger } = createLogger({ level: 'silent', destination: null });
const headers = { authorization: `Bearer ${MASTER_KEY}` };

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function gateway(general: GeneralSettings = {}): Promise<Gateway> {
  const config: GatewayConfig = emptyConfig();
  config.model_list.push(
    { model_name: 'claude', litellm_params: { model: 'anthropic/claude-3-haiku', api_base: mock.url, api_key: 'sk-ant-health-0123456789' } },
    { model_name: 'broken', litellm_params: { model: 'anthropic/claude-error-500', api_base: mock.url, api_key: 'sk-ant-health-0123456789' } },
  );
  config.general_settings = { master_key: MASTER_KEY, ...general };
  const g = await createGateway({ config, logger, env: {} });
  gateways.push(g);
  return g;
}

const getHealth = async (g: Gateway, query = '') => (await g.app.inject({ method: 'GET', url: `/health${query}`, headers })).json();

describe('/health', () => {
  it('probes every deployment on each call without background checks', async () => {
    const g = await gateway();
    expect(await getHealth(g)).toMatchObject({ healthy_count: 1, unhealthy_count: 1, skipped_count: 0 });
    expect(await getHealth(g)).toMatchObject({ healthy_count: 1, unhealthy_count: 1 });
    expect(mock.requests).toHaveLength(4);
  });

  it('answers from the background checks when they are on; ?model= probes that model now', async () => {
    const g = await gateway({ background_health_checks: true, health_check_interval: 300 });
    const admin = async () =>
      ((await g.app.inject({ method: 'GET', url: '/admin/deployments/health', headers })).json() as DeploymentHealthAnswer).background_health_checks;
    await expect.poll(async () => (await admin()).last_run_at, { timeout: 3000 }).not.toBeNull();
    expect(await admin()).toMatchObject({ enabled: true, interval_s: 300 });
    expect(mock.requests).toHaveLength(2);
    const report = await getHealth(g);
    expect(report).toMatchObject({ healthy_count: 1, unhealthy_count: 1 });
    expect(report.unhealthy_endpoints[0]).toMatchObject({ model: 'anthropic/claude-error-500', model_name: 'broken', api_base: mock.url });
    expect(mock.requests).toHaveLength(2);
    expect(await getHealth(g, '?model=claude')).toMatchObject({ healthy_count: 1, unhealthy_count: 0 });
    expect(mock.requests).toHaveLength(3);
  });

  it('hides api_base and errors with health_check_details: false', async () => {
    const g = await gateway({ health_check_details: false });
    const report = await getHealth(g);
    expect(report.unhealthy_endpoints).toEqual([{ model: 'anthropic/claude-error-500', model_name: 'broken', model_id: expect.any(String) }]);
  });
});
