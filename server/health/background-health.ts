/**
 * LiteLLM's background health checks: with `general_settings.background_health_checks: true` every
 * deployment is probed at start and then every `health_check_interval` seconds (default 300); /health
 * answers from those results and the dashboard shows them as last_check. The settings are read again
 * before each run, so a config reload turns the checks on or off (within IDLE_POLL_MS) and changes the
 * interval. Timers are unref'd and stop() aborts a run in progress.
 */
import type { GeneralSettings } from '../core/config-types.ts';
import type { Deployment } from '../providers/types.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';
import type { DeploymentHealth } from '../router/deployment-health.ts';
import { checkDeployments, type HealthReport } from './health.ts';
import type { Logger } from '../observe/logger.ts';

export const DEFAULT_HEALTH_CHECK_INTERVAL_S = 300;
/** While the checks are off: how often to look whether a reload turned them on. */
const IDLE_POLL_MS = 15_000;
const ABORT_CLOSING = 'gateway_closing';

export interface BackgroundSettings {
  enabled: boolean;
  intervalMs: number;
}

export function backgroundSettings(general: GeneralSettings): BackgroundSettings {
  const flag = general.background_health_checks as unknown;
  const interval = Number(general.health_check_interval);
  return {
    enabled: flag === true || flag === 'true' || flag === 'True',
    intervalMs: 1000 * (Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_HEALTH_CHECK_INTERVAL_S),
  };
}

export interface BackgroundHealthSource {
  /** The deployments of the current config. */
  deployments(): readonly Deployment[];
  /** The current general_settings. */
  settings(): GeneralSettings;
  health: DeploymentHealth;
  logger?: Pick<Logger, 'debug' | 'warn'>;
}

export interface BackgroundHealth {
  /** When the last completed run finished (ms since the epoch). */
  lastRunAt(): number | undefined;
  lastReport(): HealthReport | undefined;
  /** Runs the checks now (sharing a run already in progress). */
  runNow(): Promise<HealthReport>;
  stop(): void;
}

export function startBackgroundHealth(source: BackgroundHealthSource, options: { idlePollMs?: number } = {}): BackgroundHealth {
  const lifetime = new CallLifetime();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let last: { at: number; report: HealthReport } | undefined;
  let running: Promise<HealthReport> | undefined;

  const runNow = (): Promise<HealthReport> => {
    running ??= checkDeployments(source.deployments(), { health: source.health, lifetime })
      .then((report) => {
        if (!stopped) last = { at: Date.now(), report };
        source.logger?.debug(`background health check: ${report.healthy_count} healthy, ${report.unhealthy_count} unhealthy, ${report.skipped_count} skipped`);
        return report;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };

  async function tick(): Promise<void> {
    const settings = backgroundSettings(source.settings());
    if (!settings.enabled) return schedule(options.idlePollMs ?? IDLE_POLL_MS);
    try {
      await runNow();
    } catch (err) {
      source.logger?.warn(`background health check failed: ${(err as Error).message}`);
    }
    schedule(settings.intervalMs);
  }

  schedule(0);
  return {
    lastRunAt: () => last?.at,
    lastReport: () => last?.report,
    runNow,
    stop() {
      stopped = true;
      clearTimeout(timer);
      lifetime.abort(ABORT_CLOSING);
    },
  };
}
