import { describe, expect, it } from 'vitest';
import { GatewayError } from '../http/errors.ts';
import { DeploymentHealth } from './deployment-health.ts';

const policy = { allowedFails: 1, cooldownS: 30 };
const T0 = 1_000_000;

describe('DeploymentHealth', () => {
  it('cools a deployment down after more than allowed_fails failures within a minute', () => {
    const h = new DeploymentHealth();
    h.failed('d', new GatewayError(502, 'x'), policy, T0);
    expect(h.coolingUntil('d', T0)).toBeUndefined();
    h.failed('d', new GatewayError(502, 'x'), policy, T0 + 1000);
    expect(h.coolingUntil('d', T0 + 1000)).toBe(T0 + 31_000);
    expect(h.coolingUntil('d', T0 + 31_001)).toBeUndefined();
  });

  it('cools down at once on a 429, for its Retry-After when given', () => {
    const h = new DeploymentHealth();
    h.failed('d', new GatewayError(429, 'slow down', { headers: { 'retry-after': '7' } }), policy, T0);
    expect(h.coolingUntil('d', T0)).toBe(T0 + 7000);
  });

  it('forgets failures older than a minute', () => {
    const h = new DeploymentHealth();
    h.failed('d', new GatewayError(502, 'x'), policy, T0);
    h.failed('d', new GatewayError(502, 'x'), policy, T0 + 61_000);
    expect(h.coolingUntil('d', T0 + 61_000)).toBeUndefined();
  });

  it('tracks calls in flight, latency and tokens for the routing strategies', () => {
    const h = new DeploymentHealth();
    h.started('d');
    h.started('d');
    expect(h.inFlight('d')).toBe(2);
    h.succeeded('d', 100, 50, T0);
    h.succeeded('d', 200, 70, T0);
    expect(h.inFlight('d')).toBe(0);
    expect(h.latencyMs('d')).toBe(120);
    expect(h.tokensLastMinute('d', T0 + 1000)).toBe(120);
    expect(h.tokensLastMinute('d', T0 + 61_000)).toBe(0);
  });
});
