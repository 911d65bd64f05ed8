/**
 * One active health probe of one deployment, at the least cost the provider allows: the provider's
 * healthProbe (GET /models on OpenAI-shaped and Azure upstreams, costs nothing; a max_tokens 1 call
 * otherwise). LiteLLM's per-deployment keys:
 * - `model_info.health_check_model` (also read from `litellm_params`): the model the probe names instead
 *   of the deployment's own (a cheaper one, or a real one for a wildcard like `anthropic/*`). A prefix
 *   naming a provider is dropped; the deployment's own provider, api_base and key are used. GET /models
 *   probes name no model, so for them it changes nothing.
 * - `model_info.disable_background_health_check: true`: never probed (listed as skipped).
 * - `model_info.health_check_timeout`: seconds the probe may take.
 */
import { answersInProcess, getProvider } from '../providers/registry.ts';
import type { Deployment, UpstreamRequest } from '../providers/types.ts';
import { classifyUpstreamFailure, startUpstream } from '../proxy/upstream.ts';
import { mapUpstreamError } from '../providers/openai/errors.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

export function healthCheckModel(d: Deployment): string | undefined {
  return text(d.modelInfo.health_check_model) ?? text(d.params.health_check_model);
}

export function optedOut(d: Deployment): boolean {
  const flag = d.modelInfo.disable_background_health_check;
  return flag === true || flag === 'true';
}

/** Seconds from model_info.health_check_timeout, else the default, never longer than the deployment's own timeout. */
export function probeTimeoutMs(d: Deployment, fallbackMs = DEFAULT_PROBE_TIMEOUT_MS): number {
  const given = Number(d.modelInfo.health_check_timeout);
  if (Number.isFinite(given) && given > 0) return given * 1000;
  return d.timeoutMs > 0 ? Math.min(fallbackMs, d.timeoutMs) : fallbackMs;
}

/** The deployment the probe is built for: the same one, naming `health_check_model` when set. */
export function probeTarget(d: Deployment): Deployment {
  const model = healthCheckModel(d);
  if (model === undefined) return d;
  const slash = model.indexOf('/');
  const upstreamModel = slash > 0 && getProvider(model.slice(0, slash)) ? model.slice(slash + 1) : model;
  return { ...d, upstreamModel };
}

export interface ProbeOutcome {
  healthy: boolean;
  error?: string;
  latencyMs: number;
}

/** Probes once; `parent` aborts the probe (the gateway is closing). Never throws. */
export async function probe(d: Deployment, timeoutMs: number, parent?: CallLifetime): Promise<ProbeOutcome> {
  const started = performance.now();
  const done = (error?: string): ProbeOutcome => ({
    healthy: error === undefined,
    ...(error === undefined ? {} : { error }),
    latencyMs: performance.now() - started,
  });
  const provider = getProvider(d.provider);
  if (!provider || answersInProcess(provider.id) || !provider.healthProbe) return done();
  let req: UpstreamRequest;
  try {
    const built = provider.healthProbe(probeTarget(d));
    req = provider.authorizeRequest ? await provider.authorizeRequest(built, probeTarget(d)) : built;
  } catch (err) {
    return done((err as Error).message);
  }
  const lifetime = parent ? parent.child() : new CallLifetime();
  const clearTimer = lifetime.startTimer(timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    const body = await res.body.text();
    if (res.statusCode < 400) return done(provider.healthProbeVerdict?.(body));
    const map = provider.mapError ?? ((s, b, h) => mapUpstreamError(provider.id, s, b, h));
    return done(map(res.statusCode, body, res.headers).message);
  } catch (err) {
    return done(classifyUpstreamFailure(err, lifetime.reason, req.url, timeoutMs).message);
  } finally {
    clearTimer();
    parent?.release(lifetime);
  }
}
