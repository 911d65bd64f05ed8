/** A Deployment for spend tests: only the fields pricing reads matter. */
import type { Deployment } from '../providers/types.ts';

export function testDeployment(overrides: Partial<Deployment> & { provider: string; upstreamModel: string }): Deployment {
  return {
    id: `${overrides.provider}/${overrides.upstreamModel}#0`,
    modelName: overrides.upstreamModel,
    apiBase: 'https://upstream.example',
    params: { model: `${overrides.provider}/${overrides.upstreamModel}` },
    timeoutMs: 600_000,
    streamTimeoutMs: 600_000,
    dropParams: false,
    defaults: {},
    headers: {},
    modelInfo: {},
    ...overrides,
  };
}
