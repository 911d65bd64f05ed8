/**
 * Active health of every deployment, LiteLLM's `/health` shape. Probes cost nothing where the provider
 * allows it (GET /models on OpenAI-shaped upstreams); the mock provider is always healthy.
 */
import { getProvider } from '../providers/registry.ts';
import type { Deployment } from '../providers/types.ts';
import { classifyUpstreamFailure, startUpstream } from '../proxy/upstream.ts';
import { mapUpstreamError } from '../providers/openai/errors.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';

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
}

async function probe(d: Deployment, timeoutMs: number): Promise<string | undefined> {
  const provider = getProvider(d.provider);
  if (!provider || provider.local || !provider.healthProbe) return undefined;
  const req = provider.healthProbe(d);
  const lifetime = new CallLifetime();
  const clearTimer = lifetime.startTimer(timeoutMs);
  try {
    const res = await lifetime.attach(startUpstream(req)).response;
    const text = await res.body.text();
    if (res.statusCode < 400) return undefined;
    const map = provider.mapError ?? ((s, b, h) => mapUpstreamError(provider.id, s, b, h));
    return map(res.statusCode, text, res.headers).message;
  } catch (err) {
    return classifyUpstreamFailure(err, lifetime.reason, req.url, timeoutMs).message;
  } finally {
    clearTimer();
  }
}

export async function checkDeployments(deployments: readonly Deployment[], timeoutMs = 10_000): Promise<HealthReport> {
  const results = await Promise.all(
    deployments.map(async (d) => {
      const entry: EndpointHealth = {
        model: `${d.provider}/${d.upstreamModel}`,
        model_name: d.modelName,
        model_id: d.id,
        ...(d.provider === 'mock' ? {} : { api_base: d.apiBase }),
      };
      const error = await probe(d, timeoutMs);
      return error === undefined ? { healthy: true, entry } : { healthy: false, entry: { ...entry, error } };
    }),
  );
  const healthy_endpoints = results.filter((r) => r.healthy).map((r) => r.entry);
  const unhealthy_endpoints = results.filter((r) => !r.healthy).map((r) => r.entry);
  return { healthy_endpoints, unhealthy_endpoints, healthy_count: healthy_endpoints.length, unhealthy_count: unhealthy_endpoints.length };
}
