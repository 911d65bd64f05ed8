/** GET /admin/deployments/health through createGateway and Fastify inject, after real traffic. */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig, type GatewayConfig } from '../../core/config-types.ts';
import { createGateway, type Gateway } from '../../gateway.ts';
import { createLogger } from '../../observe/logger.ts';
import type { DeploymentHealthAnswer } from './deployment-health-route.ts';

const MASTER_KEY = 'sk-master-route-0123456789';
const UPSTREAM_KEY = 'sk-proj-RouteTestUpstream0123456789abcdef';
const { logger } = createLogger({ level: 'silent', destination: null });

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

async function gateway(): Promise<Gateway> {
  const config: GatewayConfig = emptyConfig();
  config.model_list.push(
    { model_name: 'echo', litellm_params: { model: 'mock/echo', mock_latency: 20 }, model_info: { id: 'echo-id' } },
    {
      model_name: 'down',
      litellm_params: { model: 'openai/gpt-4o', api_base: 'http://127.0.0.1:1/v1', api_key: UPSTREAM_KEY, timeout: 2 },
      model_info: { id: 'down-id' },
    },
  );
  config.litellm_settings = { num_retries: 0, allowed_fails: 1, cooldown_time: 60 };
  config.general_settings.master_key = MASTER_KEY;
  const g = await createGateway({ config, logger, env: {} });
  gateways.push(g);
  return g;
}

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const chat = (g: Gateway, model: string) =>
  g.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { 'content-type': 'application/json', ...auth(MASTER_KEY) },
    payload: { model, messages: [{ role: 'user', content: 'hi' }] },
  });

describe('GET /admin/deployments/health', () => {
  it('takes the master key only', async () => {
    const g = await gateway();
    expect((await g.app.inject({ method: 'GET', url: '/admin/deployments/health' })).statusCode).toBe(401);
    const generated = await g.app.inject({
      method: 'POST',
      url: '/key/generate',
      headers: { 'content-type': 'application/json', ...auth(MASTER_KEY) },
      payload: {},
    });
    const virtual = (generated.json() as { key: string }).key;
    expect((await g.app.inject({ method: 'GET', url: '/admin/deployments/health', headers: auth(virtual) })).statusCode).toBe(403);
  });

  it('shows success rate, latency percentiles, last error and cooldown per deployment after traffic, never a key', async () => {
    const g = await gateway();
    for (let i = 0; i < 4; i++) expect((await chat(g, 'echo')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await chat(g, 'down')).statusCode).toBeGreaterThanOrEqual(500);
    const res = await g.app.inject({ method: 'GET', url: '/admin/deployments/health', headers: auth(MASTER_KEY) });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(UPSTREAM_KEY);
    expect(res.body).not.toContain(MASTER_KEY);
    const body = res.json() as DeploymentHealthAnswer;
    expect(body.window).toEqual({ seconds: 300, max_calls: 200 });
    expect(body.background_health_checks).toEqual({ enabled: false, interval_s: 300, last_run_at: null });
    const [echo, down] = body.deployments;
    expect(echo).toMatchObject({
      id: 'echo-id',
      model_name: 'echo',
      model: 'mock/echo',
      api_base: null,
      state: 'healthy',
      success_rate: 1,
      requests: 4,
      errors: 0,
      last_error: null,
      in_flight: 0,
    });
    expect(echo!.latency_p50_ms).toBeGreaterThanOrEqual(15);
    expect(echo!.latency_p95_ms).toBeGreaterThanOrEqual(echo!.latency_p50_ms!);
    expect(down).toMatchObject({
      id: 'down-id',
      model: 'openai/gpt-4o',
      api_base: 'http://127.0.0.1:1/v1',
      state: 'cooling',
      success_rate: 0,
      requests: 2,
      errors: 2,
    });
    expect(down!.cooldown_remaining_s).toBeGreaterThan(50);
    expect(down!.last_error).toMatchObject({ status: 502, message: expect.stringMatching(/Could not reach the upstream/) });
    expect(down!.latency_p50_ms).toBeNull();
  });

  it('shows the last active check once /health ran', async () => {
    const g = await gateway();
    const health = await g.app.inject({ method: 'GET', url: '/health', headers: auth(MASTER_KEY) });
    expect(health.json()).toMatchObject({ healthy_count: 1, unhealthy_count: 1 });
    const body = (await g.app.inject({ method: 'GET', url: '/admin/deployments/health', headers: auth(MASTER_KEY) })).json() as DeploymentHealthAnswer;
    expect(body.deployments.map((d) => [d.id, d.state, d.last_check?.status])).toEqual([
      ['echo-id', 'healthy', 'healthy'],
      ['down-id', 'failing', 'unhealthy'],
    ]);
  });
});
