/**
 * Active health of every deployment, in LiteLLM's `/health` shape: `healthy_endpoints` and
 * `unhealthy_endpoints` with model and api_base per entry (never a key), plus `skipped_endpoints` for
 * deployments opted out with `model_info.disable_background_health_check`. Probes cost nothing where the
 * provider allows it (see health-probe.ts); the mock provider is always healthy.
 *
 * Each result is recorded in DeploymentHealth (the dashboard's last_check). Probes of one deployment
 * that overlap (two /health calls, or /health during a background run) share one upstream request.
 */
import type { CallLifetime } from '../proxy/call-lifetime.ts';
import type { Deployment } from '../providers/types.ts';
import type { CheckResult, DeploymentHealth } from '../router/deployment-health.ts';
import { optedOut, probe, probeTimeoutMs } from './health-probe.ts';
import { redactSecrets } from '../observe/mask.ts';
import { maskKeysIn, safeApiBase } from '../observe/mask-keys.ts';
import { answersInProcess } from '../providers/registry.ts';

export interface EndpointHealth {
  model: string;
  model_name: string;
  api_base?: string;
  model_id: string;
  error?: string;
}

export interface HealthReport {
  healthy_endpoints: EndpointHealth[];
  unhealthy_endpoints: EndpointHealth[];
  healthy_count: number;
  unhealthy_count: number;
  /** Opted out of health checks: not probed, neither healthy nor unhealthy. */
  skipped_endpoints: EndpointHealth[];
  skipped_count: number;
}

export interface CheckOptions {
  /** Where results are recorded (and shared or reused from). */
  health?: DeploymentHealth;
  /** Reuse a recorded result younger than this instead of probing (background checks keep them fresh). 0: always probe. */
  reuseWithinMs?: number;
  /** LiteLLM's `general_settings.health_check_details`: false leaves api_base and error out. Default true. */
  details?: boolean;
  /** Probe timeout for deployments without `model_info.health_check_timeout`. */
  timeoutMs?: number;
  /** Aborting it aborts every probe (the gateway is closing). */
  lifetime?: CallLifetime;
}

const inFlight = new WeakMap<DeploymentHealth, Map<string, Promise<CheckResult>>>();

async function probeAndRecord(d: Deployment, options: CheckOptions): Promise<CheckResult> {
  const at = Date.now();
  const outcome = await probe(d, probeTimeoutMs(d, options.timeoutMs), options.lifetime);
  const secrets = [d.apiKey, ...Object.values(d.headers)];
  const result: CheckResult = {
    at,
    healthy: outcome.healthy,
    latencyMs: outcome.latencyMs,
    ...(outcome.error === undefined ? {} : { error: redactSecrets(maskKeysIn(outcome.error), secrets) }),
  };
  options.health?.checked(d.id, result);
  return result;
}

/** This deployment's result: recorded and fresh enough, or being probed already, or a new probe. */
function checkOne(d: Deployment, options: CheckOptions): Promise<CheckResult> {
  const { health } = options;
  if (optedOut(d)) {
    const skipped: CheckResult = { at: Date.now(), healthy: true, skipped: true };
    health?.checked(d.id, skipped);
    return Promise.resolve(skipped);
  }
  if (!health) return probeAndRecord(d, options);
  const recorded = health.lastCheck(d.id);
  if (recorded && !recorded.skipped && options.reuseWithinMs && Date.now() - recorded.at <= options.reuseWithinMs) return Promise.resolve(recorded);
  let running = inFlight.get(health);
  if (!running) {
    running = new Map();
    inFlight.set(health, running);
  }
  const shared = running.get(d.id);
  if (shared) return shared;
  const started = probeAndRecord(d, options).finally(() => running.delete(d.id));
  running.set(d.id, started);
  return started;
}

function entryOf(d: Deployment, result: CheckResult, details: boolean): EndpointHealth {
  return {
    model: `${d.provider}/${d.upstreamModel}`,
    model_name: d.modelName,
    model_id: d.id,
    ...(details && !answersInProcess(d.provider) ? { api_base: safeApiBase(d.apiBase) } : {}),
    ...(details && result.error !== undefined ? { error: result.error } : {}),
  };
}

export async function checkDeployments(deployments: readonly Deployment[], options: CheckOptions = {}): Promise<HealthReport> {
  const details = options.details !== false;
  const results = await Promise.all(deployments.map(async (d) => ({ d, result: await checkOne(d, options) })));
  const pick = (test: (r: CheckResult) => boolean) => results.filter(({ result }) => test(result)).map(({ d, result }) => entryOf(d, result, details));
  const healthy_endpoints = pick((r) => !r.skipped && r.healthy);
  const unhealthy_endpoints = pick((r) => !r.skipped && !r.healthy);
  const skipped_endpoints = pick((r) => r.skipped === true);
  return {
    healthy_endpoints,
    unhealthy_endpoints,
    healthy_count: healthy_endpoints.length,
    unhealthy_count: unhealthy_endpoints.length,
    skipped_endpoints,
    skipped_count: skipped_endpoints.length,
  };
}
