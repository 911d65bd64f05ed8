/**
 * Liveliness and readiness (no key, for supervisors and load balancers) and /health (every deployment, any key
 * the gateway takes; LiteLLM's shape). Background health checks (`general_settings.background_health_checks`)
 * start when the app is ready and stop when it closes; the dashboard's /admin/deployments/health
 * (deployment-health-route.ts, inside the admin scope) reads their last run.
 */
import type { FastifyInstance } from 'fastify';
import { backgroundSettings, startBackgroundHealth, type BackgroundHealth } from '../../health/background-health.ts';
import { checkDeployments } from '../../health/health.ts';
import type { Runtime } from '../runtime.ts';
import { callerOf } from '../auth.ts';

/** Returns the background checks, once the app is ready (undefined before). */
export function registerHealthRoutes(app: FastifyInstance, runtime: Runtime): () => BackgroundHealth | undefined {
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

  let background: BackgroundHealth | undefined;
  app.addHook('onReady', async () => {
    background = startBackgroundHealth({
      deployments: () => runtime.state.router.deployments,
      settings: () => runtime.state.config.general_settings,
      health: runtime.health,
      logger: runtime.logger,
    });
  });
  app.addHook('onClose', async () => background?.stop());

  // `?model=` (LiteLLM): only the deployments of that model group (or `provider/model`), probed now.
  app.get<{ Querystring: { model?: string } }>('/health', async (request) => {
    callerOf(runtime, request.headers);
    const settings = runtime.state.config.general_settings;
    const wanted = typeof request.query.model === 'string' && request.query.model ? request.query.model : undefined;
    const all = runtime.state.router.deployments;
    const deployments = wanted === undefined ? all : all.filter((d) => d.modelName === wanted || `${d.provider}/${d.upstreamModel}` === wanted);
    const bg = backgroundSettings(settings);
    // With background checks on, /health answers from their results (LiteLLM does too); a deployment
    // without a recent one (new after a reload, or the first run still going) is probed now.
    return checkDeployments(deployments, {
      health: runtime.health,
      reuseWithinMs: bg.enabled && wanted === undefined ? 2 * bg.intervalMs : 0,
      details: settings.health_check_details !== false,
    });
  });

  return () => background;
}
