/**
 * GET /admin/deployments/health (master key): per deployment, the passive health from live traffic
 * (success rate, latency p50/p95, last error, cooldown, calls in flight over the last 5 minutes / 200 calls)
 * and the last active check, for the dashboard. Never a secret (see router/deployment-snapshot.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { DeploymentHealthAnswer } from '../../core/admin-api.ts';
import type { BackgroundHealth } from '../../health/background-health.ts';
import { backgroundSettings } from '../../health/background-health.ts';
import { STATS_WINDOW_CALLS, STATS_WINDOW_MS } from '../../router/deployment-health.ts';
import type { Runtime } from '../runtime.ts';

/** The admin API's wire shape (core/admin-api.ts). */
export type { DeploymentHealthAnswer };

export function registerDeploymentHealthRoute(app: FastifyInstance, runtime: Runtime, background: () => BackgroundHealth | undefined): void {
  app.get('/admin/deployments/health', async (): Promise<DeploymentHealthAnswer> => {
    const settings = backgroundSettings(runtime.state.config.general_settings);
    const lastRunAt = background()?.lastRunAt();
    return {
      window: { seconds: STATS_WINDOW_MS / 1000, max_calls: STATS_WINDOW_CALLS },
      background_health_checks: {
        enabled: settings.enabled,
        interval_s: settings.intervalMs / 1000,
        last_run_at: lastRunAt === undefined ? null : new Date(lastRunAt).toISOString(),
      },
      deployments: runtime.health.snapshot(runtime.state.router.deployments),
    };
  });
}
