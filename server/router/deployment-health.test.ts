import { describe, expect, it } from 'vitest';
import { GatewayError } from '../core/errors.ts';
import { testDeployment } from '../test-support/fixtures.ts';
import { DeploymentHealth, STATS_WINDOW_CALLS, STATS_WINDOW_MS } from './deployment-health.ts';
import { ModelRouter } from './model-router.ts';

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

describe('DeploymentHealth.snapshot (passive health for the dashboard)', () => {
  const d = testDeployment({ id: 'd', modelName: 'gpt', apiKey: 'sk-proj-OwnKey0123456789abcdefXYZ' });
  const ok = (h: DeploymentHealth, latencyMs: number, at: number) => {
    h.started('d');
    h.succeeded('d', latencyMs, 0, at);
  };
  const fail = (h: DeploymentHealth, error: GatewayError, at: number) => {
    h.started('d');
    h.failed('d', error, { allowedFails: 100, cooldownS: 30 }, at);
  };

  it('is unknown, with empty stats, for a deployment without traffic or checks', () => {
    const [snap] = new DeploymentHealth().snapshot([d], T0);
    expect(snap).toEqual({
      id: 'd',
      model_name: 'gpt',
      model: 'openai/gpt-4o-2024-08-06',
      api_base: 'https://api.openai.com/v1',
      state: 'unknown',
      success_rate: null,
      requests: 0,
      errors: 0,
      latency_p50_ms: null,
      latency_p95_ms: null,
      last_error: null,
      cooldown_remaining_s: 0,
      in_flight: 0,
      last_check: null,
      total_requests: 0,
      total_errors: 0,
    });
  });

  it('reports success rate and latency p50/p95 from the calls in the window (not the average)', () => {
    const h = new DeploymentHealth();
    for (let i = 1; i <= 19; i++) ok(h, i * 10, T0 + i);
    ok(h, 5000, T0 + 20);
    fail(h, new GatewayError(502, 'bad gateway'), T0 + 21);
    h.started('d');
    const snap = h.snapshot([d], T0 + 1000)[0]!;
    expect(snap).toMatchObject({ requests: 21, errors: 1, success_rate: 0.9524, latency_p50_ms: 100, latency_p95_ms: 190, in_flight: 1, state: 'failing' });
    expect(snap.last_error).toEqual({ message: 'bad gateway', status: 502, at: new Date(T0 + 21).toISOString() });
    // The routing average is something else: it weighs the 5 s outlier.
    expect(h.latencyMs('d')).toBeGreaterThan(190);
  });

  it('forgets calls older than the window (5 minutes), and keeps at most the last 200', () => {
    const h = new DeploymentHealth();
    fail(h, new GatewayError(500, 'old'), T0);
    ok(h, 50, T0 + 60_000);
    const later = h.snapshot([d], T0 + STATS_WINDOW_MS + 1)[0]!;
    expect(later).toMatchObject({ requests: 1, errors: 0, success_rate: 1, state: 'healthy', total_requests: 2, total_errors: 1 });
    // The last error stays known after it left the window.
    expect(later.last_error?.message).toBe('old');
    for (let i = 0; i < STATS_WINDOW_CALLS + 50; i++) ok(h, 10, T0 + 70_000 + i);
    expect(h.snapshot([d], T0 + 80_000)[0]!.requests).toBe(STATS_WINDOW_CALLS);
  });

  it("masks keys in the last error: key shapes, and this deployment's own key", () => {
    const h = new DeploymentHealth();
    fail(h, new GatewayError(401, 'Incorrect API key provided: sk-live-abcdefghijklmnop1234. Bearer zzzzzzzzzzzz1'), T0);
    expect(h.snapshot([d], T0 + 1)[0]!.last_error!.message).toBe('Incorrect API key provided: sk-…1234. Bearer zzz…zzz1');
    // A key of no known shape (a self-hosted server's token) is masked because it is this deployment's.
    const vllm = testDeployment({ id: 'd', apiKey: 'vllm-token-3456abc' });
    fail(h, new GatewayError(401, 'upstream rejected vllm-token-3456abc'), T0 + 2);
    expect(h.snapshot([vllm], T0 + 3)[0]!.last_error!.message).toBe('upstream rejected vll…6abc');
  });

  it('shows cooldown state and the seconds left', () => {
    const h = new DeploymentHealth();
    h.failed('d', new GatewayError(429, 'slow down', { headers: { 'retry-after': '7' } }), policy, T0);
    expect(h.snapshot([d], T0 + 2500)[0]).toMatchObject({ state: 'cooling', cooldown_remaining_s: 5 });
    expect(h.snapshot([d], T0 + 7001)[0]).toMatchObject({ state: 'failing', cooldown_remaining_s: 0 });
  });

  it('takes the newest of live traffic and the last active check', () => {
    const h = new DeploymentHealth();
    ok(h, 20, T0);
    h.checked('d', { at: T0 + 10, healthy: false, error: 'Could not reach it (sk-abcdefgh12345678)', latencyMs: 3.4 });
    let snap = h.snapshot([d], T0 + 20)[0]!;
    expect(snap.state).toBe('failing');
    expect(snap.last_check).toEqual({ at: new Date(T0 + 10).toISOString(), status: 'unhealthy', error: 'Could not reach it (sk-…5678)', latency_ms: 3 });
    ok(h, 20, T0 + 30);
    expect(h.snapshot([d], T0 + 40)[0]!.state).toBe('healthy');
    h.checked('d', { at: T0 + 50, healthy: true, skipped: true });
    snap = h.snapshot([d], T0 + 60)[0]!;
    expect(snap.state).toBe('healthy');
    expect(snap.last_check).toEqual({ at: new Date(T0 + 50).toISOString(), status: 'skipped' });
  });

  it('lists the models a wildcard deployment served after it, each with its own cooldown', () => {
    const h = new DeploymentHealth();
    const wildcard = testDeployment({ id: 'claude-wildcard', modelName: 'claude-*', provider: 'anthropic', upstreamModel: 'claude-*' });
    const router = new ModelRouter([wildcard]);
    const [opus, haiku] = ['claude-opus-4-1', 'claude-3-5-haiku-latest'].map((model) => router.resolve(model).deployments[0]!);
    h.failed(opus!.id, new GatewayError(429, 'slow down'), policy, T0);
    ok(h, 20, T0);
    h.succeeded(haiku!.id, 30, 10, T0);
    const rows = h.snapshot([wildcard, d], T0 + 1).map((s) => ({ id: s.id, model_name: s.model_name, model: s.model, state: s.state }));
    expect(rows).toEqual([
      { id: 'claude-wildcard', model_name: 'claude-*', model: 'anthropic/claude-*', state: 'unknown' },
      { id: 'claude-wildcard:claude-3-5-haiku-latest', model_name: 'claude-*', model: 'anthropic/claude-3-5-haiku-latest', state: 'healthy' },
      { id: 'claude-wildcard:claude-opus-4-1', model_name: 'claude-*', model: 'anthropic/claude-opus-4-1', state: 'cooling' },
      { id: 'd', model_name: d.modelName, model: `${d.provider}/${d.upstreamModel}`, state: 'healthy' },
    ]);
  });

  it('never shows credentials in api_base; null for the built-in mock', () => {
    const h = new DeploymentHealth();
    const withUser = testDeployment({ id: 'u', apiBase: 'https://me:pw@proxy.example/v1?key=abcdef123456' });
    const mock = testDeployment({ id: 'm', provider: 'mock', apiBase: 'mock://local' });
    expect(h.snapshot([withUser, mock], T0).map((s) => s.api_base)).toEqual(['https://proxy.example/v1?key=****', null]);
  });
});
