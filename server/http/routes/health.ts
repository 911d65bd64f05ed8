/** Liveliness and readiness (no key, for supervisors and load balancers) and /health (every deployment, key required). */
import type { FastifyInstance } from 'fastify';
import { checkDeployments } from '../../observe/health.ts';
import type { Runtime } from '../runtime.ts';
import { callerOf } from '../auth.ts';

export function registerHealthRoutes(app: FastifyInstance, runtime: Runtime): void {
  // LiteLLM answers a bare JSON string here; scripts compare it.
  app.get('/health/liveliness', async (_request, reply) => reply.type('application/json').send(JSON.stringify("I'm alive!")));
  app.get('/health/liveness', async (_request, reply) => reply.type('application/json').send(JSON.stringify("I'm alive!")));
  app.get('/health/readiness', async () => ({
    status: 'healthy',
    db: 'Not connected',
    cache: null,
    litellm_version: runtime.version,
    models: runtime.state.router.modelNames().length,
  }));
  app.get('/health', async (request) => {
    callerOf(runtime, request.headers);
    return checkDeployments(runtime.state.router.deployments);
  });
}
