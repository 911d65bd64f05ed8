/** GET /metrics: the gateway's Prometheus metrics (LiteLLM serves the same path); master key only, inside the admin scope. */
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../../observe/metrics.ts';

export function registerMetricsRoute(app: FastifyInstance, metrics: () => GatewayMetrics): void {
  for (const path of ['/metrics', '/metrics/']) {
    app.get(path, async (_request, reply) => {
      const current = metrics();
      const text = await current.text();
      return reply.header('cache-control', 'no-store').type(current.contentType).send(text);
    });
  }
}
