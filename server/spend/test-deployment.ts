/** A Deployment for spend tests: the shared builder, named after the model being priced. */
import type { Deployment } from '../providers/types.ts';
import { testDeployment as sharedTestDeployment } from '../test-support/fixtures.ts';

export function testDeployment(overrides: Partial<Deployment> & { provider: string; upstreamModel: string }): Deployment {
  return sharedTestDeployment({
    id: `${overrides.provider}/${overrides.upstreamModel}#0`,
    modelName: overrides.upstreamModel,
    apiBase: 'https://upstream.example',
    params: { model: `${overrides.provider}/${overrides.upstreamModel}` },
    ...overrides,
  });
}
