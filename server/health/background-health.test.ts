/** Background health checks on a short interval, against the shared mock providers. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
afterEach(() => {
  started.splice(0).forEach((b) => b.stop());
  vi.useRealTimers();
});

/** The scheduler's timers on a fake clock; probes, sockets and Date stay real. */
const fakeSchedulerClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });

/** Waits in real time for `condition`, turning the event loop (setImmediate, which the fake clock leaves alone). */
async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
const claude = (id: string, upstreamModel = 'claude-3-haiku', overrides: Partial<Deployment> = {}) =>
  testDeployment({ id, modelName: id, provider: 'anthropic', upstreamModel, apiBase: mock.url, apiKey: 'sk-ant-bg-0123456789', ...overrides });

function start(deployments: Deployment[], settings: GeneralSettings, idlePollMs?: number) {
  const health = new DeploymentHealth();
  // Each tick reads the settings; only a run reads the deployments.
  const reads = { settings: 0, deployments: 0 };
  const source = {
    deployments: () => (reads.deployments++, deployments),
    settings: () => (reads.settings++, settings),
    health,
  };
  const bg = startBackgroundHealth(source, idlePollMs === undefined ? {} : { idlePollMs });
  started.push(bg);
  return { bg, health, reads };
}

describe('backgroundSettings', () => {
  it('is off unless background_health_checks is true; the interval defaults to 300 s', () => {
    expect(backgroundSettings({})).toEqual({ enabled: false, intervalMs: 300_000 });
    expect(backgroundSettings({ background_health_checks: true, health_check_interval: 60 })).toEqual({ enabled: true, intervalMs: 60_000 });
    expect(backgroundSettings({ background_health_checks: true, health_check_interval: 0 }).intervalMs).toBe(300_000);
  });
});

describe('startBackgroundHealth', () => {
  it('checks every deployment at start and then every health_check_interval, recording the results; stop() ends it', async () => {
    fakeSchedulerClock();
    const { bg, health, reads } = start(
      [claude('ok'), claude('bad', 'claude-error-500'), claude('quiet', 'x', { modelInfo: { disable_background_health_check: true } })],
      {
        background_health_checks: true,
        health_check_interval: 0.1,
      },
    );
    const haikuProbes = () => mock.requests.filter((r) => r.model === 'claude-3-haiku').length;
    await vi.advanceTimersByTimeAsync(0); // the first run, at start
    await until(() => bg.lastRunAt() !== undefined);
    expect(bg.lastReport()).toMatchObject({ healthy_count: 1, unhealthy_count: 1, skipped_count: 1 });
    expect(health.lastCheck('ok')).toMatchObject({ healthy: true });
    expect(health.lastCheck('bad')).toMatchObject({ healthy: false, error: expect.any(String) });
    expect(health.lastCheck('quiet')).toMatchObject({ skipped: true });
    expect(haikuProbes()).toBe(1);
    // Then one run per interval (100 ms), each waiting for the one before to finish.
    for (const run of [2, 3]) {
      const report = bg.lastReport();
      await vi.advanceTimersByTimeAsync(99);
      expect(reads.deployments).toBe(run - 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(reads.deployments).toBe(run);
      await until(() => bg.lastReport() !== report); // done (and the next run scheduled)
      expect(haikuProbes()).toBe(run);
    }
    expect(mock.requests.some((r) => r.model === 'x')).toBe(false);

    bg.stop();
    const ticks = reads.settings;
    await vi.advanceTimersByTimeAsync(60_000); // 600 intervals: not one tick
    expect(reads.settings).toBe(ticks);
    expect(reads.deployments).toBe(3);
    expect(haikuProbes()).toBe(3);
  });

  it('does nothing while off, and starts when a reload turns it on', async () => {
    fakeSchedulerClock();
    const settings: GeneralSettings = {};
    const { bg, reads } = start([claude('ok')], settings, 20);
    // Off: each idle poll (every 20 ms) reads the settings and only schedules the next poll.
    await vi.advanceTimersByTimeAsync(100);
    expect(reads.settings).toBe(6); // at 0, 20, 40, 60, 80 and 100 ms
    expect(reads.deployments).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    expect(bg.lastRunAt()).toBeUndefined();
    settings.background_health_checks = true;
    settings.health_check_interval = 60;
    await vi.advanceTimersByTimeAsync(20);
    expect(reads.deployments).toBe(1); // the next poll runs the checks
    await until(() => bg.lastRunAt() !== undefined);
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
