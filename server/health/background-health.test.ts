/** Background health checks on a short interval, against the shared mock providers. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockProviders, type MockProviders } from '../../e2e/mock-providers/index.ts';
import type { GeneralSettings } from '../core/config-types.ts';
import type { Deployment } from '../providers/types.ts';
import { DeploymentHealth } from '../router/deployment-health.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { backgroundSettings, startBackgroundHealth, type BackgroundHealth } from './background-health.ts';

let mock: MockProviders;
beforeAll(async () => {
  mock = await startMockProviders();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const started: BackgroundHealth[] = [];
afterEach(() => started.splice(0).forEach((b) => b.stop()));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const claude = (id: string, upstreamModel = 'claude-3-haiku', overrides: Partial<Deployment> = {}) =>
  testDeployment({ id, modelName: id, provider: 'anthropic', upstreamModel, apiBase: mock.url, apiKey: 'sk-ant-bg-0123456789', ...overrides });

function start(deployments: Deployment[], settings: GeneralSettings, idlePollMs?: number) {
  const health = new DeploymentHealth();
  const bg = startBackgroundHealth({ deployments: () => deployments, settings: () => settings, health }, idlePollMs === undefined ? {} : { idlePollMs });
  started.push(bg);
  return { bg, health };
}

describe('backgroundSettings', () => {
  it('is off unless background_health_checks is true; the interval defaults to 300 s', () => {
    expect(backgroundSettings({})).toEqual({ enabled: false, intervalMs: 300_000 });
    expect(backgroundSettings({ background_health_checks: true, health_check_interval: 60 })).toEqual({ enabled: true, intervalMs: 60_000 });
    expect(backgroundSettings({ background_health_checks: true, health_check_interval: 0 }).intervalMs).toBe(300_000);
  });
});

describe('startBackgroundHealth', () => {
  it('checks every deployment at start and then every health_check_interval, recording the results', async () => {
    const { bg, health } = start([claude('ok'), claude('bad', 'claude-error-500'), claude('quiet', 'x', { modelInfo: { disable_background_health_check: true } })], {
      background_health_checks: true,
      health_check_interval: 0.1,
    });
    await expect.poll(() => bg.lastRunAt(), { timeout: 2000 }).toBeDefined();
    expect(bg.lastReport()).toMatchObject({ healthy_count: 1, unhealthy_count: 1, skipped_count: 1 });
    expect(health.lastCheck('ok')).toMatchObject({ healthy: true });
    expect(health.lastCheck('bad')).toMatchObject({ healthy: false, error: expect.any(String) });
    expect(health.lastCheck('quiet')).toMatchObject({ skipped: true });
    await expect.poll(() => mock.requests.filter((r) => r.model === 'claude-3-haiku').length, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    expect(mock.requests.some((r) => r.model === 'x')).toBe(false);
    bg.stop();
    await sleep(50);
    const after = mock.requests.length;
    await sleep(300);
    expect(mock.requests.length).toBe(after);
  });

  it('does nothing while off, and starts when a reload turns it on', async () => {
    const settings: GeneralSettings = {};
    const { bg } = start([claude('ok')], settings, 20);
    await sleep(150);
    expect(mock.requests).toHaveLength(0);
    expect(bg.lastRunAt()).toBeUndefined();
    settings.background_health_checks = true;
    settings.health_check_interval = 60;
    await expect.poll(() => bg.lastRunAt(), { timeout: 2000 }).toBeDefined();
    expect(mock.requests).toHaveLength(1);
  });

  it('stop() aborts a probe in progress', async () => {
    const { bg } = start([claude('hung', 'claude-hang')], { background_health_checks: true, health_check_interval: 60 });
    await mock.waitFor((r) => r.model === 'claude-hang');
    bg.stop();
    await mock.waitFor((r) => r.model === 'claude-hang' && r.aborted);
    expect(bg.lastRunAt()).toBeUndefined();
  });
});
