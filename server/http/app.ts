/** The Fastify app: one plugin per concern, registered in request-path order. */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './error-handler.ts';
import { acceptJsonBodies } from './json-body.ts';
import type { Runtime } from './runtime.ts';
import { registerAnthropicMessagesRoutes } from './routes/anthropic-messages.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerInferenceRoutes } from './routes/inference.ts';
import { registerModelRoutes } from './routes/models.ts';
import { checkHost } from './security.ts';
import { requireAdmin } from './auth.ts';
import { registerAdminSecretRoutes } from './routes/admin-secrets.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerSpendRoutes } from './routes/spend.ts';
import { registerModelAdminRoutes, type ModelAdminOptions } from './routes/model-admin.ts';
import { registerAdminConfigRoutes } from './routes/admin-config.ts';
import { registerAdminRoutingRoutes } from './routes/admin-routing.ts';
import { registerAdminMasterKeyRoutes } from './routes/admin-master-key.ts';
import { registerOverviewRoute } from './routes/admin-overview.ts';
import { registerSettingsRoute } from './routes/admin-settings.ts';
import { registerDeploymentTestRoute } from './routes/deployment-test.ts';
import { registerLogRoutes } from './routes/admin-logs.ts';
import { registerDashboardUi } from './routes/dashboard-ui.ts';

export interface AppOptions {
  bodyLimitBytes: number;
  /** Host names requests may carry; undefined accepts any (bound to every interface). */
  allowedHosts: () => Set<string> | undefined;
  /** After a secret changed through the admin API: re-resolve `keychain/NAME` references. */
  onSecretsChanged?: () => void;
  /** config.yaml and the reload behind /model/new, /model/update, /model/delete (absent: /model/info only). */
  modelAdmin?: ModelAdminOptions;
  /** The built dashboard served at /ui/ (default: renderer/dist of this repository). */
  uiDir?: string;
}

export function buildApp(runtime: Runtime, options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    // OpenAI rejects `"temperature": "0.5"`; so does the gateway, instead of quietly coercing it.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
  });

  registerErrorHandling(app, runtime.logger, options.bodyLimitBytes);

  app.addHook('onRequest', async (request) => {
    checkHost(request.headers, options.allowedHosts());
  });

  acceptJsonBodies(app);

  const admin = (headers: import('node:http').IncomingHttpHeaders) => requireAdmin(runtime, headers);
  registerKeyRoutes(app, { keys: () => runtime.services.keys, requireAdmin: admin });
  registerSpendRoutes(app, {
    // Reports read SQLite: rows still in the journal go in first.
    spendLog: () => {
      runtime.services.journal.flush();
      return runtime.services.spendLog;
    }, resolveKeyId: (ref) => runtime.services.keys.find(ref)?.id, requireAdmin: admin });
  registerAdminSecretRoutes(app, () => runtime.services.secrets, admin, options.onSecretsChanged ? { onChange: options.onSecretsChanged } : {});
  registerMetricsRoute(app, () => runtime.metrics, admin);
  registerHealthRoutes(app, runtime);
  registerModelRoutes(app, runtime);
  registerModelAdminRoutes(app, runtime, options.modelAdmin);
  registerAdminConfigRoutes(app, runtime, options.modelAdmin);
  registerAdminRoutingRoutes(app, runtime, options.modelAdmin);
  registerAdminMasterKeyRoutes(app, runtime, options.modelAdmin);
  registerInferenceRoutes(app, runtime);
  registerAnthropicMessagesRoutes(app, runtime);
  registerOverviewRoute(app, runtime);
  registerSettingsRoute(app, runtime);
  registerDeploymentTestRoute(app, runtime);
  registerLogRoutes(app, runtime);
  registerDashboardUi(app, options.uiDir ? { dir: options.uiDir } : {});
  return app;
}
