/**
 * One deployment's health as the dashboard reads it (GET /admin/deployments/health): passive stats from
 * live traffic, cooldown, in-flight calls and the last active check. Never a secret: api_base without
 * credentials, error messages masked (key shapes, and this deployment's own key and headers).
 */
import type { DeploymentSnapshot, HealthState } from '../core/admin-api.ts';
import { redactSecrets } from '../observe/mask.ts';
import { safeApiBase } from '../observe/mask-keys.ts';
import type { Deployment } from '../providers/types.ts';
import type { DeploymentView } from './deployment-view.ts';
import { percentile } from './outcome-ring.ts';
import { answersInProcess } from '../providers/registry.ts';

/** The admin API's wire shapes, defined in core/admin-api.ts. */
export type { DeploymentSnapshot, HealthState };

export function healthState(view: DeploymentView): HealthState {
  if (view.coolUntil > view.now) return 'cooling';
  const signals: { at: number; ok: boolean }[] = [];
  if (view.window.last) signals.push(view.window.last);
  if (view.lastCheck && !view.lastCheck.skipped) signals.push({ at: view.lastCheck.at, ok: view.lastCheck.healthy });
  if (signals.length === 0) return 'unknown';
  const newest = signals.reduce((a, b) => (b.at > a.at ? b : a));
  return newest.ok ? 'healthy' : 'failing';
}

const iso = (ms: number) => new Date(ms).toISOString();
const roundMs = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms));

export function toSnapshot(d: Deployment, view: DeploymentView): DeploymentSnapshot {
  const secrets = [d.apiKey, typeof d.params.azure_ad_token === 'string' ? d.params.azure_ad_token : undefined, ...Object.values(d.headers)];
  const clean = (text: string) => redactSecrets(text, secrets);
  const { window, lastError, lastCheck } = view;
  return {
    id: d.id,
    model_name: d.modelName,
    model: `${d.provider}/${d.upstreamModel}`,
    api_base: answersInProcess(d.provider) ? null : safeApiBase(d.apiBase),
    state: healthState(view),
    success_rate: window.requests === 0 ? null : Math.round((10_000 * (window.requests - window.errors)) / window.requests) / 10_000,
    requests: window.requests,
    errors: window.errors,
    latency_p50_ms: roundMs(percentile(window.latencies, 50)),
    latency_p95_ms: roundMs(percentile(window.latencies, 95)),
    last_error: lastError ? { message: clean(lastError.message), status: lastError.status, at: iso(lastError.at) } : null,
    cooldown_remaining_s: view.coolUntil > view.now ? Math.ceil((view.coolUntil - view.now) / 1000) : 0,
    in_flight: view.inFlight,
    last_check: lastCheck
      ? {
          at: iso(lastCheck.at),
          status: lastCheck.skipped ? 'skipped' : lastCheck.healthy ? 'healthy' : 'unhealthy',
          ...(lastCheck.error === undefined ? {} : { error: clean(lastCheck.error) }),
          ...(lastCheck.latencyMs === undefined ? {} : { latency_ms: Math.round(lastCheck.latencyMs) }),
        }
      : null,
    total_requests: view.totalSuccesses + view.totalErrors,
    total_errors: view.totalErrors,
  };
}
