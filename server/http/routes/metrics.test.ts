import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../observe/metrics.ts';
import { GatewayError } from '../../core/errors.ts';
import { registerMetricsRoute } from './metrics.ts';

function app() {
  const metrics = new GatewayMetrics({ processMetrics: false });
  metrics.requestFinished({ modelGroup: 'gpt', deployment: 'd', status: 200, durationS: 1 });
  const server = Fastify();
  server.setErrorHandler((err, _request, reply) => {
    const e = err instanceof GatewayError ? err : new GatewayError(500, String(err));
    return reply.code(e.status).send(e.toBody());
  });
  registerMetricsRoute(server, () => metrics, (headers) => {
    if (headers.authorization !== 'Bearer sk-master') throw new GatewayError(401, 'master key needed');
  });
  return server;
}

describe('GET /metrics', () => {
  it('serves the Prometheus text to the master key', async () => {
    const res = await app().inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer sk-master' } });
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
