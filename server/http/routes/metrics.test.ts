import { afterEach, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../observe/metrics.ts';
import { adminTestApp, TEST_MASTER_KEY, type AdminTestApp } from '../test-admin-app.ts';
import { registerMetricsRoute } from './metrics.ts';

const open: AdminTestApp[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** /metrics behind the real admin scope. */
function app() {
  const metrics = new GatewayMetrics({ processMetrics: false });
  metrics.requestFinished({ modelGroup: 'gpt', deployment: 'd', status: 200, durationS: 1 });
  const gateway = adminTestApp((scope) => registerMetricsRoute(scope, () => metrics));
  open.push(gateway);
  return gateway.app;
}

describe('GET /metrics', () => {
  it('serves the Prometheus text to the master key', async () => {
    const res = await app().inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TEST_MASTER_KEY}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('llm_gateway_requests_total{model_group="gpt",deployment="d",status="200"} 1');
    expect(res.body).toContain('# TYPE llm_gateway_deployment_queue_depth gauge');
  });

  it('refuses a caller without the master key', async () => {
    const res = await app().inject({ method: 'GET', url: '/metrics/' });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('llm_gateway');
  });
});
