import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../core/config-types.ts';
import { GatewayError } from '../core/errors.ts';
import type { Deployment } from '../providers/types.ts';
import { CallLifetime } from '../proxy/call-lifetime.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { DeploymentHealth } from './deployment-health.ts';
import { ModelRouter } from './model-router.ts';
import { routeCall, type RoutableCall } from './route-call.ts';
import { routerSettings } from './router-settings.ts';

const primary = testDeployment({ id: 'primary-1', modelName: 'primary' });
const backup = testDeployment({ id: 'backup-1', modelName: 'backup' });

/**
 * Routes one request for `primary`: `primary-1` times out its first `failures` attempts, then answers; `backup-1`
 * always answers. allowed_fails 1 and num_retries 2: the second timeout cools `primary-1` down. Returns who answered
 * and every deployment called, in order.
 */
async function route(failures: number, fallbacks: Record<string, string[]>[], cooldownS: number) {
  const config = emptyConfig();
  config.router_settings = { allowed_fails: 1, num_retries: 2, cooldown_time: cooldownS, fallbacks };
  const calls: string[] = [];
  const routed = await routeCall<RoutableCall, string>({
    router: new ModelRouter([primary, backup]),
    settings: routerSettings(config),
    health: new DeploymentHealth(),
    requestId: 'req-1',
    modelName: 'primary',
    lifetime: new CallLifetime(),
    prepare: (deployment: Deployment, modelGroup: string) => ({ deployment, modelGroup }),
    attempt: async (call) => {
      calls.push(call.deployment.id);
      if (call.deployment.id === 'primary-1' && calls.length <= failures) throw new GatewayError(408, 'Request timed out.', { code: 'timeout' });
      return `answered by ${call.deployment.id}`;
    },
  });
  return { answer: routed.result, calls };
}

describe('routeCall when every deployment of the group is cooling', () => {
  // Waiting this cooldown out (as the router once did) ends in a third call to primary-1 before the fallback.
  const COOLDOWN_S = 1;

  it('falls back at once when a fallback group can take the request, without calling the cooling deployment again', async () => {
    const { answer, calls } = await route(Infinity, [{ primary: ['backup'] }], COOLDOWN_S);
    expect(answer).toBe('answered by backup-1');
    expect(calls).toEqual(['primary-1', 'primary-1', 'backup-1']);
  });

  it('waits for the cooldown to end when the fallback chain names no configured model', async () => {
    const { answer, calls } = await route(2, [{ primary: ['missing'] }], 0.2);
    expect(answer).toBe('answered by primary-1');
    expect(calls).toEqual(['primary-1', 'primary-1', 'primary-1']);
  });

  it('waits for the cooldown to end when there is no fallback at all', async () => {
    const { answer, calls } = await route(2, [], 0.2);
    expect(answer).toBe('answered by primary-1');
    expect(calls).toEqual(['primary-1', 'primary-1', 'primary-1']);
  });
});
